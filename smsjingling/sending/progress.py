"""How sends are going, for a window that watches them: recent campaigns with their counters, and a
campaign's messages read a page at a time.

Everything here only reads, in short transactions, and hands out plain records (no ORM objects), so a view
can refresh it every second during a 100,000-message send without slowing the dispatcher. The counters come
from campaign_counts (kept equal to the messages by `record.move`), never from counting messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from smsjingling.sending import record
from smsjingling.storage.database import Database
from smsjingling.storage.models import Contact
from smsjingling.storage.sending import Campaign, CampaignCount, CampaignStatus, Channel, Message, MessageStatus

# Statuses a campaign can still change from by itself or by an operator's pause/resume.
ACTIVE = frozenset({CampaignStatus.RUNNING, CampaignStatus.PAUSED, CampaignStatus.SCHEDULED})
PAGE = 200


@dataclass(frozen=True, slots=True)
class CampaignProgress:
    id: int
    name: str
    kind: str
    status: str  # a CampaignStatus value
    channel_policy: str
    created_at: datetime
    start_at: datetime | None
    finished_at: datetime | None
    recurrence: str
    counts: dict[MessageStatus, int]  # every status present

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def waiting(self) -> int:
        """Queued or in flight: what is still to go out."""
        return self.counts[MessageStatus.QUEUED] + self.counts[MessageStatus.SENDING]

    @property
    def done(self) -> int:
        return self.total - self.waiting

    @property
    def delivered(self) -> int:
        return self.counts[MessageStatus.DELIVERED]

    @property
    def sent(self) -> int:
        """Left the channel (delivered, or awaiting or without a delivery report)."""
        c = self.counts
        return c[MessageStatus.SENT] + c[MessageStatus.DELIVERED] + c[MessageStatus.UNDELIVERED]

    @property
    def failed(self) -> int:
        c = self.counts
        return c[MessageStatus.FAILED] + c[MessageStatus.UNDELIVERED] + c[MessageStatus.UNKNOWN]

    @property
    def not_sent(self) -> int:
        """Never meant to go: skipped, blocked, cancelled."""
        c = self.counts
        return c[MessageStatus.SKIPPED] + c[MessageStatus.BLOCKED] + c[MessageStatus.CANCELLED]

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


@dataclass(frozen=True, slots=True)
class MessageRow:
    id: int
    phone: str  # E.164, or the text as pasted when it was not a number
    name: str  # the contact's name, "" for a pasted number not in the book
    status: str  # a MessageStatus value
    reason: str  # a message key
    error: str  # the channel's own words
    channel: str  # the channel's name, "" before one took it
    attempts: int
    updated_at: datetime


def _campaigns(s: Session, where: Sequence[object], limit: int) -> list[CampaignProgress]:
    rows = s.execute(
        select(
            Campaign.id,
            Campaign.name,
            Campaign.kind,
            Campaign.status,
            Campaign.channel_policy,
            Campaign.created_at,
            Campaign.start_at,
            Campaign.finished_at,
            Campaign.recurrence,
        )
        .where(*where)
        .order_by(Campaign.id.desc())
        .limit(limit)
    ).all()
    ids = [r[0] for r in rows]
    stored: dict[int, dict[str, int]] = {}
    if ids:
        for cid, status, n in s.execute(
            select(CampaignCount.campaign_id, CampaignCount.status, func.sum(CampaignCount.count))
            .where(CampaignCount.campaign_id.in_(ids))
            .group_by(CampaignCount.campaign_id, CampaignCount.status)  # the sum of the shards
        ):
            stored.setdefault(cid, {})[status] = n
    result = []
    for row in rows:
        counts = stored.get(row[0], {})
        result.append(CampaignProgress(*row, counts={st: int(counts.get(st.value, 0)) for st in MessageStatus}))
    return result


def recent_campaigns(db: Database, limit: int = 30) -> list[CampaignProgress]:
    """The newest campaigns, newest first, with every campaign still active however old (a recurring
    schedule set up months ago is still worth seeing)."""
    with db.reader() as s:
        newest = _campaigns(s, [], limit)
        oldest_shown = newest[-1].id if newest else 0
        older_active = _campaigns(
            s, [Campaign.id < oldest_shown, Campaign.status.in_([x.value for x in ACTIVE])], limit
        )
    return newest + older_active


def campaign_progress(db: Database, campaign_id: int) -> CampaignProgress | None:
    with db.reader() as s:
        found = _campaigns(s, [Campaign.id == campaign_id], 1)
    return found[0] if found else None


def _rows(where: Sequence[object]) -> Select:
    return (
        select(
            Message.id,
            Message.phone,
            func.coalesce(Contact.name, ""),
            Message.status,
            Message.reason,
            Message.error,
            func.coalesce(Channel.name, ""),
            Message.attempts,
            Message.updated_at,
        )
        .outerjoin(Contact, Contact.id == Message.contact_id)
        .outerjoin(Channel, Channel.id == Message.channel_id)
        .where(*where)
    )


def first_message_id(db: Database, campaign_id: int) -> int | None:
    """The lowest message id of a campaign (its messages are written in one go, so they are contiguous)."""
    with db.reader() as s:
        return s.execute(select(func.min(Message.id)).where(Message.campaign_id == campaign_id)).scalar()


def message_page(db: Database, campaign_id: int, from_id: int, limit: int = PAGE) -> list[MessageRow]:
    """Up to `limit` messages of a campaign with ids from `from_id` on, in id order (the order of the
    recipients as chosen). Start at `first_message_id`, then at the last row's id + 1."""
    stmt = (
        # "+ 0" keeps the planner off the (campaign_id, status) index, with which SQLite would sort the whole
        # campaign for each page; walking the primary key from `from_id` reads just the page (a campaign's
        # ids are contiguous).
        _rows([Message.id >= from_id, (Message.campaign_id + 0) == campaign_id]).order_by(Message.id).limit(limit)
    )
    with db.reader() as s:
        return [MessageRow(*row) for row in s.execute(stmt)]


def messages_by_id(db: Database, ids: Sequence[int]) -> list[MessageRow]:
    """The current state of the given messages (a view's visible rows), in id order."""
    found: list[MessageRow] = []
    with db.reader() as s:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            found += [MessageRow(*row) for row in s.execute(_rows([Message.id.in_(chunk)]))]
    found.sort(key=lambda r: r.id)
    return found


def counts(db: Database, campaign_id: int) -> dict[MessageStatus, int]:
    with db.reader() as s:
        return record.counts(s, campaign_id)
