"""The settings page over a real SQLite file: values survive a restart and the core uses them, refused values
are explained next to their field, the keyword lists are edited and imported, and the language chosen is the
one the next start uses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from smsjingling.errors import ValidationError
from smsjingling.keywords import KeywordStore
from smsjingling.records.period import user_zone
from smsjingling.sending.campaigns import CampaignRequest, Campaigns
from smsjingling.sending.expand import Recipients
from smsjingling.sending.rules import SendRules
from smsjingling.settings import REGISTRY, Settings
from smsjingling.storage.database import Database, open_database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Message, MessageStatus
from tests.core.test_records import add_campaign, add_message
from ui.i18n import choose_language, install_translators, remove_translators, saved_language, switch_language
from ui.keywords_model import KeywordsModel
from ui.keywords_panel import KeywordsPanel
from ui.main_window import KEY_ROLE, MainWindow
from ui.pages.settings import SettingsPage
from ui.settings_fields import ChoiceEditor, NumberEditor, TextEditor, WindowEditor, WordsEditor


def open_page(qtbot, db: Database) -> tuple[MainWindow, SettingsPage]:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    settle(qtbot, page)
    return window, page


def settle(qtbot, page: SettingsPage) -> None:
    qtbot.waitUntil(lambda: page.saved is not None and not page.loading and not page.saving, timeout=10_000)
    qtbot.waitUntil(lambda: not page.ctx.worker.busy, timeout=10_000)


def settle_keywords(qtbot, panel: KeywordsPanel) -> None:
    qtbot.waitUntil(lambda: not panel.loading and not panel.ctx.worker.busy, timeout=10_000)


def close(window: MainWindow) -> None:
    window._quitting = True
    window.close()


@pytest.fixture
def page(qtbot, db: Database, home) -> Iterator[SettingsPage]:
    window, page = open_page(qtbot, db)
    yield page
    close(window)


def editor(page: SettingsPage, key: str):
    return page.editors[key]


def type_text(qtbot, widget, text: str) -> None:
    """Type like a user: QTest's keyClicks only knows ASCII, so other characters go as key events that carry
    their text (what an input method delivers)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def type_into(qtbot, widget, text: str) -> None:
    widget.selectAll()
    type_text(qtbot, widget, text)


def test_settings_persist_across_a_restart_and_the_core_uses_them(qtbot, db: Database, home, tmp_path: Path) -> None:
    window, page = open_page(qtbot, db)
    assert page.save_button.isEnabled() is False  # nothing changed yet
    signature = editor(page, "compose.signature")
    assert isinstance(signature, TextEditor)
    type_text(qtbot, signature.edit, "市教育局")
    cap = editor(page, "plan.recipient_cap")
    assert isinstance(cap, NumberEditor)
    type_into(qtbot, cap.spin.lineEdit(), "1")
    window_editor = editor(page, "send.marketing_window")
    assert isinstance(window_editor, WindowEditor)
    window_editor.start.setTime(QTime(9, 0))
    window_editor.end.setTime(QTime(18, 30))
    qtbot.mouseClick(editor(page, "send.require_consent").box, Qt.MouseButton.LeftButton)
    words = editor(page, "replies.unsubscribe_words")
    assert isinstance(words, WordsEditor)
    type_into(qtbot, words.edit, "TD、退订 , 不要")
    position = editor(page, "compose.signature_position")
    assert isinstance(position, ChoiceEditor)
    position.combo.setCurrentIndex(position.combo.findData("suffix"))
    maintenance = editor(page, "gateway.maintenance_window")
    qtbot.mouseClick(maintenance.enabled, Qt.MouseButton.LeftButton)  # no maintenance window
    assert page.state_label.text() == "有 7 项修改尚未保存"
    assert page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    assert not page.dirty() and page.state_label.text() == ""
    assert window.statusBar().currentMessage() == "设置已保存"
    close(window)
    path = db.where
    db.close()

    again = open_database(path)
    try:
        stored = Settings(again)
        values = stored.all()
        assert values["compose.signature"] == "市教育局"
        assert values["plan.recipient_cap"] == 1
        assert values["send.marketing_window"] == "09:00-18:30"
        assert values["gateway.maintenance_window"] == ""
        assert values["send.require_consent"] is True
        assert values["replies.unsubscribe_words"] == ["TD", "退订", "不要"]
        assert values["compose.signature_position"] == "suffix"
        # the core uses them: numbers with no consent are skipped, the recipient cap refuses a send to two,
        # the dispatcher's rules read the windows
        two = CampaignRequest("开会", Recipients(numbers=("13800138001", "13800138002")))
        with pytest.raises(ValidationError) as err:
            Campaigns(again).create(two)
        assert err.value.key == "send.no_recipients" and "未记录同意接收 2" in err.value.message("zh")
        stored.set(REGISTRY["send.require_consent"], False)
        with pytest.raises(ValidationError) as err:
            Campaigns(again).create(two)
        assert err.value.key == "send.over_recipient_cap"
        rules = SendRules.load(stored)
        assert rules.maintenance is None and rules.marketing is not None
        assert (rules.marketing.start.hour, rules.marketing.end.minute) == (9, 30)
        with again.reader() as s:
            changed = {
                e.details["key"]
                for e in s.execute(select(AuditEvent).where(AuditEvent.action == "settings.change")).scalars()
            }
        assert "plan.recipient_cap" in changed and "compose.signature" in changed
        # and the page shows them after the restart
        window, page = open_page(qtbot, again)
        assert editor(page, "compose.signature").value() == "市教育局"
        assert editor(page, "plan.recipient_cap").value() == 1
        assert editor(page, "send.marketing_window").value() == "09:00-18:30"
        assert editor(page, "send.require_consent").value() is False  # as changed since
        assert editor(page, "replies.unsubscribe_words").edit.text() == "TD、退订、不要"
        assert not page.dirty()
        close(window)
    finally:
        again.close()


