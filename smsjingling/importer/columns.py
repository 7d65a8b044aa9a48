"""Finding the header row of a contact sheet, mapping its columns, and turning cells into stored text.

Decisions worth knowing:

- Header words are compared after NFKC (full-width → half-width), case folding, removal of every space
  and zero-width character, and removal of a leading/trailing ``*`` and trailing ``:``/``：``. If that
  does not match, a trailing bracketed note ("手机号码（必填）") and then a trailing number ("手机2") are
  dropped and the word is looked up again.
- Besides the agreed vocabulary, 座机/固定电话/办公电话 are phone columns and 序号 (the running number
  column of almost every Chinese sheet) is ignored; every other unknown header is kept as a field.
- Several columns may map to PHONE, NAME, GROUP or CONSENT. A field key is used once: a second column that
  would map to the same field (部门 and 单位) keeps its own header text as the field name ("单位"), or gets
  the duplicate suffix when its header is the key itself.
- Duplicate headers are numbered: "备注", "备注_2", "备注_3".
- Overrides name a column by its header: "备注" means every column headed 备注, "备注_2" only the second;
  when nothing matches exactly, the normalised forms are compared ("手机号码" finds "手机号码*"). The
  value may be a target (phone/name/group/consent/ignore, any case), any header word of the vocabulary
  ("手机" → phone, "department" → 部门), or any other field name.
- ``cell_text`` turns a spreadsheet value into the text that is stored; see its docstring.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from smsjingling import messages
from smsjingling.errors import ImportFileError
from smsjingling.phones.cells import INVISIBLE

messages.register(
    {
        "import.no_header_row": (
            "表格里没有内容，找不到表头行。",
            "The sheet has no content, so no header row was found.",
        ),
        "import.no_phone_column": (
            "第 {row} 行的表头中没有手机号码列。找到的表头：{headers}。"
            "请把手机号码列的表头改为“手机”，或用 --map 列名=phone 指定。",
            "The header in row {row} has no phone number column. Headers found: {headers}. Name the "
            'column "手机" or "phone", or choose it with --map <column>=phone.',
        ),
        "import.unknown_override_column": (
            "指定的列“{column}”不在表头（第 {row} 行）中。表头有：{headers}",
            'There is no column "{column}" in the header (row {row}). The headers are: {headers}',
        ),
        "import.bad_override": (
            "列“{column}”的指定无效：“{value}”。可用 phone、name、group、consent、ignore 或一个字段名。",
            'Invalid choice "{value}" for column "{column}". Use phone, name, group, consent, ignore or a field name.',
        ),
    }
)


class Target(StrEnum):
    NAME = "name"
    PHONE = "phone"
    GROUP = "group"
    CONSENT = "consent"
    IGNORE = "ignore"


STANDARD_FIELDS = ("部门", "职务", "备注", "生日", "性别", "邮箱", "公司", "地址")

_VOCABULARY: dict[str, tuple[str, ...]] = {
    Target.NAME: ("姓名", "名字", "联系人", "人员", "员工姓名", "客户姓名", "name", "full name", "contact"),
    Target.PHONE: (
        "手机",
        "手机号",
        "手机号码",
        "移动电话",
        "电话",
        "联系电话",
        "联系方式",
        "电话号码",
        "号码",
        "mobile",
        "phone",
        "cell",
        "tel",
        "telephone",
        "mobile phone",
        "座机",
        "固定电话",
        "办公电话",
    ),
    "部门": ("部门", "科室", "单位", "部门名称", "department", "dept"),
    "职务": ("职务", "职位", "岗位", "职称", "title", "position"),
    "备注": ("备注", "说明", "remark", "remarks", "note", "notes"),
    "生日": ("生日", "出生日期", "birthday", "date of birth"),
    Target.GROUP: ("分组", "群组", "组", "组别", "group"),
    Target.CONSENT: ("同意", "是否同意", "授权", "consent"),
    "性别": ("性别", "gender"),
    "邮箱": ("邮箱", "电子邮件", "email", "e-mail"),
    "公司": ("公司", "company"),
    "地址": ("地址", "address"),
    Target.IGNORE: ("序号",),
}

_ODD_SPACES = dict.fromkeys(
    [0x00A0, 0x1680, 0x202F, 0x205F, 0x3000, 0x0009, 0x000B, 0x000C, *range(0x2000, 0x200B)], " "
)
_CLEAN_TABLE = {**INVISIBLE, **_ODD_SPACES}
_FULLWIDTH_DIGITS = {0xFF10 + i: str(i) for i in range(10)}
_CJK = r"\u2e80-\u2fff\u3005-\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"[ ]{2,}")
_TRAILING_NOTE = re.compile(r"[(\[【{<][^()\[\]【】{}<>]*[)\]】}>]$")
_TRAILING_NUMBER = re.compile(r"[-_#]?\d+$")


def _norm(text: str) -> str:
    """The comparison form of a header word."""
    text = unicodedata.normalize("NFKC", text.translate(INVISIBLE)).casefold()
    text = "".join(text.split())
    return text.strip("*").rstrip(":*").lstrip("*")


_LOOKUP: dict[str, str] = {_norm(alias): str(t) for t, aliases in _VOCABULARY.items() for alias in aliases}


def _lookup(header: str) -> str | None:
    """The target or field key a header word names, or None."""
    key = _norm(header)
    if not key:
        return None
    found = _LOOKUP.get(key)
    if found is None:
        stripped = _TRAILING_NOTE.sub("", key)
        if stripped != key and stripped:
            found = _LOOKUP.get(stripped)
            key = stripped
    if found is None:
        stripped = _TRAILING_NUMBER.sub("", key)
        if stripped != key and stripped:
            found = _LOOKUP.get(stripped)
    return found


def _clean_header(value: object) -> str:
    text = cell_text(value) if not isinstance(value, str) else _clean_text(value)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = " ".join(text.split())
    return text.strip().lstrip("*＊").rstrip(":：*＊ ").strip()


# ---------------------------------------------------------------- header row


def find_header_row(rows: list[tuple[int, list[object]]]) -> int:
    """The Excel row number of the header among the first rows of a sheet (as ``Sheet.head()`` gives).

    The row whose cells name the most distinct known headers wins (a phone header counts a little extra,
    the earliest row wins a tie); title rows, notes and blank rows name none. Without any known header,
    the first row with two or more different texts is taken (a merged title repeats one text), then the
    first non-empty row.
    """
    best_row, best_score = None, 0.0
    fallback = first = None
    for number, cells in rows:
        texts = [_clean_header(c) for c in cells if isinstance(c, str) and c.strip()]
        if first is None and any(c is not None and str(c).strip() for c in cells):
            first = number
        if fallback is None and len(set(texts)) >= 2:
            fallback = number
        found = {t for t in texts if _lookup(t) is not None}
        targets = {_lookup(t) for t in found}
        score = len(found) + (0.5 if Target.PHONE in targets else 0.0)
        if score > best_score:
            best_row, best_score = number, score
    for choice in (best_row, fallback, first):
        if choice is not None:
            return choice
    raise ImportFileError("import.no_header_row")


# ---------------------------------------------------------------- column mapping


@dataclass(frozen=True)
class ColumnMapping:
    header_row: int
    headers: list[str]  # cleaned header texts by column index ("" for an empty header cell)
    targets: dict[int, str] = field(default_factory=dict)  # column index -> Target value or field key

    def columns_for(self, target: str) -> list[int]:
        return sorted(i for i, t in self.targets.items() if t == target)

    @property
    def fields(self) -> dict[int, str]:
        """Column index -> field key, for the columns that are stored as extra fields."""
        plain = {str(t) for t in Target}
        return {i: t for i, t in sorted(self.targets.items()) if t not in plain}


def _resolve_override(column: str, value: str, row: int) -> str:
    wanted = value.strip()
    if not wanted:
        raise ImportFileError("import.bad_override", column=column, value=value, row=row)
    lowered = wanted.casefold()
    for t in Target:
        if lowered == t.value:
            return t.value
    return _lookup(wanted) or wanted


def map_columns(
    header_cells: list[object], header_row: int, overrides: Mapping[str, str] | None = None
) -> ColumnMapping:
    headers: list[str] = []
    seen: dict[str, int] = {}
    for cell in header_cells:
        text = _clean_header(cell) if cell is not None else ""
        if text:
            key = _norm(text)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                text = f"{text}_{seen[key]}"
        headers.append(text)

    targets: dict[int, str] = {}
    for index, text in enumerate(headers):
        if not text:
            targets[index] = Target.IGNORE.value
            continue
        base = _strip_suffix(text, index, headers)
        targets[index] = _lookup(base) or text

    forced: set[int] = set()
    if overrides:
        shown = " / ".join(h for h in headers if h) or "-"
        for column, value in overrides.items():
            wanted = column.strip()
            indexes = [i for i, h in enumerate(headers) if h and wanted in (h, _strip_suffix(h, i, headers))]
            if not indexes:
                key = _norm(column)
                indexes = [i for i, h in enumerate(headers) if h and _norm(_strip_suffix(h, i, headers)) == key]
            if not indexes:
                raise ImportFileError("import.unknown_override_column", column=column, headers=shown, row=header_row)
            resolved = _resolve_override(column, value, header_row)
            for i in indexes:
                targets[i] = resolved
                forced.add(i)

    # One column per field key: a later column that lands on a key already taken keeps its own name.
    plain = {str(t) for t in Target}
    taken: set[str] = {t for i, t in targets.items() if i in forced and t not in plain}
    for index in sorted(targets):
        t = targets[index]
        if t in plain or index in forced:
            continue
        if t in taken:
            own = headers[index]
            targets[index] = own if own not in taken else f"{t}_{index + 1}"
        taken.add(targets[index])

    mapping = ColumnMapping(header_row=header_row, headers=headers, targets=targets)
    if not mapping.columns_for(Target.PHONE):
        raise ImportFileError(
            "import.no_phone_column", row=header_row, headers=" / ".join(h for h in headers if h) or "-"
        )
    return mapping


def _strip_suffix(text: str, index: int, headers: list[str]) -> str:
    """The header text without the duplicate number this module added ("备注_2" → "备注")."""
    base, sep, number = text.rpartition("_")
    if sep and number.isdigit() and any(_norm(h) == _norm(base) for h in headers[:index]):
        return base
    return text


# ---------------------------------------------------------------- cell text

_DATE_WORDS = ("日期", "生日", "date", "birth")
_DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL_MAX = 2958465  # 9999-12-31


@functools.lru_cache(maxsize=256)
def _is_date_field(target: str | None) -> bool:
    if not target:
        return False
    key = _norm(target)
    return any(word in key for word in _DATE_WORDS) or key == "出生日期"


def _clean_text(text: str) -> str:
    text = text.translate(_CLEAN_TABLE).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln).strip()


def _format_float(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        return ""
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = f"{value:.15g}"
    if "e" in text:
        text = format(float(text), "f").rstrip("0").rstrip(".")
    return text


def _serial_to_date(serial: float) -> _dt.date | _dt.datetime | None:
    """Excel's 1900 date system, including its fictitious 1900-02-29 (serial 60)."""
    if not 1 <= serial <= _SERIAL_MAX or serial == 60 or (60 < serial < 61):
        return None
    days = int(serial)
    base = _dt.date(1899, 12, 31) if serial < 60 else _dt.date(1899, 12, 30)
    day = base + _dt.timedelta(days=days)
    minutes = round((serial - days) * 24 * 60)
    if minutes <= 0 or minutes >= 24 * 60:
        return day
    return _dt.datetime.combine(day, _dt.time()) + _dt.timedelta(minutes=minutes)


