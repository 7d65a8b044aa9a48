"""Reading real .xlsx/.xls/.ods/.csv files written by tests/core/sheets.py, good and bad."""

from __future__ import annotations

import datetime as dt
import inspect
import itertools
import os
import pathlib
import sys

import pytest

from smsjingling.errors import ImportFileError
from smsjingling.importer import workbook as wbmod
from smsjingling.importer.columns import cell_text, find_header_row, map_columns
from smsjingling.importer.workbook import MAX_FILE_BYTES, open_workbook
from tests.core import sheets

MESSY_CASES = {
    "xlsx": ("通讯录.xlsx", {}),
    "xls": ("通讯录.xls", {}),
    "ods": ("通讯录.ods", {}),
    "csv-utf8": ("通讯录.csv", {"encoding": "utf-8"}),
    "csv-utf8-bom-semicolon": ("通讯录.csv", {"encoding": "utf-8-sig", "delimiter": ";"}),
    "csv-gb18030": ("通讯录.csv", {"encoding": "gb18030"}),
    "csv-utf16-tab": ("通讯录.txt", {"encoding": "utf-16", "delimiter": "\t"}),
}
EXPECTED_ENCODING = {
    "csv-utf8": "utf-8",
    "csv-utf8-bom-semicolon": "utf-8-sig",
    "csv-gb18030": "gb18030",
    "csv-utf16-tab": "utf-16",
}


@pytest.mark.parametrize("case", list(MESSY_CASES))
def test_messy_sheet_reads_the_same_in_every_format(tmp_path, case):
    name, options = MESSY_CASES[case]
    path = sheets.write_messy(tmp_path / name, **options)
    fmt = case.split("-")[0]
    with open_workbook(path) as book:
        assert book.format == fmt
        assert book.encoding == EXPECTED_ENCODING.get(case)
        sheet = book.sheet()
        head = sheet.head()
        header_row = find_header_row(head)
        assert header_row == sheets.MESSY_HEADER_ROW
        mapping = map_columns(dict(head)[header_row], header_row)
        assert mapping.headers == sheets.MESSY_HEADERS
        got = []
        for number, cells in sheet.rows():
            if number <= header_row:
                continue
            record: dict[str, object] = {"row": number}
            for target in ("name", "phone", "部门", "职务", "生日", "入职日期", "备注", "group"):
                (column,) = mapping.columns_for(target)
                record[target] = cell_text(cells[column] if column < len(cells) else None, target)
            got.append(record)
    assert got == sheets.messy_expected("csv" if fmt == "csv" else fmt)


def test_xlsx_raw_values_merges_formulas_and_types(tmp_path):
    path = sheets.write_messy(tmp_path / "messy.xlsx")
    with open_workbook(path) as book:
        assert book.sheet_names == [sheets.MESSY_SHEET]
        sheet = book.sheet(sheets.MESSY_SHEET)
        rows = dict(sheet.rows())
    assert sheet.row_count == 9 and sheet.first_row == 1 and sheet.width == 10
    assert sorted(rows) == [1, 2, 3, 4, 5, 6, 8, 9]  # blank row 7 skipped, numbering stays Excel's
    assert rows[1] == ["2024年11月通讯录"] * 10  # merged title A1:J1: every cell gets the top-left value
    assert [rows[r][3] for r in (4, 5, 6, 8)] == ["办公室", "办公室", "办公室", "财务科"]  # merged D4:D6
    assert [rows[r][0] for r in (4, 5, 6)] == [1.0, 2.0, 3.0]  # formula ROW()-3: cached values
    assert rows[4][8] == "张三（负责人）"  # string formula result
    assert rows[4][2] == 13800138000.0 and isinstance(rows[4][2], float)
    assert rows[5][2] == 13912345678.0  # shown as 1.39E+10 in Excel; the value is exact
    assert rows[4][5] == 32874.0  # a serial number typed into 生日
    assert rows[5][5] == dt.date(1991, 2, 3) and rows[4][7] == dt.date(2020, 3, 1)
    assert rows[5][7] == dt.datetime(2021, 7, 15, 9, 30)
    assert all(rows[r][6] is None for r in rows if r > 1)  # the empty spacer column G
    assert rows[6][1] == "王\u200b五" and rows[6][2] == "１３６００１３６０００"  # the reader does not alter text
    assert rows[8][9] == "B组" and rows[9][9] is None


