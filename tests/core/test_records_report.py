"""The traffic report: sums per day and channel over messages written directly into a real database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from smsjingling.records import query
from smsjingling.records.period import Period
from smsjingling.records.query import RecordFilter
from smsjingling.records.report import Traffic, table_rows, traffic_report, write_report
from smsjingling.storage.database import Database
from smsjingling.storage.sending import MessageStatus as S
from tests.core.test_records import (
    NEW_YORK,
    SHANGHAI,
    add_campaign,
    add_channel,
    add_message,
    local,
    read_csv,
    read_xlsx,
    sent_message,
)


@pytest.fixture
def traffic(db: Database) -> dict[str, int]:
    """Two days of June over two modems, every kind of outcome, plus messages that reached no channel."""
    com3, com4 = add_channel(db, "COM3"), add_channel(db, "COM4")
    c = add_campaign(db)
    day1, day2 = local("2024-06-01 09:00"), local("2024-06-02 09:00")
    for _ in range(3):
        sent_message(db, c, day1, channel_id=com3, status=S.DELIVERED, segments=2, price_fen=10)
    sent_message(db, c, day1, channel_id=com3, status=S.UNDELIVERED, price_fen=5)
    sent_message(db, c, day1, channel_id=com3, status=S.SENT, price_fen=5)
    add_message(db, c, created=day1, channel_id=com3, status=S.FAILED, price_fen=5)  # failed: no cost
    add_message(db, c, created=day1, channel_id=com4, status=S.UNKNOWN)
    add_message(db, c, created=day1, channel_id=com4, status=S.SENDING)
    add_message(db, c, created=day1, status=S.QUEUED)
    add_message(db, c, created=day1, status=S.SKIPPED, reason="expand.opted_out")
    add_message(db, c, created=day1, status=S.BLOCKED)
    add_message(db, c, created=day1, status=S.CANCELLED)
    sent_message(db, c, day2, channel_id=com4, status=S.DELIVERED, price_fen=5)
    sent_message(db, c, local("2024-06-30 23:59:59"), channel_id=com4, status=S.DELIVERED, price_fen=5)
    sent_message(db, c, local("2024-07-01 00:00"), channel_id=com4)  # outside June
    return {"com3": com3, "com4": com4, "campaign": c}


def test_sums_per_day_and_channel_with_totals(db: Database, traffic) -> None:
    report = traffic_report(db, Period(date(2024, 6, 1), date(2024, 7, 1), SHANGHAI))
    cells = {(line.day, line.channel): line.traffic for line in report.lines}
    assert list(cells) == [
        (date(2024, 6, 1), ""),
        (date(2024, 6, 1), "COM3"),
        (date(2024, 6, 1), "COM4"),
        (date(2024, 6, 2), "COM4"),
        (date(2024, 6, 30), "COM4"),
    ]
    assert cells[(date(2024, 6, 1), "COM3")] == Traffic(
        submitted=6, sent=5, delivered=3, undelivered=1, failed=1, segments=3 * 2 + 2, cost_fen=30 + 10
    )
    assert cells[(date(2024, 6, 1), "COM4")] == Traffic(submitted=2, pending=2)
    assert cells[(date(2024, 6, 1), "")] == Traffic(submitted=4, pending=1, not_sent=3)
    assert cells[(date(2024, 6, 2), "COM4")] == Traffic(submitted=1, sent=1, delivered=1, segments=1, cost_fen=5)

    per_channel = {c.channel: c.traffic for c in report.channels}
    assert list(per_channel) == ["", "COM3", "COM4"]
    assert per_channel["COM4"] == Traffic(submitted=4, sent=2, delivered=2, pending=2, segments=2, cost_fen=10)
    total = report.total
    assert total == Traffic(
        submitted=14, sent=7, delivered=5, undelivered=1, failed=1, pending=3, not_sent=3, segments=10, cost_fen=50
    )
    assert total.cost == Decimal("0.50")
    # Nothing submitted goes missing, and the report counts what the export of the same period holds.
    assert total.submitted == total.sent + total.failed + total.pending + total.not_sent
    assert total.sent == total.delivered + total.undelivered + 1  # one still awaits its report
    with db.reader() as s:
        assert query.count(s, report.period) == total.submitted


def test_filters_and_a_quiet_period(db: Database, traffic) -> None:
    june = Period(date(2024, 6, 1), date(2024, 7, 1), SHANGHAI)
    only_com3 = traffic_report(db, june, RecordFilter(channel_id=traffic["com3"]))
    assert [c.channel for c in only_com3.channels] == ["COM3"] and only_com3.total.submitted == 6
    assert traffic_report(db, june, RecordFilter(campaign_id=traffic["campaign"] + 1)).total == Traffic()
    quiet = traffic_report(db, Period(date(2024, 1, 1), date(2024, 2, 1), SHANGHAI))
    assert quiet.lines == [] and quiet.channels == [] and quiet.total == Traffic()
    assert table_rows(quiet, "en") == [["Total", "", 0, 0, 0, 0, 0, 0, 0, 0, Decimal("0.00")]]


def test_days_follow_the_time_zone_and_daylight_saving(db: Database) -> None:
    com = add_channel(db, "COM3")
    c = add_campaign(db)
    for at in ("2024-03-10 00:00", "2024-03-10 23:59", "2024-03-11 00:00"):
        sent_message(db, c, local(at, NEW_YORK), channel_id=com)
    report = traffic_report(db, Period(date(2024, 3, 9), date(2024, 3, 12), NEW_YORK))
    assert [(x.day, x.traffic.submitted) for x in report.lines] == [(date(2024, 3, 10), 2), (date(2024, 3, 11), 1)]
    # The same three instants in Shanghai fall on 10, 11 and 11 March (13 and 12 hours ahead).
    shanghai = traffic_report(db, Period(date(2024, 3, 9), date(2024, 3, 13), SHANGHAI))
    assert [(x.day, x.traffic.submitted) for x in shanghai.lines] == [(date(2024, 3, 10), 1), (date(2024, 3, 11), 2)]


def test_a_period_longer_than_one_query(db: Database) -> None:
    com = add_channel(db, "COM3")
    c = add_campaign(db)
    start = date(2023, 1, 1)
    days = [0, 365, 366, 399]  # the second query starts on day 366
    for n in days:
        sent_message(db, c, local(f"{start + timedelta(days=n)} 12:00"), channel_id=com)
    report = traffic_report(db, Period(start, start + timedelta(days=400), SHANGHAI))
    assert [x.day for x in report.lines] == [start + timedelta(days=n) for n in days]
    assert report.total.delivered == 4


@pytest.mark.parametrize(("name", "encoding"), [("r.xlsx", "utf-8-sig"), ("r.csv", "utf-8-sig"), ("r.csv", "gbk")])
def test_written_to_a_file_in_chinese(tmp_path: Path, db: Database, traffic, name: str, encoding: str) -> None:
    report = traffic_report(db, Period(date(2024, 6, 1), date(2024, 6, 3), SHANGHAI))
    out = tmp_path / name
    assert write_report(report, out, encoding=encoding) == len(report.lines) + len(report.channels) + 1
    if name.endswith(".xlsx"):
        rows = read_xlsx(out)
        assert rows[1][0].date() == date(2024, 6, 1)
        assert rows[-1] == ["合计", None, 13, 6, 4, 1, 1, 3, 3, 9, 0.45]
    else:
        rows = read_csv(out, "gb18030" if encoding == "gbk" else "utf-8-sig")
        assert rows[1][:3] == ["2024-06-01", "（无通道）", "4"]
        assert rows[-1] == ["合计", "", "13", "6", "4", "1", "1", "3", "3", "9", "0.45"]
    assert rows[0] == [
        "日期",
        "通道",
        "提交",
        "已发送",
        "已送达",
        "未送达",
        "失败",
        "未决",
        "未发出",
        "条数",
        "费用（元）",
    ]
    assert [r[0] for r in rows].count("小计") == 3
