"""Finding contacts page by page: keyset pages in every order, the substring scan that hands back what it has,
the ways a group is read, cancelling a running read, counts, and typing on after a search that found no one."""

from __future__ import annotations

import threading

import pytest

from smsjingling.contacts import search
from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.search import ContactQuery, PageKey, SearchCancelled, Sort
from tests.core.test_contacts_substring import scan_only


def all_pages(book: ContactBook, query: ContactQuery, limit: int) -> tuple[list[str], list[int]]:
    """Every name the query finds, page by page, and the size of each page."""
    names: list[str] = []
    sizes: list[int] = []
    after: PageKey | None = None
    while True:
        page = book.page(query, after, limit=limit)
        names += [r.name for r in page.records]
        sizes.append(len(page.records))
        if page.next is None:
            return names, sizes
        after = page.next


@pytest.fixture
def crowd(book: ContactBook) -> ContactBook:
    """53 contacts, some sharing a name (so paging must break ties by id), in three groups of different
    sizes, with departments to search inside."""
    for i in range(53):
        name = ["王伟", "李娜", "张敏"][i % 3] if i % 4 == 0 else f"员工{i:02d}"
        groups = ["全体"] + (["财务"] if i % 5 == 0 else []) + (["领导"] if i in (7, 30) else [])
        book.add(name, f"1380013{i:04d}", fields={"部门": "财务科" if i % 5 == 0 else "办公室"}, groups=groups)
    return book


def test_pages_in_name_order_follow_on_without_gaps_or_repeats(crowd: ContactBook) -> None:
    names, sizes = all_pages(crowd, ContactQuery(), limit=10)
    assert sizes == [10, 10, 10, 10, 10, 3]
    assert names == [r.name for r in crowd.search("", limit=100)]  # the same order as one big read
    assert names == sorted(names)
    ids = []
    after = None
    while True:
        page = crowd.page(ContactQuery(), after, limit=7)
        ids += [r.id for r in page.records]
        if page.next is None:
            break
        assert page.next.sort is Sort.NAME
        after = page.next
    assert len(ids) == len(set(ids)) == 53  # ties on 王伟/李娜/张敏 broken by id


def test_a_phone_prefix_pages_in_number_order(crowd: ContactBook) -> None:
    page = crowd.page("1380013002", limit=4)
    assert [r.phone for r in page.records] == [f"+861380013002{d}" for d in range(4)]
    assert page.next is not None and page.next.sort is Sort.PHONE
    rest = crowd.page("1380013002", page.next, limit=4)
    assert [r.phone[-2:] for r in rest.records] == ["24", "25", "26", "27"]


def test_an_exact_last_page_says_nothing_follows(crowd: ContactBook) -> None:
    page = crowd.page("员工1", limit=10)  # 员工10 .. 员工19 less those named otherwise
    assert page.next is None
    assert [r.name for r in page.records] == sorted(r.name for r in page.records)


