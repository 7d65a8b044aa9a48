"""发送记录 over real sends: the sending service on a simulated modem that refuses two messages, the page's
filters, live updates that keep the reader's place, a message's detail, resending, and the export."""

from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QComboBox

from smsjingling.records.query import RecordFilter
from smsjingling.storage.sending import MessageStatus
from tests.ui.records_helpers import Office
from tests.ui.records_helpers import office as office
from ui.pages.records import RecordsPage
from ui.records_model import Column, RecordsModel, RecordsQuery
from ui.records_period import Range

NUMBERS = tuple(f"1380013{i:04d}" for i in range(10, 16))


def settle(qtbot, page: RecordsPage) -> None:
    qtbot.waitUntil(lambda: not page.model.loading and not page.worker.busy, timeout=15_000)


@pytest.fixture
def sent(qtbot, office: Office) -> tuple[Office, int]:
    """Six messages sent through the core; the 2nd and 4th are refused by the modem."""
    cid = office.send(*NUMBERS)
    qtbot.waitUntil(lambda: office.settled(cid), timeout=20_000)
    return office, cid


@pytest.fixture
def page(qtbot, sent: tuple[Office, int]) -> RecordsPage:
    office, _cid = sent
    records = office.window.show_page("records")
    assert isinstance(records, RecordsPage)
    settle(qtbot, records)
    return records


def column(page: RecordsPage, col: int) -> list[str]:
    model = page.model
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def choose(qtbot, page: RecordsPage, combo: QComboBox, text: str) -> None:
    index = combo.findText(text, Qt.MatchFlag.MatchStartsWith)
    assert index >= 0, f"{text} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)
    settle(qtbot, page)


def test_the_record_shows_each_message_in_words(page: RecordsPage) -> None:
    assert column(page, Column.NUMBER) == [n for n in reversed(NUMBERS)]  # newest first
    statuses = column(page, Column.STATUS)
    assert sorted(statuses) == ["失败", "失败", "已送达", "已送达", "已送达", "已送达"]
    reasons = [r for r in column(page, Column.REASON) if r]
    assert len(reasons) == 2
    # our words, then the channel's own in brackets
    assert all(r.startswith("被拒绝（号码或内容有误），不会重试（+CMS ERROR: 304") for r in reasons)
    assert set(column(page, Column.CHANNEL)) == {"猫1"}
    assert set(column(page, Column.TEXT)) == {"【测试单位】明天放假一天。"}
    assert re.fullmatch(r"\d+\.\d\d", column(page, Column.PRICE)[0]) and column(page, Column.SEGMENTS)[0] == "1"
    assert page.count_label.text() == "共 6 条记录"


def test_filters_by_status_number_campaign_channel_and_days(qtbot, page: RecordsPage, sent) -> None:
    office, cid = sent
    other = office.send("13900139000", text="另一条通知")
    qtbot.waitUntil(lambda: office.settled(other), timeout=20_000)
    page.reload()
    settle(qtbot, page)
    assert page.model.rowCount() == 7

    choose(qtbot, page, page.status_combo, "失败或未送达")
    assert column(page, Column.STATUS) == ["失败", "失败"]
    choose(qtbot, page, page.status_combo, "全部状态")

    qtbot.keyClicks(page.number_box, "139 0013")
    qtbot.waitUntil(lambda: page.model.query.filt.number == "139 0013", timeout=5_000)
    settle(qtbot, page)
    assert column(page, Column.NUMBER) == ["13900139000"]
    page.number_box.clear()
    page.apply_filter()
    settle(qtbot, page)

    choose(qtbot, page, page.campaign_combo, f"明天放假一天。 #{cid}")
    assert page.model.rowCount() == 6
    choose(qtbot, page, page.campaign_combo, "全部任务")
    choose(qtbot, page, page.channel_combo, "猫1")
    assert page.model.rowCount() == 7

    page.period_picker.set_range(Range.LAST_MONTH)
    page.apply_filter()
    settle(qtbot, page)
    assert page.model.rowCount() == 0 and page.count_label.text() == "共 0 条记录"
    today = page.period_picker.today()
    page.period_picker.set_dates(today, today)
    settle(qtbot, page)
    assert page.model.rowCount() == 7


