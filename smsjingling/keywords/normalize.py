"""Folding text so that the usual evasions of a keyword filter fall away, with a way back to the original.

Every character is folded on its own, into zero, one or (rarely) a few characters:

1. compatibility decomposition (NFKD) and case folding, repeated until nothing changes: full-width and
   half-width forms become plain ones (ＡＢＣ１２３ -> abc123), circled and parenthesised digits and letters
   become the digit or letter (① -> 1), Kangxi radicals and CJK compatibility ideographs become the
   ordinary ideograph, upper case becomes lower case;
2. traditional forms become simplified ones, one character for one (OpenCC's TSCharacters table, its first
   candidate: 輪 -> 轮, 發 and 髮 -> 发);
3. anything that is not a letter or a digit (str.isalnum) is dropped: spaces, punctuation, symbols, emoji,
   combining marks, zero-width and other invisible characters. So 法 轮 功, 法.轮.功, 法*轮*功 and
   法\u200b轮\u200b功 all fold to 法轮功.

Because each character folds on its own, the folded text can always be traced back: `origins()` says, for
every folded character, which character of the original produced it, so a window can highlight the span
of a hit in the text the user wrote. Words and texts are folded by the same function, so a word entered
in traditional form or with spaces matches every variant too.

Speed: the filter folds every rendered message, so `pack()` (what the matcher reads) takes no Python step
per character. The characters of the Basic Multilingual Plane are sorted once into three sets: those that
stay as they are (most of Chinese, digits, lower-case letters), those that are dropped, and those that
change. Non-ASCII characters to drop go in one regular-expression substitution; ASCII ones are dropped,
and A-Z lowered, on the UTF-8 bytes the matcher reads anyway (bytes.translate). The table of changes
(str.translate, slower per character) is applied only when the text holds such a character, which a
precompiled character class finds at C speed; A-Z are left out of that class, since lowering ASCII on the
bytes is cheap. Characters outside the BMP (emoji, rare ideographs) always take the table, which fills
itself as it meets them.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from smsjingling import paths

TS_TABLE_PATH = Path("keywords") / "opencc" / "TSCharacters.txt"
_BMP = 0x10000
# Between texts packed together (Folder.pack_many): a letter, so folding keeps it and a match cannot run
# across it unless a listed word holds it, which a word list never does (ꙮ, Cyrillic multiocular O).
SEPARATOR = "\ua66e"
PACKED_SEPARATOR = SEPARATOR.encode("utf-8").decode("latin-1")
# The punctuation of everyday Chinese text: on a long text, str.replace removes these quicker than the regex.
_COMMON_DROPPED = "，。、：；！？【】（）“”《》…—"
_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")


@functools.cache
def traditional_to_simplified() -> dict[str, str]:
    """Traditional character -> simplified one, from OpenCC's TSCharacters.txt (resources/keywords/opencc).

    Lines read `繁<TAB>简 [简2 …]`; the first candidate is OpenCC's own default. Entries whose first
    candidate is the character itself (a form in use in both scripts, such as 覆) are left out.
    """
    table: dict[str, str] = {}
    path = paths.resources_dir() / TS_TABLE_PATH
    with path.open(encoding="utf-8") as f:
        for line in f:
            traditional, _, candidates = line.rstrip("\n").partition("\t")
            first = candidates.split(" ", 1)[0]
            if len(traditional) == 1 and len(first) == 1 and first != traditional:
                table[traditional] = first
    return table


def fold_char(ch: str) -> str:
    """The folded form of one character: "" when it is dropped, else one or more letters or digits."""
    ts = traditional_to_simplified()
    if ch not in ts and unicodedata.is_normalized("NFKD", ch) and ch.casefold() == ch:
        return ch if ch.isalnum() else ""  # the common case, and what the loop below would give
    text = ch
    # NFKD and casefold each feed the other now and then (a decomposed letter with an upper-case form, a
    # case-folded letter with a compatibility decomposition); a few rounds reach the fixpoint.
    for _ in range(4):
        folded = "".join(ts.get(c, c) for c in unicodedata.normalize("NFKD", text).casefold())
        if folded == text:
            break
        text = folded
    return "".join(c for c in text if c.isalnum())


class _FoldTable(dict[int, str]):
    """str.translate's table: code point -> folded text. Characters outside the BMP are folded when first met."""

    def __missing__(self, code: int) -> str:
        value = fold_char(chr(code))
        self[code] = value
        return value


