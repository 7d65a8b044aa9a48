"""A range of calendar days in the user's time zone, and its bounds as UTC instants.

The record stores UTC; people ask for "June" or "last week" on their own calendar. A Period is local
dates, start inclusive and end exclusive (1 June to 1 July is the whole of June), in a given zone, or in
the computer's own zone when none is given. Each day's bounds are computed from the zone's rules, so a day
with a daylight-saving change is 23 or 25 hours long and still one day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smsjingling import messages
from smsjingling.errors import ValidationError
from smsjingling.sending.rules import TIMEZONE
from smsjingling.settings import Settings
from smsjingling.storage.database import Database

messages.register(
    {
        "records.bad_date": (
            "日期无效：{value}（请写成 2024-06-01 的形式）",
            "Not a valid date: {value} (write it as 2024-06-01)",
        ),
        "records.bad_period": (
            "结束日期 {end} 必须晚于开始日期 {start}（开始日包含在内，结束日不包含）",
            "The end date {end} must be after the start date {start} (the start day is included, the end day is not)",
        ),
        "records.bad_zone": (
            "未知的时区：{value}（例如 Asia/Shanghai）",
            "Unknown time zone: {value} (e.g. Asia/Shanghai)",
        ),
    }
)

# 2024-06-01, 2024/6/1, 2024.6.1, 2024年6月1日, 20240601
_DATE = re.compile(r"\s*(\d{4})(?:[-/.年]\s*(\d{1,2})[-/.月]\s*(\d{1,2})日?|(\d{2})(\d{2}))\s*")


def parse_date(text: str) -> date:
    match = _DATE.fullmatch(text)
    if match:
        year, month, day = match[1], match[2] or match[4], match[3] or match[5]
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            pass
    raise ValidationError("records.bad_date", value=text)


def zone(name: str | None) -> tzinfo | None:
    """An IANA zone by name; None or "" is the computer's own zone."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError("records.bad_zone", value=name) from exc


def user_zone(db: Database) -> tzinfo | None:
    """The zone the office set (ui.timezone), in which people read the record's dates."""
    return zone(Settings(db).get(TIMEZONE))


def start_of_day(day: date, tz: tzinfo | None = None) -> datetime:
    """Local midnight of the day as an aware UTC instant."""
    if tz is None:
        # A naive datetime's astimezone() reads it as the computer's local time, daylight saving included.
        return datetime.combine(day, time.min).astimezone().astimezone(UTC)
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)


def wall_time(at: datetime, tz: tzinfo | None = None) -> datetime:
    """An aware instant as the naive local time a reader expects to see (spreadsheets have no zones)."""
    return at.astimezone(tz).replace(tzinfo=None)


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier; a day the earlier month lacks becomes its last day
    (31 August minus six months is 29 February), which errs on the side of keeping records longer."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    start: date  # included
    end: date  # not included
    tz: tzinfo | None = None  # None: the computer's own zone

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValidationError("records.bad_period", start=self.start.isoformat(), end=self.end.isoformat())

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days)]

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as UTC instants."""
        return start_of_day(self.start, self.tz), start_of_day(self.end, self.tz)

    def day_starts(self) -> list[datetime]:
        """The UTC instant each day begins, then the end: len(days) + 1 ascending instants."""
        return [start_of_day(d, self.tz) for d in [*self.days, self.end]]

    def describe(self) -> dict[str, str]:
        """For audit details and file names: plain strings."""
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "tz": zone_name(self.tz)}


def zone_name(tz: tzinfo | None) -> str:
    if tz is None:
        return datetime.now().astimezone().tzname() or "local"
    return str(getattr(tz, "key", None) or tz.tzname(None) or tz)
