"""账户: the prepaid account behind a gateway channel.

At the top the three figures people ask about (余额, 预留 for messages queued but not yet charged, 可用), the
plan, the last reconciliation and the low-balance warning line; below, every ledger entry, newest first, paged
as the table scrolls. 立即对账 asks the vendor for its balance and takes it as the true one (the vendor's
billing is authoritative; the difference is recorded and shown). 导出对账单 writes the statement of a billing
cycle to .xlsx.

Every figure comes from the core's ledger (smsjingling.account); the page computes nothing itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smsjingling import messages
from smsjingling.account.accounts import AccountInfo, Accounts
from smsjingling.account.cycle import BillingCycle
from smsjingling.account.entries import statement_cycles
from smsjingling.account.ledger import Reconciliation
from smsjingling.account.money import parse_yuan, yuan_text
from smsjingling.account.plans import Tariff
from smsjingling.account.statement import statement, write_statement
from smsjingling.errors import UserError
from smsjingling.records.period import user_zone, wall_time
from smsjingling.sending.gateway_accounts import reconcile_now
from smsjingling.storage.database import Database
from ui.account_model import Column, LedgerModel
from ui.context import AppContext
from ui.errors import show_error
from ui.icons import icon
from ui.pages.base import Page
from ui.views import page_toolbar, row_table

log = logging.getLogger(__name__)

# asks for a file name to save to: (parent, caption, suggested path, filter) -> path or ""
SavePathAsker = Callable[[QWidget, str, str, str], str]


def ask_save_path(parent: QWidget, caption: str, suggested: str, filters: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    return path


@dataclass(frozen=True)
class AccountView:
    """What the page shows of one account, read in one go in the background."""

    info: AccountInfo
    tariff: Tariff  # its plan, or the flat price per segment it is charged without one
    cycles: list[BillingCycle]
    tz: tzinfo | None


def read_accounts(db: Database) -> list[AccountView]:
    from smsjingling.account.ledger import Ledger

    tz = user_zone(db)
    views = []
    for info in Accounts(db).list():
        tariff = info.plan or Ledger(db, account_id=info.id, tz=tz).tariff()
        views.append(AccountView(info, tariff, statement_cycles(db, info.id, tz=tz), tz))
    return views


class AccountPage(Page):
    key = "account"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.db = ctx.db
        # Replaceable so tests answer without modal dialogs.
        self.ask_save_path: SavePathAsker = ask_save_path
        self.show_result: Callable[[str, str], None] = self._show_result
        self.views: list[AccountView] = []
        self.reconciliation: Reconciliation | None = None
        self._reading = False
        self._busy_count = 0

        self.model = LedgerModel(ctx.db, ctx.worker, self)
        self.model.total_changed.connect(self._show_count)
        self.model.load_failed.connect(lambda exc: show_error(self, exc))
        self._build_actions()
        self._build_body()
        ctx.events.balance.connect(lambda _items: self._event_timer.start())
        self._event_timer = QTimer(self)
        self._event_timer.setSingleShot(True)
        self._event_timer.setInterval(400)
        self._event_timer.timeout.connect(self.reload)

    # -- building ------------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.reconcile_action = QAction(icon("reconcile"), self.tr("立即对账"), self)
        self.reconcile_action.setShortcut(QKeySequence("Ctrl+R"))
        self.reconcile_action.setToolTip(self.tr("向网关查询余额，以网关的数字为准，记下差额 (Ctrl+R)"))
        self.reconcile_action.triggered.connect(self.reconcile)
        self.export_action = QAction(icon("statement"), self.tr("导出对账单…"), self)
        self.export_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.export_action.setToolTip(self.tr("把所选账期的对账单导出为 Excel 文件 (Ctrl+S)"))
        self.export_action.triggered.connect(self.export_statement)
        self.refresh_action = QAction(icon("refresh"), self.tr("刷新"), self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(self.reload)
        for action in (self.reconcile_action, self.export_action, self.refresh_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

        self.account_combo = QComboBox(objectName="account_combo")
        self.account_combo.setMinimumWidth(160)
        self.account_combo.setToolTip(self.tr("预付费账户（每个网关通道一个）"))
        self.account_combo.currentIndexChanged.connect(lambda _i: self._show_current())
        self.cycle_combo = QComboBox(objectName="cycle_combo")
        self.cycle_combo.setToolTip(self.tr("对账单的账期（每月 1 日 0 点到月底）"))

        toolbar = page_toolbar(self.tr("工具栏"), "account_toolbar", self)
        toolbar.addWidget(QLabel(self.tr("账户：")))
        toolbar.addWidget(self.account_combo)
        toolbar.addSeparator()
        toolbar.addAction(self.reconcile_action)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(self.tr("账期：")))
        toolbar.addWidget(self.cycle_combo)
        toolbar.addAction(self.export_action)
        toolbar.addSeparator()
        toolbar.addAction(self.refresh_action)
        self.toolbar = toolbar

    def _figure(self, name: str) -> QLabel:
        label = QLabel("—", objectName=name)
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        label.setFont(font)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _build_body(self) -> None:
        self.balance_label = self._figure("balance_label")
        self.held_label = self._figure("held_label")
        self.available_label = self._figure("available_label")
        figures = QGridLayout()
        figures.setHorizontalSpacing(36)
        for column, (caption, label, tip) in enumerate(
            (
                (self.tr("余额（元）"), self.balance_label, self.tr("账户里的钱（与网关对账后以网关为准）")),
                (self.tr("预留（元）"), self.held_label, self.tr("已排队、尚未扣费的短信预先留出的金额")),
                (self.tr("可用（元）"), self.available_label, self.tr("余额减去预留：还能用来发送的金额")),
            )
        ):
            title = QLabel(caption)
            title.setToolTip(tip)
            label.setToolTip(tip)
            figures.addWidget(title, 0, column)
            figures.addWidget(label, 1, column)
        figures.setColumnStretch(3, 1)

        self.warning_label = QLabel(objectName="warning_label")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.warning_label.hide()
        self.plan_label = QLabel(objectName="plan_label")
        self.plan_label.setWordWrap(True)
        self.reconciled_label = QLabel(objectName="reconciled_label")
        self.reconciled_label.setWordWrap(True)
        self.low_edit = QLineEdit(objectName="low_edit")
        self.low_edit.setMaximumWidth(120)
        self.low_edit.setToolTip(self.tr("可用余额低于此数时提醒（元）；0 为不提醒"))
        self.low_button = QPushButton(icon("save"), self.tr("保存"), objectName="low_button")
        self.low_button.clicked.connect(self.save_threshold)
        self.low_edit.returnPressed.connect(self.save_threshold)
        low_row = QHBoxLayout()
        low_row.addWidget(self.low_edit)
        low_row.addWidget(QLabel(self.tr("元")))
        low_row.addWidget(self.low_button)
        low_row.addStretch(1)
        facts = QFormLayout()
        facts.addRow(self.tr("套餐："), self.plan_label)
        facts.addRow(self.tr("上次对账："), self.reconciled_label)
        facts.addRow(self.tr("余额提醒线："), low_row)

        summary = QGroupBox(self.tr("账户概况"))
        summary_layout = QVBoxLayout(summary)
        summary_layout.addLayout(figures)
        summary_layout.addWidget(self.warning_label)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        summary_layout.addWidget(line)
        summary_layout.addLayout(facts)

        self.table = QTableView(objectName="ledger_table")
        self.table.setModel(self.model)
        header = row_table(self.table)
        widths = {
            Column.AT: 150,
            Column.KIND: 110,
            Column.AMOUNT: 95,
            Column.HELD: 110,
            Column.BALANCE: 95,
            Column.SEGMENTS: 50,
            Column.MESSAGE: 80,
            Column.CAMPAIGN: 70,
            Column.ACTOR: 100,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        ledger_caption = QLabel(self.tr("账目明细（最新的在前）"))
        font = ledger_caption.font()
        font.setBold(True)
        ledger_caption.setFont(font)
        self.count_label = QLabel(objectName="count_label")

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(summary)
        content_layout.addWidget(ledger_caption)
        content_layout.addWidget(self.table, 1)
        content_layout.addWidget(self.count_label)

        self.empty_label = QLabel(
            self.tr(
                "还没有预付费账户。\n\n预付费账户属于短信网关通道：在“设备与通道”中添加网关账户时可以一并开设，"
                "或者使用内置的模拟短信网关试用。"
            ),
            objectName="empty_label",
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.go_devices_button = QPushButton(icon("devices"), self.tr("转到设备与通道"), objectName="go_devices")
        self.go_devices_button.clicked.connect(self._go_devices)
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.go_devices_button, 0, Qt.AlignmentFlag.AlignCenter)
        empty_layout.addStretch(2)

        self.stack = QStackedWidget()
        self.stack.addWidget(content)
        self.stack.addWidget(empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 6, 9, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)

    # -- reading -------------------------------------------------------------------------------------

    def activate(self) -> None:
        self.reload()

    @property
    def loading(self) -> bool:
        return self._reading or self.model.loading or self._busy_count > 0

    def reload(self) -> None:
        if self._reading:
            return
        self._reading = True
        db = self.db
        self.ctx.run(lambda: read_accounts(db), owner=self, on_result=self._arrived, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._reading = False
        show_error(self, exc)

    def _arrived(self, views: list[AccountView]) -> None:
        self._reading = False
        chosen = self.current()
        self.views = views
        self.account_combo.blockSignals(True)
        try:
            self.account_combo.clear()
            for view in views:
                self.account_combo.addItem(view.info.label, view.info.id)
            index = self.account_combo.findData(chosen.info.id) if chosen is not None else 0
            self.account_combo.setCurrentIndex(max(index, 0))
        finally:
            self.account_combo.blockSignals(False)
        self._show_current(reload_ledger=chosen is None or self.current() is None or chosen.info != self.current().info)

    def current(self) -> AccountView | None:
        index = self.account_combo.currentIndex()
        return self.views[index] if 0 <= index < len(self.views) else None

    def _show_current(self, reload_ledger: bool = True) -> None:
        view = self.current()
        has = view is not None
        self.stack.setCurrentIndex(0 if has else 1)
        for action in (self.reconcile_action, self.export_action):
            action.setEnabled(has)
        self.account_combo.setEnabled(len(self.views) > 1)
        if view is None:
            self.model.show_account(None)
            return
        info = view.info
        self.balance_label.setText(yuan_text(info.balance_fen))
        self.held_label.setText(yuan_text(info.held_fen))
        self.available_label.setText(yuan_text(info.available_fen))
        self.available_label.setStyleSheet("color: #b00020;" if info.low else "")
        warning = info.warning()
        self.warning_label.setText(warning or "")
        self.warning_label.setVisible(bool(warning))
        if info.plan is not None:
            self.plan_label.setText(info.plan.describe())
        else:
            self.plan_label.setText(
                self.tr("未设套餐：按每条（每段）%1 元计价").replace("%1", yuan_text(view.tariff.overage_fen))
            )
        if info.reconciled_at is not None and info.reconciled_fen is not None:
            at = wall_time(info.reconciled_at, view.tz).strftime("%Y-%m-%d %H:%M")
            self.reconciled_label.setText(
                self.tr("%1，网关余额 %2 元").replace("%1", at).replace("%2", yuan_text(info.reconciled_fen))
            )
        else:
            self.reconciled_label.setText(self.tr("尚未与网关对账"))
        if not self.low_edit.hasFocus():
            self.low_edit.setText(yuan_text(info.low_balance_fen))
        chosen_cycle = self.cycle_combo.currentData()
        self.cycle_combo.clear()
        for cycle in view.cycles:
            self.cycle_combo.addItem(cycle.label, cycle.label)
        if chosen_cycle is not None and self.cycle_combo.findData(chosen_cycle) >= 0:
            self.cycle_combo.setCurrentIndex(self.cycle_combo.findData(chosen_cycle))
        if reload_ledger:
            self.model.show_account(info.id, view.tz)
        else:
            self.model.refresh()

    def _show_count(self, total: int) -> None:
        self.count_label.setText(self.tr("共 %1 笔").replace("%1", f"{total:,}"))

    def selected_cycle(self) -> BillingCycle | None:
        view = self.current()
        label = self.cycle_combo.currentData()
        if view is None or label is None:
            return None
        return next((c for c in view.cycles if c.label == label), None)

    # -- actions -------------------------------------------------------------------------------------

    def _start(self) -> None:
        self._busy_count += 1

    def _finish(self) -> None:
        self._busy_count = max(0, self._busy_count - 1)

    def reconcile(self) -> None:
        view = self.current()
        if view is None:
            return
        db, actor, account, service = self.db, self.ctx.actor, view.info.id, self.ctx.service
        self._start()
        self.reconcile_action.setEnabled(False)
        self.say(self.tr("正在向网关查询余额…"))

        def done(result: Reconciliation) -> None:
            self._finish()
            self.reconcile_action.setEnabled(True)
            self.reconciliation = result
            text = self.reconcile_text(result)
            self.say(text)
            self.reload()
            self.show_result(self.tr("对账"), text)

        def failed(exc: BaseException) -> None:
            self._finish()
            self.reconcile_action.setEnabled(True)
            show_error(self, exc)

        self.ctx.run(
            lambda: reconcile_now(db, account, service=service, actor=actor),
            owner=self,
            on_result=done,
            on_error=failed,
        )

    def reconcile_text(self, result: Reconciliation) -> str:
        if result.difference_fen == 0:
            return self.tr("对账完成：网关余额 %1 元，与本地账目一致。").replace("%1", yuan_text(result.vendor_fen))
        return (
            self.tr("对账完成：网关余额 %1 元，本地原为 %2 元，差额 %3 元已按网关的数字记入账目。")
            .replace("%1", yuan_text(result.vendor_fen))
            .replace("%2", yuan_text(result.local_fen))
            .replace("%3", ("+" if result.difference_fen > 0 else "") + yuan_text(result.difference_fen))
        )

    def save_threshold(self) -> None:
        view = self.current()
        if view is None:
            return
        try:
            fen = parse_yuan(self.low_edit.text() or "0")
        except UserError as exc:
            show_error(self, exc)
            return
        db, actor, account = self.db, self.ctx.actor, view.info.id
        self._start()
        self.ctx.run(
            lambda: Accounts(db, actor).configure(account, low_balance_fen=fen),
            owner=self,
            on_result=lambda _info: (
                self._finish(),
                self.say(self.tr("余额提醒线已设为 %1 元").replace("%1", yuan_text(fen))),
                self.low_edit.clearFocus(),
                self.reload(),
            ),
            on_error=lambda exc: (self._finish(), show_error(self, exc)),
        )

    def export_statement(self) -> None:
        view, cycle = self.current(), self.selected_cycle()
        if view is None or cycle is None:
            return
        suggested = str(
            Path.home() / self.tr("对账单 %1 %2.xlsx").replace("%1", view.info.label).replace("%2", cycle.label)
        )
        path = self.ask_save_path(
            self, self.tr("导出对账单"), suggested, self.tr("Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)")
        )
        if not path:
            return
        db, account, lang = self.db, view.info.id, messages.current_language()

        def write() -> int:
            return write_statement(db, statement(db, account, cycle), path, lang=lang)

        self._start()
        self.say(self.tr("正在导出对账单…"))
        self.ctx.run(
            write,
            owner=self,
            on_result=lambda rows: (
                self._finish(),
                self.say(
                    self.tr("已导出 %1 账期的对账单（%2 行）到 %3")
                    .replace("%1", cycle.label)
                    .replace("%2", str(rows))
                    .replace("%3", path)
                ),
            ),
            on_error=lambda exc: (self._finish(), show_error(self, exc)),
        )

    def _go_devices(self) -> None:
        window = self.window()
        show_page = getattr(window, "show_page", None)
        if callable(show_page):
            show_page("devices")

    def _show_result(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)
