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
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from json.encoder import encode_basestring as _escape
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from smsjingling import audit, messages
from smsjingling.errors import UserError
from smsjingling.importer.columns import ColumnMapping, Target, cell_text, column_text, find_header_row, map_columns
from smsjingling.importer.report import ImportReport, RowProblem
from smsjingling.importer.workbook import open_workbook
from smsjingling.phones import Phone, PhoneError, clean_text, parse_phone, split_phone_cell
from smsjingling.phones import preload as preload_phone_tables
from smsjingling.storage.database import Database
from smsjingling.storage.models import Contact, Group, contact_groups
from smsjingling.storage.types import utcnow

CHUNK_ROWS = 5000
OTHER_NUMBERS_FIELD = "其他号码"
_CONSENT_YES = {"是", "同意", "已同意", "y", "yes", "true", "1", "√", "✓", "✔", "ok", "有"}
_GROUP_SEPARATORS = str.maketrans({"，": ",", "、": ",", "；": ",", ";": ",", "/": ",", "\n": ","})

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


@dataclass(slots=True)
class _Staged:
    """One row ready to write."""

    row: int
    phone: Phone
    name: str
    fields: dict[str, str]
    groups: list[str]
    consent_at: datetime | None
    consent_source: str


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
    # The number tables take a moment to build the first time; calamine parses the sheet without the GIL,
    # so building them meanwhile on another thread costs no wall time.
    threading.Thread(target=preload_phone_tables, name="phone-tables", daemon=True).start()
    with open_workbook(source) as book:
        sheet = book.sheet(opts.sheet)
        header_row = opts.header_row or find_header_row(sheet.head(30))
        header_cells = next((cells for number, cells in sheet.head(header_row) if number == header_row), [])
        mapping = map_columns(header_cells, header_row, opts.mapping)
        report = ImportReport(
            file=source.name,
            sheet=sheet.name,
            header_row=header_row,
            mapping={mapping.headers[i]: t for i, t in sorted(mapping.targets.items())},
            dry_run=opts.dry_run,
        )
        total = max(sheet.row_count - header_row, 0)
        writer = _Writer(opts, report)
        plan = _RowPlan(mapping, source.name)
        with db.session() as session:
            with _Pipeline(writer, session) as pipeline:
                pending: list[tuple[int, list[Any]]] = []
                done = 0
                for number, cells in sheet.rows():
                    if number <= header_row:
                        continue
                    done += 1
                    pending.append((number, cells))
                    if done % CHUNK_ROWS == 0:
                        _check_cancel(cancel)
                        pipeline.put(_stage_chunk(pending, plan, report))
                        pending = []
                        if progress:
                            progress(done, max(total, done))
                _check_cancel(cancel)
                pipeline.put(_stage_chunk(pending, plan, report))
            if progress:
                progress(done, max(total, done))
            audit.record(
                session,
                "contacts.import",
                {
                    "file": source.name,
                    "sheet": sheet.name,
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


class _Pipeline:
    """Writes chunks on a second thread while the next chunk is read and checked.

    SQLite does its work without the GIL, so on two cores the database and the parsing overlap. The
    session belongs to the writer thread until the pipeline closes; an error on either side stops both,
    and the caller's transaction then rolls back.
    """

    _DONE = None

    def __init__(self, writer: _Writer, session: Session) -> None:
        self.writer = writer
        self.session = session
        self.queue: queue.Queue[list[_Staged] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="import-writer", daemon=True)

    def __enter__(self) -> _Pipeline:
        self.thread.start()
        return self

    def put(self, rows: list[_Staged]) -> None:
        while not self.stop.is_set():
            try:
                self.queue.put(rows, timeout=0.1)
                return
            except queue.Full:
                continue
        self._raise()

    def _run(self) -> None:
        try:
            while (rows := self.queue.get()) is not self._DONE:
                if not self.stop.is_set():
                    self.writer.write(self.session, rows)
            if not self.stop.is_set():
                self.writer.finish(self.session)
        except BaseException as exc:  # handed to the importing thread, which re-raises it
            self.error = exc
            self.stop.set()
            while self.queue.get() is not self._DONE:  # let a blocked put() go on
                pass

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc is not None:
            self.stop.set()
        self.queue.put(self._DONE)
        self.thread.join()
        if exc is None:
            self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ImportCancelled()


class _RowPlan:
    """The mapping turned into column lists once, so the per-row work is plain list indexing."""

    def __init__(self, mapping: ColumnMapping, file_name: str) -> None:
        self.headers = mapping.headers
        self.phones = mapping.columns_for(Target.PHONE)
        self.names = mapping.columns_for(Target.NAME)
        self.groups = mapping.columns_for(Target.GROUP)
        self.consent = mapping.columns_for(Target.CONSENT)
        special = {Target.NAME, Target.PHONE, Target.GROUP, Target.CONSENT, Target.IGNORE}
        self.fields = [(i, t) for i, t in sorted(mapping.targets.items()) if t not in special]
        self.file_name = file_name


def _stage_chunk(rows: list[tuple[int, list[Any]]], plan: _RowPlan, report: ImportReport) -> list[_Staged]:
    """Check and clean a chunk of rows. Text columns are cleaned a column at a time (see column_text)."""

    def column(index: int) -> list[Any]:
        return [cells[index] if index < len(cells) else None for _, cells in rows]

    names = [column_text(column(i), Target.NAME) for i in plan.names]
    fields = [(target, column_text(column(i), target)) for i, target in plan.fields]
    staged: list[_Staged] = []
    for k, (number, cells) in enumerate(rows):
        row = _stage_row(number, cells, plan, report)
        if row is None:
            continue
        row.name = names[0][k] if len(names) == 1 else " ".join(filter(None, (n[k] for n in names)))
        row.fields = {target: texts[k] for target, texts in fields if texts[k]} | row.fields
        staged.append(row)
    return staged


def _stage_row(number: int, cells: list[Any], plan: _RowPlan, report: ImportReport) -> _Staged | None:
    """The row's numbers, groups and consent; name and fields are filled in by _stage_chunk."""
    width = len(cells)
    phones: list[Phone] = []
    others: list[str] = []
    first_error: RowProblem | None = None
    for index in plan.phones:
        value = cells[index] if index < width else None
        if value is None:
            continue
        # A number cell is one number; only text can hold several.
        for candidate in split_phone_cell(value) if type(value) is str else (value,):
            try:
                phones.append(parse_phone(candidate))
            except PhoneError as exc:
                others.append(clean_text(candidate))
                if first_error is None:
                    first_error = RowProblem(number, plan.headers[index], clean_text(candidate), exc.key, exc.params)
    if not phones:
        if first_error is None:
            if not any(clean_text(c) for c in cells if c is not None):
                return None  # only blanks: not data
            first_error = RowProblem(number, plan.headers[plan.phones[0]], "", "phone.empty", {})
        report.rows_read += 1
        report.rejected.append(first_error)
        return None
    report.rows_read += 1
    primary = phones[0]
    extra: dict[str, str] = {}
    if len(phones) > 1 or others:
        primary = next((p for p in phones if p.sms_capable), primary)
        others = [p.e164 for p in phones if p is not primary and p.e164 != primary.e164] + others
        if others:
            extra[OTHER_NUMBERS_FIELD] = "、".join(dict.fromkeys(others))
    groups: list[str] = []
    for index in plan.groups:
        if index < width and cells[index] is not None:
            text = cell_text(cells[index], Target.GROUP).translate(_GROUP_SEPARATORS)
            groups.extend(g.strip() for g in text.split(",") if g.strip())
    consent_at: datetime | None = None
    consent_source = ""
    for index in plan.consent:
        if index < width and cells[index] is not None and consent_at is None:
            consent_at = _consent(cells[index])
            if consent_at is not None:
                consent_source = messages.text("import.consent_source", file=plan.file_name, row=number)
    if not primary.sms_capable:
        report.landlines += 1
    return _Staged(number, primary, "", extra, groups, consent_at, consent_source)


messages.register({"import.consent_source": ("导入 {file} 第 {row} 行", "imported from {file}, row {row}")})


def _consent(value: Any) -> datetime | None:
    """When the person agreed: a date or time in the cell, or now for a yes. Times without a zone are local."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day).astimezone(UTC)
    if isinstance(value, bool):
        return utcnow() if value else None
    if isinstance(value, int | float):
        return utcnow() if value == 1 else None
    text = clean_text(value)
    if text.lower() in _CONSENT_YES:
        return utcnow()
    try:
        return datetime.fromisoformat(text.replace("/", "-")).astimezone(UTC)
    except ValueError:
        return None


class _Writer:
    """Writes staged rows chunk by chunk, merging with the book and with earlier rows of the same file.

    New contacts go in through the driver's executemany (the ORM's per-row work would cost more than the
    rest of the import). Existing contacts are merged; a contact's updated_at moves, and it counts as
    updated, only if it differs at the end of the import from what it was before: a number that appears
    twice in a file merges twice, and importing that file again must still change nothing.
    """

    def __init__(self, opts: ImportOptions, report: ImportReport) -> None:
        self.opts = opts
        self.report = report
        self.seen: dict[str, int] = {}  # e164 -> first row in this file
        self.group_ids: dict[str, int] = {}
        self.before: dict[int, int] = {}  # existing contact id -> hash of its state before the import
        self.changed: set[int] = set()
        self.added: set[int] = set()  # contacts this import created: later rows merge into them silently
        self.now = utcnow()

    def write(self, session: Session, rows: list[_Staged]) -> None:
        if not rows:
            return
        fresh: dict[str, _Staged] = {}
        repeats: list[_Staged] = []
        for staged in rows:
            e164 = staged.phone.e164
            first = self.seen.get(e164)
            if first is None:
                self.seen[e164] = staged.row
                fresh[e164] = staged
            else:
                self.report.in_file_duplicates.append(
                    RowProblem(staged.row, "", e164, "report.duplicate", {"row": first, "phone": e164})
                )
                repeats.append(staged)
        self._merge(session, list(fresh.values()))
        if repeats:  # each merges into what the earlier rows made of its number
            self._merge(session, repeats, repeat=True)

    def finish(self, session: Session) -> None:
        changed = sorted(self.changed)
        self.report.updated = len(changed)
        self.report.unchanged = len(self.before) - len(changed)
        for start in range(0, len(changed), CHUNK_ROWS):
            chunk = changed[start : start + CHUNK_ROWS]
            session.execute(update(Contact).where(Contact.id.in_(chunk)).values(updated_at=self.now))

    def _merge(self, session: Session, rows: list[_Staged], *, repeat: bool = False) -> None:
        by_phone: dict[str, list[_Staged]] = {}
        for staged in rows:
            by_phone.setdefault(staged.phone.e164, []).append(staged)
        existing = self._existing(session, list(by_phone))
        new_rows = [group[0] for phone, group in by_phone.items() if phone not in existing]
        memberships: list[tuple[int, list[str]]] = []
        if new_rows:
            new_ids = self._insert(session, new_rows)
            self.added.update(new_ids.values())
            self.report.added += len(new_rows)
            self._add_memberships(session, [(new_ids[s.phone.e164], s.groups) for s in new_rows], new=True)
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
                memberships.append((cid, staged.groups))
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

    def _insert(self, session: Session, rows: list[_Staged]) -> dict[str, int]:
        conn = session.connection()
        dialect = conn.dialect
        table = Contact.__table__
        columns = ("name", "phone", "sms_capable", "carrier", "region", "fields", "consent_at", "consent_source")
        # The columns' own bind processors: the same text SQLAlchemy would store, on any database.
        to_time = table.c.created_at.type.dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)
        now = to_time(self.now)
        marker = _marker(dialect)
        sql = (
            f"INSERT INTO contacts ({', '.join(columns)}, created_at, updated_at) "
            f"VALUES ({', '.join([marker] * (len(columns) + 2))})"
        )
        params = [
            (
                s.name,
                s.phone.e164,
                s.phone.sms_capable,
                s.phone.carrier.value,
                s.phone.region,
                _json_object(s.fields),
                to_time(s.consent_at) if s.consent_at else None,
                s.consent_source,
                now,
                now,
            )
            for s in rows
        ]
        phones = [s.phone.e164 for s in rows]
        last = conn.exec_driver_sql("SELECT max(id) FROM contacts").scalar() or 0
        conn.exec_driver_sql(sql, params)
        if dialect.name == "sqlite":
            # Under our write lock SQLite numbers new rows max(id)+1, +2 ... in insert order; check, then trust.
            now_last = conn.exec_driver_sql("SELECT max(id) FROM contacts").scalar()
            if now_last == last + len(rows):
                return dict(zip(phones, range(last + 1, now_last + 1), strict=True))
        return self._ids(session, phones)

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

    def _add_memberships(
        self, session: Session, memberships: list[tuple[int, list[str]]], *, new: bool = False
    ) -> None:
        """Add contacts to groups; `new` says the contacts were just created, so they belong to none yet."""
        targets = list(self.opts.groups)
        pairs = {
            (contact_id, self._group_id(session, name))
            for contact_id, names in memberships
            for name in (dict.fromkeys([*targets, *names]) if names else targets)
        }
        if not pairs:
            return
        have: set[tuple[int, int]] = set()
        if not new:
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
            marker = _marker(session.connection().dialect)
            session.connection().exec_driver_sql(
                f"INSERT INTO contact_groups (contact_id, group_id) VALUES ({marker}, {marker})", missing
            )

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


def _json_object(fields: dict[str, str]) -> str:
    """The JSON text of a str-to-str dict, as the column's serializer writes it (compact, Chinese kept).

    json.dumps builds an encoder per call, which costs more than the encoding for a handful of short
    strings; the C string escaper alone does the work here."""
    return "{" + ",".join(f"{_escape(k)}:{_escape(v)}" for k, v in fields.items()) + "}"


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


def _marker(dialect: Dialect) -> str:
    """The driver's placeholder, for the few statements sent past SQLAlchemy's compiler for speed."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


def _state_hash(state: dict[str, Any]) -> int:
    fields = json.dumps(state["fields"] or {}, ensure_ascii=False, sort_keys=True)
    return hash((state["name"], fields, state["consent_at"]))


def _changes(old: dict[str, Any], staged: _Staged) -> dict[str, Any]:
    """What the row adds to an existing contact: non-empty values that differ. Nothing is erased."""
    change: dict[str, Any] = {}
    if staged.name and staged.name != old["name"]:
        change["name"] = staged.name
    merged = dict(old["fields"] or {})
    for key, value in staged.fields.items():
        if key == OTHER_NUMBERS_FIELD and key in merged:
            known = merged[key].split("、")
            value = "、".join(dict.fromkeys(known + value.split("、")))
        merged[key] = value
    if merged != (old["fields"] or {}):
        change["fields"] = merged
    if staged.consent_at is not None and old["consent_at"] is None:
        change["consent_at"] = staged.consent_at
        change["consent_source"] = staged.consent_source
    return change