def test_invalid_values_are_refused_with_the_settings_own_message(qtbot, page: SettingsPage, db: Database) -> None:
    months = editor(page, "records.retention_months")
    type_into(qtbot, months.spin.lineEdit(), "3")
    error = page.error_labels["records.retention_months"]
    assert error.isVisible() and error.text() == "至少保留 6 个月"
    signature = editor(page, "compose.signature")
    type_text(qtbot, signature.edit, "市【教育】局")
    assert page.error_labels["compose.signature"].text() == "签名“市【教育】局”里不能再有【或】。"
    zone = editor(page, "ui.timezone")
    zone.combo.setCurrentText("Mars/Olympus")
    assert page.error_labels["ui.timezone"].text() == "时区名称，例如 Asia/Shanghai"
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "有 3 项设置无效，未保存" in page.window().statusBar().currentMessage()
    assert page.dirty() and not page.saving
    assert Settings(db).get(REGISTRY["records.retention_months"]) == 6  # nothing written
    assert Settings(db).get(REGISTRY["compose.signature"]) == ""
    # mending one is seen at once; 还原 puts everything back
    type_into(qtbot, months.spin.lineEdit(), "12")
    assert not page.error_labels["records.retention_months"].isVisible()
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    assert not page.dirty()
    assert months.value() == 6 and signature.value() == "" and zone.value() == "Asia/Shanghai"
    assert not any(label.isVisible() for label in page.error_labels.values())


def test_saving_hands_the_new_rules_to_the_running_dispatcher(qtbot, page: SettingsPage) -> None:
    page.ctx.start_service(demo_if_empty=False)
    qtbot.waitUntil(lambda: page.ctx.service_state.state == "running", timeout=20_000)
    service = page.ctx.service
    assert service is not None and service.dispatcher is not None
    assert service.dispatcher.rules.max_attempts == 4
    type_into(qtbot, editor(page, "send.max_attempts").spin.lineEdit(), "7")
    page.save_action.trigger()
    settle(qtbot, page)
    assert service.dispatcher.rules.max_attempts == 7


