"""Which lines are unsolicited result codes (URCs), and which are part of a command's reply. Pure.

A modem mixes URCs into anything: between the lines of a reply, before OK, after the echo. The
classifier decides per line, knowing only the command in flight (if any) and whether its reply
line was already seen. Some URCs have the same prefix as a reply (+CREG, +CPIN, +CFUN): they
are the reply while the matching query is in flight and its reply line has not come yet, and
URCs otherwise. +CREG/+CGREG/+CEREG are subtler: the reply to AT+CREG? starts with <n>, the URC
does not, so the number and shape of the fields decide (`registration_line_is_reply`).
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass


class UrcKind(enum.StrEnum):
    NEW_SMS_INDEX = "new_sms_index"  # +CMTI: "SM",3
    NEW_SMS = "new_sms"  # +CMT: header, then the PDU (or text) line
    STATUS_REPORT = "status_report"  # +CDS: PDU mode two lines, text mode one
    STATUS_REPORT_INDEX = "status_report_index"  # +CDSI: "SR",1
    CELL_BROADCAST = "cell_broadcast"  # +CBM: two lines
    USSD = "ussd"  # +CUSD
    RING = "ring"  # RING, +CRING
    CALLER_ID = "caller_id"  # +CLIP
    CALL_ENDED = "call_ended"  # NO CARRIER / BUSY / NO ANSWER with no command in flight, ^CEND
    REGISTRATION = "registration"  # +CREG, +CGREG, +CEREG, +C5GREG
    SIGNAL = "signal"  # ^RSSI, ^HCSQ, +CSQN
    NETWORK_MODE = "network_mode"  # ^MODE, ^SRVST, +ZPAS
    SIM_STATE = "sim_state"  # +CPIN: READY, ^SIMST, +ZSTAT..., +QUSIM
    READY = "ready"  # Call Ready, SMS Ready, RDY, ^BOOT, ^SYSSTART, +CFUN: 1
    DATA_FLOW = "data_flow"  # ^DSFLOWRPT
    INDICATOR = "indicator"  # +CIEV
    TIME_ZONE = "time_zone"  # +CTZV, *PSUTTZ, ^NWTIME
    VENDOR = "vendor"  # other known vendor reports
    UNKNOWN = "unknown"  # a line outside any command that no rule knows
    PORT_GONE = "port_gone"  # not from the modem: the channel lost its port


@dataclass(frozen=True)
class Unsolicited:
    """One unsolicited result code, as handed to subscribers.

    `name` is the prefix without the colon ('+CMTI', '^RSSI', 'RING', 'SMS Ready'), `line` the
    whole line, `args` the text after the colon, and `body` the second line of +CMT/+CDS/+CBM
    (the PDU in PDU mode, the text in text mode).
    """

    kind: UrcKind
    name: str
    line: str
    body: str | None = None

    @property
    def args(self) -> str:
        _head, sep, rest = self.line.partition(":")
        return rest.strip() if sep else ""


# Prefixes that are always unsolicited, whatever is in flight.
_ALWAYS: dict[str, UrcKind] = {
    "+CMTI": UrcKind.NEW_SMS_INDEX,
    "+CMT": UrcKind.NEW_SMS,
    "+CDS": UrcKind.STATUS_REPORT,
    "+CDSI": UrcKind.STATUS_REPORT_INDEX,
    "+CBM": UrcKind.CELL_BROADCAST,
    "+CBMI": UrcKind.CELL_BROADCAST,
    # AT+CUSD=1,... answers OK and the network's answer follows as +CUSD; some modems send it
    # before OK. Either way it goes to subscribers, never into the reply.
    "+CUSD": UrcKind.USSD,
    "RING": UrcKind.RING,
    "+CRING": UrcKind.RING,
    "+CLIP": UrcKind.CALLER_ID,
    "+CIEV": UrcKind.INDICATOR,
    "+CTZV": UrcKind.TIME_ZONE,
    "+CTZE": UrcKind.TIME_ZONE,
    "+CTZEU": UrcKind.TIME_ZONE,
    "*PSUTTZ": UrcKind.TIME_ZONE,
    "DST": UrcKind.TIME_ZONE,
    "+NITZ": UrcKind.TIME_ZONE,
    # Huawei
    "^RSSI": UrcKind.SIGNAL,
    "^HCSQ": UrcKind.SIGNAL,
    "^CERSSI": UrcKind.SIGNAL,
    "^BOOT": UrcKind.READY,
    "^SYSSTART": UrcKind.READY,
    "^MODE": UrcKind.NETWORK_MODE,
    "^SRVST": UrcKind.NETWORK_MODE,
    "^SIMST": UrcKind.SIM_STATE,
    "^DSFLOWRPT": UrcKind.DATA_FLOW,
    "^NWTIME": UrcKind.TIME_ZONE,
    "^CEND": UrcKind.CALL_ENDED,
    "^ORIG": UrcKind.VENDOR,
    "^CONF": UrcKind.VENDOR,
    "^CONN": UrcKind.VENDOR,
    "^STIN": UrcKind.VENDOR,
    "^SMMEMFULL": UrcKind.VENDOR,
    "^EARST": UrcKind.VENDOR,
    "^RFSWITCH": UrcKind.VENDOR,
    "^NDISSTAT": UrcKind.VENDOR,
    "^ECCLIST": UrcKind.VENDOR,
    "^POSITION": UrcKind.VENDOR,
    "^ACTIVEBAND": UrcKind.VENDOR,
    # ZTE
    "+ZSTAT": UrcKind.SIM_STATE,
    "+ZUSIMR": UrcKind.SIM_STATE,
    "+ZPASR": UrcKind.NETWORK_MODE,
    "+ZDONR": UrcKind.NETWORK_MODE,
    "+ZEND": UrcKind.VENDOR,
    "+ZCCNT": UrcKind.VENDOR,
    # SIMCom / Quectel
    "Call Ready": UrcKind.READY,
    "SMS Ready": UrcKind.READY,
    "RDY": UrcKind.READY,
    "PB DONE": UrcKind.READY,
    "+QIND": UrcKind.VENDOR,
    "+QUSIM": UrcKind.SIM_STATE,
    "+CSQN": UrcKind.SIGNAL,
    "+CPMS READY": UrcKind.READY,
    "+STIN": UrcKind.VENDOR,
}

_BARE_WORDS: dict[str, tuple[str, UrcKind]] = {w.upper(): (w, k) for w, k in _ALWAYS.items() if w[0].isalpha()}

# Prefixes that are a reply when the matching command is in flight, and URCs otherwise.
_CONTEXTUAL: dict[str, UrcKind] = {
    "+CREG": UrcKind.REGISTRATION,
    "+CGREG": UrcKind.REGISTRATION,
    "+CEREG": UrcKind.REGISTRATION,
    "+C5GREG": UrcKind.REGISTRATION,
    "+CPIN": UrcKind.SIM_STATE,
    "+CFUN": UrcKind.READY,
    "+CSQ": UrcKind.SIGNAL,
    "+COPS": UrcKind.VENDOR,
}

# Lines that end a command, and are URCs ("the call ended") when nothing is in flight.
_CALL_FINALS = frozenset({"NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE"})

# Bodies follow these headers on the next line.
_TWO_LINE = frozenset({"+CMT", "+CBM"})

_PREFIX = re.compile(r"^([+^*$#%][A-Za-z0-9_]+)\s*:?")


def prefix_of(line: str) -> str:
    """'+CMTI' for '+CMTI: "SM",1'; the whole line for bare words like RING."""
    m = _PREFIX.match(line)
    if m:
        return m.group(1).upper()
    return line.strip()


def reply_prefix(command: str) -> str | None:
    """The prefix a command's information reply starts with: AT+CREG? → '+CREG'."""
    m = re.match(r"^AT\s*([+^*$#%][A-Za-z0-9_]+)", command.strip(), re.IGNORECASE)
    return m.group(1).upper() if m else None


