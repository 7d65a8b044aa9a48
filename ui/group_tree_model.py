"""The group tree beside the contacts table: 全部联系人 with the groups under it, and 已退订.

    ▾ 全部联系人 (1,000,000)
        人事处 (100,053)
        …
      已退订 (1,000)

Groups are flat in the core, so the tree is two levels deep. Contacts dragged from the table (ui.contact_mime)
drop onto a group to join it; the model does not write anything itself, it asks through `contacts_dropped`
and `rename_requested`, and the page runs the change in the background and reloads the tree.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from smsjingling.contacts.records import GroupRecord
from ui.contact_mime import CONTACT_IDS_MIME, contact_ids
from ui.icons import icon

AnyIndex = QModelIndex | QPersistentModelIndex

GROUP_ID_ROLE = Qt.ItemDataRole.UserRole
GROUP_NAME_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2

# internalId of an index: which level it is on
_TOP = 0
_UNDER_ALL = 1


class Node(enum.Enum):
    ALL = "all"
    GROUP = "group"
    OPTED_OUT = "opted_out"


class GroupTreeModel(QAbstractItemModel):
    # contacts were dropped on a group: (contact ids, group name)
    contacts_dropped = Signal(list, str)
    # the user typed a new name for a group: (old name, new name)
    rename_requested = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[GroupRecord] = []
        self._all: int | None = None
        self._opted_out: int | None = None

    # -- content ---------------------------------------------------------------------------------------

    def set_groups(self, groups: Sequence[GroupRecord], all_count: int | None, opted_out: int | None) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self._all = all_count
        self._opted_out = opted_out
        self.endResetModel()

    @property
    def groups(self) -> list[GroupRecord]:
        return list(self._groups)

    def all_index(self) -> QModelIndex:
        return self.index(0, 0)

    def opted_out_index(self) -> QModelIndex:
        return self.index(1, 0)

    def group_index(self, group_id: int) -> QModelIndex:
        for row, group in enumerate(self._groups):
            if group.id == group_id:
                return self.index(row, 0, self.all_index())
        return QModelIndex()

    def kind(self, index: AnyIndex) -> Node | None:
        if not index.isValid():
            return None
        if index.internalId() == _UNDER_ALL:
            return Node.GROUP
        return Node.ALL if index.row() == 0 else Node.OPTED_OUT

    def group(self, index: AnyIndex) -> GroupRecord | None:
        return self._groups[index.row()] if self.kind(index) is Node.GROUP else None

    # -- structure -------------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _TOP) if row < 2 else QModelIndex()
        if self.kind(parent) is Node.ALL and row < len(self._groups):
            return self.createIndex(row, 0, _UNDER_ALL)
        return QModelIndex()

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if index.isValid() and index.internalId() == _UNDER_ALL:
            return self.createIndex(0, 0, _TOP)
        return QModelIndex()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return 2
        if parent.column() == 0 and self.kind(parent) is Node.ALL:
            return len(self._groups)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    # -- data ------------------------------------------------------------------------------------------

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        kind = self.kind(index)
        if kind is None:
            return None
        group = self.group(index)
        if role == Qt.ItemDataRole.DisplayRole:
            if kind is Node.ALL:
                return self._counted(self.tr("全部联系人"), self._all)
            if kind is Node.OPTED_OUT:
                return self._counted(self.tr("已退订"), self._opted_out)
            assert group is not None
            return self._counted(group.name, group.members)
        if role == Qt.ItemDataRole.EditRole:
            return group.name if group is not None else None
        if role == Qt.ItemDataRole.DecorationRole:
            return icon({Node.ALL: "contacts", Node.GROUP: "group", Node.OPTED_OUT: "optout"}[kind])
        if role == Qt.ItemDataRole.ToolTipRole:
            if kind is Node.OPTED_OUT:
                return self.tr("退订的号码不会再收到短信")
            if group is not None:
                tip = self.tr("把联系人拖到这里即可加入分组；按 F2 重命名")
                return f"{group.note}\n{tip}" if group.note else tip
            return None
        if role == Qt.ItemDataRole.ForegroundRole and kind is Node.OPTED_OUT:
            return QBrush(QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        if role == GROUP_ID_ROLE:
            return group.id if group is not None else None
        if role == GROUP_NAME_ROLE:
            return group.name if group is not None else None
        if role == KIND_ROLE:
            return kind.value
        return None

    @staticmethod
    def _counted(name: str, count: int | None) -> str:
        return name if count is None else f"{name} ({count:,})"

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        kind = self.kind(index)
        if kind is None:
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if kind is Node.GROUP:
            flags |= Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        group = self.group(index)
        if group is None or role != Qt.ItemDataRole.EditRole:
            return False
        new = str(value).strip()
        if not new or new == group.name:
            return False
        # Shown at once under its new name; the page renames it in the book and reloads the tree (which
        # brings back the old name if the book refused).
        self._groups[index.row()] = GroupRecord(group.id, new, group.members, group.note)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.rename_requested.emit(group.name, new)
        return True

    # -- dropping --------------------------------------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [CONTACT_IDS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction  # joining a group never takes a contact out of the table

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex) -> bool:
        # Only onto a group itself (row -1), never between the items.
        return row == -1 and self.kind(parent) is Node.GROUP and bool(contact_ids(data))

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        group = self.group(parent)
        assert group is not None
        self.contacts_dropped.emit(contact_ids(data), group.name)
        return True