def test_new_messages_appear_live_above_and_the_reader_keeps_place_and_selection(
    qtbot, page: RecordsPage, sent
) -> None:
    office, _cid = sent
    # Four rows tall, so the reader can scroll down (a fixed height holds against the page's layout).
    rows = page.table.verticalHeader().defaultSectionSize()
    page.table.setFixedHeight(page.table.horizontalHeader().height() + rows * 4)
    chosen = page.model.record(4).message_id
    page.table.selectionModel().select(
        page.model.index(4, 0), QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    )
    bar = page.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5_000)
    bar.setValue(2)
    top_before = page.table.rowAt(0)
    first_shown = page.model.record(top_before).message_id

    more = office.send("13900139001", "13900139002", text="第二批")
    qtbot.waitUntil(lambda: page.model.rowCount() == 8, timeout=20_000)  # no refresh asked for
    assert page.selected_ids() == {chosen}
    assert page.model.record(page.table.rowAt(0)).message_id == first_shown  # the same message on top
    assert [page.model.record(r).phone for r in (0, 1)] == ["+8613900139002", "+8613900139001"]
    qtbot.waitUntil(lambda: office.settled(more), timeout=20_000)
    qtbot.waitUntil(lambda: column(page, Column.STATUS)[:2] == ["已送达", "已送达"], timeout=20_000)


def test_a_message_that_comes_to_match_the_filter_takes_its_place(qtbot, page: RecordsPage, sent) -> None:
    office, cid = sent
    choose(qtbot, page, page.status_combo, "已送达")
    delivered = [page.model.record(r).message_id for r in range(page.model.rowCount())]
    assert len(delivered) == 4 and page.count_label.text() == "共 4 条记录"
    # The failures are resent through the core and delivered; a delivery report publishes no event, so
    # they come through the record's change feed, each into its place among the rows shown.
    office.service.campaigns.resend(cid)
    qtbot.waitUntil(lambda: page.model.rowCount() == 6, timeout=20_000)
    shown = [page.model.record(r).message_id for r in range(6)]
    assert shown == sorted(shown, reverse=True) and set(delivered) < set(shown)
    qtbot.waitUntil(lambda: page.count_label.text() == "共 6 条记录", timeout=10_000)


def test_detail_shows_every_transition_the_channels_words_and_the_parts(qtbot, page: RecordsPage) -> None:
    statuses = column(page, Column.STATUS)
    failed = page.model.record(statuses.index("失败")).message_id
    dialog = page.open_detail(failed)
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=10_000)
    table = dialog.transitions
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert [r[1] for r in rows] == ["排队中", "发送中", "失败"]
    assert rows[2][2] == "被拒绝（号码或内容有误），不会重试" and "304" in rows[2][3] and rows[2][4] == "猫1"
    assert dialog.status.text() == "失败" and "通道原话：+CMS ERROR: 304" in dialog.reason.text()
    assert dialog.parts.rowCount() == 0 and dialog.resend_button.isVisibleTo(dialog)
    dialog.close()

    row = statuses.index("已送达")
    page.table.setCurrentIndex(page.model.index(row, 0))
    page.window().activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # Enter on a row opens it
    wanted = page.model.record(row).message_id
    qtbot.waitUntil(lambda: any(d.message_id == wanted for d in page.dialogs), timeout=5_000)
    dialog = next(d for d in page.dialogs if d.message_id == wanted)
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=10_000)
    assert [dialog.transitions.item(r, 1).text() for r in range(4)] == ["排队中", "发送中", "已发送", "已送达"]
    assert dialog.parts.rowCount() == 1 and dialog.parts.item(0, 1).text().isdigit()
    assert dialog.parts.item(0, 3).text() == "已送达"
    assert not dialog.resend_button.isVisibleTo(dialog)
    assert dialog.text.toPlainText() == "【测试单位】明天放假一天。"
    dialog.close()


