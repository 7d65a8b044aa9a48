"""Parsers of AT replies: pure functions over the information lines of a reply (`Reply.lines`).

Real modems bend the syntax of TS 27.005/27.007 in many ways, and these parsers accept what
has been seen in the wild (see tests/modem/data/at_replies.json for the replies they are tested
against): missing or extra spaces, unquoted strings, a missing closing quote, mismatched quotes,
extra leading fields (an index before <stat> in +CMGR), empty fields, UCS2-hex numbers in
+CSCA. When a reply cannot be understood at all they raise ReplyParseError, never anything else.

PDUs are checked only for what this layer can see (hexadecimal, whole octets, an SMSC length
that fits); decoding them is the PDU codec's job. USSD text is decoded here with a deliberately
minimal GSM-7 unpacker (default alphabet and its extension table, no national shift tables),
because the codec is not needed for anything else in a USSD exchange.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from modem.errors import ReplyParseError

Lines = Sequence[str]

# ---------------------------------------------------------------------------------------------
# Field splitting


def split_fields(args: str) -> list[str]:
    """Split the arguments of a reply line at commas, honouring double quotes; strip quotes.

    With an odd number of quotes (a modem that forgot one), quotes cannot be trusted: the line
    is split at every comma and stray quotes are dropped.
    """
    if not args.strip():
        return []
    if '"' not in args:
        return [f.strip() for f in args.split(",")]  # what the loop below gives, faster (+CMGS: 12)
    if args.count('"') % 2:
        return [f.strip().strip('"').strip() for f in args.split(",")]
    fields: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in args:
        if ch == '"':
            quoted = not quoted
            current.append(ch)
        elif ch == "," and not quoted:
            fields.append(_unquote("".join(current)))
            current = []
        else:
            current.append(ch)
    fields.append(_unquote("".join(current)))
    return fields


def _unquote(field: str) -> str:
    field = field.strip()
    if len(field) >= 2 and field[0] == '"' and field[-1] == '"':
        return field[1:-1]
    return field.replace('"', "")


def split_groups(args: str) -> list[list[str]]:
    """Split a test-command reply like `("SM","ME"),(0-1,3),"SR"` into its top-level groups."""
    groups: list[list[str]] = []
    depth = 0
    current: list[str] = []
    for ch in args:
        if ch == "(":
            depth += 1
            if depth == 1:
                continue
        elif ch == ")":
            depth -= 1
            if depth == 0:
                continue
        if ch == "," and depth <= 0:
            groups.append(_group_items("".join(current)))
            current = []
            depth = 0
            continue
        current.append(ch)
    if current or groups:
        groups.append(_group_items("".join(current)))
    return groups if any(groups) else []


def _group_items(text: str) -> list[str]:
    items = []
    for raw in text.split(","):
        raw = raw.strip()
        m = re.match(r'^"?([^"]*)"?', raw)
        item = m.group(1).strip() if m else raw
        if item:
            items.append(item)
    return items


def args_of(line: str, prefix: str) -> str | None:
    """The text after `prefix` and its colon, or None if the line does not start with it."""
    stripped = line.strip()
    if not stripped.upper().startswith(prefix.upper()):
        return None
    rest = stripped[len(prefix) :]
    if rest and rest[0] not in ": \t":
        return None  # +CMT must not match +CMTI
    return rest.lstrip(": \t")


def find_args(lines: Lines, prefix: str, what: str | None = None) -> str:
    """The arguments of the first line with `prefix`; ReplyParseError if there is none."""
    for line in lines:
        args = args_of(line, prefix)
        if args is not None:
            return args
    raise ReplyParseError(what or prefix, lines)


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    return int(text) if text.isdigit() else None


def _opt(text: str | None) -> str | None:
    return text if text else None


# ---------------------------------------------------------------------------------------------
# +CSQ


@dataclass(frozen=True)
class SignalQuality:
    rssi: int  # as the modem reports it; 99 (or 199) = unknown
    ber: int | None  # 0…7, None when 99 (unknown)
    dbm: int | None
    bars: int  # 0…5, what a signal icon shows

    @property
    def known(self) -> bool:
        return self.dbm is not None


def rssi_to_dbm(rssi: int) -> int | None:
    """TS 27.007 §8.5: 0 → -113 dBm, 31 → -51 dBm or more; 100…191 (TD-SCDMA) → -116…-25 dBm."""
    if 0 <= rssi <= 31:
        return -113 + 2 * rssi
    if 100 <= rssi <= 191:
        return rssi - 216
    return None


def dbm_to_bars(dbm: int | None) -> int:
    if dbm is None:
        return 0
    for bars, floor in ((5, -73), (4, -83), (3, -93), (2, -103), (1, -109)):
        if dbm >= floor:
            return bars
    return 0


def parse_csq(lines: Lines) -> SignalQuality:
    fields = split_fields(find_args(lines, "+CSQ"))
    rssi = _int(fields[0]) if fields else None
    if rssi is None:
        raise ReplyParseError("+CSQ", lines)
    ber = _int(fields[1]) if len(fields) > 1 else None
    dbm = rssi_to_dbm(rssi)
    return SignalQuality(rssi, None if ber == 99 else ber, dbm, dbm_to_bars(dbm))


# ---------------------------------------------------------------------------------------------
# +CREG / +CGREG / +CEREG


class RegStatus(enum.IntEnum):
    NOT_REGISTERED = 0  # and not searching
    HOME = 1
    SEARCHING = 2
    DENIED = 3
    UNKNOWN = 4
    ROAMING = 5
    SMS_ONLY_HOME = 6
    SMS_ONLY_ROAMING = 7
    EMERGENCY_ONLY = 8
    CSFB_NOT_PREFERRED_HOME = 9
    CSFB_NOT_PREFERRED_ROAMING = 10

    @classmethod
    def _missing_(cls, value: object) -> RegStatus:
        return cls.UNKNOWN


@dataclass(frozen=True)
class Registration:
    stat: RegStatus
    n: int | None = None  # the URC mode, only in the reply to a query
    lac: str | None = None  # location area (or tracking area) code, upper-case hex
    ci: str | None = None  # cell id, upper-case hex
    act: int | None = None  # access technology: 0 GSM, 2 UTRAN, 7 E-UTRAN, …

    @property
    def registered(self) -> bool:
        return self.stat in {
            RegStatus.HOME,
            RegStatus.ROAMING,
            RegStatus.SMS_ONLY_HOME,
            RegStatus.SMS_ONLY_ROAMING,
            RegStatus.CSFB_NOT_PREFERRED_HOME,
            RegStatus.CSFB_NOT_PREFERRED_ROAMING,
        }

    @property
    def roaming(self) -> bool:
        return self.stat in {RegStatus.ROAMING, RegStatus.SMS_ONLY_ROAMING, RegStatus.CSFB_NOT_PREFERRED_ROAMING}


def _hex_field(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip().upper()
    return text if re.fullmatch(r"[0-9A-F]+", text) else None


def parse_registration_args(args: str, *, is_reply: bool) -> Registration:
    fields = split_fields(args)
    n = None
    if is_reply:
        n = _int(fields[0]) if fields else None
        fields = fields[1:]
    stat = _int(fields[0]) if fields else None
    if stat is None:
        raise ReplyParseError("registration status", [args])
    return Registration(
        stat=RegStatus(stat),
        n=n,
        lac=_hex_field(fields[1]) if len(fields) > 1 else None,
        ci=_hex_field(fields[2]) if len(fields) > 2 else None,
        act=_int(fields[3]) if len(fields) > 3 else None,
    )


def parse_creg(lines: Lines, prefix: str = "+CREG") -> Registration:
    """The reply to AT+CREG? (or AT+CGREG?/AT+CEREG? with that prefix): n,stat[,lac,ci[,act]]."""
    return parse_registration_args(find_args(lines, prefix), is_reply=True)


def parse_registration_urc(line: str) -> Registration:
    """An unsolicited +CREG/+CGREG/+CEREG line: stat[,lac,ci[,act]]."""
    args = line.partition(":")[2]
    return parse_registration_args(args, is_reply=False)


# ---------------------------------------------------------------------------------------------
# +COPS


@dataclass(frozen=True)
class Operator:
    mode: int  # 0 automatic, 1 manual, 2 deregistered, 3 format only, 4 manual/automatic
    format: int | None = None  # 0 long alphanumeric, 1 short alphanumeric, 2 numeric
    name: str | None = None  # the operator as the modem gave it, in `format`
    act: int | None = None

    @property
    def numeric(self) -> str | None:
        """MCC+MNC (e.g. '46000') when the modem answered in numeric format."""
        if self.format == 2 and self.name and self.name.isdigit():
            return self.name
        return None


def parse_cops(lines: Lines) -> Operator:
    fields = split_fields(find_args(lines, "+COPS"))
    mode = _int(fields[0]) if fields else None
    if mode is None:
        raise ReplyParseError("+COPS", lines)
    return Operator(
        mode=mode,
        format=_int(fields[1]) if len(fields) > 1 else None,
        name=_opt(fields[2].strip()) if len(fields) > 2 else None,
        act=_int(fields[3]) if len(fields) > 3 else None,
    )


# ---------------------------------------------------------------------------------------------
# +CPMS


@dataclass(frozen=True)
class MemoryUsage:
    memory: str | None  # "SM", "ME", "MT", "SR"…; None in the reply to a set command
    used: int
    total: int

    @property
    def free(self) -> int:
        return max(0, self.total - self.used)


def parse_cpms(lines: Lines) -> tuple[MemoryUsage, ...]:
    """Reply to AT+CPMS? ("SM",3,50,...) or to AT+CPMS="SM",... (3,50,...): one entry per memory."""
    fields = split_fields(find_args(lines, "+CPMS"))
    usage: list[MemoryUsage] = []
    if fields and fields[0].isdigit():
        pairs = [fields[i : i + 2] for i in range(0, len(fields) - 1, 2)]
        for used, total in pairs:
            if not (used.isdigit() and total.isdigit()):
                raise ReplyParseError("+CPMS", lines)
            usage.append(MemoryUsage(None, int(used), int(total)))
    else:
        for i in range(0, len(fields) - 2, 3):
            mem, used, total = fields[i : i + 3]
            if not (used.isdigit() and total.isdigit()):
                raise ReplyParseError("+CPMS", lines)
            usage.append(MemoryUsage(mem, int(used), int(total)))
    if not usage:
        raise ReplyParseError("+CPMS", lines)
    return tuple(usage)


def parse_cpms_supported(lines: Lines) -> tuple[tuple[str, ...], ...]:
    """Reply to AT+CPMS=?: the memories allowed for mem1 (read), mem2 (write) and mem3 (receive)."""
    return tuple(tuple(g) for g in split_groups(find_args(lines, "+CPMS")))


# ---------------------------------------------------------------------------------------------
# +CSCA


@dataclass(frozen=True)
class ServiceCentre:
    number: str | None  # None when the SIM holds no SMSC address
    type: int | None  # 145 international, 129 unknown/national

    @property
    def international(self) -> bool:
        return self.type == 145 or bool(self.number and self.number.startswith("+"))


def decode_ucs2_hex_number(text: str) -> str:
    """'002B0038…' → '+8…' when a modem in UCS2 character set sends a phone number; else unchanged."""
    if len(text) >= 8 and len(text) % 4 == 0 and re.fullmatch(r"(?:00[0-9A-Fa-f]{2})+", text):
        decoded = bytes.fromhex(text).decode("utf-16-be")
        if re.fullmatch(r"[+0-9*#pw]+", decoded):
            return decoded
    return text


def parse_csca(lines: Lines) -> ServiceCentre:
    fields = split_fields(find_args(lines, "+CSCA"))
    number = decode_ucs2_hex_number(fields[0].strip()) if fields else ""
    kind = _int(fields[1]) if len(fields) > 1 else None
    return ServiceCentre(number or None, kind)


# ---------------------------------------------------------------------------------------------
# +CPIN


class PinStatus(enum.StrEnum):
    READY = "READY"
    SIM_PIN = "SIM PIN"
    SIM_PUK = "SIM PUK"
    SIM_PIN2 = "SIM PIN2"
    SIM_PUK2 = "SIM PUK2"
    PH_SIM_PIN = "PH-SIM PIN"
    PH_FSIM_PIN = "PH-FSIM PIN"
    PH_FSIM_PUK = "PH-FSIM PUK"
    PH_NET_PIN = "PH-NET PIN"
    PH_NET_PUK = "PH-NET PUK"
    PH_NETSUB_PIN = "PH-NETSUB PIN"
    PH_NETSUB_PUK = "PH-NETSUB PUK"
    PH_SP_PIN = "PH-SP PIN"
    PH_SP_PUK = "PH-SP PUK"
    PH_CORP_PIN = "PH-CORP PIN"
    PH_CORP_PUK = "PH-CORP PUK"
    NOT_INSERTED = "NOT INSERTED"  # vendor extension (SIMCom, Quectel)
    NOT_READY = "NOT READY"  # vendor extension: SIM still initialising
    UNKNOWN = "UNKNOWN"

    @property
    def ready(self) -> bool:
        return self is PinStatus.READY

    @property
    def needs_puk(self) -> bool:
        return self.value.endswith("PUK") or self.value.endswith("PUK2")

    @property
    def needs_pin(self) -> bool:
        return self.value.endswith("PIN") or self.value.endswith("PIN2")


def parse_cpin(lines: Lines) -> PinStatus:
    text = " ".join(split_fields(find_args(lines, "+CPIN"))).strip().upper()
    text = re.sub(r"\s+", " ", text)
    try:
        return PinStatus(text)
    except ValueError:
        return PinStatus.UNKNOWN


# ---------------------------------------------------------------------------------------------
# Identity: +CGMI, +CGMM, +CGMR, +CGSN, +CIMI, ICCID


_IDENTITY_PREFIXES = (
    "+CGMI",
    "+CGMM",
    "+CGMR",
    "+CGSN",
    "+CIMI",
    "+GMI",
    "+GMM",
    "+GMR",
    "+GSN",
    "Manufacturer",
    "Model",
    "Revision",
    "IMEI",
    "IMSI",
)


def parse_identity(lines: Lines, key: str | None = None) -> str:
    """The text of a +CGMI/+CGMM/+CGMR/+CGSN/+CIMI reply, with an optional '+CGMM:' prefix removed.

    With `key` (e.g. 'Model'), a multi-line ATI-style reply ("Model: X") is searched for it first.
    """
    if key is not None:
        for line in lines:
            args = args_of(line, key)
            if args is not None and args.strip():
                # Some CDMA phones insert an "I: " tag before every value.
                return re.sub(r"^[A-Z]:\s+", "", args.strip()).strip('"').strip()
    for line in lines:
        text = line.strip()
        if not text:
            continue
        for prefix in _IDENTITY_PREFIXES:
            args = args_of(text, prefix)
            if args is not None:
                text = args.strip()
                break
        return text.strip('"').strip()
    raise ReplyParseError(key or "identity", lines)


def parse_imei(lines: Lines) -> str:
    """IMEI (15 digits) or IMEISV (16) from +CGSN; some modems add the prefix or quotes."""
    for line in lines:
        m = re.search(r"(?<!\d)(\d{14,17})(?!\d)", line)
        if m:
            return m.group(1)
    raise ReplyParseError("IMEI", lines)


def parse_imsi(lines: Lines) -> str:
    for line in lines:
        m = re.search(r"(?<!\d)(\d{6,15})(?!\d)", line)
        if m:
            return m.group(1)
    raise ReplyParseError("IMSI", lines)


_ICCID_PREFIXES = ("^ICCID", "+CCID", "+ICCID", "+QCCID", "+CICCID", "ICCID", "^SCID", "+ZGETICCID")


def parse_iccid(lines: Lines) -> str:
    """The SIM's ICCID from AT+CCID / AT+ICCID / AT^ICCID? / AT+QCCID (and a bare number line).

    Trailing F padding is removed. Huawei's ^ICCID gives the raw nibble-swapped EF-ICCID on some
    firmwares ('98…' instead of '89…'): that is swapped back. ICCIDs of Chinese operators may hold
    hex letters, so those are kept.
    """
    for line in lines:
        text = line.strip()
        for prefix in _ICCID_PREFIXES:
            args = args_of(text, prefix)
            if args is not None:
                text = args
                break
        value = text.strip().strip('"').strip().upper()
        if re.fullmatch(r"[0-9A-F]{18,22}", value):
            if value.startswith("98") and not value.startswith("89"):
                value = "".join(value[i + 1] + value[i] for i in range(0, len(value) - 1, 2))
            return value.rstrip("F")
    raise ReplyParseError("ICCID", lines)


# ---------------------------------------------------------------------------------------------
# +CNUM


@dataclass(frozen=True)
class OwnNumber:
    alpha: str | None
    number: str
    type: int | None


def parse_cnum(lines: Lines) -> list[OwnNumber]:
    """The SIM's own numbers; an empty list when the SIM does not store any (a plain OK)."""
    numbers = []
    for line in lines:
        args = args_of(line, "+CNUM")
        if args is None:
            continue
        fields = split_fields(args)
        if len(fields) < 2:
            raise ReplyParseError("+CNUM", lines)
        number = decode_ucs2_hex_number(fields[1])
        if number:
            numbers.append(OwnNumber(_opt(fields[0]), number, _int(fields[2]) if len(fields) > 2 else None))
    return numbers