def test_a_substring_scan_reads_in_id_order_and_hands_back_partial_pages(
    crowd: ContactBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan_only(crowd)  # the scan itself, as without the trigram index (tests/core/test_contacts_substring.py)
    monkeypatch.setattr(search, "SCAN_SPAN", 10)
    monkeypatch.setattr(search, "SCAN_BUDGET_S", 0.0)  # one span a call
    query = ContactQuery(text="财务科")  # no name starts so: a scan of the fields
    names, sizes = all_pages(crowd, query, limit=100)
    # Each call read ten ids and returned the two contacts of the department among them.
    assert sizes == [2, 2, 2, 2, 2, 1]
    assert len(names) == 11
    first = crowd.page(query, limit=100)
    assert first.next == PageKey(Sort.SCAN, "", 10)
    ids = [r.id for r in first.records]
    assert ids == sorted(ids)


def test_a_full_page_of_a_scan_continues_after_its_last_row(crowd: ContactBook) -> None:
    page = crowd.page("办公室", limit=5)
    assert page.next is not None and page.next.sort is Sort.SCAN
    assert page.next.id == page.records[-1].id
    following = crowd.page("办公室", page.next, limit=5)
    assert following.records[0].id > page.records[-1].id


@pytest.mark.parametrize("drive_max", [0, 5, 1000])
def test_every_way_of_reading_a_group_finds_the_same_members(
    crowd: ContactBook, monkeypatch: pytest.MonkeyPatch, drive_max: int
) -> None:
    # drive_max 1000: every group is read from its member list; 5: 财务 (11) is checked against its list
    # in memory, 全体 (53, over a twentieth of the book) looked up per contact; 0: no group is driven.
    monkeypatch.setattr(search, "DRIVE_MAX", drive_max)
    groups = {g.name: g.id for g in crowd.groups()}
    for name, size in (("全体", 53), ("财务", 11), ("领导", 2)):
        query = ContactQuery(group_id=groups[name])
        names, _ = all_pages(crowd, query, limit=4)
        assert len(names) == size and names == sorted(names), name
        assert crowd.count(query) == size
    in_finance = ContactQuery(text="李", group_id=groups["财务"])
    assert [r.phone for r in crowd.page(in_finance).records] == ["+8613800130040"]
    assert crowd.count(in_finance) == 1


def test_counts_by_every_path(crowd: ContactBook) -> None:
    crowd.set_opted_out([r.id for r in crowd.search("员工0")], True)
    assert crowd.count() == 53
    assert crowd.count(ContactQuery(opted_out=True)) == crowd.count("员工0") == 7
    assert crowd.count(ContactQuery(opted_out=False)) == 46
    assert crowd.count("1380013000") == 10
    assert crowd.count("财务科") == 11
    names, _ = all_pages(crowd, ContactQuery(opted_out=True), limit=3)
    assert names == [f"员工0{i}" for i in (1, 2, 3, 5, 6, 7, 9)]


def test_a_cancelled_read_stops_with_search_cancelled(crowd: ContactBook) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(SearchCancelled):
        crowd.page("财务科", cancel=cancel)
    with pytest.raises(SearchCancelled):
        crowd.count("财务科", cancel=cancel)
    # The connection goes back to the pool without the handler: the next read runs to its end.
    assert crowd.count("财务科") == 11


def test_setting_cancel_while_sqlite_runs_interrupts_the_statement(book: ContactBook) -> None:
    if book.db.engine.dialect.name != "sqlite":
        pytest.skip("statement interruption is SQLite's progress handler")
    cancel = threading.Event()
    with book.db.reader() as s, pytest.raises(SearchCancelled), search.interruptible(s, cancel):
        conn = s.connection()
        cancel.set()
        # A statement long enough to meet the progress handler many times over.
        conn.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000) SELECT count(*) FROM n"
        ).scalar()


@pytest.mark.parametrize(
    ("before", "after", "empty"),
    [
        ("", "王", True),
        ("张伟", "张伟x", True),
        ("财务", "财务科", True),
        ("财务科", "财务", False),  # shorter: finds more
        ("张伟", "李", False),
        ("138", "1380", True),
        ("1", "13800138000", True),
        ("+852 9", "+852 91", True),
        ("008", "0086138", False),  # a trunk 0: "0086138" reads as +86138, which "008" does not contain
        ("010", "0108888", False),
        ("a1", "a12", True),
    ],
)
def test_typing_on_after_an_empty_search_stays_empty(before: str, after: str, empty: bool) -> None:
    assert ContactQuery(text=after).stays_empty_after(ContactQuery(text=before)) is empty
    assert not ContactQuery(text=after, group_id=1).stays_empty_after(ContactQuery(text=before, group_id=2))


def test_what_a_page_reads_matches_the_full_record(crowd: ContactBook) -> None:
    first = crowd.search("王伟")[0]
    crowd.set_opted_out([first.id], True, "complaint", "打电话投诉")
    via_page = next(r for r in crowd.page("王伟").records if r.id == first.id)
    assert via_page == crowd.get(first.id)
    assert via_page.opted_out and via_page.groups == ("全体", "财务") and via_page.fields == {"部门": "财务科"}


def test_records_by_id_keep_the_order_asked_for(crowd: ContactBook) -> None:
    ids = [r.id for r in crowd.search("", limit=5)]
    wanted = [ids[3], ids[0], 999_999, ids[3]]
    assert [r.id for r in crowd.records(wanted)] == [ids[3], ids[0]]
