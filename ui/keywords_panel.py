"""违禁词库: the banned-word lists the content filter checks every send against.

Left, the categories with their counts; each has a check box that switches all its words on or off. Right,
the words of the chosen category (or of all), with a filter; a word is added into the category chosen next
to it, and the vendor's list is imported from a .txt or spreadsheet file. Every change goes through the
core's KeywordStore in the background and is written to the audit log there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from smsjingling.keywords.categories import Category, category_label
from smsjingling.keywords.store import CategorySummary, KeywordImport, KeywordRecord, KeywordStore
from ui.context import AppContext
from ui.errors import show_error
from ui.icons import icon
from ui.keywords_model import Column, KeywordsModel
from ui.views import row_table
from ui.worker import Progress

CATEGORY_ROLE = Qt.ItemDataRole.UserRole
REJECTED_SHOWN = 10

# (parent, caption, filters) -> a file to open, or ""
OpenPathAsker = Callable[[QWidget, str, str], str]


def ask_open_path(parent: QWidget, caption: str, filters: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, caption, str(Path.home()), filters)
    return path


class KeywordsPanel(QWidget):
    """The lists, read when first shown and after every change. `loaded` is emitted after each read."""

    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = KeywordStore(ctx.db, actor=ctx.actor)
        # Replaceable so tests answer without a modal dialog.
        self.ask_open_path: OpenPathAsker = ask_open_path
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.inform: Callable[[str, str], None] = lambda title, text: QMessageBox.information(self, title, text)
        self.report_error: Callable[[BaseException], None] = lambda exc: show_error(self, exc)
        self._summary: list[CategorySummary] = []
        self._generation = 0
        self.loading = False

        self.model = KeywordsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(Column.WORD)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._build()
        self.categories.currentItemChanged.connect(lambda *_: self._category_chosen())
        self.categories.itemChanged.connect(self._category_toggled)
        self.filter_box.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.word_box.returnPressed.connect(self.add_word)
        self.word_box.textChanged.connect(lambda *_: self._update_actions())
        self._update_actions()

    # -- building --------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.categories = QListWidget(objectName="keyword_categories")
        self.categories.setMinimumWidth(170)
        self.categories.setToolTip(self.tr("勾选的分类参与过滤；取消勾选则停用该分类的全部关键词（仍保留在列表中）"))

        self.import_action = QAction(icon("import"), self.tr("导入词库…"), self)
        self.import_action.setToolTip(
            self.tr(
                "导入服务商提供的词库（.txt、.xlsx、.xls、.csv）；文件中没有分类的词归入左侧选中的分类，"
                "选中“全部分类”时归入“服务商词库”"
            )
        )
        self.import_action.triggered.connect(self.import_file)
        self.remove_action = QAction(icon("delete"), self.tr("删除"), self)
        self.remove_action.setToolTip(self.tr("从列表中删除选中的关键词"))
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.remove_action.triggered.connect(self.remove_selected)
        self.enable_action = QAction(icon("resume"), self.tr("启用"), self)
        self.enable_action.setToolTip(self.tr("重新过滤选中的关键词"))
        self.enable_action.triggered.connect(lambda: self.set_selected_enabled(True))
        self.disable_action = QAction(icon("pause"), self.tr("停用"), self)
        self.disable_action.setToolTip(self.tr("保留选中的关键词，但不再过滤"))
        self.disable_action.triggered.connect(lambda: self.set_selected_enabled(False))

        toolbar = QToolBar(self.tr("词库工具栏"), self)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.import_action)
        toolbar.addSeparator()
        toolbar.addAction(self.enable_action)
        toolbar.addAction(self.disable_action)
        toolbar.addAction(self.remove_action)
        self.toolbar = toolbar

        self.word_box = QLineEdit(objectName="new_keyword")
        self.word_box.setPlaceholderText(self.tr("输入要添加的关键词"))
        self.category_box = QComboBox(objectName="new_keyword_category")
        self.category_box.setEditable(True)
        self.category_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.category_box.setMinimumWidth(130)
        self.category_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.category_box.setMinimumContentsLength(8)
        self.category_box.setToolTip(self.tr("新词的分类；也可以输入新的分类名称"))
        for category in Category:
            self.category_box.addItem(category.label(), category.value)
        self.add_button = QPushButton(icon("add"), self.tr("添加"))
        self.add_button.clicked.connect(self.add_word)
        add_row = QHBoxLayout()
        add_row.addWidget(self.word_box, 3)
        add_row.addWidget(QLabel(self.tr("分类：")))
        add_row.addWidget(self.category_box, 2)
        add_row.addWidget(self.add_button)

        self.filter_box = QLineEdit(objectName="keyword_filter")
        self.filter_box.setPlaceholderText(self.tr("在列表中查找"))
        self.filter_box.setClearButtonEnabled(True)

        self.table = QTableView(objectName="keywords_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.WORD, Qt.SortOrder.AscendingOrder)
        header = row_table(self.table)
        header.resizeSection(Column.WORD, 200)
        header.resizeSection(Column.CATEGORY, 220)
        header.resizeSection(Column.SOURCE, 160)
        header.setStretchLastSection(True)

        self.count_label = QLabel(objectName="keyword_count")

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(6)
        right_layout.addWidget(self.toolbar)
        right_layout.addLayout(add_row)
        right_layout.addWidget(self.filter_box)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.count_label)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(self.tr("分类"))
        font = caption.font()
        font.setBold(True)
        caption.setFont(font)
        left_layout.addWidget(caption)
        left_layout.addWidget(self.categories, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([310, 710])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        QWidget.setTabOrder(self.categories, self.word_box)
        QWidget.setTabOrder(self.word_box, self.category_box)
        QWidget.setTabOrder(self.category_box, self.add_button)
        QWidget.setTabOrder(self.add_button, self.filter_box)
        QWidget.setTabOrder(self.filter_box, self.table)

    # -- reading ---------------------------------------------------------------------------------------

    def current_category(self) -> str | None:
        item = self.categories.currentItem()
        return None if item is None else item.data(CATEGORY_ROLE)

    def reload(self) -> None:
        """Re-read the categories and the words of the one chosen."""
        self._generation += 1
        generation = self._generation
        category = self.current_category()
        store = self.store
        self.loading = True

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[list[CategorySummary], list[KeywordRecord]]:
            summary = store.summary()
            known = {x.category for x in summary}
            return summary, store.list(category if category in known else None)

        self.ctx.worker.run(
            read,
            on_result=lambda result: self._arrived(generation, category, *result),
            on_error=self._failed,
            owner=self,
            name="keyword lists",
        )

    def _arrived(
        self, generation: int, category: str | None, summary: list[CategorySummary], records: list[KeywordRecord]
    ) -> None:
        if generation != self._generation:
            return
        self._summary = summary
        known = {x.category for x in summary}
        chosen = category if category in known else None
        self.categories.blockSignals(True)  # rebuilding is not the user choosing or ticking
        try:
            self.categories.clear()
            total = sum(x.words for x in summary)
            everything = QListWidgetItem(icon("keywords"), self.tr("全部分类 (%1)").replace("%1", str(total)))
            everything.setData(CATEGORY_ROLE, None)
            self.categories.addItem(everything)
            current = everything
            for x in summary:
                item = QListWidgetItem(self._category_text(x))
                item.setData(CATEGORY_ROLE, x.category)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked
                    if x.enabled == x.words
                    else Qt.CheckState.Unchecked
                    if x.enabled == 0
                    else Qt.CheckState.PartiallyChecked
                )
                self.categories.addItem(item)
                if x.category == chosen:
                    current = item
            self.categories.setCurrentItem(current)
        finally:
            self.categories.blockSignals(False)
        self._sync_category_box(chosen)
        self.model.set_records(records)
        enabled = sum(1 for r in records if r.enabled)
        self.count_label.setText(
            self.tr("共 %1 个关键词，%2 个启用").replace("%1", str(len(records))).replace("%2", str(enabled))
        )
        self.loading = False
        self._update_actions()
        self.loaded.emit()

    def _category_text(self, x: CategorySummary) -> str:
        if x.enabled == x.words:
            return f"{x.label} ({x.words})"
        return (
            self.tr("%1 (%2，启用 %3)").replace("%1", x.label).replace("%2", str(x.words)).replace("%3", str(x.enabled))
        )

    def _sync_category_box(self, category: str | None) -> None:
        for x in self._summary:  # a vendor's own categories can be chosen for new words too
            if self.category_box.findData(x.category) < 0:
                self.category_box.addItem(x.label, x.category)
        if category is not None:
            self.category_box.setCurrentIndex(self.category_box.findData(category))

    def _category_chosen(self) -> None:
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        self.report_error(exc)
        self.loaded.emit()

    # -- changes ---------------------------------------------------------------------------------------

    def _run(self, fn: Callable[[], object], done: Callable[[object], None] | None = None, name: str = "") -> None:
        """A change in the background; afterwards the lists are read again (also after a refusal)."""

        def finished(result: object) -> None:
            if done is not None:
                done(result)
            self.reload()

        def failed(exc: BaseException) -> None:
            self.report_error(exc)
            self.reload()

        self.loading = True
        self.ctx.run(fn, owner=self, on_result=finished, on_error=failed, name=name)

    def new_word_category(self) -> str:
        """The category typed or chosen next to the new word: ours by key, or a name of the user's own."""
        text = self.category_box.currentText().strip()
        index = self.category_box.findText(text)
        return str(self.category_box.itemData(index)) if index >= 0 else text

    def add_word(self) -> None:
        word = self.word_box.text().strip()
        if not word:
            return
        category = self.new_word_category()
        store = self.store

        def added(record: object) -> None:
            self.word_box.clear()
            assert isinstance(record, KeywordRecord)
            self.window_say(
                self.tr("已添加“%1”（%2）").replace("%1", record.word).replace("%2", category_label(record.category))
            )

        self._run(lambda: store.add(word, category), added, "add keyword")

    def selected_records(self) -> list[KeywordRecord]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.record(r) for r in sorted(rows)]

    def remove_selected(self) -> None:
        chosen = self.selected_records()
        if not chosen:
            return
        names = "、".join(r.word for r in chosen[:5]) + ("…" if len(chosen) > 5 else "")
        question = self.tr("从词库中删除 %1 个关键词（%2）？").replace("%1", str(len(chosen))).replace("%2", names)
        if not self.confirm(self.tr("删除关键词"), question):
            return
        store = self.store
        pairs = [(r.word, r.category) for r in chosen]
        self._run(lambda: sum(store.remove(w, c) for w, c in pairs), None, "remove keywords")

    def set_selected_enabled(self, enabled: bool) -> None:
        chosen = [r for r in self.selected_records() if r.enabled != enabled]
        if not chosen:
            return
        store = self.store
        pairs = [(r.word, r.category) for r in chosen]
        change = store.enable if enabled else store.disable
        self._run(lambda: sum(change(w, c) for w, c in pairs), None, "switch keywords")

    def _category_toggled(self, item: QListWidgetItem) -> None:
        category = item.data(CATEGORY_ROLE)
        if category is None:
            return
        # A partly enabled category the user clicks becomes wholly on or off, as its box now shows.
        enabled = item.checkState() != Qt.CheckState.Unchecked
        store = self.store
        label = category_label(category)

        def done(count: object) -> None:
            text = self.tr("已启用“%1”的 %2 个关键词") if enabled else self.tr("已停用“%1”的 %2 个关键词")
            self.window_say(text.replace("%1", label).replace("%2", str(count)))

        self._run(lambda: store.set_category_enabled(category, enabled), done, "switch category")

    def import_file(self) -> None:
        path = self.ask_open_path(
            self,
            self.tr("导入词库"),
            self.tr("词库文件 (*.txt *.xlsx *.xls *.csv *.ods);;所有文件 (*)"),
        )
        if not path:
            return
        category = self.current_category()
        store = self.store

        def done(result: object) -> None:
            assert isinstance(result, KeywordImport)
            text = result.summary()
            if result.rejected:
                lines = [f"{r.row}\t{r.column}\t{r.value}\t{r.reason()}" for r in result.rejected[:REJECTED_SHOWN]]
                if len(result.rejected) > REJECTED_SHOWN:
                    lines.append("…")
                text += "\n\n" + self.tr("未导入的内容（行、列、内容、原因）：") + "\n" + "\n".join(lines)
            self.inform(self.tr("导入词库"), text)
            self.window_say(result.summary())

        self._run(lambda: store.import_file(path, category), done, "import keywords")

    # -- helpers ---------------------------------------------------------------------------------------

    def _update_actions(self) -> None:
        chosen = self.selected_records() if self.table.selectionModel() is not None else []
        self.remove_action.setEnabled(bool(chosen))
        self.enable_action.setEnabled(any(not r.enabled for r in chosen))
        self.disable_action.setEnabled(any(r.enabled for r in chosen))
        self.add_button.setEnabled(bool(self.word_box.text().strip()))

    def _confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes

    def window_say(self, text: str) -> None:
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(text, 10_000)
