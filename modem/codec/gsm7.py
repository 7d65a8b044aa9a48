"""The GSM 7-bit default alphabet and its extension table (TS 23.038 §6.2.1), and septet packing.

Characters of the extension table are sent as ESC (0x1B) plus a second septet, so each one costs two
septets; the splitter must never separate the two.
"""

from __future__ import annotations

import re

ESC = 0x1B

# Index = septet value. 0x1B is the escape to the extension table, not a character.
BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = {
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

assert len(BASIC) == 128

CHAR_TO_SEPTET: dict[str, int] = {char: code for code, char in enumerate(BASIC) if code != ESC}
EXT_CHAR_TO_SEPTET: dict[str, int] = {char: code for code, char in EXTENSION.items()}
EXTENSION_CHARS = frozenset(EXT_CHAR_TO_SEPTET)
GSM7_CHARS = frozenset(CHAR_TO_SEPTET) | EXTENSION_CHARS

# str.translate tables: one septet per character as a code point below 128, so that
# `.translate(...).encode("latin-1")` turns a text into septet values in C.
_TO_SEPTETS = {ord(c): chr(s) for c, s in CHAR_TO_SEPTET.items()}
_TO_SEPTETS.update({ord(c): chr(ESC) + chr(s) for c, s in EXT_CHAR_TO_SEPTET.items()})


# Regular expressions scan a text in C, which keeps the per-keystroke counter cheap.
_NON_GSM7 = re.compile("[^" + re.escape("".join(sorted(GSM7_CHARS))) + "]")
_EXTENSION = re.compile("[" + re.escape("".join(sorted(EXTENSION_CHARS))) + "]")


def is_gsm7(text: str) -> bool:
    """True when every character of `text` is in the default alphabet or its extension table."""
    return _NON_GSM7.search(text) is None


def has_extension_chars(text: str) -> bool:
    return _EXTENSION.search(text) is not None


def escape_positions(text: str) -> set[int]:
    """Septet offsets of the ESC septets `text` encodes to (each extension character shifts later
    ones by one)."""
    return {match.start() + shift for shift, match in enumerate(_EXTENSION.finditer(text))}


def septet_count(text: str) -> int:
    """Septets `text` needs (escaped characters count two). Assumes `is_gsm7(text)`."""
    return len(text) + sum(text.count(c) for c in EXTENSION_CHARS if c in text)


def encode_septets(text: str) -> bytes:
    """One byte per septet (values 0-127). Raises ValueError naming the first unencodable character."""
    septets = text.translate(_TO_SEPTETS)
    try:
        return septets.encode("latin-1")
    except UnicodeEncodeError as exc:
        bad = septets[exc.start]
        raise ValueError(f"character {bad!r} (U+{ord(bad):04X}) is not in the GSM 7-bit alphabet") from None


def decode_septets(septets: bytes | list[int]) -> str:
    """Text of a septet sequence. An escape followed by an undefined code shows the basic character,
    as TS 23.038 asks of a receiver; a dangling escape at the very end is dropped."""
    out: list[str] = []
    escaped = False
    for value in septets:
        if escaped:
            escaped = False
            out.append(EXTENSION.get(value, BASIC[value] if value != ESC else " "))
        elif value == ESC:
            escaped = True
        else:
            out.append(BASIC[value])
    return "".join(out)


def pack(septets: bytes, fill_bits: int = 0) -> bytes:
    """Pack septets LSB first into octets, after `fill_bits` zero bits (the padding after a UDH)."""
    if not septets:
        return b""
    # One big integer does the bit shuffling in C: septet i lands at bit 7*i + fill_bits.
    value = 0
    for septet in reversed(septets):
        value = (value << 7) | septet
    value <<= fill_bits
    nbits = 7 * len(septets) + fill_bits
    return value.to_bytes((nbits + 7) // 8, "little")


def unpack(data: bytes, count: int, fill_bits: int = 0) -> bytes:
    """The first `count` septets packed in `data` after `fill_bits` padding bits."""
    value = int.from_bytes(data, "little") >> fill_bits
    return bytes((value >> (7 * i)) & 0x7F for i in range(count))


def packed_length(septet_total: int) -> int:
    """Octets that `septet_total` septets (fill bits counted as part of the total) occupy."""
    return (septet_total * 7 + 7) // 8
