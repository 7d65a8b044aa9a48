"""The window's pages, in navigation order. Each is built the first time it is shown, so start-up builds
only the first one (cold start with a million contacts must stay under 1.5 s)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # Chinese source text, translated in the "nav" context
    icon: str  # resources/icons/<icon>.svg
    module: str
    cls: str
    shortcut: str  # Ctrl+<digit> in the navigation

    def load(self) -> type:
        return getattr(importlib.import_module(self.module), self.cls)


# Navigation order, with Ctrl+digit shortcuts: compose 1, contacts 2, records 3, inbox 4, schedules 5,
# devices 6, account 7, reports 8, settings 9, log 0. Keep the entries in that order.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("compose", QT_TRANSLATE_NOOP("nav", "发送短信"), "compose", "ui.pages.compose", "ComposePage", "Ctrl+1"),
    PageSpec("contacts", QT_TRANSLATE_NOOP("nav", "通讯录"), "contacts", "ui.pages.contacts", "ContactsPage", "Ctrl+2"),
    PageSpec("records", QT_TRANSLATE_NOOP("nav", "发送记录"), "records", "ui.pages.records", "RecordsPage", "Ctrl+3"),
    PageSpec("inbox", QT_TRANSLATE_NOOP("nav", "收件箱"), "inbox", "ui.pages.inbox", "InboxPage", "Ctrl+4"),
    PageSpec(
        "schedules", QT_TRANSLATE_NOOP("nav", "定时任务"), "schedules", "ui.pages.schedules", "SchedulesPage", "Ctrl+5"
    ),
    PageSpec("devices", QT_TRANSLATE_NOOP("nav", "设备与通道"), "devices", "ui.pages.devices", "DevicesPage", "Ctrl+6"),
    PageSpec("account", QT_TRANSLATE_NOOP("nav", "账户"), "account", "ui.pages.account", "AccountPage", "Ctrl+7"),
    PageSpec("reports", QT_TRANSLATE_NOOP("nav", "统计报表"), "reports", "ui.pages.reports", "ReportsPage", "Ctrl+8"),
    PageSpec("settings", QT_TRANSLATE_NOOP("nav", "设置"), "settings", "ui.pages.settings", "SettingsPage", "Ctrl+9"),
    PageSpec("log", QT_TRANSLATE_NOOP("nav", "日志"), "log", "ui.pages.log", "LogPage", "Ctrl+0"),
)


def spec(key: str) -> PageSpec:
    for page in PAGES:
        if page.key == key:
            return page
    raise KeyError(key)
