"""The import wizard, driven through every page on a messy workbook: a note sheet before the data sheet, a
merged title row above the header, a note row, a blank row, numbers stored as numbers, full-width digits, a
number too short, a cell with no number, and a number that repeats (in the file and in the book)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard

from smsjingling.contacts.book import ContactBook
from smsjingling.importer.run import DuplicatePolicy, import_contacts
from smsjingling.storage.database import Database
from tests.core import messy_book, sheets
from ui.import_wizard import ImportWizard, PageId
from ui.main_window import MainWindow
from ui.pages.contacts import ContactsPage
from ui.worker import Worker

Button = QWizard.WizardButton


@pytest.fixture
def worker(qtbot) -> Iterator[Worker]:
    w = Worker()
    yield w
    w.shutdown()
    w.deleteLater()


@pytest.fixture
def existing(book: ContactBook) -> ContactBook:
    """The book already holds row 4's number, under another name and department."""
    book.add("张三（旧）", "13800138000", fields={"部门": "总务处"}, groups=["老员工"])
    return book


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return messy_book.write_messy_book(tmp_path / "2024年通讯录.xlsx")


def make_wizard(qtbot, db: Database, worker: Worker, **kwargs) -> ImportWizard:
    wizard = ImportWizard(db, worker, **kwargs)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def complete(qtbot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.currentPage().isComplete(), timeout=10_000)


