"""The status bar says when the dispatcher has lost the shared database server, and when it is back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smsjingling.storage.database import Database
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, db: Database, home) -> Iterator[MainWindow]:
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.ctx.close()


def test_a_lost_database_shows_until_it_is_back(qtbot, window: MainWindow) -> None:
    label = window.status.database_label
    assert not label.isVisible()
    window.ctx.bus.publish("database", state="lost", where="postgresql+psycopg://staff:***@office/sms", detail="x")
    qtbot.waitUntil(label.isVisible, timeout=5_000)
    assert label.text() == "与数据库 postgresql+psycopg://staff:***@office/sms 的连接中断，发送已暂停，恢复后自动继续"
    window.ctx.bus.publish("database", state="back", where="postgresql+psycopg://staff:***@office/sms", seconds=12.0)
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=5_000)
    assert window.status.currentMessage() == "已重新连接数据库，发送继续"
