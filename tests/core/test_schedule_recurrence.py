"""Recurrence rules: presets to RRULE text and back, user input checked, descriptions, occurrences across
daylight-saving changes."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from smsjingling.errors import ValidationError
from smsjingling.schedule import (
    LAST_DAY,
    Preset,
    Recurrence,
    Schedule,
    ShortMonth,
    describe,
    until_end_of_day,
    zone,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def take(schedule: Schedule, n: int, after: datetime | None = None) -> list[datetime]:
    out = []
    for moment in schedule.occurrences(after):
        out.append(moment)
        if len(out) == n:
            break
    return out


# -- presets and RRULE text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recurrence", "text"),
    [
        (Recurrence.daily(), "FREQ=DAILY"),
        (Recurrence.daily(interval=3), "FREQ=DAILY;INTERVAL=3"),
        (Recurrence.weekly([4, 0, 2]), "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        (Recurrence.weekly([6], interval=2), "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU"),
        (Recurrence.workdays(), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        (Recurrence.monthly(15), "FREQ=MONTHLY;BYMONTHDAY=15"),
        (Recurrence.monthly(LAST_DAY), "FREQ=MONTHLY;BYMONTHDAY=-1"),
        (Recurrence.monthly(29), "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1"),
        (Recurrence.monthly(30), "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"),
        (Recurrence.monthly(31), "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"),
        (Recurrence.monthly(31, short_month=ShortMonth.SKIP), "FREQ=MONTHLY;BYMONTHDAY=31"),
        (Recurrence.monthly(1, interval=3), "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"),
        (Recurrence.workdays(count=10), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10"),
        (Recurrence.daily(until=utc(2024, 12, 31, 15, 59, 59)), "FREQ=DAILY;UNTIL=20241231T155959Z"),
        (Recurrence.parse("FREQ=MONTHLY;BYDAY=-1FR"), "FREQ=MONTHLY;BYDAY=-1FR"),
        (Recurrence.parse("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8;COUNT=5"), "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8;COUNT=5"),
    ],
)
def test_rule_text_and_back(recurrence: Recurrence, text: str) -> None:
    assert recurrence.rule == text
    assert Recurrence.parse(text) == recurrence
    assert Recurrence.parse("RRULE:" + text) == recurrence


@pytest.mark.parametrize(
    ("text", "preset", "canonical"),
    [
        ("rrule:freq=weekly;byday=fr,mo", Preset.WEEKLY, "FREQ=WEEKLY;BYDAY=MO,FR"),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", Preset.WORKDAYS, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("FREQ=WEEKLY;INTERVAL=1;BYDAY=FR,TH,WE,TU,MO", Preset.WORKDAYS, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR", Preset.WEEKLY, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR"),
        (" INTERVAL=02 ; FREQ=DAILY ; ", Preset.DAILY, "FREQ=DAILY;INTERVAL=2"),
        ("FREQ=WEEKLY", Preset.CUSTOM, "FREQ=WEEKLY"),  # weekly on DTSTART's weekday
        ("FREQ=MONTHLY;BYMONTHDAY=15;BYMONTH=1,7", Preset.CUSTOM, "FREQ=MONTHLY;BYMONTH=1,7;BYMONTHDAY=15"),
    ],
)
def test_parse_recognises_presets_however_written(text: str, preset: Preset, canonical: str) -> None:
    recurrence = Recurrence.parse(text)
    assert recurrence.preset is preset
    assert recurrence.rule == canonical
    assert Recurrence.parse(recurrence.rule) == recurrence


def test_the_same_rule_compares_equal_however_built() -> None:
    assert Recurrence.weekly(range(5)) == Recurrence.workdays()
    assert Recurrence(Preset.WORKDAYS, interval=2) == Recurrence.weekly(range(5), interval=2)
    assert Recurrence(Preset.WORKDAYS, interval=2).preset is Preset.WEEKLY
    assert Recurrence.weekly([0, 0, 3]).weekdays == (0, 3)
    assert Recurrence.monthly(15, short_month=ShortMonth.SKIP) == Recurrence.monthly(15)
    assert Recurrence(Preset.CUSTOM, custom="freq=daily;interval=2") == Recurrence.daily(interval=2)
    assert Recurrence.daily(until=datetime(2025, 1, 1, 8, 0, 0, 999, tzinfo=SHANGHAI)).until == utc(2025, 1, 1)


def test_until_written_as_a_date_or_local_time_is_read_on_the_campaign_clock() -> None:
    assert Recurrence.parse("FREQ=DAILY;UNTIL=20241231", SHANGHAI).until == utc(2024, 12, 31, 15, 59, 59)
    assert Recurrence.parse("FREQ=DAILY;UNTIL=20241231T090000", SHANGHAI).until == utc(2024, 12, 31, 1)
    assert Recurrence.parse("FREQ=DAILY;UNTIL=20240701T090000", BERLIN).until == utc(2024, 7, 1, 7)
    assert Recurrence.parse("FREQ=DAILY;UNTIL=20241231T090000Z", BERLIN).until == utc(2024, 12, 31, 9)
    assert until_end_of_day(date(2024, 12, 31), SHANGHAI) == utc(2024, 12, 31, 15, 59, 59)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "schedule.rule_no_freq"),
        ("BYDAY=MO", "schedule.rule_no_freq"),
        ("FREQ=SOMETIMES", "schedule.rule_bad_freq"),
        ("FREQ=HOURLY", "schedule.too_frequent"),
        ("FREQ=MINUTELY;INTERVAL=5", "schedule.too_frequent"),
        ("FREQ=DAILY;COUNT=0", "schedule.bad_count"),
        ("FREQ=DAILY;COUNT=-3", "schedule.bad_count"),
        ("FREQ=DAILY;COUNT=many", "schedule.bad_count"),
        ("FREQ=DAILY;INTERVAL=0", "schedule.bad_interval"),
        ("FREQ=DAILY;INTERVAL=1001", "schedule.bad_interval"),
        ("FREQ=DAILY;COUNT=2;UNTIL=20250101T000000Z", "schedule.count_and_until"),
        ("FREQ=DAILY;UNTIL=2024", "schedule.rule_bad_until"),
        ("FREQ=DAILY;UNTIL=20240231", "schedule.rule_bad_until"),
        ("FREQ=DAILY;BYDAY=XX", "schedule.rule_invalid"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "schedule.rule_out_of_range"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "schedule.rule_out_of_range"),
        ("FREQ=YEARLY;BYMONTH=13", "schedule.rule_out_of_range"),
        ("FREQ=DAILY;BYHOUR=9.5", "schedule.rule_out_of_range"),
        ("FREQ=DAILY;FOO=1", "schedule.rule_part_unknown"),
        ("FREQ=YEARLY;BYEASTER=0", "schedule.rule_part_unknown"),
        ("FREQ=DAILY;FREQ=WEEKLY", "schedule.rule_part_twice"),
        ("FREQ=DAILY;BYDAY", "schedule.rule_part_bad"),
        ("DTSTART:20240101T090000\nRRULE:FREQ=DAILY", "schedule.rule_one_line"),
    ],
)
def test_bad_rules_are_refused_with_a_message_in_both_languages(text: str, key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Recurrence.parse(text)
    error = caught.value
    assert error.key == key
    zh, en = error.message("zh"), error.message("en")
    assert zh != en
    assert "{" not in zh + en  # every parameter filled in


@pytest.mark.parametrize(
    ("build", "key"),
    [
        (lambda: Recurrence.weekly([]), "schedule.no_weekdays"),
        (lambda: Recurrence.weekly([7]), "schedule.bad_weekday"),
        (lambda: Recurrence.weekly([True]), "schedule.bad_weekday"),
        (lambda: Recurrence.monthly(0), "schedule.bad_month_day"),
        (lambda: Recurrence.monthly(32), "schedule.bad_month_day"),
        (lambda: Recurrence.monthly(-2), "schedule.bad_month_day"),
        (lambda: Recurrence.daily(count=0), "schedule.bad_count"),
        (lambda: Recurrence.daily(interval=0), "schedule.bad_interval"),
        (lambda: Recurrence.daily(count=3, until=utc(2025, 1, 1)), "schedule.count_and_until"),
        (lambda: Recurrence.daily(until=datetime(2025, 1, 1)), "schedule.until_naive"),
        (lambda: Recurrence(Preset.CUSTOM, custom="FREQ=YEARLY;COUNT=2"), "schedule.custom_end"),
        (lambda: Recurrence(Preset.CUSTOM, custom="FREQ=HOURLY"), "schedule.too_frequent"),
        (lambda: zone("Mars/Olympus_Mons"), "schedule.bad_timezone"),
        (lambda: zone("../etc/passwd"), "schedule.bad_timezone"),
    ],
)
def test_bad_presets_are_refused(build, key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert caught.value.key == key


# -- checking a new schedule ----------------------------------------------------------------------------


def test_an_end_before_the_start_is_refused() -> None:
    schedule = Schedule(datetime(2024, 6, 3, 9, tzinfo=SHANGHAI), Recurrence.daily(until=utc(2024, 6, 1)), SHANGHAI)
    with pytest.raises(ValidationError) as caught:
        schedule.check()
    assert caught.value.key == "schedule.until_before_start"
    assert "2024-06-01 08:00" in caught.value.message("zh")


def test_a_rule_that_never_matches_is_refused_quickly() -> None:
    started = time.perf_counter()
    for text in ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29"):
        # 2023 + 4n is never a leap year: never a 29 February.
        schedule = Schedule(datetime(2023, 1, 1, 9, tzinfo=BERLIN), Recurrence.parse(text), BERLIN)
        assert schedule.first() is None
        with pytest.raises(ValidationError) as caught:
            schedule.check()
        assert caught.value.key == "schedule.never"
    # dateutil alone searches to the year 9999 (several seconds for the daily rule on this machine)
    assert time.perf_counter() - started < 5
    rare = Schedule(
        datetime(2024, 1, 1, 9, tzinfo=BERLIN), Recurrence.parse("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29")
    )
    assert rare.first() == utc(2024, 2, 29, 8)


def test_a_count_of_occurrences_none_of_which_is_before_until_is_refused() -> None:
    start = datetime(2024, 6, 3, 9, tzinfo=SHANGHAI)  # a Monday
    schedule = Schedule(start, Recurrence.weekly([5], until=utc(2024, 6, 7)), SHANGHAI)  # Saturday, ends Friday
    with pytest.raises(ValidationError) as caught:
        schedule.check()
    assert caught.value.key == "schedule.never"


def test_a_first_send_already_beyond_grace_is_refused_for_a_new_schedule() -> None:
    start = datetime(2024, 6, 3, 9, tzinfo=SHANGHAI)
    schedule = Schedule(start, None, SHANGHAI, timedelta(minutes=30))
    schedule.check(now=start + timedelta(minutes=30))  # just typed, a little late: fine
    with pytest.raises(ValidationError) as caught:
        schedule.check(now=start + timedelta(minutes=31))
    assert caught.value.key == "schedule.start_past"
    with pytest.raises(ValidationError):
        Schedule(start, grace=timedelta(minutes=-1))


# -- descriptions ------------------------------------------------------------------------------------------

NINE = datetime(2024, 6, 3, 9, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("recurrence", "zh", "en"),
    [
        (Recurrence.workdays(), "每个工作日 09:00", "Every workday at 09:00"),
        (Recurrence.daily(), "每天 09:00", "Every day at 09:00"),
        (Recurrence.daily(interval=3), "每 3 天 09:00", "Every 3 days at 09:00"),
        (Recurrence.weekly([0, 2, 4]), "每周一、周三、周五 09:00", "Every Monday, Wednesday and Friday at 09:00"),
        (Recurrence.weekly([1]), "每周二 09:00", "Every Tuesday at 09:00"),
        (
            Recurrence.weekly([5, 6], interval=2),
            "每 2 周的周六、周日 09:00",
            "Every 2 weeks on Saturday and Sunday at 09:00",
        ),
        (Recurrence.monthly(1), "每月 1 日 09:00", "Every month on the 1st at 09:00"),
        (Recurrence.monthly(22, interval=3), "每 3 个月的 22 日 09:00", "Every 3 months on the 22nd at 09:00"),
        (Recurrence.monthly(LAST_DAY), "每月最后一天 09:00", "Every month on the last day at 09:00"),
        (
            Recurrence.monthly(31),
            "每月 31 日 09:00（没有 31 日的月份在月末发送）",
            "Every month on the 31st at 09:00 (on the last day in months without a 31st)",
        ),
        (
            Recurrence.monthly(30, short_month=ShortMonth.SKIP),
            "每月 30 日 09:00（没有 30 日的月份不发送）",
            "Every month on the 30th at 09:00 (skipped in months without a 30th)",
        ),
        (Recurrence.workdays(count=5), "每个工作日 09:00，共 5 次", "Every workday at 09:00, 5 times"),
        (
            Recurrence.daily(until=until_end_of_day(date(2024, 12, 31), SHANGHAI)),
            "每天 09:00，至 2024-12-31 23:59 止",
            "Every day at 09:00, until 2024-12-31 23:59",
        ),
        (
            Recurrence.parse("FREQ=MONTHLY;BYDAY=-1FR"),
            "按自定义规则 FREQ=MONTHLY;BYDAY=-1FR 重复，自 2024-06-03 09:00 起",
            "Repeats by the rule FREQ=MONTHLY;BYDAY=-1FR from 2024-06-03 09:00",
        ),
        (None, "2024-06-03 09:00 发送一次", "Once, on 2024-06-03 at 09:00"),
    ],
)
def test_descriptions(recurrence: Recurrence | None, zh: str, en: str) -> None:
    assert describe(recurrence, NINE, SHANGHAI, "zh") == zh
    assert describe(recurrence, NINE, SHANGHAI, "en") == en


def test_description_uses_the_campaign_clock_and_the_chosen_language(monkeypatch: pytest.MonkeyPatch) -> None:
    start = datetime(2024, 6, 3, 7, 30, tzinfo=UTC)  # 09:30 in Berlin (summer time)
    assert describe(Recurrence.workdays(), start, BERLIN, "en") == "Every workday at 09:30"
    monkeypatch.setenv("SMSJINGLING_LANG", "en")
    assert describe(Recurrence.daily(), start, SHANGHAI) == "Every day at 15:30"
    assert [_ordinal_of(d) for d in (2, 3, 4, 11, 12, 13, 21, 23)] == [
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "23rd",
    ]


def _ordinal_of(day: int) -> str:
    text = describe(Recurrence.monthly(day), NINE, SHANGHAI, "en")
    return text.removeprefix("Every month on the ").split(" ")[0]


# -- occurrences: time zones and daylight saving ------------------------------------------------------------


def test_occurrences_are_local_wall_clock_stored_in_utc() -> None:
    schedule = Schedule(datetime(2024, 6, 3, 9, tzinfo=SHANGHAI), Recurrence.daily(), SHANGHAI)
    assert take(schedule, 3) == [utc(2024, 6, 3, 1), utc(2024, 6, 4, 1), utc(2024, 6, 5, 1)]
    assert all(moment.tzinfo is UTC for moment in take(schedule, 3))


def test_daily_nine_oclock_stays_nine_oclock_across_both_daylight_saving_changes() -> None:
    schedule = Schedule(datetime(2024, 3, 30, 9, tzinfo=BERLIN), Recurrence.daily(), BERLIN)
    spring = take(schedule, 3)
    assert spring == [utc(2024, 3, 30, 8), utc(2024, 3, 31, 7), utc(2024, 4, 1, 7)]
    autumn = take(schedule, 2, after=utc(2024, 10, 26, 0))
    assert autumn == [utc(2024, 10, 26, 7), utc(2024, 10, 27, 8)]
    assert {m.astimezone(BERLIN).strftime("%H:%M") for m in spring + autumn} == {"09:00"}


def test_a_time_in_the_spring_gap_or_the_repeated_autumn_hour_is_read_as_rfc_5545_says() -> None:
    gap = Schedule(datetime(2024, 3, 30, 2, 30, tzinfo=BERLIN), Recurrence.daily(), BERLIN)
    # 02:30 does not exist on 31 March: the offset before the gap makes it 03:30 summer time.
    assert take(gap, 3) == [utc(2024, 3, 30, 1, 30), utc(2024, 3, 31, 1, 30), utc(2024, 4, 1, 0, 30)]
    repeated = Schedule(datetime(2024, 10, 26, 2, 30, tzinfo=BERLIN), Recurrence.daily(), BERLIN)
    # 02:30 happens twice on 27 October: the first (summer time) is meant.
    assert take(repeated, 3) == [utc(2024, 10, 26, 0, 30), utc(2024, 10, 27, 0, 30), utc(2024, 10, 28, 1, 30)]


def test_two_local_times_naming_one_instant_give_one_occurrence() -> None:
    # 02:30 and 03:30 on 31 March are the same instant in Berlin (the first does not exist).
    rule = Recurrence.parse("FREQ=DAILY;BYHOUR=2,3;BYMINUTE=30")
    schedule = Schedule(datetime(2024, 3, 30, 0, 0, tzinfo=BERLIN), rule, BERLIN)
    got = take(schedule, 5)
    assert got == [
        utc(2024, 3, 30, 1, 30),
        utc(2024, 3, 30, 2, 30),
        utc(2024, 3, 31, 1, 30),
        utc(2024, 4, 1, 0, 30),
        utc(2024, 4, 1, 1, 30),
    ]


def test_monthly_on_the_31st_clamps_or_skips_and_last_day_is_the_last_day() -> None:
    start = datetime(2024, 1, 1, 9, tzinfo=SHANGHAI)

    def days(recurrence: Recurrence) -> list[str]:
        return [m.astimezone(SHANGHAI).strftime("%m-%d") for m in take(Schedule(start, recurrence, SHANGHAI), 5)]

    assert days(Recurrence.monthly(31)) == ["01-31", "02-29", "03-31", "04-30", "05-31"]
    assert days(Recurrence.monthly(30)) == ["01-30", "02-29", "03-30", "04-30", "05-30"]
    assert days(Recurrence.monthly(31, short_month=ShortMonth.SKIP)) == ["01-31", "03-31", "05-31", "07-31", "08-31"]
    assert days(Recurrence.monthly(LAST_DAY)) == ["01-31", "02-29", "03-31", "04-30", "05-31"]
    non_leap = Schedule(datetime(2023, 2, 1, 9, tzinfo=SHANGHAI), Recurrence.monthly(29), SHANGHAI)
    assert take(non_leap, 1) == [utc(2023, 2, 28, 1)]


def test_workdays_skip_the_weekend_and_start_on_the_first_workday() -> None:
    saturday = datetime(2024, 6, 1, 9, tzinfo=SHANGHAI)
    got = take(Schedule(saturday, Recurrence.workdays(), SHANGHAI), 6)
    assert [m.astimezone(SHANGHAI).strftime("%a %d") for m in got] == [
        "Mon 03",
        "Tue 04",
        "Wed 05",
        "Thu 06",
        "Fri 07",
        "Mon 10",
    ]


def test_a_start_with_fractions_of_a_second_is_still_the_first_occurrence() -> None:
    start = datetime(2024, 6, 3, 9, 0, 0, 500_000, tzinfo=SHANGHAI)
    assert take(Schedule(start, Recurrence.daily(), SHANGHAI), 1) == [utc(2024, 6, 3, 1)]
