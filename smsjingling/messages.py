"""User-facing texts of the core, in Chinese and English.

The core has no Qt, so it cannot use Qt's translation tools; instead every text a user may read is a key in
one catalogue with both languages, and errors carry the key plus parameters. The GUI and the CLI render them
in the user's language. Keys are grouped by area ("db.", "import.", "phone." ...).
"""

from __future__ import annotations

import os

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


def text(key: str, lang: str | None = None, /, **params: object) -> str:
    zh, en = CATALOGUE.get(key, (key, key))
    template = en if (lang or current_language()) == "en" else zh
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
