"""The settings form's arrangement, checks in the user's language, and writing several settings at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from smsjingling import settings, settings_form
from smsjingling.errors import ValidationError
from smsjingling.settings import REGISTRY, Setting, Settings
from smsjingling.settings_form import Editor
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent


def test_every_declared_setting_is_in_exactly_one_group() -> None:
    groups = settings_form.groups()
    keys = [f.key for g in groups for f in g.fields]
    assert sorted(keys) == sorted(REGISTRY)
    assert len(keys) == len(set(keys))
    by_key = {f.key: f for g in groups for f in g.fields}
    assert by_key["send.marketing_window"].editor is Editor.WINDOW
    assert by_key["replies.unsubscribe_words"].editor is Editor.WORDS
    assert by_key["send.require_consent"].editor is Editor.CHECK
    assert by_key["plan.recipient_cap"].editor is Editor.NUMBER
    assert by_key["ui.timezone"].editor is Editor.ZONE
    language = by_key["ui.language"]
    assert language.editor is Editor.CHOICE and [c.value for c in language.choices] == ["", "zh", "en"]
    # every offered choice is a value the setting accepts
    for group in groups:
        for field in group.fields:
            for choice in field.choices:
                assert field.problem(choice.value) is None, (field.key, choice.value)
            assert group.title("zh") and group.title("en") != group.title("zh")


def test_a_setting_declared_later_appears_under_other(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = Setting("test.extra_flag", bool, False, "测试开关", "Test switch")
    monkeypatch.setitem(REGISTRY, extra.key, extra)
    groups = settings_form.groups()
    assert groups[-1].key == "other"
    assert [(f.key, f.editor) for f in groups[-1].fields] == [("test.extra_flag", Editor.CHECK)]
    assert groups[-1].fields[0].label("en") == "Test switch"


def test_problems_are_said_in_one_language() -> None:
    months = settings.RETENTION_MONTHS
    assert settings_form.problem(months, 3, "zh") == "至少保留 6 个月"
    assert settings_form.problem(months, 3, "en") == "at least 6 months"
    assert settings_form.problem(months, 12) is None
    assert "records.retention_months" in (settings_form.problem(months, "x", "en") or "")
    from smsjingling.sending.rules import MARKETING_WINDOW, TIMEZONE

    assert settings_form.problem(MARKETING_WINDOW, "8-21", "zh") == "格式为 时:分-时:分"
    assert settings_form.problem(TIMEZONE, "Mars/Olympus", "en") == "an IANA time zone such as Asia/Shanghai"
    assert settings_form.problem(settings.SIGNATURE, "市【教育】局", "zh") == "签名“市【教育】局”里不能再有【或】。"
    assert settings_form.problem(settings.SIGNATURE, "【市教育局】") is None
    assert settings_form.problem(settings.SIGNATURE, "") is None  # asked for when sending
    assert settings_form.problem(settings.LANGUAGE, "fr", "en") == "zh, en or empty (follow the system)"


def test_set_many_writes_all_or_nothing_and_audits_each_change(db: Database) -> None:
    s = Settings(db, actor="admin")
    with pytest.raises(ValidationError):
        s.set_many({"plan.recipient_cap": 500, "records.retention_months": 2})
    assert s.get(REGISTRY["plan.recipient_cap"]) == 10000  # nothing written
    s.set_many({"plan.recipient_cap": 500, "ui.language": "en", "send.require_consent": False})
    again = Settings(db)
    assert again.get(REGISTRY["plan.recipient_cap"]) == 500
    assert again.get(settings.LANGUAGE) == "en"
    with db.reader() as session:
        changes = [e.details for e in session.execute(select(AuditEvent)).scalars() if e.action == "settings.change"]
    assert {c["key"] for c in changes} == {"plan.recipient_cap", "ui.language", "send.require_consent"}
    assert {"key": "plan.recipient_cap", "from": 10000, "to": 500} in changes
    s.set_many({"plan.recipient_cap": 500})  # unchanged: not written or audited again
    with db.reader() as session:
        assert sum(1 for e in session.execute(select(AuditEvent)).scalars() if e.action == "settings.change") == 3
    with pytest.raises(ValidationError):
        s.set_many({"no.such.setting": 1})


def test_language_follows_the_system_unless_chosen(db: Database) -> None:
    assert Settings(db).get(settings.LANGUAGE) == ""
    Settings(db).set(settings.LANGUAGE, "en")
    assert Settings(db).get(settings.LANGUAGE) == "en"
