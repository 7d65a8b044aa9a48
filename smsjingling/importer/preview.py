"""What an import wizard shows before anything is written: a file's sheets, a sheet's first rows, and how
the rows below a chosen header would be read with a given column mapping.

The same functions an import runs do the work (find_header_row, map_columns, stage_chunk), so the preview
is exactly what the import will do with those rows: the same numbers, the same fields, the same reasons
for a row it would reject. The mapping handed to `preview` is also what `ImportOptions.mapping` takes:
header text (as `ColumnMapping.headers` spells it, "备注_2" for a second 备注) -> target or field name.
Nothing here touches the database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from smsjingling.errors import ImportFileError
from smsjingling.importer.columns import (
    STANDARD_FIELDS,
    ColumnMapping,
    Target,
    cell_text,
    find_header_row,
    map_columns,
)
from smsjingling.importer.staging import FIELDS, GROUPS, NAME, PHONE, ROW, RowPlan, stage_chunk
from smsjingling.importer.workbook import open_workbook

HEAD_ROWS = 60  # non-empty rows read for the header choice and the preview


@dataclass(frozen=True)
class SheetHead:
    """The first rows of one sheet of a file, and the header row the importer would pick among them."""

    file: str  # the file's name, for messages
    path: str
    sheets: list[str]  # every sheet of the file, in the file's order
    sheet: str  # the sheet these rows are from
    rows: list[tuple[int, list[object]]]  # (Excel row number, cells), empty rows left out
    total_rows: int  # rows in the sheet's used range
    header_row: int  # as find_header_row chooses

    @property
    def width(self) -> int:
        return max((len(cells) for _, cells in self.rows), default=0)

    def cells_of(self, row: int) -> list[object]:
        return next((cells for number, cells in self.rows if number == row), [])


def read_head(path: str | Path, sheet: str | int | None = None, rows: int = HEAD_ROWS) -> SheetHead:
    """Open the file and read the first `rows` non-empty rows of `sheet`. When `sheet` is None: the first
    sheet whose header names a phone column (a workbook often starts with a sheet of notes), else the first
    sheet with data. Raises ImportFileError as an import would for a file it cannot read."""
    source = Path(path)
    with open_workbook(source) as book:
        found: SheetHead | None = None
        candidates: list[str | int | None] = [sheet] if sheet is not None else list(range(len(book.sheet_names)))
        for candidate in candidates:
            try:
                chosen = book.sheet(candidate)
            except ImportFileError:
                if sheet is not None:
                    raise
                continue  # an empty sheet among several
            head = chosen.head(rows)
            header_row = find_header_row(head[:30])
            here = SheetHead(
                file=source.name,
                path=str(source),
                sheets=list(book.sheet_names),
                sheet=chosen.name,
                rows=head,
                total_rows=chosen.row_count,
                header_row=header_row,
            )
            found = found or here
            if sheet is not None or _has_phone_column(here):
                return here
        if found is None:
            book.sheet(None)  # raises the importer's own "every sheet is empty"
        assert found is not None
        return found


def _has_phone_column(head: SheetHead) -> bool:
    try:
        map_columns(head.cells_of(head.header_row), head.header_row)
    except ImportFileError:
        return False
    return True


@dataclass(frozen=True)
class PreviewRow:
    """One data row as the import would take it, or the reason it would not."""

    row: int
    name: str = ""
    phone: str = ""  # E.164
    fields: dict[str, str] = field(default_factory=dict)
    groups: tuple[str, ...] = ()
    problem: str = ""  # in words; "" when the row would be imported
    column: str = ""  # the column the problem is in
    same_as: int | None = None  # an earlier row with the same number, which this one will be merged into


@dataclass(frozen=True)
class MappingPreview:
    mapping: ColumnMapping
    samples: dict[int, list[str]]  # column index -> the first data rows' cells as they would be stored
    rows: list[PreviewRow]

    def targets(self) -> dict[str, str]:
        """header text -> target, for every column with a header: a complete mapping for ImportOptions."""
        m = self.mapping
        return {m.headers[i]: m.targets[i] for i in sorted(m.targets) if m.headers[i]}


def preview(
    head: SheetHead, header_row: int, mapping: Mapping[str, str] | None = None, rows: int = 20
) -> MappingPreview:
    """The mapping of the header in `header_row` (detected, then `mapping` applied over it) and the first
    `rows` data rows below it as the import would read them. Raises ImportFileError for a mapping the
    import would refuse (no phone column, a column that does not exist)."""
    cells = head.cells_of(header_row)
    column_map = map_columns(cells, header_row, mapping)
    below = [(number, list(values)) for number, values in head.rows if number > header_row][:rows]
    samples = {
        i: [cell_text(values[i] if i < len(values) else None, target) for _, values in below[:5]]
        for i, target in column_map.targets.items()
    }
    chunk = stage_chunk(below, RowPlan(column_map, head.file), len(below), final=True)
    by_row: dict[int, PreviewRow] = {}
    first_of: dict[str, int] = {}
    for staged in chunk.rows:
        first = first_of.setdefault(staged[PHONE], staged[ROW])
        by_row[staged[ROW]] = PreviewRow(
            row=staged[ROW],
            name=staged[NAME],
            phone=staged[PHONE],
            fields=json.loads(staged[FIELDS]),
            groups=staged[GROUPS],
            same_as=first if first != staged[ROW] else None,
        )
    for problem in chunk.rejected:
        by_row[problem.row] = PreviewRow(row=problem.row, problem=problem.reason(), column=problem.column)
    return MappingPreview(column_map, samples, [by_row[n] for n in sorted(by_row)])


PLAIN_TARGETS = (Target.NAME.value, Target.PHONE.value, Target.GROUP.value, Target.CONSENT.value, Target.IGNORE.value)


def target_choices(detected: ColumnMapping) -> list[str]:
    """What a column may be imported as: the four targets, ignore, the standard fields, then the fields the
    sheet's own headers name (in that order, each once). Taken from the detected mapping, so every choice
    is a value map_columns resolves to itself."""
    own = [t for t in detected.fields.values() if t not in STANDARD_FIELDS]
    return list(dict.fromkeys([*PLAIN_TARGETS, *STANDARD_FIELDS, *own]))
