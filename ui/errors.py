"""Failures in plain words. A UserError from the core already says what is wrong and what to do; anything
else is a bug: its traceback goes to a log file in the data folder, and the user is told so and offered to
open it, never shown a traceback."""

from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from smsjingling import paths
from smsjingling.errors import UserError

log = logging.getLogger(__name__)

LOG_NAME = "smsjingling.log"


def log_path() -> Path:
    return paths.data_dir() / "logs" / LOG_NAME


def install_file_log() -> Path:
    """Warnings and errors (with tracebacks) go to a rotating file the user can send to support."""
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"))
        root.addHandler(handler)
    return path


def describe(exc: BaseException) -> str:
    """What to tell the user about `exc`."""
    if isinstance(exc, UserError):
        return exc.message()
    if isinstance(exc, OSError):
        # Files and devices: the system's own words name the file and the problem.
        return QCoreApplication.translate("errors", "操作系统报告错误：%1").replace("%1", str(exc))
    return QCoreApplication.translate(
        "errors", "程序内部出错（%1）。详细信息已写入日志文件，可以发给技术支持。"
    ).replace("%1", type(exc).__name__)


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    """Show a failure: the core's own message, or for a bug a short note with an offer to open the log."""
    title = title or QCoreApplication.translate("errors", "短信精灵")
    if isinstance(exc, (UserError, OSError)):
        log.info("shown to the user: %s", exc)
        QMessageBox.warning(parent, title, describe(exc))
        return
    log.error("unexpected error", exc_info=exc)
    offer_log(parent, title, describe(exc))


def offer_log(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Close, parent)
    open_button = box.addButton(QCoreApplication.translate("errors", "打开日志文件"), QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is open_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_path())))


def install_excepthook() -> None:
    """An exception escaping a slot or a thread is logged and reported once, instead of a console dump."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.error("uncaught exception", exc_info=(kind, exc, tb))
        if QApplication.instance() is not None and threading.current_thread() is threading.main_thread():
            offer_log(QApplication.activeWindow(), QCoreApplication.translate("errors", "短信精灵"), describe(exc))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.error("uncaught exception in thread %s", args.thread, exc_info=args.exc_value)

    sys.excepthook = hook
    threading.excepthook = thread_hook
