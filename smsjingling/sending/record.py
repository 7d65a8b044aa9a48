"""Every change of a message's status goes through `move`: the message row, an event row, and the
campaign's counters change in the same transaction, so the counters always equal the sum over the messages
and every transition has a timestamp and a reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from smsjingling.storage.sending import (
    FINAL_STATUSES,
    Campaign,
    CampaignCount,
    CampaignStatus,
    Message,
    MessageEvent,
    MessageStatus,
)
from smsjingling.storage.types import utcnow

# Where a message may go from each status. Anything else is a bug in the caller, not a user's mistake.
ALLOWED: dict[MessageStatus, frozenset[MessageStatus]] = {
    MessageStatus.QUEUED: frozenset(
        {MessageStatus.SENDING, MessageStatus.CANCELLED, MessageStatus.BLOCKED, MessageStatus.SKIPPED}
    ),
    MessageStatus.SENDING: frozenset(
        {
            MessageStatus.SENT,
            MessageStatus.FAILED,
            MessageStatus.QUEUED,
            MessageStatus.UNKNOWN,
            MessageStatus.DELIVERED,
            MessageStatus.UNDELIVERED,
        }
    ),
    MessageStatus.SENT: frozenset({MessageStatus.DELIVERED, MessageStatus.UNDELIVERED}),
    # An operator's resend puts these back in the queue.
    MessageStatus.FAILED: frozenset({MessageStatus.QUEUED}),
    MessageStatus.UNKNOWN: frozenset({MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.FAILED}),
    MessageStatus.UNDELIVERED: frozenset({MessageStatus.QUEUED}),
    MessageStatus.BLOCKED: frozenset({MessageStatus.QUEUED}),
    MessageStatus.DELIVERED: frozenset(),
    MessageStatus.SKIPPED: frozenset(),
    MessageStatus.CANCELLED: frozenset(),
}


class TransitionError(RuntimeError):
    """A message was asked to make a move the lifecycle does not have."""


@dataclass
class Move:
    """One message to one new status. `changes` are other columns to set with it (channel_id, error ...)."""

    message_id: int
    to: MessageStatus
    reason: str = ""
    detail: str = ""
    changes: dict[str, Any] = field(default_factory=dict)


# Statements built once: this is the dispatcher's hot path, and building (and cache-keying) a statement
# costs more than running it on SQLite.
_CURRENT = select(Message.id, Message.status, Message.campaign_id).where(
    Message.id.in_(bindparam("ids", expanding=True))
)
# On a server database other transactions (another thread, another desktop) move messages at the same time:
# the rows are locked as they are read, so the status tested against `expect` is the one the update
# replaces (a waiting reader sees the committed change). In id order, so that two movers cannot deadlock.
# SQLite needs none of this: a writer holds the whole database from BEGIN IMMEDIATE.
_CURRENT_LOCKED = _CURRENT.order_by(Message.id).with_for_update()


def move(
    session: Session,
    moves: Sequence[Move],
    *,
    expect: Iterable[MessageStatus] | None = None,
    now: datetime | None = None,
) -> list[Move]:
    """Apply `moves`. A message whose current status is not in `expect` (when given) is left alone and not
    returned, which is how a late result loses the race against a cancel. Returns the moves applied."""
    if not moves:
        return []
    now = now or utcnow()
    wanted = {m.message_id: m for m in moves}
    expected = set(expect) if expect is not None else None
    current: dict[int, tuple[str, int]] = {}
    ids = sorted(wanted)
    conn = session.connection()
    sqlite = conn.dialect.name == "sqlite"
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        if sqlite:  # plain SQL: the ORM's row handling costs more than the lookup
            rows = conn.exec_driver_sql(f"{_CURRENT_SQL} ({', '.join(['?'] * len(chunk))})", tuple(chunk))
        else:
            rows = session.execute(_CURRENT_LOCKED, {"ids": chunk})
        for mid, status, cid in rows:
            current[mid] = (status, cid)
    applied: list[Move] = []
    deltas: Counter[tuple[int, str]] = Counter()
    for mid, m in wanted.items():
        found = current.get(mid)
        if found is None:
            continue
        old = _STATUS[found[0]]
        if expected is not None and old not in expected:
            continue
        if m.to not in ALLOWED[old]:
            raise TransitionError(f"message {mid}: {old} -> {m.to} is not a move of the lifecycle")
        deltas[(found[1], found[0])] -= 1
        deltas[(found[1], m.to.value)] += 1
        applied.append(m)
    if not applied:
        return []
    _update_messages(conn, applied, now)
    to_db = _Binder(conn, MessageEvent.__table__)
    at = to_db("at", now)
    conn.exec_driver_sql(
        to_db.insert_sql(_EVENT_COLUMNS),
        [(m.message_id, at, m.to.value, m.reason, m.detail, m.changes.get("channel_id")) for m in applied],
    )
    _add_counts(session, deltas)
    return applied


_STATUS = {s.value: s for s in MessageStatus}
_CURRENT_SQL = "SELECT id, status, campaign_id FROM messages WHERE id IN"


# The writes of a move go to the driver as plain SQL with plain tuples: SQLAlchemy's per-row parameter work
# (a dict, type processing and key lookups for every row) cost more than SQLite's own work on a gateway
# batch of thousands. Values are converted for the column by the column's own type, once per distinct value.
_EVENT_COLUMNS = ("message_id", "at", "status", "reason", "detail", "channel_id")


class _Binder:
    """Plain-SQL helpers for one table on one connection: its paramstyle, and values in the form its
    columns' types write them (times in UTC, naive, as the UTCDateTime type does)."""

    def __init__(self, conn: Connection, table: Table) -> None:
        self.dialect = conn.dialect
        self.table = table
        self.mark = "?" if self.dialect.paramstyle == "qmark" else "%s"
        self._processors: dict[str, Callable[[Any], Any] | None] = {}
        self._seen: dict[tuple[str, Any], Any] = {}

    def processor(self, column: str) -> Callable[[Any], Any] | None:
        if column not in self._processors:
            kind = self.table.c[column].type.dialect_impl(self.dialect)
            self._processors[column] = kind.bind_processor(self.dialect)
        return self._processors[column]

    def __call__(self, column: str, value: Any) -> Any:
        convert = self.processor(column)
        if convert is None or value is None:
            return value
        key = (column, value)
        if key not in self._seen:
            self._seen[key] = convert(value)
        return self._seen[key]

    def insert_sql(self, columns: Sequence[str]) -> str:
        marks = ", ".join([self.mark] * len(columns))
        return f"INSERT INTO {self.table.name} ({', '.join(columns)}) VALUES ({marks})"

    def update_sql(self, columns: Sequence[str]) -> str:
        sets = ", ".join(f"{c} = {self.mark}" for c in columns)
        return f"UPDATE {self.table.name} SET {sets} WHERE id = {self.mark}"

    def update_in_sql(self, columns: Sequence[str], n: int) -> str:
        sets = ", ".join(f"{c} = {self.mark}" for c in columns)
        return f"UPDATE {self.table.name} SET {sets} WHERE id IN ({', '.join([self.mark] * n)})"


