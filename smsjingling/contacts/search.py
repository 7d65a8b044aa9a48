"""Finding contacts: by phone prefix, by name, or by any field, fast over a million rows.

Phone prefixes and name prefixes are range scans on their indexes (milliseconds at any size). Only when
those find nothing does the search fall back to a substring scan over names and all fields, which reads the
whole table: that covers "尾号 8000" and searching inside 部门/备注.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, Text, exists, func, or_, select
from sqlalchemy.orm import Session

from smsjingling.contacts.records import ContactRecord
from smsjingling.storage.models import Contact, Group, OptOut, contact_groups

_PHONE_CHARS = re.compile(r"[\s\-()（）+＋]")


@dataclass(frozen=True)
class ContactQuery:
    """What the user is looking for. Every part is optional; empty means everything."""

    text: str = ""
    group_id: int | None = None
    sms_capable: bool | None = None
    opted_out: bool | None = None


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


def _filtered(stmt: Select, query: ContactQuery) -> Select:
    if query.group_id is not None:
        stmt = stmt.where(
            exists().where(contact_groups.c.contact_id == Contact.id, contact_groups.c.group_id == query.group_id)
        )
    if query.sms_capable is not None:
        stmt = stmt.where(Contact.sms_capable == query.sms_capable)
    if query.opted_out is not None:
        optout = exists().where(OptOut.phone == Contact.phone)
        stmt = stmt.where(optout if query.opted_out else ~optout)
    return stmt


def _indexed(query: ContactQuery) -> tuple[Select, object]:
    """The index-backed statement for the query's text, and the column it is ordered by."""
    text = query.text.strip()
    stmt = _filtered(select(Contact), query)
    if not text:
        return stmt, Contact.name
    prefix = phone_prefix(text)
    if prefix:
        return stmt.where(Contact.phone >= prefix, Contact.phone < _next_prefix(prefix)), Contact.phone
    return stmt.where(Contact.name >= text, Contact.name < _next_prefix(text)), Contact.name


def _substring(query: ContactQuery) -> Select:
    text = query.text.strip()
    pattern = f"%{_escape_like(text)}%"
    digits = _PHONE_CHARS.sub("", text)
    conditions = [
        Contact.name.like(pattern, escape="\\"),
        func.cast(Contact.fields, Text()).like(pattern, escape="\\"),
    ]
    if digits.isdigit():
        conditions.append(Contact.phone.like(f"%{digits}%"))
    return _filtered(select(Contact), query).where(or_(*conditions))


def _statement(session: Session, query: ContactQuery) -> tuple[Select, object]:
    """The index-backed statement and its order, or the substring scan when that finds nothing at all."""
    stmt, order = _indexed(query)
    if query.text.strip() and session.execute(stmt.with_only_columns(Contact.id).limit(1)).first() is None:
        return _substring(query), Contact.name
    return stmt, order


def search(session: Session, query: ContactQuery, *, limit: int = 200, offset: int = 0) -> list[ContactRecord]:
    stmt, order = _statement(session, query)
    rows = session.execute(stmt.order_by(order, Contact.id).limit(limit).offset(offset)).scalars()
    return to_records(session, list(rows))


def count(session: Session, query: ContactQuery) -> int:
    stmt, _ = _statement(session, query)
    return session.execute(stmt.with_only_columns(func.count(Contact.id))).scalar_one()


def matching_ids(session: Session, query: ContactQuery) -> list[int]:
    """Every id the query finds, in display order (for export and bulk actions)."""
    stmt, order = _statement(session, query)
    return list(session.execute(stmt.with_only_columns(Contact.id).order_by(order, Contact.id)).scalars())


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
