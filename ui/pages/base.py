"""What every page of the main window has: the shared context, and hooks the window calls."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.context import AppContext


class Page(QWidget):
    """A page is built once, on first show, with the app's context; it reads through `ctx.worker`.

    `activate()` runs each time the user turns to the page (re-read what may have changed elsewhere);
    `busy()` says whether closing the window now would interrupt something the user started here.
    """

    key = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"page_{self.key}")

    def activate(self) -> None:
        """Called when the page becomes the visible one (also right after it is built)."""

    def busy(self) -> bool:
        return False

    def say(self, text: str, timeout_ms: int = 10_000) -> None:
        """A passing note in the main window's status bar (nowhere when the page stands alone in a test)."""
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(text, timeout_ms)
