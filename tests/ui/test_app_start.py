"""The program's start on a book from before the substring index: ui.app opens the database the way main()
does, the schema is upgraded (with a backup beside it) before the window reads anything, and the contacts
page searches through the new index. A book at the current schema opens without Alembic (tests/core)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from smsjingling.contacts import substring
from smsjingling.contacts.book import ContactBook
from smsjingling.storage.database import newest_revision, open_database
from ui import app
from ui.main_window import MainWindow


def test_an_old_book_is_upgraded_at_start_before_the_window_reads_it(qtbot, tmp_path: Path, home) -> None:
    path = tmp_path / "book.sqlite3"
    db = open_database(str(path))
    ContactBook(db, actor="tester").add("欧阳锋", "13800138000", fields={"部门": "白驼山"})
    db.close()
    with sqlite3.connect(path) as raw:  # as a book from schema 0004 has it: no index
        for trigger in ("contacts_search_insert", "contacts_search_delete", "contacts_search_update"):
            raw.execute(f"DROP TRIGGER {trigger}")
        raw.execute("DROP TABLE contacts_search_terms")
        raw.execute("DROP TABLE contacts_search")
        raw.execute("UPDATE alembic_version SET version_num = '0004'")
    raw.close()

    errors: list[tuple[str, str]] = []
    db = app.open_database_or_explain(str(path), lambda title, text: errors.append((title, text)))
    assert db is not None and not errors
    try:
        assert db.backup_path is not None and db.backup_path.name.startswith("book.backup-schema0004-")
        with sqlite3.connect(path) as raw:
            assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (newest_revision(),)
        raw.close()
        window = MainWindow(db)
        qtbot.addWidget(window)
        window.show()
        window.show_page("contacts")
        page = window.pages["contacts"]
        qtbot.waitUntil(lambda: not page.model.loading)
        page.search_box.setText("白驼山")  # inside the fields: found through the index
        qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.model.loading, timeout=10_000)
        assert page.model.record(0).name == "欧阳锋"
        with db.reader() as s:
            assert substring.available(s)
        window.ctx.close()
    finally:
        db.close()
    again = app.open_database_or_explain(str(path))  # current now: no second backup
    assert again is not None and again.backup_path is None
    again.close()


def test_the_first_run_check_waits_for_the_first_painted_frame(qtbot) -> None:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QLabel

    label = QLabel("短信精灵")
    qtbot.addWidget(label)
    seen: list[str] = []

    class Painted(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not seen:
                seen.append("painted")
            return False

    watch = Painted()
    label.installEventFilter(watch)
    app.after_first_paint(label, lambda: seen.append("then"), limit_ms=60_000)
    label.show()
    qtbot.waitUntil(lambda: "then" in seen, timeout=10_000)
    assert seen == ["painted", "then"]

    hidden = QLabel("未显示")
    qtbot.addWidget(hidden)
    later: list[str] = []
    app.after_first_paint(hidden, lambda: later.append("then"), limit_ms=50)  # never shown: after the limit
    qtbot.waitUntil(lambda: later == ["then"], timeout=5_000)
