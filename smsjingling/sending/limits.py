"""How fast and how much one channel may send: a rate per minute, random spacing, and hourly and daily caps
per SIM (carriers throttle or block a SIM that sends too much). Pure, with the time passed in, so tests need
no clock."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

HOUR = 3600.0
DAY = 86400.0


@dataclass
class Limits:
    per_minute: int = 0  # 0: none
    hourly_cap: int = 200  # 0: none
    daily_cap: int = 1000  # 0: none
    spacing_min: float = 0.0
    spacing_max: float = 0.0


@dataclass
class SendBudget:
    """Remembers when this channel sent (the last day of it) and answers how long until it may send again."""

    limits: Limits
    rng: random.Random = field(default_factory=random.Random)
    _times: deque[float] = field(default_factory=deque)
    _next_gap: float = 0.0

    def seed(self, times: Iterable[float]) -> None:
        """Sends made before this run (from the record), so a restart does not reset the caps."""
        self._times.extend(sorted(times))

    def record(self, at: float) -> None:
        self._times.append(at)
        lo, hi = self.limits.spacing_min, self.limits.spacing_max
        self._next_gap = self.rng.uniform(lo, hi) if hi > 0 else 0.0

    def _trim(self, now: float) -> None:
        while self._times and self._times[0] <= now - DAY:
            self._times.popleft()

    def sent_within(self, now: float, window: float) -> int:
        self._trim(now)
        cutoff = now - window
        # The deque is sorted; count from the right, where the recent sends are.
        n = 0
        for t in reversed(self._times):
            if t <= cutoff:
                break
            n += 1
        return n

    def wait(self, now: float) -> float:
        """Seconds until the next send is allowed (0: now)."""
        self._trim(now)
        times = self._times
        waits = [0.0]
        if times:
            waits.append(times[-1] + self._next_gap - now)
        lim = self.limits
        if lim.per_minute and self.sent_within(now, 60.0) >= lim.per_minute:
            waits.append(times[-lim.per_minute] + 60.0 - now)
        if lim.hourly_cap and self.sent_within(now, HOUR) >= lim.hourly_cap:
            waits.append(times[-lim.hourly_cap] + HOUR - now)
        if lim.daily_cap and len(times) >= lim.daily_cap:
            waits.append(times[-lim.daily_cap] + DAY - now)
        return max(waits)

    def capped(self, now: float) -> bool:
        """True when an hourly or daily cap (not just the spacing) holds the channel back."""
        lim = self.limits
        return bool(
            (lim.hourly_cap and self.sent_within(now, HOUR) >= lim.hourly_cap)
            or (lim.daily_cap and self.sent_within(now, DAY) >= lim.daily_cap)
        )
