"""The cost report as chart series: every day, week or month present, channels summed, the report's figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from smsjingling.account import Grouping, cost_report
from smsjingling.account.series import report_series
from smsjingling.records.period import Period
from smsjingling.records.report import Traffic
from smsjingling.storage.database import Database
from tests.core.test_account_report import JUNE, june  # noqa: F401 (the fixture)
from tests.core.test_records import SHANGHAI


def test_daily_series_has_every_day_and_sums_the_channels(db: Database, june) -> None:  # noqa: F811
    report = cost_report(db, JUNE, Grouping.DAY)
    series = report_series(report, "zh")
    assert len(series.buckets) == len(series.labels) == len(series.totals) == 30
    assert series.labels[0] == "2024-06-01" and series.labels[-1] == "2024-06-30"
    assert series.totals[1] == Traffic()  # 2 June: nothing, still a point
    third = [x.traffic for x in report.lines if x.start == date(2024, 6, 3)]
    assert series.totals[2] == third[0] + third[1]
    assert sum(series.totals, Traffic()) == report.total.traffic
    assert [c.name for c in series.channels] == [c.channel for c in report.channels]
    for channel in series.channels:
        whole = next(c for c in report.channels if c.channel_id == channel.channel_id)
        assert sum(channel.traffic, Traffic()) == whole.traffic
    assert series.has_money
    assert series.money[1] is None  # no ledger entry that day
    assert sum(m.charged_fen for m in series.money if m) == report.total.money.charged_fen  # type: ignore[union-attr]
    assert series.delivery_rates[0] == Decimal("0.5") and series.delivery_rates[1] is None


def test_weekly_and_monthly_buckets(db: Database, june) -> None:  # noqa: F811
    weeks = report_series(cost_report(db, JUNE, Grouping.WEEK))
    assert weeks.labels[0] == "2024-06-01～06-02" and len(weeks.buckets) == 5  # Sat 1st, then four whole weeks
    assert sum(weeks.totals, Traffic()) == cost_report(db, JUNE).total.traffic
    months = report_series(cost_report(db, Period(date(2024, 5, 1), date(2024, 8, 1), SHANGHAI), Grouping.MONTH))
    assert months.labels == ["2024-05", "2024-06", "2024-07"]
    assert months.totals[0] == Traffic() and months.totals[1].submitted == 6


def test_an_empty_period_gives_zero_points_and_no_channels(db: Database) -> None:
    series = report_series(cost_report(db, JUNE, Grouping.WEEK), "en")
    assert series.channels == [] and not series.has_money
    assert all(t == Traffic() for t in series.totals)
    assert series.delivery_rates == [None] * len(series.buckets)
