"""How a campaign repeats: a few presets a user picks from, or any RFC 5545 RRULE, stored as RRULE text.

The presets are what an office asks for: every day, every week on chosen weekdays, every month on a day of
the month, every workday. Each one is plain RRULE text, and reading the text back gives the same preset, so
the database holds one form and the UI can still show the user's choice. Anything else is kept as a custom
rule, evaluated by python-dateutil (the reference implementation of RFC 5545 recurrence in Python).

Decisions:
- The time of day, and the earliest possible occurrence, come from the campaign's start time (DTSTART), in
  the campaign's own time zone. The rule text carries no DTSTART, EXDATE or RDATE.
- Nothing repeats more often than daily (HOURLY, MINUTELY, SECONDLY are refused): a bulk SMS every hour is
  not a notice but spam, and carriers block the SIM.
- Monthly on the 29th, 30th or 31st: by default a month without that day sends on its last day (31 → 30
  April, 28 or 29 February). That is `BYMONTHDAY=28,29,30,31;BYSETPOS=-1`, still plain RFC 5545. "Skip" is
  the other choice (`BYMONTHDAY=31`, RFC 5545's own meaning). "The last day of every month" is a third
  (`BYMONTHDAY=-1`).
- Workdays are Monday to Friday. Public holidays and the weekend days worked in their place (调休) are not
  known to an RRULE; a user who needs them pauses the schedule or sends by hand.
- UNTIL is stored in UTC (RFC 5545 requires that when DTSTART has a time zone). Typed as a date or a local
  time, it is read in the campaign's time zone; a date means up to the end of that day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

from smsjingling import messages
from smsjingling.errors import ValidationError

DEFAULT_TIMEZONE = "Asia/Shanghai"
LAST_DAY = -1  # month_day for "the last day of every month"
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = datetime.weekday()
WORKDAYS = (0, 1, 2, 3, 4)
MAX_INTERVAL = 1000

# Rule parts in the order the canonical text writes them (FREQ first, as RFC 5545 recommends).
_PART_ORDER = (
    "FREQ",
    "INTERVAL",
    "WKST",
    "BYMONTH",
    "BYWEEKNO",
    "BYYEARDAY",
    "BYMONTHDAY",
    "BYDAY",
    "BYHOUR",
    "BYMINUTE",
    "BYSECOND",
    "BYSETPOS",
    "COUNT",
    "UNTIL",
)
_FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
_TOO_FREQUENT = ("HOURLY", "MINUTELY", "SECONDLY")
# Integer-list parts and the values RFC 5545 allows (dateutil accepts some out-of-range values silently).
_RANGES = {
    "BYMONTH": (1, 12, False),
    "BYWEEKNO": (1, 53, True),
    "BYYEARDAY": (1, 366, True),
    "BYMONTHDAY": (1, 31, True),
    "BYHOUR": (0, 23, False),
    "BYMINUTE": (0, 59, False),
    "BYSECOND": (0, 60, False),
    "BYSETPOS": (1, 366, True),
}  # name: (lowest, highest, negative values count from the end)
_UNTIL = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?")

messages.register(
    {
        "schedule.rule_invalid": (
            "重复规则“{rule}”无效：{detail}",
            "The recurrence rule “{rule}” is not valid: {detail}",
        ),
        "schedule.rule_one_line": (
            "重复规则“{rule}”无效：只需填写一行 RRULE（开始时间另行设置，不要写 DTSTART、EXDATE 或 RDATE）。",
            "The recurrence rule “{rule}” is not valid: give a single RRULE line (the start time is set "
            "separately; no DTSTART, EXDATE or RDATE).",
        ),
        "schedule.rule_part_bad": (
            "重复规则“{rule}”无效：“{part}”不是“名称=值”的形式。",
            "The recurrence rule “{rule}” is not valid: “{part}” is not of the form NAME=VALUE.",
        ),
        "schedule.rule_part_twice": (
            "重复规则“{rule}”无效：“{name}”出现了两次。",
            "The recurrence rule “{rule}” is not valid: “{name}” is given twice.",
        ),
        "schedule.rule_part_unknown": (
            "重复规则“{rule}”无效：不认识的规则项“{name}”。",
            "The recurrence rule “{rule}” is not valid: unknown rule part “{name}”.",
        ),
        "schedule.rule_no_freq": (
            "重复规则“{rule}”无效：缺少 FREQ（重复频率）。",
            "The recurrence rule “{rule}” is not valid: FREQ (how often) is missing.",
        ),
        "schedule.rule_bad_freq": (
            "重复规则“{rule}”无效：不认识的频率“{value}”。",
            "The recurrence rule “{rule}” is not valid: unknown frequency “{value}”.",
        ),
        "schedule.rule_out_of_range": (
            "重复规则“{rule}”无效：{part} 超出允许的范围（{low} 到 {high}）。",
            "The recurrence rule “{rule}” is not valid: {part} is outside the allowed range ({low} to {high}).",
        ),
        "schedule.rule_bad_until": (
            "重复规则“{rule}”无效：UNTIL 的值“{value}”不是日期或时间（例如 20241231 或 20241231T235959Z）。",
            "The recurrence rule “{rule}” is not valid: UNTIL “{value}” is not a date or time "
            "(e.g. 20241231 or 20241231T235959Z).",
        ),
        "schedule.too_frequent": (
            "重复频率“{freq}”太频繁：定时群发最多每天一次。",
            "Repeating “{freq}” is too frequent: a scheduled send repeats at most daily.",
        ),
        "schedule.bad_count": (
            "重复次数（COUNT）必须是至少为 1 的整数，收到：{value}",
            "The number of repetitions (COUNT) must be a whole number of at least 1, got: {value}",
        ),
        "schedule.bad_interval": (
            "重复间隔（INTERVAL）必须是 1 到 {max} 之间的整数，收到：{value}",
            "The interval (INTERVAL) must be a whole number from 1 to {max}, got: {value}",
        ),
        "schedule.count_and_until": (
            "重复次数和结束时间只能二选一。",
            "Give either a number of repetitions or an end time, not both.",
        ),
        "schedule.no_weekdays": ("请至少选择一个星期几。", "Choose at least one day of the week."),
        "schedule.bad_weekday": (
            "星期几必须是 0（周一）到 6（周日），收到：{value}",
            "A day of the week is 0 (Monday) to 6 (Sunday), got: {value}",
        ),
        "schedule.bad_month_day": (
            "每月的日期必须是 1 到 31，或 -1（月末），收到：{value}",
            "The day of the month must be 1 to 31, or -1 (the last day), got: {value}",
        ),
        "schedule.until_naive": (
            "结束时间必须带时区。",
            "The end time must carry a time zone.",
        ),
        "schedule.until_before_start": (
            "结束时间 {until} 早于开始时间 {start}。",
            "The end time {until} is before the start time {start}.",
        ),
        "schedule.never": (
            "按这个重复规则，从 {start} 起没有任何一次发送。",
            "This recurrence never sends anything from {start} on.",
        ),
        "schedule.bad_timezone": (
            "未知的时区：{value}（例如 Asia/Shanghai）",
            "Unknown time zone: {value} (e.g. Asia/Shanghai)",
        ),
    }
)


class Preset(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    WORKDAYS = "workdays"
    CUSTOM = "custom"


class ShortMonth(StrEnum):
    """What a monthly schedule on the 29th–31st does in a month without that day."""

    CLAMP = "clamp"  # send on that month's last day
    SKIP = "skip"  # send nothing that month


def zone(name: str) -> ZoneInfo:
    """The time zone of a campaign, from its IANA name; a user error for a name that is not one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValidationError("schedule.bad_timezone", value=name) from exc


