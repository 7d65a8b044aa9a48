"""The desktop program: QApplication, translations, the database, the main window.

`main()` is both what `python main.py` runs and the `smsjingling-gui` entry point.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence

STARTED = time.perf_counter()  # before Qt is imported: --smoke reports the time from here to the shown window

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory, QWidget  # noqa: E402

from smsjingling.errors import DatabaseError  # noqa: E402
from smsjingling.storage.database import Database, open_database  # noqa: E402
from ui import errors  # noqa: E402
from ui.i18n import choose_language, install_translators, saved_language, switch_language  # noqa: E402

log = logging.getLogger(__name__)

APP_NAME = "SMSJingling"
APP_DISPLAY_NAME = "短信精灵"
ORGANISATION = "SMSJingling"

# shows an error to the user: (title, text)
ErrorShower = Callable[[str, str], None]


def show_critical(title: str, text: str) -> None:
    QMessageBox.critical(None, title, text)


def open_database_or_explain(url: str | None, show_error: ErrorShower = show_critical) -> Database | None:
    """Open the database; if it cannot be used, say why (in the user's language) and return None.

    Opening happens before the window exists, on the GUI thread: there is nothing to show yet, and an old
    schema's upgrade must finish before anything reads it.
    """
    try:
        return open_database(url)
    except DatabaseError as exc:
        log.info("database refused: %s", exc.key)
        show_error(QCoreApplication.translate("app", "短信精灵 — 无法打开数据库"), exc.message())
        return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smsjingling-gui", description="短信精灵")
    parser.add_argument("--db", metavar="URL", help="database URL or SQLite file / 数据库地址或文件")
    parser.add_argument("--lang", choices=("zh", "en"), help="language / 界面语言")
    parser.add_argument(
        "--smoke", action="store_true", help="show the window, print the time it took and quit (build check) / 自检"
    )
    return parser


def smoke_check(app: QApplication, window: QWidget, *, limit: float = 30.0) -> None:
    """--smoke: once the window system shows the window (it is exposed), say how long that took and quit; exit
    code 3 when it is not shown within `limit` seconds."""

    def check() -> None:
        handle = window.windowHandle()
        shown = window.isVisible() and handle is not None and handle.isExposed()
        elapsed = time.perf_counter() - STARTED
        if shown or elapsed > limit:
            timer.stop()
            verdict = "shown" if shown else "NOT shown"
            # CPU time since the process started: what a busy machine does not inflate, unlike the elapsed time.
            cpu = time.process_time()
            print(f"smoke: window {verdict} {elapsed:.2f} s after start, {cpu:.2f} s of CPU", flush=True)
            app.exit(0 if shown else 3)

    # Checked from the event loop only: app.exit() before app.exec() would be lost.
    timer = QTimer(window)
    timer.setInterval(5)
    timer.timeout.connect(check)
    timer.start()


class _FirstPaint(QObject):
    """Calls `then` once, when a widget of `window` has painted (the frame is on screen), or after
    `limit_ms` should nothing paint (a window started hidden)."""

    def __init__(self, window: QWidget, then: Callable[[], None], limit_ms: int) -> None:
        super().__init__(window)
        self._window = window
        self._then: Callable[[], None] | None = then
        QApplication.instance().installEventFilter(self)
        QTimer.singleShot(limit_ms, self, self._fire)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            self._then is not None
            and event.type() == QEvent.Type.Paint
            and isinstance(obj, QWidget)
            and obj.window() is self._window
        ):
            QTimer.singleShot(0, self, self._fire)  # once this frame is done
        return False

    def _fire(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            QApplication.instance().removeEventFilter(self)
            then()


def after_first_paint(window: QWidget, then: Callable[[], None], *, limit_ms: int = 2000) -> None:
    """Run `then` on the GUI thread just after the window's first painted frame."""
    _FirstPaint(window, then, limit_ms)


def create_application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setOrganizationName(ORGANISATION)
    # Fusion looks the same on every Windows version and on the CI's offscreen platform.
    available = QStyleFactory.keys()
    if "Fusion" in available:
        app.setStyle("Fusion")
    return app


def main(argv: Sequence[str] | None = None, *, show_error: ErrorShower = show_critical) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    # Warnings and errors only: the migration's INFO lines mean nothing to an office user.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_application([])
    from ui.single_instance import InstanceServer, signal_running

    if signal_running():
        return 0  # the running copy comes forward instead
    errors.install_file_log()
    errors.install_excepthook()
    translators = install_translators(app, choose_language(args.lang))
    db = open_database_or_explain(args.db, show_error)
    if db is None:
        return 1
    # The language saved in the settings is known once the database is open, before the window is built.
    switch_language(app, translators, choose_language(args.lang, saved_language(db)))
    from ui import first_run
    from ui.main_window import MainWindow  # after the translators, so its texts are translated

    window = MainWindow(db)
    instance = InstanceServer(window)
    instance.activated.connect(window.bring_forward)
    instance.listen()
    window.show()
    if args.smoke:
        smoke_check(app, window)
    # With no channel yet, the simulated devices are offered first; the sending service starts after the answer.
    # Not before the window's first frame is painted: the check loads the sending stack in the background,
    # which would compete with the GUI thread for the interpreter while the window is being shown.
    after_first_paint(window, lambda: first_run.begin(window, window.ctx))
    try:
        return app.exec()
    finally:
        instance.close()
        # app.quit() does not close the window: stop its tasks and the service before the database goes away.
        window.ctx.close()
        db.close()


if __name__ == "__main__":
    sys.exit(main())
