"""One message in full, for the window's detail view: what it said, to whom, every status it went through
with when and why, and each SMS part the channel took with its reference (a modem's TP-MR, a gateway's id)
and the delivery report that came for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from smsjingling import messages
from smsjingling.errors import NotFoundError
from smsjingling.storage.database import Database
from smsjingling.storage.models import Contact
from smsjingling.storage.sending import Campaign, Channel, Message, MessageEvent, MessagePart

messages.register(
    {"records.no_message": ("找不到这条短信（编号 {id}），可能已被清理。", "No message {id}; it may have been purged.")}
)


@dataclass(frozen=True, slots=True)
class Transition:
    at: datetime
    status: str  # MessageStatus value it moved to
    reason: str  # a message key ("" for an ordinary step)
    detail: str  # the channel's own words, if any
    channel: str  # the channel it happened on, "" if none


@dataclass(frozen=True, slots=True)
class Part:
    number: int  # 1-based
    ref: str  # TP-MR or the gateway's id
    channel: str
    report: str  # "", "delivered", "undelivered"
    reported_at: datetime | None


@dataclass(frozen=True, slots=True)
class MessageDetail:
    id: int
    phone: str
    contact_name: str  # "" when not in the book (or no longer)
    text: str
    encoding: str
    segments: int
    price_fen: int
    status: str
    reason: str
    error: str
    channel: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    done_at: datetime | None
    campaign_id: int
    campaign: str
    sender: str  # who created the campaign
    transitions: tuple[Transition, ...]  # oldest first
    parts: tuple[Part, ...]


def message_detail(session: Session, message_id: int) -> MessageDetail:
    row = session.execute(
        select(Message, Campaign.name, Campaign.created_by, Contact.name)
        .join(Campaign, Campaign.id == Message.campaign_id)
        .outerjoin(Contact, Contact.id == Message.contact_id)
        .where(Message.id == message_id)
    ).first()
    if row is None:
        raise NotFoundError("records.no_message", id=message_id)
    message, campaign, sender, contact = row
    names: dict[int, str] = {cid: name for cid, name in session.execute(select(Channel.id, Channel.name))}
    transitions = tuple(
        Transition(e.at, e.status, e.reason, e.detail, names.get(e.channel_id, "") if e.channel_id else "")
        for e in session.execute(
            select(MessageEvent).where(MessageEvent.message_id == message_id).order_by(MessageEvent.id)
        ).scalars()
    )
    parts = tuple(
        Part(p.part, p.ref, names.get(p.channel_id, "") if p.channel_id else "", p.status, p.reported_at)
        for p in session.execute(
            select(MessagePart).where(MessagePart.message_id == message_id).order_by(MessagePart.part)
        ).scalars()
    )
    return MessageDetail(
        id=message.id,
        phone=message.phone,
        contact_name=contact or "",
        text=message.text,
        encoding=message.encoding,
        segments=message.segments,
        price_fen=message.price_fen,
        status=message.status,
        reason=message.reason,
        error=message.error,
        channel=names.get(message.channel_id, "") if message.channel_id else "",
        attempts=message.attempts,
        created_at=message.created_at,
        sent_at=message.sent_at,
        done_at=message.done_at,
        campaign_id=message.campaign_id,
        campaign=campaign,
        sender=sender,
        transitions=transitions,
        parts=parts,
    )


def load_detail(db: Database, message_id: int) -> MessageDetail:
    with db.reader() as s:
        return message_detail(s, message_id)
