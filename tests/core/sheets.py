"""Writers of REAL spreadsheet files for tests and benchmarks: .xlsx, .xls, .ods, .csv, good and bad.

Plain tables (``rows`` is a list of rows, or a dict sheet name -> rows; ``merges`` are Excel ranges such
as "A1:F1", a list for a single sheet or a dict sheet name -> list)::

    write_xlsx(path, rows, merges=(), sheet="Sheet1")      # openpyxl; Formula(...) cells get cached values
    write_xls(path, rows, merges=(), sheet="Sheet1")       # xlwt (BIFF8)
    write_ods(path, rows, merges=(), sheet="Sheet1")       # odfpy; merges as spans over covered cells
    write_csv(path, rows, encoding="utf-8", delimiter=",") # "utf-8-sig", "gbk", "gb18030", "utf-16" ...
    write_table(path, rows, ...)                           # any of the above, by the path's suffix

Cell values: None, str, int, float, bool, date, datetime, ``Formula(expr, cached)`` and
``Styled(value, number_format)`` (e.g. "0.00E+00"; honoured by .xlsx and .xls).

The messy real-world contact sheet, the same content in every format::

    write_messy(path, encoding="utf-8", delimiter=",")     # .xlsx/.xls/.ods/.csv/.txt by suffix
    MESSY_HEADER_ROW, MESSY_HEADERS, messy_expected(fmt)   # what an importer must find in it

Big files for benchmarks: ``write_big_xlsx(path, rows=100_000)`` (sheet XML written directly, about
1 s per 100,000 rows) and ``write_big_csv``; both hold ``contact_rows(n)``: 姓名 手机 部门 职务 邮箱 备注.

Bad files: ``BAD_FILES`` maps a case name to ``(file name, writer, expected ImportFileError key)``; each
writer takes the full path. The encrypted .xlsx is made by msoffcrypto-tool (a real ECMA-376 agile
encryption container); the encrypted .xls is an xlwt workbook whose globals carry a real FILEPASS record.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import random
import re
import struct
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = [
    "BAD_FILES",
    "MESSY_HEADERS",
    "MESSY_HEADER_ROW",
    "MESSY_SHEET",
    "Formula",
    "Styled",
    "contact_rows",
    "messy_expected",
    "messy_rows",
    "write_big_csv",
    "write_big_xlsx",
    "write_csv",
    "write_encrypted_xls",
    "write_encrypted_xlsx",
    "write_messy",
    "write_ods",
    "write_table",
    "write_xls",
    "write_xlsx",
]

Rows = Sequence[Sequence[object]]
PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class Formula:
    """A formula cell and the value Excel cached for it (what a reader without a calc engine sees)."""

    expr: str  # without the leading "="
    cached: object


@dataclass(frozen=True)
class Styled:
    """A value shown with an Excel number format, e.g. Styled(13912345678, "0.00E+00")."""

    value: object
    number_format: str


def _sheets(rows: Rows | Mapping[str, Rows], sheet: str) -> dict[str, Rows]:
    return dict(rows) if isinstance(rows, Mapping) else {sheet: rows}


def _merges_for(merges: Sequence[str] | Mapping[str, Sequence[str]], name: str, first: bool) -> list[str]:
    if isinstance(merges, Mapping):
        return list(merges.get(name, ()))
    return list(merges) if first else []


_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _parse_ref(ref: str) -> tuple[int, int]:
    """ "C4" -> (row 3, column 2), 0-based."""
    m = _REF.match(ref.upper())
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return int(m[2]) - 1, col - 1


def _parse_range(rng: str) -> tuple[int, int, int, int]:
    a, b = rng.split(":")
    (r0, c0), (r1, c1) = _parse_ref(a), _parse_ref(b)
    return r0, c0, r1, c1


def _col_letter(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _plain(value: object) -> object:
    if isinstance(value, Formula):
        return value.cached
    if isinstance(value, Styled):
        return value.value
    return value


# ---------------------------------------------------------------- .xlsx


def write_xlsx(
    path: PathLike,
    rows: Rows | Mapping[str, Rows],
    merges: Sequence[str] | Mapping[str, Sequence[str]] = (),
    sheet: str = "Sheet1",
    hidden: Sequence[str] = (),
) -> Path:
    """An .xlsx by openpyxl; formula cells are then given their cached values in the sheet XML."""
    import openpyxl

    path = Path(path)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    cached: dict[int, dict[str, object]] = {}
    for index, (name, table) in enumerate(_sheets(rows, sheet).items()):
        ws = wb.create_sheet(name)
        if name in hidden:
            ws.sheet_state = "hidden"
        for r, row in enumerate(table, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c)
                if isinstance(value, Styled):
                    cell.number_format = value.number_format
                    value = value.value
                if isinstance(value, Formula):
                    cell.value = "=" + value.expr
                    cached.setdefault(index, {})[cell.coordinate] = value.cached
                else:
                    cell.value = value
                    if isinstance(value, dt.datetime):
                        cell.number_format = "yyyy-mm-dd hh:mm"
                    elif isinstance(value, dt.date):
                        cell.number_format = "yyyy-mm-dd"
        for rng in _merges_for(merges, name, index == 0):
            ws.merge_cells(rng)
    wb.save(path)
    if cached:
        _add_cached_values(path, cached)
    return path


def _cached_xml(value: object) -> tuple[str, str]:
    """(t attribute, <v> text) of a cached formula result."""
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, int | float):
        return "", repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, str) and value.startswith("#"):
        return ' t="e"', escape(value)
    return ' t="str"', escape(str(value))


def _add_cached_values(path: Path, cached: Mapping[int, Mapping[str, object]]) -> None:
    """openpyxl writes <f>..</f><v/>; put the values Excel would have cached into <v>."""
    with zipfile.ZipFile(path) as z:
        parts = {info.filename: (info, z.read(info.filename)) for info in z.infolist()}
    for index, cells in cached.items():
        name = f"xl/worksheets/sheet{index + 1}.xml"
        xml = parts[name][1].decode("utf-8")
        for ref, value in cells.items():
            t_attr, text = _cached_xml(value)
            pattern = re.compile(rf'<c r="{ref}"([^>]*?)>(<f>.*?</f>)<v\s*/>', re.S)
            xml, n = pattern.subn(lambda m, r=ref, t=t_attr, v=text: f'<c r="{r}"{m[1]}{t}>{m[2]}<v>{v}</v>', xml)
            if n != 1:
                raise AssertionError(f"formula cell {ref} not found in {name}")
        parts[name] = (parts[name][0], xml.encode("utf-8"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts.values():
            z.writestr(info, data)


# ---------------------------------------------------------------- .xls


def write_xls(
    path: PathLike,
    rows: Rows | Mapping[str, Rows],
    merges: Sequence[str] | Mapping[str, Sequence[str]] = (),
    sheet: str = "Sheet1",
) -> Path:
    """A BIFF8 .xls by xlwt. Formula cells are written as their cached value (xlwt caches no results)."""
    path = Path(path)
    with open(path, "wb") as f:
        f.write(_xls_bytes(rows, merges, sheet))
    return path


def _xls_workbook(rows: Rows | Mapping[str, Rows], merges: object, sheet: str):  # -> xlwt.Workbook
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, object] = {}

    def style(fmt: str) -> object:
        if fmt not in styles:
            styles[fmt] = xlwt.easyxf(num_format_str=fmt)
        return styles[fmt]

    for index, (name, table) in enumerate(_sheets(rows, sheet).items()):
        ws = wb.add_sheet(name, cell_overwrite_ok=True)
        for rng in _merges_for(merges, name, index == 0):  # type: ignore[arg-type]
            r0, c0, r1, c1 = _parse_range(rng)
            ws.merge(r0, r1, c0, c1)
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                fmt = None
                if isinstance(value, Styled):
                    fmt, value = value.number_format, value.value
                value = _plain(value)
                if value is None:
                    continue
                if isinstance(value, dt.datetime):
                    fmt = fmt or "yyyy-mm-dd hh:mm"
                elif isinstance(value, dt.date):
                    fmt = fmt or "yyyy-mm-dd"
                if fmt:
                    ws.write(r, c, value, style(fmt))
                else:
                    ws.write(r, c, value)
    return wb


def _xls_bytes(rows: Rows | Mapping[str, Rows], merges: object, sheet: str) -> bytes:
    buf = io.BytesIO()
    _xls_workbook(rows, merges, sheet).save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- .ods


def write_ods(
    path: PathLike,
    rows: Rows | Mapping[str, Rows],
    merges: Sequence[str] | Mapping[str, Sequence[str]] = (),
    sheet: str = "Sheet1",
) -> Path:
    """An OpenDocument spreadsheet by odfpy; formulas keep their cached office:value."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    path = Path(path)
    doc = OpenDocumentSpreadsheet()
    for index, (name, table) in enumerate(_sheets(rows, sheet).items()):
        spans: dict[tuple[int, int], tuple[int, int]] = {}
        covered: set[tuple[int, int]] = set()
        for rng in _merges_for(merges, name, index == 0):
            r0, c0, r1, c1 = _parse_range(rng)
            spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
        width = max([len(r) for r in table] + [c1 + 1 for (_, c1) in covered] + [0])
        t = Table(name=name)
        for r in range(max(len(table), max((rc[0] + 1 for rc in covered), default=0))):
            row = table[r] if r < len(table) else []
            tr = TableRow()
            for c in range(width):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                value = row[c] if c < len(row) else None
                formula = None
                if isinstance(value, Styled):
                    value = value.value
                if isinstance(value, Formula):
                    formula, value = "of:=" + value.expr, value.cached
                attrs: dict[str, object] = {}
                if (r, c) in spans:
                    attrs["numberrowsspanned"], attrs["numbercolumnsspanned"] = spans[(r, c)]
                if formula:
                    attrs["formula"] = formula
                if value is None:
                    cell = TableCell(**attrs)
                elif isinstance(value, bool):
                    cell = TableCell(valuetype="boolean", booleanvalue="true" if value else "false", **attrs)
                elif isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=repr(value), **attrs)
                elif isinstance(value, dt.datetime):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat(timespec="seconds"), **attrs)
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attrs)
                else:
                    cell = TableCell(valuetype="string", **attrs)
                if value is not None:
                    for line in str(value).split("\n"):
                        cell.addElement(P(text=line))
                tr.addElement(cell)
            t.addElement(tr)
        doc.spreadsheet.addElement(t)
    doc.save(str(path))
    return path


