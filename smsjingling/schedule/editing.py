"""Changing a schedule's time and rule, and sending it at once (立即运行).

What may change: the start time and the recurrence of a schedule that is waiting or paused and has not
started sending (a one-off with messages is a running send; its time is history). The new schedule is
checked as a new one is: a valid rule, at least one send, and a first send not already past the grace
period. A recurring schedule keeps the occurrences it already handled: the scheduler plans only times after
the last one, so a change never sends an occurrence twice. The change is audited with the old and new values.

立即运行:
- a one-off is started now, by the scheduler's own path (the same expansion and checks as at its time);
- a recurring one sends one extra time now, as a campaign of its own linked to it (parent_id, no occurrence
  time: it stands for no occurrence, so the times the rule gives are neither skipped nor sent twice). It is
  created like any send made now, with the caps and the balance checked first.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from smsjingling import audit, messages
from smsjingling.errors import NotFoundError, ValidationError
from smsjingling.schedule.plan import Plan, Schedule
from smsjingling.schedule.recurrence import DEFAULT_TIMEZONE, Recurrence, zone
from smsjingling.schedule.scheduler import Scheduler
from smsjingling.sending.campaigns import CampaignRequest, Campaigns
from smsjingling.sending.expand import Recipients
from smsjingling.storage.sending import Campaign, CampaignKind, CampaignStatus, Message

messages.register(
    {
        "schedule.not_found": ("没有编号为 {id} 的定时任务", "There is no schedule {id}"),
        "schedule.not_editable": (
            "定时任务“{name}”已开始发送或已结束，不能再修改时间。",
            "The schedule “{name}” has started sending or has ended; its time can no longer be changed.",
        ),
        "schedule.not_runnable": (
            "定时任务“{name}”已开始发送或已结束，不能立即运行。",
            "The schedule “{name}” has started sending or has ended; it cannot be run now.",
        ),
    }
)

_OPEN = (CampaignStatus.SCHEDULED.value, CampaignStatus.PAUSED.value)


def _open_schedule(s: Session, campaign_id: int, refusal: str) -> Campaign:
    campaign = s.get(Campaign, campaign_id)
    if campaign is None or campaign.parent_id is not None:
        raise NotFoundError("schedule.not_found", id=campaign_id)
    started = s.execute(select(exists().where(Message.campaign_id == campaign_id))).scalar()
    if campaign.status not in _OPEN or started:
        raise ValidationError(refusal, name=campaign.name)
    return campaign


def reschedule(
    campaigns: Campaigns, campaign_id: int, start_at: datetime, recurrence: str = "", *, now: datetime | None = None
) -> None:
    """Give a waiting or paused schedule a new start time and rule ("" makes it a one-off).

    Raises ValidationError (a rule that is not valid, never sends, or a start already past the grace period;
    or a schedule that started or ended) and changes nothing then.
    """
    now = now or campaigns.clock()
    with campaigns.db.session() as s:
        campaign = _open_schedule(s, campaign_id, "schedule.not_editable")
        tz = zone(campaign.timezone or DEFAULT_TIMEZONE)
        rule = Recurrence.parse(recurrence, tz) if recurrence.strip() else None
        Schedule(start_at, rule, tz, timedelta(minutes=max(0, campaign.grace_minutes or 0))).check(now)
        before = {"start_at": _iso(campaign.start_at), "recurrence": campaign.recurrence}
        campaign.start_at = start_at
        campaign.recurrence = rule.rule if rule is not None else ""
        after = {"start_at": _iso(start_at), "recurrence": campaign.recurrence}
        audit.record(
            s,
            "schedule.change",
            {"campaign": campaign_id, "name": campaign.name, "from": before, "to": after},
            actor=campaigns.actor,
        )


def run_now(campaigns: Campaigns, campaign_id: int, *, now: datetime | None = None) -> int:
    """Send a waiting or paused schedule now (see the module notes); returns the campaign that sends."""
    now = now or campaigns.clock()
    with campaigns.db.reader() as s:
        campaign = _open_schedule(s, campaign_id, "schedule.not_runnable")
        recurring = bool(campaign.recurrence.strip())
        request = CampaignRequest(
            template=campaign.template,
            recipients=Recipients.from_json(campaign.recipients or {}),
            name=campaign.name,
            kind=CampaignKind(campaign.kind),
            channel_policy=campaign.channel_policy,
            allowed_words=tuple(campaign.allowed_words or ()),
            timezone=campaign.timezone,
            grace_minutes=campaign.grace_minutes,
        )
    if recurring:
        return _run_recurring_now(campaigns, campaign_id, request, now)
    _run_once_now(campaigns, campaign_id, now)
    return campaign_id


def _run_recurring_now(campaigns: Campaigns, template_id: int, request: CampaignRequest, now: datetime) -> int:
    sent = campaigns.create(request)  # checks caps and balance, queues, wakes the dispatcher
    with campaigns.db.session() as s:
        s.execute(update(Campaign).where(Campaign.id == sent).values(parent_id=template_id))
        audit.record(s, "schedule.run_now", {"campaign": template_id, "sent_as": sent}, actor=campaigns.actor)
    return sent


def _run_once_now(campaigns: Campaigns, campaign_id: int, now: datetime) -> None:
    scheduler = Scheduler(campaigns.start, clock=lambda: now, actor=campaigns.actor or "scheduler")
    with campaigns.db.session() as s:
        campaign = _open_schedule(s, campaign_id, "schedule.not_runnable")
        planned = _iso(campaign.start_at)
        campaign.status = CampaignStatus.SCHEDULED.value  # a paused one is resumed by being run
        campaign.start_at = now
        s.flush()
        due = scheduler.record(s, campaign, Plan(fire=now), now)
        if due.failed:
            raise due.failed[0].error  # the session rolls back: the schedule is as it was
        audit.record(s, "schedule.run_now", {"campaign": campaign_id, "planned_at": planned}, actor=campaigns.actor)
    campaigns.on_queued(campaign_id)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
