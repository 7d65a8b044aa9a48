"""The traffic and cost report as chart series: one point per day, week or month of the period.

The report (account.report.cost_report) lists only the periods and channels that had something; a chart needs
every period of the range, empty ones as zero, and the channels summed per period. The figures are the
report's own, added up, never recounted: a chart and the table under it cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from smsjingling import messages
from smsjingling.account.report import CostReport, Money, buckets, delivery_rate, period_label
from smsjingling.records.report import Traffic


@dataclass(frozen=True)
class ChannelSeries:
    channel_id: int | None
    name: str  # the channel's name, or the "no channel" label for messages that reached none
    traffic: list[Traffic]  # one per bucket


@dataclass(frozen=True)
class ReportSeries:
    buckets: list[tuple[date, date]]  # [start, end) of each day, week or month, cut to the period
    labels: list[str]  # period_label of each
    totals: list[Traffic]  # every channel together, per bucket
    money: list[Money | None]  # the gateway ledgers together, per bucket; None where no account is involved
    channels: list[ChannelSeries]  # in the report's channel order

    @property
    def delivery_rates(self) -> list[Decimal | None]:
        """delivered ÷ sent per bucket (a fraction); None where nothing was sent."""
        return [delivery_rate(t) for t in self.totals]

    @property
    def has_money(self) -> bool:
        return any(m is not None for m in self.money)


def report_series(report: CostReport, lang: str | None = None) -> ReportSeries:
    ranges = buckets(report.period, report.by)
    index = {start: i for i, (start, _end) in enumerate(ranges)}
    totals = [Traffic() for _ in ranges]
    money: list[Money | None] = [None for _ in ranges]
    per_channel: dict[int | None, list[Traffic]] = {c.channel_id: [Traffic() for _ in ranges] for c in report.channels}
    for line in report.lines:
        i = index[line.start]
        totals[i] = totals[i] + line.traffic
        per_channel[line.channel_id][i] = per_channel[line.channel_id][i] + line.traffic
        if line.money is not None:
            money[i] = (money[i] or Money()) + line.money
    no_channel = messages.text("account.no_channel", lang)
    channels = [
        ChannelSeries(c.channel_id, c.channel or no_channel, per_channel[c.channel_id]) for c in report.channels
    ]
    labels = [period_label(start, end, report.by) for start, end in ranges]
    return ReportSeries(ranges, labels, totals, money, channels)
