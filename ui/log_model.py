"""The audit log's table: events newest first, a page at a time (smsjingling.audit_log), new events put on
top when the page looks again, and the rows where a chain check found a break marked in red."""

from __future__ import annotations

import json
import threading
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from smsjingling import audit_log
from smsjingling.audit_log import AuditQuery, AuditRow
from smsjingling.records.period import wall_time
from smsjingling.storage.database import Database
from ui.worker import Progress, Worker

PAGE_SIZE = 200
NEW_AT_ONCE = 1000  # more new events than this since the last look: start again from the top

AnyIndex = QModelIndex | QPersistentModelIndex
BROKEN = QColor("#f9dedc")


class Column:
    TIME, ACTOR, MACHINE, ACTION, DETAILS, ID = range(6)
    COUNT = 6


class AuditModel(QAbstractTableModel):
    """Read-only rows of `AuditRow`; `Qt.UserRole` on any cell gives the row."""

    total_changed = Signal(int)
    load_failed = Signal(object)

    def __init__(self, db: Database, worker: Worker, tz: tzinfo | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._worker = worker
        self._tz = tz
        self._query = AuditQuery()
        self._rows: list[AuditRow] = []
        self._total: int | None = None
        self._exhausted = True
        self._loading = False
        self._generation = 0
        self._broken: dict[int, str] = {}  # event id -> "edited" or "gap"
        self._headers = (
            self.tr("时间"),
            self.tr("操作人"),
            self.tr("计算机"),
            self.tr("操作"),
            self.tr("详情"),
            self.tr("编号"),
        )
        self._reasons = {
            "edited": self.tr("这一行在写入后被修改过（内容与其哈希不符）"),
            "gap": self.tr("与前一条不相连：前一条被删除或修改过"),
        }

    @property
    def query(self) -> AuditQuery:
        return self._query

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def total(self) -> int | None:
        return self._total

    def event(self, row: int) -> AuditRow:
        return self._rows[row]

    def set_query(self, query: AuditQuery) -> None:
        self._query = query
        self.refresh()

    def set_broken(self, broken: dict[int, str]) -> None:
        """Mark the rows a chain check found broken (an empty dict clears the marks)."""
        self._broken = dict(broken)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, Column.COUNT - 1))

    def refresh(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._total = None
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self._load(first=True)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 (Qt's own default)
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load(first=False)

    def _load(self, *, first: bool) -> None:
        generation = self._generation
        db, query = self._db, self._query
        below = self._rows[-1].id if self._rows else None

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[list[AuditRow], int | None]:
            with db.reader() as s:
                rows = audit_log.events(s, query, below_id=below, limit=PAGE_SIZE)
                total = audit_log.count(s, query) if first else None
            return rows, total

        self._loading = True
        self._worker.run(
            read,
            on_result=lambda result: self._arrived(generation, *result),
            on_error=lambda exc: self._failed(generation, exc),
            owner=self,
            name="audit page",
        )

    def _arrived(self, generation: int, rows: list[AuditRow], total: int | None) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = len(rows) < PAGE_SIZE
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        if total is not None:
            self._set_total(total)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = True
        self.load_failed.emit(exc)

    def _set_total(self, total: int) -> None:
        if total != self._total:
            self._total = total
            self.total_changed.emit(total)

    def look_for_new(self) -> None:
        """Put events written since the last read on top (the log only grows at the end)."""
        if self._loading or (not self._rows and not self._exhausted):
            return
        generation = self._generation
        db, query = self._db, self._query
        top = self._rows[0].id if self._rows else 0

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[list[AuditRow], int]:
            with db.reader() as s:
                return audit_log.newer(s, query, above_id=top, limit=NEW_AT_ONCE + 1), audit_log.count(s, query)

        self._loading = True
        self._worker.run(
            read,
            on_result=lambda result: self._new_arrived(generation, *result),
            on_error=lambda exc: self._failed(generation, exc),
            owner=self,
            name="audit new",
        )

    def _new_arrived(self, generation: int, rows: list[AuditRow], total: int) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if len(rows) > NEW_AT_ONCE:
            self.refresh()
            return
        if rows:
            self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
            self._rows[:0] = rows
            self.endInsertRows()
        self._set_total(total)

    # -- the table -----------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else Column.COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.id in self._broken:
                return self._reasons.get(self._broken[row.id], self._broken[row.id])
            if column == Column.DETAILS and row.details:
                return json.dumps(row.details, ensure_ascii=False, indent=2, default=str)
            if column == Column.ACTION:
                return row.action
            return None
        if role == Qt.ItemDataRole.BackgroundRole and row.id in self._broken:
            return QBrush(BROKEN)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: AuditRow, column: int) -> str:
        if column == Column.TIME:
            return wall_time(row.at, self._tz).strftime("%Y-%m-%d %H:%M:%S")
        if column == Column.ACTOR:
            return row.actor
        if column == Column.MACHINE:
            return row.machine
        if column == Column.ACTION:
            return audit_log.action_text(row.action)
        if column == Column.DETAILS:
            return audit_log.details_text(row.details)
        if column == Column.ID:
            return str(row.id)
        return ""
