"""What an encoder hands to the modem layer: one PDU per part."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from . import gsm7
from .dcs import Alphabet
from .segments import plan_parts
from .udh import IEI_CONCAT_8BIT, IEI_CONCAT_16BIT, ConcatInfo, Ports, ports_element

MAX_PARTS = 255


@dataclass(frozen=True, slots=True)
class EncodedPdu:
    """One part, ready for `AT+CMGS=<tpdu_length>` followed by `hex` and Ctrl-Z.

    `tpdu_length` counts the octets after the SMSC prefix, which is what +CMGS (and +CMGW) want.
    `text` is the part's share of the message; `seq`/`total` number the parts from 1.
    """

    hex: str
    tpdu_length: int
    text: str
    seq: int
    total: int
    alphabet: Alphabet
    concat: ConcatInfo | None

    @property
    def octets(self) -> bytes:
        return bytes.fromhex(self.hex)


# The sending engine knows the parts of an SMS-SUBMIT by this name.
SubmitPdu = EncodedPdu


def default_concat_ref(address: str, text: str, use_16bit_ref: bool) -> int:
    """A concatenation reference derived from recipient and text.

    Deterministic, so a retried send reuses the reference of the first attempt and a receiving
    phone merges the parts instead of showing two half messages. Two different texts to one
    recipient collide with probability 1/256 (8-bit); identical texts colliding is harmless. Pass
    an explicit reference from a per-recipient counter to rule collisions out.
    """
    value = zlib.crc32(f"{address}\x00{text}".encode("utf-8", "surrogatepass"))
    return value & (0xFFFF if use_16bit_ref else 0xFF)


@dataclass(frozen=True, slots=True)
class PlannedPart:
    units: bytes  # septet values (GSM-7) or UTF-16BE bytes
    text: str
    header: bytes  # the user data header with its UDHL octet, or b"" for none
    concat: ConcatInfo | None


def plan_message(
    address: str,
    text: str,
    alphabet: Alphabet | None,
    *,
    concat_ref: int | None,
    use_16bit_ref: bool,
    ports: Ports | None,
) -> tuple[Alphabet, list[PlannedPart]]:
    """Split `text` and give every part its header (ports, and concatenation when multipart)."""
    base = ports_element(ports).to_bytes() if ports else b""
    alphabet, chunks = plan_parts(text, alphabet, use_16bit_ref=use_16bit_ref, base_udh_octets=len(base))
    total = len(chunks)
    if total > MAX_PARTS:
        raise ValueError(f"text needs {total} parts; a concatenated message has at most {MAX_PARTS}")
    if total == 1:
        return alphabet, [PlannedPart(chunks[0], text, bytes((len(base),)) + base if base else b"", None)]
    ref = concat_ref if concat_ref is not None else default_concat_ref(address, text, use_16bit_ref)
    if not 0 <= ref <= (0xFFFF if use_16bit_ref else 0xFF):
        raise ValueError(f"concat_ref {ref} does not fit a {'16' if use_16bit_ref else '8'}-bit reference")
    # Built as bytes here rather than through UserDataHeader: this runs for every part sent.
    if use_16bit_ref:
        prefix = bytes((len(base) + 6,)) + base + bytes((IEI_CONCAT_16BIT, 4, ref >> 8, ref & 0xFF, total))
    else:
        prefix = bytes((len(base) + 5,)) + base + bytes((IEI_CONCAT_8BIT, 3, ref, total))
    gsm = alphabet == Alphabet.GSM7
    parts = []
    for seq, chunk in enumerate(chunks, 1):
        part_text = gsm7.decode_septets(chunk) if gsm else chunk.decode("utf-16-be")
        concat = ConcatInfo(ref, total, seq, use_16bit_ref)
        parts.append(PlannedPart(chunk, part_text, prefix + bytes((seq,)), concat))
    return alphabet, parts
