"""The import preview: a workbook's sheets, a sheet's first rows and header, and the rows below the header
read with a mapping exactly as the import then reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from smsjingling.contacts.book import ContactBook
from smsjingling.errors import ImportFileError
from smsjingling.importer.preview import PLAIN_TARGETS, preview, read_head, target_choices
from smsjingling.importer.run import ImportOptions, import_contacts
from tests.core import messy_book, sheets


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    return messy_book.write_messy_book(tmp_path / "通讯录.xlsx")


def test_the_first_sheet_with_a_phone_column_is_chosen(book_path: Path) -> None:
    head = read_head(book_path)
    assert head.sheets == [messy_book.NOTE_SHEET, messy_book.DATA_SHEET]
    assert head.sheet == messy_book.DATA_SHEET
    assert head.header_row == messy_book.HEADER_ROW  # below the merged title and the note
    assert head.rows[0][1][:2] == ["2024年11月通讯录"] * 2  # the merged title fills its cells
    assert head.total_rows == 13

    notes = read_head(book_path, messy_book.NOTE_SHEET)
    assert (notes.sheet, notes.header_row, len(notes.rows)) == (messy_book.NOTE_SHEET, 1, 3)
    with pytest.raises(ImportFileError) as err:
        preview(notes, 1)
    assert err.value.key == "import.no_phone_column"


def test_a_sheet_without_a_phone_column_anywhere_falls_back_to_the_first(tmp_path: Path) -> None:
    path = sheets.write_xlsx(tmp_path / "x.xlsx", {"甲": [["姓名"], ["张三"]], "乙": [["部门"], ["办公室"]]})
    assert read_head(path).sheet == "甲"
    with pytest.raises(ImportFileError) as err:
        read_head(path, "丙")
    assert err.value.key == "import.unknown_sheet"


def test_preview_rows_say_what_the_import_will_do(book_path: Path) -> None:
    head = read_head(book_path)
    shown = preview(head, head.header_row)
    by_row = {r.row: r for r in shown.rows}
    assert {n: by_row[n].name for n in messy_book.GOOD_ROWS} == messy_book.GOOD_ROWS
    assert by_row[12].phone == "+8615900159000"  # full-width digits
    assert "位数太少" in by_row[10].problem and by_row[10].column == "手机号码"
    assert "不是电话号码" in by_row[11].problem
    assert by_row[13].same_as == 4
    assert by_row[4].fields["生日"] == "1990-01-01" and by_row[4].groups == ("A组",)
    assert shown.samples[2][:2] == ["13800138000", "13912345678"]
    assert shown.targets()["姓名"] == "name" and shown.targets()["序号"] == "ignore"


def test_the_preview_mapping_is_the_import_mapping(book_path: Path, book: ContactBook) -> None:
    head = read_head(book_path)
    mapping = {**preview(head, head.header_row).targets(), "职务": "group", "入职日期": "ignore"}
    shown = preview(head, head.header_row, mapping)
    report = import_contacts(
        book.db, book_path, ImportOptions(sheet=head.sheet, header_row=head.header_row, mapping=mapping)
    )
    assert report.added == 6 and {p.row for p in report.rejected} == messy_book.REJECTED_ROWS
    assert {p.row for p in report.in_file_duplicates} == messy_book.DUPLICATE_ROWS
    # What the preview showed is what the import stored.
    stored = book.find_phone("13912345678")
    previewed = next(r for r in shown.rows if r.row == 5)
    assert stored is not None
    assert (stored.name, stored.fields, set(stored.groups)) == (previewed.name, previewed.fields, set(previewed.groups))
    assert "入职日期" not in stored.fields and "科员" in stored.groups


def test_choices_are_the_targets_the_standard_fields_and_the_sheets_own(book_path: Path) -> None:
    head = read_head(book_path)
    choices = target_choices(preview(head, head.header_row).mapping)
    assert choices[: len(PLAIN_TARGETS)] == list(PLAIN_TARGETS)
    assert "部门" in choices and choices[-1] == "入职日期"
    assert len(choices) == len(set(choices))


def test_a_mapping_naming_a_missing_column_is_refused(book_path: Path) -> None:
    head = read_head(book_path)
    with pytest.raises(ImportFileError) as err:
        preview(head, head.header_row, {"工号": "phone"})
    assert err.value.key == "import.unknown_override_column"
    with pytest.raises(ImportFileError) as err:
        preview(head, head.header_row, {"手机号码": "ignore"})
    assert err.value.key == "import.no_phone_column"
