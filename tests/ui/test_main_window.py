"""The main window's shell: navigation, lazy pages, status bar, tray, remembered geometry, single instance."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QCoreApplication, QRect
from PySide6.QtWidgets import QSystemTrayIcon

from smsjingling import __version__
from smsjingling.events import EventBus
from smsjingling.sending.overview import overview
from smsjingling.storage.database import Database
from ui import single_instance
from ui.core_events import CoreEvents
from ui.main_window import MainWindow
from ui.pages import PAGES


@pytest.fixture
def window(qtbot, db: Database, home) -> Iterator[MainWindow]:
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.ctx.close()


def test_navigation_lists_every_page_and_builds_each_on_first_visit(qtbot, window: MainWindow) -> None:
    assert window.nav.count() == len(PAGES)
    assert set(window.pages) == {window.current_key()}  # only the first page is built at start
    for row, spec in enumerate(PAGES):
        window.nav.setCurrentRow(row)
        assert window.current_key() == spec.key
        assert window.stack.currentWidget().widget() is window.pages[spec.key]
        assert window.pages[spec.key].isVisible()
    assert set(window.pages) == {spec.key for spec in PAGES}


def test_status_bar_shows_channels_and_queue(qtbot, window: MainWindow, db: Database) -> None:
    qtbot.waitUntil(lambda: window.status.last is not None, timeout=10_000)
    assert window.status.queue_label.text() == "待发 0"
    assert overview(db).waiting == 0


def test_about_names_the_version_and_database(window: MainWindow, db: Database) -> None:
    text = window.about_text()
    assert __version__ in text and db.where in text


def test_geometry_and_page_are_remembered(qtbot, db: Database, home) -> None:
    first = MainWindow(db)
    qtbot.addWidget(first)
    first.show()
    first.setGeometry(QRect(40, 50, 760, 530))
    last = PAGES[-1].key
    first.show_page(last)
    first._quitting = True
    first.close()

    second = MainWindow(db)
    qtbot.addWidget(second)
    second.show()
    assert second.current_key() == last
    assert (second.width(), second.height()) == (760, 530)  # narrower than some pages: they scroll
    second.ctx.close()


def _pretend_pending(window: MainWindow) -> None:
    now = overview(window.db)
    window.status.last = replace(now, waiting=3)


# What the offscreen platform says when a tray icon is shown and a window raised: about the test platform.
@pytest.mark.qt_log_ignore("No such signal QPlatformNativeInterface::systemTrayWindowChanged", "does not support raise")
def test_closing_with_pending_work_keeps_running_in_the_tray(qtbot, window: MainWindow) -> None:
    # The offscreen platform has no tray to show an icon in; the icon is made all the same, as on a desktop
    # that has one, and clicked through its own signal.
    if window.tray is None:
        window.tray = window.make_tray()
    window.show()
    _pretend_pending(window)
    window.close()
    assert window.isHidden() and not window._quitting  # hidden, still running
    assert "托盘" in window.statusBar().currentMessage()  # told once that it keeps running
    menu = [a.text() for a in window.tray.contextMenu().actions() if not a.isSeparator()]
    assert menu == ["显示主窗口", window.quit_action.text()]
    window.tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert window.isVisible()
    window.statusBar().clearMessage()
    window.close()
    assert window.isHidden() and window.statusBar().currentMessage() == ""  # not told twice
    window.tray.contextMenu().actions()[0].trigger()
    assert window.isVisible()


def test_closing_with_pending_work_and_no_tray_asks_first(qtbot, window: MainWindow) -> None:
    window.tray = None
    _pretend_pending(window)
    asked: list[bool] = []
    window.confirm_quit = lambda: asked.append(True) or False
    window.close()
    assert asked and window.isVisible()  # the user said no: still open
    window.confirm_quit = lambda: True
    window.close()
    assert not window.isVisible()


def test_a_second_copy_finds_the_first(qtbot, home) -> None:
    server = single_instance.InstanceServer()
    assert server.listen()
    with qtbot.waitSignal(server.activated, timeout=5_000):
        assert single_instance.signal_running()
    server.close()
    assert not single_instance.signal_running()


def test_core_events_reach_the_gui_thread_coalesced(qtbot) -> None:
    bus = EventBus()
    events = CoreEvents(bus)
    received: list[list[dict]] = []
    events.messages.connect(received.append)
    for i in range(500):
        bus.publish("messages", ids=[i])
    qtbot.waitUntil(lambda: sum(len(batch) for batch in received) == 500, timeout=5_000)
    assert len(received) <= 3  # coalesced, not 500 separate signals
    events.close()


def test_english_navigation(qtbot) -> None:
    from ui.i18n import install_translators, remove_translators

    app = QCoreApplication.instance()
    translators = install_translators(app, "en")
    try:
        assert QCoreApplication.translate("nav", "通讯录") == "Contacts"
        assert QCoreApplication.translate("MainWindow", "关于短信精灵") == "About SMS Jingling"
    finally:
        remove_translators(app, translators)
        install_translators(app, "zh")


def test_tray_is_optional() -> None:
    # The offscreen platform may or may not offer a tray; the window copes either way (see the tray test).
    assert isinstance(QSystemTrayIcon.isSystemTrayAvailable(), bool)
