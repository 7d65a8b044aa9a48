"""The sending rules an office can tune: retries and their backoff, send windows, when a modem rests, and
the plan's caps. Declared here, next to their use, in the typed settings registry."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smsjingling.settings import Setting, Settings, declare

CHINA = ZoneInfo("Asia/Shanghai")
_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def _window_check(value: str) -> str | None:
    if value == "":
        return None
    m = _WINDOW.match(value)
    if not m or int(m.group(1)) > 23 or int(m.group(3)) > 23 or int(m.group(2)) > 59 or int(m.group(4)) > 59:
        return "HH:MM-HH:MM, e.g. 08:00-21:00 / 格式为 时:分-时:分"
    return None


def _at_least(n: int):
    return lambda v: None if v >= n else f">= {n}"


MAX_ATTEMPTS = declare(
    Setting("send.max_attempts", int, 4, "每条短信最多尝试次数", "Attempts per message", _at_least(1))
)
RETRY_BASE_SECONDS = declare(
    Setting(
        "send.retry_base_seconds",
        int,
        60,
        "首次重试等待（秒，之后加倍）",
        "First retry after (s, then doubling)",
        _at_least(1),
    )
)
RETRY_MAX_SECONDS = declare(
    Setting("send.retry_max_seconds", int, 1800, "重试最长等待（秒）", "Longest wait between retries (s)", _at_least(1))
)
MARKETING_WINDOW = declare(
    Setting(
        "send.marketing_window",
        str,
        "08:00-21:00",
        "营销短信发送时段",
        "Marketing messages only between",
        _window_check,
    )
)
MAINTENANCE_WINDOW = declare(
    Setting(
        "gateway.maintenance_window",
        str,
        "23:00-06:00",
        "网关维护时段（暂停经网关发送）",
        "Gateway maintenance (no gateway sends)",
        _window_check,
    )
)
FAILURES_BEFORE_REST = declare(
    Setting(
        "modem.failures_before_rest",
        int,
        3,
        "连续失败几次后暂停该猫",
        "Rest a modem after failures in a row",
        _at_least(1),
    )
)
REST_MINUTES = declare(
    Setting("modem.rest_minutes", int, 10, "故障猫暂停时长（分钟）", "Rest a failing modem for (minutes)", _at_least(1))
)
REPORT_TIMEOUT_HOURS = declare(
    Setting(
        "send.report_timeout_hours",
        int,
        48,
        "等待状态报告（小时，之后显示“无报告”）",
        "Wait for a delivery report (hours, then 'no report')",
        _at_least(1),
    )
)
RECIPIENT_CAP = declare(
    Setting(
        "plan.recipient_cap",
        int,
        10000,
        "每次群发最多接收人数（合同约定）",
        "Recipients per send (contract)",
        _at_least(1),
    )
)
DAILY_MAX = declare(
    Setting("plan.daily_max", int, 50000, "每日最多发送条数（套餐）", "Messages per day (plan)", _at_least(1))
)


def _zone_check(value: str) -> str | None:
    # SendRules.load and every report read this zone: a name ZoneInfo cannot load would stop the dispatcher.
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return "an IANA time zone such as Asia/Shanghai / 时区名称，例如 Asia/Shanghai"
    return None


TIMEZONE = declare(Setting("ui.timezone", str, "Asia/Shanghai", "时区", "Time zone", _zone_check))


@dataclass(frozen=True)
class Window:
    """A daily window in local time; one that ends before it starts runs over midnight (23:00-06:00)."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> Window | None:
        m = _WINDOW.match(text or "")
        if not m:
            return None
        return cls(time(int(m.group(1)), int(m.group(2))), time(int(m.group(3)), int(m.group(4))))

    def contains(self, local: datetime) -> bool:
        t = local.time().replace(tzinfo=None)
        if self.start <= self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end

    def next_open(self, local: datetime) -> datetime:
        """The first moment at or after `local` inside the window."""
        if self.contains(local):
            return local
        opening = local.replace(hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0)
        return opening if opening > local else opening + timedelta(days=1)


@dataclass(frozen=True)
class SendRules:
    """A snapshot of the rules, read once when the dispatcher starts (and again when settings change)."""

    max_attempts: int = 4
    retry_base: float = 60.0
    retry_max: float = 1800.0
    marketing: Window | None = Window(time(8), time(21))
    maintenance: Window | None = Window(time(23), time(6))
    failures_before_rest: int = 3
    rest_seconds: float = 600.0
    zone: ZoneInfo = CHINA

    @classmethod
    def load(cls, settings: Settings) -> SendRules:
        return cls(
            max_attempts=settings.get(MAX_ATTEMPTS),
            retry_base=float(settings.get(RETRY_BASE_SECONDS)),
            retry_max=float(settings.get(RETRY_MAX_SECONDS)),
            marketing=Window.parse(settings.get(MARKETING_WINDOW)),
            maintenance=Window.parse(settings.get(MAINTENANCE_WINDOW)),
            failures_before_rest=settings.get(FAILURES_BEFORE_REST),
            rest_seconds=60.0 * settings.get(REST_MINUTES),
            zone=ZoneInfo(settings.get(TIMEZONE)),
        )

    def backoff(self, attempts: int, rng: random.Random | None = None) -> float:
        """Seconds before attempt `attempts + 1`: doubling from the base, capped, with ±20 % jitter so the
        messages of a failed batch do not all come back at the same moment."""
        base = min(self.retry_base * 2 ** max(attempts - 1, 0), self.retry_max)
        return base * (rng or random).uniform(0.8, 1.2)

    def marketing_open(self, now: datetime) -> bool:
        return self.marketing is None or self.marketing.contains(now.astimezone(self.zone))

    def gateway_open(self, now: datetime) -> bool:
        return self.maintenance is None or not self.maintenance.contains(now.astimezone(self.zone))
