"""The user data header (TS 23.040 §9.2.3.24): concatenation and port information elements.

Elements this codec does not interpret (EMS pictures, national language shift tables, ...) are kept
as raw bytes in their order, so nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import PduError

IEI_CONCAT_8BIT = 0x00
IEI_PORTS_8BIT = 0x04
IEI_PORTS_16BIT = 0x05
IEI_CONCAT_16BIT = 0x08


@dataclass(frozen=True, slots=True)
class InformationElement:
    iei: int
    data: bytes

    def to_bytes(self) -> bytes:
        return bytes((self.iei, len(self.data))) + self.data


@dataclass(frozen=True, slots=True)
class ConcatInfo:
    """Where a part sits in a concatenated message. Parts of one message share (sender, ref, total);
    `seq` runs 1..total."""

    ref: int
    total: int
    seq: int
    ref_16bit: bool = False


@dataclass(frozen=True, slots=True)
class Ports:
    """Application port addressing (WAP push, vCards, ...)."""

    destination: int
    source: int
    ports_16bit: bool = True


@dataclass(frozen=True, slots=True)
class UserDataHeader:
    elements: tuple[InformationElement, ...]

    @property
    def concat(self) -> ConcatInfo | None:
        """The concatenation element, if any; an element with total 0, seq 0 or seq > total is
        ignored, as §9.2.3.24.1 asks of a receiver."""
        for element in self.elements:
            if element.iei == IEI_CONCAT_8BIT and len(element.data) == 3:
                ref, total, seq = element.data
                sixteen = False
            elif element.iei == IEI_CONCAT_16BIT and len(element.data) == 4:
                ref, total, seq = int.from_bytes(element.data[:2], "big"), element.data[2], element.data[3]
                sixteen = True
            else:
                continue
            if total and 1 <= seq <= total:
                return ConcatInfo(ref, total, seq, sixteen)
        return None

    @property
    def ports(self) -> Ports | None:
        for element in self.elements:
            if element.iei == IEI_PORTS_16BIT and len(element.data) == 4:
                d = element.data
                return Ports(int.from_bytes(d[:2], "big"), int.from_bytes(d[2:], "big"), True)
            if element.iei == IEI_PORTS_8BIT and len(element.data) == 2:
                return Ports(element.data[0], element.data[1], False)
        return None

    def to_bytes(self) -> bytes:
        """The header with its UDHL octet in front."""
        body = b"".join(e.to_bytes() for e in self.elements)
        return bytes((len(body),)) + body


def concat_element(info: ConcatInfo) -> InformationElement:
    if info.ref_16bit:
        return InformationElement(IEI_CONCAT_16BIT, info.ref.to_bytes(2, "big") + bytes((info.total, info.seq)))
    return InformationElement(IEI_CONCAT_8BIT, bytes((info.ref, info.total, info.seq)))


def ports_element(ports: Ports) -> InformationElement:
    if ports.ports_16bit:
        data = ports.destination.to_bytes(2, "big") + ports.source.to_bytes(2, "big")
        return InformationElement(IEI_PORTS_16BIT, data)
    return InformationElement(IEI_PORTS_8BIT, bytes((ports.destination, ports.source)))


def parse_udh(data: bytes, offset: int) -> UserDataHeader:
    """Parse the elements of a header whose UDHL octet has been read; `data` excludes UDHL and
    `offset` is the PDU octet where `data` starts."""
    elements: list[InformationElement] = []
    pos = 0
    while pos < len(data):
        if pos + 2 > len(data):
            raise PduError("user data header ends inside an information element's IEI/length", offset + pos)
        iei, length = data[pos], data[pos + 1]
        if pos + 2 + length > len(data):
            raise PduError(
                f"information element {iei:#04x} claims {length} octets but the header has {len(data) - pos - 2} left",
                offset + pos + 1,
            )
        elements.append(InformationElement(iei, bytes(data[pos + 2 : pos + 2 + length])))
        pos += 2 + length
    return UserDataHeader(tuple(elements))
