"""A range of days to filter by: a menu of the usual ranges (today, the last 7 days, this month…) and the two
dates, both included, as people say "1 to 30 June". The core's Period takes the end exclusive; `period()`
converts. Picking a date by hand makes the range "自定义"."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta, tzinfo

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from smsjingling.records.period import Period, months_before

EARLIEST = date(2000, 1, 1)  # "all time" starts here: no SMS record is older


class Range(enum.Enum):
    TODAY = "today"
    LAST_7_DAYS = "7d"
    LAST_30_DAYS = "30d"
    THIS_MONTH = "month"
    LAST_MONTH = "last_month"
    THIS_YEAR = "year"
    ALL = "all"
    CUSTOM = "custom"


def bounds(which: Range, today: date) -> tuple[date, date]:
    """First and last day (both included) of a named range."""
    if which is Range.TODAY:
        return today, today
    if which is Range.LAST_7_DAYS:
        return today - timedelta(days=6), today
    if which is Range.LAST_30_DAYS:
        return today - timedelta(days=29), today
    if which is Range.THIS_MONTH:
        return today.replace(day=1), today
    if which is Range.LAST_MONTH:
        first = months_before(today.replace(day=1), 1)
        return first, today.replace(day=1) - timedelta(days=1)
    if which is Range.THIS_YEAR:
        return today.replace(month=1, day=1), today
    return EARLIEST, today


class PeriodPicker(QWidget):
    changed = Signal()

    def __init__(self, default: Range, tz: tzinfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.preset = QComboBox()
        self.preset.setObjectName("period_preset")
        names = {
            Range.TODAY: self.tr("今天"),
            Range.LAST_7_DAYS: self.tr("最近 7 天"),
            Range.LAST_30_DAYS: self.tr("最近 30 天"),
            Range.THIS_MONTH: self.tr("本月"),
            Range.LAST_MONTH: self.tr("上月"),
            Range.THIS_YEAR: self.tr("今年"),
            Range.ALL: self.tr("全部日期"),
            Range.CUSTOM: self.tr("自定义"),
        }
        for which, name in names.items():
            self.preset.addItem(name, which)
        self.preset.setToolTip(self.tr("按日期筛选"))
        self.start = QDateEdit(calendarPopup=True)
        self.end = QDateEdit(calendarPopup=True)
        for edit, tip in ((self.start, self.tr("开始日期（含）")), (self.end, self.tr("结束日期（含）"))):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(QDate(EARLIEST.year, EARLIEST.month, EARLIEST.day))
            edit.setToolTip(tip)
        self.start.setObjectName("period_start")
        self.end.setObjectName("period_end")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.preset)
        layout.addWidget(self.start)
        layout.addWidget(QLabel(self.tr("至")))
        layout.addWidget(self.end)
        self._quiet = False
        self.set_range(default)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.start.dateChanged.connect(lambda _d: self._date_edited(self.start))
        self.end.dateChanged.connect(lambda _d: self._date_edited(self.end))

    def today(self) -> date:
        return datetime.now(self.tz).date()

    def current_range(self) -> Range:
        return self.preset.currentData()

    def set_range(self, which: Range) -> None:
        self._quiet = True
        try:
            self.preset.setCurrentIndex(self.preset.findData(which))
            if which is not Range.CUSTOM:
                first, last = bounds(which, self.today())
                self.start.setDate(QDate(first.year, first.month, first.day))
                self.end.setDate(QDate(last.year, last.month, last.day))
        finally:
            self._quiet = False

    def set_dates(self, first: date, last: date) -> None:
        """A range by hand: "自定义"."""
        self._quiet = True
        try:
            self.preset.setCurrentIndex(self.preset.findData(Range.CUSTOM))
            self.start.setDate(QDate(first.year, first.month, first.day))
            self.end.setDate(QDate(last.year, last.month, last.day))
        finally:
            self._quiet = False
        self.changed.emit()

    def dates(self) -> tuple[date, date]:
        first, last = self.start.date().toPython(), self.end.date().toPython()
        return (first, last) if first <= last else (last, first)

    def period(self) -> Period:
        """The chosen days as the core's Period (end exclusive). A named range is re-read against today, so
        "今天" left open overnight means the new day."""
        which = self.current_range()
        first, last = bounds(which, self.today()) if which is not Range.CUSTOM else self.dates()
        return Period(first, last + timedelta(days=1), self.tz)

    def _preset_chosen(self) -> None:
        if self._quiet:
            return
        self.set_range(self.current_range())
        self.changed.emit()

    def _date_edited(self, edit: QDateEdit) -> None:
        if self._quiet:
            return
        # Dragging one end past the other moves the other along, so the range is never empty.
        self._quiet = True
        try:
            if edit is self.start and self.start.date() > self.end.date():
                self.end.setDate(self.start.date())
            elif edit is self.end and self.end.date() < self.start.date():
                self.start.setDate(self.end.date())
            self.preset.setCurrentIndex(self.preset.findData(Range.CUSTOM))
        finally:
            self._quiet = False
        self.changed.emit()
