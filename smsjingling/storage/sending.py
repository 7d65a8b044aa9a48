"""The sending side of the model: campaigns, their messages and every change those go through, channels,
replies and the banned-keyword lists. Schema changes go through the Alembic migrations (0003).

Statuses are stored as the values of the enums below, so a database reads plainly in any SQL tool.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smsjingling.storage.models import Base
from smsjingling.storage.types import utcnow


class CampaignStatus(enum.StrEnum):
    SCHEDULED = "scheduled"  # waiting for its start time (a recurring campaign stays here between runs)
    RUNNING = "running"  # messages are queued or in flight
    PAUSED = "paused"  # an operator paused it; queued messages wait
    COMPLETED = "completed"  # every message reached a final state
    CANCELLED = "cancelled"
    MISSED = "missed"  # its time passed while the program was not running, beyond the grace period


class CampaignKind(enum.StrEnum):
    NOTICE = "notice"  # a work notice: any hour, no unsubscribe suffix needed
    MARKETING = "marketing"  # sent only inside the marketing window, with an unsubscribe suffix


class MessageStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    BLOCKED = "blocked"  # a banned keyword, a cap, no balance
    SKIPPED = "skipped"  # opted out, invalid, landline, no consent, a merge field missing
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"  # in flight when the process died: the operator decides


# States a message never leaves by itself. SENT is final too unless a delivery report comes.
FINAL_STATUSES = frozenset(
    {
        MessageStatus.SENT,
        MessageStatus.DELIVERED,
        MessageStatus.UNDELIVERED,
        MessageStatus.FAILED,
        MessageStatus.BLOCKED,
        MessageStatus.SKIPPED,
        MessageStatus.CANCELLED,
        MessageStatus.UNKNOWN,
    }
)


class ChannelKind(enum.StrEnum):
    MODEM = "modem"
    GATEWAY = "gateway"


class Campaign(Base):
    """One send job. A recurring campaign is a template: each occurrence becomes a child campaign
    (parent_id, occurrence_at), and the unique pair is what makes an occurrence impossible to send twice."""

    __tablename__ = "campaigns"
    __table_args__ = (
        UniqueConstraint("parent_id", "occurrence_at", name="uq_campaigns_parent_id"),
        Index("ix_campaigns_status_start_at", "status", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default=CampaignKind.NOTICE.value)
    template: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(64), default="")
    unsubscribe_suffix: Mapped[str] = mapped_column(String(64), default="")
    # {"groups": [names], "contacts": [ids], "numbers": [text as pasted]}
    recipients: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # "pool", "auto", "gateway" or "channel:<id>"
    channel_policy: Mapped[str] = mapped_column(String(32), default="auto")
    status: Mapped[str] = mapped_column(String(16), default=CampaignStatus.SCHEDULED.value)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    start_at: Mapped[datetime | None] = mapped_column(default=None)  # None: as soon as possible
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # RFC 5545 RRULE text for a recurring template; its children have it empty.
    recurrence: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    grace_minutes: Mapped[int] = mapped_column(default=60)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), default=None)
    occurrence_at: Mapped[datetime | None] = mapped_column(default=None)
    # Words an admin allowed for this send only (each also written to the audit log).
    allowed_words: Mapped[list[str]] = mapped_column(default=list)
    # Planned totals from the expansion, before anything was sent.
    segments: Mapped[int] = mapped_column(default=0)
    price_fen: Mapped[int] = mapped_column(default=0)


class CampaignCount(Base):
    """How many of a campaign's messages are in each status, in shards: the sum over a (campaign, status)'s
    shards is the count. Changed only together with the messages (smsjingling.sending.record.move), so the
    sum always equals the messages; read it with record.counts (or a SUM … GROUP BY), never one row.

    On a server database each connection writes to a shard of its own (migration 0006), so desktops and
    threads that record sends at the same moment do not wait for each other's lock on one counter row. A
    single shard's count may be negative."""

    __tablename__ = "campaign_counts"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    shard: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=0, server_default="0")
    count: Mapped[int] = mapped_column(default=0)


