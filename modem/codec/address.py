"""Address fields (TS 23.040 §9.1.2.5): phone numbers in swapped semi-octets, or GSM-7 alphanumerics."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from . import gsm7
from .errors import PduError
from .reader import Reader

MAX_ADDRESS_OCTETS = 10  # 20 digits, or 11 alphanumeric characters

# Semi-octet values 0xA-0xE carry '*', '#', 'a', 'b', 'c'; 0xF pads an odd number of digits.
_DIALLABLE = frozenset("0123456789*#")


class TypeOfNumber(IntEnum):
    UNKNOWN = 0
    INTERNATIONAL = 1
    NATIONAL = 2
    NETWORK_SPECIFIC = 3
    SUBSCRIBER = 4
    ALPHANUMERIC = 5
    ABBREVIATED = 6
    RESERVED = 7


class NumberingPlan(IntEnum):
    UNKNOWN = 0
    ISDN = 1  # E.164 telephone numbers
    RESERVED_2 = 2
    DATA = 3
    TELEX = 4
    SC_SPECIFIC_5 = 5
    SC_SPECIFIC_6 = 6
    RESERVED_7 = 7
    NATIONAL = 8
    PRIVATE = 9
    ERMES = 10
    RESERVED_11 = 11
    RESERVED_12 = 12
    RESERVED_13 = 13
    RESERVED_14 = 14
    RESERVED_15 = 15


@dataclass(frozen=True, slots=True)
class Address:
    """A phone number or alphanumeric sender as carried in a PDU.

    `number` is what a person reads: digits with a leading '+' when international, or the
    alphanumeric text (e.g. "10086" vs "Megafon"). Build one with `Address.parse()` to get the usual
    type for a string, or construct it directly to force a type (some networks want national 0xA1).
    """

    number: str
    ton: TypeOfNumber = TypeOfNumber.UNKNOWN
    npi: NumberingPlan = NumberingPlan.ISDN

    @classmethod
    def parse(cls, number: str) -> Address:
        """'+8613800138000' -> international/ISDN (0x91); '13800138000' or '10086' -> unknown/ISDN
        (0x81, the type every modem accepts for a number dialled as written); anything that is not
        digits, '*' or '#' -> alphanumeric (0xD0)."""
        text = number.strip()
        if text.startswith("+") and len(text) > 1 and _DIALLABLE.issuperset(text[1:]):
            return cls(text, TypeOfNumber.INTERNATIONAL, NumberingPlan.ISDN)
        if text and _DIALLABLE.issuperset(text):
            return cls(text, TypeOfNumber.UNKNOWN, NumberingPlan.ISDN)
        return cls(text, TypeOfNumber.ALPHANUMERIC, NumberingPlan.UNKNOWN)

    @property
    def type_octet(self) -> int:
        return 0x80 | (self.ton << 4) | self.npi

    def __str__(self) -> str:
        return self.number


def as_address(value: str | Address) -> Address:
    return value if isinstance(value, Address) else Address.parse(value)


# Semi-octets are hex digits with the two nibbles of each octet swapped; a 256-entry table swaps
# them in C, so numbers never go through a per-digit Python loop.
_SWAP_NIBBLES = bytes(((i & 0x0F) << 4) | (i >> 4) for i in range(256))
_TO_HEX = str.maketrans("*#abcABC", "abcdecde")
_FROM_HEX = str.maketrans("abcde", "*#abc")
_SEMI_OCTET_CHARS = frozenset("0123456789*#abcABC")


def encode_semi_octets(digits: str) -> bytes:
    """'123' -> 21 F3: each octet holds two digits, low nibble first, 0xF pads the last."""
    if not _SEMI_OCTET_CHARS.issuperset(digits):
        bad = next(c for c in digits if c not in _SEMI_OCTET_CHARS)
        raise ValueError(f"{bad!r} cannot be sent in a numeric address")
    hex_digits = digits.translate(_TO_HEX) + ("f" if len(digits) % 2 else "")
    return bytes.fromhex(hex_digits).translate(_SWAP_NIBBLES)


def decode_semi_octets(data: bytes, count: int | None = None) -> str:
    """Digits of swapped semi-octets; stops at `count` digits or at the 0xF filler."""
    digits = data.translate(_SWAP_NIBBLES).hex()
    end = digits.find("f")
    if end >= 0:
        digits = digits[:end]
    if count is not None:
        digits = digits[:count]
    return digits.translate(_FROM_HEX)


def _value_octets(address: Address) -> tuple[bytes, int]:
    """The address value and its length in semi-octets (the unit of TP-DA/OA/RA length)."""
    if address.ton == TypeOfNumber.ALPHANUMERIC:
        septets = gsm7.encode_septets(address.number)
        packed = gsm7.pack(septets)
        semi_octets = (len(septets) * 7 + 3) // 4
    else:
        digits = address.number.removeprefix("+") if address.ton == TypeOfNumber.INTERNATIONAL else address.number
        packed = encode_semi_octets(digits)
        semi_octets = len(digits)
    if len(packed) > MAX_ADDRESS_OCTETS:
        raise ValueError(f"address {address.number!r} is too long ({len(packed)} octets, at most 10)")
    return packed, semi_octets


def encode_address(address: str | Address) -> bytes:
    """TP-DA / TP-OA / TP-RA: length in semi-octets, type, value."""
    addr = as_address(address)
    packed, semi_octets = _value_octets(addr)
    return bytes((semi_octets, addr.type_octet)) + packed


def encode_smsc(smsc: str | Address | None) -> bytes:
    """The SMSC prefix AT+CMGS expects: length in octets (type included), type, value; or the single
    octet 00, which tells the modem to use the SMSC stored on the SIM."""
    if smsc is None or (isinstance(smsc, str) and not smsc.strip()):
        return b"\x00"
    addr = as_address(smsc)
    if addr.ton == TypeOfNumber.ALPHANUMERIC:
        raise ValueError(f"an SMSC address must be a number, not {addr.number!r}")
    packed, _ = _value_octets(addr)
    return bytes((len(packed) + 1, addr.type_octet)) + packed


_TONS = tuple(TypeOfNumber)
_NPIS = tuple(NumberingPlan)


def _make(value: bytes, type_octet: int, digits: int) -> Address:
    ton = _TONS[(type_octet >> 4) & 0x07]
    npi = _NPIS[type_octet & 0x0F]
    if ton == TypeOfNumber.ALPHANUMERIC:
        number = gsm7.decode_septets(gsm7.unpack(value, digits * 4 // 7))
    else:
        number = decode_semi_octets(value, digits)
        if ton == TypeOfNumber.INTERNATIONAL:
            number = "+" + number
    return Address(number, ton, npi)


def read_address(reader: Reader, field: str) -> Address:
    """Decode TP-OA / TP-DA / TP-RA (length counts semi-octets of the value)."""
    start = reader.pos
    digits = reader.octet(f"{field} length")
    octets = (digits + 1) // 2
    if octets > MAX_ADDRESS_OCTETS:
        raise PduError(f"{field} length {digits} exceeds the 20 semi-octets an address can hold", start)
    type_octet = reader.octet(f"{field} type")
    value = reader.take(octets, field)
    return _make(value, type_octet, digits)


def read_smsc(reader: Reader) -> Address | None:
    """Decode the SMSC prefix (length counts octets, type included); None when absent or empty."""
    start = reader.pos
    length = reader.octet("SMSC length")
    if length == 0:
        return None
    if length - 1 > MAX_ADDRESS_OCTETS:
        raise PduError(f"SMSC length {length} exceeds the 11 octets an SMSC address can hold", start)
    type_octet = reader.octet("SMSC type")
    value = reader.take(length - 1, "SMSC address")
    if not value:
        return None
    return _make(value, type_octet, 2 * len(value))
