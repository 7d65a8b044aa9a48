"""The scheduler over a real SQLite database, with the clock passed in: children per occurrence, missed
times reported and audited, nothing fired twice (not even by two schedulers at once)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smsjingling import audit
from smsjingling.errors import UserError, ValidationError
from smsjingling.schedule import Scheduler, last_handled, missed_notice, schedule_of
from smsjingling.storage.database import Database, open_database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Campaign, CampaignKind, CampaignStatus, Message

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A Shanghai time in June 2024, as UTC."""
    return datetime(2024, 6, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Starter:
    """A stand-in expansion: queues one message for the campaign and moves it to RUNNING, as the real one
    does; records what it was given. `refuse` makes it raise a UserError instead (a cap exceeded)."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.refuse: UserError | None = None
        self.lock = threading.Lock()

    def __call__(self, session: Session, campaign: Campaign) -> None:
        session.add(Message(campaign_id=campaign.id, phone="+8613800138000", text=campaign.template))
        session.flush()
        if self.refuse is not None:
            raise self.refuse
        with self.lock:
            self.calls.append(
                {
                    "id": campaign.id,
                    "parent_id": campaign.parent_id,
                    "occurrence_at": campaign.occurrence_at,
                    "start_at": campaign.start_at,
                    "status": campaign.status,
                    "in_transaction": session.in_transaction(),
                }
            )
        campaign.status = CampaignStatus.RUNNING.value


def add_campaign(db: Database, **fields: Any) -> int:
    values: dict[str, Any] = {
        "name": "周会通知",
        "kind": CampaignKind.NOTICE.value,
        "template": "{姓名}，周一 9:00 开周会。",
        "signature": "【示例单位】",
        "unsubscribe_suffix": "",
        "recipients": {"groups": ["销售部"], "contacts": [7], "numbers": ["13800138000"]},
        "channel_policy": "pool",
        "created_by": "admin",
        "allowed_words": ["开会"],
        "timezone": "Asia/Shanghai",
        "grace_minutes": 60,
        "created_at": at(1, 12),
    }
    values.update(fields)
    with db.session() as s:
        campaign = Campaign(**values)
        s.add(campaign)
        s.flush()
        return campaign.id


def daily_template(db: Database, **fields: Any) -> int:
    return add_campaign(db, **{"start_at": at(3, 9), "recurrence": "FREQ=DAILY", **fields})


def run(db: Database, scheduler: Scheduler, now: datetime | None = None):
    with db.session() as s:
        return scheduler.due(s, now)


def children(db: Database, template_id: int) -> list[Campaign]:
    with db.reader() as s:
        return list(
            s.scalars(select(Campaign).where(Campaign.parent_id == template_id).order_by(Campaign.occurrence_at))
        )


def status_of(db: Database, campaign_id: int) -> str:
    with db.reader() as s:
        return s.scalar(select(Campaign.status).where(Campaign.id == campaign_id))


def missed_events(db: Database) -> list[dict[str, Any]]:
    with db.reader() as s:
        return [e.details for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "schedule.missed"))]


def message_count(db: Database, campaign_id: int | None = None) -> int:
    with db.reader() as s:
        query = select(func.count()).select_from(Message)
        if campaign_id is not None:
            query = query.where(Message.campaign_id == campaign_id)
        return s.scalar(query)


@pytest.fixture
def starter() -> Starter:
    return Starter()


@pytest.fixture
def clock() -> Clock:
    return Clock(at(3, 8))


@pytest.fixture
def scheduler(starter: Starter, clock: Clock) -> Scheduler:
    return Scheduler(starter, clock=clock)


# -- recurring ---------------------------------------------------------------------------------------------


def test_an_occurrence_becomes_a_child_started_in_the_same_transaction(db, scheduler, starter, clock) -> None:
    template = daily_template(db)
    assert run(db, scheduler).started == []  # 08:00: not yet
    clock.now = at(3, 9, 5)
    due = run(db, scheduler)
    [child] = children(db, template)
    assert [c.id for c in due.started] == [child.id]
    assert starter.calls == [
        {
            "id": child.id,
            "parent_id": template,
            "occurrence_at": at(3, 9),
            "start_at": at(3, 9),
            "status": CampaignStatus.SCHEDULED.value,
            "in_transaction": True,
        }
    ]
    assert child.status == CampaignStatus.RUNNING.value
    assert message_count(db, child.id) == 1  # queued in the same commit
    copied = ("name", "kind", "template", "signature", "unsubscribe_suffix", "recipients", "channel_policy")
    with db.reader() as s:
        parent = s.get(Campaign, template)
        assert parent.status == CampaignStatus.SCHEDULED.value  # a template stays scheduled between runs
        for name in (*copied, "created_by", "allowed_words", "timezone", "grace_minutes"):
            assert getattr(child, name) == getattr(parent, name), name
    assert child.recurrence == ""
    assert child.finished_at is None


def test_pc_off_for_three_days_two_missed_one_fired_within_grace(db, scheduler, starter, clock) -> None:
    template = daily_template(db)
    run(db, scheduler, at(3, 9))  # the 3rd fires on time
    clock.now = at(6, 9, 30)  # off from the 3rd to the 6th, back 30 minutes after the 6th's time
    due = run(db, scheduler)
    kids = children(db, template)
    assert [(c.occurrence_at, c.status) for c in kids] == [
        (at(3, 9), CampaignStatus.RUNNING.value),
        (at(4, 9), CampaignStatus.MISSED.value),
        (at(5, 9), CampaignStatus.MISSED.value),
        (at(6, 9), CampaignStatus.RUNNING.value),
    ]
    assert [c.occurrence_at for c in due.missed] == [at(4, 9), at(5, 9)]
    assert [c.occurrence_at for c in due.started] == [at(6, 9)]
    assert [call["occurrence_at"] for call in starter.calls] == [at(3, 9), at(6, 9)]
    for missed in kids[1:3]:
        assert missed.finished_at == at(6, 9, 30)
        assert message_count(db, missed.id) == 0
    events = missed_events(db)
    assert [(e["campaign_id"], e["template_id"], e["due_at"]) for e in events] == [
        (kids[1].id, template, at(4, 9).isoformat()),
        (kids[2].id, template, at(5, 9).isoformat()),
    ]
    assert events[0]["noticed_at"] == at(6, 9, 30).isoformat()
    assert events[0]["grace_minutes"] == 60
    with db.reader() as s:
        assert audit.verify_chain(s) == []
    assert missed_notice(kids[1], "zh").startswith("定时发送“周会通知”（2024-06-04 09:00）已错过")
    assert "grace period of 60 minutes" in missed_notice(kids[1], "en")


def test_pc_off_beyond_grace_reports_every_occurrence_missed(db, scheduler, starter) -> None:
    template = daily_template(db)
    run(db, scheduler, at(3, 9))
    due = run(db, scheduler, at(6, 10, 1))
    assert [c.occurrence_at for c in due.missed] == [at(4, 9), at(5, 9), at(6, 9)]
    assert due.started == []
    assert len(starter.calls) == 1
    assert len(missed_events(db)) == 3
    assert status_of(db, template) == CampaignStatus.SCHEDULED.value


def test_a_restart_inside_the_grace_period_fires_and_the_edge_counts(db, scheduler, starter) -> None:
    inside = daily_template(db, name="inside")
    edge = daily_template(db, name="edge", start_at=at(3, 8, 30), grace_minutes=90)
    due = run(db, scheduler, at(3, 10))  # 60 minutes after the one, exactly 90 after the other
    assert sorted(c.name for c in due.started) == ["edge", "inside"]
    assert [c.occurrence_at for c in children(db, inside)] == [at(3, 9)]
    assert [c.occurrence_at for c in children(db, edge)] == [at(3, 8, 30)]
    assert due.missed == []


def test_due_twice_fires_nothing_the_second_time(db, scheduler, starter, clock) -> None:
    template = daily_template(db)
    clock.now = at(6, 9, 30)
    first = run(db, scheduler)
    assert (len(first.started), len(first.missed)) == (1, 3)
    for later in (at(6, 9, 30), at(6, 9, 59), at(7, 8, 59)):
        again = run(db, scheduler, later)
        assert (again.started, again.missed, again.completed, again.failed) == ([], [], [], [])
    assert len(children(db, template)) == 4
    assert len(starter.calls) == 1
    assert len(missed_events(db)) == 3


def test_a_clock_set_back_refires_nothing(db, scheduler, starter) -> None:
    template = daily_template(db)
    run(db, scheduler, at(4, 9, 10))
    assert len(starter.calls) == 1  # the 4th (the 3rd was missed)
    assert run(db, scheduler, at(4, 8, 50)).started == []  # the clock went back 20 minutes
    assert run(db, scheduler, at(2, 12)).started == []  # or two days
    with db.reader() as s:
        assert last_handled(s, template) == at(4, 9)
    due = run(db, scheduler, at(5, 9))
    assert [c.occurrence_at for c in due.started] == [at(5, 9)]
    assert [c.occurrence_at for c in children(db, template)] == [at(3, 9), at(4, 9), at(5, 9)]


def test_two_schedulers_racing_on_one_database_fire_once(db, tmp_path) -> None:
    template = daily_template(db)
    databases = [open_database(db.url), open_database(db.url)]
    starter = Starter()
    schedulers = [Scheduler(starter, clock=Clock(at(6, 9, 30))) for _ in databases]
    barrier = threading.Barrier(len(databases))
    results: list[Any] = []
    errors: list[BaseException] = []

    def race(database: Database, scheduler: Scheduler) -> None:
        try:
            barrier.wait()
            results.append(run(database, scheduler))
        except BaseException as exc:  # reported by the assertions below
            errors.append(exc)

    threads = [threading.Thread(target=race, args=pair) for pair in zip(databases, schedulers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for database in databases:
        database.close()
    assert errors == []
    assert len(starter.calls) == 1
    assert sorted(len(r.started) for r in results) == [0, 1]
    assert sorted(len(r.missed) for r in results) == [0, 3]
    assert [c.occurrence_at for c in children(db, template)] == [at(3, 9), at(4, 9), at(5, 9), at(6, 9)]
    assert len(missed_events(db)) == 3
    assert message_count(db) == 1


def test_a_plan_overtaken_by_another_scheduler_records_nothing_twice(db, scheduler, starter) -> None:
    """What a second process sees on PostgreSQL: it planned before the first committed, then its inserts
    meet the unique (parent_id, occurrence_at) constraint."""
    template = daily_template(db)
    now = at(6, 9, 30)
    with db.reader() as s:
        campaign = s.get(Campaign, template)
        stale = scheduler.plan(s, campaign, now)
    assert len(stale.handled) == 4
    other = Scheduler(starter)
    assert len(run(db, other, now).started) == 1
    with db.session() as s:
        late = scheduler.record(s, campaign, stale, now)
    assert (late.started, late.missed, late.failed) == ([], [], [])
    assert len(starter.calls) == 1
    assert len(children(db, template)) == 4
    assert len(missed_events(db)) == 3
    assert message_count(db) == 1


def test_a_count_exhausted_completes_the_template(db, scheduler, starter) -> None:
    template = daily_template(db, recurrence="FREQ=DAILY;COUNT=2")
    assert run(db, scheduler, at(3, 9)).completed == []
    due = run(db, scheduler, at(4, 9))
    assert [c.id for c in due.completed] == [template]
    with db.reader() as s:
        parent = s.get(Campaign, template)
        assert (parent.status, parent.finished_at) == (CampaignStatus.COMPLETED.value, at(4, 9))
    assert len(starter.calls) == 2
    assert run(db, scheduler, at(9, 9)).started == []  # completed: no longer looked at
    assert len(children(db, template)) == 2


def test_an_until_that_passed_while_off_reports_the_rest_and_completes(db, scheduler, starter) -> None:
    until = at(5, 23, 59).strftime("%Y%m%dT%H%M%SZ")
    template = daily_template(db, recurrence=f"FREQ=DAILY;UNTIL={until}")
    due = run(db, scheduler, at(20, 12))
    assert [c.occurrence_at for c in due.missed] == [at(3, 9), at(4, 9), at(5, 9)]
    assert [c.id for c in due.completed] == [template]
    assert starter.calls == []
    assert status_of(db, template) == CampaignStatus.COMPLETED.value


def test_paused_and_cancelled_templates_are_left_alone(db, scheduler, starter) -> None:
    paused = daily_template(db, status=CampaignStatus.PAUSED.value)
    cancelled = daily_template(db, status=CampaignStatus.CANCELLED.value)
    due = run(db, scheduler, at(6, 9, 30))
    assert (due.started, due.missed) == ([], [])
    assert children(db, paused) == children(db, cancelled) == []


# -- one-off -----------------------------------------------------------------------------------------------


def test_one_offs_fire_within_grace_are_missed_beyond_it_and_wait_before(db, scheduler, starter, clock) -> None:
    on_time = add_campaign(db, name="on time", start_at=at(3, 9))
    late = add_campaign(db, name="late", start_at=at(3, 8), grace_minutes=30)
    future = add_campaign(db, name="future", start_at=at(3, 12))
    asap = add_campaign(db, name="as soon as possible", start_at=None)
    paused = add_campaign(db, name="paused", start_at=at(3, 9), status=CampaignStatus.PAUSED.value)
    clock.now = at(3, 9, 45)
    due = run(db, scheduler)
    assert [c.id for c in due.started] == [on_time]
    assert [c.id for c in due.missed] == [late]
    assert [call["id"] for call in starter.calls] == [on_time]
    assert status_of(db, on_time) == CampaignStatus.RUNNING.value
    assert status_of(db, late) == CampaignStatus.MISSED.value
    for waiting in (future, asap):
        assert status_of(db, waiting) == CampaignStatus.SCHEDULED.value
    assert status_of(db, paused) == CampaignStatus.PAUSED.value
    [event] = missed_events(db)
    assert (event["campaign_id"], event["template_id"], event["due_at"]) == (late, None, at(3, 8).isoformat())
    with db.reader() as s:
        assert s.get(Campaign, late).finished_at == at(3, 9, 45)
    again = run(db, scheduler)
    assert (again.started, again.missed) == ([], [])
    clock.now = at(3, 12)
    assert [c.id for c in run(db, scheduler).started] == [future]


# -- failures ----------------------------------------------------------------------------------------------


@pytest.mark.allow_log_warnings
def test_a_refused_start_leaves_nothing_and_is_retried_until_grace_runs_out(db, scheduler, starter, caplog) -> None:
    template = daily_template(db)
    once = add_campaign(db, name="once", start_at=at(4, 9))
    starter.refuse = ValidationError("send.over_daily_max", over=300)
    first = run(db, scheduler, at(4, 9, 10))
    assert [(f.campaign.id, f.occurrence, f.error.key) for f in first.failed] == [
        (once, at(4, 9), "send.over_daily_max"),
        (template, at(4, 9), "send.over_daily_max"),
    ]
    # The 3rd is reported missed; the refused occurrence left no child and no message behind.
    assert [c.occurrence_at for c in first.missed] == [at(3, 9)]
    assert [c.occurrence_at for c in children(db, template)] == [at(3, 9)]
    assert message_count(db) == 0
    assert status_of(db, once) == CampaignStatus.SCHEDULED.value
    second = run(db, scheduler, at(4, 9, 20))
    assert len(second.failed) == 2
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 2  # once per campaign and reason, not at every call
    starter.refuse = None
    third = run(db, scheduler, at(4, 10, 1))  # the grace period ran out meanwhile
    assert sorted(c.id for c in third.missed) == sorted([once, children(db, template)[-1].id])
    assert third.started == []
    assert [c.occurrence_at for c in children(db, template)] == [at(3, 9), at(4, 9)]
    assert status_of(db, once) == CampaignStatus.MISSED.value


@pytest.mark.allow_log_warnings
def test_a_broken_rule_is_reported_and_the_others_go_ahead(db, scheduler, starter, caplog) -> None:
    broken = daily_template(db, recurrence="FREQ=HOURLY")
    bad_zone = daily_template(db, timezone="Mars/Olympus_Mons")
    good = daily_template(db)
    due = run(db, scheduler, at(3, 9))
    assert [(f.campaign.id, f.error.key) for f in due.failed] == [
        (broken, "schedule.too_frequent"),
        (bad_zone, "schedule.bad_timezone"),
    ]
    assert [c.parent_id for c in due.started] == [good]
    assert "too frequent" in caplog.text


def test_a_start_that_leaves_the_campaign_scheduled_is_a_programming_error(db, clock) -> None:
    template = daily_template(db)
    calls: list[int] = []

    def lazy(session: Session, campaign: Campaign) -> None:
        calls.append(campaign.id)

    with pytest.raises(RuntimeError, match="SCHEDULED"):
        run(db, Scheduler(lazy, clock=clock), at(3, 9))
    assert calls
    assert children(db, template) == []  # the whole transaction was rolled back


# -- the scheduler's sleep ---------------------------------------------------------------------------------


def test_next_wakeup(db, scheduler, starter) -> None:
    def wakeup(now: datetime) -> datetime | None:
        with db.reader() as s:
            return scheduler.next_wakeup(s, now)

    assert wakeup(at(3, 8)) is None  # nothing scheduled
    daily_template(db, start_at=at(3, 9))
    add_campaign(db, start_at=at(3, 8, 30))
    assert wakeup(at(3, 8)) == at(3, 8, 30)
    assert wakeup(at(3, 8, 30)) == at(3, 8, 30)  # due now
    run(db, scheduler, at(3, 8, 30))
    assert wakeup(at(3, 8, 31)) == at(3, 9)
    run(db, scheduler, at(3, 9))
    assert wakeup(at(3, 9, 1)) == at(4, 9)
    assert wakeup(at(6, 0)) == at(6, 0)  # overdue occurrences: call due() now


def test_schedule_of_a_campaign(db) -> None:
    campaign_id = daily_template(db, start_at=None, grace_minutes=-5, timezone="Europe/Berlin")
    with db.reader() as s:
        schedule = schedule_of(s.get(Campaign, campaign_id))
    assert schedule.start_at == at(1, 12)  # no start time: from its creation
    assert schedule.grace == timedelta(0)
    assert schedule.tz == ZoneInfo("Europe/Berlin")
    assert schedule.recurrence is not None and schedule.recurrence.rule == "FREQ=DAILY"


def test_start_may_be_given_to_each_call_instead(db, starter) -> None:
    template = daily_template(db)
    scheduler = Scheduler()
    with db.session() as s, pytest.raises(TypeError, match="start"):
        scheduler.due(s, at(3, 9))
    with db.session() as s:
        due = scheduler.due(s, at(3, 9), starter)
    assert [c.parent_id for c in due.started] == [template]
    assert [call["occurrence_at"] for call in starter.calls] == [at(3, 9)]


@pytest.mark.allow_log_warnings
def test_a_refused_last_occurrence_keeps_the_template_until_it_is_settled(db, scheduler, starter) -> None:
    template = daily_template(db, recurrence="FREQ=DAILY;COUNT=1")
    starter.refuse = ValidationError("send.over_daily_max", over=1)
    due = run(db, scheduler, at(3, 9))
    assert (len(due.failed), due.completed) == (1, [])
    assert status_of(db, template) == CampaignStatus.SCHEDULED.value  # not completed with its only send lost
    starter.refuse = None
    due = run(db, scheduler, at(3, 9, 30))
    assert [c.occurrence_at for c in due.started] == [at(3, 9)]
    assert [c.id for c in due.completed] == [template]
