"""定时任务: the timed and recurring sends, what each will do next and what it did last.

The list is the core's (smsjingling.schedule.listing): schedules still to come, and one-offs missed in the
last days, marked in red; "显示已结束的" adds every schedule that ever was. A schedule is paused, resumed and
cancelled through Campaigns, given a new time or rule (修改时间…, while it has not started) and sent at
once (立即运行). The list is read in the background when the page is shown, when the core reports campaign
changes, and every half minute (so "next send" moves on as times pass).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smsjingling import messages
from smsjingling.schedule.editing import reschedule, run_now
from smsjingling.schedule.listing import ScheduleItem, list_schedules
from smsjingling.sending.campaigns import Campaigns
from smsjingling.storage.sending import CampaignKind, CampaignStatus
from ui.context import AppContext
from ui.errors import show_error
from ui.icons import icon
from ui.pages.base import Page
from ui.schedules_edit import ScheduleDialog
from ui.schedules_model import Column, SchedulesModel
from ui.views import page_toolbar, row_table

REFRESH_MS = 30_000
EVENT_DELAY_MS = 400

# Opens the edit dialog for a schedule; returns (start time, rule text), or None when cancelled.
EditAsker = Callable[[ScheduleItem], tuple[datetime, str] | None]


class SchedulesPage(Page):
    key = "schedules"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.db = ctx.db
        # Replaceable so tests answer without a modal dialog.
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.ask_schedule: EditAsker = self._ask_schedule
        self.report_error: Callable[[BaseException], None] = lambda exc: show_error(self, exc)
        self.loading = False
        self.acting = False
        self._generation = 0
        self._read_once = False

        self.model = SchedulesModel(self)
        self._build_actions()
        self._build_central()
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.doubleClicked.connect(lambda _index: self.edit_action.trigger())
        self.finished_box.toggled.connect(lambda _on: self.reload())

        # Campaign events come in bursts while a send runs: one read after they settle.
        self._event_timer = QTimer(self)
        self._event_timer.setSingleShot(True)
        self._event_timer.setInterval(EVENT_DELAY_MS)
        self._event_timer.timeout.connect(self.reload)
        ctx.events.campaign.connect(lambda _items: self._event_timer.start())
        self._clock = QTimer(self)
        self._clock.setInterval(REFRESH_MS)
        self._clock.timeout.connect(lambda: self.isVisible() and self.reload())
        self._clock.start()
        self._update_actions()

    # -- building --------------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(name: str, text: str, tip: str, slot: Callable[[], None], shortcut: Any = None) -> QAction:
            made = QAction(icon(name), text, self)
            made.setToolTip(tip)
            made.triggered.connect(slot)
            if shortcut is not None:
                made.setShortcut(QKeySequence(shortcut))
                made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(made)
            return made

        self.run_action = action(
            "run-now", self.tr("立即运行"), self.tr("现在就发送一次（Ctrl+R）；重复的任务之后仍按规则发送"),
            self.run_selected, "Ctrl+R",
        )  # fmt: skip
        self.pause_action = action(
            "pause", self.tr("暂停"), self.tr("暂停任务：到时不发送，直到继续"), self.pause_selected, "Ctrl+P"
        )
        self.resume_action = action("resume", self.tr("继续"), self.tr("继续已暂停的任务"), self.resume_selected)
        self.edit_action = action(
            "edit", self.tr("修改时间…"), self.tr("修改首次发送时间和重复规则（F2）"), self.edit_selected, "F2"
        )
        self.cancel_action = action(
            "cancel", self.tr("取消任务"), self.tr("取消任务：以后不再发送（已发出的不受影响）"), self.cancel_selected,
            QKeySequence.StandardKey.Delete,
        )  # fmt: skip
        self.refresh_action = action(
            "refresh", self.tr("刷新"), self.tr("重新读取定时任务（F5）"), self.reload, QKeySequence.StandardKey.Refresh
        )

        toolbar = page_toolbar(self.tr("工具栏"), "main_toolbar", self)
        toolbar.addAction(self.run_action)
        toolbar.addSeparator()
        toolbar.addAction(self.pause_action)
        toolbar.addAction(self.resume_action)
        toolbar.addAction(self.edit_action)
        toolbar.addAction(self.cancel_action)
        toolbar.addSeparator()
        toolbar.addAction(self.refresh_action)
        self.finished_box = QCheckBox(self.tr("显示已结束的"), objectName="show_finished")
        self.finished_box.setToolTip(self.tr("也列出已完成、已取消、已开始发送和较早错过的任务"))
        spacer = QWidget()
        spacer.setFixedWidth(12)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.finished_box)
        self.toolbar = toolbar

    def _build_central(self) -> None:
        self.table = QTableView(objectName="schedules_table")
        self.table.setModel(self.model)
        header = row_table(self.table, QAbstractItemView.SelectionMode.SingleSelection)
        for column, width in {
            Column.NAME: 150,
            Column.STATE: 80,
            Column.RULE: 200,
            Column.NEXT: 185,
            Column.LAST: 230,
            Column.MISSED: 80,
        }.items():
            header.resizeSection(column, width)
        header.setStretchLastSection(True)

        self.detail = QLabel(objectName="schedule_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setMargin(8)
        self.detail.setFrameShape(QFrame.Shape.StyledPanel)
        self.detail.setBackgroundRole(QPalette.ColorRole.Base)
        self.detail.setAutoFillBackground(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([480, 140])
        splitter.setChildrenCollapsible(False)

        self.count_label = QLabel(objectName="schedules_count")
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 6, 9, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

    # -- reading ---------------------------------------------------------------------------------------

    def activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        db, finished = self.db, self.finished_box.isChecked()
        self.loading = True
        self.ctx.run(
            lambda: list_schedules(db, finished=finished),
            owner=self,
            on_result=lambda items: self._arrived(generation, items),
            on_error=lambda exc: self._failed(generation, exc),
            name="schedules",
        )

    def _arrived(self, generation: int, items: list[ScheduleItem]) -> None:
        if generation != self._generation:
            return
        chosen = self.selected()
        self.model.set_items(items)
        if chosen is not None and (row := self.model.row_of(chosen.id)) is not None:
            self.table.selectRow(row)
        self.loading = False
        waiting = sum(1 for i in items if i.next_at is not None)
        missed = sum(1 for i in items if i.missed)
        text = self.tr("共 %1 个定时任务，%2 个等待发送").replace("%1", str(len(items))).replace("%2", str(waiting))
        if missed:
            text += self.tr("；%1 个有错过的发送").replace("%1", str(missed))
        self.count_label.setText(text)
        self._selection_changed()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.loading = False
            self.report_error(exc)

    # -- the selection ---------------------------------------------------------------------------------

    def selected(self) -> ScheduleItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def select(self, campaign_id: int) -> None:
        row = self.model.row_of(campaign_id)
        if row is not None:
            self.table.selectRow(row)

    def _selection_changed(self) -> None:
        self._update_actions()
        item = self.selected()
        self.detail.setText("" if item is None else self.detail_text(item))

    def detail_text(self, item: ScheduleItem) -> str:
        lang = messages.current_language()
        kind = self.tr("营销短信") if item.kind == CampaignKind.MARKETING.value else self.tr("通知短信")
        lines = [
            self.tr("“%1”（%2）：%3").replace("%1", item.name).replace("%2", kind).replace("%3", item.describe(lang)),
            self.tr("接收人：%1").replace("%1", item.recipients_text(lang) or "—"),
        ]
        if item.last_run is not None:
            lines.append(self.tr("上次发送：%1").replace("%1", item.last_run.text(lang)))
        if item.missed:
            lines.append(
                self.tr("错过 %1 次：到时程序未在运行，且超过了 %2 分钟的宽限时间。")
                .replace("%1", str(item.missed))
                .replace("%2", str(item.grace_minutes))
            )
        return "\n".join(lines)

    def _update_actions(self) -> None:
        item = None if self.acting else self.selected()
        open_ = item is not None and item.editable
        self.run_action.setEnabled(open_)
        self.edit_action.setEnabled(open_)
        self.pause_action.setEnabled(open_ and item is not None and item.status is CampaignStatus.SCHEDULED)
        self.resume_action.setEnabled(open_ and item is not None and item.status is CampaignStatus.PAUSED)
        self.cancel_action.setEnabled(open_)

    # -- actions ---------------------------------------------------------------------------------------

    def _act(self, fn: Callable[[Campaigns], Any], done: str, name: str) -> None:
        """A change in the background, then the list is read again (also after a refusal)."""
        service_campaigns = self.ctx.service.campaigns if self.ctx.service is not None else None
        db, actor = self.db, self.ctx.actor

        def work() -> Any:
            return fn(service_campaigns or Campaigns(db, actor))

        def finished(_result: Any) -> None:
            self.acting = False
            self.say(done)
            self.reload()

        def failed(exc: BaseException) -> None:
            self.acting = False
            self.report_error(exc)
            self.reload()

        self.acting = True
        self._update_actions()
        self.ctx.run(work, owner=self, on_result=finished, on_error=failed, name=name)

    def run_selected(self) -> None:
        item = self.selected()
        if item is None or not item.editable:
            return
        question = (
            self.tr("现在就发送“%1”？接收人：%2。").replace("%1", item.name).replace("%2", item.recipients_text())
        )
        if item.recurring:
            question += self.tr("这是额外的一次，之后仍按“%1”发送。").replace("%1", item.describe())
        if not self.confirm(self.tr("立即运行"), question):
            return
        self._act(lambda c: run_now(c, item.id), self.tr("“%1”已开始发送").replace("%1", item.name), "run now")

    def pause_selected(self) -> None:
        item = self.selected()
        if item is not None:
            self._act(lambda c: c.pause(item.id), self.tr("“%1”已暂停").replace("%1", item.name), "pause")

    def resume_selected(self) -> None:
        item = self.selected()
        if item is not None:
            self._act(lambda c: c.resume(item.id), self.tr("“%1”已继续").replace("%1", item.name), "resume")

    def cancel_selected(self) -> None:
        item = self.selected()
        if item is None or not item.editable:
            return
        question = self.tr("取消定时任务“%1”？取消后不再发送，也不能恢复。").replace("%1", item.name)
        if not self.confirm(self.tr("取消任务"), question):
            return
        self._act(lambda c: c.cancel(item.id), self.tr("“%1”已取消").replace("%1", item.name), "cancel")

    def edit_selected(self) -> None:
        item = self.selected()
        if item is None or not item.editable:
            return
        answer = self.ask_schedule(item)
        if answer is None:
            return
        start, rule = answer
        self._act(
            lambda c: reschedule(c, item.id, start, rule),
            self.tr("“%1”的发送时间已修改").replace("%1", item.name),
            "reschedule",
        )

    def _ask_schedule(self, item: ScheduleItem) -> tuple[datetime, str] | None:
        dialog = ScheduleDialog(item, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.start_at(), dialog.rule_text()

    def _confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes

    def busy(self) -> bool:
        return self.acting
