"""The contacts page, the import dialog and the start-up, over a real SQLite file database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from smsjingling.contacts.book import ContactBook
from smsjingling.importer.run import import_contacts
from smsjingling.storage.database import Database
from ui import app as gui_app
from ui.contacts_model import Column
from ui.i18n import install_translators, remove_translators
from ui.import_dialog import ImportDialog
from ui.main_window import MainWindow
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
    qtbot.waitUntil(lambda: not win.worker.busy and not win.model.loading, timeout=10_000)


def names(win: ContactsPage) -> list[str]:
    model = win.model
    return [model.data(model.index(r, Column.NAME)) for r in range(model.rowCount())]


def group_texts(win: ContactsPage) -> list[str]:
    return [win.group_list.item(i).text() for i in range(win.group_list.count())]


def select_group(qtbot, win: ContactsPage, text: str) -> None:
    item = win.group_list.findItems(text, Qt.MatchFlag.MatchExactly)[0]
    win.group_list.setCurrentItem(item)
    settle(qtbot, win)


def write_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["姓名,手机号码,部门", *(",".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- the window -------------------------------------------------------------------------------------


def test_window_shows_groups_contacts_and_status(window: ContactsPage, db: Database) -> None:
    assert group_texts(window) == ["全部联系人 (3)", "员工 (2)", "领导 (2)"]
    assert window.group_list.currentRow() == 0
    assert sorted(names(window)) == ["张三", "李四", "王五"]
    assert window.count_label.text() == "共 3 位联系人"
    assert db.where in window.db_label.text()
    assert [a.text() for a in window.toolbar.actions() if a.text()] == ["导入…", "导出…", "新建分组", "删除", "刷新"]


def test_search_as_you_type_is_debounced(qtbot, window: ContactsPage) -> None:
    qtbot.keyClicks(window.search_box, "1390")
    # Nothing is asked of the database while the user is still typing.
    assert window.model.query.text == ""
    qtbot.waitUntil(lambda: window.model.query.text == "1390", timeout=2_000)
    settle(qtbot, window)
    assert names(window) == ["李四"]
    assert window.count_label.text() == "找到 1 位联系人"

    window.search_box.clear()
    qtbot.waitUntil(lambda: window.model.query.text == "", timeout=2_000)
    settle(qtbot, window)
    assert len(names(window)) == 3


def test_choosing_a_group_filters(qtbot, window: ContactsPage) -> None:
    select_group(qtbot, window, "员工 (2)")
    assert sorted(names(window)) == ["李四", "王五"]
    # QTest can only type ASCII keys; a Chinese input method commits the text in one go, like this.
    window.search_box.insert("王")
    qtbot.waitUntil(lambda: window.model.query.text == "王", timeout=2_000)
    settle(qtbot, window)
    assert names(window) == ["王五"]
    select_group(qtbot, window, "全部联系人 (3)")
    qtbot.waitUntil(lambda: window.model.query.group_id is None)
    settle(qtbot, window)
    assert names(window) == ["王五"]


def test_new_group_and_delete_group(qtbot, window: ContactsPage, book: ContactBook) -> None:
    window.create_group("财务")
    settle(qtbot, window)
    assert "财务 (0)" in group_texts(window)

    select_group(qtbot, window, "领导 (2)")
    window.confirm = lambda _title, _question: True
    window.group_list.setFocus()
    window.delete_selected()
    settle(qtbot, window)
    assert group_texts(window) == ["全部联系人 (3)", "员工 (2)", "财务 (0)"]
    assert book.count() == 3  # the members stay in the book
    assert sorted(names(window)) == ["张三", "李四", "王五"]


def test_delete_selected_contacts_asks_first(qtbot, window: ContactsPage, book: ContactBook) -> None:
    row = names(window).index("张三")
    window.table.selectRow(row)
    questions: list[str] = []

    window.confirm = lambda _title, question: questions.append(question) or False
    window.table.setFocus()
    window.delete_selected()
    settle(qtbot, window)
    assert questions == ["删除选中的 1 位联系人？此操作无法撤销。"]
    assert book.count() == 3

    window.table.selectRow(names(window).index("张三"))
    window.confirm = lambda _title, _question: True
    window.delete_selected()
    settle(qtbot, window)
    assert book.count() == 2
    assert sorted(names(window)) == ["李四", "王五"]
    assert group_texts(window)[0] == "全部联系人 (2)"


def test_export_writes_the_current_list(qtbot, window: ContactsPage, tmp_path: Path) -> None:
    select_group(qtbot, window, "员工 (2)")
    target = tmp_path / "员工.xlsx"
    window.ask_save_path = lambda *_args: str(target)
    window.export_current()
    settle(qtbot, window)
    rows = list(load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("姓名", "手机号码")
    assert sorted(r[0] for r in rows[1:]) == ["李四", "王五"]
    assert "已导出 2 位联系人" in window.window().statusBar().currentMessage()


# -- importing --------------------------------------------------------------------------------------


def test_import_dialog_imports_a_csv_and_the_table_refreshes(
    qtbot, window: ContactsPage, book: ContactBook, tmp_path: Path
) -> None:
    csv = write_csv(
        tmp_path / "通讯录.csv",
        [("赵六", "13700137000", "后勤处"), ("钱七", "15012345678", "人事处"), ("孙八", "1380013800", "人事处")],
    )
    select_group(qtbot, window, "员工 (2)")
    dialog = window.open_import_dialog()
    assert dialog.target_groups() == ["员工"]  # the group the user is looking at
    dialog.set_file(csv)
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert (report.added, len(report.rejected)) == (2, 1)
    assert "新增 2" in dialog.result_view.toPlainText()
    assert "第 4 行" in dialog.result_view.toPlainText()
    settle(qtbot, window)

    assert book.count() == 5
    assert sorted(names(window)) == ["李四", "王五", "赵六", "钱七"]
    assert "员工 (4)" in group_texts(window)
    assert group_texts(window)[0] == "全部联系人 (5)"

    # The rejected row can be saved for the admin to fix.
    assert dialog.save_rejected_button.isEnabled()
    saved = tmp_path / "未导入.xlsx"
    dialog.ask_save_path = lambda _suggested: str(saved)
    dialog.save_rejected()
    qtbot.waitUntil(lambda: "未导入的行已保存到" in dialog.result_view.toPlainText(), timeout=10_000)
    rows = list(load_workbook(saved, read_only=True).active.iter_rows(values_only=True))
    assert rows[1][:3] == (4, "手机号码", "1380013800")
    dialog.close()


def test_cancelling_an_import_leaves_the_book_unchanged(qtbot, db: Database, book: ContactBook, tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "名单.csv", [(f"员工{i}", f"1360013{i:04d}", "车间") for i in range(50)])
    started, gate = threading.Event(), threading.Event()

    def held_import(*args, **kwargs):
        # Holds the real import until the test has pressed 取消, so the cancel is not a race.
        started.set()
        gate.wait(10)
        return import_contacts(*args, **kwargs)

    main = MainWindow(db)
    qtbot.addWidget(main)
    window = main.show_page("contacts")
    settle(qtbot, window)
    dialog = ImportDialog(db, window.worker, window, import_fn=held_import)
    qtbot.addWidget(dialog)
    dialog.set_file(csv)
    dialog.start()
    assert dialog.running and not dialog.import_button.isEnabled()
    assert started.wait(5)
    assert dialog.progress_dialog is not None
    dialog.progress_dialog.findChild(QPushButton).click()  # the progress dialog's 取消
    gate.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)

    assert dialog.report is None
    assert "导入已取消" in dialog.result_view.toPlainText()
    assert book.count() == 3
    assert [g.name for g in book.groups()] == ["员工", "领导"]
    window.worker.shutdown()


def test_closing_the_dialog_while_importing_cancels(qtbot, db: Database, book: ContactBook, tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "名单.csv", [("周九", "13500135000", "车间")])
    started, gate = threading.Event(), threading.Event()

    def held_import(*args, **kwargs):
        started.set()
        gate.wait(10)
        return import_contacts(*args, **kwargs)

    main = MainWindow(db)
    qtbot.addWidget(main)
    window = main.show_page("contacts")
    dialog = ImportDialog(db, window.worker, window, import_fn=held_import)
    qtbot.addWidget(dialog)
    dialog.set_file(csv)
    dialog.start()
    assert started.wait(5)
    dialog.reject()  # Esc or the window's close button
    assert dialog.task is not None and dialog.task.cancelled
    gate.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert book.count() == 3
    window.worker.shutdown()


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
    finally:
        remove_translators(app, translators)
        install_translators(app, "zh")
    assert QCoreApplication.translate("ContactsPage", "导入…") == "导入…"
