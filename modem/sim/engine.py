"""The simulated modem's AT interpreter: command lines in, real modem replies out.

The engine is driven by `SimModem` (port.py), which owns the clock, the output scheduler and the
lock: every method here runs with that lock held. Replies leave through `Host.reply()` with the
delay a real modem would take; unsolicited codes through `Host.urc()`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from modem.at.parsers import split_fields
from modem.codec import Direction, PduError, Submit, decode_pdu, encode_deliver, encode_status_report, encode_submit
from modem.codec import gsm7 as gsm7_codec
from modem.errors import CME_ERRORS, CMS_ERRORS
from modem.sim.state import (
    TEXT_STAT,
    MessageStat,
    ModemSettings,
    SentPdu,
    SimCard,
    SimConfig,
    SimLock,
    Storage,
    StoredSms,
)

CTRL_Z = 0x1A
ESC = 0x1B
# The bytes that do something in command mode and in the `> ` prompt state; the rest is typed text.
_LINE_CONTROL = re.compile(rb"[\r\n\x08\x1a\x1b]")
_PROMPT_CONTROL = re.compile(rb"[\r\n\x1a\x1b]")
_SMS_COMMANDS = ("+CMGS", "+CMGL", "+CMGR", "+CMGD", "+CPMS", "+CNMI", "+CMGW", "+CSCA")


class Host(Protocol):
    """What the engine needs from the port side (SimModem)."""

    def now(self) -> float: ...
    def reply(self, data: bytes, delay: float) -> None: ...
    def urc(self, data: bytes, delay: float = 0.0) -> None: ...
    def later(self, delay: float, action: Callable[[], None], *, network: bool = True) -> None: ...
    def vanish(self) -> None: ...
    def reboot(self) -> None: ...


class AtError(Exception):
    """Ends a command with an error final code."""

    def __init__(self, kind: str, code: int = 0) -> None:
        super().__init__(kind, code)
        self.kind = kind  # "cme", "cms" or "plain"
        self.code = code


def cme(code: int) -> AtError:
    return AtError("cme", code)


def cms(code: int) -> AtError:
    return AtError("cms", code)


PLAIN_ERROR = AtError("plain")


@dataclass
class _PromptContext:
    """Waiting for the body of +CMGS after '> '."""

    length: int | None  # PDU mode: the announced TPDU length
    number: str | None  # text mode: the destination
    buffer: bytearray = field(default_factory=bytearray)


@dataclass
class Result:
    lines: list[str] = field(default_factory=list)
    final: str = "OK"
    delay: float | None = None  # None: the per-command latency
    silent: bool = False  # say nothing at all (a fault)


def _crlf(*lines: str) -> bytes:
    return b"".join(b"\r\n" + line.encode("utf-8") + b"\r\n" for line in lines)


def _urc_pdu(head: str, pdu: str) -> bytes:
    """An indication followed by its PDU line, as 27.005 frames +CMT and +CDS: no blank line between them
    (a program such as Kannel takes a blank line for the PDU)."""
    return f"\r\n{head}\r\n{pdu}\r\n".encode("ascii")


class Engine:
    def __init__(self, config: SimConfig, host: Host, rng: random.Random) -> None:
        self.config = config
        self.host = host
        self.rng = rng
        self.sim = SimCard(config.pin, config.puk, config.pin_tries, config.puk_tries, config.smsc)
        self.storages = {
            "SM": Storage("SM", config.sm_capacity, config.index_base),
            "ME": Storage("ME", config.me_capacity, config.index_base),
            "SR": Storage("SR", config.sr_capacity, config.index_base),
        }
        self.sent: list[SentPdu] = []
        self.dropped: list[str] = []  # inbound PDUs lost to a full memory
        self.cmgs_count = 0
        self.next_mr = rng.randrange(256)
        self.delivery_status: dict[str, int] = {}  # recipient → TP-ST override
        self.ussd_replies: dict[str, str] = {}
        self.silent = False
        # Faults, changeable at run time through SimModem.
        self.cms_rate = config.cms_rate
        self.cms_code = config.cms_code
        self.cms_on = set(config.cms_on)
        self.silence_on = set(config.silence_on)
        self.vanish_on = set(config.vanish_on)
        self.reboot_on = set(config.reboot_on)
        self.rssi = config.rssi
        self.registered = config.registered
        self.roaming = config.roaming
        self._typed = bytearray()
        self._prompt: _PromptContext | None = None
        self._reboot_after_reply = False
        self.busy_until = 0.0
        self.ready_at = 0.0
        self.deaf_until = 0.0
        self.settings = ModemSettings()
        self.power_on()

    # -- power ----------------------------------------------------------------------------------

    def power_on(self) -> None:
        self.settings = ModemSettings(echo=self.config.echo, cpms=("SM", "SM", "SM"))
        self.sim.power_on()
        self._typed.clear()
        self._prompt = None
        now = self.host.now()
        self.busy_until = now
        self.deaf_until = now + self.config.boot_delay
        self.ready_at = self.deaf_until + self.config.ready_delay

    def boot_urcs(self) -> bytes:
        cpin = "READY" if self.sim.lock is SimLock.READY else self.sim.lock.value.replace(" BLOCKED", "")
        lines = ["RDY", f"+CPIN: {cpin}", "Call Ready"]
        if self.sim.lock is SimLock.READY:
            lines.append("SMS Ready")
        return _crlf(*lines)

    # -- input ----------------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        """Bytes the host wrote."""
        if self.host.now() < self.deaf_until:
            return  # still booting: a real modem drops what it gets
        # Runs of ordinary bytes are taken whole and only the control bytes one at a time: a message
        # body is hundreds of hex digits, and the simulator should cost the program on the other end
        # as little time as a real modem does.
        at, end = 0, len(data)
        while at < end:
            control = (_PROMPT_CONTROL if self._prompt is not None else _LINE_CONTROL).search(data, at)
            stop = control.start() if control else end
            if stop > at:
                (self._prompt.buffer if self._prompt is not None else self._typed).extend(data[at:stop])
            if control is None:
                return
            self._control_byte(data[stop])
            at = stop + 1

    def _control_byte(self, byte: int) -> None:
        if self._prompt is not None:
            self._prompt_byte(byte)
        elif byte == 0x0D:
            line = self._typed.decode("ascii", errors="replace").strip("\n ")
            self._typed.clear()
            if self.settings.echo and not self.silent:
                self.host.reply(line.encode("ascii", errors="replace") + b"\r", 0.0)
            if line:
                self._execute(line)
        elif byte in (CTRL_Z, ESC):
            self._typed.clear()
        elif byte == 0x08:
            del self._typed[-1:]
        # a line feed: nothing

    def _prompt_byte(self, byte: int) -> None:
        ctx = self._prompt
        assert ctx is not None
        if byte == ESC:
            self._prompt = None  # cancelled: the modem says nothing and sends nothing
            return
        if byte == CTRL_Z:
            self._prompt = None
            if self.settings.echo and not self.silent:
                self.host.reply(bytes(ctx.buffer), 0.0)
            self._submit(ctx)
            return
        if byte == 0x0D and ctx.number is not None:
            ctx.buffer.append(0x0A)  # text mode: a new line of the message, and a new prompt
            self.host.reply(b"\r\n> ", 0.0)
            return
        if byte in (0x0A, 0x0D):
            return
        ctx.buffer.append(byte)

    # -- command dispatch ----------------------------------------------------------------------

    def _execute(self, line: str) -> None:
        if self.silent or self.config.role == "mute":
            return
        if line[:2].upper() != "AT":
            return  # not a command: real modems ignore the line
        result = Result()
        try:
            for sub in self._split(line[2:]):
                if self.config.role == "at_only" and sub.upper() not in ("", "E0", "E1", "I", "Z", "V1"):
                    raise PLAIN_ERROR  # a secondary port of a USB modem: alive, but no SMS service
                part = self._dispatch(sub)
                if part is None:  # entered the prompt state
                    self.host.reply(b"\r\n> ", self._delay(None))
                    return
                result.lines.extend(part.lines)
                result.delay = part.delay if part.delay is not None else result.delay
                result.silent = result.silent or part.silent
        except AtError as exc:
            result.final = self._error_text(exc)
        if result.silent:
            return
        delay = self._delay(result.delay)
        self.host.reply(_crlf(*result.lines, result.final), delay)
        if self._reboot_after_reply:
            self._reboot_after_reply = False
            self.host.later(delay, self.host.reboot, network=False)  # queued after the OK: it still leaves

    def _delay(self, extra: float | None) -> float:
        """When the reply is due: after the modem finished the previous command, plus this one's time."""
        now = self.host.now()
        start = max(now, self.busy_until)
        took = self.config.latency if extra is None else extra
        self.busy_until = start + took
        return self.busy_until - now

    @staticmethod
    def _split(rest: str) -> list[str]:
        """'E0V1' → ['E0', 'V1']; '+CMGF=0;+CNMI=2,1' → ['+CMGF=0', '+CNMI=2,1']; '' → ['']."""
        if not rest.strip():
            return [""]
        subs: list[str] = []
        while rest:
            if rest[0] in "+^$%*#":
                quoted = False
                for i, ch in enumerate(rest):
                    if ch == '"':
                        quoted = not quoted
                    elif ch == ";" and not quoted:
                        subs.append(rest[:i])
                        rest = rest[i + 1 :]
                        break
                else:
                    subs.append(rest)
                    rest = ""
            elif rest[0] == ";":
                rest = rest[1:]
            else:
                m = re.match(r"(&?[A-Za-z])(\d*)", rest)
                if m is None:
                    raise PLAIN_ERROR
                subs.append(m.group(0))
                rest = rest[m.end() :]
        return subs

    def _error_text(self, exc: AtError) -> str:
        if exc.kind == "cms":
            if self.settings.cmee == 2 and exc.code in CMS_ERRORS:
                return f"+CMS ERROR: {CMS_ERRORS[exc.code].en}"
            return f"+CMS ERROR: {exc.code}"
        if exc.kind == "cme" and self.settings.cmee:
            if self.settings.cmee == 2 and exc.code in CME_ERRORS:
                return f"+CME ERROR: {CME_ERRORS[exc.code].en}"
            return f"+CME ERROR: {exc.code}"
        return "ERROR"

    def _dispatch(self, sub: str) -> Result | None:
        upper = sub.upper()
        if upper == "":
            return Result()
        if not upper.startswith(("+", "^")):
            return self._basic(upper)
        m = re.match(r"([+^][A-Z0-9]+)(=\?|\?|=)?(.*)$", sub, re.IGNORECASE | re.DOTALL)
        if m is None:
            raise PLAIN_ERROR
        name, op, args = m.group(1).upper(), m.group(2) or "", m.group(3)
        handler = _HANDLERS.get(name)
        if handler is None:
            raise self._unknown()
        if name in _SMS_COMMANDS and op != "=?":
            self._check_sms_ready()
        return handler(self, op, split_fields(args) if op == "=" else [])

    def _unknown(self) -> AtError:
        return cme(4) if self.settings.cmee else PLAIN_ERROR

    def _basic(self, cmd: str) -> Result:
        m = re.fullmatch(r"(&?[A-Z])(\d*)", cmd)
        if m is None:
            raise PLAIN_ERROR
        letter, value = m.group(1), int(m.group(2) or 0)
        if letter == "E":
            if value not in (0, 1):
                raise PLAIN_ERROR
            self.settings.echo = bool(value)
            return Result()
        if letter in ("Z", "&F"):
            keep_radio = self.settings.radio_on
            self.settings = ModemSettings(echo=self.config.echo, radio_on=keep_radio)
            return Result()
        if letter == "I":
            return Result([self.config.manufacturer, self.config.model, f"Revision: {self.config.revision}"])
        if letter in ("V", "Q", "&W", "&D", "&C", "S", "X", "L", "M"):
            return Result()
        raise PLAIN_ERROR

    # -- readiness ------------------------------------------------------------------------------

    def _check_sim(self, sms: bool = False) -> None:
        lock = self.sim.lock
        if lock is SimLock.READY:
            return
        code = {SimLock.PIN: (311, 11), SimLock.PUK: (316, 12), SimLock.BLOCKED: (313, 13)}[lock]
        raise cms(code[0]) if sms else cme(code[1])

    def _check_sms_ready(self) -> None:
        self._check_sim(sms=True)
        if self.host.now() < self.ready_at:
            raise cms(515)  # "please wait, init or command processing in progress"

    def sim_became_ready(self) -> None:
        self.ready_at = self.host.now() + self.config.ready_delay
        # SIMCom announces it; the device must not mistake it for a reboot.
        ready = _crlf("SMS Ready")
        self.host.later(self.config.ready_delay, lambda: self.host.urc(ready))

    @property
    def network_ok(self) -> bool:
        return self.registered and self.settings.radio_on and self.sim.lock is SimLock.READY

    # -- identification -------------------------------------------------------------------------

    def h_cgmi(self, op: str, args: list[str]) -> Result:
        return Result([self.config.manufacturer])

    def h_cgmm(self, op: str, args: list[str]) -> Result:
        return Result([self.config.model])

    def h_cgmr(self, op: str, args: list[str]) -> Result:
        return Result([self.config.revision])

    def h_cgsn(self, op: str, args: list[str]) -> Result:
        return Result([self.config.imei])

    def h_cimi(self, op: str, args: list[str]) -> Result:
        self._check_sim()
        return Result([self.config.imsi])

    def h_ccid(self, op: str, args: list[str]) -> Result:
        return Result([f"+CCID: {self.config.iccid}"])

    def h_iccid(self, op: str, args: list[str]) -> Result:
        return Result([f"+ICCID: {self.config.iccid}"])

    def h_hw_iccid(self, op: str, args: list[str]) -> Result:
        return Result([f"^ICCID: {self.config.iccid}"])

    def h_cnum(self, op: str, args: list[str]) -> Result:
        self._check_sim()
        if not self.config.own_number:
            return Result()
        kind = 145 if self.config.own_number.startswith("+") else 129
        return Result([f'+CNUM: "","{self.config.own_number}",{kind}'])

    def h_gcap(self, op: str, args: list[str]) -> Result:
        return Result(["+GCAP: +CGSM"])

    def h_clac(self, op: str, args: list[str]) -> Result:
        return Result([f"AT{name}" for name in sorted(_HANDLERS)])

    # -- settings -------------------------------------------------------------------------------

    def _number_setting(self, op: str, args: list[str], attr: str, allowed: range, prefix: str) -> Result:
        if op == "?":
            return Result([f"{prefix}: {getattr(self.settings, attr)}"])
        if op == "=?":
            return Result([f"{prefix}: ({allowed.start}-{allowed.stop - 1})"])
        if op == "=" and args and args[0].isdigit() and int(args[0]) in allowed:
            setattr(self.settings, attr, int(args[0]))
            return Result()
        raise cme(50) if self.settings.cmee else PLAIN_ERROR

    def h_cmee(self, op: str, args: list[str]) -> Result:
        return self._number_setting(op, args, "cmee", range(3), "+CMEE")

    def h_cmgf(self, op: str, args: list[str]) -> Result:
        return self._number_setting(op, args, "cmgf", range(2), "+CMGF")

    def h_curc(self, op: str, args: list[str]) -> Result:
        return self._number_setting(op, args, "curc", range(2), "^CURC")

    def h_cscs(self, op: str, args: list[str]) -> Result:
        if op == "?":
            return Result([f'+CSCS: "{self.settings.cscs}"'])
        if op == "=?":
            return Result(['+CSCS: ("IRA","GSM","UCS2")'])
        if op == "=" and args and args[0].upper() in ("IRA", "GSM", "UCS2"):
            self.settings.cscs = args[0].upper()
            return Result()
        raise cme(50) if self.settings.cmee else PLAIN_ERROR

    def h_ok(self, op: str, args: list[str]) -> Result:
        """Commands accepted and ignored (+CLIP, +CRC, +CVHU, +CNMA …)."""
        return Result()

    def h_csms(self, op: str, args: list[str]) -> Result:
        if op == "?":
            return Result(["+CSMS: 0,1,1,1"])
        if op == "=?":
            return Result(["+CSMS: (0-1)"])
        return Result(["+CSMS: 1,1,1"])

    def h_csmp(self, op: str, args: list[str]) -> Result:
        if op == "?":
            return Result([f"+CSMP: {self.settings.csmp_fo},167,0,0"])
        if op == "=" and args and args[0].isdigit():
            self.settings.csmp_fo = int(args[0])
        return Result()

    def h_cfun(self, op: str, args: list[str]) -> Result:
        if op == "?":
            return Result([f"+CFUN: {1 if self.settings.radio_on else 0}"])
        if op == "=?":
            return Result(["+CFUN: (0,1,4),(0-1)"])
        if op == "=" and args and args[0] in ("0", "1", "4"):
            if len(args) > 1 and args[1] == "1":
                self._reboot_after_reply = True
                return Result()
            self.settings.radio_on = args[0] == "1"
            return Result()
        raise cme(50) if self.settings.cmee else PLAIN_ERROR

    # -- SIM ------------------------------------------------------------------------------------

    def h_cpin(self, op: str, args: list[str]) -> Result:
        lock = self.sim.lock
        if op == "?":
            if lock is SimLock.BLOCKED:
                raise cme(13)
            return Result([f"+CPIN: {lock.value}"])
        if op == "=?":
            return Result()
        if op != "=" or not args:
            raise cme(50) if self.settings.cmee else PLAIN_ERROR
        if lock is SimLock.READY:
            raise cme(3) if self.settings.cmee else PLAIN_ERROR  # nothing to unlock
        if lock is SimLock.BLOCKED:
            raise cme(13)
        if lock is SimLock.PUK:
            if len(args) < 2 or not self.sim.enter_puk(args[0], args[1]):
                raise cme(16) if self.sim.lock is SimLock.PUK else cme(13)
        elif not self.sim.enter_pin(args[0]):
            raise cme(16) if self.sim.lock is SimLock.PIN else cme(12)
        self.sim_became_ready()
        return Result()

    def h_cpinr(self, op: str, args: list[str]) -> Result:
        """Huawei ^CPIN?: tries left, which a careful program checks before entering a PIN."""
        lock = self.sim.lock.value if self.sim.lock is not SimLock.BLOCKED else "SIM PUK"
        return Result([f"^CPIN: {lock},,{self.sim.puk_tries_left},{self.sim.pin_tries_left},10,3"])

    # -- network --------------------------------------------------------------------------------

    def h_csq(self, op: str, args: list[str]) -> Result:
        if op == "=?":
            return Result(["+CSQ: (0-31,99),(0-7,99)"])
        rssi = self.rssi if self.network_ok or self.sim.lock is not SimLock.READY else 99
        return Result([f"+CSQ: {rssi},99"])

    def _reg_stat(self) -> int:
        if not self.network_ok:
            return 2 if self.settings.radio_on and self.sim.lock is SimLock.READY else 0
        return 5 if self.roaming else 1

    def _reg(self, op: str, args: list[str], prefix: str, attr: str) -> Result:
        if op == "=?":
            return Result([f"{prefix}: (0-2)"])
        if op == "=":
            if not args or args[0] not in ("0", "1", "2"):
                raise cme(50) if self.settings.cmee else PLAIN_ERROR
            setattr(self.settings, attr, int(args[0]))
            return Result()
        n = getattr(self.settings, attr)
        stat = self._reg_stat()
        extra = ',"5E25","0B5F2A1",0' if n == 2 and stat in (1, 5) else ""
        return Result([f"{prefix}: {n},{stat}{extra}"])

    def h_creg(self, op: str, args: list[str]) -> Result:
        return self._reg(op, args, "+CREG", "creg_n")

    def h_cgreg(self, op: str, args: list[str]) -> Result:
        return self._reg(op, args, "+CGREG", "cgreg_n")

    def h_cops(self, op: str, args: list[str]) -> Result:
        c = self.config
        if op == "=?":
            return Result(
                [f'+COPS: (2,"{c.operator_long}","{c.operator_short}","{c.operator_numeric}",0),,(0-4),(0-2)'],
                delay=max(self.config.latency, self.config.latency * 20),
            )
        if op == "=":
            if args and args[0] == "3" and len(args) > 1 and args[1] in ("0", "1", "2"):
                self.settings.cops_format = int(args[1])
                return Result()
            if args and args[0] == "0":
                return Result()
            raise cme(50) if self.settings.cmee else PLAIN_ERROR
        if not self.network_ok:
            return Result(["+COPS: 0"])
        name = (c.operator_long, c.operator_short, c.operator_numeric)[self.settings.cops_format]
        return Result([f'+COPS: 0,{self.settings.cops_format},"{name}",0'])

    def h_csca(self, op: str, args: list[str]) -> Result:
        if op == "?":
            number = self.sim.smsc or ""
            kind = 145 if number.startswith("+") else 129
            return Result([f'+CSCA: "{number}",{kind}'])
        if op == "=" and args and re.fullmatch(r"\+?[0-9]{3,20}", args[0]):
            self.sim.smsc = args[0]
            return Result()
        raise cms(304) if op == "=" else PLAIN_ERROR

    # -- storage --------------------------------------------------------------------------------

    def _memory(self, name: str) -> Storage:
        storage = self.storages.get(name.upper())
        if storage is None:
            raise cms(302)
        return storage

    def h_cpms(self, op: str, args: list[str]) -> Result:
        if op == "=?":
            return Result(['+CPMS: ("SM","ME","SR"),("SM","ME"),("SM","ME")'])
        if op == "?":
            parts = []
            for name in self.settings.cpms:
                storage = self._memory(name)
                parts.append(f'"{name}",{storage.used},{storage.capacity}')
            return Result(["+CPMS: " + ",".join(parts)])
        if op != "=" or not args:
            raise cms(302)
        chosen = list(self.settings.cpms)
        for i, name in enumerate(args[:3]):
            if not name:
                continue
            if name.upper() not in self.storages or (i > 0 and name.upper() == "SR"):
                raise cms(302)
            chosen[i] = name.upper()
        self.settings.cpms = (chosen[0], chosen[1], chosen[2])
        counts = ",".join(f"{self._memory(n).used},{self._memory(n).capacity}" for n in self.settings.cpms)
        return Result([f"+CPMS: {counts}"])

    def h_cnmi(self, op: str, args: list[str]) -> Result:
        if op == "?":
            return Result(["+CNMI: " + ",".join(str(v) for v in self.settings.cnmi)])
        if op == "=?":
            return Result(["+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)"])
        allowed = ((0, 1, 2), (0, 1, 2, 3), (0, 2), (0, 1, 2), (0, 1))
        values = list(self.settings.cnmi)
        for i, text in enumerate(args[:5]):
            if text == "":
                continue
            if not text.isdigit() or int(text) not in allowed[i]:
                raise cms(303)
            values[i] = int(text)
        self.settings.cnmi = (values[0], values[1], values[2], values[3], values[4])
        return Result()

    def _read_storage(self) -> Storage:
        return self._memory(self.settings.cpms[0])

    def _listing(self, prefix: str, index: int | None, sms: StoredSms) -> list[str]:
        head = f"{prefix}: " + (f"{index}," if index is not None else "")
        if self.settings.cmgf == 0:
            return [f"{head}{int(sms.stat)},,{sms.tpdu_length}", sms.pdu]
        return self._text_listing(head, sms)

    def _text_listing(self, head: str, sms: StoredSms) -> list[str]:
        try:
            message = decode_pdu(sms.pdu)
        except PduError:
            return [f'{head}"{TEXT_STAT[sms.stat]}","",,', ""]
        stat = TEXT_STAT[sms.stat]
        if isinstance(message, Submit):
            return [f'{head}"{stat}","{message.recipient.number}",', message.text or ""]
        if hasattr(message, "sender"):
            ts = message.timestamp.strftime("%y/%m/%d,%H:%M:%S+32")
            return [f'{head}"{stat}","{message.sender.number}",,"{ts}"', message.text or ""]
        return [f'{head}"{stat}",6,{message.tp_mr}']

    def h_cmgl(self, op: str, args: list[str]) -> Result:
        if op == "=?":
            return Result(
                [
                    "+CMGL: (0-4)"
                    if self.settings.cmgf == 0
                    else '+CMGL: ("REC UNREAD","REC READ","STO UNSENT","STO SENT","ALL")'
                ]
            )
        wanted: int
        if not args:
            wanted = 0  # REC UNREAD, the default of TS 27.005
        elif self.settings.cmgf == 0:
            if not args[0].isdigit() or int(args[0]) > 4:
                raise cms(304)
            wanted = int(args[0])
        else:
            by_text = {v: int(k) for k, v in TEXT_STAT.items()} | {"ALL": 4}
            if args[0].upper() not in by_text:
                raise cms(305)
            wanted = by_text[args[0].upper()]
        storage = self._read_storage()
        lines: list[str] = []
        for index in sorted(storage.slots):
            sms = storage.slots[index]
            if wanted == 4 or int(sms.stat) == wanted:
                lines.extend(self._listing("+CMGL", index, sms))
                if sms.stat is MessageStat.REC_UNREAD:
                    sms.stat = MessageStat.REC_READ
        return Result(lines)

    def h_cmgr(self, op: str, args: list[str]) -> Result:
        if op == "=?":
            return Result()
        if op != "=" or not args or not args[0].strip().isdigit():
            raise cms(302)
        index = int(args[0])
        storage = self._read_storage()
        if not storage.valid(index):
            raise cms(321)
        sms = storage.slots.get(index)
        if sms is None:
            return Result()  # an empty slot: OK with nothing, as Huawei and SIMCom answer
        lines = self._listing("+CMGR", None, sms)
        if sms.stat is MessageStat.REC_UNREAD:
            sms.stat = MessageStat.REC_READ
        return Result(lines)

    def h_cmgd(self, op: str, args: list[str]) -> Result:
        if op == "=?":
            return Result(["+CMGD: (1-50),(0-4)"])
        if op != "=" or not args or not args[0].strip().isdigit():
            raise cms(302)
        index = int(args[0])
        flag = int(args[1]) if len(args) > 1 and args[1].isdigit() else 0
        storage = self._read_storage()
        if flag == 0:
            if not storage.valid(index):
                raise cms(321)
            storage.slots.pop(index, None)
            return Result()
        if flag > 4:
            raise cms(302)
        doomed = {
            1: {MessageStat.REC_READ},
            2: {MessageStat.REC_READ, MessageStat.STO_SENT},
            3: {MessageStat.REC_READ, MessageStat.STO_SENT, MessageStat.STO_UNSENT},
            4: set(MessageStat),
        }[flag]
        for i in [i for i, sms in storage.slots.items() if sms.stat in doomed]:
            del storage.slots[i]
        return Result()

    # -- sending --------------------------------------------------------------------------------

    def h_cmgs(self, op: str, args: list[str]) -> Result | None:
        if op == "=?":
            return Result()
        if op != "=" or not args:
            raise cms(304 if self.settings.cmgf == 0 else 305)
        if self.settings.cmgf == 0:
            if not args[0].isdigit() or not 7 <= int(args[0]) <= 176:
                raise cms(304)
            self._prompt = _PromptContext(int(args[0]), None)
        else:
            if not args[0]:
                raise cms(305)
            self._prompt = _PromptContext(None, args[0])
        return None

    def _submit(self, ctx: _PromptContext) -> None:
        self.cmgs_count += 1
        n = self.cmgs_count
        c = self.config
        if n in self.vanish_on:
            self.host.vanish()
            return
        if n in self.silence_on:
            return
        if n in self.reboot_on:
            self.host.later(c.latency, self.host.reboot, network=False)
            return
        try:
            if n in self.cms_on or (self.cms_rate and self.rng.random() < self.cms_rate):
                raise cms(self.cms_code)
            if not self.network_ok:
                raise cms(331)
            pdu, length, submit = self._accept(ctx)
        except AtError as exc:
            self.host.reply(_crlf(self._error_text(exc)), self._delay(c.sms_latency))
            return
        mr = self.next_mr
        self.next_mr = (mr + 1) % 256
        self.sent.append(SentPdu(n, pdu, length, submit, mr, self.host.now()))
        delay = self._delay(c.sms_latency)
        self.host.reply(_crlf(f"+CMGS: {mr}", "OK"), delay)
        if submit.status_report_requested:
            self.host.later(delay + c.sr_delay, lambda: self._status_report(submit, mr))

    def _accept(self, ctx: _PromptContext) -> tuple[str, int, Submit]:
        if ctx.number is not None:  # text mode
            text = ctx.buffer.decode("utf-8", errors="replace")
            parts = encode_submit(ctx.number, text, tp_mr=0, request_status_report=bool(self.settings.csmp_fo & 0x20))
            pdu = parts[0]
            submit = decode_pdu(pdu.hex, direction=Direction.FROM_MOBILE)
            assert isinstance(submit, Submit)
            return pdu.hex, pdu.tpdu_length, submit
        hex_text = re.sub(r"\s+", "", ctx.buffer.decode("ascii", errors="replace"))
        if not hex_text or len(hex_text) % 2 or re.fullmatch(r"[0-9A-Fa-f]+", hex_text) is None:
            raise cms(304)
        octets = bytes.fromhex(hex_text)
        smsc_len = octets[0]
        if len(octets) - 1 - smsc_len != ctx.length:
            raise cms(304)  # the length given with +CMGS must count the TPDU exactly
        try:
            message = decode_pdu(hex_text, direction=Direction.FROM_MOBILE)
        except PduError:
            raise cms(304) from None
        if not isinstance(message, Submit) or message.truncated:
            raise cms(304)
        return hex_text.upper(), ctx.length or 0, message

    def _status_report(self, submit: Submit, mr: int) -> None:
        mode, _mt, _bm, ds, _bfr = self.settings.cnmi
        if ds == 0:
            return
        status = self.delivery_status.get(submit.recipient.number, self.config.sr_status)
        now = datetime.now(UTC).replace(microsecond=0)
        report = encode_status_report(
            submit.recipient, mr, status, sc_timestamp=now, discharge_time=now, smsc=self.sim.smsc
        )
        if ds == 1:
            if mode != 0:
                self.host.urc(_urc_pdu(f"+CDS: {report.tpdu_length}", report.hex))
            return
        memory = self.config.sr_memory
        index = self._memory(memory).store(StoredSms(MessageStat.REC_UNREAD, report.hex, report.tpdu_length))
        if index is None:
            self.dropped.append(report.hex)
        elif mode != 0:
            self.host.urc(_crlf(f'+CDSI: "{memory}",{index}'))

    # -- receiving ------------------------------------------------------------------------------

    def deliver(self, pdu: str, tpdu_length: int) -> int | None:
        """An SMS-DELIVER arrives from the network: store and/or indicate it as AT+CNMI says."""
        mode, mt, _bm, _ds, _bfr = self.settings.cnmi
        if mt == 2 and mode != 0:
            self.host.urc(_urc_pdu(f"+CMT: ,{tpdu_length}", pdu))
            return None
        memory = self.settings.cpms[2]
        index = self._memory(memory).store(StoredSms(MessageStat.REC_UNREAD, pdu, tpdu_length))
        if index is None:
            self.dropped.append(pdu)
            return None
        if mt in (1, 3) and mode != 0:
            self.host.urc(_crlf(f'+CMTI: "{memory}",{index}'))
        return index

    def inbound_pdus(
        self,
        sender: str,
        text: str,
        *,
        timestamp: datetime | None = None,
        concat_ref: int | None = None,
        flash: bool = False,
    ) -> list[tuple[str, int]]:
        stamp = timestamp or datetime.now(UTC).replace(microsecond=0)
        parts = encode_deliver(sender, text, timestamp=stamp, smsc=self.sim.smsc, concat_ref=concat_ref, flash=flash)
        return [(p.hex, p.tpdu_length) for p in parts]

    # -- USSD -----------------------------------------------------------------------------------

    def h_cusd(self, op: str, args: list[str]) -> Result:
        if op == "?":
            return Result([f"+CUSD: {self.settings.cusd_n}"])
        if op == "=?":
            return Result(["+CUSD: (0-2)"])
        if op != "=" or not args or args[0] not in ("0", "1", "2"):
            raise cme(50) if self.settings.cmee else PLAIN_ERROR
        self.settings.cusd_n = int(args[0]) if args[0] != "2" else self.settings.cusd_n
        if len(args) < 2:
            return Result()
        self._check_sim()
        if not self.network_ok:
            raise cme(30)
        code = args[1]
        if self.settings.cscs == "UCS2" and re.fullmatch(r"(?:00[0-9A-Fa-f]{2})+", code):
            code = bytes.fromhex(code).decode("utf-16-be")
        answer = self.ussd_replies.get(code)
        if answer is None and code == "*100#":
            answer = self.config.ussd_reply
        data = _crlf("+CUSD: 4" if answer is None else self._ussd_line(answer))
        # The network's answer comes after the OK, as on most modems.
        self.host.later(self._delay(None) + self.config.ussd_delay, lambda: self.host.urc(data))
        return Result(delay=0.0)

    def _ussd_line(self, text: str) -> str:
        encoding = self.config.ussd_encoding
        if encoding == "ucs2" or not gsm7_codec.is_gsm7(text):
            return f'+CUSD: 0,"{text.encode("utf-16-be").hex().upper()}",72'
        if encoding == "gsm7":
            septets = gsm7_codec.encode_septets(text)
            packed = gsm7_codec.pack(septets)
            if len(septets) % 8 == 7:
                packed = gsm7_codec.pack(septets + b"\r")  # CR fill, TS 23.038 §6.1.2.3.1
            return f'+CUSD: 0,"{packed.hex().upper()}",15'
        return f'+CUSD: 0,"{text}",15'


