"""Traffic and cost by day, week or month: the send record's traffic report (smsjingling.records.report, the
same counts as its export) beside what each gateway account's ledger says was charged, released and paid in.

A line is one period (a day; a week from Monday; a calendar month, cut to the period asked for) and one
channel. The record's cost is what the messages were priced at when queued; the ledger's charges are what
the vendor billed, which is authoritative, so both are shown. The delivery rate is delivered ÷ sent (a sent
message still waiting for its report counts as not delivered yet).
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from smsjingling import messages
from smsjingling.records.labels import yuan
from smsjingling.records.period import Period, start_of_day
from smsjingling.records.report import Traffic, traffic_report
from smsjingling.storage.accounts import Account, EntryKind, LedgerEntry
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel
from smsjingling.tabular import MONEY, TEXT, Value, write_table

messages.register(
    {
        "account.report_headers": (
            "期间|通道|提交|已发送|已送达|未送达|失败|未决|未发出|送达率|条数|费用（元）|扣费（元）|月租（元）"
            "|释放（条）|充值（元）",
            "Period|Channel|Submitted|Sent|Delivered|Undelivered|Failed|Pending|Not sent|Delivery rate|Segments"
            "|Cost (yuan)|Charged (yuan)|Monthly fee (yuan)|Released|Top-ups (yuan)",
        ),
        "account.report_total": ("合计", "Total"),
        "account.report_subtotal": ("小计", "Subtotal"),
        "account.no_channel": ("（无通道）", "(no channel)"),
    }
)


class Grouping(enum.StrEnum):
    DAY = "day"
    WEEK = "week"  # Monday to Sunday, as Chinese calendars print weeks
    MONTH = "month"


def bucket_start(day: date, by: Grouping) -> date:
    if by is Grouping.WEEK:
        return day - timedelta(days=day.weekday())
    if by is Grouping.MONTH:
        return day.replace(day=1)
    return day


def buckets(period: Period, by: Grouping) -> list[tuple[date, date]]:
    """[start, end) of each bucket that meets the period, cut to it."""
    out: list[tuple[date, date]] = []
    day = period.start
    while day < period.end:
        first = bucket_start(day, by)
        if by is Grouping.WEEK:
            nxt = first + timedelta(days=7)
        elif by is Grouping.MONTH:
            nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        else:
            nxt = first + timedelta(days=1)
        out.append((day, min(nxt, period.end)))
        day = min(nxt, period.end)
    return out


@dataclass(frozen=True, slots=True)
class Money:
    """A gateway account's ledger over one bucket."""

    charged: int = 0  # messages charged
    charged_segments: int = 0
    charged_fen: int = 0  # what the vendor billed for them
    fee_fen: int = 0  # monthly fees
    released: int = 0  # messages whose reservation ended unused
    top_up_fen: int = 0

    def __add__(self, other: Money) -> Money:
        return Money(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True, slots=True)
class CostLine:
    start: date
    end: date  # not included
    channel_id: int | None
    channel: str  # "" for messages that reached no channel
    traffic: Traffic
    money: Money | None  # None: the channel has no prepaid account

    @property
    def delivery_rate(self) -> Decimal | None:
        return delivery_rate(self.traffic)


def delivery_rate(t: Traffic) -> Decimal | None:
    """delivered ÷ sent to four places (a fraction: 0.9512 is 95.12 %); None when nothing was sent."""
    return (Decimal(t.delivered) / Decimal(t.sent)).quantize(Decimal("0.0001")) if t.sent else None


@dataclass(frozen=True)
class CostReport:
    period: Period
    by: Grouping
    lines: list[CostLine]  # by period, then channel name; only periods and channels with something to show
    channels: list[CostLine]  # the whole period, per channel
    total: CostLine


