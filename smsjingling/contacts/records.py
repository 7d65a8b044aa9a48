"""Plain records handed out of the book, so callers (the GUI thread above all) never hold ORM sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class ContactRecord:
    id: int
    name: str
    phone: str
    sms_capable: bool
    carrier: str
    region: str
    fields: dict[str, Any] = field(default_factory=dict)
    groups: tuple[str, ...] = ()
    consent_at: datetime | None = None
    consent_source: str = ""
    opted_out: bool = False


@dataclass(frozen=True, slots=True)
class GroupRecord:
    id: int
    name: str
    members: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class OptOutRecord:
    phone: str
    reason: str
    note: str
    created_at: datetime
    contact_name: str = ""


@dataclass(frozen=True, slots=True)
class ContactDraft:
    """A contact as an edit dialog hands it over: everything about one person, saved in one go.

    `id` None adds a new contact. `phone` is as the user typed it. `fields` replaces the extra fields,
    `groups` the memberships (groups are created when missing). `opted_out` puts the number on the opt-out
    list with the reason and note, or takes it off.
    """

    id: int | None
    name: str
    phone: str
    fields: dict[str, str] = field(default_factory=dict)
    groups: tuple[str, ...] = ()
    consent_at: datetime | None = None
    consent_source: str = ""
    opted_out: bool = False
    optout_reason: str = "manual"
    optout_note: str = ""
