"""The inbox's two models: the conversations (one per contact, or per number not in the book), latest reply
first and read a page at a time; and one conversation's thread, replies and our messages in time order.

Both are read by the background worker. A refresh of the conversations (a reply came in) re-reads as many
rows as are loaded, in one read, and replaces them; the page puts the current conversation back by its key.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from smsjingling.replies.threads import (
    Conversation,
    ConversationKey,
    ConversationQuery,
    Conversations,
    Thread,
    ThreadItem,
)
from ui.worker import Progress, Worker

PAGE_SIZE = 100

AnyIndex = QModelIndex | QPersistentModelIndex

# Roles for the delegates: the whole record, beside the plain text a screen reader or a test reads.
RECORD_ROLE = Qt.ItemDataRole.UserRole


class ConversationsModel(QAbstractListModel):
    """Rows of `Conversation`; DisplayRole is "name number: last reply" for plain views and tests."""

    total_changed = Signal(int)
    load_failed = Signal(object)
    reloaded = Signal()  # a refresh replaced the rows (put the selection back)

    def __init__(self, inbox: Conversations, worker: Worker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._inbox = inbox
        self._worker = worker
        self._query = ConversationQuery()
        self._rows: list[Conversation] = []
        self._total: int | None = None
        self._exhausted = True
        self._loading = False
        self._generation = 0

    @property
    def query(self) -> ConversationQuery:
        return self._query

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def total(self) -> int | None:
        return self._total

    def conversation(self, row: int) -> Conversation:
        return self._rows[row]

    def row_of(self, key: ConversationKey) -> int | None:
        return next((i for i, c in enumerate(self._rows) if c.key == key), None)

    def set_query(self, query: ConversationQuery) -> None:
        self._query = query
        self.reset()

    def reset(self) -> None:
        """Start again from the first page (a new search)."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._total = None
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self._load(offset=0, limit=PAGE_SIZE, replace_all=False)

    def refresh(self) -> None:
        """Re-read what is loaded (at least a page): new replies move conversations to the top."""
        self._generation += 1
        self._load(offset=0, limit=max(len(self._rows), PAGE_SIZE), replace_all=True)

    def mark_read_locally(self, key: ConversationKey) -> None:
        """The page marked the conversation read in the database: show it without a re-read."""
        row = self.row_of(key)
        if row is not None and self._rows[row].unread:
            self._rows[row] = replace(self._rows[row], unread=0)
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 (Qt's own default)
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load(offset=len(self._rows), limit=PAGE_SIZE, replace_all=False)

    def _load(self, *, offset: int, limit: int, replace_all: bool) -> None:
        generation = self._generation
        inbox, query = self._inbox, self._query

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[list[Conversation], int]:
            return inbox.list(query, limit=limit, offset=offset), inbox.count(query)

        self._loading = True
        self._worker.run(
            read,
            on_result=lambda result: self._arrived(generation, limit, replace_all, *result),
            on_error=lambda exc: self._failed(generation, exc),
            owner=self,
            name="conversations",
        )

    def _arrived(self, generation: int, limit: int, replace_all: bool, rows: list[Conversation], total: int) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = len(rows) < limit
        if replace_all:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            self.reloaded.emit()
        else:
            known = {c.key for c in self._rows}
            rows = [c for c in rows if c.key not in known]
            if rows:
                start = len(self._rows)
                self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
                self._rows.extend(rows)
                self.endInsertRows()
        if total != self._total:
            self._total = total
            self.total_changed.emit(total)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = True
        self.load_failed.emit(exc)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        c = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            who = f"{c.name} {c.phone}" if c.name else c.phone
            return f"{who}: {c.last_text}"
        if role == RECORD_ROLE:
            return c
        if role == Qt.ItemDataRole.ToolTipRole:
            return c.phone
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        return None


class ThreadModel(QAbstractListModel):
    """One conversation's messages, oldest first; RECORD_ROLE gives the ThreadItem."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread: Thread | None = None
        self._items: list[ThreadItem] = []

    def set_thread(self, thread: Thread | None) -> None:
        self.beginResetModel()
        self.thread = thread
        self._items = list(thread.items) if thread is not None else []
        self.endResetModel()

    def item(self, row: int) -> ThreadItem:
        return self._items[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._items):
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.text
        if role == RECORD_ROLE:
            return item
        return None
