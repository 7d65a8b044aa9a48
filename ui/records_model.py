"""The send record's table: the messages of a period and filter, newest first, read a page at a time and kept
current while sends run.

Rows come from smsjingling.records.browse, ordered by message id (newest first), so a row keeps its place
when its message is sent or delivered; only new messages appear, above the newest one shown. `refresh_live`
re-reads in one background read what may have changed: messages newer than the top row (inserted above it),
and the loaded rows that the core said changed or that are not final yet (updated in place, or removed when
they no longer match a status filter). Selections survive both, since Qt moves them with the rows. When more
new messages arrived than one read brings (a big send just queued), the model starts again from the top and
says so with `restarted`, so the page can put the selection back.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication

from smsjingling.contacts.export import national
from smsjingling.records import browse
from smsjingling.records import query as record_query
from smsjingling.records.labels import campaign_label, reason_text, status_text, yuan
from smsjingling.records.period import Period, wall_time
from smsjingling.records.query import RecordFilter, RecordRow
from smsjingling.sending.record import shown_status
from smsjingling.storage.database import Database
from smsjingling.storage.sending import MessageStatus
from smsjingling.storage.types import utcnow
from ui.worker import Progress, Worker

PAGE_SIZE = browse.PAGE
NEW_ROWS_AT_ONCE = 1000  # more new messages than this since the last read: start again from the top

# Statuses a loaded row may still leave by itself (a delivery report, a retry): re-read on a live refresh.
UNSETTLED = frozenset({MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.UNKNOWN})

AnyIndex = QModelIndex | QPersistentModelIndex

# Text colours by status: a glance down the table shows what went wrong.
_GOOD = QColor("#1b7f3b")
_BAD = QColor("#b3261e")
_WAIT = QColor("#2f6db5")
STATUS_COLOURS: dict[str, QColor] = {
    MessageStatus.DELIVERED: _GOOD,
    MessageStatus.FAILED: _BAD,
    MessageStatus.UNDELIVERED: _BAD,
    MessageStatus.UNKNOWN: QColor("#a15c00"),
    MessageStatus.QUEUED: _WAIT,
    MessageStatus.SENDING: _WAIT,
}


@dataclass(frozen=True)
class RecordsQuery:
    period: Period
    filt: RecordFilter = field(default_factory=RecordFilter)


class Column:
    TIME, NUMBER, STATUS, REASON, TEXT, CHANNEL, CAMPAIGN, SEGMENTS, PRICE, SENDER = range(10)
    COUNT = 10


@dataclass
class _Live:
    """What one live read found."""

    new: list[RecordRow]
    current: list[RecordRow]
    asked: list[int]
    total: int
    too_many: bool


class RecordsModel(QAbstractTableModel):
    """Read-only rows of `RecordRow`; `Qt.UserRole` on any cell gives the row itself."""

    page_loaded = Signal(int)  # rows now loaded
    total_changed = Signal(int)  # messages the query finds in all
    load_failed = Signal(object)
    # the model started again from the top after a live refresh found too much new (the selection is gone)
    restarted = Signal()

    def __init__(
        self,
        db: Database,
        worker: Worker,
        query: RecordsQuery,
        parent: QObject | None = None,
        *,
        report_timeout: timedelta = timedelta(hours=72),
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._worker = worker
        self._query = query
        self.report_timeout = report_timeout
        self._rows: list[RecordRow] = []
        self._where: dict[int, int] = {}  # message id -> row
        self._total: int | None = None
        self._exhausted = True
        self._loading = False
        self._generation = 0
        self._live_running = False
        self._live_again: set[int] | None = None  # ids asked for while a live read was running
        self._headers = (
            self.tr("时间"),
            self.tr("号码"),
            self.tr("状态"),
            self.tr("原因"),
            self.tr("内容"),
            self.tr("通道"),
            self.tr("任务"),
            self.tr("条数"),
            self.tr("费用（元）"),
            self.tr("发送人"),
        )

    # -- what the page asks ------------------------------------------------------------------------

    @property
    def query(self) -> RecordsQuery:
        return self._query

    @property
    def total(self) -> int | None:
        return self._total

    @property
    def loading(self) -> bool:
        return self._loading or self._live_running

    @property
    def tz(self) -> tzinfo | None:
        return self._query.period.tz

    def record(self, row: int) -> RecordRow:
        return self._rows[row]

    def row_of(self, message_id: int) -> int | None:
        return self._where.get(message_id)

    def loaded_ids(self) -> list[int]:
        return [r.message_id for r in self._rows]

    def set_query(self, query: RecordsQuery) -> None:
        self._query = query
        self.refresh()

    def refresh(self) -> None:
        """Start again from the newest message (a new filter, or the user asked)."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._where = {}
        self._total = None
        self._exhausted = False
        self._loading = False
        self._live_running = False
        self._live_again = None
        self.endResetModel()
        self._load_page(first=True)

    # -- lazy paging -------------------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 (Qt's own default)
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load_page(first=False)

    def _load_page(self, *, first: bool) -> None:
        generation = self._generation
        query, db = self._query, self._db
        below = self._rows[-1].message_id if self._rows else None

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[list[RecordRow], int | None]:
            with db.reader() as s:
                rows = browse.older(s, query.period, query.filt, below_id=below, limit=PAGE_SIZE)
                total = record_query.count(s, query.period, query.filt) if first else None
            return rows, total

        self._loading = True
        self._worker.run(
            read,
            on_result=lambda result: self._page_arrived(generation, result),
            on_error=lambda exc: self._failed(generation, exc),
            owner=self,
            name="records page",
        )

    def _page_arrived(self, generation: int, result: tuple[list[RecordRow], int | None]) -> None:
        if generation != self._generation:
            return
        rows, total = result
        self._loading = False
        self._exhausted = len(rows) < PAGE_SIZE
        # A live refresh may have removed the last row meanwhile; ids below it are still all older.
        rows = [r for r in rows if r.message_id not in self._where]
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self._reindex(start)
            self.endInsertRows()
        if total is not None:
            self._set_total(total)
        self.page_loaded.emit(len(self._rows))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._live_running = False
        self._exhausted = True  # stop asking: a view would retry a failing read on every scroll
        self.load_failed.emit(exc)

    def _set_total(self, total: int) -> None:
        if total != self._total:
            self._total = total
            self.total_changed.emit(total)

    def _reindex(self, start: int = 0) -> None:
        if start == 0:
            self._where = {}
        for row in range(start, len(self._rows)):
            self._where[self._rows[row].message_id] = row

    # -- live ----------------------------------------------------------------------------------------

    def refresh_live(self, changed: Iterable[int] = ()) -> None:
        """Bring the loaded rows up to date without moving the reader: new messages above, changes in place.

        `changed` are message ids the core said changed; loaded rows that are not final yet are re-read too
        (a delivery report changes a message without an event)."""
        if self._total is None and not self._rows and self._loading:
            return  # the first page is on its way and will be current
        wanted = {i for i in changed if i in self._where}
        wanted |= {r.message_id for r in self._rows if r.status in UNSETTLED}
        if self._live_running:
            self._live_again = (self._live_again or set()) | wanted
            return
        generation = self._generation
        query, db = self._query, self._db
        top = self._rows[0].message_id if self._rows else None
        # Nothing loaded yet and nothing more to load: anything in the period is new.
        above = top if top is not None else (0 if self._exhausted else None)
        asked = sorted(wanted)

        def read(_cancel: threading.Event, _progress: Progress) -> _Live:
            with db.reader() as s:
                new = (
                    browse.newer(s, query.period, query.filt, above_id=above, limit=NEW_ROWS_AT_ONCE + 1)
                    if above is not None
                    else []
                )
                current = browse.current(s, query.period, query.filt, asked) if asked else []
                total = record_query.count(s, query.period, query.filt)
            return _Live(new[:NEW_ROWS_AT_ONCE], current, asked, total, len(new) > NEW_ROWS_AT_ONCE)

        self._live_running = True
        self._worker.run(
            read,
            on_result=lambda live: self._live_arrived(generation, live),
            on_error=lambda exc: self._live_failed(generation, exc),
            owner=self,
            name="records live",
        )

    def _live_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._live_running = False
        self._live_again = None
        self.load_failed.emit(exc)

    def _live_arrived(self, generation: int, live: _Live) -> None:
        if generation != self._generation:
            return
        self._live_running = False
        if live.too_many:
            self.refresh()
            self.restarted.emit()
            return
        # Changes in place first (rows keep their positions), then removals, then the new rows on top.
        fresh = {r.message_id: r for r in live.current}
        gone = []
        for mid in live.asked:
            row = self._where.get(mid)
            if row is None:
                continue
            if mid in fresh:
                if fresh[mid] != self._rows[row]:
                    self._rows[row] = fresh[mid]
                    self.dataChanged.emit(self.index(row, 0), self.index(row, Column.COUNT - 1))
            else:
                gone.append(row)
        for row in sorted(gone, reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
        if gone:
            self._reindex()
        new = [r for r in live.new if r.message_id not in self._where]
        if new:
            self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
            self._rows[:0] = new
            self._reindex()
            self.endInsertRows()
        self._set_total(live.total)
        again, self._live_again = self._live_again, None
        if again is not None:
            self.refresh_live(again)

    # -- the table -----------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else Column.COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.TextAlignmentRole
            and section in (Column.SEGMENTS, Column.PRICE)
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def shown_status(self, row: RecordRow, now: datetime | None = None) -> str:
        """The status as a person reads it: a message long sent with no report is "sent (no report)"."""
        return shown_status(row.status, row.at if row.sent else None, now or utcnow(), self.report_timeout)

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
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.STATUS:
                colour = STATUS_COLOURS.get(row.status)
                return QBrush(colour) if colour is not None else None
            if row.status in (MessageStatus.BLOCKED, MessageStatus.SKIPPED, MessageStatus.CANCELLED):
                # Greyed out: these never left.
                return QBrush(QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.SEGMENTS, Column.PRICE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: RecordRow, column: int) -> str:
        if column == Column.TIME:
            return wall_time(row.at, self.tz).strftime("%Y-%m-%d %H:%M:%S")
        if column == Column.NUMBER:
            return national(row.phone)
        if column == Column.STATUS:
            return status_text(self.shown_status(row))
        if column == Column.REASON:
            return reason_text(row.reason, row.error)
        if column == Column.TEXT:
            return row.text.replace("\n", " ")
        if column == Column.CHANNEL:
            return row.channel
        if column == Column.CAMPAIGN:
            return campaign_label(row.campaign, row.campaign_id)
        if column == Column.SEGMENTS:
            return str(row.segments)
        if column == Column.PRICE:
            return f"{yuan(row.price_fen):.2f}"
        if column == Column.SENDER:
            return row.sender
        return ""

    def _tooltip(self, row: RecordRow, column: int) -> str | None:
        if column == Column.TIME:
            return self.tr("发出时间") if row.sent else self.tr("创建时间（尚未发出）")
        if column == Column.NUMBER:
            return row.phone
        if column == Column.TEXT:
            return row.text
        if column == Column.REASON:
            return reason_text(row.reason, row.error) or None
        return None
