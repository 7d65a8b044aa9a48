"""Finding contacts: by phone prefix, by name, or by any field, fast over a million rows.

Phone prefixes and name prefixes are range scans on their indexes (milliseconds at any size), in number or
name order. Only when those find nothing does the search fall back to a substring scan over names, numbers
and all fields: that covers "尾号 8000" and searching inside 部门/备注. The scan reads the table in id order
(the order contacts were added), the one order SQLite can read a million rows in sequentially; in name
order the same scan jumps around the table and costs ten times more.

Paging is by key, not OFFSET: `page()` returns a `PageKey` (the last row's sort value and id) and the next
call continues after it, so the ten-thousandth page costs what the first one does. A substring scan reads
`SCAN_SPAN` ids at a time and gives back what it found once `SCAN_BUDGET_S` is spent, even less than a page,
with a key that continues the scan where it stopped: rare matches show up while the rest is still read.

A group filter is read in the way that fits its size: a small group (up to `DRIVE_MAX` members) is read
from its member list and sorted; a bigger one by walking the name (or number) index and checking
membership, against the member list held in memory while the group is under a twentieth of the book, by
looking each contact up in the membership index beyond that. Each way costs at most a few tens of
milliseconds at a million contacts; the wrong one costs seconds.

Every read takes an optional `cancel` Event: on SQLite a progress handler checks it while the statement
runs and stops the statement with `SearchCancelled`, so a search the user has typed past stops at once
instead of holding a thread for a full scan.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, and_, exists, false, func, or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from smsjingling import messages
from smsjingling.contacts import substring
from smsjingling.contacts.records import ContactRecord
from smsjingling.errors import UserError
from smsjingling.storage.models import Contact, Group, OptOut, contact_groups

messages.register({"contacts.search_cancelled": ("搜索已取消。", "The search was cancelled.")})

_PHONE_CHARS = re.compile(r"[\s\-()（）+＋]")

DRIVE_MAX = 2000  # groups up to this size are read from their member list and sorted
SCAN_SPAN = 50_000  # ids a substring scan reads in one statement
SCAN_BUDGET_S = 0.06  # a substring page returns once this is spent (after at least one span)
SHORT_TRIAL = 10_000  # ids a one- or two-character text is first looked for in by scanning
CANDIDATE_BATCH = 1000  # candidates from the index checked in one statement
# A count or a whole-result read takes the index's candidates while they are under this share of the book
# (a third), and reads the table for a more common text (measured at a million contacts: gathering 170,000
# candidates costs half what the scan does; a million, twice).
COMMON_SHARE = 3
# SQLite virtual-machine steps between checks of the cancel Event: about a millisecond of a scan. Each check
# runs Python, so it needs the GIL; checking much more often makes a scanning thread and the window's
# thread hand the GIL back and forth thousands of times a second.
_CHECK_EVERY = 100_000


class SearchCancelled(UserError):
    """The caller set the cancel Event while the database was reading."""

    def __init__(self) -> None:
        super().__init__("contacts.search_cancelled")


@dataclass(frozen=True)
class ContactQuery:
    """What the user is looking for. Every part is optional; empty means everything."""

    text: str = ""
    group_id: int | None = None
    sms_capable: bool | None = None
    opted_out: bool | None = None

    def stays_empty_after(self, previous: ContactQuery) -> bool:
        """Whether this query is sure to find no one, given that `previous` found no one: the same filters,
        and text that extends the previous text (typing on after a search came back empty).

        Whatever the longer text matches, the shorter one would have matched too: a name that starts with or
        contains the longer text contains the shorter; a number that starts with the longer run of digits
        (read as +86..., or as typed after a +) contains the shorter run, which the previous search looked
        for anywhere in numbers. The exception is a number typed with its trunk 0 (010..., 0086...): its
        prefix drops the 0, so digits starting with 0 are not trusted.
        """
        if (self.group_id, self.sms_capable, self.opted_out) != (
            previous.group_id,
            previous.sms_capable,
            previous.opted_out,
        ):
            return False
        before, now = previous.text.strip(), self.text.strip()
        if not before:
            return True
        if not now.startswith(before):
            return False
        digits = _PHONE_CHARS.sub("", before)
        return not (digits.isdigit() and digits.startswith("0") and not before.startswith(("+", "＋")))


class Sort(StrEnum):
    """The order a page is read in, which is also what its key holds."""

    NAME = "name"
    PHONE = "phone"
    SCAN = "scan"  # a substring scan, in id order


@dataclass(frozen=True)
class PageKey:
    """Where the next page starts: after the row with this sort value and id (for a scan, after this id)."""

    sort: Sort
    value: str
    id: int


@dataclass(frozen=True)
class Page:
    records: list[ContactRecord]
    next: PageKey | None  # None: nothing follows


def _next_prefix(prefix: str) -> str:
    """The smallest string greater than every string that starts with prefix."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def phone_prefix(text: str) -> str | None:
    """An E.164 prefix for what the user typed, if it looks like the start of a number."""
    digits = _PHONE_CHARS.sub("", text.strip())
    if len(digits) < 3 or not digits.isdigit():
        return None
    if text.strip().startswith(("+", "＋")):
        return "+" + digits
    if digits.startswith("0086"):
        return "+86" + digits[4:]
    if digits.startswith("86") and len(digits) > 11:
        return "+" + digits
    if digits.startswith("0"):  # a landline with its area code: +86 drops the trunk 0
        return "+86" + digits[1:]
    return "+86" + digits


