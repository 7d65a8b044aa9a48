"""添加网关账户: a gateway channel of any adapter kind, its secret kept in the OS keyring, a connection test.

The form shows the rows the chosen kind needs (`gateway_accounts.FIELDS`). 测试连接 asks the vendor for the
balance in the background, with what is typed, and saves nothing; 保存 adds the channel (the secret goes to the
keyring, never to the database or a log) and, for a prepaid vendor, opens its account and takes the vendor's
balance as its first figure.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from smsjingling.account.money import parse_yuan
from smsjingling.errors import UserError
from smsjingling.gateway.errors import BalanceUnsupported
from smsjingling.sending.gateway_accounts import (
    DEFAULT_URLS,
    FIELDS,
    AdapterKind,
    ConnectionTest,
    GatewaySetup,
    reconcile_now,
    save_gateway,
    test_connection,
)
from ui.context import AppContext
from ui.errors import describe, show_error
from ui.icons import icon

# Kinds whose balance the vendor tells: their channels get a prepaid account by default.
PREPAID = (AdapterKind.VENDOR, AdapterKind.SMSBAO, AdapterKind.YUNPIAN, AdapterKind.JASMIN)
ENCODINGS = ("utf-8", "gbk", "gb18030", "ucs2-hex")
PHONE_FORMATS = ("e164", "national", "digits")


class GatewayDialog(QDialog):
    saved = Signal(str, str)  # the new channel's name; why its first reconciliation failed ("" when it did not)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.busy = False
        self.last_test: ConnectionTest | None = None
        self.setObjectName("gateway_dialog")
        self.setWindowTitle(self.tr("添加网关账户"))
        self.setMinimumWidth(520)

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind_combo")
        for kind in AdapterKind:
            self.kind_combo.addItem(kind.label(), kind.value)
        self.name_edit = QLineEdit(self.tr("短信网关"))
        self.name_edit.setObjectName("name_edit")
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("url_edit")
        self.account_edit = QLineEdit()
        self.account_edit.setObjectName("account_edit")
        self.secret_edit = QLineEdit()
        self.secret_edit.setObjectName("secret_edit")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_edit.setToolTip(self.tr("保存在系统钥匙串中，不写入数据库，也不出现在日志里"))
        self.price_spin = QSpinBox()
        self.price_spin.setObjectName("price_spin")
        self.price_spin.setRange(0, 10_000)
        self.price_spin.setValue(5)
        self.price_spin.setSuffix(self.tr(" 分/条"))
        self.price_spin.setToolTip(self.tr("余额按短信条数计的账户，用每条的价格换算成金额"))
        self.lan_check = QCheckBox(self.tr("允许在局域网内使用 http（密码会以明文传输）"))
        self.lan_check.setObjectName("lan_check")

        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.addRow(self.tr("网关类型："), self.kind_combo)
        self.form.addRow(self.tr("通道名称："), self.name_edit)
        self.form.addRow(self.tr("网关地址："), self.url_edit)
        self.form.addRow(self.tr("账号："), self.account_edit)
        self.form.addRow(self.tr("密码或密钥："), self.secret_edit)
        self.form.addRow(self.tr("每条价格："), self.price_spin)
        self.form.addRow("", self.lan_check)
        self._rows = {
            "url": self.url_edit,
            "account": self.account_edit,
            "price_fen": self.price_spin,
            "lan_http": self.lan_check,
        }

        # The generic adapter: how to read the vendor's answers.
        self.generic_box = QGroupBox(self.tr("自定义接口"))
        self.generic_box.setObjectName("generic_box")
        self.method_combo = QComboBox()
        self.method_combo.addItems(["GET", "POST"])
        self.success_edit = QLineEdit()
        self.success_edit.setObjectName("success_edit")
        self.success_edit.setPlaceholderText(self.tr("正则表达式，例如 ^0$ 或 <returnstatus>Success"))
        self.message_id_edit = QLineEdit()
        self.message_id_edit.setPlaceholderText(self.tr("可不填；第一组为网关的短信编号"))
        self.encoding_combo = QComboBox()
        self.encoding_combo.addItems(ENCODINGS)
        self.phone_combo = QComboBox()
        for value, text in zip(
            PHONE_FORMATS, (self.tr("+8613800138000"), self.tr("13800138000"), self.tr("8613800138000")), strict=True
        ):
            self.phone_combo.addItem(text, value)
        self.balance_url_edit = QLineEdit()
        self.balance_url_edit.setPlaceholderText(self.tr("可不填；余额查询地址，可用 {user} {password}"))
        self.balance_pattern_edit = QLineEdit()
        self.balance_pattern_edit.setPlaceholderText(self.tr("正则表达式，第一组为余额"))
        self.balance_unit_spin = QSpinBox()
        self.balance_unit_spin.setRange(1, 100_000)
        self.balance_unit_spin.setValue(100)
        self.balance_unit_spin.setSuffix(self.tr(" 分"))
        self.balance_unit_spin.setToolTip(self.tr("余额数字的一个单位值多少分：以元计为 100，以条计为每条价格"))
        generic = QFormLayout(self.generic_box)
        generic.addRow(self.tr("请求方式："), self.method_combo)
        generic.addRow(self.tr("发送成功的回复："), self.success_edit)
        generic.addRow(self.tr("短信编号："), self.message_id_edit)
        generic.addRow(self.tr("文字编码："), self.encoding_combo)
        generic.addRow(self.tr("号码格式："), self.phone_combo)
        generic.addRow(self.tr("余额查询地址："), self.balance_url_edit)
        generic.addRow(self.tr("余额的回复："), self.balance_pattern_edit)
        generic.addRow(self.tr("余额单位："), self.balance_unit_spin)

        self.account_box = QGroupBox(self.tr("预付费账户"))
        self.open_check = QCheckBox(self.tr("开设预付费账户（本机记账，并以网关的余额为准对账）"))
        self.open_check.setObjectName("open_check")
        self.low_edit = QLineEdit("50")
        self.low_edit.setObjectName("low_edit")
        self.low_edit.setToolTip(self.tr("可用余额低于此数时提醒（元）；0 为不提醒"))
        account_form = QFormLayout(self.account_box)
        account_form.addRow(self.open_check)
        account_form.addRow(self.tr("余额提醒线（元）："), self.low_edit)
        self.open_check.toggled.connect(self.low_edit.setEnabled)

        self.result_label = QLabel()
        self.result_label.setObjectName("result_label")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton(icon("test-connection"), self.tr("测试连接"))
        self.test_button.setObjectName("test_button")
        self.save_button = QPushButton(icon("save"), self.tr("保存"))
        self.save_button.setObjectName("save_button")
        self.save_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.test_button.clicked.connect(self.test)
        self.save_button.clicked.connect(self.save)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.generic_box)
        layout.addWidget(self.account_box)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)

        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()
        self.setTabOrder(self.kind_combo, self.name_edit)
        self.setTabOrder(self.name_edit, self.url_edit)
        self.setTabOrder(self.url_edit, self.account_edit)
        self.setTabOrder(self.account_edit, self.secret_edit)
        self.setTabOrder(self.secret_edit, self.price_spin)

    # -- the form ------------------------------------------------------------------------------------

    @property
    def kind(self) -> AdapterKind:
        return AdapterKind(self.kind_combo.currentData())

    def set_kind(self, kind: AdapterKind) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))

    def _kind_changed(self) -> None:
        kind = self.kind
        used = FIELDS[kind]
        for name, widget in self._rows.items():
            self.form.setRowVisible(widget, name in used)
        self.generic_box.setVisible(kind is AdapterKind.GENERIC)
        default = DEFAULT_URLS.get(kind, "")
        if not self.url_edit.text() or self.url_edit.text() in DEFAULT_URLS.values():
            self.url_edit.setText(default)
        self.url_edit.setPlaceholderText(
            {
                AdapterKind.VENDOR: self.tr("供应商提供的接口地址，https:// 开头"),
                AdapterKind.KANNEL: self.tr("例如 http://192.168.1.20:13013/cgi-bin/sendsms"),
                AdapterKind.JASMIN: self.tr("例如 https://jasmin.example.com:1401"),
                AdapterKind.GENERIC: self.tr("发送地址，可用 {phone} {text} {user} {password}"),
            }.get(kind, default)
        )
        self.account_edit.setPlaceholderText(
            {
                AdapterKind.VENDOR: self.tr("账户编号"),
                AdapterKind.SMSBAO: self.tr("短信宝用户名"),
                AdapterKind.KANNEL: self.tr("sendsms 用户名"),
                AdapterKind.JASMIN: self.tr("Jasmin 用户名"),
                AdapterKind.GENERIC: self.tr("可不填；模板中的 {user}"),
            }.get(kind, "")
        )
        self.secret_edit.setPlaceholderText(self.tr("云片的 APIKEY") if kind is AdapterKind.YUNPIAN else "")
        prepaid = kind in PREPAID
        self.open_check.setChecked(prepaid)
        self.open_check.setEnabled(kind is not AdapterKind.KANNEL)
        self.low_edit.setEnabled(prepaid)
        self.result_label.clear()
        self.adjustSize()

    def setup(self) -> GatewaySetup:
        return GatewaySetup(
            self.kind,
            self.name_edit.text().strip(),
            url=self.url_edit.text().strip(),
            account=self.account_edit.text().strip(),
            price_fen=self.price_spin.value(),
            lan_http=self.lan_check.isChecked(),
            method=self.method_combo.currentText(),
            success=self.success_edit.text().strip(),
            message_id=self.message_id_edit.text().strip(),
            encoding=self.encoding_combo.currentText(),
            phone_format=str(self.phone_combo.currentData()),
            balance_url=self.balance_url_edit.text().strip(),
            balance_pattern=self.balance_pattern_edit.text().strip(),
            balance_unit_fen=self.balance_unit_spin.value(),
        )

    def _busy(self, busy: bool) -> None:
        self.busy = busy
        self.test_button.setEnabled(not busy)
        self.save_button.setEnabled(not busy)

    # -- 测试连接 ------------------------------------------------------------------------------------

    def test(self) -> None:
        if self.busy:
            return
        setup, secret = self.setup(), self.secret_edit.text()
        self._busy(True)
        self.result_label.setText(self.tr("正在连接网关…"))
        self.ctx.run(
            lambda: test_connection(setup, secret),
            owner=self,
            on_result=self._tested,
            on_error=self._failed,
            name="gateway test",
        )

    def _tested(self, result: ConnectionTest) -> None:
        self._busy(False)
        self.last_test = result
        self.result_label.setText(result.text)
        self.result_label.setStyleSheet("" if result.ok else "color: #b00020;")

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.result_label.setStyleSheet("color: #b00020;")
        self.result_label.setText(describe(exc))
        if not isinstance(exc, UserError):
            show_error(self, exc)

    # -- 保存 ----------------------------------------------------------------------------------------

    def save(self) -> None:
        if self.busy:
            return
        setup, secret = self.setup(), self.secret_edit.text()
        open_account = self.open_check.isChecked()
        try:
            low = parse_yuan(self.low_edit.text() or "0") if open_account else None
        except UserError as exc:
            self._failed(exc)
            return
        db, actor = self.ctx.db, self.ctx.actor

        def save() -> str:
            save_gateway(db, setup, secret, actor=actor, open_account=open_account, low_balance_fen=low)
            if not open_account:
                return ""
            try:
                # The local account starts from the vendor's figure, never from an invented one.
                reconcile_now(db, setup.name, actor=actor)
            except BalanceUnsupported:
                return ""
            except UserError as exc:  # saved all the same: 账户 → 立即对账 tries again
                return exc.message()
            return ""

        self._busy(True)
        self.result_label.setText(self.tr("正在保存…"))
        self.ctx.run(save, owner=self, on_result=lambda note: self._saved(setup.name, note), on_error=self._failed)

    def _saved(self, name: str, note: str) -> None:
        self._busy(False)
        self.saved.emit(name, note)
        self.accept()