# ---------------------------------------------------------------------------------------------
# +CUSD


@dataclass(frozen=True)
class Ussd:
    status: int  # 0 no further action, 1 further action required, 2 terminated by network, …
    text: str | None  # as the modem sent it (may be GSM-7 packed hex or UCS2 hex)
    dcs: int | None

    @property
    def needs_reply(self) -> bool:
        return self.status == 1


def parse_cusd(line: str) -> Ussd:
    """One +CUSD line (unsolicited, or a reply line on modems that send it before OK)."""
    args = args_of(line, "+CUSD")
    if args is None:
        raise ReplyParseError("+CUSD", [line])
    fields = split_fields(args)
    status = _int(fields[0]) if fields else None
    if status is None:
        raise ReplyParseError("+CUSD", [line])
    text = fields[1] if len(fields) > 1 else None
    dcs = _int(fields[2]) if len(fields) > 2 else None
    return Ussd(status, text, dcs)


GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = {
    0x0A: "\f",
    0x14: "^",
    0x28: "{",
    0x29: "}",
    0x2F: "\\",
    0x3C: "[",
    0x3D: "~",
    0x3E: "]",
    0x40: "|",
    0x65: "€",
}
_GSM7_REPERTOIRE = frozenset(GSM7_BASIC) | frozenset(GSM7_EXTENSION.values())


