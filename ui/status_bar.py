"""The status bar: the sending service, each channel's health (a modem's signal bars), balance, queue.

Read in the background every few seconds and whenever the core reports a change; nothing here asks a modem.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from smsjingling import messages
from smsjingling.sending.overview import ChannelHealth, Overview, overview
from ui.context import AppContext

REFRESH_MS = 5_000
BARS = "▁▂▃▄▅"


def bars_text(bars: int | None) -> str:
    """Signal as five rising blocks, the ones above the level greyed out by using a lighter glyph."""
    if bars is None:
        return ""
    return "".join(BARS[i] if i < bars else "·" for i in range(5))


def fen_text(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


class StatusBar(QStatusBar):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("status_bar")
        self.setContentsMargins(6, 0, 6, 0)
        self.service_label = QLabel(objectName="service_label")
        self.channels_label = QLabel(objectName="channels_label")
        self.balance_label = QLabel(objectName="balance_label")
        self.queue_label = QLabel(objectName="queue_label")
        # Shown only while the dispatcher has lost a shared database server (core event "database").
        self.database_label = QLabel(objectName="database_label")
        self.database_label.setStyleSheet("color: #b00020;")
        self.database_label.hide()
        for label in (self.database_label, self.service_label, self.channels_label, self.balance_label):
            self.addPermanentWidget(label)
        self.addPermanentWidget(self.queue_label)
        self.last: Overview | None = None
        self._reading = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        for signal in (ctx.events.messages, ctx.events.campaign, ctx.events.channel, ctx.events.balance):
            signal.connect(lambda _items: self.refresh())
        ctx.events.database.connect(self._database_changed)
        ctx.service_state.changed.connect(self._service_changed)
        self._service_changed(ctx.service_state.state)
        self.refresh()

    def refresh(self) -> None:
        if self._reading:
            return  # one read at a time; the next event or tick brings the newest figures
        self._reading = True
        db, service = self.ctx.db, self.ctx.service
        self.ctx.run(
            lambda: overview(db, service.dispatcher if service is not None else None),
            owner=self,
            on_result=self._show,
            on_error=self._failed,
            name="status overview",
        )

    def _failed(self, exc: BaseException) -> None:
        self._reading = False
        self.showMessage(self.tr("无法读取状态：%1").replace("%1", str(exc)), 10_000)

    def _show(self, view: Overview) -> None:
        self._reading = False
        self.last = view
        parts = [self._channel_text(c) for c in view.channels if c.enabled]
        self.channels_label.setText("  ".join(parts) if parts else self.tr("没有可用通道"))
        self.channels_label.setToolTip(
            "\n".join(
                self.tr("%1：今日已发 %2 / 上限 %3")
                .replace("%1", c.name)
                .replace("%2", str(c.sent_today))
                .replace("%3", str(c.daily_cap) if c.daily_cap else "∞")
                for c in view.channels
            )
        )
        if view.balance_fen is None:
            self.balance_label.setText("")
        else:
            text = self.tr("余额 %1").replace("%1", fen_text(view.available_fen or 0))
            self.balance_label.setText(text + (self.tr("（余额不足）") if view.low_balance else ""))
            self.balance_label.setStyleSheet("color: #b00020;" if view.low_balance else "")
        self.queue_label.setText(self.tr("待发 %1").replace("%1", f"{view.waiting:,}"))

    def _channel_text(self, channel: ChannelHealth) -> str:
        simulated = channel.simulated and self.tr("模拟") not in channel.name
        name = channel.name + (self.tr("（模拟）") if simulated else "")
        signal = bars_text(channel.bars)
        state = {
            "resting": self.tr("暂停"),
            "capped": self.tr("已达上限"),
            "stopped": self.tr("未运行"),
        }.get(channel.state, "")
        return " ".join(part for part in (name, signal, state) if part)

    def _database_changed(self, items: list) -> None:
        last = items[-1]
        if last.get("state") == "lost":
            self.database_label.setText(messages.text("db.lost", where=last.get("where", "")))
            self.database_label.setToolTip(str(last.get("detail", "")))
            self.database_label.show()
        else:
            self.database_label.hide()
            self.showMessage(messages.text("db.back"), 10_000)
            self.refresh()

    def _service_changed(self, state: str) -> None:
        texts = {
            "starting": self.tr("正在启动发送服务…"),
            "running": self.tr("发送服务运行中"),
            "failed": self.tr("发送服务未能启动"),
            "stopped": self.tr("发送服务已停止"),
        }
        self.service_label.setText(texts.get(state, state))
        error = self.ctx.service_state.error
        self.service_label.setToolTip(str(error) if error is not None else "")
        self.refresh()
