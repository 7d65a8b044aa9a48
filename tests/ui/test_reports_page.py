"""The reports page over real sends: messages sent through the core by two zero-latency simulated modems (one
whose delivery reports say "undelivered"), an opted-out and a landline number skipped; the charts' values, the
table and the exported file are checked against the core's report of the same period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate
from sqlalchemy import select

from modem.sim.port import SimModem
from smsjingling.account.report import Grouping, buckets, cost_report, headers, table_rows
from smsjingling.contacts.book import ContactBook
from smsjingling.records.period import Period, user_zone, wall_time
from smsjingling.records.report import Traffic
from smsjingling.sending.campaigns import CampaignRequest
from smsjingling.sending.channels import Channels
from smsjingling.sending.expand import Recipients
from smsjingling.sending.service import SendingService
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, Message, MessageStatus
from smsjingling.storage.types import utcnow
from tests.core.sending_helpers import wait_until
from ui.main_window import MainWindow
from ui.pages.reports import Preset, ReportsPage, preset_range
from ui.reports_charts import status_values
from ui.reports_model import ReportTableModel

NUMBERS = [f"1380013800{i}" for i in range(6)]
OPTED_OUT = "13900139000"
LANDLINE = "01062345678"


@pytest.fixture
def sent(db: Database) -> Iterator[dict[str, int]]:
    """Real sends through the core: 6 numbers on two modems, one opted out, one landline (both skipped)."""
    good = SimModem(latency=0, sr_delay=0)
    bad = SimModem(latency=0, sr_delay=0, sr_status=0x41)  # reports: permanent error, undelivered
    channels = Channels(db)
    ids = {
        "good": channels.add_modem("猫一", good.url, hourly_cap=0, daily_cap=0),
        "bad": channels.add_modem("猫二", bad.url, hourly_cap=0, daily_cap=0),
    }
    Settings(db).set(SIGNATURE, "测试单位")
    ContactBook(db).add_optout(OPTED_OUT)
    service = SendingService(db, demo_if_empty=False, schedule_seconds=3600)
    try:
        with service:
            for text in ("明天开会", "会议改到下午"):
                cid = service.campaigns.create(
                    CampaignRequest(text, Recipients(numbers=(*NUMBERS, OPTED_OUT, LANDLINE)))
                )
                wait_until(lambda cid=cid: _settled(service, cid), timeout=30)
    finally:
        good.remove()
        bad.remove()
    yield ids


def _settled(service: SendingService, campaign_id: int) -> bool:
    counts = service.campaigns.counts(campaign_id)
    return all(counts[s] == 0 for s in (MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT))


@pytest.fixture
def page(qtbot, db: Database, home, sent: dict[str, int]) -> Iterator[ReportsPage]:
    window = MainWindow(db)
    window.confirm_quit = lambda: True  # pending schedules: no question when the test closes it
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("reports")
    assert isinstance(page, ReportsPage)
    errors: list[BaseException] = []
    page.report_error = errors.append
    settle(qtbot, page)
    yield page
    window._quitting = True
    window.close()
    assert errors == []


def settle(qtbot, page: ReportsPage) -> None:
    qtbot.waitUntil(lambda: page.loaded is not None and not page.loading and not page.ctx.worker.busy, timeout=20_000)


def core_report(db: Database, days: int = 30, by: Grouping = Grouping.DAY):
    tz = user_zone(db)
    today = wall_time(utcnow(), tz).date()
    return cost_report(db, Period(today - timedelta(days=days - 1), today + timedelta(days=1), tz), by)


def test_charts_show_the_cores_figures_for_real_sends(page: ReportsPage, db: Database, sent: dict[str, int]) -> None:
    report = core_report(db)
    total = report.total.traffic
    # what happened, by the database itself: 12 delivered or undelivered, 4 skipped
    with db.reader() as s:
        statuses = [row[0] for row in s.execute(select(Message.status))]
    assert len(statuses) == 16 and statuses.count(MessageStatus.SKIPPED) == 4
    assert total.submitted == 16 and total.not_sent == 4 and total.sent == 12
    assert total.delivered + total.undelivered == 12 and total.undelivered > 0 and total.delivered > 0

    assert page.preset_box.currentData() == Preset.LAST_30.value
    status = page.charts["status"]
    labels = page.loaded.series.labels
    assert len(labels) == 30 and len(status.values("delivered")) == 30
    today = status_values(total)  # every send happened today: the last bucket
    for key, value in today.items():
        if value:
            assert status.values(key)[-1] == value, key
            assert sum(status.values(key)) == value
    assert "awaiting" not in status.bar_sets  # every report came back: no empty series in the legend
    assert status.bar_sets["delivered"].label() == "已送达"

    channels = page.charts["channels"]
    with db.reader() as s:
        names = dict(s.execute(select(Channel.id, Channel.name)).all())
    by_channel = {c.channel_id: c.traffic for c in report.channels}
    for channel_id, traffic in by_channel.items():
        key = str(channel_id)
        assert channels.values(key)[-1] == traffic.submitted
        expected = names[channel_id] if channel_id is not None else "（无通道）"
        assert channels.bar_sets[key].label() == expected
    assert by_channel[sent["bad"]].undelivered == by_channel[sent["bad"]].sent > 0
    assert by_channel[sent["good"]].delivered == by_channel[sent["good"]].sent > 0

    points = page.charts["rate"].points()
    assert points == [(29.0, pytest.approx(100 * total.delivered / total.sent))]  # only today sent anything
    assert page.charts["cost"].values("cost")[-1] == pytest.approx(float(total.cost))
    assert "charged" not in page.charts["cost"].bar_sets  # modems only: no gateway ledger

    assert page.table_model.rows() == table_rows(report, "zh")
    assert page.summary_label.text().startswith(f"提交 16 条，已发送 12 条，已送达 {total.delivered} 条")
    assert "未发出 4 条" in page.summary_label.text()


def test_grouping_and_period_change_the_buckets(qtbot, page: ReportsPage, db: Database) -> None:
    page.grouping_box.setCurrentIndex(page.grouping_box.findData(Grouping.WEEK.value))
    page.grouping_box.activated.emit(page.grouping_box.currentIndex())
    settle(qtbot, page)
    weekly = core_report(db, by=Grouping.WEEK)
    weeks = buckets(weekly.period, Grouping.WEEK)
    assert 5 <= len(weeks) <= 6  # 30 days meet five or six Monday-to-Sunday weeks
    assert len(page.charts["status"].values("delivered")) == len(weeks)
    assert page.charts["status"].values("delivered")[-1] == weekly.total.traffic.delivered
    assert page.table_model.rows() == table_rows(weekly, "zh")

    # a date typed by hand makes the period custom
    first = page.from_edit.date().addDays(20)
    page.from_edit.setDate(first)
    settle(qtbot, page)
    assert page.preset_box.currentData() == Preset.CUSTOM.value
    assert page.loaded.report.period.start == first.toPython()

    # this year, by month
    page.preset_box.setCurrentIndex(page.preset_box.findData(Preset.THIS_YEAR.value))
    page.preset_box.activated.emit(page.preset_box.currentIndex())
    settle(qtbot, page)
    assert page.grouping() is Grouping.MONTH
    today = page.today()
    assert len(page.loaded.series.buckets) == today.month
    assert sum(page.charts["status"].values("delivered"), 0.0) == page.loaded.report.total.traffic.delivered

    # an end before the start is not read
    before = page.loaded
    page.to_edit.setDate(QDate(2000, 1, 1))
    assert "结束日期早于开始日期" in page.state_label.text() and page.loaded is before


def test_an_empty_period_says_so(qtbot, page: ReportsPage) -> None:
    page.set_range(page.today() - timedelta(days=400), page.today() - timedelta(days=380))
    settle(qtbot, page)
    assert page.loaded.report.total.traffic == Traffic()
    assert "没有发送记录" in page.state_label.text()
    assert page.charts["status"].bar_sets == {}
    assert page.charts["rate"].points() == []


def test_export_writes_the_reports_figures(qtbot, page: ReportsPage, db: Database, tmp_path: Path) -> None:
    target = tmp_path / "报表.xlsx"
    suggested: list[str] = []

    def ask(_parent, _caption, proposed: str, _filters) -> str:
        suggested.append(proposed)
        return str(target)

    page.ask_save_path = ask
    page.export_action.trigger()
    qtbot.waitUntil(lambda: not page.exporting, timeout=10_000)
    assert Path(suggested[0]).name.startswith("短信流量与费用_")
    assert "报表已导出到" in page.window().statusBar().currentMessage()
    book = load_workbook(target, read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    assert rows[0] == headers("zh")
    report = core_report(db)
    expected = table_rows(report, "zh")
    assert len(rows) == 1 + len(expected)
    total = rows[-1]
    assert total[0] == "合计" and total[2] == 16 and total[3] == 12 and total[8] == 4
    assert total[4] == report.total.traffic.delivered
    # cancelling the dialog writes nothing
    page.ask_save_path = lambda *_args: ""
    page.export_action.trigger()
    assert not page.exporting


def test_presets() -> None:
    from datetime import date

    today = date(2026, 3, 15)
    assert preset_range(Preset.LAST_7, today) == (date(2026, 3, 9), today)
    assert preset_range(Preset.LAST_30, today) == (date(2026, 2, 14), today)
    assert preset_range(Preset.THIS_MONTH, today) == (date(2026, 3, 1), today)
    assert preset_range(Preset.LAST_MONTH, today) == (date(2026, 2, 1), date(2026, 2, 28))
    assert preset_range(Preset.THIS_YEAR, today) == (date(2026, 1, 1), today)


def test_report_table_model_passes_the_model_tester(qtmodeltester, db: Database, sent: dict[str, int]) -> None:
    model = ReportTableModel()
    model.set_report(core_report(db))
    qtmodeltester.check(model)
    assert model.rowCount() > 2 and model.columnCount() == len(headers("zh"))
