"""The sending service as `smsjingling run` and the GUI use it: channels from the database, schedules fired
(or reported missed) with an injected clock, replies stored and TD replies opting out."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from modem.sim.port import SimModem
from smsjingling.contacts.book import ContactBook
from smsjingling.events import Event
from smsjingling.sending import record
from smsjingling.sending.campaigns import CampaignRequest
from smsjingling.sending.channels import Channels
from smsjingling.sending.expand import Recipients
from smsjingling.sending.service import SendingService
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Campaign, CampaignStatus, MessageStatus
from tests.core.sending_helpers import wait_until

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Beijing


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def sim(db: Database) -> Iterator[SimModem]:
    modem = SimModem(latency=0, sr_delay=0.01)
    Channels(db).add_modem("猫1", modem.url, hourly_cap=0, daily_cap=0)
    Settings(db).set(SIGNATURE, "测试单位")
    yield modem
    modem.remove()


def test_a_scheduled_send_fires_at_its_time(db: Database, sim: SimModem) -> None:
    clock = Clock(T0 - timedelta(hours=1))
    service = SendingService(db, clock=clock, demo_if_empty=False, schedule_seconds=3600)
    cid = service.campaigns.create(
        CampaignRequest("九点开会", Recipients(numbers=("13800138001", "13800138002")), start_at=T0)
    )
    with service:
        service.schedule_tick()
        with db.reader() as s:
            assert s.get(Campaign, cid).status == CampaignStatus.SCHEDULED
        clock.now = T0 + timedelta(minutes=5)
        service.schedule_tick()
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 2)
    assert sorted(sim.sent_texts()) == ["【测试单位】九点开会"] * 2


def test_a_send_missed_beyond_its_grace_is_reported_not_sent(db: Database, sim: SimModem) -> None:
    clock = Clock(T0 - timedelta(hours=1))
    service = SendingService(db, clock=clock, demo_if_empty=False, schedule_seconds=3600)
    cid = service.campaigns.create(
        CampaignRequest("九点开会", Recipients(numbers=("13800138001",)), start_at=T0, grace_minutes=30)
    )
    clock.now = T0 + timedelta(hours=2)  # the PC was off
    with service:
        service.schedule_tick()
        service.schedule_tick()
    with db.reader() as s:
        assert s.get(Campaign, cid).status == CampaignStatus.MISSED
        assert "schedule.missed" in set(s.execute(select(AuditEvent.action)).scalars())
    assert sim.sent == []


def test_daily_send_after_three_days_off_sends_once_and_reports_the_rest(db: Database, sim: SimModem) -> None:
    clock = Clock(T0 - timedelta(minutes=10))
    service = SendingService(db, clock=clock, demo_if_empty=False, schedule_seconds=3600)
    template = service.campaigns.create(
        CampaignRequest(
            "每日提醒", Recipients(numbers=("13800138001",)), start_at=T0, recurrence="FREQ=DAILY", grace_minutes=60
        )
    )
    clock.now = T0 + timedelta(days=2, minutes=20)  # three occurrences passed; the last within its grace
    with service:
        service.schedule_tick()
        service.schedule_tick()  # nothing twice
        wait_until(lambda: len(sim.sent) == 1)
        wait_until(lambda: _statuses(db, template) == ["completed", "missed", "missed"])
    with db.reader() as s:
        children = s.execute(select(Campaign).where(Campaign.parent_id == template)).scalars().all()
        for child in children:
            assert record.counts(s, child.id) == record.recount(s, child.id)


def _statuses(db: Database, template: int) -> list[str]:
    with db.reader() as s:
        return sorted(s.execute(select(Campaign.status).where(Campaign.parent_id == template)).scalars())


def test_td_reply_opts_the_sender_out_and_is_published(db: Database, sim: SimModem) -> None:
    book = ContactBook(db)
    book.add("张三", "13800138001")
    events: list[Event] = []
    service = SendingService(db, demo_if_empty=False, schedule_seconds=3600)
    service.bus.subscribe(events.append, "inbound")
    with service:
        cid = service.campaigns.create(CampaignRequest("通知", Recipients(numbers=("13800138001",))))
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 1)
        sim.inject_sms("+8613800138001", "TD")
        wait_until(lambda: bool(events))
    assert book.is_opted_out(["+8613800138001"]) == {"+8613800138001"}
    item = events[0].data["item"]
    assert item.opted_out and item.contact_name == "张三" and item.campaign_id == cid


def test_stopped_while_starting_it_ends_stopped(db: Database, sim: SimModem) -> None:
    # The window starts the service on a background thread and may stop it (closed at once) from its own.
    for _ in range(5):
        service = SendingService(db, demo_if_empty=False, schedule_seconds=3600)
        starting = threading.Thread(target=service.start)
        starting.start()
        service.stop()
        starting.join(15)
        assert not starting.is_alive()
        running = [t.name for t in threading.enumerate() if t.name in ("scheduler", "dispatcher")]
        assert running == []  # stop waited for the start, then undid it; or the start saw the stop and did nothing
    never_started = SendingService(db, demo_if_empty=False, schedule_seconds=3600)
    never_started.stop()
    never_started.start()  # a start after a stop does nothing
    assert never_started.dispatcher is None
