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

log = logging.getLogger(__name__)

LANGUAGES = ("zh", "en")


def translations_dir() -> Path:
    return paths.resources_dir() / "translations"


def choose_language(requested: str | None = None) -> str:
    """--lang, else SMSJINGLING_LANG, else the system locale (Chinese unless clearly something else)."""
    if requested in LANGUAGES:
        return requested
    env = os.environ.get("SMSJINGLING_LANG", "")
    if env:
        return "en" if env.lower().startswith("en") else "zh"
    return messages.current_language()


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