def _update_messages(conn: Connection, applied: list[Move], now: datetime) -> None:
    # Group by the set of columns changed, then by the values they are set to. A gateway batch's moves all
    # set the same values (SENDING on this channel; SENT at this time), and one UPDATE … WHERE id IN (…)
    # for them costs SQLite about a quarter of an executemany of the same rows: each execution of a
    # statement pays again for opening its cursors and for the foreign-key check of channel_id, which a
    # set-based statement pays once. Rows whose values no other row shares go in one executemany.
    groups: dict[tuple[str, ...], dict[tuple[Any, ...], list[int]]] = {}
    for m in applied:
        values: dict[str, Any] = {"status": m.to.value, "reason": m.reason, "updated_at": now, **m.changes}
        if m.to in FINAL_STATUSES and "done_at" not in values:
            values["done_at"] = now
        elif m.to in (MessageStatus.QUEUED, MessageStatus.SENDING):
            values.setdefault("done_at", None)
        if m.to is MessageStatus.SENT and "sent_at" not in values:
            values["sent_at"] = now
        if m.to in (MessageStatus.FAILED, MessageStatus.UNKNOWN, MessageStatus.UNDELIVERED, MessageStatus.BLOCKED):
            values.setdefault("error", m.detail)
        columns = tuple(sorted(values))
        groups.setdefault(columns, {}).setdefault(tuple(values[c] for c in columns), []).append(m.message_id)
    to_db = _Binder(conn, Message.__table__)
    for columns, by_values in groups.items():
        # Only the time columns need converting, and they mostly hold one value (now): convert each once.
        timed = [(i, c) for i, c in enumerate(columns) if to_db.processor(c) is not None]
        singles: list[tuple[Any, ...]] = []
        for plain, ids in by_values.items():
            row = list(plain)
            for i, c in timed:
                if row[i] is not None:
                    row[i] = to_db(c, row[i])
            if len(ids) == 1:
                singles.append((*row, ids[0]))
                continue
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                conn.exec_driver_sql(to_db.update_in_sql(columns, len(chunk)), (*row, *chunk))
        if singles:
            conn.exec_driver_sql(to_db.update_sql(columns), singles)


