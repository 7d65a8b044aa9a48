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