# ---------------------------------------------------------------- .csv


def csv_text(value: object) -> str:
    """A cell as Chinese Excel writes it to CSV: dates 2020/3/1, datetimes 2021/7/15 9:30, TRUE/FALSE."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return f"{value.year}/{value.month}/{value.day} {value.hour}:{value.minute:02d}"
    if isinstance(value, dt.date):
        return f"{value.year}/{value.month}/{value.day}"
    return str(value)


def write_csv(
    path: PathLike,
    rows: Rows,
    encoding: str = "utf-8",
    delimiter: str = ",",
    sep_line: bool = False,
) -> Path:
    """CSV text in one encoding: "utf-8", "utf-8-sig" (Excel's "CSV UTF-8"), "gbk"/"gb18030" (Chinese
    Excel's plain "CSV"), "utf-16" (BOM + little-endian, Excel's "Unicode text"). sep_line writes Excel's
    "sep=;" hint first."""
    path = Path(path)
    buf = io.StringIO()
    if sep_line:
        buf.write(f"sep={delimiter}\r\n")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_table(path: PathLike, rows: Rows, merges: Sequence[str] = (), sheet: str = "Sheet1", **csv_options) -> Path:
    """One sheet in the format the suffix names (.xlsx .xls .ods .csv .txt .tsv)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return write_xlsx(path, rows, merges, sheet)
    if suffix == ".xls":
        return write_xls(path, rows, merges, sheet)
    if suffix == ".ods":
        return write_ods(path, rows, merges, sheet)
    if suffix == ".tsv":
        csv_options.setdefault("delimiter", "\t")
    return write_csv(path, rows, **csv_options)


