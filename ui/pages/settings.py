"""设置: every setting an office can change, and the banned-word lists.

The form is built from the settings' own declarations (smsjingling.settings_form): one group box per group,
one row per setting with the editor its kind calls for, its note, and, when the value is refused, the
setting's own check's words right under it. A setting declared later appears without code here.

Nothing is written until 保存 (Ctrl+S): then every changed value is checked and written in one transaction,
each change audited by the core; 还原 puts back what is saved. The running dispatcher takes the new sending
rules at once; the interface language applies at the next start (the window's texts are built once).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from smsjingling import messages, settings_form
from smsjingling.records.period import user_zone
from smsjingling.records.retention import PurgePlan, PurgeResult, latest_cutoff, plan_purge, purge, retention_months
from smsjingling.sending.rules import SendRules
from smsjingling.settings import Settings
from smsjingling.settings_form import Field, Group
from ui.context import AppContext
from ui.errors import show_error
from ui.icons import icon
from ui.keywords_panel import KeywordsPanel
from ui.pages.base import Page
from ui.settings_fields import FieldEditor, editor_for, label_for
from ui.worker import Progress

ERROR_STYLE = "color: #c0392b;"
NOTE_STYLE = "color: #666666;"
FORM_MAX_WIDTH = 940
LABEL_MAX_WIDTH = 330


class SettingsPage(Page):
    key = "settings"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.db = ctx.db
        # Replaceable so tests answer without a modal dialog.
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.report_error: Callable[[BaseException], None] = lambda exc: show_error(self, exc)
        self.groups: list[Group] = settings_form.groups()
        self.fields: dict[str, Field] = {f.key: f for g in self.groups for f in g.fields}
        self.editors: dict[str, FieldEditor] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.saved: dict[str, Any] | None = None  # what the database holds, as last read or written
        self.loading = False
        self.saving = False
        self._filling = False
        self._keywords_read = False

        self.tabs = QTabWidget(objectName="settings_tabs")
        self.tabs.addTab(self._build_general(), icon("settings"), self.tr("常规"))
        self.keywords = KeywordsPanel(ctx, self)
        self.tabs.addTab(self.keywords, icon("keywords"), self.tr("违禁词库"))
        self.tabs.currentChanged.connect(lambda _i: self._tab_shown())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(9, 6, 9, 6)
        layout.addWidget(self.tabs)
        self.load()

    # -- building --------------------------------------------------------------------------------------

    def _build_general(self) -> QWidget:
        content = QWidget(objectName="settings_form")
        column = QVBoxLayout(content)
        column.setSpacing(10)
        # One label width for every group, so the fields line up down the whole form.
        metrics = self.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(label_for(f) + self.tr("：")) for f in self.fields.values() if label_for(f)),
            default=0,
        )
        # Long labels (English ones above all) wrap rather than squeeze the fields.
        self._label_width = min(widest + 4, LABEL_MAX_WIDTH)
        for group in self.groups:
            column.addWidget(self._group_box(group))
        column.addStretch(1)
        content.setMaximumWidth(FORM_MAX_WIDTH)

        holder = QWidget()
        centred = QHBoxLayout(holder)
        centred.setContentsMargins(0, 0, 0, 0)
        centred.addWidget(content, 1)
        centred.addStretch(0)
        scroll = QScrollArea(objectName="settings_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(holder)
        self.scroll = scroll

        self.save_action = QAction(self.tr("保存"), self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)
        self.save_button = QPushButton(icon("save"), self.tr("保存(&S)"), objectName="save_settings")
        self.save_button.setToolTip(self.tr("保存所有修改（Ctrl+S）"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("还原(&R)"), objectName="revert_settings")
        self.revert_button.setToolTip(self.tr("放弃未保存的修改，恢复为已保存的设置"))
        self.revert_button.clicked.connect(self.revert)
        self.state_label = QLabel(objectName="settings_state")
        buttons = QHBoxLayout()
        buttons.addWidget(self.state_label, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self._update_state()
        return page

    def _group_box(self, group: Group) -> QGroupBox:
        box = QGroupBox(group.title(), objectName=f"group_{group.key}")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setHorizontalSpacing(8)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for field in group.fields:
            editor = editor_for(field)
            editor.changed.connect(lambda key=field.key: self._field_changed(key))
            self.editors[field.key] = editor
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(editor)
            if note := field.note():
                note_label = QLabel(note)
                note_label.setWordWrap(True)
                note_label.setStyleSheet(NOTE_STYLE)
                cell_layout.addWidget(note_label)
            error = QLabel(objectName=f"error_{field.key}")
            error.setWordWrap(True)
            error.setStyleSheet(ERROR_STYLE)
            error.hide()
            self.error_labels[field.key] = error
            cell_layout.addWidget(error)
            label = label_for(field)
            row_label = QLabel(label + self.tr("：") if label else "")
            row_label.setWordWrap(True)
            row_label.setFixedWidth(self._label_width)
            row_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if label:
                row_label.setBuddy(editor.focus_widget())
            form.addRow(row_label, cell)
        if group.key == "retention":
            self.purge_button = QPushButton(icon("delete"), self.tr("清理过期记录…"), objectName="purge_records")
            self.purge_button.setToolTip(self.tr("删除超过保留期限的发送记录（只删除已有结果的短信）"))
            self.purge_button.clicked.connect(self.purge_old_records)
            row = QHBoxLayout()
            row.addWidget(self.purge_button)
            row.addStretch(1)
            spacer = QLabel()
            spacer.setFixedWidth(self._label_width)
            form.addRow(spacer, row)
        return box

    # -- reading ---------------------------------------------------------------------------------------

    def activate(self) -> None:
        if not self.dirty() and not self.saving:
            self.load()  # changed elsewhere (the CLI, another desktop on a shared database)
        if self._keywords_read and self.tabs.currentWidget() is self.keywords and not self.keywords.loading:
            self.keywords.reload()
        self._tab_shown()

    def _tab_shown(self) -> None:
        if self.tabs.currentWidget() is self.keywords and not self._keywords_read:
            self._keywords_read = True
            self.keywords.reload()

    def load(self) -> None:
        self.loading = True
        db = self.db
        self.ctx.run(lambda: Settings(db).all(), owner=self, on_result=self._loaded, on_error=self._load_failed)

    def _loaded(self, values: dict[str, Any]) -> None:
        self.loading = False
        self.saved = {k: values[k] for k in self.editors if k in values}
        self._fill(self.saved)

    def _load_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.report_error(exc)

    def _fill(self, values: dict[str, Any]) -> None:
        self._filling = True
        try:
            for key, value in values.items():
                self.editors[key].set_value(value)
                self._show_problem(key, None)
        finally:
            self._filling = False
        self._update_state()

    # -- editing ---------------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {key: editor.value() for key, editor in self.editors.items()}

    def changes(self) -> dict[str, Any]:
        if self.saved is None:
            return {}
        return {k: v for k, v in self.values().items() if k in self.saved and v != self.saved[k]}

    def dirty(self) -> bool:
        return bool(self.changes())

    def problems(self) -> dict[str, str]:
        """Fields whose value their setting refuses, with the reason in the user's language."""
        lang = messages.current_language()
        found = {}
        for key, value in self.values().items():
            if (why := self.fields[key].problem(value, lang)) is not None:
                found[key] = why
        return found

    def _field_changed(self, key: str) -> None:
        if self._filling:
            return
        self._show_problem(key, self.fields[key].problem(self.editors[key].value(), messages.current_language()))
        self._update_state()

    def _show_problem(self, key: str, why: str | None) -> None:
        label = self.error_labels[key]
        label.setText(why or "")
        label.setVisible(why is not None)

    def _update_state(self) -> None:
        changed = len(self.changes())
        loaded = self.saved is not None and not self.saving
        self.save_button.setEnabled(loaded and changed > 0)
        self.save_action.setEnabled(loaded and changed > 0)
        self.revert_button.setEnabled(loaded and changed > 0)
        if self.saving:
            self.state_label.setText(self.tr("正在保存…"))
        elif changed:
            self.state_label.setText(self.tr("有 %1 项修改尚未保存").replace("%1", str(changed)))
        else:
            self.state_label.setText("")

    def revert(self) -> None:
        if self.saved is not None:
            self._fill(self.saved)
            self.say(self.tr("已恢复为保存的设置"))

    # -- saving ----------------------------------------------------------------------------------------

    def save(self) -> None:
        if self.saving or self.saved is None:
            return
        problems = self.problems()
        for key in self.editors:
            self._show_problem(key, problems.get(key))
        if problems:
            first = next(k for k in self.editors if k in problems)
            editor = self.editors[first]
            self.scroll.ensureWidgetVisible(editor)
            editor.focus_widget().setFocus()
            self.say(self.tr("有 %1 项设置无效，未保存。请按提示修改。").replace("%1", str(len(problems))))
            return
        changes = self.changes()
        if not changes:
            return
        db, actor, service = self.db, self.ctx.actor, self.ctx.service

        def write() -> dict[str, Any]:
            settings = Settings(db, actor)
            settings.set_many(changes)
            # The dispatcher holds a snapshot of the sending rules: hand it the new one now.
            dispatcher = service.dispatcher if service is not None else None
            if dispatcher is not None:
                dispatcher.rules = SendRules.load(settings)
            return changes

        self.saving = True
        self._update_state()
        self.ctx.run(write, owner=self, on_result=self._saved, on_error=self._save_failed, name="save settings")

    def _saved(self, changes: dict[str, Any]) -> None:
        self.saving = False
        assert self.saved is not None
        self.saved.update(changes)
        self._update_state()
        if "ui.language" in changes:
            self.say(self.tr("设置已保存。界面语言将在重新启动程序后生效。"), 20_000)
        else:
            self.say(self.tr("设置已保存"))

    def _save_failed(self, exc: BaseException) -> None:
        self.saving = False
        self._update_state()
        self.report_error(exc)

    # -- records retention -----------------------------------------------------------------------------

    def purge_old_records(self) -> None:
        """Ask how many records are past the retention period, then (if the user agrees) delete them."""
        db = self.db

        def plan(_cancel: threading.Event, _progress: Progress) -> tuple[int, date, PurgePlan]:
            tz = user_zone(db)
            months = retention_months(db)
            before = latest_cutoff(months, tz=tz)
            return months, before, plan_purge(db, before, tz=tz)

        self.purge_button.setEnabled(False)
        self.ctx.worker.run(
            plan,
            on_result=lambda result: self._purge_planned(*result),
            on_error=self._purge_failed,
            owner=self,
            name="plan purge",
        )

    def _purge_planned(self, months: int, before: date, planned: PurgePlan) -> None:
        if planned.count == 0:
            self.purge_button.setEnabled(True)
            self.say(self.tr("没有超过保留期限（%1 个月）的发送记录").replace("%1", str(months)))
            return
        question = (
            self.tr("删除 %1 之前的 %2 条发送记录？记录保留 %3 个月，此操作不能撤销，删除情况会写入操作日志。")
            .replace("%1", before.isoformat())
            .replace("%2", f"{planned.count:,}")
            .replace("%3", str(months))
        )
        if not self.confirm(self.tr("清理过期记录"), question):
            self.purge_button.setEnabled(True)
            return
        db, actor = self.db, self.ctx.actor
        self.say(self.tr("正在清理过期记录…"), 0)
        self.ctx.worker.run(
            lambda _cancel, _progress: purge(db, before, actor, tz=user_zone(db)),
            on_result=self._purged,
            on_error=self._purge_failed,
            owner=self,
            name="purge records",
        )

    def _purged(self, result: PurgeResult) -> None:
        self.purge_button.setEnabled(True)
        self.say(self.tr("已删除 %1 条过期发送记录").replace("%1", f"{result.messages:,}"))

    def _purge_failed(self, exc: BaseException) -> None:
        self.purge_button.setEnabled(True)
        self.report_error(exc)

    def _confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes

    def busy(self) -> bool:
        return self.saving
