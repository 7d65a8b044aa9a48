"""Finding every listed word in a text at once (Aho–Corasick, pyahocorasick), evasions folded away.

The automaton runs over the folded text (see normalize.py) written as UTF-8 bytes, one byte per character
of a latin-1 string. pyahocorasick keeps a node's children in a list it scans one by one; with 10,000
Chinese words the root alone has thousands of children, and a text of Chinese characters costs about
half a millisecond. Over UTF-8 no node has more than 64 children worth speaking of, and a CJK character
is three short steps: about two hundred times faster. UTF-8 cannot match out of step (lead and
continuation bytes are disjoint), so every match starts on a character boundary. A-Z are lowered on
those bytes as well (bytes.translate), which is why the folding leaves them alone.

Positions are worked out only for a text that has a hit: the folded text is traced back to the original
(Folder.origins), and a hit spans from its first character to its last in the text as written, with
whatever was inserted between them (法 * 轮 * 功).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import ahocorasick

from smsjingling.keywords.normalize import folder, normalize, unpack


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
        self._automaton: ahocorasick.Automaton | None = None
        if entries:
            automaton = ahocorasick.Automaton()
            for key, by_category in entries.items():
                pairs = tuple((word, category) for category, word in by_category.items())
                automaton.add_word(self._folder.pack(key), (key, len(key), pairs))
            automaton.make_automaton()
            self._automaton = automaton
        self._size = len(entries)

    def __len__(self) -> int:
        """How many different (folded) words the matcher looks for."""
        return self._size

    def check(self, text: str, allowed: Collection[str] = ()) -> list[Hit]:
        """Every hit in `text`, overlapping ones included, by position; [] when the text is clean.

        `allowed`: words an admin allowed for this send; hits of them (in any written form) are left out.
        """
        if self._automaton is None:
            return []
        packed = self._folder.pack(text)
        # find_all with a C callback is the cheapest clean pass; it keeps one match per end position, so a
        # text with any hit is scanned again for all of them.
        ends: dict[int, object] = {}
        self._automaton.find_all(packed, ends.__setitem__)
        if not ends:
            return []
        return self._locate(text, unpack(packed), list(self._automaton.iter(packed)), allowed)

    def blocked(self, text: str, allowed: Collection[str] = ()) -> bool:
        """Whether `text` has any hit (that is not allowed)."""
        return bool(self.check(text, allowed))

    def _locate(
        self,
        text: str,
        folded: str,
        matches: list[tuple[int, tuple[str, int, tuple[tuple[str, str], ...]]]],
        allowed: Collection[str],
    ) -> list[Hit]:
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
