"""Modem operations: what a program does with a GSM modem, over one AT channel.

    with Modem.open("COM5", pin="1234") as gsm:          # or "sim://test?latency=0"
        print(gsm.identify(), gsm.signal(), gsm.registration())
        gsm.on_status_report(print)                       # DeliveryReport per part
        gsm.on_message(print)                             # InboundSms, multipart reassembled
        result = gsm.send_sms("+8613800138000", "会议改到周五")
        result.parts                                      # the TP-MR of every part

Threads: the channel's reader hands unsolicited codes to this object, which queues them for one
event thread of its own. That thread reads stored messages (+CMTI, +CDSI), reassembles multipart
messages, calls the `on_message` / `on_status_report` callbacks, and deletes what it delivered.
Callbacks therefore may take their time, and may call the modem (not `close()`).

Errors: every failed command raises `CommandError` with `retry_class` (RETRY_LATER, PERMANENT,
NEEDS_ATTENTION); a SIM that needs a PIN or PUK raises `SimNotReady`; a pulled cable raises
`PortGone` at once, and `reopen()` brings the modem back once the port is there again.

PIN policy: a configured PIN is tried automatically at most once. If the SIM refuses it, it is
never tried again (three wrong tries lock the SIM with its PUK): `enter_pin()` with a PIN from
the user is the only way on. A PIN the SIM accepted is used again when the modem reboots.

A modem that reboots (RDY or ^SYSSTART, or a SIM that suddenly wants its PIN) is initialised again
before the next operation.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from modem.at import ATChannel, Unsolicited, UrcKind, is_final
from modem.at import parsers as p
from modem.codec import Deliver, PduError, StatusClass, StatusReport, decode_pdu, encode_submit, reassemble_text
from modem.codec.messages import Message
from modem.errors import (
    ChannelClosed,
    CommandError,
    CommandTimeout,
    ModemError,
    PortGone,
    ReplyParseError,
    RetryClass,
)

log = logging.getLogger(__name__)

# +CNMI settings to try, best first: new messages stored and indicated (+CMTI), status reports
# inline (+CDS, nothing to delete afterwards), else stored (+CDSI), else a more modest mode.
CNMI_CHOICES = ("2,1,0,1,0", "2,1,0,2,0", "1,1,0,2,0", "1,1,0,1,0", "2,1,0,0,0", "1,1,0,0,0")
# Codes that mean "not yet ready" right after a PIN or a boot: worth a short wait during init.
_NOT_READY = {("cms", 515), ("cms", 302), ("cms", 314), ("cms", 512), ("cme", 14), ("cme", 3), ("cme", 515)}


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ModemInfo:
    manufacturer: str | None
    model: str | None
    revision: str | None
    imei: str | None
    imsi: str | None
    iccid: str | None
    own_number: str | None


@dataclass(frozen=True)
class Signal:
    rssi: int  # as +CSQ gave it; 99 unknown
    dbm: int | None
    bars: int  # 0-5
    ber: int | None


@dataclass(frozen=True)
class SendResult:
    """One message handed to the network: `parts` are the TP-MRs, in part order."""

    id: int  # this Modem's number for the send; DeliveryReport.send_id refers to it
    number: str
    text: str
    parts: tuple[int, ...]
    sent_at: datetime


@dataclass(frozen=True)
class DeliveryReport:
    """A status report, matched to the part it is about when this Modem sent it."""

    tp_mr: int
    recipient: str
    status: int  # raw TP-ST
    status_class: StatusClass
    timestamp: datetime  # discharge time: when delivered, or when the SC gave up
    send_id: int | None = None  # SendResult.id, None when no send of this Modem matches
    part: int | None = None  # 1-based part number within that send
    total_parts: int | None = None

    @property
    def delivered(self) -> bool:
        return self.status_class is StatusClass.DELIVERED

    @property
    def final(self) -> bool:
        """False while the SC is still trying (a later report will follow)."""
        return self.status_class is not StatusClass.TEMPORARY


@dataclass(frozen=True)
class InboundSms:
    sender: str
    text: str
    timestamp: datetime  # the SC time stamp of the first part
    complete: bool = True  # False: parts were missing when the reassembly timeout ran out
    parts_total: int = 1
    parts_received: int = 1
    smsc: str | None = None
    missing_parts: tuple[int, ...] = ()  # part numbers that never came (text is the others, joined)


@dataclass(frozen=True)
class StoredMessage:
    memory: str
    index: int
    stat: int | None
    pdu: str
    message: Message | None  # None when the PDU cannot be decoded (see `error`)
    error: str | None = None


class SimNotReady(ModemError):
    """The SIM needs a PIN or PUK (or is missing or broken): a person must act."""

    retry_class = RetryClass.NEEDS_ATTENTION

    def __init__(self, state: p.PinStatus, message_zh: str, message_en: str) -> None:
        self.state = state
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"SIM not ready ({state.value}): {message_en}")


def _sim_not_ready(state: p.PinStatus, *, pin_rejected: bool = False) -> SimNotReady:
    if pin_rejected:
        return SimNotReady(
            state,
            "SIM 卡拒绝了已保存的 PIN 码,请手动输入正确的 PIN 码(不会再自动尝试)",
            "the SIM refused the saved PIN; enter the right one (it will not be tried again)",
        )
    if state.needs_puk:
        return SimNotReady(state, "SIM 卡已锁定,需要输入 PUK 码", "the SIM is locked and needs its PUK")
    if state.needs_pin:
        return SimNotReady(state, "SIM 卡需要输入 PIN 码", "the SIM needs its PIN")
    return SimNotReady(state, f"SIM 卡未就绪({state.value})", f"the SIM is not ready ({state.value})")


# ---------------------------------------------------------------------------------------------
# Multipart reassembly (pure; the Modem drives its clock)


@dataclass
class _Partial:
    parts: dict[int, Deliver] = field(default_factory=dict)
    refs: list[tuple[str, int]] = field(default_factory=list)  # storage slots of every part seen
    first_seen: float = 0.0


class Reassembler:
    """Collects the parts of multipart messages, in any order, and says when one is whole.

    `add()` returns the finished message (and the storage slots of all its parts) or None;
    `expired(now)` returns the messages whose first part is older than `timeout`, marked
    incomplete, with the missing parts' text left out.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._pending: dict[tuple[str, int, int, bool], _Partial] = {}

    def __len__(self) -> int:
        return len(self._pending)

    def add(self, part: Deliver, ref: tuple[str, int] | None, now: float) -> tuple[InboundSms, list] | None:
        refs = [ref] if ref is not None else []
        concat = part.concat
        if concat is None or concat.total <= 1:
            return _inbound([part], complete=True, total=1), refs
        key = (part.sender.number, concat.ref, concat.total, concat.ref_16bit)
        partial = self._pending.setdefault(key, _Partial(first_seen=now))
        partial.refs.extend(refs)
        partial.parts.setdefault(concat.seq, part)  # a duplicate part (resent by the SC) is ignored
        if len(partial.parts) < concat.total:
            return None
        del self._pending[key]
        return _inbound(list(partial.parts.values()), complete=True, total=concat.total), partial.refs

    def next_expiry(self) -> float | None:
        if not self._pending:
            return None
        return min(p.first_seen for p in self._pending.values()) + self.timeout

    def expired(self, now: float) -> list[tuple[InboundSms, list]]:
        out = []
        for key, partial in list(self._pending.items()):
            if now - partial.first_seen >= self.timeout:
                del self._pending[key]
                out.append((_inbound(list(partial.parts.values()), complete=False, total=key[2]), partial.refs))
        return out


