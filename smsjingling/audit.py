"""The audit log: who did what, when, on which machine. Rows are hash-chained.

Each event's hash covers its content and the previous event's hash, so a row edited or deleted afterwards
breaks the chain at that point, and `verify_chain` says where.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from smsjingling.storage.models import AuditEvent
from smsjingling.storage.types import utcnow

GENESIS = "0" * 64
CHAIN_LOCK = 0x61756474  # the advisory lock key of the chain's end on PostgreSQL ("audt")


def current_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some services, containers)
        return "unknown"


def current_machine() -> str:
    return socket.gethostname()


def _digest(prev_hash: str, at: datetime, actor: str, machine: str, action: str, details: Mapping[str, Any]) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), actor, machine, action, details],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session, action: str, details: Mapping[str, Any] | None = None, *, actor: str | None = None
) -> AuditEvent:
    """Append an event in the caller's transaction, so it is written if and only if the change is."""
    if session.get_bind().dialect.name == "postgresql":
        # Desktops sharing a server database append to one chain: each takes its turn from reading the last
        # hash until its transaction ends, or two events would both follow the same one and fork the chain.
        # (SQLite's single writer gives the same turn-taking.)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    last = session.execute(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).scalar()
    prev = last or GENESIS
    at = utcnow()
    who = actor or current_actor()
    machine = current_machine()
    data = dict(details or {})
    event = AuditEvent(
        at=at,
        actor=who,
        machine=machine,
        action=action,
        details=data,
        prev_hash=prev,
        hash=_digest(prev, at, who, machine, action, data),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str  # "edited" (content does not match its hash) or "gap" (previous row missing or changed)


def verify_chain(session: Session) -> list[ChainBreak]:
    """Walk the log in order; an empty list means it is intact."""
    breaks: list[ChainBreak] = []
    prev = GENESIS
    for event in session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
        if event.prev_hash != prev:
            breaks.append(ChainBreak(event.id, "gap"))
        expected = _digest(event.prev_hash, event.at, event.actor, event.machine, event.action, event.details)
        if expected != event.hash:
            breaks.append(ChainBreak(event.id, "edited"))
        prev = event.hash
    return breaks