_HANDLERS: dict[str, Callable[[Engine, str, list[str]], Result | None]] = {
    "+CGMI": Engine.h_cgmi,
    "+GMI": Engine.h_cgmi,
    "+CGMM": Engine.h_cgmm,
    "+GMM": Engine.h_cgmm,
    "+CGMR": Engine.h_cgmr,
    "+GMR": Engine.h_cgmr,
    "+CGSN": Engine.h_cgsn,
    "+GSN": Engine.h_cgsn,
    "+CIMI": Engine.h_cimi,
    "+CCID": Engine.h_ccid,
    "+ICCID": Engine.h_iccid,
    "^ICCID": Engine.h_hw_iccid,
    "+CNUM": Engine.h_cnum,
    "+GCAP": Engine.h_gcap,
    "+CLAC": Engine.h_clac,
    "+CMEE": Engine.h_cmee,
    "+CMGF": Engine.h_cmgf,
    "+CSCS": Engine.h_cscs,
    "+CSMS": Engine.h_csms,
    "+CSMP": Engine.h_csmp,
    "+CFUN": Engine.h_cfun,
    "+CPIN": Engine.h_cpin,
    "^CPIN": Engine.h_cpinr,
    "+CSQ": Engine.h_csq,
    "+CREG": Engine.h_creg,
    "+CGREG": Engine.h_cgreg,
    "+COPS": Engine.h_cops,
    "+CSCA": Engine.h_csca,
    "+CPMS": Engine.h_cpms,
    "+CNMI": Engine.h_cnmi,
    "+CMGL": Engine.h_cmgl,
    "+CMGR": Engine.h_cmgr,
    "+CMGD": Engine.h_cmgd,
    "+CMGS": Engine.h_cmgs,
    "+CUSD": Engine.h_cusd,
    "^CURC": Engine.h_curc,
    "+CLIP": Engine.h_ok,
    "+CRC": Engine.h_ok,
    "+CVHU": Engine.h_ok,
    "+CNMA": Engine.h_ok,
    "+CMMS": Engine.h_ok,
    "+CLIR": Engine.h_ok,
}