def unpack_septets(data: bytes) -> list[int]:
    """GSM 7-bit packing (TS 23.038 §6.1.2.1) undone: octets → septet values."""
    septets = []
    carry = 0
    bits = 0
    for octet in data:
        carry |= octet << bits
        bits += 8
        while bits >= 7:
            septets.append(carry & 0x7F)
            carry >>= 7
            bits -= 7
    return septets


def gsm7_to_text(septets: Iterable[int]) -> str:
    out = []
    escape = False
    for s in septets:
        if escape:
            out.append(GSM7_EXTENSION.get(s, GSM7_BASIC[s]))
            escape = False
        elif s == 0x1B:
            escape = True
        else:
            out.append(GSM7_BASIC[s])
    return "".join(out)


def ussd_alphabet(dcs: int | None) -> str:
    """'gsm7', '8bit', 'ucs2', or 'ucs2_lang' (UCS2 preceded by a language) per TS 23.038 §5."""
    if dcs is None:
        return "gsm7"
    group = dcs >> 4
    if dcs == 0x11:
        return "ucs2_lang"
    if group in (0x0, 0x1, 0x2, 0x3):
        return "gsm7"
    if group in (0x4, 0x5, 0x6, 0x7, 0x9):
        return {0: "gsm7", 1: "8bit", 2: "ucs2"}.get((dcs >> 2) & 0x03, "gsm7")
    if group == 0xF:
        return "8bit" if dcs & 0x04 else "gsm7"
    return "gsm7"


