"""Shared set-up for the sending tests: campaigns and messages written straight into a real database, and
channel workers on simulated modems."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from sqlalchemy import insert

from modem.sim.port import SimModem
from smsjingling.sending import record
from smsjingling.sending.limits import Limits, SendBudget
from smsjingling.sending.modem_link import ModemLink
from smsjingling.sending.worker import ChannelWorker, Health
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Campaign, CampaignStatus, Channel, Message, MessageStatus
from smsjingling.storage.types import utcnow


def queue_campaign(
    db: Database,
    phones: Iterable[str],
    text: str = "测试通知",
    *,
    kind: str = "notice",
    policy: str = "pool",
    status: CampaignStatus = CampaignStatus.RUNNING,
    carriers: dict[str, str] | None = None,
) -> int:
    phones = list(phones)
    with db.session() as s:
        campaign = Campaign(name="test", template=text, kind=kind, channel_policy=policy, status=status.value)
        s.add(campaign)
        s.flush()
        now = utcnow()
        s.execute(
            insert(Message),
            [
                {
                    "campaign_id": campaign.id,
                    "phone": p,
                    "text": f"{text} {i}",
                    "segments": 1,
                    "due_at": now,
                    "carrier": (carriers or {}).get(p, ""),
                    "created_at": now,
                    "updated_at": now,
                    "status": MessageStatus.QUEUED.value,
                }
                for i, p in enumerate(phones)
            ],
        )
        record.add_new(s, campaign.id, [MessageStatus.QUEUED.value] * len(phones))
        return campaign.id


def add_channel(db: Database, name: str, url: str, *, carrier: str = "") -> int:
    with db.session() as s:
        ch = Channel(kind="modem", name=name, config={"url": url}, carrier=carrier)
        s.add(ch)
        s.flush()
        return ch.id


def modem_worker(
    db: Database,
    sim: SimModem,
    *,
    carrier: str = "",
    limits: Limits | None = None,
    health: Health | None = None,
    depth: int = 4,
) -> ChannelWorker:
    cid = add_channel(db, sim.name, sim.url, carrier=carrier)
    return ChannelWorker(
        cid,
        sim.name,
        ModemLink(sim.url),
        SendBudget(limits or Limits(hourly_cap=0, daily_cap=0)),
        carrier=carrier,
        depth=depth,
        health=health,
    )


def wait_until(predicate: Callable[[], bool], timeout: float = 20.0, step: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(step)
