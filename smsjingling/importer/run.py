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

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from smsjingling import audit, messages
from smsjingling.errors import UserError
from smsjingling.importer.columns import ColumnMapping, Target, cell_text, find_header_row, map_columns
from smsjingling.importer.report import ImportReport, RowProblem
from smsjingling.importer.workbook import open_workbook
from smsjingling.phones import Phone, PhoneError, clean_text, parse_phone, split_phone_cell
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
    opts = options or ImportOptions()
    source = Path(path)
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
        writer = _Writer(opts, report, source.name)
        with db.session() as session:
            pending: list[_Staged] = []
            done = 0
            for number, cells in sheet.rows():
                if number <= header_row:
                    continue
                done += 1
                staged = _stage_row(number, cells, mapping, report, source.name)
                if staged is not None:
                    pending.append(staged)
                if done % CHUNK_ROWS == 0:
                    _check_cancel(cancel)
                    writer.write(session, pending)
                    pending = []
                    if progress:
                        progress(done, max(total, done))
            _check_cancel(cancel)
            writer.write(session, pending)
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


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise ImportCancelled()


def _stage_row(
    number: int, cells: list[Any], mapping: ColumnMapping, report: ImportReport, file_name: str
) -> _Staged | None:
    if all(c is None or (isinstance(c, str) and not clean_text(c)) for c in cells):
        return None  # empty rows are not data
    report.rows_read += 1

    def cell(index: int) -> Any:
        return cells[index] if index < len(cells) else None

    phones: list[Phone] = []
    others: list[str] = []
    first_error: RowProblem | None = None
    for index in mapping.columns_for(Target.PHONE):
        for candidate in split_phone_cell(cell(index)):
            try:
                phones.append(parse_phone(candidate))
            except PhoneError as exc:
                others.append(clean_text(candidate))
                if first_error is None:
                    first_error = RowProblem(number, mapping.headers[index], clean_text(candidate), exc.key, exc.params)
    if not phones:
        if first_error is None:
            column = mapping.headers[mapping.columns_for(Target.PHONE)[0]]
            first_error = RowProblem(number, column, "", "phone.empty", {})
        report.rejected.append(first_error)
        return None
    primary = next((p for p in phones if p.sms_capable), phones[0])
    others = [p.e164 for p in phones if p is not primary and p.e164 != primary.e164] + others

    name = " ".join(filter(None, (clean_text(cell(i)) for i in mapping.columns_for(Target.NAME))))
    fields: dict[str, str] = {}
    groups: list[str] = []
    consent_at: datetime | None = None
    consent_source = ""
    for index, target in mapping.targets.items():
        if target in (Target.NAME, Target.PHONE, Target.IGNORE):
            continue
        value = cell(index)
        if target == Target.GROUP:
            text = clean_text(value).translate(_GROUP_SEPARATORS)
            groups.extend(g.strip() for g in text.split(",") if g.strip())
        elif target == Target.CONSENT:
            consent_at = _consent(value)
            if consent_at is not None:
                consent_source = messages.text("import.consent_source", file=file_name, row=number)
        else:
            text = cell_text(value, target)
            if text:
                fields[target] = text
    if others:
        fields[OTHER_NUMBERS_FIELD] = "、".join(dict.fromkeys(others))
    if not primary.sms_capable:
        report.landlines += 1
    return _Staged(number, primary, name, fields, groups, consent_at, consent_source)


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
    """Writes staged rows chunk by chunk, merging with the book and with earlier rows of the same file."""

    def __init__(self, opts: ImportOptions, report: ImportReport, file_name: str) -> None:
        self.opts = opts
        self.report = report
        self.file_name = file_name
        self.seen: dict[str, int] = {}  # e164 -> first row in this file
        self.group_ids: dict[str, int] = {}

    def write(self, session: Session, rows: list[_Staged]) -> None:
        if not rows:
            return
        fresh: dict[str, _Staged] = {}
        repeats: list[_Staged] = []
        for staged in rows:
            first = self.seen.get(staged.phone.e164)
            if first is None:
                self.seen[staged.phone.e164] = staged.row
                fresh[staged.phone.e164] = staged
            else:
                self.report.in_file_duplicates.append(
                    RowProblem(
                        staged.row,
                        "",
                        staged.phone.e164,
                        "report.duplicate",
                        {"row": first, "phone": staged.phone.e164},
                    )
                )
                repeats.append(staged)
        self._merge(session, list(fresh.values()), count=True)
        # A repeat merges into what the first row wrote, under the same policy, but is not counted again.
        if repeats:
            self._merge(session, repeats, count=False)

    def _merge(self, session: Session, rows: list[_Staged], *, count: bool) -> None:
        by_phone: dict[str, list[_Staged]] = {}
        for staged in rows:
            by_phone.setdefault(staged.phone.e164, []).append(staged)
        existing = {
            row.phone: row._asdict()
            for row in session.execute(
                select(Contact.id, Contact.phone, Contact.name, Contact.fields, Contact.consent_at).where(
                    Contact.phone.in_(list(by_phone))
                )
            )
        }
        new_rows = [s for phone, group in by_phone.items() if phone not in existing for s in group[:1]]
        new_ids: dict[str, int] = {}
        if new_rows:
            result = session.execute(
                insert(Contact).returning(Contact.id, Contact.phone),
                [
                    {
                        "name": s.name,
                        "phone": s.phone.e164,
                        "sms_capable": s.phone.sms_capable,
                        "carrier": str(s.phone.carrier),
                        "region": s.phone.region,
                        "fields": s.fields,
                        "consent_at": s.consent_at,
                        "consent_source": s.consent_source,
                    }
                    for s in new_rows
                ],
            )
            new_ids = {phone: cid for cid, phone in result}
            if count:
                self.report.added += len(new_rows)
        updates: dict[int, dict[str, Any]] = {}
        memberships: list[tuple[int, list[str]]] = [(new_ids[s.phone.e164], s.groups) for s in new_rows]
        policy = self.opts.policy
        for phone, current in existing.items():
            for staged in by_phone[phone]:
                if policy == DuplicatePolicy.SKIP:
                    if count:
                        self.report.duplicates_skipped += 1
                    continue
                memberships.append((current["id"], staged.groups))
                change = _changes(current, staged) if policy == DuplicatePolicy.UPDATE else {}
                if change:
                    # Later rows for the same number merge into what the earlier ones made of it.
                    current.update(change)
                    updates[current["id"]] = {**updates.get(current["id"], {}), **change}
                if count:
                    if change:
                        self.report.updated += 1
                    else:
                        self.report.unchanged += 1
        if updates:
            now = utcnow()
            session.execute(
                update(Contact), [{"id": cid, **change, "updated_at": now} for cid, change in updates.items()]
            )
        self._add_memberships(session, memberships)

    def _add_memberships(self, session: Session, memberships: list[tuple[int, list[str]]]) -> None:
        pairs = {
            (contact_id, self._group_id(session, name))
            for contact_id, names in memberships
            for name in dict.fromkeys([*self.opts.groups, *names])
        }
        if not pairs:
            return
        ids = list({cid for cid, _ in pairs})
        have = set(
            session.execute(
                select(contact_groups.c.contact_id, contact_groups.c.group_id).where(
                    contact_groups.c.contact_id.in_(ids)
                )
            ).tuples()
        )
        new = [{"contact_id": c, "group_id": g} for c, g in pairs - have]
        if new:
            session.execute(insert(contact_groups), new)

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
