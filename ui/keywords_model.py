"""The banned words of one category (or all) as a table: word, category, source, whether it is matched.

A vendor's list has a few thousand words at most, so the model holds the rows the store gave it; the panel
reads them in the background and hands them over with `set_records`.
"""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from smsjingling.keywords.categories import category_label
from smsjingling.keywords.store import DEFAULT_SOURCE, MANUAL_SOURCE, KeywordRecord

Index = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    WORD = 0
    CATEGORY = 1
    SOURCE = 2
    ENABLED = 3


class KeywordsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[KeywordRecord] = []
        self._headers = {
            Column.WORD: self.tr("关键词"),
            Column.CATEGORY: self.tr("分类"),
            Column.SOURCE: self.tr("来源"),
            Column.ENABLED: self.tr("状态"),
        }

    def set_records(self, records: list[KeywordRecord]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int) -> KeywordRecord:
        return self._records[row]

    def words(self) -> list[str]:
        return [r.word for r in self._records]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 4:
            return self._headers[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        r = self._records[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is Column.WORD:
                return r.word
            if column is Column.CATEGORY:
                return category_label(r.category)
            if column is Column.SOURCE:
                return self._source(r.source)
            return self.tr("启用") if r.enabled else self.tr("停用")
        if role == Qt.ItemDataRole.ForegroundRole and not r.enabled:
            return QBrush(QColor("#808080"))  # a word kept on the list but not matched
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.SOURCE:
            return r.source
        return None

    def _source(self, source: str) -> str:
        if source == DEFAULT_SOURCE:
            return self.tr("内置词库")
        if source == MANUAL_SOURCE:
            return self.tr("手工添加")
        return source  # the file it was imported from