# ---------------------------------------------------------------- cancelling


@contextlib.contextmanager
def interruptible(session: Session, cancel: threading.Event | None) -> Iterator[None]:
    """Statements run in this block stop with SearchCancelled soon after `cancel` is set (SQLite; on other
    databases the statement runs to its end and the cancel is noticed after it)."""
    if cancel is None:
        yield
        return
    if cancel.is_set():
        raise SearchCancelled()
    raw = session.connection().connection.driver_connection
    if not isinstance(raw, sqlite3.Connection):
        yield
        if cancel.is_set():
            raise SearchCancelled()
        return
    raw.set_progress_handler(lambda: 1 if cancel.is_set() else 0, _CHECK_EVERY)
    try:
        yield
    except OperationalError as exc:
        if cancel.is_set() and "interrupt" in str(exc.orig):
            raise SearchCancelled() from None
        raise
    finally:
        raw.set_progress_handler(None, 0)  # the connection goes back to the pool


# ---------------------------------------------------------------- statements


class _Membership(StrEnum):
    DRIVE = "drive"  # read the member list, sort it
    LIST = "list"  # walk an index, check each id against the member list held in memory
    LOOKUP = "lookup"  # walk an index, look each id up in the membership index


def _members_at_least(session: Session, group_id: int, n: int) -> bool:
    """Whether the group has at least n members, reading at most n index entries."""
    sub = select(contact_groups.c.contact_id).where(contact_groups.c.group_id == group_id).limit(n).subquery()
    return session.execute(select(func.count()).select_from(sub)).scalar_one() >= n


