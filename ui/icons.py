"""SVG icons from resources/icons: drawn by Qt's SVG renderer at whatever size and device-pixel ratio the
screen needs, so they stay sharp at 150% and 200% scaling."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from smsjingling import paths


def icon_path(name: str) -> str:
    return str(paths.resources_dir() / "icons" / f"{name}.svg")


@cache
def icon(name: str) -> QIcon:
    # QIcon renders the SVG lazily through the svg icon engine plugin, per requested size.
    return QIcon(icon_path(name))


def app_icon() -> QIcon:
    return icon("app")
