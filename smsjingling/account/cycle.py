"""Billing cycles (计费周期, seed 002): from the 1st of a month at 00:00 to the next 1st at 00:00, local time in
the office's zone (the `ui.timezone` setting), so a message sent at 23:59 on the 31st in Beijing belongs to
that month even though it is 15:59 UTC."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from smsjingling import messages
from smsjingling.errors import ValidationError
from smsjingling.records.period import Period, start_of_day

messages.register(
    {
        "account.bad_month": (
            "月份无效：{value}（请写成 2024-06 的形式）",
            "Not a month: {value} (write it as 2024-06)",
        ),
    }
)

_MONTH = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*")


@dataclass(frozen=True)
class BillingCycle:
    first: date  # the 1st of the month
    tz: tzinfo | None = None  # None: the computer's own zone

    @classmethod
    def of(cls, year: int, month: int, tz: tzinfo | None = None) -> BillingCycle:
        return cls(date(year, month, 1), tz)

    @classmethod
    def containing(cls, at: datetime, tz: tzinfo | None = None) -> BillingCycle:
        local = at.astimezone(tz)
        return cls(date(local.year, local.month, 1), tz)

    @classmethod
    def parse(cls, text: str, tz: tzinfo | None = None) -> BillingCycle:
        """'2024-06', '2024/6', '2024年6月'."""
        match = _MONTH.fullmatch(text)
        if match and 1 <= int(match[2]) <= 12:
            return cls.of(int(match[1]), int(match[2]), tz)
        raise ValidationError("account.bad_month", value=text)

    @property
    def next_first(self) -> date:
        y, m = self.first.year, self.first.month
        return date(y + m // 12, m % 12 + 1, 1)

    @property
    def start(self) -> datetime:
        """The cycle's first instant, aware UTC."""
        return start_of_day(self.first, self.tz)

    @property
    def end(self) -> datetime:
        """The next cycle's first instant (not included), aware UTC."""
        return start_of_day(self.next_first, self.tz)

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end

    def next(self) -> BillingCycle:
        return BillingCycle(self.next_first, self.tz)

    def previous(self) -> BillingCycle:
        y, m = self.first.year, self.first.month
        return BillingCycle(date(y - (m == 1), 12 if m == 1 else m - 1, 1), self.tz)

    @property
    def period(self) -> Period:
        """The same days as a period of the send record."""
        return Period(self.first, self.next_first, self.tz)

    @property
    def label(self) -> str:
        return f"{self.first.year:04d}-{self.first.month:02d}"


def day_start(at: datetime, tz: tzinfo | None = None) -> datetime:
    """Local midnight of the day `at` falls on, aware UTC: where the daily maximum's day begins."""
    return start_of_day(at.astimezone(tz).date(), tz)
