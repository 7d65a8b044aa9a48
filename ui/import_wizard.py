"""The import wizard: file → sheet → header row → column mapping with a preview → duplicate policy →
progress with cancel → report of rejected rows with export.

The wizard holds what the pages decide (the file's head, the header row, the mapping) and runs every read
in the background worker: opening a big workbook parses a whole sheet, which takes seconds. The preview is
the importer's own reading of the first rows (smsjingling.importer.preview), so what the user sees there
is what the import does. The import runs all or nothing: 取消 (or 上一步, or closing the wizard) while it
runs stops it between chunks and the book is left as it was.

The sheet page is shown only for a workbook with more than one sheet. The progress page commits: once the
report is shown there is no going back to import the same file twice by accident.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QWidget, QWizard

from smsjingling.importer.preview import MappingPreview, SheetHead, preview, read_head
from smsjingling.importer.report import ImportReport
from smsjingling.importer.run import ImportOptions, import_contacts
from smsjingling.storage.database import Database
from ui.worker import Progress, Task, Worker

log = logging.getLogger(__name__)

# the import itself; replaceable in tests (same signature as `import_contacts`)
ImportFn = Callable[..., ImportReport]

_GROUP_SPLIT = str.maketrans({"，": ",", "、": ",", "；": ",", ";": ","})


class PageId(enum.IntEnum):
    FILE = 0
    SHEET = 1
    HEADER = 2
    MAPPING = 3
    OPTIONS = 4
    PROGRESS = 5
    REPORT = 6


class ImportWizard(QWizard):
    # an import finished and changed the book (not a dry run, a cancel or an error): the ImportReport
    imported = Signal(object)
    # the file's or a sheet's first rows arrived (or failed: then `head_error` is set)
    head_loaded = Signal()
    # the mapping preview was recomputed (or failed: then `preview_error` is set)
    preview_changed = Signal()
    # the import ended: finished, cancelled or failed
    import_ended = Signal()

    def __init__(
        self,
        db: Database,
        worker: Worker,
        parent: QWidget | None = None,
        *,
        groups: Sequence[str] = (),
        import_fn: ImportFn = import_contacts,
    ) -> None:
        super().__init__(parent)
        from ui.import_wizard_pages import (  # the pages reach back into the wizard's state
            FilePage,
            HeaderPage,
            MappingPage,
            OptionsPage,
            ProgressPage,
            ReportPage,
            SheetPage,
        )

        self.db = db
        self.worker = worker
        self.import_fn = import_fn
        self.initial_groups = list(groups)
        # Replaceable so tests can answer without a modal file dialog.
        self.ask_open_path: Callable[[], str] = self._ask_open_path
        self.ask_save_path: Callable[[str], str] = self._ask_save_path

        self.path = ""
        self.head: SheetHead | None = None
        self.head_error: BaseException | None = None
        self.loading_head = False
        self.header_row = 0
        self.mapping: dict[str, str] = {}  # header text -> target, complete for the header row
        self.mapped_row = 0  # the header row `mapping` belongs to
        self.shown: MappingPreview | None = None
        self.detected: MappingPreview | None = None  # the mapping as detected, for the choices
        self.preview_error: BaseException | None = None
        self.previewing = False
        self.report: ImportReport | None = None
        self.import_error: BaseException | None = None
        self.task: Task | None = None
        self._head_generation = 0
        self._preview_generation = 0

        self.setWindowTitle(self.tr("导入联系人"))
        self.setMinimumSize(800, 640)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步(&B)"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步(&N) >"))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("查看报告(&R) >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("完成(&F)"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))

        self.file_page = FilePage()
        self.sheet_page = SheetPage()
        self.header_page = HeaderPage()
        self.mapping_page = MappingPage()
        self.options_page = OptionsPage()
        self.progress_page = ProgressPage()
        self.report_page = ReportPage()
        for page_id, page in (
            (PageId.FILE, self.file_page),
            (PageId.SHEET, self.sheet_page),
            (PageId.HEADER, self.header_page),
            (PageId.MAPPING, self.mapping_page),
            (PageId.OPTIONS, self.options_page),
            (PageId.PROGRESS, self.progress_page),
            (PageId.REPORT, self.report_page),
        ):
            self.setPage(page_id, page)
        self.setStartId(PageId.FILE)
        self.head_loaded.connect(self.file_page.loaded)

    # -- choosing files ----------------------------------------------------------------------------------

    def _ask_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择要导入的文件"),
            str(Path(self.path).parent if self.path else Path.home()),
            self.tr("电子表格 (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;所有文件 (*)"),
        )
        return path

    def _ask_save_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存未导入的行"), suggested, self.tr("Excel 工作簿 (*.xlsx)")
        )
        return path

    # -- reading the file ----------------------------------------------------------------------------------

    def load_head(self, path: str, sheet: str | None = None) -> None:
        """Read the first rows of `sheet` of `path` (the sheet with contacts when None) in the background."""
        self._head_generation += 1
        generation = self._head_generation
        if not sheet:
            self.head = None
        self.path = path
        self.head_error = None
        self.loading_head = True

        def read(_cancel: threading.Event, _progress: Progress) -> SheetHead:
            head = read_head(path, sheet)
            # The detected mapping, read here too: the first preview builds the number tables, which
            # takes a moment the window should not spend.
            try:
                preview(head, head.header_row)
            except Exception:  # the mapping page says what is wrong when it gets there
                log.debug("no preview for the detected header of %s", path, exc_info=True)
            return head

        self.worker.run(
            read,
            on_result=lambda head: self._head_arrived(generation, head),
            on_error=lambda exc: self._head_failed(generation, exc),
            owner=self,
            name="read import file",
        )

    def _head_arrived(self, generation: int, head: SheetHead) -> None:
        if generation != self._head_generation:
            return
        self.loading_head = False
        changed = self.head is None or (self.head.path, self.head.sheet) != (head.path, head.sheet)
        self.head = head
        if changed:
            self.header_row = head.header_row
            self.mapped_row = 0  # the mapping page starts again from what is detected
        self.head_loaded.emit()

    def _head_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._head_generation:
            return
        self.loading_head = False
        self.head = None
        self.head_error = exc
        self.head_loaded.emit()

    # -- the mapping ---------------------------------------------------------------------------------------

    def update_preview(self, mapping: Mapping[str, str] | None = None) -> None:
        """Recompute the preview for the header row with `mapping` (the detected one when None)."""
        head, row = self.head, self.header_row
        if head is None:
            return
        self._preview_generation += 1
        generation = self._preview_generation
        wanted = dict(mapping) if mapping is not None else None
        self.previewing = True
        self.preview_error = None

        def compute(_cancel: threading.Event, _progress: Progress) -> tuple[MappingPreview, MappingPreview]:
            detected = preview(head, row)
            return detected, (preview(head, row, wanted) if wanted is not None else detected)

        self.worker.run(
            compute,
            on_result=lambda result: self._preview_arrived(generation, row, *result),
            on_error=lambda exc: self._preview_failed(generation, row, exc),
            owner=self,
            name="import preview",
        )

    def _preview_arrived(self, generation: int, row: int, detected: MappingPreview, shown: MappingPreview) -> None:
        if generation != self._preview_generation:
            return
        self.previewing = False
        self.detected = detected
        self.shown = shown
        self.mapping = shown.targets()
        self.mapped_row = row
        self.preview_changed.emit()

    def _preview_failed(self, generation: int, row: int, exc: BaseException) -> None:
        if generation != self._preview_generation:
            return
        self.previewing = False
        self.preview_error = exc
        self.shown = None
        self.mapped_row = row
        self.preview_changed.emit()

    # -- importing -----------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.task is not None

    def target_groups(self) -> list[str]:
        text = self.options_page.groups_edit.text().translate(_GROUP_SPLIT)
        return list(dict.fromkeys(g.strip() for g in text.split(",") if g.strip()))

    def options(self) -> ImportOptions:
        assert self.head is not None
        return ImportOptions(
            sheet=self.head.sheet,
            header_row=self.header_row,
            mapping=dict(self.mapping),
            groups=self.target_groups(),
            policy=self.options_page.policy(),
            dry_run=self.options_page.dry_run_check.isChecked(),
        )

    def start_import(self) -> None:
        if self.running or self.head is None:
            return
        path, options, db, import_fn = Path(self.head.path), self.options(), self.db, self.import_fn

        def run(cancel: threading.Event, progress: Progress) -> ImportReport:
            return import_fn(db, path, options, progress=progress, cancel=cancel)

        self.report = None
        self.import_error = None
        self.task = self.worker.run(
            run,
            on_result=self._import_finished,
            on_error=self._import_failed,
            on_progress=self.progress_page.show_progress,
            owner=self,
            name="import",
        )

    def cancel_import(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _import_finished(self, report: ImportReport) -> None:
        self.task = None
        self.report = report
        self.import_ended.emit()
        if not report.dry_run:
            self.imported.emit(report)
        if self.currentId() == PageId.PROGRESS:
            QTimer.singleShot(0, self.next)  # straight on to the report

    def _import_failed(self, exc: BaseException) -> None:
        self.task = None
        self.import_error = exc
        self.import_ended.emit()

    def export_rejected(self) -> None:
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
            on_result=self.report_page.saved,
            on_error=self.report_page.save_failed,
            owner=self,
            name="save rejected rows",
        )

    # -- closing -------------------------------------------------------------------------------------------

    def reject(self) -> None:
        # Closing (Esc, 取消, the title bar) while an import runs would orphan it; cancel it instead.
        if self.running:
            self.cancel_import()
            return
        super().reject()

    def done(self, result: Any) -> None:
        if self.running:
            self.cancel_import()
            return
        super().done(result)
