"""The charts of the reports page, built from the core's report series (smsjingling.account.series).

Four charts over the same days, weeks or months:
- 按状态: every message submitted, stacked by what became of it (delivered, undelivered, sent and still
  waiting for its report, failed, not yet decided, not sent at all), so a bar's height is the submitted count;
- 按通道: the submitted messages stacked by the channel they went through;
- 送达率: delivered ÷ sent, in percent (a period where nothing was sent has no point);
- 费用: what the messages sent cost at their price, beside what the gateways' ledgers charged.

Every value is the series' own (the report's figures added up), never counted again here. Animations are
off: a report is read, not watched, and redrawing stays instant on a slow office PC.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from smsjingling.account.series import ReportSeries
from smsjingling.records.labels import yuan
from smsjingling.records.report import Traffic

ROTATE_AFTER = 12  # categories; beyond this the labels stand upright so they do not overlap

# Status colours: what is good green, what is bad red, what is open blue and grey.
STATUS_COLOURS = {
    "delivered": "#2e9d57",
    "awaiting": "#4f8fd8",
    "undelivered": "#e6a23c",
    "failed": "#d9534f",
    "pending": "#9aa5b1",
    "not_sent": "#cfd6dd",
}
CHANNEL_COLOURS = ("#2f6db5", "#e07b39", "#3c9d6b", "#8e5cc4", "#c9484a", "#2aa7b8", "#b59a2f", "#6b7b8c")


# Marked for lupdate here, translated when the chart is drawn (the language is the one installed then).
STATUS_NAMES = {
    "delivered": QT_TRANSLATE_NOOP("reports_charts", "已送达"),
    "awaiting": QT_TRANSLATE_NOOP("reports_charts", "已发送，等待状态报告"),
    "undelivered": QT_TRANSLATE_NOOP("reports_charts", "未送达"),
    "failed": QT_TRANSLATE_NOOP("reports_charts", "失败"),
    "pending": QT_TRANSLATE_NOOP("reports_charts", "未决（排队或发送中）"),
    "not_sent": QT_TRANSLATE_NOOP("reports_charts", "未发出（拦截、跳过或取消）"),
}


def status_names() -> dict[str, str]:
    return {key: QCoreApplication.translate("reports_charts", text) for key, text in STATUS_NAMES.items()}


def status_values(t: Traffic) -> dict[str, int]:
    """A bucket's messages by outcome; they add up to t.submitted."""
    return {
        "delivered": t.delivered,
        "awaiting": t.sent - t.delivered - t.undelivered,
        "undelivered": t.undelivered,
        "failed": t.failed,
        "pending": t.pending,
        "not_sent": t.not_sent,
    }


def axis_labels(series: ReportSeries) -> list[str]:
    """The bucket labels, without the year when every bucket starts in the same one (06-03, 06-03～06-09);
    months keep theirs (2024-06)."""
    if len({start.year for start, _end in series.buckets}) == 1:
        shortened = [label[5:] if len(label) > 7 else label for label in series.labels]
        if len(set(shortened)) == len(shortened):
            return shortened
    return list(series.labels)


