"""The send record's table: the messages of a period and filter, newest first, read a page at a time and kept
current while sends run.

Rows come from smsjingling.records.browse, ordered by message id (newest first), so a row keeps its place
when its message is sent or delivered; new messages appear above the newest one shown. `refresh_live`
reads in one background read what changed since the last look, from the record's change feed (every status
change writes a MessageEvent, whose ids only grow): messages newer than the top row are inserted above it,
loaded rows that changed are updated in place (or removed when they no longer match a status filter), and a
changed message that now matches is put in its place among them. Selections survive all of these, since Qt
moves them with the rows. When more arrived than one read brings (a big send just queued), the model starts
again from the top and says so with `restarted`. The total is counted after the first page is shown (a big
period takes a second) and kept by arithmetic between counts.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
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
from ui.paged_model import RIGHT, AnyIndex, PagedTableModel
from ui.worker import Worker

PAGE_SIZE = browse.PAGE
NEW_ROWS_AT_ONCE = 1000  # more new messages than this since the last read: start again from the top
RECOUNT_SECONDS = 5.0  # between live updates the total is kept by arithmetic; a real count at most this often

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
    too_many: bool
    mark: int  # the change feed's position after this read


class RecordsModel(PagedTableModel[RecordRow]):
    """Read-only rows of `RecordRow`; `Qt.UserRole` on any cell gives the row itself."""

    RIGHT_ALIGNED = frozenset({Column.SEGMENTS, Column.PRICE})
    page_loaded = Signal(int)  # rows now loaded
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
        super().__init__(db, worker, parent)
        self._query = query
        self.report_timeout = report_timeout
        self._where: dict[int, int] = {}  # message id -> row
        self._counting = False
        self._counted_at = 0.0
        self._mark = 0  # the record's change feed read up to here
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
    def loading(self) -> bool:
        return self._loading or self._live_running or self._counting

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
        self._restart()

    def _forget(self) -> None:
        self._where = {}
        self._counting = False
        self._counted_at = 0.0
        self._live_running = False
        self._live_again = None

    # -- lazy paging -------------------------------------------------------------------------------

    def _load_next(self) -> None:
        query, db = self._query, self._db
        below = self._rows[-1].message_id if self._rows else None

        def read() -> tuple[list[RecordRow], int | None]:
            with db.reader() as s:
                # The change feed's position in the same snapshot as the first page: what changes after it
                # is what a live refresh reads.
                mark = browse.change_mark(s) if below is None else None
                return browse.older(s, query.period, query.filt, below_id=below, limit=PAGE_SIZE), mark

        self._loading = True
        self._read(read, lambda result: self._page_arrived(*result), "records page")

    def _page_arrived(self, rows: list[RecordRow], mark: int | None) -> None:
        self._loading = False
        if mark is not None:
            self._mark = mark
        self._exhausted = len(rows) < PAGE_SIZE
        # A live refresh may have removed the last row meanwhile; ids below it are still all older.
        self._append([r for r in rows if r.message_id not in self._where])
        self.page_loaded.emit(len(self._rows))
        if self._total is None and not self._counting:
            # Counting a big period reads every row of it (a second for 300,000): the first page is shown
            # before, not after.
            self._count()

    def _count(self) -> None:
        query, db = self._query, self._db

        def read() -> int:
            with db.reader() as s:
                return record_query.count(s, query.period, query.filt)

        self._counting = True
        self._read(read, self._counted, "records count")

    def _counted(self, total: int) -> None:
        self._counting = False
        self._counted_at = time.monotonic()
        self._set_total(total)

    def _failed(self, exc: BaseException) -> None:
        self._counting = False
        self._live_running = False
        super()._failed(exc)

    def _rows_added(self, start: int) -> None:
        self._reindex(start)

    def _reindex(self, start: int = 0) -> None:
        if start == 0:
            self._where = {}
        for row in range(start, len(self._rows)):
            self._where[self._rows[row].message_id] = row

    # -- live ----------------------------------------------------------------------------------------

    def refresh_live(self, changed: Iterable[int] = ()) -> None:
        """Bring the loaded rows up to date without moving the reader: new messages above, changes in place.

        What changed is read from the record's change feed (browse.changed_since), which every status change
        writes to, delivery reports and other desktops included; `changed` (ids the core's events named)
        only adds to it. A changed message that is loaded is updated, or removed when it no longer matches
        the filter; one that is not loaded but lies among the loaded ones is put in its place when it now
        matches (a message that just failed, under "失败")."""
        if not self._rows and not self._exhausted:
            return  # the first page is on its way and will be current
        if self._live_running:
            self._live_again = (self._live_again or set()) | set(changed)
            return
        top = self._rows[0].message_id if self._rows else 0
        bottom = 0 if self._exhausted or not self._rows else self._rows[-1].message_id
        loaded = set(self._where)
        named = set(changed)
        query, db, mark = self._query, self._db, self._mark

        def read() -> _Live:
            with db.reader() as s:
                changes = browse.changed_since(s, mark)
                asked = sorted({i for i in (*changes.ids, *named) if i in loaded or bottom < i < top})
                new = browse.newer(s, query.period, query.filt, above_id=top, limit=NEW_ROWS_AT_ONCE + 1)
                current = browse.current(s, query.period, query.filt, asked) if asked else []
            too_many = len(new) > NEW_ROWS_AT_ONCE or changes.more
            return _Live(new[:NEW_ROWS_AT_ONCE], current, asked, too_many, changes.last)

        self._live_running = True
        self._read(read, self._live_arrived, "records live", failed=self._live_failed)

    def _live_failed(self, exc: BaseException) -> None:
        self._live_running = False
        self._live_again = None
        self.load_failed.emit(exc)

    def _live_arrived(self, live: _Live) -> None:
        self._live_running = False
        if live.too_many:
            self.refresh()
            self.restarted.emit()
            return
        self._mark = live.mark
        # Changes in place first (rows keep their positions), then removals, then arrivals in their places.
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
        self._prepend(new)
        arrived = sorted((r for r in fresh.values() if r.message_id not in self._where), key=lambda r: r.message_id)
        for row in arrived:
            # Rows are newest first: the place is after every loaded row with a greater id.
            ids = [-r.message_id for r in self._rows]
            at = bisect.bisect_left(ids, -row.message_id)
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.insert(at, row)
            self.endInsertRows()
        if arrived:
            self._reindex()
        moved = len(new) + len(arrived) - len(gone)
        if (new or arrived or gone) and self._total is not None:
            # Kept by arithmetic between counts; counted again now and then, since other desktops may write.
            self._set_total(max(0, self._total + moved))
            if not self._counting and time.monotonic() - self._counted_at > RECOUNT_SECONDS:
                self._count()
        again, self._live_again = self._live_again, None
        if again is not None:
            self.refresh_live(again)

    # -- the table -----------------------------------------------------------------------------------

    def shown_status(self, row: RecordRow, now: datetime | None = None) -> str:
        """The status as a person reads it: a message long sent with no report is "sent (no report)"."""
        return shown_status(row.status, row.at if row.sent else None, now or utcnow(), self.report_timeout)

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
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.STATUS:
                colour = STATUS_COLOURS.get(row.status)
                return QBrush(colour) if colour is not None else None
            if row.status in (MessageStatus.BLOCKED, MessageStatus.SKIPPED, MessageStatus.CANCELLED):
                # Greyed out: these never left.
                return QBrush(QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.RIGHT_ALIGNED:
            return RIGHT
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