def test_xls_merges_dates_and_numbers(tmp_path):
    path = sheets.write_xls(
        tmp_path / "旧表.xls",
        [
            ["部门", "姓名", "手机", "生日"],
            ["办公室", "张三", 13800138000, dt.date(1990, 5, 1)],
            [None, "李四", 13900139000, dt.datetime(1988, 1, 2, 8, 15)],
            ["财务科", "王五", 137, True],
        ],
        merges=["A2:A3"],
    )
    with open_workbook(path) as book:
        assert book.format == "xls" and book.encoding is None
        rows = list(book.sheet(0).rows())
    assert rows[1] == (2, ["办公室", "张三", 13800138000.0, dt.date(1990, 5, 1)])
    assert rows[2] == (3, ["办公室", "李四", 13900139000.0, dt.datetime(1988, 1, 2, 8, 15)])
    assert rows[3][1][2:] == [137, True]


def test_ods_merges_are_filled_from_spans(tmp_path):
    path = sheets.write_ods(
        tmp_path / "名单.ods",
        [["名单"], ["部门", "姓名", "手机"], ["办公室", "张三", 13800138000], [None, "李四", 13900139000]],
        merges=["A1:C1", "A3:A4"],
    )
    with open_workbook(path) as book:
        assert book.format == "ods"
        rows = dict(book.sheet().rows())
    assert rows[1] == ["名单"] * 3
    assert rows[4] == ["办公室", "李四", 13900139000.0]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_row_numbers_and_columns_are_excels_when_the_table_starts_at_c4(tmp_path, suffix):
    table = [[], [], [], [None, None, "姓名", "手机"], [None, None, "张三", "13800138000"]]
    path = sheets.write_table(tmp_path / f"offset{suffix}", table, merges=["C4:D4"] if suffix != ".ods" else [])
    with open_workbook(path) as book:
        sheet = book.sheet()
        rows = list(sheet.rows())
    assert sheet.first_row == 4 and sheet.row_count == 2 and sheet.width == 4
    expected_header = ["姓名", "姓名"] if suffix != ".ods" else ["姓名", "手机"]
    assert rows == [(4, [None, None, *expected_header]), (5, [None, None, "张三", "13800138000"])]


def test_bools_times_and_error_values(tmp_path):
    path = sheets.write_xlsx(
        tmp_path / "types.xlsx",
        [
            ["同意", "时间", "公式错误", "布尔公式"],
            [True, dt.time(9, 30), sheets.Formula("1/0", "#DIV/0!"), sheets.Formula("1=1", True)],
            [False, dt.time(18, 5, 7), sheets.Formula("NA()", "#N/A"), None],
        ],
    )
    with open_workbook(path) as book:
        rows = dict(book.sheet().rows())
    assert rows[2] == [True, "09:30", None, True]
    assert rows[3] == [False, "18:05:07", None, None]


# ---------------------------------------------------------------- CSV


def _simple_rows():
    return [
        ["姓名", "手机", "部门"],
        ["张三", "13800138000", "办公室"],
        ["李䶮", "13900139000", ""],
        ["Ann, Jr.", "13700137000", "第一行\n第二行"],
    ]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("utf-16", "utf-16")],
)
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_encodings_and_delimiters(tmp_path, encoding, expected, delimiter):
    path = sheets.write_csv(tmp_path / "通讯录.csv", _simple_rows(), encoding=encoding, delimiter=delimiter)
    with open_workbook(path) as book:
        assert (book.format, book.encoding, book.sheet_names) == ("csv", expected, ["通讯录"])
        rows = list(book.sheet().rows())
    assert rows == [
        (1, ["姓名", "手机", "部门"]),
        (2, ["张三", "13800138000", "办公室"]),
        (3, ["李䶮", "13900139000", None]),
        (4, ["Ann, Jr.", "13700137000", "第一行\n第二行"]),
    ]
    assert all(isinstance(v, str) for _, cells in rows for v in cells if v is not None)


def test_csv_in_gbk_as_chinese_excel_writes_it(tmp_path):
    path = sheets.write_csv(tmp_path / "导出.csv", [["姓名", "手机"], ["张三", "13800138000"]], encoding="gbk")
    assert "姓名".encode("gbk") in path.read_bytes()
    with open_workbook(path) as book:
        assert book.encoding == "gb18030"
        assert list(book.sheet().rows()) == [(1, ["姓名", "手机"]), (2, ["张三", "13800138000"])]