@dataclass(frozen=True)
class Recurrence:
    """A recurrence rule. Build one with a preset (daily, weekly, monthly, workdays) or parse(); `rule` is
    its RRULE text. Fields a preset does not use keep their defaults, so equal rules compare equal, and
    parse(r.rule) == r."""

    preset: Preset
    interval: int = 1  # a CUSTOM rule's is read from its text
    weekdays: tuple[int, ...] = ()  # 0 = Monday … 6 = Sunday (WEEKLY, WORKDAYS)
    month_day: int = 0  # 1–31, or LAST_DAY (MONTHLY)
    short_month: ShortMonth = ShortMonth.CLAMP  # MONTHLY on the 29th–31st
    count: int | None = None  # end after this many occurrences
    until: datetime | None = None  # end at this instant (aware; kept in UTC, whole seconds)
    custom: str = ""  # a CUSTOM rule's text, without COUNT and UNTIL

    def __post_init__(self) -> None:
        _check_interval(self.interval)
        if self.count is not None and (isinstance(self.count, bool) or self.count < 1):
            raise ValidationError("schedule.bad_count", value=self.count)
        if self.count is not None and self.until is not None:
            raise ValidationError("schedule.count_and_until")
        if self.until is not None:
            if self.until.tzinfo is None:
                raise ValidationError("schedule.until_naive")
            object.__setattr__(self, "until", self.until.astimezone(UTC).replace(microsecond=0))
        if self.preset in (Preset.WEEKLY, Preset.WORKDAYS):
            self._settle_weekdays()
        elif self.preset is Preset.MONTHLY:
            day = self.month_day
            if isinstance(day, bool) or not isinstance(day, int) or not (1 <= day <= 31 or day == LAST_DAY):
                raise ValidationError("schedule.bad_month_day", value=day)
            if not 29 <= day <= 31:  # every month has that day: the choice makes no difference
                object.__setattr__(self, "short_month", ShortMonth.CLAMP)
        elif self.preset is Preset.CUSTOM:
            self._settle_custom()

    def _settle_weekdays(self) -> None:
        chosen = WORKDAYS if self.preset is Preset.WORKDAYS else self.weekdays
        for day in chosen:
            if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
                raise ValidationError("schedule.bad_weekday", value=day)
        days = tuple(sorted(set(chosen)))
        if not days:
            raise ValidationError("schedule.no_weekdays")
        object.__setattr__(self, "weekdays", days)
        # Monday to Friday every week is the workdays preset, whichever way it was chosen; every other
        # week, it is a weekly rule.
        weekly = days != WORKDAYS or self.interval != 1
        object.__setattr__(self, "preset", Preset.WEEKLY if weekly else Preset.WORKDAYS)

    def _settle_custom(self) -> None:
        body, count, until, preset = _analyse(self.custom, None)
        if count is not None or until is not None:
            raise ValidationError("schedule.custom_end", rule=self.custom)
        object.__setattr__(self, "custom", body)
        object.__setattr__(self, "interval", int(_split(body).get("INTERVAL", "1")))  # the text's own
        if preset is not None:  # the text is a preset after all: hold it as one, so parse(rule) == self
            object.__setattr__(self, "custom", "")
            for name, value in zip(("preset", "weekdays", "month_day", "short_month"), preset, strict=True):
                object.__setattr__(self, name, value)
            self.__post_init__()

    # -- presets -------------------------------------------------------------------------------------

    @classmethod
    def daily(cls, *, interval: int = 1, count: int | None = None, until: datetime | None = None) -> Recurrence:
        return cls(Preset.DAILY, interval=interval, count=count, until=until)

    @classmethod
    def weekly(
        cls, weekdays: Iterable[int], *, interval: int = 1, count: int | None = None, until: datetime | None = None
    ) -> Recurrence:
        """Every `interval` weeks on the given days (0 = Monday). Monday–Friday every week is WORKDAYS."""
        return cls(Preset.WEEKLY, interval=interval, weekdays=tuple(weekdays), count=count, until=until)

    @classmethod
    def monthly(
        cls,
        day: int,
        *,
        short_month: ShortMonth = ShortMonth.CLAMP,
        interval: int = 1,
        count: int | None = None,
        until: datetime | None = None,
    ) -> Recurrence:
        """Every `interval` months on `day` (1–31), or on the last day (LAST_DAY); for the 29th–31st see the
        module notes."""
        return cls(Preset.MONTHLY, interval=interval, month_day=day, short_month=short_month, count=count, until=until)

    @classmethod
    def workdays(cls, *, count: int | None = None, until: datetime | None = None) -> Recurrence:
        """Monday to Friday, every week."""
        return cls(Preset.WORKDAYS, weekdays=WORKDAYS, count=count, until=until)

    # -- RRULE text ----------------------------------------------------------------------------------

    @property
    def rule(self) -> str:
        """The RFC 5545 RRULE value (without the "RRULE:" name), as stored in Campaign.recurrence."""
        parts = _split(self.custom) if self.preset is Preset.CUSTOM else self._preset_parts()
        if self.count is not None:
            parts["COUNT"] = str(self.count)
        if self.until is not None:
            parts["UNTIL"] = self.until.strftime("%Y%m%dT%H%M%SZ")
        return _join(parts)

    def _preset_parts(self) -> dict[str, str]:
        parts = {"FREQ": {Preset.DAILY: "DAILY", Preset.MONTHLY: "MONTHLY"}.get(self.preset, "WEEKLY")}
        if self.interval != 1:
            parts["INTERVAL"] = str(self.interval)
        if self.preset in (Preset.WEEKLY, Preset.WORKDAYS):
            parts["BYDAY"] = ",".join(WEEKDAY_CODES[d] for d in self.weekdays)
        elif self.preset is Preset.MONTHLY:
            if 29 <= self.month_day <= 31 and self.short_month is ShortMonth.CLAMP:
                # The last of 28…day that the month has: the day itself, or the month's last day.
                parts["BYMONTHDAY"] = ",".join(str(d) for d in range(28, self.month_day + 1))
                parts["BYSETPOS"] = "-1"
            else:
                parts["BYMONTHDAY"] = str(self.month_day)
        return parts

    @classmethod
    def parse(cls, text: str, tz: ZoneInfo | None = None) -> Recurrence:
        """Any RFC 5545 RRULE (with or without the "RRULE:" name), checked; a preset when it is one.

        `tz` is the campaign's time zone, used only to read an UNTIL written as a date or a local time
        (default Asia/Shanghai).
        """
        body, count, until, preset = _analyse(text, tz)
        if preset is None:
            return cls(Preset.CUSTOM, count=count, until=until, custom=body)
        kind, weekdays, month_day, short_month = preset
        interval = int(_split(body).get("INTERVAL", "1"))
        return cls(
            kind,
            interval=interval,
            weekdays=weekdays,
            month_day=month_day,
            short_month=short_month,
            count=count,
            until=until,
        )

    # -- evaluation ----------------------------------------------------------------------------------

    def rrule(self, dtstart: datetime, tz: ZoneInfo) -> rrule:
        """The dateutil rule, evaluated on the wall clock of `tz` from `dtstart` (aware)."""
        return rrulestr(self.rule, dtstart=dtstart.astimezone(tz).replace(microsecond=0))  # type: ignore[return-value]

    def open_ended(self) -> Recurrence:
        """The same rule without COUNT or UNTIL."""
        if self.count is None and self.until is None:
            return self
        return Recurrence(
            self.preset,
            interval=self.interval,
            weekdays=self.weekdays,
            month_day=self.month_day,
            short_month=self.short_month,
            custom=self.custom,
        )