def decode_ussd(ussd: Ussd) -> str | None:
    """The text of a USSD answer, as far as the data coding scheme and the modem let us know.

    Modems pass USSD text on in one of three ways: converted to the TE character set (plain
    text: returned as is), as UCS2 hex (when AT+CSCS="UCS2", or when the network used UCS2), or
    as the raw GSM-7 packed octets in hex (Huawei). The choice between the last two for a GSM-7
    DCS is a heuristic: UCS2 hex whose characters all exist in GSM-7 wins, else packed GSM-7 whose
    septets decode to printable text, else the raw string.
    """
    text = ussd.text
    if text is None:
        return None
    alphabet = ussd_alphabet(ussd.dcs)
    is_hex = len(text) % 2 == 0 and re.fullmatch(r"[0-9A-Fa-f]+", text) is not None
    if not is_hex:
        return text
    data = bytes.fromhex(text)
    if alphabet in ("ucs2", "ucs2_lang") and len(data) % 2 == 0:
        if alphabet == "ucs2_lang":
            data = data[2:]
        # Some modems pad their buffer after a U+0000 that ends the text (Telit HE910).
        return data.decode("utf-16-be", errors="replace").split("\x00", 1)[0]
    if alphabet == "8bit":
        return data.decode("latin-1")
    if len(data) % 2 == 0:
        as_ucs2 = data.decode("utf-16-be", errors="replace")
        if all(ch in _GSM7_REPERTOIRE for ch in as_ucs2):
            return as_ucs2
    if text.isdigit():
        return text  # digits only: far more likely plain text ("1234") than packed septets
    septets = unpack_septets(data)
    if septets and len(data) * 8 % 7 == 0 and septets[-1] == 0x0D:
        septets.pop()  # CR fill of the last octet (TS 23.038 §6.1.2.3.1)
    decoded = gsm7_to_text(septets)
    if all(ch.isprintable() or ch in "\n\r" for ch in decoded):
        return decoded
    return text


