"""Adding, editing and deleting contacts, groups, opt-outs and consent. Every change is audited."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smsjingling import audit, messages
from smsjingling.contacts.records import ContactDraft, ContactRecord, GroupRecord, OptOutRecord
from smsjingling.contacts.search import ContactQuery, Page, PageKey, count, page, records_by_id, search, to_records
from smsjingling.errors import NotFoundError, ValidationError
from smsjingling.phones import parse_phone
from smsjingling.storage.database import Database
from smsjingling.storage.models import Contact, Group, OptOut, OptOutReason, contact_groups
from smsjingling.storage.types import utcnow

messages.register(
    {
        "contact.duplicate_phone": (
            "号码 {phone} 已属于联系人“{name}”。",
            "The number {phone} already belongs to the contact “{name}”.",
        ),
        "contact.not_found": ("找不到联系人（编号 {id}）。", "No contact with id {id}."),
        "group.not_found": ("找不到分组“{name}”。", "No group named “{name}”."),
        "group.exists": ("分组“{name}”已存在。", "A group named “{name}” already exists."),
        "group.empty_name": ("分组名称不能为空。", "A group needs a name."),
        "optout.not_found": ("号码 {phone} 不在退订名单中。", "{phone} is not on the opt-out list."),
        "optout.bad_reason": (
            "退订原因“{reason}”无效，可选：{choices}。",
            "“{reason}” is not an opt-out reason; choose one of: {choices}.",
        ),
        "contact.no_phone": ("请填写手机号码。", "Enter a phone number."),
    }
)


class ContactBook:
    """The book as the GUI and the CLI see it. Methods open their own transaction on the database."""

    def __init__(self, db: Database, actor: str | None = None) -> None:
        self.db = db
        self.actor = actor or audit.current_actor()

    # -- reading -------------------------------------------------------------------------------------

    def search(self, query: ContactQuery | str = "", *, limit: int = 200, offset: int = 0) -> list[ContactRecord]:
        with self.db.reader() as s:
            return search(s, _query(query), limit=limit, offset=offset)

    def page(
        self,
        query: ContactQuery | str = "",
        after: PageKey | None = None,
        *,
        limit: int = 200,
        cancel: threading.Event | None = None,
    ) -> Page:
        """A page of what the query finds, after `after` (a page's `next`); see search.page."""
        with self.db.reader() as s:
            return page(s, _query(query), after, limit=limit, cancel=cancel)

    def count(self, query: ContactQuery | str = "", *, cancel: threading.Event | None = None) -> int:
        with self.db.reader() as s:
            return count(s, _query(query), cancel=cancel)

    def get(self, contact_id: int) -> ContactRecord:
        with self.db.reader() as s:
            return to_records(s, [_contact(s, contact_id)])[0]

    def records(self, contact_ids: Sequence[int]) -> list[ContactRecord]:
        """Fresh records of these contacts (to redraw rows a change touched), in the order given."""
        with self.db.reader() as s:
            return records_by_id(s, contact_ids)

    def find_phone(self, raw: str) -> ContactRecord | None:
        phone = parse_phone(raw).e164
        with self.db.reader() as s:
            contact = s.execute(select(Contact).where(Contact.phone == phone)).scalar_one_or_none()
            return to_records(s, [contact])[0] if contact else None

    # -- contacts ------------------------------------------------------------------------------------

    def add(
        self,
        name: str,
        phone: str,
        *,
        fields: Mapping[str, Any] | None = None,
        groups: Iterable[str] = (),
        consent_at: datetime | None = None,
        consent_source: str = "",
    ) -> ContactRecord:
        parsed = parse_phone(phone)
        with self.db.session() as s:
            _ensure_free(s, parsed.e164)
            contact = Contact(
                name=name.strip(),
                phone=parsed.e164,
                sms_capable=parsed.sms_capable,
                carrier=str(parsed.carrier),
                region=parsed.region,
                fields={k: v for k, v in (fields or {}).items() if v not in (None, "")},
                consent_at=consent_at,
                consent_source=consent_source,
                groups=[_group(s, g, create=True) for g in groups],
            )
            s.add(contact)
            s.flush()
            audit.record(s, "contact.add", {"id": contact.id, "phone": contact.phone}, actor=self.actor)
            return to_records(s, [contact])[0]

    def update(
        self,
        contact_id: int,
        *,
        name: str | None = None,
        phone: str | None = None,
        fields: Mapping[str, Any] | None = None,
        groups: Iterable[str] | None = None,
    ) -> ContactRecord:
        """Change what is given; `fields` replaces the extra fields, `groups` the memberships."""
        with self.db.session() as s:
            contact = _contact(s, contact_id)
            changed: dict[str, Any] = {}
            if name is not None and name.strip() != contact.name:
                contact.name = changed["name"] = name.strip()
            if phone is not None:
                parsed = parse_phone(phone)
                if parsed.e164 != contact.phone:
                    _ensure_free(s, parsed.e164)
                    contact.phone = changed["phone"] = parsed.e164
                    contact.sms_capable = parsed.sms_capable
                    contact.carrier = str(parsed.carrier)
                    contact.region = parsed.region
            if fields is not None:
                contact.fields = {k: v for k, v in fields.items() if v not in (None, "")}
                changed["fields"] = contact.fields
            if groups is not None:
                contact.groups = [_group(s, g, create=True) for g in groups]
                changed["groups"] = [g.name for g in contact.groups]
            if changed:
                contact.updated_at = utcnow()
                s.flush()
                audit.record(s, "contact.edit", {"id": contact.id, **changed}, actor=self.actor)
            return to_records(s, [contact])[0]

    def delete(self, contact_ids: Sequence[int]) -> int:
        with self.db.session() as s:
            ids = list(contact_ids)
            phones = list(s.execute(select(Contact.phone).where(Contact.id.in_(ids))).scalars())
            s.execute(delete(contact_groups).where(contact_groups.c.contact_id.in_(ids)))
            done = s.execute(delete(Contact).where(Contact.id.in_(ids))).rowcount
            audit.record(s, "contact.delete", {"ids": ids, "phones": phones}, actor=self.actor)
            return done

    def save(self, draft: ContactDraft) -> ContactRecord:
        """Add or change one contact with its groups, consent and opt-out, in one transaction."""
        if not draft.phone.strip():
            raise ValidationError("contact.no_phone")
        parsed = parse_phone(draft.phone)
        reason = _reason(draft.optout_reason)
        fields = {k.strip(): v for k, v in draft.fields.items() if k.strip() and v not in (None, "")}
        with self.db.session() as s:
            if draft.id is None:
                _ensure_free(s, parsed.e164)
                contact = Contact(phone=parsed.e164, consent_source="")
                s.add(contact)
                action, changed = "contact.add", {"phone": parsed.e164}
            else:
                contact = _contact(s, draft.id)
                action, changed = "contact.edit", {}
                if parsed.e164 != contact.phone:
                    _ensure_free(s, parsed.e164)
                    changed["phone"] = parsed.e164
            contact.phone = parsed.e164
            contact.sms_capable = parsed.sms_capable
            contact.carrier = str(parsed.carrier)
            contact.region = parsed.region
            if draft.name.strip() != contact.name:
                contact.name = changed["name"] = draft.name.strip()
            if fields != (contact.fields or {}):
                contact.fields = changed["fields"] = fields
            names = list(dict.fromkeys(g.strip() for g in draft.groups if g.strip()))
            if draft.id is None or sorted(names) != sorted(g.name for g in contact.groups):
                contact.groups = [_group(s, g, create=True) for g in names]
                changed["groups"] = names
            consent_source = draft.consent_source.strip() if draft.consent_at else ""
            if (draft.consent_at, consent_source) != (contact.consent_at, contact.consent_source):
                contact.consent_at, contact.consent_source = draft.consent_at, consent_source
                changed["consent"] = draft.consent_at.isoformat() if draft.consent_at else None
            if changed:
                contact.updated_at = utcnow()
                s.flush()
                audit.record(s, action, {"id": contact.id, **changed}, actor=self.actor)
            _set_optout(s, contact.phone, draft.opted_out, reason, draft.optout_note.strip(), self.actor)
            return to_records(s, [contact])[0]

    def set_consent(self, contact_ids: Sequence[int], at: datetime | None, how: str) -> int:
        """Record when and how these contacts agreed to receive messages (None withdraws it)."""
        with self.db.session() as s:
            done = s.execute(
                update(Contact)
                .where(Contact.id.in_(list(contact_ids)))
                .values(consent_at=at, consent_source=how if at else "", updated_at=utcnow())
            ).rowcount
            audit.record(
                s,
                "contact.consent",
                {"ids": list(contact_ids), "at": at.isoformat() if at else None, "how": how},
                actor=self.actor,
            )
            return done

    # -- groups --------------------------------------------------------------------------------------

    def groups(self) -> list[GroupRecord]:
        with self.db.reader() as s:
            # A count per group on the (group_id, contact_id) index: a join and GROUP BY over every
            # membership costs several times more once the book holds a million contacts.
            members = (
                select(func.count())
                .select_from(contact_groups)
                .where(contact_groups.c.group_id == Group.id)
                .scalar_subquery()
            )
            rows = s.execute(select(Group.id, Group.name, members, Group.note).order_by(Group.name))
            return [GroupRecord(gid, name, n, note) for gid, name, n, note in rows]

    def group(self, name: str) -> GroupRecord:
        for group in self.groups():
            if group.name == name.strip():
                return group
        raise NotFoundError("group.not_found", name=name)

    def create_group(self, name: str, note: str = "") -> GroupRecord:
        name = _group_name(name)
        with self.db.session() as s:
            if s.execute(select(Group.id).where(Group.name == name)).first():
                raise ValidationError("group.exists", name=name)
            group = Group(name=name, note=note)
            s.add(group)
            s.flush()
            audit.record(s, "group.create", {"name": name}, actor=self.actor)
            return GroupRecord(group.id, group.name, 0, note)

    def rename_group(self, old: str, new: str) -> None:
        new = _group_name(new)
        with self.db.session() as s:
            group = _group(s, old)
            if new != group.name and s.execute(select(Group.id).where(Group.name == new)).first():
                raise ValidationError("group.exists", name=new)
            group.name = new
            audit.record(s, "group.rename", {"from": old, "to": new}, actor=self.actor)

    def delete_group(self, name: str) -> None:
        """Delete the group; its contacts stay in the book."""
        with self.db.session() as s:
            group = _group(s, name)
            s.execute(delete(contact_groups).where(contact_groups.c.group_id == group.id))
            s.delete(group)
            audit.record(s, "group.delete", {"name": name}, actor=self.actor)

    def add_to_group(self, contact_ids: Sequence[int], name: str) -> int:
        """Put contacts into a group (created if missing); returns how many were not in it yet."""
        with self.db.session() as s:
            group = _group(s, name, create=True)
            have = set(
                s.execute(
                    select(contact_groups.c.contact_id).where(
                        contact_groups.c.group_id == group.id,
                        contact_groups.c.contact_id.in_(list(contact_ids)),
                    )
                ).scalars()
            )
            new = [cid for cid in dict.fromkeys(contact_ids) if cid not in have]
            if new:
                s.execute(insert(contact_groups), [{"contact_id": c, "group_id": group.id} for c in new])
            audit.record(s, "group.add_members", {"group": group.name, "ids": new}, actor=self.actor)
            return len(new)

    def remove_from_group(self, contact_ids: Sequence[int], name: str) -> int:
        with self.db.session() as s:
            group = _group(s, name)
            done = s.execute(
                delete(contact_groups).where(
                    contact_groups.c.group_id == group.id, contact_groups.c.contact_id.in_(list(contact_ids))
                )
            ).rowcount
            audit.record(s, "group.remove_members", {"group": group.name, "ids": list(contact_ids)}, actor=self.actor)
            return done

    # -- opt-outs ------------------------------------------------------------------------------------

    def add_optout(
        self,
        phone: str,
        reason: OptOutReason | str = OptOutReason.MANUAL,
        note: str = "",
        source_message_id: int | None = None,
    ) -> OptOutRecord:
        e164 = parse_phone(phone).e164
        reason = _reason(reason)
        with self.db.session() as s:
            existing = s.execute(select(OptOut).where(OptOut.phone == e164)).scalar_one_or_none()
            if existing is None:
                existing = OptOut(phone=e164, reason=reason, note=note, source_message_id=source_message_id)
                s.add(existing)
                s.flush()
                audit.record(s, "optout.add", {"phone": e164, "reason": reason, "note": note}, actor=self.actor)
            return OptOutRecord(existing.phone, existing.reason, existing.note, existing.created_at)

    def remove_optout(self, phone: str) -> None:
        e164 = parse_phone(phone).e164
        with self.db.session() as s:
            if not s.execute(delete(OptOut).where(OptOut.phone == e164)).rowcount:
                raise NotFoundError("optout.not_found", phone=e164)
            audit.record(s, "optout.remove", {"phone": e164}, actor=self.actor)

    def optout_of(self, phone: str) -> OptOutRecord | None:
        """The opt-out entry of this E.164 number, if it is on the list."""
        with self.db.reader() as s:
            found = s.execute(select(OptOut).where(OptOut.phone == phone)).scalar_one_or_none()
            return None if found is None else OptOutRecord(found.phone, found.reason, found.note, found.created_at)

    def set_opted_out(
        self,
        contact_ids: Sequence[int],
        opted_out: bool,
        reason: OptOutReason | str = OptOutReason.MANUAL,
        note: str = "",
    ) -> int:
        """Put these contacts' numbers on the opt-out list (or take them off); returns how many changed."""
        reason = _reason(reason)
        with self.db.session() as s:
            phones = list(s.execute(select(Contact.phone).where(Contact.id.in_(list(contact_ids)))).scalars())
            return sum(_set_optout(s, phone, opted_out, reason, note.strip(), self.actor) for phone in phones)

    def optouts(self) -> list[OptOutRecord]:
        with self.db.reader() as s:
            rows = s.execute(
                select(OptOut, Contact.name)
                .outerjoin(Contact, Contact.phone == OptOut.phone)
                .order_by(OptOut.created_at)
            )
            return [OptOutRecord(o.phone, o.reason, o.note, o.created_at, name or "") for o, name in rows]

    def is_opted_out(self, phones: Iterable[str]) -> set[str]:
        """Which of these E.164 numbers are on the opt-out list."""
        wanted = list(phones)
        with self.db.reader() as s:
            return set(s.execute(select(OptOut.phone).where(OptOut.phone.in_(wanted))).scalars())


def _query(query: ContactQuery | str) -> ContactQuery:
    return ContactQuery(text=query) if isinstance(query, str) else query


def _contact(s: Session, contact_id: int) -> Contact:
    contact = s.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError("contact.not_found", id=contact_id)
    return contact


def _ensure_free(s: Session, e164: str) -> None:
    holder = s.execute(select(Contact.name).where(Contact.phone == e164)).scalar_one_or_none()
    if holder is not None:
        raise ValidationError("contact.duplicate_phone", phone=e164, name=holder)


def _group_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("group.empty_name")
    return name


def _group(s: Session, name: str, *, create: bool = False) -> Group:
    name = _group_name(name)
    group = s.execute(select(Group).where(Group.name == name)).scalar_one_or_none()
    if group is None:
        if not create:
            raise NotFoundError("group.not_found", name=name)
        group = Group(name=name)
        s.add(group)
        try:
            with s.begin_nested():
                s.flush()
        except IntegrityError:  # created meanwhile by another desktop on a shared database
            group = s.execute(select(Group).where(Group.name == name)).scalar_one()
    return group


def _set_optout(s: Session, phone: str, opted_out: bool, reason: str, note: str, actor: str) -> bool:
    """Make the number's place on the opt-out list match `opted_out`; whether anything changed. An entry
    that stays keeps its reason and time (a TD reply stays a TD reply); its note is updated if given."""
    existing = s.execute(select(OptOut).where(OptOut.phone == phone)).scalar_one_or_none()
    if opted_out and existing is None:
        s.add(OptOut(phone=phone, reason=reason, note=note))
        s.flush()
        audit.record(s, "optout.add", {"phone": phone, "reason": reason, "note": note}, actor=actor)
        return True
    if not opted_out and existing is not None:
        s.delete(existing)
        audit.record(s, "optout.remove", {"phone": phone}, actor=actor)
        return True
    if existing is not None and note and note != existing.note:
        existing.note = note
        audit.record(s, "optout.note", {"phone": phone, "note": note}, actor=actor)
    return False


def _reason(reason: OptOutReason | str) -> str:
    try:
        return OptOutReason(reason).value
    except ValueError:
        choices = ", ".join(r.value for r in OptOutReason)
        raise ValidationError("optout.bad_reason", reason=reason, choices=choices) from None
