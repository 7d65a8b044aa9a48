"""Substring search through the trigram index (migration 0005): the same contacts in the same order as a scan
finds, for long and short texts, Chinese, digits and ASCII of either case, after edits, deletes and imports;
the index kept in step by the database itself; a book upgraded from before the index gets it filled."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from smsjingling.contacts import search, substring
from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.search import ContactQuery, PageKey, Sort
from smsjingling.importer.run import ImportOptions, import_contacts
from smsjingling.storage.database import open_database
from tests.core import sheets

NAMES = ["欧阳锋", "欧阳克", "司马懿", "张欧", "黄蓉", "Alice Smith", "BOB lee", "王", "欧", 'Quote"d', "100%_sure"]
QUERIES = [
    "欧阳锋",
    "欧阳",
    "阳锋",
    "欧",
    "锋",
    "阳",
    "马懿",
    "司马懿x",
    "不存在的人",
    "欧阳峰",
    "8",
    "80",
    "800",
    "8000",
    "13800",
    "0013",
    "88888",
    "ALICE",
    "alice smith",
    "li",
    "e S",
    "Q",
    '"',
    'e"d',
    "%",
    "_",
    "0%_",
    "科",
    "财务",
    "财务科",
    "办公室",
    "部门",
    "user1",
    "@example",
    "x",
    "Zoë",
    "ë",
]


def _ids(book: ContactBook, query: ContactQuery, limit: int) -> list[int]:
    """Every id the query finds, page by page (limit a page)."""
    ids: list[int] = []
    after: PageKey | None = None
    while True:
        page = book.page(query, after, limit=limit)
        ids += [r.id for r in page.records]
        if page.next is None:
            return ids
        after = page.next


def _expected(book: ContactBook, needle: str, group_id: int | None = None) -> list[int]:
    """What a substring scan finds, worked out here from the raw rows: the name or the fields' JSON text
    contains the text (ASCII case ignored, as SQLite's LIKE does), or the number contains its digits."""

    def fold(value: str) -> str:
        return "".join(c.lower() if c.isascii() else c for c in value)

    digits = "".join(c for c in needle if c not in " -()（）+＋")
    with book.db.reader() as s:
        rows = s.execute(text("SELECT id, name, phone, CAST(fields AS TEXT) FROM contacts ORDER BY id")).all()
        members = (
            None
            if group_id is None
            else set(
                s.execute(text("SELECT contact_id FROM contact_groups WHERE group_id = :g"), {"g": group_id}).scalars()
            )
        )
    return [
        cid
        for cid, name, phone, fields in rows
        if (members is None or cid in members)
        and (fold(needle) in fold(name) or fold(needle) in fold(fields) or (digits.isdigit() and digits in phone))
    ]


def scan_only(book: ContactBook) -> None:
    """Take the index away, as on an SQLite without the trigram tokenizer (or a PostgreSQL without pg_trgm):
    searches scan."""
    with book.db.session() as s:
        if book.db.engine.dialect.name == "postgresql":
            for index in substring.PG_INDEXES:
                s.execute(text(f"DROP INDEX IF EXISTS {index}"))
            assert not substring.pg_indexed(s)
            return
        for trigger in ("contacts_search_insert", "contacts_search_delete", "contacts_search_update"):
            s.execute(text(f"DROP TRIGGER {trigger}"))
        s.execute(text("DROP TABLE contacts_search_terms"))
        s.execute(text("DROP TABLE contacts_search"))
        assert not substring.available(s)


@pytest.fixture
def people(book: ContactBook) -> ContactBook:
    """Names that share characters in every position, numbers that share digits, fields to look inside."""
    for i in range(120):
        name = NAMES[i % len(NAMES)] if i % 3 == 0 else f"员工{i:03d}"
        fields = {"部门": "财务科" if i % 7 == 0 else "办公室", "邮箱": f"user{i}@example.com"}
        if i % 11 == 0:
            fields["备注"] = "Zoë 的同事"
        groups = ["全体"] + (["小组"] if i % 4 == 1 else [])
        book.add(name, f"1{(3, 5, 8)[i % 3]}{i * 7919 % 10**9:09d}", fields=fields, groups=groups)
    return book


def _check_all(book: ContactBook, queries: list[str]) -> dict[str, list[int]]:
    found = {}
    small = next(g.id for g in book.groups() if g.name == "小组")
    for needle in queries:
        for group in (None, small):
            query = ContactQuery(text=needle, group_id=group)
            whole = _ids(book, query, limit=500)
            assert _ids(book, query, limit=7) == whole, needle
            assert book.count(query) == len(whole), needle
            with book.db.reader() as s:
                assert search.matching_ids(s, query) == whole, needle
            found[f"{needle}|{group}"] = whole
    return found


def test_the_index_finds_what_a_scan_finds_in_the_same_order(people: ContactBook) -> None:
    with_index = _check_all(people, QUERIES)
    with people.db.reader() as s:
        indexed = substring.available(s) or substring.pg_indexed(s)
    if people.db.engine.dialect.name == "sqlite":
        assert indexed
        small = next(g.id for g in people.groups() if g.name == "小组")
        for needle in QUERIES:
            with people.db.reader() as s:
                by_prefix, _ = search._indexed(ContactQuery(text=needle), [])
                prefix_hits = search._has_rows(s, by_prefix)
            if not prefix_hits:  # the substring path: worked out independently
                assert with_index[f"{needle}|None"] == _expected(people, needle), needle
                assert with_index[f"{needle}|{small}"] == _expected(people, needle, small), needle
    if indexed:
        scan_only(people)
        assert _check_all(people, QUERIES) == with_index
    assert with_index["欧阳|None"] and with_index["8000|None"] == _expected(people, "8000")
    assert with_index["不存在的人|None"] == [] and with_index["欧阳峰|None"] == []


def test_edits_deletes_and_imports_keep_the_index_in_step(people: ContactBook, tmp_path: Path) -> None:
    def names(needle: str) -> list[str]:
        return [r.name for r in people.page(ContactQuery(text=needle), limit=500).records]

    fengs = names("锋")
    feng = people.search("欧阳锋")[0]
    people.update(feng.id, name="西门吹雪", fields={"部门": "剑术组"})
    people.delete([r.id for r in people.search("司马懿")])
    people.update(people.search("黄蓉")[0].id, phone="13912345678")
    rows = [["姓名", "手机", "部门"], ["欧阳娜娜", "13699990001", "导入组"], ["张三", "13699990002", "欧阳办"]]
    report = import_contacts(people.db, sheets.write_xlsx(tmp_path / "more.xlsx", rows), ImportOptions())
    assert report.added == 2
    # The import's update policy: a known number's row changes the contact it names.
    again = [["姓名", "手机", "部门"], ["欧阳修", "13699990002", "文学组"]]
    import_contacts(people.db, sheets.write_xlsx(tmp_path / "again.xlsx", again), ImportOptions())

    assert len(fengs) > 1 and names("锋") == fengs[1:] and names("西门吹") == ["西门吹雪"] == names("吹雪")
    assert names("剑术") == ["西门吹雪"] and not names("司马懿") and not names("马懿")
    assert names("12345678") == ["黄蓉"] and names("黄蓉")[0] == "黄蓉" and names("5678") == ["黄蓉"]
    assert names("欧阳娜") == ["欧阳娜娜"] and names("导入组") == ["欧阳娜娜"] and names("娜娜") == ["欧阳娜娜"]
    assert "欧阳修" in names("阳修") and names("文学组") == ["欧阳修"] and not names("欧阳办")
    _check_all(people, ["欧阳", "锋", "吹雪", "导入", "文学组", "欧阳办", "999900", "5678", "阳"])
    if people.db.engine.dialect.name == "sqlite":
        with people.db.session() as s:  # the index agrees with the rows it was built from
            s.execute(text("INSERT INTO contacts_search (contacts_search, rank) VALUES ('integrity-check', 0)"))


def test_a_common_short_text_is_read_by_scanning_and_a_rare_one_from_the_index(
    people: ContactBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    if people.db.engine.dialect.name != "sqlite":
        pytest.skip("the trigram index is SQLite's")
    monkeypatch.setattr(search, "SHORT_TRIAL", 10)
    monkeypatch.setattr(search, "SCAN_SPAN", 20)
    asked: list[str] = []
    candidate_ids = substring.candidate_ids
    monkeypatch.setattr(substring, "candidate_ids", lambda s, m, *a: asked.append(m) or candidate_ids(s, m, *a))
    common = people.page(ContactQuery(text="员"), limit=5)  # most of the first ten ids: scanned
    assert len(common.records) == 5 and not asked
    rare = people.page(ContactQuery(text="阳锋"), limit=50)  # inside names only: no name starts so
    assert [r.id for r in rare.records] == _expected(people, "阳锋") and len(rare.records) == 4
    assert asked and rare.next is None


def test_an_older_book_gets_the_index_filled_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = open_database(str(path))
    book = ContactBook(db, actor="tester")
    book.add("欧阳锋", "13800138000", fields={"部门": "白驼山"})
    book.add("黄药师", "13900139000")
    db.close()
    with sqlite3.connect(path) as raw:  # back to schema 0004, as a book from before the index is
        for trigger in ("contacts_search_insert", "contacts_search_delete", "contacts_search_update"):
            raw.execute(f"DROP TRIGGER {trigger}")
        raw.execute("DROP TABLE contacts_search_terms")
        raw.execute("DROP TABLE contacts_search")
        raw.execute("UPDATE alembic_version SET version_num = '0004'")
        raw.execute(
            "INSERT INTO contacts (name, phone, sms_capable, carrier, region, fields, created_at, updated_at) "
            "VALUES ('司马懿', '+8613700137000', 1, 'cmcc', '', '{}', '2024-01-01', '2024-01-01')"
        )
    raw.close()
    db = open_database(str(path))
    try:
        assert db.backup_path is not None
        book = ContactBook(db, actor="tester")
        with db.reader() as s:
            assert substring.available(s)
            assert substring.candidate_ids(s, '"司马懿"', 0, 10) == [3]
        assert [r.name for r in book.page(ContactQuery(text="白驼山")).records] == ["欧阳锋"]
        assert [r.name for r in book.page(ContactQuery(text="药")).records] == ["黄药师"]
        assert [r.name for r in book.page(ContactQuery(text="0137")).records] == ["司马懿"]
    finally:
        db.close()


def test_a_scan_key_goes_on_from_a_candidate_batch(people: ContactBook, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "CANDIDATE_BATCH", 4)
    monkeypatch.setattr(search, "SCAN_BUDGET_S", 0.0)  # one batch a call
    query = ContactQuery(text="财务科")
    first = people.page(query, limit=100)
    assert first.next is None or first.next.sort is Sort.SCAN
    assert _ids(people, query, limit=100) == _ids(people, query, limit=2) == _expected(people, "财务科")
