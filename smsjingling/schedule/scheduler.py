"""The scheduler over the database: which campaigns are due, recorded so that nothing fires twice.

`Scheduler.due` looks at every timed one-off campaign that is SCHEDULED and whose start time has come, and
at every recurring template that is SCHEDULED; it plans each with plan.Schedule and records the result:
- a one-off due within its grace period is handed to `start` (the expansion into messages, which takes it
  out of SCHEDULED); one beyond its grace period becomes MISSED;
- each occurrence of a template becomes a child campaign (parent_id, occurrence_at): MISSED, or SCHEDULED
  at the occurrence time and handed to `start` in the same transaction, so "child created" and "its
  messages queued" are one commit. The unique (parent_id, occurrence_at) pair makes a second scheduler
  (another process, another machine on a shared database) fail to create the same occurrence; that is taken
  as "already handled". The last occurrence handled is the newest child's.
- every missed time is written to the audit log as `schedule.missed`, and returned so it can be shown;
- a template whose rule has no more occurrences becomes COMPLETED.

Each campaign is recorded under a savepoint of its own: a campaign the expansion refuses (a UserError, such
as a cap exceeded) is returned in `failed` and retried at the next call, until its grace period runs out
and it is reported missed; the others go ahead. A one-off or template row is claimed with a conditional
UPDATE first, which on PostgreSQL locks the row, so two schedulers take turns per campaign.

A campaign with no start time ("as soon as possible") is not the scheduler's: whoever sends it starts it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smsjingling import audit, messages
from smsjingling.errors import UserError
from smsjingling.schedule.plan import Plan, Schedule
from smsjingling.schedule.recurrence import DEFAULT_TIMEZONE, Recurrence, zone
from smsjingling.storage.sending import Campaign, CampaignStatus
from smsjingling.storage.types import utcnow

log = logging.getLogger(__name__)

StartFn = Callable[[Session, Campaign], None]

messages.register(
    {
        "schedule.missed": (
            "定时发送“{name}”（{at}）已错过：到时程序未在运行，且超过了 {grace} 分钟的宽限时间，未发送。",
            "The scheduled send “{name}” ({at}) was missed: the program was not running at that time and the "
            "grace period of {grace} minutes had passed. Nothing was sent.",
        ),
    }
)

_SCHEDULED = CampaignStatus.SCHEDULED.value
# What a child occurrence takes from its template.
_COPIED = (
    "name",
    "kind",
    "template",
    "signature",
    "unsubscribe_suffix",
    "recipients",
    "channel_policy",
    "created_by",
    "allowed_words",
    "timezone",
    "grace_minutes",
)


@dataclass(frozen=True)
class Failure:
    """A due campaign the expansion refused; it is tried again at the next call."""

    campaign: Campaign  # the one-off, or the recurring template
    occurrence: datetime | None  # the template's occurrence that was to fire
    error: UserError


@dataclass
class Due:
    """What one call to Scheduler.due (or record) did."""

    started: list[Campaign] = field(default_factory=list)  # handed to `start`: now queued
    missed: list[Campaign] = field(default_factory=list)  # one-offs and child occurrences now MISSED
    completed: list[Campaign] = field(default_factory=list)  # templates with no occurrence left
    failed: list[Failure] = field(default_factory=list)

    def add(self, other: Due) -> None:
        self.started += other.started
        self.missed += other.missed
        self.completed += other.completed
        self.failed += other.failed


def schedule_of(campaign: Campaign) -> Schedule:
    """A campaign's schedule. Raises ValidationError for a rule or time zone that is not valid."""
    tz = zone(campaign.timezone or DEFAULT_TIMEZONE)
    recurrence = Recurrence.parse(campaign.recurrence, tz) if campaign.recurrence.strip() else None
    start = campaign.start_at or campaign.created_at
    return Schedule(start, recurrence, tz, timedelta(minutes=max(0, campaign.grace_minutes or 0)))


def last_handled(session: Session, template_id: int) -> datetime | None:
    """The newest occurrence of a recurring template that was fired or reported missed."""
    return session.scalar(select(func.max(Campaign.occurrence_at)).where(Campaign.parent_id == template_id))


def missed_notice(campaign: Campaign, lang: str | None = None) -> str:
    """The sentence that reports a missed campaign or occurrence to the user."""
    at = campaign.occurrence_at or campaign.start_at or campaign.created_at
    local = at.astimezone(zone(campaign.timezone or DEFAULT_TIMEZONE)).strftime("%Y-%m-%d %H:%M")
    return messages.text("schedule.missed", lang, name=campaign.name, at=local, grace=campaign.grace_minutes)