def _valid_date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _date_text(value: _dt.date) -> str:
    if isinstance(value, _dt.datetime):
        if value.hour == value.minute == value.second == 0:
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


def _date_field_number(number: float) -> str | None:
    if number.is_integer() and 1900 <= number <= 2100:
        return None  # a year, not a serial (serials 1900-2100 are dates in 1905)
    if number.is_integer() and 19000101 <= number <= 21001231:
        text = str(int(number))
        day = _valid_date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return _date_text(day) if day else None
    converted = _serial_to_date(number)
    return _date_text(converted) if converted else None


# Plain text needing none of cell_text's clean-up: no zero-width or odd spaces, no full-width digits, no
# line breaks, no double spaces, nothing to strip. Most cells of a real sheet are like this.
_ODD_CHARACTER = r"[\u0000-\u001f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff\uff10-\uff19]"
_NEEDS_CLEANING = re.compile(_ODD_CHARACTER + r"|  |^\s|\s$")


@functools.lru_cache(maxsize=256)
def _plain_target(target: str | None) -> bool:
    """Targets whose plain text cells are stored as they are (not name, phone or a date field)."""
    return target not in (Target.NAME, Target.PHONE) and not _is_date_field(target)


# The same test over many cells joined by a separator that never needs cleaning itself.
_JOIN = "\u2400"
_ODD_CHARACTERS = re.compile(_ODD_CHARACTER)
_TEXT_KINDS = {str, type(None)}