# ---------------------------------------------------------------------------------------------
# Stored and incoming messages: +CMGL, +CMGR, +CMT, +CDS, +CMTI, +CDSI, +CMGS


class MessageStat(enum.IntEnum):
    REC_UNREAD = 0
    REC_READ = 1
    STO_UNSENT = 2
    STO_SENT = 3
    ALL = 4


TEXT_STAT = {"REC UNREAD": 0, "REC READ": 1, "STO UNSENT": 2, "STO SENT": 3, "ALL": 4}


@dataclass(frozen=True)
class PduMessage:
    """A message in PDU mode: the PDU is hex of SMSC field + TPDU, as the modem stores it."""

    index: int | None
    stat: int | None  # MessageStat value; None when the modem omitted it
    alpha: str | None
    length: int | None  # TPDU octets as the modem claims (some phones always say 78, or wrong)
    pdu: str

    @property
    def octets(self) -> bytes:
        return bytes.fromhex(self.pdu)


@dataclass(frozen=True)
class TextMessage:
    """A message in text mode (AT+CMGF=1)."""

    index: int | None
    stat: str | None  # "REC UNREAD", "REC READ", "STO UNSENT", "STO SENT"
    address: str | None  # originator (received) or destination (stored to send)
    alpha: str | None
    timestamp: str | None  # service centre time stamp as sent, see parse_scts
    body: str
    details: tuple[str, ...] = ()  # the remaining header fields (tooa, fo, pid, dcs, sca, …), raw


