"""扫描端口: find the modems on this computer's serial ports (with progress, cancellable) and add one as a channel.

The probing is the core's (`port_scan.scan_ports`, over the modem library's `probe`), run by the background
worker; this dialog shows its progress and its findings. Ports that already belong to a channel are listed, not
probed. Other ports or addresses can be typed in (a port the system does not list, or a `sim://` simulated modem).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smsjingling.sending.channels import Channels
from smsjingling.sending.port_scan import FoundPort, ScanReport, scan_ports, suggested_name
from ui.context import AppContext
from ui.errors import show_error
from ui.icons import icon
from ui.views import row_table
from ui.worker import Progress, Task

# The ports to probe: None for this computer's serial ports; tests give simulated ones.
Candidates = Callable[[], Sequence[str]] | None


class ScanDialog(QDialog):
    added = Signal(str)  # the name of a channel just added

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, candidates: Candidates = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.candidates = candidates
        self.report: ScanReport | None = None
        self.task: Task | None = None
        self.adding = False
        self.setObjectName("scan_dialog")
        self.setWindowTitle(self.tr("扫描端口"))
        self.resize(720, 460)

        intro = QLabel(
            self.tr(
                "扫描这台电脑的串口，找出可以收发短信的短信猫。每个端口只会被短暂打开；已添加为通道的端口不会被打扰。"
            )
        )
        intro.setWordWrap(True)
        self.extra_edit = QLineEdit()
        self.extra_edit.setObjectName("extra_edit")
        self.extra_edit.setPlaceholderText(self.tr("可不填；例如 COM9，多个用逗号分隔"))
        self.extra_edit.setToolTip(self.tr("系统没有列出的端口，或其他串口地址，也一并扫描"))
        self.scan_button = QPushButton(icon("scan-ports"), self.tr("开始扫描"))
        self.scan_button.setObjectName("scan_button")
        self.scan_button.setDefault(True)
        self.stop_button = QPushButton(icon("cancel"), self.tr("停止"))
        self.stop_button.setObjectName("stop_button")
        self.stop_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setObjectName("scan_progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("%v / %m 个端口"))
        top = QFormLayout()
        top.addRow(self.tr("其他端口或地址："), self.extra_edit)
        actions = QHBoxLayout()
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.scan_button)
        actions.addWidget(self.stop_button)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("ports_table")
        self.table.setHorizontalHeaderLabels([self.tr("端口"), self.tr("结果"), self.tr("设备")])
        header = row_table(self.table, QAbstractItemView.SelectionMode.SingleSelection)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 250)
        header.resizeSection(2, 180)

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name_edit")
        self.cap_spin = QSpinBox()
        self.cap_spin.setObjectName("cap_spin")
        self.cap_spin.setRange(0, 100_000)
        self.cap_spin.setValue(1000)
        self.cap_spin.setSpecialValueText(self.tr("不限"))
        self.cap_spin.setToolTip(self.tr("这张 SIM 卡每天最多发送的短信条数（运营商常有限制）；0 为不限"))
        self.add_button = QPushButton(icon("add"), self.tr("添加为通道"))
        self.add_button.setObjectName("add_button")
        self.add_button.setEnabled(False)
        bottom = QFormLayout()
        bottom.addRow(self.tr("通道名称："), self.name_edit)
        bottom.addRow(self.tr("每日上限："), self.cap_spin)
        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.setTabOrder(self.extra_edit, self.scan_button)
        self.setTabOrder(self.scan_button, self.table)
        self.setTabOrder(self.table, self.name_edit)
        self.setTabOrder(self.name_edit, self.cap_spin)
        self.setTabOrder(self.cap_spin, self.add_button)

        self.scan_button.clicked.connect(self.scan)
        self.stop_button.clicked.connect(self.stop)
        self.add_button.clicked.connect(self.add_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)

    # -- scanning ------------------------------------------------------------------------------------

    @property
    def scanning(self) -> bool:
        return self.task is not None

    def scan(self) -> None:
        if self.scanning:
            return
        extra = [part.strip() for part in self.extra_edit.text().replace("，", ",").split(",") if part.strip()]
        candidates = list(self.candidates()) if self.candidates is not None else None
        db = self.ctx.db
        self.table.setRowCount(0)
        self.report = None
        self.progress.setRange(0, max(1, len(extra)))
        self.progress.setValue(0)
        self.status_label.setText(self.tr("正在扫描…"))
        self.scan_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.add_button.setEnabled(False)

        def run(cancel: threading.Event, progress: Progress) -> ScanReport:
            return scan_ports(db, extra, cancel=cancel, progress=progress, candidates=candidates)

        self.task = self.ctx.worker.run(
            run,
            on_result=self._scanned,
            on_error=self._failed,
            on_progress=self._progress,
            owner=self,
            name="scan ports",
        )

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status_label.setText(self.tr("正在停止（正在打开的端口扫描完即停）…"))

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.scan_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.status_label.setText("")
        show_error(self, exc)

    def _scanned(self, report: ScanReport) -> None:
        self.task = None
        self.report = report
        self.scan_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.table.setRowCount(len(report.ports))
        first_usable = -1
        for row, port in enumerate(report.ports):
            items = (QTableWidgetItem(port.name), QTableWidgetItem(port.status_text()), QTableWidgetItem(port.device))
            for column, item in enumerate(items):
                item.setToolTip(port.detail or port.name)
                if not port.usable:
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(row, column, item)
            if port.usable and first_usable < 0:
                first_usable = row
        if report.cancelled:
            text = self.tr("扫描已停止。")
        elif not report.ports:
            text = self.tr("这台电脑上没有找到串口。请检查短信猫是否插好、驱动是否已安装。")
        elif report.usable:
            text = self.tr("找到 %1 个可用的短信猫。选中一个，填好名称后点“添加为通道”。").replace(
                "%1", str(len(report.usable))
            )
        else:
            text = self.tr("没有找到可以收发短信的短信猫。被占用的端口请先关闭占用它的程序再扫描。")
        self.status_label.setText(text)
        if first_usable >= 0:
            self.table.selectRow(first_usable)
        self.progress.setValue(self.progress.maximum())

    # -- adding --------------------------------------------------------------------------------------

    def selected(self) -> FoundPort | None:
        rows = self.table.selectionModel().selectedRows()
        if self.report is None or not rows:
            return None
        return self.report.ports[rows[0].row()]

    def _selection_changed(self) -> None:
        found = self.selected()
        usable = found is not None and found.usable
        self.add_button.setEnabled(usable and not self.adding)
        if usable and found is not None:
            taken = [r.channel for r in self.report.ports if r.channel] if self.report else []
            self.name_edit.setText(suggested_name(found, taken))

    def add_selected(self) -> None:
        found = self.selected()
        if found is None or not found.usable or self.adding:
            return
        name = self.name_edit.text().strip() or found.url
        cap = self.cap_spin.value()
        baudrate = found.baudrate if found.baudrate and found.baudrate != 115200 else None
        channels = Channels(self.ctx.db, self.ctx.actor)
        self.adding = True
        self.add_button.setEnabled(False)
        self.ctx.run(
            lambda: channels.add_modem(name, found.url, daily_cap=cap, baudrate=baudrate),
            owner=self,
            on_result=lambda _id: self._added(name, found),
            on_error=self._add_failed,
            name="add modem",
        )

    def _add_failed(self, exc: BaseException) -> None:
        self.adding = False
        self._selection_changed()
        show_error(self, exc)

    def _added(self, name: str, found: FoundPort) -> None:
        self.adding = False
        if self.report is not None:
            # The port is a channel now: it is listed as such and cannot be added twice.
            ports = tuple(
                FoundPort(p.url, p.name, "configured", False, channel=name) if p.url == found.url else p
                for p in self.report.ports
            )
            self._scanned(ScanReport(ports, self.report.cancelled))
        self.status_label.setText(self.tr("已添加通道“%1”。").replace("%1", name))
        self.added.emit(name)

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
        super().reject()
