"""User-facing texts of the core, in Chinese and English.

The core has no Qt, so it cannot use Qt's translation tools; instead every text a user may read is a key in
one catalogue with both languages, and errors carry the key plus parameters. The GUI and the CLI render them
in the user's language. Keys are grouped by area ("db.", "import.", "phone." ...).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# key -> (Chinese, English). Parameters use str.format names.
CATALOGUE: dict[str, tuple[str, str]] = {}


def register(entries: dict[str, tuple[str, str]]) -> None:
    """Add texts to the catalogue; each area's module registers its own, so they stay next to their use."""
    for key, pair in entries.items():
        if key in CATALOGUE and CATALOGUE[key] != pair:
            raise ValueError(f"message key registered twice with different texts: {key}")
        CATALOGUE[key] = pair


_language: str | None = None


def set_language(lang: str | None) -> None:
    """'zh' or 'en'; None goes back to the environment's choice."""
    global _language
    _language = lang


def current_language() -> str:
    """Chinese first: English only when the user chose it (--lang, the setting, or SMSJINGLING_LANG)."""
    if _language:
        return _language
    env = os.environ.get("SMSJINGLING_LANG", "")
    return "en" if env.lower().startswith("en") else "zh"


@dataclass(frozen=True)
class Text:
    """A parameter that is itself a catalogue text (a status, an action), so it is written in the language of
    the sentence around it, whichever that turns out to be when the sentence is read."""

    key: str


def text(key: str, lang: str | None = None, /, **params: object) -> str:
    zh, en = CATALOGUE.get(key, (key, key))
    lang = lang or current_language()
    template = en if lang == "en" else zh
    values = {name: text(v.key, lang) if isinstance(v, Text) else v for name, v in params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template
