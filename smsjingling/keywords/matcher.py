"""Finding every listed word in a text at once (Aho–Corasick, pyahocorasick), evasions folded away.

The automaton runs over the folded text (see normalize.py) written as UTF-8 bytes, one byte per character
of a latin-1 string. pyahocorasick keeps a node's children in a list it scans one by one; with 10,000
Chinese words the root alone has thousands of children, and a message of 70 characters costs about a
tenth of a millisecond. Over UTF-8 no node has more than 64 children, and a CJK character is three short
steps: about twenty times faster (tests/benchmarks/bench_keywords.py). UTF-8 cannot match out of step
(lead and continuation bytes are disjoint), so every match starts on a character boundary. A-Z are
lowered on those bytes as well (bytes.translate), which is why the folding leaves them alone.

check_all() goes further for a campaign's messages: a chunk of them is folded as one text, with a
separator between messages that no word contains, and scanned in one call.

Positions are worked out only for a text that has a hit: the folded text is traced back to the original
(Folder.origins), and a hit spans from its first character to its last in the text as written, with
whatever was inserted between them (法 * 轮 * 功).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

import ahocorasick

from smsjingling.keywords.normalize import PACKED_SEPARATOR, folder, normalize, unpack

_CHUNK = 1000  # texts folded and scanned together by check_all: memory stays small, calls stay few
# What the automaton yields: (index of the match's last byte, (folded word, its length, ((word, category), ...))).
_Match = tuple[int, tuple[str, int, tuple[tuple[str, str], ...]]]


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a listed word. start and end index the original text (end exclusive)."""

    word: str  # the word as listed
    category: str
    start: int
    end: int
    text: str  # the original text's span, as written: 法 輪 功

    def __str__(self) -> str:
        return f"{self.start}-{self.end} {self.text} ({self.word}, {self.category})"


class Matcher:
    """An automaton over a word list, built once and then used for any number of texts (from any thread:
    nothing changes after construction)."""

    def __init__(self, words: Iterable[tuple[str, str]]) -> None:
        """`words`: (word, category) pairs. A word that folds to nothing is left out; words that fold to the
        same text are one entry, reported once per category (under the first such word of the category)."""
        self._folder = folder()
        entries: dict[str, dict[str, str]] = {}
        for word, category in words:
            key = normalize(word)
            if key:
                entries.setdefault(key, {}).setdefault(category, word)
        self._pack = self._folder.pack
        self._scan: Callable[[str], Iterator[_Match]] = lambda packed: iter(())
        if entries:
            automaton = ahocorasick.Automaton()
            for key, by_category in entries.items():
                pairs = tuple((word, category) for category, word in by_category.items())
                automaton.add_word(self._pack(key), (key, len(key), pairs))
            automaton.make_automaton()
            self._scan = automaton.iter
        self._size = len(entries)

    def __len__(self) -> int:
        """How many different (folded) words the matcher looks for."""
        return self._size

    def check(self, text: str, allowed: Collection[str] = ()) -> list[Hit]:
        """Every hit in `text`, overlapping ones included, by position; [] when the text is clean.

        `allowed`: words an admin allowed for this send; hits of them (in any written form) are left out.
        """
        # The clean case is the hot path (100,000 messages a campaign): no more than one fold and one scan.
        packed = self._pack(text)
        matches = self._scan(packed)
        first = next(matches, None)
        if first is None:
            return []
        return self._locate(text, unpack(packed), [first, *matches], allowed)

    def check_all(self, texts: Sequence[str], allowed: Collection[str] = ()) -> dict[int, list[Hit]]:
        """check() of many texts (a campaign's rendered messages): {index: hits} for the texts that have
        hits. The same result as check() on each, faster: the texts are folded together, a chunk at a
        time, and the automaton scans each chunk in one pass; only a text with a match is then checked on
        its own, for positions."""
        found: dict[int, list[Hit]] = {}
        for first in range(0, len(texts), _CHUNK):
            chunk = texts[first : first + _CHUNK]
            for index in self._candidates(chunk):
                if hits := self.check(chunk[index], allowed):
                    found[first + index] = hits
        return found

    def _candidates(self, texts: Sequence[str]) -> list[int]:
        """Indexes of the texts in which the automaton finds a match."""
        packed = self._folder.pack_many(texts)
        if packed is None:  # a text holds the separator itself: one by one
            return [i for i, text in enumerate(texts) if next(self._scan(self._pack(text)), None) is not None]
        ends = [end for end, _ in self._scan(packed)]
        if not ends:
            return []
        # Where each text's piece ends in the packed chunk (its separator included), to place the matches.
        bounds = list(accumulate(len(piece) + len(PACKED_SEPARATOR) for piece in packed.split(PACKED_SEPARATOR)))
        return sorted({bisect_right(bounds, end) for end in ends})

    def blocked(self, text: str, allowed: Collection[str] = ()) -> bool:
        """Whether `text` has any hit (that is not allowed)."""
        return bool(self.check(text, allowed))

    def _locate(self, text: str, folded: str, matches: list[_Match], allowed: Collection[str]) -> list[Hit]:
        allowed_keys = {normalize(word) for word in allowed}
        origins = self._folder.origins(text)
        # The automaton reports the last byte of each match; this maps bytes back to folded characters.
        char_of_byte: list[int] = []
        for index, ch in enumerate(folded):
            char_of_byte.extend([index] * len(ch.encode("utf-8")))
        hits: list[Hit] = []
        for last_byte, (key, length, pairs) in matches:
            if key in allowed_keys:
                continue
            last = char_of_byte[last_byte]
            start = origins[last - length + 1]
            end = origins[last] + 1
            for word, category in pairs:
                hits.append(Hit(word, category, start, end, text[start:end]))
        hits.sort(key=lambda h: (h.start, h.end, h.category, h.word))
        return hits