def _joined_needs_cleaning(joined: str) -> bool:
    """_NEEDS_CLEANING for each of the joined cells. Spelt out: one regular expression with alternatives
    tries every branch at every character, which costs several times more than one character class and a
    few substring tests. The class holds every whitespace character but the space and U+0085, so those two
    are the ones a cell may start or end with unseen by it (U+0085 is rare enough to be sent to the cell by
    cell path wherever it is)."""
    return (
        _ODD_CHARACTERS.search(joined) is not None
        or "  " in joined
        or " " + _JOIN in joined
        or _JOIN + " " in joined
        or "\x85" in joined
        or joined[:1].isspace()
        or joined[-1:].isspace()
    )


def column_text(values: list[object], target: str | None = None) -> list[str]:
    """`cell_text` of each value of one column. A column of plain text (most of them) is checked with one
    regular-expression pass over the joined cells instead of a call per cell, which bulk imports feel."""
    if set(map(type, values)) <= _TEXT_KINDS and (_plain_target(target) or target == Target.NAME):
        joined = _JOIN.join(filter(None, values))  # type: ignore[arg-type]
        if not _joined_needs_cleaning(joined) and (target != Target.NAME or " " not in joined):
            return [v or "" for v in values]  # type: ignore[misc]
    return [cell_text(v, target) if v is not None else "" for v in values]


