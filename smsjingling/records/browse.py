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
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from smsjingling.records.period import Period
from smsjingling.records.query import RecordFilter, RecordRow, select_rows
from smsjingling.storage.sending import Campaign, Channel, Message

PAGE = 200


def older(
    session: Session,
    period: Period,
    filt: RecordFilter | None = None,
    *,
    below_id: int | None = None,
    limit: int = PAGE,
) -> list[RecordRow]:
    """Up to `limit` messages, newest first, all older than `below_id` (None: from the newest)."""
    stmt = select_rows(period, filt)
    if below_id is not None:
        stmt = stmt.where(Message.id < below_id)
    return [RecordRow(*row) for row in session.execute(stmt.order_by(Message.id.desc()).limit(limit))]


def newer(
    session: Session, period: Period, filt: RecordFilter | None, *, above_id: int, limit: int = PAGE
) -> list[RecordRow]:
    """Up to `limit` messages newer than `above_id`, newest first. When there are more than `limit`, the
    caller cannot put them above what it shows without a gap, and starts again from the top instead."""
    stmt = select_rows(period, filt).where(Message.id > above_id)
    return [RecordRow(*row) for row in session.execute(stmt.order_by(Message.id.desc()).limit(limit))]


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
