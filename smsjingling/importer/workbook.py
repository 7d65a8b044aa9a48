"""Opening contact spreadsheets: .xlsx/.xlsm/.xlsb, .xls, .ods and CSV/TSV text, read row by row.

What a caller gets:

- ``open_workbook(path)`` checks the file before any parsing (exists, readable, not empty, not over
  ``MAX_FILE_BYTES``), then decides the format from the bytes, not the extension: a ZIP holding
  ``xl/workbook.xml`` is .xlsx, one with an OpenDocument spreadsheet ``mimetype`` is .ods, an OLE2/CFB file
  with a ``Workbook`` stream is .xls, and text is CSV. OA systems often export a "表格.xls" that is really
  a CSV/TSV text file; that is read as CSV. An HTML page or an Excel 2003 XML file renamed .xls gets its
  own error (save it as .xlsx in Excel/WPS). Anything else is refused as "not a spreadsheet".
- Password protection is found by structure, before calamine sees the file: an encrypted OOXML workbook is
  a CFB file holding ``EncryptionInfo``/``EncryptedPackage`` streams; an encrypted .xls has a FILEPASS
  record in its workbook globals (calamine notices RC4 but not XOR obfuscation, so we look ourselves).
  calamine's own ``PasswordError`` is mapped as well.
- ``Sheet.rows()`` yields ``(excel_row_number, values)``: ``values[0]`` is column A; rows with no value at
  all are skipped (row numbers stay Excel's). Rows of .xlsx/.xls/.ods all have ``Sheet.width`` cells; CSV
  records may differ in length, so treat a missing cell as None. Every cell of a
  merged range carries the range's top-left value; the fill is done while streaming, holding only the
  merges that cross the current row.
- Cell values: ``None`` (empty), ``str``, ``int``, ``float``, ``bool``, ``datetime.date``,
  ``datetime.datetime``; a time of day becomes the text ``"HH:MM"`` (``"HH:MM:SS"`` with seconds), a
  duration its ``str()``. CSV cells are ``str`` or ``None``.

Memory: calamine has no streaming reader (upstream calamine#27, python-calamine#42); it parses one sheet
into a compact Rust range when the sheet is opened, and ``rows()`` creates Python objects one row at a time
from it, so Python memory stays flat and the Rust range is about 30-40 bytes a cell. CSV is streamed from
the file. Formula cells give the value cached in the file (what Excel last showed); a formula saved
without a cached value, and an error value such as #N/A, read as empty.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as _dt
import logging
import os
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import python_calamine as calamine

from smsjingling import messages
from smsjingling.errors import ImportFileError

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 100 * 1024 * 1024  # a 1,000,000-row x 6-column .xlsx is about 40 MB

messages.register(
    {
        "import.file_not_found": ("找不到文件：{file}", "File not found: {file}"),
        "import.not_a_file": ("{file} 是一个文件夹，不是表格文件。", "{file} is a folder, not a spreadsheet file."),
        "import.file_locked": (
            "无法读取 {file}：文件正被其他程序（如 Excel、WPS）打开，或没有读取权限。请关闭该文件后重试。",
            "Cannot read {file}: it is open in another program (such as Excel or WPS) or you may not read "
            "it. Close the file and try again.",
        ),
        "import.read_failed": ("读取 {file} 失败：{reason}", "Reading {file} failed: {reason}"),
        "import.empty_file": ("{file} 是空文件（0 字节）。", "{file} is empty (0 bytes)."),
        "import.file_too_large": (
            "{file} 太大（{size_mb} MB），最多可导入 {max_mb} MB。请把表格拆分成几个文件后分别导入。",
            "{file} is too large ({size_mb} MB); at most {max_mb} MB can be imported. Split it into "
            "several files and import them one by one.",
        ),
        "import.not_a_spreadsheet": (
            "{file} 不是表格文件（看起来是 {kind}）。请选择 .xlsx、.xls、.ods 或 .csv 文件。",
            "{file} is not a spreadsheet (it looks like {kind}). Choose an .xlsx, .xls, .ods or .csv file.",
        ),
        "import.unknown_format": (
            "{file} 不是表格文件，无法识别其内容。请选择 .xlsx、.xls、.ods 或 .csv 文件。",
            "{file} is not a spreadsheet; its content is not recognised. Choose an .xlsx, .xls, .ods or .csv file.",
        ),
        "import.html_disguised": (
            "{file} 实际上是一个网页（HTML），只是扩展名像表格。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入。",
            "{file} is really a web page (HTML) with a spreadsheet's extension. Open it in Excel or WPS, save "
            "it as .xlsx and import that file.",
        ),
        "import.xml2003_disguised": (
            "{file} 是 Excel 2003 XML 表格，无法直接导入。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再导入。",
            "{file} is an Excel 2003 XML spreadsheet, which cannot be imported directly. Open it in Excel or "
            "WPS, save it as .xlsx and import that file.",
        ),
        "import.corrupt_file": (
            "{file} 已损坏或不完整，无法读取（{detail}）。请重新导出或从原始位置重新复制。",
            "{file} is damaged or incomplete and cannot be read ({detail}). Export or copy it again.",
        ),
        "import.encrypted": (
            "{file} 设有打开密码。请在 Excel 或 WPS 中取消密码（文件 → 信息 → 保护工作簿）后另存，再导入。",
            "{file} is password-protected. Remove the password in Excel or WPS (File → Info → Protect "
            "Workbook), save it, and import it again.",
        ),
        "import.bad_encoding": (
            "{file} 的文字编码无法识别：第 {line} 行（字节位置 {offset}）既不是 UTF-8 也不是 GBK/GB18030。"
            "请在 Excel 或 WPS 中另存为“CSV UTF-8”或 .xlsx。",
            "The text encoding of {file} is not recognised: line {line} (byte offset {offset}) is neither "
            'UTF-8 nor GBK/GB18030. Save it as "CSV UTF-8" or .xlsx in Excel or WPS.',
        ),
        "import.unknown_sheet": (
            "{file} 中没有名为“{sheet}”的工作表。现有的工作表：{sheets}",
            '{file} has no sheet "{sheet}". Its sheets are: {sheets}',
        ),
        "import.empty_sheet": (
            "{file} 的工作表“{sheet}”是空的，没有任何内容。",
            'Sheet "{sheet}" of {file} is empty: it has no cells.',
        ),
        "import.no_data": (
            "{file} 的所有工作表都是空的（{sheets}）。",
            "Every sheet of {file} is empty ({sheets}).",
        ),
        "import.bad_row": (
            "读取 {file} 的工作表“{sheet}”第 {row} 行时出错：{detail}",
            'Reading row {row} of sheet "{sheet}" in {file} failed: {detail}',
        ),
    }
)

_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_CFB_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
# Files people pick by mistake, by their first bytes.
_OTHER_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"BM", "BMP"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"{\\rtf", "RTF"),
    (b"MZ", "EXE"),
)
_SNIFF_BYTES = 64 * 1024
_CHUNK = 1024 * 1024
_TIME_TYPES = (_dt.time, _dt.timedelta)


def _display_name(path: Path) -> str:
    return path.name or str(path)


def open_workbook(path: str | os.PathLike[str]) -> Workbook:
    """Open a spreadsheet or CSV file for reading; raise ImportFileError for anything that cannot be read."""
    p = Path(path)
    name = _display_name(p)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ImportFileError("import.file_not_found", file=name) from None
    except PermissionError:
        raise ImportFileError("import.file_locked", file=name) from None
    except OSError as exc:
        raise ImportFileError("import.read_failed", file=name, reason=exc.strerror or str(exc)) from None
    if p.is_dir():
        raise ImportFileError("import.not_a_file", file=name)
    if st.st_size == 0:
        raise ImportFileError("import.empty_file", file=name)
    if st.st_size > MAX_FILE_BYTES:
        raise ImportFileError(
            "import.file_too_large",
            file=name,
            size_mb=round(st.st_size / (1024 * 1024)),
            max_mb=MAX_FILE_BYTES // (1024 * 1024),
        )
    try:
        with p.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
            fmt = _detect_format(f, head, st.st_size, name)
    except PermissionError:
        raise ImportFileError("import.file_locked", file=name) from None
    except OSError as exc:
        raise ImportFileError("import.read_failed", file=name, reason=exc.strerror or str(exc)) from None
    if fmt == "csv":
        return Workbook(p, "csv", _CsvSource.open(p, name, head))
    return Workbook(p, fmt, _CalamineSource.open(p, name, fmt))


# ---------------------------------------------------------------- format detection


def _detect_format(f: Any, head: bytes, size: int, name: str) -> str:
    if head.startswith(_ZIP_MAGICS):
        return _detect_zip(f, name)
    if head.startswith(_CFB_MAGIC):
        return _detect_cfb(f, size, name)
    for magic, kind in _OTHER_MAGICS:
        if head.startswith(magic):
            raise ImportFileError("import.not_a_spreadsheet", file=name, kind=kind)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _bomless_utf16(head):
        return "csv"
    if b"\x00" in head or _looks_binary(head):
        raise ImportFileError("import.unknown_format", file=name)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()[:2048]
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
        start.startswith(b"<") and b"<html" in start
    ):
        raise ImportFileError("import.html_disguised", file=name)
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise ImportFileError("import.xml2003_disguised", file=name)
    return "csv"


def _bomless_utf16(head: bytes) -> bool:
    """Excel's "Unicode text" is UTF-16 with a BOM; some tools drop it. Many zero bytes on one side tell."""
    sample = head[:4096]
    if len(sample) < 8:
        return False
    return _utf16_side(sample) is not None


