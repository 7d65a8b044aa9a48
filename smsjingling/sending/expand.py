"""Turning a campaign into its messages, once: recipients resolved and de-duplicated, the ones who must not
get it skipped with a reason, the rest rendered, checked for banned words and queued.

Every recipient becomes exactly one message row, the skipped and blocked ones too, so the record shows who
did not get the notice and why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Integer, Text, select, type_coerce
from sqlalchemy.orm import Session

from smsjingling.compose import Composer, Rendered
from smsjingling.phones import PhoneError, parse_phone
from smsjingling.storage.models import Contact, Group, OptOut, contact_groups
from smsjingling.storage.sending import MessageStatus

CHUNK = 900  # ids per IN (...): under SQLite's old 999-variable limit
_SPLIT = re.compile(r"[\s,;，；、/]+")


class Matcher(Protocol):
    """The keyword filter's matcher (smsjingling.keywords.Matcher)."""

    def check(self, text: str, allowed: Collection[str] = ()) -> Sequence[Any]: ...  # hits with a .word

    def check_all(self, texts: Sequence[str], allowed: Collection[str] = ()) -> dict[int, Sequence[Any]]: ...


@dataclass(frozen=True)
class Recipients:
    """Who a campaign goes to, as the operator chose: group names, contact ids, numbers pasted as text."""

    groups: tuple[str, ...] = ()
    contacts: tuple[int, ...] = ()
    numbers: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"groups": list(self.groups), "contacts": list(self.contacts), "numbers": list(self.numbers)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Recipients:
        return cls(tuple(data.get("groups", ())), tuple(data.get("contacts", ())), tuple(data.get("numbers", ())))

    @staticmethod
    def split_numbers(text: str) -> tuple[str, ...]:
        """Numbers pasted into a box: one per line, or separated by commas, semicolons, 、 or spaces."""
        return tuple(part for part in _SPLIT.split(text) if part)


@dataclass(slots=True)
class Planned:
    """One recipient's message, before it is written."""

    phone: str
    contact_id: int | None
    carrier: str
    status: MessageStatus
    reason: str = ""
    detail: str = ""
    text: str = ""
    encoding: str = ""
    segments: int = 0
    price_fen: int = 0