def test_resend_the_selected_failures_then_from_the_detail(qtbot, page: RecordsPage, sent) -> None:
    office, cid = sent
    page.confirm = lambda _title, _question: True
    failed_rows = [r for r, s in enumerate(column(page, Column.STATUS)) if s == "失败"]
    page.table.selectionModel().select(
        page.model.index(failed_rows[0], 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    page.table.selectionModel().select(
        page.model.index(0 if failed_rows[0] else 1, 0),  # and a delivered one, which is left alone
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert page.resend_selected_action.isEnabled()
    page.resend_selected_action.trigger()
    qtbot.waitUntil(lambda: office.service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 5, timeout=20_000)
    qtbot.waitUntil(lambda: column(page, Column.STATUS).count("已送达") == 5, timeout=20_000)

    last = page.model.record(failed_rows[1]).message_id
    dialog = page.open_detail(last)
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=10_000)
    qtbot.mouseClick(dialog.resend_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: office.service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 6, timeout=20_000)
    qtbot.waitUntil(lambda: column(page, Column.STATUS).count("已送达") == 6, timeout=20_000)


def test_resend_every_failure_of_a_campaign(qtbot, page: RecordsPage, sent) -> None:
    office, cid = sent
    asked: list[str] = []
    page.confirm = lambda _title, question: asked.append(question) or True
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.resend_campaign_action.trigger()
    qtbot.waitUntil(lambda: office.service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 6, timeout=20_000)
    assert asked and f"#{cid}" in asked[0]
    qtbot.waitUntil(lambda: "失败" not in column(page, Column.STATUS), timeout=20_000)


def test_resend_without_a_running_service_queues_for_later(qtbot, page: RecordsPage, sent) -> None:
    office, cid = sent
    office.window.ctx.stop_service()
    page.confirm = lambda _title, _question: True
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.resend_campaign_action.trigger()
    qtbot.waitUntil(lambda: office.service.campaigns.counts(cid)[MessageStatus.QUEUED] == 2, timeout=10_000)
    page.reload()
    settle(qtbot, page)
    assert column(page, Column.STATUS).count("排队中") == 2


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_writes_what_the_filter_finds(qtbot, page: RecordsPage, tmp_path: Path, suffix: str) -> None:
    choose(qtbot, page, page.status_combo, "失败或未送达")
    target = tmp_path / f"failed{suffix}"
    page.ask_save_path = lambda *_args: str(target)
    page.export_action.trigger()
    assert page.busy()
    qtbot.waitUntil(lambda: not page.export_bar.busy, timeout=15_000)
    assert not page.export_bar.isVisible()
    if suffix == ".csv":
        with target.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    else:
        book = openpyxl.load_workbook(target, read_only=True)
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    assert rows[0][:6] == ["时间", "号码", "内容", "发送人", "通道", "状态"]
    assert sorted(r[1] for r in rows[1:]) == sorted(column(page, Column.NUMBER))
    assert {r[5] for r in rows[1:]} == {"失败"} and {r[4] for r in rows[1:]} == {"猫1"}
    assert "已导出 2 条记录" in page.window().statusBar().currentMessage()


def test_a_cancelled_export_writes_no_file(qtbot, page: RecordsPage, tmp_path: Path) -> None:
    target = tmp_path / "all.xlsx"
    page.ask_save_path = lambda *_args: str(target)
    page.export_action.trigger()
    page.export_bar.cancel()
    qtbot.waitUntil(lambda: not page.export_bar.busy, timeout=15_000)
    message = page.window().statusBar().currentMessage()
    # The export may have finished before the cancel reached it; either way the page says which.
    assert ("导出已取消" in message and not target.exists()) or ("已导出 6 条记录" in message and target.exists())


def test_the_model_passes_qt_model_tester(qtmodeltester, qtbot, sent) -> None:
    office, _cid = sent
    today = date.today()
    from smsjingling.records.period import Period

    model = RecordsModel(
        office.db, office.window.ctx.worker, RecordsQuery(Period(today - timedelta(days=1), today + timedelta(days=2)))
    )
    model.refresh()
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 6, timeout=10_000)
    qtmodeltester.check(model)
    model.set_query(RecordsQuery(model.query.period, RecordFilter(statuses=("failed",))))
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 2, timeout=10_000)
    qtmodeltester.check(model)
