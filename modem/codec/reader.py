"""A cursor over PDU octets that turns running off the end into a PduError naming the field."""

from __future__ import annotations

from .errors import PduError


def parse_hex(hex_str: str) -> bytes:
    """The octets of a hex string (either case, surrounding whitespace ignored)."""
    text = hex_str.strip()
    try:
        return bytes.fromhex(text)
    except ValueError:
        pass
    # Find the culprit only on the error path, so the common case stays a single C call.
    for pos, char in enumerate(text):
        if char not in "0123456789abcdefABCDEF":
            raise PduError(f"character {char!r} at position {pos} is not a hex digit", pos // 2) from None
    raise PduError(f"odd number of hex digits ({len(text)}): the last octet is incomplete", len(text) // 2)


class Reader:
    """Reads a PDU octet by octet; offsets are relative to the start of the whole PDU."""

    __slots__ = ("data", "pos")

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    @property
    def remaining(self) -> int:
        return len(self.data) - self.pos

    def octet(self, field: str) -> int:
        if self.pos >= len(self.data):
            raise PduError(f"PDU ends before {field}", self.pos)
        value = self.data[self.pos]
        self.pos += 1
        return value

    def take(self, count: int, field: str) -> bytes:
        if count > len(self.data) - self.pos:
            raise PduError(
                f"PDU ends inside {field}: needs {count} octets, only {len(self.data) - self.pos} left",
                self.pos,
            )
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk
