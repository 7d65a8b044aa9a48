"""Replies threaded by who sent them: one conversation per contact (or, for a sender not in the book, per
number), holding their replies and the messages we sent them, in time order, as a chat shows them.

Which conversation a reply belongs to: the contact matched when it was stored; failing that, whoever has the
sender's number in the book now (a reply stored before its sender was added joins their conversation); else
the sender itself. The messages we sent are those to the conversation's numbers (and, for a contact, those
addressed to them by id, so a number changed since keeps its history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select, update
from sqlalchemy.orm import Session, aliased

from smsjingling import messages
from smsjingling.errors import NotFoundError
from smsjingling.replies.senders import normalize_sender
from smsjingling.storage.database import Database
from smsjingling.storage.models import Contact, OptOut
from smsjingling.storage.sending import Campaign, Channel, InboundMessage, Message

messages.register(
    {
        "replies.optout.td_reply": ("回复退订", "Replied to unsubscribe"),
        "replies.optout.manual": ("手工加入", "Added by hand"),
        "replies.optout.complaint": ("投诉", "A complaint"),
        "replies.no_conversation": ("找不到这个会话（联系人编号 {id}）。", "No such conversation (contact {id})."),
    }
)

THREAD_LIMIT = 300  # the most recent messages of a conversation shown; older ones stay in the record


def optout_reason_text(reason: str, lang: str | None = None) -> str:
    key = f"replies.optout.{reason}"
    return messages.text(key, lang) if key in messages.CATALOGUE else reason


@dataclass(frozen=True, slots=True)
class ConversationKey:
    """A contact, or (when the sender is not in the book) the sender as stored."""

    contact_id: int | None
    sender: str = ""


@dataclass(frozen=True, slots=True)
class Conversation:
    key: ConversationKey
    name: str  # the contact's name; "" for a sender not in the book
    phone: str  # the contact's number, else the sender
    last_at: datetime  # the latest reply
    last_text: str
    replies: int
    unread: int
    opted_out: bool  # the number is on the opt-out list now


@dataclass(frozen=True, slots=True)
class ThreadItem:
    incoming: bool  # a reply; else a message we sent
    id: int  # InboundMessage.id or Message.id
    at: datetime  # received; or sent, else queued
    text: str
    campaign_id: int | None
    campaign: str
    channel: str
    # a reply:
    read: bool = True
    complete: bool = True
    unsubscribed: bool = False  # this reply asked to stop
    # a message we sent:
    status: str = ""
    reason: str = ""
    error: str = ""


@dataclass(frozen=True, slots=True)
class OptOutState:
    reason: str  # OptOutReason value
    at: datetime
    note: str
    source_message_id: int | None  # the reply that caused it


@dataclass(frozen=True, slots=True)
class Thread:
    key: ConversationKey
    name: str
    phone: str
    items: tuple[ThreadItem, ...]  # oldest first
    truncated: bool  # older messages exist than the THREAD_LIMIT shown
    optout: OptOutState | None  # the number's entry on the opt-out list


@dataclass(frozen=True)
class ConversationQuery:
    unread: bool = False  # only conversations with an unread reply
    text: str = ""  # part of the name or the number


_by_phone = aliased(Contact)
_who = func.coalesce(InboundMessage.contact_id, _by_phone.id)


def _grouped(query: ConversationQuery) -> Select:
    """Per conversation: its contact (or None) and sender, the latest reply's id, counts."""
    # One row per reply with its conversation's key; the sender only counts where there is no contact.
    keyed = (
        select(
            InboundMessage.id.label("id"),
            _who.label("contact_id"),
            case((_who.is_(None), InboundMessage.sender), else_=literal("")).label("sender"),
            InboundMessage.received_at.label("at"),
            case((InboundMessage.read.is_(False), 1), else_=0).label("unread"),
        )
        .outerjoin(_by_phone, _by_phone.phone == InboundMessage.sender)
        .subquery()
    )
    ranked = select(
        keyed,
        func.row_number()
        .over(partition_by=(keyed.c.contact_id, keyed.c.sender), order_by=(keyed.c.at.desc(), keyed.c.id.desc()))
        .label("rank"),
        func.count().over(partition_by=(keyed.c.contact_id, keyed.c.sender)).label("replies"),
        func.sum(keyed.c.unread).over(partition_by=(keyed.c.contact_id, keyed.c.sender)).label("unread_count"),
    ).subquery()
    contact = aliased(Contact)
    stmt = (
        select(
            ranked.c.contact_id,
            ranked.c.sender,
            func.coalesce(contact.name, ""),
            func.coalesce(contact.phone, ranked.c.sender),
            ranked.c.at,
            InboundMessage.text,
            ranked.c.replies,
            ranked.c.unread_count,
            OptOut.id,
        )
        .join(InboundMessage, InboundMessage.id == ranked.c.id)
        .outerjoin(contact, contact.id == ranked.c.contact_id)
        .outerjoin(OptOut, OptOut.phone == func.coalesce(contact.phone, ranked.c.sender))
        .where(ranked.c.rank == 1)
    )
    if query.unread:
        stmt = stmt.where(ranked.c.unread_count > 0)
    text = query.text.strip()
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        found: list[ColumnElement[bool]] = [contact.name.contains(text, autoescape=True)]
        found.append(ranked.c.sender.contains(text, autoescape=True))
        if digits:
            found.append(contact.phone.contains(digits, autoescape=True))
            found.append(ranked.c.sender.contains(digits, autoescape=True))
        stmt = stmt.where(or_(*found))
    return stmt


