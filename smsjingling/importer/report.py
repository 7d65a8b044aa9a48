"""What an import did, row by row where it matters, and its export to .xlsx."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from smsjingling import messages

messages.register(
    {
        "report.row": ("行号", "Row"),
        "report.column": ("列", "Column"),
        "report.value": ("原值", "Value"),
        "report.reason": ("原因", "Reason"),
        "report.sheet_title": ("未导入的行", "Rejected rows"),
        "report.duplicate": ("与第 {row} 行号码相同（{phone}）", "Same number as row {row} ({phone})"),
    }
)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One row that was not imported (rejected) or was merged into an earlier one (duplicate)."""

    row: int
    column: str
    value: str
    key: str
    params: dict[str, object] = field(default_factory=dict)

    def reason(self, lang: str | None = None) -> str:
        return messages.text(self.key, lang, **self.params)


@dataclass
class ImportReport:
    file: str
    sheet: str
    header_row: int
    mapping: dict[str, str]  # header text -> target
    rows_read: int = 0  # data rows below the header that held anything
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates_skipped: int = 0  # against the book, with the skip policy
    landlines: int = 0  # kept, marked not SMS-capable
    groups_created: list[str] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    in_file_duplicates: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def imported(self) -> int:
        return self.added + self.updated + self.unchanged

    def summary(self, lang: str | None = None) -> str:
        """One paragraph for the user; counts that are zero are left out, except what was read and added."""
        parts = [messages.text("report.read", lang, file=self.file, rows=self.rows_read, added=self.added)]
        for key, count in (
            ("report.updated", self.updated),
            ("report.unchanged", self.unchanged),
            ("report.skipped", self.duplicates_skipped),
            ("report.dups", len(self.in_file_duplicates)),
            ("report.rejected", len(self.rejected)),
        ):
            if count:
                parts.append(messages.text(key, lang, count=count))
        sep = "，" if (lang or messages.current_language()) == "zh" else ", "
        text = sep.join(parts) + ("。" if (lang or messages.current_language()) == "zh" else ".")
        if self.landlines:
            text += messages.text("report.landlines", lang, count=self.landlines)
        if self.dry_run:
            text += messages.text("report.dry_run", lang)
        return text

    def export_xlsx(self, path: str | Path, lang: str | None = None) -> Path:
        """The rejected rows (and in-file duplicates) as a sheet an admin can fix and re-import from."""
        from openpyxl import Workbook

        target = Path(path)
        book = Workbook(write_only=True)
        sheet = book.create_sheet(messages.text("report.sheet_title", lang)[:31])
        keys = ("report.row", "report.column", "report.value", "report.reason")
        sheet.append([messages.text(k, lang) for k in keys])
        for problem in sorted(self.rejected + self.in_file_duplicates, key=lambda p: p.row):
            sheet.append([problem.row, problem.column, problem.value, problem.reason(lang)])
        book.save(target)
        return target


messages.register(
    {
        "report.read": ("{file}：读取 {rows} 行，新增 {added}", "{file}: {rows} rows read, {added} added"),
        "report.updated": ("更新 {count}", "{count} updated"),
        "report.unchanged": ("无变化 {count}", "{count} unchanged"),
        "report.skipped": ("已存在而跳过 {count}", "{count} skipped as already in the book"),
        "report.dups": ("文件内重复 {count}", "{count} repeated within the file"),
        "report.rejected": ("未导入 {count}", "{count} rejected"),
        "report.landlines": (
            "其中 {count} 个固话号码已保存，但不能接收短信。",
            " {count} landline numbers were kept but cannot receive SMS.",
        ),
        "report.dry_run": ("（试运行，未保存任何更改）", " (dry run: nothing was saved)"),
    }
)
