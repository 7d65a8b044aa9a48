"""One import of a contact spreadsheet into the book: all or nothing, with progress and cancel.

Rows are read lazily and written in chunks inside a single transaction, so a million-row sheet needs little
memory and a failure or a cancel leaves the book exactly as it was.

Decisions where the issue is silent:
- Several numbers for one person (one cell "138…/139…", or a 手机 and an 电话 column): the first mobile
  becomes the contact's number; the others are kept in the field 其他号码, so one person gets one message.
- A row whose only number is a landline is kept, marked not SMS-capable.
- Consent column: 是/同意/Y/yes/1/√ (or a date) records consent at import time (or that date), with the file
  and row as "how".
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from smsjingling import audit, messages
from smsjingling.errors import UserError
from smsjingling.importer import reader_process
from smsjingling.importer.report import ImportReport, RowProblem
from smsjingling.importer.staging import (
    CONSENT_AT,
    CONSENT_SOURCE,
    FIELDS,
    GROUPS,
    NAME,
    OTHER_NUMBERS_FIELD,
    PHONE,
    ROW,
    ReadRequest,
    SheetInfo,
    StagedChunk,
    StagedRow,
    read_staged,
)
from smsjingling.importer.staging import json_object as _json_object  # noqa: F401 (tests compare it with the column)
from smsjingling.storage.database import Database
from smsjingling.storage.models import Contact, Group, contact_groups
from smsjingling.storage.types import utcnow

CHUNK_ROWS = 5000
# Contacts an SQLite INSERT statement adds (ten bound values each): within the 32,766 values SQLite allows a
# statement since 3.32, and the 999 before it.
SQLITE_ROWS_PER_INSERT = 3000 if sqlite3.sqlite_version_info >= (3, 32) else 99
# Files at least this big are read in a child process (reader_process.py), which costs a start-up (about
# 0.1 s forked, 0.3 s spawned) and pickling; the overlap of reading and writing pays that back from about
# 10,000 rows (fork) or 20,000 rows (spawn). Measured on 2 cores, .xlsx of 6 columns, in-process against
# child: 5,000 rows 0.43 s / 0.52 s (fork); 10,000 rows 0.55 s / 0.55 s (fork), 0.6-0.7 s (spawn); 20,000
# rows 0.72 s / 0.67 s (fork), even (spawn); 40,000 rows 1.15-1.5 s / 1.0-1.4 s (spawn). The size stands in
# for the row count, which is only known once the sheet is parsed: 20,000 such rows are 1.0 MB as .xlsx,
# 1.3 MB as CSV.
CHILD_PROCESS_MIN_BYTES = 1024 * 1024
# ... and no bigger than this: the child and the writer each hold their share of a sheet, so for the biggest
# files (a 1,000,000-row .xlsx is about 45 MB) two processes together pass the 1 GB the import may use,
# where one does not (about 0.8 GB). Those are read in-process: slower, within memory.
CHILD_PROCESS_MAX_BYTES = 24 * 1024 * 1024

messages.register(
    {
        "import.cancelled": ("导入已取消，通讯录未作任何更改。", "The import was cancelled; the book is unchanged."),
        "import.no_rows": (
            "{file} 的工作表“{sheet}”在表头（第 {row} 行）下面没有数据。",
            "{file}, sheet “{sheet}”: there is no data below the header (row {row}).",
        ),
    }
)


class DuplicatePolicy(StrEnum):
    """What to do with a number that is already in the book (or earlier in the same file)."""

    UPDATE = "update"  # fill in and overwrite with non-empty values, never erase; add to the target groups
    SKIP = "skip"  # leave the existing contact exactly as it is
    GROUPS = "groups"  # only add the existing contact to the target groups


@dataclass
class ImportOptions:
    sheet: str | int | None = None
    header_row: int | None = None  # Excel row number; found automatically when None
    mapping: Mapping[str, str] = field(default_factory=dict)  # header text -> target, overriding detection
    groups: Sequence[str] = ()  # every imported contact goes into these (created if missing)
    policy: DuplicatePolicy = DuplicatePolicy.UPDATE
    dry_run: bool = False


class ImportCancelled(UserError):
    def __init__(self) -> None:
        super().__init__("import.cancelled")


Progress = Callable[[int, int], None]


def import_contacts(
    db: Database,
    path: str | Path,
    options: ImportOptions | None = None,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    actor: str | None = None,
) -> ImportReport:
    """Import one sheet of a file. Raises ImportFileError for a file that cannot be imported at all,
    ImportCancelled when `cancel` is set; in both cases (and any other error) nothing is written."""
    with _no_cyclic_gc():
        return _import(db, Path(path), options or ImportOptions(), progress, cancel, actor)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """An import makes hundreds of thousands of small containers and no reference cycles; the cyclic
    collector would walk all of them again and again (a quarter of the time of a big import). Reference
    counting still frees everything; the collector is back on as soon as the import ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import(
    db: Database,
    source: Path,
    opts: ImportOptions,
    progress: Progress | None,
    cancel: threading.Event | None,
    actor: str | None,
) -> ImportReport:
    request = ReadRequest(
        path=str(source),
        sheet=opts.sheet,
        header_row=opts.header_row,
        mapping=dict(opts.mapping),
        chunk_rows=CHUNK_ROWS,
        language=messages.current_language(),
    )
    with _read(request, cancel) as items:
        info = next(items)
        assert isinstance(info, SheetInfo)
        report = ImportReport(
            file=info.file, sheet=info.sheet, header_row=info.header_row, mapping=info.mapping, dry_run=opts.dry_run
        )
        writer = _Writer(opts, report)
        done = 0
        with db.session() as session:
            for chunk in items:
                assert isinstance(chunk, StagedChunk)
                _check_cancel(cancel)
                report.rows_read += chunk.read
                report.landlines += chunk.landlines
                report.rejected.extend(chunk.rejected)
                writer.write(session, chunk.rows)
                done = chunk.seen
                if progress and not chunk.final:
                    progress(done, max(info.total, done))
            writer.finish(session)
            if progress:
                progress(done, max(info.total, done))
            audit.record(
                session,
                "contacts.import",
                {
                    "file": info.file,
                    "sheet": info.sheet,
                    "rows": report.rows_read,
                    "added": report.added,
                    "updated": report.updated,
                    "rejected": len(report.rejected),
                    "groups": list(opts.groups),
                    "policy": opts.policy.value,
                },
                actor=actor,
            )
            if opts.dry_run:
                session.rollback()
    return report


