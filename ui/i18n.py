"""Loading the UI's translations.

UI texts are written in Chinese in the code (`self.tr(…)` with the Chinese text), so Chinese needs no file of ours;
English comes from `resources/translations/en/*.qm`, one per UI module (`python -m ui.i18n_tool`). Qt's own texts
(the 确定/取消 of standard buttons, the file dialogs) come from Qt's qtbase catalogue for the language.
The core renders its own texts from its catalogue, so its language is set here too.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from smsjingling import messages, paths
from smsjingling.errors import UserError
from smsjingling.settings import LANGUAGE, Settings
from smsjingling.storage.database import Database

log = logging.getLogger(__name__)

LANGUAGES = ("zh", "en")


def translations_dir() -> Path:
    return paths.resources_dir() / "translations"


def choose_language(requested: str | None = None, saved: str = "") -> str:
    """--lang, else SMSJINGLING_LANG, else the language saved in the settings (设置 → 界面语言; "" follows
    the system), else the system locale."""
    if requested in LANGUAGES:
        return requested
    env = os.environ.get("SMSJINGLING_LANG", "")
    if env:
        return "en" if env.lower().startswith("en") else "zh"
    if saved in LANGUAGES:
        return saved
    return system_language()


def system_language() -> str:
    """Chinese unless the system clearly speaks something else: a Chinese locale, and the C/POSIX locale of a
    bare system or service, are Chinese; any other language gets English, the one other language we have."""
    language = QLocale.system().language()
    if language in (QLocale.Language.Chinese, QLocale.Language.C, QLocale.Language.AnyLanguage):
        return "zh"
    return "en"


def saved_language(db: Database) -> str:
    """The language chosen in the settings ("" for the system's). The database is opened after the first
    translators are installed (its errors must be readable), so this is applied by `switch_language`."""
    try:
        return Settings(db).get(LANGUAGE)
    except UserError as exc:  # a database that opened but cannot be read is explained later, by the window
        log.info("cannot read the language setting: %s", exc)
        return ""


def switch_language(app: QCoreApplication, installed: list[QTranslator], lang: str) -> list[QTranslator]:
    """Install `lang` in place of the translators installed before, unless it is the language already in use.
    Widgets built before keep their texts: switch before the window is built (a later change needs a restart)."""
    if lang == messages.current_language():
        return installed
    remove_translators(app, installed)
    return install_translators(app, lang)


def install_translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install Qt's and our translators for `lang`; returns them (keep them alive; remove to switch back)."""
    messages.set_language(lang)
    installed: list[QTranslator] = []
    qt_locale = "en" if lang == "en" else "zh_CN"
    QLocale.setDefault(QLocale(qt_locale))
    qt_translator = QTranslator(app)
    if qt_translator.load(f"qtbase_{qt_locale}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    if lang == "en":
        for qm in sorted((translations_dir() / "en").glob("*.qm")):
            ours = QTranslator(app)
            if ours.load(str(qm)):
                app.installTranslator(ours)
                installed.append(ours)
            else:
                # Not fatal: those texts stay in Chinese, which every user of this build can still read.
                log.info("cannot load the English translation %s", qm)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)
