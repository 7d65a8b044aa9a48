"""Which messages belong to a period of the record, read in pages.

A message's time in the record is when it was sent, else when it was created (a message that never went out,
blocked or failed before sending, has only that). Periods select on this same time, so an export for June
holds exactly the rows whose 时间 column says June, and a message queued on 31 May and sent on 1 June is
June's traffic. It never changes once the message is sent, so an export repeated later gives the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from smsjingling.records.period import Period
from smsjingling.storage.sending import Campaign, Channel, Message

PAGE = 5000

# sent_at >= created_at always, so the created_at bound below is implied; stating it lets the database use
# the created_at index to leave out everything newer than the period.
record_time = func.coalesce(Message.sent_at, Message.created_at)


@dataclass(frozen=True)
class RecordFilter:
    campaign_id: int | None = None
    statuses: tuple[str, ...] = ()  # MessageStatus values; empty: every status
    channel_id: int | None = None
    # Part of a number as a person types it ("138 0013", "+86138…"); its digits are looked for in the stored
    # E.164, so the national form, the last digits and the full international form all find the message.
    number: str = ""

    @property
    def number_digits(self) -> str:
        return "".join(ch for ch in self.number if ch.isdigit())

    def describe(self) -> dict[str, object]:
        given = {
            "campaign": self.campaign_id,
            "status": list(self.statuses),
            "channel": self.channel_id,
            "number": self.number_digits,
        }
        return {k: v for k, v in given.items() if v or v == 0}


@dataclass(frozen=True, slots=True)
class RecordRow:
    message_id: int
    at: datetime  # aware UTC: sent, else created
    sent: bool  # whether `at` is the time it was sent
    phone: str
    text: str
    sender: str  # who created the campaign
    channel: str  # the channel's name; "" when it never reached one
    status: str
    reason: str
    error: str
    segments: int
    price_fen: int
    campaign_id: int
    campaign: str


def conditions(period: Period, filt: RecordFilter | None = None) -> list[ColumnElement[bool]]:
    start, end = period.bounds()
    where = [Message.created_at < end, record_time >= start, record_time < end]
    if filt:
        if filt.campaign_id is not None:
            where.append(Message.campaign_id == filt.campaign_id)
        if filt.statuses:
            where.append(Message.status.in_(filt.statuses))
        if filt.channel_id is not None:
            where.append(Message.channel_id == filt.channel_id)
        if filt.number_digits:
            # Digits need no LIKE escaping; "13800138001" and "8613800138001" both lie inside "+8613800138001".
            where.append(Message.phone.like("%" + filt.number_digits + "%"))
    return where


def select_rows(period: Period, filt: RecordFilter | None = None) -> Select:
    """The record's columns for `RecordRow`, filtered, in no particular order (callers order and page)."""
    return (
        select(
            Message.id,
            record_time,
            Message.sent_at.is_not(None),
            Message.phone,
            Message.text,
            Campaign.created_by,
            func.coalesce(Channel.name, ""),
            Message.status,
            Message.reason,
            Message.error,
            Message.segments,
            Message.price_fen,
            Message.campaign_id,
            Campaign.name,
        )
        .join(Campaign, Campaign.id == Message.campaign_id)
        .outerjoin(Channel, Channel.id == Message.channel_id)
        .where(*conditions(period, filt))
    )


def _statement(period: Period, filt: RecordFilter | None) -> Select:
    return select_rows(period, filt).order_by(record_time, Message.id)


def count(session: Session, period: Period, filt: RecordFilter | None = None) -> int:
    return session.execute(select(func.count()).select_from(Message).where(*conditions(period, filt))).scalar_one()


def pages(
    session: Session, period: Period, filt: RecordFilter | None = None, size: int = PAGE
) -> Iterator[list[RecordRow]]:
    """The period's messages in time order, `size` at a time, from one query in the caller's transaction
    (one consistent snapshot; the database streams the rows, so memory holds one page)."""
    result = session.execute(_statement(period, filt).execution_options(yield_per=size))
    for part in result.partitions():
        yield [RecordRow(*row) for row in part]
