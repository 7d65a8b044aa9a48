"""发送记录: every message sent (or not), newest first, filtered by days, status, campaign, channel and number.

The table reads a page at a time in the background and stays current while sends run: the core's message and
campaign events (already coalesced by CoreEvents) trigger a live refresh that updates rows in place and puts
new messages above, keeping the reader's scroll position and selection. A slow timer reads the record's
change feed for what no event announces (a delivery report, another desktop on a shared database).
Double-click or Enter opens a message in full. Failed messages can be sent again: the selected ones, or every
failed one of a campaign. The export writes what the filter finds, in the background with its progress in
the footer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smsjingling.records import browse
from smsjingling.records.browse import Choice
from smsjingling.records.export import export_records
from smsjingling.records.labels import campaign_label, status_text
from smsjingling.records.period import user_zone
from smsjingling.records.query import RecordFilter
from smsjingling.sending.campaigns import Campaigns
from smsjingling.sending.rules import REPORT_TIMEOUT_HOURS
from smsjingling.storage.sending import MessageStatus
from ui.context import AppContext
from ui.errors import show_error
from ui.icons import icon
from ui.pages.base import Page
from ui.records_detail import MessageDetailDialog
from ui.records_export import ExportBar, SavePathAsker, ask_save_path
from ui.records_flow import FlowLayout
from ui.records_model import Column, RecordsModel, RecordsQuery
from ui.records_period import PeriodPicker, Range
from ui.views import page_toolbar, row_table
from ui.worker import Progress

NUMBER_DELAY_MS = 300
LIVE_DELAY_MS = 400  # events come every 150 ms during a send; one read per this is plenty
POLL_MS = 3_000  # delivery reports publish no event: the change feed is read this often while shown

# What "重发" may queue again: it never left, or it did not arrive.
RESENDABLE = (MessageStatus.FAILED, MessageStatus.UNKNOWN, MessageStatus.UNDELIVERED)


def can_resend(status: str) -> bool:
    return status in RESENDABLE


class RecordsPage(Page):
    key = "records"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.db = ctx.db
        self.worker = ctx.worker
        # Replaceable so tests answer without modal dialogs.
        self.ask_save_path: SavePathAsker = ask_save_path
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.dialogs: list[MessageDetailDialog] = []
        self._dirty = False
        self._changed: set[int] = set()
        self._reselect: set[int] = set()
        self._keep_scroll: int | None = None
        self._want_scroll: int | None = None

        # Small reads of settings, on the GUI thread like a page of rows: the zone the office reads dates in.
        self.tz = user_zone(self.db)
        timeout = timedelta(hours=ctx.settings.get(REPORT_TIMEOUT_HOURS))

        self.period_picker = PeriodPicker(Range.LAST_30_DAYS, self.tz)
        self.model = RecordsModel(
            self.db, self.worker, RecordsQuery(self.period_picker.period()), self, report_timeout=timeout
        )
        self._build_actions()
        self._build_filters()
        self._build_central()

        self._number_timer = QTimer(self, singleShot=True, interval=NUMBER_DELAY_MS)
        self._number_timer.timeout.connect(self.apply_filter)
        self._live_timer = QTimer(self, singleShot=True, interval=LIVE_DELAY_MS)
        self._live_timer.timeout.connect(self._live_refresh)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._poll_tick)
        self._poll.start()

        self.period_picker.changed.connect(self.apply_filter)
        for combo in (self.status_combo, self.campaign_combo, self.channel_combo):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.number_box.textChanged.connect(lambda _t: self._number_timer.start())
        self.number_box.returnPressed.connect(self.apply_filter)
        self.model.total_changed.connect(self._show_count)
        self.model.load_failed.connect(lambda exc: show_error(self, exc))
        self.model.restarted.connect(self._restarted)
        self.model.page_loaded.connect(lambda _n: self._put_back_selection())
        self.model.rowsAboutToBeInserted.connect(self._rows_coming)
        self.model.rowsInserted.connect(self._rows_came)
        self.table.verticalScrollBar().rangeChanged.connect(self._range_grew)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        # Enter or a double-click on a row (the platform's "activate"); Enter in the number box still filters.
        self.table.activated.connect(lambda index: self.open_detail(self.model.record(index.row()).message_id))
        self.export_bar.finished.connect(
            lambda count, path: self.say(self.tr("已导出 %1 条记录到 %2").replace("%1", str(count)).replace("%2", path))
        )
        self.export_bar.cancelled.connect(lambda: self.say(self.tr("导出已取消，没有写入文件。")))

        ctx.events.messages.connect(self._core_events)
        ctx.events.campaign.connect(self._core_events)

        self._load_choices()
        self.model.refresh()
        self._update_actions()

    # -- building --------------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.refresh_action = QAction(icon("refresh"), self.tr("刷新"), self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.setToolTip(self.tr("重新读取发送记录 (F5)"))
        self.refresh_action.triggered.connect(self.reload)

        self.detail_action = QAction(icon("details"), self.tr("详情"), self)
        self.detail_action.setToolTip(self.tr("查看这条短信的每一次状态变化和分段 (Enter)"))
        self.detail_action.triggered.connect(self.open_current_detail)

        self.resend_selected_action = QAction(icon("resend"), self.tr("重发选中的失败短信"), self)
        self.resend_selected_action.setShortcut(QKeySequence("Ctrl+R"))
        self.resend_selected_action.setToolTip(self.tr("把选中的失败、未送达或状态不明的短信重新排队 (Ctrl+R)"))
        self.resend_selected_action.triggered.connect(self.resend_selected)

        self.resend_campaign_action = QAction(icon("resend"), self.tr("重发该任务全部失败短信"), self)
        self.resend_campaign_action.setToolTip(self.tr("把当前行所属任务中所有失败、未送达或状态不明的短信重新排队"))
        self.resend_campaign_action.triggered.connect(self.resend_campaign)

        self.export_action = QAction(icon("export"), self.tr("导出…"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setToolTip(self.tr("把当前筛选出的全部记录导出为 Excel 或 CSV 文件 (Ctrl+E)"))
        self.export_action.triggered.connect(self.export_current)

        for action in (self.refresh_action, self.resend_selected_action, self.export_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

        toolbar = page_toolbar(self.tr("工具栏"), "records_toolbar", self)
        toolbar.addAction(self.refresh_action)
        toolbar.addAction(self.detail_action)
        toolbar.addSeparator()
        # One "重发" button: a click resends the selection, its menu also offers the whole campaign.
        self.resend_button = QToolButton()
        self.resend_button.setObjectName("resend_button")
        self.resend_button.setDefaultAction(self.resend_selected_action)
        self.resend_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.resend_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self.resend_button)
        menu.addAction(self.resend_selected_action)
        menu.addAction(self.resend_campaign_action)
        self.resend_button.setMenu(menu)
        toolbar.addWidget(self.resend_button)
        toolbar.addSeparator()
        toolbar.addAction(self.export_action)
        self.toolbar = toolbar

    def _build_filters(self) -> None:
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("status_filter")
        self.status_combo.addItem(self.tr("全部状态"), ())
        self.status_combo.addItem(self.tr("失败或未送达"), tuple(s.value for s in RESENDABLE))
        for status in MessageStatus:
            self.status_combo.addItem(status_text(status), (status.value,))
        self.status_combo.setToolTip(self.tr("按状态筛选；“失败或未送达”包括失败、未送达和状态不明的短信"))

        self.campaign_combo = QComboBox()
        self.campaign_combo.setObjectName("campaign_filter")
        self.campaign_combo.addItem(self.tr("全部任务"), None)
        self.campaign_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.campaign_combo.setMinimumContentsLength(12)
        self.campaign_combo.setToolTip(self.tr("按发送任务筛选"))

        self.channel_combo = QComboBox()
        self.channel_combo.setObjectName("channel_filter")
        self.channel_combo.addItem(self.tr("全部通道"), None)
        self.channel_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.channel_combo.setMinimumContentsLength(8)
        self.channel_combo.setToolTip(self.tr("按通道（短信猫或网关）筛选"))

        self.number_box = QLineEdit()
        self.number_box.setObjectName("number_filter")
        self.number_box.setPlaceholderText(self.tr("号码"))
        self.number_box.setClearButtonEnabled(True)
        self.number_box.setToolTip(self.tr("输入号码或其中几位"))
        self.number_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.number_box.setMinimumWidth(140)

        # The filters wrap onto a second row on a narrow window rather than forcing it wider.
        self.filter_bar = QWidget()
        self.filter_bar.setObjectName("filter_bar")
        bar = FlowLayout(self.filter_bar)
        for widget in (self.period_picker, self.status_combo, self.campaign_combo, self.channel_combo):
            bar.add_widget(widget)
        bar.add_widget(self.number_box, stretch=True)

    def _build_central(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("records_table")
        self.table.setModel(self.model)
        header = row_table(self.table)
        metrics = self.fontMetrics()

        def fits(text: str) -> int:
            return metrics.horizontalAdvance(text) + 18

        def header_of(column: int) -> str:
            return str(self.model.headerData(column, Qt.Orientation.Horizontal))

        widths = {
            Column.TIME: fits("2024-06-30 23:59:59"),
            Column.NUMBER: fits("13800138000") + 6,
            Column.STATUS: max(fits(status_text(s)) for s in ("delivered", "undelivered", "unknown")),
            Column.REASON: 130,
            Column.CHANNEL: 64,
            Column.CAMPAIGN: 110,
            Column.SEGMENTS: fits(header_of(Column.SEGMENTS)),
            Column.PRICE: fits(header_of(Column.PRICE)),
            Column.SENDER: 64,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        # The text takes what is left, so every column fits without scrolling sideways.
        header.setSectionResizeMode(Column.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.detail_action, self.resend_selected_action, self.resend_campaign_action):
            self.table.addAction(action)

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
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)
        self.setTabOrder(self.period_picker.preset, self.period_picker.start)
        self.setTabOrder(self.period_picker.start, self.period_picker.end)
        self.setTabOrder(self.period_picker.end, self.status_combo)
        self.setTabOrder(self.status_combo, self.campaign_combo)
        self.setTabOrder(self.campaign_combo, self.channel_combo)
        self.setTabOrder(self.channel_combo, self.number_box)
        self.setTabOrder(self.number_box, self.table)

    # -- the page's hooks ------------------------------------------------------------------------------

    def activate(self) -> None:
        self._load_choices()
        if self._dirty:
            self._dirty = False
            self._live_refresh()

    def busy(self) -> bool:
        return self.export_bar.busy

    # -- filters ---------------------------------------------------------------------------------------

    def current_filter(self) -> RecordFilter:
        return RecordFilter(
            campaign_id=self.campaign_combo.currentData(),
            statuses=tuple(self.status_combo.currentData() or ()),
            channel_id=self.channel_combo.currentData(),
            number=self.number_box.text().strip(),
        )

    def current_query(self) -> RecordsQuery:
        return RecordsQuery(self.period_picker.period(), self.current_filter())

    def apply_filter(self) -> None:
        self._number_timer.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)
            self._update_actions()

    def reload(self) -> None:
        self._load_choices()
        self._reselect = self.selected_ids()
        self.model.set_query(self.current_query())

    def show_campaign(self, campaign_id: int) -> None:
        """Filter on one campaign (the progress view's "查看记录" comes here)."""
        index = self.campaign_combo.findData(campaign_id)
        if index < 0:
            self.campaign_combo.addItem(f"#{campaign_id}", campaign_id)
            index = self.campaign_combo.count() - 1
        self.period_picker.set_range(Range.ALL)
        self.campaign_combo.setCurrentIndex(index)
        self.apply_filter()

    def _load_choices(self) -> None:
        db = self.db

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[list[Choice], list[Choice]]:
            with db.reader() as s:
                return browse.campaign_choices(s), browse.channel_choices(s)

        self.worker.run(
            read, on_result=lambda result: self._choices_arrived(*result), owner=self, name="records choices"
        )

    def _choices_arrived(self, campaigns: list[Choice], channels: list[Choice]) -> None:
        self._fill(self.campaign_combo, [(campaign_label(c.name, c.id), c.id) for c in campaigns])
        self._fill(self.channel_combo, [(c.name, c.id) for c in channels])

    def _fill(self, combo: QComboBox, items: list[tuple[str, int]]) -> None:
        """Replace the choices after the first ("全部…"), keeping the chosen one even if it is no longer listed."""
        chosen, chosen_text = combo.currentData(), combo.currentText()
        combo.blockSignals(True)
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for text, value in items:
                combo.addItem(text, value)
            if chosen is not None:
                index = combo.findData(chosen)
                if index < 0:
                    combo.addItem(chosen_text, chosen)
                    index = combo.count() - 1
                combo.setCurrentIndex(index)
        finally:
            combo.blockSignals(False)

    def _show_count(self, total: int) -> None:
        self.count_label.setText(self.tr("共 %1 条记录").replace("%1", f"{total:,}"))

    # -- live --------------------------------------------------------------------------------------------

    def _core_events(self, items: list[dict[str, Any]]) -> None:
        for data in items:
            self._changed.update(data.get("ids") or ())
        if not self.isVisible():
            self._dirty = True  # read when the user turns back to the page
            return
        if not self._live_timer.isActive():
            self._live_timer.start()

    def _live_refresh(self) -> None:
        changed, self._changed = self._changed, set()
        self.model.refresh_live(changed)

    def _poll_tick(self) -> None:
        if self.isVisible() and not self.model.loading:
            self.model.refresh_live()

    def _rows_coming(self, _parent: QModelIndex, first: int, _last: int) -> None:
        bar = self.table.verticalScrollBar()
        # Rows put above a reader who has scrolled down must not move what they are looking at.
        self._keep_scroll = bar.value() if first == 0 and bar.value() > 0 else None

    def _rows_came(self, _parent: QModelIndex, first: int, last: int) -> None:
        keep = self._keep_scroll
        if keep is None or first != 0:
            return
        bar = self.table.verticalScrollBar()
        added = last - first + 1
        if self.table.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerPixel:
            added *= self.table.verticalHeader().defaultSectionSize()
        self._keep_scroll = None
        # The view grows its scroll range later (a delayed layout), which clamps the value set now: it is set
        # again when the range has grown.
        self._want_scroll = keep + added
        bar.setValue(self._want_scroll)
        QTimer.singleShot(500, self, self._forget_scroll)

    def _range_grew(self, _minimum: int, maximum: int) -> None:
        if self._want_scroll is not None and maximum >= self._want_scroll:
            self.table.verticalScrollBar().setValue(self._want_scroll)
            self._want_scroll = None

    def _forget_scroll(self) -> None:
        self._want_scroll = None

    def _restarted(self) -> None:
        self.say(self.tr("有大量新记录，已回到列表顶部"))

    def selected_ids(self) -> set[int]:
        return {self.model.record(i.row()).message_id for i in self.table.selectionModel().selectedRows()}

    def _put_back_selection(self) -> None:
        if not self._reselect:
            return
        selection = self.table.selectionModel()
        for mid in list(self._reselect):
            row = self.model.row_of(mid)
            if row is not None:
                flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
                selection.select(self.model.index(row, 0), flags)
                self._reselect.discard(mid)
        if self.model.total is not None and not self.model.canFetchMore():
            self._reselect.clear()

    # -- actions -----------------------------------------------------------------------------------------

    def _update_actions(self) -> None:
        rows = [self.model.record(i.row()) for i in self.table.selectionModel().selectedRows()]
        current = self.table.currentIndex()
        self.detail_action.setEnabled(current.isValid())
        self.resend_selected_action.setEnabled(any(can_resend(r.status) for r in rows))
        self.resend_campaign_action.setEnabled(current.isValid() or self.campaign_combo.currentData() is not None)

    def open_current_detail(self) -> MessageDetailDialog | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.open_detail(self.model.record(index.row()).message_id)

    def open_detail(self, message_id: int) -> MessageDetailDialog:
        dialog = MessageDetailDialog(self.db, self.worker, message_id, tz=self.tz, can_resend=can_resend, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.resend_requested.connect(lambda mid: self._resend_ids_of(dialog, mid))
        dialog.destroyed.connect(lambda _o=None, d=dialog: self.dialogs.remove(d) if d in self.dialogs else None)
        self.dialogs.append(dialog)
        dialog.open()
        return dialog

    def _resend_ids_of(self, dialog: MessageDetailDialog, message_id: int) -> None:
        detail = dialog.detail
        if detail is not None:
            self.resend_messages({detail.campaign_id: [message_id]})

    def campaigns(self) -> Campaigns:
        """The running service's campaigns (which wake the dispatcher), else a plain one: queued messages
        then wait for the service to start."""
        service = self.ctx.service
        return service.campaigns if service is not None else Campaigns(self.db, self.ctx.actor)

    def resend_selected(self) -> None:
        picked: dict[int, list[int]] = {}
        for index in self.table.selectionModel().selectedRows():
            row = self.model.record(index.row())
            if can_resend(row.status):
                picked.setdefault(row.campaign_id, []).append(row.message_id)
        count = sum(len(ids) for ids in picked.values())
        if not count:
            return
        question = self.tr("把选中的 %1 条失败短信重新排队发送？").replace("%1", str(count))
        if self.confirm(self.tr("重发短信"), question):
            self.resend_messages(picked)

    def resend_messages(self, picked: dict[int, list[int]]) -> None:
        campaigns = self.campaigns()

        def resend(_cancel: threading.Event, _progress: Progress) -> int:
            return sum(campaigns.resend(cid, RESENDABLE, message_ids=ids) for cid, ids in picked.items())

        self.worker.run(resend, on_result=self._resent, on_error=lambda exc: show_error(self, exc), owner=self)

    def resend_campaign(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            row = self.model.record(index.row())
            campaign_id, name = row.campaign_id, campaign_label(row.campaign, row.campaign_id)
        elif self.campaign_combo.currentData() is not None:
            campaign_id, name = self.campaign_combo.currentData(), self.campaign_combo.currentText()
        else:
            return
        question = self.tr("把任务“%1”中所有失败、未送达和状态不明的短信重新排队发送？").replace("%1", name)
        if not self.confirm(self.tr("重发短信"), question):
            return
        campaigns = self.campaigns()
        self.worker.run(
            lambda _cancel, _progress: campaigns.resend(campaign_id, RESENDABLE),
            on_result=self._resent,
            on_error=lambda exc: show_error(self, exc),
            owner=self,
            name="resend campaign",
        )

    def _resent(self, count: int) -> None:
        if count:
            self.say(self.tr("已重新排队 %1 条短信").replace("%1", str(count)))
        else:
            self.say(self.tr("没有需要重发的短信"))
        self.model.refresh_live(self.model.loaded_ids())

    def export_current(self) -> None:
        if self.export_bar.busy:
            return
        query = self.current_query()
        first, last = query.period.start, query.period.end - timedelta(days=1)
        suggested = str(
            Path.home() / self.tr("发送记录 %1 至 %2.xlsx").replace("%1", str(first)).replace("%2", str(last))
        )
        path = self.ask_save_path(
            self, self.tr("导出发送记录"), suggested, self.tr("Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)")
        )
        if not path:
            return
        db, actor = self.db, self.ctx.actor
        self.export_bar.start(
            path,
            lambda cancel, progress: export_records(
                db, path, query.period, query.filt, actor=actor, progress=progress, cancel=cancel
            ),
        )

    # -- feedback ------------------------------------------------------------------------------------------

    def _confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes
