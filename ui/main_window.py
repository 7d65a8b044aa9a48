"""The main window: navigation on the left, one page at a time on the right, the status bar below, and the
tray icon that keeps the program running while sends or schedules are pending.

Pages are built the first time the user turns to them (start-up builds only the first one). Window geometry,
the splitter and the last page are remembered in the data folder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QSystemTrayIcon,
)

from smsjingling import __version__, paths
from smsjingling.storage.database import Database
from ui import errors
from ui.context import AppContext
from ui.icons import app_icon, icon
from ui.pages import PAGES, PageSpec
from ui.pages.base import Page
from ui.status_bar import StatusBar

log = logging.getLogger(__name__)

KEY_ROLE = Qt.ItemDataRole.UserRole


def window_settings() -> QSettings:
    """Window geometry and such: an .ini in the data folder, so portable mode keeps it on the stick."""
    return QSettings(str(paths.data_dir() / "window.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    page_changed = Signal(str)

    def __init__(self, db: Database, *, ctx: AppContext | None = None, start_service: bool = False) -> None:
        super().__init__()
        self.db = db
        self.ctx = ctx or AppContext.create(db, self)
        self.worker = self.ctx.worker
        self.pages: dict[str, Page] = {}
        self._quitting = False
        self._tray_told = False
        # Replaceable so tests can answer without a modal box.
        self.confirm_quit: Callable[[], bool] = self._ask_quit

        self.setWindowTitle(self.tr("短信精灵"))
        self.setWindowIcon(app_icon())
        self.resize(1180, 740)

        self.nav = QListWidget(objectName="navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.setMinimumWidth(150)
        self.nav.setSpacing(1)
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 7px 6px; }")
        self.stack = QStackedWidget(objectName="pages")
        for spec in PAGES:
            item = QListWidgetItem(icon(spec.icon), QCoreApplication.translate("nav", spec.title))
            item.setData(KEY_ROLE, spec.key)
            item.setToolTip(QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText))
            self.nav.addItem(item)
        self.nav.currentItemChanged.connect(self._nav_changed)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="main_splitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([170, 1010])
        self.setCentralWidget(self.splitter)

        self.status = StatusBar(self.ctx, self)
        self.setStatusBar(self.status)
        self._build_menus()
        self.tray = self._build_tray()
        self.ctx.events.campaign.connect(self._campaign_events)
        self.ctx.events.channel.connect(self._channel_events)

        self._restore()
        if start_service:
            self.ctx.start_service()

    # -- pages -------------------------------------------------------------------------------------------

    def page(self, key: str) -> Page:
        """The page for `key`, built now if it was not yet (without showing it)."""
        if key not in self.pages:
            spec = next(s for s in PAGES if s.key == key)
            # In a scroll area that only scrolls below the page's own minimum, so the window still fits a
            # 1024×768 screen (or a docked half of a bigger one) whatever a page's widest toolbar needs.
            holder = QScrollArea(self.stack)
            holder.setWidgetResizable(True)
            holder.setFrameShape(QScrollArea.Shape.NoFrame)
            page = spec.load()(self.ctx, holder)
            holder.setWidget(page)
            self.pages[key] = page
            self.stack.addWidget(holder)
        return self.pages[key]

    def show_page(self, key: str) -> Page:
        page = self.page(key)
        holder = page.parentWidget().parentWidget()  # the scroll area (the page sits in its viewport)
        if self.stack.currentWidget() is not holder:
            self.stack.setCurrentWidget(holder)
        row = next(i for i, s in enumerate(PAGES) if s.key == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # re-enters here once, with the page already current
            return page
        page.activate()
        self.page_changed.emit(key)
        return page

    def _nav_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_page(item.data(KEY_ROLE))

    def current_key(self) -> str:
        holder = self.stack.currentWidget()
        page = holder.widget() if isinstance(holder, QScrollArea) else None
        return page.key if isinstance(page, Page) else ""

    # -- menus and tray ------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        open_data = QAction(self.tr("打开数据文件夹"), self)
        open_data.triggered.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.data_dir()))))
        file_menu.addAction(open_data)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("退出(&X)"), self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.triggered.connect(self.quit)
        file_menu.addAction(self.quit_action)

        go_menu = self.menuBar().addMenu(self.tr("转到(&G)"))
        for spec in PAGES:
            go_menu.addAction(self._go_action(spec))

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        open_log = QAction(self.tr("打开日志文件"), self)
        open_log.triggered.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(errors.log_path()))))
        help_menu.addAction(open_log)
        about = QAction(self.tr("关于短信精灵"), self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def _go_action(self, spec: PageSpec) -> QAction:
        action = QAction(icon(spec.icon), QCoreApplication.translate("nav", spec.title), self)
        action.setShortcut(QKeySequence(spec.shortcut))
        action.triggered.connect(lambda: self.show_page(spec.key))
        return action

    def about_text(self) -> str:
        return (
            self.tr("短信精灵 %1\n\n通过短信猫或短信网关群发短信。\n数据库：%2")
            .replace("%1", __version__)
            .replace("%2", self.db.where)
        )

    def about(self) -> None:
        QMessageBox.about(self, self.tr("关于短信精灵"), self.about_text())

    def _build_tray(self) -> QSystemTrayIcon | None:
        return self.make_tray() if QSystemTrayIcon.isSystemTrayAvailable() else None

    def make_tray(self) -> QSystemTrayIcon:
        tray = QSystemTrayIcon(app_icon(), self)
        tray.setToolTip(self.tr("短信精灵"))
        menu = QMenu(self)
        menu.addAction(self.tr("显示主窗口"), self.bring_forward)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        tray.setContextMenu(menu)
        tray.activated.connect(
            lambda reason: reason == QSystemTrayIcon.ActivationReason.Trigger and self.bring_forward()
        )
        tray.show()
        return tray

    def notify(self, title: str, text: str, critical: bool = False) -> None:
        """A desktop notification from the tray (or the status bar where there is no tray)."""
        if self.tray is not None and self.tray.supportsMessages():
            kind = QSystemTrayIcon.MessageIcon.Warning if critical else QSystemTrayIcon.MessageIcon.Information
            self.tray.showMessage(title, text, kind, 8_000)
        self.statusBar().showMessage(f"{title}：{text}", 15_000)

    def _campaign_events(self, items: list[dict[str, Any]]) -> None:
        for data in items:
            if data.get("finished"):
                name = data.get("name") or str(data.get("campaign_id"))
                self.notify(self.tr("发送完成"), self.tr("“%1”已全部发送完毕").replace("%1", str(name)))

    def _channel_events(self, items: list[dict[str, Any]]) -> None:
        for data in items:
            # A pulled modem fails its sends and rests; the dispatcher says so with this state.
            if data.get("state") == "resting":
                self.notify(
                    self.tr("通道暂停使用"),
                    self.tr("%1 连续发送失败或已断开，暂停使用；其他通道会接手它的短信").replace(
                        "%1", str(data.get("name", ""))
                    ),
                    critical=True,
                )

    def bring_forward(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    # -- closing -----------------------------------------------------------------------------------------

    def pending_work(self) -> bool:
        """Sends or schedules that need the program running (as of the status bar's last read)."""
        last = self.status.last
        return bool(last is not None and last.pending) or any(p.busy() for p in self.pages.values())

    def _ask_quit(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("退出短信精灵"),
            self.tr("还有短信待发送或定时任务。退出后它们会暂停，下次启动程序时继续。仍要退出吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._quitting and self.pending_work():
            # Sends and schedules run only while the program does: keep it in the tray, or, with no tray
            # on this desktop, make sure the user means to stop them.
            if self.tray is not None:
                event.ignore()
                self.hide()
                if not self._tray_told:
                    self._tray_told = True
                    self.notify(
                        self.tr("短信精灵仍在运行"), self.tr("还有短信待发送或定时任务，程序在托盘中继续运行。")
                    )
                return
            if not self.confirm_quit():
                event.ignore()
                return
        self._save()
        self.ctx.close()
        if self.tray is not None:
            self.tray.hide()
        super().closeEvent(event)

    def quit(self) -> None:
        self._quitting = True
        self.close()
        QApplication.quit()

    def _save(self) -> None:
        store = window_settings()
        store.setValue("geometry", self.saveGeometry())
        store.setValue("state", self.saveState())
        store.setValue("splitter", self.splitter.saveState())
        store.setValue("page", self.current_key())
        for page in self.pages.values():
            save = getattr(page, "save_state", None)
            if save is not None:
                save(store)

    def _restore(self) -> None:
        store = window_settings()
        geometry = store.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = store.value("state")
        if state is not None:
            self.restoreState(state)
        splitter = store.value("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        key = str(store.value("page", PAGES[0].key))
        self.show_page(key if any(s.key == key for s in PAGES) else PAGES[0].key)
