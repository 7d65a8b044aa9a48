"""The contacts table: a lazily paged view of the book, so a million contacts scroll smoothly.

Only the rows the user has scrolled to are held, 200 a page. Qt asks `canFetchMore`/`fetchMore` when the view
nears the end of what is loaded; the page is read by the background worker and appended when it arrives.
Pages follow on by key (the last row's name or number and id), so the thousandth page costs what the first
does. A substring search hands back what it found within a time budget, maybe less than a page; the model
reads on by itself until the first page is full or the book has been read to its end.

Typing is never held up: a new query or a refresh starts a new *generation* and cancels the reads of the
old one, which stop inside the database (SearchCancelled); pages of an older generation that arrive late
are dropped. The total is counted after the first page is shown (a substring count reads the whole table),
and typing on after a search that found no one is answered at once without asking the database.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from smsjingling import messages
from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.export import national
from smsjingling.contacts.records import ContactRecord
from smsjingling.contacts.search import ContactQuery, Page, PageKey, SearchCancelled
from smsjingling.phones.carrier import Carrier
from ui.contact_mime import CONTACT_IDS_MIME, contacts_mime
from ui.worker import Progress, Task, Worker

PAGE_SIZE = 200
DEPARTMENT_FIELD = "部门"
# The count of a query starts this long after its first page is shown: the page is painted first, and a user
# typing on (a keystroke every 100-200 ms) starts no count for the texts on the way.
COUNT_DELAY_MS = 120

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_USER = int(Qt.ItemDataRole.UserRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

AnyIndex = QModelIndex | QPersistentModelIndex


class Column:
    NAME, PHONE, CARRIER, REGION, GROUPS, DEPARTMENT, OPTED_OUT = range(7)
    COUNT = 7


class ContactsModel(QAbstractTableModel):
    """Read-only rows of `ContactRecord`; `Qt.UserRole` on any cell gives the record itself. Rows drag out
    as contact ids (ui.contact_mime) for the group tree."""

    # a page arrived; the argument is the number of rows now loaded
    page_loaded = Signal(int)
    # the first page of the current query is complete: a page's worth of rows, or all there are
    first_page = Signal(int)
    # how many contacts the current query finds in all (known after its first page)
    total_changed = Signal(int)
    # reading failed (the exception); the rows loaded so far stay
    load_failed = Signal(object)

    def __init__(self, book: ContactBook, worker: Worker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._book = book
        self._worker = worker
        self._query = ContactQuery()
        self._rows: list[ContactRecord] = []
        self._next: PageKey | None = None
        self._total: int | None = None
        self._exhausted = True
        self._first_done = False
        self._page_task: Task | None = None
        self._count_task: Task | None = None
        self._count_pending = False
        self._generation = 0
        self._found_nothing: ContactQuery | None = None  # the last query known to find no one
        self._landline = self.tr("座机")
        self._opted_out_text = self.tr("已退订")
        self._headers = (
            self.tr("姓名"),
            self.tr("手机号码"),
            self.tr("运营商"),
            self.tr("归属地"),
            self.tr("分组"),
            self.tr("部门"),
            self.tr("退订"),
        )

    # -- what the window asks ------------------------------------------------------------------------

    @property
    def query(self) -> ContactQuery:
        return self._query

    @property
    def total(self) -> int | None:
        return self._total

    @property
    def loading(self) -> bool:
        """A page is being read (the count may still run after it)."""
        return self._page_task is not None

    @property
    def counting(self) -> bool:
        """The total is being counted (or soon will be)."""
        return self._count_task is not None or self._count_pending

    def record(self, row: int) -> ContactRecord:
        return self._rows[row]

    def records(self, rows: Sequence[int]) -> list[ContactRecord]:
        return [self._rows[r] for r in rows if 0 <= r < len(self._rows)]

    def update_records(self, records: Sequence[ContactRecord]) -> int:
        """Redraw the rows of these contacts with their new state, where they are loaded (an edit keeps the
        user's place in a long list, which a refresh would lose). Returns how many rows changed."""
        fresh = {r.id: r for r in records}
        changed = 0
        for row, old in enumerate(self._rows):
            new = fresh.get(old.id)
            if new is not None and new != old:
                self._rows[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, Column.COUNT - 1))
                changed += 1
        return changed

    def set_query(self, query: ContactQuery) -> None:
        """Show what `query` finds, starting again from the first page."""
        self._query = query
        nothing = self._found_nothing
        if nothing is not None and query.stays_empty_after(nothing):
            self._restart()
            self._page_arrived(self._generation, Page([], None))  # typed on after a search that found no one
            return
        self.refresh()

    def refresh(self) -> None:
        """Reload from the database (after an import, a delete, or another desktop's changes)."""
        self._found_nothing = None
        self._restart()
        self._load_page()

    def _restart(self) -> None:
        self._generation += 1
        for task in (self._page_task, self._count_task):
            if task is not None:
                task.cancel()  # stops inside the database; its late result is dropped by generation
        self._page_task = self._count_task = None
        self._count_pending = False
        self.beginResetModel()
        self._rows = []
        self._next = None
        self._total = None
        self._exhausted = False
        self._first_done = False
        self.endResetModel()

    # -- lazy paging ---------------------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 (Qt's own default)
        # While a page is on its way, asking again would read the same page twice.
        return not parent.isValid() and not self._exhausted and self._page_task is None

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load_page()

    def _load_page(self) -> None:
        generation = self._generation
        query, after, book = self._query, self._next, self._book

        def read(cancel: threading.Event, _progress: Progress) -> Page:
            return book.page(query, after, limit=PAGE_SIZE, cancel=cancel)

        self._page_task = self._worker.run(
            read,
            on_result=lambda page: self._page_arrived(generation, page),
            on_error=lambda exc: self._page_failed(generation, exc),
            owner=self,
            name="contacts page",
        )

    def _page_arrived(self, generation: int, page: Page) -> None:
        if generation != self._generation:
            return  # an older query's page: the user has moved on
        self._page_task = None
        self._next = page.next
        self._exhausted = page.next is None
        if page.records:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page.records) - 1)
            self._rows.extend(page.records)
            self.endInsertRows()
        loaded = len(self._rows)
        if self._exhausted and self._total is None:
            self._set_total(loaded)
        if not self._first_done and (loaded >= PAGE_SIZE or self._exhausted):
            self._first_done = True
            if self._total is None:
                self._count_pending = True
                QTimer.singleShot(COUNT_DELAY_MS, self, lambda: self._count(generation))
            self.first_page.emit(loaded)
        elif not self._first_done:
            self._load_page()  # a scan's partial page: read on until the first page is full
        self.page_loaded.emit(loaded)

    def _page_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._page_task = None
        if isinstance(exc, SearchCancelled):
            return  # cancelled from outside (the window is closing): nothing to tell; scrolling reads again
        # Stop asking: a view would otherwise retry a failing read on every scroll.
        self._exhausted = True
        self.load_failed.emit(exc)

    def _count(self, generation: int) -> None:
        if generation != self._generation or not self._count_pending:
            return  # the user typed on: that query's count is not wanted any more
        self._count_pending = False
        if self._total is not None:
            return  # the pages reached the end meanwhile
        query, book = self._query, self._book

        def count(cancel: threading.Event, _progress: Progress) -> int:
            return book.count(query, cancel=cancel)

        self._count_task = self._worker.run(
            count,
            on_result=lambda total: self._counted(generation, total),
            on_error=lambda exc: self._count_failed(generation, exc),
            owner=self,
            name="contacts count",
        )

    def _counted(self, generation: int, total: int) -> None:
        if generation == self._generation:
            self._count_task = None
            if self._total is None:  # the pages may have reached the end first
                self._set_total(total)

    def _count_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._count_task = None
            if not isinstance(exc, SearchCancelled):
                self.load_failed.emit(exc)

    def _set_total(self, total: int) -> None:
        self._total = total
        if total == 0:
            self._found_nothing = self._query
        self.total_changed.emit(total)

    # -- dragging ------------------------------------------------------------------------------------

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def mimeTypes(self) -> list[str]:
        return [CONTACT_IDS_MIME, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return contacts_mime(self.records(rows))

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

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
        # Called for every visible cell and role on each repaint: plain int comparisons (the roles as module
        # constants; looking up Qt's enum members costs more than the rest of this method).
        row = index.row()
        if row < 0 or row >= len(self._rows) or not index.isValid():
            return None
        record = self._rows[row]
        column = index.column()
        if role == _DISPLAY:
            return self._display(record, column)
        if role == _FOREGROUND:
            # Greyed out: these people are in the book but will never be sent a message.
            return self._grey() if record.opted_out or not record.sms_capable else None
        if role == _ALIGNMENT:
            return _CENTRE if column == Column.OPTED_OUT else None
        if role == _USER:
            return record
        if role == _TOOLTIP:
            return self._tooltip(record, column)
        return None

    def _grey(self) -> QBrush:
        return QBrush(QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))

    def _display(self, record: ContactRecord, column: int) -> str:
        if column == Column.NAME:
            return record.name
        if column == Column.PHONE:
            return national(record.phone, record.sms_capable)
        if column == Column.CARRIER:
            return _carrier_name(record.carrier, messages.current_language()) if record.sms_capable else self._landline
        if column == Column.REGION:
            return record.region
        if column == Column.GROUPS:
            return "、".join(record.groups)
        if column == Column.DEPARTMENT:
            return str(record.fields.get(DEPARTMENT_FIELD, ""))
        if column == Column.OPTED_OUT:
            return self._opted_out_text if record.opted_out else ""
        return ""

    def _tooltip(self, record: ContactRecord, column: int) -> str | None:
        if column == Column.PHONE:
            return record.phone
        if column == Column.CARRIER and record.sms_capable:
            return self.tr("号段归属运营商；携号转网后可能已变更")
        if column == Column.GROUPS and record.groups:
            return "\n".join(record.groups)
        if column == Column.NAME and record.fields:
            return "\n".join(f"{k}：{v}" for k, v in record.fields.items())
        return None


@functools.cache
def _carrier_name(value: str, lang: str) -> str:
    try:
        carrier = Carrier(value)
    except ValueError:
        return value  # a carrier this version does not know: show what the database holds
    return "" if carrier is Carrier.UNKNOWN else carrier.display_name(lang)
