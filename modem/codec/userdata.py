"""TP-UDL and TP-UD: header, fill bits, and the text or data after them."""

from __future__ import annotations

from dataclasses import dataclass

from . import gsm7
from .dcs import Alphabet, DataCoding
from .errors import PduError
from .reader import Reader
from .udh import UserDataHeader, parse_udh

MAX_SEPTETS = 160
MAX_OCTETS = 140


def header_septets(header_octets: int) -> int:
    """Septets a header of this many octets (UDHL included) occupies, padding included."""
    return -(-header_octets * 8 // 7)


def build_user_data(alphabet: Alphabet, units: bytes, header: bytes = b"") -> bytes:
    """TP-UDL followed by TP-UD. `units` are septet values (GSM7) or encoded bytes (UCS2, 8-bit);
    `header` is a user data header with its UDHL octet (see UserDataHeader.to_bytes), or b""."""
    if alphabet == Alphabet.GSM7:
        hdr_septets = header_septets(len(header))
        fill = hdr_septets * 7 - len(header) * 8
        udl = hdr_septets + len(units)
        if udl > MAX_SEPTETS:
            raise ValueError(f"user data of {udl} septets exceeds {MAX_SEPTETS}")
        return bytes((udl,)) + header + gsm7.pack(units, fill)
    udl = len(header) + len(units)
    if udl > MAX_OCTETS:
        raise ValueError(f"user data of {udl} octets exceeds {MAX_OCTETS}")
    return bytes((udl,)) + header + units


@dataclass(frozen=True, slots=True)
class UserData:
    udh: UserDataHeader | None
    text: str | None  # GSM-7 or UCS2 text
    binary: bytes | None  # 8-bit data
    truncated: bool  # the PDU ended before the TP-UDL units; what was there is decoded


def _looks_like_mislabelled_ucs2(dcs: DataCoding, udl: int, available: int) -> bool:
    """Some phones store UCS2 text with DCS 0xF8-0xFB, setting the reserved bit 3 of coding group
    1111 as if it were the UCS2 bit. Read such data as UCS2 only when its length fits UCS2 exactly
    and does not fit GSM-7, so that a correct 0xF8-0xFB GSM-7 message is never misread."""
    return dcs.raw & 0xFC == 0xF8 and udl > 0 and udl % 2 == 0 and available == udl and gsm7.packed_length(udl) != udl


def read_user_data(reader: Reader, dcs: DataCoding, has_udh: bool) -> UserData:
    """Read TP-UDL and TP-UD.

    Structural errors (a header longer than the data, a malformed information element, an odd UCS2
    length) raise PduError. Data that stops short of what TP-UDL announces, as some phones store it
    (or a TP-UDL beyond the 160-septet / 140-octet maximum), is decoded as far as it goes and marked
    `truncated`.
    """
    udl_at = reader.pos
    udl = reader.octet("TP-UDL")
    if dcs.compressed:
        raise PduError(f"compressed user data (TP-DCS {dcs.raw:02X}) is not supported", udl_at - 1)
    alphabet = dcs.alphabet
    if alphabet == Alphabet.GSM7 and _looks_like_mislabelled_ucs2(dcs, udl, reader.remaining):
        alphabet = Alphabet.UCS2
    gsm = alphabet == Alphabet.GSM7
    ud_at = reader.pos
    # A TP-UDL beyond the maximum cannot be met by the data; read at most a full message's worth
    # and report the shortfall as truncation, like any other short user data.
    needed = gsm7.packed_length(udl) if gsm else udl
    data = reader.take(min(needed, MAX_OCTETS, reader.remaining), "TP-UD")
    udl = min(udl, MAX_SEPTETS if gsm else MAX_OCTETS)
    truncated = len(data) < needed

    udh = None
    hdr_octets = 0
    # A set TP-UDHI with no user data at all is seen from real phones; there is simply no header.
    if has_udh and data:
        hdr_octets = data[0] + 1
        if hdr_octets > len(data) or (gsm and header_septets(hdr_octets) > udl):
            raise PduError(f"user data header length {data[0]} does not fit in the user data", ud_at)
        udh = parse_udh(data[1:hdr_octets], ud_at + 1)

    payload = data[hdr_octets:]
    if gsm:
        hdr_septets = header_septets(hdr_octets) if hdr_octets else 0
        fill = hdr_septets * 7 - hdr_octets * 8
        count = min(udl - hdr_septets, (len(payload) * 8 - fill) // 7) if payload else 0
        return UserData(udh, gsm7.decode_septets(gsm7.unpack(payload, count, fill)), None, truncated)
    if alphabet == Alphabet.DATA_8BIT:
        return UserData(udh, None, bytes(payload), truncated)
    if len(payload) % 2:
        if not truncated:
            raise PduError(f"UCS2 text has an odd number of octets ({len(payload)})", ud_at + hdr_octets)
        payload = payload[:-1]
    # surrogatepass: a sender that split a surrogate pair between parts leaves half a pair at the
    # edge of this part; reassemble_text() joins the halves again.
    return UserData(udh, payload.decode("utf-16-be", "surrogatepass"), None, truncated)