def test_csv_renamed_xls_is_read_by_content(tmp_path):
    """OA systems export tab-separated text named .xls."""
    path = sheets.write_csv(
        tmp_path / "导出.xls", [["姓名", "手机"], ["张三", "13800138000"]], encoding="gb18030", delimiter="\t"
    )
    with open_workbook(path) as book:
        assert book.format == "csv"
        assert book.sheet().head(1) == [(1, ["姓名", "手机"])]


def test_csv_excel_sep_line_and_bomless_utf16(tmp_path):
    path = sheets.write_csv(tmp_path / "sep.csv", _simple_rows()[:2], delimiter=";", sep_line=True)
    with open_workbook(path) as book:
        assert list(book.sheet().rows()) == [(2, ["姓名", "手机", "部门"]), (3, ["张三", "13800138000", "办公室"])]
    path = sheets.write_csv(tmp_path / "le.txt", _simple_rows()[:2], encoding="utf-16-le", delimiter="\t")
    with open_workbook(path) as book:
        assert book.encoding == "utf-16-le"
        assert book.sheet().head(1) == [(1, ["姓名", "手机", "部门"])]


def test_csv_title_row_does_not_confuse_the_delimiter(tmp_path):
    rows = [["2024年通讯录"], [], ["姓名", "手机", "部门"]] + [[f"人{i}", f"1380013{i:04d}", "办"] for i in range(20)]
    path = sheets.write_csv(tmp_path / "t.csv", rows, delimiter=";")
    with open_workbook(path) as book:
        sheet = book.sheet()
        head = sheet.head(3)
    assert head[0] == (1, ["2024年通讯录"])
    assert head[1] == (3, ["姓名", "手机", "部门"])
    assert sheet.row_count == 23


# ---------------------------------------------------------------- sheets, laziness, closing


def test_sheet_by_name_index_and_default(tmp_path):
    path = sheets.write_xlsx(
        tmp_path / "多表.xlsx",
        {"空白": [], "隐藏": [["x", "y"]], "一月": [["姓名", "手机"], ["张三", 1]], "二月": [["姓名"], ["李四"]]},
        hidden=["隐藏"],
    )
    with open_workbook(path) as book:
        assert book.sheet_names == ["空白", "隐藏", "一月", "二月"]
        assert book.sheet().name == "一月"  # first visible sheet with cells
        assert book.sheet("二月").head() == [(1, ["姓名"]), (2, ["李四"])]
        assert book.sheet(" 二月 ").name == "二月"  # spaces around a typed name are forgiven
        assert book.sheet(3).name == "二月"
        assert book.sheet(1).name == "隐藏"  # asked for explicitly
        with pytest.raises(ImportFileError) as err:
            book.sheet("三月")
        assert err.value.key == "import.unknown_sheet"
        assert "三月" in str(err.value) and "一月, 二月" in str(err.value) and "多表.xlsx" in str(err.value)
        with pytest.raises(ImportFileError) as err:
            book.sheet(9)
        assert err.value.key == "import.unknown_sheet"
        with pytest.raises(ImportFileError) as err:
            book.sheet("空白")
        assert err.value.key == "import.empty_sheet"
        assert "空白" in err.value.message("zh") and "空白" in err.value.message("en")