@functools.lru_cache(maxsize=256)
def own_reply_prefix(command: str) -> str | None:
    """The prefix of `command`'s information lines when no URC can have it: '+CMGS' for AT+CMGS=23,
    None for AT+CREG? (+CREG lines may be URCs) or ATI. For a line that starts with it (followed by
    a colon, a space or nothing), `classify_line(line, command, ...)` says "reply line" whatever the
    rest, so the channel can skip classifying the lines of the reply it waits for."""
    prefix = reply_prefix(command)
    if prefix is None or prefix in _ALWAYS or prefix in _CONTEXTUAL:
        return None
    return prefix


def _fields(args: str) -> list[str]:
    return [f.strip() for f in args.split(",")] if args.strip() else []


def registration_line_is_reply(line: str) -> bool:
    """Is this +CREG/+CGREG/+CEREG line the reply to a query (n,stat,...) rather than a URC (stat,...)?

    One field is a URC (stat), two a reply (n,stat). With more, the second field decides: in the
    reply it is <stat>, an unquoted one or two digit number; in the URC it is <lac>, a (usually
    quoted) hexadecimal code. That also holds for the broken replies real modems send
    (`+CREG: 2,1,"5E25` with its closing quote and <ci> missing).
    """
    fields = _fields(line.partition(":")[2])
    if len(fields) <= 1:
        return False
    if len(fields) == 2:
        return True
    first, second = fields[0], fields[1]
    return first in {"0", "1", "2", "3", "4", "5"} and second.isdigit() and len(second) <= 2


