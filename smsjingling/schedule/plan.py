"""When a campaign sends, and what to do about times that passed while nobody was running: pure functions of
the schedule, what was already handled, and the clock the caller passes in.

Occurrences are computed on the wall clock of the campaign's time zone (a daily 09:00 stays 09:00 across a
daylight-saving change) and returned as UTC instants. A local time that does not exist (clocks jump
forward) or exists twice (clocks go back) is read as RFC 5545 says: with the offset before the gap (02:30
on the spring-forward night is 03:30 summer time), and the first of the two.

Misfires (the issue: "a time missed while the PC was off or asleep is sent at start within a grace period,
otherwise reported as missed: never silently dropped, never twice"):
- Every occurrence after the last one handled (fired or reported missed) and not after `now` is overdue.
- Of those, only the latest may fire, and only if `now` is at most the grace period after it (exactly at the
  edge counts as within). All the others are reported missed: after three days off, a daily notice is sent
  once, not three times in a row, and the two it replaced are reported.
- A clock that went backwards (now before the last occurrence handled) finds nothing overdue: handled
  occurrences are never planned again, whatever the clock says.
- A schedule whose rule has no occurrence after the ones planned (COUNT or UNTIL reached) is finished.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import MAXYEAR, UTC, datetime, timedelta
from functools import lru_cache
from math import gcd
from zoneinfo import ZoneInfo

from smsjingling import messages
from smsjingling.errors import ValidationError
from smsjingling.schedule.recurrence import DEFAULT_TIMEZONE, Recurrence, zone

messages.register(
    {
        "schedule.bad_grace": (
            "宽限时间必须是 0 或更多分钟，收到：{value}",
            "The grace period must be 0 minutes or more, got: {value}",
        ),
        "schedule.start_past": (
            "首次发送时间 {start} 已经过去（超过了宽限时间）。",
            "The first send, {start}, is already past (beyond the grace period).",
        ),
    }
)

# How many of a frequency's units make one 400-year Gregorian cycle, after which dates and weekdays repeat
# exactly (146097 days = 20871 weeks).
_UNITS_PER_CYCLE = {"YEARLY": 400, "MONTHLY": 4800, "WEEKLY": 20871, "DAILY": 146097}


@dataclass(frozen=True)
class Plan:
    """What to do now: fire at most one occurrence, report the missed ones, and when to look again."""

    fire: datetime | None = None
    missed: tuple[datetime, ...] = ()
    next_at: datetime | None = None  # the first occurrence after now and after everything handled

    @property
    def finished(self) -> bool:
        """No occurrence remains after this plan: a recurring template is complete once this is recorded."""
        return self.next_at is None

    @property
    def handled(self) -> tuple[datetime, ...]:
        """Everything this plan settles, oldest first."""
        return (*self.missed, self.fire) if self.fire else self.missed


@dataclass(frozen=True)
class Schedule:
    """Once at `start_at`, or by `recurrence` from `start_at` on, on the clock of `tz`."""

    start_at: datetime  # aware; for a recurrence, its DTSTART (time of day and earliest occurrence)
    recurrence: Recurrence | None = None
    tz: ZoneInfo = field(default_factory=lambda: zone(DEFAULT_TIMEZONE))
    grace: timedelta = timedelta(minutes=60)

    def __post_init__(self) -> None:
        _require_aware(self.start_at, "start_at")
        if self.grace < timedelta(0):
            raise ValidationError("schedule.bad_grace", value=int(self.grace.total_seconds() // 60))

    def occurrences(self, after: datetime | None = None) -> Iterator[datetime]:
        """Occurrences later than `after` (all when None), oldest first, as aware UTC instants, each later
        than the one before."""
        if after is not None:
            _require_aware(after, "after")
        if self.recurrence is None:
            if after is None or self.start_at > after:
                yield self.start_at.astimezone(UTC)
            return
        start = self.start_at.replace(microsecond=0)  # RRULE times are whole seconds
        if not _ever(self.recurrence.open_ended().rule, start.astimezone(self.tz)):
            return  # parts that contradict each other (30 February): dateutil would search to year 9999
        rule = self.recurrence.rrule(start, self.tz)
        # Everything is compared in UTC: dateutil's results carry tz, and two datetimes with the same
        # tzinfo compare by wall clock, which is wrong in the repeated hour when clocks go back.
        begin = start.astimezone(UTC)
        last = begin - timedelta(microseconds=1) if after is None or after < begin else after.astimezone(UTC)
        for local in rule.xafter(last, inc=False):
            moment = local.astimezone(UTC)
            # Two local times can name one instant (02:30 in a gap is 03:30), and a start in the second of
            # two repeated hours is later than the rule's reading of it: never an instant twice, or early.
            if moment > last:
                last = moment
                yield moment

    def next_occurrence(self, after: datetime) -> datetime | None:
        """The first occurrence later than `after`, or None when the schedule has no more."""
        return next(self.occurrences(after), None)

    def first(self) -> datetime | None:
        return next(self.occurrences(), None)

    def plan(self, now: datetime, last_handled: datetime | None = None) -> Plan:
        """What to do at `now`, given the last occurrence already fired or reported missed (see the module
        notes)."""
        _require_aware(now, "now")
        overdue: list[datetime] = []
        upcoming = None
        for moment in self.occurrences(last_handled):
            if moment > now:
                upcoming = moment
                break
            overdue.append(moment)
        if not overdue:
            return Plan(next_at=upcoming)
        latest = overdue.pop()
        if now - latest <= self.grace:
            return Plan(fire=latest, missed=tuple(overdue), next_at=upcoming)
        return Plan(missed=(*overdue, latest), next_at=upcoming)

    def check(self, now: datetime | None = None) -> None:
        """A user's new schedule: the recurrence ends after it starts and sends at least once, and (given
        `now`) the first send is not already past the grace period."""
        recurrence = self.recurrence
        if recurrence is not None and recurrence.until is not None and recurrence.until < self.start_at:
            raise ValidationError(
                "schedule.until_before_start", until=_local(recurrence.until, self.tz), start=self._start_text()
            )
        first = self.first()
        if first is None:
            raise ValidationError("schedule.never", start=self._start_text())
        if now is not None and now - first > self.grace:
            raise ValidationError("schedule.start_past", start=_local(first, self.tz))

    def _start_text(self) -> str:
        return _local(self.start_at, self.tz)


def _local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {moment!r}")


@lru_cache(maxsize=256)
def _ever(rule: str, dtstart: datetime) -> bool:
    """Whether an open-ended rule yields any date from `dtstart` on, in bounded time.

    dateutil looks for the next date period by period up to year 9999 and never gives up earlier, so a rule
    whose parts contradict each other (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) takes seconds to say "none". Its
    dates repeat with the calendar: every 400 years, times however many cycles it takes for a whole number
    of intervals to fit. Moving DTSTART forward by whole periods to the last start from which one full
    period still fits before 9999 keeps the pattern and bounds the search to one period.
    """
    from dateutil.rrule import rrulestr

    parts = dict(piece.split("=", 1) for piece in rule.split(";"))
    interval = int(parts.get("INTERVAL", "1"))
    units = _UNITS_PER_CYCLE[parts["FREQ"]]
    period_years = 400 * (interval // gcd(interval, units))
    latest_start = MAXYEAR - period_years - 1
    if latest_start < dtstart.year:
        return True  # too long a period to test quickly; such rules are rare and merely slow
    shift = (latest_start - dtstart.year) // period_years * period_years
    probe = rrulestr(rule, dtstart=dtstart.replace(year=dtstart.year + shift, tzinfo=None))
    return next(iter(probe), None) is not None