def cell_text(value: object, target: str | None = None) -> str:
    """The text stored for one cell.

    None → ""; bools → 是/否; integral floats without ".0" (1.3800138e10 → "13800138000"); other numbers
    with at most 15 significant digits and never in exponent form; dates → YYYY-MM-DD; datetimes →
    YYYY-MM-DD HH:MM (a date field drops a midnight time). In a date-like field (生日, anything with 日期,
    date or birth in it): an Excel serial number becomes its date (1900 system; 1900-2100 stay years),
    an 8-digit 19900512 and texts like 1990/5/12, 1990.5.12, 1990年5月12日 become YYYY-MM-DD.
    Text: zero-width characters are dropped, odd spaces (NBSP, ideographic space, tabs) become spaces,
    runs of spaces shrink to one, lines are trimmed and blank lines dropped, full-width digits become
    ASCII. Names also lose the spaces put between Chinese characters for alignment ("王　五" → "王五")
    and their line breaks; phones are NFKC-normalised (full-width ＋ and letters too).
    """
    if value is None:
        return ""
    if (
        type(value) is str
        and _NEEDS_CLEANING.search(value) is None
        and (_plain_target(target) or (target == Target.NAME and " " not in value))
    ):
        return value
    date_field = _is_date_field(target)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        if date_field:
            return _date_field_number(float(value)) or str(value)
        return str(value)
    if isinstance(value, float):
        if date_field and not (math.isnan(value) or math.isinf(value)):
            converted = _date_field_number(value)
            if converted:
                return converted
        return _format_float(value)
    if isinstance(value, _dt.datetime):
        return _date_text(value) if date_field else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, _dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, _dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    text = _clean_text(str(value)).translate(_FULLWIDTH_DIGITS)
    if target == Target.PHONE:
        return " ".join(unicodedata.normalize("NFKC", text).split())
    if target == Target.NAME:
        return " ".join(_SPACE_BETWEEN_CJK.sub("", text).split())
    if date_field and text:
        return _date_field_string(text)
    return text


def _date_field_string(text: str) -> str:
    key = unicodedata.normalize("NFKC", text).strip()
    m = _DATE_TEXT.match(key)
    if m:
        day = _valid_date(int(m[1]), int(m[2]), int(m[3]))
        if day and m[4] is not None and int(m[4]) < 24 and int(m[5]) < 60:
            return _date_text(_dt.datetime(day.year, day.month, day.day, int(m[4]), int(m[5])))
        return _date_text(day) if day else text
    m = _DATE_COMPACT.match(key)
    if m:
        day = _valid_date(int(m[1]), int(m[2]), int(m[3]))
        return _date_text(day) if day else text
    if re.fullmatch(r"\d{1,7}(\.\d+)?", key):
        return _date_field_number(float(key)) or text
    return text


__all__ = ["STANDARD_FIELDS", "ColumnMapping", "Target", "cell_text", "find_header_row", "map_columns"]