# ---------------------------------------------------------------- the messy contact sheet

MESSY_SHEET = "2024年11月"
MESSY_HEADER_ROW = 3
MESSY_MERGES = ("A1:J1", "D4:D6")
# Cleaned header texts by column; G has no header (an empty spacer column).
MESSY_HEADERS = ["序号", "姓名", "手机号码", "部门", "职务", "生日", "", "入职日期", "备注", "分组"]


def messy_rows() -> list[list[object]]:
    """A contact sheet as HR/OA exports and hand edits leave it: a merged title, a note row, the header on
    row 3 ("姓　名" padded, "手机号码*"), 部门 merged down D4:D6, formulas with cached values, phones as
    numbers (one in scientific display format, one as full-width digits text), a serial-number birthday,
    real date cells, an 8-digit 19930708 birthday, an empty spacer column G, a blank row 7, a zero-width
    space inside 王五, NBSP in "Zhang Wei", a two-line remark."""
    title = "2024年11月通讯录"
    return [
        [title],
        ["说明：本表由人事处导出，手机号码请填写 11 位。"],
        ["序号", "姓\u3000名", "手机号码*", "部门", "职务", "生日", None, "入职日期", "备注", "分组"],
        [
            Formula("ROW()-3", 1),
            "张三",
            13800138000.0,
            "办公室",
            "主任",
            32874.0,
            None,
            dt.date(2020, 3, 1),
            Formula('B4&"（负责人）"', "张三（负责人）"),
            "A组",
        ],
        [
            Formula("ROW()-3", 2),
            "李\u3000四",
            Styled(13912345678.0, "0.00E+00"),
            None,
            "科员",
            dt.date(1991, 2, 3),
            None,
            dt.datetime(2021, 7, 15, 9, 30),
            "VIP",
            "A组",
        ],
        [
            Formula("ROW()-3", 3),
            "王\u200b五",
            "１３６００１３６０００",
            None,
            "科员",
            "1992/5/6",
            None,
            dt.date(2022, 1, 4),
            None,
            "B组",
        ],
        [],
        [4, " 赵六 ", "+86 137-0013-7000", "财务科", "会计", 19930708, None, None, "第一行\n第二行", "B组"],
        [5, "Zhang\u00a0Wei", 15000150000, "信息科", "工程师", None, None, None, None, None],
    ]


