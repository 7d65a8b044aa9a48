"""The schedules as listed for review (next send, rule in words, last run, missed times) and the changes a
person may make to them: a new time or rule, and sending one at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from smsjingling.errors import ValidationError
from smsjingling.schedule.editing import reschedule, run_now
from smsjingling.schedule.listing import ScheduleState, get_schedule, list_schedules
from smsjingling.schedule.scheduler import Scheduler
from smsjingling.sending import record
from smsjingling.sending.campaigns import CampaignRequest, Campaigns
from smsjingling.sending.expand import Recipients
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Campaign, CampaignStatus, MessageStatus

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Beijing
TO = Recipients(numbers=("13800138001", "13800138002"))


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(T0 - timedelta(days=1))


@pytest.fixture
def campaigns(db: Database, clock: Clock) -> Campaigns:
    Settings(db).set(SIGNATURE, "测试单位")
    return Campaigns(db, "tester", clock=clock)


def test_waiting_schedules_with_their_next_send_in_words(db: Database, campaigns: Campaigns, clock: Clock) -> None:
    once = campaigns.create(CampaignRequest("停电通知", TO, name="停电", start_at=T0 + timedelta(hours=2)))
    daily = campaigns.create(
        CampaignRequest("每日提醒", TO, name="日报", start_at=T0, recurrence="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
    )
    campaigns.create(CampaignRequest("现在就发", TO))  # not a schedule
    items = list_schedules(db, now=clock.now)
    assert [i.id for i in items] == [daily, once]  # soonest first
    first, second = items
    assert first.next_at == T0 and first.state is ScheduleState.WAITING and first.recurring
    assert first.describe("zh") == "每个工作日 09:00"
    assert first.describe("en") == "Every workday at 09:00"
    assert second.describe("zh") == "2026-11-23 11:00 发送一次"
    assert second.recipients_text("zh") == "2 个号码"
    assert first.editable and first.last_run is None and first.missed == 0


def test_runs_and_missed_times_of_a_recurring_schedule(db: Database, campaigns: Campaigns, clock: Clock) -> None:
    campaigns.create(CampaignRequest("每日提醒", TO, name="日报", start_at=T0, recurrence="FREQ=DAILY"))
    scheduler = Scheduler(campaigns.start)
    # The PC was off for two days: the first two times are missed, the third fires.
    with db.session() as s:
        scheduler.due(s, T0 + timedelta(days=2, minutes=10))
    (item,) = list_schedules(db, now=T0 + timedelta(days=2, minutes=11))
    assert item.missed == 2 and item.last_missed_at == T0 + timedelta(days=1)
    assert item.last_run is not None and item.last_run.at == T0 + timedelta(days=2)
    assert item.last_run.text("zh") == "2026-11-25 09:00 发送中：送达 0/2"
    assert item.next_at == T0 + timedelta(days=3)
    assert item.state is ScheduleState.WAITING


def test_a_missed_one_off_is_shown_for_a_week(db: Database, campaigns: Campaigns) -> None:
    cid = campaigns.create(CampaignRequest("通知", TO, start_at=T0, grace_minutes=30))
    with db.session() as s:
        Scheduler(campaigns.start).due(s, T0 + timedelta(hours=3))
    (item,) = list_schedules(db, now=T0 + timedelta(hours=4))
    assert item.id == cid and item.state is ScheduleState.MISSED and item.missed == 1 and not item.editable
    assert item.state.label("zh") == "已错过"
    assert list_schedules(db, now=T0 + timedelta(days=8)) == []
    assert [i.id for i in list_schedules(db, finished=True, now=T0 + timedelta(days=8))] == [cid]


def test_pause_shows_the_send_it_would_make_and_cancel_ends_it(
    db: Database, campaigns: Campaigns, clock: Clock
) -> None:
    daily = campaigns.create(CampaignRequest("提醒", TO, start_at=T0, recurrence="FREQ=DAILY"))
    campaigns.pause(daily)
    item = get_schedule(db, daily, now=T0 + timedelta(hours=5))
    assert item is not None and item.state is ScheduleState.PAUSED and item.next_at == T0 + timedelta(days=1)
    campaigns.resume(daily)
    campaigns.cancel(daily)
    assert list_schedules(db, now=clock.now) == []
    (ended,) = list_schedules(db, finished=True, now=clock.now)
    assert ended.state is ScheduleState.CANCELLED and ended.next_at is None


def test_reschedule_changes_time_and_rule_and_is_audited(db: Database, campaigns: Campaigns, clock: Clock) -> None:
    cid = campaigns.create(CampaignRequest("通知", TO, start_at=T0))
    reschedule(campaigns, cid, T0 + timedelta(days=1), "FREQ=WEEKLY;BYDAY=TU")
    item = get_schedule(db, cid, now=clock.now)
    assert item is not None and item.recurring and item.describe("zh") == "每周二 09:00"
    assert item.next_at == T0 + timedelta(days=1)
    with db.reader() as s:
        (event,) = s.execute(select(AuditEvent).where(AuditEvent.action == "schedule.change")).scalars()
    assert event.details["to"]["recurrence"] == "FREQ=WEEKLY;BYDAY=TU"
    assert event.details["from"]["recurrence"] == ""
    with pytest.raises(ValidationError) as err:
        reschedule(campaigns, cid, T0, "FREQ=HOURLY")
    assert "太频繁" in err.value.message("zh")
    with pytest.raises(ValidationError):
        reschedule(campaigns, cid, clock.now - timedelta(days=3))  # already past its grace period
    reschedule(campaigns, cid, T0 + timedelta(hours=1))  # back to a one-off
    item = get_schedule(db, cid, now=clock.now)
    assert item is not None and not item.recurring and item.next_at == T0 + timedelta(hours=1)


def test_run_now_starts_a_one_off_at_once(db: Database, campaigns: Campaigns, clock: Clock) -> None:
    queued: list[int] = []
    campaigns.on_queued = queued.append
    cid = campaigns.create(CampaignRequest("通知", TO, start_at=T0))
    campaigns.pause(cid)
    assert run_now(campaigns, cid) == cid
    assert queued == [cid]
    assert campaigns.counts(cid)[MessageStatus.QUEUED] == 2
    with db.reader() as s:
        campaign = s.get(Campaign, cid)
        assert campaign is not None and campaign.status == CampaignStatus.RUNNING and campaign.start_at == clock.now
    with pytest.raises(ValidationError):  # it is sending now: no second run, no new time
        run_now(campaigns, cid)
    with pytest.raises(ValidationError):
        reschedule(campaigns, cid, T0)
    assert list_schedules(db, now=clock.now) == []


def test_run_now_of_a_recurring_schedule_sends_once_more_and_keeps_its_times(
    db: Database, campaigns: Campaigns, clock: Clock
) -> None:
    daily = campaigns.create(CampaignRequest("提醒", TO, name="日报", start_at=T0, recurrence="FREQ=DAILY"))
    extra = run_now(campaigns, daily)
    assert extra != daily and campaigns.counts(extra)[MessageStatus.QUEUED] == 2
    item = get_schedule(db, daily, now=clock.now)
    assert item is not None and item.last_run is not None and item.last_run.campaign_id == extra
    assert item.next_at == T0 and item.state is ScheduleState.WAITING  # the rule's times are untouched
    with db.session() as s:
        due = Scheduler(campaigns.start).due(s, T0 + timedelta(minutes=1))
        assert [c.occurrence_at for c in due.started] == [T0]
        assert record.counts(s, due.started[0].id)[MessageStatus.QUEUED] == 2
