"""TP-DCS, the data coding scheme (TS 23.038 §4): which alphabet, which message class."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum


class Alphabet(Enum):
    GSM7 = "gsm7"
    DATA_8BIT = "8bit"
    UCS2 = "ucs2"


class MessageClass(IntEnum):
    FLASH = 0  # class 0: shown at once, not stored
    ME = 1  # class 1: stored in the phone
    SIM = 2  # class 2: stored on the SIM
    TE = 3  # class 3: passed to the terminal equipment


_ALPHABET_BITS = {0: Alphabet.GSM7, 1: Alphabet.DATA_8BIT, 2: Alphabet.UCS2, 3: Alphabet.GSM7}


@dataclass(frozen=True, slots=True)
class DataCoding:
    """A decoded TP-DCS octet. `raw` keeps the octet for logs and re-encoding."""

    raw: int
    alphabet: Alphabet
    message_class: MessageClass | None = None
    compressed: bool = False
    auto_delete: bool = False  # coding group 01xx: delete after reading


def decode_dcs(octet: int) -> DataCoding:
    return _DECODED[octet]


def _decode_dcs(octet: int) -> DataCoding:
    group = octet >> 4
    if group < 0x8:  # general data coding (00xx) and automatic deletion (01xx)
        klass = MessageClass(octet & 0x03) if octet & 0x10 else None
        return DataCoding(octet, _ALPHABET_BITS[(octet >> 2) & 0x03], klass, bool(octet & 0x20), bool(octet & 0x40))
    if group == 0xE:  # message waiting indication, store, UCS2 text
        return DataCoding(octet, Alphabet.UCS2)
    if group == 0xF:  # data coding / message class
        alphabet = Alphabet.DATA_8BIT if octet & 0x04 else Alphabet.GSM7
        return DataCoding(octet, alphabet, MessageClass(octet & 0x03))
    # 0xC/0xD (message waiting, GSM-7) and the reserved groups 0x8-0xB, which a receiver must
    # treat as the GSM 7-bit default alphabet.
    return DataCoding(octet, Alphabet.GSM7)


_DECODED = tuple(_decode_dcs(octet) for octet in range(256))


def encode_dcs(alphabet: Alphabet, message_class: MessageClass | None = None) -> int:
    """General-data-coding DCS: 0x00 / 0x04 / 0x08, with 0x10 | class when a class is wanted."""
    bits = {Alphabet.GSM7: 0x00, Alphabet.DATA_8BIT: 0x04, Alphabet.UCS2: 0x08}[alphabet]
    return bits if message_class is None else bits | 0x10 | message_class
