"""Every text a user reads in the window has an English translation, and the shipped .qm files are current."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ui import i18n_tool


def test_every_ui_text_has_an_english_translation() -> None:
    gaps = i18n_tool.gaps()
    assert not gaps, "run `python -m ui.i18n_tool update`, translate, then `build`:\n" + "\n".join(
        f"{g.catalogue}: [{g.context}] {g.source}" for g in gaps
    )


def test_shipped_qm_files_match_their_catalogues(tmp_path: Path) -> None:
    lrelease = i18n_tool._tool("pyside6-lrelease")
    catalogues = sorted(i18n_tool.CATALOGUES.glob("*.ts"))
    assert catalogues
    for ts in catalogues:
        built = tmp_path / ts.with_suffix(".qm").name
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(built)], check=True)
        shipped = ts.with_suffix(".qm")
        assert shipped.exists() and shipped.read_bytes() == built.read_bytes(), (
            f"{shipped.name} is stale: run `python -m ui.i18n_tool build`"
        )
