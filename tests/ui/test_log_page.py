"""日志 over a real database: events written by the core as people work (contacts, a real send through the
simulated modem), filters and search, new events on top, the chain check finding a tampered row, export."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import delete, update

from smsjingling.contacts.book import ContactBook
from smsjingling.storage.models import AuditEvent
from tests.ui.records_helpers import Office
from tests.ui.records_helpers import office as office
from ui.log_model import AuditModel, Column
from ui.pages.log import LogPage
from ui.records_period import Range


def settle(qtbot, page: LogPage) -> None:
    qtbot.waitUntil(lambda: not page.model.loading and not page.worker.busy, timeout=15_000)


@pytest.fixture
def worked(qtbot, office: Office) -> Office:
    """A morning's work: contacts added by two people, a group, and a notice sent through the core."""
    ContactBook(office.db, actor="王老师").add("张三", "13800138000", groups=["家长"])
    ContactBook(office.db, actor="李主任").add("李四", "13900139000")
    cid = office.send("13800138000", text="明早开会")
    qtbot.waitUntil(lambda: office.settled(cid), timeout=20_000)
    return office


@pytest.fixture
def page(qtbot, worked: Office) -> LogPage:
    log = worked.window.show_page("log")
    assert isinstance(log, LogPage)
    settle(qtbot, log)
    return log


def column(page: LogPage, col: int) -> list[str]:
    model = page.model
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def choose(qtbot, page: LogPage, combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)
    settle(qtbot, page)


def test_events_are_shown_newest_first_in_words(page: LogPage, worked: Office) -> None:
    actions = column(page, Column.ACTION)
    # the send's own events come last, newest first; the setup's channel and setting before the contacts
    assert actions[:4] == ["短信排队待发", "创建发送任务", "添加联系人", "添加联系人"]
    assert "添加通道" in actions and "修改设置" in actions
    assert column(page, Column.ACTOR)[2:4] == ["李主任", "王老师"]
    assert "13900139000" in column(page, Column.DETAILS)[2]
    assert all(column(page, Column.MACHINE))
    assert page.count_label.text() == f"共 {len(actions)} 条日志"


def test_filters_by_action_actor_days_and_search(qtbot, page: LogPage) -> None:
    qtbot.waitUntil(lambda: page.actor_combo.count() > 2, timeout=10_000)
    choose(qtbot, page, page.action_combo, "添加联系人")
    assert column(page, Column.ACTOR) == ["李主任", "王老师"]
    choose(qtbot, page, page.actor_combo, "王老师")
    assert column(page, Column.ACTION) == ["添加联系人"]
    choose(qtbot, page, page.action_combo, "全部操作")
    choose(qtbot, page, page.actor_combo, "全部操作人")

    qtbot.keyClicks(page.search_box, "13900139000")
    qtbot.waitUntil(lambda: page.model.query.text == "13900139000", timeout=5_000)
    settle(qtbot, page)
    assert column(page, Column.ACTOR) == ["李主任"]
    page.search_box.clear()
    page.apply_filter()
    settle(qtbot, page)

    page.period_picker.set_range(Range.LAST_MONTH)
    page.apply_filter()
    settle(qtbot, page)
    assert page.model.rowCount() == 0
    page.period_picker.set_range(Range.TODAY)
    page.apply_filter()
    settle(qtbot, page)
    assert page.model.rowCount() > 4


def test_new_events_appear_on_top(qtbot, page: LogPage, worked: Office) -> None:
    before = page.model.rowCount()
    ContactBook(worked.db, actor="赵会计").create_group("财务科")
    page.model.look_for_new()
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1, timeout=10_000)
    assert column(page, Column.ACTION)[0] == "新建分组" and column(page, Column.ACTOR)[0] == "赵会计"


def test_verify_says_intact_then_finds_an_edited_and_a_deleted_row(qtbot, page: LogPage, worked: Office) -> None:
    page.verify_action.trigger()
    qtbot.waitUntil(lambda: page.last_check is not None, timeout=15_000)
    assert page.last_check.intact and "日志完整" in page.banner.text()

    # Someone edits who added 张三 and deletes the row after it, straight in the database.
    rows = {page.model.event(r).details.get("phone"): page.model.event(r).id for r in range(page.model.rowCount())}
    edited = rows["+8613800138000"]
    with worked.db.session() as s:
        s.execute(update(AuditEvent).where(AuditEvent.id == edited).values(actor="别人"))
        s.execute(delete(AuditEvent).where(AuditEvent.id == edited + 1))
    page.last_check = None
    page.reload()
    settle(qtbot, page)
    page.verify_action.trigger()
    qtbot.waitUntil(lambda: page.last_check is not None, timeout=15_000)
    check = page.last_check
    assert [(b.id, b.reason) for b in check.breaks] == [(edited, "edited"), (edited + 2, "gap")]
    text = page.banner.text()
    assert "发现 2 处断裂" in text
    assert f"第 {edited} 条" in text and "别人" in text and "这一行被修改过" in text
    assert f"第 {edited + 2} 条" in text and "前一条被删除或修改过" in text
    row = next(r for r in range(page.model.rowCount()) if page.model.event(r).id == edited)
    assert page.model.data(page.model.index(row, Column.ACTOR), Qt.ItemDataRole.BackgroundRole) is not None
    assert "修改过" in page.model.data(page.model.index(row, Column.TIME), Qt.ItemDataRole.ToolTipRole)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_writes_the_filtered_events(qtbot, page: LogPage, tmp_path: Path, suffix: str) -> None:
    qtbot.waitUntil(lambda: page.action_combo.count() > 2, timeout=10_000)
    choose(qtbot, page, page.action_combo, "添加联系人")
    target = tmp_path / f"log{suffix}"
    page.ask_save_path = lambda *_args: str(target)
    page.export_action.trigger()
    qtbot.waitUntil(lambda: not page.export_bar.busy, timeout=15_000)
    if suffix == ".csv":
        with target.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    else:
        book = openpyxl.load_workbook(target, read_only=True)
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    assert rows[0] == ["时间", "操作人", "计算机", "操作", "操作代码", "详情", "编号"]
    assert [(r[1], r[3], r[4]) for r in rows[1:]] == [
        ("王老师", "添加联系人", "contact.add"),
        ("李主任", "添加联系人", "contact.add"),
    ]
    assert "已导出 2 条日志" in page.window().statusBar().currentMessage()


def test_the_model_passes_qt_model_tester(qtmodeltester, qtbot, worked: Office) -> None:
    model = AuditModel(worked.db, worked.window.ctx.worker, None)
    model.refresh()
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() > 4, timeout=10_000)
    qtmodeltester.check(model)
    model.set_broken({model.event(0).id: "edited"})
    qtmodeltester.check(model)
