"""Purging old send records, and the floor that makes it impossible to purge too early.

The contracts require the record (content, time, sender, channel) to be kept at least six months. The
retention setting may ask for longer; nothing, not even a setting written behind the program's back, makes
it shorter. A message is purged only when all of its times (created, sent, done) are before the cutoff and it
is final: a message still queued or sending is never purged, however old.

Purging goes in batches, each its own transaction with its own audit event, so a large purge does not hold
the database's write lock for long (the dispatcher keeps working) and the log always says exactly what was
removed, even if the program stops half way. Campaign counters are lowered in the same transaction as the
messages they count, so they keep equalling the sum over the campaign's messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from smsjingling import audit, messages
from smsjingling.errors import UserError
from smsjingling.records.period import months_before, start_of_day, wall_time
from smsjingling.sending import record
from smsjingling.settings import RETENTION_MONTHS, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.sending import (
    FINAL_STATUSES,
    Message,
    MessageEvent,
    MessagePart,
    MessageStatus,
)

messages.register(
    {
        "records.purge_too_young": (
            "不能删除 {before} 之前的发送记录：记录至少要保留 {months} 个月，目前最多只能删除 {latest} 之前的记录。",
            "Cannot purge the send record before {before}: records are kept at least {months} months, so the "
            "latest date allowed today is {latest}.",
        ),
    }
)

FLOOR_MONTHS = 6  # the contracts' minimum (seeds 001 §3, 004 annex §4); the setting can only add to it
BATCH = 5000  # about half a second of write lock on a laptop, well inside the dispatcher's 5 s busy wait


class RetentionError(UserError):
    """A purge that would remove records younger than the retention period."""


@dataclass(frozen=True)
class PurgePlan:
    cutoff: datetime  # aware UTC: messages entirely before this instant go
    count: int  # messages that would be removed
    in_flight: int  # messages as old but still queued or sending: kept


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime
    messages: int
    events: int
    parts: int
    in_flight: int  # old messages kept because they were not final
    batches: int


def retention_months(db: Database) -> int:
    """The months records are kept: the setting, never less than the floor."""
    return max(FLOOR_MONTHS, Settings(db).get(RETENTION_MONTHS))


def latest_cutoff(months: int, *, tz: tzinfo | None = None, now: datetime | None = None) -> date:
    """The latest `before` date a purge may use today (months counted on the local calendar)."""
    today = wall_time(now or datetime.now(UTC), tz).date()
    return months_before(today, max(FLOOR_MONTHS, months))


def _old(cutoff: datetime) -> list[ColumnElement[bool]]:
    return [
        Message.created_at < cutoff,
        func.coalesce(Message.sent_at, Message.created_at) < cutoff,
        func.coalesce(Message.done_at, Message.created_at) < cutoff,
    ]


# Said as "not one of the others" rather than "one of the final ones": an IN list would lead SQLite to walk
# the status index over every final message for each batch, where this lets it walk the ids in order.
NOT_FINAL = sorted(s.value for s in MessageStatus if s not in FINAL_STATUSES)


def _final() -> ColumnElement[bool]:
    return Message.status.not_in(NOT_FINAL)


def plan_purge(db: Database, before: date, *, tz: tzinfo | None = None, now: datetime | None = None) -> PurgePlan:
    """What `purge` would do, changing nothing; refuses like it a date younger than the retention period.

    `before` is a local date (in `tz`, else the computer's zone): records from before its midnight go.
    """
    cutoff = _checked_cutoff(db, before, tz, now)
    with db.reader() as s:
        count = s.execute(select(func.count()).where(*_old(cutoff), _final())).scalar_one()
        in_flight = s.execute(select(func.count()).where(*_old(cutoff), ~_final())).scalar_one()
    return PurgePlan(cutoff, count, in_flight)


def purge(
    db: Database,
    before: date,
    actor: str | None = None,
    *,
    tz: tzinfo | None = None,
    now: datetime | None = None,
    batch: int = BATCH,
) -> PurgeResult:
    """Delete final messages (with their events and parts) from before local midnight of `before`.

    Raises RetentionError, deleting nothing, when `before` is later than the retention period allows.
    Each batch is audited as records.purge with its counts.
    """
    cutoff = _checked_cutoff(db, before, tz, now)
    totals = {"messages": 0, "events": 0, "parts": 0}
    batches = 0
    last_id = 0
    while True:
        with db.session() as s:
            done = _purge_batch(s, cutoff, before, last_id, actor, batch)
        if done is None:
            break
        last_id, counts = done
        batches += 1
        for key, value in counts.items():
            totals[key] += value
    with db.reader() as s:
        in_flight = s.execute(select(func.count()).where(*_old(cutoff), ~_final())).scalar_one()
    return PurgeResult(cutoff, totals["messages"], totals["events"], totals["parts"], in_flight, batches)


def _checked_cutoff(db: Database, before: date, tz: tzinfo | None, now: datetime | None) -> datetime:
    months = retention_months(db)
    latest = latest_cutoff(months, tz=tz, now=now)
    if before > latest:
        raise RetentionError(
            "records.purge_too_young", before=before.isoformat(), months=months, latest=latest.isoformat()
        )
    return start_of_day(before, tz)


def _purge_batch(
    s: Session, cutoff: datetime, before: date, after_id: int, actor: str | None, size: int
) -> tuple[int, dict[str, int]] | None:
    """Delete the next batch of purgeable messages with ids above `after_id`; None when there are none.

    The writer's transaction holds the write lock, so the set chosen is the set deleted."""
    first = select(Message.id).where(*_old(cutoff), _final(), Message.id > after_id).order_by(Message.id).limit(size)
    last_id = s.execute(select(func.max(first.subquery().c.id))).scalar()
    if last_id is None:
        return None
    where = [*_old(cutoff), _final(), Message.id > after_id, Message.id <= last_id]
    ids = select(Message.id).where(*where)
    by_campaign = s.execute(
        select(Message.campaign_id, Message.status, func.count())
        .where(*where)
        .group_by(Message.campaign_id, Message.status)
    ).all()
    plain = {"synchronize_session": False}  # nothing of these is loaded in this session
    events = s.execute(delete(MessageEvent).where(MessageEvent.message_id.in_(ids)), execution_options=plain).rowcount
    parts = s.execute(delete(MessagePart).where(MessagePart.message_id.in_(ids)), execution_options=plain).rowcount
    removed = s.execute(delete(Message).where(*where), execution_options=plain).rowcount
    record.add_counts(s, {(campaign_id, status): -n for campaign_id, status, n in by_campaign})
    counts = {"messages": removed, "events": events, "parts": parts}
    audit.record(
        s, "records.purge", {"before": before.isoformat(), "cutoff": cutoff.isoformat(), **counts}, actor=actor
    )
    return last_id, counts
