"""The base of the tables that read a database a page at a time in the background: the rows loaded so far,
Qt's lazy fetching, reads whose answers are dropped once the model has started again, the total, and the
header. What to read and how a row looks is the subclass's."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from smsjingling.storage.database import Database
from ui.worker import Progress, Worker

Row = TypeVar("Row")
Result = TypeVar("Result")
AnyIndex = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class PagedTableModel(QAbstractTableModel, Generic[Row]):
    """Read-only rows loaded a page at a time by `_load_next` (the subclass's), through `_read`. The subclass
    sets `_headers` (translated, so after this constructor)."""

    total_changed = Signal(int)  # rows the query finds in all
    load_failed = Signal(object)

    RIGHT_ALIGNED: frozenset[int] = frozenset()  # columns of figures

    def __init__(self, db: Database, worker: Worker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._worker = worker
        self._headers: tuple[str, ...] = ()
        self._rows: list[Row] = []
        self._total: int | None = None
        self._exhausted = True
        self._loading = False
        # Bumped by every start from the top: an answer read for an earlier generation is dropped.
        self._generation = 0

    @property
    def total(self) -> int | None:
        return self._total

    @property
    def loading(self) -> bool:
        return self._loading

    def _load_next(self) -> None:
        """Read the page after the loaded rows (through `_read`, setting `_loading`)."""
        raise NotImplementedError

    def _restart(self) -> None:
        """Drop every row and what is being read, then read the first page."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._total = None
        self._exhausted = False
        self._loading = False
        self._forget()
        self.endResetModel()
        self._load_next()

    def _forget(self) -> None:
        """A subclass's own state of the rows, cleared when the model starts again."""

    def _read(
        self,
        read: Callable[[], Result],
        arrived: Callable[[Result], None],
        name: str,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """`read()` on the background worker, then `arrived(result)` here, unless the model started again."""
        generation = self._generation

        def run(_cancel: threading.Event, _progress: Progress) -> Result:
            return read()

        def current(handle: Callable[[Any], None]) -> Callable[[Any], None]:
            return lambda value: handle(value) if generation == self._generation else None

        self._worker.run(
            run, on_result=current(arrived), on_error=current(failed or self._failed), owner=self, name=name
        )

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self._exhausted = True  # stop asking: a view would retry a failing read on every scroll
        self.load_failed.emit(exc)

    def _set_total(self, total: int) -> None:
        if total != self._total:
            self._total = total
            self.total_changed.emit(total)

    def _append(self, rows: Sequence[Row]) -> None:
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self._rows_added(start)
            self.endInsertRows()

    def _prepend(self, rows: Sequence[Row]) -> None:
        if rows:
            self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
            self._rows[:0] = rows
            self._rows_added(0)
            self.endInsertRows()

    def _rows_added(self, start: int) -> None:
        """Rows from `start` on are new or moved (a subclass keeping an index of them brings it up to date)."""

    # -- the table -----------------------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 (Qt's own default)
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load_next()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if orientation == Qt.Orientation.Horizontal else section + 1
        if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Horizontal:
            return RIGHT if section in self.RIGHT_ALIGNED else None
        return None

    def _row_at(self, index: AnyIndex) -> Row | None:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self._rows[index.row()]
