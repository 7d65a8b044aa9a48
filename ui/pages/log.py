"""日志: the audit log, who did what and when, on which computer.

Filter by action, by who, by days, and search the details. "验证完整性" walks the hash chain in the
background and says whether the log is intact or where it breaks (an edited row, or one deleted before it);
broken rows are marked in the table. The export writes what the filter finds, for the authorities.
New events are put on top while the page is shown.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smsjingling import audit_log
from smsjingling.audit_log import AuditQuery, ChainCheck
from smsjingling.records.period import user_zone, wall_time
from ui.context import AppContext
from ui.errors import show_error
from ui.icons import icon
from ui.log_model import AuditModel, Column
from ui.pages.base import Page
from ui.records_export import ExportBar, SavePathAsker, ask_save_path
from ui.records_flow import FlowLayout
from ui.records_period import PeriodPicker, Range
from ui.views import page_toolbar, row_table
from ui.worker import Progress

SEARCH_DELAY_MS = 300
LOOK_MS = 5_000  # new events while the page is shown
BREAKS_LISTED = 10


class LogPage(Page):
    key = "log"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.db = ctx.db
        self.worker = ctx.worker
        self.ask_save_path: SavePathAsker = ask_save_path
        self.tz = user_zone(self.db)
        self.last_check: ChainCheck | None = None
        self._checking = False

        self.period_picker = PeriodPicker(Range.ALL, self.tz)
        self.model = AuditModel(self.db, self.worker, self.tz, self)
        self._build_actions()
        self._build_central()

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self._look = QTimer(self, interval=LOOK_MS)
        self._look.timeout.connect(self._look_tick)
        self._look.start()

        self.period_picker.changed.connect(self.apply_filter)
        self.action_combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.actor_combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.returnPressed.connect(self.apply_filter)
        self.model.total_changed.connect(self._show_count)
        self.model.load_failed.connect(lambda exc: show_error(self, exc))
        self.export_bar.finished.connect(
            lambda count, path: self.say(self.tr("已导出 %1 条日志到 %2").replace("%1", str(count)).replace("%2", path))
        )
        self.export_bar.cancelled.connect(lambda: self.say(self.tr("导出已取消，没有写入文件。")))

        self._load_choices()
        self.model.set_query(self.current_query())

    # -- building --------------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.refresh_action = QAction(icon("refresh"), self.tr("刷新"), self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.setToolTip(self.tr("重新读取日志 (F5)"))
        self.refresh_action.triggered.connect(self.reload)

        self.verify_action = QAction(icon("verify"), self.tr("验证完整性"), self)
        self.verify_action.setShortcut(QKeySequence("Ctrl+Shift+V"))
        self.verify_action.setToolTip(self.tr("逐条核对日志的哈希链，检查是否有记录被修改或删除 (Ctrl+Shift+V)"))
        self.verify_action.triggered.connect(self.verify)

        self.export_action = QAction(icon("export"), self.tr("导出…"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setToolTip(self.tr("把当前筛选出的日志导出为 Excel 或 CSV 文件 (Ctrl+E)"))
        self.export_action.triggered.connect(self.export_current)

        for action in (self.refresh_action, self.verify_action, self.export_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

        toolbar = page_toolbar(self.tr("工具栏"), "log_toolbar", self)
        toolbar.addAction(self.refresh_action)
        toolbar.addSeparator()
        toolbar.addAction(self.verify_action)
        toolbar.addAction(self.export_action)
        self.toolbar = toolbar

    def _build_central(self) -> None:
        self.action_combo = QComboBox()
        self.action_combo.setObjectName("action_filter")
        self.action_combo.addItem(self.tr("全部操作"), "")
        self.action_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.action_combo.setMinimumContentsLength(10)
        self.action_combo.setToolTip(self.tr("按操作筛选"))
        self.actor_combo = QComboBox()
        self.actor_combo.setObjectName("actor_filter")
        self.actor_combo.addItem(self.tr("全部操作人"), "")
        self.actor_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.actor_combo.setMinimumContentsLength(8)
        self.actor_combo.setToolTip(self.tr("按操作人（登录 Windows 的用户名）筛选"))
        self.search_box = QLineEdit()
        self.search_box.setObjectName("log_search")
        self.search_box.setPlaceholderText(self.tr("搜索详情、操作人或计算机"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)

        # The filters wrap onto a second row on a narrow window rather than forcing it wider.
        self.filter_bar = QWidget()
        self.filter_bar.setObjectName("filter_bar")
        filters = FlowLayout(self.filter_bar)
        for widget in (self.period_picker, self.action_combo, self.actor_combo):
            filters.add_widget(widget)
        self.search_box.setMinimumWidth(160)
        filters.add_widget(self.search_box, stretch=True)

        self.banner = QLabel()
        self.banner.setObjectName("verify_banner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setVisible(False)

        self.table = QTableView()
        self.table.setObjectName("log_table")
        self.table.setModel(self.model)
        header = row_table(self.table)
        metrics = self.fontMetrics()
        header.resizeSection(Column.TIME, metrics.horizontalAdvance("2024-06-30 23:59:59") + 18)
        header.resizeSection(Column.ACTOR, 90)
        header.resizeSection(Column.MACHINE, 110)
        header.resizeSection(Column.ACTION, 150)
        header.resizeSection(Column.ID, metrics.horizontalAdvance("0000000") + 18)
        header.setSectionResizeMode(Column.DETAILS, QHeaderView.ResizeMode.Stretch)

        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        self.export_bar = ExportBar(self.worker, self)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.export_bar)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 6, 9, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)
        self.setTabOrder(self.period_picker.preset, self.period_picker.start)
        self.setTabOrder(self.period_picker.start, self.period_picker.end)
        self.setTabOrder(self.period_picker.end, self.action_combo)
        self.setTabOrder(self.action_combo, self.actor_combo)
        self.setTabOrder(self.actor_combo, self.search_box)
        self.setTabOrder(self.search_box, self.table)

    # -- the page's hooks ------------------------------------------------------------------------------

    def activate(self) -> None:
        self._load_choices()
        self.model.look_for_new()

    def busy(self) -> bool:
        return self.export_bar.busy

    # -- filters ---------------------------------------------------------------------------------------

    def current_query(self) -> AuditQuery:
        return AuditQuery(
            action=self.action_combo.currentData() or "",
            actor=self.actor_combo.currentData() or "",
            period=self.period_picker.period(),
            text=self.search_box.text().strip(),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)

    def reload(self) -> None:
        self._load_choices()
        self.model.set_query(self.current_query())

    def _look_tick(self) -> None:
        if self.isVisible():
            self.model.look_for_new()

    def _load_choices(self) -> None:
        db = self.db

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[list[str], list[str]]:
            with db.reader() as s:
                return audit_log.actions(s), audit_log.actors(s)

        self.worker.run(read, on_result=lambda result: self._choices_arrived(*result), owner=self, name="log choices")

    def _choices_arrived(self, actions: list[str], actors: list[str]) -> None:
        named = sorted(((audit_log.action_text(a), a) for a in actions), key=lambda pair: pair[1])
        self._fill(self.action_combo, named)
        self._fill(self.actor_combo, [(a, a) for a in actors])

    def _fill(self, combo: QComboBox, items: list[tuple[str, str]]) -> None:
        chosen, chosen_text = combo.currentData(), combo.currentText()
        combo.blockSignals(True)
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for text, value in items:
                combo.addItem(text, value)
            if chosen:
                index = combo.findData(chosen)
                if index < 0:
                    combo.addItem(chosen_text, chosen)
                    index = combo.count() - 1
                combo.setCurrentIndex(index)
        finally:
            combo.blockSignals(False)

    def _show_count(self, total: int) -> None:
        self.count_label.setText(self.tr("共 %1 条日志").replace("%1", f"{total:,}"))

    # -- verifying -------------------------------------------------------------------------------------

    def verify(self) -> None:
        if self._checking:
            return
        self._checking = True
        self.verify_action.setEnabled(False)
        self.banner.setStyleSheet("")
        self.banner.setText(self.tr("正在验证日志的完整性…"))
        self.banner.setVisible(True)
        db = self.db

        def check(_cancel: threading.Event, _progress: Progress) -> ChainCheck:
            return audit_log.check_chain(db)

        self.worker.run(check, on_result=self._checked, on_error=self._check_failed, owner=self, name="verify log")

    def _checked(self, result: ChainCheck) -> None:
        self._checking = False
        self.verify_action.setEnabled(True)
        self.last_check = result
        self.model.set_broken({b.id: b.reason for b in result.breaks})
        if result.intact:
            self.banner.setText(
                self.tr("✔ 日志完整：共 %1 条记录，哈希链没有断裂，没有记录被修改或删除。").replace(
                    "%1", f"{result.total:,}"
                )
            )
            self.banner.setStyleSheet("QLabel { background: #e3f1e6; color: #1b5e20; padding: 6px; }")
        else:
            lines = [
                self.tr("✘ 日志已被改动：发现 %1 处断裂（共 %2 条记录）。断裂处在表格中以红色标出。")
                .replace("%1", str(len(result.breaks)))
                .replace("%2", f"{result.total:,}")
            ]
            for b in result.breaks[:BREAKS_LISTED]:
                at = wall_time(b.at, self.tz).strftime("%Y-%m-%d %H:%M:%S") if b.at else ""
                what = (
                    self.tr("内容与其哈希不符，这一行被修改过")
                    if b.reason == "edited"
                    else self.tr("与前一条不相连，前一条被删除或修改过")
                )
                lines.append(
                    self.tr("第 %1 条（%2 %3 %4）：%5")
                    .replace("%1", str(b.id))
                    .replace("%2", at)
                    .replace("%3", b.actor)
                    .replace("%4", audit_log.action_text(b.action))
                    .replace("%5", what)
                )
            if len(result.breaks) > BREAKS_LISTED:
                lines.append(self.tr("……另有 %1 处").replace("%1", str(len(result.breaks) - BREAKS_LISTED)))
            self.banner.setText("\n".join(lines))
            self.banner.setStyleSheet("QLabel { background: #f9dedc; color: #8c1d18; padding: 6px; }")

    def _check_failed(self, exc: BaseException) -> None:
        self._checking = False
        self.verify_action.setEnabled(True)
        self.banner.setVisible(False)
        show_error(self, exc)

    # -- export ------------------------------------------------------------------------------------------

    def export_current(self) -> None:
        if self.export_bar.busy:
            return
        query = self.current_query()
        period = query.period
        assert period is not None
        first, last = period.start, period.end - timedelta(days=1)
        name = self.tr("审计日志 %1 至 %2.xlsx").replace("%1", str(first)).replace("%2", str(last))
        path = self.ask_save_path(
            self, self.tr("导出审计日志"), str(Path.home() / name), self.tr("Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)")
        )
        if not path:
            return
        db, actor, tz = self.db, self.ctx.actor, self.tz
        self.export_bar.start(
            path,
            lambda cancel, progress: audit_log.export_audit(
                db, path, query, tz=tz, actor=actor, progress=progress, cancel=cancel
            ),
        )
