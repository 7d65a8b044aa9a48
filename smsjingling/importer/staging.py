"""The reading half of an import: a sheet's rows checked and cleaned into compact rows ready to write.

Nothing here touches the database or imports SQLAlchemy: a big import runs this module in a child process
(reader_process.py), a small one in the importing thread, and both give the same chunks.

A staged row is a plain tuple, not an object: hundreds of thousands of them may cross a pipe, and tuples of
str, int and bool are what pickle writes and reads fastest. Its layout, by the index constants below:

    (row, name, phone, sms_capable, carrier, region, fields, consent_at, consent_source, groups)

`row` is the Excel row number, `phone` the E.164 number, `fields` the JSON text the contacts table stores
(as the column's own serializer writes it), `groups` a tuple of group names from group columns. The slice
[NAME:GROUPS] is the contacts table's columns in the order the writer inserts them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import compress, repeat, zip_longest
from json.encoder import encode_basestring as _escape
from operator import attrgetter
from pathlib import Path
from typing import Any

from smsjingling import messages
from smsjingling.importer.columns import ColumnMapping, Target, cell_text, column_text, find_header_row, map_columns
from smsjingling.importer.report import RowProblem
from smsjingling.importer.workbook import open_workbook
from smsjingling.phones import Carrier, LineKind, Phone, PhoneError, clean_text, parse_phone, split_phone_cell
from smsjingling.phones import preload as preload_phone_tables

OTHER_NUMBERS_FIELD = "其他号码"
ROW, NAME, PHONE, SMS_CAPABLE, CARRIER, REGION, FIELDS, CONSENT_AT, CONSENT_SOURCE, GROUPS = range(10)
StagedRow = tuple[int, str, str, bool, str, str, str, datetime | None, str, tuple[str, ...]]

_CARRIER_TEXT = {carrier: carrier.value for carrier in Carrier}  # a dict look-up costs a tenth of .value
_CONSENT_YES = {"是", "同意", "已同意", "y", "yes", "true", "1", "√", "✓", "✔", "ok", "有"}
_GROUP_SEPARATORS = str.maketrans({"，": ",", "、": ",", "；": ",", ";": ",", "/": ",", "\n": ","})

messages.register({"import.consent_source": ("导入 {file} 第 {row} 行", "imported from {file}, row {row}")})


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """What the reading half needs to know; everything in it pickles, for the child process."""

    path: str
    sheet: str | int | None = None
    header_row: int | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    chunk_rows: int = 5000
    language: str = "zh"  # consent sources are stored text, in the language of the one who imports


@dataclass(frozen=True, slots=True)
class SheetInfo:
    """The first thing a reading yields: what the report states about the sheet."""

    file: str
    sheet: str
    header_row: int
    mapping: dict[str, str]  # header text -> target
    total: int  # rows below the header in the used range, for progress


@dataclass(slots=True)
class StagedChunk:
    """One chunk of rows below the header, checked and cleaned."""

    rows: list[StagedRow]  # the rows to write, in sheet order
    rejected: list[RowProblem]
    read: int  # rows that held anything (written or rejected)
    landlines: int  # of `rows`, those whose number is a landline
    seen: int  # non-blank rows below the header so far, this chunk included: the progress count
    final: bool  # the last chunk of the sheet (it may be empty)


def read_staged(request: ReadRequest) -> Iterator[SheetInfo | StagedChunk]:
    """Open the file, find the header and the mapping, then stage the rows below it chunk by chunk.

    Yields one SheetInfo, then StagedChunks, the last one with final=True. The workbook stays open until
    the generator finishes or is closed; raises ImportFileError for a file that cannot be imported.
    """
    # The number tables take a moment to build the first time; calamine parses the sheet without the GIL,
    # so building them meanwhile on another thread costs no wall time.
    threading.Thread(target=preload_phone_tables, name="phone-tables", daemon=True).start()
    source = Path(request.path)
    with open_workbook(source) as book:
        sheet = book.sheet(request.sheet)
        header_row = request.header_row or find_header_row(sheet.head(30))
        header_cells = next((cells for number, cells in sheet.head(header_row) if number == header_row), [])
        mapping = map_columns(header_cells, header_row, request.mapping)
        yield SheetInfo(
            file=source.name,
            sheet=sheet.name,
            header_row=header_row,
            mapping={mapping.headers[i]: t for i, t in sorted(mapping.targets.items())},
            total=max(sheet.row_count - header_row, 0),
        )
        plan = RowPlan(mapping, source.name)
        size = request.chunk_rows
        pending: list[tuple[int, list[Any]]] = []
        seen = 0
        for number, cells in sheet.rows():
            if number <= header_row:
                continue
            seen += 1
            pending.append((number, cells))
            if len(pending) == size:
                yield stage_chunk(pending, plan, seen, final=False)
                pending = []
        yield stage_chunk(pending, plan, seen, final=True)


class RowPlan:
    """The mapping turned into column lists once, so the per-row work is plain list indexing."""

    def __init__(self, mapping: ColumnMapping, file_name: str) -> None:
        self.headers = mapping.headers
        self.phones = mapping.columns_for(Target.PHONE)
        self.names = mapping.columns_for(Target.NAME)
        self.groups = mapping.columns_for(Target.GROUP)
        self.consent = mapping.columns_for(Target.CONSENT)
        special = {Target.NAME, Target.PHONE, Target.GROUP, Target.CONSENT, Target.IGNORE}
        self.fields = [(i, t) for i, t in sorted(mapping.targets.items()) if t not in special]
        # Overrides may send two columns to one field; then the later non-empty cell wins, as in a dict.
        self.distinct_fields = len({t for _, t in self.fields}) == len(self.fields)
        self.file_name = file_name


def stage_chunk(rows: list[tuple[int, list[Any]]], plan: RowPlan, seen: int, *, final: bool) -> StagedChunk:
    """Check and clean a chunk of rows.

    The work is done a column at a time wherever it can be: the chunk is turned into columns in one pass,
    text columns are cleaned and JSON-escaped whole (see column_text and _fields_json), the usual phone
    column (one number a cell) is parsed in one map, and the staged tuples are zipped from the columns.
    Only rows that need more (several numbers, no number, a bad cell) go through the cell-by-cell path.
    """
    count = len(rows)
    numbers = [number for number, _ in rows]
    # Short rows (CSV) are padded with None.
    columns = [list(c) for c in zip_longest(*(cells for _, cells in rows))]

    def column(index: int) -> list[Any]:
        return columns[index] if index < len(columns) else [None] * count

    phone_columns = [(plan.headers[i], column(i)) for i in plan.phones]
    if len(phone_columns) == 1:
        phones: list[Phone | None] = list(map(_one_number, phone_columns[0][1]))
    else:
        phones = [None] * count
    extras: dict[int, str] = {}  # row index -> 其他号码
    rejected: list[RowProblem] = []
    blank = 0
    for k in [k for k, phone in enumerate(phones) if phone is None]:
        phone, extra, problem = _numbers(numbers[k], k, phone_columns)
        if phone is not None:
            phones[k] = phone
            if extra:
                extras[k] = extra
        elif problem is None and not any(clean_text(c) for c in rows[k][1] if c is not None):
            blank += 1  # only blanks: not data
        else:
            rejected.append(problem or RowProblem(numbers[k], phone_columns[0][0], "", "phone.empty", {}))
    kept = [phone is not None for phone in phones]
    found = [phone or _NO_PHONE for phone in phones]

    name_columns = [column_text(column(i), Target.NAME) for i in plan.names]
    if not name_columns:
        names: Iterable[str] = repeat("")
    elif len(name_columns) == 1:
        names = name_columns[0]
    else:
        names = [" ".join(filter(None, parts)) for parts in zip(*name_columns, strict=True)]
    field_columns = [(target, column_text(column(i), target)) for i, target in plan.fields]
    if plan.distinct_fields:
        fields = _fields_json(field_columns, count)
        redo: Iterable[int] = extras
    else:  # two columns on one field: as a dict does it, per row
        fields = [""] * count
        redo = range(count)
    for k in redo:
        row_fields = {target: texts[k] for target, texts in field_columns if texts[k]}
        if k in extras:
            row_fields[OTHER_NUMBERS_FIELD] = extras[k]
        fields[k] = json_object(row_fields)
    groups: Iterable[tuple[str, ...]] = repeat(())
    if plan.groups:
        group_columns = [column(i) for i in plan.groups]
        groups = [_groups(cells) for cells in zip(*group_columns, strict=True)]
    consent_at: Iterable[datetime | None] = repeat(None)
    consent_source: Iterable[str] = repeat("")
    if plan.consent:
        consent_columns = [column(i) for i in plan.consent]
        consent = [
            _consent_of(cells, number, plan.file_name)
            for cells, number in zip(zip(*consent_columns, strict=True), numbers, strict=True)
        ]
        consent_at, consent_source = [at for at, _ in consent], [how for _, how in consent]

    sms_capable = list(map(_SMS_CAPABLE, found))
    carriers = map(_CARRIER_TEXT.__getitem__, map(_CARRIER, found))
    columns_of_rows = (numbers, names, map(_E164, found), sms_capable, carriers, map(_REGION, found), fields)
    # zip stops at the shortest: the lists; the repeats stand in for absent columns.
    rows_out = zip(*columns_of_rows, consent_at, consent_source, groups)  # noqa: B905
    staged: list[StagedRow] = list(compress(rows_out, kept))
    landlines = len(staged) - sum(compress(sms_capable, kept))
    return StagedChunk(staged, rejected, count - blank, landlines, seen, final)


_E164, _CARRIER, _REGION, _SMS_CAPABLE = map(attrgetter, ("e164", "carrier", "region", "sms_capable"))
_NO_PHONE = Phone("", LineKind.OTHER, Carrier.UNKNOWN, "")  # stands in for a missing number in column maps


def _one_number(value: Any) -> Phone | None:
    """The number of a cell that holds exactly one, or None when the cell needs the full treatment (no
    number, several, or not a number: _numbers says which)."""
    if value is None or (type(value) is str and not _plain_number(value)):
        return None
    try:
        return parse_phone(value)
    except PhoneError:
        return None


def _plain_number(text: str) -> bool:
    """Eleven ASCII digits: a cell that split_phone_cell would leave whole."""
    return len(text) == 11 and text.isdigit() and text.isascii()


def _numbers(
    number: int, k: int, phone_columns: list[tuple[str, Sequence[Any]]]
) -> tuple[Phone | None, str, RowProblem | None]:
    """Every number in row k's phone cells: the primary one (the first mobile, else the first number), the
    others as the text of 其他号码, and the first cell that is no number, as the row's problem."""
    phones: list[Phone] = []
    others: list[str] = []
    problem: RowProblem | None = None
    for header, values in phone_columns:
        value = values[k]
        if value is None:
            continue
        # A number cell is one number; only text can hold several.
        for candidate in split_phone_cell(value) if type(value) is str else (value,):
            try:
                phones.append(parse_phone(candidate))
            except PhoneError as exc:
                others.append(clean_text(candidate))
                if problem is None:
                    problem = RowProblem(number, header, clean_text(candidate), exc.key, exc.params)
    if not phones:
        return None, "", problem
    primary = phones[0]
    extra = ""
    if len(phones) > 1 or others:
        primary = next((p for p in phones if p.sms_capable), primary)
        others = [p.e164 for p in phones if p is not primary and p.e164 != primary.e164] + others
        if others:
            extra = "、".join(dict.fromkeys(others))
    return primary, extra, problem


