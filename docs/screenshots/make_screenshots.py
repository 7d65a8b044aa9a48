"""Render the screenshots in this folder: `python docs/screenshots/make_screenshots.py`.

Runs offscreen against a throw-away database of sample contacts, so it works on CI and never touches the
user's data. Chinese text needs a CJK font installed (on Debian/Ubuntu: `apt-get install fonts-noto-cjk`).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from smsjingling.contacts.book import ContactBook  # noqa: E402
from smsjingling.storage.database import open_database  # noqa: E402
from ui.app import create_application  # noqa: E402
from ui.i18n import install_translators, remove_translators  # noqa: E402

OUT = Path(__file__).resolve().parent

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
]
PREFIXES = ["138", "139", "150", "186", "133", "189", "177", "152", "131", "199"]
DEPARTMENTS = ["办公室", "财务科", "人事科", "后勤处", "教务处"]
GROUPS = ["领导班子", "全体教职工", "家长委员会"]


def sample_contacts(book: ContactBook, count: int = 30) -> None:
    for i in range(count):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        phone = f"{PREFIXES[i % len(PREFIXES)]}{(10_000_000 + i * 7_654_321) % 100_000_000:08d}"
        groups = [GROUPS[1]] if i % 3 else [GROUPS[0], GROUPS[1]]
        if i >= 22:
            groups = [GROUPS[2]]
        book.add(name, phone, fields={"部门": DEPARTMENTS[i % len(DEPARTMENTS)]} if i < 22 else {}, groups=groups)
    book.add("教务处座机", "010-88886666", fields={"部门": "教务处"}, groups=[GROUPS[1]])
    book.add_optout(f"{PREFIXES[4]}{(10_000_000 + 4 * 7_654_321) % 100_000_000:08d}", "manual", "本人要求")


def wait_idle(window: QWidget) -> None:
    worker = window.worker  # type: ignore[attr-defined]
    for _ in range(200):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if not worker.busy and not window.model.loading:  # type: ignore[attr-defined]
            break
    loop = QEventLoop()
    QTimer.singleShot(150, loop.quit)  # let the layout settle after the last page arrived
    loop.exec()


def shoot(widget: QWidget, name: str) -> Path:
    path = OUT / name
    widget.grab().save(str(path))
    print("wrote", path.relative_to(ROOT))
    return path


def main() -> int:
    app = create_application([])
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SMSJINGLING_HOME"] = folder
        db = open_database(str(Path(folder) / "sample.sqlite3"))
        try:
            sample_contacts(ContactBook(db, actor="screenshots"))
            from ui.import_dialog import ImportDialog
            from ui.main_window import MainWindow

            for lang, suffix in (("zh", ""), ("en", "_en")):
                translators = install_translators(app, lang)
                window = MainWindow(db)
                window.resize(1100, 640)
                window.show()
                wait_idle(window)
                shoot(window, f"main_window{suffix}.png")

                if lang == "zh":
                    # The import dialog after a run, as the admin sees it.
                    sheet = Path(folder) / "新生家长.csv"
                    sheet.write_text(
                        "姓名,手机号码,部门\n张晓明家长,13512345678,一年级\n李华家长,1351234567,一年级\n"
                        "王芳家长,15987654321,二年级\n",
                        encoding="utf-8",
                    )
                    dialog = ImportDialog(db, window.worker, window, groups=["家长委员会"])
                    dialog.set_file(sheet)
                    dialog.show()
                    dialog.start()
                    for _ in range(200):
                        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
                        if not dialog.running:
                            break
                    shoot(dialog, "import_dialog.png")
                    dialog.close()
                    # Undo the sample import so the English shot shows the same book.
                    book = ContactBook(db)
                    book.delete([c.id for c in book.search("家长", limit=10)])

                window.close()
                window.deleteLater()
                remove_translators(app, translators)
        finally:
            db.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
