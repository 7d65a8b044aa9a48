"""The editors of the settings form, one per kind of setting (smsjingling.settings_form.Editor).

Each editor shows one value and gives it back in the setting's own type (a window as "08:00-21:00", a word
list as a list), so the page can check it with the setting's declared check and save it as it is. None of
them validates: the setting's check does, and the page shows its message next to the field.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from smsjingling import messages
from smsjingling.settings_form import COMMON_ZONES, Editor, Field

_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# Words typed in one box: separated by 、 commas, semicolons or spaces (full-width ones too).
_WORD_SEPARATORS = re.compile(r"[、,，;；\s]+")
MAX_NUMBER = 999_999_999


class FieldEditor(QWidget):
    """One setting's editor: `value()` in the setting's type, `set_value()`, and `changed` on every edit."""

    changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setObjectName(f"setting_{field.key}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        """The widget that takes the keyboard focus (and comes first in the tab order)."""
        return self


class CheckEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.box = QCheckBox(field.label())
        self.box.toggled.connect(self.changed)
        self.layout().addWidget(self.box)
        self.layout().addStretch(1)

    def value(self) -> bool:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))

    def focus_widget(self) -> QWidget:
        return self.box


class NumberEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.spin = QSpinBox()
        # No minimum of our own: the setting's check says what is too small, in its own words.
        self.spin.setRange(0, MAX_NUMBER)
        self.spin.setGroupSeparatorShown(True)
        self.spin.setMinimumWidth(120)
        self.spin.valueChanged.connect(self.changed)
        self.layout().addWidget(self.spin)
        self.layout().addStretch(1)

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(int(value))

    def focus_widget(self) -> QWidget:
        return self.spin


class TextEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit()
        self.edit.setMinimumWidth(260)
        self.edit.textChanged.connect(self.changed)
        self.layout().addWidget(self.edit, 1)

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText(str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class ChoiceEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = QComboBox()
        for choice in field.choices:
            self.combo.addItem(choice.label(), choice.value)
        self.combo.currentIndexChanged.connect(self.changed)
        self.layout().addWidget(self.combo)
        self.layout().addStretch(1)

    def value(self) -> str:
        return str(self.combo.currentData())

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value)
        if index < 0:  # a value stored by a newer version: shown as it is, kept unless changed
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def focus_widget(self) -> QWidget:
        return self.combo


class ZoneEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.addItems(COMMON_ZONES)
        self.combo.setMinimumWidth(200)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.currentTextChanged.connect(self.changed)
        self.layout().addWidget(self.combo)
        self.layout().addStretch(1)

    def value(self) -> str:
        return self.combo.currentText().strip()

    def set_value(self, value: Any) -> None:
        self.combo.setCurrentText(str(value))

    def focus_widget(self) -> QWidget:
        return self.combo


class WindowEditor(FieldEditor):
    """A daily window: on or off, from a time to a time (an end before the start runs over midnight)."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.enabled = QCheckBox(self.tr("限制在"))
        self.start = QTimeEdit()
        self.end = QTimeEdit()
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
            edit.timeChanged.connect(self.changed)
        self.enabled.toggled.connect(self._enable)
        self.enabled.toggled.connect(self.changed)
        layout = self.layout()
        layout.addWidget(self.enabled)
        layout.addWidget(self.start)
        layout.addWidget(QLabel(self.tr("至")))
        layout.addWidget(self.end)
        layout.addStretch(1)
        self.setToolTip(self.tr("结束早于开始时跨过午夜，例如 23:00 至 06:00"))

    def _enable(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)

    def value(self) -> str:
        if not self.enabled.isChecked():
            return ""
        return f"{self.start.time().toString('HH:mm')}-{self.end.time().toString('HH:mm')}"

    def set_value(self, value: Any) -> None:
        match = _WINDOW.match(str(value or ""))
        self.enabled.setChecked(match is not None)
        self._enable(match is not None)
        if match:
            self.start.setTime(QTime(int(match[1]), int(match[2])))
            self.end.setTime(QTime(int(match[3]), int(match[4])))

    def focus_widget(self) -> QWidget:
        return self.enabled


class WordsEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit()
        self.edit.setMinimumWidth(260)
        self.edit.setPlaceholderText(self.tr("用顿号、逗号或空格分隔，例如 TD、退订"))
        self.edit.textChanged.connect(self.changed)
        self.layout().addWidget(self.edit, 1)

    def value(self) -> list[str]:
        return [w for w in _WORD_SEPARATORS.split(self.edit.text()) if w]

    def set_value(self, value: Any) -> None:
        self.edit.setText("、".join(str(w) for w in value or ()))

    def focus_widget(self) -> QWidget:
        return self.edit


EDITORS: dict[Editor, type[FieldEditor]] = {
    Editor.CHECK: CheckEditor,
    Editor.NUMBER: NumberEditor,
    Editor.TEXT: TextEditor,
    Editor.CHOICE: ChoiceEditor,
    Editor.ZONE: ZoneEditor,
    Editor.WINDOW: WindowEditor,
    Editor.WORDS: WordsEditor,
}


def editor_for(field: Field, parent: QWidget | None = None) -> FieldEditor:
    return EDITORS[field.editor](field, parent)


def label_for(field: Field) -> str:
    """The row's label: the setting's own, in the user's language (a check box carries it itself)."""
    return "" if field.editor is Editor.CHECK else field.label(messages.current_language())