def _char_class(codes: list[int]) -> str:
    """A regular-expression character class body for these code points, as ranges."""
    parts: list[str] = []
    start = prev = None
    for code in [*codes, -2]:
        if prev is not None and code == prev + 1:
            prev = code
            continue
        if start is not None and prev is not None:
            parts.append(re.escape(chr(start)) if start == prev else f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
        start = prev = code
    return "".join(parts)


class Folder:
    """The folding of whole texts; built once (a few tenths of a second), then shared (see `folder()`)."""

    def __init__(self) -> None:
        table = _FoldTable()
        dropped: list[int] = []
        changed: list[int] = []
        for code in range(_BMP):
            ch = chr(code)
            folded = fold_char(ch)
            table[code] = folded
            if not folded:
                dropped.append(code)
            elif folded != ch and not ("A" <= ch <= "Z"):
                changed.append(code)
        self._table = table
        self._dropped_wide = re.compile(f"[{_char_class([c for c in dropped if c >= 0x80])}]")
        self._dropped_ascii = bytes(c for c in dropped if c < 0x80)
        # Any character beyond the BMP sends the text through the table, which knows how to fold it.
        self._changed = re.compile(f"[{_char_class(changed)}\U00010000-\U0010ffff]")
        if table[ord(SEPARATOR)] != SEPARATOR or any(table[ord(c)] for c in _COMMON_DROPPED):
            raise RuntimeError("the Unicode database no longer folds the separator or punctuation as expected")
        self.pack = self._packer()

    def fold(self, text: str) -> str:
        """The folded text: 法 輪 功 -> 法轮功, ＡＢＣ -> abc."""
        return unpack(self.pack(text))

    def _packer(self) -> Callable[[str], str]:
        """pack(): a closure over its tables, which spares the attribute look-ups on the hot path."""

        def pack(
            text: str,
            changed: Callable[[str], object] = self._changed.search,
            table: _FoldTable = self._table,
            drop_wide: Callable[[str, str], str] = self._dropped_wide.sub,
            drop_ascii: bytes = self._dropped_ascii,
        ) -> str:
            """The folded text as UTF-8 bytes, one latin-1 character per byte (what the matcher's automaton
            reads).

            Non-ASCII characters to drop go in one regex substitution; ASCII ones are dropped, and A-Z
            lowered, on the bytes (bytes.translate, far quicker). str.lower() would not do: it also changes
            characters that folding leaves upper case (Cherokee case-folds to upper case).
            """
            if changed(text) is not None:
                text = text.translate(table)
            return drop_wide("", text).encode("utf-8").translate(_LOWER, drop_ascii).decode("latin-1")

        return pack

    def pack_many(self, texts: Sequence[str]) -> str | None:
        """pack() of each text, joined by PACKED_SEPARATOR: one pass for many texts, without a Python step
        per text beyond spotting those that need the table. None when a text holds the separator itself
        (then the pieces could not be told apart; pack them one by one)."""
        changed = self._changed.search
        table = self._table
        joined = SEPARATOR.join([t.translate(table) if changed(t) is not None else t for t in texts])
        for ch in _COMMON_DROPPED:
            joined = joined.replace(ch, "")
        raw = self._dropped_wide.sub("", joined).encode("utf-8")
        packed = raw.translate(_LOWER, self._dropped_ascii).decode("latin-1")
        if packed.count(PACKED_SEPARATOR) != max(len(texts) - 1, 0):
            return None
        return packed

    def origins(self, text: str) -> list[int]:
        """For each character of the folded text, the index in `text` of the character that produced it."""
        table = self._table
        out: list[int] = []
        for index, ch in enumerate(text):
            out.extend([index] * len(table[ord(ch)]))
        return out

    def fold_each(self, text: str) -> str:
        """The folded text computed one character at a time: the definition that `fold` and `pack` follow."""
        table = self._table
        return "".join(table[ord(ch)] for ch in text)


def unpack(packed: str) -> str:
    """The folded text back from its packed form."""
    return packed.encode("latin-1").decode("utf-8")


_lock = threading.Lock()
_folder: Folder | None = None


def folder() -> Folder:
    """The process's Folder, built on first use."""
    global _folder
    if _folder is None:
        with _lock:
            if _folder is None:
                _folder = Folder()
    return _folder


def normalize(text: str) -> str:
    """The folded form of `text` (what keywords are matched on): 法 輪 功 -> 法轮功, ＡＢＣ -> abc."""
    return folder().fold(text)