def check_pdu(pdu: str, lines: Lines = ()) -> str:
    """Upper-case hex of a PDU line, or ReplyParseError if it cannot be a PDU."""
    pdu = pdu.strip().strip('"').strip()  # a phone that quotes the PDU (or half of it)
    if not pdu or len(pdu) % 2 or re.fullmatch(r"[0-9A-Fa-f]+", pdu) is None:
        raise ReplyParseError("PDU (not whole octets of hexadecimal)", lines or [pdu])
    smsc_len = int(pdu[:2], 16)
    if 1 + smsc_len >= len(pdu) // 2:
        raise ReplyParseError("PDU (SMSC length beyond the end of the PDU)", lines or [pdu])
    return pdu.upper()


def _pdu_header(fields: list[str], with_index: bool) -> tuple[int | None, int | None, str | None, int | None]:
    """(index, stat, alpha, length) from +CMGL/+CMGR PDU-mode header fields, however many came."""
    index = None
    if with_index and fields:
        index = _int(fields[0])
        fields = fields[1:]
    length = _int(fields[-1]) if fields else None
    head = fields[:-1]
    if not with_index and len(head) >= 3:
        # "+CMGR: 4,1,,151": a phone that puts the index first
        index = _int(head[0])
        head = head[1:]
    stat = _int(head[0]) if head else None
    alpha = _opt(head[1]) if len(head) > 1 else None
    return index, stat, alpha, length


def _is_text_mode(fields: list[str]) -> bool:
    return any(f.strip().upper() in TEXT_STAT for f in fields[:2])


def _text_message(index: int | None, fields: list[str], body: list[str]) -> TextMessage:
    stat = fields[0].strip().upper() if fields else None
    rest = fields[1:]
    if stat in ("STO UNSENT", "STO SENT"):
        # <da>,[<alpha>][,<toda>,<fo>,<pid>,<dcs>,[<vp>],<sca>,<tosca>,<length>]
        address = rest[0] if rest else None
        alpha = rest[1] if len(rest) > 1 else None
        timestamp = None
        details = rest[2:]
    else:
        # <oa>,[<alpha>],<scts>[,<tooa>,<fo>,<pid>,<dcs>,<sca>,<tosca>,<length>]
        address = rest[0] if rest else None
        if len(rest) >= 3:
            alpha, timestamp, details = rest[1], rest[2], rest[3:]
        elif len(rest) == 2:
            # Motorola: "REC READ", "+41…", "2009/8/18,19:11:45" (no alpha field)
            alpha, timestamp, details = None, rest[1], []
        else:
            alpha, timestamp, details = None, None, []
    return TextMessage(index, stat, _opt(address), _opt(alpha), _opt(timestamp), "\n".join(body), tuple(details))


