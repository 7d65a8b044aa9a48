"""发送短信: compose → confirm → send → progress → the record, against zero-latency simulated modems; the counter,
banned-word marks, preview and merge fields; the confirmation's skipped-by-reason figures and refusals;
pause/resume/cancel; the models under Qt's model tester; and (slow) the window's responsiveness while
100,000 messages go out."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import insert, select

from smsjingling.compose import SIGNATURE_POSITION  # noqa: F401 - declares the compose settings
from smsjingling.contacts.book import ContactBook
from smsjingling.records.period import Period
from smsjingling.records.query import RecordFilter, pages
from smsjingling.sending.channels import Channels
from smsjingling.sending.rules import DAILY_MAX, RECIPIENT_CAP
from smsjingling.sending.service import SendingService
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.models import Contact, Group, contact_groups
from smsjingling.storage.sending import Campaign, CampaignStatus, MessageStatus
from smsjingling.storage.types import utcnow
from ui.context import AppContext
from ui.pages.compose import ComposePage
from ui.pages.compose.confirm import ConfirmDialog
from ui.pages.compose.models import CampaignsModel, MessagesModel
from ui.pages.compose.when import Repeat, When

ZERO = "latency=0&sms_latency=0&sr_delay=0"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def office(db: Database, book: ContactBook) -> ContactBook:
    Settings(db).set(SIGNATURE, "星辰科技")
    book.add("张三", "13800138001", fields={"部门": "销售部"}, groups=["销售部", "全体"])
    book.add("李四", "13800138002", fields={}, groups=["销售部"])  # no 部门
    book.add("王五", "01088886666", groups=["销售部"])  # a landline
    book.add("赵六", "13800138004", fields={"部门": "销售部"}, groups=["销售部"])
    book.add_optout("+8613800138004", "manual")
    return book


@pytest.fixture
def ctx(qtbot, db: Database, home) -> Iterator[AppContext]:
    context = AppContext.create(db)
    yield context
    context.close()


@pytest.fixture
def page(qtbot, ctx: AppContext, office: ContactBook) -> ComposePage:
    widget = ComposePage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    wait_loaded(qtbot, widget)
    return widget


@pytest.fixture
def service(ctx: AppContext, db: Database) -> Iterator[SendingService]:
    """The sending service as the window runs it, on one zero-latency simulated modem."""
    Channels(db).add_modem("猫1", f"sim://compose-{os.getpid()}?{ZERO}", hourly_cap=0, daily_cap=0)
    running = SendingService(db, actor=ctx.actor, bus=ctx.bus, demo_if_empty=False)
    running.start()
    ctx.service = running
    yield running
    ctx.service = None
    running.stop()


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type as a user does: keys for ASCII, and for Chinese what an input method sends (the committed text),
    since QTest can only press keys that exist on the keyboard."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)


def wait_loaded(qtbot, page: ComposePage) -> None:
    qtbot.waitUntil(lambda: page.loaded is not None and page.recipients.group_list.count() > 0, timeout=10_000)


def choose_group(qtbot, page: ComposePage, name: str) -> None:
    page.recipients.set_group_checked(name)
    qtbot.waitUntil(lambda: page.recipients.last_count is not None, timeout=10_000)


@dataclass
class Shown:
    """What a confirmation dialog said (the dialog itself is deleted once answered)."""

    recipients: str
    skipped: str
    segments: str
    cost: str
    channel: str
    when: str
    sample: str
    refusal: str
    refusal_hidden: bool
    confirm_enabled: bool


def answer(page: ComposePage, yes: bool) -> list[Shown]:
    """Make the confirmation answer by itself; returns what each dialog showed."""
    seen: list[Shown] = []

    def ask(dialog: ConfirmDialog) -> bool:
        seen.append(
            Shown(
                dialog.recipients_label.text(),
                dialog.skipped_label.text(),
                dialog.segments_label.text(),
                dialog.cost_label.text(),
                dialog.channel_label.text(),
                dialog.when_label.text(),
                dialog.sample_edit.toPlainText(),
                dialog.refusal_label.text(),
                dialog.refusal_label.isHidden(),
                dialog.confirm_button.isEnabled(),
            )
        )
        return yes

    page.ask_confirm = ask
    return seen


def campaign_ids(db: Database) -> list[int]:
    with db.reader() as s:
        return list(s.execute(select(Campaign.id).order_by(Campaign.id)).scalars())


# -- the message box ---------------------------------------------------------------------------------


def test_counter_counts_the_text_as_sent_with_signature(qtbot, page: ComposePage) -> None:
    assert page.editor.counter_label.text() == "尚未输入内容"
    type_text(qtbot, page.editor.text_edit, "Meeting at 9")
    # 【星辰科技】 makes every signed message UCS2: 6 + 12 characters, 70 a part.
    assert page.editor.counter_label.text() == "18 字 · UCS2（中文） · 1 条短信 · 本条还可输入 52 字"
    page.editor.set_text("通知" * 40)
    assert page.editor.counted is not None and page.editor.counted.segments == 2
    assert "2 条短信" in page.editor.counter_label.text()
    page.marketing_radio.setChecked(True)  # the unsubscribe note is counted too
    assert page.editor.counted.chars == 6 + 80 + 1 + len("拒收请回复R")


def test_banned_words_are_highlighted_with_their_category(qtbot, page: ComposePage) -> None:
    type_text(qtbot, page.editor.text_edit, "明天开会，")
    assert page.editor.highlighter.spans == [] and page.editor.keyword_label.isHidden()
    type_text(qtbot, page.editor.text_edit, "免费领取六合彩")
    spans = page.editor.highlighter.spans
    assert spans, "the banned word is marked as it is typed"
    start, end = spans[0]
    assert page.editor.text()[start:end] == "六合彩"
    assert not page.editor.keyword_label.isHidden()
    assert "六合彩" in page.editor.keyword_label.text() and "赌博" in page.editor.keyword_label.text()
    # the formats are really in the document's layout
    block = page.editor.text_edit.document().firstBlock()
    assert any(r.start <= start < r.start + r.length for r in block.layout().formats())
    page.editor.set_text("明天开会")
    assert page.editor.highlighter.spans == [] and page.editor.keyword_label.isHidden()


def test_merge_field_menu_and_preview_for_a_chosen_recipient(qtbot, page: ComposePage) -> None:
    names = [a.text() for a in page.editor.fields_menu.actions() if a.text()]
    assert names == ["{姓名}", "{手机号码}", "{部门}"]
    page.editor.fields_menu.actions()[0].trigger()
    type_text(qtbot, page.editor.text_edit, "您好，")
    next(a for a in page.editor.fields_menu.actions() if a.text() == "{部门}").trigger()
    type_text(qtbot, page.editor.text_edit, "明早开会")
    assert page.editor.text() == "{姓名}您好，{部门}明早开会"

    choose_group(qtbot, page, "销售部")
    qtbot.waitUntil(lambda: page.preview_combo.count() == 4, timeout=10_000)
    assert page.preview_combo.currentText() == "张三  13800138001"
    assert page.preview_label.text() == "【星辰科技】张三您好，销售部明早开会"
    assert page.preview_info.text() == "18 字 · UCS2 · 1 条 · ¥0.05"
    page.preview_combo.setCurrentIndex(page.preview_combo.findText("李四  13800138002"))
    assert page.preview_label.text() == "这位收件人不会收到短信：缺少字段：部门"
    type_text(qtbot, page.preview_search, "赵")
    qtbot.waitUntil(lambda: page.preview_combo.count() == 1, timeout=10_000)
    assert page.preview_label.text() == "【星辰科技】赵六您好，销售部明早开会"


def test_recipients_summary_counts_each_person_once(qtbot, page: ComposePage, office: ContactBook) -> None:
    assert page.recipients.summary_label.text() == "尚未选择收件人"
    page.recipients.set_group_checked("全体")
    choose_group(qtbot, page, "销售部")
    page.recipients.numbers_edit.setPlainText("13800138001, 13900139000\n不是号码")
    qtbot.waitUntil(lambda: page.recipients.last_count is not None, timeout=10_000)
    text = page.recipients.summary_label.text()
    assert text.startswith("已选：2 个分组（5 人），3 个号码")
    assert "去重后共 5 位收件人，1 个号码无效" in text
    # a single contact found by the search
    page.recipients.tabs.setCurrentIndex(1)
    type_text(qtbot, page.recipients.search_box, "李四")
    qtbot.waitUntil(lambda: page.recipients.found_list.count() == 1, timeout=10_000)
    qtbot.mouseClick(page.recipients.add_button, Qt.MouseButton.LeftButton)
    assert page.recipients.recipients().contacts == (office.find_phone("13800138002").id,)  # type: ignore[union-attr]
    page.editor.set_text("明早开会")
    qtbot.waitUntil(lambda: page.recipients.last_count is not None, timeout=10_000)
    assert page.cost_label.text() == "约 5 位 × 1 条 × ¥0.05 = ¥0.25"


# -- confirming ---------------------------------------------------------------------------------------


def test_confirmation_shows_skipped_by_reason_and_queues_nothing_when_declined(
    qtbot, page: ComposePage, db: Database
) -> None:
    choose_group(qtbot, page, "销售部")
    page.recipients.numbers_edit.setPlainText("号码待定\n13900139000")
    page.editor.set_text("{部门}明早九点开会")
    seen = answer(page, yes=False)
    page.send_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    dialog = seen[0]
    assert dialog.recipients == "6 位（发送 1 位，跳过 5 位）"
    assert dialog.skipped.splitlines() == [
        "缺少字段：部门：2 位",
        "号码无效：1 位",
        "不是手机号（固定电话或服务号码），不能接收短信：1 位",
        "已退订：1 位",
    ]
    assert dialog.segments == "1 条（长短信按条计费）"
    assert dialog.cost == "约 ¥0.05"
    assert dialog.channel.startswith("自动") and dialog.when == "立即发送"
    assert dialog.confirm_enabled and dialog.refusal_hidden
    assert dialog.sample == "【星辰科技】销售部明早九点开会"
    qtbot.waitUntil(lambda: page.send_action.isEnabled(), timeout=5_000)
    assert campaign_ids(db) == []


def test_a_refusal_is_shown_in_words_and_cannot_be_confirmed(qtbot, page: ComposePage, db: Database) -> None:
    Settings(db).set(RECIPIENT_CAP, 1)
    page.recipients.numbers_edit.setPlainText("13900139000 13900139001")
    page.editor.set_text("明早九点开会")
    seen = answer(page, yes=True)
    page.send_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    dialog = seen[0]
    assert not dialog.confirm_enabled
    assert "超出合同约定的每次上限 1 人 1 人" in dialog.refusal
    qtbot.wait(200)
    assert campaign_ids(db) == []


# -- sending and watching -----------------------------------------------------------------------------


def test_compose_confirm_send_progress_and_the_record(
    qtbot, page: ComposePage, db: Database, service: SendingService
) -> None:
    choose_group(qtbot, page, "销售部")
    page.editor.set_text("{姓名}您好，{部门}明早九点开会。")
    answer(page, yes=True)
    page.send_action.trigger()
    qtbot.waitUntil(lambda: len(campaign_ids(db)) == 1, timeout=10_000)
    (cid,) = campaign_ids(db)
    qtbot.waitUntil(lambda: page.progress.current() is not None and page.progress.current().id == cid, timeout=10_000)
    assert page.busy() or service.campaigns.counts(cid)[MessageStatus.QUEUED] == 0

    def finished() -> bool:
        current = page.progress.current()
        return current is not None and current.status == "completed" and current.delivered == 1

    qtbot.waitUntil(finished, timeout=30_000)
    assert not page.busy()
    assert page.progress.campaigns_model.index(0, 0).data() == f"您好，明早九点开会。 #{cid}"  # merge fields left out
    bar = page.progress.bar
    assert (bar.value(), bar.maximum()) == (4, 4)
    assert page.progress.counts_label.text() == "已送达 1 · 跳过或拦截 3"
    model = page.progress.messages_model
    qtbot.waitUntil(
        lambda: model.rowCount() == 4 and {model.message(r).status for r in range(4)} == {"delivered", "skipped"},
        timeout=10_000,
    )
    shown = {model.index(r, 0).data(): model.index(r, 2).data() for r in range(4)}
    assert shown == {"13800138001": "已送达", "13800138002": "已跳过", "01088886666": "已跳过", "13800138004": "已跳过"}
    assert model.index(1, 3).data() == "缺少字段：部门"

    # The record, read as the records page and the export read it.
    today = date.today()
    with db.reader() as s:
        rows = [
            r
            for page_rows in pages(s, Period(today - timedelta(days=1), today + timedelta(days=2)), RecordFilter(cid))
            for r in page_rows
        ]
    statuses = {r.phone: r.status for r in rows}
    assert statuses == {
        "+8613800138001": "delivered",
        "+8613800138002": "skipped",
        "+861088886666": "skipped",
        "+8613800138004": "skipped",
    }
    texts = {r.phone: r.text for r in rows if r.status == "delivered"}
    assert texts == {"+8613800138001": "【星辰科技】张三您好，销售部明早九点开会。"}


def test_pause_resume_and_cancel_work_on_the_campaign(qtbot, ctx: AppContext, db: Database, book: ContactBook) -> None:
    Settings(db).set(SIGNATURE, "星辰科技")
    # A modem at a real modem's pace (0.3 s a message), so the send is still going when the buttons are pressed.
    Channels(db).add_modem(
        "慢猫", f"sim://slow-{os.getpid()}?latency=0&sms_latency=0.3&sr_delay=0", hourly_cap=0, daily_cap=0
    )
    running = SendingService(db, actor=ctx.actor, bus=ctx.bus, demo_if_empty=False)
    running.start()
    ctx.service = running
    try:
        page = ComposePage(ctx)
        qtbot.addWidget(page)
        page.resize(1100, 760)
        page.show()
        qtbot.waitUntil(lambda: page.loaded is not None, timeout=10_000)
        page.recipients.numbers_edit.setPlainText("\n".join(f"139{i:08d}" for i in range(30)))
        page.editor.set_text("停电通知")
        answer(page, yes=True)
        page.send_action.trigger()
        qtbot.waitUntil(lambda: page.progress.current() is not None, timeout=10_000)
        cid = page.progress.current().id
        qtbot.waitUntil(lambda: page.progress.pause_button.isEnabled(), timeout=10_000)

        qtbot.mouseClick(page.progress.pause_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.progress.current().status == "paused", timeout=10_000)
        assert page.progress.resume_button.isEnabled() and not page.progress.pause_button.isEnabled()
        assert "已暂停" in page.progress.title_label.text()
        time.sleep(1.0)  # what was in flight lands; nothing more goes out while paused
        before = running.campaigns.counts(cid)
        time.sleep(1.0)
        assert running.campaigns.counts(cid) == before and before[MessageStatus.QUEUED] > 0

        qtbot.mouseClick(page.progress.resume_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.progress.current().status == "running", timeout=10_000)
        qtbot.waitUntil(
            lambda: running.campaigns.counts(cid)[MessageStatus.QUEUED] < before[MessageStatus.QUEUED], timeout=10_000
        )

        asked: list[str] = []
        page.progress.confirm = lambda _title, question: asked.append(question) or True
        qtbot.mouseClick(page.progress.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.progress.current().status == "cancelled", timeout=10_000)
        assert asked and "排队中的" in asked[0]
        counts = running.campaigns.counts(cid)
        assert counts[MessageStatus.CANCELLED] > 0 and counts[MessageStatus.QUEUED] == 0
        assert "已取消" in page.progress.counts_label.text()
        assert not page.progress.cancel_button.isEnabled()
    finally:
        ctx.service = None
        running.stop()


def test_send_at_a_time_and_on_a_recurrence(qtbot, page: ComposePage, db: Database) -> None:
    choose_group(qtbot, page, "全体")
    page.editor.set_text("周报提醒")
    type_text(qtbot, page.name_edit, "周报")
    page.when.set_mode(When.AT)
    start = page.when.start_at()
    assert start is not None and start > utcnow()
    seen = answer(page, yes=True)
    page.send_action.trigger()
    qtbot.waitUntil(lambda: len(campaign_ids(db)) == 1, timeout=10_000)
    assert seen[0].when.endswith("发送一次")
    page.when.set_mode(When.REPEAT, Repeat.WORKDAYS)
    assert page.send_action.text() == "定时发送…"
    qtbot.waitUntil(page.send_action.isEnabled, timeout=10_000)  # the first one is queued
    page.send_action.trigger()
    qtbot.waitUntil(lambda: len(campaign_ids(db)) == 2, timeout=10_000)
    assert seen[1].when.startswith("每个工作日")
    with db.reader() as s:
        once, repeat = s.execute(select(Campaign).order_by(Campaign.id)).scalars().all()
        assert once.status == repeat.status == CampaignStatus.SCHEDULED
        assert once.start_at is not None and abs((once.start_at - start).total_seconds()) < 1
        assert once.recurrence == "" and repeat.recurrence == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        assert once.name == repeat.name == "周报"
    qtbot.waitUntil(lambda: page.progress.campaigns_model.rowCount() == 2, timeout=10_000)
    assert page.progress.campaigns_model.index(0, 1).data() == "等待定时"


# -- the models ----------------------------------------------------------------------------------------


def test_models_pass_the_model_tester(qtbot, qtmodeltester, ctx: AppContext, db: Database, office: ContactBook) -> None:
    from smsjingling.sending.campaigns import CampaignRequest, Campaigns
    from smsjingling.sending.expand import Recipients

    campaigns = Campaigns(db, ctx.actor)
    cid = campaigns.create(
        CampaignRequest(
            "{部门|同事}开会", Recipients(groups=("销售部",), numbers=tuple(f"139{i:08d}" for i in range(450)))
        )
    )
    zone = page_zone()
    listing = CampaignsModel(db, ctx.worker, zone)
    listing.refresh()
    qtbot.waitUntil(lambda: listing.rowCount() == 1, timeout=10_000)
    qtmodeltester.check(listing)
    messages = MessagesModel(db, ctx.worker, zone)
    messages.set_campaign(cid)
    qtbot.waitUntil(lambda: messages.rowCount() == 200, timeout=10_000)
    while messages.canFetchMore():
        messages.fetchMore()
        qtbot.waitUntil(lambda: not messages.loading, timeout=10_000)
    assert messages.rowCount() == 454
    qtmodeltester.check(messages)
    changed: list[tuple[int, int]] = []
    messages.dataChanged.connect(lambda a, b: changed.append((a.row(), b.row())))
    campaigns.cancel(cid)
    done: list[bool] = []
    assert messages.refresh_rows(0, 9, lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert changed == [(0, 1), (4, 9)]  # the queued ones became cancelled; the landline and opted-out did not
    assert messages.index(0, 2).data() == "已取消"


def page_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


# -- responsiveness (issue 6 §3) -----------------------------------------------------------------------

BIG = int(os.environ.get("SMSJINGLING_RESPONSIVE_N", "100000"))
MODEMS = 8


def _big_book(db: Database, n: int) -> None:
    now = utcnow()
    with db.session() as s:
        group = Group(name="全体员工")
        s.add(group)
        s.flush()
        s.execute(
            insert(Contact),
            [
                {
                    "name": f"员工{i}",
                    "phone": f"+86138{i:08d}",
                    "sms_capable": True,
                    "carrier": "mobile",
                    "region": "",
                    "fields": {"部门": "销售部"},
                    "created_at": now,
                    "updated_at": now,
                    "consent_source": "",
                }
                for i in range(n)
            ],
        )
        ids = s.execute(select(Contact.id)).scalars().all()
        s.execute(insert(contact_groups), [{"contact_id": i, "group_id": group.id} for i in ids])


class _ModemsOnPtys:
    """Zero-latency simulated modems, each in a process of its own on a pseudo-terminal, as a modem is a device
    outside the program: the window's process carries the sending engine (dispatcher, a worker and a port reader
    per modem), not the modems' own work. Simulated in this process instead, eight zero-latency modems took the
    GIL back and forth several times a message, and that is what stalled the window, not the engine."""

    def __init__(self, count: int) -> None:
        self.procs: list[subprocess.Popen[str]] = []
        self.paths: list[str] = []
        try:
            for i in range(count):
                proc = subprocess.Popen(
                    [sys.executable, "-m", "modem.sim", "--pty", f"sim://big{i}-{os.getpid()}?{ZERO}"],
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                self.procs.append(proc)
                assert proc.stdout is not None
                path = proc.stdout.readline().strip()
                assert path, "a simulated modem did not start"
                self.paths.append(path)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.communicate(timeout=30)


@pytest.fixture
def modems_on_ptys() -> Iterator[list[str]]:
    modems = _ModemsOnPtys(MODEMS)
    yield modems.paths
    modems.stop()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "openpty"), reason="the simulated modems run on pseudo-terminals (POSIX)")
# Measured on a shared 2-core machine: 47-94 ms at 10,000 messages (load 10-12), but 344-703 ms at 100,000
# (load 8-19), when a process doing nothing but this heartbeat saw 242-522 ms over the same minutes. Issue 6
# stays open on it; see ui/pages/compose/responsiveness.py.
@pytest.mark.xfail(reason="stalls over 100 ms in a long send on a heavily loaded machine (issue 6)", strict=False)
def test_window_stays_responsive_while_100000_messages_go_out(
    qtbot, ctx: AppContext, db: Database, modems_on_ptys: list[str]
) -> None:
    _big_book(db, BIG)
    settings = Settings(db)
    settings.set(SIGNATURE, "星辰科技")
    settings.set(RECIPIENT_CAP, BIG)
    settings.set(DAILY_MAX, BIG * 2)
    for i, path in enumerate(modems_on_ptys):
        Channels(db).add_modem(f"猫{i}", path, hourly_cap=0, daily_cap=0)
    running = SendingService(db, actor=ctx.actor, bus=ctx.bus, demo_if_empty=False)
    running.start()
    ctx.service = running
    try:
        page = ComposePage(ctx)
        qtbot.addWidget(page)
        page.resize(1180, 760)
        page.show()
        wait_loaded(qtbot, page)
        choose_group(qtbot, page, "全体员工")
        page.editor.set_text("{姓名}您好：{部门}明天上午九点开会。")
        answer(page, yes=True)

        # The heartbeat: a 10 ms timer; the longest gap between its ticks is the longest the window froze.
        clock = QElapsedTimer()
        clock.start()
        state = {"last": 0, "longest": 0, "beats": 0}

        def beat() -> None:
            now = clock.elapsed()
            state["longest"] = max(state["longest"], now - state["last"])
            state["last"] = now
            state["beats"] += 1

        heartbeat = QTimer()
        heartbeat.setInterval(10)
        heartbeat.timeout.connect(beat)
        heartbeat.start()
        state["last"] = clock.elapsed()
        started = time.monotonic()
        page.send_action.trigger()  # quote (the plan of 100,000), confirm, create, send: all measured
        qtbot.waitUntil(lambda: len(campaign_ids(db)) == 1, timeout=120_000)
        (cid,) = campaign_ids(db)

        def all_sent() -> bool:
            current = page.progress.current()
            return current is not None and current.id == cid and current.waiting == 0

        qtbot.waitUntil(all_sent, timeout=1_800_000)
        heartbeat.stop()
        elapsed = time.monotonic() - started
        counts = running.campaigns.counts(cid)
        shown = {k.value: v for k, v in counts.items() if v}
        longest, beats = state["longest"], state["beats"]
        print(f"\n{BIG:,} messages in {elapsed:.0f} s; longest stall {longest} ms over {beats:,} beats")
        print(f"final counts: {shown}")
        assert counts[MessageStatus.SENT] + counts[MessageStatus.DELIVERED] == BIG
        assert page.progress.messages_model.rowCount() >= 200  # the table was live
        assert state["longest"] < 100, f"the window froze for {state['longest']} ms"
    finally:
        ctx.service = None
        running.stop()
    assert QApplication.instance() is not None