def write_messy(path: PathLike, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    """The messy sheet in the format of the path's suffix (CSV options apply to .csv/.txt only)."""
    suffix = Path(path).suffix.lower()
    rows = messy_rows()
    if suffix in (".xlsx", ".xls", ".ods"):
        writer = {".xlsx": write_xlsx, ".xls": write_xls, ".ods": write_ods}[suffix]
        return writer(path, {MESSY_SHEET: rows}, {MESSY_SHEET: list(MESSY_MERGES)})
    return write_csv(path, rows, encoding=encoding, delimiter=delimiter)


def messy_expected(fmt: str) -> list[dict[str, object]]:
    """Per data row: the Excel row number and the stored text of each mapped column (cell_text by target).
    CSV has no merged cells, so there 部门 is empty below 办公室, as Excel's own CSV export leaves it."""
    merged = fmt != "csv"
    return [
        {
            "row": 4,
            "name": "张三",
            "phone": "13800138000",
            "部门": "办公室",
            "职务": "主任",
            "生日": "1990-01-01",
            "入职日期": "2020-03-01",
            "备注": "张三（负责人）",
            "group": "A组",
        },
        {
            "row": 5,
            "name": "李四",
            "phone": "13912345678",
            "部门": "办公室" if merged else "",
            "职务": "科员",
            "生日": "1991-02-03",
            "入职日期": "2021-07-15 09:30",
            "备注": "VIP",
            "group": "A组",
        },
        {
            "row": 6,
            "name": "王五",
            "phone": "13600136000",
            "部门": "办公室" if merged else "",
            "职务": "科员",
            "生日": "1992-05-06",
            "入职日期": "2022-01-04",
            "备注": "",
            "group": "B组",
        },
        {
            "row": 8,
            "name": "赵六",
            "phone": "+86 137-0013-7000",
            "部门": "财务科",
            "职务": "会计",
            "生日": "1993-07-08",
            "入职日期": "",
            "备注": "第一行\n第二行",
            "group": "B组",
        },
        {
            "row": 9,
            "name": "Zhang Wei",
            "phone": "15000150000",
            "部门": "信息科",
            "职务": "工程师",
            "生日": "",
            "入职日期": "",
            "备注": "",
            "group": "",
        },
    ]


# ---------------------------------------------------------------- big files

CONTACT_HEADERS = ["姓名", "手机", "部门", "职务", "邮箱", "备注"]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕晓东婷雪梅玉兰红梅德明"
_DEPTS = ["办公室", "人事处", "财务科", "信息科", "后勤处", "党政办", "教务处", "销售部", "研发中心", "客服部"]
_TITLES = ["科员", "主任", "副主任", "科长", "工程师", "会计", "经理", "专员", "干事", "处长"]


def contact_rows(n: int, seed: int = 0) -> Iterator[tuple[str, int, str, str, str, str]]:
    """n deterministic contacts with unique mobile numbers (numbers as int, as Excel stores them)."""
    rnd = random.Random(seed)
    prefixes = [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 158, 159, 177, 180, 186, 189]
    for i in range(n):
        name = rnd.choice(_SURNAMES) + "".join(rnd.choice(_GIVEN) for _ in range(rnd.choice((1, 2))))
        phone = prefixes[i % len(prefixes)] * 10**8 + (i * 7919) % 10**8
        yield (
            name,
            phone,
            rnd.choice(_DEPTS),
            rnd.choice(_TITLES),
            f"user{i}@example.com",
            "" if i % 3 else f"第{i}号",
        )


def write_big_xlsx(path: PathLike, rows: int = 100_000, seed: int = 0) -> Path:
    """A plain one-sheet .xlsx of `rows` contacts under a header row, written as raw SpreadsheetML with a
    shared-string table (as Excel writes it) — far faster than openpyxl."""
    path = Path(path)
    strings: dict[str, int] = {}

    def sst(text: str) -> int:
        index = strings.get(text)
        if index is None:
            index = strings[text] = len(strings)
        return index

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _BIG_CONTENT_TYPES)
        z.writestr("_rels/.rels", _BIG_RELS)
        z.writestr("xl/workbook.xml", _BIG_WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BIG_WORKBOOK_RELS)
        z.writestr("xl/styles.xml", _BIG_STYLES)
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            last = f"F{rows + 1}"
            f.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<worksheet xmlns="{_SSML}"><dimension ref="A1:{last}"/><sheetData>'
                ).encode()
            )
            header = "".join(
                f'<c r="{_col_letter(c)}1" t="s"><v>{sst(h)}</v></c>' for c, h in enumerate(CONTACT_HEADERS)
            )
            f.write(f'<row r="1">{header}</row>'.encode())
            chunk: list[str] = []
            for r, (name, phone, dept, title, email, note) in enumerate(contact_rows(rows, seed), start=2):
                cells = (
                    f'<c r="A{r}" t="s"><v>{sst(name)}</v></c><c r="B{r}"><v>{phone}</v></c>'
                    f'<c r="C{r}" t="s"><v>{sst(dept)}</v></c><c r="D{r}" t="s"><v>{sst(title)}</v></c>'
                    f'<c r="E{r}" t="s"><v>{sst(email)}</v></c>'
                )
                if note:
                    cells += f'<c r="F{r}" t="s"><v>{sst(note)}</v></c>'
                chunk.append(f'<row r="{r}">{cells}</row>')
                if len(chunk) >= 5000:
                    f.write("".join(chunk).encode())
                    chunk.clear()
            f.write("".join(chunk).encode())
            f.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w") as f:
            f.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<sst xmlns="{_SSML}" count="{len(strings)}" uniqueCount="{len(strings)}">'
                ).encode()
            )
            f.write("".join(f"<si><t>{escape(s)}</t></si>" for s in strings).encode())
            f.write(b"</sst>")
    return path


