"""The audit log's table: events newest first, a page at a time (smsjingling.audit_log), new events put on
top when the page looks again, and the rows where a chain check found a break marked in red."""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from smsjingling import audit_log
from smsjingling.audit_log import AuditQuery, AuditRow
from smsjingling.records.period import wall_time
from smsjingling.storage.database import Database
from ui.paged_model import RIGHT, AnyIndex, PagedTableModel
from ui.worker import Worker

PAGE_SIZE = 200
NEW_AT_ONCE = 1000  # more new events than this since the last look: start again from the top

BROKEN = QColor("#f9dedc")


class Column:
    TIME, ACTOR, MACHINE, ACTION, DETAILS, ID = range(6)
    COUNT = 6


class AuditModel(PagedTableModel[AuditRow]):
    """Read-only rows of `AuditRow`; `Qt.UserRole` on any cell gives the row."""

    RIGHT_ALIGNED = frozenset({Column.ID})

    def __init__(self, db: Database, worker: Worker, tz: tzinfo | None, parent: QObject | None = None) -> None:
        super().__init__(db, worker, parent)
        self._tz = tz
        self._query = AuditQuery()
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
        self._restart()

    def _load_next(self) -> None:
        db, query = self._db, self._query
        below = self._rows[-1].id if self._rows else None
        first = self._total is None

        def read() -> tuple[list[AuditRow], int | None]:
            with db.reader() as s:
                rows = audit_log.events(s, query, below_id=below, limit=PAGE_SIZE)
                total = audit_log.count(s, query) if first else None
            return rows, total

        self._loading = True
        self._read(read, lambda result: self._arrived(*result), "audit page")

    def _arrived(self, rows: list[AuditRow], total: int | None) -> None:
        self._loading = False
        self._exhausted = len(rows) < PAGE_SIZE
        self._append(rows)
        if total is not None:
            self._set_total(total)

    def look_for_new(self) -> None:
        """Put events written since the last read on top (the log only grows at the end)."""
        if self._loading or (not self._rows and not self._exhausted):
            return
        db, query = self._db, self._query
        top = self._rows[0].id if self._rows else 0

        def read() -> tuple[list[AuditRow], int]:
            with db.reader() as s:
                return audit_log.newer(s, query, above_id=top, limit=NEW_AT_ONCE + 1), audit_log.count(s, query)

        self._loading = True
        self._read(read, lambda result: self._new_arrived(*result), "audit new")

    def _new_arrived(self, rows: list[AuditRow], total: int) -> None:
        self._loading = False
        if len(rows) > NEW_AT_ONCE:
            self.refresh()
            return
        self._prepend(rows)
        self._set_total(total)

    # -- the table -----------------------------------------------------------------------------------

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row_at(index)
        if row is None:
            return None
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
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.RIGHT_ALIGNED:
            return RIGHT
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
