"""Decoding SMS-DELIVER, SMS-SUBMIT and SMS-STATUS-REPORT PDUs as modems list them."""

from __future__ import annotations

from datetime import datetime, timedelta

from .address import Address, read_address, read_smsc
from .dcs import DataCoding, decode_dcs
from .errors import PduError
from .messages import Deliver, Direction, Message, StatusReport, Submit
from .reader import Reader, parse_hex
from .timestamp import decode_relative_validity, decode_timestamp
from .userdata import read_user_data

_MTI_NAMES = {
    (Direction.TO_MOBILE, 1): "SMS-SUBMIT-REPORT",
    (Direction.FROM_MOBILE, 0): "SMS-DELIVER-REPORT",
    (Direction.FROM_MOBILE, 2): "SMS-COMMAND",
}


def decode_pdu(hex_str: str, *, smsc_included: bool = True, direction: Direction = Direction.AUTO) -> Message:
    """Decode one PDU in hex, as +CMGL, +CMGR, +CMT and +CDS print it.

    `smsc_included`: the hex starts with the SMSC address (as AT commands in PDU mode always give
    it; set False for a bare TPDU). Returns a Deliver, Submit or StatusReport; raises PduError,
    saying what is wrong and at which octet, for anything malformed or unsupported.
    """
    return decode_pdu_bytes(parse_hex(hex_str), smsc_included=smsc_included, direction=direction)


def decode_pdu_bytes(data: bytes, *, smsc_included: bool = True, direction: Direction = Direction.AUTO) -> Message:
    """`decode_pdu` for octets already out of hex."""
    reader = Reader(data)
    smsc = read_smsc(reader) if smsc_included else None
    first_at = reader.pos
    first = reader.octet("the first TPDU octet")
    mti = first & 0x03
    if mti == 3:
        raise PduError(f"first octet {first:02X} has the reserved message type 11", first_at)
    name = _MTI_NAMES.get((direction, mti))
    if name is not None:
        raise PduError(f"{name} PDUs are not supported (first octet {first:02X})", first_at)
    if mti == 0:
        message: Message = _deliver(reader, smsc, first)
    elif mti == 1:
        message = _submit(reader, smsc, first)
    else:
        message = _status_report(reader, smsc, first)
    # Octets after the end of the message are ignored: SIM records are padded with FF, and some
    # modems print more than the TPDU (TP-UDL, not the line length, says where the text ends).
    return message


def _timestamp(reader: Reader, field: str) -> datetime:
    at = reader.pos
    return decode_timestamp(reader.take(7, field), at, field)


def _deliver(reader: Reader, smsc: Address | None, first: int) -> Deliver:
    sender = read_address(reader, "TP-OA")
    pid = reader.octet("TP-PID")
    dcs = decode_dcs(reader.octet("TP-DCS"))
    timestamp = _timestamp(reader, "TP-SCTS")
    ud = read_user_data(reader, dcs, bool(first & 0x40))
    return Deliver(
        smsc, sender, timestamp, pid, dcs, ud.udh, ud.text, ud.binary,
        truncated=ud.truncated,
        more_messages=not first & 0x04,
        status_report_indication=bool(first & 0x20),
        reply_path=bool(first & 0x80),
    )  # fmt: skip


def _submit(reader: Reader, smsc: Address | None, first: int) -> Submit:
    tp_mr = reader.octet("TP-MR")
    recipient = read_address(reader, "TP-DA")
    pid = reader.octet("TP-PID")
    dcs = decode_dcs(reader.octet("TP-DCS"))
    vpf = (first >> 3) & 0x03
    validity: timedelta | datetime | bytes | None = None
    if vpf == 2:
        validity = decode_relative_validity(reader.octet("TP-VP"))
    elif vpf == 3:
        validity = _timestamp(reader, "TP-VP")
    elif vpf == 1:
        validity = reader.take(7, "TP-VP (enhanced format)")
    ud = read_user_data(reader, dcs, bool(first & 0x40))
    return Submit(
        smsc, recipient, tp_mr, pid, dcs, ud.udh, ud.text, ud.binary,
        truncated=ud.truncated,
        validity=validity,
        status_report_requested=bool(first & 0x20),
        reject_duplicates=bool(first & 0x04),
        reply_path=bool(first & 0x80),
    )  # fmt: skip


def _status_report(reader: Reader, smsc: Address | None, first: int) -> StatusReport:
    tp_mr = reader.octet("TP-MR")
    recipient = read_address(reader, "TP-RA")
    sc_timestamp = _timestamp(reader, "TP-SCTS")
    discharge = _timestamp(reader, "TP-DT")
    status = reader.octet("TP-ST")
    pid: int | None = None
    dcs: DataCoding | None = None
    ud = None
    rest = reader.data[reader.pos :]
    # The parameter indicator and what it announces are optional; a tail of FF is SIM padding
    # (an all-ones TP-PI would set reserved bits that no SC sends).
    if rest and rest.count(0xFF) != len(rest):
        pi = reader.octet("TP-PI")
        extension = pi
        while extension & 0x80:  # further TP-PI octets, none of which this version defines
            extension = reader.octet("TP-PI extension")
        if pi & 0x01:
            pid = reader.octet("TP-PID")
        if pi & 0x02:
            dcs = decode_dcs(reader.octet("TP-DCS"))
        if pi & 0x04:
            # §9.2.3.27: user data announced without a DCS is read with DCS 00.
            ud = read_user_data(reader, dcs or decode_dcs(0), bool(first & 0x40))
    return StatusReport(
        smsc, tp_mr, recipient, sc_timestamp, discharge, status,
        more_messages=not first & 0x04,
        for_command=bool(first & 0x20),
        pid=pid, dcs=dcs,
        udh=ud.udh if ud else None,
        text=ud.text if ud else None,
        binary=ud.binary if ud else None,
        truncated=ud.truncated if ud else False,
    )  # fmt: skip
