"""The channels table of 设备与通道: one row per modem or gateway account, with what the running service knows
(state, sent today, signal) and what the modem said when last asked (model, IMEI, operator, SIM).

Rows are read in the background (`read_rows`) and handed to the model whole; a modem's details arrive later, one
channel at a time (`set_details`). The 启用 column is a check box: ticking it asks the page (`enable_requested`),
which changes the channel in the core and reads the rows again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from smsjingling.sending.channels import Channels
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.gateway_accounts import GatewaySetup, gateway_setups
from smsjingling.sending.modem_access import ModemDetails
from smsjingling.sending.overview import ChannelHealth, overview
from smsjingling.storage.database import Database
from ui.status_bar import bars_text

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole


class Column:
    NAME, KIND, ADDRESS, MODEL, IMEI, OPERATOR, SIGNAL, SIM, SENT, STATE, ENABLED = range(11)
    COUNT = 11


@dataclass(frozen=True)
class DeviceRow:
    health: ChannelHealth
    url: str
    setup: GatewaySetup | None = None  # a gateway's set-up
    details: ModemDetails | None = None  # a modem's, when it was asked
    details_error: str = ""  # why asking it failed, in words

    @property
    def name(self) -> str:
        return self.health.name

    @property
    def is_modem(self) -> bool:
        return self.health.kind == "modem"

    @property
    def simulated(self) -> bool:
        return self.health.simulated

    @property
    def bars(self) -> int | None:
        """The running worker's reading first (fresher), else the one from the details."""
        if self.health.bars is not None:
            return self.health.bars
        return self.details.bars if self.details is not None else None


def address_text(row: DeviceRow) -> str:
    """Where the channel is, short: a modem's port without its settings, a gateway's account and host."""
    if row.setup is None:
        return row.url.split("?", 1)[0]
    host = urlsplit(row.url).netloc or row.url
    return f"{row.setup.account} @ {host}" if row.setup.account and host else (host or row.setup.account)


def read_rows(db: Database, dispatcher: Dispatcher | None) -> list[DeviceRow]:
    """Every channel with its health (one short read; in the background)."""
    view = overview(db, dispatcher)
    urls = {c.id: c.url for c in Channels(db).list()}
    setups = gateway_setups(db)
    return [DeviceRow(h, urls.get(h.id, ""), setups.get(h.id)) for h in view.channels]


class DevicesModel(QAbstractTableModel):
    enable_requested = Signal(str, bool)  # channel name, wanted state

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DeviceRow] = []
        self._details: dict[str, tuple[ModemDetails | None, str]] = {}
        self._headers = (
            self.tr("名称"),
            self.tr("类型"),
            self.tr("端口 / 地址"),
            self.tr("型号"),
            self.tr("IMEI"),
            self.tr("运营商"),
            self.tr("信号"),
            self.tr("SIM 卡"),
            self.tr("今日已发 / 上限"),
            self.tr("状态"),
            self.tr("启用"),
        )

    # -- filling -------------------------------------------------------------------------------------

    def set_rows(self, rows: list[DeviceRow]) -> None:
        """New rows from the core; the details already known stay with their channel."""
        merged = []
        for row in rows:
            details, error = self._details.get(row.name, (None, ""))
            merged.append(replace(row, details=details, details_error=error))
        same_names = [r.name for r in merged] == [r.name for r in self._rows]
        if same_names and merged:
            self._rows = merged
            self.dataChanged.emit(self.index(0, 0), self.index(len(merged) - 1, Column.COUNT - 1))
            return
        self.beginResetModel()
        self._rows = merged
        self.endResetModel()

    def set_details(self, name: str, details: ModemDetails | None, error: str = "") -> None:
        self._details[name] = (details, error)
        for i, row in enumerate(self._rows):
            if row.name == name:
                self._rows[i] = replace(row, details=details, details_error=error)
                self.dataChanged.emit(self.index(i, 0), self.index(i, Column.COUNT - 1))

    def forget_details(self, name: str) -> None:
        self._details.pop(name, None)

    def row_at(self, row: int) -> DeviceRow:
        return self._rows[row]

    def rows(self) -> list[DeviceRow]:
        return list(self._rows)

    # -- the model -----------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else Column.COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        return self._headers[section] if horizontal and 0 <= section < Column.COUNT else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == Column.ENABLED:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == Column.ENABLED:
            return Qt.CheckState.Checked if row.health.enabled else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            trouble = row.details_error or (row.details is not None and not row.details.sim_ready)
            if column == Column.SIM and row.is_modem and trouble:
                return QBrush(QColor("#b00020"))
            if column == Column.KIND and row.simulated:
                return QBrush(QColor("#8a5a00"))
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != Column.ENABLED or role != Qt.ItemDataRole.CheckStateRole:
            return False
        row = self._rows[index.row()]
        wanted = Qt.CheckState(value) == Qt.CheckState.Checked
        if wanted != row.health.enabled:
            self.enable_requested.emit(row.name, wanted)
        return False  # the row changes when the core says so

    # -- texts ---------------------------------------------------------------------------------------

    def kind_text(self, row: DeviceRow) -> str:
        if row.is_modem:
            text = self.tr("短信猫")
        elif row.setup is not None:
            text = self.tr("网关：%1").replace("%1", row.setup.kind.short_label())
        else:
            text = self.tr("短信网关")
        return text + (self.tr("（模拟）") if row.simulated else "")

    def state_text(self, row: DeviceRow) -> str:
        if not row.health.enabled:
            return self.tr("已停用")
        return {
            "idle": self.tr("就绪"),
            "sending": self.tr("发送中"),
            "waiting": self.tr("按速率等待"),
            "capped": self.tr("已达上限"),
            "resting": self.tr("暂停使用（连续失败）"),
            "stopped": self.tr("未运行"),
        }.get(row.health.state, row.health.state)

    def sim_text(self, row: DeviceRow) -> str:
        if not row.is_modem:
            return ""
        if row.details_error:
            return self.tr("无法连接")
        if row.details is None:
            return self.tr("正在读取…") if row.health.enabled else ""
        return row.details.sim_text()

    def _text(self, row: DeviceRow, column: int) -> str | None:
        details = row.details
        if column == Column.NAME:
            return row.name
        if column == Column.KIND:
            return self.kind_text(row)
        if column == Column.ADDRESS:
            return address_text(row)
        if column == Column.MODEL:
            return (details.model or "") if details and row.is_modem else ""
        if column == Column.IMEI:
            return (details.imei or "") if details else ""
        if column == Column.OPERATOR:
            return (details.operator or "") if details else ""
        if column == Column.SIGNAL:
            return bars_text(row.bars) if row.is_modem else ""
        if column == Column.SIM:
            return self.sim_text(row)
        if column == Column.SENT:
            cap = str(row.health.daily_cap) if row.health.daily_cap else self.tr("不限")
            return f"{row.health.sent_today} / {cap}"
        if column == Column.STATE:
            return self.state_text(row)
        return None

    def _tooltip(self, row: DeviceRow, column: int) -> str | None:
        if column == Column.SIGNAL and row.bars is not None:
            return self.tr("信号强度 %1 / 5").replace("%1", str(row.bars))
        if column == Column.SIM and row.details_error:
            return row.details_error
        if column == Column.ADDRESS:
            return row.url
        if column == Column.MODEL and row.details is not None:
            return " ".join(p for p in (row.details.manufacturer, row.details.model, row.details.revision) if p)
        if column == Column.KIND and row.simulated:
            return self.tr("内置的模拟设备：不会发出真实短信")
        return None