def press(qtbot, wizard: ImportWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def cells(table, column: int) -> list[str]:
    return [table.item(r, column).text() if table.item(r, column) else "" for r in range(table.rowCount())]


def test_the_whole_wizard_on_a_messy_workbook(
    qtbot, db: Database, existing: ContactBook, worker: Worker, workbook: Path, tmp_path: Path
) -> None:
    wizard = make_wizard(qtbot, db, worker, groups=["临时"])
    imported: list[object] = []
    wizard.imported.connect(imported.append)

    # 1. The file, chosen with 浏览.
    page = wizard.file_page
    assert not wizard.button(Button.NextButton).isEnabled()
    wizard.ask_open_path = lambda: str(workbook)
    qtbot.mouseClick(page.browse_button, Qt.MouseButton.LeftButton)
    complete(qtbot, wizard)
    assert page.status.text() == "“2024年通讯录.xlsx”：2 个工作表；工作表“2024年11月”约 13 行。"
    press(qtbot, wizard, Button.NextButton)

    # 2. The sheet: the one with a phone column is chosen; the note sheet can be looked at.
    assert wizard.currentId() == PageId.SHEET
    sheet_page = wizard.sheet_page
    assert [sheet_page.sheet_list.item(i).text() for i in range(2)] == ["说明", "2024年11月"]
    assert sheet_page.chosen_sheet() == "2024年11月"
    sheet_page.sheet_list.setCurrentRow(0)
    complete(qtbot, wizard)
    assert cells(sheet_page.sample, 0) == ["填表说明", "1. 手机号码请填写 11 位", "2. 分组可填多个，用顿号分隔"]
    sheet_page.sheet_list.setCurrentRow(1)
    complete(qtbot, wizard)
    press(qtbot, wizard, Button.NextButton)

    # 3. The header row: found below the merged title and the note; row numbers are Excel's.
    assert wizard.currentId() == PageId.HEADER
    header_page = wizard.header_page
    table = header_page.rows_table
    assert [table.verticalHeaderItem(r).text() for r in range(table.rowCount())][:8] == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "8",  # the blank row 7 is left out
        "9",
    ]
    assert table.selectionModel().selectedRows()[0].row() == 2
    assert "第 3 行" in header_page.detected_label.text()
    assert cells(table, 2)[5] == "１３６００１３６０００"  # full-width, as it stands in the sheet
    # Choosing the title row instead: the mapping page says there is no phone column there.
    header_page.choose_row(1)
    press(qtbot, wizard, Button.NextButton)
    qtbot.waitUntil(lambda: not wizard.previewing, timeout=10_000)
    assert "没有手机号码列" in wizard.mapping_page.status.text()
    assert not wizard.button(Button.NextButton).isEnabled()
    press(qtbot, wizard, Button.BackButton)
    header_page.choose_row(3)
    press(qtbot, wizard, Button.NextButton)

    # 4. The columns, with what each row becomes.
    assert wizard.currentId() == PageId.MAPPING
    complete(qtbot, wizard)
    mapping_page = wizard.mapping_page
    assert cells(mapping_page.columns_table, mapping_page.HEADER)[:4] == ["序号", "姓名", "手机号码", "部门"]
    assert {
        h: c.currentText() for h, c in mapping_page.combos.items() if h in ("序号", "姓名", "手机号码", "部门")
    } == {
        "序号": "不导入",
        "姓名": "姓名",
        "手机号码": "手机号码",
        "部门": "字段：部门",
    }
    assert not mapping_page.columns_table.cellWidget(6, mapping_page.TARGET).isEnabled()  # G has no header
    preview = mapping_page.preview_table
    rows = cells(preview, 0)
    assert rows == ["4", "5", "6", "8", "9", "10", "11", "12", "13"]
    notes = dict(zip(rows, cells(preview, 5), strict=True))
    assert notes["10"] == "不导入：号码 1380013 位数太少（7 位）：手机号为 11 位，座机为区号加 7 到 8 位"
    assert notes["11"] == "不导入：“电话待补”不是电话号码（含有数字以外的字符）"
    assert notes["13"] == "与第 4 行号码相同，将合并为一人"
    assert dict(zip(rows, cells(preview, 2), strict=True))["12"] == "+8615900159000"
    assert "7 行可以导入，2 行有问题" in mapping_page.status.text()
    # 职务 becomes a group, 入职日期 is left out: the preview follows.
    mapping_page.set_target("职务", "group")
    mapping_page.set_target("入职日期", "ignore")
    complete(qtbot, wizard)
    assert dict(zip(rows, cells(preview, 3), strict=True))["5"] == "科员、A组"
    assert "入职日期" not in dict(zip(rows, cells(preview, 4), strict=True))["5"]
    press(qtbot, wizard, Button.NextButton)

    # 5. Duplicates and groups.
    assert wizard.currentId() == PageId.OPTIONS
    options = wizard.options_page
    assert options.groups_edit.text() == "临时"  # the group the page was showing
    assert options.policy() is DuplicatePolicy.UPDATE
    skip = options.policy_buttons[DuplicatePolicy.SKIP]
    qtbot.mouseClick(skip, Qt.MouseButton.LeftButton, pos=QPoint(8, skip.height() // 2))  # on its circle
    assert options.policy() is DuplicatePolicy.SKIP
    options.groups_edit.setText("2024批次，临时")
    assert "第 3 行以下导入约 10 行" in options.summary.text()
    assert wizard.button(Button.NextButton).text() == "开始导入(&I)"
    press(qtbot, wizard, Button.NextButton)

    # 6 and 7. The import runs and the report follows by itself.
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.REPORT, timeout=20_000)
    report = wizard.report
    assert report is not None and imported == [report]
    assert (report.added, report.duplicates_skipped, len(report.rejected), len(report.in_file_duplicates)) == (
        5,
        1,
        2,
        1,
    )
    report_page = wizard.report_page
    assert report_page.summary.text().startswith("2024年通讯录.xlsx：读取 9 行，新增 5")
    assert "新建分组：" in report_page.summary.text()
    problems = report_page.problems
    assert cells(problems, 0) == ["10", "11", "13"]
    assert cells(problems, 1)[:2] == ["手机号码", "手机号码"]
    assert cells(problems, 3)[1] == "“电话待补”不是电话号码（含有数字以外的字符）"
    assert not wizard.button(Button.BackButton).isEnabled()  # done: no going back to import it twice

    saved = tmp_path / "未导入.xlsx"
    wizard.ask_save_path = lambda suggested: (suggested.endswith("2024年通讯录-未导入.xlsx") or "") and str(saved)
    qtbot.mouseClick(report_page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已保存到" in report_page.saved_label.text(), timeout=10_000)
    sheet = list(load_workbook(saved, read_only=True).active.iter_rows(values_only=True))
    assert sheet[0] == ("行号", "列", "原值", "原因")
    assert [r[:3] for r in sheet[1:]] == [
        (10, "手机号码", "1380013"),
        (11, "手机号码", "电话待补"),
        (13, None, "+8613800138000"),
    ]

    press(qtbot, wizard, Button.FinishButton)
    assert not wizard.isVisible()

    # The book: the existing 张三 left as it was (skip), the others in their groups.
    zhang = existing.find_phone("13800138000")
    assert zhang is not None and (zhang.name, zhang.groups) == ("张三（旧）", ("老员工",))
    li = existing.find_phone("13912345678")
    assert li is not None and set(li.groups) == {"2024批次", "临时", "A组", "科员"}
    assert "入职日期" not in li.fields and li.fields["部门"] == "办公室"
    wu = existing.find_phone("15900159000")
    assert wu is not None and wu.name == "吴十"
    assert existing.count() == 6


def test_cancelling_leaves_the_book_unchanged_and_allows_another_try(
    qtbot, db: Database, existing: ContactBook, worker: Worker, workbook: Path
) -> None:
    started, gate = threading.Event(), threading.Event()

    def held_import(*args, **kwargs):
        # Holds the real import until the test has pressed 取消导入, so the cancel is not a race.
        started.set()
        gate.wait(10)
        return import_contacts(*args, **kwargs)

    wizard = make_wizard(qtbot, db, worker, import_fn=held_import)
    wizard.file_page.set_path(workbook)
    for _ in range(4):  # file, sheet, header, mapping
        complete(qtbot, wizard)
        press(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == PageId.OPTIONS
    press(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == PageId.PROGRESS and wizard.running
    assert started.wait(5)
    progress = wizard.progress_page
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    assert progress.label.text() == "正在取消，请稍候…"
    gate.set()
    qtbot.waitUntil(lambda: not wizard.running, timeout=10_000)
    assert progress.label.text().startswith("导入已取消，通讯录未作任何更改。")
    assert wizard.report is None and not wizard.button(Button.CommitButton).isEnabled()
    assert existing.count() == 1 and [g.name for g in existing.groups()] == ["老员工"]

    # 上一步 and again: this time it runs to the end.
    press(qtbot, wizard, Button.BackButton)
    assert wizard.currentId() == PageId.OPTIONS
    press(qtbot, wizard, Button.NextButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.REPORT, timeout=20_000)
    assert existing.count() == 6


def test_closing_the_wizard_while_importing_cancels(
    qtbot, db: Database, existing: ContactBook, worker: Worker, workbook: Path
) -> None:
    started, gate = threading.Event(), threading.Event()

    def held_import(*args, **kwargs):
        started.set()
        gate.wait(10)
        return import_contacts(*args, **kwargs)

    wizard = make_wizard(qtbot, db, worker, import_fn=held_import)
    wizard.file_page.set_path(workbook)
    for _ in range(5):
        complete(qtbot, wizard)
        press(qtbot, wizard, Button.NextButton)
    assert started.wait(5)
    wizard.reject()  # Esc, 取消 or the window's close button
    assert wizard.isVisible() and wizard.task is not None and wizard.task.cancelled
    gate.set()
    qtbot.waitUntil(lambda: not wizard.running, timeout=10_000)
    assert existing.count() == 1
    wizard.reject()
    assert not wizard.isVisible()


def test_a_dry_run_changes_nothing(qtbot, db: Database, existing: ContactBook, worker: Worker, workbook: Path) -> None:
    wizard = make_wizard(qtbot, db, worker)
    imported: list[object] = []
    wizard.imported.connect(imported.append)
    wizard.file_page.set_path(workbook)
    for _ in range(4):
        complete(qtbot, wizard)
        press(qtbot, wizard, Button.NextButton)
    wizard.options_page.dry_run_check.setChecked(True)
    press(qtbot, wizard, Button.NextButton)
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.REPORT, timeout=20_000)
    assert "试运行" in wizard.report_page.summary.text()
    assert imported == [] and existing.count() == 1


def test_a_single_sheet_skips_the_sheet_page(qtbot, db: Database, worker: Worker, tmp_path: Path) -> None:
    path = sheets.write_csv(tmp_path / "名单.csv", [["姓名", "手机号码"], ["钱七", "15012345678"]], encoding="gbk")
    wizard = make_wizard(qtbot, db, worker)
    wizard.file_page.path_edit.setText(str(path))  # typed: read once the typing pauses
    complete(qtbot, wizard)
    press(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == PageId.HEADER
    assert wizard.header_row == 1


def test_a_file_that_is_no_spreadsheet_is_explained(qtbot, db: Database, worker: Worker, tmp_path: Path) -> None:
    path = tmp_path / "照片.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    wizard = make_wizard(qtbot, db, worker)
    wizard.file_page.set_path(path)
    qtbot.waitUntil(lambda: not wizard.loading_head, timeout=10_000)
    assert (
        wizard.file_page.status.text()
        == "照片.xlsx 不是表格文件（看起来是 PNG）。请选择 .xlsx、.xls、.ods 或 .csv 文件。"
    )
    assert not wizard.button(Button.NextButton).isEnabled()


def test_importing_from_the_contacts_page_refreshes_it(
    qtbot, db: Database, existing: ContactBook, workbook: Path
) -> None:
    main = MainWindow(db)
    qtbot.addWidget(main)
    main.show()
    page = main.show_page("contacts")
    assert isinstance(page, ContactsPage)
    qtbot.waitUntil(lambda: not page.worker.busy, timeout=10_000)
    wizard = page.import_action.trigger() or page.import_wizard
    assert wizard is not None
    wizard.file_page.set_path(workbook)
    for _ in range(5):
        complete(qtbot, wizard)
        press(qtbot, wizard, Button.NextButton)
    assert page.busy()  # closing the window now would interrupt the import
    qtbot.waitUntil(lambda: wizard.currentId() == PageId.REPORT, timeout=20_000)
    qtbot.waitUntil(lambda: not page.worker.busy and page.model.total == 6, timeout=10_000)
    assert page.groups.data(page.groups.all_index()) == "全部联系人 (6)"
    assert {g.name for g in page.groups.groups} == {"老员工", "A组", "B组"}
    main.ctx.close()
