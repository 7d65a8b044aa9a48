"""The contacts page: the group tree, search as you type, editing, opt-outs, groups by menu and by drop,
export, and the start-up, over a real SQLite file database. (The import wizard: test_import_wizard.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QCoreApplication, QModelIndex, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from smsjingling.contacts.book import ContactBook
from smsjingling.storage.database import Database
from ui import app as gui_app
from ui.contact_dialog import ContactDialog
from ui.contacts_model import Column
from ui.i18n import install_translators, remove_translators
from ui.main_window import MainWindow
from ui.pages import PAGES
from ui.pages.contacts import ContactsPage


@pytest.fixture
def book(db: Database) -> ContactBook:
    book = ContactBook(db, actor="test")
    book.add("张三", "13800138000", fields={"部门": "办公室"}, groups=["领导"])
    book.add("李四", "13900139000", fields={"部门": "财务科"}, groups=["员工", "领导"])
    book.add("王五", "18612345678", fields={"部门": "办公室"}, groups=["员工"])
    return book


@pytest.fixture
def window(qtbot, db: Database, book: ContactBook) -> Iterator[ContactsPage]:
    main = MainWindow(db)
    qtbot.addWidget(main)
    main.show()
    win = main.show_page("contacts")
    assert isinstance(win, ContactsPage)
    settle(qtbot, win)
    yield win
    main.ctx.close()


def settle(qtbot, win: ContactsPage) -> None:
    """Wait until every background read the window started has been shown."""
    qtbot.waitUntil(lambda: not win.worker.busy and not win.model.loading and not win.model.counting, timeout=10_000)


def names(win: ContactsPage) -> list[str]:
    model = win.model
    return [model.data(model.index(r, Column.NAME)) for r in range(model.rowCount())]


def tree_texts(win: ContactsPage) -> list[str]:
    """The group tree as shown: top-level items, the groups indented under 全部联系人."""
    model = win.groups
    texts = []
    for row in range(model.rowCount()):
        top = model.index(row, 0)
        texts.append(model.data(top))
        texts += ["  " + model.data(model.index(r, 0, top)) for r in range(model.rowCount(top))]
    return texts


def choose(qtbot, win: ContactsPage, text: str) -> None:
    """Click the tree item showing `text`."""
    model = win.groups
    found = model.match(model.index(0, 0), Qt.ItemDataRole.DisplayRole, text, 1, Qt.MatchFlag.MatchRecursive)
    assert found, text
    rect = win.group_tree.visualRect(found[0])
    qtbot.mouseClick(win.group_tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.group_tree.currentIndex() == found[0]
    settle(qtbot, win)


def select_names(win: ContactsPage, *wanted: str) -> None:
    win.table.clearSelection()
    for name in wanted:
        win.table.selectionModel().select(
            win.model.index(names(win).index(name), 0),
            win.table.selectionModel().SelectionFlag.Select | win.table.selectionModel().SelectionFlag.Rows,
        )


def menu_action(menu: QMenu, path: str) -> object:
    """The action at "子菜单/项" in a menu (texts as shown)."""
    *subs, last = path.split("/")
    for sub in subs:
        menu = next(a.menu() for a in menu.actions() if a.menu() is not None and a.text() == sub)
    return next(a for a in menu.actions() if a.text() == last)


def open_editor(qtbot, win: ContactsPage, name: str) -> ContactDialog:
    row = names(win).index(name)
    rect = win.table.visualRect(win.model.index(row, Column.NAME))
    # A double click as the mouse makes it: a press and release, then the double-click event.
    qtbot.mouseClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: win.contact_dialog is not None and win.contact_dialog.isVisible(), timeout=10_000)
    assert win.contact_dialog is not None
    return win.contact_dialog


# -- the window -------------------------------------------------------------------------------------


def test_window_shows_the_group_tree_contacts_and_status(window: ContactsPage, db: Database) -> None:
    assert tree_texts(window) == ["全部联系人 (3)", "  员工 (2)", "  领导 (2)", "已退订 (0)"]
    assert window.group_tree.currentIndex() == window.groups.all_index()
    assert window.group_tree.isExpanded(window.groups.all_index())
    assert sorted(names(window)) == ["张三", "李四", "王五"]
    assert window.count_label.text() == "共 3 位联系人"
    assert db.where in window.db_label.text()
    toolbar = [a.text() for a in window.toolbar.actions() if a.text()]
    assert toolbar == ["新建联系人", "编辑…", "导入…", "导出…", "新建分组", "删除", "刷新"]


def test_search_follows_each_keystroke(qtbot, window: ContactsPage) -> None:
    queries: list[str] = []
    window.model.first_page.connect(lambda _rows: queries.append(window.model.query.text))
    qtbot.keyClicks(window.search_box, "1390")
    qtbot.waitUntil(lambda: window.model.query.text == "1390", timeout=2_000)
    settle(qtbot, window)
    assert names(window) == ["李四"]
    assert window.count_label.text() == "找到 1 位联系人"
    assert queries[-1] == "1390"

    window.search_box.clear()
    qtbot.waitUntil(lambda: window.model.query.text == "", timeout=2_000)
    settle(qtbot, window)
    assert len(names(window)) == 3
    window.find_action.trigger()
    assert window.search_box.hasFocus()


def test_choosing_a_group_filters(qtbot, window: ContactsPage) -> None:
    choose(qtbot, window, "员工 (2)")
    assert sorted(names(window)) == ["李四", "王五"]
    # QTest can only type ASCII keys; a Chinese input method commits the text in one go, like this.
    window.search_box.insert("王")
    qtbot.waitUntil(lambda: window.model.query.text == "王", timeout=2_000)
    settle(qtbot, window)
    assert names(window) == ["王五"]
    choose(qtbot, window, "全部联系人 (3)")
    assert window.model.query.group_id is None
    assert names(window) == ["王五"]


def test_the_opted_out_item_lists_who_opted_out(qtbot, window: ContactsPage, book: ContactBook) -> None:
    book.add_optout("13800138000", "td_reply")
    window.refresh_action.trigger()
    settle(qtbot, window)
    assert tree_texts(window)[-1] == "已退订 (1)"
    choose(qtbot, window, "已退订 (1)")
    assert names(window) == ["张三"]
    assert window.count_label.text() == "找到 1 位联系人"


def test_new_group_rename_and_delete(qtbot, window: ContactsPage, book: ContactBook) -> None:
    window.ask_text = lambda _title, _label, _text: " 财务 "
    window.new_group_action.trigger()
    settle(qtbot, window)
    assert "  财务 (0)" in tree_texts(window)

    choose(qtbot, window, "员工 (2)")
    window.start_rename_group()  # F2, or 重命名分组 in the menu: the name is edited in place
    editor = window.group_tree.focusWidget()
    assert editor is not None and editor.text() == "员工"
    editor.setText("职工")
    with qtbot.waitSignal(window.groups.rename_requested):  # the delegate commits on its next turn
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "  职工 (2)" in tree_texts(window)
    assert [g.name for g in book.groups()] == ["职工", "财务", "领导"]
    assert window.current_group_name() == "职工"  # still chosen under its new name
    assert all("职工" in window.model.record(r).groups for r in range(window.model.rowCount()))

    choose(qtbot, window, "领导 (2)")
    window.confirm = lambda _title, _question: True
    window.group_tree.setFocus()
    window.delete_action.trigger()
    settle(qtbot, window)
    assert tree_texts(window) == ["全部联系人 (3)", "  职工 (2)", "  财务 (0)", "已退订 (0)"]
    assert book.count() == 3  # the members stay in the book
    assert window.group_tree.currentIndex() == window.groups.all_index()
    assert sorted(names(window)) == ["张三", "李四", "王五"]


@pytest.mark.allow_log_warnings
def test_a_refused_rename_brings_the_old_name_back(qtbot, window: ContactsPage, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("ui.pages.contacts.show_error", lambda _parent, exc: shown.append(exc.message()))
    staff = window.groups.group_index(window.groups.groups[0].id)
    window.groups.setData(staff, "领导")  # taken
    settle(qtbot, window)
    assert shown == ["分组“领导”已存在。"]
    assert tree_texts(window)[1] == "  员工 (2)"


def test_contacts_dropped_on_a_group_join_it(qtbot, window: ContactsPage, book: ContactBook) -> None:
    select_names(window, "张三", "王五")
    indexes = window.table.selectionModel().selectedIndexes()
    mime = window.model.mimeData(indexes)
    staff = window.groups.group_index(book.group("员工").id)
    assert window.groups.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, staff)
    settle(qtbot, window)
    assert book.group("员工").members == 3
    assert "  员工 (3)" in tree_texts(window)
    zhang = window.model.record(names(window).index("张三"))
    assert zhang.groups == ("员工", "领导")  # its row was redrawn where it is
    assert "已把 1 位联系人加入“员工”" in window.window().statusBar().currentMessage()


def test_a_drop_on_the_tree_view_lands_on_the_group_under_the_mouse(
    qtbot, window: ContactsPage, book: ContactBook
) -> None:
    """What the mouse does at the end of a drag from the table: enter, move over 领导, drop."""
    select_names(window, "王五")
    mime = window.model.mimeData(window.table.selectionModel().selectedIndexes())
    leaders = window.groups.group_index(book.group("领导").id)
    pos = QPointF(window.group_tree.visualRect(leaders).center())
    viewport = window.group_tree.viewport()
    copy, left = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos.toPoint(), copy, mime, left, none)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(pos.toPoint(), copy, mime, left, none)
    QApplication.sendEvent(viewport, move)
    assert move.isAccepted() and move.dropAction() == copy
    drop = QDropEvent(pos, copy, mime, left, none)
    QApplication.sendEvent(viewport, drop)
    settle(qtbot, window)
    assert book.find_phone("18612345678").groups == ("员工", "领导")  # type: ignore[union-attr]
    # Over 全部联系人 nothing may be dropped.
    over_all = QDragMoveEvent(
        QPointF(window.group_tree.visualRect(window.groups.all_index()).center()).toPoint(), copy, mime, left, none
    )
    QApplication.sendEvent(viewport, over_all)
    assert not over_all.isAccepted()


def test_join_and_leave_groups_from_the_context_menu(qtbot, window: ContactsPage, book: ContactBook) -> None:
    select_names(window, "张三", "李四")
    menu = window.table_menu()
    assert [a.text() for a in menu_action(menu, "加入分组").menu().actions() if a.text()] == [  # type: ignore[attr-defined]
        "员工",
        "领导",
        "新建分组…",
    ]
    menu_action(menu, "加入分组/员工").trigger()  # type: ignore[attr-defined]
    settle(qtbot, window)
    assert {c.name for c in book.search(f"{''}") if "员工" in c.groups} == {"张三", "李四", "王五"}

    window.ask_text = lambda *_args: "值班"
    select_names(window, "王五")
    menu_action(window.table_menu(), "加入分组/新建分组…").trigger()  # type: ignore[attr-defined]
    settle(qtbot, window)
    assert book.group("值班").members == 1

    choose(qtbot, window, "领导 (2)")
    select_names(window, "李四")
    leave = menu_action(window.table_menu(), "移出分组").menu()  # type: ignore[attr-defined]
    assert [a.text() for a in leave.actions()] == ["员工", "领导"]
    menu_action(leave, "领导").trigger()  # type: ignore[attr-defined]
    settle(qtbot, window)
    assert names(window) == ["张三"]  # gone from the group being shown
    assert book.group("领导").members == 1


def test_double_click_edits_a_contact(qtbot, window: ContactsPage, book: ContactBook) -> None:
    dialog = open_editor(qtbot, window, "李四")
    assert dialog.windowTitle() == "编辑联系人"
    assert (dialog.name_edit.text(), dialog.phone_edit.text()) == ("李四", "13900139000")
    assert "移动" in dialog.phone_hint.text()

    dialog.phone_edit.clear()
    qtbot.keyClicks(dialog.phone_edit, "139001")
    assert dialog.phone_hint.text() == "号码 139001 位数太少（6 位）：手机号为 11 位，座机为区号加 7 到 8 位"
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.phone_edit, "39001")
    assert dialog.save_button.isEnabled() and "+8613900139001" in dialog.phone_hint.text()

    dialog.name_edit.setText("李四光")
    dialog.add_field_button.click()
    editor = dialog.fields_table.focusWidget()
    dialog.fields_table.item(dialog.fields_table.rowCount() - 1, 1).setText("科长")  # 职务, the first free one
    del editor
    dialog.note_edit.setPlainText("周一不在")
    dialog.new_group_edit.setText("值班")
    dialog.new_group_button.click()
    dialog.consent_check.setChecked(True)
    dialog.consent_source.setText("纸质回执")
    dialog.optout_check.setChecked(True)
    dialog.optout_reason.setCurrentIndex(dialog.optout_reason.findData("complaint"))
    dialog.optout_note.setText("来电投诉")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)

    saved = book.find_phone("13900139001")
    assert saved is not None
    assert saved.name == "李四光"
    assert saved.fields == {"部门": "财务科", "职务": "科长", "备注": "周一不在"}
    assert saved.groups == ("值班", "员工", "领导")
    assert saved.consent_source == "纸质回执" and saved.consent_at is not None
    assert saved.consent_at <= datetime.now().astimezone()
    entry = book.optout_of(saved.phone)
    assert entry is not None and (entry.reason, entry.note) == ("complaint", "来电投诉")
    row = names(window).index("李四光")  # redrawn in place
    assert window.model.data(window.model.index(row, Column.OPTED_OUT)) == "已退订"
    assert "  值班 (1)" in tree_texts(window)


def test_an_opted_out_contact_opens_with_its_reason(qtbot, window: ContactsPage, book: ContactBook) -> None:
    book.add_optout("18612345678", "td_reply", "回复TD")
    window.reload()
    settle(qtbot, window)
    dialog = open_editor(qtbot, window, "王五")
    assert dialog.optout_check.isChecked()
    assert dialog.optout_reason.currentText() == "回复退订" and dialog.optout_note.text() == "回复TD"
    dialog.optout_check.setChecked(False)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_button.click()
    settle(qtbot, window)
    assert book.optout_of("+8618612345678") is None


def test_new_contact_and_a_number_that_is_taken(qtbot, window: ContactsPage, book: ContactBook) -> None:
    choose(qtbot, window, "领导 (2)")
    window.new_action.trigger()
    dialog = window.contact_dialog
    assert dialog is not None and dialog.windowTitle() == "新建联系人"
    checked = [
        dialog.group_list.item(i).text()
        for i in range(dialog.group_list.count())
        if dialog.group_list.item(i).checkState() == Qt.CheckState.Checked
    ]
    assert checked == ["领导"]  # the group being shown
    dialog.name_edit.setText("赵六")
    qtbot.keyClicks(dialog.phone_edit, "13800138000")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "张三" in dialog.phone_hint.text(), timeout=10_000)
    assert dialog.phone_hint.text() == "号码 +8613800138000 已属于联系人“张三”。"
    assert dialog.isVisible()

    dialog.phone_edit.setText("137 0013 7000")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_button.click()
    settle(qtbot, window)
    assert sorted(names(window)) == ["张三", "李四", "赵六"]
    assert "  领导 (3)" in tree_texts(window)
    assert book.count() == 4


def test_opt_out_and_back_in_from_the_table(qtbot, window: ContactsPage, book: ContactBook) -> None:
    select_names(window, "张三", "王五")
    window._update_actions()
    assert window.optout_action.isEnabled() and not window.optin_action.isEnabled()
    asked: list[int] = []
    window.ask_optout = lambda count: asked.append(count) or ("complaint", "集体投诉")
    window.optout_action.trigger()
    settle(qtbot, window)
    assert asked == [2]
    assert {o.phone for o in book.optouts()} == {"+8613800138000", "+8618612345678"}
    assert tree_texts(window)[-1] == "已退订 (2)"
    assert window.model.record(names(window).index("王五")).opted_out
    assert "已将 2 位联系人退订" in window.window().statusBar().currentMessage()

    select_names(window, "张三")
    window._update_actions()
    assert window.optin_action.isEnabled() and not window.optout_action.isEnabled()
    window.confirm = lambda _title, _question: True
    window.optin_action.trigger()
    settle(qtbot, window)
    assert [o.phone for o in book.optouts()] == ["+8618612345678"]


def test_delete_selected_contacts_asks_first(qtbot, window: ContactsPage, book: ContactBook) -> None:
    select_names(window, "张三")
    questions: list[str] = []

    window.confirm = lambda _title, question: questions.append(question) or False
    window.table.setFocus()
    window.delete_selected()
    settle(qtbot, window)
    assert questions == ["删除选中的 1 位联系人？此操作无法撤销。"]
    assert book.count() == 3

    select_names(window, "张三")
    window.confirm = lambda _title, _question: True
    window.delete_selected()
    settle(qtbot, window)
    assert book.count() == 2
    assert sorted(names(window)) == ["李四", "王五"]
    assert tree_texts(window)[0] == "全部联系人 (2)"


def test_export_writes_the_current_list(qtbot, window: ContactsPage, tmp_path: Path) -> None:
    choose(qtbot, window, "员工 (2)")
    target = tmp_path / "员工.xlsx"
    window.ask_save_path = lambda *_args: str(target)
    window.export_action.trigger()
    settle(qtbot, window)
    rows = list(load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("姓名", "手机号码")
    assert sorted(r[0] for r in rows[1:]) == ["李四", "王五"]
    assert "已导出 2 位联系人" in window.window().statusBar().currentMessage()


def test_the_import_action_opens_the_wizard_for_the_group_shown(qtbot, window: ContactsPage) -> None:
    choose(qtbot, window, "员工 (2)")
    wizard = window.open_import_wizard()
    assert window.import_wizard is wizard and wizard.isVisible()
    assert wizard.initial_groups == ["员工"]
    wizard.reject()
    qtbot.waitUntil(lambda: window.import_wizard is None, timeout=5_000)


def test_columns_and_splitter_are_remembered(qtbot, db: Database, book: ContactBook, home) -> None:
    first = MainWindow(db)
    qtbot.addWidget(first)
    page = first.show_page("contacts")
    assert isinstance(page, ContactsPage)
    page.table.horizontalHeader().resizeSection(Column.NAME, 177)
    first._quitting = True
    first.close()
    second = MainWindow(db)
    qtbot.addWidget(second)
    again = second.show_page("contacts")
    assert isinstance(again, ContactsPage)
    assert again.table.horizontalHeader().sectionSize(Column.NAME) == 177
    second.ctx.close()


def test_coming_back_to_the_page_shows_what_changed_meanwhile(qtbot, window: ContactsPage, book: ContactBook) -> None:
    main = window.window()
    assert isinstance(main, MainWindow)
    main.show_page(next(spec.key for spec in PAGES if spec.key != "contacts"))
    book.add_optout("18612345678", "td_reply")  # a TD reply came in while another page was shown
    main.show_page("contacts")
    settle(qtbot, window)
    assert window.model.record(names(window).index("王五")).opted_out
    assert tree_texts(window)[-1] == "已退订 (1)"


def test_nothing_selected_leaves_edit_off(window: ContactsPage) -> None:
    window.table.clearSelection()
    window._update_actions()
    assert not window.edit_action.isEnabled() and not window.delete_action.isEnabled()
    window.table.setCurrentIndex(QModelIndex())


# -- starting -----------------------------------------------------------------------------------------


def test_an_unusable_database_is_explained(qtbot, home: Path) -> None:
    bad = home / "broken.sqlite3"
    bad.write_bytes(b"this is not a database at all")
    shown: list[tuple[str, str]] = []

    assert gui_app.open_database_or_explain(str(bad), lambda title, text: shown.append((title, text))) is None
    assert len(shown) == 1
    assert "已损坏" in shown[0][1] and str(bad) in shown[0][1]
    assert bad.read_bytes() == b"this is not a database at all"  # left untouched

    shown.clear()
    assert gui_app.main(["--db", str(bad), "--lang", "zh"], show_error=lambda *a: shown.append(a)) == 1
    assert len(shown) == 1


def test_the_default_error_box_shows_the_message(qtbot, home: Path) -> None:
    bad = home / "broken.sqlite3"
    bad.write_bytes(b"garbage")
    seen: list[str] = []

    def close_box() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(100, close_box)
    assert gui_app.open_database_or_explain(str(bad)) is None
    assert len(seen) == 1 and "已损坏" in seen[0]


def test_english_translation_is_loaded(qtbot) -> None:
    app = QCoreApplication.instance()
    translators = install_translators(app, "en")
    try:
        assert QCoreApplication.translate("ContactsPage", "导入…") == "Import…"
        assert QCoreApplication.translate("ContactsModel", "手机号码") == "Mobile"
        assert QCoreApplication.translate("GroupTreeModel", "全部联系人") == "All contacts"
    finally:
        remove_translators(app, translators)
        install_translators(app, "zh")
    assert QCoreApplication.translate("ContactsPage", "导入…") == "导入…"
