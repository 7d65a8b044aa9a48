"""The schedules as a person reviews them: each timed or recurring campaign with its next send, its rule in
words, what its last run did and how many of its times were missed.

A schedule is a campaign of its own (not an occurrence of another): a one-off with a start time, or a
recurring template. `list_schedules` gives the ones still to come (waiting or paused before they started)
and the one-offs missed in the last MISSED_SHOWN_DAYS, so a send that was missed while the PC was off is in
front of the user when they look; with `finished=True` every schedule ever made.

The next send is what the scheduler will do: for a recurring one, an overdue occurrence still within its
grace period (it fires at the scheduler's next round), else the first occurrence after now and after every
occurrence already handled. A paused schedule shows the send it would make if resumed now.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from smsjingling import messages
from smsjingling.errors import UserError
from smsjingling.records.labels import status_text
from smsjingling.schedule.describe import describe
from smsjingling.schedule.recurrence import DEFAULT_TIMEZONE, Recurrence, zone
from smsjingling.schedule.scheduler import last_handled, schedule_of
from smsjingling.sending import record
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Campaign, CampaignStatus, Message, MessageStatus
from smsjingling.storage.types import utcnow

MISSED_SHOWN_DAYS = 7

messages.register(
    {
        "schedule.state.waiting": ("等待中", "Waiting"),
        "schedule.state.due": ("即将发送", "Due now"),
        "schedule.state.paused": ("已暂停", "Paused"),
        "schedule.state.missed": ("已错过", "Missed"),
        "schedule.state.completed": ("已完成", "Completed"),
        "schedule.state.cancelled": ("已取消", "Cancelled"),
        "schedule.state.started": ("已开始发送", "Started"),
        "schedule.state.invalid": ("规则无效", "Invalid rule"),
        "schedule.run.running": ("发送中", "sending"),
        "schedule.run.paused": ("已暂停", "paused"),
        "schedule.run.completed": ("已完成", "done"),
        "schedule.run.cancelled": ("已取消", "cancelled"),
        "schedule.run.scheduled": ("等待中", "waiting"),
        "schedule.run.summary": (
            "{at} {state}：送达 {delivered}/{total}",
            "{at} {state}: {delivered}/{total} delivered",
        ),
        "schedule.run.part": ("，{label} {count}", ", {count} {label}"),
        "schedule.recipients.groups": ("分组：{names}", "Groups: {names}"),
        "schedule.recipients.contacts": ("{count} 位联系人", "{count} contact(s)"),
        "schedule.recipients.numbers": ("{count} 个号码", "{count} number(s)"),
    }
)


class ScheduleState(enum.StrEnum):
    WAITING = "waiting"
    DUE = "due"  # its time has come; the scheduler starts it at its next round
    PAUSED = "paused"
    MISSED = "missed"  # a one-off whose time passed beyond its grace period
    COMPLETED = "completed"  # a recurring one with no occurrence left
    CANCELLED = "cancelled"
    STARTED = "started"  # a one-off that has been sent (or is being sent)
    INVALID = "invalid"  # its rule or time zone cannot be read: it never fires

    def label(self, lang: str | None = None) -> str:
        return messages.text(f"schedule.state.{self.value}", lang)


@dataclass(frozen=True)
class LastRun:
    """One send a schedule made: the one-off itself, or an occurrence (or 立即运行) of a recurring one."""

    campaign_id: int
    at: datetime
    status: str  # the campaign's status
    counts: dict[MessageStatus, int]
    timezone: str = DEFAULT_TIMEZONE

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def text(self, lang: str | None = None) -> str:
        """2026-11-23 09:00 已完成：送达 5/6，失败 1"""
        local = self.at.astimezone(zone(self.timezone)).strftime("%Y-%m-%d %H:%M")
        state = messages.text(f"schedule.run.{self.status}", lang)
        delivered = self.counts.get(MessageStatus.DELIVERED, 0)
        text = messages.text("schedule.run.summary", lang, at=local, state=state, delivered=delivered, total=self.total)
        for status in (
            MessageStatus.FAILED,
            MessageStatus.UNDELIVERED,
            MessageStatus.BLOCKED,
            MessageStatus.SKIPPED,
            MessageStatus.UNKNOWN,
        ):
            if count := self.counts.get(status, 0):
                text += messages.text("schedule.run.part", lang, label=status_text(status, lang), count=count)
        return text


@dataclass(frozen=True)
class ScheduleItem:
    id: int
    name: str
    kind: str
    status: CampaignStatus
    state: ScheduleState
    recurrence: str  # RRULE text, "" for a one-off
    start_at: datetime | None
    timezone: str
    grace_minutes: int
    recipients: dict[str, Any]
    next_at: datetime | None  # None: nothing more will be sent
    last_run: LastRun | None
    missed: int  # times missed (the one-off itself, or occurrences of a recurring one)
    last_missed_at: datetime | None
    started: bool  # a one-off that has messages: its time can no longer be changed
    problem: UserError | None = field(default=None, compare=False)  # why the rule cannot be read

    @property
    def recurring(self) -> bool:
        return bool(self.recurrence)

    @property
    def editable(self) -> bool:
        """Its time and rule may be changed (smsjingling.schedule.editing.reschedule allows it)."""
        return self.status in (CampaignStatus.SCHEDULED, CampaignStatus.PAUSED) and not self.started

    def describe(self, lang: str | None = None) -> str:
        """The rule in words: 每个工作日 09:00, or the one-off's date and time."""
        if self.problem is not None:
            return self.problem.message(lang)
        tz = zone(self.timezone or DEFAULT_TIMEZONE)
        start = self.start_at or self.next_at
        if start is None:
            return ""
        recurrence = Recurrence.parse(self.recurrence, tz) if self.recurring else None
        return describe(recurrence, start, tz, lang)

    def local(self, moment: datetime | None) -> datetime | None:
        """An instant on the schedule's own wall clock."""
        return None if moment is None else moment.astimezone(zone(self.timezone or DEFAULT_TIMEZONE))

    def recipients_text(self, lang: str | None = None) -> str:
        parts = []
        if groups := self.recipients.get("groups"):
            parts.append(messages.text("schedule.recipients.groups", lang, names="、".join(groups)))
        if contacts := self.recipients.get("contacts"):
            parts.append(messages.text("schedule.recipients.contacts", lang, count=len(contacts)))
        if numbers := self.recipients.get("numbers"):
            parts.append(messages.text("schedule.recipients.numbers", lang, count=len(numbers)))
        return ("; " if (lang or messages.current_language()) == "en" else "；").join(parts)


