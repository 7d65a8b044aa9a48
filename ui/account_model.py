"""The ledger table of 账户: an account's entries, newest first, each with the balance after it, read a page at a
time in the background as the view scrolls (`canFetchMore` / `fetchMore`), so a ledger of years stays quick.

Switching account or refreshing starts a new generation: a page of an older one that arrives late is dropped.
"""

from __future__ import annotations

import threading
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from smsjingling.account.entries import EntryLine, entry_count, entry_page
from smsjingling.account.labels import kind_text
from smsjingling.account.money import yuan_text
from smsjingling.records.period import wall_time
from smsjingling.storage.database import Database
from ui.worker import Progress, Worker

PAGE_SIZE = 200
AnyIndex = QModelIndex | QPersistentModelIndex


class Column:
    AT, KIND, AMOUNT, HELD, BALANCE, SEGMENTS, MESSAGE, CAMPAIGN, ACTOR, NOTE = range(10)
    COUNT = 10


def signed_yuan(fen: int) -> str:
    return ("+" if fen > 0 else "") + yuan_text(fen)


class LedgerModel(QAbstractTableModel):
    total_changed = Signal(int)
    load_failed = Signal(object)

    def __init__(self, db: Database, worker: Worker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._worker = worker
        self._account: int | None = None
        self._tz: tzinfo | None = None
        self._rows: list[EntryLine] = []
        self._total = 0
        self._loading = False
        self._generation = 0
        self._headers = (
            self.tr("时间"),
            self.tr("类型"),
            self.tr("金额（元）"),
            self.tr("预留变动（元）"),
            self.tr("余额（元）"),
            self.tr("条数"),
            self.tr("短信编号"),
            self.tr("任务编号"),
            self.tr("操作人"),
            self.tr("备注"),
        )

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def total(self) -> int:
        return self._total

    def line(self, row: int) -> EntryLine:
        return self._rows[row]

    def show_account(self, account_id: int | None, tz: tzinfo | None = None) -> None:
        """Start over with `account_id` (None: nothing to show); the first page is read at once."""
        self._generation += 1
        self._account = account_id
        self._tz = tz
        self.beginResetModel()
        self._rows = []
        self._total = 0
        self._loading = False
        self.endResetModel()
        if account_id is not None:
            self._load()

    def refresh(self) -> None:
        self.show_account(self._account, self._tz)

    def _load(self) -> None:
        if self._loading or self._account is None:
            return
        self._loading = True
        generation, account, db, offset = self._generation, self._account, self._db, len(self._rows)

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[int, list[EntryLine]]:
            total = entry_count(db, account) if offset == 0 else -1
            return total, entry_page(db, account, offset, PAGE_SIZE)

        self._worker.run(
            read,
            on_result=lambda result: self._arrived(generation, *result),
            on_error=lambda exc: self._failed(generation, exc),
            owner=self,
            name="ledger page",
        )

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self.load_failed.emit(exc)

    def _arrived(self, generation: int, total: int, lines: list[EntryLine]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if total >= 0:
            self._total = total
            self.total_changed.emit(total)
        if lines:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(lines) - 1)
            self._rows.extend(lines)
            self.endInsertRows()

    # -- the model -----------------------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and not self._loading and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else Column.COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        return self._headers[section] if horizontal and 0 <= section < Column.COUNT else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        line = self._rows[index.row()]
        entry = line.entry
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            Column.AMOUNT,
            Column.HELD,
            Column.BALANCE,
            Column.SEGMENTS,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.AMOUNT and entry.fen < 0:
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NOTE and entry.note:
            return entry.note
        return None

    def _text(self, line: EntryLine, column: int) -> str:
        entry = line.entry
        if column == Column.AT:
            return wall_time(entry.at, self._tz).strftime("%Y-%m-%d %H:%M:%S")
        if column == Column.KIND:
            return kind_text(entry.kind, entry.ref)
        if column == Column.AMOUNT:
            return signed_yuan(entry.fen) if entry.fen else ""
        if column == Column.HELD:
            return signed_yuan(entry.held_fen) if entry.held_fen else ""
        if column == Column.BALANCE:
            return yuan_text(line.balance_fen)
        if column == Column.SEGMENTS:
            return str(entry.segments) if entry.segments else ""
        if column == Column.MESSAGE:
            return str(entry.message_id) if entry.message_id is not None else ""
        if column == Column.CAMPAIGN:
            return str(entry.campaign_id) if entry.campaign_id is not None else ""
        if column == Column.ACTOR:
            return entry.actor
        return entry.note
