"""The figures under the report's charts: the core's own rows (account.report.table_rows) and headers, in the
user's language: a line per period and channel, a subtotal per channel, and the total, as in the export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from smsjingling import messages
from smsjingling.account.report import CostReport, headers, table_rows
from smsjingling.tabular import Value

Index = QModelIndex | QPersistentModelIndex

RATE_COLUMN = 9  # 送达率, after period, channel and the seven counts
MONEY_COLUMNS = frozenset({11, 12, 13, 15})


class ReportTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = headers(messages.current_language())
        self._rows: list[list[Value]] = []
        self._lines = 0  # rows before the subtotals

    def set_report(self, report: CostReport | None) -> None:
        self.beginResetModel()
        if report is None:
            self._rows, self._lines = [], 0
        else:
            self._rows = table_rows(report, messages.current_language())
            self._lines = len(report.lines)
        self.endResetModel()

    def rows(self) -> list[list[Value]]:
        return self._rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section >= 2:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.column(), value)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() >= self._lines:
            font = QFont()
            font.setBold(True)  # subtotals and the total
            return font
        return None

    @staticmethod
    def text(column: int, value: Value) -> str:
        if value is None:
            return ""
        if column == RATE_COLUMN and isinstance(value, Decimal):
            return f"{value * 100:.1f}%"
        if column in MONEY_COLUMNS and isinstance(value, Decimal):
            return f"{value:,.2f}"
        if isinstance(value, int):
            return f"{value:,}"
        return str(value)
