"""Schedules: a campaign at a future time, or recurring by an RFC 5545 rule; what to do about times missed
while the program was not running; and the scheduler that records it all in the database.

- recurrence: the presets (daily, weekly, monthly, workdays) and any RRULE, to and from its text;
- plan: occurrences in the campaign's time zone, and misfire planning with the clock passed in;
- describe: a schedule in words, Chinese and English;
- scheduler: which campaigns are due, recorded so that none fires twice and no missed time goes unreported.
"""

from smsjingling.schedule.describe import describe
from smsjingling.schedule.plan import Plan, Schedule
from smsjingling.schedule.recurrence import (
    DEFAULT_TIMEZONE,
    LAST_DAY,
    Preset,
    Recurrence,
    ShortMonth,
    until_end_of_day,
    zone,
)
from smsjingling.schedule.scheduler import Due, Failure, Scheduler, StartFn, last_handled, missed_notice, schedule_of

__all__ = [
    "DEFAULT_TIMEZONE",
    "LAST_DAY",
    "Due",
    "Failure",
    "Plan",
    "Preset",
    "Recurrence",
    "Schedule",
    "Scheduler",
    "ShortMonth",
    "StartFn",
    "describe",
    "last_handled",
    "missed_notice",
    "schedule_of",
    "until_end_of_day",
    "zone",
]
