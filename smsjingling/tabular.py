"""Writing a table to .xlsx or .csv, row by row, into a file that appears only when it is complete.

Shared by every export (contacts, the send record, the traffic report). The format follows the file's
extension unless the caller names it: .csv is written as text, anything else as .xlsx. .xlsx goes through
openpyxl's write-only mode, which streams rows to disk, so a million rows never sit in memory. CSV is UTF-8
with a BOM by default, which Excel needs to recognise UTF-8; `encoding="gbk"` (or gb2312, gb18030) writes
GB18030, the superset of GBK that encodes every character, which Excel on Chinese Windows opens without
garbling.

The table is written to a temporary file beside the target and renamed over it at the end: a failure or an
exception in the caller leaves no half-written file, and an existing file at the target stays as it was.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

Value = str | int | float | Decimal | date | datetime | None

TEXT = "@"  # Excel's text format: keeps leading zeros, '+' and long digit runs as typed
DATETIME = "yyyy-mm-dd hh:mm:ss"
DATE = "yyyy-mm-dd"
MONEY = "0.00"

GB_NAMES = ("gbk", "gb2312", "gb18030", "cp936")
EXCEL_MAX_ROWS = 1_048_576  # per sheet, the header included


def csv_encoding(encoding: str) -> str:
    """The codec actually used for a requested CSV encoding: any GB name means GB18030."""
    return "gb18030" if encoding.lower().replace("-", "") in GB_NAMES else encoding


def is_csv(path: str | os.PathLike[str], fmt: str | None = None) -> bool:
    """Whether a table goes out as CSV: as `fmt` says ("csv" or "xlsx"), else by the file's extension."""
    return fmt.lower() == "csv" if fmt else Path(path).suffix.lower() == ".csv"


class TableWriter:
    """Rows go in as Python values; datetimes must be naive (the local wall time the reader should see)."""

    def __init__(self, append: Any) -> None:
        self._append = append
        self.rows = 0

    def append(self, row: Sequence[Value]) -> None:
        self._append(row)
        self.rows += 1

    def extend(self, rows: Iterable[Sequence[Value]]) -> None:
        for row in rows:
            self.append(row)


def _csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


@contextmanager
def write_table(
    path: str | os.PathLike[str],
    headers: Sequence[str],
    *,
    sheet: str = "Sheet1",
    encoding: str = "utf-8-sig",
    formats: Sequence[str | None] | str | None = None,
    sheet_rows: int = EXCEL_MAX_ROWS - 1,
    fmt: str | None = None,
) -> Iterator[TableWriter]:
    """Open a table for writing; it is saved and moved into place when the block ends without an error.

    `formats` gives the .xlsx number format of each column (one string for every column, None for the
    cell's natural type); CSV ignores it. Header rows are written as plain text. An .xlsx sheet holds at
    most `sheet_rows` rows under its header (Excel opens no more); the rows after that continue on
    another sheet, "name (2)", under the same header. `fmt` ("csv", "xlsx") overrides the extension.
    """
    target = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if is_csv(target, fmt):
            with tmp.open("w", encoding=csv_encoding(encoding), newline="", errors="replace") as fh:
                out = csv.writer(fh)
                out.writerow(headers)
                yield TableWriter(lambda row: out.writerow([_csv_text(v) for v in row]))
        else:
            from openpyxl import Workbook
            from openpyxl.cell import WriteOnlyCell

            book = Workbook(write_only=True)
            per_column = [formats] * len(headers) if isinstance(formats, str) or formats is None else list(formats)
            # Only cells with a format need a cell object; plain values are much cheaper to stream.
            formatted = [(i, f) for i, f in enumerate(per_column) if f]
            sheets = 0
            room = 0
            ws: Any = None

            def append(row: Sequence[Value]) -> None:
                nonlocal sheets, room, ws
                if len(row) != len(headers):
                    raise ValueError(f"a row of {len(row)} values under {len(headers)} headers")
                if room == 0:
                    sheets += 1
                    suffix = f" ({sheets})" if sheets > 1 else ""
                    ws = book.create_sheet(sheet[: 31 - len(suffix)] + suffix)  # Excel's limit on sheet names
                    ws.append(list(headers))
                    room = sheet_rows
                room -= 1
                cells: list[Any] = list(row)
                for i, number_format in formatted:
                    cell = WriteOnlyCell(ws, value=cells[i])
                    cell.number_format = number_format
                    cells[i] = cell
                ws.append(cells)

            try:
                yield TableWriter(append)
            except BaseException:
                # Saving is openpyxl's only public way to close its sheet streams and delete its own
                # temporary files; what it saves is our temporary file, deleted below.
                with contextlib.suppress(Exception):
                    book.save(tmp)
                raise
            if sheets == 0:  # no rows: still a sheet with the header
                book.create_sheet(sheet[:31]).append(list(headers))
            book.save(tmp)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
