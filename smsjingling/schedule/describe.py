"""A schedule in words, in Chinese and English: "每个工作日 09:00" / "Every workday at 09:00".

Times are the campaign's own wall clock. A custom rule is shown as its RRULE text: a rule that is not one of
the presets is rare enough that a faithful text serves better than an approximate sentence.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from smsjingling import messages
from smsjingling.schedule.recurrence import LAST_DAY, Preset, Recurrence, ShortMonth

messages.register(
    {
        "schedule.desc.once": ("{date} {time} 发送一次", "Once, on {date} at {time}"),
        "schedule.desc.daily": ("每天 {time}", "Every day at {time}"),
        "schedule.desc.daily_n": ("每 {n} 天 {time}", "Every {n} days at {time}"),
        "schedule.desc.workdays": ("每个工作日 {time}", "Every workday at {time}"),
        "schedule.desc.weekly": ("每{days} {time}", "Every {days} at {time}"),
        "schedule.desc.weekly_n": ("每 {n} 周的{days} {time}", "Every {n} weeks on {days} at {time}"),
        "schedule.desc.monthly": ("每月 {day} 日 {time}", "Every month on the {day} at {time}"),
        "schedule.desc.monthly_n": ("每 {n} 个月的 {day} 日 {time}", "Every {n} months on the {day} at {time}"),
        "schedule.desc.month_end": ("每月最后一天 {time}", "Every month on the last day at {time}"),
        "schedule.desc.month_end_n": ("每 {n} 个月的最后一天 {time}", "Every {n} months on the last day at {time}"),
        "schedule.desc.clamp": ("（没有 {day} 日的月份在月末发送）", " (on the last day in months without a {day})"),
        "schedule.desc.skip": ("（没有 {day} 日的月份不发送）", " (skipped in months without a {day})"),
        "schedule.desc.custom": (
            "按自定义规则 {rule} 重复，自 {date} {time} 起",
            "Repeats by the rule {rule} from {date} {time}",
        ),
        "schedule.desc.count": ("，共 {count} 次", ", {count} times"),
        "schedule.desc.until": ("，至 {date} {time} 止", ", until {date} {time}"),
        "schedule.weekday.0": ("周一", "Monday"),
        "schedule.weekday.1": ("周二", "Tuesday"),
        "schedule.weekday.2": ("周三", "Wednesday"),
        "schedule.weekday.3": ("周四", "Thursday"),
        "schedule.weekday.4": ("周五", "Friday"),
        "schedule.weekday.5": ("周六", "Saturday"),
        "schedule.weekday.6": ("周日", "Sunday"),
    }
)


def describe(recurrence: Recurrence | None, start_at: datetime, tz: ZoneInfo, lang: str | None = None) -> str:
    """The schedule as a sentence: a one-off at `start_at`, or `recurrence` at `start_at`'s time of day."""
    lang = lang or messages.current_language()
    local = start_at.astimezone(tz)
    when = {"date": local.strftime("%Y-%m-%d"), "time": local.strftime("%H:%M")}
    if recurrence is None:
        return messages.text("schedule.desc.once", lang, **when)
    text = _repeat(recurrence, when, lang)
    if recurrence.count is not None:
        text += messages.text("schedule.desc.count", lang, count=recurrence.count)
    if recurrence.until is not None:
        end = recurrence.until.astimezone(tz)
        text += messages.text("schedule.desc.until", lang, date=end.strftime("%Y-%m-%d"), time=end.strftime("%H:%M"))
    return text


def _repeat(recurrence: Recurrence, when: dict[str, str], lang: str) -> str:
    n = recurrence.interval
    many = "_n" if n != 1 else ""
    if recurrence.preset is Preset.DAILY:
        return messages.text(f"schedule.desc.daily{many}", lang, n=n, **when)
    if recurrence.preset is Preset.WORKDAYS:
        return messages.text("schedule.desc.workdays", lang, **when)
    if recurrence.preset is Preset.WEEKLY:
        return messages.text(
            f"schedule.desc.weekly{many}", lang, n=n, days=_weekdays(recurrence.weekdays, lang), **when
        )
    if recurrence.preset is Preset.MONTHLY:
        day = recurrence.month_day
        if day == LAST_DAY:
            return messages.text(f"schedule.desc.month_end{many}", lang, n=n, **when)
        shown = str(day) if lang != "en" else _ordinal(day)
        text = messages.text(f"schedule.desc.monthly{many}", lang, n=n, day=shown, **when)
        if day >= 29:
            key = "schedule.desc.clamp" if recurrence.short_month is ShortMonth.CLAMP else "schedule.desc.skip"
            text += messages.text(key, lang, day=shown)
        return text
    rule = recurrence.open_ended().rule
    return messages.text("schedule.desc.custom", lang, rule=rule, **when)


def _weekdays(days: tuple[int, ...], lang: str) -> str:
    names = [messages.text(f"schedule.weekday.{d}", lang) for d in days]
    if lang != "en":
        return "、".join(names)
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"
