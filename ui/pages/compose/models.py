"""The progress panel's two tables: recent campaigns with their counters, and one campaign's messages.

Both are read by the background worker and only ever changed in place on the GUI thread: a refresh during a
100,000-message send updates the few rows whose values changed (dataChanged), never resets the model, so
the views keep their selection and scroll position and repaint only what changed.

The messages table pages lazily (200 rows a page, in the order of the recipients) and refreshes only the rows
the view shows: the panel passes the visible range to `refresh_rows`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from smsjingling.compose.composer import SkipReason
from smsjingling.compose.template import display_phone
from smsjingling.records.labels import campaign_label, reason_text, status_text
from smsjingling.sending import progress
from smsjingling.sending.progress import CampaignProgress, MessageRow
from smsjingling.sending.quote import KEYWORD_REASON, SkipLine
from smsjingling.storage.database import Database
from smsjingling.storage.sending import CampaignStatus, MessageStatus
from ui.worker import Progress, Worker

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole

# Final states that went wrong are shown in red, the good ones in green: an operator scans for red.
_BAD = {MessageStatus.FAILED, MessageStatus.UNDELIVERED, MessageStatus.UNKNOWN, MessageStatus.BLOCKED}
_GOOD = {MessageStatus.DELIVERED, MessageStatus.SENT}
RED, GREEN, GREY = QColor("#b00020"), QColor("#1b7a3a"), QColor("#6b6b6b")


def local_time(at: datetime | None, zone: ZoneInfo, with_date: bool = True) -> str:
    if at is None:
        return ""
    return at.astimezone(zone).strftime("%m-%d %H:%M" if with_date else "%H:%M:%S")


class CampaignColumn:
    NAME, STATUS, PROGRESS, DELIVERED, FAILED = range(5)
    COUNT = 5


class CampaignsModel(QAbstractTableModel):
    """Recent campaigns (newest first) and any older one still active. `UserRole`: the CampaignProgress."""

    loaded = Signal()
    load_failed = Signal(object)

    def __init__(self, db: Database, worker: Worker, zone: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._worker = worker
        self.zone = zone
        self._rows: list[CampaignProgress] = []
        self._reading = False
        self._again = False
        self._headers = (
            self.tr("发送任务"),
            self.tr("状态"),
            self.tr("进度"),
            self.tr("已送达"),
            self.tr("失败"),
        )

    @property
    def rows(self) -> Sequence[CampaignProgress]:
        return self._rows

    def campaign(self, row: int) -> CampaignProgress:
        return self._rows[row]

    def row_of(self, campaign_id: int) -> int:
        return next((i for i, c in enumerate(self._rows) if c.id == campaign_id), -1)

    def any_running(self) -> bool:
        return any(c.status == CampaignStatus.RUNNING for c in self._rows)

    def refresh(self) -> None:
        """Read again in the background; a refresh asked for while one is reading runs once after it."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        db = self._db

        def read(_cancel: threading.Event, _progress: Progress) -> list[CampaignProgress]:
            return progress.recent_campaigns(db)

        self._worker.run(read, on_result=self._arrived, on_error=self._failed, owner=self, name="campaigns")

    def _failed(self, exc: BaseException) -> None:
        self._reading = False
        self.load_failed.emit(exc)

    def _arrived(self, rows: list[CampaignProgress]) -> None:
        self._reading = False
        if [c.id for c in rows] == [c.id for c in self._rows]:
            # The same campaigns: change the rows whose figures moved, in place.
            for i, (old, new) in enumerate(zip(self._rows, rows, strict=True)):
                if old != new:
                    self._rows[i] = new
                    self.dataChanged.emit(self.index(i, 0), self.index(i, CampaignColumn.COUNT - 1))
        else:
            # A new campaign (or one gone): a short list, so a reset costs nothing; the view re-selects.
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        self.loaded.emit()
        if self._again:
            self._again = False
            self.refresh()

    # -- the table -----------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else CampaignColumn.COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        c = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(c, column)
        if role == ROW_ROLE:
            return c
        if role == Qt.ItemDataRole.ToolTipRole and column == CampaignColumn.NAME:
            return (
                self.tr("%1\n创建于 %2")
                .replace("%1", campaign_label(c.name, c.id))
                .replace("%2", local_time(c.created_at, self.zone))
            )
        if role == Qt.ItemDataRole.ForegroundRole and column == CampaignColumn.FAILED and c.failed:
            return QBrush(RED)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            CampaignColumn.PROGRESS,
            CampaignColumn.DELIVERED,
            CampaignColumn.FAILED,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, c: CampaignProgress, column: int) -> str:
        if column == CampaignColumn.NAME:
            return campaign_label(c.name, c.id)
        if column == CampaignColumn.STATUS:
            return campaign_status_text(c.status)
        if column == CampaignColumn.PROGRESS:
            return f"{c.done:,} / {c.total:,}" if c.total else ""
        if column == CampaignColumn.DELIVERED:
            return f"{c.delivered:,}"
        if column == CampaignColumn.FAILED:
            return f"{c.failed:,}"
        return ""