class ReportChart(QChartView):
    """One chart in a view; `bar_sets` and `line` keep what was drawn, by name, for reading back."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.title = title
        self.bar_sets: dict[str, QBarSet] = {}
        self.line: QLineSeries | None = None
        self.setChart(self._new_chart())

    def _new_chart(self) -> QChart:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setTitle(self.title)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(6, 6, 6, 6))
        chart.setBackgroundRoundness(0)
        return chart

    def _replace(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)  # the view takes ownership of the new chart; the old one is ours to drop
        old.deleteLater()

    def _axes(self, chart: QChart, labels: Sequence[str], top: float, label_format: str) -> QValueAxis:
        x = QBarCategoryAxis()
        x.append(list(labels))
        if len(labels) > ROTATE_AFTER:
            x.setLabelsAngle(-90)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        y = QValueAxis()
        y.setRange(0, max(top, 1))
        y.setLabelFormat(label_format)
        y.applyNiceNumbers()
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for series in chart.series():
            series.attachAxis(x)
            series.attachAxis(y)
        return y

    def show_bars(
        self,
        labels: Sequence[str],
        sets: Sequence[tuple[str, str, Sequence[float], str]],
        *,
        stacked: bool,
        label_format: str = "%d",
    ) -> None:
        """Bars: (key, name, values, colour) per set, stacked or side by side."""
        chart = self._new_chart()
        series = QStackedBarSeries() if stacked else QBarSeries()
        self.bar_sets = {}
        for key, name, values, colour in sets:
            bar_set = QBarSet(name)
            bar_set.append([float(v) for v in values])
            bar_set.setColor(QColor(colour))
            bar_set.setBorderColor(QColor(colour))
            series.append(bar_set)
            self.bar_sets[key] = bar_set
        self.line = None
        chart.addSeries(series)
        if stacked:
            top = max((sum(s[2][i] for s in sets) for i in range(len(labels))), default=0)
        else:
            top = max((max(s[2], default=0) for s in sets), default=0)
        self._axes(chart, labels, float(top), label_format)
        chart.legend().setVisible(bool(sets))
        self._replace(chart)

    def show_line(self, labels: Sequence[str], name: str, points: Sequence[float | None], colour: str) -> None:
        """A line over the categories; None leaves the category without a point."""
        chart = self._new_chart()
        line = QLineSeries()
        line.setName(name)
        line.setPointsVisible(True)
        pen = line.pen()
        pen.setColor(QColor(colour))
        pen.setWidthF(2.0)
        line.setPen(pen)
        for i, value in enumerate(points):
            if value is not None:
                line.append(float(i), float(value))
        chart.addSeries(line)
        self.bar_sets = {}
        self.line = line
        y = self._axes(chart, labels, 100.0, "%d%%")
        y.setRange(0, 100)
        self._replace(chart)

    def values(self, key: str) -> list[float]:
        bar_set = self.bar_sets[key]
        return [bar_set.at(i) for i in range(bar_set.count())]

    def points(self) -> list[tuple[float, float]]:
        assert self.line is not None
        return [(p.x(), p.y()) for p in self.line.points()]


def fill_status(view: ReportChart, series: ReportSeries, labels: Sequence[str]) -> None:
    names = status_names()
    by_bucket = [status_values(t) for t in series.totals]
    sets = [(key, names[key], [v[key] for v in by_bucket], STATUS_COLOURS[key]) for key in STATUS_COLOURS]
    # An outcome no bucket has stays out of the legend.
    view.show_bars(labels, [s for s in sets if any(s[2])], stacked=True)


def fill_channels(view: ReportChart, series: ReportSeries, labels: Sequence[str]) -> None:
    sets = [
        (str(c.channel_id), c.name, [t.submitted for t in c.traffic], CHANNEL_COLOURS[i % len(CHANNEL_COLOURS)])
        for i, c in enumerate(series.channels)
    ]
    view.show_bars(labels, sets, stacked=True)


def rate_percent(rate: Decimal | None) -> float | None:
    return None if rate is None else float(rate * 100)


def fill_rate(view: ReportChart, series: ReportSeries, labels: Sequence[str]) -> None:
    name = QCoreApplication.translate("reports_charts", "送达率")
    view.show_line(labels, name, [rate_percent(r) for r in series.delivery_rates], "#2e9d57")


def fill_cost(view: ReportChart, series: ReportSeries, labels: Sequence[str]) -> None:
    sets: list[tuple[str, str, Sequence[float], str]] = [
        (
            "cost",
            QCoreApplication.translate("reports_charts", "短信费用（按单价）"),
            [float(t.cost) for t in series.totals],
            "#2f6db5",
        ),
    ]
    if series.has_money:
        charged = [float(yuan(m.charged_fen + m.fee_fen)) if m else 0.0 for m in series.money]
        name = QCoreApplication.translate("reports_charts", "网关实际扣费（含月租）")
        sets.append(("charged", name, charged, "#e07b39"))
    view.show_bars(labels, sets, stacked=False, label_format="%.2f")
