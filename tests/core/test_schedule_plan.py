"""Misfire planning with the clock passed in: what fires, what is reported missed, what is finished."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from smsjingling.schedule import Plan, Recurrence, Schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def at(day: int, hour: int, minute: int = 0, tz: ZoneInfo = SHANGHAI) -> datetime:
    """A local time in June 2024, as UTC."""
    return datetime(2024, 6, day, hour, minute, tzinfo=tz).astimezone(UTC)


def daily(grace: timedelta = HOUR, **rule: object) -> Schedule:
    return Schedule(at(3, 9), Recurrence.daily(**rule), SHANGHAI, grace)  # type: ignore[arg-type]


def test_nothing_to_do_before_the_first_occurrence() -> None:
    assert daily().plan(now=at(3, 8, 59)) == Plan(next_at=at(3, 9))


def test_on_time_the_occurrence_fires() -> None:
    assert daily().plan(now=at(3, 9)) == Plan(fire=at(3, 9), next_at=at(4, 9))


def test_pc_off_for_three_days_reports_two_missed_and_fires_the_latest_within_grace() -> None:
    # Handled on the 3rd; off until the 6th at 09:30, inside the 60 minutes' grace.
    plan = daily().plan(now=at(6, 9, 30), last_handled=at(3, 9))
    assert plan == Plan(fire=at(6, 9), missed=(at(4, 9), at(5, 9)), next_at=at(7, 9))
    assert plan.handled == (at(4, 9), at(5, 9), at(6, 9))
    assert not plan.finished


def test_pc_off_for_three_days_beyond_grace_reports_all_three_missed() -> None:
    plan = daily().plan(now=at(6, 10, 30), last_handled=at(3, 9))
    assert plan == Plan(missed=(at(4, 9), at(5, 9), at(6, 9)), next_at=at(7, 9))


def test_a_restart_inside_the_grace_period_fires() -> None:
    assert daily().plan(now=at(4, 9, 40), last_handled=at(3, 9)) == Plan(fire=at(4, 9), next_at=at(5, 9))


def test_exactly_at_the_grace_edge_fires_and_a_moment_later_is_missed() -> None:
    schedule = daily(grace=timedelta(minutes=60))
    assert schedule.plan(now=at(4, 10), last_handled=at(3, 9)).fire == at(4, 9)
    late = schedule.plan(now=at(4, 10) + timedelta(microseconds=1), last_handled=at(3, 9))
    assert (late.fire, late.missed) == (None, (at(4, 9),))


def test_no_grace_fires_only_at_the_very_time() -> None:
    schedule = daily(grace=timedelta(0))
    assert schedule.plan(now=at(3, 9)).fire == at(3, 9)
    assert schedule.plan(now=at(3, 9) + timedelta(seconds=1)).missed == (at(3, 9),)


def test_what_was_handled_is_never_planned_again() -> None:
    schedule = daily()
    first = schedule.plan(now=at(6, 9, 30), last_handled=at(3, 9))
    again = schedule.plan(now=at(6, 9, 31), last_handled=first.handled[-1])
    assert again == Plan(next_at=at(7, 9))


def test_a_clock_that_jumps_backwards_plans_nothing_and_does_not_refire() -> None:
    schedule = daily()
    # 09:00 on the 4th fired; then the clock is set back to 08:00 on the 4th (or even to the 2nd).
    assert schedule.plan(now=at(4, 8), last_handled=at(4, 9)) == Plan(next_at=at(5, 9))
    assert schedule.plan(now=at(2, 12), last_handled=at(4, 9)) == Plan(next_at=at(5, 9))
    # When it is put right again, the next day fires as usual.
    assert schedule.plan(now=at(5, 9, 1), last_handled=at(4, 9)).fire == at(5, 9)


def test_several_overdue_within_grace_fire_only_the_latest() -> None:
    # Twice a day, 09:00 and 10:00, with two hours' grace; off from 08:00 to 10:30.
    twice = Schedule(at(3, 0), Recurrence.parse("FREQ=DAILY;BYHOUR=9,10"), SHANGHAI, 2 * HOUR)
    assert twice.plan(now=at(3, 10, 30)) == Plan(fire=at(3, 10), missed=(at(3, 9),), next_at=at(4, 9))


def test_a_count_exhausted_finishes_the_schedule() -> None:
    schedule = daily(count=3)
    assert schedule.plan(now=at(4, 9), last_handled=at(3, 9)) == Plan(fire=at(4, 9), next_at=at(5, 9))
    last = schedule.plan(now=at(5, 9), last_handled=at(4, 9))
    assert last == Plan(fire=at(5, 9), next_at=None)
    assert last.finished
    assert schedule.plan(now=at(9, 9), last_handled=at(5, 9)) == Plan()
    assert schedule.next_occurrence(at(5, 9)) is None


def test_an_until_passed_while_off_reports_the_rest_and_finishes() -> None:
    schedule = daily(until=at(5, 23, 59))
    plan = schedule.plan(now=at(8, 12), last_handled=at(3, 9))
    assert plan == Plan(missed=(at(4, 9), at(5, 9)), next_at=None)
    assert plan.finished
    within = schedule.plan(now=at(5, 9, 20), last_handled=at(3, 9))
    assert within == Plan(fire=at(5, 9), missed=(at(4, 9),), next_at=None)


def test_next_occurrence_for_the_scheduler_sleep() -> None:
    schedule = daily()
    assert schedule.next_occurrence(at(3, 9)) == at(4, 9)  # strictly after
    assert schedule.next_occurrence(at(3, 8)) == at(3, 9)
    assert schedule.next_occurrence(at(1, 0)) == at(3, 9)  # before the start: the first one


def test_a_month_off_over_a_daylight_saving_change_in_berlin() -> None:
    schedule = Schedule(datetime(2024, 3, 1, 9, tzinfo=BERLIN), Recurrence.daily(), BERLIN, HOUR)
    now = datetime(2024, 4, 2, 9, 45, tzinfo=BERLIN)
    plan = schedule.plan(now=now, last_handled=datetime(2024, 3, 1, 9, tzinfo=BERLIN))
    assert plan.fire == datetime(2024, 4, 2, 7, tzinfo=UTC)  # 09:00 summer time
    assert len(plan.missed) == 31  # 2 March … 1 April
    assert plan.missed[0] == datetime(2024, 3, 2, 8, tzinfo=UTC)
    assert plan.missed[-1] == datetime(2024, 4, 1, 7, tzinfo=UTC)
    assert {m.astimezone(BERLIN).hour for m in plan.handled} == {9}


# -- one-off -----------------------------------------------------------------------------------------------


def once(grace: timedelta = HOUR) -> Schedule:
    return Schedule(at(3, 9), None, SHANGHAI, grace)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(3, 8, 59), Plan(next_at=at(3, 9))),
        (at(3, 9), Plan(fire=at(3, 9))),
        (at(3, 10), Plan(fire=at(3, 10) - HOUR)),  # exactly at the grace edge
        (at(3, 10) + MINUTE, Plan(missed=(at(3, 9),))),
        (at(9, 9), Plan(missed=(at(3, 9),))),
    ],
)
def test_one_off(now: datetime, expected: Plan) -> None:
    assert once().plan(now=now) == expected


def test_a_one_off_is_finished_once_handled() -> None:
    assert once().plan(now=at(3, 9)).finished
    assert not once().plan(now=at(3, 8)).finished
    assert once().plan(now=at(3, 9, 30), last_handled=at(3, 9)) == Plan()


def test_naive_times_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        daily().plan(now=datetime(2024, 6, 3, 9))
    with pytest.raises(ValueError, match="aware"):
        Schedule(datetime(2024, 6, 3, 9))