class Scheduler:
    """Decides and records which campaigns are due. `start(session, campaign)` expands a campaign into
    queued messages in the given session and must take it out of SCHEDULED (normally to RUNNING): a
    campaign left SCHEDULED would be due again, so that is refused as a programming error. It is given
    here, or to each call of `due` and `record`."""

    def __init__(
        self, start: StartFn | None = None, *, clock: Callable[[], datetime] = utcnow, actor: str = "scheduler"
    ) -> None:
        self.start = start
        self.clock = clock
        self.actor = actor
        self._warned: set[tuple[int, str]] = set()

    def due(self, session: Session, now: datetime | None = None, start: StartFn | None = None) -> Due:
        """Plan and record everything due at `now` (default: the clock), in the caller's transaction."""
        now = self._now(now)
        start = self._starter(start)
        one_offs = session.scalars(
            select(Campaign)
            .where(
                Campaign.status == _SCHEDULED,
                Campaign.recurrence == "",
                Campaign.start_at.is_not(None),
                Campaign.start_at <= now,
            )
            .order_by(Campaign.start_at, Campaign.id)
        ).all()
        templates = session.scalars(
            select(Campaign).where(Campaign.status == _SCHEDULED, Campaign.recurrence != "").order_by(Campaign.id)
        ).all()
        result = Due()
        for campaign in (*one_offs, *templates):
            try:
                with session.begin_nested():
                    if not self._claim(session, campaign):
                        continue  # paused, cancelled or started by someone else meanwhile
                    plan = self.plan(session, campaign, now)
                    result.add(self._record(session, campaign, plan, now, start))
            except UserError as exc:  # its rule or time zone is not valid: nothing can be planned
                self._failed(result, campaign, None, exc)
        return result

    def plan(self, session: Session, campaign: Campaign, now: datetime | None = None) -> Plan:
        """What is due for one campaign at `now`, without recording anything."""
        now = self._now(now)
        schedule = schedule_of(campaign)
        handled = last_handled(session, campaign.id) if campaign.recurrence.strip() else None
        return schedule.plan(now, handled)

    def record(
        self,
        session: Session,
        campaign: Campaign,
        plan: Plan,
        now: datetime | None = None,
        start: StartFn | None = None,
    ) -> Due:
        """Carry out a plan made earlier (perhaps in another transaction, perhaps overtaken by another
        scheduler since): occurrences already recorded are skipped, never fired again."""
        now = self._now(now)
        start = self._starter(start)
        campaign = session.get(Campaign, campaign.id) or campaign
        with session.begin_nested():
            if not self._claim(session, campaign):
                return Due()
            return self._record(session, campaign, plan, now, start)

    def next_wakeup(self, session: Session, now: datetime | None = None) -> datetime | None:
        """When `due` next has something to do: `now` if it has already, None if no schedule remains."""
        now = self._now(now)
        soonest = session.scalar(
            select(func.min(Campaign.start_at)).where(
                Campaign.status == _SCHEDULED, Campaign.recurrence == "", Campaign.start_at.is_not(None)
            )
        )
        if soonest is not None and soonest <= now:
            return now
        templates = session.scalars(
            select(Campaign).where(Campaign.status == _SCHEDULED, Campaign.recurrence != "")
        ).all()
        for template in templates:
            try:
                plan = self.plan(session, template, now)
            except UserError:
                continue  # due() reports it
            if plan.handled or plan.finished:
                return now
            assert plan.next_at is not None
            soonest = plan.next_at if soonest is None else min(soonest, plan.next_at)
        return soonest

    # -- recording -----------------------------------------------------------------------------------

    def _record(self, session: Session, campaign: Campaign, plan: Plan, now: datetime, start: StartFn) -> Due:
        if campaign.recurrence.strip():
            return self._record_occurrences(session, campaign, plan, now, start)
        return self._record_once(session, campaign, plan, now, start)

    def _record_once(self, session: Session, campaign: Campaign, plan: Plan, now: datetime, start: StartFn) -> Due:
        result = Due()
        if plan.fire is not None:
            try:
                with session.begin_nested():
                    self._start(session, campaign, start)
                result.started.append(campaign)
            except UserError as exc:  # it stays SCHEDULED and is tried again next time
                self._failed(result, campaign, plan.fire, exc)
        elif plan.missed:
            campaign.status = CampaignStatus.MISSED.value
            campaign.finished_at = now
            session.flush()
            self._audit_missed(session, campaign, plan.missed[-1], now)
            result.missed.append(campaign)
        return result

    def _record_occurrences(
        self, session: Session, template: Campaign, plan: Plan, now: datetime, start: StartFn
    ) -> Due:
        result = Due()
        for at in plan.missed:
            child = self._child(session, template, at, CampaignStatus.MISSED, now)
            if child is not None:
                self._audit_missed(session, child, at, now)
                result.missed.append(child)
        settled = True
        if plan.fire is not None:
            try:
                with session.begin_nested():
                    child = self._child(session, template, plan.fire, CampaignStatus.SCHEDULED, now)
                    if child is not None:
                        self._start(session, child, start)
                if child is not None:
                    result.started.append(child)
            except UserError as exc:  # nothing of this occurrence remains; it is tried again next time
                self._failed(result, template, plan.fire, exc)
                settled = False
        if plan.finished and settled:  # the last occurrence, if refused, keeps the template alive to retry
            template.status = CampaignStatus.COMPLETED.value
            template.finished_at = now
            session.flush()
            result.completed.append(template)
            log.info("recurring campaign %s has no occurrence left: completed", template.id)
        return result

    def _start(self, session: Session, campaign: Campaign, start: StartFn) -> None:
        start(session, campaign)
        session.flush()
        session.refresh(campaign)
        if campaign.status == _SCHEDULED:
            raise RuntimeError(
                f"start() left campaign {campaign.id} SCHEDULED; it must queue it and move it on (to RUNNING), "
                "or it would be due again"
            )

    def _child(
        self, session: Session, template: Campaign, at: datetime, status: CampaignStatus, now: datetime
    ) -> Campaign | None:
        """A new child campaign for one occurrence; None when that occurrence was recorded already."""
        child = Campaign(
            **{name: getattr(template, name) for name in _COPIED},
            parent_id=template.id,
            occurrence_at=at,
            start_at=at,
            status=status.value,
            created_at=now,
            finished_at=now if status is CampaignStatus.MISSED else None,
        )
        try:
            with session.begin_nested():
                session.add(child)
                session.flush()
        except IntegrityError:
            exists = session.scalar(
                select(Campaign.id).where(Campaign.parent_id == template.id, Campaign.occurrence_at == at)
            )
            if exists is None:
                raise  # some other constraint: a real error
            return None
        return child

    def _claim(self, session: Session, campaign: Campaign) -> bool:
        """Take the campaign's row if it is still SCHEDULED (on PostgreSQL this waits for, then locks, the
        row: two schedulers take turns), and reload it as it is now."""
        claimed = session.execute(
            update(Campaign)
            .where(Campaign.id == campaign.id, Campaign.status == _SCHEDULED)
            .values(status=_SCHEDULED)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            session.refresh(campaign)
        return bool(claimed)

    def _audit_missed(self, session: Session, campaign: Campaign, at: datetime, now: datetime) -> None:
        audit.record(
            session,
            "schedule.missed",
            {
                "campaign_id": campaign.id,
                "template_id": campaign.parent_id,
                "name": campaign.name,
                "due_at": at.astimezone(UTC).isoformat(),
                "noticed_at": now.astimezone(UTC).isoformat(),
                "grace_minutes": campaign.grace_minutes,
            },
            actor=self.actor,
        )
        log.info("campaign %s (%s) missed its time %s", campaign.id, campaign.name, at.isoformat())

    def _failed(self, result: Due, campaign: Campaign, at: datetime | None, error: UserError) -> None:
        result.failed.append(Failure(campaign, at, error))
        # Logged once per campaign and reason: the scheduler runs every few seconds, the reason rarely changes.
        if (campaign.id, error.key) not in self._warned:
            self._warned.add((campaign.id, error.key))
            when = f" (due {at.isoformat()})" if at else ""
            log.warning("scheduled campaign %s%s was not started: %s", campaign.id, when, error.message("en"))

    def _starter(self, start: StartFn | None) -> StartFn:
        chosen = start or self.start
        if chosen is None:
            raise TypeError("Scheduler needs a start(session, campaign) function, given to it or to due()")
        return chosen

    def _now(self, now: datetime | None) -> datetime:
        now = now or self.clock()
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        return now
