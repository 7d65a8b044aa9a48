"""The message box: the template editor with its merge-field menu, the live counter (characters, encoding,
parts) and banned words highlighted as they are typed.

Everything here runs on each keystroke, so it is all cheap: the core's counter builds no PDU, and the keyword
matcher (an automaton built once, in the background, by the page) scans a text of a few hundred characters in
well under a millisecond. The counter counts the text as it will be sent, signature and unsubscribe note
included (the 【】 of the signature alone make a message UCS2).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smsjingling.compose import Decoration, TemplateError, TextCount, compile_template, count
from smsjingling.keywords import Hit, Matcher, category_label
from ui.icons import icon

NAME_FIELD = "姓名"
PHONE_FIELD = "手机号码"


def utf16_offsets(text: str) -> list[int]:
    """For each Python index into `text` (and its end), the index Qt uses (UTF-16 units): an emoji or any
    character beyond the BMP counts two there."""
    offsets = [0] * (len(text) + 1)
    unit = 0
    for i, ch in enumerate(text):
        offsets[i] = unit
        unit += 2 if ord(ch) > 0xFFFF else 1
    offsets[len(text)] = unit
    return offsets


class KeywordHighlighter(QSyntaxHighlighter):
    """Marks the spans the matcher found (positions in the whole text, in UTF-16 units) in each block."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._spans: list[tuple[int, int]] = []
        self.format = QTextCharFormat()
        self.format.setBackground(QColor("#ffd7d7"))
        self.format.setForeground(QColor("#b00020"))
        self.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.format.setUnderlineColor(QColor("#b00020"))

    @property
    def spans(self) -> list[tuple[int, int]]:
        return self._spans

    def set_spans(self, spans: list[tuple[int, int]]) -> None:
        if spans != self._spans:
            self._spans = spans
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        start, end = block.position(), block.position() + block.length()
        for span_start, span_end in self._spans:
            if span_end <= start or span_start >= end:
                continue
            first = max(span_start, start) - start
            self.setFormat(first, min(span_end, end) - start - first, self.format)