def conversations(
    session: Session, query: ConversationQuery = ConversationQuery(), *, limit: int = 200, offset: int = 0
) -> list[Conversation]:
    """Conversations with at least one reply, the latest reply first."""
    stmt = _grouped(query)
    cols = stmt.selected_columns
    rows = session.execute(stmt.order_by(cols[4].desc(), cols[0], cols[1]).limit(limit).offset(offset))
    return [
        Conversation(
            key=ConversationKey(contact_id, sender if contact_id is None else ""),
            name=name,
            phone=phone,
            last_at=at,
            last_text=text,
            replies=replies,
            unread=int(unread or 0),
            opted_out=optout_id is not None,
        )
        for contact_id, sender, name, phone, at, text, replies, unread, optout_id in rows
    ]


def count_conversations(session: Session, query: ConversationQuery = ConversationQuery()) -> int:
    return session.execute(select(func.count()).select_from(_grouped(query).subquery())).scalar_one()


def _numbers(phone: str) -> tuple[str, ...]:
    """The values Message.phone / InboundMessage.sender may hold for this number."""
    return normalize_sender(phone).keys if phone else ()


def thread(session: Session, key: ConversationKey, *, limit: int = THREAD_LIMIT) -> Thread:
    """A conversation's replies and our messages to them, oldest first (the most recent `limit`)."""
    if key.contact_id is not None:
        contact = session.get(Contact, key.contact_id)
        if contact is None:
            raise NotFoundError("replies.no_conversation", id=key.contact_id)
        name, phone = contact.name, contact.phone
        numbers = _numbers(phone)
        sent_where = or_(Message.contact_id == key.contact_id, Message.phone.in_(numbers))
    else:
        name, phone = "", key.sender
        numbers = _numbers(key.sender)
        sent_where = Message.phone.in_(numbers)
    channels: dict[int, str] = {cid: name for cid, name in session.execute(select(Channel.id, Channel.name))}
    replies = [
        ThreadItem(
            incoming=True,
            id=row.id,
            at=row.received_at,
            text=row.text,
            campaign_id=row.campaign_id,
            campaign=campaign or "",
            channel=channels.get(row.channel_id, "") if row.channel_id else "",
            read=row.read,
            complete=row.complete,
            unsubscribed=row.opted_out,
        )
        for row, campaign in session.execute(
            select(InboundMessage, Campaign.name)
            .outerjoin(_by_phone, _by_phone.phone == InboundMessage.sender)
            .outerjoin(Campaign, Campaign.id == InboundMessage.campaign_id)
            .where(_replies_of(key))
            .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
            .limit(limit + 1)
        )
    ]
    at = func.coalesce(Message.sent_at, Message.created_at)
    sent = [
        ThreadItem(
            incoming=False,
            id=mid,
            at=when,
            text=text,
            campaign_id=campaign_id,
            campaign=campaign or "",
            channel=channels.get(channel_id, "") if channel_id else "",
            status=status,
            reason=reason,
            error=error,
        )
        for mid, when, text, campaign_id, campaign, channel_id, status, reason, error in session.execute(
            select(
                Message.id,
                at,
                Message.text,
                Message.campaign_id,
                Campaign.name,
                Message.channel_id,
                Message.status,
                Message.reason,
                Message.error,
            )
            .join(Campaign, Campaign.id == Message.campaign_id)
            .where(sent_where)
            .order_by(at.desc(), Message.id.desc())
            .limit(limit + 1)
        )
    ]
    # Newest `limit` of both together, then oldest first as a chat reads.
    merged = sorted(replies + sent, key=lambda item: (item.at, item.incoming, item.id), reverse=True)
    truncated = len(merged) > limit
    items = tuple(reversed(merged[:limit]))
    entry = session.execute(select(OptOut).where(OptOut.phone.in_(numbers or (phone,)))).scalars().first()
    optout = (
        OptOutState(entry.reason, entry.created_at, entry.note, entry.source_message_id) if entry is not None else None
    )
    return Thread(key, name, phone, items, truncated, optout)


def _replies_of(key: ConversationKey) -> ColumnElement[bool]:
    """The replies of a conversation, exactly as `conversations` groups them (needs the `_by_phone` join)."""
    if key.contact_id is not None:
        return _who == key.contact_id
    return and_(_who.is_(None), InboundMessage.sender == key.sender)


def mark_thread_read(session: Session, key: ConversationKey) -> list[int]:
    """Mark every unread reply of the conversation read; returns their ids."""
    ids = list(
        session.execute(
            select(InboundMessage.id)
            .outerjoin(_by_phone, _by_phone.phone == InboundMessage.sender)
            .where(_replies_of(key), InboundMessage.read.is_(False))
        ).scalars()
    )
    if ids:
        session.execute(update(InboundMessage).where(InboundMessage.id.in_(ids)).values(read=True))
    return ids


def mark_all_read(session: Session) -> int:
    """Mark every unread reply read; returns how many."""
    return session.execute(update(InboundMessage).where(InboundMessage.read.is_(False)).values(read=True)).rowcount


class Conversations:
    """The threaded inbox on a database; each method its own short transaction (safe from any thread)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def list(
        self, query: ConversationQuery = ConversationQuery(), *, limit: int = 200, offset: int = 0
    ) -> list[Conversation]:
        with self.db.reader() as s:
            return conversations(s, query, limit=limit, offset=offset)

    def count(self, query: ConversationQuery = ConversationQuery()) -> int:
        with self.db.reader() as s:
            return count_conversations(s, query)

    def thread(self, key: ConversationKey, *, limit: int = THREAD_LIMIT) -> Thread:
        with self.db.reader() as s:
            return thread(s, key, limit=limit)

    def mark_read(self, key: ConversationKey) -> list[int]:
        with self.db.session() as s:
            return mark_thread_read(s, key)

    def mark_all_read(self) -> int:
        with self.db.session() as s:
            return mark_all_read(s)
