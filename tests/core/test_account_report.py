"""Traffic and cost by day, week and month: the send record's counts beside each gateway account's ledger,
over messages and entries written at chosen times (Shanghai) into a real database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from smsjingling.account import Grouping, Ledger, cost_report, write_report
from smsjingling.account.report import buckets, period_label, table_rows
from smsjingling.records.period import Period
from smsjingling.records.report import Traffic, traffic_report
from smsjingling.storage.database import Database
from smsjingling.storage.sending import MessageStatus as S
from tests.core.test_account_ledger import Clock, open_account
from tests.core.test_records import SHANGHAI, add_campaign, add_channel, add_message, local, read_xlsx, sent_message

JUNE = Period(date(2024, 6, 1), date(2024, 7, 1), SHANGHAI)  # 1 June 2024 is a Saturday


@pytest.fixture
def june(db: Database) -> dict[str, int]:
    """A modem and a gateway with its account. Gateway messages on 1, 3 and 30 June; a modem message on 3 June;
    the ledger: a top-up on 1 June, charges and a release as the gateway answered."""
    com3 = add_channel(db, "COM3")
    account_id = open_account(db, "云片")
    gateway = Ledger(db, "gateway", account_id=account_id, tz=SHANGHAI).state().channel_id
    c = add_campaign(db)
    clock = Clock(local("2024-06-01 08:00"))
    ledger = Ledger(db, "gateway", account_id=account_id, clock=clock, tz=SHANGHAI)
    ledger.top_up(10_000)
    m1 = sent_message(db, c, local("2024-06-01 09:00"), channel_id=gateway, price_fen=5)
    m2 = sent_message(db, c, local("2024-06-01 09:00"), channel_id=gateway, status=S.UNDELIVERED, price_fen=5)
    m3 = add_message(db, c, created=local("2024-06-01 09:00"), channel_id=gateway, status=S.FAILED, price_fen=5)
    clock.at = local("2024-06-01 08:59")
    ledger.reserve(c, [(m1, 5), (m2, 5), (m3, 5)])
    clock.at = local("2024-06-01 09:00")
    ledger.charge_many([(m1, 5), (m2, 6)])
    ledger.release([m3])
    m4 = sent_message(db, c, local("2024-06-03 10:00"), channel_id=gateway, segments=2, price_fen=10)
    sent_message(db, c, local("2024-06-03 11:00"), channel_id=com3)
    clock.at = local("2024-06-03 10:00")
    ledger.reserve(c, [(m4, 10, 2)])
    ledger.charge(m4, 10)
    m5 = sent_message(db, c, local("2024-06-30 23:59"), channel_id=gateway)
    clock.at = local("2024-06-30 23:59")
    ledger.reserve(c, [(m5, 5)])
    ledger.charge(m5)
    return {"com3": com3, "gateway": gateway, "account": account_id}


def test_by_day_the_record_beside_the_ledger(db: Database, june) -> None:
    report = cost_report(db, JUNE, Grouping.DAY)
    cells = {(x.start, x.channel): x for x in report.lines}
    assert list(cells) == [
        (date(2024, 6, 1), "云片"),
        (date(2024, 6, 3), "COM3"),
        (date(2024, 6, 3), "云片"),
        (date(2024, 6, 30), "云片"),
    ]
    first = cells[(date(2024, 6, 1), "云片")]
    assert first.traffic == Traffic(submitted=3, sent=2, delivered=1, undelivered=1, failed=1, segments=2, cost_fen=10)
    assert first.money is not None
    assert (first.money.charged, first.money.charged_fen, first.money.released, first.money.top_up_fen) == (
        2,
        11,
        1,
        10_000,
    )
    assert first.delivery_rate == Decimal("0.5")
    assert cells[(date(2024, 6, 3), "COM3")].money is None  # a modem has no account
    assert cells[(date(2024, 6, 3), "云片")].money.charged_segments == 2  # type: ignore[union-attr]
    # The record's totals are the traffic report's, whatever the grouping.
    assert report.total.traffic == traffic_report(db, JUNE).total
    assert report.total.money.charged_fen == 11 + 10 + 5  # type: ignore[union-attr]


def test_by_week_from_monday_cut_to_the_period(db: Database, june) -> None:
    report = cost_report(db, JUNE, Grouping.WEEK)
    assert [(x.start, x.end, x.channel) for x in report.lines] == [
        (date(2024, 6, 1), date(2024, 6, 3), "云片"),  # Saturday and Sunday: the week began in May
        (date(2024, 6, 3), date(2024, 6, 10), "COM3"),
        (date(2024, 6, 3), date(2024, 6, 10), "云片"),
        (date(2024, 6, 24), date(2024, 7, 1), "云片"),
    ]
    rows = table_rows(report, "zh", percent_text=True)
    assert [r[0] for r in rows] == ["2024-06-01～06-02", "2024-06-03～06-09", "2024-06-03～06-09",
                                    "2024-06-24～06-30", "小计", "小计", "合计"]  # fmt: skip
    assert rows[0][9] == "50.0%"
    assert rows[1][12:] == [None, None, None, None]  # COM3: nothing from a ledger


def test_by_month_and_a_period_over_months(db: Database, june) -> None:
    one = cost_report(db, JUNE, Grouping.MONTH)
    assert [(period_label(x.start, x.end, Grouping.MONTH), x.channel) for x in one.lines] == [
        ("2024-06", "COM3"),
        ("2024-06", "云片"),
    ]
    gateway = one.lines[1]
    assert gateway.traffic.submitted == 5 and gateway.money.charged == 4  # type: ignore[union-attr]
    cut = cost_report(db, Period(date(2024, 5, 15), date(2024, 6, 2), SHANGHAI), Grouping.MONTH)
    assert [period_label(x.start, x.end, cut.by) for x in cut.lines] == ["2024-06-01"]
    assert buckets(Period(date(2024, 5, 15), date(2024, 7, 2)), Grouping.MONTH) == [
        (date(2024, 5, 15), date(2024, 6, 1)),
        (date(2024, 6, 1), date(2024, 7, 1)),
        (date(2024, 7, 1), date(2024, 7, 2)),
    ]
    assert period_label(date(2024, 5, 15), date(2024, 6, 1), Grouping.MONTH) == "2024-05-15～05-31"
    assert period_label(date(2024, 12, 30), date(2025, 1, 6), Grouping.WEEK) == "2024-12-30～2025-01-05"


def test_an_account_whose_channel_was_removed_keeps_its_lines(db: Database, june) -> None:
    with db.session() as s:
        s.execute(text("UPDATE messages SET channel_id = NULL WHERE channel_id = :c"), {"c": june["gateway"]})
        s.execute(text("DELETE FROM channels WHERE id = :c"), {"c": june["gateway"]})
    report = cost_report(db, JUNE, Grouping.MONTH)
    names = {x.channel: x for x in report.channels}
    assert set(names) == {"", "COM3", f"#{june['account']}"}
    assert names[f"#{june['account']}"].money.top_up_fen == 10_000  # type: ignore[union-attr]


def test_a_quiet_period_and_the_xlsx(tmp_path: Path, db: Database, june) -> None:
    quiet = cost_report(db, Period(date(2024, 1, 1), date(2024, 2, 1), SHANGHAI), Grouping.WEEK)
    assert quiet.lines == [] and quiet.total.traffic == Traffic() and quiet.total.money is None
    out = tmp_path / "流量.xlsx"
    assert write_report(cost_report(db, JUNE, Grouping.WEEK), out) == 4 + 2 + 1
    rows = read_xlsx(out)
    assert rows[0][:3] == ["期间", "通道", "提交"] and rows[0][-1] == "充值（元）"
    assert rows[1][:3] == ["2024-06-01～06-02", "云片", 3] and rows[1][9] == 0.5 and rows[1][-1] == 100
    assert rows[-1][0] == "合计" and rows[-1][12] == 0.26