messages.register(
    {
        "schedule.custom_end": (
            "自定义规则“{rule}”中不要写 COUNT 或 UNTIL，请用重复次数或结束时间。",
            "Leave COUNT and UNTIL out of the custom rule “{rule}”; give a count or an end time instead.",
        ),
    }
)


def until_end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The last second of a local date in `tz`, as an aware UTC instant: what "until 31 December" means."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz).astimezone(UTC)


# -- reading rule text ---------------------------------------------------------------------------------

_PresetFields = tuple[Preset, tuple[int, ...], int, ShortMonth]


def _analyse(text: str, tz: ZoneInfo | None) -> tuple[str, int | None, datetime | None, _PresetFields | None]:
    """Check a rule text. Returns its canonical form without COUNT and UNTIL, the count, the end (UTC),
    and the preset it is, if any."""
    shown = text.strip()
    body = shown[len("RRULE:") :] if shown.upper().startswith("RRULE:") else shown
    parts = _parse_parts(shown, body)
    freq = parts.get("FREQ", "")
    if not freq:
        raise ValidationError("schedule.rule_no_freq", rule=shown)
    if freq in _TOO_FREQUENT:
        raise ValidationError("schedule.too_frequent", freq=freq)
    if freq not in _FREQS:
        raise ValidationError("schedule.rule_bad_freq", rule=shown, value=freq)
    interval_text = parts.get("INTERVAL", "1")
    try:
        interval = int(interval_text)
    except ValueError:
        raise ValidationError("schedule.bad_interval", max=MAX_INTERVAL, value=interval_text) from None
    _check_interval(interval)
    if interval == 1:
        parts.pop("INTERVAL", None)
    else:
        parts["INTERVAL"] = str(interval)
    count: int | None = None
    if "COUNT" in parts:
        raw = parts.pop("COUNT")
        try:
            count = int(raw)
        except ValueError:
            raise ValidationError("schedule.bad_count", value=raw) from None
        if count < 1:
            raise ValidationError("schedule.bad_count", value=raw)
    until = _until_utc(shown, parts.pop("UNTIL"), tz or zone(DEFAULT_TIMEZONE)) if "UNTIL" in parts else None
    if count is not None and until is not None:
        raise ValidationError("schedule.count_and_until")
    for name, (low, high, signed) in _RANGES.items():
        for value in parts[name].split(",") if name in parts else ():
            if not _in_range(value, low, high, signed):
                lowest = f"-{high}…-{low}, {low}" if signed else str(low)
                raise ValidationError(
                    "schedule.rule_out_of_range", rule=shown, part=f"{name}={value}", low=lowest, high=high
                )
    canonical = _join(parts)
    try:  # dateutil checks every part's values (ranges, weekday codes, combinations)
        rrulestr(canonical, dtstart=datetime(2000, 1, 1, tzinfo=UTC))
    except (ValueError, TypeError) as exc:
        raise ValidationError("schedule.rule_invalid", rule=shown, detail=str(exc)) from exc
    return canonical, count, until, _preset(parts, interval)


