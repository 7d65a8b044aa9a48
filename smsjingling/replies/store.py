"""Storing a received message: once, matched to its contact and campaign, and acted on if it unsubscribes.

Modems hand stored messages over again after a restart (what was on the SIM when the program stopped), and a
callback that failed leaves its message on the SIM for the next scan. So a message is identified by its
channel, sender, text and time (the service centre's time stamp, which a re-delivery carries unchanged),
and storing it again returns the row stored the first time and changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from smsjingling.replies.matching import match_reply
from smsjingling.replies.senders import normalize_sender
from smsjingling.replies.unsubscribe import UnsubscribeRule, opt_out_by_reply, rule_from_settings
from smsjingling.storage.sending import InboundMessage


def find_inbound(
    session: Session, *, channel_id: int | None, sender: str, text: str, received_at: datetime
) -> InboundMessage | None:
    """The row already stored for this message, if any (`sender` as received; it is normalised here)."""
    _check_aware(received_at)
    return session.execute(
        select(InboundMessage)
        .where(
            InboundMessage.sender == normalize_sender(sender).text,
            InboundMessage.received_at == received_at,
            InboundMessage.channel_id == channel_id,  # IS NULL when None
            InboundMessage.text == text,
        )
        .order_by(InboundMessage.id)
        .limit(1)
    ).scalar()


def store_inbound(
    session: Session,
    *,
    channel_id: int | None,
    sender: str,
    text: str,
    received_at: datetime,
    complete: bool,
    window: timedelta | None = None,
    rule: UnsubscribeRule | None = None,
    actor: str | None = None,
) -> InboundMessage:
    """Store one received message in the caller's transaction and return its row.

    The sender is normalised (see senders.py), the contact and the campaign answered are matched (see
    matching.py), and an unsubscribe reply from a phone number puts it on the opt-out list (see
    unsubscribe.py); then `opted_out` is set on the row, also when the number was on the list already.
    `window` and `rule` default to the settings; `actor` is who the audit log names for an opt-out
    (default: the account the program runs under). Idempotent: the same message again returns the first
    row, with nothing matched, flagged or opted out a second time.
    """
    existing = find_inbound(session, channel_id=channel_id, sender=sender, text=text, received_at=received_at)
    if existing is not None:
        return existing
    who = normalize_sender(sender)
    match = match_reply(session, who, received_at, channel_id, window)
    row = InboundMessage(
        channel_id=channel_id,
        sender=who.text,
        text=text,
        complete=complete,
        received_at=received_at,
        contact_id=match.contact_id,
        campaign_id=match.campaign_id,
    )
    session.add(row)
    session.flush()
    if rule is None:
        rule = rule_from_settings(session)
    # A number that is no phone (10086, an alphanumeric sender) cannot be sent to, so it is never listed.
    if who.is_phone and rule.matches(text):
        assert who.e164 is not None
        opt_out_by_reply(session, who.e164, note=text, source_message_id=row.id, actor=actor)
        row.opted_out = True
        session.flush()
    return row


def _check_aware(at: datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("received_at must be an aware datetime (the modem's time stamps are)")