class Channel(Base):
    """A way out: one modem port, or a gateway account. Secrets (PIN, password) live in the keyring."""

    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Modem: {"url": "COM3" or "sim://...", "baudrate": 115200}; gateway: vendor and endpoint.
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enabled: Mapped[bool] = mapped_column(default=True)
    per_minute: Mapped[int] = mapped_column(default=0)  # 0: no rate limit
    hourly_cap: Mapped[int] = mapped_column(default=200)
    daily_cap: Mapped[int] = mapped_column(default=1000)
    # Spacing between two sends, drawn at random from [min, max] seconds, so a SIM does not look like a bot.
    spacing_min_s: Mapped[float] = mapped_column(default=0.0)
    spacing_max_s: Mapped[float] = mapped_column(default=0.0)
    carrier: Mapped[str] = mapped_column(String(8), default="")  # the SIM's carrier, for routing preference
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Message(Base):
    """One recipient of one campaign."""

    __tablename__ = "messages"
    __table_args__ = (
        # The dispatcher's claim: queued messages in due order.
        Index("ix_messages_status_due_at", "status", "due_at"),
        Index("ix_messages_campaign_id_status", "campaign_id", "status"),
        Index("ix_messages_channel_id_sent_at", "channel_id", "sent_at"),
        Index("ix_messages_phone_sent_at", "phone", "sent_at"),
        Index("ix_messages_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), default=None)
    phone: Mapped[str] = mapped_column(String(24))  # E.164, or the text as given when it is not a number
    carrier: Mapped[str] = mapped_column(String(8), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    encoding: Mapped[str] = mapped_column(String(8), default="")
    segments: Mapped[int] = mapped_column(default=0)
    price_fen: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.QUEUED.value)
    reason: Mapped[str] = mapped_column(String(64), default="")  # a message key: why it is in this status
    error: Mapped[str] = mapped_column(Text, default="")  # the channel's own words, for the record
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="SET NULL"), default=None)
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime] = mapped_column(default=utcnow)  # not before; retries move it on
    claimed_by: Mapped[str] = mapped_column(String(100), default="")  # the dispatcher that took it
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    done_at: Mapped[datetime | None] = mapped_column(default=None)  # reached its current final status
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MessageEvent(Base):
    """Every change of a message's status after it was queued, with when and why."""

    __tablename__ = "message_events"
    __table_args__ = (Index("ix_message_events_message_id", "message_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    channel_id: Mapped[int | None] = mapped_column(default=None)


class MessagePart(Base):
    """One SMS of a (possibly multipart) message as the channel took it: its reference (a modem's TP-MR,
    a gateway's id), so a delivery report can be matched to it."""

    __tablename__ = "message_parts"
    __table_args__ = (Index("ix_message_parts_channel_id_ref", "channel_id", "ref"),)

    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True)
    part: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int | None] = mapped_column(default=None)
    ref: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="")  # "", delivered, undelivered
    reported_at: Mapped[datetime | None] = mapped_column(default=None)


class InboundMessage(Base):
    """A message received by a modem or fetched from a gateway, reassembled."""

    __tablename__ = "inbound_messages"
    __table_args__ = (Index("ix_inbound_messages_received_at", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="SET NULL"), default=None)
    sender: Mapped[str] = mapped_column(String(24), index=True)
    text: Mapped[str] = mapped_column(Text)
    complete: Mapped[bool] = mapped_column(default=True)  # False: parts were missing when it timed out
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), default=None)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), default=None)
    opted_out: Mapped[bool] = mapped_column(default=False)
    read: Mapped[bool] = mapped_column(default=False)


class Keyword(Base):
    """A banned word, by category (the nine forbidden kinds of content, and the vendor's own)."""

    __tablename__ = "keywords"
    __table_args__ = (UniqueConstraint("word", "category", name="uq_keywords_word"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(200), default="")  # "default", a file name, or "manual"
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