def write_big_csv(path: PathLike, rows: int = 100_000, seed: int = 0, encoding: str = "utf-8-sig") -> Path:
    path = Path(path)
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(CONTACT_HEADERS)
        writer.writerows(contact_rows(rows, seed))
    return path


_SSML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_BIG_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_BIG_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELNS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_BIG_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<workbook xmlns="{_SSML}" xmlns:r="{_RELNS}"><sheets>'
    '<sheet name="通讯录" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BIG_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELNS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELNS}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_RELNS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_BIG_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_SSML}">'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    "</styleSheet>"
)


# ---------------------------------------------------------------- bad files

_SIMPLE = [["姓名", "手机"], ["张三", 13800138000]]


def write_encrypted_xlsx(path: PathLike, password: str = "secret") -> Path:
    """A real password-protected .xlsx: msoffcrypto-tool wraps the package in an OLE2/CFB file with
    EncryptionInfo and EncryptedPackage streams (ECMA-376 agile encryption), as Excel does."""
    from msoffcrypto.format.ooxml import OOXMLFile

    path = Path(path)
    plain = path.with_name(path.stem + ".plain.xlsx")
    write_xlsx(plain, _SIMPLE)
    try:
        with open(plain, "rb") as src, open(path, "wb") as out:
            OOXMLFile(src).encrypt(password, out)
    finally:
        plain.unlink()
    return path