_IN_CHUNK = 500  # ids in one statement's IN list: well within any database's limit of parameters


def _upsert_counts(dialect_name: str) -> Any:
    # One statement adds a delta whether or not the (campaign, status) row exists yet.
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = dialect_insert(CampaignCount)
    return stmt.on_conflict_do_update(
        index_elements=[CampaignCount.campaign_id, CampaignCount.status, CampaignCount.shard],
        set_={"count": CampaignCount.count + stmt.excluded.count},
    )


# PostgreSQL: a transaction adds its changes to its connection's own shard of the counters (the server
# process's id, modulo SHARDS), so the transactions of several desktops, and of one desktop's modem threads,
# do not queue for the lock of one (campaign, status) row. Any number of rows in one statement and one round
# trip, as plain SQL (built once: SQLAlchemy would compile a multi-row VALUES afresh for every call).
SHARDS = 64
_PG_ADD_COUNTS = (
    "INSERT INTO campaign_counts (campaign_id, status, shard, count) "
    f"SELECT d.c, d.s, mod(pg_backend_pid(), {SHARDS}), d.n "
    "FROM unnest(%s::integer[], %s::varchar[], %s::integer[]) AS d(c, s, n) "
    "ON CONFLICT (campaign_id, status, shard) DO UPDATE SET count = campaign_counts.count + excluded.count"
)


_COUNT_UPSERTS: dict[str, Any] = {}


_DEFERRED = "smsjingling.record.deferred_counts"


@contextmanager
def counts_at_end(session: Session) -> Iterator[None]:
    """Within the block, moves add their counter changes up instead of writing each; the sum is written when
    the block ends (not when it fails), in one statement. On a server database a campaign's counter rows are
    where all its transactions meet, on every desktop: written last, they stay locked the shortest time."""
    outer = session.info.get(_DEFERRED)
    pending: Counter[tuple[int, str]] = Counter()
    session.info[_DEFERRED] = pending
    try:
        yield
    finally:
        if outer is None:
            session.info.pop(_DEFERRED, None)
        else:
            session.info[_DEFERRED] = outer
    _add_counts(session, pending)


def _add_counts(session: Session, deltas: Counter[tuple[int, str]]) -> None:
    pending = session.info.get(_DEFERRED)
    if pending is not None:
        pending.update(deltas)
        return
    add_counts(session, deltas)


def add_counts(session: Session, deltas: Mapping[tuple[int, str], int]) -> None:
    """Add to the counters of (campaign id, status) now. Only for changes of the messages made in the same
    transaction (move does it for status changes; a purge of old messages takes its own off)."""
    # In key order: transactions that meet in one shard take its rows' locks in the same order (no deadlock).
    changed = [(cid, st, n) for (cid, st), n in sorted(deltas.items()) if n]
    if not changed:
        return
    conn = session.connection()
    name = conn.dialect.name
    if name == "postgresql":
        cids, statuses, ns = zip(*changed, strict=True)
        conn.exec_driver_sql(_PG_ADD_COUNTS, (list(cids), list(statuses), list(ns)))
        return
    stmt = _COUNT_UPSERTS.get(name)
    if stmt is None:
        stmt = _COUNT_UPSERTS[name] = _upsert_counts(name)
    # SQLite has one writer at a time: one shard.
    conn.execute(stmt, [{"campaign_id": cid, "status": st, "shard": 0, "count": n} for cid, st, n in changed])


def add_new(session: Session, campaign_id: int, statuses: Iterable[str]) -> None:
    """Count messages just inserted for a campaign (insertion is their first status, so no event)."""
    counts = Counter(statuses)
    _add_counts(session, Counter({(campaign_id, status): n for status, n in counts.items()}))


def counts(session: Session, campaign_id: int) -> dict[MessageStatus, int]:
    """The campaign's stored counters (the sum of their shards), every status present (zero where none)."""
    stored = dict(
        session.execute(
            select(CampaignCount.status, func.sum(CampaignCount.count))
            .where(CampaignCount.campaign_id == campaign_id)
            .group_by(CampaignCount.status)
        ).all()
    )
    return {s: int(stored.get(s.value, 0)) for s in MessageStatus}


