"""§11 First run: with no modem and no gateway account, the window offers the built-in simulated modem and
gateway, clearly labelled 模拟, so that a newcomer can try every page at once.

Nothing is added silently: `begin(window)` (what the program does once the window shows) looks for channels in
the background; with none it asks (`FirstRunDialog`), and only an accepted offer adds the simulated channels
(`Channels.ensure_demo(gateway=True)`: 模拟短信猫 and 模拟短信网关 with its prepaid account). The sending service
starts after the answer either way. Declined, the offer stays on the 设备与通道 page (`DemoBanner`) until a
channel exists.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smsjingling.sending.channels import Channels
from ui.context import SERVICE_MODULE, AppContext
from ui.icons import icon

# Asks the user whether to use the simulated devices (a modal dialog; tests answer without one).
Asker = Callable[[QWidget], bool]


def has_channels(ctx: AppContext) -> bool:
    return bool(Channels(ctx.db).list())


def add_demo_channels(ctx: AppContext) -> None:
    Channels(ctx.db, ctx.actor).ensure_demo(gateway=True)


class FirstRunDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_run_dialog")
        self.setWindowTitle(self.tr("欢迎使用短信精灵"))
        self.setMinimumWidth(480)
        title = QLabel(self.tr("还没有短信猫或短信网关账户"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        title.setFont(font)
        text = QLabel(
            self.tr(
                "可以先使用内置的【模拟】短信猫和【模拟】短信网关，试用全部功能：发送、发送记录、收件箱、"
                "账户和统计报表都会像真的一样工作，但不会发出任何真实短信。\n\n"
                "以后随时可以在“设备与通道”中扫描添加真实的短信猫、添加网关账户，并停用或删除模拟设备。"
            )
        )
        text.setWordWrap(True)
        self.use_button = QPushButton(icon("devices"), self.tr("使用模拟设备"))
        self.use_button.setObjectName("use_demo_button")
        self.use_button.setDefault(True)
        self.later_button = QPushButton(self.tr("稍后自己设置"))
        self.later_button.setObjectName("later_button")
        buttons = QDialogButtonBox()
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(6)
        layout.addWidget(buttons)


def ask(parent: QWidget) -> bool:
    return FirstRunDialog(parent).exec() == QDialog.DialogCode.Accepted


class DemoBanner(QFrame):
    """The offer on the 设备与通道 page while there is no channel."""

    accepted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demo_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#demo_banner { background: #eef4fb; border: 1px solid #b9d0ea; border-radius: 4px; }")
        text = QLabel(
            self.tr(
                "还没有短信猫或网关账户。可以先用内置的【模拟】短信猫和【模拟】短信网关试用全部功能，不会发出真实短信。"
            )
        )
        text.setWordWrap(True)
        text.setStyleSheet("background: transparent; border: none;")
        self.button = QPushButton(icon("devices"), self.tr("使用模拟设备"))
        self.button.setObjectName("use_demo_button")
        self.button.clicked.connect(self.accepted)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(text, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)


def use_demo(ctx: AppContext, owner: QWidget, done: Callable[[], None] | None = None) -> None:
    """Add the simulated channels in the background, then (re)start the service so it sends through them."""

    def added(_none: object) -> None:
        if ctx.service is None:
            ctx.start_service(demo_if_empty=False)
        else:
            ctx.restart_service()
        if done is not None:
            done()

    ctx.run(lambda: add_demo_channels(ctx), owner=owner, on_result=added, name="add simulated channels")


def begin(window: QWidget, ctx: AppContext, *, asker: Asker = ask) -> None:
    """What the program does once its window shows: the offer when there is no channel, then the service."""

    def checked(exists: bool) -> None:
        if exists or not asker(window):
            ctx.start_service(demo_if_empty=False)
            return
        use_demo(ctx, window)

    def look() -> bool:
        # The service's modules load here, in the background, while the window shows: start_service then
        # finds them loaded instead of importing them on the GUI thread.
        importlib.import_module(SERVICE_MODULE)
        return has_channels(ctx)

    ctx.run(look, owner=window, on_result=checked, name="first run")