def test_language_chosen_here_is_the_next_starts(qtbot, db: Database, home, monkeypatch: pytest.MonkeyPatch) -> None:
    window, page = open_page(qtbot, db)
    language = editor(page, "ui.language")
    assert language.value() == ""  # follows the system until chosen
    assert [language.combo.itemText(i) for i in range(3)] == ["跟随系统", "简体中文", "English"]
    language.combo.setCurrentIndex(language.combo.findData("en"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page)
    assert "重新启动程序后生效" in window.statusBar().currentMessage()
    close(window)
    path = db.where
    db.close()

    # The next start, as ui.app.main does it: --lang, SMSJINGLING_LANG, then the saved setting.
    monkeypatch.delenv("SMSJINGLING_LANG")
    app = QCoreApplication.instance()
    assert isinstance(app, QApplication)
    again = open_database(path)
    translators = install_translators(app, choose_language(None))
    try:
        assert saved_language(again) == "en"
        assert choose_language(None, saved_language(again)) == "en"
        assert choose_language("zh", saved_language(again)) == "zh"  # --lang still wins
        translators = switch_language(app, translators, choose_language(None, saved_language(again)))
        english = MainWindow(again)
        qtbot.addWidget(english)
        english.show()
        items = [english.nav.item(i) for i in range(english.nav.count())]
        assert next(i.text() for i in items if i.data(KEY_ROLE) == "settings") == "Settings"
        settings_page = english.show_page("settings")
        assert isinstance(settings_page, SettingsPage)
        assert settings_page.tabs.tabText(1) == "Banned words"
        assert settings_page.save_button.text() == "&Save"
        settle(qtbot, settings_page)
        assert settings_page.fields["plan.daily_max"].label() == "Messages per day (plan)"
        close(english)
    finally:
        remove_translators(app, translators)
        install_translators(app, "zh")
        again.close()


def test_purging_records_past_the_retention_period(qtbot, page: SettingsPage, db: Database) -> None:
    campaign = add_campaign(db)
    now = datetime.now(UTC)
    add_message(db, campaign, created=now - timedelta(days=400), done=now - timedelta(days=400))
    add_message(db, campaign, created=now - timedelta(days=400), status=MessageStatus.QUEUED)  # never purged
    add_message(db, campaign, created=now - timedelta(days=3))
    asked: list[str] = []
    page.confirm = lambda _title, question: asked.append(question) or True
    qtbot.mouseClick(page.purge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已删除" in page.window().statusBar().currentMessage(), timeout=10_000)
    assert "1 条发送记录" in asked[0] and "保留 6 个月" in asked[0]
    assert page.window().statusBar().currentMessage() == "已删除 1 条过期发送记录"
    with db.reader() as s:
        assert len(s.execute(select(Message.id)).all()) == 2
    assert user_zone(db) is not None
    qtbot.mouseClick(page.purge_button, Qt.MouseButton.LeftButton)  # nothing left to purge
    qtbot.waitUntil(lambda: "没有超过保留期限" in page.window().statusBar().currentMessage(), timeout=10_000)
    assert len(asked) == 1


# -- the keyword lists ---------------------------------------------------------------------------------


@pytest.fixture
def errors(page: SettingsPage) -> Iterator[list[BaseException]]:
    """What the panel would have shown in a message box; a test pops the ones it expects."""
    shown: list[BaseException] = []
    page.report_error = page.keywords.report_error = shown.append
    yield shown
    assert shown == []


@pytest.fixture
def panel(qtbot, page: SettingsPage, errors: list[BaseException]) -> KeywordsPanel:
    page.tabs.setCurrentWidget(page.keywords)
    settle_keywords(qtbot, page.keywords)
    return page.keywords


def choose_category(qtbot, panel: KeywordsPanel, category: str | None) -> None:
    for row in range(panel.categories.count()):
        if panel.categories.item(row).data(Qt.ItemDataRole.UserRole) == category:
            panel.categories.setCurrentRow(row)
            settle_keywords(qtbot, panel)
            return
    raise AssertionError(f"no category {category}")


def test_keyword_lists_add_remove_and_switch_a_category(
    qtbot, panel: KeywordsPanel, db: Database, errors: list[BaseException]
) -> None:
    assert panel.categories.item(0).text().startswith("全部分类 (")
    choose_category(qtbot, panel, "fraud")
    assert panel.category_box.currentData() == "fraud"
    before = panel.model.rowCount()
    type_text(qtbot, panel.word_box, "代购返现")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    settle_keywords(qtbot, panel)
    assert "代购返现" in panel.model.words() and panel.model.rowCount() == before + 1
    assert panel.word_box.text() == ""
    store = KeywordStore(db)
    assert store.matcher().check("日结代购返现")[0].word == "代购返现"

    # a duplicate is refused in the core's words
    type_text(qtbot, panel.word_box, "代购 返现")
    panel.word_box.returnPressed.emit()
    settle_keywords(qtbot, panel)
    assert "已在分类“诈骗与违法广告”中" in str(errors.pop())

    # remove it again, after confirming
    panel.filter_box.setText("代购")
    assert panel.proxy.rowCount() == 1
    panel.table.selectRow(0)
    panel.confirm = lambda _title, _question: True
    panel.remove_action.trigger()
    settle_keywords(qtbot, panel)
    assert "代购返现" not in panel.model.words()
    assert store.matcher().check("日结代购返现") == []

    # switch the whole category off with its check box, and on again
    row = next(
        i for i in range(panel.categories.count()) if panel.categories.item(i).data(Qt.ItemDataRole.UserRole) == "fraud"
    )
    panel.categories.item(row).setCheckState(Qt.CheckState.Unchecked)
    settle_keywords(qtbot, panel)
    fraud = next(x for x in store.summary() if x.category == "fraud")
    assert fraud.enabled == 0 and fraud.words == before
    item = panel.categories.item(row)
    assert item.checkState() == Qt.CheckState.Unchecked and "启用 0" in item.text()
    assert all(not panel.model.record(r).enabled for r in range(panel.model.rowCount()))
    item.setCheckState(Qt.CheckState.Checked)
    settle_keywords(qtbot, panel)
    assert next(x for x in store.summary() if x.category == "fraud").enabled == before

    # one word off and on with the toolbar
    panel.filter_box.setText("")
    panel.table.selectRow(0)
    word = panel.selected_records()[0].word
    panel.disable_action.trigger()
    settle_keywords(qtbot, panel)
    assert [r.enabled for r in store.list("fraud") if r.word == word] == [False]
    assert panel.categories.item(row).checkState() == Qt.CheckState.PartiallyChecked


def test_importing_a_vendor_list_from_txt_and_xlsx(qtbot, panel: KeywordsPanel, db: Database, tmp_path: Path) -> None:
    txt = tmp_path / "服务商词库.txt"
    txt.write_text("# 服务商提供\n代开发票、办证\n高仿手表 !!!\n", encoding="gbk")
    xlsx = tmp_path / "敏感词.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["关键词", "分类"])
    sheet.append(["私服外挂", "违法"])
    sheet.append(["刷信誉", ""])
    book.save(xlsx)
    informed: list[str] = []
    panel.inform = lambda _title, text: informed.append(text)

    panel.ask_open_path = lambda *_args: str(txt)
    panel.import_action.trigger()  # 全部分类 chosen: words without a category go to the vendor's list
    settle_keywords(qtbot, panel)
    assert informed[0].startswith("服务商词库.txt：新增 3 个，已有 0 个，未导入 1 处")
    assert "!!!" in informed[0]
    vendor = {r.word for r in KeywordStore(db).list("vendor")}
    assert vendor == {"代开发票", "办证", "高仿手表"}

    choose_category(qtbot, panel, "fraud")
    panel.ask_open_path = lambda *_args: str(xlsx)
    panel.import_action.trigger()
    settle_keywords(qtbot, panel)
    assert informed[1] == "敏感词.xlsx：新增 2 个，已有 0 个，未导入 0 处"
    store = KeywordStore(db)
    assert "私服外挂" in {r.word for r in store.list("other_illegal")}
    assert "刷信誉" in {r.word for r in store.list("fraud")}  # no category of its own: the chosen one
    assert "刷信誉" in panel.model.words()
    assert any(panel.categories.item(i).text().startswith("服务商词库 (3)") for i in range(panel.categories.count()))
    # cancelling the file dialog does nothing
    panel.ask_open_path = lambda *_args: ""
    panel.import_action.trigger()
    assert len(informed) == 2


def test_keywords_model_passes_the_model_tester(qtmodeltester, db: Database) -> None:
    model = KeywordsModel()
    model.set_records(KeywordStore(db).list("cult"))
    qtmodeltester.check(model)
    assert model.rowCount() > 10 and model.columnCount() == 4