def _biff_records(stream: bytes) -> Iterator[tuple[int, int, int]]:
    pos = 0
    while pos + 4 <= len(stream):
        rtype, length = struct.unpack_from("<HH", stream, pos)
        yield pos, rtype, length
        pos += 4 + length


def write_encrypted_xls(path: PathLike, method: str = "rc4") -> Path:
    """An .xls whose workbook globals start with a FILEPASS record, as Excel writes a password-protected
    file: "rc4" (Excel 97-2003 RC4 header: version 1.1, salt, verifier, verifier hash) or "xor" (the
    older obfuscation). FILEPASS and a filler WRITEACCESS take the exact bytes of the records they
    replace, so every stream offset (BOUNDSHEET positions) stays valid; the sheet data is left plain."""
    from xlwt.CompoundDoc import XlsDoc

    path = Path(path)
    stream = _xls_workbook(_SIMPLE, (), "Sheet1").get_biff_data()
    records = list(_biff_records(stream))
    # After BOF: INTERFACEHDR, MMS, INTERFACEEND, WRITEACCESS -> FILEPASS + filler of the same size.
    start = records[1][0]
    end_pos, end_type, end_len = records[4]
    if end_type != 0x005C:
        raise AssertionError("unexpected xlwt record order")
    end = end_pos + 4 + end_len
    rnd = random.Random(1)
    if method == "rc4":
        body = struct.pack("<HHH", 1, 1, 1) + bytes(rnd.randrange(256) for _ in range(48))
    elif method == "xor":
        body = struct.pack("<HHH", 0, 0x8A1B, 0xCC4E)
    else:
        raise ValueError(method)
    filepass = struct.pack("<HH", 0x002F, len(body)) + body
    filler_len = end - start - len(filepass) - 4
    filler = struct.pack("<HH", 0x005C, filler_len) + b" " * filler_len
    new = stream[:start] + filepass + filler + stream[end:]
    assert len(new) == len(stream)
    buf = io.BytesIO()
    XlsDoc().save(buf, new)
    path.write_bytes(buf.getvalue())
    return path


def write_word_doc(path: PathLike) -> Path:
    """An OLE2/CFB file holding a "WordDocument" stream (the container of a Word 97-2003 .doc): an xlwt
    container whose directory entry is renamed, so the CFB structure itself is genuine."""
    path = Path(path)
    data = bytearray(_xls_bytes(_SIMPLE, (), "Sheet1"))
    old = "Workbook".encode("utf-16-le") + b"\x00\x00"
    pos = data.find(old)
    if pos <= 0 or pos % 128:
        raise AssertionError("directory entry not found")
    new = "WordDocument".encode("utf-16-le") + b"\x00\x00"
    data[pos : pos + len(new)] = new
    struct.pack_into("<H", data, pos + 64, len(new))
    path.write_bytes(bytes(data))
    return path


