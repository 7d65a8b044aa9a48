"""Who a message goes to: groups (ticked, with their member counts), single contacts found by a search, and
numbers pasted from anywhere (one a line, or separated by commas or spaces).

The summary under the tabs is immediate (groups' sizes added up); a moment after the choice stops changing,
the background worker counts the different people it reaches (a contact in two groups counts once).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.export import national
from smsjingling.contacts.records import ContactRecord, GroupRecord
from smsjingling.contacts.search import ContactQuery
from smsjingling.sending.expand import Recipients
from smsjingling.sending.quote import RecipientCount, count_recipients
from ui.context import AppContext
from ui.worker import Progress

SEARCH_DELAY_MS = 250
COUNT_DELAY_MS = 400
SEARCH_LIMIT = 50
ID_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
MEMBERS_ROLE = Qt.ItemDataRole.UserRole + 2


def contact_text(record: ContactRecord) -> str:
    number = national(record.phone, record.sms_capable)
    return f"{record.name}  {number}" if record.name else number


class RecipientsPanel(QWidget):
    changed = Signal()
    # the different people the current choice reaches, once counted (RecipientCount)
    counted = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.book = ContactBook(ctx.db, actor=ctx.actor)
        self.last_count: RecipientCount | None = None
        self._search_generation = 0
        self._count_generation = 0

        self.tabs = QTabWidget(objectName="recipient_tabs")
        self.group_list = QListWidget(objectName="group_choice")
        self.group_list.setToolTip(self.tr("勾选要发送的分组"))
        self.tabs.addTab(self.group_list, self.tr("分组"))

        contacts = QWidget()
        self.search_box = QLineEdit(objectName="contact_search")
        self.search_box.setPlaceholderText(self.tr("按姓名或号码查找联系人"))
        self.search_box.setClearButtonEnabled(True)
        self.found_list = QListWidget(objectName="found_contacts")
        self.found_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.found_list.setToolTip(self.tr("双击或按“添加”加入收件人"))
        self.add_button = QPushButton(self.tr("添加"), objectName="add_contact")
        self.chosen_list = QListWidget(objectName="chosen_contacts")
        self.chosen_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.remove_button = QPushButton(self.tr("移除"), objectName="remove_contact")
        found_row = QHBoxLayout()
        found_row.addWidget(self.found_list, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        found_row.addLayout(buttons)
        found_row.addWidget(self.chosen_list, 1)
        contacts_layout = QVBoxLayout(contacts)
        contacts_layout.setContentsMargins(6, 6, 6, 6)
        contacts_layout.addWidget(self.search_box)
        contacts_layout.addLayout(found_row, 1)
        self.tabs.addTab(contacts, self.tr("联系人"))

        self.numbers_edit = QPlainTextEdit(objectName="pasted_numbers")
        self.numbers_edit.setPlaceholderText(self.tr("粘贴手机号码：每行一个，或用逗号、空格分隔"))
        self.numbers_edit.setTabChangesFocus(True)
        self.tabs.addTab(self.numbers_edit, self.tr("粘贴号码"))

        self.summary_label = QLabel(objectName="recipients_summary")
        self.summary_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.summary_label)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search)
        self._count_timer = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_box.returnPressed.connect(self.search)
        self.found_list.itemDoubleClicked.connect(lambda _item: self.add_found())
        self.add_button.clicked.connect(self.add_found)
        self.remove_button.clicked.connect(self.remove_chosen)
        self.chosen_list.itemDoubleClicked.connect(lambda _item: self.remove_chosen())
        self.group_list.itemChanged.connect(lambda _item: self._choice_changed())
        self.numbers_edit.textChanged.connect(self._choice_changed)
        self._choice_changed()

    # -- the choice ----------------------------------------------------------------------------------

    def recipients(self) -> Recipients:
        return Recipients(
            groups=tuple(self.chosen_groups()),
            contacts=tuple(self.chosen_contact_ids()),
            numbers=Recipients.split_numbers(self.numbers_edit.toPlainText()),
        )

    def chosen_groups(self) -> list[str]:
        return [
            item.data(NAME_ROLE)
            for i in range(self.group_list.count())
            if (item := self.group_list.item(i)).checkState() == Qt.CheckState.Checked
        ]

    def chosen_contact_ids(self) -> list[int]:
        return [self.chosen_list.item(i).data(ID_ROLE) for i in range(self.chosen_list.count())]

    def empty(self) -> bool:
        r = self.recipients()
        return not (r.groups or r.contacts or r.numbers)

    def set_group_checked(self, name: str, checked: bool = True) -> None:
        for i in range(self.group_list.count()):
            item = self.group_list.item(i)
            if item.data(NAME_ROLE) == name:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def clear(self) -> None:
        self.group_list.blockSignals(True)
        for i in range(self.group_list.count()):
            self.group_list.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.group_list.blockSignals(False)
        self.chosen_list.clear()
        self.numbers_edit.clear()
        self._choice_changed()

    # -- groups --------------------------------------------------------------------------------------

    def load_groups(self) -> None:
        book = self.book

        def read(_cancel: threading.Event, _progress: Progress) -> list[GroupRecord]:
            return book.groups()

        self.ctx.worker.run(read, on_result=self._groups_arrived, owner=self, name="compose groups")

    def _groups_arrived(self, groups: list[GroupRecord]) -> None:
        chosen = set(self.chosen_groups())
        self.group_list.blockSignals(True)
        try:
            self.group_list.clear()
            for group in groups:
                label = self.tr("%1（%2 人）").replace("%1", group.name).replace("%2", f"{group.members:,}")
                item = QListWidgetItem(label)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if group.name in chosen else Qt.CheckState.Unchecked)
                item.setData(ID_ROLE, group.id)
                item.setData(NAME_ROLE, group.name)
                item.setData(MEMBERS_ROLE, group.members)
                if group.note:
                    item.setToolTip(group.note)
                self.group_list.addItem(item)
        finally:
            self.group_list.blockSignals(False)
        if not groups:
            item = QListWidgetItem(self.tr("通讯录中还没有分组"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.group_list.addItem(item)
        self._choice_changed()

    # -- single contacts -----------------------------------------------------------------------------

    def search(self) -> None:
        self._search_timer.stop()
        text = self.search_box.text().strip()
        self._search_generation += 1
        generation = self._search_generation
        if not text:
            self.found_list.clear()
            return
        book = self.book

        def read(_cancel: threading.Event, _progress: Progress) -> list[ContactRecord]:
            return book.search(ContactQuery(text=text), limit=SEARCH_LIMIT)

        self.ctx.worker.run(
            read, on_result=lambda rows: self._found(generation, rows), owner=self, name="compose contact search"
        )

    def _found(self, generation: int, rows: list[ContactRecord]) -> None:
        if generation != self._search_generation:
            return
        self.found_list.clear()
        palette = self.palette()
        grey = palette.color(palette.ColorGroup.Disabled, palette.ColorRole.Text)
        for record in rows:
            item = QListWidgetItem(contact_text(record))
            item.setData(ID_ROLE, record.id)
            if record.opted_out or not record.sms_capable:
                item.setForeground(grey)
                item.setToolTip(self.tr("已退订") if record.opted_out else self.tr("不是手机号，不能接收短信"))
            self.found_list.addItem(item)
        if rows:
            self.found_list.setCurrentRow(0)

    def add_found(self) -> None:
        have = set(self.chosen_contact_ids())
        current = self.found_list.currentItem()
        items = self.found_list.selectedItems() or ([current] if current is not None else [])
        for item in items:
            if item.data(ID_ROLE) not in have:
                chosen = QListWidgetItem(item.text())
                chosen.setData(ID_ROLE, item.data(ID_ROLE))
                self.chosen_list.addItem(chosen)
                have.add(item.data(ID_ROLE))
        self._choice_changed()

    def remove_chosen(self) -> None:
        for item in self.chosen_list.selectedItems():
            self.chosen_list.takeItem(self.chosen_list.row(item))
        self._choice_changed()

    # -- the summary ---------------------------------------------------------------------------------

    def _choice_changed(self) -> None:
        recipients = self.recipients()
        members = sum(
            self.group_list.item(i).data(MEMBERS_ROLE) or 0
            for i in range(self.group_list.count())
            if self.group_list.item(i).checkState() == Qt.CheckState.Checked
        )
        parts = []
        if recipients.groups:
            parts.append(
                self.tr("%1 个分组（%2 人）").replace("%1", str(len(recipients.groups))).replace("%2", f"{members:,}")
            )
        if recipients.contacts:
            parts.append(self.tr("%1 位联系人").replace("%1", str(len(recipients.contacts))))
        if recipients.numbers:
            parts.append(self.tr("%1 个号码").replace("%1", str(len(recipients.numbers))))
        self.last_count = None
        self._count_generation += 1
        if not parts:
            self.summary_label.setText(self.tr("尚未选择收件人"))
            self._count_timer.stop()
        else:
            self.summary_label.setText(self.tr("已选：%1").replace("%1", "，".join(parts)))
            self._count_timer.start()
        self.changed.emit()

    def _count(self) -> None:
        generation, db, recipients = self._count_generation, self.ctx.db, self.recipients()
        if not (recipients.groups or recipients.contacts or recipients.numbers):
            return

        def read(_cancel: threading.Event, _progress: Progress) -> RecipientCount:
            return count_recipients(db, recipients)

        self.ctx.worker.run(
            read, on_result=lambda n: self._counted(generation, n), owner=self, name="compose recipient count"
        )

    def _counted(self, generation: int, counted: RecipientCount) -> None:
        if generation != self._count_generation:
            return
        self.last_count = counted
        text = self.summary_label.text() + self.tr("；去重后共 %1 位收件人").replace("%1", f"{counted.people:,}")
        if counted.invalid:
            text += self.tr("，%1 个号码无效").replace("%1", str(counted.invalid))
        self.summary_label.setText(text)
        self.counted.emit(counted)
