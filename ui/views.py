"""The look every page shares: its toolbar, and its tables of read-only rows, made in one place so the pages
stay alike."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QToolBar, QWidget


def page_toolbar(title: str, name: str, parent: QWidget) -> QToolBar:
    """A page's fixed toolbar: icons with their words beside them (office staff read, they don't guess)."""
    toolbar = QToolBar(title, parent)
    toolbar.setObjectName(name)
    toolbar.setMovable(False)
    toolbar.setIconSize(QSize(20, 20))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    return toolbar


def row_table(
    table: QTableView,
    selection: QAbstractItemView.SelectionMode = QAbstractItemView.SelectionMode.ExtendedSelection,
    *,
    row_padding: int = 10,
) -> QHeaderView:
    """Set `table` up for read-only rows picked whole, and return its column header for the page's widths.

    Rows have one fixed height, so the view need not measure every row (a million contacts) to size its
    scroll bar."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    rows = table.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + row_padding)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return header