def write_truncated_xlsx(path: PathLike) -> Path:
    """A download or copy cut short: the first half of a real .xlsx (no central directory)."""
    path = Path(path)
    write_xlsx(path, _SIMPLE)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def write_damaged_xlsx(path: PathLike) -> Path:
    """A ZIP whose central directory is intact but whose sheet XML is cut off mid-element."""
    path = Path(path)
    write_xlsx(path, _SIMPLE)
    with zipfile.ZipFile(path) as z:
        parts = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            z.writestr(info, data)
    return path


def write_docx(path: PathLike) -> Path:
    """A minimal but well-formed Word .docx package (e.g. renamed to .xlsx by mistake)."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>通讯录</w:t></w:r></w:p></w:body></w:document>',
        )
    return path


def write_pdf(path: PathLike) -> Path:
    path = Path(path)
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def write_png(path: PathLike) -> Path:
    """A valid 1x1 PNG."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path = Path(path)
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
    path.write_bytes(png + chunk(b"IEND", b""))
    return path


def write_html_xls(path: PathLike) -> Path:
    """What many OA systems export as "通讯录.xls": an HTML table."""
    path = Path(path)
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><table>"
        "<tr><td>姓名</td><td>手机</td></tr><tr><td>张三</td><td>13800138000</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    return path


def write_random(path: PathLike, size: int = 4096, seed: int = 0) -> Path:
    path = Path(path)
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def write_empty(path: PathLike) -> Path:
    path = Path(path)
    path.write_bytes(b"")
    return path


def write_sparse(path: PathLike, size: int) -> Path:
    """A file of `size` bytes that takes no disk space (for the too-large check)."""
    path = Path(path)
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def write_bad_encoding_csv(path: PathLike) -> Path:
    """CSV that is neither UTF-8 nor GB18030: GBK text with a stray 0xFF byte in line 3 (byte 29)."""
    path = Path(path)
    good = "姓名,手机\r\n张三,13800138000\r\n".encode("gbk")
    path.write_bytes(good + b"\xff\xfe,13900139000\r\n")
    return path


def write_empty_sheet_xlsx(path: PathLike) -> Path:
    """A workbook whose only sheet has no cells."""
    return write_xlsx(path, {"空表": []})


def write_blank_csv(path: PathLike) -> Path:
    """A CSV with a BOM and blank lines only."""
    path = Path(path)
    path.write_bytes(codecs.BOM_UTF8 + b"\r\n\r\n")
    return path


# case name -> (file name, writer(path), expected ImportFileError key)
BAD_FILES: dict[str, tuple[str, Callable[[Path], Path], str]] = {
    "encrypted_xlsx": ("加密.xlsx", write_encrypted_xlsx, "import.encrypted"),
    "encrypted_xls_rc4": ("加密.xls", lambda p: write_encrypted_xls(p, "rc4"), "import.encrypted"),
    "encrypted_xls_xor": ("加密xor.xls", lambda p: write_encrypted_xls(p, "xor"), "import.encrypted"),
    "truncated_xlsx": ("截断.xlsx", write_truncated_xlsx, "import.corrupt_file"),
    "damaged_xlsx": ("损坏.xlsx", write_damaged_xlsx, "import.corrupt_file"),
    "docx_renamed": ("文档.xlsx", write_docx, "import.not_a_spreadsheet"),
    "doc_renamed": ("文档.xls", write_word_doc, "import.not_a_spreadsheet"),
    "pdf_renamed": ("扫描件.xlsx", write_pdf, "import.not_a_spreadsheet"),
    "png_renamed": ("截图.xlsx", write_png, "import.not_a_spreadsheet"),
    "html_as_xls": ("导出.xls", write_html_xls, "import.html_disguised"),
    "random_bytes": ("乱码.xlsx", write_random, "import.unknown_format"),
    "empty_file": ("空.xlsx", write_empty, "import.empty_file"),
    "too_large": ("巨大.xlsx", lambda p: write_sparse(p, 200 * 1024 * 1024), "import.file_too_large"),
    "bad_encoding": ("编码.csv", write_bad_encoding_csv, "import.bad_encoding"),
}