def _inbound(parts: list[Deliver], *, complete: bool, total: int) -> InboundSms:
    ordered = sorted(parts, key=lambda d: d.concat.seq if d.concat else 0)
    first = ordered[0]
    if complete:
        text = reassemble_text(ordered)
    else:
        text = "".join(d.text or "" for d in ordered)
        text = text.encode("utf-16-be", "surrogatepass").decode("utf-16-be", "replace")
    seen = {d.concat.seq for d in ordered if d.concat}
    missing = tuple(seq for seq in range(1, total + 1) if seq not in seen) if total > 1 else ()
    return InboundSms(
        first.sender.number,
        text,
        first.timestamp,
        complete,
        total,
        len(ordered),
        first.smsc.number if first.smsc else None,
        missing,
    )


# ---------------------------------------------------------------------------------------------
# The modem


def _register_sim(url: str) -> None:
    """sim:// URLs need the simulator's pyserial handler; import it only when asked for."""
    if url.lower().startswith("sim://"):
        import modem.sim  # noqa: F401


def _digits_key(number: str) -> str:
    # Status reports may carry the recipient in another format (+86… vs 0086… vs national):
    # the last 11 digits are what stays the same.
    return "".join(ch for ch in number if ch.isdigit())[-11:]


@dataclass
class ModemOptions:
    command_timeout: float = 5.0
    send_timeout: float = 60.0  # one +CMGS part: a busy network can take half a minute
    ussd_timeout: float = 20.0
    multipart_timeout: float = 300.0  # an incomplete inbound message is delivered after this
    ready_timeout: float = 10.0  # how long init waits for a SIM that has just been unlocked
    delete_after_read: bool = True  # inbound messages and stored reports leave the SIM once delivered
    preferred_storage: tuple[str, ...] = ("SM", "ME")
    baudrate: int = 115200


