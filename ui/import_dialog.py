"""Importing a contact spreadsheet: choose the file and target groups, watch it run, read the report.

The import runs in the background worker with a progress dialog whose 取消 button sets the importer's cancel
Event; the importer then rolls back, so a cancelled import leaves the book as it was. The report stays in
this dialog (no chain of message boxes), with a button to save the rows that were not imported as .xlsx for
the admin to fix and import again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from smsjingling.errors import UserError
from smsjingling.importer.report import ImportReport
from smsjingling.importer.run import DuplicatePolicy, ImportCancelled, ImportOptions, import_contacts
from smsjingling.storage.database import Database
from ui.worker import Progress, Task, Worker

log = logging.getLogger(__name__)

# the import itself; replaceable in tests (same signature as `import_contacts`)
ImportFn = Callable[..., ImportReport]

_GROUP_SPLIT = str.maketrans({"，": ",", "、": ",", "；": ",", ";": ","})


class ImportDialog(QDialog):
    # an import finished and changed the book (not for a cancel or an error)
    imported = Signal(object)

    def __init__(
        self,
        db: Database,
        worker: Worker,
        parent: QWidget | None = None,
        *,
        groups: list[str] | None = None,
        import_fn: ImportFn = import_contacts,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.worker = worker
        self.import_fn = import_fn
        self.report: ImportReport | None = None
        self.error: BaseException | None = None
        self.task: Task | None = None
        self.progress_dialog: QProgressDialog | None = None
        # Replaceable so tests can answer without a modal file dialog.
        self.ask_open_path: Callable[[], str] = self._ask_open_path
        self.ask_save_path: Callable[[str], str] = self._ask_save_path

        self.setWindowTitle(self.tr("导入联系人"))
        self.setMinimumWidth(560)

        style = self.style()
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(self.tr("Excel（.xlsx/.xls）、WPS/LibreOffice（.ods）或 CSV 文件"))
        browse = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DirOpenIcon), self.tr("浏览…"))
        browse.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)

        self.groups_edit = QLineEdit("，".join(groups or []))
        self.groups_edit.setPlaceholderText(self.tr("可选；多个分组用逗号分隔"))

        self.policy_combo = QComboBox()
        self.policy_combo.addItem(self.tr("更新已有联系人（只补充，不清空）"), DuplicatePolicy.UPDATE.value)
        self.policy_combo.addItem(self.tr("跳过已有联系人"), DuplicatePolicy.SKIP.value)
        self.policy_combo.addItem(self.tr("已有联系人只加入分组"), DuplicatePolicy.GROUPS.value)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("文件："), file_row)
        form.addRow(self.tr("加入分组："), self.groups_edit)
        form.addRow(self.tr("号码已存在时："), self.policy_combo)

        hint = QLabel(
            self.tr(
                "第一行应为表头，如“姓名、手机号码、部门、分组”；程序会自动识别各列。导入是整体进行的：出错或取消时通讯录不会改变。"
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("hint")

        self.result_view = QPlainTextEdit()
        self.result_view.setObjectName("result_view")
        self.result_view.setReadOnly(True)
        self.result_view.setPlaceholderText(self.tr("导入结果将显示在这里。"))
        self.result_view.setMaximumHeight(140)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(self.tr("导入"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton))
        self.save_rejected_button = self.buttons.addButton(
            self.tr("保存未导入的行…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_rejected_button.setEnabled(False)
        self.close_button = self.buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        # The buttons do their own thing; the box's accepted() would close the dialog before the import ran.
        self.import_button.clicked.connect(self.start)
        self.save_rejected_button.clicked.connect(self.save_rejected)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.result_view)
        layout.addWidget(self.buttons)

        self.file_edit.textChanged.connect(self._update_buttons)
        self._update_buttons()

    # -- input ---------------------------------------------------------------------------------------

    def set_file(self, path: str | Path) -> None:
        self.file_edit.setText(str(path))

    def target_groups(self) -> list[str]:
        text = self.groups_edit.text().translate(_GROUP_SPLIT)
        return list(dict.fromkeys(g.strip() for g in text.split(",") if g.strip()))

    def policy(self) -> DuplicatePolicy:
        # Qt hands the item data back as a plain str: turn it into the enum the importer expects.
        return DuplicatePolicy(self.policy_combo.currentData())

    def choose_file(self) -> None:
        path = self.ask_open_path()
        if path:
            self.set_file(path)

    def _ask_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择要导入的文件"),
            str(Path.home()),
            self.tr("电子表格 (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;所有文件 (*)"),
        )
        return path

    def _ask_save_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存未导入的行"), suggested, self.tr("Excel 工作簿 (*.xlsx)")
        )
        return path

    def _update_buttons(self) -> None:
        running = self.task is not None
        self.import_button.setEnabled(bool(self.file_edit.text().strip()) and not running)
        self.close_button.setEnabled(not running)
        report = self.report
        self.save_rejected_button.setEnabled(
            not running and report is not None and bool(report.rejected or report.in_file_duplicates)
        )

    # -- running -------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self) -> None:
        path = Path(self.file_edit.text().strip())
        if self.running or not str(path):
            return
        options = ImportOptions(groups=self.target_groups(), policy=self.policy())
        db, import_fn = self.db, self.import_fn

        def run(cancel: threading.Event, progress: Progress) -> ImportReport:
            return import_fn(db, path, options, progress=progress, cancel=cancel)

        self.report = None
        self.error = None
        self.result_view.setPlainText(self.tr("正在导入 %1…").replace("%1", path.name))

        progress_dialog = QProgressDialog(self.tr("正在导入 %1…").replace("%1", path.name), self.tr("取消"), 0, 0, self)
        progress_dialog.setWindowTitle(self.tr("导入联系人"))
        progress_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        # We close it ourselves when the result arrives; its own reset would hide it at 100 % too early.
        progress_dialog.setAutoReset(False)
        progress_dialog.setAutoClose(False)
        progress_dialog.setMinimumDuration(300)  # a small file finishes before a dialog would flash
        progress_dialog.canceled.connect(self.cancel)
        self.progress_dialog = progress_dialog

        self.task = self.worker.run(
            run,
            on_result=self._finished,
            on_error=self._failed,
            on_progress=self._progressed,
            owner=self,
            name="import",
        )
        self._update_buttons()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            if self.progress_dialog is not None:
                self.progress_dialog.setLabelText(self.tr("正在取消，请稍候…"))

    def _progressed(self, done: int, total: int) -> None:
        if self.progress_dialog is None:
            return
        # QProgressDialog counts in int; scale huge sheets down rather than overflow.
        scale = max(1, total // 1_000_000)
        self.progress_dialog.setMaximum(max(total // scale, 1))
        self.progress_dialog.setValue(min(done // scale, total // scale))
        self.progress_dialog.setLabelText(
            self.tr("已处理 %1 / %2 行…").replace("%1", f"{done:,}").replace("%2", f"{total:,}")
        )

    def _end_run(self) -> None:
        self.task = None
        if self.progress_dialog is not None:
            self.progress_dialog.canceled.disconnect(self.cancel)
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self._update_buttons()

    def _finished(self, report: ImportReport) -> None:
        self._end_run()
        self.report = report
        lines = [report.summary()]
        if report.groups_created:
            lines.append(self.tr("新建分组：%1").replace("%1", "、".join(report.groups_created)))
        problems = sorted(report.rejected, key=lambda p: p.row)[:20]
        if problems:
            lines.append("")
            lines.append(self.tr("未导入的行（前 %1 条）：").replace("%1", str(len(problems))))
            lines.extend(self.tr("第 %1 行：%2").replace("%1", str(p.row)).replace("%2", p.reason()) for p in problems)
        self.result_view.setPlainText("\n".join(lines))
        self._update_buttons()
        self.imported.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self._end_run()
        self.error = exc
        if isinstance(exc, ImportCancelled | UserError):
            text = exc.message()
        else:
            log.error("import failed", exc_info=exc)
            text = self.tr("导入失败：%1").replace("%1", str(exc) or type(exc).__name__)
        self.result_view.setPlainText(text)

    def save_rejected(self) -> None:
        report = self.report
        if report is None:
            return
        suggested = str(Path.home() / self.tr("%1-未导入.xlsx").replace("%1", Path(report.file).stem))
        path = self.ask_save_path(suggested)
        if not path:
            return

        def write(_cancel: threading.Event, _progress: Progress) -> Path:
            return report.export_xlsx(path)

        self.worker.run(
            write,
            on_result=lambda saved: self.result_view.appendPlainText(
                "\n" + self.tr("未导入的行已保存到 %1").replace("%1", str(saved))
            ),
            on_error=self._save_failed,
            owner=self,
            name="save rejected rows",
        )

    def _save_failed(self, exc: BaseException) -> None:
        log.warning("could not save the rejected rows: %s", exc)
        QMessageBox.warning(self, self.tr("导入联系人"), self.tr("无法保存文件：%1").replace("%1", str(exc)))

    # -- closing -------------------------------------------------------------------------------------

    def reject(self) -> None:
        # Closing (Esc, the title bar) while an import runs would orphan it; cancel it instead.
        if self.running:
            self.cancel()
            return
        super().reject()

    def done(self, result: Any) -> None:
        if self.running:
            self.cancel()
            return
        super().done(result)
