"""Importing a vendor's keyword list: real .txt files in the encodings vendors use, .xlsx and .xls sheets,
and files that cannot be imported. One import is one transaction and one audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from smsjingling.errors import ImportFileError
from smsjingling.keywords import KeywordStore
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Keyword
from tests.core import sheets

VENDOR_TXT = "# 服务商违禁词 2024\n赌博网,六合彩 百家乐\n\n刷 单、代開發票；高利贷|套现\n\ufeff***\n"


@pytest.fixture
def store(db: Database) -> KeywordStore:
    s = KeywordStore(db, actor="admin")
    s.ensure_defaults()
    return s


def write_xlsx(path: Path, sheets_rows: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets_rows.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def keyword_count(db: Database) -> int:
    with db.reader() as s:
        return s.execute(select(func.count()).select_from(Keyword)).scalar_one()


def import_events(db: Database) -> list[AuditEvent]:
    with db.reader() as s:
        query = select(AuditEvent).where(AuditEvent.action == "keywords.import")
        return list(s.execute(query).scalars())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_txt_in_every_encoding_vendors_use(tmp_path: Path, db: Database, store: KeywordStore, encoding: str) -> None:
    path = tmp_path / "违禁词.txt"
    path.write_bytes(VENDOR_TXT.replace("\ufeff", "").encode(encoding))
    before = keyword_count(db)
    report = store.import_file(path, "fraud")
    # 六合彩 and 百家乐 are defaults in obscene_violent, not in fraud: added to fraud.
    words = {r.word for r in store.list("fraud") if r.source == "违禁词.txt"}
    assert words == {"赌博网", "六合彩", "百家乐", "刷", "单", "代開發票", "高利贷", "套现"}
    assert report.added == 8 and report.duplicates == 0
    assert [(r.row, r.column, r.value, r.reason_key) for r in report.rejected] == [
        (5, "1", "***", "keywords.reason.empty")
    ]
    assert keyword_count(db) == before + 8
    assert "新增 8 个" in report.summary() and "未导入 1 处" in report.summary()
    (event,) = import_events(db)
    assert event.actor == "admin"
    assert event.details == {
        "file": "违禁词.txt",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "category": "fraud",
        "added": 8,
        "duplicates": 0,
        "rejected": 1,
    }


def test_importing_twice_adds_nothing_the_second_time(tmp_path: Path, store: KeywordStore) -> None:
    path = tmp_path / "list.txt"
    path.write_text("甲词\n乙词\n甲詞\n", encoding="utf-8")
    first = store.import_file(path)
    assert (first.added, first.duplicates) == (2, 1)  # 甲詞 is 甲词
    assert {r.category for r in store.list() if r.source == "list.txt"} == {"vendor"}
    second = store.import_file(path)
    assert (second.added, second.duplicates) == (0, 3)


def test_xlsx_with_title_rows_header_and_category_column(tmp_path: Path, store: KeywordStore) -> None:
    path = write_xlsx(
        tmp_path / "词库.xlsx",
        {
            "敏感词": [
                ["某短信平台违禁词库"],
                [],
                ["序号", "关键词", "分类", "备注"],
                [1, "老虎机", "赌博", ""],
                [2, "保本 理财", "", "no category: the fallback"],
                [3, "拉票", "选举舞弊", "a vendor's own category"],
                [4, 10086, "", "a number is a word"],
                [5, dt.datetime(2024, 1, 1), "", "a date is not"],
                [6, "词", "类" * 40, "category too long"],
            ]
        },
    )
    report = store.import_file(path, "fraud")
    assert report.added == 3 and report.duplicates == 1  # 老虎机 is a default in obscene_violent
    assert {(r.word, r.category) for r in store.list() if r.source == "词库.xlsx"} == {
        ("保本 理财", "fraud"),
        ("拉票", "选举舞弊"),
        ("10086", "fraud"),
    }
    assert [(r.row, r.column, r.reason_key) for r in report.rejected] == [
        (8, "B", "keywords.reason.not_word"),
        (9, "C", "keywords.reason.bad_category"),
    ]


def test_xlsx_without_header_sheets_named_for_categories(tmp_path: Path, store: KeywordStore) -> None:
    path = write_xlsx(
        tmp_path / "grid.xlsx",
        {
            "赌博": [["网赌平台", "押大小"], [None, "上分 下分"]],
            "诈骗": [["刷单群，刷单兼职"]],  # two words in a cell; 刷单兼职 is a default fraud word
            "Sheet3": [["某词"]],
            "empty": [],
        },
    )
    report = store.import_file(path)
    assert (report.added, report.duplicates, report.rejected) == (5, 1, [])
    assert {(r.word, r.category) for r in store.list() if r.source == "grid.xlsx"} == {
        ("网赌平台", "obscene_violent"),
        ("押大小", "obscene_violent"),
        ("上分 下分", "obscene_violent"),
        ("刷单群", "fraud"),
        ("某词", "vendor"),
    }


def test_xls_and_csv(tmp_path: Path, store: KeywordStore) -> None:
    xls = sheets.write_xls(tmp_path / "old.xls", [["Keyword", "Category"], ["pay day loan", "scam"]])
    assert store.import_file(xls).added == 1  # a cell is one word: spaces do not separate there
    assert {r.category for r in store.list() if r.source == "old.xls"} == {"fraud"}
    csv = sheets.write_csv(tmp_path / "list.csv", [["关键词"], ["甲乙丙"]], encoding="gbk")
    assert store.import_file(csv, "vendor").added == 1


def test_strict_import_fails_whole_naming_file_row_and_column(
    tmp_path: Path, db: Database, store: KeywordStore
) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("好词一\n好词二  ~~~\n" + "长" * 101 + "\n", encoding="utf-8")
    before = keyword_count(db)
    with pytest.raises(ImportFileError) as error:
        store.import_file(path, strict=True)
    message = str(error.value)
    assert error.value.key == "keywords.rejected_row"
    assert "bad.txt" in message and "第 2 行" in message and "6 列" in message and "~~~" in message
    assert "共 2 处问题" in message
    assert keyword_count(db) == before and import_events(db) == []
    # Without strict, the good words go in and the others are reported.
    report = store.import_file(path)
    assert report.added == 2 and [(r.row, r.reason_key) for r in report.rejected] == [
        (2, "keywords.reason.empty"),
        (3, "keywords.reason.too_long"),
    ]


BAD_FILES = {
    "missing": (lambda p: p, "import.file_not_found"),
    "empty": (lambda p: p.write_bytes(b""), "import.empty_file"),
    "only comments": (lambda p: p.write_text("# nothing here\n\n", encoding="utf-8"), "keywords.no_words"),
    "binary": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00"), "keywords.not_text"),
    "neither utf-8 nor gbk": (
        lambda p: p.write_bytes("好词\n".encode() + b"\x81\x20\xff\xfe\n"),
        "keywords.bad_encoding",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_text_files(tmp_path: Path, db: Database, store: KeywordStore, case: str) -> None:
    writer, key = BAD_FILES[case]
    path = tmp_path / "vendor.txt"
    if case != "missing":
        writer(path)
    before = keyword_count(db)
    with pytest.raises(ImportFileError) as error:
        store.import_file(path)
    assert error.value.key == key and "vendor.txt" in str(error.value)
    assert keyword_count(db) == before and import_events(db) == []


def test_bad_encoding_names_the_line(tmp_path: Path, store: KeywordStore) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes("一\n二\n".encode() + b"\xff\xfe\xfd\n")
    with pytest.raises(ImportFileError) as error:
        store.import_file(path)
    assert error.value.params["line"] == 3


def test_bad_spreadsheets(tmp_path: Path, store: KeywordStore) -> None:
    encrypted = sheets.write_encrypted_xlsx(tmp_path / "locked.xlsx")
    with pytest.raises(ImportFileError) as error:
        store.import_file(encrypted)
    assert error.value.key == "import.encrypted" and "locked.xlsx" in str(error.value)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFileError) as error:
        store.import_file(broken)
    assert "broken.xlsx" in str(error.value)
    blank = write_xlsx(tmp_path / "blank.xlsx", {"Sheet1": [["关键词"]]})
    with pytest.raises(ImportFileError) as error:
        store.import_file(blank)
    assert error.value.key == "keywords.no_words"


def test_windows_line_ends_count_lines_as_notepad_does(tmp_path: Path, store: KeywordStore) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("关键词\r\n甲乙词\r\n\r\n丙丁词 ~~~\r\n".encode("gbk"))
    report = store.import_file(path)
    assert report.added == 2  # the heading 关键词 on the first line is not a word
    assert [(r.row, r.column, r.value) for r in report.rejected] == [(4, "5", "~~~")]
