"""通讯录: the contact book with its groups, search, editing, opt-outs, import and export.

Left: the group tree (全部联系人 with the groups under it, and 已退订), each with its count; contacts dragged
from the table onto a group join it, F2 renames a group. Centre: a search box over the contacts table, which
reads a page at a time as the user scrolls (ui.contacts_model). Every read that may be slow and every write
runs in the background worker; the window only starts the work and shows the result when it comes back.

The search follows each keystroke: a new query cancels the reads of the previous one inside the database,
so typing is never queued behind a search the user has already typed past.

"删除" acts on what the user is working in: with the group tree focused and a group chosen it deletes that
group (its contacts stay in the book); otherwise it deletes the selected contacts. Both ask first.
Changes to some contacts (an edit, joining a group, an opt-out) redraw just their rows, so the user keeps
their place in a long list; only a change that moves them in or out of the list being shown reloads it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from smsjingling import messages
from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.export import export_contacts
from smsjingling.contacts.records import ContactRecord, GroupRecord, OptOutRecord
from smsjingling.contacts.search import ContactQuery
from smsjingling.phones.carrier import Carrier
from ui.contacts_model import Column, ContactsModel
from ui.context import AppContext
from ui.errors import show_error
from ui.group_tree_model import GroupTreeModel, Node
from ui.icons import icon
from ui.pages.base import Page
from ui.worker import Progress

if TYPE_CHECKING:
    from ui.contact_dialog import ContactDialog
    from ui.import_wizard import ImportWizard

log = logging.getLogger(__name__)

# Keystrokes that arrive together (a paste, an input method's commit) make one search; no delay otherwise.
SEARCH_DELAY_MS = 0

# asks the user for a file name to save to: (parent, caption, suggested path, filter) -> path or ""
SavePathAsker = Callable[[QWidget, str, str, str], str]
# asks for a line of text: (title, label, initial text) -> the text, or None when cancelled
TextAsker = Callable[[str, str, str], str | None]
# asks why contacts opt out: (how many) -> (reason, note), or None when cancelled
OptOutAsker = Callable[[int], tuple[str, str] | None]


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
        # Replaceable so tests can answer without a modal dialog.
        self.ask_save_path: SavePathAsker = ask_save_path
        self.confirm: Callable[[str, str], bool] = self._confirm
        self.ask_text: TextAsker = self._ask_text
        self.ask_optout: OptOutAsker = self._ask_optout
        self.contact_dialog: ContactDialog | None = None
        self.import_wizard: ImportWizard | None = None
        self._groups_generation = 0
        self._activated = False
        # What the tree should show as current once it is rebuilt: (kind, group id)
        self._chosen: tuple[Node, int | None] = (Node.ALL, None)

        self.model = ContactsModel(self.book, self.worker, self)
        self.groups = GroupTreeModel(self)
        self._build_actions()
        self._build_central()

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filter)

        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.group_tree.selectionModel().currentChanged.connect(self._group_chosen)
        self.groups.contacts_dropped.connect(self.add_to_group)
        self.groups.rename_requested.connect(self.rename_group)
        self.model.total_changed.connect(lambda _total: self._show_count())
        self.model.first_page.connect(lambda _rows: self._show_count())
        self.model.load_failed.connect(self._show_error)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table.activated.connect(lambda index: self.edit_contact(self.model.record(index.row())))

        self.reload()

    # -- building ------------------------------------------------------------------------------------

    def _action(self, icon_name: str, text: str, tip: str, slot: Callable[[], Any], shortcut: Any = None) -> QAction:
        action = QAction(icon(icon_name), text, self)
        action.setToolTip(tip)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.new_action = self._action(
            "contact_add", self.tr("新建联系人"), self.tr("添加一位联系人"), self.new_contact, keys.New
        )
        self.edit_action = self._action(
            "edit", self.tr("编辑…"), self.tr("编辑选中的联系人（双击或回车也可）"), self.edit_selected
        )
        self.import_action = self._action(
            "import", self.tr("导入…"), self.tr("从 Excel 或 CSV 文件导入联系人"), self.open_import_wizard, keys.Open
        )
        self.export_action = self._action(
            "export",
            self.tr("导出…"),
            self.tr("把当前列表中的联系人导出为 Excel 或 CSV 文件"),
            self.export_current,
            "Ctrl+E",
        )
        self.new_group_action = self._action(
            "group_add", self.tr("新建分组"), self.tr("新建一个空分组"), self.new_group, "Ctrl+Shift+N"
        )
        self.rename_group_action = self._action(
            "edit", self.tr("重命名分组"), self.tr("重命名选中的分组"), self.start_rename_group
        )
        self.delete_action = self._action(
            "delete", self.tr("删除"), self.tr("删除选中的联系人或分组"), self.delete_selected, keys.Delete
        )
        self.optout_action = self._action(
            "optout", self.tr("退订…"), self.tr("选中的联系人不再收到短信"), self.opt_out_selected
        )
        self.optin_action = self._action(
            "resume", self.tr("取消退订"), self.tr("选中的联系人重新可以收到短信"), self.opt_in_selected
        )
        self.refresh_action = self._action(
            "refresh", self.tr("刷新"), self.tr("重新读取通讯录"), self.reload, keys.Refresh
        )
        self.find_action = self._action("search", self.tr("搜索"), self.tr("搜索联系人"), self._focus_search, keys.Find)
        self.addAction(self.find_action)  # a shortcut only, not on the toolbar

        toolbar = QToolBar(self.tr("工具栏"), self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for group in (
            (self.new_action, self.edit_action),
            (self.import_action, self.export_action),
            (self.new_group_action, self.delete_action),
            (self.refresh_action,),
        ):
            if toolbar.actions():
                toolbar.addSeparator()
            for action in group:
                toolbar.addAction(action)
        self.toolbar = toolbar

    def _build_central(self) -> None:
        self.group_tree = QTreeView()
        self.group_tree.setObjectName("group_tree")
        self.group_tree.setModel(self.groups)
        self.group_tree.setHeaderHidden(True)
        self.group_tree.setIconSize(QSize(18, 18))
        self.group_tree.setMinimumWidth(170)
        self.group_tree.setUniformRowHeights(True)
        self.group_tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.group_tree.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.group_tree.setAcceptDrops(True)
        self.group_tree.setDropIndicatorShown(True)
        self.group_tree.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.group_tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.group_tree.customContextMenuRequested.connect(self._group_menu)

        self.search_box = QLineEdit()
        self.search_box.setObjectName("search_box")
        self.search_box.setPlaceholderText(self.tr("搜索姓名、手机号码或部门"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)

        self.table = QTableView()
        self.table.setObjectName("contacts_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
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
        caption.setMinimumHeight(self.search_box.sizeHint().height())  # level with the search box
        left_layout.addWidget(caption)
        left_layout.addWidget(self.group_tree)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("contacts_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(centre)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([200, 900])
        self.splitter.setChildrenCollapsible(False)

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
        outer_layout.addWidget(self.splitter, 1)
        outer_layout.addLayout(footer)

        QWidget.setTabOrder(self.search_box, self.table)
        QWidget.setTabOrder(self.table, self.group_tree)
        self._restore_state()

    # -- remembered layout -----------------------------------------------------------------------------

    def save_state(self, store: QSettings) -> None:
        store.setValue("contacts/splitter", self.splitter.saveState())
        store.setValue("contacts/columns", self.table.horizontalHeader().saveState())

    def _restore_state(self) -> None:
        from ui.main_window import window_settings  # the window's own store; imported late (no cycle)

        store = window_settings()
        splitter, columns = store.value("contacts/splitter"), store.value("contacts/columns")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        if columns is not None:
            self.table.horizontalHeader().restoreState(columns)

    # -- loading -------------------------------------------------------------------------------------

    def activate(self) -> None:
        """Each return to the page: counts re-read, the loaded rows redrawn as the book has them now (a TD
        reply or a send may have changed them), the user's place in the list kept."""
        self.table.setFocus()
        if not self._activated:
            self._activated = True  # built just now: reload() is already reading
            return
        self._load_groups()
        ids = [self.model.record(row).id for row in range(self.model.rowCount())]
        if ids:
            book = self.book
            self.worker.run(
                lambda _cancel, _progress: book.records(ids),
                on_result=self.model.update_records,
                on_error=self._show_error,
                owner=self,
                name="redraw contacts",
            )

    def reload(self) -> None:
        """Re-read groups, counts and the current page of contacts."""
        self._load_groups()
        self.model.refresh()

    def _load_groups(self) -> None:
        self._groups_generation += 1
        generation = self._groups_generation
        book = self.book

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[list[GroupRecord], int, int]:
            return book.groups(), book.count(ContactQuery()), book.count(ContactQuery(opted_out=True))

        self.worker.run(
            read,
            on_result=lambda result: self._groups_arrived(generation, *result),
            on_error=self._show_error,
            owner=self,
            name="groups",
        )

    def _groups_arrived(self, generation: int, groups: list[GroupRecord], all_count: int, opted: int) -> None:
        if generation != self._groups_generation:
            return
        kind, group_id = self._chosen
        # Rebuilding the tree must not look like the user picking a group.
        selection = self.group_tree.selectionModel()
        selection.blockSignals(True)
        try:
            self.groups.set_groups(groups, all_count, opted)
            self.group_tree.expandAll()
            current = self.groups.all_index()
            if kind is Node.OPTED_OUT:
                current = self.groups.opted_out_index()
            elif kind is Node.GROUP and group_id is not None:
                current = self.groups.group_index(group_id)
            gone = not current.isValid()
            if gone:
                current = self.groups.all_index()
            selection.setCurrentIndex(current, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            selection.blockSignals(False)
        if gone:
            self._chosen = (Node.ALL, None)
            self._apply_filter()  # the chosen group is gone: show everyone
        self._update_actions()

    def _group_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        kind = self.groups.kind(current)
        group = self.groups.group(current)
        self._chosen = (kind or Node.ALL, group.id if group else None)
        self._apply_filter()
        self._update_actions()

    def current_group(self) -> GroupRecord | None:
        return self.groups.group(self.group_tree.currentIndex())

    def current_group_name(self) -> str | None:
        group = self.current_group()
        return group.name if group else None

    def current_query(self) -> ContactQuery:
        kind, group_id = self._chosen
        return ContactQuery(
            text=self.search_box.text().strip(),
            group_id=group_id if kind is Node.GROUP else None,
            opted_out=True if kind is Node.OPTED_OUT else None,
        )

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)
            self._show_count()

    def _focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _show_count(self) -> None:
        model = self.model
        query, total = model.query, model.total
        if total is None:
            loaded = model.rowCount()
            if loaded and model.counting:
                text = self.tr("已显示 %1 位，正在统计总数…").replace("%1", f"{loaded:,}")
            else:
                text = self.tr("正在查找…")
        elif query.text or query.group_id is not None or query.opted_out is not None:
            text = self.tr("找到 %1 位联系人").replace("%1", f"{total:,}")
        else:
            text = self.tr("共 %1 位联系人").replace("%1", f"{total:,}")
        self.count_label.setText(text)

    def selected_records(self) -> list[ContactRecord]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return self.model.records(rows)

    def _update_actions(self) -> None:
        records = self.selected_records()
        group = self.current_group()
        self.edit_action.setEnabled(len(records) == 1)
        self.delete_action.setEnabled(bool(records) or group is not None)
        self.rename_group_action.setEnabled(group is not None)
        self.optout_action.setEnabled(any(not r.opted_out for r in records))
        self.optin_action.setEnabled(any(r.opted_out for r in records))

    # -- menus ---------------------------------------------------------------------------------------

    def table_menu(self) -> QMenu:
        """The table's context menu for the current selection (built afresh each time it opens)."""
        records = self.selected_records()
        menu = QMenu(self)
        menu.addAction(self.edit_action)
        menu.addAction(self.new_action)
        menu.addSeparator()
        join = menu.addMenu(icon("group_add"), self.tr("加入分组"))
        join.setObjectName("join_menu")
        for group in self.groups.groups:
            act = join.addAction(icon("group"), group.name)
            act.triggered.connect(lambda _c=False, name=group.name: self.add_to_group([r.id for r in records], name))
        if self.groups.groups:
            join.addSeparator()
        join.addAction(self.tr("新建分组…"), lambda: self.add_to_new_group([r.id for r in records]))
        leave = menu.addMenu(self.tr("移出分组"))
        leave.setObjectName("leave_menu")
        for name in sorted({g for r in records for g in r.groups}):
            act = leave.addAction(icon("group"), name)
            act.triggered.connect(lambda _c=False, n=name: self.remove_from_group([r.id for r in records], n))
        leave.setEnabled(not leave.isEmpty())
        join.setEnabled(bool(records))
        menu.addSeparator()
        menu.addAction(self.optout_action)
        menu.addAction(self.optin_action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        return menu

    def _table_menu(self, pos: QPoint) -> None:
        self._update_actions()
        self.table_menu().exec(self.table.viewport().mapToGlobal(pos))

    def group_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.new_group_action)
        menu.addAction(self.rename_group_action)
        delete = menu.addAction(icon("delete"), self.tr("删除分组"))
        group = self.current_group()
        delete.setEnabled(group is not None)
        if group is not None:
            delete.triggered.connect(lambda: self.delete_group(group.name))
        return menu

    def _group_menu(self, pos: QPoint) -> None:
        index = self.group_tree.indexAt(pos)
        if index.isValid():
            self.group_tree.setCurrentIndex(index)
        self._update_actions()
        self.group_menu().exec(self.group_tree.viewport().mapToGlobal(pos))

    # -- contacts ------------------------------------------------------------------------------------

    def new_contact(self) -> ContactDialog:
        group = self.current_group_name()
        return self._open_dialog(None, None, preset_groups=[group] if group else [])

    def edit_selected(self) -> None:
        records = self.selected_records()
        if len(records) == 1:
            self.edit_contact(records[0])

    def edit_contact(self, record: ContactRecord) -> None:
        """Open the edit dialog with the contact as the book has it now (and its opt-out entry)."""
        book = self.book

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[ContactRecord, OptOutRecord | None]:
            fresh = book.get(record.id)
            return fresh, book.optout_of(fresh.phone)

        self.worker.run(
            read,
            on_result=lambda result: self._open_dialog(*result),
            on_error=self._show_error,
            owner=self,
            name="read contact",
        )

    def _open_dialog(
        self, record: ContactRecord | None, optout: OptOutRecord | None, preset_groups: Sequence[str] = ()
    ) -> ContactDialog:
        from ui.contact_dialog import ContactDialog  # on first use: start-up need not import the dialogs

        names = [g.name for g in self.groups.groups]
        dialog = ContactDialog(
            self.book, self.worker, names, self, record=record, optout=optout, preset_groups=preset_groups
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda saved: self._contact_saved(saved, is_new=record is None))
        dialog.destroyed.connect(lambda: setattr(self, "contact_dialog", None))
        self.contact_dialog = dialog
        dialog.open()
        return dialog

    def _contact_saved(self, record: ContactRecord, *, is_new: bool) -> None:
        self.say(self.tr("已保存联系人“%1”").replace("%1", record.name or record.phone))
        self._load_groups()
        if is_new or not self.model.update_records([record]):
            self.model.refresh()

    def delete_selected(self) -> None:
        records = self.selected_records()
        group = self.current_group_name()
        if (self.group_tree.hasFocus() or not records) and group:
            self.delete_group(group)
        elif records:
            self.delete_contacts([r.id for r in records])

    def delete_contacts(self, ids: list[int]) -> None:
        question = self.tr("删除选中的 %1 位联系人？此操作无法撤销。").replace("%1", str(len(ids)))
        if not self.confirm(self.tr("删除联系人"), question):
            return
        book = self.book
        self.worker.run(
            lambda _cancel, _progress: book.delete(ids),
            on_result=lambda count: (
                self.say(self.tr("已删除 %1 位联系人").replace("%1", str(count))),
                self.reload(),
            ),
            on_error=self._show_error,
            owner=self,
            name="delete contacts",
        )

    def opt_out_selected(self) -> None:
        ids = [r.id for r in self.selected_records() if not r.opted_out]
        if not ids:
            return
        answer = self.ask_optout(len(ids))
        if answer is None:
            return
        reason, note = answer
        book = self.book
        self._change_contacts(
            ids,
            lambda: book.set_opted_out(ids, True, reason, note),
            self.tr("已将 %1 位联系人退订"),
            moves_rows=self._chosen[0] is Node.OPTED_OUT,
        )

    def opt_in_selected(self) -> None:
        ids = [r.id for r in self.selected_records() if r.opted_out]
        if not ids:
            return
        question = self.tr("让选中的 %1 位联系人重新接收短信？请确认他们已同意。").replace("%1", str(len(ids)))
        if not self.confirm(self.tr("取消退订"), question):
            return
        book = self.book
        self._change_contacts(
            ids,
            lambda: book.set_opted_out(ids, False),
            self.tr("已为 %1 位联系人取消退订"),
            moves_rows=self._chosen[0] is Node.OPTED_OUT,
        )

    def _change_contacts(self, ids: list[int], change: Callable[[], int], done: str, *, moves_rows: bool) -> None:
        """Run a change to some contacts, then redraw their rows (or reload the list when the change moves
        them in or out of it) and the group counts."""
        book = self.book

        def run(_cancel: threading.Event, _progress: Progress) -> tuple[int, list[ContactRecord]]:
            count = change()
            return count, book.records(ids)

        def finished(result: tuple[int, list[ContactRecord]]) -> None:
            count, records = result
            self.say(done.replace("%1", str(count)))
            self._load_groups()
            if moves_rows:
                self.model.refresh()
            else:
                self.model.update_records(records)
            self._update_actions()

        self.worker.run(run, on_result=finished, on_error=self._show_error, owner=self, name="change contacts")

    # -- groups --------------------------------------------------------------------------------------

    def new_group(self) -> None:
        name = self.ask_text(self.tr("新建分组"), self.tr("分组名称："), "")
        if name and name.strip():
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

    def start_rename_group(self) -> None:
        index = self.group_tree.currentIndex()
        if self.groups.group(index) is not None:
            self.group_tree.edit(index)

    def rename_group(self, old: str, new: str) -> None:
        book = self.book

        def renamed(_none: None) -> None:
            self.say(self.tr("分组“%1”已改名为“%2”").replace("%1", old).replace("%2", new))
            self._load_groups()
            self.model.refresh()  # the 分组 column shows the new name

        def refused(exc: BaseException) -> None:
            self._load_groups()  # back to the name the book has
            self._show_error(exc)

        self.worker.run(
            lambda _cancel, _progress: book.rename_group(old, new),
            on_result=renamed,
            on_error=refused,
            owner=self,
            name="rename group",
        )

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

    def add_to_group(self, ids: list[int], name: str) -> None:
        """Contacts join a group (dropped on it, or chosen from the menu)."""
        if not ids:
            return
        book = self.book
        self._change_contacts(
            ids,
            lambda: book.add_to_group(ids, name),
            self.tr("已把 %1 位联系人加入“%2”").replace("%2", name),
            moves_rows=False,
        )

    def add_to_new_group(self, ids: list[int]) -> None:
        name = self.ask_text(self.tr("新建分组"), self.tr("分组名称："), "")
        if name and name.strip():
            self.add_to_group(ids, name.strip())  # the book creates the group as it adds them

    def remove_from_group(self, ids: list[int], name: str) -> None:
        book = self.book
        current = self.current_group_name()
        self._change_contacts(
            ids,
            lambda: book.remove_from_group(ids, name),
            self.tr("已把 %1 位联系人移出“%2”").replace("%2", name),
            moves_rows=current == name,
        )

    # -- import and export -------------------------------------------------------------------------------

    def open_import_wizard(self) -> ImportWizard:
        from ui.import_wizard import ImportWizard  # on first use: the importer need not load at start-up

        group = self.current_group_name()
        wizard = ImportWizard(self.db, self.worker, self, groups=[group] if group else [])
        wizard.imported.connect(lambda _report: self.reload())
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.destroyed.connect(lambda: setattr(self, "import_wizard", None))
        self.import_wizard = wizard
        wizard.open()
        return wizard

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
                self.tr("已导出 %1 位联系人到 %2").replace("%1", str(count)).replace("%2", path)
            ),
            on_error=self._show_error,
            owner=self,
            name="export",
        )

    # -- feedback ------------------------------------------------------------------------------------

    def busy(self) -> bool:
        wizard = self.import_wizard
        return wizard is not None and wizard.running

    def _confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes

    def _ask_optout(self, count: int) -> tuple[str, str] | None:
        from ui.contact_optout_dialog import ask_optout

        return ask_optout(self, count)

    def _ask_text(self, title: str, label: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    def _show_error(self, exc: BaseException) -> None:
        show_error(self, exc)
