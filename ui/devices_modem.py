"""Dialogs for one modem channel: its details, a test message, a USSD query, and the PIN prompt.

Each asks the core (`ModemAccess`) in the background and shows the answer, or the failure, in words; none opens
a port itself. While the sending service runs, the core goes through the channel's worker between two sends.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smsjingling.errors import UserError
from smsjingling.sending.modem_access import ModemAccess, ModemDetails
from ui.context import AppContext
from ui.errors import describe, show_error
from ui.icons import icon


def ask_pin(parent: QWidget, channel: str) -> str | None:
    """The PIN the operator types for the SIM of `channel`, or None when they cancel."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(QCoreApplication.translate("ModemPin", "输入 PIN 码"))
    dialog.setLabelText(
        QCoreApplication.translate("ModemPin", "请输入“%1”的 SIM 卡 PIN 码（4 到 8 位数字）。").replace("%1", channel)
        + "\n"
        + QCoreApplication.translate(
            "ModemPin", "PIN 码保存在系统钥匙串中，不写入数据库。输错不会自动重试；连续输错三次 SIM 卡会被锁定。"
        )
    )
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue().strip() or None


def _result_label() -> QLabel:
    label = QLabel()
    label.setObjectName("result_label")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setMinimumHeight(40)
    return label


class ModemDetailsDialog(QDialog):
    """What the modem and its SIM say about themselves, read when the dialog opens (and on 刷新)."""

    def __init__(
        self,
        ctx: AppContext,
        access: ModemAccess,
        channel: str,
        parent: QWidget | None = None,
        *,
        on_pin: Callable[[str], None] | None = None,
        on_test: Callable[[str], None] | None = None,
        on_ussd: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.access = access
        self.channel = channel
        self.details: ModemDetails | None = None
        self.loading = False
        self.setObjectName("modem_details_dialog")
        self.setWindowTitle(self.tr("短信猫详情 — %1").replace("%1", channel))
        self.setMinimumWidth(460)

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.values: dict[str, QLabel] = {}
        rows = (
            ("url", self.tr("端口：")),
            ("manufacturer", self.tr("厂商：")),
            ("model", self.tr("型号：")),
            ("revision", self.tr("固件版本：")),
            ("imei", self.tr("IMEI：")),
            ("imsi", self.tr("IMSI：")),
            ("iccid", self.tr("ICCID：")),
            ("own_number", self.tr("本机号码：")),
            ("sim", self.tr("SIM 卡：")),
            ("signal", self.tr("信号：")),
            ("registration", self.tr("网络注册：")),
            ("operator", self.tr("运营商：")),
            ("smsc", self.tr("短信中心：")),
            ("via", self.tr("读取方式：")),
        )
        for key, caption in rows:
            label = QLabel("")
            label.setObjectName(f"value_{key}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = label
            self.form.addRow(caption, label)
        self.status_label = _result_label()

        self.pin_button = QPushButton(icon("pin"), self.tr("输入 PIN…"))
        self.pin_button.setEnabled(False)
        self.test_button = QPushButton(icon("send"), self.tr("测试发送…"))
        self.ussd_button = QPushButton(icon("ussd"), self.tr("查询余额…"))
        self.refresh_button = QPushButton(icon("refresh"), self.tr("刷新"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.pin_button, self.test_button, self.ussd_button, self.refresh_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.refresh_button.clicked.connect(self.load)
        if on_pin is not None:
            self.pin_button.clicked.connect(lambda: on_pin(channel))
        if on_test is not None:
            self.test_button.clicked.connect(lambda: on_test(channel))
        else:
            self.test_button.hide()
        if on_ussd is not None:
            self.ussd_button.clicked.connect(lambda: on_ussd(channel))
        else:
            self.ussd_button.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        if self.loading:
            return
        self.loading = True
        self.refresh_button.setEnabled(False)
        self.status_label.setText(self.tr("正在读取短信猫的信息…"))
        access, channel = self.access, self.channel
        self.ctx.run(
            lambda: access.details(channel),
            owner=self,
            on_result=self._show,
            on_error=self._failed,
            name="modem details",
        )

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        self.refresh_button.setEnabled(True)
        if isinstance(exc, UserError):
            self.status_label.setText(exc.message())
        else:
            show_error(self, exc)
            self.status_label.setText(describe(exc))

    def _show(self, details: ModemDetails) -> None:
        self.loading = False
        self.refresh_button.setEnabled(True)
        self.details = details
        signal = ""
        if details.bars is not None:
            signal = self.tr("%1 / 5 格").replace("%1", str(details.bars))
            if details.dbm is not None:
                signal += f"（{details.dbm} dBm）"
        texts = {
            "url": details.url,
            "manufacturer": details.manufacturer or "",
            "model": details.model or "",
            "revision": details.revision or "",
            "imei": details.imei or "",
            "imsi": details.imsi or "",
            "iccid": details.iccid or "",
            "own_number": details.own_number or "",
            "sim": details.sim_text(),
            "signal": signal,
            "registration": details.registration_text(),
            "operator": details.operator or "",
            "smsc": details.smsc or "",
            "via": self.tr("经由正在运行的发送服务") if details.live else self.tr("直接打开端口"),
        }
        for key, text in texts.items():
            self.values[key].setText(text or "—")
        self.pin_button.setEnabled(details.needs_pin)
        if details.needs_pin:
            self.status_label.setText(self.tr("SIM 卡需要 PIN 码才能收发短信。点“输入 PIN…”解锁。"))
        elif not details.sim_ready:
            self.status_label.setText(self.tr("SIM 卡未就绪：%1").replace("%1", details.sim_text()))
        else:
            self.status_label.setText(self.tr("短信猫工作正常。"))


class TestSendDialog(QDialog):
    """One SMS to a number the operator types, through this channel; the result in words."""

    def __init__(self, ctx: AppContext, access: ModemAccess, channel: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.access = access
        self.channel = channel
        self.sending = False
        self.setObjectName("test_send_dialog")
        self.setWindowTitle(self.tr("测试发送 — %1").replace("%1", channel))
        self.setMinimumWidth(420)
        self.number_edit = QLineEdit()
        self.number_edit.setObjectName("number_edit")
        self.number_edit.setPlaceholderText(self.tr("例如 13800138000"))
        self.text_edit = QPlainTextEdit(self.tr("这是一条来自短信精灵的测试短信。"))
        self.text_edit.setObjectName("text_edit")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        form = QFormLayout()
        form.addRow(self.tr("手机号码："), self.number_edit)
        form.addRow(self.tr("短信内容："), self.text_edit)
        note = QLabel(self.tr("测试短信直接从这个通道发出，不计入发送任务，也不要求状态报告。"))
        note.setWordWrap(True)
        self.result_label = _result_label()
        self.send_button = QPushButton(icon("send"), self.tr("发送"))
        self.send_button.setObjectName("send_button")
        self.send_button.setDefault(True)
        self.send_button.setShortcut(QKeySequence("Ctrl+Return"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.send_button.clicked.connect(self.send)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)
        self.setTabOrder(self.number_edit, self.text_edit)
        self.setTabOrder(self.text_edit, self.send_button)
        self.number_edit.setFocus()

    def send(self) -> None:
        if self.sending:
            return
        number, text = self.number_edit.text().strip(), self.text_edit.toPlainText()
        self.sending = True
        self.send_button.setEnabled(False)
        self.result_label.setText(self.tr("正在发送…"))
        access, channel = self.access, self.channel
        self.ctx.run(
            lambda: access.test_send(channel, number, text),
            owner=self,
            on_result=lambda result: self._done(result.text()),
            on_error=self._failed,
            name="test send",
        )

    def _done(self, text: str) -> None:
        self.sending = False
        self.send_button.setEnabled(True)
        self.result_label.setText(text)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            show_error(self, exc)
        self._done(self.tr("未发出：%1").replace("%1", describe(exc)))


class UssdDialog(QDialog):
    """A USSD code (a balance query) sent through this channel; the network's answer, decoded."""

    def __init__(self, ctx: AppContext, access: ModemAccess, channel: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.access = access
        self.channel = channel
        self.asking = False
        self.setObjectName("ussd_dialog")
        self.setWindowTitle(self.tr("查询余额（USSD） — %1").replace("%1", channel))
        self.setMinimumWidth(420)
        self.code_edit = QLineEdit("*100#")
        self.code_edit.setObjectName("code_edit")
        self.code_edit.setValidator(QRegularExpressionValidator(r"[*#0-9]{0,30}", self.code_edit))
        self.code_edit.setToolTip(self.tr("运营商的查询代码，由数字、* 和 # 组成，以 # 结尾"))
        form = QFormLayout()
        form.addRow(self.tr("USSD 代码："), self.code_edit)
        self.reply_edit = QPlainTextEdit()
        self.reply_edit.setObjectName("reply_edit")
        self.reply_edit.setReadOnly(True)
        self.reply_edit.setPlaceholderText(self.tr("运营商的回复会显示在这里"))
        self.reply_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        form.addRow(self.tr("回复："), self.reply_edit)
        self.status_label = _result_label()
        self.query_button = QPushButton(icon("ussd"), self.tr("查询"))
        self.query_button.setObjectName("query_button")
        self.query_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.query_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.query_button.clicked.connect(self.query)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.code_edit.setFocus()

    def query(self) -> None:
        if self.asking:
            return
        self.asking = True
        self.query_button.setEnabled(False)
        self.status_label.setText(self.tr("正在查询，运营商的回复可能需要十几秒…"))
        access, channel, code = self.access, self.channel, self.code_edit.text()
        self.ctx.run(
            lambda: access.ussd(channel, code),
            owner=self,
            on_result=self._answered,
            on_error=self._failed,
            name="ussd",
        )

    def _answered(self, reply: str) -> None:
        self.asking = False
        self.query_button.setEnabled(True)
        self.reply_edit.setPlainText(reply or self.tr("（运营商的回复是空的）"))
        self.status_label.setText(self.tr("已收到运营商的回复。"))

    def _failed(self, exc: BaseException) -> None:
        self.asking = False
        self.query_button.setEnabled(True)
        if not isinstance(exc, UserError):
            show_error(self, exc)
        self.status_label.setText(self.tr("查询失败：%1").replace("%1", describe(exc)))