_ACTIVE = (CampaignStatus.SCHEDULED.value, CampaignStatus.PAUSED.value)


def _has_messages(campaign_id: Any) -> Any:
    return exists().where(Message.campaign_id == campaign_id)


def list_schedules(db: Database, *, finished: bool = False, now: datetime | None = None) -> list[ScheduleItem]:
    """The schedules, soonest next send first, then the ones with none (newest first)."""
    now = now or utcnow()
    timed = and_(Campaign.parent_id.is_(None), or_(Campaign.recurrence != "", Campaign.start_at.is_not(None)))
    query = select(Campaign).where(timed)
    if not finished:
        recent_missed = and_(
            Campaign.status == CampaignStatus.MISSED.value,
            Campaign.finished_at >= now - timedelta(days=MISSED_SHOWN_DAYS),
        )
        waiting = and_(Campaign.status.in_(_ACTIVE), ~_has_messages(Campaign.id))
        query = query.where(or_(waiting, recent_missed))
    with db.reader() as s:
        items = [_item(s, c, now) for c in s.execute(query).scalars()]
    far = datetime.max.replace(tzinfo=now.tzinfo)
    items.sort(key=lambda i: (i.next_at is None, i.next_at or far, -i.id))
    return items


def get_schedule(db: Database, campaign_id: int, *, now: datetime | None = None) -> ScheduleItem | None:
    with db.reader() as s:
        campaign = s.get(Campaign, campaign_id)
        return None if campaign is None else _item(s, campaign, now or utcnow())


