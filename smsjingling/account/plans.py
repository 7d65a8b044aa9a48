"""What a message costs under a plan (套餐, seed 002), and whether a day's maximum allows it. Pure: the
counts come in, prices go out, so the rules are tested without a database.

Counts are segments (条): carriers and vendors bill each part of a long message as one message, and the
daily maximum the campaign check enforces counts the same way. Within a billing cycle the first
`included` segments are covered by the monthly fee (0 fen each); every one after costs `overage_fen`. A
message that straddles the line pays only for its parts beyond it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smsjingling import messages
from smsjingling.account.money import yuan_text
from smsjingling.errors import ValidationError

messages.register(
    {
        "account.over_daily_max": (
            "套餐每日最多发送 {cap} 条，今天已发送或排队 {used} 条，本次 {count} 条，超出 {over} 条。",
            "The plan allows {cap} messages a day; {used} are sent or queued today and this adds {count}, {over} over.",
        ),
        "account.plan_describe": (
            "{name}：月租 {fee} 元，含 {included} 条，超出后 {overage} 元/条，每日最多 {daily}",
            "{name}: {fee} yuan a month, {included} messages included, then {overage} yuan each, at most {daily} a day",
        ),
        "account.no_daily_max": ("不限", "no limit"),
        "account.bad_plan_value": ("套餐的{field}不能为负数：{value}", "A plan's {field} cannot be negative: {value}"),
    }
)


@dataclass(frozen=True)
class Tariff:
    """A plan's terms. A flat prepaid price is `Tariff.flat(price)`: no fee, nothing included."""

    name: str = ""
    monthly_fee_fen: int = 0
    included: int = 0
    overage_fen: int = 0
    daily_max: int = 0  # 0: no maximum

    def __post_init__(self) -> None:
        for field in ("monthly_fee_fen", "included", "overage_fen", "daily_max"):
            if getattr(self, field) < 0:
                raise ValidationError("account.bad_plan_value", field=field, value=getattr(self, field))

    @classmethod
    def flat(cls, fen_per_segment: int, name: str = "") -> Tariff:
        return cls(name=name, overage_fen=fen_per_segment)

    def price(self, used: int, segments: int) -> int:
        """Fen for one message of `segments` parts when `used` segments of the cycle are already spoken for."""
        free = min(segments, max(0, self.included - used))
        return (segments - free) * self.overage_fen

    def quote(self, used_in_cycle: int, used_today: int, segments: Sequence[int]) -> Quote:
        """Prices for messages in the order given (the included ones go to the first), and how far the batch
        would go past the daily maximum."""
        prices: list[int] = []
        used = used_in_cycle
        for n in segments:
            prices.append(self.price(used, n))
            used += n
        count = used - used_in_cycle
        over = max(0, used_today + count - self.daily_max) if self.daily_max else 0
        return Quote(prices, sum(prices), count, used_today, over, self.daily_max)

    def describe(self, lang: str | None = None) -> str:
        daily = str(self.daily_max) if self.daily_max else messages.text("account.no_daily_max", lang)
        return messages.text(
            "account.plan_describe",
            lang,
            name=self.name,
            fee=yuan_text(self.monthly_fee_fen),
            included=self.included,
            overage=yuan_text(self.overage_fen),
            daily=daily,
        )


@dataclass(frozen=True)
class Quote:
    prices: list[int]  # fen per message, in the order asked
    total_fen: int
    segments: int
    used_today: int
    over_daily: int  # segments beyond the daily maximum; 0: within it
    daily_max: int

    def check_daily(self) -> None:
        """Refuse, saying by how much, when the batch would pass the plan's daily maximum."""
        if self.over_daily:
            raise ValidationError(
                "account.over_daily_max",
                cap=self.daily_max,
                used=self.used_today,
                count=self.segments,
                over=self.over_daily,
            )