@contextlib.contextmanager
def _read(request: ReadRequest, cancel: threading.Event | None) -> Iterator[Iterator[SheetInfo | StagedChunk]]:
    """The sheet, staged: in a child process for a big file (so reading and writing run on two cores), in
    this thread for a small one. Both give the same items; the child is gone when the block ends."""
    if CHILD_PROCESS_MIN_BYTES <= _size(request.path) <= CHILD_PROCESS_MAX_BYTES:
        with reader_process.read_in_child(request, lambda: _check_cancel(cancel)) as items:
            yield items
    else:
        with contextlib.closing(read_staged(request)) as items:  # closing releases the file (Windows locks it)
            yield items


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # open_workbook gives the error that fits


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ImportCancelled()


class _Writer:
    """Writes staged rows chunk by chunk, merging with the book and with earlier rows of the same file.

    New contacts go in through the driver's executemany (the ORM's per-row work would cost more than the
    rest of the import), and into the target groups by one INSERT ... SELECT over their ids. Existing
    contacts are merged; a contact's updated_at moves, and it counts as updated, only if it differs at the
    end of the import from what it was before: a number that appears twice in a file merges twice, and
    importing that file again must still change nothing.
    """

    def __init__(self, opts: ImportOptions, report: ImportReport) -> None:
        self.opts = opts
        self.report = report
        self.seen: dict[str, int] = {}  # e164 -> first row in this file
        self.group_ids: dict[str, int] = {}
        self.before: dict[int, int] = {}  # existing contact id -> hash of its state before the import
        self.changed: set[int] = set()
        self.added: set[int] = set()  # contacts this import created: later rows merge into them silently
        self.book_was_empty: bool | None = None  # known at the first write, under the write lock
        self.now = utcnow()

    def write(self, session: Session, rows: list[StagedRow]) -> None:
        if not rows:
            return
        if self.book_was_empty is None:
            if session.get_bind().dialect.name == "postgresql":
                # What BEGIN IMMEDIATE gives on SQLite: other desktops' changes to the book wait for this
                # import's transaction (they may still read), so what it looked up stays true until it commits.
                session.connection().exec_driver_sql(
                    "LOCK TABLE contacts, groups, contact_groups IN SHARE ROW EXCLUSIVE MODE"
                )
            # The session holds the write lock from its first statement on (BEGIN IMMEDIATE), so an empty
            # book stays empty but for what this import adds: a number's first row needs no lookup then.
            self.book_was_empty = session.connection().exec_driver_sql("SELECT 1 FROM contacts LIMIT 1").first() is None
        fresh: list[StagedRow] = []
        repeats: list[StagedRow] = []
        first_row = self.seen.setdefault
        for staged in rows:
            row = staged[ROW]
            first = first_row(staged[PHONE], row)
            if first == row:
                fresh.append(staged)
            else:
                e164 = staged[PHONE]
                self.report.in_file_duplicates.append(
                    RowProblem(row, "", e164, "report.duplicate", {"row": first, "phone": e164})
                )
                repeats.append(staged)
        self._merge(session, fresh)
        if repeats:  # each merges into what the earlier rows made of its number
            self._merge(session, repeats, repeat=True)

    def finish(self, session: Session) -> None:
        changed = sorted(self.changed)
        self.report.updated = len(changed)
        self.report.unchanged = len(self.before) - len(changed)
        for start in range(0, len(changed), CHUNK_ROWS):
            chunk = changed[start : start + CHUNK_ROWS]
            session.execute(update(Contact).where(Contact.id.in_(chunk)).values(updated_at=self.now))

    def _merge(self, session: Session, rows: list[StagedRow], *, repeat: bool = False) -> None:
        if not rows:
            return
        if self.book_was_empty and not repeat:
            self._add(session, rows)  # first rows of their numbers, and no contact was there before
            return
        by_phone: dict[str, list[StagedRow]] = {}
        for staged in rows:
            by_phone.setdefault(staged[PHONE], []).append(staged)
        existing = self._existing(session, list(by_phone))
        new_rows = [group[0] for phone, group in by_phone.items() if phone not in existing]
        if new_rows:
            self._add(session, new_rows)
        memberships: list[tuple[int, tuple[str, ...]]] = []
        updates: dict[int, dict[str, Any]] = {}
        policy = self.opts.policy
        for phone, current in existing.items():
            cid = current["id"]
            if policy == DuplicatePolicy.SKIP:
                self.report.duplicates_skipped += not repeat
                continue
            tracked = cid not in self.added
            if tracked and cid not in self.before:
                self.before[cid] = _state_hash(current)
            for staged in by_phone[phone]:
                memberships.append((cid, staged[GROUPS]))
                change = _changes(current, staged) if policy == DuplicatePolicy.UPDATE else {}
                if change:
                    current.update(change)
                    updates[cid] = {**updates.get(cid, {}), **change}
            if tracked and cid in updates:
                if _state_hash(current) == self.before[cid]:
                    self.changed.discard(cid)
                else:
                    self.changed.add(cid)
        if updates:
            # updated_at is set once at the end, for contacts that really changed.
            session.execute(
                update(Contact).execution_options(synchronize_session=False),
                [{"id": cid, **change} for cid, change in updates.items()],
            )
        self._add_memberships(session, memberships)

    def _add(self, session: Session, rows: list[StagedRow]) -> None:
        """Insert contacts for rows whose numbers are not in the book, and put them into their groups."""
        ids = self._insert(session, rows)
        self.added.update(ids)
        self.report.added += len(rows)
        # Groups are looked up (or created) in the order the rows name them: the targets first.
        targets = [self._group_id(session, name) for name in dict.fromkeys(self.opts.groups)]
        own: set[tuple[int, int]] = set()  # from the rows' group columns
        for cid, staged in zip(ids, rows, strict=True):
            for name in staged[GROUPS]:
                gid = self._group_id(session, name)
                if gid not in targets:
                    own.add((cid, gid))
        conn = session.connection()
        marker = _marker(conn.dialect)
        if isinstance(ids, range):  # one statement a group instead of a bound row a contact
            for gid in targets:
                conn.exec_driver_sql(
                    "INSERT INTO contact_groups (contact_id, group_id) "
                    f"SELECT id, {marker} FROM contacts WHERE id BETWEEN {marker} AND {marker}",
                    (gid, ids.start, ids.stop - 1),
                )
        else:
            own.update((cid, gid) for cid in ids for gid in targets)
        if own:
            _insert_memberships(conn, sorted(own))

    def _insert(self, session: Session, rows: list[StagedRow]) -> Sequence[int]:
        """Insert the rows' contacts; their ids in row order (a range when the database numbered them in a row)."""
        conn = session.connection()
        dialect = conn.dialect
        table = Contact.__table__
        columns = ("name", "phone", "sms_capable", "carrier", "region", "fields", "consent_at", "consent_source")
        # The columns' own bind processors: the same text SQLAlchemy would store, on any database.
        to_time = table.c.created_at.type.dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)
        stamps = (to_time(self.now),) * 2
        marker = _marker(dialect)
        sql = (
            f"INSERT INTO contacts ({', '.join(columns)}, created_at, updated_at) "
            f"VALUES ({', '.join([marker] * (len(columns) + 2))})"
        )
        # A staged row holds the columns in this order from NAME on; consent times need the column's format.
        params = [
            staged[NAME:GROUPS] + stamps
            if staged[CONSENT_AT] is None
            else (*staged[NAME:CONSENT_AT], to_time(staged[CONSENT_AT]), staged[CONSENT_SOURCE], *stamps)
            for staged in rows
        ]
        if dialect.name == "postgresql":
            return _copy_contacts(conn, (*columns, "created_at", "updated_at"), params)
        last = conn.exec_driver_sql("SELECT max(id) FROM contacts").scalar() or 0
        if dialect.name == "sqlite":
            # Many rows a statement: the substring index (FTS5, fed by a trigger on contacts) writes out what
            # it holds at the end of each statement, so row by row the import costs three to four times more.
            row = f"({', '.join([marker] * (len(columns) + 2))})"
            for start in range(0, len(params), SQLITE_ROWS_PER_INSERT):
                chunk = params[start : start + SQLITE_ROWS_PER_INSERT]
                conn.exec_driver_sql(
                    sql[: sql.index(" VALUES ") + 8] + ", ".join([row] * len(chunk)),
                    tuple(value for values in chunk for value in values),
                )
        else:
            conn.exec_driver_sql(sql, params)
        if dialect.name == "sqlite":
            # Under our write lock SQLite numbers new rows max(id)+1, +2 ... in insert order; check, then trust.
            now_last = conn.exec_driver_sql("SELECT max(id) FROM contacts").scalar()
            if now_last == last + len(rows):
                return range(last + 1, now_last + 1)
        ids = self._ids(session, [staged[PHONE] for staged in rows])
        return [ids[staged[PHONE]] for staged in rows]

    def _ids(self, session: Session, phones: list[str]) -> dict[str, int]:
        return {phone: cid for phone, cid in _contacts_by_phone(session, "phone, id", phones)}

    def _existing(self, session: Session, phones: list[str]) -> dict[str, dict[str, Any]]:
        """The contacts holding these numbers, with what a merge compares."""
        dialect = session.connection().dialect
        table = Contact.__table__
        from_json = table.c.fields.type.dialect_impl(dialect).result_processor(dialect, None) or (lambda v: v)
        from_time = table.c.consent_at.type.dialect_impl(dialect).result_processor(dialect, None) or (lambda v: v)
        return {
            phone: {
                "id": cid,
                "phone": phone,
                "name": name,
                "fields": from_json(fields),
                "consent_at": from_time(consent_at),
            }
            for cid, phone, name, fields, consent_at in _contacts_by_phone(
                session, "id, phone, name, fields, consent_at", phones
            )
        }

    def _add_memberships(self, session: Session, memberships: list[tuple[int, tuple[str, ...]]]) -> None:
        """Add contacts that were in the book already to groups, leaving out memberships they have."""
        targets = list(self.opts.groups)
        pairs = {
            (contact_id, self._group_id(session, name))
            for contact_id, names in memberships
            for name in (dict.fromkeys([*targets, *names]) if names else targets)
        }
        if not pairs:
            return
        ids = list({cid for cid, _ in pairs})
        have = {
            (cid, gid)
            for cid, gid in session.execute(
                select(contact_groups.c.contact_id, contact_groups.c.group_id).where(
                    contact_groups.c.contact_id.in_(ids)
                )
            )
        }
        missing = sorted(pairs - have)
        if missing:
            _insert_memberships(session.connection(), missing)

    def _group_id(self, session: Session, name: str) -> int:
        gid = self.group_ids.get(name)
        if gid is None:
            gid = session.execute(select(Group.id).where(Group.name == name)).scalar()
            if gid is None:
                group = Group(name=name)
                session.add(group)
                session.flush()
                gid = group.id
                self.report.groups_created.append(name)
            self.group_ids[name] = gid
        return gid


