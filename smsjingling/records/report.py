"""The traffic report: for each day of a period and each channel, how many messages and what became of them.

A message counts on the day of its time in the record (sent, else created: the same day as in the export, so
a report and an export of one period always agree) and under the channel it went through ("" if none).

- submitted: every message of that day and channel, whatever its status;
- sent: accepted by the network (statuses sent, delivered, undelivered), of which
- delivered and undelivered: the ones a delivery report came back for;
- failed: the channel refused it or gave up;
- pending: not decided yet: queued, sending, or unknown (in flight when the program stopped);
- not_sent: stopped before any channel: blocked, skipped, cancelled;
- segments and cost: of the messages sent (what the carrier charges).

submitted = sent + failed + pending + not_sent, so nothing submitted can go missing from the report.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import ColumnElement, func, literal_column, select
from sqlalchemy.sql.expression import case

from smsjingling import messages
from smsjingling.records import labels
from smsjingling.records.period import Period
from smsjingling.records.query import RecordFilter, conditions, record_time
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, Message, MessageStatus
from smsjingling.tabular import DATE, MONEY, TEXT, Value, write_table

messages.register(
    {
        "records.report_headers": (
            "日期|通道|提交|已发送|已送达|未送达|失败|未决|未发出|条数|费用（元）",
            "Date|Channel|Submitted|Sent|Delivered|Undelivered|Failed|Pending|Not sent|Segments|Cost (yuan)",
        ),
        "records.no_channel": ("（无通道）", "(no channel)"),
        "records.channel_total": ("小计", "Subtotal"),
        "records.total": ("合计", "Total"),
    }
)

SENT = frozenset({MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.UNDELIVERED})
PENDING = frozenset({MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.UNKNOWN})
# A status outside these (a newer version's) still counts in submitted, as not sent.

# Days per query: the day of each row is found by a balanced tree of comparisons in SQL (log2 of the days
# per row, in any time zone), whose text grows with the days; a long period is asked for a year at a time.
DAYS_PER_QUERY = 366


@dataclass(frozen=True, slots=True)
class Traffic:
    submitted: int = 0
    sent: int = 0
    delivered: int = 0
    undelivered: int = 0
    failed: int = 0
    pending: int = 0
    not_sent: int = 0
    segments: int = 0
    cost_fen: int = 0

    @property
    def cost(self) -> Decimal:
        """In yuan, exact."""
        return labels.yuan(self.cost_fen)

    def __add__(self, other: Traffic) -> Traffic:
        return Traffic(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @classmethod
    def of(cls, status: str, count: int, segments: int, cost_fen: int) -> Traffic:
        """`count` messages in one status, with the segments and price they add up to."""
        sent = status in SENT
        return cls(
            submitted=count,
            sent=count if sent else 0,
            delivered=count if status == MessageStatus.DELIVERED else 0,
            undelivered=count if status == MessageStatus.UNDELIVERED else 0,
            failed=count if status == MessageStatus.FAILED else 0,
            pending=count if status in PENDING else 0,
            not_sent=0 if sent or status == MessageStatus.FAILED or status in PENDING else count,
            segments=segments if sent else 0,
            cost_fen=cost_fen if sent else 0,
        )


@dataclass(frozen=True, slots=True)
class TrafficLine:
    day: date
    channel_id: int | None
    channel: str  # the channel's name; "" for messages that reached none
    traffic: Traffic


@dataclass(frozen=True, slots=True)
class ChannelTotal:
    channel_id: int | None
    channel: str
    traffic: Traffic


@dataclass(frozen=True)
class TrafficReport:
    period: Period
    lines: list[TrafficLine]  # by day, then channel name; only days and channels with traffic
    channels: list[ChannelTotal]  # the whole period, per channel
    total: Traffic


def _day_index(starts: list[datetime], lo: int, hi: int) -> ColumnElement[int]:
    """SQL for the index of the day a row falls on, among days lo..hi-1 (`starts` are their UTC starts)."""
    if hi - lo == 1:
        return literal_column(str(lo))
    mid = (lo + hi) // 2
    return case((record_time < starts[mid], _day_index(starts, lo, mid)), else_=_day_index(starts, mid, hi))


def _chunks(period: Period) -> Iterable[Period]:
    start = period.start
    while start < period.end:
        end = min(period.end, start + timedelta(days=DAYS_PER_QUERY))
        yield Period(start, end, period.tz)
        start = end


def traffic_report(db: Database, period: Period, filt: RecordFilter | None = None) -> TrafficReport:
    cells: dict[tuple[date, int | None], Traffic] = {}
    with db.reader() as s:
        names: dict[int, str] = {cid: name for cid, name in s.execute(select(Channel.id, Channel.name))}
        for chunk in _chunks(period):
            starts = chunk.day_starts()
            # Grouped over a subquery so the (long) day expression is written once, in standard SQL.
            rows = (
                select(
                    _day_index(starts, 0, len(starts) - 1).label("day_index"),
                    Message.channel_id,
                    Message.status,
                    Message.segments,
                    Message.price_fen,
                )
                .where(*conditions(chunk, filt))
                .subquery()
            )
            statement = select(
                rows.c.day_index, rows.c.channel_id, rows.c.status, func.count(), func.sum(rows.c.segments),
                func.sum(rows.c.price_fen),
            ).group_by(rows.c.day_index, rows.c.channel_id, rows.c.status)  # fmt: skip
            for index, channel_id, status, count, segments, cost in s.execute(statement):
                key = (chunk.start + timedelta(days=int(index)), channel_id)
                cells[key] = cells.get(key, Traffic()) + Traffic.of(status, count, segments or 0, cost or 0)

    def name(channel_id: int | None) -> str:
        return names.get(channel_id, "") if channel_id is not None else ""

    lines = sorted(
        (TrafficLine(d, c, name(c), t) for (d, c), t in cells.items()),
        key=lambda x: (x.day, x.channel, x.channel_id or 0),
    )
    per_channel: dict[int | None, Traffic] = {}
    for line in lines:
        per_channel[line.channel_id] = per_channel.get(line.channel_id, Traffic()) + line.traffic
    channels = sorted(
        (ChannelTotal(c, name(c), t) for c, t in per_channel.items()), key=lambda x: (x.channel, x.channel_id or 0)
    )
    total = sum((c.traffic for c in channels), Traffic())
    return TrafficReport(period, lines, channels, total)


def _values(traffic: Traffic) -> list[int | Decimal]:
    t = traffic
    return [t.submitted, t.sent, t.delivered, t.undelivered, t.failed, t.pending, t.not_sent, t.segments, t.cost]


def table_rows(report: TrafficReport, lang: str | None = None) -> list[list[Value]]:
    """The report as rows under `headers(lang)`: a line per day and channel, a subtotal per channel, the total."""
    no_channel = messages.text("records.no_channel", lang)
    subtotal = messages.text("records.channel_total", lang)
    rows: list[list[Value]] = [[x.day, x.channel or no_channel, *_values(x.traffic)] for x in report.lines]
    rows += [[subtotal, c.channel or no_channel, *_values(c.traffic)] for c in report.channels]
    rows.append([messages.text("records.total", lang), "", *_values(report.total)])
    return rows


def headers(lang: str | None = None) -> list[str]:
    return messages.text("records.report_headers", lang).split("|")


def write_report(
    report: TrafficReport, path: str | os.PathLike[str], *, encoding: str = "utf-8-sig", fmt: str | None = None
) -> int:
    """The report to .csv (else .xlsx), in Chinese like the record; returns the rows written under the header.

    It holds counts only, no numbers or content, so unlike the record's export it is not audited."""
    formats = (DATE, TEXT, *([None] * 7), MONEY)
    with write_table(Path(path), headers("zh"), sheet="短信流量", encoding=encoding, formats=formats, fmt=fmt) as out:
        out.extend(table_rows(report, "zh"))
    return out.rows