def campaign_status_text(status: str) -> str:
    texts = {
        CampaignStatus.SCHEDULED: QCoreApplication.translate("compose", "等待定时"),
        CampaignStatus.RUNNING: QCoreApplication.translate("compose", "发送中"),
        CampaignStatus.PAUSED: QCoreApplication.translate("compose", "已暂停"),
        CampaignStatus.COMPLETED: QCoreApplication.translate("compose", "已完成"),
        CampaignStatus.CANCELLED: QCoreApplication.translate("compose", "已取消"),
        CampaignStatus.MISSED: QCoreApplication.translate("compose", "已错过"),
    }
    return texts.get(status, status)  # type: ignore[call-overload]


def message_reason(m: MessageRow) -> str:
    """Why a message is in its status, in words: a skip's particulars inside the sentence, a channel's own
    words after it."""
    if m.reason in _WITH_DETAIL:
        return SkipLine(m.reason, m.error, 1).text()
    return reason_text(m.reason, m.error)


_WITH_DETAIL = frozenset({KEYWORD_REASON, SkipReason.MISSING_FIELD.value, SkipReason.TOO_LONG.value})


class MessageColumn:
    PHONE, NAME, STATUS, REASON, CHANNEL, UPDATED = range(6)
    COUNT = 6


class MessagesModel(QAbstractTableModel):
    """One campaign's messages, a page at a time. `UserRole`: the MessageRow."""

    page_loaded = Signal(int)
    load_failed = Signal(object)

    def __init__(self, db: Database, worker: Worker, zone: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._worker = worker
        self.zone = zone
        self._campaign_id: int | None = None
        self._rows: list[MessageRow] = []
        self._row_of: dict[int, int] = {}  # message id -> row
        self._next_id: int | None = None  # where the next page starts; None: not known yet
        self._exhausted = True
        self._loading = False
        self._refreshing = False
        self._generation = 0
        self._headers = (
            self.tr("手机号码"),
            self.tr("姓名"),
            self.tr("状态"),
            self.tr("原因"),
            self.tr("通道"),
            self.tr("更新时间"),
        )

    @property
    def campaign_id(self) -> int | None:
        return self._campaign_id

    @property
    def loading(self) -> bool:
        return self._loading

    def message(self, row: int) -> MessageRow:
        return self._rows[row]

    def set_campaign(self, campaign_id: int | None) -> None:
        """Show this campaign's messages from the first one (None: none)."""
        self._generation += 1
        self.beginResetModel()
        self._campaign_id = campaign_id
        self._rows = []
        self._row_of = {}
        self._next_id = None
        self._exhausted = campaign_id is None
        self._loading = False
        self._refreshing = False
        self.endResetModel()
        if campaign_id is not None:
            self._load_page()

    # -- lazy paging ---------------------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load_page()

    def _load_page(self) -> None:
        generation, campaign_id, start, db = self._generation, self._campaign_id, self._next_id, self._db
        assert campaign_id is not None

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[list[MessageRow], int | None]:
            first = start if start is not None else progress.first_message_id(db, campaign_id)
            if first is None:
                return [], None
            return progress.message_page(db, campaign_id, first), first

        self._loading = True
        self._worker.run(
            read,
            on_result=lambda result: self._page_arrived(generation, *result),
            on_error=lambda exc: self._failed(generation, exc),
            owner=self,
            name="campaign messages",
        )

    def _page_arrived(self, generation: int, rows: list[MessageRow], _first: int | None) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = len(rows) < progress.PAGE
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self._row_of.update({r.id: start + i for i, r in enumerate(rows)})
            self.endInsertRows()
            self._next_id = rows[-1].id + 1
        self.page_loaded.emit(len(self._rows))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = True  # a view would otherwise retry a failing read on every scroll
        self.load_failed.emit(exc)

    # -- live statuses -------------------------------------------------------------------------------

    def refresh_rows(self, first: int, last: int, done: Callable[[], None] | None = None) -> bool:
        """Re-read rows first..last (the ones on screen) and update those that changed. Returns False (and
        reads nothing) while a refresh is already on its way: the next one picks up the newest state."""
        if self._refreshing or not self._rows:
            return False
        first, last = max(first, 0), min(last, len(self._rows) - 1)
        if first > last:
            return False
        ids = [r.id for r in self._rows[first : last + 1]]
        generation, db = self._generation, self._db
        self._refreshing = True

        def read(_cancel: threading.Event, _progress: Progress) -> list[MessageRow]:
            return progress.messages_by_id(db, ids)

        def arrived(rows: list[MessageRow]) -> None:
            if generation == self._generation:
                self._refreshing = False
                self._apply(rows)
            if done is not None:
                done()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._refreshing = False
                self.load_failed.emit(exc)

        self._worker.run(read, on_result=arrived, on_error=failed, owner=self, name="message statuses")
        return True

    def _apply(self, rows: list[MessageRow]) -> None:
        changed: list[int] = []
        for new in rows:
            row = self._row_of.get(new.id)
            if row is not None and self._rows[row] != new:
                self._rows[row] = new
                changed.append(row)
        # One signal per run of neighbouring rows: the view repaints those, not the whole table.
        changed.sort()
        start = previous = None
        for row in [*changed, None]:
            if row is not None and previous is not None and row == previous + 1:
                previous = row
                continue
            if start is not None and previous is not None:
                self.dataChanged.emit(self.index(start, 0), self.index(previous, MessageColumn.COUNT - 1))
            start = previous = row

    # -- the table -----------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else MessageColumn.COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        m = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(m, column)
        if role == ROW_ROLE:
            return m
        if role == Qt.ItemDataRole.ToolTipRole and column == MessageColumn.REASON:
            return message_reason(m) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == MessageColumn.STATUS:
            if m.status in _BAD:
                return QBrush(RED)
            if m.status in _GOOD:
                return QBrush(GREEN)
            if m.status in (MessageStatus.SKIPPED, MessageStatus.CANCELLED):
                return QBrush(GREY)
        return None

    def _display(self, m: MessageRow, column: int) -> str:
        if column == MessageColumn.PHONE:
            return display_phone(m.phone)
        if column == MessageColumn.NAME:
            return m.name
        if column == MessageColumn.STATUS:
            return status_text(m.status)
        if column == MessageColumn.REASON:
            return message_reason(m)
        if column == MessageColumn.CHANNEL:
            return m.channel
        if column == MessageColumn.UPDATED:
            return local_time(m.updated_at, self.zone, with_date=False)
        return ""
