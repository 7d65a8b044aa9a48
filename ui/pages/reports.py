"""统计报表: messages per day, week or month by status and by channel, the delivery rate and the cost, over a
period the user chooses, with the figures in a table under the charts and an export to Excel.

The report is the core's (account.report.cost_report: the send record's traffic beside the gateways'
ledgers), read in the background each time the page is shown or the period changes; the charts draw its
series (account.series) and the table shows its rows, so the chart, the table and the exported file always
agree. Days are the office's (the ui.timezone setting).
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from smsjingling import messages
from smsjingling.account.report import CostReport, Grouping, cost_report, delivery_rate, write_report
from smsjingling.account.series import ReportSeries, report_series
from smsjingling.records.period import Period, user_zone, wall_time
from smsjingling.storage.types import utcnow
from ui.context import AppContext
from ui.errors import show_error
from ui.icons import icon
from ui.pages.base import Page
from ui.reports_charts import ReportChart, axis_labels, fill_channels, fill_cost, fill_rate, fill_status
from ui.reports_model import ReportTableModel
from ui.views import page_toolbar
from ui.worker import Progress

# (parent, caption, suggested path, filters) -> the path chosen, or ""
SavePathAsker = Callable[[QWidget, str, str, str], str]


def ask_save_path(parent: QWidget, caption: str, suggested: str, filters: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    return path


class Preset(enum.StrEnum):
    LAST_7 = "last_7"
    LAST_30 = "last_30"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    THIS_YEAR = "this_year"
    CUSTOM = "custom"


def preset_range(preset: Preset, today: date) -> tuple[date, date]:
    """[first day, last day] (both shown, both included) of a preset, as of `today`."""
    if preset is Preset.LAST_7:
        return today - timedelta(days=6), today
    if preset is Preset.THIS_MONTH:
        return today.replace(day=1), today
    if preset is Preset.LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if preset is Preset.THIS_YEAR:
        return today.replace(month=1, day=1), today
    return today - timedelta(days=29), today


# The grouping that reads best for each preset (a year by day is 365 bars).
PRESET_GROUPING = {Preset.THIS_YEAR: Grouping.MONTH}


@dataclass(frozen=True)
class Loaded:
    report: CostReport
    series: ReportSeries
    today: date  # in the office's time zone, when it was read


class ReportsPage(Page):
    key = "reports"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.db = ctx.db
        # Replaceable so tests answer without a modal dialog.
        self.ask_save_path: SavePathAsker = ask_save_path
        self.report_error: Callable[[BaseException], None] = lambda exc: show_error(self, exc)
        self.loaded: Loaded | None = None
        self.loading = False
        self.exporting = False
        self._generation = 0
        self._setting_range = False

        self.table_model = ReportTableModel(self)
        self._build_toolbar()
        self._build_central()
        self.preset_box.setCurrentIndex(self.preset_box.findData(Preset.LAST_30.value))
        self._apply_preset()

    # -- building --------------------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        self.preset_box = QComboBox(objectName="report_preset")
        for preset, text in (
            (Preset.LAST_7, self.tr("最近 7 天")),
            (Preset.LAST_30, self.tr("最近 30 天")),
            (Preset.THIS_MONTH, self.tr("本月")),
            (Preset.LAST_MONTH, self.tr("上月")),
            (Preset.THIS_YEAR, self.tr("今年")),
            (Preset.CUSTOM, self.tr("自定义")),
        ):
            self.preset_box.addItem(text, preset.value)
        self.preset_box.activated.connect(lambda _i: self._apply_preset())

        self.from_edit = QDateEdit(objectName="report_from")
        self.to_edit = QDateEdit(objectName="report_to")
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _d: self._range_edited())
        self.from_edit.setToolTip(self.tr("第一天（包含）"))
        self.to_edit.setToolTip(self.tr("最后一天（包含）"))

        self.grouping_box = QComboBox(objectName="report_grouping")
        for grouping, text in (
            (Grouping.DAY, self.tr("按日")),
            (Grouping.WEEK, self.tr("按周")),
            (Grouping.MONTH, self.tr("按月")),
        ):
            self.grouping_box.addItem(text, grouping.value)
        self.grouping_box.activated.connect(lambda _i: self.reload())

        self.refresh_action = QAction(icon("refresh"), self.tr("刷新"), self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh_action.setToolTip(self.tr("重新统计（F5）"))
        self.refresh_action.triggered.connect(self.reload)
        self.export_action = QAction(icon("export"), self.tr("导出 Excel…"), self)
        self.export_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.export_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.export_action.setToolTip(self.tr("把当前期间的流量与费用报表保存为 Excel 文件（Ctrl+S）"))
        self.export_action.triggered.connect(self.export)
        self.addAction(self.refresh_action)
        self.addAction(self.export_action)

        toolbar = page_toolbar(self.tr("报表工具栏"), "main_toolbar", self)
        toolbar.addWidget(self._caption(self.tr("期间："), left=0))
        toolbar.addWidget(self.preset_box)
        toolbar.addWidget(self._caption(self.tr("从")))
        toolbar.addWidget(self.from_edit)
        toolbar.addWidget(self._caption(self.tr("至")))
        toolbar.addWidget(self.to_edit)
        toolbar.addWidget(self._caption("", left=6))
        toolbar.addWidget(self.grouping_box)
        toolbar.addSeparator()
        toolbar.addAction(self.refresh_action)
        toolbar.addAction(self.export_action)
        self.toolbar = toolbar

    @staticmethod
    def _caption(text: str, left: int = 10) -> QLabel:
        label = QLabel(text)
        label.setContentsMargins(left, 0, 4, 0)
        return label

    def _build_central(self) -> None:
        self.summary_label = QLabel(objectName="report_summary")
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.charts = {
            "status": ReportChart(self.tr("短信数量（按状态）")),
            "channels": ReportChart(self.tr("短信数量（按通道）")),
            "rate": ReportChart(self.tr("送达率（已送达 ÷ 已发送）")),
            "cost": ReportChart(self.tr("费用（元）")),
        }
        self.chart_tabs = QTabWidget(objectName="report_charts")
        self.chart_tabs.addTab(self.charts["status"], self.tr("按状态"))
        self.chart_tabs.addTab(self.charts["channels"], self.tr("按通道"))
        self.chart_tabs.addTab(self.charts["rate"], self.tr("送达率"))
        self.chart_tabs.addTab(self.charts["cost"], self.tr("费用"))

        self.table = QTableView(objectName="report_table")
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultSectionSize(78)
        header.resizeSection(0, 150)
        header.resizeSection(1, 120)

        splitter = QSplitter(Qt.Orientation.Vertical, objectName="report_splitter")
        splitter.addWidget(self.chart_tabs)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([400, 220])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        self.state_label = QLabel(objectName="report_state")
        footer = QHBoxLayout()
        footer.addWidget(self.state_label, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 6, 9, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.summary_label)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

    # -- the period ------------------------------------------------------------------------------------

    def today(self) -> date:
        """The office's today as of the last read (the zone is a setting, read in the background)."""
        return self.loaded.today if self.loaded is not None else datetime.now().date()

    def set_range(self, first: date, last: date, grouping: Grouping | None = None) -> None:
        """Show [first, last] (both included) as a custom period and read the report."""
        self.preset_box.setCurrentIndex(self.preset_box.findData(Preset.CUSTOM.value))
        self._show_range(first, last)
        if grouping is not None:
            self.grouping_box.setCurrentIndex(self.grouping_box.findData(grouping.value))
        self.reload()

    def _show_range(self, first: date, last: date) -> None:
        self._setting_range = True
        try:
            self.from_edit.setDate(QDate(first.year, first.month, first.day))
            self.to_edit.setDate(QDate(last.year, last.month, last.day))
        finally:
            self._setting_range = False

    def _apply_preset(self) -> None:
        preset = Preset(self.preset_box.currentData())
        if preset is Preset.CUSTOM:
            return
        if (grouping := PRESET_GROUPING.get(preset)) is not None:
            self.grouping_box.setCurrentIndex(self.grouping_box.findData(grouping.value))
        self.reload()  # the dates follow from today in the office's zone, found in the background

    def _range_edited(self) -> None:
        if self._setting_range:
            return
        self.preset_box.setCurrentIndex(self.preset_box.findData(Preset.CUSTOM.value))
        self.reload()

    def period_dates(self) -> tuple[date, date]:
        first = self.from_edit.date().toPython()
        last = self.to_edit.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        return first, last

    def grouping(self) -> Grouping:
        return Grouping(self.grouping_box.currentData())

    # -- reading ---------------------------------------------------------------------------------------

    def activate(self) -> None:
        if self.loaded is not None:
            self.reload()  # sends since the last look

    def reload(self) -> None:
        preset = Preset(self.preset_box.currentData())
        first, last = self.period_dates()
        if preset is Preset.CUSTOM and last < first:
            self.state_label.setText(self.tr("结束日期早于开始日期，请重新选择期间。"))
            return
        self._generation += 1
        generation = self._generation
        db, by, lang = self.db, self.grouping(), messages.current_language()
        self.loading = True
        self.state_label.setText(self.tr("正在统计…"))

        def read(_cancel: threading.Event, _progress: Progress) -> Loaded:
            tz = user_zone(db)
            today = wall_time(utcnow(), tz).date()
            start, end = (first, last) if preset is Preset.CUSTOM else preset_range(preset, today)
            report = cost_report(db, Period(start, end + timedelta(days=1), tz), by)
            return Loaded(report, report_series(report, lang), today)

        self.ctx.worker.run(
            read,
            on_result=lambda loaded: self._arrived(generation, loaded),
            on_error=lambda exc: self._failed(generation, exc),
            owner=self,
            name="report",
        )

    def _arrived(self, generation: int, loaded: Loaded) -> None:
        if generation != self._generation:
            return  # the user changed the period meanwhile; that read is on its way
        self.loaded = loaded
        self.loading = False
        period = loaded.report.period
        self._show_range(period.start, period.end - timedelta(days=1))
        series = loaded.series
        labels = axis_labels(series)
        fill_status(self.charts["status"], series, labels)
        fill_channels(self.charts["channels"], series, labels)
        fill_rate(self.charts["rate"], series, labels)
        fill_cost(self.charts["cost"], series, labels)
        self.table_model.set_report(loaded.report)
        # A few hundred rows at most (a year by day, per channel): measuring them is quick.
        self.table.resizeColumnsToContents()
        self.summary_label.setText(self.summary_text(loaded.report))
        shown = f"{period.start.isoformat()} ～ {(period.end - timedelta(days=1)).isoformat()}"
        self.state_label.setText(
            self.tr("%1，共 %2 个时段").replace("%1", shown).replace("%2", str(len(series.buckets)))
            if loaded.report.total.traffic.submitted
            else self.tr("%1 没有发送记录").replace("%1", shown)
        )

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.state_label.setText("")
        self.report_error(exc)

    def summary_text(self, report: CostReport) -> str:
        t = report.total.traffic
        rate = delivery_rate(t)
        text = (
            self.tr("提交 %1 条，已发送 %2 条，已送达 %3 条，送达率 %4，费用 %5 元")
            .replace("%1", f"{t.submitted:,}")
            .replace("%2", f"{t.sent:,}")
            .replace("%3", f"{t.delivered:,}")
            .replace("%4", "—" if rate is None else f"{rate * 100:.1f}%")
            .replace("%5", f"{t.cost:,.2f}")
        )
        if t.failed or t.not_sent:
            more = self.tr("；失败 %1 条，未发出 %2 条")
            text += more.replace("%1", f"{t.failed:,}").replace("%2", f"{t.not_sent:,}")
        return text

    # -- export ----------------------------------------------------------------------------------------

    def export(self) -> None:
        if self.loaded is None or self.exporting:
            return
        report = self.loaded.report
        last = report.period.end - timedelta(days=1)
        name = self.tr("短信流量与费用_%1_%2.xlsx").replace("%1", report.period.start.isoformat())
        suggested = str(Path.home() / name.replace("%2", last.isoformat()))
        path = self.ask_save_path(
            self, self.tr("导出报表"), suggested, self.tr("Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)")
        )
        if not path:
            return
        lang = messages.current_language()
        self.exporting = True
        self.say(self.tr("正在导出…"), 0)
        self.ctx.worker.run(
            lambda _cancel, _progress: write_report(report, path, lang=lang),
            on_result=lambda rows: self._exported(path, rows),
            on_error=self._export_failed,
            owner=self,
            name="export report",
        )

    def _exported(self, path: str, rows: int) -> None:
        self.exporting = False
        self.say(self.tr("报表已导出到 %1（%2 行）").replace("%1", path).replace("%2", str(rows)))

    def _export_failed(self, exc: BaseException) -> None:
        self.exporting = False
        self.say("")
        self.report_error(exc)

    def busy(self) -> bool:
        return self.exporting
