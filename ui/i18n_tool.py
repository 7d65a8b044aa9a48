"""Keeping the English translation in step with the code: `python -m ui.i18n_tool update|build|check`.

Each UI module has its own catalogue, `resources/translations/en/<module>.ts`, so people working on different
pages never edit the same file; `build` compiles each to a .qm beside it and the app loads them all.
- `update`: run pyside6-lupdate over every module under ui/ (new texts arrive as unfinished);
- `build`: run pyside6-lrelease on every catalogue;
- `check`: list each unfinished or missing translation (exit 1 if there is any), which the tests run too;
- `todo FILE.json`: write the unfinished texts to a JSON list to translate (fill in each "translation");
- `fill FILE.json`: put the translations from such a list into the catalogues (then run `build`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = ROOT / "ui"
CATALOGUES = ROOT / "resources" / "translations" / "en"
# a call with a literal text, which is what lupdate extracts
TRANSLATABLE = re.compile(r"""(\.tr|translate|QT_TRANSLATE_NOOP)\(\s*(\w+,\s*)?["']""")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    # pip puts the console scripts beside the interpreter, which may not be on PATH (a venv not activated).
    beside = Path(sys.executable).with_name(name)
    if beside.exists() or beside.with_suffix(".exe").exists():
        return str(beside)
    raise SystemExit(f"{name} not found: it comes with PySide6 (pip install PySide6-Essentials)")


def modules() -> list[Path]:
    """UI source files that contain translatable texts."""
    found = []
    for path in sorted(UI_DIR.rglob("*.py")):
        if TRANSLATABLE.search(path.read_text(encoding="utf-8")):
            found.append(path)
    return found


def catalogue_for(module: Path) -> Path:
    name = ".".join(module.relative_to(ROOT).with_suffix("").parts)
    return CATALOGUES / f"{name}.ts"


def update() -> None:
    CATALOGUES.mkdir(parents=True, exist_ok=True)
    lupdate = _tool("pyside6-lupdate")
    wanted = set()
    for module in modules():
        ts = catalogue_for(module)
        wanted.add(ts)
        subprocess.run(
            [
                lupdate,
                "-silent",
                "-no-obsolete",
                "-source-language",
                "zh_CN",
                "-target-language",
                "en",
                str(module),
                "-ts",
                str(ts),
            ],
            check=True,
        )
    for stale in CATALOGUES.glob("*.ts"):
        # A module that only mentions translate() (this tool, the loader) yields an empty catalogue.
        if stale not in wanted or not ET.parse(stale).getroot().findall("context"):
            stale.unlink()
            stale.with_suffix(".qm").unlink(missing_ok=True)


def build() -> None:
    lrelease = _tool("pyside6-lrelease")
    for ts in sorted(CATALOGUES.glob("*.ts")):
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


@dataclass(frozen=True)
class Gap:
    catalogue: str
    context: str
    source: str


def gaps() -> list[Gap]:
    """Texts with no finished English translation, and modules with no catalogue at all."""
    found: list[Gap] = []
    for module in modules():
        if not catalogue_for(module).exists():
            found.append(Gap(catalogue_for(module).name, "", "(no catalogue: run update)"))
    for ts in sorted(CATALOGUES.glob("*.ts")):
        for context in ET.parse(ts).getroot().iter("context"):
            name = context.findtext("name", "")
            for message in context.iter("message"):
                translation = message.find("translation")
                if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
                    if translation is not None and translation.get("type") in ("vanished", "obsolete"):
                        continue
                    found.append(Gap(ts.name, name, message.findtext("source", "")))
                elif not (translation.text or "").strip() and not translation.findall("numerusform"):
                    found.append(Gap(ts.name, name, message.findtext("source", "")))
    return found


def write_todo(path: Path) -> int:
    items = [
        {"catalogue": g.catalogue, "context": g.context, "source": g.source, "translation": ""}
        for g in gaps()
        if g.context
    ]
    path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(items)


def fill(path: Path) -> int:
    """Write translations from a todo list into the catalogues; returns how many were filled."""
    wanted: dict[str, dict[tuple[str, str], str]] = {}
    for item in json.loads(path.read_text(encoding="utf-8")):
        if item.get("translation"):
            wanted.setdefault(item["catalogue"], {})[(item["context"], item["source"])] = item["translation"]
    filled = 0
    for name, texts in wanted.items():
        ts = CATALOGUES / name
        tree = ET.parse(ts)
        for context in tree.getroot().iter("context"):
            context_name = context.findtext("name", "")
            for message in context.iter("message"):
                key = (context_name, message.findtext("source", ""))
                translation = message.find("translation")
                if key in texts and translation is not None:
                    translation.text = texts[key]
                    translation.attrib.pop("type", None)
                    filled += 1
        tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command in ("todo", "fill"):
        if len(argv) < 2:
            print(__doc__)
            return 2
        if command == "todo":
            print(f"{write_todo(Path(argv[1]))} text(s) to translate written to {argv[1]}")
        else:
            print(f"{fill(Path(argv[1]))} translation(s) filled in; now run: python -m ui.i18n_tool build")
        return 0
    if command == "update":
        update()
    elif command == "build":
        build()
    elif command != "check":
        print(__doc__)
        return 2
    missing = gaps()
    for gap in missing:
        print(f"{gap.catalogue}: [{gap.context}] {gap.source}")
    if missing:
        print(f"{len(missing)} text(s) without an English translation")
    return 1 if missing and command == "check" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