def _utf16_side(sample: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when zero bytes (the high bytes of ASCII: digits, commas, line ends) sit on
    one side only and often enough; None otherwise."""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.1 * half and even == 0:
        return "utf-16-le"
    if even > 0.1 * half and odd == 0:
        return "utf-16-be"
    return None


def _looks_binary(head: bytes) -> bool:
    controls = sum(1 for b in head[:4096] if b < 0x20 and b not in (9, 10, 12, 13, 26, 27))
    return controls > max(4, len(head[:4096]) // 100)


def _detect_zip(f: Any, name: str) -> str:
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype")[:100].decode("ascii", "replace").strip() if "mimetype" in names else ""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError) as exc:
        raise ImportFileError("import.corrupt_file", file=name, detail=f"ZIP: {exc}") from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if mimetype.startswith("application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    if "word/document.xml" in names:
        kind = "Word (.docx)"
    elif any(n.startswith("ppt/") for n in names):
        kind = "PowerPoint (.pptx)"
    elif mimetype.startswith("application/vnd.oasis.opendocument.text"):
        kind = "OpenDocument (.odt)"
    elif mimetype.startswith("application/vnd.oasis.opendocument."):
        kind = f"OpenDocument ({mimetype.rsplit('.', 1)[-1]})"
    elif mimetype == "application/epub+zip":
        kind = "EPUB"
    else:
        kind = "ZIP"
    raise ImportFileError("import.not_a_spreadsheet", file=name, kind=kind)


def _detect_cfb(f: Any, size: int, name: str) -> str:
    try:
        cfb = _Cfb(f, size)
        streams = cfb.streams()
        if "encryptioninfo" in streams or "encryptedpackage" in streams:
            raise ImportFileError("import.encrypted", file=name)
        book = streams.get("workbook") or streams.get("book")
        if book is not None:
            if _biff_has_filepass(cfb.read(*book, limit=_SNIFF_BYTES)):
                raise ImportFileError("import.encrypted", file=name)
            return "xls"
    except _CfbError as exc:
        raise ImportFileError("import.corrupt_file", file=name, detail=f"OLE2: {exc}") from None
    if "worddocument" in streams:
        kind = "Word (.doc)"
    elif "powerpoint document" in streams:
        kind = "PowerPoint (.ppt)"
    elif "__properties_version1.0" in streams:
        kind = "Outlook (.msg)"
    else:
        kind = "OLE2"
    raise ImportFileError("import.not_a_spreadsheet", file=name, kind=kind)


class _CfbError(Exception):
    pass


class _Cfb:
    """Just enough of [MS-CFB] to list stream names and read the start of one stream."""

    _FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE

    def __init__(self, f: Any, size: int) -> None:
        self.f, self.size = f, size
        f.seek(0)
        hdr = f.read(512)
        if len(hdr) < 512:
            raise _CfbError("header too short")
        self.sector_size = 1 << struct.unpack_from("<H", hdr, 0x1E)[0]
        self.mini_size = 1 << struct.unpack_from("<H", hdr, 0x20)[0]
        if self.sector_size not in (512, 4096) or self.mini_size != 64:
            raise _CfbError("bad sector size")
        (n_fat, self.dir_start, _, self.cutoff, self.minifat_start, _n_minifat, difat_start, n_difat) = (
            struct.unpack_from("<IIIIIIII", hdr, 0x2C)
        )
        fat_sectors = [s for s in struct.unpack_from("<109I", hdr, 0x4C) if s < 0xFFFFFFFA]
        seen = 0
        while difat_start < 0xFFFFFFFA and seen <= n_difat:
            ints = struct.unpack(f"<{self.sector_size // 4}I", self._sector(difat_start))
            fat_sectors += [s for s in ints[:-1] if s < 0xFFFFFFFA]
            difat_start, seen = ints[-1], seen + 1
        fat_sectors = fat_sectors[:n_fat]
        raw = b"".join(self._sector(s) for s in fat_sectors)
        self.fat = struct.unpack(f"<{len(raw) // 4}I", raw)
        self._minifat: tuple[int, ...] | None = None
        self._root: tuple[int, int] = (self._END, 0)

    def _sector(self, n: int) -> bytes:
        offset = (n + 1) * self.sector_size
        if offset + self.sector_size > self.size + self.sector_size:  # the last sector may be short
            raise _CfbError(f"sector {n} beyond the end of the file")
        self.f.seek(offset)
        return self.f.read(self.sector_size)

    def _chain(self, start: int, table: tuple[int, ...]) -> Iterator[int]:
        n, steps = start, 0
        while n != self._END:
            if n >= len(table) or steps > len(table):
                raise _CfbError("broken sector chain")
            yield n
            n, steps = table[n], steps + 1

    def streams(self) -> dict[str, tuple[int, int]]:
        """Lower-cased stream name -> (first sector, size)."""
        out: dict[str, tuple[int, int]] = {}
        for sector in self._chain(self.dir_start, self.fat):
            data = self._sector(sector)
            for off in range(0, len(data) - 127, 128):
                entry = data[off : off + 128]
                name_len, kind = struct.unpack_from("<HB", entry, 64)
                if kind == 0 or not 2 <= name_len <= 64:
                    continue
                name = entry[: name_len - 2].decode("utf-16-le", "replace")
                start, size = struct.unpack_from("<IQ", entry, 116)
                if self.sector_size == 512:
                    size &= 0xFFFFFFFF
                if kind == 5:
                    self._root = (start, size)
                elif kind == 2:
                    out.setdefault(name.lower(), (start, size))
        return out

    def read(self, start: int, size: int, limit: int) -> bytes:
        want = min(size, limit)
        parts: list[bytes] = []
        got = 0
        if size >= self.cutoff:
            for s in self._chain(start, self.fat):
                if got >= want:
                    break
                parts.append(self._sector(s))
                got += self.sector_size
            return b"".join(parts)[:want]
        if self._minifat is None:
            raw = b"".join(self._sector(s) for s in self._chain(self.minifat_start, self.fat))
            self._minifat = struct.unpack(f"<{len(raw) // 4}I", raw)
        root_sectors = list(self._chain(self._root[0], self.fat))
        per = self.sector_size // self.mini_size
        for m in self._chain(start, self._minifat):
            if got >= want:
                break
            big, small = divmod(m, per)
            if big >= len(root_sectors):
                raise _CfbError("mini stream out of range")
            data = self._sector(root_sectors[big])
            parts.append(data[small * self.mini_size : (small + 1) * self.mini_size])
            got += self.mini_size
        return b"".join(parts)[:want]


def _biff_has_filepass(stream: bytes) -> bool:
    """Walk the workbook-globals records up to their EOF; FILEPASS (0x002F) means the rest is encrypted."""
    pos = 0
    while pos + 4 <= len(stream):
        rtype, length = struct.unpack_from("<HH", stream, pos)
        if rtype == 0x002F:
            return True
        if rtype == 0x000A and pos > 0:  # EOF of the globals substream
            return False
        pos += 4 + length
    return False


# ---------------------------------------------------------------- workbook and sheets


class Workbook:
    """An open spreadsheet file. Use as a context manager; close() releases the file (Windows locks it)."""

    def __init__(self, path: Path, fmt: str, source: _Source) -> None:
        self.path = path
        self.format = fmt
        self._source = source
        self.sheet_names: list[str] = source.sheet_names()
        self.encoding: str | None = source.encoding

    def __enter__(self) -> Workbook:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Workbook {self.path.name!r} {self.format} sheets={self.sheet_names!r}>"

    def close(self) -> None:
        self._source.close()

    def sheet(self, name: str | int | None = None) -> Sheet:
        """A sheet by name or 0-based index; None: the first visible sheet that has cells."""
        file = _display_name(self.path)
        if name is None:
            for index in self._source.preferred_order():
                sheet = self._source.sheet(index)
                if sheet is not None:
                    return sheet
            raise ImportFileError("import.no_data", file=file, sheets=", ".join(self.sheet_names))
        index = self._find(name)
        if index is None:
            raise ImportFileError(
                "import.unknown_sheet", file=file, sheet=str(name), sheets=", ".join(self.sheet_names)
            )
        sheet = self._source.sheet(index)
        if sheet is None:
            raise ImportFileError("import.empty_sheet", file=file, sheet=self.sheet_names[index])
        return sheet

    def _find(self, name: str | int) -> int | None:
        if isinstance(name, int) and not isinstance(name, bool):
            return name if 0 <= name < len(self.sheet_names) else None
        wanted = str(name)
        if wanted in self.sheet_names:
            return self.sheet_names.index(wanted)
        folded = wanted.strip().casefold()
        for i, candidate in enumerate(self.sheet_names):
            if candidate.strip().casefold() == folded:
                return i
        return None


class Sheet:
    """One sheet, read lazily. ``rows()`` may be called more than once."""

    name: str
    row_count: int  # rows in the used range (first to last row with cells), for progress
    first_row: int  # Excel row number of the first row of the used range
    width: int  # length of every row list; index 0 is column A

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        raise NotImplementedError

    def head(self, n: int = 30) -> list[tuple[int, list[object]]]:
        """The first n non-empty rows (for finding the header and for previews)."""
        out: list[tuple[int, list[object]]] = []
        if n <= 0:
            return out
        for item in self.rows():
            out.append(item)
            if len(out) >= n:
                break
        return out

    def __repr__(self) -> str:
        return f"<Sheet {self.name!r} rows={self.row_count}>"


class _Source:
    encoding: str | None = None

    def sheet_names(self) -> list[str]:
        raise NotImplementedError

    def preferred_order(self) -> list[int]:
        raise NotImplementedError

    def sheet(self, index: int) -> Sheet | None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def _calamine_error(exc: BaseException, name: str) -> ImportFileError:
    if isinstance(exc, calamine.PasswordError):
        return ImportFileError("import.encrypted", file=name)
    text = str(exc)
    # calamine's Rust I/O errors arrive as plain OSError("... (os error 13)"); 32 is Windows' sharing violation.
    if isinstance(exc, PermissionError) or "(os error 13)" in text or "(os error 32)" in text:
        return ImportFileError("import.file_locked", file=name)
    if isinstance(exc, FileNotFoundError) or "(os error 2)" in text:
        return ImportFileError("import.file_not_found", file=name)
    detail = str(exc).strip() or type(exc).__name__
    return ImportFileError("import.corrupt_file", file=name, detail=detail[:200])


class _CalamineSource(_Source):
    def __init__(self, path: Path, name: str, fmt: str, book: calamine.CalamineWorkbook) -> None:
        self.path, self.name, self.fmt, self.book = path, name, fmt, book
        self.closed = False

    @classmethod
    def open(cls, path: Path, name: str, fmt: str) -> _CalamineSource:
        try:
            book = calamine.CalamineWorkbook.from_path(str(path))
        except (calamine.CalamineError, OSError, ValueError, RuntimeError) as exc:
            raise _calamine_error(exc, name) from None
        return cls(path, name, fmt, book)

    def sheet_names(self) -> list[str]:
        return list(self.book.sheet_names)

    def preferred_order(self) -> list[int]:
        visible, hidden = [], []
        for i, meta in enumerate(self.book.sheets_metadata):
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            (visible if meta.visible == calamine.SheetVisibleEnum.Visible else hidden).append(i)
        return visible + hidden

    def sheet(self, index: int) -> Sheet | None:
        if self.closed:
            raise ImportFileError("import.read_failed", file=self.name, reason="workbook closed")
        try:
            raw = self.book.get_sheet_by_index(index)
            start, end = raw.start, raw.end
            merges = raw.merged_cell_ranges
        except (calamine.CalamineError, OSError, ValueError, RuntimeError) as exc:
            raise _calamine_error(exc, self.name) from None
        if start is None or end is None:
            return None
        name = self.book.sheet_names[index]
        if merges is None and self.fmt == "ods":
            merges = _ods_merges(self.path, name)
        return _CalamineSheet(self.name, name, raw, start, end, merges or [])

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            with contextlib.suppress(calamine.CalamineError):  # already closed
                self.book.close()


_ODD_TYPES = {_dt.time, _dt.timedelta}


def _convert_row(row: list[Any]) -> list[object]:
    """calamine's empty cells ("") become None; times and durations become text. The common row needs
    one comprehension and one type check done in C."""
    out = [None if v == "" else v for v in row]
    if _ODD_TYPES.isdisjoint(map(type, out)):
        return out
    for i, v in enumerate(out):
        t = type(v)
        if t is _dt.time:
            out[i] = v.strftime("%H:%M:%S" if v.second else "%H:%M")
        elif t is _dt.timedelta:
            out[i] = str(v)
    return out


class _CalamineSheet(Sheet):
    def __init__(
        self,
        file: str,
        name: str,
        raw: calamine.CalamineSheet,
        start: tuple[int, int],
        end: tuple[int, int],
        merges: list[tuple[tuple[int, int], tuple[int, int]]],
    ) -> None:
        self.file, self.name, self._raw = file, name, raw
        self.first_row = start[0] + 1
        self.row_count = end[0] - start[0] + 1
        self._first_col = start[1]
        self.width = end[1] + 1
        # Merges by their first row; anything outside the used range cannot carry a value.
        by_row: dict[int, list[tuple[int, int, int, int]]] = {}
        for (r0, c0), (r1, c1) in merges:
            if r1 < r0 or c1 < c0 or r0 > end[0] or c0 > end[1] or (r0 == r1 and c0 == c1):
                continue
            by_row.setdefault(r0, []).append((r0, c0, min(r1, end[0]), min(c1, end[1])))
        self._merges = by_row

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        pad = [None] * self._first_col
        width = self.width
        merges = self._merges
        active: list[list[Any]] = []  # [last_row, first_col, last_col, value]
        try:
            # python-calamine yields rows from row 0 (issue #177) and columns from the first used column.
            for index, raw in enumerate(self._raw.iter_rows()):
                row = pad + _convert_row(raw)
                if len(row) < width:
                    row.extend([None] * (width - len(row)))
                if merges or active:
                    if index in merges:
                        for _r0, c0, r1, c1 in merges[index]:
                            active.append([r1, c0, c1, row[c0]])
                    if active:
                        for m in active:
                            row[m[1] : m[2] + 1] = [m[3]] * (m[2] - m[1] + 1)
                        active = [m for m in active if m[0] > index]
                if row.count(None) != len(row):  # not blank (list.count runs in C)
                    yield index + 1, row
        except (calamine.CalamineError, OSError, ValueError, RuntimeError) as exc:
            raise ImportFileError(
                "import.bad_row", file=self.file, sheet=self.name, row=self.first_row, detail=str(exc)[:200]
            ) from None


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _ods_merges(path: Path, sheet: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """calamine does not report .ods merges; find the spanning cells of one table by streaming content.xml."""
    from xml.etree.ElementTree import ParseError, iterparse

    table, row_tag = f"{{{_ODS_TABLE}}}table", f"{{{_ODS_TABLE}}}table-row"
    cell_tags = {f"{{{_ODS_TABLE}}}table-cell", f"{{{_ODS_TABLE}}}covered-table-cell"}
    a_name = f"{{{_ODS_TABLE}}}name"
    a_rows_rep, a_cols_rep = f"{{{_ODS_TABLE}}}number-rows-repeated", f"{{{_ODS_TABLE}}}number-columns-repeated"
    a_rspan, a_cspan = f"{{{_ODS_TABLE}}}number-rows-spanned", f"{{{_ODS_TABLE}}}number-columns-spanned"
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = []
    try:
        with zipfile.ZipFile(path) as z, z.open("content.xml") as f:
            depth = 0  # table nesting inside the sheet we want (0: not inside it)
            row = col = 0
            for event, el in iterparse(f, events=("start", "end")):
                tag = el.tag
                if tag == table:
                    if event == "start":
                        if depth:
                            depth += 1
                        elif el.get(a_name) == sheet:
                            depth, row = 1, 0
                    elif depth:
                        depth -= 1
                        if depth == 0:
                            break
                        el.clear()
                elif depth != 1:
                    continue
                elif tag == row_tag:
                    if event == "start":
                        col = 0
                    else:
                        row += int(el.get(a_rows_rep) or 1)
                        el.clear()
                elif tag in cell_tags and event == "start":
                    rs, cs = int(el.get(a_rspan) or 1), int(el.get(a_cspan) or 1)
                    if rs > 1 or cs > 1:
                        merges.append(((row, col), (row + rs - 1, col + cs - 1)))
                    col += int(el.get(a_cols_rep) or 1)
    except (OSError, KeyError, ValueError, ParseError, zipfile.BadZipFile) as exc:
        log.info("no merged cells read from %s: %s", path.name, exc)
        return []
    return merges


# ---------------------------------------------------------------- CSV


class _CsvSource(_Source):
    def __init__(self, path: Path, name: str, encoding: str, dialect: tuple[str, int], rows: int) -> None:
        self.path, self.name = path, name
        self.encoding = encoding
        self._delimiter, self._skip = dialect
        self._rows = rows
        self.sheet_title = path.stem or "CSV"

    @classmethod
    def open(cls, path: Path, name: str, head: bytes) -> _CsvSource:
        encoding, sample, lines = _detect_encoding(path, name, head)
        if not sample.strip("\ufeff \t\r\n"):
            return cls(path, name, encoding, (",", 0), 0)
        return cls(path, name, encoding, _sniff_delimiter(sample), lines)

    def sheet_names(self) -> list[str]:
        return [self.sheet_title]

    def preferred_order(self) -> list[int]:
        return [0]

    def sheet(self, index: int) -> Sheet | None:
        if self._rows == 0:
            return None
        return _CsvSheet(self, self.sheet_title)

    def close(self) -> None:
        """Each rows() call opens and closes the file itself; nothing stays open."""


def _detect_encoding(path: Path, name: str, head: bytes) -> tuple[str, str, int]:
    """(encoding, decoded sample for sniffing, number of lines). Decodes the whole file strictly once."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif _bomless_utf16(head):
        candidates = [_utf16_side(head[:4096]) or "utf-16-le"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    failures: list[tuple[int, int]] = []  # (offset, line) of each failed attempt
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        sample_parts: list[str] = []
        sample_len = lines = offset = 0
        newline_bytes = 0
        last = ""
        try:
            with path.open("rb") as f:
                while chunk := f.read(_CHUNK):
                    try:
                        text = decoder.decode(chunk)
                    except UnicodeDecodeError as exc:
                        bad = offset + exc.start
                        failures.append((bad, newline_bytes + chunk[: exc.start].count(b"\n") + 1))
                        raise
                    offset += len(chunk)
                    newline_bytes += chunk.count(b"\n")
                    lines += text.count("\n")
                    if text:
                        last = text[-1]
                    if sample_len < _SNIFF_BYTES:
                        sample_parts.append(text[: _SNIFF_BYTES - sample_len])
                        sample_len += len(sample_parts[-1])
                try:
                    tail = decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    failures.append((offset, newline_bytes + 1))
                    raise
                lines += tail.count("\n")
                last = tail[-1:] or last
        except UnicodeDecodeError:
            continue
        except PermissionError:
            raise ImportFileError("import.file_locked", file=name) from None
        except OSError as exc:
            raise ImportFileError("import.read_failed", file=name, reason=exc.strerror or str(exc)) from None
        if last and last != "\n":
            lines += 1
        if encoding == "utf-8-sig" and not head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8"
        return encoding, "".join(sample_parts), lines
    offset, line = max(failures)  # the encoding that got furthest is the likelier one
    raise ImportFileError("import.bad_encoding", file=name, offset=offset, line=line)


_DELIMITERS = (",", ";", "\t", "|")


def _sniff_delimiter(sample: str) -> tuple[str, int]:
    """(delimiter, rows to skip). Honours Excel's "sep=;" first line; otherwise the delimiter that splits
    the sample's lines into the most consistent number (> 1) of fields wins; comma when nothing splits."""
    sample = sample.lstrip("\ufeff")
    first = sample.split("\n", 1)[0].strip()
    if len(first) == 5 and first.lower().startswith("sep=") and first[4] in "".join(_DELIMITERS) + ":":
        return first[4], 1
    lines = sample.splitlines()
    if len(lines) > 1 and len(sample) >= _SNIFF_BYTES:
        lines = lines[:-1]  # probably cut in the middle
    lines = [ln for ln in lines[:200] if ln.strip()]
    best, best_score = ",", (0.0, 0)
    for delim in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        counts = [c for c in counts if c > 1]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode) / len(lines), mode)
        if score > best_score:
            best, best_score = delim, score
    return best, 0


class _CsvSheet(Sheet):
    def __init__(self, source: _CsvSource, name: str) -> None:
        self._source = source
        self.name = name
        self.first_row = 1
        self.row_count = source._rows
        self.width = 0  # unknown before reading: CSV records may differ in length

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        src = self._source
        number = 0
        try:
            with src.path.open("r", encoding=src.encoding, newline="", errors="strict") as f:
                reader = csv.reader(f, delimiter=src._delimiter, quotechar='"', strict=False)
                for number, record in enumerate(reader, start=1):
                    if number <= src._skip:
                        continue
                    if number == 1 and record and record[0].startswith("\ufeff"):
                        record[0] = record[0][1:]
                    row: list[object] = [v if v else None for v in record]
                    if not any(v is not None for v in row):
                        continue
                    yield number, row
        except PermissionError:
            raise ImportFileError("import.file_locked", file=src.name) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ImportFileError(
                "import.bad_row", file=src.name, sheet=self.name, row=number + 1, detail=str(exc)[:200]
            ) from None
        except OSError as exc:
            raise ImportFileError("import.read_failed", file=src.name, reason=exc.strerror or str(exc)) from None


__all__ = ["MAX_FILE_BYTES", "Sheet", "Workbook", "open_workbook"]
