"""One message in full: to whom, what, where it stands and why, every status it went through (the channel's
own words kept beside ours), and each SMS part with its reference (TP-MR) and delivery report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smsjingling import messages
from smsjingling.contacts.export import national
from smsjingling.records.detail import MessageDetail, load_detail
from smsjingling.records.labels import campaign_label, status_text, yuan
from smsjingling.records.period import wall_time
from smsjingling.storage.database import Database
from smsjingling.storage.sending import MessageStatus
from ui.errors import show_error
from ui.records_model import STATUS_COLOURS
from ui.worker import Worker

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _time(at: datetime | None, tz: tzinfo | None) -> str:
    return wall_time(at, tz).strftime(TIME_FORMAT) if at is not None else ""


def _reason_words(reason: str) -> str:
    return messages.text(reason) if reason else ""


class MessageDetailDialog(QDialog):
    """Reads the message in the background and shows it; `resend_requested(message_id)` when the user asks
    to send it again (offered for a message that failed or whose fate is unknown)."""

    resend_requested = Signal(int)
    loaded = Signal()

    def __init__(
        self,
        db: Database,
        worker: Worker,
        message_id: int,
        *,
        tz: tzinfo | None,
        can_resend: Callable[[str], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.message_id = message_id
        self.detail: MessageDetail | None = None
        self._tz = tz
        self._can_resend = can_resend
        self.setWindowTitle(self.tr("短信详情"))
        self.resize(780, 640)

        self.number = QLabel()
        self.campaign = QLabel()
        self.sender = QLabel()
        self.channel = QLabel()
        self.status = QLabel()
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.times = QLabel()
        self.size_label = QLabel()
        for label in (self.number, self.campaign, self.sender, self.channel, self.status, self.reason, self.times):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("接收人："), self.number)
        form.addRow(self.tr("任务："), self.campaign)
        form.addRow(self.tr("状态："), self.status)
        form.addRow(self.tr("原因："), self.reason)
        form.addRow(self.tr("通道："), self.channel)
        form.addRow(self.tr("时间："), self.times)
        form.addRow(self.tr("条数与费用："), self.size_label)

        self.text = QPlainTextEdit(readOnly=True)
        self.text.setObjectName("message_text")
        self.text.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)

        self.transitions = self._table(
            [self.tr("时间"), self.tr("状态"), self.tr("原因"), self.tr("通道原话"), self.tr("通道")], stretch=(2, 3)
        )
        self.transitions.setObjectName("transitions")
        self.parts = self._table(
            [self.tr("分段"), self.tr("参考号（TP-MR）"), self.tr("通道"), self.tr("状态报告"), self.tr("报告时间")],
            stretch=(4,),
        )
        self.parts.setObjectName("parts")
        row_height = self.fontMetrics().height() + 10
        # Room for six transitions without scrolling (a retried message has more); parts are usually one or two.
        self.transitions.setMinimumHeight(row_height * 7)
        self.parts.setFixedHeight(row_height * 4)
        for table in (self.transitions, self.parts):
            table.verticalHeader().setDefaultSectionSize(row_height)

        history = QGroupBox(self.tr("状态变化"))
        QVBoxLayout(history).addWidget(self.transitions)
        parts_box = QGroupBox(self.tr("短信分段"))
        QVBoxLayout(parts_box).addWidget(self.parts)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.resend_button = QPushButton(self.tr("重发"))
        self.resend_button.setToolTip(self.tr("把这条短信重新排队发送"))
        self.resend_button.setVisible(False)
        self.buttons.addButton(self.resend_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.resend_button.clicked.connect(self._resend)

        self.loading = QLabel(self.tr("正在读取…"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.loading)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("内容：")))
        layout.addWidget(self.text)
        layout.addWidget(history, 1)
        layout.addWidget(parts_box)
        layout.addWidget(self.buttons)

        worker.run(
            lambda _cancel, _progress: load_detail(db, message_id),
            on_result=self.show_detail,
            on_error=self._failed,
            owner=self,
            name="message detail",
        )

    def _table(self, headers: list[str], stretch: tuple[int, ...]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in stretch:  # these share what is left: no scrolling sideways
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        return table

    def show_detail(self, detail: MessageDetail) -> None:
        self.detail = detail
        self.loading.setVisible(False)
        who = national(detail.phone)
        self.number.setText(f"{detail.contact_name}  {who}" if detail.contact_name else who)
        self.number.setToolTip(detail.phone)
        by = self.tr("（%1 创建）").replace("%1", detail.sender) if detail.sender else ""
        self.campaign.setText(campaign_label(detail.campaign, detail.campaign_id) + by)
        self.status.setText(status_text(detail.status))
        colour = STATUS_COLOURS.get(detail.status)
        self.status.setStyleSheet(f"color: {colour.name()}; font-weight: bold;" if colour else "font-weight: bold;")
        reason = _reason_words(detail.reason)
        if detail.error:
            said = self.tr("通道原话：%1").replace("%1", detail.error)
            reason = f"{reason}\n{said}" if reason else said
        self.reason.setText(reason or "—")
        self.channel.setText(detail.channel or self.tr("（未经过任何通道）"))
        times = [self.tr("创建 %1").replace("%1", _time(detail.created_at, self._tz))]
        if detail.sent_at is not None:
            times.append(self.tr("发出 %1").replace("%1", _time(detail.sent_at, self._tz)))
        if detail.done_at is not None:
            times.append(self.tr("结束 %1").replace("%1", _time(detail.done_at, self._tz)))
        self.times.setText("　".join(times))
        encoding = detail.encoding.upper() or "—"
        self.size_label.setText(
            self.tr("%1 条（%2），%3 元，尝试 %4 次")
            .replace("%1", str(detail.segments))
            .replace("%2", encoding)
            .replace("%3", f"{yuan(detail.price_fen):.2f}")
            .replace("%4", str(detail.attempts))
        )
        self.text.setPlainText(detail.text)

        # The record keeps each change after the message was written; its first row is the writing itself:
        # queued, or (with no change since) the status it was written in, such as skipped for an opt-out.
        steps = [(t.at, t.status, t.reason, t.detail, t.channel) for t in detail.transitions]
        if not steps:
            steps = [(detail.created_at, detail.status, detail.reason, detail.error, "")]
        elif steps[0][1] != MessageStatus.QUEUED:
            steps.insert(0, (detail.created_at, MessageStatus.QUEUED.value, "", "", ""))
        self.transitions.setRowCount(len(steps))
        for row, (at, to, why, said, channel) in enumerate(steps):
            status = QTableWidgetItem(status_text(to))
            colour = STATUS_COLOURS.get(to)
            if colour is not None:
                status.setForeground(colour)
            cells = [
                QTableWidgetItem(_time(at, self._tz)),
                status,
                QTableWidgetItem(_reason_words(why)),
                QTableWidgetItem(said),
                QTableWidgetItem(channel),
            ]
            for column, cell in enumerate(cells):
                cell.setToolTip(cell.text())
                self.transitions.setItem(row, column, cell)

        self.parts.setRowCount(len(detail.parts))
        reports = {"delivered": status_text("delivered"), "undelivered": status_text("undelivered")}
        for row, p in enumerate(detail.parts):
            cells = [
                QTableWidgetItem(f"{p.number}/{len(detail.parts)}"),
                QTableWidgetItem(p.ref),
                QTableWidgetItem(p.channel),
                QTableWidgetItem(reports.get(p.report, self.tr("未收到"))),
                QTableWidgetItem(_time(p.reported_at, self._tz)),
            ]
            for column, cell in enumerate(cells):
                self.parts.setItem(row, column, cell)
        self.resend_button.setVisible(self._can_resend(detail.status))
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.loading.setText(self.tr("无法读取这条短信。"))
        show_error(self, exc)

    def _resend(self) -> None:
        self.resend_requested.emit(self.message_id)
        self.accept()
