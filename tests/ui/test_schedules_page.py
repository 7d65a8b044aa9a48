"""The schedules page over a real database and core: schedules listed with their next send and rule in words,
missed ones marked, paused, resumed, cancelled, given a new time in the dialog, and sent at once through a
zero-latency simulated modem."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from modem.sim.port import SimModem
from smsjingling.schedule.listing import ScheduleState, get_schedule, list_schedules
from smsjingling.schedule.scheduler import Scheduler
from smsjingling.sending.campaigns import CampaignRequest, Campaigns
from smsjingling.sending.channels import Channels
from smsjingling.sending.expand import Recipients
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Campaign, CampaignStatus, MessageStatus
from smsjingling.storage.types import utcnow
from tests.core.sending_helpers import wait_until
from ui.main_window import MainWindow
from ui.pages.schedules import SchedulesPage
from ui.schedules_edit import ScheduleDialog
from ui.schedules_model import MISSED_COLOUR, Column, SchedulesModel

TO = Recipients(numbers=("13800138001", "13800138002"))


def hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


@pytest.fixture
def schedules(db: Database) -> dict[str, int]:
    """A daily schedule from two hours on, a one-off tomorrow, and a one-off missed two days ago."""
    Settings(db).set(SIGNATURE, "测试单位")
    now = utcnow()
    campaigns = Campaigns(db, "admin", clock=lambda: now - timedelta(days=3))
    ids = {
        "once": campaigns.create(
            CampaignRequest("停电通知", TO, name="停电通知", start_at=hour(now) + timedelta(days=1))
        ),
        "daily": campaigns.create(
            CampaignRequest(
                "交日志", TO, name="日志提醒", start_at=hour(now) + timedelta(hours=2), recurrence="FREQ=DAILY"
            )
        ),
        "missed": campaigns.create(
            CampaignRequest("体检", TO, name="体检通知", start_at=now - timedelta(days=2), grace_minutes=30)
        ),
    }
    with db.session() as s:
        Scheduler(campaigns.start).due(s, now)  # the PC was off: the one-off is reported missed
    return ids


@pytest.fixture
def page(qtbot, db: Database, home, schedules: dict[str, int]) -> Iterator[SchedulesPage]:
    window = MainWindow(db)
    window.confirm_quit = lambda: True  # pending schedules: no question when the test closes it
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("schedules")
    assert isinstance(page, SchedulesPage)
    errors: list[BaseException] = []
    page.report_error = errors.append
    settle(qtbot, page)
    yield page
    window._quitting = True
    window.close()
    assert errors == []


def settle(qtbot, page: SchedulesPage) -> None:
    qtbot.waitUntil(lambda: not page.loading and not page.acting and not page.ctx.worker.busy, timeout=20_000)


def row_texts(page: SchedulesPage, campaign_id: int) -> dict[Column, str]:
    row = page.model.row_of(campaign_id)
    assert row is not None, f"schedule {campaign_id} is not listed"
    return {c: page.model.data(page.model.index(row, c)) for c in Column}


def status_of(db: Database, campaign_id: int) -> str:
    with db.reader() as s:
        campaign = s.get(Campaign, campaign_id)
        assert campaign is not None
        return campaign.status


def test_schedules_are_listed_with_their_next_send_and_missed_ones_marked(
    page: SchedulesPage, db: Database, schedules: dict[str, int]
) -> None:
    assert page.model.rowCount() == 3
    # soonest first: the daily one (in two hours), tomorrow's one-off, then the missed one with no next send
    assert [page.model.item(r).id for r in range(3)] == [schedules["daily"], schedules["once"], schedules["missed"]]
    daily = row_texts(page, schedules["daily"])
    item = get_schedule(db, schedules["daily"])
    assert item is not None and item.next_at is not None
    local = item.local(item.next_at)
    assert local is not None
    assert daily[Column.RULE] == f"每天 {local:%H:%M}"
    assert daily[Column.NEXT].startswith(f"{local:%Y-%m-%d %H:%M} 周")
    assert daily[Column.STATE] == "等待中" and daily[Column.RECIPIENTS] == "2 个号码"
    missed = row_texts(page, schedules["missed"])
    assert missed[Column.STATE] == "已错过" and missed[Column.MISSED] == "1 次" and missed[Column.NEXT] == "—"
    row = page.model.row_of(schedules["missed"])
    brush = page.model.data(page.model.index(row, Column.STATE), Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == MISSED_COLOUR
    assert page.count_label.text() == "共 3 个定时任务，2 个等待发送；1 个有错过的发送"

    # a missed one can no longer be run, changed or cancelled
    page.select(schedules["missed"])
    assert not page.run_action.isEnabled() and not page.cancel_action.isEnabled()
    assert "错过 1 次" in page.detail.text()
    page.select(schedules["once"])
    assert page.run_action.isEnabled() and page.pause_action.isEnabled() and not page.resume_action.isEnabled()


def test_pause_resume_and_cancel(qtbot, page: SchedulesPage, db: Database, schedules: dict[str, int]) -> None:
    page.select(schedules["daily"])
    page.pause_action.trigger()
    settle(qtbot, page)
    assert status_of(db, schedules["daily"]) == CampaignStatus.PAUSED
    assert row_texts(page, schedules["daily"])[Column.STATE] == "已暂停"
    assert page.selected() is not None and page.selected().id == schedules["daily"]  # the selection stays
    assert page.resume_action.isEnabled() and not page.pause_action.isEnabled()
    page.resume_action.trigger()
    settle(qtbot, page)
    assert status_of(db, schedules["daily"]) == CampaignStatus.SCHEDULED

    asked: list[str] = []
    page.confirm = lambda _title, question: asked.append(question) or False
    page.cancel_action.trigger()
    assert asked and "日志提醒" in asked[0]
    assert status_of(db, schedules["daily"]) == CampaignStatus.SCHEDULED  # the user said no
    page.confirm = lambda _title, _question: True
    page.cancel_action.trigger()
    settle(qtbot, page)
    assert status_of(db, schedules["daily"]) == CampaignStatus.CANCELLED
    assert page.model.row_of(schedules["daily"]) is None
    assert page.window().statusBar().currentMessage() == "“日志提醒”已取消"
    page.finished_box.setChecked(True)
    settle(qtbot, page)
    assert row_texts(page, schedules["daily"])[Column.STATE] == "已取消"


def test_the_dialog_changes_time_and_rule(qtbot, page: SchedulesPage, db: Database, schedules: dict[str, int]) -> None:
    shown: list[ScheduleDialog] = []

    def answer(item):
        dialog = ScheduleDialog(item, page)
        qtbot.addWidget(dialog)
        shown.append(dialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert dialog.repeat_box.currentData() == "none" and ok.isEnabled()
        # a rule that repeats too often is refused in the core's words
        dialog.repeat_box.setCurrentIndex(dialog.repeat_box.findData("custom"))
        dialog.custom_edit.setText("FREQ=HOURLY")
        assert not ok.isEnabled() and "太频繁" in dialog.preview.text()
        # every Monday and Wednesday, ten times
        dialog.repeat_box.setCurrentIndex(dialog.repeat_box.findData("weekly"))
        for day, box in enumerate(dialog.weekday_boxes):
            box.setChecked(day in (0, 2))
        dialog.end_box.setCurrentIndex(dialog.end_box.findData("count"))
        dialog.count_spin.setValue(10)
        assert ok.isEnabled()
        assert dialog.preview.text().startswith("每周一、周三 ")
        assert "，共 10 次" in dialog.preview.text()
        return dialog.start_at(), dialog.rule_text()

    page.ask_schedule = answer
    page.select(schedules["once"])
    page.edit_action.trigger()
    settle(qtbot, page)
    with db.reader() as s:
        campaign = s.get(Campaign, schedules["once"])
        assert campaign is not None
        assert campaign.recurrence == "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"
        start = campaign.start_at
    assert start == shown[0].start_at()
    texts = row_texts(page, schedules["once"])
    assert texts[Column.RULE].startswith("每周一、周三") and texts[Column.RULE].endswith("，共 10 次")
    assert page.window().statusBar().currentMessage() == "“停电通知”的发送时间已修改"

    # the dialog opened on a recurring schedule shows its rule
    item = get_schedule(db, schedules["daily"])
    assert item is not None
    dialog = ScheduleDialog(item, page)
    qtbot.addWidget(dialog)
    assert dialog.repeat_box.currentData() == "daily" and dialog.rule_text() == "FREQ=DAILY"
    dialog.repeat_box.setCurrentIndex(dialog.repeat_box.findData("monthly"))
    dialog.month_end_box.setChecked(True)
    assert dialog.rule_text() == "FREQ=MONTHLY;BYMONTHDAY=-1"
    assert "每月最后一天" in dialog.preview.text()


@pytest.fixture
def sim(db: Database) -> Iterator[SimModem]:
    modem = SimModem(latency=0, sr_delay=0)
    Channels(db).add_modem("猫1", modem.url, hourly_cap=0, daily_cap=0)
    yield modem
    modem.remove()


def test_run_now_sends_at_once(qtbot, page: SchedulesPage, db: Database, schedules: dict[str, int], sim) -> None:
    page.ctx.start_service(demo_if_empty=False)
    qtbot.waitUntil(lambda: page.ctx.service_state.state == "running", timeout=20_000)
    questions: list[str] = []
    page.confirm = lambda _title, question: questions.append(question) or True

    # a one-off goes now, and leaves the list of waiting schedules
    page.select(schedules["once"])
    page.run_action.trigger()
    settle(qtbot, page)
    assert "现在就发送“停电通知”" in questions[0]
    service = page.ctx.service
    assert service is not None
    wait_until(lambda: service.campaigns.counts(schedules["once"])[MessageStatus.DELIVERED] == 2)
    assert page.model.row_of(schedules["once"]) is None

    # a recurring one sends once more and keeps its times
    page.select(schedules["daily"])
    before = get_schedule(db, schedules["daily"])
    page.run_action.trigger()
    settle(qtbot, page)
    assert "这是额外的一次" in questions[1]
    with db.reader() as s:
        (extra,) = s.execute(select(Campaign.id).where(Campaign.parent_id == schedules["daily"])).scalars()
    wait_until(lambda: service.campaigns.counts(extra)[MessageStatus.DELIVERED] == 2)
    qtbot.waitUntil(lambda: "送达 2/2" in row_texts(page, schedules["daily"])[Column.LAST], timeout=10_000)
    after = get_schedule(db, schedules["daily"])
    assert before is not None and after is not None and after.next_at == before.next_at
    assert sorted(sim.sent_texts()) == ["【测试单位】交日志"] * 2 + ["【测试单位】停电通知"] * 2


def test_a_schedule_made_elsewhere_appears_when_the_core_says_so(qtbot, page: SchedulesPage, db: Database) -> None:
    new = Campaigns(db).create(CampaignRequest("年会", TO, name="年会通知", start_at=utcnow() + timedelta(days=9)))
    assert page.model.row_of(new) is None
    page.ctx.bus.publish("campaign", campaign_id=new)
    qtbot.waitUntil(lambda: page.model.row_of(new) is not None, timeout=10_000)
    assert row_texts(page, new)[Column.NAME] == "年会通知"


def test_schedules_model_passes_the_model_tester(qtmodeltester, db: Database, schedules: dict[str, int]) -> None:
    model = SchedulesModel()
    model.set_items(list_schedules(db, finished=True))
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and not model.index(0, 0, model.index(0, 0)).isValid()
    assert model.rowCount(QModelIndex()) == 3
    assert {i.state for i in model.items()} == {ScheduleState.WAITING, ScheduleState.MISSED}
