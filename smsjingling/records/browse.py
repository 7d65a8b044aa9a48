"""The send record as a window shows it: newest first, a page at a time, and kept current while sends run.

Rows are ordered by message id, newest first, not by their time: a message's time changes when it is sent
(queued, then sent a minute later), and a view ordered by it would have rows jump about under the reader
during a send. Ids only grow, so a page is "the next `limit` older than the last id shown" (a walk down the
primary key, no sort), new messages only ever appear above the newest one shown, and a row once shown keeps
its place. The period and the filters are the same as the export's (records.query), so exporting what the
window shows gives the same messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, union_all
from sqlalchemy.orm import Session

from smsjingling.records.period import Period
from smsjingling.records.query import RecordFilter, RecordRow, select_rows
from smsjingling.storage.sending import Campaign, CampaignCount, Channel, Message, MessageEvent, MessageStatus

PAGE = 200
# A status or channel with more messages than this is read by walking the key rather than its index.
COMMON = 5000


def older(
    session: Session,
    period: Period,
    filt: RecordFilter | None = None,
    *,
    below_id: int | None = None,
    limit: int = PAGE,
) -> list[RecordRow]:
    """Up to `limit` messages, newest first, all older than `below_id` (None: from the newest)."""
    return _newest(session, period, filt, [] if below_id is None else [Message.id < below_id], limit)


def _newest(
    session: Session, period: Period, filt: RecordFilter | None, extra: list[ColumnElement[bool]], limit: int
) -> list[RecordRow]:
    """The newest `limit` matching rows, read so that the database never sorts a whole campaign or status.

    A plain walk down the primary key stops after `limit` matches; but given `campaign_id = ?` or
    `status = ?`, SQLite prefers that column's index and then sorts every row it finds (a 100,000-message
    campaign: a second a page). So a campaign is read per status, each part a walk along the
    (campaign_id, status, id) index that stops after `limit`, and the parts merged; a status or channel
    filter that finds many messages is read by walking the key, where matches come quickly.
    """
    if filt is not None and filt.campaign_id is not None:
        # Only the statuses the campaign has messages in (its counters say, without reading messages).
        present = set(
            session.execute(
                select(CampaignCount.status)
                .where(CampaignCount.campaign_id == filt.campaign_id)
                .group_by(CampaignCount.status)
                .having(func.sum(CampaignCount.count) > 0)  # the sum of the shards
            ).scalars()
        )
        statuses = [st for st in (filt.statuses or tuple(s.value for s in MessageStatus)) if st in present]
        if not statuses:
            return []
        parts = [
            select_rows(period, replace(filt, statuses=(status,)))
            .where(*extra)
            .order_by(Message.id.desc())
            .limit(limit)
            .subquery()
            for status in statuses
        ]
        merged = union_all(*(select(*part.c) for part in parts)).subquery()
        stmt = select(*merged.c).order_by(merged.c[0].desc()).limit(limit)
        return [RecordRow(*row) for row in session.execute(stmt)]
    if filt is not None and (filt.statuses or filt.channel_id is not None) and _common(session, filt):
        # The same conditions written so that no index can serve them (`status || ''`, `channel_id + 0`):
        # the database walks the key and stops after `limit` matches.
        walk = [*extra]
        if filt.statuses:
            walk.append((Message.status + "").in_(filt.statuses))
        if filt.channel_id is not None:
            walk.append((Message.channel_id + 0) == filt.channel_id)
        filt = replace(filt, statuses=(), channel_id=None)
        extra = walk
    stmt = select_rows(period, filt).where(*extra).order_by(Message.id.desc()).limit(limit)
    return [RecordRow(*row) for row in session.execute(stmt)]


def _common(session: Session, filt: RecordFilter) -> bool:
    """Whether the status or channel filter finds many messages over all time (an index count, fast)."""
    where = []
    if filt.statuses:
        where.append(Message.status.in_(filt.statuses))
    if filt.channel_id is not None:
        where.append(Message.channel_id == filt.channel_id)
    found = session.execute(
        select(func.count()).select_from(select(Message.id).where(*where).limit(COMMON + 1).subquery())
    ).scalar_one()
    return found > COMMON


def newer(
    session: Session, period: Period, filt: RecordFilter | None, *, above_id: int, limit: int = PAGE
) -> list[RecordRow]:
    """Up to `limit` messages newer than `above_id`, newest first. When there are more than `limit`, the
    caller cannot put them above what it shows without a gap, and starts again from the top instead."""
    return _newest(session, period, filt, [Message.id > above_id], limit)


def current(session: Session, period: Period, filt: RecordFilter | None, ids: Sequence[int]) -> list[RecordRow]:
    """The messages among `ids` as they are now, if they still match the period and filter (a status filter
    drops a message once it has moved on); in no particular order."""
    found: list[RecordRow] = []
    wanted = list(dict.fromkeys(ids))
    for start in range(0, len(wanted), 500):  # bounded IN lists: some databases cap the parameters
        chunk = wanted[start : start + 500]
        found += [RecordRow(*row) for row in session.execute(select_rows(period, filt).where(Message.id.in_(chunk)))]
    return found


@dataclass(frozen=True, slots=True)
class Changes:
    """Messages whose status changed after a point in the record's change feed (MessageEvent ids, which only
    grow: every status change writes one, delivery reports and other desktops' sends included)."""

    last: int  # the feed's position after these: ask again from here
    ids: tuple[int, ...]
    more: bool  # more changes than were read: the caller should read everything again


def change_mark(session: Session) -> int:
    """The feed's current position: read it in the same transaction as the rows it goes with."""
    return session.execute(select(func.coalesce(func.max(MessageEvent.id), 0))).scalar_one()


def changed_since(session: Session, after: int, limit: int = 5000) -> Changes:
    rows = session.execute(
        select(MessageEvent.id, MessageEvent.message_id)
        .where(MessageEvent.id > after)
        .order_by(MessageEvent.id)
        .limit(limit + 1)
    ).all()
    if len(rows) > limit:
        return Changes(rows[limit - 1][0], tuple(dict.fromkeys(m for _, m in rows[:limit])), True)
    return Changes(rows[-1][0] if rows else after, tuple(dict.fromkeys(m for _, m in rows)), False)


@dataclass(frozen=True, slots=True)
class Choice:
    """A campaign or channel to filter by."""

    id: int
    name: str
    at: datetime | None = None  # a campaign's creation time


def campaign_choices(session: Session, limit: int = 300) -> list[Choice]:
    """The most recent campaigns that have messages (a recurring template has none of its own), newest first."""
    has_messages = select(Message.id).where(Message.campaign_id == Campaign.id).exists()
    rows = session.execute(
        select(Campaign.id, Campaign.name, Campaign.created_at)
        .where(has_messages)
        .order_by(Campaign.id.desc())
        .limit(limit)
    )
    return [Choice(cid, name, at) for cid, name, at in rows]


def channel_choices(session: Session) -> list[Choice]:
    return [Choice(cid, name) for cid, name in session.execute(select(Channel.id, Channel.name).order_by(Channel.id))]
