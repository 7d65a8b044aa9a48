"""Reading a vendor's keyword list: a .txt, or a spreadsheet (.xlsx .xls .ods .csv).

Text: one word per line, or words separated by commas, 、, semicolons, | or spaces (full-width ones too);
UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030. A line starting with # is a comment.

Spreadsheet: every sheet with cells. When one of the first rows names a word column (关键词, 敏感词, 违禁词,
词语, keyword, word …) that column holds the words, and a category column (分类, 类别, 类型, category …) is
optional; a sheet without such a header has a word in every filled cell. A cell may hold several words,
separated as in a text file but not by spaces (a cell is a unit someone chose: "pay day loan"). A sheet
named for a category (赌博, 政治, fraud …) gives its words that category unless a row says otherwise.

Reading never writes anything: it returns the words found, with where each one was, and the values that are
not words at all; the store decides what is new.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from smsjingling import messages
from smsjingling.errors import ImportFileError, ValidationError
from smsjingling.importer.workbook import open_workbook
from smsjingling.keywords.categories import MAX_CATEGORY_LENGTH, Category, resolve_category

MAX_FILE_BYTES = 20 * 1024 * 1024  # a list of a million words is a few MB
_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".tsv"}
_SPREADSHEET_MAGICS = (b"PK\x03\x04", bytes.fromhex("d0cf11e0a1b11ae1"))
# Separators between words: in a text file whitespace (ideographic space included), commas, 、, semicolons
# and |; in a spreadsheet cell the same but spaces, since a cell is a unit someone chose ("pay day loan").
_WORD = re.compile(r"[^\s,，、;；|｜]+")
_CELL_WORD = re.compile(r"[^\n\r\t,，、;；|｜]+")
_WORD_HEADERS = {
    "关键词",
    "关键字",
    "敏感词",
    "违禁词",
    "屏蔽词",
    "过滤词",
    "禁用词",
    "词语",
    "词汇",
    "词",
    "keyword",
    "keywords",
    "word",
    "words",
}
_CATEGORY_HEADERS = {"分类", "类别", "类型", "类目", "category", "type"}
_HEADER_SEARCH_ROWS = 5  # a header may sit under a title row or two
_CATEGORIES = {c.value for c in Category}

messages.register(
    {
        "keywords.bad_encoding": (
            "{file} 的文字编码无法识别：第 {line} 行（字节位置 {offset}）既不是 UTF-8 也不是 GBK。"
            "请用记事本或 WPS 另存为 UTF-8 后再导入。",
            "The text encoding of {file} is not recognised: line {line} (byte offset {offset}) is neither "
            "UTF-8 nor GBK. Save it as UTF-8 (Notepad or WPS can) and import it again.",
        ),
        "keywords.not_text": (
            "{file} 不是文本文件。关键词列表请用 .txt（每行一个词）或 .xlsx 表格。",
            "{file} is not a text file. A keyword list is a .txt (one word a line) or an .xlsx sheet.",
        ),
        "keywords.no_words": ("{file} 中没有找到任何关键词。", "No keywords were found in {file}."),
        "keywords.reason.empty": (
            "没有文字或数字（只有符号或空格，过滤时会被忽略）",
            "no letters, digits or characters (only symbols or spaces, which matching ignores)",
        ),
        "keywords.reason.too_long": (
            "太长（{length} 个字符，最多 {max} 个）",
            "too long ({length} characters, at most {max})",
        ),
        "keywords.reason.not_word": ("不是词语（{kind}）", "not a word ({kind})"),
        "keywords.reason.bad_category": (
            "分类无效（最多 {max} 个字符）",
            "not a usable category (at most {max} characters)",
        ),
    }
)


@dataclass(frozen=True)
class FoundWord:
    """A word as it stands in the file. row: line or Excel row number; column: character position in the
    line (text) or column letter (spreadsheet)."""

    row: int
    column: str
    word: str
    category: str | None = None  # the file's own category for it, already resolved (see categories.py)


@dataclass(frozen=True)
class RejectedWord:
    row: int
    column: str
    value: str
    reason_key: str
    params: dict[str, object] = field(default_factory=dict)

    def reason(self, lang: str | None = None) -> str:
        return messages.text(self.reason_key, lang, **self.params)


@dataclass
class KeywordFile:
    name: str
    words: list[FoundWord] = field(default_factory=list)
    rejected: list[RejectedWord] = field(default_factory=list)
    sha256: str = ""


def read_keyword_file(path: str | Path) -> KeywordFile:
    """The words in a vendor's list file, in file order; raise ImportFileError when it cannot be read."""
    p = Path(path)
    name = p.name or str(p)
    head = _head(p, name)
    if head.startswith(_SPREADSHEET_MAGICS) or p.suffix.lower() in _SPREADSHEET_SUFFIXES:
        result = _read_workbook(p, name)
    else:
        result = _read_text(p, name)
    if not result.words and not result.rejected:
        raise ImportFileError("keywords.no_words", file=name)
    try:
        result.sha256 = hashlib.sha256(p.read_bytes()).hexdigest()
    except OSError as exc:
        raise ImportFileError("import.read_failed", file=name, reason=exc.strerror or str(exc)) from None
    return result


