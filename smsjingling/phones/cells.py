"""Cleaning spreadsheet cells: text cells (names, departments ...) and cells holding several numbers."""

from __future__ import annotations

import math
import re

from smsjingling.phones.model import PhoneError

# Zero-width and invisible characters that sneak in from web pages, WeChat and PDF copies: soft hyphen,
# zero-width spaces and joiners, direction marks and embeddings, word joiner and invisible operators, BOM.
# One table for every cleaner of cell text (the importer's cell_text uses it too), as a str.translate map.
INVISIBLE = dict.fromkeys(
    [
        0x00AD,
        0x180E,
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
        0xFEFF,
    ],
    None,
)


def clean_text(value: object) -> str:
    """A text cell as it should be stored: no invisible characters, single plain spaces, no outer spaces.

    Numbers become their digits (13800138000.0 -> "13800138000"; a float with a fraction keeps it); None
    and an empty (NaN) float cell become "". NBSP and the ideographic space (U+3000) become plain spaces
    and runs of whitespace collapse to one. Chinese text and full-width letters or digits are left as
    they are: a name is not a number and is not normalised further.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, float):
        if math.isnan(value):
            return ""
        text = str(int(value)) if value.is_integer() else str(value)
    else:
        text = str(value)
    # str.split() with no argument splits on every Unicode whitespace, NBSP and U+3000 included.
    return " ".join(text.translate(INVISIBLE).split())


_SEPARATORS = re.compile(r"[/,、，；／\r\n\v\f\u0085\u2028\u2029]+|;(?!\s*ext=)", re.IGNORECASE)
_THOUSANDS = re.compile(r"\s*\d{1,3}(?:,\d{3})+\s*")


def split_phone_cell(value: object) -> list[object]:
    """The candidate numbers in one spreadsheet cell, in order; [] for an empty cell.

    Splits on / , ; 、 ， ； ／ and line breaks. A group separated by spaces is split further only when
    every space-separated part is itself a complete number ("13800138000 13900139000" -> two;
    "138 0013 8000" and "010 8888 6666" stay one). Numbers (int, float) are one item as they are; a text
    written with thousands separators ("13,800,138,000") is one item too. Items are returned as text with
    invisible characters removed and outer spaces stripped; pass each one to `parse_phone`.
    """
    if value is None:
        return []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [] if isinstance(value, float) and math.isnan(value) else [value]
    text = str(value).translate(INVISIBLE)
    if _THOUSANDS.fullmatch(text):
        return [text.strip()]
    items: list[object] = []
    for piece in _SEPARATORS.split(text):
        piece = piece.strip()
        if not piece:
            continue
        groups = piece.split()
        if len(groups) > 1 and all(_is_full_number(g) for g in groups):
            items.extend(groups)
        else:
            items.append(piece)
    return items


def _is_full_number(text: str) -> bool:
    from smsjingling.phones.normalize import parse_phone  # normalize imports this module

    try:
        parse_phone(text)
    except PhoneError:
        return False
    return True
