"""When a message goes: now, once at a time, or on a recurrence (every day, week, month, or workday).

The weekly and monthly choices take their day from the date picked (a Friday → every Friday, the 15th →
every month on the 15th): what an office asks for, without a rule editor. The time is the settings' time zone
(China's by default), whatever the PC's clock zone is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QLabel,
    QRadioButton,
    QWidget,
)

from smsjingling.schedule import Recurrence, describe


class When:
    NOW, AT, REPEAT = range(3)


class Repeat:
    DAILY, WEEKLY, MONTHLY, WORKDAYS = range(4)


class WhenBox(QWidget):
    changed = Signal()

    def __init__(self, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = zone
        self.now_radio = QRadioButton(self.tr("立即发送"), objectName="send_now")
        self.at_radio = QRadioButton(self.tr("定时发送"), objectName="send_at")
        self.repeat_radio = QRadioButton(self.tr("重复发送"), objectName="send_repeat")
        self.now_radio.setChecked(True)
        self.group = QButtonGroup(self)
        for i, radio in enumerate((self.now_radio, self.at_radio, self.repeat_radio)):
            self.group.addButton(radio, i)

        self.time_edit = QDateTimeEdit(objectName="send_time")
        self.time_edit.setCalendarPopup(True)
        self.time_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.time_edit.setToolTip(self.tr("时间按设置中的时区（%1）").replace("%1", zone.key))
        self.repeat_combo = QComboBox(objectName="repeat_choice")
        self.repeat_combo.addItems([self.tr("每天"), self.tr("每周"), self.tr("每月"), self.tr("每个工作日")])
        self.describe_label = QLabel(objectName="when_text")
        self.describe_label.setWordWrap(True)

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.now_radio, 0, 0)
        layout.addWidget(self.at_radio, 0, 1)
        layout.addWidget(self.repeat_radio, 0, 2)
        layout.addWidget(self.time_edit, 1, 0, 1, 2)
        layout.addWidget(self.repeat_combo, 1, 2)
        layout.addWidget(self.describe_label, 2, 0, 1, 3)
        layout.setColumnStretch(3, 1)

        self.reset_time()
        self.group.idToggled.connect(lambda _id, on: on and self._changed())
        self.time_edit.dateTimeChanged.connect(lambda _dt: self._changed())
        self.repeat_combo.currentIndexChanged.connect(lambda _i: self._changed())
        self._changed()

    def reset_time(self) -> None:
        """The next whole hour, at least ten minutes ahead."""
        local = datetime.now(self.zone) + timedelta(minutes=10)
        local = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        self.set_start(local)

    def set_start(self, at: datetime) -> None:
        local = at.astimezone(self.zone)
        self.time_edit.setDateTime(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )

    def mode(self) -> int:
        return self.group.checkedId()

    def set_mode(self, mode: int, repeat: int = Repeat.DAILY) -> None:
        self.group.button(mode).setChecked(True)
        self.repeat_combo.setCurrentIndex(repeat)

    def start_at(self) -> datetime | None:
        if self.mode() == When.NOW:
            return None
        q = self.time_edit.dateTime()
        d, t = q.date(), q.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=self.zone)

    def recurrence(self) -> Recurrence | None:
        if self.mode() != When.REPEAT:
            return None
        start = self.start_at()
        assert start is not None
        choice = self.repeat_combo.currentIndex()
        if choice == Repeat.WEEKLY:
            return Recurrence.weekly([start.weekday()])
        if choice == Repeat.MONTHLY:
            # The 29th-31st fall on the last day of shorter months (the core's default), not skipped.
            return Recurrence.monthly(start.day)
        if choice == Repeat.WORKDAYS:
            return Recurrence.workdays()
        return Recurrence.daily()

    def text(self) -> str:
        """The choice in words: 立即发送, or the core's sentence for a time or a schedule."""
        start = self.start_at()
        if start is None:
            return self.tr("立即发送")
        return describe(self.recurrence(), start, self.zone)

    def _changed(self) -> None:
        mode = self.mode()
        self.time_edit.setEnabled(mode != When.NOW)
        self.repeat_combo.setEnabled(mode == When.REPEAT)
        self.describe_label.setText("" if mode == When.NOW else self.text())
        self.describe_label.setVisible(mode != When.NOW)
        self.changed.emit()
