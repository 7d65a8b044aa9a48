"""The figures the window's status bar and tray show at a glance: queue, schedules, channels, balance.

One short read of the database, plus what the running dispatcher knows about each channel (its state, and the
signal the modem last reported), so the GUI never asks a modem itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from smsjingling.storage.accounts import Account
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Campaign, CampaignStatus, Channel, Message, MessageStatus
from smsjingling.storage.types import utcnow

if TYPE_CHECKING:  # the window reads the overview before the sending stack is loaded (ui.context)
    from smsjingling.sending.dispatcher import Dispatcher


@dataclass(frozen=True)
class ChannelHealth:
    id: int
    name: str
    kind: str  # "modem" or "gateway"
    enabled: bool
    simulated: bool
    sent_today: int
    daily_cap: int  # 0: no cap
    state: str  # the worker's state ("idle", "sending", "resting"…), "stopped" when not running
    bars: int | None  # 0–5, when the modem reported its signal


@dataclass(frozen=True)
class Overview:
    waiting: int  # messages queued or in flight
    scheduled: int  # campaigns waiting for their time (recurring ones included)
    active: int  # campaigns running or paused
    channels: tuple[ChannelHealth, ...]
    balance_fen: int | None  # None: no prepaid account
    available_fen: int | None
    low_balance: bool

    @property
    def pending(self) -> bool:
        """Work that would stop if the program quit now."""
        return bool(self.waiting or self.scheduled or self.active)


def overview(db: Database, dispatcher: Dispatcher | None = None, *, now: datetime | None = None) -> Overview:
    now = now or utcnow()
    day_start = now - timedelta(hours=24)
    live = {w.channel_id: w for w in dispatcher.workers} if dispatcher is not None else {}
    with db.reader() as s:
        waiting = s.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.status.in_((MessageStatus.QUEUED, MessageStatus.SENDING)))
        )
        by_status = dict(
            s.execute(
                select(Campaign.status, func.count())
                .where(Campaign.status.in_((CampaignStatus.SCHEDULED, CampaignStatus.RUNNING, CampaignStatus.PAUSED)))
                .group_by(Campaign.status)
            ).all()
        )
        sent_today = dict(
            s.execute(
                select(Message.channel_id, func.count())
                .where(Message.sent_at >= day_start, Message.channel_id.is_not(None))
                .group_by(Message.channel_id)
            ).all()
        )
        channels = []
        for channel in s.scalars(select(Channel).order_by(Channel.id)):
            worker = live.get(channel.id)
            bars = getattr(getattr(worker, "link", None), "last_bars", None) if worker is not None else None
            channels.append(
                ChannelHealth(
                    id=channel.id,
                    name=channel.name,
                    kind=channel.kind,
                    enabled=channel.enabled,
                    simulated=bool((channel.config or {}).get("demo")),
                    sent_today=sent_today.get(channel.id, 0),
                    daily_cap=channel.daily_cap,
                    state=str(worker.state) if worker is not None else "stopped",
                    bars=bars,
                )
            )
        accounts = s.execute(select(func.sum(Account.balance_fen), func.sum(Account.held_fen))).one()
    balance, held = accounts
    return Overview(
        waiting=waiting or 0,
        scheduled=by_status.get(CampaignStatus.SCHEDULED, 0),
        active=by_status.get(CampaignStatus.RUNNING, 0) + by_status.get(CampaignStatus.PAUSED, 0),
        channels=tuple(channels),
        balance_fen=balance,
        available_fen=None if balance is None else balance - (held or 0),
        low_balance=_low(db) if balance is not None else False,
    )


def _low(db: Database) -> bool:
    with db.reader() as s:
        for account in s.scalars(select(Account)):
            if account.low_balance_fen and account.balance_fen - account.held_fen < account.low_balance_fen:
                return True
    return False
