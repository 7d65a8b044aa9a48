"""Importing contact spreadsheets end to end: real files in every format into a real SQLite book."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.export import export_contacts
from smsjingling.contacts.search import ContactQuery
from smsjingling.errors import ImportFileError
from smsjingling.importer import run as import_run
from smsjingling.importer.run import DuplicatePolicy, ImportCancelled, ImportOptions, import_contacts
from smsjingling.storage.database import Database, open_database
from smsjingling.storage.models import AuditEvent, Contact, Group, contact_groups
from tests.core import sheets

QUIRKS = [
    ["单位通讯录（内部资料）"],
    [],
    ["姓名", "手机", "电话", "部门", "分组", "同意", "生日"],
    ["浮点", 13800138000.0, None, "办公室", "A组", "是", 32874.0],  # 4: number stored as float
    ["科学计数", "1.38001E+10", None, "办公室", None, None, None],  # 5: digits lost: rejected
    ["空格", " 138 0013 8001 ", None, "办公室", None, None, None],  # 6
    ["括号", "(138)0013-8002", None, None, None, None, None],  # 7
    ["加86", "+86 13800138003", None, None, None, None, None],  # 8
    ["0086", "0086-13800138004", None, None, None, None, None],  # 9
    ["86前缀", "8613800138005", None, None, None, None, None],  # 10
    ["全角", "１３８００１３８００６", None, None, None, None, None],  # 11
    ["撇号", "'13800138007", None, None, None, None, None],  # 12
    ["两个号码", "13800138008/13900139008", None, None, "A组、B组", None, None],  # 13
    ["多个号码", "13800138009、13900139009;13700137009\n15000150009", None, None, None, None, None],  # 14
    ["固话", None, "010-88886666", "前台", None, None, None],  # 15: landline kept
    ["手机和固话", "13800138010", "021-66668888", None, None, None, None],  # 16: mobile wins
    ["不是号码", "abc", None, None, None, None, None],  # 17: rejected
    ["没有号码", None, None, "办公室", None, None, None],  # 18: rejected
    [None, None, None, None, None, None, None],  # 19: empty row: ignored
    ["重\u200b复", "138-0013-8000", None, "财务科", None, None, None],  # 20: same number as row 4
    ["Ｌｉ\u00a0Lei", 13800138011, None, None, None, dt.date(2024, 5, 1), None],  # 21
]


def _book_state(db: Database) -> list[tuple]:
    """Everything the import may touch, to compare before and after."""
    with db.reader() as s:
        contacts = [
            (c.name, c.phone, c.sms_capable, c.carrier, dict(c.fields), c.consent_at, c.updated_at)
            for c in s.execute(select(Contact).order_by(Contact.phone)).scalars()
        ]
        groups = list(s.execute(select(Group.name).order_by(Group.name)).scalars())
        members = sorted(tuple(r) for r in s.execute(select(contact_groups.c.contact_id, contact_groups.c.group_id)))
    return [tuple(contacts), tuple(groups), tuple(members)]


def _by_name(book: ContactBook) -> dict[str, object]:
    return {c.name: c for c in book.search("", limit=1000)}


def test_every_quirk_imports_right(tmp_path: Path, book: ContactBook) -> None:
    path = sheets.write_xlsx(tmp_path / "quirks.xlsx", QUIRKS)
    report = import_contacts(book.db, path, ImportOptions(groups=["全体员工"]))
    assert report.header_row == 3
    got = _by_name(book)
    # Row 20 repeats row 4's number: under the default policy its non-empty values (name, 部门) update the
    # contact row 4 made, and nothing is erased (生日, consent and group stay).
    assert "浮点" not in got
    first = got["重复"]
    assert first.phone == "+8613800138000"
    assert first.fields == {"部门": "财务科", "生日": "1990-01-01"}
    assert first.groups == ("A组", "全体员工")
    assert first.consent_at is not None and "quirks.xlsx" in first.consent_source
    for name, number in [("空格", 1), ("括号", 2), ("加86", 3), ("0086", 4), ("86前缀", 5), ("全角", 6), ("撇号", 7)]:
        assert got[name].phone == f"+861380013800{number}", name
    assert got["两个号码"].phone == "+8613800138008"
    assert got["两个号码"].fields["其他号码"] == "+8613900139008"
    assert got["两个号码"].groups == ("A组", "B组", "全体员工")
    assert got["多个号码"].fields["其他号码"] == "+8613900139009、+8613700137009、+8615000150009"
    assert got["固话"].phone == "+861088886666" and not got["固话"].sms_capable
    assert got["手机和固话"].phone == "+8613800138010" and got["手机和固话"].sms_capable
    assert got["手机和固话"].fields["其他号码"] == "+862166668888"
    assert got["Ｌｉ Lei"].consent_at == dt.datetime(2024, 5, 1).astimezone(dt.UTC)

    rejected = {(p.row, p.key) for p in report.rejected}
    assert rejected == {(5, "phone.digits_lost"), (17, "phone.not_a_number"), (18, "phone.empty")}
    assert [(p.row, p.params["row"]) for p in report.in_file_duplicates] == [(20, 4)]
    assert (report.added, report.rows_read, report.landlines) == (13, 17, 1)
    digits_lost = next(p for p in report.rejected if p.row == 5)
    assert digits_lost.column == "手机" and digits_lost.value == "1.38001E+10"
    assert "1.38001E+10" in digits_lost.reason("zh")


@pytest.mark.parametrize(
    ("suffix", "encoding"),
    [(".xlsx", None), (".xls", None), (".ods", None), (".csv", "utf-8"), (".csv", "utf-8-sig"), (".csv", "gb18030")],
)
def test_messy_sheet_in_every_format(tmp_path: Path, book: ContactBook, suffix: str, encoding: str | None) -> None:
    path = tmp_path / f"messy{suffix}"
    sheets.write_messy(path, **({"encoding": encoding} if encoding else {}))
    report = import_contacts(book.db, path)
    assert report.rejected == [] and report.added == 5
    got = _by_name(book)
    fmt = "csv" if suffix == ".csv" else suffix[1:]
    for expected in sheets.messy_expected(fmt):
        contact = got[expected["name"]]
        assert contact.phone.endswith(str(expected["phone"])[-11:].replace("-", ""))
        for field in ("部门", "职务", "生日", "备注"):
            assert contact.fields.get(field, "") == expected[field], (expected["name"], field)
        assert contact.groups == ((expected["group"],) if expected["group"] else ())


def test_same_file_twice_changes_nothing(tmp_path: Path, book: ContactBook) -> None:
    path = sheets.write_xlsx(tmp_path / "q.xlsx", QUIRKS)
    import_contacts(book.db, path, ImportOptions(groups=["全体员工"]))
    before = _book_state(book.db)
    again = import_contacts(book.db, path, ImportOptions(groups=["全体员工"]))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 13)
    assert _book_state(book.db) == before


def _existing(book: ContactBook) -> int:
    return book.add("老张", "13800138000", fields={"部门": "旧部门", "职务": "主任"}, groups=["老分组"]).id


NEW_ROWS = [
    ["姓名", "手机", "部门", "备注"],
    ["张三", "13800138000", "新部门", None],
    ["新人", "13900139000", "销售部", "x"],
]


def test_policy_update_fills_without_erasing(tmp_path: Path, book: ContactBook) -> None:
    cid = _existing(book)
    report = import_contacts(book.db, sheets.write_xlsx(tmp_path / "n.xlsx", NEW_ROWS), ImportOptions(groups=["G"]))
    c = book.get(cid)
    assert (c.name, c.fields, c.groups) == ("张三", {"部门": "新部门", "职务": "主任"}, ("G", "老分组"))
    assert (report.added, report.updated) == (1, 1)


def test_policy_skip_leaves_existing_alone(tmp_path: Path, book: ContactBook) -> None:
    cid = _existing(book)
    before = book.get(cid)
    options = ImportOptions(groups=["G"], policy=DuplicatePolicy.SKIP)
    report = import_contacts(book.db, sheets.write_xlsx(tmp_path / "n.xlsx", NEW_ROWS), options)
    assert book.get(cid) == before
    assert (report.added, report.duplicates_skipped) == (1, 1)


def test_policy_groups_only_adds_memberships(tmp_path: Path, book: ContactBook) -> None:
    cid = _existing(book)
    options = ImportOptions(groups=["G"], policy=DuplicatePolicy.GROUPS)
    import_contacts(book.db, sheets.write_xlsx(tmp_path / "n.xlsx", NEW_ROWS), options)
    c = book.get(cid)
    assert (c.name, c.fields["部门"], c.groups) == ("老张", "旧部门", ("G", "老分组"))


def _big_rows(n: int) -> list[list[object]]:
    return [["姓名", "手机", "部门"]] + [[f"人{i}", 13000000000 + i, "部"] for i in range(n)]


def test_failure_midway_leaves_the_book_unchanged(
    tmp_path: Path, book: ContactBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    _existing(book)
    before = _book_state(book.db)
    monkeypatch.setattr(import_run, "CHUNK_ROWS", 100)
    path = sheets.write_xlsx(tmp_path / "big.xlsx", _big_rows(1000))

    def progress(done: int, total: int) -> None:
        if done >= 500:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        import_contacts(book.db, path, ImportOptions(groups=["新分组"]), progress=progress)
    assert _book_state(book.db) == before


def test_cancel_leaves_the_book_unchanged(tmp_path: Path, book: ContactBook, monkeypatch: pytest.MonkeyPatch) -> None:
    _existing(book)
    before = _book_state(book.db)
    monkeypatch.setattr(import_run, "CHUNK_ROWS", 100)
    path = sheets.write_xlsx(tmp_path / "big.xlsx", _big_rows(1000))
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 300:
            cancel.set()

    with pytest.raises(ImportCancelled) as err:
        import_contacts(book.db, path, ImportOptions(groups=["新分组"]), progress=progress, cancel=cancel)
    assert "取消" in err.value.message("zh")
    assert seen[:3] == [(100, 1000), (200, 1000), (300, 1000)]
    assert _book_state(book.db) == before
    with book.db.reader() as s:
        assert "contacts.import" not in set(s.execute(select(AuditEvent.action)).scalars())


def test_dry_run_reports_but_saves_nothing(tmp_path: Path, book: ContactBook) -> None:
    before = _book_state(book.db)
    report = import_contacts(book.db, sheets.write_xlsx(tmp_path / "q.xlsx", QUIRKS), ImportOptions(dry_run=True))
    assert report.added == 13 and len(report.rejected) == 3
    assert "试运行" in report.summary("zh")
    assert _book_state(book.db) == before


def test_rejected_rows_report_exports_to_xlsx(tmp_path: Path, book: ContactBook) -> None:
    report = import_contacts(book.db, sheets.write_xlsx(tmp_path / "q.xlsx", QUIRKS))
    out = report.export_xlsx(tmp_path / "rejected.xlsx", lang="zh")
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["行号", "列", "原值", "原因"]
    assert [int(r[0]) for r in rows[1:]] == [5, 17, 18, 20]
    assert rows[1][1:3] == ["手机", "1.38001E+10"]
    assert "第 4 行" in rows[4][3]


def test_mapping_override_and_group_column(tmp_path: Path, book: ContactBook) -> None:
    rows = [["员工", "号码一", "所在小组", "内部编号"], ["张三", "13800138000", "一组", "E01"]]
    path = sheets.write_xlsx(tmp_path / "odd.xlsx", rows)
    with pytest.raises(ImportFileError) as err:
        import_contacts(book.db, path)
    assert err.value.key == "import.no_phone_column"
    mapping = {"员工": "name", "号码一": "phone", "所在小组": "group", "内部编号": "ignore"}
    import_contacts(book.db, path, ImportOptions(mapping=mapping))
    c = book.search("张三")[0]
    assert (c.phone, c.groups, c.fields) == ("+8613800138000", ("一组",), {})


BAD_FILES = {
    "not_a_sheet.xlsx": sheets.write_word_doc,
    "truncated.xlsx": sheets.write_truncated_xlsx,
    "locked.xlsx": sheets.write_encrypted_xlsx,
    "empty.xlsx": sheets.write_empty_sheet_xlsx,
    "random.xls": sheets.write_random,
    "zero.csv": sheets.write_empty,
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_leave_the_book_unchanged(tmp_path: Path, book: ContactBook, name: str) -> None:
    _existing(book)
    before = _book_state(book.db)
    path = BAD_FILES[name](tmp_path / name)
    with pytest.raises(ImportFileError) as err:
        import_contacts(book.db, path)
    assert name in err.value.message("zh") and name in err.value.message("en")
    assert _book_state(book.db) == before


def test_huge_file_is_refused_before_reading(tmp_path: Path, book: ContactBook) -> None:
    path = sheets.write_sparse(tmp_path / "huge.xlsx", 200 * 1024 * 1024)
    with pytest.raises(ImportFileError) as err:
        import_contacts(book.db, path)
    assert err.value.key == "import.file_too_large"


@pytest.mark.parametrize(("suffix", "encoding"), [(".xlsx", "utf-8-sig"), (".csv", "utf-8-sig"), (".csv", "gbk")])
def test_export_reimports_to_the_same_book(tmp_path: Path, book: ContactBook, suffix: str, encoding: str) -> None:
    import_contacts(book.db, sheets.write_xlsx(tmp_path / "q.xlsx", QUIRKS), ImportOptions(groups=["全体员工"]))
    book.set_consent([book.search("空格")[0].id], dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.UTC), "短信回复")
    out = tmp_path / f"export{suffix}"
    assert export_contacts(book.db, out, encoding=encoding) == 13

    other = open_database(str(tmp_path / "other.sqlite3"))
    try:
        report = import_contacts(other, out)
        assert report.rejected == [] and report.added == 13

        def essence(db: Database) -> list[tuple]:
            return sorted(
                (c.name, c.phone, c.sms_capable, tuple(sorted(c.fields.items())), c.groups, c.consent_at is not None)
                for c in ContactBook(db).search("", limit=100)
            )

        assert essence(other) == essence(book.db)
        consent = ContactBook(other).search("空格")[0].consent_at
        assert consent == dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.UTC)
    finally:
        other.close()


def test_export_of_a_group_and_of_a_search(tmp_path: Path, book: ContactBook) -> None:
    import_contacts(book.db, sheets.write_xlsx(tmp_path / "q.xlsx", QUIRKS))
    group = book.group("A组")
    assert export_contacts(book.db, tmp_path / "a.csv", ContactQuery(group_id=group.id)) == 2
    text = (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert "13800138008" in text and "科学计数" not in text
    assert export_contacts(book.db, tmp_path / "s.xlsx", ContactQuery(text="多个")) == 1


def test_fast_json_matches_the_column_serializer(db: Database) -> None:
    from smsjingling.importer.run import _json_object
    from smsjingling.storage.models import Contact

    fields = {"部门": '研发"中心\\', "备注": "第一行\n第二行\t\u2028", "邮箱": "a@b.c", "空": ""}
    serialize = Contact.__table__.c.fields.type.bind_processor(db.engine.dialect)
    assert _json_object(fields) == serialize(fields)
