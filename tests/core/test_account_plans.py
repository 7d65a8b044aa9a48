"""Prices under a plan (included messages first, then overage; the daily maximum), billing cycles in the
office's zone, and amounts typed in 元."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smsjingling.account import BillingCycle, Tariff, parse_yuan, yuan_text
from smsjingling.account.cycle import day_start
from smsjingling.errors import ValidationError

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLAN = Tariff("标准套餐", monthly_fee_fen=5_000, included=1_000, overage_fen=5, daily_max=300)


def test_included_messages_first_then_the_overage_price() -> None:
    assert PLAN.price(used=0, segments=1) == 0
    assert PLAN.price(used=999, segments=1) == 0
    assert PLAN.price(used=1_000, segments=1) == 5
    assert PLAN.price(used=999, segments=3) == 10  # one part still included, two beyond
    assert PLAN.price(used=5_000, segments=2) == 10
    flat = Tariff.flat(4)
    assert flat.price(0, 1) == 4 and flat.price(10**6, 3) == 12


def test_a_quote_prices_a_batch_in_order_and_measures_the_daily_maximum() -> None:
    quote = PLAN.quote(used_in_cycle=998, used_today=250, segments=[1, 2, 1, 3])
    assert quote.prices == [0, 5, 5, 15] and quote.total_fen == 25 and quote.segments == 7
    assert quote.over_daily == 0
    quote.check_daily()
    over = PLAN.quote(used_in_cycle=0, used_today=295, segments=[2, 2, 3])
    assert over.over_daily == 2
    with pytest.raises(ValidationError) as err:
        over.check_daily()
    assert err.value.message("zh") == "套餐每日最多发送 300 条，今天已发送或排队 295 条，本次 7 条，超出 2 条。"
    assert "2 over" in err.value.message("en")
    assert Tariff.flat(5).quote(0, 10**9, [1]).over_daily == 0  # no daily maximum


@given(
    used=st.integers(0, 3_000),
    segments=st.lists(st.integers(1, 6), max_size=30),
    included=st.integers(0, 2_000),
    overage=st.integers(0, 20),
)
def test_a_batch_costs_exactly_its_segments_beyond_what_the_plan_includes(
    used: int, segments: list[int], included: int, overage: int
) -> None:
    tariff = Tariff("p", included=included, overage_fen=overage)
    quote = tariff.quote(used, 0, segments)
    total = sum(segments)
    beyond = max(0, used + total - max(included, used))
    assert quote.total_fen == beyond * overage
    # Splitting a batch in two never changes what it costs.
    half = len(segments) // 2
    first = tariff.quote(used, 0, segments[:half])
    second = tariff.quote(used + sum(segments[:half]), 0, segments[half:])
    assert first.prices + second.prices == quote.prices


def test_a_plan_cannot_be_negative() -> None:
    with pytest.raises(ValidationError):
        Tariff("x", overage_fen=-1)


def test_describe_reads_like_the_contracts_table() -> None:
    assert PLAN.describe("zh") == "标准套餐：月租 50.00 元，含 1000 条，超出后 0.05 元/条，每日最多 300"
    assert "no limit" in Tariff("自由套餐", overage_fen=6).describe("en")


def test_billing_cycles_run_from_the_first_at_midnight_local_time() -> None:
    june = BillingCycle.of(2024, 6, SHANGHAI)
    assert june.start == datetime(2024, 5, 31, 16, 0, tzinfo=UTC)
    assert june.end == datetime(2024, 6, 30, 16, 0, tzinfo=UTC)
    assert june.label == "2024-06" and june.period.days[-1] == date(2024, 6, 30)
    # 23:59 on 30 June in Beijing is June's, though it is already 15:59 UTC on the 30th ...
    assert BillingCycle.containing(datetime(2024, 6, 30, 15, 59, tzinfo=UTC), SHANGHAI) == june
    # ... and 00:00 on 1 July is July's.
    assert BillingCycle.containing(datetime(2024, 6, 30, 16, 0, tzinfo=UTC), SHANGHAI).label == "2024-07"
    december = BillingCycle.of(2024, 12, SHANGHAI)
    assert december.next().label == "2025-01" and december.next().previous() == december
    assert BillingCycle.of(2025, 1, SHANGHAI).previous().label == "2024-12"
    assert not june.contains(june.end) and june.contains(june.start)


def test_a_cycle_by_name_and_the_days_start() -> None:
    for text in ("2024-06", "2024/6", "2024年6月", " 2024.06 "):
        assert BillingCycle.parse(text, SHANGHAI).first == date(2024, 6, 1)
    for bad in ("2024-13", "六月", "2024-06-01"):
        with pytest.raises(ValidationError) as err:
            BillingCycle.parse(bad)
        assert err.value.key == "account.bad_month"
    assert day_start(datetime(2024, 6, 10, 17, 0, tzinfo=UTC), SHANGHAI) == datetime(2024, 6, 10, 16, 0, tzinfo=UTC)


def test_amounts_in_yuan_become_exact_fen() -> None:
    assert [parse_yuan(t) for t in ("100", "12.5", "0.07", "１２．３４", "¥8", "8元", "-1.50", "1,000")] == [
        10_000,
        1_250,
        7,
        1_234,
        800,
        800,
        -150,
        100_000,
    ]
    for bad in ("0.075", "abc", "", "nan", "1e20"):
        with pytest.raises(ValidationError) as err:
            parse_yuan(bad)
        assert err.value.key == "account.bad_amount"
    assert [yuan_text(f) for f in (0, 5, 1234, -7)] == ["0.00", "0.05", "12.34", "-0.07"]
