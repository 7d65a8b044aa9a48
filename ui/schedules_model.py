"""The schedules as a table: name, state, the rule in words, the next send, the last run's result, the times
missed and the recipients. The page reads the list in the background (smsjingling.schedule.listing) and
hands it over with `set_items`; a schedule keeps its row when the list is read again, so the selection stays.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from smsjingling import messages
from smsjingling.schedule.listing import ScheduleItem, ScheduleState

Index = QModelIndex | QPersistentModelIndex

MISSED_COLOUR = QColor("#c0392b")
ENDED_COLOUR = QColor("#808080")
ENDED = frozenset({ScheduleState.COMPLETED, ScheduleState.CANCELLED, ScheduleState.STARTED})
WARNED = frozenset({ScheduleState.MISSED, ScheduleState.INVALID})


class Column(enum.IntEnum):
    NAME = 0
    STATE = 1
    RULE = 2
    NEXT = 3
    LAST = 4
    MISSED = 5
    RECIPIENTS = 6


def weekday(moment: datetime) -> str:
    return messages.text(f"schedule.weekday.{moment.weekday()}")


class SchedulesModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[ScheduleItem] = []
        self._headers = {
            Column.NAME: self.tr("名称"),
            Column.STATE: self.tr("状态"),
            Column.RULE: self.tr("发送时间"),
            Column.NEXT: self.tr("下次发送"),
            Column.LAST: self.tr("上次发送结果"),
            Column.MISSED: self.tr("错过"),
            Column.RECIPIENTS: self.tr("接收人"),
        }

    def set_items(self, items: list[ScheduleItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> ScheduleItem:
        return self._items[row]

    def items(self) -> list[ScheduleItem]:
        return list(self._items)

    def row_of(self, campaign_id: int) -> int | None:
        return next((i for i, item in enumerate(self._items) if item.id == campaign_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return self._headers[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.state in WARNED or (column is Column.MISSED and item.missed):
                return QBrush(MISSED_COLOUR)
            if item.state in ENDED or item.state is ScheduleState.PAUSED:
                return QBrush(ENDED_COLOUR)
        return None

    def text(self, item: ScheduleItem, column: Column) -> str:
        lang = messages.current_language()
        if column is Column.NAME:
            return item.name or f"#{item.id}"
        if column is Column.STATE:
            return item.state.label(lang)
        if column is Column.RULE:
            return item.describe(lang)
        if column is Column.NEXT:
            local = item.local(item.next_at)
            if local is None:
                return "—"
            return f"{local:%Y-%m-%d %H:%M} {weekday(local)}"
        if column is Column.LAST:
            return item.last_run.text(lang) if item.last_run is not None else ""
        if column is Column.MISSED:
            return self.tr("%1 次").replace("%1", str(item.missed)) if item.missed else ""
        return item.recipients_text(lang)

    def tooltip(self, item: ScheduleItem, column: Column) -> str | None:
        if column is Column.MISSED and item.last_missed_at is not None:
            local = item.local(item.last_missed_at)
            return self.tr("最近一次错过：%1（到时程序未在运行）").replace("%1", f"{local:%Y-%m-%d %H:%M}")
        if column is Column.NEXT and item.state is ScheduleState.PAUSED and item.next_at is not None:
            return self.tr("已暂停：继续后按这个时间发送")
        if column is Column.RULE and item.recurring:
            return item.recurrence
        return None
