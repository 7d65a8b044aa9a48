"""发送短信: pick recipients, type the notice, look at it as a recipient will get it, choose the channel and the
time, confirm, and watch it go.

Left: the recipients (groups, single contacts, pasted numbers) and the send settings (kind, channel, when,
cost). Right: the message box with its counter and banned-word marks, and the preview for any recipient.
Below: the progress panel with recent and running sends.

Nothing slow runs on the GUI thread: the settings, the keyword automaton, the fields and channels are read in
the background when the page is shown; the confirmation's figures come from the core's plan, computed in the
background; only 确认发送 queues anything (through the running service, which wakes its dispatcher).
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from smsjingling.compose import (
    PRICE_PER_SEGMENT,
    SIGNATURE_POSITION,
    UNSUBSCRIBE_SUFFIX,
    Composer,
    Decoration,
    Rendered,
    compile_template,
    decoration,
    display_phone,
    yuan,
)
from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.fields import field_names
from smsjingling.contacts.records import ContactRecord
from smsjingling.contacts.search import ContactQuery
from smsjingling.errors import UserError
from smsjingling.keywords import KeywordStore, Matcher
from smsjingling.phones import PhoneError, parse_phone
from smsjingling.sending.channels import ChannelInfo, Channels
from smsjingling.sending.expand import Recipients
from smsjingling.sending.quote import Quote, RecipientCount, quote
from smsjingling.sending.rules import TIMEZONE
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.sending import CampaignKind, ChannelKind
from ui.context import AppContext
from ui.errors import show_error
from ui.icons import icon
from ui.pages.base import Page
from ui.pages.compose import responsiveness
from ui.pages.compose.confirm import ConfirmDialog
from ui.pages.compose.editor import TemplateEditor
from ui.pages.compose.progress import ProgressPanel
from ui.pages.compose.recipients import RecipientsPanel
from ui.pages.compose.when import When, WhenBox
from ui.worker import Progress

if TYPE_CHECKING:
    # Sending and the account ledger are imported when a quote or a send is made, not to show the page: the
    # window comes up first (issue 6's cold start).
    from smsjingling.sending.campaigns import CampaignRequest, Campaigns

PREVIEW_SAMPLES = 20
PREVIEW_SEARCH_MS = 250
SAMPLE_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class ComposeSettings:
    """What the page reads once per visit (Settings writes on opening, so never on the GUI thread)."""

    signature: str
    position: str
    unsubscribe: str
    price_fen: int
    timezone: str
    channels: tuple[ChannelInfo, ...]
    fields: tuple[str, ...]
    matcher: Matcher | None


@dataclass(frozen=True)
class Sample:
    """A recipient to preview the text for."""

    name: str
    phone: str  # E.164
    fields: dict[str, Any]

    def label(self) -> str:
        number = display_phone(self.phone)
        return f"{self.name}  {number}" if self.name else number


def _sample(record: ContactRecord) -> Sample:
    return Sample(record.name, record.phone, dict(record.fields))


def _read_settings(ctx: AppContext) -> ComposeSettings:
    settings = Settings(ctx.db, ctx.actor)
    store = KeywordStore(ctx.db, ctx.actor)
    return ComposeSettings(
        signature=settings.get(SIGNATURE),
        position=settings.get(SIGNATURE_POSITION),
        unsubscribe=settings.get(UNSUBSCRIBE_SUFFIX),
        price_fen=settings.get(PRICE_PER_SEGMENT),
        timezone=settings.get(TIMEZONE),
        channels=tuple(c for c in Channels(ctx.db, ctx.actor).list() if c.enabled),
        fields=tuple(field_names(ctx.db)),
        matcher=store.matcher(),
    )


def _samples(book: ContactBook, recipients: Recipients, text: str = "") -> list[Sample]:
    """A few of the chosen recipients (matching `text` when given), for the preview."""
    found: list[Sample] = []
    seen: set[str] = set()

    def add(sample: Sample) -> None:
        if sample.phone not in seen and len(found) < PREVIEW_SAMPLES:
            seen.add(sample.phone)
            found.append(sample)

    for group in recipients.groups:
        try:
            group_id = book.group(group).id
        except UserError:
            continue  # deleted meanwhile
        for record in book.search(ContactQuery(text=text, group_id=group_id), limit=PREVIEW_SAMPLES):
            add(_sample(record))
    for contact_id in recipients.contacts[: PREVIEW_SAMPLES * 5]:
        try:
            record = book.get(contact_id)
        except UserError:
            continue
        if not text or text in record.name or text in record.phone:
            add(_sample(record))
    for raw in recipients.numbers[: PREVIEW_SAMPLES * 5]:
        if text and text not in raw:
            continue
        try:
            phone = parse_phone(raw).e164
        except PhoneError:
            continue  # the confirmation lists it as not a number
        known = book.find_phone(phone)
        add(_sample(known) if known is not None else Sample("", phone, {}))
    return found


def _default_name(template: str) -> str:
    """The start of the text, merge fields left out, as the campaign's name in lists."""
    try:
        plain = compile_template(template).render("", "", {}) if "{" in template else template
    except UserError:
        plain = template
    if plain is None:  # fields without defaults: drop them for the name
        plain = re.sub(r"\{[^{}]*\}", "", template)
    first = " ".join(plain.split())
    return first[:20] + ("…" if len(first) > 20 else "")


