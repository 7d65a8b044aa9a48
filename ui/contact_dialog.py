"""Adding or editing one contact: name, number, groups, extra fields, note, consent and opt-out.

The number is checked as it is typed by the core's own parser (no database involved, microseconds), so
the message under it is the one an import would give for the same cell; whether another contact holds the
number is only known to the book and is said when saving. Saving runs in the background worker and ends
the dialog only when the book has accepted the change.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smsjingling import messages
from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.export import national
from smsjingling.contacts.labels import optout_reason_text, optout_reasons
from smsjingling.contacts.records import ContactDraft, ContactRecord, OptOutRecord
from smsjingling.errors import UserError, ValidationError
from smsjingling.importer.columns import STANDARD_FIELDS
from smsjingling.phones import PhoneError, parse_phone
from smsjingling.phones.carrier import Carrier
from ui.errors import show_error
from ui.icons import icon
from ui.worker import Progress, Task, Worker

log = logging.getLogger(__name__)

NOTE_FIELD = "备注"  # the note is the 备注 field an import fills, shown in a box of its own
ERROR_STYLE = "color: #c0392b;"
HINT_STYLE = "color: palette(placeholder-text);"


class ContactDialog(QDialog):
    """`saved` carries the ContactRecord the book returned."""

    saved = Signal(object)

    def __init__(
        self,
        book: ContactBook,
        worker: Worker,
        groups: Sequence[str],
        parent: QWidget | None = None,
        *,
        record: ContactRecord | None = None,
        optout: OptOutRecord | None = None,
        preset_groups: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.worker = worker
        self.record = record
        self.task: Task | None = None
        self.setWindowTitle(self.tr("编辑联系人") if record else self.tr("新建联系人"))
        self.setMinimumWidth(600)

        self.name_edit = QLineEdit(record.name if record else "")
        self.name_edit.setObjectName("name_edit")
        self.name_edit.setMaxLength(200)
        self.phone_edit = QLineEdit(national(record.phone, record.sms_capable) if record else "")
        self.phone_edit.setObjectName("phone_edit")
        self.phone_edit.setPlaceholderText(self.tr("如 13800138000 或 010-88886666"))
        self.phone_hint = QLabel()
        self.phone_hint.setObjectName("phone_hint")
        self.phone_hint.setWordWrap(True)
        # As wide as the fields above it: a wrapping label otherwise asks for a narrow column of its own.
        self.phone_hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

        self.group_list = QListWidget()
        self.group_list.setObjectName("group_list")
        self.group_list.setMaximumHeight(110)
        chosen = set(record.groups if record else preset_groups)
        for name in sorted({*groups, *chosen}):
            self._add_group_item(name, name in chosen)
        self.new_group_edit = QLineEdit()
        self.new_group_edit.setPlaceholderText(self.tr("新分组名称"))
        self.new_group_button = QPushButton(icon("add"), self.tr("添加分组"))
        self.new_group_button.setToolTip(self.tr("新建一个分组并把此联系人加入其中"))
        self.new_group_button.clicked.connect(self._add_new_group)
        self.new_group_edit.returnPressed.connect(self._add_new_group)
        new_group_row = QHBoxLayout()
        new_group_row.addWidget(self.new_group_edit, 1)
        new_group_row.addWidget(self.new_group_button)

        self.fields_table = QTableWidget(0, 2)
        self.fields_table.setObjectName("fields_table")
        self.fields_table.setHorizontalHeaderLabels([self.tr("字段"), self.tr("内容")])
        self.fields_table.verticalHeader().setVisible(False)
        self.fields_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.fields_table.setColumnWidth(0, 110)
        self.fields_table.setMaximumHeight(130)
        self.fields_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        fields = dict(record.fields) if record else {}
        note = str(fields.pop(NOTE_FIELD, ""))
        for key, value in fields.items():
            self._add_field_row(key, str(value))
        self.add_field_button = QPushButton(icon("add"), self.tr("添加字段"))
        self.add_field_button.clicked.connect(lambda: self._add_field_row(self._unused_field(), "", edit=True))
        self.remove_field_button = QPushButton(icon("delete"), self.tr("删除字段"))
        self.remove_field_button.clicked.connect(self._remove_field_rows)
        field_buttons = QVBoxLayout()
        field_buttons.addWidget(self.add_field_button)
        field_buttons.addWidget(self.remove_field_button)
        field_buttons.addStretch(1)
        fields_row = QHBoxLayout()
        fields_row.addWidget(self.fields_table, 1)
        fields_row.addLayout(field_buttons)

        self.note_edit = QPlainTextEdit(note)
        self.note_edit.setObjectName("note_edit")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)

        self.consent_check = QCheckBox(self.tr("已同意接收短信"))
        self.consent_check.setObjectName("consent_check")
        self.consent_time = QDateTimeEdit()
        self.consent_time.setCalendarPopup(True)
        self.consent_time.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.consent_source = QLineEdit()
        self.consent_source.setPlaceholderText(self.tr("方式，如 纸质回执、短信回复"))
        consent_at = record.consent_at if record else None
        self.consent_check.setChecked(consent_at is not None)
        self.consent_time.setDateTime(QDateTime(consent_at.astimezone()) if consent_at else QDateTime.currentDateTime())
        self.consent_source.setText(record.consent_source if record else "")
        self.consent_check.toggled.connect(self._update_enabled)
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.consent_check)
        consent_row.addWidget(self.consent_time)
        consent_row.addWidget(self.consent_source, 1)

        self.optout_check = QCheckBox(self.tr("已退订，不再发送短信"))
        self.optout_check.setObjectName("optout_check")
        self.optout_reason = QComboBox()
        self.optout_reason.setObjectName("optout_reason")
        for reason in optout_reasons():
            self.optout_reason.addItem(optout_reason_text(reason), reason.value)
        self.optout_note = QLineEdit()
        self.optout_note.setPlaceholderText(self.tr("说明（可选）"))
        self.optout_check.setChecked(bool(record and record.opted_out))
        if optout is not None:
            found = self.optout_reason.findData(optout.reason)
            if found < 0:  # a reason this version does not offer: shown as it is, kept as it is
                self.optout_reason.addItem(optout_reason_text(optout.reason), optout.reason)
                found = self.optout_reason.count() - 1
            self.optout_reason.setCurrentIndex(found)
            self.optout_note.setText(optout.note)
            when = optout.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.optout_check.setToolTip(self.tr("登记于 %1").replace("%1", when))
        self.optout_check.toggled.connect(self._update_enabled)
        optout_row = QHBoxLayout()
        optout_row.addWidget(self.optout_check)
        optout_row.addWidget(self.optout_reason)
        optout_row.addWidget(self.optout_note, 1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("姓名(&N)："), self.name_edit)
        form.addRow(self.tr("手机号码(&P)："), self.phone_edit)
        form.addRow("", self.phone_hint)
        form.addRow(self.tr("分组(&G)："), self.group_list)
        form.addRow("", new_group_row)
        form.addRow(self.tr("其他字段："), fields_row)
        form.addRow(self.tr("备注(&M)："), self.note_edit)
        form.addRow(self.tr("同意："), consent_row)
        form.addRow(self.tr("退订："), optout_row)
        for label, buddy in ((0, self.name_edit), (1, self.phone_edit), (3, self.group_list), (6, self.note_edit)):
            item = form.itemAt(label, QFormLayout.ItemRole.LabelRole)
            if item is not None and isinstance(item.widget(), QLabel):
                item.widget().setBuddy(buddy)

        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存"))
        self.save_button.setShortcut(QKeySequence("Ctrl+S"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.phone_edit.textChanged.connect(self._check_phone)
        self.name_edit.textChanged.connect(self._update_enabled)
        self._check_phone()
        self._update_enabled()
        # The form's order, with the group list's own row of widgets after it.
        order = [
            self.name_edit,
            self.phone_edit,
            self.group_list,
            self.new_group_edit,
            self.new_group_button,
            self.fields_table,
            self.add_field_button,
            self.remove_field_button,
            self.note_edit,
            self.consent_check,
            self.consent_time,
            self.consent_source,
            self.optout_check,
            self.optout_reason,
            self.optout_note,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self.name_edit.setFocus()

    # -- pieces ----------------------------------------------------------------------------------------

    def _add_group_item(self, name: str, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem(icon("group"), name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.group_list.addItem(item)
        return item

    def _add_new_group(self) -> None:
        name = self.new_group_edit.text().strip()
        if not name:
            return
        found = self.group_list.findItems(name, Qt.MatchFlag.MatchExactly)
        item = found[0] if found else self._add_group_item(name, True)
        item.setCheckState(Qt.CheckState.Checked)
        self.group_list.scrollToItem(item)
        self.new_group_edit.clear()

    def _add_field_row(self, key: str, value: str, *, edit: bool = False) -> None:
        row = self.fields_table.rowCount()
        self.fields_table.insertRow(row)
        self.fields_table.setItem(row, 0, QTableWidgetItem(key))
        self.fields_table.setItem(row, 1, QTableWidgetItem(value))
        if edit:
            self.fields_table.setCurrentCell(row, 1)
            self.fields_table.editItem(self.fields_table.item(row, 1))

    def _unused_field(self) -> str:
        used = {key for key, _ in self._field_pairs()}
        standard = [f for f in STANDARD_FIELDS if f != NOTE_FIELD and f not in used]
        if standard:
            return standard[0]
        n = 1
        while self.tr("字段%1").replace("%1", str(n)) in used:
            n += 1
        return self.tr("字段%1").replace("%1", str(n))

    def _remove_field_rows(self) -> None:
        rows = sorted({i.row() for i in self.fields_table.selectedIndexes()}, reverse=True)
        if not rows and self.fields_table.currentRow() >= 0:
            rows = [self.fields_table.currentRow()]
        for row in rows:
            self.fields_table.removeRow(row)

    def _field_pairs(self) -> list[tuple[str, str]]:
        pairs = []
        for row in range(self.fields_table.rowCount()):
            key, value = self.fields_table.item(row, 0), self.fields_table.item(row, 1)
            pairs.append((key.text().strip() if key else "", value.text().strip() if value else ""))
        return pairs

    # -- checking ---------------------------------------------------------------------------------------

    def phone_problem(self) -> str:
        """What is wrong with the number as typed, in the core's words; "" when it is a number."""
        text = self.phone_edit.text().strip()
        if not text:
            return messages.text("contact.no_phone")
        try:
            parse_phone(text)
        except PhoneError as exc:
            return exc.message()
        return ""

    def _check_phone(self) -> None:
        text = self.phone_edit.text().strip()
        problem = self.phone_problem() if text else ""
        self.phone_hint.setWordWrap(bool(problem))  # only a message may need a second line
        if problem:
            self.phone_hint.setText(problem)
            self.phone_hint.setStyleSheet(ERROR_STYLE)
        elif text:
            phone = parse_phone(text)
            parts = [phone.e164]
            if not phone.sms_capable:
                parts.append(self.tr("固定电话，不能接收短信"))
            elif phone.carrier is not Carrier.UNKNOWN:
                parts.append(phone.carrier.display_name(messages.current_language()))
            if phone.region:
                parts.append(phone.region)
            self.phone_hint.setText(" · ".join(parts))
            self.phone_hint.setStyleSheet(HINT_STYLE)
        else:
            self.phone_hint.setText(self.tr("手机号码为 11 位；座机请带区号"))
            self.phone_hint.setStyleSheet(HINT_STYLE)
        self._update_enabled()

    def _update_enabled(self) -> None:
        running = self.task is not None
        self.save_button.setEnabled(not running and not self.phone_problem())
        self.consent_time.setEnabled(self.consent_check.isChecked())
        self.consent_source.setEnabled(self.consent_check.isChecked())
        self.optout_reason.setEnabled(self.optout_check.isChecked())
        self.optout_note.setEnabled(self.optout_check.isChecked())

    # -- saving ----------------------------------------------------------------------------------------

    def draft(self) -> ContactDraft:
        fields = {key: value for key, value in self._field_pairs() if key and value}
        note = self.note_edit.toPlainText().strip()
        if note:
            fields[NOTE_FIELD] = note
        groups = tuple(
            self.group_list.item(i).text()
            for i in range(self.group_list.count())
            if self.group_list.item(i).checkState() == Qt.CheckState.Checked
        )
        consent_at: datetime | None = None
        if self.consent_check.isChecked():
            consent_at = self.consent_time.dateTime().toPython().astimezone()  # local time, made aware
        return ContactDraft(
            id=self.record.id if self.record else None,
            name=self.name_edit.text(),
            phone=self.phone_edit.text(),
            fields=fields,
            groups=groups,
            consent_at=consent_at,
            consent_source=self.consent_source.text(),
            opted_out=self.optout_check.isChecked(),
            optout_reason=str(self.optout_reason.currentData()),
            optout_note=self.optout_note.text(),
        )

    def save(self) -> None:
        if self.task is not None or self.phone_problem():
            return
        draft, book = self.draft(), self.book

        def write(_cancel: threading.Event, _progress: Progress) -> ContactRecord:
            return book.save(draft)

        self.error_label.hide()
        self.task = self.worker.run(
            write, on_result=self._saved, on_error=self._failed, owner=self, name="save contact"
        )
        self._update_enabled()

    def _saved(self, record: ContactRecord) -> None:
        self.task = None
        self.record = record
        self.saved.emit(record)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self._update_enabled()
        if isinstance(exc, PhoneError | ValidationError) and exc.key.startswith(("phone.", "contact.")):
            # The number is taken, or not a number: said under the field it is about.
            self.phone_hint.setText(exc.message())
            self.phone_hint.setStyleSheet(ERROR_STYLE)
            self.phone_edit.setFocus()
        elif isinstance(exc, UserError):
            self.error_label.setText(exc.message())
            self.error_label.show()
        else:
            show_error(self, exc)

    def reject(self) -> None:
        if self.task is not None:
            return  # the book is being written: wait for its answer
        super().reject()