def _item(s: Session, c: Campaign, now: datetime) -> ScheduleItem:
    status = CampaignStatus(c.status)
    started = bool(s.execute(select(_has_messages(c.id))).scalar())
    problem: UserError | None = None
    next_at: datetime | None = None
    handled = last_handled(s, c.id) if c.recurrence.strip() else None
    if status in (CampaignStatus.SCHEDULED, CampaignStatus.PAUSED) and not started:
        try:
            schedule = schedule_of(c)
            if status is CampaignStatus.SCHEDULED:
                plan = schedule.plan(now, handled)
                next_at = plan.fire or plan.next_at
            else:
                after = max(now, handled) if handled else now
                next_at = schedule.next_occurrence(after)
        except UserError as exc:
            problem = exc
    last_run, missed, last_missed = _runs(s, c, started)
    return ScheduleItem(
        id=c.id,
        name=c.name,
        kind=c.kind,
        status=status,
        state=_state(status, bool(c.recurrence.strip()), started, problem, next_at, now),
        recurrence=c.recurrence.strip(),
        start_at=c.start_at,
        timezone=c.timezone or DEFAULT_TIMEZONE,
        grace_minutes=c.grace_minutes or 0,
        recipients=dict(c.recipients or {}),
        next_at=next_at,
        last_run=last_run,
        missed=missed,
        last_missed_at=last_missed,
        started=started,
        problem=problem,
    )


def _state(
    status: CampaignStatus,
    recurring: bool,
    started: bool,
    problem: UserError | None,
    next_at: datetime | None,
    now: datetime,
) -> ScheduleState:
    if problem is not None:
        return ScheduleState.INVALID
    if started:
        return ScheduleState.STARTED
    if status is CampaignStatus.SCHEDULED:
        if next_at is None:
            # Nothing left to fire: the scheduler records it at its next round (a one-off beyond its grace
            # period as missed, a recurring one past its last occurrence as completed).
            return ScheduleState.COMPLETED if recurring else ScheduleState.MISSED
        return ScheduleState.DUE if next_at <= now else ScheduleState.WAITING
    return {
        CampaignStatus.PAUSED: ScheduleState.PAUSED,
        CampaignStatus.MISSED: ScheduleState.MISSED,
        CampaignStatus.COMPLETED: ScheduleState.COMPLETED,
        CampaignStatus.CANCELLED: ScheduleState.CANCELLED,
    }.get(status, ScheduleState.STARTED)


def _runs(s: Session, c: Campaign, started: bool) -> tuple[LastRun | None, int, datetime | None]:
    tz = c.timezone or DEFAULT_TIMEZONE
    if not c.recurrence.strip():
        at = c.start_at or c.created_at
        if c.status == CampaignStatus.MISSED.value:
            return None, 1, at
        if started:
            return LastRun(c.id, at, c.status, record.counts(s, c.id), tz), 0, None
        return None, 0, None
    when = func.coalesce(Campaign.occurrence_at, Campaign.start_at, Campaign.created_at)
    missed_count, last_missed = s.execute(
        select(func.count(), func.max(when)).where(
            Campaign.parent_id == c.id, Campaign.status == CampaignStatus.MISSED.value
        )
    ).one()
    newest = s.execute(
        select(Campaign.id, when, Campaign.status)
        .where(Campaign.parent_id == c.id, Campaign.status != CampaignStatus.MISSED.value)
        .order_by(when.desc(), Campaign.id.desc())
        .limit(1)
    ).first()
    last_run = None
    if newest is not None:
        child_id, at, child_status = newest
        last_run = LastRun(child_id, _aware(at), child_status, record.counts(s, child_id), tz)
    return last_run, int(missed_count or 0), _aware(last_missed) if last_missed else None


def _aware(moment: datetime) -> datetime:
    """A value read through func.coalesce/max comes back as stored (naive UTC on SQLite)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