def _contacts_by_phone(session: Session, columns: str, phones: list[str]) -> Iterator[tuple[Any, ...]]:
    """Rows of the contacts holding these numbers, CHUNK_ROWS numbers a query. Plain SQL through the
    driver: compiling an IN list of thousands of bound parameters costs SQLAlchemy more than the query
    costs the database."""
    conn = session.connection()
    marker = _marker(conn.dialect)
    for start in range(0, len(phones), CHUNK_ROWS):
        chunk = phones[start : start + CHUNK_ROWS]
        sql = f"SELECT {columns} FROM contacts WHERE phone IN ({', '.join([marker] * len(chunk))})"
        yield from conn.exec_driver_sql(sql, tuple(chunk))


def _copy_contacts(conn: Connection, columns: tuple[str, ...], params: list[tuple[Any, ...]]) -> Sequence[int]:
    """PostgreSQL's bulk path: a run of ids taken from the table's sequence at once, then every row in one
    COPY (an INSERT a row, even pipelined, costs the server a statement each: ten times slower). Returns the
    ids, in row order.

    The run is the sequence moved on by len(params) in one step (setval over nextval), not a nextval a row
    (5,000 of them cost the server 50-70 ms a chunk). That is safe only while no one else draws from the
    sequence: the import holds contacts in SHARE ROW EXCLUSIVE mode (_Writer.write), which every INSERT into
    contacts, the only user of the sequence, waits for."""
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('contacts', 'id'), "
            "nextval(pg_get_serial_sequence('contacts', 'id')) + %s - 1)",
            (len(params),),
        )
        (last,) = cursor.fetchone()
        ids = range(last - len(params) + 1, last + 1)
        with cursor.copy(f"COPY contacts (id, {', '.join(columns)}) FROM STDIN") as copy:
            for cid, row in zip(ids, params, strict=True):
                copy.write_row((cid, *row))
    finally:
        cursor.close()
    return ids