def _head(p: Path, name: str) -> bytes:
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise ImportFileError("import.not_a_file", file=name)
        if size == 0:
            raise ImportFileError("import.empty_file", file=name)
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                "import.file_too_large",
                file=name,
                size_mb=round(size / (1024 * 1024)),
                max_mb=MAX_FILE_BYTES // (1024 * 1024),
            )
        with p.open("rb") as f:
            return f.read(8)
    except FileNotFoundError:
        raise ImportFileError("import.file_not_found", file=name) from None
    except PermissionError:
        raise ImportFileError("import.file_locked", file=name) from None
    except OSError as exc:
        raise ImportFileError("import.read_failed", file=name, reason=exc.strerror or str(exc)) from None


# ---------------------------------------------------------------- text


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif b"\x00" in data:
        raise ImportFileError("keywords.not_text", file=name)
    else:
        candidates = ["utf-8-sig", "gb18030"]
    furthest = (0, 1)
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            furthest = max(furthest, (exc.start, data.count(b"\n", 0, exc.start) + 1))
    offset, line = furthest
    raise ImportFileError("keywords.bad_encoding", file=name, line=line, offset=offset)


def _read_text(p: Path, name: str) -> KeywordFile:
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ImportFileError("import.read_failed", file=name, reason=exc.strerror or str(exc)) from None
    result = KeywordFile(name)
    first = True
    # Lines as an editor counts them (str.splitlines would also break at \x1c, \x85, \u2028 ...).
    lines = _decode(data, name).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if first:
            first = False
            if line.strip().casefold() in _WORD_HEADERS:  # a heading such as 关键词, not a word
                continue
        for match in _WORD.finditer(line):
            result.words.append(FoundWord(number, str(match.start() + 1), match.group()))
    return result


# ---------------------------------------------------------------- spreadsheets


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell_text(value: object) -> str | None:
    """A cell as word text, or None when it is empty; raise ValueError (with its kind) for a non-word."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("TRUE/FALSE")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.date, _dt.datetime)):
        raise ValueError(value.isoformat())
    text = str(value).strip()
    return text or None


def _header_columns(values: list[object]) -> tuple[int, int | None] | None:
    """(word column, category column) when this row is a header naming a word column."""
    names = [str(v).strip().casefold() if isinstance(v, str) else "" for v in values]
    word = next((i for i, n in enumerate(names) if n in _WORD_HEADERS), None)
    if word is None:
        return None
    category = next((i for i, n in enumerate(names) if n in _CATEGORY_HEADERS), None)
    return word, category


def _sheet_category(sheet_name: str) -> str | None:
    """The category a sheet's name stands for, when it is one of ours (a sheet called 'Sheet1' is not)."""
    try:
        resolved = resolve_category(sheet_name)
    except ValidationError:
        return None
    return resolved if resolved in _CATEGORIES else None


def _read_workbook(p: Path, name: str) -> KeywordFile:
    result = KeywordFile(name)
    with open_workbook(p) as book:
        for index, sheet_name in enumerate(book.sheet_names):
            try:
                sheet = book.sheet(index)
            except ImportFileError:  # an empty sheet among others
                continue
            header_row, columns = None, None
            for number, values in sheet.head(_HEADER_SEARCH_ROWS):
                columns = _header_columns(values)
                if columns is not None:
                    header_row = number
                    break
            rows = ((n, v) for n, v in sheet.rows() if header_row is None or n > header_row)
            _read_rows(rows, columns, _sheet_category(sheet_name), result)
    return result


def _read_rows(
    rows: Iterator[tuple[int, list[object]]],
    columns: tuple[int, int | None] | None,
    sheet_category: str | None,
    result: KeywordFile,
) -> None:
    for number, values in rows:
        category = sheet_category
        if columns is None:
            cells = list(enumerate(values))
        else:
            word_col, category_col = columns
            cells = [(word_col, values[word_col] if word_col < len(values) else None)]
            raw = values[category_col] if category_col is not None and category_col < len(values) else None
            if raw is not None and str(raw).strip():
                try:
                    category = resolve_category(str(raw))
                except ValidationError:
                    assert category_col is not None
                    result.rejected.append(
                        RejectedWord(
                            number,
                            column_letter(category_col),
                            str(raw),
                            "keywords.reason.bad_category",
                            {"max": MAX_CATEGORY_LENGTH},
                        )
                    )
                    continue
        for col, value in cells:
            try:
                text = _cell_text(value)
            except ValueError as exc:
                result.rejected.append(
                    RejectedWord(number, column_letter(col), str(value), "keywords.reason.not_word", {"kind": str(exc)})
                )
                continue
            if text is None:
                continue
            for match in _CELL_WORD.finditer(text):
                if word := match.group().strip():
                    result.words.append(FoundWord(number, column_letter(col), word, category))