def _parse_parts(shown: str, body: str) -> dict[str, str]:
    if any(c in body for c in "\r\n:"):
        raise ValidationError("schedule.rule_one_line", rule=shown)
    parts: dict[str, str] = {}
    for raw in body.split(";"):
        piece = raw.strip()
        if not piece:
            continue
        name, sep, value = piece.partition("=")
        name, value = name.strip().upper(), value.upper().replace(" ", "")
        if not sep or not name or not value:
            raise ValidationError("schedule.rule_part_bad", rule=shown, part=piece)
        if name in parts:
            raise ValidationError("schedule.rule_part_twice", rule=shown, name=name)
        if name not in _PART_ORDER:
            raise ValidationError("schedule.rule_part_unknown", rule=shown, name=name)
        parts[name] = value
    return parts


def _split(text: str) -> dict[str, str]:
    """The parts of a rule text this module wrote (already checked)."""
    return dict(piece.split("=", 1) for piece in text.split(";") if piece)


def _join(parts: dict[str, str]) -> str:
    return ";".join(f"{name}={parts[name]}" for name in _PART_ORDER if name in parts)


def _until_utc(shown: str, value: str, tz: ZoneInfo) -> datetime:
    match = _UNTIL.fullmatch(value)
    if not match:
        raise ValidationError("schedule.rule_bad_until", rule=shown, value=value)
    year, month, day, hour, minute, second, utc = match.groups()
    try:
        if hour is None:  # a date: up to the end of that day, on the campaign's clock
            return until_end_of_day(date(int(year), int(month), int(day)), tz)
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        raise ValidationError("schedule.rule_bad_until", rule=shown, value=value) from None
    return local.replace(tzinfo=UTC if utc else tz).astimezone(UTC)


