"""A messy two-sheet workbook for the import preview and the import wizard.

Sheet 说明 holds only a note (a workbook an OA system exports often starts so); sheet 2024年11月 is the
messy contact sheet of sheets.messy_rows() (merged title row, a note row, the header on row 3, a blank row,
full-width digits, numbers stored as numbers) with more rows below: a number too short, a cell with no
number at all, a full-width number, and a number that repeats row 4's.
"""

from __future__ import annotations

from pathlib import Path

from tests.core import sheets

NOTE_SHEET = "说明"
DATA_SHEET = sheets.MESSY_SHEET
HEADER_ROW = sheets.MESSY_HEADER_ROW

EXTRA_ROWS: list[list[object]] = [
    [6, "孙八", "1380013", "后勤处", "司机", None, None, None, None, "B组"],  # row 10: too short
    [7, "周九", "电话待补", "后勤处", "保安", None, None, None, None, None],  # row 11: not a number
    [8, "吴十", "１５９００１５９０００", "人事处", "干事", None, None, None, None, "A组"],  # row 12: full-width
    [9, "张三（新）", 13800138000, "办公室", "主任", None, None, None, "换了部门", "A组"],  # row 13: as row 4
]
GOOD_ROWS = {4: "张三", 5: "李四", 6: "王五", 8: "赵六", 9: "Zhang Wei", 12: "吴十"}
REJECTED_ROWS = {10, 11}
DUPLICATE_ROWS = {13}


def write_messy_book(path: str | Path) -> Path:
    rows = sheets.messy_rows() + EXTRA_ROWS
    note = [["填表说明"], ["1. 手机号码请填写 11 位"], ["2. 分组可填多个，用顿号分隔"]]
    return sheets.write_xlsx(
        path, {NOTE_SHEET: note, DATA_SHEET: rows}, {NOTE_SHEET: [], DATA_SHEET: list(sheets.MESSY_MERGES)}
    )