def test_workbook_whose_sheets_are_all_empty(tmp_path):
    with (
        open_workbook(sheets.write_empty_sheet_xlsx(tmp_path / "空表.xlsx")) as book,
        pytest.raises(ImportFileError) as err,
    ):
        book.sheet()
    assert err.value.key == "import.no_data" and "空表.xlsx" in str(err.value)
    with open_workbook(sheets.write_blank_csv(tmp_path / "blank.csv")) as book, pytest.raises(ImportFileError) as err:
        book.sheet()
    assert err.value.key == "import.no_data"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_1000_rows_are_read_lazily(tmp_path, suffix):
    path = (sheets.write_big_xlsx if suffix == ".xlsx" else sheets.write_big_csv)(tmp_path / f"big{suffix}", 1000)
    with open_workbook(path) as book:
        sheet = book.sheet()
        assert sheet.row_count == 1001
        rows = sheet.rows()
        assert inspect.isgenerator(rows)
        first = list(itertools.islice(rows, 3))
        rows.close()
        assert first[0] == (1, sheets.CONTACT_HEADERS)
        assert [n for n, _ in first] == [1, 2, 3]
        assert sheet.head(2) == first[:2]  # rows() starts over on every call
        count = 0
        expected = sheets.contact_rows(1000)
        for (number, cells), want in zip(itertools.islice(sheet.rows(), 1, None), expected, strict=True):
            count += 1
            assert number == count + 1
            assert cell_text(cells[1], "phone") == str(want[1])
            assert cells[0] == want[0]
    assert count == 1000


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
def test_close_releases_the_file(tmp_path):
    path = sheets.write_messy(tmp_path / "locked.xlsx")

    def open_fds():
        out = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                out.append(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                continue
        return [p for p in out if p == str(path)]

    book = open_workbook(path)
    sheet = book.sheet()
    assert open_fds(), "calamine keeps the file open while the workbook is"
    book.close()
    assert open_fds() == []
    assert len(list(sheet.rows())) == 8  # a sheet already loaded stays readable
    book.close()  # twice is harmless
    with pytest.raises(ImportFileError):
        book.sheet()


# ---------------------------------------------------------------- bad files


@pytest.mark.parametrize("case", list(sheets.BAD_FILES))
def test_bad_files_give_a_clear_error_naming_the_file(tmp_path, case):
    name, writer, key = sheets.BAD_FILES[case]
    path = writer(tmp_path / name)
    with pytest.raises(ImportFileError) as err, open_workbook(path) as book:
        list(book.sheet().rows())
    assert err.value.key == key
    for lang in ("zh", "en"):
        text = err.value.message(lang)
        assert name in text and "{" not in text


def test_encrypted_xlsx_is_found_by_its_cfb_streams(tmp_path):
    path = sheets.write_encrypted_xlsx(tmp_path / "enc.xlsx")
    with open(path, "rb") as f:
        assert f.read(8) == bytes.fromhex("d0cf11e0a1b11ae1")
        streams = wbmod._Cfb(f, path.stat().st_size).streams()
    assert {"encryptioninfo", "encryptedpackage"} <= set(streams)


def test_encrypted_xls_is_found_by_its_filepass_record(tmp_path):
    path = sheets.write_encrypted_xls(tmp_path / "enc.xls", "xor")
    with open(path, "rb") as f:
        cfb = wbmod._Cfb(f, path.stat().st_size)
        stream = cfb.read(*cfb.streams()["workbook"], limit=4096)
    assert wbmod._biff_has_filepass(stream)
    plain = sheets.write_xls(tmp_path / "plain.xls", [["姓名", "手机"]])
    with open(plain, "rb") as f:
        cfb = wbmod._Cfb(f, plain.stat().st_size)
        assert not wbmod._biff_has_filepass(cfb.read(*cfb.streams()["workbook"], limit=4096))


def test_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    path = sheets.write_sparse(tmp_path / "huge.xlsx", MAX_FILE_BYTES + 1)

    def no_open(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(pathlib.Path, "open", no_open)
    with pytest.raises(ImportFileError) as err:
        open_workbook(path)
    assert err.value.key == "import.file_too_large"
    assert err.value.params["max_mb"] == 100


def test_missing_file_folder_and_file_in_use(tmp_path, monkeypatch):
    with pytest.raises(ImportFileError) as err:
        open_workbook(tmp_path / "没有.xlsx")
    assert err.value.key == "import.file_not_found" and "没有.xlsx" in str(err.value)
    with pytest.raises(ImportFileError) as err:
        open_workbook(tmp_path)
    assert err.value.key == "import.not_a_file"

    path = sheets.write_messy(tmp_path / "占用.xlsx")
    real_open = pathlib.Path.open

    def locked(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "The process cannot access the file because it is being used")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", locked)
    with pytest.raises(ImportFileError) as err:
        open_workbook(path)
    assert err.value.key == "import.file_locked" and "占用.xlsx" in err.value.message("en")


@pytest.mark.parametrize(
    ("exc", "key"),
    [
        (OSError("Permission denied (os error 13)"), "import.file_locked"),
        (OSError("The process cannot access the file (os error 32)"), "import.file_locked"),
        (OSError("No such file or directory (os error 2)"), "import.file_not_found"),
        (wbmod.calamine.PasswordError("Workbook is password protected"), "import.encrypted"),
        (wbmod.calamine.XmlError("bad xml"), "import.corrupt_file"),
    ],
)
def test_calamine_errors_are_mapped(exc, key):
    err = wbmod._calamine_error(exc, "x.xlsx")
    assert err.key == key and "x.xlsx" in err.message("zh")


def test_xml_spreadsheet_2003_asks_for_a_resave(tmp_path):
    path = tmp_path / "导出.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        "<Worksheet><Table><Row><Cell><Data>姓名</Data></Cell></Row></Table></Worksheet></Workbook>",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError) as err:
        open_workbook(path)
    assert err.value.key == "import.xml2003_disguised"
