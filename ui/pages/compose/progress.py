"""发送进度: recent and running sends, the chosen one's bar and counts, its messages live, and 暂停/继续/取消.

The core's events arrive every 150 ms during a big send; this panel re-reads at most every REFRESH_MS, and only
the campaign list (a few dozen rows, counters from campaign_counts) and the messages on screen, in the
background. Delivery reports change statuses without an event, so while a send is active and the panel is
shown it also re-reads every TICK_MS.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smsjingling.records.labels import campaign_label
from smsjingling.sending.progress import CampaignProgress
from smsjingling.storage.sending import CampaignStatus, MessageStatus
from ui.context import AppContext
from ui.errors import show_error
from ui.icons import icon
from ui.pages.compose.models import (
    CampaignColumn,
    CampaignsModel,
    MessageColumn,
    MessagesModel,
    campaign_status_text,
)
from ui.worker import Progress

if TYPE_CHECKING:
    from smsjingling.sending.campaigns import Campaigns

REFRESH_MS = 500
TICK_MS = 2000


def _table(model: Any, name: str) -> QTableView:
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    # Fixed row heights: the view never measures rows to lay out its scroll bar.
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


class ProgressPanel(QWidget):
    # the chosen campaign changed (its id, or None)
    campaign_changed = Signal(object)
    # a campaign finished while it was being watched (its CampaignProgress)
    finished = Signal(object)

    def __init__(
        self, ctx: AppContext, campaigns: Callable[[], Campaigns], zone: ZoneInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._campaigns = campaigns
        # Replaceable so tests answer without a modal box.
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.show_error: Callable[[QWidget, BaseException], None] = show_error
        self._wanted: int | None = None  # a campaign to select once the list has it
        self._last_status: dict[int, str] = {}

        self.campaigns_model = CampaignsModel(ctx.db, ctx.worker, zone, self)
        self.messages_model = MessagesModel(ctx.db, ctx.worker, zone, self)
        self.campaign_table = _table(self.campaigns_model, "campaign_table")
        header = self.campaign_table.horizontalHeader()
        for column, width in {
            CampaignColumn.NAME: 150,
            CampaignColumn.STATUS: 76,
            CampaignColumn.PROGRESS: 100,
            CampaignColumn.DELIVERED: 64,
            CampaignColumn.FAILED: 48,
        }.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(CampaignColumn.NAME, QHeaderView.ResizeMode.Stretch)

        self.message_table = _table(self.messages_model, "message_table")
        header = self.message_table.horizontalHeader()
        for column, width in {
            MessageColumn.PHONE: 110,
            MessageColumn.NAME: 80,
            MessageColumn.STATUS: 80,
            MessageColumn.REASON: 200,
            MessageColumn.CHANNEL: 90,
            MessageColumn.UPDATED: 70,
        }.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(MessageColumn.REASON, QHeaderView.ResizeMode.Stretch)

        self.title_label = QLabel(objectName="campaign_title")
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        # A long campaign name must not push the buttons out of the panel: the label gives way.
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.bar = QProgressBar(objectName="campaign_bar")
        self.bar.setTextVisible(True)
        self.counts_label = QLabel(objectName="campaign_counts")
        self.counts_label.setWordWrap(True)

        self.pause_button = self._button(
            "pause", self.tr("暂停"), self.tr("暂停这次发送：排队的短信先不发"), self.pause
        )
        self.resume_button = self._button("resume", self.tr("继续"), self.tr("继续发送排队的短信"), self.resume)
        self.cancel_button = self._button("cancel", self.tr("取消"), self.tr("取消排队中的短信"), self.cancel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.title_label, 1)
        for b in (self.pause_button, self.resume_button, self.cancel_button):
            buttons.addWidget(b)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.setSpacing(4)
        detail_layout.addLayout(buttons)
        detail_layout.addWidget(self.bar)
        detail_layout.addWidget(self.counts_label)
        detail_layout.addWidget(self.message_table, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="progress_splitter")
        splitter.addWidget(self.campaign_table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([480, 520])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self._ticked)
        self._tick.start()
        ctx.events.messages.connect(self._events)
        ctx.events.campaign.connect(self._events)
        self.campaigns_model.loaded.connect(self._campaigns_loaded)
        self.campaigns_model.modelReset.connect(self._reselect)
        self.campaign_table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self.campaigns_model.load_failed.connect(self._load_failed)
        self.messages_model.load_failed.connect(self._load_failed)
        self._show_campaign(None)

    def _button(self, icon_name: str, text: str, tip: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton(objectName=f"{icon_name}_button")
        button.setIcon(icon(icon_name))
        button.setIconSize(QSize(18, 18))
        button.setText(text)
        button.setToolTip(tip)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.clicked.connect(slot)
        return button

    # -- reading -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._refresh_timer.stop()
        self.campaigns_model.refresh()
        self._refresh_messages()

    def _events(self, _items: list[Any]) -> None:
        # Coalesced once more: a refresh at most every REFRESH_MS, however often the dispatcher reports.
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _ticked(self) -> None:
        if self.isVisible() and any(c.active or c.counts[MessageStatus.SENT] for c in self.campaigns_model.rows[:5]):
            self.refresh()

    def _refresh_messages(self) -> None:
        if not self.message_table.isVisible() or self.messages_model.rowCount() == 0:
            return
        viewport = self.message_table.viewport()
        first = self.message_table.rowAt(0)
        last = self.message_table.rowAt(viewport.height() - 1)
        if first < 0:
            return
        self.messages_model.refresh_rows(first, last if last >= 0 else self.messages_model.rowCount() - 1)

    def _load_failed(self, exc: BaseException) -> None:
        self.counts_label.setText(self.tr("读取发送进度失败：%1").replace("%1", str(exc)))

    # -- the chosen campaign -------------------------------------------------------------------------

    def select_campaign(self, campaign_id: int) -> None:
        """Choose this campaign as soon as the list has it (a send just queued)."""
        self._wanted = campaign_id
        self.refresh()

    def current(self) -> CampaignProgress | None:
        index = self.campaign_table.currentIndex()
        return self.campaigns_model.campaign(index.row()) if index.isValid() else None

    def _reselect(self) -> None:
        # After a reset the selection is gone: keep the campaign the user was looking at.
        wanted = self._wanted if self._wanted is not None else self.messages_model.campaign_id
        row = self.campaigns_model.row_of(wanted) if wanted is not None else -1
        if row < 0 and self.campaigns_model.rowCount():
            row = 0
        if row >= 0:
            self.campaign_table.selectionModel().setCurrentIndex(
                self.campaigns_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _campaigns_loaded(self) -> None:
        if self._wanted is not None and self.campaigns_model.row_of(self._wanted) >= 0:
            row = self.campaigns_model.row_of(self._wanted)
            self._wanted = None
            self.campaign_table.selectionModel().setCurrentIndex(
                self.campaigns_model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        for c in self.campaigns_model.rows:
            before = self._last_status.get(c.id)
            if before == CampaignStatus.RUNNING and c.status == CampaignStatus.COMPLETED:
                self.finished.emit(c)
            self._last_status[c.id] = c.status
        self._show_campaign(self.current())

    def _selection_changed(self) -> None:
        current = self.current()
        if current is None or current.id != self.messages_model.campaign_id:
            self.messages_model.set_campaign(current.id if current is not None else None)
            self.campaign_changed.emit(current.id if current is not None else None)
        self._show_campaign(current)

    def _show_campaign(self, c: CampaignProgress | None) -> None:
        for b in (self.pause_button, self.resume_button, self.cancel_button):
            b.setEnabled(False)
        if c is None:
            self.title_label.setText(self.tr("还没有发送任务"))
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
            self.bar.setFormat("")
            self.counts_label.clear()
            return
        self.title_label.setText(f"{campaign_label(c.name, c.id)} · {campaign_status_text(c.status)}")
        self.title_label.setToolTip(self.title_label.text())
        total = max(c.total, 1)
        self.bar.setRange(0, total)
        self.bar.setValue(c.done if c.total else 0)
        self.bar.setFormat(
            self.tr("%1 / %2（%p%）").replace("%1", f"{c.done:,}").replace("%2", f"{c.total:,}") if c.total else ""
        )
        n = c.counts
        parts = [
            (self.tr("已送达"), n[MessageStatus.DELIVERED]),
            (self.tr("已发送"), n[MessageStatus.SENT]),
            (self.tr("发送中"), n[MessageStatus.SENDING]),
            (self.tr("排队中"), n[MessageStatus.QUEUED]),
            (self.tr("失败"), n[MessageStatus.FAILED] + n[MessageStatus.UNDELIVERED]),
            (self.tr("状态不明"), n[MessageStatus.UNKNOWN]),
            (self.tr("跳过或拦截"), n[MessageStatus.SKIPPED] + n[MessageStatus.BLOCKED]),
            (self.tr("已取消"), n[MessageStatus.CANCELLED]),
        ]
        shown = [f"{label} {count:,}" for label, count in parts if count]
        if c.status == CampaignStatus.SCHEDULED and c.start_at is not None:
            shown.insert(0, self.tr("定于 %1 发送").replace("%1", _local(c, self)))
        self.counts_label.setText(" · ".join(shown))
        status = c.status
        self.pause_button.setEnabled(status in (CampaignStatus.RUNNING, CampaignStatus.SCHEDULED))
        self.resume_button.setEnabled(status == CampaignStatus.PAUSED)
        self.cancel_button.setEnabled(
            status in (CampaignStatus.RUNNING, CampaignStatus.PAUSED, CampaignStatus.SCHEDULED)
        )

    # -- pause, resume, cancel -----------------------------------------------------------------------

    def _control(self, action: str, fn: Callable[[Campaigns, int], object]) -> None:
        c = self.current()
        if c is None:
            return
        campaigns, campaign_id = self._campaigns(), c.id

        def run(_cancel: threading.Event, _progress: Progress) -> object:
            return fn(campaigns, campaign_id)

        self.ctx.worker.run(
            run,
            on_result=lambda _r: self.refresh(),
            on_error=lambda exc: (self.show_error(self, exc), self.refresh()),
            owner=self,
            name=f"campaign {action}",
        )

    def pause(self) -> None:
        self._control("pause", lambda campaigns, cid: campaigns.pause(cid))

    def resume(self) -> None:
        self._control("resume", lambda campaigns, cid: campaigns.resume(cid))

    def cancel(self) -> None:
        c = self.current()
        if c is None:
            return
        question = (
            self.tr("取消“%1”？排队中的 %2 条短信不再发送；正在发送的会发完。")
            .replace("%1", campaign_label(c.name, c.id))
            .replace("%2", f"{c.counts[MessageStatus.QUEUED]:,}")
        )
        if self.confirm(self.tr("取消发送"), question):
            self._control("cancel", lambda campaigns, cid: campaigns.cancel(cid))

    def _confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes


def _local(c: CampaignProgress, panel: ProgressPanel) -> str:
    assert c.start_at is not None
    return c.start_at.astimezone(panel.campaigns_model.zone).strftime("%Y-%m-%d %H:%M")
