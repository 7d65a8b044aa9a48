"""The inbox: received messages as the GUI and the CLI show them, newest first, and their read flags."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, aliased

from smsjingling import messages
from smsjingling.errors import NotFoundError
from smsjingling.storage.database import Database
from smsjingling.storage.models import Contact, OptOut
from smsjingling.storage.sending import Campaign, InboundMessage

messages.register({"replies.not_found": ("找不到收到的短信（编号 {id}）。", "No received message with id {id}.")})


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One received message, with the names a person reads instead of ids."""

    id: int
    sender: str  # E.164 for phone numbers, else as received (10086, an alphanumeric sender)
    contact_name: str  # "" when the sender is not in the book
    text: str
    received_at: datetime
    campaign_name: str  # "" when the reply answers no campaign we know of
    opted_out: bool  # this reply asked to unsubscribe: the sender was put on the opt-out list (or was on it)
    complete: bool  # False: parts of a long message never came; the text is what did
    read: bool
    contact_id: int | None = None
    campaign_id: int | None = None
    channel_id: int | None = None
    on_optout_list: bool = False  # the sender is on the opt-out list now (for any reason)


@dataclass(frozen=True)
class InboxQuery:
    unread: bool = False  # only messages not marked read
    campaign_id: int | None = None  # only replies to this campaign


# The contact matched when the reply was stored; failing that, whoever has the number in the book now.
_matched = aliased(Contact)
_by_phone = aliased(Contact)


def _filtered(stmt: Select, query: InboxQuery) -> Select:
    if query.unread:
        stmt = stmt.where(InboundMessage.read.is_(False))
    if query.campaign_id is not None:
        stmt = stmt.where(InboundMessage.campaign_id == query.campaign_id)
    return stmt


def _select() -> Select:
    return (
        select(InboundMessage, _matched.name, _by_phone.name, Campaign.name, OptOut.id)
        .outerjoin(_matched, _matched.id == InboundMessage.contact_id)
        .outerjoin(_by_phone, _by_phone.phone == InboundMessage.sender)
        .outerjoin(Campaign, Campaign.id == InboundMessage.campaign_id)
        .outerjoin(OptOut, OptOut.phone == InboundMessage.sender)
    )


def _item(
    row: InboundMessage, matched: str | None, by_phone: str | None, campaign: str | None, optout_id: int | None
) -> InboxItem:
    return InboxItem(
        id=row.id,
        sender=row.sender,
        contact_name=matched or by_phone or "",
        text=row.text,
        received_at=row.received_at,
        campaign_name=campaign or "",
        opted_out=row.opted_out,
        complete=row.complete,
        read=row.read,
        contact_id=row.contact_id,
        campaign_id=row.campaign_id,
        channel_id=row.channel_id,
        on_optout_list=optout_id is not None,
    )


def list_inbox(
    session: Session, query: InboxQuery = InboxQuery(), *, limit: int = 50, offset: int = 0
) -> list[InboxItem]:
    stmt = _filtered(_select(), query).order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
    return [_item(*row) for row in session.execute(stmt.limit(limit).offset(offset))]


def count_inbox(session: Session, query: InboxQuery = InboxQuery()) -> int:
    return session.execute(_filtered(select(func.count(InboundMessage.id)), query)).scalar_one()


def get_item(session: Session, inbound_id: int) -> InboxItem:
    row = session.execute(_select().where(InboundMessage.id == inbound_id)).first()
    if row is None:
        raise NotFoundError("replies.not_found", id=inbound_id)
    return _item(*row)


def mark_read(session: Session, inbound_ids: Sequence[int], read: bool = True) -> int:
    """Set the read flag; returns how many messages changed. An unknown id raises NotFoundError."""
    ids = list(dict.fromkeys(inbound_ids))
    found = set(session.execute(select(InboundMessage.id).where(InboundMessage.id.in_(ids))).scalars())
    for missing in ids:
        if missing not in found:
            raise NotFoundError("replies.not_found", id=missing)
    return session.execute(
        update(InboundMessage).where(InboundMessage.id.in_(ids), InboundMessage.read != read).values(read=read)
    ).rowcount


class Inbox:
    """The inbox on a database; each method is its own short transaction (safe from any thread)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def items(
        self, *, unread: bool = False, campaign_id: int | None = None, limit: int = 50, offset: int = 0
    ) -> list[InboxItem]:
        """Newest first, `limit` from `offset` on."""
        with self.db.reader() as s:
            return list_inbox(s, InboxQuery(unread, campaign_id), limit=limit, offset=offset)

    def count(self, *, unread: bool = False, campaign_id: int | None = None) -> int:
        with self.db.reader() as s:
            return count_inbox(s, InboxQuery(unread, campaign_id))

    def count_unread(self) -> int:
        return self.count(unread=True)

    def get(self, inbound_id: int) -> InboxItem:
        with self.db.reader() as s:
            return get_item(s, inbound_id)

    def mark_read(self, inbound_ids: Sequence[int], read: bool = True) -> int:
        with self.db.session() as s:
            return mark_read(s, inbound_ids, read)