def _membership_kind(session: Session, group_id: int) -> _Membership:
    if not _members_at_least(session, group_id, DRIVE_MAX + 1):
        return _Membership.DRIVE
    book = session.execute(select(func.max(Contact.id))).scalar() or 0
    return _Membership.LOOKUP if _members_at_least(session, group_id, max(book // 20, 1)) else _Membership.LIST


def _in_group(session: Session, group_id: int) -> ColumnElement[bool]:
    members = select(contact_groups.c.contact_id).where(contact_groups.c.group_id == group_id)
    kind = _membership_kind(session, group_id)
    if kind is _Membership.DRIVE:
        return Contact.id.in_(members)  # SQLite reads the ids through the primary key, then sorts
    if kind is _Membership.LIST:
        # "+ 0" keeps SQLite from driving the query from the list: it walks the sort index instead.
        return (Contact.id + 0).in_(members)
    return exists().where(contact_groups.c.contact_id == Contact.id, contact_groups.c.group_id == group_id)


def _filters(session: Session, query: ContactQuery) -> list[ColumnElement[bool]]:
    """The conditions of the query's group and flags (the group's size decides how it is read)."""
    conditions: list[ColumnElement[bool]] = []
    if query.group_id is not None:
        conditions.append(_in_group(session, query.group_id))
    if query.sms_capable is not None:
        conditions.append(Contact.sms_capable == query.sms_capable)
    if query.opted_out is not None:
        # IN reads the opt-out list once; EXISTS would look every contact up in it.
        opted = Contact.phone.in_(select(OptOut.phone))
        conditions.append(opted if query.opted_out else ~opted)
    return conditions


def _indexed(query: ContactQuery, filters: list[ColumnElement[bool]]) -> tuple[Select, Sort]:
    """The index-backed statement for the query's text, and the order it is read in."""
    text = query.text.strip()
    stmt = select(Contact).where(*filters)
    if not text:
        return stmt, Sort.NAME
    prefix = phone_prefix(text)
    if prefix:
        return stmt.where(Contact.phone >= prefix, Contact.phone < _next_prefix(prefix)), Sort.PHONE
    return stmt.where(Contact.name >= text, Contact.name < _next_prefix(text)), Sort.NAME


def _needles(query: ContactQuery) -> tuple[str, str | None]:
    """The text compared with names and fields, and the digits compared with numbers (None: not a number)."""
    text = query.text.strip()
    digits = _PHONE_CHARS.sub("", text)
    return text, digits if digits.isdigit() else None


def _substring(session: Session, query: ContactQuery, filters: list[ColumnElement[bool]]) -> Select:
    """The substring conditions themselves, as a scan checks them row by row."""
    text, digits = _needles(query)
    pattern = f"%{_escape_like(text)}%"
    # SQLite's LIKE ignores ASCII case by itself (and lower() on both sides would cost the scan); PostgreSQL's
    # is case-sensitive, so there it is ILIKE.
    folded = session.get_bind().dialect.name != "sqlite"
    name, fields = Contact.name, func.cast(Contact.fields, Text())
    conditions = [
        name.ilike(pattern, escape="\\") if folded else name.like(pattern, escape="\\"),
        fields.ilike(pattern, escape="\\") if folded else fields.like(pattern, escape="\\"),
    ]
    if digits is not None:
        conditions.append(Contact.phone.like(f"%{digits}%"))
    return select(Contact).where(*filters, or_(*conditions))


def _match(session: Session, query: ContactQuery) -> str | None:
    """The index's expression for the query's candidates; None where the index cannot help (a scan)."""
    if not substring.available(session):
        return None
    return substring.expression(session, *_needles(query))


def _substring_statement(session: Session, query: ContactQuery, filters: list[ColumnElement[bool]]) -> Select:
    """The substring search for counts and whole-result reads: among the index's candidates where it has them."""
    stmt = _substring(session, query, filters)
    match = _match(session, query)
    if match is None:
        return stmt
    if match == substring.NOTHING:
        return stmt.where(false())
    book = session.execute(select(func.max(Contact.id))).scalar() or 0
    if substring.at_least(session, match, max(book // COMMON_SHARE, 1)):
        return stmt  # a common text: reading the table costs less than gathering its candidates first
    return stmt.where(substring.among_candidates(match))


def _has_rows(session: Session, stmt: Select) -> bool:
    return session.execute(stmt.with_only_columns(Contact.id).limit(1)).first() is not None


def _statement(session: Session, query: ContactQuery) -> tuple[Select, Sort]:
    """The index-backed statement and its order, or the substring scan when that finds nothing at all."""
    filters = _filters(session, query)
    stmt, order = _indexed(query, filters)
    if query.text.strip() and not _has_rows(session, stmt):
        return _substring_statement(session, query, filters), Sort.SCAN
    return stmt, order


_SORT_COLUMNS: dict[Sort, Any] = {Sort.NAME: Contact.name, Sort.PHONE: Contact.phone, Sort.SCAN: None}


def _ordered(stmt: Select, sort: Sort) -> Select:
    column = _SORT_COLUMNS[sort]
    return stmt.order_by(Contact.id) if column is None else stmt.order_by(column, Contact.id)


def _after(key: PageKey) -> ColumnElement[bool]:
    """Rows after the key in its order; written as a range on the sort column so the index is used."""
    column = _SORT_COLUMNS[key.sort]
    if column is None:
        return Contact.id > key.id
    return and_(column >= key.value, or_(column > key.value, Contact.id > key.id))


# ---------------------------------------------------------------- reading


def page(
    session: Session,
    query: ContactQuery,
    after: PageKey | None = None,
    *,
    limit: int = 200,
    cancel: threading.Event | None = None,
) -> Page:
    """Up to `limit` contacts the query finds, after `after` (from the start when None)."""
    with interruptible(session, cancel):
        filters = _filters(session, query)
        if after is not None and after.sort is Sort.SCAN:
            return _scan_page(session, query, filters, after.id, limit)
        if after is None:
            stmt, sort = _indexed(query, filters)
            if query.text.strip() and not _has_rows(session, stmt):
                return _scan_page(session, query, filters, 0, limit)
        else:
            stmt, sort = _indexed(query, filters)
            stmt = stmt.where(_after(after))
        # The page's ids first, from the index alone where it covers them (a group walk checks many
        # contacts that are not in it); then the rows of those ids.
        column = _SORT_COLUMNS[sort]
        keys = session.execute(_ordered(stmt.with_only_columns(column, Contact.id), sort).limit(limit + 1)).all()
        ids = [cid for _, cid in keys[:limit]]
        by_id = {r.id: r for r in _read(session, select(*_ROW).where(Contact.id.in_(ids)))} if ids else {}
        following = PageKey(sort, keys[limit - 1][0], keys[limit - 1][1]) if len(keys) > limit else None
        return Page([by_id[i] for i in ids if i in by_id], following)


def _scan_page(
    session: Session, query: ContactQuery, filters: list[ColumnElement[bool]], start: int, limit: int
) -> Page:
    """A page of a substring search in id order, after id `start`: from the index's candidates where it
    has them, else by reading the table span by span. Either way it hands back what it has once
    SCAN_BUDGET_S is spent, with a key that goes on from there."""
    last = session.execute(select(func.max(Contact.id))).scalar() or 0
    began = time.perf_counter()
    stmt = _substring(session, query, filters).with_only_columns(*_ROW)
    found: list[ContactRecord] = []
    match: str | None = None
    text, digits = _needles(query)
    trigrams = min(len(text), len(digits or text)) >= 3
    if trigrams and session.get_bind().dialect.name == "postgresql" and substring.pg_indexed(session):
        # The trigram indexes answer the LIKEs (a bitmap over the rows that match, in id order for the
        # page); spans would make the planner walk the ids instead.
        found = _read(session, stmt.where(Contact.id > start).order_by(Contact.id).limit(limit))
        start = found[-1].id if len(found) >= limit else last
        return Page(found, PageKey(Sort.SCAN, "", start) if start < last else None)
    if substring.available(session):
        if not trigrams:
            # A short text is often a common one (a surname, a digit), which the first ids fill the page
            # with at once; only when they hold too few of it does the index pay.
            end = max(start, min(start + SHORT_TRIAL, last))
            found = _read(session, _span(stmt, start, end, limit))
            rate = len(found) / max(end - start, 1)
            start = end
            common = len(found) >= limit or (rate > 0 and (limit - len(found)) / rate <= SCAN_SPAN)
            match = None if common else _match(session, query)
        else:
            match = _match(session, query)
    if len(found) >= limit:
        start = found[limit - 1].id
        found = found[:limit]
    elif match is not None:
        start = _read_candidates(session, stmt, match, start, last, limit, found, began)
    else:
        while start < last:
            end = start + SCAN_SPAN
            found += _read(session, _span(stmt, start, end, limit - len(found)))
            if len(found) >= limit:
                start = found[-1].id
                break
            start = end
            if time.perf_counter() - began >= SCAN_BUDGET_S:
                break
    following = PageKey(Sort.SCAN, "", start) if start < last else None
    return Page(found, following)


def _span(stmt: Select, start: int, end: int, limit: int) -> Select:
    return stmt.where(Contact.id > start, Contact.id <= end).order_by(Contact.id).limit(limit)


def _read_candidates(
    session: Session,
    stmt: Select,
    match: str,
    start: int,
    last: int,
    limit: int,
    found: list[ContactRecord],
    began: float,
) -> int:
    """Check the index's candidates after `start` batch by batch into `found`; returns where to go on."""
    if match == substring.NOTHING:
        return last
    while True:
        ids = substring.candidate_ids(session, match, start, CANDIDATE_BATCH)
        if ids:
            found += _read(session, stmt.where(Contact.id.in_(ids)).order_by(Contact.id).limit(limit - len(found)))
        if len(found) >= limit:
            return found[-1].id
        if len(ids) < CANDIDATE_BATCH:
            return last  # no candidate beyond these
        start = ids[-1]
        if time.perf_counter() - began >= SCAN_BUDGET_S:
            return start


# What a page reads of each contact: plain columns (no ORM objects to build), the opt-out flag by a scalar
# subquery on its unique index.
_ROW = (
    Contact.id,
    Contact.name,
    Contact.phone,
    Contact.sms_capable,
    Contact.carrier,
    Contact.region,
    Contact.fields,
    Contact.consent_at,
    Contact.consent_source,
    exists().where(OptOut.phone == Contact.phone).label("opted_out"),
)


def _read(session: Session, stmt: Select) -> list[ContactRecord]:
    """Records for the rows of a statement over _ROW, with their group names in one more query."""
    rows = session.execute(stmt).all()
    if not rows:
        return []
    groups: dict[int, list[str]] = {}
    for contact_id, name in session.execute(
        select(contact_groups.c.contact_id, Group.name)
        .join(Group, Group.id == contact_groups.c.group_id)
        .where(contact_groups.c.contact_id.in_([r[0] for r in rows]))
        .order_by(Group.name)
    ):
        groups.setdefault(contact_id, []).append(name)
    return [
        ContactRecord(
            id=cid,
            name=name,
            phone=phone,
            sms_capable=sms_capable,
            carrier=carrier,
            region=region,
            fields=fields or {},
            groups=tuple(groups.get(cid, ())),
            consent_at=consent_at,
            consent_source=consent_source,
            opted_out=bool(opted_out),
        )
        for cid, name, phone, sms_capable, carrier, region, fields, consent_at, consent_source, opted_out in rows
    ]


def records_by_id(session: Session, ids: Sequence[int]) -> list[ContactRecord]:
    """The records of these contacts, in the order of `ids` (ids of deleted contacts are left out)."""
    wanted = list(dict.fromkeys(ids))
    by_id: dict[int, ContactRecord] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        by_id.update((r.id, r) for r in _read(session, select(*_ROW).where(Contact.id.in_(chunk))))
    return [by_id[i] for i in wanted if i in by_id]


def search(session: Session, query: ContactQuery, *, limit: int = 200, offset: int = 0) -> list[ContactRecord]:
    """A slice by offset, for the command line's --offset; views page with `page()`."""
    stmt, sort = _statement(session, query)
    rows = session.execute(_ordered(stmt, sort).limit(limit).offset(offset)).scalars()
    return to_records(session, list(rows))


def count(session: Session, query: ContactQuery, *, cancel: threading.Event | None = None) -> int:
    """How many contacts the query finds. A substring query counts by reading the whole table."""
    with interruptible(session, cancel):
        plain = not query.text.strip() and query.sms_capable is None
        if plain and query.group_id is None and query.opted_out is None:
            # count(*), not count(id): SQLite then counts the smallest index instead of the table.
            return session.execute(select(func.count()).select_from(Contact)).scalar_one()
        if plain and query.opted_out is None:
            # Memberships always name a contact (the foreign key cascades), so the index alone answers.
            assert query.group_id is not None
            return session.execute(
                select(func.count()).select_from(contact_groups).where(contact_groups.c.group_id == query.group_id)
            ).scalar_one()
        if plain and query.group_id is None and query.opted_out:
            return session.execute(
                select(func.count()).select_from(OptOut).join(Contact, Contact.phone == OptOut.phone)
            ).scalar_one()
        stmt, _ = _statement(session, query)
        return session.execute(stmt.with_only_columns(func.count())).scalar_one()


def matching_ids(session: Session, query: ContactQuery) -> list[int]:
    """Every id the query finds, in display order (for export and bulk actions)."""
    stmt, sort = _statement(session, query)
    return list(session.execute(_ordered(stmt.with_only_columns(Contact.id), sort)).scalars())


def to_records(session: Session, contacts: Sequence[Contact]) -> list[ContactRecord]:
    """Records with their group names and opt-out flag, in two extra queries for the whole page."""
    if not contacts:
        return []
    ids = [c.id for c in contacts]
    groups: dict[int, list[str]] = {}
    for contact_id, name in session.execute(
        select(contact_groups.c.contact_id, Group.name)
        .join(Group, Group.id == contact_groups.c.group_id)
        .where(contact_groups.c.contact_id.in_(ids))
        .order_by(Group.name)
    ):
        groups.setdefault(contact_id, []).append(name)
    phones = [c.phone for c in contacts]
    opted = set(session.execute(select(OptOut.phone).where(OptOut.phone.in_(phones))).scalars())
    return [
        ContactRecord(
            id=c.id,
            name=c.name,
            phone=c.phone,
            sms_capable=c.sms_capable,
            carrier=c.carrier,
            region=c.region,
            fields=dict(c.fields or {}),
            groups=tuple(groups.get(c.id, ())),
            consent_at=c.consent_at,
            consent_source=c.consent_source,
            opted_out=c.phone in opted,
        )
        for c in contacts
    ]
