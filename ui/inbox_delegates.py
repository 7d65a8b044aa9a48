"""How the inbox draws: a conversation as two lines (who and when; the last reply) with its unread count and
an opt-out tag, and a thread as chat bubbles, replies on the left and our messages on the right, each with a
small line of when, how it went and which send it belongs to. An unsubscribe reply carries a red 退订 tag."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from smsjingling.contacts.export import national
from smsjingling.records.labels import status_text
from smsjingling.records.period import wall_time
from smsjingling.replies.threads import Conversation, ThreadItem
from smsjingling.storage.sending import MessageStatus
from ui.inbox_model import RECORD_ROLE
from ui.records_model import STATUS_COLOURS

AnyIndex = QModelIndex | QPersistentModelIndex

PAD = 8
RED = QColor("#b3261e")
INCOMING = QColor("#eef0f3")
OUTGOING = QColor("#dbe9f9")
BADGE = QColor("#2f6db5")


def short_time(at: datetime, tz: tzinfo | None, now: datetime | None = None) -> str:
    """12:05 today, 3月2日 this year, 2024-03-02 before."""
    local = wall_time(at, tz)
    today = (now or datetime.now(tz)).replace(tzinfo=None)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.year == today.year:
        return f"{local.month}-{local.day:02d} {local:%H:%M}"
    return local.strftime("%Y-%m-%d")


def who(c: Conversation) -> str:
    return c.name or national(c.phone)


class ConversationDelegate(QStyledItemDelegate):
    def __init__(self, tz: Callable[[], tzinfo | None], texts: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._texts = texts  # translated by the page: {"opted_out": "已退订"}

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        line = option.fontMetrics.height()
        return QSize(200, line * 2 + PAD * 2 + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        c: Conversation | None = index.data(RECORD_ROLE)
        if c is None:
            return
        painter.save()
        style = option.widget.style() if option.widget is not None else QApplication.style()
        # The selection and hover background as the platform draws them, without the text.
        option_copy = QStyleOptionViewItem(option)
        option_copy.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option_copy, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_colour = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        dim = text_colour if selected else palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        rect = option.rect.adjusted(PAD, PAD, -PAD, -PAD)
        metrics = option.fontMetrics
        line = metrics.height()

        when = short_time(c.last_at, self._tz())
        when_width = metrics.horizontalAdvance(when)
        painter.setPen(dim)
        painter.drawText(
            QRect(rect.right() - when_width, rect.top(), when_width, line), Qt.AlignmentFlag.AlignRight, when
        )

        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        name = who(c)
        right = rect.right() - when_width - PAD
        tag = self._texts["opted_out"] if c.opted_out else ""
        tag_width = QFontMetrics(option.font).horizontalAdvance(tag) + 8 if tag else 0
        name_width = min(QFontMetrics(bold).horizontalAdvance(name), right - rect.left() - tag_width)
        painter.drawText(
            QRect(rect.left(), rect.top(), name_width, line),
            Qt.AlignmentFlag.AlignLeft,
            QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideRight, name_width),
        )
        painter.setFont(option.font)
        if tag:
            tag_rect = QRect(rect.left() + name_width + 6, rect.top() + 1, tag_width, line - 2)
            painter.setPen(QPen(RED if not selected else text_colour))
            painter.drawRoundedRect(tag_rect, 3, 3)
            painter.drawText(tag_rect, Qt.AlignmentFlag.AlignCenter, tag)

        badge = str(c.unread) if c.unread else ""
        badge_width = max(line, metrics.horizontalAdvance(badge) + 10) if badge else 0
        second = QRect(rect.left(), rect.top() + line + 4, rect.width() - (badge_width + PAD if badge else 0), line)
        painter.setPen(text_colour if c.unread else dim)
        if c.unread:
            painter.setFont(bold)
        text = " ".join(c.last_text.split())
        painter.drawText(
            second,
            Qt.AlignmentFlag.AlignLeft,
            painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, second.width()),
        )
        painter.setFont(option.font)
        if badge:
            circle = QRect(rect.right() - badge_width, second.top(), badge_width, line)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(BADGE)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.drawRoundedRect(circle, line / 2, line / 2)
            painter.setPen(QColor("white"))
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, badge)
        painter.restore()


class BubbleDelegate(QStyledItemDelegate):
    """Chat bubbles at most 70% of the view wide; the height follows the wrapped text."""

    def __init__(self, tz: Callable[[], tzinfo | None], texts: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        # translated by the page: {"unsubscribed": "退订", "incomplete": "不完整", "reply_to": "回复“%1”"}
        self._texts = texts

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = option.widget
        total = view.viewport().width() if view is not None else option.rect.width()
        return max(160, int(total * 0.7))

    def _meta(self, item: ThreadItem) -> str:
        when = wall_time(item.at, self._tz()).strftime("%Y-%m-%d %H:%M")
        parts = [when]
        if item.incoming:
            if item.campaign:
                parts.append(self._texts["reply_to"].replace("%1", item.campaign))
            if not item.complete:
                parts.append(self._texts["incomplete"])
        else:
            parts.append(status_text(item.status))
            if item.campaign:
                parts.append(item.campaign)
        return " · ".join(parts)

    def _layout(self, option: QStyleOptionViewItem, item: ThreadItem) -> tuple[QRect, QRect, QRect]:
        """The bubble, its text and its meta line, relative to the item's top left."""
        metrics = option.fontMetrics
        small = QFontMetrics(self._small(option.font))
        inner = self._width(option) - 2 * PAD
        text = metrics.boundingRect(QRect(0, 0, inner, 100_000), Qt.TextFlag.TextWordWrap, item.text or " ")
        meta_text = self._meta(item) + (f"  {self._texts['unsubscribed']}" if item.unsubscribed else "")
        meta_width = small.horizontalAdvance(meta_text) + 4
        width = min(max(text.width(), meta_width) + 2 * PAD, self._width(option))
        meta_height = small.lineSpacing() + 2  # room for descenders: some fonts draw below height()
        height = text.height() + 4 + meta_height + 2 * PAD
        view_width = option.rect.width()
        left = PAD if item.incoming else view_width - width - PAD
        bubble = QRect(left, PAD // 2, width, height)
        text_rect = QRect(left + PAD, bubble.top() + PAD, width - 2 * PAD, text.height())
        meta_rect = QRect(left + PAD, text_rect.top() + text_rect.height() + 4, width - 2 * PAD, meta_height)
        return bubble, text_rect, meta_rect

    @staticmethod
    def _small(font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        return small

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        item: ThreadItem | None = index.data(RECORD_ROLE)
        if item is None:
            return QSize(0, 0)
        opt = QStyleOptionViewItem(option)
        view = option.widget
        if view is not None:
            opt.rect = QRect(0, 0, view.viewport().width(), 0)
        bubble, _text, _meta = self._layout(opt, item)
        return QSize(opt.rect.width(), bubble.height() + PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        item: ThreadItem | None = index.data(RECORD_ROLE)
        if item is None:
            return
        painter.save()
        painter.translate(option.rect.topLeft())
        bubble, text_rect, meta_rect = self._layout(option, item)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(INCOMING if item.incoming else OUTGOING)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if item.unsubscribed:
            painter.setPen(QPen(RED, 1.5))
        elif selected:
            painter.setPen(QPen(option.palette.color(QPalette.ColorRole.Highlight), 1.5))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(bubble, 8, 8)
        painter.setPen(QColor("#1f1f1f"))
        painter.drawText(text_rect, int(Qt.TextFlag.TextWordWrap), item.text)
        painter.setFont(self._small(option.font))
        meta = self._meta(item)
        colour = STATUS_COLOURS.get(item.status) if not item.incoming else None
        painter.setPen(QColor("#6b6b6b"))
        painter.drawText(meta_rect, Qt.AlignmentFlag.AlignLeft, meta)
        if colour is not None and item.status != MessageStatus.DELIVERED:
            # What went wrong (or is still waiting) stands out in the status's colour.
            painter.setPen(colour)
            painter.drawText(meta_rect, Qt.AlignmentFlag.AlignLeft, meta)
        if item.unsubscribed:
            tag = self._texts["unsubscribed"]
            x = meta_rect.left() + painter.fontMetrics().horizontalAdvance(meta + "  ")
            tag_rect = QRect(
                x - 3, meta_rect.top(), painter.fontMetrics().horizontalAdvance(tag) + 6, meta_rect.height()
            )
            painter.setPen(QPen(RED))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(tag_rect, 3, 3)
            painter.drawText(tag_rect, Qt.AlignmentFlag.AlignCenter, tag)
        painter.restore()
