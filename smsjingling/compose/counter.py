"""The compose box's live counter: called on every keystroke, so it builds no PDU.

The numbers come from the modem library's `count_segments`, the same function the sender's split agrees
with, so the split shown is the split sent. On top of it this says which characters force UCS2 (70
characters a part instead of 160): in a text that is otherwise GSM-7, one full-width comma or an invisible
zero-width space copied from a web page more than doubles the price, and the UI can point at it and offer
the replacement.

Pass the text as it will be sent (`Decoration.apply` adds the signature and any unsubscribe note): the
brackets of 【签名】 are not GSM-7, so a signed message is always UCS2.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from modem.codec import Alphabet, count_segments, is_gsm7
from modem.codec.gsm7 import GSM7_CHARS
from smsjingling.phones.cells import INVISIBLE

# Listing every character of a Chinese text would only cost time: the UI points at a few stray ones.
UCS2_CHARS_LISTED = 50

_NON_GSM7 = re.compile("[^" + re.escape("".join(sorted(GSM7_CHARS))) + "]")

# Look-alikes NFKC leaves alone; NFKC handles full-width ASCII (，→, Ａ→A), the ideographic space and "…".
_LOOKALIKES = {
    "“": '"',
    "”": '"',
    "„": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "–": "-",
    "—": "-",
    "−": "-",
    "。": ".",
    "、": ",",
    "《": "<",
    "》": ">",
    "【": "[",
    "】": "]",
    "〔": "(",
    "〕": ")",
}


@dataclass(frozen=True, slots=True)
class Ucs2Char:
    """A character that makes the text UCS2. `position` is its index in the text (a Python str index:
    code points; Qt counts UTF-16 units, so an emoji earlier in the text shifts Qt's position by one)."""

    position: int
    char: str
    replacement: str | None  # GSM-7 text that could stand in for it; "" for an invisible character


@dataclass(frozen=True, slots=True)
class TextCount:
    """What the compose box shows under the text."""

    chars: int  # characters as Python counts them (code points: an emoji is one)
    units: int  # septets for GSM-7 (€ [ ] { } ~ ^ | \\ count two), UTF-16 units for UCS2 (an emoji counts two)
    segments: int
    units_left: int  # what still fits before another part is needed
    part_limit: int  # capacity of one part at this number of parts (160/153 or 70/67)
    alphabet: Alphabet
    ucs2_chars: tuple[Ucs2Char, ...] = ()  # the first UCS2_CHARS_LISTED characters that force UCS2
    ucs2_total: int = 0  # how many characters force UCS2 in all

    @property
    def encoding(self) -> str:
        """The encoding as a message's encoding column stores it: "gsm7" or "ucs2"."""
        return self.alphabet.value


@functools.lru_cache(maxsize=4096)
def replacement_for(char: str) -> str | None:
    """GSM-7 text that could replace `char`, or None when nothing sensible does (a Chinese character)."""
    if char.translate(INVISIBLE) == "":
        return ""
    candidate = _LOOKALIKES.get(char) or unicodedata.normalize("NFKC", char)
    return candidate if candidate != char and is_gsm7(candidate) else None


def count(text: str) -> TextCount:
    """Characters, units, segments and what is left in the last part of `text`, and the characters that
    force UCS2. Cheap enough for every keystroke of a long text."""
    seg = count_segments(text)
    listed: tuple[Ucs2Char, ...] = ()
    total = 0
    if seg.alphabet is Alphabet.UCS2:
        found = itertools.islice(_NON_GSM7.finditer(text), UCS2_CHARS_LISTED)
        listed = tuple(Ucs2Char(m.start(), m.group(), replacement_for(m.group())) for m in found)
        total = _NON_GSM7.subn("", text)[1]  # counted in C: a Chinese text has hundreds
    return TextCount(len(text), seg.units, seg.segments, seg.units_left, seg.part_limit, seg.alphabet, listed, total)
