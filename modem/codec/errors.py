"""The one exception a malformed PDU raises."""

from __future__ import annotations


class PduError(ValueError):
    """A PDU that cannot be decoded: truncated, inconsistent, or using a feature this codec refuses.

    `offset` is the index (0-based, counted from the first octet of the hex string as given, SMSC
    octets included) of the octet where the problem was found, or None when it concerns the whole PDU.
    The message always says what is wrong and where, so it can be logged as is.
    """

    def __init__(self, message: str, offset: int | None = None) -> None:
        self.offset = offset
        self.reason = message
        super().__init__(message if offset is None else f"{message} (at octet {offset})")