@dataclass(frozen=True)
class Verdict:
    """What to do with a line. urc is None for a reply line; needs_body for two-line URCs."""

    urc: UrcKind | None
    name: str
    needs_body: bool = False


# Commands whose reply may end in NO CARRIER / BUSY / NO ANSWER / NO DIALTONE.
_CALL_COMMANDS = ("ATD", "ATA", "ATO", "AT+CGDATA", "AT+CHLD")


def is_call_command(command: str) -> bool:
    return command.strip().upper().startswith(_CALL_COMMANDS)


def is_final(line: str, pending: str | None = None) -> bool:
    """Is this a final result code that ends the reply of the command `pending`?

    NO CARRIER, BUSY, NO ANSWER and NO DIALTONE end only call commands (ATD, ATA, …): during
    anything else they are a call ending (a caller hanging up on the SMS modem) and must not fail,
    say, the AT+CMGS in flight. With `pending` None every final code counts.
    """
    upper = line.strip().upper()
    if upper in _CALL_FINALS:
        return pending is None or is_call_command(pending)
    return upper in {"OK", "ERROR", "COMMAND NOT SUPPORT", "CONNECT"} or upper.startswith(
        ("+CME ERROR", "+CMS ERROR", "CONNECT ")
    )


def classify_line(line: str, pending: str | None = None, reply_seen: bool = False) -> Verdict:
    """Decide whether `line` is a URC, given the command in flight (`pending`) if any.

    `reply_seen` says whether the in-flight command's information line (e.g. its +CREG: line)
    already arrived: a second line with the same prefix is then a URC.
    Final result codes are not classified here (see `is_final`); outside a command, every line
    is a URC, known or not.
    """
    name = prefix_of(line)
    upper = line.strip().upper()
    if upper in _CALL_FINALS and (pending is None or not is_call_command(pending)):
        return Verdict(UrcKind.CALL_ENDED, upper)
    kind = _ALWAYS.get(name)
    if kind is None and upper in _BARE_WORDS:
        # Bare-word URCs are matched case-insensitively: "Call Ready" vs "CALL READY".
        name, kind = _BARE_WORDS[upper]
    if kind is not None:
        needs_body = name in _TWO_LINE or (name == "+CDS" and _cds_is_pdu_header(line))
        return Verdict(kind, name, needs_body)
    kind = _CONTEXTUAL.get(name)
    if kind is not None:
        if pending is not None and not reply_seen and reply_prefix(pending) == name and _is_query(pending):
            if kind is UrcKind.REGISTRATION and not registration_line_is_reply(line):
                return Verdict(kind, name)
            return Verdict(None, name)
        if (
            pending is not None
            and reply_prefix(pending) == name
            and not _is_query(pending)
            and kind is not UrcKind.REGISTRATION
        ):
            # AT+CPIN="1234", AT+CFUN=1: some modems answer with the status line before OK.
            return Verdict(None, name)
        return Verdict(kind, name)
    if pending is None:
        return Verdict(UrcKind.UNKNOWN, name)
    return Verdict(None, name)


def _is_query(command: str) -> bool:
    return command.strip().endswith("?")


def _cds_is_pdu_header(line: str) -> bool:
    # PDU mode: "+CDS: <length>"; text mode: "+CDS: <fo>,<mr>,..." on one line.
    args = line.partition(":")[2].strip()
    return args.isdigit()
