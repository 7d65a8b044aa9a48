"""发送短信: the compose page and its parts (recipients, message box, send time, confirmation, progress)."""

from ui.pages.compose.page import ComposePage

__all__ = ["ComposePage"]