def parse_cmgr(lines: Lines, index: int | None = None) -> PduMessage | TextMessage:
    """Reply to AT+CMGR=<index>, PDU or text mode (decided by the shape of the header)."""
    for pos, line in enumerate(lines):
        args = args_of(line, "+CMGR")
        if args is None:
            continue
        fields = split_fields(args)
        body = [ln for ln in lines[pos + 1 :]]
        if _is_text_mode(fields):
            return _text_message(index, fields, body)
        if not body:
            raise ReplyParseError("+CMGR (no PDU line)", lines)
        got_index, stat, alpha, length = _pdu_header(fields, with_index=False)
        return PduMessage(index if index is not None else got_index, stat, alpha, length, check_pdu(body[0], lines))
    raise ReplyParseError("+CMGR", lines)


def parse_cmgl(lines: Lines) -> list[PduMessage | TextMessage]:
    """Reply to AT+CMGL: every listed message, PDU or text mode."""
    messages: list[PduMessage | TextMessage] = []
    header: list[str] | None = None
    body: list[str] = []

    def flush() -> None:
        if header is None:
            return
        index = _int(header[0]) if header else None
        if _is_text_mode(header[1:]):
            messages.append(_text_message(index, header[1:], body))
        else:
            if not body:
                raise ReplyParseError("+CMGL (no PDU line)", lines)
            _, stat, alpha, length = _pdu_header(header, with_index=True)
            messages.append(PduMessage(index, stat, alpha, length, check_pdu(body[0], lines)))

    for line in lines:
        args = args_of(line, "+CMGL")
        if args is not None:
            flush()
            header, body = split_fields(args), []
        elif header is not None:
            body.append(line)
    flush()
    return messages


def parse_cmgs(lines: Lines) -> int:
    """The message reference (TP-MR) from the reply to AT+CMGS."""
    fields = split_fields(find_args(lines, "+CMGS"))
    mr = _int(fields[0]) if fields else None
    if mr is None:
        raise ReplyParseError("+CMGS", lines)
    return mr


def parse_cmgw(lines: Lines) -> int:
    """The storage index from the reply to AT+CMGW."""
    fields = split_fields(find_args(lines, "+CMGW"))
    index = _int(fields[0]) if fields else None
    if index is None:
        raise ReplyParseError("+CMGW", lines)
    return index


@dataclass(frozen=True)
class StorageRef:
    memory: str
    index: int


def _storage_ref(line: str, prefix: str) -> StorageRef:
    args = args_of(line, prefix)
    fields = split_fields(args) if args is not None else []
    index = _int(fields[1]) if len(fields) > 1 else None
    if index is None:
        raise ReplyParseError(prefix, [line])
    return StorageRef(fields[0].strip().upper(), index)


def parse_cmti(line: str) -> StorageRef:
    """+CMTI: "SM",3 — a message was stored at index 3 of memory SM."""
    return _storage_ref(line, "+CMTI")


def parse_cdsi(line: str) -> StorageRef:
    """+CDSI: "SR",1 — a status report was stored."""
    return _storage_ref(line, "+CDSI")


@dataclass(frozen=True)
class IncomingPdu:
    """A message or status report routed straight to us (+CMT / +CDS in PDU mode)."""

    alpha: str | None
    length: int | None
    pdu: str


@dataclass(frozen=True)
class TextStatusReport:
    """+CDS in text mode: <fo>,<mr>,[<ra>],[<tora>],<scts>,<dt>,<st>."""

    fo: int | None
    mr: int
    recipient: str | None
    recipient_type: int | None
    scts: str | None
    discharge_time: str | None
    status: int | None


def parse_cmt(header: str, body: str | None) -> IncomingPdu | TextMessage:
    """+CMT: [<alpha>],<length> + PDU line (PDU mode) or +CMT: <oa>,[<alpha>],<scts>… + text."""
    args = args_of(header, "+CMT")
    if args is None or body is None:
        raise ReplyParseError("+CMT", [header, body or ""])
    fields = split_fields(args)
    if fields and fields[-1].isdigit() and len(fields) <= 2:
        return IncomingPdu(
            _opt(fields[0]) if len(fields) == 2 else None, int(fields[-1]), check_pdu(body, [header, body])
        )
    return _text_message(None, ["REC UNREAD", *fields], [body])


