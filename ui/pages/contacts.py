"""通讯录: the contact book with its groups, search, import and export.

Left: the groups with their member counts, 全部联系人 first. Centre: a search box over the contacts table.
Every read that may be slow and every write runs in the background worker; the window only starts the work
and shows the result when it comes back.

"删除" acts on what the user is working in: with the group list focused and a group chosen it deletes that
group (its contacts stay in the book); otherwise it deletes the selected contacts. Both ask first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSplitter,
    QStyle,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from smsjingling import messages
from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.export import export_contacts
from smsjingling.contacts.records import GroupRecord
from smsjingling.contacts.search import ContactQuery
from smsjingling.phones.carrier import Carrier
from ui.contacts_model import Column, ContactsModel
from ui.context import AppContext
from ui.errors import show_error
from ui.import_dialog import ImportDialog
from ui.pages.base import Page
from ui.worker import Progress

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 200
GROUP_ID_ROLE = Qt.ItemDataRole.UserRole
GROUP_NAME_ROLE = Qt.ItemDataRole.UserRole + 1

# asks the user for a file name to save to: (parent, caption, suggested path, filter) -> path or ""
SavePathAsker = Callable[[QWidget, str, str, str], str]


def ask_save_path(parent: QWidget, caption: str, suggested: str, filters: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    return path


class ContactsPage(Page):
    key = "contacts"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.db = ctx.db
        self.book = ContactBook(ctx.db, actor=ctx.actor)
        self.worker = ctx.worker
        # Replaceable so tests (and later a settings-aware picker) can answer without a modal dialog.
        self.ask_save_path: SavePathAsker = ask_save_path
        self.confirm: Callable[[str, str], bool] = self._confirm
        self._groups: list[GroupRecord] = []
        self._all_count: int | None = None
        self._groups_generation = 0

        self.model = ContactsModel(self.book, self.worker, self)
        self._build_actions()
        self._build_central()

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filter)

        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.group_list.currentItemChanged.connect(lambda *_: self._apply_filter())
        self.model.total_changed.connect(self._show_count)
        self.model.load_failed.connect(self._show_error)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.group_list.itemSelectionChanged.connect(self._update_actions)

        self.reload()

    # -- building ------------------------------------------------------------------------------------

    def _icon(self, pixmap: QStyle.StandardPixmap) -> Any:
        return self.style().standardIcon(pixmap)

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.import_action = QAction(self._icon(sp.SP_DialogOpenButton), self.tr("导入…"), self)
        self.import_action.setToolTip(self.tr("从 Excel 或 CSV 文件导入联系人"))
        self.import_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Open))
        self.import_action.triggered.connect(self.open_import_dialog)

        self.export_action = QAction(self._icon(sp.SP_DialogSaveButton), self.tr("导出…"), self)
        self.export_action.setToolTip(self.tr("把当前列表中的联系人导出为 Excel 或 CSV 文件"))
        self.export_action.triggered.connect(self.export_current)

        self.new_group_action = QAction(self._icon(sp.SP_FileDialogNewFolder), self.tr("新建分组"), self)
        self.new_group_action.triggered.connect(self.new_group)

        self.delete_action = QAction(self._icon(sp.SP_TrashIcon), self.tr("删除"), self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.triggered.connect(self.delete_selected)

        self.refresh_action = QAction(self._icon(sp.SP_BrowserReload), self.tr("刷新"), self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_action.triggered.connect(self.reload)

        toolbar = QToolBar(self.tr("工具栏"), self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.import_action, self.export_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.new_group_action)
        toolbar.addAction(self.delete_action)
        toolbar.addSeparator()
        toolbar.addAction(self.refresh_action)
        self.toolbar = toolbar

    def _build_central(self) -> None:
        self.group_list = QListWidget()
        self.group_list.setObjectName("group_list")
        self.group_list.setIconSize(QSize(16, 16))
        self.group_list.setMinimumWidth(170)

        self.search_box = QLineEdit()
        self.search_box.setObjectName("search_box")
        self.search_box.setPlaceholderText(self.tr("搜索姓名、手机号码或部门"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(
            self._icon(QStyle.StandardPixmap.SP_FileDialogContentsView), QLineEdit.ActionPosition.LeadingPosition
        )

        self.table = QTableView()
        self.table.setObjectName("contacts_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        # Fixed row heights: the view need not measure a million rows to lay out its scroll bar.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(False)
        # Wide enough for the longest carrier name in the user's language ("China Telecom" in English).
        carrier_width = 24 + max(
            self.fontMetrics().horizontalAdvance(c.display_name(messages.current_language())) for c in Carrier
        )
        widths = {
            Column.NAME: 110,
            Column.PHONE: 130,
            Column.CARRIER: max(70, carrier_width),
            Column.REGION: 130,
            Column.GROUPS: 200,
            Column.DEPARTMENT: 140,
            Column.OPTED_OUT: 70,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(Column.GROUPS, QHeaderView.ResizeMode.Stretch)

        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search_box)
        layout.addWidget(self.table)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(6)
        caption = QLabel(self.tr("分组"))
        caption.setObjectName("groups_caption")
        font = caption.font()
        font.setBold(True)
        caption.setFont(font)
        left_layout.addWidget(caption)
        left_layout.addWidget(self.group_list)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(centre)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 900])
        splitter.setChildrenCollapsible(False)

        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")
        self.db_label = QLabel(self.tr("数据库：%1").replace("%1", self.db.where))
        self.db_label.setObjectName("db_label")
        self.db_label.setToolTip(self.db.where)
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.db_label)

        outer_layout = QVBoxLayout(self)
        outer_layout.setContentsMargins(9, 6, 9, 6)
        outer_layout.addWidget(self.toolbar)
        outer_layout.addWidget(splitter, 1)
        outer_layout.addLayout(footer)

    # -- loading -------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read groups, counts and the current page of contacts."""
        self._load_groups()
        self.model.refresh()

    def _load_groups(self) -> None:
        self._groups_generation += 1
        generation = self._groups_generation
        book = self.book

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[list[GroupRecord], int]:
            return book.groups(), book.count(ContactQuery())

        self.worker.run(
            read,
            on_result=lambda result: self._groups_arrived(generation, *result),
            on_error=self._show_error,
            owner=self,
            name="groups",
        )

    def _groups_arrived(self, generation: int, groups: list[GroupRecord], all_count: int) -> None:
        if generation != self._groups_generation:
            return
        self._groups = groups
        self._all_count = all_count
        chosen = self.current_group_id()
        # Rebuilding the list must not look like the user picking a group.
        self.group_list.blockSignals(True)
        try:
            self.group_list.clear()
            all_item = QListWidgetItem(
                self._icon(QStyle.StandardPixmap.SP_DirHomeIcon),
                self.tr("全部联系人 (%1)").replace("%1", str(all_count)),
            )
            all_item.setData(GROUP_ID_ROLE, None)
            self.group_list.addItem(all_item)
            current = all_item
            for group in groups:
                item = QListWidgetItem(self._icon(QStyle.StandardPixmap.SP_DirIcon), f"{group.name} ({group.members})")
                item.setData(GROUP_ID_ROLE, group.id)
                item.setData(GROUP_NAME_ROLE, group.name)
                if group.note:
                    item.setToolTip(group.note)
                self.group_list.addItem(item)
                if group.id == chosen:
                    current = item
            self.group_list.setCurrentItem(current)
        finally:
            self.group_list.blockSignals(False)
        if chosen is not None and current.data(GROUP_ID_ROLE) is None:
            self._apply_filter()  # the chosen group is gone: show everyone
        self._update_actions()

    def current_group_id(self) -> int | None:
        item = self.group_list.currentItem()
        return None if item is None else item.data(GROUP_ID_ROLE)

    def current_group_name(self) -> str | None:
        item = self.group_list.currentItem()
        return None if item is None else item.data(GROUP_NAME_ROLE)

    def current_query(self) -> ContactQuery:
        return ContactQuery(text=self.search_box.text().strip(), group_id=self.current_group_id())

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)

    def _show_count(self, total: int) -> None:
        query = self.model.query
        if query.text or query.group_id is not None:
            text = self.tr("找到 %1 位联系人").replace("%1", f"{total:,}")
        else:
            text = self.tr("共 %1 位联系人").replace("%1", f"{total:,}")
        self.count_label.setText(text)

    def _update_actions(self) -> None:
        has_rows = bool(self.table.selectionModel().selectedRows())
        has_group = self.current_group_id() is not None
        self.delete_action.setEnabled(has_rows or has_group)

    # -- actions -------------------------------------------------------------------------------------

    def open_import_dialog(self) -> ImportDialog:
        group = self.current_group_name()
        dialog = ImportDialog(self.db, self.worker, self, groups=[group] if group else [])
        dialog.imported.connect(lambda _report: self.reload())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def export_current(self) -> None:
        query = self.current_query()
        suggested = str(Path.home() / self.tr("通讯录.xlsx"))
        path = self.ask_save_path(
            self, self.tr("导出联系人"), suggested, self.tr("Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)")
        )
        if not path:
            return
        db = self.db
        self.say(self.tr("正在导出…"))
        self.worker.run(
            lambda _cancel, _progress: export_contacts(db, path, query),
            on_result=lambda count: self.say(
                self.tr("已导出 %1 位联系人到 %2").replace("%1", str(count)).replace("%2", path), 10_000
            ),
            on_error=self._show_error,
            owner=self,
            name="export",
        )

    def new_group(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("新建分组"), self.tr("分组名称："))
        if ok and name.strip():
            self.create_group(name.strip())

    def create_group(self, name: str) -> None:
        book = self.book
        self.worker.run(
            lambda _cancel, _progress: book.create_group(name),
            on_result=lambda _group: self._load_groups(),
            on_error=self._show_error,
            owner=self,
            name="create group",
        )

    def delete_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        group = self.current_group_name()
        if (self.group_list.hasFocus() or not rows) and group:
            self.delete_group(group)
        elif rows:
            self.delete_contacts([self.model.record(r).id for r in rows])

    def delete_group(self, name: str) -> None:
        question = self.tr("删除分组“%1”？分组中的联系人仍保留在通讯录中。").replace("%1", name)
        if not self.confirm(self.tr("删除分组"), question):
            return
        book = self.book
        self.worker.run(
            lambda _cancel, _progress: book.delete_group(name),
            on_result=lambda _none: self.reload(),
            on_error=self._show_error,
            owner=self,
            name="delete group",
        )

    def delete_contacts(self, ids: list[int]) -> None:
        question = self.tr("删除选中的 %1 位联系人？此操作无法撤销。").replace("%1", str(len(ids)))
        if not self.confirm(self.tr("删除联系人"), question):
            return
        book = self.book
        self.worker.run(
            lambda _cancel, _progress: book.delete(ids),
            on_result=lambda count: (
                self.say(self.tr("已删除 %1 位联系人").replace("%1", str(count)), 10_000),
                self.reload(),
            ),
            on_error=self._show_error,
            owner=self,
            name="delete contacts",
        )

    # -- feedback ------------------------------------------------------------------------------------

    def _confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_error(self, exc: BaseException) -> None:
        show_error(self, exc)
