"""Encoding SMS-SUBMIT PDUs (TS 23.040 §9.2.2.2) for AT+CMGS in PDU mode."""

from __future__ import annotations

from datetime import datetime, timedelta

from .address import Address, as_address, encode_address, encode_smsc
from .dcs import Alphabet, MessageClass, encode_dcs
from .encoded import EncodedPdu, plan_message
from .timestamp import encode_relative_validity, encode_timestamp
from .udh import Ports
from .userdata import build_user_data

_MTI_SUBMIT = 0x01
_RD = 0x04
_VPF_RELATIVE = 0x10
_VPF_ABSOLUTE = 0x18
_SRR = 0x20
_UDHI = 0x40


def _validity_field(validity: timedelta | datetime | None) -> tuple[int, bytes]:
    if validity is None:
        return 0, b""
    if isinstance(validity, datetime):
        if validity.tzinfo is None:
            raise ValueError("an absolute validity period needs an aware datetime")
        return _VPF_ABSOLUTE, encode_timestamp(validity)
    return _VPF_RELATIVE, bytes((encode_relative_validity(validity),))


def encode_submit(
    number: str | Address,
    text: str,
    *,
    smsc: str | Address | None = None,
    tp_mr: int = 0,
    request_status_report: bool = True,
    validity: timedelta | datetime | None = None,
    flash: bool = False,
    reject_duplicates: bool = False,
    concat_ref: int | None = None,
    use_16bit_ref: bool = False,
    alphabet: Alphabet | None = None,
    ports: Ports | None = None,
) -> list[EncodedPdu]:
    """Encode `text` to `number` as one SMS-SUBMIT PDU per part.

    - `number`: '+8613800138000' (international, 0x91), '13800138000' (unknown type, 0x81), or an
      `Address` to force a type (e.g. `Address('0129998765', TypeOfNumber.NATIONAL)`).
    - `smsc`: prefix this SMSC address; None writes the single octet 00 ("use the SIM's SMSC").
    - `tp_mr`: TP-MR written in every part. Most modems substitute their own and report it in the
      `+CMGS: <mr>` reply; that reported value is what status reports carry.
    - `request_status_report`: TP-SRR. `reject_duplicates`: TP-RD.
    - `validity`: a timedelta (relative format, rounded up to what TP-VP can express, at most 63
      weeks), an aware datetime (absolute format), or None (no TP-VP: the SC's default).
    - `flash`: message class 0, shown at once and not stored.
    - `concat_ref`: reference shared by the parts of a multipart message; default derived from
      number and text (see `default_concat_ref`). `use_16bit_ref` selects the 16-bit element.
    - `alphabet`: None picks GSM-7 when the whole text allows it, else UCS2; UCS2 may be forced.
    - `ports`: 16-bit or 8-bit application port addressing in every part.

    Parts never split a GSM-7 escape sequence or a UTF-16 surrogate pair; `count_segments(text)`
    predicts `len(result)`. Raises ValueError for text the chosen alphabet cannot carry, an
    unencodable number, or a message longer than 255 parts.
    """
    recipient = as_address(number)
    smsc_octets = encode_smsc(smsc)
    da = encode_address(recipient)
    vpf, vp = _validity_field(validity)
    if not 0 <= tp_mr <= 0xFF:
        raise ValueError(f"TP-MR must be 0-255, got {tp_mr}")
    alphabet, parts = plan_message(
        recipient.number, text, alphabet, concat_ref=concat_ref, use_16bit_ref=use_16bit_ref, ports=ports
    )
    dcs = encode_dcs(alphabet, MessageClass.FLASH if flash else None)
    first_common = _MTI_SUBMIT | vpf | (_SRR if request_status_report else 0) | (_RD if reject_duplicates else 0)
    # Everything between TP-MR and TP-UDL is the same in every part.
    middle = bytes((tp_mr,)) + da + bytes((0x00, dcs)) + vp
    pdus: list[EncodedPdu] = []
    for seq, part in enumerate(parts, 1):
        first = first_common | (_UDHI if part.header else 0)
        tpdu = bytes((first,)) + middle + build_user_data(alphabet, part.units, part.header)
        pdus.append(
            EncodedPdu((smsc_octets + tpdu).hex().upper(), len(tpdu), part.text, seq, len(parts), alphabet, part.concat)
        )
    return pdus