class ComposePage(Page):
    key = "compose"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.book = ContactBook(ctx.db, actor=ctx.actor)
        self.loaded: ComposeSettings | None = None
        self.zone = ZoneInfo("Asia/Shanghai")
        self.last_quote: Quote | None = None
        self._own_campaigns: Campaigns | None = None
        self._campaigns_lock = threading.Lock()
        self._sample_generation = 0
        self._balance_generation = 0
        self.available_fen: int | None = None
        # Replaceable so tests answer without modal dialogs.
        self.ask_confirm: Callable[[ConfirmDialog], bool] = lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted
        self.show_error: Callable[[QWidget, BaseException], None] = show_error

        self.recipients = RecipientsPanel(ctx, self)
        self.editor = TemplateEditor(self)
        self.when = WhenBox(self.zone, self)
        self.progress = ProgressPanel(ctx, self.campaigns, self.zone, self)
        self._build_actions()
        self._build_layout()

        self._samples_timer = QTimer(self, singleShot=True, interval=PREVIEW_SEARCH_MS)
        self._samples_timer.timeout.connect(self._load_samples)
        self.recipients.changed.connect(self._samples_timer.start)
        self.recipients.changed.connect(self._update_cost)
        self.recipients.counted.connect(lambda _n: self._update_cost())
        self.preview_search.textChanged.connect(lambda _t: self._samples_timer.start())
        self.editor.changed.connect(lambda _t: self._update_preview())
        self.editor.changed.connect(lambda _t: self._update_cost())
        self.preview_combo.currentIndexChanged.connect(lambda _i: self._update_preview())
        self.kind_group.idToggled.connect(lambda _id, on: on and self._kind_changed())
        self.channel_combo.currentIndexChanged.connect(lambda _i: self._read_balance())
        self.when.changed.connect(self._update_send_text)
        ctx.events.balance.connect(lambda _items: self._read_balance())
        self.progress.finished.connect(
            lambda c: self.say(self.tr("“%1”已发送完毕").replace("%1", c.name or f"#{c.id}"))
        )
        self._update_preview()
        self._update_send_text()
        self.reload()

    # -- building ------------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.send_action = QAction(icon("send"), self.tr("发送…"), self)
        self.send_action.setObjectName("send_action")
        self.send_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.send_action.setToolTip(self.tr("核对收件人、条数和费用后发送（Ctrl+Enter）"))
        self.send_action.triggered.connect(self.send)
        self.clear_action = QAction(icon("delete"), self.tr("清空"), self)
        self.clear_action.setToolTip(self.tr("清空收件人和短信内容"))
        self.clear_action.triggered.connect(self.clear)
        self.refresh_action = QAction(icon("refresh"), self.tr("刷新"), self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(self.reload)
        toolbar = QToolBar(self.tr("工具栏"), self)
        toolbar.setObjectName("compose_toolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.send_action)
        toolbar.addSeparator()
        toolbar.addAction(self.clear_action)
        toolbar.addAction(self.refresh_action)
        self.toolbar = toolbar

    def _build_layout(self) -> None:
        recipients_box = QGroupBox(self.tr("收件人"))
        QVBoxLayout(recipients_box).addWidget(self.recipients)

        settings_box = QGroupBox(self.tr("发送设置"))
        form = QFormLayout(settings_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.notice_radio = QRadioButton(self.tr("通知"), objectName="kind_notice")
        self.notice_radio.setToolTip(self.tr("工作通知：任何时间都可发送"))
        self.marketing_radio = QRadioButton(self.tr("营销"), objectName="kind_marketing")
        self.marketing_radio.setToolTip(self.tr("营销短信：只在允许的时段发送，并自动加上退订提示"))
        self.notice_radio.setChecked(True)
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.notice_radio, 0)
        self.kind_group.addButton(self.marketing_radio, 1)
        kinds = QHBoxLayout()
        kinds.addWidget(self.notice_radio)
        kinds.addWidget(self.marketing_radio)
        kinds.addStretch(1)
        form.addRow(self.tr("类型："), kinds)
        self.name_edit = QLineEdit(objectName="campaign_name")
        self.name_edit.setPlaceholderText(self.tr("任务名称（可不填，默认取短信开头）"))
        self.name_edit.setMaxLength(60)
        form.addRow(self.tr("名称："), self.name_edit)
        self.channel_combo = QComboBox(objectName="channel_choice")
        self.channel_combo.setToolTip(self.tr("经哪个通道发出"))
        form.addRow(self.tr("通道："), self.channel_combo)
        form.addRow(self.tr("时间："), self.when)
        self.cost_label = QLabel(objectName="cost_label")
        self.cost_label.setWordWrap(True)
        form.addRow(self.tr("费用："), self.cost_label)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(recipients_box, 1)
        left_layout.addWidget(settings_box)

        message_box = QGroupBox(self.tr("短信内容"))
        QVBoxLayout(message_box).addWidget(self.editor)

        preview_box = QGroupBox(self.tr("预览"))
        self.preview_combo = QComboBox(objectName="preview_recipient")
        self.preview_combo.setToolTip(self.tr("看看这位收件人收到的短信"))
        self.preview_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preview_combo.setMinimumContentsLength(16)
        self.preview_search = QLineEdit(objectName="preview_search")
        self.preview_search.setPlaceholderText(self.tr("在收件人中查找"))
        self.preview_search.setClearButtonEnabled(True)
        self.preview_label = QLabel(objectName="preview_text")
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview_label.setStyleSheet(
            "QLabel#preview_text { background: #f4f7fb; border: 1px solid #d5dde8; border-radius: 6px; padding: 6px; }"
        )
        self.preview_label.setMinimumHeight(54)
        self.preview_info = QLabel(objectName="preview_info")
        self.preview_info.setStyleSheet("color: #555;")
        picker = QHBoxLayout()
        picker.addWidget(QLabel(self.tr("收件人：")))
        picker.addWidget(self.preview_combo, 1)
        picker.addWidget(self.preview_search, 1)
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addLayout(picker)
        preview_layout.addWidget(self.preview_label, 1)
        preview_layout.addWidget(self.preview_info)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(message_box, 3)
        right_layout.addWidget(preview_box, 2)

        compose = QSplitter(Qt.Orientation.Horizontal, objectName="compose_splitter")
        compose.addWidget(left)
        compose.addWidget(right)
        compose.setStretchFactor(0, 2)
        compose.setStretchFactor(1, 3)
        compose.setChildrenCollapsible(False)

        progress_box = QGroupBox(self.tr("发送任务"))
        QVBoxLayout(progress_box).addWidget(self.progress)
        self.progress_box = progress_box

        outer = QSplitter(Qt.Orientation.Vertical, objectName="page_splitter")
        outer.addWidget(compose)
        outer.addWidget(progress_box)
        outer.setStretchFactor(0, 3)
        outer.setStretchFactor(1, 2)
        outer.setSizes([390, 300])
        outer.setChildrenCollapsible(False)
        self.splitter = outer

        # In a scroll area: the page has much to show, and must not keep a small window (or a laptop
        # screen) from being as small as the user wants; below its natural size it scrolls instead.
        scroll = QScrollArea(objectName="compose_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(outer)
        outer.setMinimumSize(outer.minimumSizeHint())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 6, 9, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(scroll, 1)

        # The order an office user works in: who, what, how it looks, then how it goes.
        chain = [
            self.recipients.tabs,
            self.editor.text_edit,
            self.editor.fields_button,
            self.preview_combo,
            self.preview_search,
            self.notice_radio,
            self.name_edit,
            self.channel_combo,
            self.when.now_radio,
            self.when.time_edit,
            self.when.repeat_combo,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- loading -------------------------------------------------------------------------------------

    def activate(self) -> None:
        if self.loaded is not None:
            self.reload()

    def reload(self) -> None:
        """Re-read the settings, channels, fields, keyword list and groups; refresh the progress panel."""
        ctx = self.ctx

        def read(_cancel: threading.Event, _progress: Progress) -> ComposeSettings:
            return _read_settings(ctx)

        ctx.worker.run(read, on_result=self._loaded, on_error=self._failed, owner=self, name="compose settings")
        self.recipients.load_groups()
        self.progress.refresh()

    def _loaded(self, loaded: ComposeSettings) -> None:
        self.loaded = loaded
        self.zone = ZoneInfo(loaded.timezone)
        self.when.zone = self.zone
        self.progress.campaigns_model.zone = self.zone
        self.progress.messages_model.zone = self.zone
        self.editor.set_fields(loaded.fields)
        self.editor.set_matcher(loaded.matcher)
        self._fill_channels(loaded.channels)
        self._kind_changed()
        self._read_balance()

    def _fill_channels(self, channels: tuple[ChannelInfo, ...]) -> None:
        current = self.channel_combo.currentData()
        self.channel_combo.blockSignals(True)
        try:
            self.channel_combo.clear()
            has_modem = any(c.kind == ChannelKind.MODEM for c in channels)
            has_gateway = any(c.kind == ChannelKind.GATEWAY for c in channels)
            self.channel_combo.addItem(self.tr("自动（短信猫优先，忙时经网关）"), "auto")
            if has_modem:
                self.channel_combo.addItem(self.tr("只用短信猫（猫池）"), "pool")
            if has_gateway:
                self.channel_combo.addItem(self.tr("只用短信网关"), "gateway")
            for c in channels:
                kind = self.tr("短信猫") if c.kind == ChannelKind.MODEM else self.tr("网关")
                self.channel_combo.addItem(
                    self.tr("只用 %1（%2）").replace("%1", c.name).replace("%2", kind), f"channel:{c.id}"
                )
            index = self.channel_combo.findData(current)
            self.channel_combo.setCurrentIndex(max(index, 0))
        finally:
            self.channel_combo.blockSignals(False)

    def _failed(self, exc: BaseException) -> None:
        self.show_error(self, exc)

    def campaigns(self) -> Campaigns:
        """The running service's campaigns (queuing wakes its dispatcher), else our own (the messages wait
        in the queue until the service runs). Called on worker threads."""
        service = self.ctx.service
        if service is not None:
            return service.campaigns
        with self._campaigns_lock:
            if self._own_campaigns is None:
                from smsjingling.sending.campaigns import Campaigns

                self._own_campaigns = Campaigns(self.ctx.db, self.ctx.actor)
            return self._own_campaigns

    # -- the message, as sent ------------------------------------------------------------------------

    def kind(self) -> CampaignKind:
        return CampaignKind.MARKETING if self.marketing_radio.isChecked() else CampaignKind.NOTICE

    def decoration(self) -> Decoration | None:
        loaded = self.loaded
        if loaded is None:
            return None
        unsubscribe = loaded.unsubscribe if self.kind() is CampaignKind.MARKETING else ""
        try:
            return decoration(loaded.signature, loaded.position, unsubscribe)
        except UserError:
            return None  # no signature yet: the preview says so

    def composer(self) -> Composer:
        """A composer for the current text; raises the core's UserError (no signature, a stray brace ...)."""
        loaded = self.loaded
        if loaded is None:
            raise RuntimeError("settings not read yet")
        unsubscribe = loaded.unsubscribe if self.kind() is CampaignKind.MARKETING else ""
        return Composer(
            self.editor.text(),
            signature=loaded.signature,
            position=loaded.position,
            unsubscribe=unsubscribe,
            price_per_segment_fen=loaded.price_fen,
        )

    def _kind_changed(self) -> None:
        self.editor.set_decoration(self.decoration())
        self._update_preview()
        self._update_cost()

    # -- preview -------------------------------------------------------------------------------------

    def _load_samples(self) -> None:
        self._sample_generation += 1
        generation, book = self._sample_generation, self.book
        recipients, text = self.recipients.recipients(), self.preview_search.text().strip()

        def read(_cancel: threading.Event, _progress: Progress) -> list[Sample]:
            return _samples(book, recipients, text)

        self.ctx.worker.run(
            read, on_result=lambda s: self._samples_arrived(generation, s), owner=self, name="preview samples"
        )

    def _samples_arrived(self, generation: int, samples: list[Sample]) -> None:
        if generation != self._sample_generation:
            return
        current = self.preview_combo.currentData()
        self.preview_combo.blockSignals(True)
        try:
            self.preview_combo.clear()
            for sample in samples:
                self.preview_combo.addItem(sample.label(), sample)
            keep = next((i for i, s in enumerate(samples) if current is not None and s.phone == current.phone), 0)
            self.preview_combo.setCurrentIndex(keep if samples else -1)
        finally:
            self.preview_combo.blockSignals(False)
        self._update_preview()

    def _update_preview(self) -> None:
        text = self.editor.text()
        sample: Sample | None = self.preview_combo.currentData()
        self.preview_info.clear()
        if not text.strip():
            self.preview_label.setText(self.tr("输入短信内容后，这里显示收件人收到的样子。"))
            return
        if self.loaded is None:
            self.preview_label.setText(self.tr("正在读取设置…"))
            return
        try:
            composer = self.composer()
        except UserError as exc:
            self.preview_label.setText(exc.message())
            return
        if sample is None:
            if composer.fixed:
                result = composer.render("", "", {})
            else:
                self.preview_label.setText(self.tr("选择收件人后，这里显示合并字段换成其内容后的短信。"))
                return
        else:
            result = composer.render(sample.name, sample.phone, sample.fields)
        if isinstance(result, Rendered):
            self.preview_label.setText(result.text)
            encoding = "GSM-7" if result.encoding == "gsm7" else "UCS2"
            self.preview_info.setText(
                self.tr("%1 字 · %2 · %3 条 · ¥%4")
                .replace("%1", str(len(result.text)))
                .replace("%2", encoding)
                .replace("%3", str(result.segments))
                .replace("%4", yuan(result.price_fen))
            )
        else:
            self.preview_label.setText(self.tr("这位收件人不会收到短信：%1").replace("%1", result.message()))

    # -- cost ----------------------------------------------------------------------------------------

    def policy(self) -> str:
        return self.channel_combo.currentData() or "auto"

    def _read_balance(self) -> None:
        self._balance_generation += 1
        generation, db, policy, actor = self._balance_generation, self.ctx.db, self.policy(), self.ctx.actor

        def read(_cancel: threading.Event, _progress: Progress) -> int | None:
            from smsjingling.sending import billing

            ledger = billing.ledger_for_policy(db, policy, actor)
            return ledger.available() if ledger is not None else None

        def arrived(available: int | None) -> None:
            if generation == self._balance_generation:
                self.available_fen = available
                self._update_cost()

        self.ctx.worker.run(read, on_result=arrived, on_error=self._failed, owner=self, name="compose balance")

    def _update_cost(self) -> None:
        loaded = self.loaded
        counted: RecipientCount | None = self.recipients.last_count
        counter = getattr(self.editor, "counted", None)
        if loaded is None or counted is None or counter is None or not self.editor.text().strip():
            text = self.tr("选择收件人并输入内容后估算")
        else:
            fen = counted.people * counter.segments * loaded.price_fen
            text = (
                self.tr("约 %1 位 × %2 条 × ¥%3 = ¥%4")
                .replace("%1", f"{counted.people:,}")
                .replace("%2", str(counter.segments))
                .replace("%3", yuan(loaded.price_fen))
                .replace("%4", yuan(fen))
            )
            if self.available_fen is not None:
                text += self.tr("；可用余额 ¥%1").replace("%1", yuan(self.available_fen))
                if fen > self.available_fen:
                    text += self.tr("（余额不足）")
        if self.available_fen is not None and counted is None:
            text += self.tr("（可用余额 ¥%1）").replace("%1", yuan(self.available_fen))
        self.cost_label.setText(text)

    def _update_send_text(self) -> None:
        text = self.tr("发送…") if self.when.mode() == When.NOW else self.tr("定时发送…")
        self.send_action.setText(text)

    # -- sending -------------------------------------------------------------------------------------

    def request(self) -> CampaignRequest:
        recurrence = self.when.recurrence()
        from smsjingling.sending.campaigns import CampaignRequest

        return CampaignRequest(
            name=self.name_edit.text().strip() or _default_name(self.editor.text()),
            template=self.editor.text(),
            recipients=self.recipients.recipients(),
            kind=self.kind(),
            channel_policy=self.policy(),
            start_at=self.when.start_at(),
            recurrence=recurrence.rule if recurrence is not None else "",
        )

    def send(self) -> None:
        """Work out the figures in the background, show the confirmation, queue only on 确认发送."""
        if self.recipients.empty():
            self.say(self.tr("请先选择收件人"))
            self.recipients.tabs.setFocus()
            return
        if not self.editor.text().strip():
            self.say(self.tr("请先输入短信内容"))
            self.editor.text_edit.setFocus()
            return
        request = self.request()
        self.send_action.setEnabled(False)
        self.say(self.tr("正在核对收件人和费用…"))

        def work(_cancel: threading.Event, _progress: Progress) -> Quote:
            with responsiveness.paused():
                return quote(self.campaigns(), request)

        self.ctx.worker.run(
            work,
            on_result=lambda q: self._quoted(request, q),
            on_error=self._send_failed,
            owner=self,
            name="compose quote",
        )

    def _quoted(self, request: CampaignRequest, figures: Quote) -> None:
        self.last_quote = figures
        dialog = ConfirmDialog(
            figures,
            channel=self.channel_combo.currentText(),
            when=self.when.text(),
            kind=self.marketing_radio.text() if self.kind() is CampaignKind.MARKETING else self.notice_radio.text(),
            parent=self,
        )
        try:
            confirmed = self.ask_confirm(dialog) and figures.refusal is None
        finally:
            dialog.deleteLater()
        if not confirmed:
            self.send_action.setEnabled(True)
            self.say(self.tr("未发送"))
            return
        self.say(self.tr("正在排队…"))

        def work(_cancel: threading.Event, _progress: Progress) -> int:
            with responsiveness.paused():
                return self.campaigns().create(request)

        self.ctx.worker.run(
            work,
            on_result=lambda cid: self._queued(request, cid),
            on_error=self._send_failed,
            owner=self,
            name="compose create",
        )

    def _queued(self, request: CampaignRequest, campaign_id: int) -> None:
        self.send_action.setEnabled(True)
        responsiveness.settle()  # before minutes of sending: see responsiveness.py
        if request.start_at is None and not request.recurrence:
            self.say(self.tr("已开始发送"))
        else:
            self.say(self.tr("已安排：%1").replace("%1", self.when.text()))
        self.progress.select_campaign(campaign_id)

    def _send_failed(self, exc: BaseException) -> None:
        self.send_action.setEnabled(True)
        self.say(self.tr("未发送"))
        self.show_error(self, exc)

    def clear(self) -> None:
        self.recipients.clear()
        self.editor.set_text("")
        self.name_edit.clear()
        self.when.set_mode(When.NOW)
        self.notice_radio.setChecked(True)

    # -- the window's questions ----------------------------------------------------------------------

    def busy(self) -> bool:
        return self.progress.campaigns_model.any_running()
