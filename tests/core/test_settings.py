from __future__ import annotations

import pytest
from sqlalchemy import select

from smsjingling import settings
from smsjingling.errors import ValidationError
from smsjingling.storage.database import Database
from smsjingling.storage.models import Setting as SettingRow


def test_defaults_then_stored_values(db: Database) -> None:
    s = settings.Settings(db)
    assert s.get(settings.RETENTION_MONTHS) == 6
    s.set(settings.SIGNATURE, "【市教育局】")
    s.set_by_key("records.retention_months", 12)
    again = settings.Settings(db)
    assert again.get(settings.SIGNATURE) == "【市教育局】"
    assert again.all()["records.retention_months"] == 12


def test_wrong_values_are_refused_with_the_key_named(db: Database) -> None:
    s = settings.Settings(db)
    with pytest.raises(ValidationError) as err:
        s.set(settings.RETENTION_MONTHS, "twelve")
    assert "records.retention_months" in err.value.message("en")
    with pytest.raises(ValidationError):
        s.set(settings.RETENTION_MONTHS, 0)
    with pytest.raises(ValidationError):
        s.set(settings.LANGUAGE, "fr")
    with pytest.raises(ValidationError):
        s.set_by_key("no.such.key", 1)
    assert s.get(settings.RETENTION_MONTHS) == 6


def test_versioned_upgrade_runs_once(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.Settings(db).set(settings.LANGUAGE, "en")
    calls = []

    def to_v2(session) -> None:
        calls.append(2)
        row = session.get(SettingRow, "ui.language")
        row.value = "zh"

    monkeypatch.setitem(settings.UPGRADES, 2, to_v2)
    monkeypatch.setattr(settings, "VERSION", 2)
    s = settings.Settings(db)
    settings.Settings(db)
    assert calls == [2]
    assert s.get(settings.LANGUAGE) == "zh"
    with db.reader() as session:
        assert session.execute(select(SettingRow.value).where(SettingRow.key == "settings.version")).scalar() == 2
