"""Asking why the selected contacts opt out (the reason and note the opt-out list records)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from smsjingling.contacts.labels import optout_reason_text, optout_reasons


class OptOutDialog(QDialog):
    def __init__(self, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("退订"))
        self.setMinimumWidth(400)
        intro = QLabel(self.tr("选中的 %1 位联系人将不再收到短信。").replace("%1", f"{count:,}"))
        intro.setWordWrap(True)
        self.reason_combo = QComboBox()
        for reason in optout_reasons():
            self.reason_combo.addItem(optout_reason_text(reason), reason.value)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("如 本人来电要求"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("退订"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(self.tr("原因(&R)："), self.reason_combo)
        form.addRow(self.tr("说明(&N)："), self.note_edit)
        form.addRow(buttons)

    def answer(self) -> tuple[str, str]:
        return str(self.reason_combo.currentData()), self.note_edit.text().strip()


def ask_optout(parent: QWidget, count: int) -> tuple[str, str] | None:
    """(reason, note) for opting `count` contacts out, or None when the user cancels."""
    dialog = OptOutDialog(count, parent)
    return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
