"""修改发送时间: a schedule's first send and how it repeats, with the result said in words as it is chosen.

The dialog builds the core's Recurrence from the choices (or parses a custom RRULE) and checks the schedule
as the core will (smsjingling.schedule.plan.Schedule.check): a rule that never sends, an end before the
start or a first send already past are said under the choices and keep 确定 disabled. The change itself is
made by the page, through smsjingling.schedule.editing.reschedule.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from smsjingling import messages
from smsjingling.errors import UserError
from smsjingling.schedule.describe import describe
from smsjingling.schedule.listing import ScheduleItem
from smsjingling.schedule.plan import Schedule
from smsjingling.schedule.recurrence import LAST_DAY, Preset, Recurrence, ShortMonth, until_end_of_day, zone
from smsjingling.storage.types import utcnow

NONE = "none"  # the repeat choice for a one-off


def _qdatetime(moment: datetime) -> QDateTime:
    return QDateTime(QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute))


class ScheduleDialog(QDialog):
    def __init__(self, item: ScheduleItem, parent: QWidget | None = None, *, now: datetime | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.tz: ZoneInfo = zone(item.timezone)
        self.now = now or utcnow()
        self.setWindowTitle(self.tr("修改发送时间 — %1").replace("%1", item.name or f"#{item.id}"))
        self.setObjectName("schedule_dialog")

        start = self._proposed_start(item).astimezone(self.tz)
        self.start_edit = QDateTimeEdit(_qdatetime(start), objectName="schedule_start")
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("yyyy-MM-dd HH:mm")

        self.repeat_box = QComboBox(objectName="schedule_repeat")
        for value, text in (
            (NONE, self.tr("不重复（只发送一次）")),
            (Preset.DAILY.value, self.tr("每天")),
            (Preset.WORKDAYS.value, self.tr("每个工作日（周一至周五）")),
            (Preset.WEEKLY.value, self.tr("每周")),
            (Preset.MONTHLY.value, self.tr("每月")),
            (Preset.CUSTOM.value, self.tr("自定义规则（RRULE）")),
        ):
            self.repeat_box.addItem(text, value)

        self.interval_spin = QSpinBox(objectName="schedule_interval")
        self.interval_spin.setRange(1, 1000)
        self.interval_unit = QLabel()
        interval_row = QWidget()
        interval_layout = QHBoxLayout(interval_row)
        interval_layout.setContentsMargins(0, 0, 0, 0)
        interval_layout.addWidget(QLabel(self.tr("每")))
        interval_layout.addWidget(self.interval_spin)
        interval_layout.addWidget(self.interval_unit)
        interval_layout.addStretch(1)
        self.interval_row = interval_row

        # The part of the form that depends on the repeat choice.
        self.details = QStackedWidget()
        self.details.addWidget(QWidget())  # none, daily, workdays
        weekdays = QWidget()
        weekday_layout = QHBoxLayout(weekdays)
        weekday_layout.setContentsMargins(0, 0, 0, 0)
        self.weekday_boxes: list[QCheckBox] = []
        for day in range(7):
            box = QCheckBox(messages.text(f"schedule.weekday.{day}"))
            self.weekday_boxes.append(box)
            weekday_layout.addWidget(box)
        weekday_layout.addStretch(1)
        self.details.addWidget(weekdays)
        monthly = QWidget()
        monthly_layout = QHBoxLayout(monthly)
        monthly_layout.setContentsMargins(0, 0, 0, 0)
        self.month_day_spin = QSpinBox(objectName="schedule_month_day")
        self.month_day_spin.setRange(1, 31)
        self.month_day_spin.setSuffix(self.tr(" 日"))
        self.month_end_box = QCheckBox(self.tr("月末最后一天"))
        self.short_month_box = QComboBox()
        self.short_month_box.addItem(self.tr("没有这一天的月份在月末发送"), ShortMonth.CLAMP.value)
        self.short_month_box.addItem(self.tr("没有这一天的月份不发送"), ShortMonth.SKIP.value)
        monthly_layout.addWidget(self.month_day_spin)
        monthly_layout.addWidget(self.month_end_box)
        monthly_layout.addWidget(self.short_month_box)
        monthly_layout.addStretch(1)
        self.details.addWidget(monthly)
        self.custom_edit = QLineEdit(objectName="schedule_rule")
        self.custom_edit.setPlaceholderText("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO")
        self.details.addWidget(self.custom_edit)

        self.end_box = QComboBox(objectName="schedule_end")
        self.end_box.addItem(self.tr("一直重复"), "never")
        self.end_box.addItem(self.tr("重复一定次数"), "count")
        self.end_box.addItem(self.tr("到某一天为止"), "until")
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, 10_000)
        self.count_spin.setSuffix(self.tr(" 次"))
        self.until_edit = QDateEdit()
        self.until_edit.setCalendarPopup(True)
        self.until_edit.setDisplayFormat("yyyy-MM-dd")
        end_row = QWidget()
        end_layout = QHBoxLayout(end_row)
        end_layout.setContentsMargins(0, 0, 0, 0)
        end_layout.addWidget(self.end_box)
        end_layout.addWidget(self.count_spin)
        end_layout.addWidget(self.until_edit)
        end_layout.addStretch(1)
        self.end_row = end_row

        self.preview = QLabel(objectName="schedule_preview")
        self.preview.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        self.start_edit.setToolTip(
            self.tr("只发送一次的任务在这个时间发送；重复的任务从这个时间起按规则发送，每次都在这个时刻")
        )
        form.addRow(self.tr("开始时间："), self.start_edit)
        form.addRow(self.tr("重复："), self.repeat_box)
        form.addRow("", self.interval_row)
        form.addRow("", self.details)
        form.addRow(self.tr("结束："), self.end_row)
        note = QLabel(self.tr("时区：%1").replace("%1", item.timezone))
        note.setStyleSheet("color: #666666;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.preview)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(560, 320)

        self._load(item, start)
        for signal in (
            self.start_edit.dateTimeChanged,
            self.repeat_box.currentIndexChanged,
            self.interval_spin.valueChanged,
            self.month_day_spin.valueChanged,
            self.month_end_box.toggled,
            self.short_month_box.currentIndexChanged,
            self.custom_edit.textChanged,
            self.end_box.currentIndexChanged,
            self.count_spin.valueChanged,
            self.until_edit.dateChanged,
        ):
            signal.connect(self._update)
        for box in self.weekday_boxes:
            box.toggled.connect(self._update)
        self._update()

    def _proposed_start(self, item: ScheduleItem) -> datetime:
        """Its own start while that is still to come; for a schedule already running, its next send (a new
        start in the past would be refused, and would mean nothing: what was sent stays sent)."""
        if item.start_at is not None and item.start_at > self.now:
            return item.start_at
        if item.next_at is not None and item.next_at > self.now:
            return item.next_at
        return (self.now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)

    # -- reading the item in ---------------------------------------------------------------------------

    def _load(self, item: ScheduleItem, start: datetime) -> None:
        self.month_day_spin.setValue(start.day)
        self.weekday_boxes[start.weekday()].setChecked(True)
        self.until_edit.setDate(QDate(start.year, start.month, start.day).addMonths(1))
        self.count_spin.setValue(10)
        if not item.recurring:
            self.repeat_box.setCurrentIndex(self.repeat_box.findData(NONE))
            return
        try:
            rule = Recurrence.parse(item.recurrence, self.tz)
        except UserError:
            rule = None
        if rule is None or rule.preset is Preset.CUSTOM:
            self.repeat_box.setCurrentIndex(self.repeat_box.findData(Preset.CUSTOM.value))
            self.custom_edit.setText(rule.open_ended().rule if rule is not None else item.recurrence)
        else:
            self.repeat_box.setCurrentIndex(self.repeat_box.findData(rule.preset.value))
            self.interval_spin.setValue(rule.interval)
            for day, box in enumerate(self.weekday_boxes):
                box.setChecked(day in rule.weekdays)
            if rule.preset is Preset.MONTHLY:
                self.month_end_box.setChecked(rule.month_day == LAST_DAY)
                if rule.month_day != LAST_DAY:
                    self.month_day_spin.setValue(rule.month_day)
                self.short_month_box.setCurrentIndex(self.short_month_box.findData(rule.short_month.value))
        if rule is not None and rule.count is not None:
            self.end_box.setCurrentIndex(self.end_box.findData("count"))
            self.count_spin.setValue(rule.count)
        elif rule is not None and rule.until is not None:
            self.end_box.setCurrentIndex(self.end_box.findData("until"))
            end = rule.until.astimezone(self.tz)
            self.until_edit.setDate(QDate(end.year, end.month, end.day))

    # -- the choice as the core's values ---------------------------------------------------------------

    def start_at(self) -> datetime:
        local = self.start_edit.dateTime().toPython()
        assert isinstance(local, datetime)
        return local.replace(second=0, microsecond=0, tzinfo=self.tz).astimezone(UTC)

    def recurrence(self) -> Recurrence | None:
        """The rule chosen (None: once). Raises UserError with the core's words for a rule that is not valid."""
        kind = self.repeat_box.currentData()
        if kind == NONE:
            return None
        ending = self.end_box.currentData()
        count = self.count_spin.value() if ending == "count" else None
        until_day = self.until_edit.date().toPython()
        until = until_end_of_day(until_day, self.tz) if ending == "until" else None  # type: ignore[arg-type]
        interval = self.interval_spin.value()
        if kind == Preset.DAILY.value:
            return Recurrence.daily(interval=interval, count=count, until=until)
        if kind == Preset.WORKDAYS.value:
            return Recurrence.workdays(count=count, until=until)
        if kind == Preset.WEEKLY.value:
            days = [d for d, box in enumerate(self.weekday_boxes) if box.isChecked()]
            return Recurrence.weekly(days, interval=interval, count=count, until=until)
        if kind == Preset.MONTHLY.value:
            day = LAST_DAY if self.month_end_box.isChecked() else self.month_day_spin.value()
            short = ShortMonth(self.short_month_box.currentData())
            return Recurrence.monthly(day, short_month=short, interval=interval, count=count, until=until)
        # A custom rule's own end is replaced by the one chosen below it.
        body = Recurrence.parse(self.custom_edit.text(), self.tz).open_ended().rule
        if count is not None:
            body += f";COUNT={count}"
        elif until is not None:
            body += f";UNTIL={until.astimezone(UTC):%Y%m%dT%H%M%SZ}"
        return Recurrence.parse(body, self.tz)

    def rule_text(self) -> str:
        rule = self.recurrence()
        return rule.rule if rule is not None else ""

    def problem(self) -> str | None:
        """Why the choice cannot be saved, in the core's words; None when it can."""
        try:
            rule = self.recurrence()
            Schedule(self.start_at(), rule, self.tz, timedelta(minutes=self.item.grace_minutes)).check(self.now)
        except UserError as exc:
            return exc.message()
        return None

    # -- showing ---------------------------------------------------------------------------------------

    def _update(self) -> None:
        kind = self.repeat_box.currentData()
        self.interval_row.setVisible(kind in (Preset.DAILY.value, Preset.WEEKLY.value, Preset.MONTHLY.value))
        units = {
            Preset.DAILY.value: self.tr("天"),
            Preset.WEEKLY.value: self.tr("周"),
            Preset.MONTHLY.value: self.tr("个月"),
        }
        self.interval_unit.setText(units.get(kind, ""))
        page = {Preset.WEEKLY.value: 1, Preset.MONTHLY.value: 2, Preset.CUSTOM.value: 3}.get(kind, 0)
        self.details.setCurrentIndex(page)
        self.details.setVisible(page != 0)
        self.month_day_spin.setEnabled(not self.month_end_box.isChecked())
        self.short_month_box.setVisible(not self.month_end_box.isChecked() and self.month_day_spin.value() >= 29)
        self.end_row.setVisible(kind != NONE)
        ending = self.end_box.currentData()
        self.count_spin.setVisible(ending == "count")
        self.until_edit.setVisible(ending == "until")

        why = self.problem()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(why is None)
        if why is not None:
            self.preview.setStyleSheet("color: #c0392b;")
            self.preview.setText(why)
            return
        rule = self.recurrence()
        start = self.start_at()
        text = describe(rule, start, self.tz)
        first = Schedule(start, rule, self.tz).first()
        if first is not None and rule is not None:
            text += self.tr("\n首次发送：%1").replace("%1", f"{first.astimezone(self.tz):%Y-%m-%d %H:%M}")
        self.preview.setStyleSheet("")
        self.preview.setText(text)