def recount(session: Session, campaign_id: int) -> dict[MessageStatus, int]:
    """The counters as the messages say, counted afresh (what `counts` must always equal)."""
    actual = dict(
        session.execute(
            select(Message.status, func.count()).where(Message.campaign_id == campaign_id).group_by(Message.status)
        ).all()
    )
    return {s: int(actual.get(s.value, 0)) for s in MessageStatus}


def finish_campaigns(session: Session, campaign_ids: Iterable[int], now: datetime | None = None) -> list[int]:
    """Mark running campaigns with nothing left queued or in flight as completed. Returns those marked."""
    ids = set(campaign_ids)
    if not ids:
        return []
    busy = {MessageStatus.QUEUED.value, MessageStatus.SENDING.value}
    open_ids = {
        cid
        for (cid,) in session.execute(
            select(CampaignCount.campaign_id)
            .where(CampaignCount.campaign_id.in_(ids), CampaignCount.status.in_(busy))
            .group_by(CampaignCount.campaign_id)
            .having(func.sum(CampaignCount.count) > 0)
        )
    }
    done = [
        cid
        for (cid,) in session.execute(
            select(Campaign.id).where(Campaign.id.in_(ids - open_ids), Campaign.status == CampaignStatus.RUNNING.value)
        )
    ]
    if done:
        session.execute(
            update(Campaign)
            .where(Campaign.id.in_(done))
            .values(status=CampaignStatus.COMPLETED.value, finished_at=now or utcnow())
            .execution_options(synchronize_session=False)
        )
    return done


def drop_counts(session: Session, campaign_id: int) -> None:
    session.execute(delete(CampaignCount).where(CampaignCount.campaign_id == campaign_id))


# The one move made for every message a modem sends, QUEUED -> SENDING, on PostgreSQL in one statement and
# one round trip instead of five (the campaign's status, the message locked, its update, its event, the
# counters): what `move` writes for it, no more and no less. The UPDATE takes the message's row lock and,
# had another transaction changed the row meanwhile, tests status = 'queued' again on what it committed (so a
# cancel or another desktop's mark wins, as with move's expect). The counter rows in key order, in this
# connection's shard.
_PG_MARK_SENDING = f"""
WITH campaign AS (SELECT status FROM campaigns WHERE id = %(campaign)s),
marked AS (
    UPDATE messages
    SET status = 'sending', reason = '', updated_at = %(now)s, done_at = NULL,
        channel_id = %(channel)s, attempts = %(attempts)s, claimed_by = %(by)s
    WHERE id = %(id)s AND status = 'queued' AND (SELECT status FROM campaign) = 'running'
    RETURNING id, campaign_id
),
event AS (
    INSERT INTO message_events (message_id, at, status, reason, detail, channel_id)
    SELECT id, %(now)s, 'sending', '', '', %(channel)s FROM marked
),
counted AS (
    INSERT INTO campaign_counts (campaign_id, status, shard, count)
    SELECT marked.campaign_id, d.s, mod(pg_backend_pid(), {SHARDS}), d.n
    FROM marked, (VALUES ('queued', -1), ('sending', 1)) AS d(s, n)
    ORDER BY d.s
    ON CONFLICT (campaign_id, status, shard) DO UPDATE SET count = campaign_counts.count + excluded.count
)
SELECT (SELECT status FROM campaign), (SELECT count(*) FROM marked)
"""
assert MessageStatus.QUEUED.value < MessageStatus.SENDING.value  # the key order the statement relies on


def mark_sending_pg(
    session: Session, message_id: int, campaign_id: int, *, channel_id: int, attempts: int, by: str, now: datetime
) -> tuple[str | None, bool]:
    """PostgreSQL: move one message QUEUED -> SENDING on a channel if its campaign is running, as
    move(..., expect=[QUEUED]) would. Returns the campaign's status (None: no such campaign) and whether the
    message was moved (False: its campaign is not running, or it is no longer queued)."""
    conn = session.connection()
    at = _Binder(conn, Message.__table__)("updated_at", now)
    status, marked = conn.exec_driver_sql(
        _PG_MARK_SENDING,
        {
            "campaign": campaign_id,
            "id": message_id,
            "now": at,
            "channel": channel_id,
            "attempts": attempts,
            "by": by,
        },
    ).one()
    return status, bool(marked)


NO_REPORT = "no_report"


def shown_status(status: str, sent_at: datetime | None, now: datetime, report_timeout: timedelta) -> str:
    """The status as a person should read it: a message still SENT long after it left (the report timeout,
    a setting) is shown as "no report", since no delivery report will come any more."""
    if status == MessageStatus.SENT.value and sent_at is not None and now - sent_at > report_timeout:
        return NO_REPORT
    return status