def _fields_json(columns: list[tuple[str, list[str]]], count: int) -> list[str]:
    """Each row's fields as the JSON text json_object gives, built column by column with no dict per row:
    each column's cells are escaped by the C escaper and prefixed with the key, and each row is one join
    (maps of C functions, so no Python code runs per cell where a column has no empty cells)."""
    if not columns:
        return ["{}"] * count
    pieces: list[list[str]] = []
    for key, texts in columns:
        prefix = _escape(key) + ":"
        if all(texts):
            pieces.append(list(map(prefix.__add__, map(_escape, texts))))
        else:
            pieces.append([prefix + _escape(text) if text else "" for text in texts])
    return list(map("{%s}".__mod__, map(",".join, map(filter, repeat(None), zip(*pieces, strict=True)))))


def json_object(fields: dict[str, str]) -> str:
    """The JSON text of a str-to-str dict, as the column's serializer writes it (compact, Chinese kept).

    json.dumps builds an encoder per call, which costs more than the encoding for a handful of short
    strings; the C string escaper alone does the work here."""
    return "{" + ",".join(f"{_escape(k)}:{_escape(v)}" for k, v in fields.items()) + "}"


def _consent_of(cells: tuple[Any, ...], number: int, file_name: str) -> tuple[datetime | None, str]:
    """The row's consent time and how it was given, from the first consent cell that says yes or when."""
    for value in cells:
        if value is not None:
            consent_at = _consent(value)
            if consent_at is not None:
                return consent_at, messages.text("import.consent_source", file=file_name, row=number)
    return None, ""


def _groups(cells: Iterable[Any]) -> tuple[str, ...]:
    names: list[str] = []
    for cell in cells:
        if cell is not None:
            text = cell_text(cell, Target.GROUP).translate(_GROUP_SEPARATORS)
            names.extend(g.strip() for g in text.split(",") if g.strip())
    return tuple(names)


def _now() -> datetime:
    return datetime.now(UTC)  # as storage.types.utcnow, which would bring SQLAlchemy into the child process


def _consent(value: Any) -> datetime | None:
    """When the person agreed: a date or time in the cell, or now for a yes. Times without a zone are local."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day).astimezone(UTC)
    if isinstance(value, bool):
        return _now() if value else None
    if isinstance(value, int | float):
        return _now() if value == 1 else None
    text = clean_text(value)
    if text.lower() in _CONSENT_YES:
        return _now()
    try:
        return datetime.fromisoformat(text.replace("/", "-")).astimezone(UTC)
    except ValueError:
        return None
