"""Which contact a reply is from, and which campaign it answers.

The campaign is the one of the most recent message sent to the sender's number before the reply arrived,
within `replies.campaign_window_days` (default 7): a reply a month later is about nothing we sent. Among
those, a message sent by the channel the reply came in on wins, since people answer the number that wrote
to them (with a modem pool, another SIM may have written to the same person since).

The reply's time is the service centre's time stamp: whole seconds, from the network's clock. A message sent
before it wins; one sent up to CLOCK_SKEW after it is taken only when nothing earlier is in the window, so a
reply to yesterday's message is never pulled onto a campaign sent a minute later, yet the answer to a message
sent a second ago (whose time stamp was cut to the second, or whose network clock lags this PC's) is matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, literal, select
from sqlalchemy.orm import Session

from smsjingling.replies.config import read_setting
from smsjingling.replies.senders import Sender
from smsjingling.settings import Setting, declare
from smsjingling.storage.models import Contact
from smsjingling.storage.sending import Message

CLOCK_SKEW = timedelta(minutes=5)

CAMPAIGN_WINDOW_DAYS = declare(
    Setting(
        "replies.campaign_window_days",
        int,
        7,
        "回复归属：最多追溯几天内发出的短信",
        "Match a reply to messages sent at most this many days before it",
        lambda v: None if v > 0 else "must be > 0 / 必须大于 0",
    )
)


@dataclass(frozen=True, slots=True)
class Match:
    contact_id: int | None
    campaign_id: int | None
    message_id: int | None  # the message the reply answers


def match_reply(
    session: Session,
    sender: Sender,
    received_at: datetime,
    channel_id: int | None,
    window: timedelta | None = None,
) -> Match:
    """The contact (by phone; else the one the answered message went to) and the campaign answered."""
    if window is None:
        window = timedelta(days=read_setting(session, CAMPAIGN_WINDOW_DAYS))
    keys = sender.keys
    before = case((Message.sent_at <= received_at, 1), else_=0)
    same_channel = case((Message.channel_id == channel_id, 1), else_=0) if channel_id is not None else literal(0)
    answered = session.execute(
        select(Message.id, Message.campaign_id, Message.contact_id)
        .where(
            Message.phone.in_(keys),
            Message.sent_at.is_not(None),
            Message.sent_at <= received_at + CLOCK_SKEW,
            Message.sent_at >= received_at - window,
        )
        .order_by(before.desc(), same_channel.desc(), Message.sent_at.desc(), Message.id.desc())
        .limit(1)
    ).first()
    contact_id = session.execute(select(Contact.id).where(Contact.phone.in_(keys)).limit(1)).scalar()
    if answered is None:
        return Match(contact_id, None, None)
    # A contact whose number changed since keeps the reply: it came from the number we wrote to them at.
    return Match(contact_id if contact_id is not None else answered.contact_id, answered.campaign_id, answered.id)