def parse_cds(header: str, body: str | None = None) -> IncomingPdu | TextStatusReport:
    """+CDS: <length> + PDU line (PDU mode), or the one-line text-mode form."""
    args = args_of(header, "+CDS")
    if args is None:
        raise ReplyParseError("+CDS", [header])
    fields = split_fields(args)
    if len(fields) == 1 and fields[0].isdigit():
        if body is None:
            raise ReplyParseError("+CDS (no PDU line)", [header])
        return IncomingPdu(None, int(fields[0]), check_pdu(body, [header, body]))
    mr = _int(fields[1]) if len(fields) > 1 else None
    if mr is None:
        raise ReplyParseError("+CDS", [header])
    get = lambda i: fields[i] if len(fields) > i else None  # noqa: E731
    return TextStatusReport(_int(get(0)), mr, _opt(get(2)), _int(get(3)), _opt(get(4)), _opt(get(5)), _int(get(6)))


def parse_scts(text: str | None) -> datetime | None:
    """A text-mode time stamp: 'yy/MM/dd,hh:mm:ss±zz' (zz in quarter hours) or 'yyyy/M/d,hh:mm[:ss]'."""
    if not text:
        return None
    m = re.fullmatch(r"\s*(\d{2}|\d{4})/(\d{1,2})/(\d{1,2}),(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{1,2})?\s*", text)
    if m is None:
        return None
    year, month, day, hour, minute = (int(m.group(i)) for i in range(1, 6))
    second = int(m.group(6) or 0)
    if year < 100:
        year += 2000
    tz = timezone(timedelta(minutes=15 * int(m.group(7)))) if m.group(7) else None
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Capabilities and settings: test-command replies, +CSCS, +CLAC, +CPBR


def parse_ranges(lines: Lines, prefix: str) -> list[frozenset[int]]:
    """A test-command reply of number ranges, e.g. +CNMI: (0-2),(0,1,3),(0) → [{0,1,2},{0,1,3},{0}]."""
    result = []
    for group in split_groups(find_args(lines, prefix)):
        values: set[int] = set()
        for item in group:
            m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", item)
            if m is None:
                raise ReplyParseError(f"{prefix} ranges", lines)
            low = int(m.group(1))
            high = int(m.group(2)) if m.group(2) else low
            values.update(range(low, high + 1))
        result.append(frozenset(values))
    return result


def parse_cscs(lines: Lines) -> str:
    """The current TE character set from AT+CSCS? ('GSM', 'UCS2', 'IRA', …)."""
    args = find_args(lines, "+CSCS").strip()
    if args.startswith("("):
        raise ReplyParseError("+CSCS (a list, not the current set)", lines)
    fields = split_fields(args)
    if not fields or not fields[0]:
        raise ReplyParseError("+CSCS", lines)
    return fields[0].upper()


def parse_cscs_supported(lines: Lines) -> list[str]:
    groups = split_groups(find_args(lines, "+CSCS"))
    return [item.upper() for group in groups for item in group]


def parse_clac(lines: Lines) -> list[str]:
    """The command list of AT+CLAC, one per line or comma-separated, with or without 'AT'."""
    commands = []
    for line in lines:
        text = line.strip()
        args = args_of(text, "+CLAC")
        if args is not None:
            text = args
        for item in text.split(","):
            item = item.strip()
            if item.upper().startswith("AT") and len(item) > 2:
                item = item[2:]
            if item:
                commands.append(item)
    return commands


@dataclass(frozen=True)
class PhonebookEntry:
    index: int
    number: str
    type: int | None
    text: str  # as the modem sent it (UCS2 hex when AT+CSCS="UCS2")
    extra: tuple[str, ...] = ()


def parse_cpbr(lines: Lines) -> list[PhonebookEntry]:
    """Entries of AT+CPBR. A line that does not start with +CPBR continues the one before: some
    phones send a raw line feed inside a name."""
    joined: list[str] = []
    for line in lines:
        if args_of(line, "+CPBR") is not None:
            joined.append(line)
        elif joined:
            joined[-1] += "\n" + line
    entries = []
    for line in joined:
        fields = split_fields(args_of(line, "+CPBR") or "")
        index = _int(fields[0]) if fields else None
        if index is None or len(fields) < 2:
            raise ReplyParseError("+CPBR", lines)
        rest = fields[1:]
        if rest and rest[0] == "" and len(rest) > 2 and _int(rest[2]) is not None and rest[1]:
            rest = rest[1:]  # a phone that puts an empty field before the number
        number = rest[0]
        kind = _int(rest[1]) if len(rest) > 1 else None
        text = rest[2] if len(rest) > 2 else ""
        entries.append(PhonebookEntry(index, number, kind, text, tuple(rest[3:])))
    return entries
