"""Encoding the PDUs the network sends to a phone: SMS-DELIVER and SMS-STATUS-REPORT.

A terminal never sends these; they exist here for the simulated modem and for tests, which must
produce exactly what a real SMSC would.
"""

from __future__ import annotations

from datetime import datetime

from .address import Address, as_address, encode_address, encode_smsc
from .dcs import Alphabet, MessageClass, encode_dcs
from .encoded import EncodedPdu, plan_message
from .timestamp import encode_timestamp
from .udh import Ports
from .userdata import build_user_data

_MMS = 0x04  # TP-MMS set: no more messages waiting
_SRI = 0x20
_UDHI = 0x40
_MTI_STATUS_REPORT = 0x02


def encode_deliver(
    sender: str | Address,
    text: str,
    *,
    timestamp: datetime,
    smsc: str | Address | None = None,
    pid: int = 0,
    flash: bool = False,
    more_messages: bool = False,
    status_report_indication: bool = False,
    concat_ref: int | None = None,
    use_16bit_ref: bool = False,
    alphabet: Alphabet | None = None,
    ports: Ports | None = None,
) -> list[EncodedPdu]:
    """Encode `text` from `sender` as SMS-DELIVER PDUs, split like `encode_submit` splits.

    `timestamp` becomes TP-SCTS (a naive datetime is taken as UTC). `smsc` None writes 00.
    `more_messages` clears TP-MMS, telling the phone more messages are waiting.
    """
    origin = as_address(sender)
    smsc_octets = encode_smsc(smsc)
    middle = encode_address(origin) + bytes((pid,))
    alphabet, parts = plan_message(
        origin.number, text, alphabet, concat_ref=concat_ref, use_16bit_ref=use_16bit_ref, ports=ports
    )
    dcs = encode_dcs(alphabet, MessageClass.FLASH if flash else None)
    scts = encode_timestamp(timestamp)
    first_common = (0 if more_messages else _MMS) | (_SRI if status_report_indication else 0)
    pdus = []
    for seq, part in enumerate(parts, 1):
        first = first_common | (_UDHI if part.header else 0)
        tpdu = bytes((first,)) + middle + bytes((dcs,)) + scts + build_user_data(alphabet, part.units, part.header)
        pdus.append(
            EncodedPdu((smsc_octets + tpdu).hex().upper(), len(tpdu), part.text, seq, len(parts), alphabet, part.concat)
        )
    return pdus


def encode_status_report(
    recipient: str | Address,
    tp_mr: int,
    status: int,
    *,
    sc_timestamp: datetime,
    discharge_time: datetime,
    smsc: str | Address | None = None,
    more_messages: bool = False,
) -> EncodedPdu:
    """An SMS-STATUS-REPORT for the SUBMIT that got `tp_mr`, with TP-ST `status` (see TpStatus)."""
    if not 0 <= tp_mr <= 0xFF or not 0 <= status <= 0xFF:
        raise ValueError("TP-MR and TP-ST are single octets")
    first = _MTI_STATUS_REPORT | (0 if more_messages else _MMS)
    tpdu = (
        bytes((first, tp_mr))
        + encode_address(as_address(recipient))
        + encode_timestamp(sc_timestamp)
        + encode_timestamp(discharge_time)
        + bytes((status,))
    )
    return EncodedPdu((encode_smsc(smsc) + tpdu).hex().upper(), len(tpdu), "", 1, 1, Alphabet.GSM7, None)
