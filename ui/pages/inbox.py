"""收件箱: replies threaded by who sent them.

Left: the conversations, the latest reply first, with their unread counts; a search over names and numbers
and "只看未读". Right: the chosen conversation as a chat (their replies on the left, what we sent them on the
right), whether the number is on the opt-out list and which reply put it there, and a box to answer. An
answer is an ordinary one-recipient send through the core (signature, banned words, opt-outs and caps all
apply), so it is in the send record like any other. Opening a conversation marks its replies read.

New replies (ctx.events.inbound) refresh both sides; the status of an answer just sent follows the core's
message events.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from smsjingling.contacts.export import national
from smsjingling.records.labels import campaign_label
from smsjingling.records.period import user_zone, wall_time
from smsjingling.replies.senders import normalize_sender
from smsjingling.replies.threads import (
    Conversation,
    ConversationKey,
    ConversationQuery,
    Conversations,
    Thread,
    optout_reason_text,
)
from smsjingling.sending.campaigns import CampaignRequest, Campaigns
from smsjingling.sending.expand import Recipients
from smsjingling.storage.sending import MessageStatus
from ui.context import AppContext
from ui.errors import show_error
from ui.icons import icon
from ui.inbox_delegates import BubbleDelegate, ConversationDelegate, who
from ui.inbox_model import ConversationsModel, ThreadModel
from ui.pages.base import Page
from ui.views import page_toolbar
from ui.worker import Progress

SEARCH_DELAY_MS = 250
FOLLOW_MS = 600  # re-read an open thread at most this often while its answers are on their way
UNSETTLED = frozenset({MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT})


class InboxPage(Page):
    key = "inbox"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.db = ctx.db
        self.worker = ctx.worker
        self.inbox = Conversations(ctx.db)
        self.tz = user_zone(ctx.db)
        self.current_key: ConversationKey | None = None
        self._thread_generation = 0
        self._dirty = False

        self.model = ConversationsModel(self.inbox, self.worker, self)
        self.thread_model = ThreadModel(self)
        self._build_actions()
        self._build_central()

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self._follow_timer = QTimer(self, singleShot=True, interval=FOLLOW_MS)
        self._follow_timer.timeout.connect(self.reload_thread)

        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.unread_only.toggled.connect(lambda _on: self.apply_filter())
        self.model.total_changed.connect(self._show_count)
        self.model.load_failed.connect(lambda exc: show_error(self, exc))
        self.model.reloaded.connect(self._put_back_current)
        self.list.selectionModel().currentChanged.connect(lambda current, _previous: self._chosen(current.row()))
        self.reply_box.textChanged.connect(self._update_reply)

        ctx.events.inbound.connect(self._inbound)
        ctx.events.messages.connect(self._messages)

        self.model.reset()
        self._show_thread(None)

    # -- building --------------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        self.refresh_action = QAction(icon("refresh"), self.tr("刷新"), self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.setToolTip(self.tr("重新读取收到的短信 (F5)"))
        self.refresh_action.triggered.connect(self.refresh)

        self.all_read_action = QAction(icon("read"), self.tr("全部标为已读"), self)
        self.all_read_action.setToolTip(self.tr("把所有未读回复标为已读"))
        self.all_read_action.triggered.connect(self.mark_all_read)

        self.send_action = QAction(icon("send"), self.tr("发送回复"), self)
        self.send_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.send_action.setToolTip(self.tr("把回复发给对方 (Ctrl+Enter)"))
        self.send_action.triggered.connect(self.send_reply)

        for action in (self.refresh_action, self.send_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

        toolbar = page_toolbar(self.tr("工具栏"), "inbox_toolbar", self)
        toolbar.addAction(self.refresh_action)
        toolbar.addAction(self.all_read_action)
        self.toolbar = toolbar

    def _build_central(self) -> None:
        self.search_box = QLineEdit()
        self.search_box.setObjectName("inbox_search")
        self.search_box.setPlaceholderText(self.tr("搜索姓名或号码"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.unread_only = QCheckBox(self.tr("只看未读"))
        self.unread_only.setObjectName("unread_only")

        self.list = QListView()
        self.list.setObjectName("conversations")
        self.list.setModel(self.model)
        self.list.setItemDelegate(ConversationDelegate(lambda: self.tz, {"opted_out": self.tr("已退订")}, self.list))
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setMinimumWidth(240)
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(6)
        row = QHBoxLayout()
        row.addWidget(self.search_box, 1)
        row.addWidget(self.unread_only)
        left_layout.addLayout(row)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.count_label)

        self.title = QLabel()
        self.title.setObjectName("thread_title")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.optout_label = QLabel()
        self.optout_label.setObjectName("optout_label")
        self.optout_label.setWordWrap(True)

        self.thread_view = QListView()
        self.thread_view.setObjectName("thread")
        self.thread_view.setModel(self.thread_model)
        self.thread_view.setItemDelegate(
            BubbleDelegate(
                lambda: self.tz,
                {
                    "unsubscribed": self.tr("退订"),
                    "incomplete": self.tr("部分分段未收到"),
                    "reply_to": self.tr("回复“%1”"),
                },
                self.thread_view,
            )
        )
        # Bubbles re-wrap when the view is resized.
        self.thread_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.thread_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.thread_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.thread_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.thread_view.setWordWrap(True)
        self.truncated_label = QLabel(self.tr("只显示最近的消息；更早的请在发送记录中查看。"))
        self.truncated_label.setObjectName("truncated_label")
        self.truncated_label.setVisible(False)

        self.reply_box = QPlainTextEdit()
        self.reply_box.setObjectName("reply_box")
        self.reply_box.setPlaceholderText(self.tr("输入回复内容，按 Ctrl+Enter 发送（会自动加上签名）"))
        self.reply_box.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 16)
        self.reply_box.setTabChangesFocus(True)
        self.send_button = QPushButton(icon("send"), self.tr("发送"))
        self.send_button.setObjectName("send_reply")
        self.send_button.setToolTip(self.send_action.toolTip())
        self.send_button.clicked.connect(self.send_reply)
        self.reply_hint = QLabel()
        self.reply_hint.setObjectName("reply_hint")
        reply_row = QHBoxLayout()
        reply_row.addWidget(self.reply_box, 1)
        reply_row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(6)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.optout_label)
        right_layout.addWidget(self.truncated_label)
        right_layout.addWidget(self.thread_view, 1)
        right_layout.addWidget(self.reply_hint)
        right_layout.addLayout(reply_row)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 700])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 6, 9, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.search_box, self.unread_only)
        self.setTabOrder(self.unread_only, self.list)
        self.setTabOrder(self.list, self.thread_view)
        self.setTabOrder(self.thread_view, self.reply_box)
        self.setTabOrder(self.reply_box, self.send_button)

    # -- the page's hooks ------------------------------------------------------------------------------

    def activate(self) -> None:
        if self._dirty:
            self._dirty = False
            self.refresh()

    # -- conversations ----------------------------------------------------------------------------------

    def apply_filter(self) -> None:
        self._search_timer.stop()
        query = ConversationQuery(unread=self.unread_only.isChecked(), text=self.search_box.text().strip())
        if query != self.model.query:
            self.model.set_query(query)

    def refresh(self) -> None:
        self.model.refresh()
        self.reload_thread()

    def _show_count(self, total: int) -> None:
        query = self.model.query
        if query.text or query.unread:
            self.count_label.setText(self.tr("找到 %1 个会话").replace("%1", f"{total:,}"))
        else:
            self.count_label.setText(self.tr("共 %1 个会话").replace("%1", f"{total:,}"))

    def _put_back_current(self) -> None:
        if self.current_key is None:
            return
        row = self.model.row_of(self.current_key)
        selection = self.list.selectionModel()
        selection.blockSignals(True)  # putting it back is not choosing it again
        try:
            if row is not None:
                selection.setCurrentIndex(self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            selection.blockSignals(False)

    def _chosen(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            return
        conversation = self.model.conversation(row)
        self.open_conversation(conversation)

    def open_conversation(self, conversation: Conversation) -> None:
        changed = conversation.key != self.current_key
        self.current_key = conversation.key
        if changed:
            self.reply_box.clear()
            self.thread_model.set_thread(None)
        self.reload_thread(scroll_to_end=True)
        if conversation.unread:
            inbox, key = self.inbox, conversation.key
            self.worker.run(
                lambda _cancel, _progress: inbox.mark_read(key),
                on_result=lambda _ids: self.model.mark_read_locally(key),
                on_error=lambda exc: show_error(self, exc),
                owner=self,
                name="mark read",
            )

    def mark_all_read(self) -> None:
        inbox = self.inbox
        self.worker.run(
            lambda _cancel, _progress: inbox.mark_all_read(),
            on_result=lambda count: (
                self.say(self.tr("已将 %1 条回复标为已读").replace("%1", str(count))),
                self.model.refresh(),
            ),
            on_error=lambda exc: show_error(self, exc),
            owner=self,
            name="mark all read",
        )

    # -- the thread --------------------------------------------------------------------------------------

    def reload_thread(self, *, scroll_to_end: bool = False) -> None:
        key = self.current_key
        if key is None:
            return
        self._thread_generation += 1
        generation = self._thread_generation
        bar = self.thread_view.verticalScrollBar()
        at_end = scroll_to_end or bar.value() >= bar.maximum() - 4
        inbox = self.inbox

        def read(_cancel: threading.Event, _progress: Progress) -> Thread:
            return inbox.thread(key)

        self.worker.run(
            read,
            on_result=lambda thread: self._thread_arrived(generation, thread, at_end),
            on_error=lambda exc: self._thread_failed(generation, exc),
            owner=self,
            name="thread",
        )

    def _thread_arrived(self, generation: int, thread: Thread, at_end: bool) -> None:
        if generation != self._thread_generation or thread.key != self.current_key:
            return
        self._show_thread(thread)
        if at_end:
            self.thread_view.scrollToBottom()
            # The bubbles' heights are known once laid out: scroll again after the layout.
            QTimer.singleShot(0, self.thread_view, self.thread_view.scrollToBottom)

    def _thread_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._thread_generation:
            return
        self.current_key = None
        self._show_thread(None)
        show_error(self, exc)

    def _show_thread(self, thread: Thread | None) -> None:
        self.thread_model.set_thread(thread)
        self.truncated_label.setVisible(bool(thread and thread.truncated))
        if thread is None:
            self.title.setText(self.tr("请在左侧选择一个会话"))
            self.optout_label.setText("")
            self._update_reply()
            return
        number = national(thread.phone)
        self.title.setText(f"{thread.name}　{number}" if thread.name else number)
        self.title.setToolTip(thread.phone)
        if thread.optout is not None:
            cause = next((i for i in thread.items if i.incoming and i.id == thread.optout.source_message_id), None)
            text = (
                self.tr("已退订：%1，%2。群发短信不会再发给这个号码。")
                .replace("%1", optout_reason_text(thread.optout.reason))
                .replace("%2", wall_time(thread.optout.at, self.tz).strftime("%Y-%m-%d %H:%M"))
            )
            if cause is not None:
                text += self.tr("（由回复“%1”退订，已在下方标出）").replace("%1", cause.text)
            self.optout_label.setText(text)
            self.optout_label.setStyleSheet("color: #b3261e;")
        else:
            self.optout_label.setText(self.tr("未退订"))
            self.optout_label.setStyleSheet("color: palette(mid);")
        self._update_reply()

    def can_reply(self) -> tuple[bool, str]:
        """Whether an answer can go to the open conversation, and if not, why (shown under the thread)."""
        thread = self.thread_model.thread
        if thread is None:
            return False, ""
        if thread.optout is not None:
            return False, self.tr("对方已退订，不能再给这个号码发短信。")
        if thread.key.contact_id is None and not normalize_sender(thread.phone).is_phone:
            return False, self.tr("这是服务号码或短号，不能回复。")
        return True, ""

    def _update_reply(self) -> None:
        allowed, why = self.can_reply()
        self.reply_box.setEnabled(allowed)
        self.reply_hint.setText(why)
        self.reply_hint.setVisible(bool(why))
        has_text = bool(self.reply_box.toPlainText().strip())
        self.send_button.setEnabled(allowed and has_text)
        self.send_action.setEnabled(allowed and has_text)

    # -- answering ---------------------------------------------------------------------------------------

    def campaigns(self) -> Campaigns:
        """The running service's campaigns (they wake the dispatcher), else a plain one: the answer waits in
        the queue until the service runs."""
        service = self.ctx.service
        return service.campaigns if service is not None else Campaigns(self.db, self.ctx.actor)

    def send_reply(self) -> None:
        thread = self.thread_model.thread
        text = self.reply_box.toPlainText().strip()
        allowed, _why = self.can_reply()
        if thread is None or not text or not allowed:
            return
        recipients = (
            Recipients(contacts=(thread.key.contact_id,))
            if thread.key.contact_id is not None
            else Recipients(numbers=(thread.phone,))
        )
        name = self.tr("回复 %1").replace("%1", thread.name or national(thread.phone))
        request = CampaignRequest(text, recipients, name=name)
        campaigns = self.campaigns()
        self.send_button.setEnabled(False)
        self.worker.run(
            lambda _cancel, _progress: campaigns.create(request),
            on_result=self._reply_queued,
            on_error=self._reply_failed,
            owner=self,
            name="reply",
        )

    def _reply_queued(self, campaign_id: int) -> None:
        self.reply_box.clear()
        self.say(self.tr("回复已排队发送（%1）").replace("%1", campaign_label("", campaign_id)))
        self.reload_thread(scroll_to_end=True)

    def _reply_failed(self, exc: BaseException) -> None:
        self._update_reply()
        show_error(self, exc)

    # -- live ------------------------------------------------------------------------------------------------

    def _inbound(self, _items: list[dict[str, Any]]) -> None:
        if not self.isVisible():
            self._dirty = True
            return
        self.refresh()

    def _messages(self, items: list[dict[str, Any]]) -> None:
        thread = self.thread_model.thread
        if thread is None or not self.isVisible():
            return
        # An answer on its way changes status without saying which conversation it belongs to: follow the
        # open thread while any of its messages is unsettled, at most every FOLLOW_MS.
        waiting = any(not i.incoming and i.status in UNSETTLED for i in thread.items)
        if waiting and items and not self._follow_timer.isActive():
            self._follow_timer.start()

    def conversation_titles(self) -> list[str]:
        """What the list shows, top down (for tests and screen readers)."""
        return [who(self.model.conversation(r)) for r in range(self.model.rowCount())]