@dataclass
class Plan:
    messages: list[Planned] = field(default_factory=list)

    def queued(self) -> list[Planned]:
        return [m for m in self.messages if m.status is MessageStatus.QUEUED]

    @property
    def segments(self) -> int:
        return sum(m.segments for m in self.messages if m.status is MessageStatus.QUEUED)

    @property
    def price_fen(self) -> int:
        return sum(m.price_fen for m in self.messages if m.status is MessageStatus.QUEUED)

    def reasons(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for m in self.messages:
            if m.status is not MessageStatus.QUEUED:
                counts[m.reason] = counts.get(m.reason, 0) + 1
        return counts


class _Person(NamedTuple):
    # A tuple, not a dataclass: a 100,000-recipient campaign makes one per recipient.
    contact_id: int | None
    phone: str
    name: str
    fields: dict[str, Any]
    carrier: str
    sms_capable: bool
    consent_at: Any  # only ever tested for None


# Plain types, so rows come back without per-value result processing; fields are JSON text, decoded below.
_PERSON_COLUMNS = (
    Contact.id,
    Contact.phone,
    Contact.name,
    type_coerce(Contact.fields, Text),
    Contact.carrier,
    type_coerce(Contact.sms_capable, Integer),
    type_coerce(Contact.consent_at, Text),
)


def _people(rows: Iterable[Any]) -> Iterator[_Person]:
    loads = json.loads
    for cid, phone, name, fields, carrier, capable, consent in rows:
        # SQLite gives the JSON text; PostgreSQL's driver decodes a json column itself, whatever the coercion.
        found = loads(fields) if isinstance(fields, str) else fields or {}
        yield _Person(cid, phone, name, found, carrier, bool(capable), consent)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _contacts(session: Session, ids: Iterable[int]) -> dict[int, _Person]:
    found: dict[int, _Person] = {}
    ids = list(dict.fromkeys(ids))
    for chunk in _chunks(ids):
        for person in _people(session.execute(select(*_PERSON_COLUMNS).where(Contact.id.in_(chunk)))):
            found[person.contact_id] = person
    return found


def resolve(session: Session, recipients: Recipients) -> tuple[list[_Person], list[Planned]]:
    """The people to send to, in a stable order (groups, then contacts, then pasted numbers), each number
    once; and the pasted entries that are not numbers at all."""
    result: list[_Person] = []
    for name in recipients.groups:
        # One query per group, joined to the contacts: no id list, no chunked IN (...).
        result.extend(
            _people(
                session.execute(
                    select(*_PERSON_COLUMNS)
                    .join(contact_groups, contact_groups.c.contact_id == Contact.id)
                    .join(Group, Group.id == contact_groups.c.group_id)
                    .where(Group.name == name)
                    .order_by(Contact.id)
                )
            )
        )
    people = _contacts(session, recipients.contacts)
    result += [people[i] for i in dict.fromkeys(recipients.contacts) if i in people]
    invalid: list[Planned] = []
    pasted: list[tuple[str, Any]] = []
    for raw in recipients.numbers:
        try:
            pasted.append((raw, parse_phone(raw)))
        except PhoneError:
            invalid.append(Planned(raw[:24], None, "", MessageStatus.SKIPPED, "send.invalid_number", raw))
    if pasted:
        known: dict[str, _Person] = {}
        phones = [p.e164 for _, p in pasted]
        for chunk in _chunks(phones):
            ids = session.execute(select(Contact.id).where(Contact.phone.in_(chunk))).scalars().all()
            known.update({p.phone: p for p in _contacts(session, ids).values()})
        for _raw, phone in pasted:
            result.append(
                known.get(phone.e164) or _Person(None, phone.e164, "", {}, phone.carrier.value, phone.sms_capable, None)
            )
    seen: set[str] = set()
    unique: list[_Person] = []
    for person in result:
        if person.phone not in seen:
            seen.add(person.phone)
            unique.append(person)
    return unique, invalid


def opted_out(session: Session, phones: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for chunk in _chunks(phones):
        out.update(session.execute(select(OptOut.phone).where(OptOut.phone.in_(chunk))).scalars())
    return out


def plan(
    session: Session,
    recipients: Recipients,
    composer: Composer,
    *,
    require_consent: bool,
    matcher: Matcher | None,
    allowed_words: Iterable[str] = (),
) -> Plan:
    people, invalid = resolve(session, recipients)
    blocked_out = opted_out(session, [p.phone for p in people])
    allowed = tuple(allowed_words)
    out = Plan(list(invalid))
    add = out.messages.append
    rendered: list[Planned] = []
    queued = MessageStatus.QUEUED
    for p in people:
        if p.phone in blocked_out:
            add(Planned(p.phone, p.contact_id, p.carrier, MessageStatus.SKIPPED, "send.opted_out"))
            continue
        if not p.sms_capable:
            add(Planned(p.phone, p.contact_id, p.carrier, MessageStatus.SKIPPED, "send.not_mobile"))
            continue
        if require_consent and p.consent_at is None:
            add(Planned(p.phone, p.contact_id, p.carrier, MessageStatus.SKIPPED, "send.no_consent"))
            continue
        result = composer.render(p.name, p.phone, p.fields)
        if not isinstance(result, Rendered):
            add(Planned(p.phone, p.contact_id, p.carrier, MessageStatus.SKIPPED, result.reason.value, result.detail))
            continue
        m = Planned(
            p.phone,
            p.contact_id,
            p.carrier,
            queued,
            "",
            "",
            result.text,
            result.encoding,
            result.segments,
            result.price_fen,
        )
        add(m)
        rendered.append(m)
    if matcher is not None and rendered:
        # One pass of the filter over the whole campaign, not one call per message.
        for index, hits in matcher.check_all([m.text for m in rendered], allowed).items():
            m = rendered[index]
            m.status, m.reason, m.detail = (
                MessageStatus.BLOCKED,
                "send.keyword",
                "、".join(sorted({h.word for h in hits})),
            )
    return out
