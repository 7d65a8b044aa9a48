"""The contacts table: a lazily paged view of the book, so a million contacts scroll smoothly.

Only the rows the user has scrolled to are held, 200 a page. Qt asks `canFetchMore`/`fetchMore` when the view
nears the end of what is loaded; the page is read by the background worker (a substring search can scan the
whole table) and appended when it arrives. A new query or a refresh starts a new *generation*: pages of an
older generation that arrive late are dropped, so fast typing never mixes results.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from smsjingling import messages
from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.export import national
from smsjingling.contacts.records import ContactRecord
from smsjingling.contacts.search import ContactQuery
from smsjingling.phones.carrier import Carrier
from ui.worker import Progress, Worker

PAGE_SIZE = 200
DEPARTMENT_FIELD = "部门"

AnyIndex = QModelIndex | QPersistentModelIndex


class Column:
    NAME, PHONE, CARRIER, REGION, GROUPS, DEPARTMENT, OPTED_OUT = range(7)
    COUNT = 7


class ContactsModel(QAbstractTableModel):
    """Read-only rows of `ContactRecord`; `Qt.UserRole` on any cell gives the record itself."""

    # a page arrived; the argument is the number of rows now loaded
    page_loaded = Signal(int)
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
        self._total: int | None = None
        self._exhausted = True
        self._loading = False
        self._generation = 0
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
        return self._loading

    def record(self, row: int) -> ContactRecord:
        return self._rows[row]

    def set_query(self, query: ContactQuery) -> None:
        """Show what `query` finds, starting again from the first page."""
        self._query = query
        self.refresh()

    def refresh(self) -> None:
        """Reload from the database (after an import, a delete, or another desktop's changes)."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._total = None
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self._load_page(first=True)

    # -- lazy paging ---------------------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 (Qt's own default)
        # While a page is on its way, asking again would load the same offset twice.
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load_page(first=False)

    def _load_page(self, *, first: bool) -> None:
        generation = self._generation
        query, offset, book = self._query, len(self._rows), self._book

        def read(_cancel: threading.Event, _progress: Progress) -> tuple[list[ContactRecord], int | None]:
            rows = book.search(query, limit=PAGE_SIZE, offset=offset)
            total = book.count(query) if first else None
            return rows, total

        self._loading = True
        self._worker.run(
            read,
            on_result=lambda result: self._page_arrived(generation, result),
            on_error=lambda exc: self._page_failed(generation, exc),
            owner=self,
            name="contacts page",
        )

    def _page_arrived(self, generation: int, result: tuple[list[ContactRecord], int | None]) -> None:
        if generation != self._generation:
            return  # an older query's page: the user has moved on
        rows, total = result
        self._loading = False
        self._exhausted = len(rows) < PAGE_SIZE
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        if total is not None:
            self._total = total
            self.total_changed.emit(total)
        self.page_loaded.emit(len(self._rows))

    def _page_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading = False
        # Stop asking: a view would otherwise retry a failing read on every scroll.
        self._exhausted = True
        self.load_failed.emit(exc)

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
        record = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == Qt.ItemDataRole.UserRole:
            return record
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, column)
        if role == Qt.ItemDataRole.ForegroundRole and (record.opted_out or not record.sms_capable):
            # Greyed out: these people are in the book but will never be sent a message.
            return QBrush(QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.OPTED_OUT:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, record: ContactRecord, column: int) -> str:
        if column == Column.NAME:
            return record.name
        if column == Column.PHONE:
            return national(record.phone, record.sms_capable)
        if column == Column.CARRIER:
            return _carrier_name(record.carrier) if record.sms_capable else self.tr("座机")
        if column == Column.REGION:
            return record.region
        if column == Column.GROUPS:
            return "、".join(record.groups)
        if column == Column.DEPARTMENT:
            return str(record.fields.get(DEPARTMENT_FIELD, ""))
        if column == Column.OPTED_OUT:
            return self.tr("已退订") if record.opted_out else ""
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


def _carrier_name(value: str) -> str:
    try:
        carrier = Carrier(value)
    except ValueError:
        return value  # a carrier this version does not know: show what the database holds
    return "" if carrier is Carrier.UNKNOWN else carrier.display_name(messages.current_language())
