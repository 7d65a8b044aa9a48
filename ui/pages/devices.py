"""设备与通道: the modems and gateway accounts messages leave through.

One table of every channel: for a modem its model, IMEI, operator, signal, SIM and what it sent today against
its daily cap; for a gateway its kind and account; for each its state in the running service and whether it is
enabled. From here: 扫描端口 (find modems and add one), 添加网关账户, a modem's details, its PIN, a test message,
a USSD balance query; enabling, disabling and removing channels. With no channel at all the page offers the
simulated modem and gateway (ui.first_run).

The page never touches a port: it asks the core (`ModemAccess`), which goes through the running service's worker
when that owns the modem. Channel changes restart the service in the background so its workers match.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smsjingling.errors import UserError
from smsjingling.gateway.keys import delete_key
from smsjingling.sending.channels import Channels, forget_pin
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.modem_access import ModemAccess, ModemDetails
from ui.context import AppContext
from ui.devices_gateway import GatewayDialog
from ui.devices_model import Column, DeviceRow, DevicesModel, read_rows
from ui.devices_modem import ModemDetailsDialog, TestSendDialog, UssdDialog, ask_pin
from ui.devices_scan import ScanDialog
from ui.errors import describe, show_error
from ui.first_run import DemoBanner, use_demo
from ui.icons import icon
from ui.pages.base import Page
from ui.views import page_toolbar, row_table

log = logging.getLogger(__name__)

REFRESH_MS = 10_000  # while the page shows: sent counts, states and signal move on their own
EVENT_DELAY_MS = 500  # a burst of core events becomes one read


class DevicesPage(Page):
    key = "devices"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.access = ModemAccess(ctx.db, dispatcher=self._dispatcher, actor=ctx.actor)
        self.channels = Channels(ctx.db, ctx.actor)
        # Replaceable so tests answer without modal dialogs.
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.ask_pin: Callable[[QWidget, str], str | None] = ask_pin
        # The ports 扫描端口 probes: None for this computer's serial ports.
        self.scan_candidates: Callable[[], Sequence[str]] | None = None
        self.dialogs: list[QWidget] = []  # the open dialogs (the last one opened is last)
        self._reading = False
        self._read_again = False
        self._details_wanted = False
        self._details_busy: set[str] = set()

        self.model = DevicesModel(self)
        self.model.enable_requested.connect(self.set_enabled)
        self.banner = DemoBanner(self)
        self.banner.hide()
        self.banner.accepted.connect(self.use_demo)
        self._build_actions()
        self._build_table()

        self.summary_label = QLabel(objectName="summary_label")
        self.note_label = QLabel(
            self.tr("双击短信猫查看详情。信号格数由发送服务定时读取；停用的通道不参与发送。"), objectName="note_label"
        )
        self.note_label.setStyleSheet("color: palette(placeholder-text);")
        footer = QHBoxLayout()
        footer.addWidget(self.summary_label, 1)
        footer.addWidget(self.note_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 6, 9, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(lambda: self.refresh() if self.isVisible() else None)
        self._timer.start()
        self._event_timer = QTimer(self)
        self._event_timer.setSingleShot(True)
        self._event_timer.setInterval(EVENT_DELAY_MS)
        self._event_timer.timeout.connect(self.refresh)
        for signal in (ctx.events.channel, ctx.events.messages):
            signal.connect(lambda _items: self._event_timer.start())
        ctx.service_state.changed.connect(self._service_changed)
        self._update_actions()

    # -- building ------------------------------------------------------------------------------------

    def _action(self, name: str, text: str, tip: str, shortcut: str | QKeySequence | None, slot: Callable) -> QAction:
        action = QAction(icon(name), text, self)
        shortcut_text = ""
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut_text = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({shortcut_text})" if shortcut_text else tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.scan_action = self._action(
            "scan-ports", self.tr("扫描端口…"), self.tr("查找这台电脑上的短信猫并添加为通道"), "Ctrl+F", self.open_scan
        )
        self.gateway_action = self._action(
            "gateway", self.tr("添加网关账户…"), self.tr("添加短信网关的账户（密码保存在系统钥匙串中）"), "Ctrl+N",
            self.open_gateway,
        )  # fmt: skip
        self.details_action = self._action(
            "modem-details", self.tr("详情…"), self.tr("短信猫和 SIM 卡的详细信息"), "Ctrl+I", self.open_details
        )
        self.pin_action = self._action(
            "pin", self.tr("输入 PIN…"), self.tr("输入 SIM 卡的 PIN 码解锁"), "Ctrl+P", self.enter_pin
        )
        self.test_action = self._action(
            "send", self.tr("测试发送…"), self.tr("通过这个短信猫发一条测试短信"), "Ctrl+T", self.open_test_send
        )
        self.ussd_action = self._action(
            "ussd", self.tr("查询余额…"), self.tr("用 USSD 代码（如 *100#）查询 SIM 卡话费余额"), "Ctrl+U",
            self.open_ussd,
        )  # fmt: skip
        self.toggle_action = self._action(
            "pause", self.tr("停用"), self.tr("停用或启用选中的通道"), "Ctrl+E", self.toggle_selected
        )
        self.remove_action = self._action(
            "delete", self.tr("删除"), self.tr("删除选中的通道（发送记录保留）"),
            QKeySequence(QKeySequence.StandardKey.Delete), self.remove_selected,
        )  # fmt: skip
        self.refresh_action = self._action(
            "refresh", self.tr("刷新"), self.tr("重新读取通道和短信猫的信息"),
            QKeySequence(QKeySequence.StandardKey.Refresh), lambda: self.refresh(details=True),
        )  # fmt: skip
        toolbar = page_toolbar(self.tr("工具栏"), "devices_toolbar", self)
        for group in (
            (self.scan_action, self.gateway_action),
            (self.details_action, self.pin_action, self.test_action, self.ussd_action),
            (self.toggle_action, self.remove_action),
            (self.refresh_action,),
        ):
            if toolbar.actions():
                toolbar.addSeparator()
            for action in group:
                toolbar.addAction(action)
        self.toolbar = toolbar

    def _build_table(self) -> None:
        table = QTableView(objectName="devices_table")
        table.setModel(self.model)
        header = row_table(table, QAbstractItemView.SelectionMode.SingleSelection, row_padding=12)
        widths = {
            Column.NAME: 120,
            Column.KIND: 165,
            Column.ADDRESS: 150,
            Column.MODEL: 115,
            Column.IMEI: 125,
            Column.OPERATOR: 100,
            Column.SIGNAL: 58,
            Column.SIM: 92,
            Column.SENT: 108,
            Column.STATE: 78,
            Column.ENABLED: 56,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        # The address gives way first when the window is narrow (its tooltip has it whole).
        header.setSectionResizeMode(Column.ADDRESS, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        header.setStretchLastSection(False)
        table.doubleClicked.connect(self._double_clicked)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table = table

    # -- reading -------------------------------------------------------------------------------------

    def _dispatcher(self) -> Dispatcher | None:
        service = self.ctx.service
        return service.dispatcher if service is not None else None

    def activate(self) -> None:
        self.refresh(details=True)

    def refresh(self, details: bool = False) -> None:
        """Read the channels again; `details`: also ask each enabled modem for its details."""
        self._details_wanted = self._details_wanted or details
        if self._reading:
            self._read_again = True
            return
        self._reading = True
        db, dispatcher = self.ctx.db, self._dispatcher()
        self.ctx.run(
            lambda: read_rows(db, dispatcher),
            owner=self,
            on_result=self._rows_arrived,
            on_error=self._read_failed,
            name="channels",
        )

    def _read_failed(self, exc: BaseException) -> None:
        self._reading = False
        show_error(self, exc)

    def _rows_arrived(self, rows: list[DeviceRow]) -> None:
        self._reading = False
        chosen = self.current_row()
        self.model.set_rows(rows)
        if chosen is not None:
            for i, row in enumerate(self.model.rows()):
                if row.name == chosen.name:
                    self.table.selectRow(i)
        self.banner.setVisible(not rows)
        modems = [r for r in rows if r.is_modem]
        enabled = [r for r in rows if r.health.enabled]
        self.summary_label.setText(
            self.tr("共 %1 个通道（短信猫 %2 个，网关 %3 个），启用 %4 个")
            .replace("%1", str(len(rows)))
            .replace("%2", str(len(modems)))
            .replace("%3", str(len(rows) - len(modems)))
            .replace("%4", str(len(enabled)))
        )
        self._update_actions()
        if self._details_wanted and self.ctx.service_state.state != "starting":
            self._details_wanted = False
            for row in modems:
                if row.health.enabled or row.details is None:
                    self.read_details(row.name)
        if self._read_again:
            self._read_again = False
            self.refresh()

    def read_details(self, name: str) -> None:
        if name in self._details_busy:
            return
        self._details_busy.add(name)
        access = self.access
        self.ctx.run(
            lambda: access.details(name),
            owner=self,
            on_result=lambda details: self._details_arrived(name, details),
            on_error=lambda exc: self._details_failed(name, exc),
            name="modem details",
        )

    def _details_arrived(self, name: str, details: ModemDetails) -> None:
        self._details_busy.discard(name)
        self.model.set_details(name, details)
        self._update_actions()

    def _details_failed(self, name: str, exc: BaseException) -> None:
        self._details_busy.discard(name)
        if not isinstance(exc, UserError):
            log.error("reading the details of %s failed", name, exc_info=exc)
        self.model.set_details(name, None, describe(exc))

    @property
    def loading(self) -> bool:
        return self._reading or bool(self._details_busy)

    def _service_changed(self, state: str) -> None:
        if state == "running":
            self.refresh(details=self.isVisible())

    # -- selection -----------------------------------------------------------------------------------

    def current_row(self) -> DeviceRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, name: str) -> bool:
        for i, row in enumerate(self.model.rows()):
            if row.name == name:
                self.table.selectRow(i)
                return True
        return False

    def _update_actions(self) -> None:
        row = self.current_row()
        modem = row is not None and row.is_modem
        for action in (self.details_action, self.test_action, self.ussd_action):
            action.setEnabled(modem)
        self.pin_action.setEnabled(modem and row is not None and (row.details is None or row.details.needs_pin))
        self.toggle_action.setEnabled(row is not None)
        self.remove_action.setEnabled(row is not None)
        if row is not None and not row.health.enabled:
            self.toggle_action.setText(self.tr("启用"))
            self.toggle_action.setIcon(icon("resume"))
        else:
            self.toggle_action.setText(self.tr("停用"))
            self.toggle_action.setIcon(icon("pause"))

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.ENABLED:
            return
        row = self.model.row_at(index.row())
        if row.is_modem:
            self.open_details()

    def _context_menu(self, position) -> None:
        if self.current_row() is None:
            return
        menu = QMenu(self)
        for action in (self.details_action, self.pin_action, self.test_action, self.ussd_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.toggle_action)
        menu.addAction(self.remove_action)
        menu.popup(self.table.viewport().mapToGlobal(position))

    # -- dialogs -------------------------------------------------------------------------------------

    def _open(self, dialog: QWidget) -> QWidget:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda _obj=None, d=dialog: self.dialogs.remove(d) if d in self.dialogs else None)
        dialog.open()  # window-modal, without a nested event loop
        return dialog

    def _modem_name(self, name: str | None) -> str | None:
        if name is not None:
            return name
        row = self.current_row()
        return row.name if row is not None and row.is_modem else None

    def open_scan(self) -> ScanDialog:
        dialog = ScanDialog(self.ctx, self, candidates=self.scan_candidates)
        dialog.added.connect(self._channel_added)
        self._open(dialog)
        return dialog

    def open_gateway(self) -> GatewayDialog:
        dialog = GatewayDialog(self.ctx, self)
        dialog.saved.connect(self._gateway_saved)
        self._open(dialog)
        return dialog

    def open_details(self, name: str | None = None) -> ModemDetailsDialog | None:
        name = self._modem_name(name)
        if name is None:
            return None
        dialog = ModemDetailsDialog(
            self.ctx, self.access, name, self, on_pin=self.enter_pin, on_test=self.open_test_send,
            on_ussd=self.open_ussd,
        )  # fmt: skip
        self._open(dialog)
        return dialog

    def open_test_send(self, name: str | None = None) -> TestSendDialog | None:
        name = self._modem_name(name)
        if name is None:
            return None
        dialog = TestSendDialog(self.ctx, self.access, name, self)
        self._open(dialog)
        return dialog

    def open_ussd(self, name: str | None = None) -> UssdDialog | None:
        name = self._modem_name(name)
        if name is None:
            return None
        dialog = UssdDialog(self.ctx, self.access, name, self)
        self._open(dialog)
        return dialog

    # -- changes -------------------------------------------------------------------------------------

    def enter_pin(self, name: str | None = None) -> None:
        name = self._modem_name(name)
        if name is None:
            return
        parent = self.dialogs[-1] if self.dialogs else self
        pin = self.ask_pin(parent, name)
        if not pin:
            return
        access = self.access
        self.say(self.tr("正在解锁 %1 的 SIM 卡…").replace("%1", name))
        self.ctx.run(
            lambda: access.enter_pin(name, pin),
            owner=self,
            on_result=lambda _none: self._unlocked(name),
            on_error=lambda exc: show_error(parent, exc),
            name="enter pin",
        )

    def _unlocked(self, name: str) -> None:
        self.say(self.tr("%1 的 SIM 卡已解锁，PIN 码已保存在系统钥匙串中。").replace("%1", name))
        self.read_details(name)
        for dialog in self.dialogs:
            if isinstance(dialog, ModemDetailsDialog) and dialog.channel == name:
                dialog.load()
        self.ctx.restart_service()  # its worker rests after the failed sends; it starts afresh with the SIM open

    def set_enabled(self, name: str, enabled: bool) -> None:
        channels = self.channels
        self.ctx.run(
            lambda: channels.set_enabled(name, enabled),
            owner=self,
            on_result=lambda _none: self._changed(
                (self.tr("已启用 %1") if enabled else self.tr("已停用 %1")).replace("%1", name)
            ),
            name="enable channel",
        )

    def toggle_selected(self) -> None:
        row = self.current_row()
        if row is not None:
            self.set_enabled(row.name, not row.health.enabled)

    def remove_selected(self) -> None:
        row = self.current_row()
        if row is None:
            return
        question = self.tr("删除通道“%1”？已发送的记录会保留。只想暂时不用它时，可以改为“停用”。").replace(
            "%1", row.name
        )
        if not self.confirm(self.tr("删除通道"), question):
            return
        channels, name, modem = self.channels, row.name, row.is_modem

        def remove() -> None:
            channels.remove(name)
            # Its secret goes with it: nothing is left in the keyring for a channel that is gone.
            if modem:
                forget_pin(name)
            else:
                delete_key(name)

        self.model.forget_details(name)
        self.ctx.run(
            remove,
            owner=self,
            on_result=lambda _none: self._changed(self.tr("已删除通道 %1").replace("%1", name)),
            name="remove channel",
        )

    def use_demo(self) -> None:
        self.banner.button.setEnabled(False)
        use_demo(self.ctx, self, done=self._demo_added)

    def _demo_added(self) -> None:
        self.say(self.tr("已添加模拟短信猫和模拟短信网关"))
        self.banner.button.setEnabled(True)
        self.refresh(details=True)

    def _channel_added(self, name: str) -> None:
        self._changed(self.tr("已添加通道 %1").replace("%1", name), details=True)

    def _gateway_saved(self, name: str, note: str) -> None:
        text = self.tr("已添加网关账户 %1").replace("%1", name)
        self._changed(text + (f"（{note}）" if note else ""))

    def _changed(self, text: str, *, details: bool = False) -> None:
        self.say(text)
        self.banner.button.setEnabled(True)
        self.ctx.restart_service()
        self.refresh(details=details)

    def _confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes
