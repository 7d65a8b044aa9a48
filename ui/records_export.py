"""Exports that run in the background with their progress in the page's footer and a button to stop them
(the send record and the audit log). The core writes to a temporary file that replaces the target only when
complete, so stopping leaves no half-written file."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from smsjingling.records.export import ExportCancelled
from ui.errors import show_error
from ui.worker import Progress, Task, Worker

# asks the user for a file name to save to: (parent, caption, suggested path, filter) -> path or ""
SavePathAsker = Callable[[QWidget, str, str, str], str]


def ask_save_path(parent: QWidget, caption: str, suggested: str, filters: str) -> str:
    path, chosen = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    if path and not Path(path).suffix:
        path += ".csv" if "*.csv" in chosen else ".xlsx"
    return path


class ExportBar(QWidget):
    """The footer line "正在导出… [=====    ] 取消" while an export runs; hidden otherwise."""

    finished = Signal(int, str)  # rows written, the file
    cancelled = Signal()

    def __init__(self, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._task: Task | None = None
        self.label = QLabel(self.tr("正在导出…"))
        self.bar = QProgressBar()
        self.bar.setObjectName("export_progress")
        self.bar.setFixedWidth(220)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("取消导出"))
        self.cancel_button.setToolTip(self.tr("停止导出，不写入文件"))
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.setVisible(False)

    @property
    def busy(self) -> bool:
        return self._task is not None

    def start(self, path: str, fn: Callable[[threading.Event, Progress], int]) -> Task:
        """Run `fn(cancel, progress) -> rows written` for the file at `path`."""
        self.label.setText(self.tr("正在导出到 %1…").replace("%1", Path(path).name))
        self.bar.setRange(0, 0)  # busy until the first progress (counting comes first)
        self.setVisible(True)
        self.cancel_button.setEnabled(True)
        task = self._worker.run(
            fn,
            on_result=lambda count: self._done(task, count, path),
            on_error=lambda exc: self._failed(task, exc),
            on_progress=self._progress,
            owner=self,
            name="export",
        )
        self._task = task
        return task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(self.tr("正在取消…"))

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))

    def _done(self, task: Task, count: int, path: str) -> None:
        if task is self._task:
            self._task = None
            self.setVisible(False)
            self.finished.emit(count, path)

    def _failed(self, task: Task, exc: BaseException) -> None:
        if task is not self._task:
            return
        self._task = None
        self.setVisible(False)
        if isinstance(exc, ExportCancelled):
            self.cancelled.emit()
        else:
            show_error(self, exc)