def _in_range(text: str, low: int, high: int, signed: bool) -> bool:
    if not re.fullmatch(r"[+-]?\d{1,4}", text):
        return False
    number = int(text)
    return low <= abs(number) <= high if signed else low <= number <= high


def _check_interval(interval: int) -> None:
    if isinstance(interval, bool) or not isinstance(interval, int) or not 1 <= interval <= MAX_INTERVAL:
        raise ValidationError("schedule.bad_interval", max=MAX_INTERVAL, value=interval)


def _weekday_list(value: str) -> tuple[int, ...] | None:
    """BYDAY as plain weekdays (no ordinals such as 1MO or -1FR), or None."""
    codes = value.split(",")
    if not all(code in WEEKDAY_CODES for code in codes):
        return None
    return tuple(sorted({WEEKDAY_CODES.index(code) for code in codes}))


def _preset(parts: dict[str, str], interval: int) -> _PresetFields | None:
    """Which preset a rule (without COUNT and UNTIL) is; None for a custom rule."""
    freq = parts["FREQ"]
    others = set(parts) - {"FREQ", "INTERVAL"}
    if freq == "DAILY" and not others:
        return Preset.DAILY, (), 0, ShortMonth.CLAMP
    if freq == "DAILY" and others == {"BYDAY"} and interval == 1 and _weekday_list(parts["BYDAY"]) == WORKDAYS:
        return Preset.WORKDAYS, WORKDAYS, 0, ShortMonth.CLAMP
    if freq == "WEEKLY" and others == {"BYDAY"} and (days := _weekday_list(parts["BYDAY"])):
        return Preset.WEEKLY, days, 0, ShortMonth.CLAMP  # Monday–Friday weekly settles as WORKDAYS
    if freq == "MONTHLY" and others == {"BYMONTHDAY"} and re.fullmatch(r"[1-9]|[12]\d|3[01]|-1", parts["BYMONTHDAY"]):
        day = int(parts["BYMONTHDAY"])
        return Preset.MONTHLY, (), day, ShortMonth.SKIP if day >= 29 else ShortMonth.CLAMP
    if freq == "MONTHLY" and others == {"BYMONTHDAY", "BYSETPOS"} and parts["BYSETPOS"] == "-1":
        for day in (29, 30, 31):
            if parts["BYMONTHDAY"] == ",".join(str(d) for d in range(28, day + 1)):
                return Preset.MONTHLY, (), day, ShortMonth.CLAMP
    return None