class TemplateEditor(QWidget):
    """The text box and what is shown under it. `changed` fires on every edit (with the text)."""

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matcher: Matcher | None = None
        self._decoration: Decoration | None = None
        self._known_fields: list[str] = []
        self.hits: list[Hit] = []
        self.counted: TextCount | None = None  # the last count, None while the box is empty

        self.text_edit = QPlainTextEdit(objectName="template_edit")
        self.text_edit.setPlaceholderText(self.tr("输入短信内容，例如：{姓名}您好，明天上午九点在三楼会议室开会。"))
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMinimumHeight(90)
        self.highlighter = KeywordHighlighter(self.text_edit.document())

        self.fields_button = QToolButton(objectName="fields_button")
        self.fields_button.setText(self.tr("插入字段"))
        self.fields_button.setIcon(icon("merge_field"))
        self.fields_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.fields_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.fields_button.setToolTip(
            self.tr(
                "插入合并字段，发送时换成每位收件人自己的内容。\n"
                "{姓名|同事} 表示没有姓名时用“同事”；花括号本身写作 {{ 或 }}。"
            )
        )
        self.fields_menu = QMenu(self)
        self.fields_button.setMenu(self.fields_menu)

        self.counter_label = QLabel(objectName="counter_label")
        self.counter_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keyword_label = QLabel(objectName="keyword_label")
        self.keyword_label.setWordWrap(True)
        self.keyword_label.setStyleSheet("color: #b00020;")
        self.note_label = QLabel(objectName="template_note")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("color: #8a5a00;")

        under = QHBoxLayout()
        under.setContentsMargins(0, 0, 0, 0)
        under.addWidget(self.counter_label, 1)
        under.addWidget(self.fields_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.text_edit, 1)
        layout.addLayout(under)
        layout.addWidget(self.keyword_label)
        layout.addWidget(self.note_label)

        self.text_edit.textChanged.connect(self._edited)
        self.set_fields([])
        self._edited()

    # -- what the page tells it ----------------------------------------------------------------------

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.text_edit.setPlainText(text)

    def set_matcher(self, matcher: Matcher | None) -> None:
        self._matcher = matcher
        self._edited()

    def set_decoration(self, decoration: Decoration | None) -> None:
        """The signature and note the text will be sent with (None: no signature set yet)."""
        self._decoration = decoration
        self._edited()

    def set_fields(self, fields: Sequence[str]) -> None:
        """The contacts' own fields (部门, 职务 ...), offered after the name and the number."""
        self._known_fields = list(fields)
        self.fields_menu.clear()
        for name in (NAME_FIELD, PHONE_FIELD):
            self.fields_menu.addAction(self._field_action(name))
        if fields:
            self.fields_menu.addSeparator()
            for name in fields:
                self.fields_menu.addAction(self._field_action(name))
        self._edited()

    def _field_action(self, name: str) -> QAction:
        action = QAction("{" + name + "}", self.fields_menu)
        action.setData(name)
        action.triggered.connect(lambda _checked=False, n=name: self.insert_field(n))
        return action

    def insert_field(self, name: str) -> None:
        self.text_edit.insertPlainText("{" + name + "}")
        self.text_edit.setFocus()

    # -- on every edit -------------------------------------------------------------------------------

    def _edited(self) -> None:
        text = self.text()
        self._count(text)
        self._check_words(text)
        self._check_template(text)
        self.changed.emit(text)

    def _count(self, text: str) -> None:
        if not text.strip():
            self.counted = None
            self.counter_label.setText(self.tr("尚未输入内容"))
            return
        sent = self._decoration.apply(text) if self._decoration is not None else text
        c = count(sent)
        encoding = self.tr("GSM-7（英文）") if c.encoding == "gsm7" else self.tr("UCS2（中文）")
        shown = (
            self.tr("%1 字 · %2 · %3 条短信 · 本条还可输入 %4 字")
            .replace("%1", str(c.chars))
            .replace("%2", encoding)
            .replace("%3", str(c.segments))
            .replace("%4", str(c.units_left))
        )
        self.counter_label.setText(shown)
        self.counter_label.setToolTip(
            self.tr("按发送时的全文计算（含签名%1），每条最多 %2 字；含合并字段时以每位收件人实际内容为准。")
            .replace("%1", self.tr("与退订提示") if self._decoration and self._decoration.unsubscribe else "")
            .replace("%2", str(c.part_limit))
        )
        self.counted = c

    def _check_words(self, text: str) -> None:
        hits = self._matcher.check(text) if self._matcher is not None and text else []
        self.hits = hits
        offsets = utf16_offsets(text) if hits else []
        self.highlighter.set_spans([(offsets[h.start], offsets[h.end]) for h in hits])
        if not hits:
            self.keyword_label.clear()
            self.keyword_label.hide()
            return
        by_word: dict[str, list[str]] = {}
        for h in hits:
            labels = by_word.setdefault(h.text, [])
            label = category_label(h.category)
            if label not in labels:
                labels.append(label)
        listed = "；".join(f"“{word}”（{'、'.join(labels)}）" for word, labels in by_word.items())
        self.keyword_label.setText(self.tr("含禁用词，不能发送：%1").replace("%1", listed))
        self.keyword_label.show()

    def _check_template(self, text: str) -> None:
        try:
            template = compile_template(text)
        except TemplateError as exc:
            self.note_label.setText(exc.message())
            self.note_label.show()
            return
        unknown = template.unknown_fields(self._known_fields)
        if unknown:
            self.note_label.setText(
                self.tr("通讯录中没有这些字段，没有它们的收件人会被跳过：%1").replace("%1", "、".join(unknown))
            )
            self.note_label.show()
        else:
            self.note_label.clear()
            self.note_label.hide()