def cost_report(db: Database, period: Period, by: Grouping = Grouping.DAY) -> CostReport:
    ranges = buckets(period, by)
    cells: dict[tuple[date, int | None], tuple[Traffic, Money | None]] = {}

    def bucket_of(day: date) -> tuple[date, date]:
        # ranges are few and sorted: a scan is clearer than a bisect and fast enough
        return next(r for r in ranges if r[0] <= day < r[1])

    traffic = traffic_report(db, period)
    for line in traffic.lines:
        key = (bucket_of(line.day)[0], line.channel_id)
        t, m = cells.get(key, (Traffic(), None))
        cells[key] = (t + line.traffic, m)

    with db.reader() as s:
        names = dict(s.execute(select(Channel.id, Channel.name)).all())
        accounts = dict(s.execute(select(Account.id, Account.channel_id)).all())
        for first, end in ranges:
            lo, hi = start_of_day(first, period.tz), start_of_day(end, period.tz)
            rows = s.execute(
                select(
                    LedgerEntry.account_id,
                    LedgerEntry.kind,
                    LedgerEntry.message_id.is_(None),
                    func.count(),
                    func.sum(LedgerEntry.segments),
                    func.sum(LedgerEntry.fen),
                )
                .where(LedgerEntry.at >= lo, LedgerEntry.at < hi)
                .group_by(LedgerEntry.account_id, LedgerEntry.kind, LedgerEntry.message_id.is_(None))
            )
            for account_id, kind, no_message, count, segments, fen in rows:
                money = _money(kind, bool(no_message), count, int(segments or 0), int(fen or 0))
                if money is None:
                    continue
                # An account whose channel was removed keeps its history, under a key of its own.
                channel_id = accounts.get(account_id) or -account_id
                t, m = cells.get((first, channel_id), (Traffic(), None))
                cells[(first, channel_id)] = (t, (m or Money()) + money)
    gateway_channels = {c if c is not None else -a for a, c in accounts.items()}

    def name(channel_id: int | None) -> str:
        if channel_id is None:
            return ""
        return names.get(channel_id, "") if channel_id > 0 else f"#{-channel_id}"

    def money_for(channel_id: int | None, m: Money | None) -> Money | None:
        return (m or Money()) if channel_id in gateway_channels else m

    end_of = dict(ranges)
    lines = sorted(
        (CostLine(d, end_of[d], c, name(c), t, money_for(c, m)) for (d, c), (t, m) in cells.items()),
        key=lambda x: (x.start, x.channel, x.channel_id or 0),
    )
    per_channel: dict[int | None, tuple[Traffic, Money | None]] = {}
    for line in lines:
        t, m = per_channel.get(line.channel_id, (Traffic(), None))
        per_channel[line.channel_id] = (t + line.traffic, _plus(m, line.money))
    channels = sorted(
        (CostLine(period.start, period.end, c, name(c), t, m) for c, (t, m) in per_channel.items()),
        key=lambda x: (x.channel, x.channel_id or 0),
    )
    total_traffic = sum((c.traffic for c in channels), Traffic())
    total_money: Money | None = None
    for c in channels:
        total_money = _plus(total_money, c.money)
    total = CostLine(period.start, period.end, None, "", total_traffic, total_money)
    return CostReport(period, by, lines, channels, total)


def _plus(a: Money | None, b: Money | None) -> Money | None:
    if a is None:
        return b
    return a if b is None else a + b


def _money(kind: str, no_message: bool, count: int, segments: int, fen: int) -> Money | None:
    if kind == EntryKind.CHARGE:
        return Money(fee_fen=-fen) if no_message else Money(count, segments, -fen)
    if kind == EntryKind.RELEASE:
        return Money(released=count)
    if kind == EntryKind.TOP_UP:
        return Money(top_up_fen=fen)
    return None  # reservations move no money; adjustments and reconciliations are the statement's


def period_label(start: date, end: date, by: Grouping) -> str:
    """2024-06-03 for a day, 2024-06-03～06-09 for a week, 2024-06 for a whole month (cut ones as ranges)."""
    last = end - timedelta(days=1)
    if by is Grouping.DAY or start == last:
        return start.isoformat()
    if by is Grouping.MONTH and start.day == 1 and end.day == 1:
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.isoformat()}～{last.strftime('%m-%d') if last.year == start.year else last.isoformat()}"


def _values(line: CostLine) -> list[Value]:
    t, m = line.traffic, line.money
    rate = line.delivery_rate
    money: list[Value] = (
        [None] * 4 if m is None else [yuan(m.charged_fen), yuan(m.fee_fen), m.released, yuan(m.top_up_fen)]
    )
    counts: list[Value] = [t.submitted, t.sent, t.delivered, t.undelivered, t.failed, t.pending, t.not_sent]
    return [*counts, rate, t.segments, t.cost, *money]


def table_rows(report: CostReport, lang: str | None = None, *, percent_text: bool = False) -> list[list[Value]]:
    """Rows under `headers(lang)`: a line per period and channel, a subtotal per channel, the total.
    `percent_text` writes the delivery rate as "95.1%" (for a terminal) instead of a fraction."""
    none = messages.text("account.no_channel", lang)

    def row(label: str, line: CostLine) -> list[Value]:
        values = _values(line)
        if percent_text and (rate := line.delivery_rate) is not None:
            values[7] = f"{rate * 100:.1f}%"
        return [label, line.channel or none, *values]

    rows = [row(period_label(x.start, x.end, report.by), x) for x in report.lines]
    rows += [row(messages.text("account.report_subtotal", lang), c) for c in report.channels]
    total = row(messages.text("account.report_total", lang), report.total)
    total[1] = ""
    rows.append(total)
    return rows


def headers(lang: str | None = None) -> list[str]:
    return messages.text("account.report_headers", lang).split("|")


def write_report(report: CostReport, path: str | os.PathLike[str], *, lang: str | None = "zh") -> int:
    """To .xlsx (or .csv by extension); returns the rows written under the header."""
    formats = (TEXT, TEXT, *([None] * 7), "0.0%", None, MONEY, MONEY, MONEY, None, MONEY)
    sheet = "流量与费用" if lang != "en" else "Traffic and cost"
    with write_table(Path(path), headers(lang), sheet=sheet, formats=formats) as out:
        out.extend(table_rows(report, lang))
    return out.rows
