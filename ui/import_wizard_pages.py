"""The pages of the import wizard (ui.import_wizard holds their shared state and runs the reads)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from smsjingling.errors import UserError
from smsjingling.importer.columns import Target, cell_text
from smsjingling.importer.preview import target_choices
from smsjingling.importer.run import DuplicatePolicy
from ui.errors import show_error
from ui.icons import icon

if TYPE_CHECKING:
    from ui.import_wizard import ImportWizard

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #c0392b;"
MUTED_STYLE = "color: palette(placeholder-text);"
PROBLEM_COLOUR = QColor("#c0392b")
SHOWN_ROWS = 30  # rows of the sheet shown on the header page


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column names of Excel and WPS."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def one_line(value: object) -> str:
    """A cell as it stands in the sheet (text untouched, numbers and dates as the importer writes them)."""
    text = value if isinstance(value, str) else cell_text(value)
    return text.replace("\n", " ⏎ ")


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, UserError):
        return exc.message()
    log.error("reading the file to import failed", exc_info=exc)
    return str(exc) or type(exc).__name__


def _table(columns: int = 0) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


class _Page(QWizardPage):
    def wiz(self) -> ImportWizard:
        return cast("ImportWizard", self.wizard())


# ---------------------------------------------------------------- 1. the file


class FilePage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("选择文件"))
        self.setSubTitle(self.tr("选择要导入的通讯录表格：Excel（.xlsx/.xls）、WPS/LibreOffice（.ods）或 CSV 文件。"))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("path_edit")
        self.path_edit.setPlaceholderText(self.tr("文件路径"))
        self.browse_button = QPushButton(icon("import"), self.tr("浏览(&W)…"))
        self.browse_button.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        self.status = QLabel()
        self.status.setObjectName("file_status")
        self.status.setWordWrap(True)
        hint = QLabel(
            self.tr(
                "表格中应有一行表头，如“姓名、手机号码、部门、分组”；表头上方的标题行、说明行没有关系，"
                "下一步可以确认哪一行是表头。导入是整体进行的：出错或取消时通讯录不会改变。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(MUTED_STYLE)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(hint)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)  # a typed path is read once the typing pauses
        self._timer.timeout.connect(self._read)
        self.path_edit.textChanged.connect(lambda _t: self._typed())

    def set_path(self, path: str | Path) -> None:
        self.path_edit.setText(str(path))
        self._timer.stop()
        self._read()

    def browse(self) -> None:
        path = self.wiz().ask_open_path()
        if path:
            self.set_path(path)

    def _typed(self) -> None:
        self._timer.start()
        self.completeChanged.emit()

    def _read(self) -> None:
        path = self.path_edit.text().strip()
        if not path:
            self.status.clear()
            return
        self.status.setStyleSheet("")
        self.status.setText(self.tr("正在读取 %1…").replace("%1", Path(path).name))
        self.wiz().load_head(path)
        self.completeChanged.emit()

    def loaded(self) -> None:
        """The wizard read the file (connected by the wizard: this page is there before any other)."""
        wizard = self.wiz()
        if wizard.currentPage() is not self:
            return
        head = wizard.head
        if head is None:
            if wizard.head_error is not None:
                self.status.setStyleSheet(ERROR_STYLE)
                self.status.setText(_error_text(wizard.head_error))
        else:
            self.status.setStyleSheet("")
            text = self.tr("“%1”：%2 个工作表；工作表“%3”约 %4 行。")
            self.status.setText(
                text.replace("%1", head.file)
                .replace("%2", str(len(head.sheets)))
                .replace("%3", head.sheet)
                .replace("%4", f"{head.total_rows:,}")
            )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        wizard = self.wiz()
        head = wizard.head
        return (
            head is not None
            and not wizard.loading_head
            and not self._timer.isActive()
            and Path(head.path) == Path(self.path_edit.text().strip())
        )

    def nextId(self) -> int:
        from ui.import_wizard import PageId

        head = self.wiz().head
        return PageId.SHEET if head is not None and len(head.sheets) > 1 else PageId.HEADER


# ---------------------------------------------------------------- 2. the sheet


class SheetPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("选择工作表"))
        self.setSubTitle(self.tr("这个文件有多个工作表，请选择联系人所在的一个。"))
        self.sheet_list = QListWidget()
        self.sheet_list.setObjectName("sheet_list")
        self.sheet_list.setMaximumWidth(220)
        self.sample = _table()
        self.sample.setObjectName("sheet_sample")
        self.status = QLabel()
        self.status.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.sheet_list)
        splitter.addWidget(self.sample)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self.sheet_list.currentTextChanged.connect(self._chosen)
        self._filling = False

    def initializePage(self) -> None:
        wizard = self.wiz()
        wizard.head_loaded.connect(self._loaded)
        head = wizard.head
        assert head is not None
        self._filling = True
        self.sheet_list.clear()
        for name in head.sheets:
            self.sheet_list.addItem(QListWidgetItem(icon("records"), name))
        self.sheet_list.setCurrentRow(head.sheets.index(head.sheet))
        self._filling = False
        self._show(head.sheet)

    def cleanupPage(self) -> None:
        self.wiz().head_loaded.disconnect(self._loaded)

    def _chosen(self, name: str) -> None:
        wizard = self.wiz()
        if self._filling or not name or (wizard.head is not None and wizard.head.sheet == name):
            return
        self.status.setStyleSheet("")
        self.status.setText(self.tr("正在读取工作表“%1”…").replace("%1", name))
        self.sample.setRowCount(0)
        wizard.load_head(wizard.path, name)
        self.completeChanged.emit()

    def _loaded(self) -> None:
        wizard = self.wiz()
        if wizard.head is not None:
            self._show(wizard.head.sheet)
        elif wizard.head_error is not None:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(_error_text(wizard.head_error))
        self.completeChanged.emit()

    def _show(self, sheet: str) -> None:
        head = self.wiz().head
        if head is None or head.sheet != sheet:
            return
        rows = head.rows[:12]
        self.sample.clear()
        self.sample.setColumnCount(head.width)
        self.sample.setHorizontalHeaderLabels([column_letter(i) for i in range(head.width)])
        self.sample.setRowCount(len(rows))
        self.sample.setVerticalHeaderLabels([str(number) for number, _ in rows])
        for r, (_number, cells) in enumerate(rows):
            for c, value in enumerate(cells):
                if value is not None:
                    self.sample.setItem(r, c, QTableWidgetItem(one_line(value)))
        self.status.setStyleSheet("")
        self.status.setText(self.tr("工作表“%1”约 %2 行。").replace("%1", sheet).replace("%2", f"{head.total_rows:,}"))

    def chosen_sheet(self) -> str:
        item = self.sheet_list.currentItem()
        return item.text() if item else ""

    def isComplete(self) -> bool:
        wizard = self.wiz()
        return wizard.head is not None and not wizard.loading_head and wizard.head.sheet == self.chosen_sheet()


# ---------------------------------------------------------------- 3. the header row


class HeaderPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("确认表头行"))
        self.setSubTitle(self.tr("点选表头（“姓名、手机号码……”）所在的一行；它下面的各行将作为联系人导入。"))
        self.rows_table = _table()
        self.rows_table.setObjectName("header_rows")
        self.rows_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.detected_label = QLabel()
        self.detected_label.setObjectName("detected_label")
        self.detected_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.detected_label)
        layout.addWidget(self.rows_table, 1)
        self.rows_table.itemSelectionChanged.connect(self._picked)
        self._numbers: list[int] = []

    def initializePage(self) -> None:
        head = self.wiz().head
        assert head is not None
        rows = head.rows[:SHOWN_ROWS]
        self._numbers = [number for number, _ in rows]
        table = self.rows_table
        table.blockSignals(True)
        table.clear()
        table.setColumnCount(head.width)
        table.setHorizontalHeaderLabels([column_letter(i) for i in range(head.width)])
        table.setRowCount(len(rows))
        table.setVerticalHeaderLabels([str(n) for n in self._numbers])
        for r, (_number, cells) in enumerate(rows):
            for c, value in enumerate(cells):
                if value is not None:
                    table.setItem(r, c, QTableWidgetItem(one_line(value)))
        table.blockSignals(False)
        self.detected_label.setText(
            self.tr("程序识别的表头在第 %1 行（已选中）。如果不对，请点选正确的一行。").replace(
                "%1", str(head.header_row)
            )
        )
        self.choose_row(self.wiz().header_row)

    def choose_row(self, number: int) -> None:
        """Select the sheet row with this Excel row number as the header."""
        if number in self._numbers:
            row = self._numbers.index(number)
            self.rows_table.selectionModel().setCurrentIndex(
                self.rows_table.model().index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.rows_table.scrollToItem(self.rows_table.item(row, 0) or QTableWidgetItem())

    def _picked(self) -> None:
        rows = self.rows_table.selectionModel().selectedRows()
        if rows:
            self.wiz().header_row = self._numbers[rows[0].row()]
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.rows_table.selectionModel().selectedRows())


# ---------------------------------------------------------------- 4. the columns


class MappingPage(_Page):
    COLUMN, HEADER, SAMPLE, TARGET = range(4)

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("对应各列"))
        self.setSubTitle(self.tr("确认每一列导入为什么；下方预览显示前几行将被如何导入。"))
        self.columns_table = _table(4)
        self.columns_table.setObjectName("columns_table")
        self.columns_table.setHorizontalHeaderLabels(
            [self.tr("列"), self.tr("表头"), self.tr("示例"), self.tr("导入为")]
        )
        header = self.columns_table.horizontalHeader()
        header.setSectionResizeMode(self.SAMPLE, QHeaderView.ResizeMode.Stretch)
        self.columns_table.setColumnWidth(
            self.COLUMN, max(40, self.fontMetrics().horizontalAdvance(self.tr("列")) + 20)
        )
        self.columns_table.setColumnWidth(self.HEADER, 120)
        self.columns_table.setColumnWidth(self.TARGET, 170)
        self.columns_table.verticalHeader().setVisible(False)
        self.columns_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.preview_table = _table(6)
        self.preview_table.setObjectName("preview_table")
        self.preview_table.setHorizontalHeaderLabels(
            [
                self.tr("行号"),
                self.tr("姓名"),
                self.tr("手机号码"),
                self.tr("分组"),
                self.tr("其他字段"),
                self.tr("说明"),
            ]
        )
        self.preview_table.verticalHeader().setVisible(False)
        for column, width in enumerate((50, 90, 120, 90, 200)):
            self.preview_table.setColumnWidth(column, width)
        self.preview_table.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel()
        self.status.setObjectName("mapping_status")
        self.status.setWordWrap(True)
        caption = QLabel(self.tr("预览"))
        font = caption.font()
        font.setBold(True)
        caption.setFont(font)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.columns_table)
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(caption)
        below_layout.addWidget(self.preview_table)
        splitter.addWidget(below)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self.combos: dict[str, QComboBox] = {}

    def target_label(self, target: str) -> str:
        labels = {
            Target.NAME.value: self.tr("姓名"),
            Target.PHONE.value: self.tr("手机号码"),
            Target.GROUP.value: self.tr("分组"),
            Target.CONSENT.value: self.tr("同意接收短信"),
            Target.IGNORE.value: self.tr("不导入"),
        }
        return labels.get(target) or self.tr("字段：%1").replace("%1", target)

    def initializePage(self) -> None:
        wizard = self.wiz()
        wizard.preview_changed.connect(self._changed)
        if wizard.mapped_row != wizard.header_row or wizard.shown is None:
            self.columns_table.setRowCount(0)
            self.combos = {}
            self.status.setStyleSheet("")
            self.status.setText(self.tr("正在识别各列…"))
            wizard.update_preview()  # from what the importer detects
        else:
            self._changed()

    def cleanupPage(self) -> None:
        self.wiz().preview_changed.disconnect(self._changed)

    def _changed(self) -> None:
        wizard = self.wiz()
        if wizard.detected is not None and not self.combos and wizard.mapped_row == wizard.header_row:
            self._fill_columns()
        self._fill_preview()
        self.completeChanged.emit()

    def _fill_columns(self) -> None:
        wizard = self.wiz()
        detected = wizard.detected
        assert detected is not None
        mapping = detected.mapping
        choices = target_choices(mapping)
        table = self.columns_table
        table.setRowCount(len(mapping.headers))
        self.combos = {}
        for row, header in enumerate(mapping.headers):
            letter = QTableWidgetItem(column_letter(row))
            letter.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(row, self.COLUMN, letter)
            table.setItem(row, self.HEADER, QTableWidgetItem(header or self.tr("（无表头）")))
            samples = [s.replace("\n", " ") for s in detected.samples.get(row, []) if s]
            table.setItem(row, self.SAMPLE, QTableWidgetItem(" / ".join(samples[:3])))
            combo = QComboBox()
            combo.setObjectName(f"target_{row}")
            if header:
                for choice in choices:
                    combo.addItem(self.target_label(choice), choice)
                combo.setCurrentIndex(combo.findData(wizard.mapping.get(header, mapping.targets[row])))
                combo.currentIndexChanged.connect(lambda _i: self._retarget())
                self.combos[header] = combo
            else:
                combo.addItem(self.target_label(Target.IGNORE.value), Target.IGNORE.value)
                combo.setEnabled(False)
                combo.setToolTip(self.tr("没有表头的列不导入"))
            table.setCellWidget(row, self.TARGET, combo)

    def set_target(self, header: str, target: str) -> None:
        """Choose what the column headed `header` is imported as (what the combo box does)."""
        combo = self.combos[header]
        combo.setCurrentIndex(combo.findData(target))

    def _retarget(self) -> None:
        mapping = {header: str(combo.currentData()) for header, combo in self.combos.items()}
        self.status.setStyleSheet("")
        self.status.setText(self.tr("正在更新预览…"))
        self.wiz().update_preview(mapping)
        self.completeChanged.emit()

    def _fill_preview(self) -> None:
        wizard = self.wiz()
        table = self.preview_table
        if wizard.preview_error is not None:
            table.setRowCount(0)
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(_error_text(wizard.preview_error))
            return
        shown = wizard.shown
        if shown is None:
            return
        table.setRowCount(len(shown.rows))
        bad = 0
        for r, row in enumerate(shown.rows):
            if row.problem:
                bad += 1
                note = self.tr("不导入：%1").replace("%1", row.problem)
            elif row.same_as is not None:
                note = self.tr("与第 %1 行号码相同，将合并为一人").replace("%1", str(row.same_as))
            else:
                note = ""
            fields = "；".join(f"{k}：{v}" for k, v in row.fields.items()).replace("\n", " ")
            values = [str(row.row), row.name, row.phone, "、".join(row.groups), fields, note]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if row.problem:
                    item.setForeground(QBrush(PROBLEM_COLOUR))
                if c == len(values) - 1 and note:
                    item.setToolTip(note)
                table.setItem(r, c, item)
        text = self.tr("预览前 %1 行：%2 行可以导入，%3 行有问题（导入后的报告会列出全部）。")
        self.status.setStyleSheet("")
        self.status.setText(
            text.replace("%1", str(len(shown.rows))).replace("%2", str(len(shown.rows) - bad)).replace("%3", str(bad))
        )

    def isComplete(self) -> bool:
        wizard = self.wiz()
        return (
            not wizard.previewing
            and wizard.preview_error is None
            and wizard.shown is not None
            and wizard.mapped_row == wizard.header_row
        )


# ---------------------------------------------------------------- 5. duplicates and groups


class OptionsPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("重复号码与分组"))
        self.setSubTitle(self.tr("选择表格中的号码已在通讯录中时怎么办，以及导入的联系人加入哪些分组。"))
        self.policy_group = QButtonGroup(self)
        policies = QVBoxLayout()
        self.policy_buttons: dict[DuplicatePolicy, QRadioButton] = {}
        for policy, choice, meaning in (
            (
                DuplicatePolicy.UPDATE,
                self.tr("更新已有联系人"),
                self.tr("表格中有内容的栏目覆盖通讯录中的旧值；表格中空着的栏目不会清空已有内容。"),
            ),
            (
                DuplicatePolicy.SKIP,
                self.tr("跳过已有联系人"),
                self.tr("通讯录中已有的号码保持原样，只添加新号码。"),
            ),
            (
                DuplicatePolicy.GROUPS,
                self.tr("已有联系人只加入分组"),
                self.tr("已有的号码不改资料，只加入下面的分组和表格中写明的分组。"),
            ),
        ):
            button = QRadioButton(choice)
            button.setObjectName(f"policy_{policy.value}")
            explain = QLabel(meaning)
            explain.setWordWrap(True)
            explain.setStyleSheet(MUTED_STYLE)
            explain.setContentsMargins(22, 0, 0, 6)
            self.policy_group.addButton(button)
            self.policy_buttons[policy] = button
            policies.addWidget(button)
            policies.addWidget(explain)
        self.policy_buttons[DuplicatePolicy.UPDATE].setChecked(True)
        same_file = QLabel(self.tr("同一文件中重复出现的号码合并为一人，报告中会列出。"))
        same_file.setWordWrap(True)
        same_file.setStyleSheet(MUTED_STYLE)
        policies.addWidget(same_file)

        self.groups_edit = QLineEdit()
        self.groups_edit.setObjectName("groups_edit")
        self.groups_edit.setPlaceholderText(self.tr("可选；多个分组用逗号分隔，没有的分组会自动新建"))
        self.dry_run_check = QCheckBox(self.tr("只检查，不写入通讯录（试运行）"))
        self.dry_run_check.setObjectName("dry_run_check")
        self.summary = QLabel()
        self.summary.setObjectName("options_summary")
        self.summary.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("号码已存在时："), policies)
        form.addRow(self.tr("加入分组(&G)："), self.groups_edit)
        form.addRow("", self.dry_run_check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.summary)
        self._groups_set = False

    def initializePage(self) -> None:
        wizard = self.wiz()
        if not self._groups_set:
            self.groups_edit.setText("，".join(wizard.initial_groups))
            self._groups_set = True
        head = wizard.head
        assert head is not None
        rows = max(head.total_rows - wizard.header_row, 0)
        text = self.tr("将从“%1”的工作表“%2”第 %3 行以下导入约 %4 行。")
        self.summary.setText(
            text.replace("%1", head.file)
            .replace("%2", head.sheet)
            .replace("%3", str(wizard.header_row))
            .replace("%4", f"{rows:,}")
        )
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("开始导入(&I)"))

    def set_policy(self, policy: DuplicatePolicy) -> None:
        self.policy_buttons[policy].setChecked(True)

    def policy(self) -> DuplicatePolicy:
        return next(p for p, button in self.policy_buttons.items() if button.isChecked())


# ---------------------------------------------------------------- 6. importing


class ProgressPage(_Page):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("正在导入"))
        self.setSubTitle(self.tr("可以随时取消：取消后通讯录不会有任何改变。"))
        self.setCommitPage(True)
        self.label = QLabel()
        self.label.setObjectName("progress_label")
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("progress_bar")
        self.cancel_button = QPushButton(icon("cancel"), self.tr("取消导入"))
        self.cancel_button.setObjectName("cancel_import")
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addLayout(row)
        layout.addStretch(2)

    def initializePage(self) -> None:
        wizard = self.wiz()
        wizard.import_ended.connect(self._ended)
        head = wizard.head
        assert head is not None
        self.label.setStyleSheet("")
        self.label.setText(self.tr("正在导入 %1…").replace("%1", head.file))
        self.bar.setRange(0, 0)  # busy until the first progress report says how many rows
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        wizard.start_import()

    def cleanupPage(self) -> None:
        # 上一步 while importing: stop it; the options can be changed and the import started again.
        wizard = self.wiz()
        wizard.import_ended.disconnect(self._ended)
        wizard.cancel_import()

    def cancel(self) -> None:
        self.wiz().cancel_import()
        self.cancel_button.setEnabled(False)
        self.label.setText(self.tr("正在取消，请稍候…"))

    def show_progress(self, done: int, total: int) -> None:
        # QProgressBar counts in int; scale huge sheets down rather than overflow.
        scale = max(1, total // 1_000_000)
        self.bar.setRange(0, max(total // scale, 1))
        self.bar.setValue(min(done // scale, total // scale))
        if self.cancel_button.isEnabled():
            self.label.setText(self.tr("已处理 %1 / %2 行…").replace("%1", f"{done:,}").replace("%2", f"{total:,}"))

    def _ended(self) -> None:
        wizard = self.wiz()
        self.cancel_button.hide()
        error = wizard.import_error
        if error is not None:
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
            self.label.setStyleSheet("" if isinstance(error, UserError) else ERROR_STYLE)
            text = (
                error.message() if isinstance(error, UserError) else self.tr("导入失败：%1").replace("%1", str(error))
            )
            if not isinstance(error, UserError):
                log.error("import failed", exc_info=error)
            self.label.setText(text + "\n" + self.tr("可以点“上一步”修改后重新导入。"))
        else:
            self.bar.setRange(0, 1)
            self.bar.setValue(1)
            self.label.setText(self.tr("导入完成。"))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        wizard = self.wiz()
        return wizard.report is not None and not wizard.running


# ---------------------------------------------------------------- 7. the report


class ReportPage(_Page):
    ROW, COLUMN, VALUE, REASON = range(4)

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("导入报告"))
        self.setFinalPage(True)
        self.summary = QLabel()
        self.summary.setObjectName("report_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = _table(4)
        self.problems.setObjectName("report_problems")
        self.problems.setHorizontalHeaderLabels([self.tr("行号"), self.tr("列"), self.tr("原值"), self.tr("原因")])
        self.problems.verticalHeader().setVisible(False)
        for column, width in ((self.ROW, 60), (self.COLUMN, 100), (self.VALUE, 150)):
            self.problems.setColumnWidth(column, width)
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.export_button = QPushButton(icon("export"), self.tr("导出未导入的行(&E)…"))
        self.export_button.setObjectName("export_rejected")
        self.export_button.setToolTip(self.tr("保存为 Excel 表格，修改后可以重新导入"))
        self.export_button.clicked.connect(lambda: self.wiz().export_rejected())
        self.saved_label = QLabel()
        self.saved_label.setObjectName("saved_label")
        self.saved_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.export_button)
        self.caption = QLabel(self.tr("未导入或合并的行："))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.caption)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)

    def initializePage(self) -> None:
        report = self.wiz().report
        assert report is not None
        lines = [report.summary()]
        if report.groups_created:
            lines.append(self.tr("新建分组：%1").replace("%1", "、".join(report.groups_created)))
        self.summary.setText("\n".join(lines))
        problems = sorted(report.rejected + report.in_file_duplicates, key=lambda p: p.row)
        self.problems.setRowCount(len(problems))
        for r, problem in enumerate(problems):
            values = (str(problem.row), problem.column, problem.value, problem.reason())
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == self.REASON:
                    item.setToolTip(value)
                if problem in report.rejected:
                    item.setForeground(QBrush(PROBLEM_COLOUR))
                self.problems.setItem(r, c, item)
        self.caption.setVisible(bool(problems))
        self.problems.setVisible(bool(problems))
        self.export_button.setEnabled(bool(problems))
        self.saved_label.clear()

    def saved(self, path: Path) -> None:
        self.saved_label.setText(self.tr("未导入的行已保存到 %1").replace("%1", str(path)))

    def save_failed(self, exc: BaseException) -> None:
        if isinstance(exc, OSError):
            log.warning("could not save the rejected rows: %s", exc)
            QMessageBox.warning(self, self.tr("导入联系人"), self.tr("无法保存文件：%1").replace("%1", str(exc)))
        else:
            show_error(self, exc)
