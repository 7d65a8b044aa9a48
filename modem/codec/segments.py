"""How a text is cut into SMS parts, and the cheap per-keystroke segment counter.

Limits (TS 23.040 §9.2.3.16, §9.2.3.24.1): user data holds 140 octets, i.e. 160 GSM-7 septets or
70 UTF-16 units. A concatenated part also carries a user data header (UDHL + 5 octets for the 8-bit
reference element, + 6 for the 16-bit one), which leaves 153/152 septets or 67/66 units. An escaped
GSM-7 character (two septets) and a UTF-16 surrogate pair (two units, e.g. an emoji) are never split
between parts: a part ends one unit early instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import gsm7
from .dcs import Alphabet

USER_DATA_OCTETS = 140
CONCAT_8BIT_UDH_OCTETS = 6  # UDHL + IEI + length + ref + total + seq
CONCAT_16BIT_UDH_OCTETS = 7


@dataclass(frozen=True, slots=True)
class SegmentCount:
    """What a composer shows under the text box.

    `units` are septets for GSM-7 (an escaped character such as '€' counts two) and UTF-16 code units
    for UCS2 (an emoji counts two). `units_left` is what still fits in the last part before another
    part is needed; `part_limit` is the capacity of one part at the current number of parts.
    """

    alphabet: Alphabet
    segments: int
    units: int
    units_left: int
    part_limit: int


def choose_alphabet(text: str) -> Alphabet:
    """GSM-7 when every character allows it (cheaper: 160 per part), else UCS2."""
    return Alphabet.GSM7 if gsm7.is_gsm7(text) else Alphabet.UCS2


def part_capacity(alphabet: Alphabet, udh_octets: int) -> int:
    """Units one part holds beside a header of `udh_octets` (UDHL included; 0 for no header)."""
    if alphabet == Alphabet.GSM7:
        # The header is padded to a septet boundary, so it costs ceil(8 * octets / 7) septets.
        return USER_DATA_OCTETS * 8 // 7 - -(-udh_octets * 8 // 7)
    room = USER_DATA_OCTETS - udh_octets
    return room // 2 if alphabet == Alphabet.UCS2 else room


def _capacities(alphabet: Alphabet, use_16bit_ref: bool, base_udh: int) -> tuple[int, int]:
    """(capacity of a single part, capacity of a part of a concatenated message)."""
    single = part_capacity(alphabet, base_udh + 1 if base_udh else 0)
    concat = CONCAT_16BIT_UDH_OCTETS if use_16bit_ref else CONCAT_8BIT_UDH_OCTETS
    return single, part_capacity(alphabet, concat + base_udh)


def _cut(length: int, capacity: int, breaks: Callable[[int], bool]) -> list[int]:
    """Start offsets of each part in a sequence of `length` items, at most `capacity` items per
    part; `breaks(cut)` says a cut there would split a unit (the part then ends one item early)."""
    starts = [0]
    start = 0
    while length - start > capacity:
        cut = start + capacity
        if breaks(cut):
            cut -= 1
        starts.append(cut)
        start = cut
    return starts


def _gsm_breaks(septets: bytes) -> Callable[[int], bool]:
    return lambda cut: septets[cut - 1] == gsm7.ESC


def _ucs2_breaks(data: bytes) -> Callable[[int], bool]:
    # Offsets count UTF-16 units; the unit before the cut must not be a high surrogate.
    return lambda cut: 0xD8 <= data[2 * cut - 2] <= 0xDB


def plan_parts(
    text: str,
    alphabet: Alphabet | None = None,
    *,
    use_16bit_ref: bool = False,
    base_udh_octets: int = 0,
) -> tuple[Alphabet, list[bytes]]:
    """Cut `text` into parts, each as its encoded units: one byte per septet for GSM-7, UTF-16BE
    bytes for UCS2. `base_udh_octets` is the size of any other information elements every part
    carries (e.g. 6 for 16-bit ports), without the UDHL octet.

    Raises ValueError when `alphabet` is GSM7 but the text has characters outside it, or when the
    text is not valid Unicode (a lone surrogate).
    """
    alphabet = alphabet or choose_alphabet(text)
    if alphabet == Alphabet.GSM7:
        units, step = gsm7.encode_septets(text), 1
        breaks = _gsm_breaks(units)
    elif alphabet == Alphabet.UCS2:
        units, step = text.encode("utf-16-be"), 2
        breaks = _ucs2_breaks(units)
    else:
        raise ValueError("text messages are sent as GSM7 or UCS2, not 8-bit data")
    single, concat = _capacities(alphabet, use_16bit_ref, base_udh_octets)
    count = len(units) // step
    if count <= single:
        return alphabet, [units]
    starts = [i * step for i in _cut(count, concat, breaks)]
    return alphabet, [units[a:b] for a, b in zip(starts, [*starts[1:], len(units)], strict=True)]


def split_text(text: str, *, alphabet: Alphabet | None = None, use_16bit_ref: bool = False) -> list[str]:
    """The texts of the parts `encode_submit` would send, in order; joining them gives `text` back."""
    alphabet, parts = plan_parts(text, alphabet, use_16bit_ref=use_16bit_ref)
    if alphabet == Alphabet.GSM7:
        return [gsm7.decode_septets(p) for p in parts]
    return [p.decode("utf-16-be") for p in parts]


def count_segments(text: str, *, use_16bit_ref: bool = False) -> SegmentCount:
    """Segments `text` will take, cheap enough for every keystroke (no PDU is built).

    Agrees with `len(encode_submit(number, text, use_16bit_ref=...))` for any text.
    """
    breaks: Callable[[int], bool] | None = None
    if gsm7.is_gsm7(text):
        alphabet = Alphabet.GSM7
        total = len(text)
        if gsm7.has_extension_chars(text):
            escapes = gsm7.escape_positions(text)
            total += len(escapes)
            breaks = _after(escapes)  # a cut right after an ESC septet would split the pair
    else:
        alphabet = Alphabet.UCS2
        data = text.encode("utf-16-be", "surrogatepass")
        total = len(data) // 2
        breaks = _ucs2_breaks(data)
    single, concat = _capacities(alphabet, use_16bit_ref, 0)
    if total <= single:
        return SegmentCount(alphabet, 1, total, single - total, single)
    if breaks is None:  # no escapes: plain arithmetic
        segments = -(-total // concat)
        last = total - (segments - 1) * concat
    else:
        starts = _cut(total, concat, breaks)
        segments = len(starts)
        last = total - starts[-1]
    return SegmentCount(alphabet, segments, total, concat - last, concat)


def _after(escapes: set[int]) -> Callable[[int], bool]:
    return lambda cut: cut - 1 in escapes