def _insert_memberships(conn: Connection, pairs: list[tuple[int, int]]) -> None:
    """(contact id, group id) rows into contact_groups: one COPY on PostgreSQL, one executemany elsewhere."""
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        try:
            with cursor.copy("COPY contact_groups (contact_id, group_id) FROM STDIN") as copy:
                for pair in pairs:
                    copy.write_row(pair)
        finally:
            cursor.close()
        return
    marker = _marker(conn.dialect)
    conn.exec_driver_sql(f"INSERT INTO contact_groups (contact_id, group_id) VALUES ({marker}, {marker})", pairs)


def _marker(dialect: Dialect) -> str:
    """The driver's placeholder, for the few statements sent past SQLAlchemy's compiler for speed."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


def _state_hash(state: dict[str, Any]) -> int:
    fields = json.dumps(state["fields"] or {}, ensure_ascii=False, sort_keys=True)
    return hash((state["name"], fields, state["consent_at"]))


def _changes(old: dict[str, Any], staged: StagedRow) -> dict[str, Any]:
    """What the row adds to an existing contact: non-empty values that differ. Nothing is erased."""
    change: dict[str, Any] = {}
    name = staged[NAME]
    if name and name != old["name"]:
        change["name"] = name
    merged = dict(old["fields"] or {})
    for key, value in json.loads(staged[FIELDS]).items():
        if key == OTHER_NUMBERS_FIELD and key in merged:
            known = merged[key].split("、")
            value = "、".join(dict.fromkeys(known + value.split("、")))
        merged[key] = value
    if merged != (old["fields"] or {}):
        change["fields"] = merged
    if staged[CONSENT_AT] is not None and old["consent_at"] is None:
        change["consent_at"] = staged[CONSENT_AT]
        change["consent_source"] = staged[CONSENT_SOURCE]
    return change