class Modem:
    """One GSM modem on one serial port. Thread-safe: commands are serialised by the channel."""

    def __init__(
        self, channel: ATChannel, *, url: str | None = None, pin: str | None = None, options: ModemOptions | None = None
    ) -> None:
        self.options = options or ModemOptions()
        self.url = url or channel.name
        self._pin = pin
        self._pin_tried = False  # the one automatic attempt with the configured PIN is spent
        self._pin_verified = False  # ... but the SIM accepted it, so a reboot may use it again
        self._channel = channel
        self._unsubscribe = channel.subscribe(self._on_urc)
        self._needs_init = True
        self._recovering = False  # a command timed out: its late answer may still be on the way
        self._late_final = threading.Event()  # a final result code arrived with no command in flight
        self._init_lock = threading.RLock()
        self._storage_lock = threading.RLock()  # held while +CPMS points mem1 elsewhere
        self.storage: str = "SM"
        self.cnmi: str | None = None
        self._events: queue.Queue[Unsolicited | None] = queue.Queue()
        self._ussd: queue.Queue[p.Ussd] = queue.Queue()
        self._message_callbacks: list[Callable[[InboundSms], None]] = []
        self._report_callbacks: list[Callable[[DeliveryReport], None]] = []
        self._callbacks_lock = threading.Lock()
        self._reassembler = Reassembler(self.options.multipart_timeout)
        self._sent: OrderedDict[tuple[str, int], tuple[int, int, int]] = OrderedDict()
        self._send_ids = itertools.count(1)
        self._closed = threading.Event()
        self._worker = threading.Thread(target=self._event_loop, name=f"modem-events-{self.url}", daemon=True)
        self._worker.start()

    @classmethod
    def open(
        cls, url: str, *, pin: str | None = None, initialise: bool = True, options: ModemOptions | None = None
    ) -> Modem:
        """Open the port at `url` (COM5, /dev/ttyUSB2, sim://…) and initialise the modem."""
        options = options or ModemOptions()
        _register_sim(url)
        channel = ATChannel.open(url, baudrate=options.baudrate, default_timeout=options.command_timeout)
        modem = cls(channel, url=url, pin=pin, options=options)
        if initialise:
            try:
                modem.initialise()
            except BaseException:
                modem.close()
                raise
        return modem

    # -- life cycle -----------------------------------------------------------------------------

    def initialise(self) -> None:
        """ATE0, CMEE=1, SIM/PIN, CMGF=0, storage (CPMS), indications (CNMI)."""
        with self._init_lock:
            self._recover()
            self._sync()
            self._at("ATE0")
            self._at("AT+CMEE=1", check=False)  # not every modem has it; plain ERROR is worse but workable
            self._unlock_sim()
            self._until_ready(lambda: self._at("AT+CMGF=0"))
            self._until_ready(self._choose_storage)
            self._until_ready(self._choose_cnmi)
            self._needs_init = False

    def reopen(self) -> None:
        """Open the port again after PortGone (the cable is back) and initialise the modem."""
        self._unsubscribe()
        self._channel.close()
        _register_sim(self.url)
        self._channel = ATChannel.open(
            self.url, baudrate=self.options.baudrate, default_timeout=self.options.command_timeout
        )
        self._unsubscribe = self._channel.subscribe(self._on_urc)
        self._needs_init = True
        self.initialise()

    def close(self) -> None:
        """Stop the event thread and release the port. Safe to call twice, from any thread but the
        event thread's callbacks."""
        first = not self._closed.is_set()
        self._closed.set()
        self._events.put(None)
        self._unsubscribe()
        # The channel first: a command the event thread has in flight then ends at once.
        self._channel.close()
        if first and threading.current_thread() is not self._worker:
            self._worker.join(timeout=5.0)

    def __enter__(self) -> Modem:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def channel(self) -> ATChannel:
        return self._channel

    # -- commands -------------------------------------------------------------------------------

    def _suspect(self) -> None:
        """A command timed out: its answer may still come, and the modem may need initialising."""
        self._late_final.clear()
        self._recovering = True
        self._needs_init = True

    def _recover(self) -> None:
        """Before the next command after a timeout: wait (bounded) for the late final code, which
        the channel hands over as an unsolicited line, so it cannot pass for the next command's."""
        if self._recovering:
            self._late_final.wait(self.options.command_timeout)
            self._recovering = False

    def _at(self, command: str, timeout: float | None = None, *, check: bool = True) -> p.Lines:
        self._recover()
        try:
            reply = self._channel.command(command, timeout or self.options.command_timeout, check=check)
        except CommandTimeout:
            self._suspect()
            raise
        except CommandError as exc:
            if (exc.kind, exc.code) in {("cms", 311), ("cms", 316), ("cme", 11), ("cme", 12)}:
                self._needs_init = True  # the SIM wants its PIN again: the modem rebooted behind our back
            raise
        return reply.lines

    def _ensure_ready(self) -> None:
        if self._needs_init:
            self.initialise()

    def _sync(self) -> None:
        """Get the modem's attention: after a reboot or line noise the first AT may be lost."""
        last: ModemError | None = None
        timed_out = False
        # A program that died after AT+CMGS left the modem waiting for a message body, which would swallow
        # every AT that follows; ESC makes it drop that body, unsent.
        self._channel.cancel_input()
        for _ in range(3):
            self._late_final.clear()
            try:
                self._channel.command("AT", min(1.0, self.options.command_timeout))
            except CommandTimeout as exc:
                last, timed_out = exc, True
                continue
            except CommandError as exc:  # ERROR to a bare AT: a half-typed line was flushed
                last = exc
                continue
            if timed_out:
                # The OK we got may have been the late one of an earlier AT; then this AT's own OK
                # is still coming. Let it arrive (as an unsolicited line) before going on.
                self._late_final.wait(min(0.5, self.options.command_timeout))
            return
        if timed_out:
            self._suspect()
        assert last is not None
        raise last

    def _until_ready(self, step: Callable[[], object]) -> None:
        """Run an init step, waiting while the modem says 'not ready yet' (CMS 515 and friends)."""
        deadline = time.monotonic() + self.options.ready_timeout
        while True:
            try:
                step()
                return
            except CommandError as exc:
                if (exc.kind, exc.code) not in _NOT_READY or time.monotonic() >= deadline:
                    raise
            time.sleep(0.2)

    def _unlock_sim(self) -> None:
        state = self.sim_state()
        if state.ready:
            return
        if state is p.PinStatus.SIM_PIN and self._pin:
            if self._pin_tried and not self._pin_verified:
                raise _sim_not_ready(state, pin_rejected=True)
            # Marked before the attempt: a timeout must not earn a second one.
            self._pin_tried = True
            self._pin_verified = False
            try:
                self._at(f'AT+CPIN="{self._pin}"', timeout=max(self.options.command_timeout, 10.0))
            except CommandError:
                self._pin = None
                raise _sim_not_ready(self.sim_state(), pin_rejected=True) from None
            # A PIN the SIM accepted may be used again after a reboot; one it refused, never.
            self._pin_verified = True
            self._wait_sim_ready()
            return
        raise _sim_not_ready(state)

    def _wait_sim_ready(self) -> None:
        deadline = time.monotonic() + self.options.ready_timeout
        while True:
            try:
                if self.sim_state().ready:
                    return
            except CommandError as exc:
                if (exc.kind, exc.code) not in _NOT_READY:
                    raise
            if time.monotonic() >= deadline:
                raise _sim_not_ready(self.sim_state())
            time.sleep(0.2)

    def _choose_storage(self) -> None:
        last: CommandError | None = None
        for memory in self.options.preferred_storage:
            try:
                self._at(f'AT+CPMS="{memory}","{memory}","{memory}"')
            except CommandError as exc:
                last = exc
                continue
            self.storage = memory
            return
        assert last is not None
        raise last

    def _choose_cnmi(self) -> None:
        last: CommandError | None = None
        for choice in CNMI_CHOICES:
            try:
                self._at(f"AT+CNMI={choice}")
            except CommandError as exc:
                last = exc
                continue
            self.cnmi = choice
            return
        assert last is not None
        raise last

    # -- SIM ------------------------------------------------------------------------------------

    def sim_state(self) -> p.PinStatus:
        try:
            return p.parse_cpin(self._at("AT+CPIN?"))
        except CommandError as exc:
            if exc.kind == "cme" and exc.code == 10:
                return p.PinStatus.NOT_INSERTED
            if exc.kind == "cme" and exc.code == 13:
                return p.PinStatus.SIM_PUK  # a blocked SIM: only its PUK (or a new SIM) helps
            raise

    def enter_pin(self, pin: str) -> None:
        """Unlock the SIM with a PIN the user typed, then finish initialising."""
        self._at(f'AT+CPIN="{pin}"', timeout=max(self.options.command_timeout, 10.0))
        self._pin, self._pin_verified = pin, True
        self._wait_sim_ready()
        self._needs_init = True
        self.initialise()

    def enter_puk(self, puk: str, new_pin: str) -> None:
        self._at(f'AT+CPIN="{puk}","{new_pin}"', timeout=max(self.options.command_timeout, 10.0))
        self._pin, self._pin_verified = new_pin, True
        self._wait_sim_ready()
        self._needs_init = True
        self.initialise()

    # -- information ----------------------------------------------------------------------------

    def _optional(self, command: str, parse: Callable[[p.Lines], str]) -> str | None:
        try:
            return parse(self._at(command))
        except (CommandError, ReplyParseError):
            return None

    def identify(self) -> ModemInfo:
        self._ensure_ready()
        iccid = None
        for command in ("AT+CCID", "AT+ICCID", "AT^ICCID?", "AT+QCCID"):
            iccid = self._optional(command, p.parse_iccid)
            if iccid:
                break
        own = None
        with contextlib.suppress(CommandError, ReplyParseError):
            numbers = p.parse_cnum(self._at("AT+CNUM"))
            own = numbers[0].number if numbers else None
        return ModemInfo(
            manufacturer=self._optional("AT+CGMI", p.parse_identity),
            model=self._optional("AT+CGMM", p.parse_identity),
            revision=self._optional("AT+CGMR", p.parse_identity),
            imei=self._optional("AT+CGSN", p.parse_imei),
            imsi=self._optional("AT+CIMI", p.parse_imsi),
            iccid=iccid,
            own_number=own,
        )

    def signal(self) -> Signal:
        q = p.parse_csq(self._at("AT+CSQ"))
        return Signal(q.rssi, q.dbm, q.bars, q.ber)

    def registration(self) -> p.Registration:
        """+CREG (circuit switched, what SMS over GSM needs); +CGREG when CREG says nothing useful
        (LTE-only modems register for SMS over the packet domain)."""
        reg = p.parse_creg(self._at("AT+CREG?"))
        if not reg.registered:
            with contextlib.suppress(CommandError, ReplyParseError):
                packet = p.parse_creg(self._at("AT+CGREG?"), "+CGREG")
                if packet.registered:
                    return packet
        return reg

    def operator(self) -> p.Operator:
        return p.parse_cops(self._at("AT+COPS?"))

    def smsc(self) -> p.ServiceCentre:
        self._ensure_ready()
        return p.parse_csca(self._at("AT+CSCA?"))

    def set_smsc(self, number: str) -> None:
        self._ensure_ready()
        kind = 145 if number.startswith("+") else 129
        self._at(f'AT+CSCA="{number}",{kind}')

    # -- sending --------------------------------------------------------------------------------

    def send_sms(
        self,
        number: str,
        text: str,
        *,
        status_report: bool = True,
        validity: timedelta | None = None,
        flash: bool = False,
    ) -> SendResult:
        """Send `text` to `number`, one +CMGS per part. Returns the TP-MR of every part.

        Every error raised once the first part is under way has `sent_parts` (the TP-MRs of the
        parts that left, possibly none), so the caller knows a message is half sent; an error
        without it came before any part was tried. A CommandTimeout means
        the outcome of the part in flight is unknown (the modem may have sent it and lost its
        answer): resending risks a duplicate, so that is the caller's decision, not this method's.
        After a timeout the modem is initialised again before the next operation, which also
        flushes any late answer to the lost command.
        """
        self._ensure_ready()
        pdus = encode_submit(number, text, request_status_report=status_report, validity=validity, flash=flash)
        send_id = next(self._send_ids)
        mrs: list[int] = []
        for pdu in pdus:
            try:
                self._recover()
                reply = self._channel.send_with_prompt(
                    f"AT+CMGS={pdu.tpdu_length}",
                    pdu.hex,
                    self.options.send_timeout,
                    prompt_timeout=self.options.command_timeout,
                )
                mr = p.parse_cmgs(reply.lines)
            except ModemError as exc:
                if isinstance(exc, CommandTimeout):
                    self._suspect()
                elif isinstance(exc, CommandError) and (exc.kind, exc.code) in {("cms", 311), ("cms", 316)}:
                    self._needs_init = True
                exc.sent_parts = tuple(mrs)  # type: ignore[attr-defined]
                raise
            mrs.append(mr)
            if status_report:
                self._remember(number, mr, (send_id, pdu.seq, pdu.total))
        return SendResult(send_id, number, text, tuple(mrs), datetime.now(UTC))

    def _remember(self, number: str, mr: int, where: tuple[int, int, int]) -> None:
        with self._callbacks_lock:
            key = (_digits_key(number), mr)
            self._sent.pop(key, None)
            self._sent[key] = where
            while len(self._sent) > 4096:  # TP-MR wraps at 256 per recipient; old sends are done
                self._sent.popitem(last=False)

    def _match(self, report: StatusReport) -> DeliveryReport:
        with self._callbacks_lock:
            where = self._sent.get((_digits_key(report.recipient.number), report.tp_mr))
            if where is not None and report.is_final:
                del self._sent[(_digits_key(report.recipient.number), report.tp_mr)]
        send_id, part, total = where if where is not None else (None, None, None)
        return DeliveryReport(
            report.tp_mr,
            report.recipient.number,
            report.status,
            report.status_class,
            report.discharge_time,
            send_id,
            part,
            total,
        )

    # -- storage --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _reading(self, memory: str | None) -> Iterator[None]:
        """Point +CPMS mem1 (read/list/delete) at `memory` for the duration, then back."""
        memory = (memory or self.storage).upper()
        with self._storage_lock:
            if memory == self.storage:
                yield
                return
            self._at(f'AT+CPMS="{memory}"')
            try:
                yield
            finally:
                with contextlib.suppress(ModemError):
                    self._at(f'AT+CPMS="{self.storage}"')

    def list_messages(
        self,
        storage: str | None = None,
        stat: p.MessageStat = p.MessageStat.ALL,
    ) -> list[StoredMessage]:
        """Every message in `storage` (default: the one init chose) with the given stat."""
        self._ensure_ready()
        memory = (storage or self.storage).upper()
        with self._reading(memory):
            listed = p.parse_cmgl(self._at(f"AT+CMGL={int(stat)}", timeout=max(self.options.command_timeout, 30.0)))
        return [self._stored(memory, m) for m in listed if isinstance(m, p.PduMessage)]

    def read(self, index: int, storage: str | None = None) -> StoredMessage | None:
        """The message at `index`, or None for an empty slot."""
        self._ensure_ready()
        memory = (storage or self.storage).upper()
        with self._reading(memory):
            lines = self._at(f"AT+CMGR={index}")
        if not any(line.strip() for line in lines):
            return None
        message = p.parse_cmgr(lines, index)
        if not isinstance(message, p.PduMessage):
            raise ReplyParseError("+CMGR in PDU mode", lines)
        return self._stored(memory, message)

    def delete(self, index: int, storage: str | None = None) -> None:
        self._ensure_ready()
        with self._reading(storage):
            self._at(f"AT+CMGD={index}")

    def delete_all(self, storage: str | None = None) -> None:
        self._ensure_ready()
        with self._reading(storage):
            self._at("AT+CMGD=1,4", timeout=max(self.options.command_timeout, 30.0))

    @staticmethod
    def _stored(memory: str, m: p.PduMessage) -> StoredMessage:
        try:
            return StoredMessage(memory, m.index or 0, m.stat, m.pdu, decode_pdu(m.pdu))
        except PduError as exc:
            return StoredMessage(memory, m.index or 0, m.stat, m.pdu, None, str(exc))

    def collect_stored(self, storage: str | None = None) -> int:
        """Hand every message already stored (received while nobody listened, or before a crash)
        to the `on_message` / `on_status_report` callbacks, as if it had just arrived. Call it
        once after registering the callbacks. Returns how many stored PDUs were taken in."""
        memory = (storage or self.storage).upper()
        taken = 0
        for stored in self.list_messages(memory):
            if stored.stat not in (p.MessageStat.REC_UNREAD, p.MessageStat.REC_READ):
                continue  # outbox entries (STO SENT/UNSENT) are not ours to deliver
            self._incoming(stored.message, (memory, stored.index), stored.error)
            taken += 1
        return taken

    # -- USSD -----------------------------------------------------------------------------------

    def ussd(self, code: str, timeout: float | None = None) -> str:
        """Send a USSD code (e.g. '*100#' for the balance) and return the network's answer as text."""
        self._ensure_ready()
        while not self._ussd.empty():  # a stale answer of an earlier, timed-out request
            self._ussd.get_nowait()
        timeout = timeout or self.options.ussd_timeout
        deadline = time.monotonic() + timeout
        self._at(f'AT+CUSD=1,"{code}",15', timeout=timeout)
        try:
            answer = self._ussd.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise CommandTimeout(f'AT+CUSD=1,"{code}",15', timeout, [], waiting_for="+CUSD answer") from None
        if answer.status == 4:
            raise CommandError(f'AT+CUSD=1,"{code}",15', "+CUSD: 4", kind="plain")
        if answer.needs_reply:
            with contextlib.suppress(ModemError):
                self._at("AT+CUSD=2")  # end the session: we only ask, never answer menus
        return p.decode_ussd(answer) or ""

    # -- events ---------------------------------------------------------------------------------

    def on_message(self, callback: Callable[[InboundSms], None]) -> Callable[[], None]:
        """Call `callback(InboundSms)` for every received message (on the event thread)."""
        return self._add(self._message_callbacks, callback)

    def on_status_report(self, callback: Callable[[DeliveryReport], None]) -> Callable[[], None]:
        return self._add(self._report_callbacks, callback)

    def _add(self, callbacks: list, callback: Callable) -> Callable[[], None]:
        with self._callbacks_lock:
            callbacks.append(callback)

        def remove() -> None:
            with self._callbacks_lock:
                if callback in callbacks:
                    callbacks.remove(callback)

        return remove

    def _on_urc(self, urc: Unsolicited) -> None:
        """On the channel's reader thread: note reboots, route USSD, queue the rest."""
        if urc.kind is UrcKind.UNKNOWN and is_final(urc.line):
            self._late_final.set()
        elif urc.kind is UrcKind.READY and urc.name.upper() in ("RDY", "^SYSSTART"):
            log.info("%s: the modem restarted (%s); it will be initialised again", self.url, urc.line)
            self._needs_init = True
        elif urc.kind is UrcKind.SIM_STATE and urc.name == "+CPIN" and "READY" not in urc.line.upper():
            self._needs_init = True
        elif urc.kind is UrcKind.USSD:
            with contextlib.suppress(ReplyParseError):
                self._ussd.put(p.parse_cusd(urc.line))
        elif urc.kind in (UrcKind.NEW_SMS_INDEX, UrcKind.NEW_SMS, UrcKind.STATUS_REPORT, UrcKind.STATUS_REPORT_INDEX):
            self._events.put(urc)

    def _event_loop(self) -> None:
        while not self._closed.is_set():
            expiry = self._reassembler.next_expiry()
            wait = 0.5 if expiry is None else max(0.0, min(0.5, expiry - time.monotonic()))
            try:
                urc = self._events.get(timeout=wait)
            except queue.Empty:
                urc = None
            if self._closed.is_set():
                return
            what = urc.line if urc is not None else "expired multipart messages"
            try:
                if urc is not None:
                    self._handle(urc)
                for message, refs in self._reassembler.expired(time.monotonic()):
                    log.info(
                        "%s: multipart message from %s incomplete after %g s (%d of %d parts)",
                        self.url,
                        message.sender,
                        self.options.multipart_timeout,
                        message.parts_received,
                        message.parts_total,
                    )
                    self._deliver_message(message, refs)
            except (PortGone, CommandTimeout, ChannelClosed) as exc:
                # Expected when the cable is pulled or close() runs: the messages stay on the SIM.
                log.info("%s: could not handle %s: %s", self.url, what, exc)
            except (ModemError, PduError) as exc:
                log.warning("%s: could not handle %r: %s", self.url, what, exc)
            except Exception:
                # A bug must not end the event thread: later messages would never be fetched.
                log.exception("%s: unexpected error handling %r", self.url, what)

    def _handle(self, urc: Unsolicited) -> None:
        if urc.kind is UrcKind.NEW_SMS_INDEX:
            ref = p.parse_cmti(urc.line)
            stored = self.read(ref.index, ref.memory)
            if stored is None:
                return  # already gone (read by someone else)
            self._incoming(stored.message, (ref.memory, ref.index), stored.error)
        elif urc.kind is UrcKind.NEW_SMS:
            incoming = p.parse_cmt(urc.line, urc.body)
            if isinstance(incoming, p.IncomingPdu):
                self._incoming(decode_pdu(incoming.pdu), None, None)
        elif urc.kind is UrcKind.STATUS_REPORT:
            cds = p.parse_cds(urc.line, urc.body)
            if isinstance(cds, p.IncomingPdu):
                message = decode_pdu(cds.pdu)
                if isinstance(message, StatusReport):
                    self._report(message)
        elif urc.kind is UrcKind.STATUS_REPORT_INDEX:
            ref = p.parse_cdsi(urc.line)
            stored = self.read(ref.index, ref.memory)
            if stored is None:
                return
            if (
                isinstance(stored.message, StatusReport)
                and self._report(stored.message)
                and self.options.delete_after_read
            ):
                self.delete(ref.index, ref.memory)

    def _incoming(self, message: Message | None, ref: tuple[str, int] | None, error: str | None) -> None:
        if not isinstance(message, Deliver):
            if isinstance(message, StatusReport):  # some modems store reports among the messages
                if self._report(message) and ref is not None and self.options.delete_after_read:
                    self.delete(ref[1], ref[0])
                return
            log.warning("%s: stored message %s is not an SMS-DELIVER (%s); left on the SIM", self.url, ref, error)
            return
        done = self._reassembler.add(message, ref, time.monotonic())
        if done is not None:
            self._deliver_message(*done)

    def _deliver_message(self, message: InboundSms, refs: list[tuple[str, int]]) -> None:
        with self._callbacks_lock:
            callbacks = list(self._message_callbacks)
        if not callbacks:
            return  # nobody listens: leave it on the SIM, where list_messages() finds it
        for callback in callbacks:
            try:
                callback(message)
            except Exception:
                # Keep the parts on the SIM: the message is not lost, a later scan finds it.
                log.exception("%s: on_message callback failed; message left on the SIM", self.url)
                return
        if self.options.delete_after_read:
            for memory, index in refs:
                try:
                    self.delete(index, memory)
                except CommandError as exc:
                    log.info("%s: could not delete %s %d after delivery: %s", self.url, memory, index, exc)

    def _report(self, report: StatusReport) -> bool:
        """Hand a status report to the callbacks; True when they all took it."""
        event = self._match(report)
        with self._callbacks_lock:
            callbacks = list(self._report_callbacks)
        for callback in callbacks:
            try:
                callback(event)
            except Exception:
                log.exception("%s: on_status_report callback failed", self.url)
                return False
        return True
