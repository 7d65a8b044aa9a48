"""The confirmation before anything is queued: who gets the message, who is skipped and why, how many parts,
the cost against the balance, the channel and the time. Only 确认发送 goes on; when the core would refuse the
send (a banned word, over a cap, not enough balance) the refusal is shown in its own words and 确认发送 is
disabled."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from smsjingling.compose import yuan
from smsjingling.sending.quote import Quote
from ui.icons import icon


class ConfirmDialog(QDialog):
    def __init__(
        self,
        quote: Quote,
        *,
        channel: str,
        when: str,
        kind: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.quote = quote
        self.setWindowTitle(self.tr("确认发送"))
        self.setObjectName("confirm_dialog")
        self.setMinimumWidth(460)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.recipients_label = QLabel(
            self.tr("%1 位（发送 %2 位，跳过 %3 位）")
            .replace("%1", f"{quote.recipients:,}")
            .replace("%2", f"{quote.queued:,}")
            .replace("%3", f"{quote.skipped_total:,}"),
            objectName="recipients_value",
        )
        form.addRow(self.tr("收件人："), self.recipients_label)
        self.skipped_label = QLabel(objectName="skipped_value")
        self.skipped_label.setWordWrap(True)
        self.skipped_label.setText(
            "\n".join(
                self.tr("%1：%2 位").replace("%1", line.text()).replace("%2", f"{line.count:,}")
                for line in quote.skipped
            )
            or self.tr("无")
        )
        form.addRow(self.tr("跳过原因："), self.skipped_label)
        self.segments_label = QLabel(
            self.tr("%1 条（长短信按条计费）").replace("%1", f"{quote.segments:,}"), objectName="segments_value"
        )
        form.addRow(self.tr("短信条数："), self.segments_label)
        self.cost_label = QLabel(objectName="cost_value")
        cost = self.tr("约 ¥%1").replace("%1", yuan(quote.price_fen))
        if quote.available_fen is not None:
            cost += self.tr("（账户可用余额 ¥%1）").replace("%1", yuan(quote.available_fen))
        self.cost_label.setText(cost)
        form.addRow(self.tr("预计费用："), self.cost_label)
        self.channel_label = QLabel(channel, objectName="channel_value")
        form.addRow(self.tr("发送通道："), self.channel_label)
        self.when_label = QLabel(when, objectName="when_value")
        self.when_label.setWordWrap(True)
        form.addRow(self.tr("发送时间："), self.when_label)
        form.addRow(self.tr("短信类型："), QLabel(kind))

        self.sample_edit = QPlainTextEdit(objectName="sample_text")
        self.sample_edit.setReadOnly(True)
        self.sample_edit.setPlainText("\n\n".join(quote.samples))
        self.sample_edit.setMaximumHeight(110)
        self.sample_edit.setVisible(bool(quote.samples))

        self.refusal_label = QLabel(objectName="refusal_label")
        self.refusal_label.setWordWrap(True)
        self.refusal_label.setStyleSheet("color: #b00020; font-weight: bold;")
        if quote.refusal is not None:
            self.refusal_label.setText(quote.refusal.message())
        self.refusal_label.setVisible(quote.refusal is not None)

        self.buttons = QDialogButtonBox()
        self.confirm_button = self.buttons.addButton(self.tr("确认发送"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm_button.setObjectName("confirm_button")
        self.confirm_button.setIcon(icon("send"))
        self.confirm_button.setEnabled(quote.refusal is None)
        self.confirm_button.setDefault(quote.refusal is None)
        cancel = self.buttons.addButton(self.tr("返回修改"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("back_button")
        if quote.refusal is not None:
            cancel.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        caption = QLabel(self.tr("短信示例（发送时的全文）："))
        caption.setVisible(bool(quote.samples))
        layout.addWidget(caption)
        layout.addWidget(self.sample_edit)
        layout.addWidget(self.refusal_label)
        layout.addWidget(self.buttons)
