"""The lists in the database: defaults, edits, the audit trail of each, and the shared matcher."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from smsjingling.errors import NotFoundError, ValidationError
from smsjingling.keywords import Category, KeywordStore
from smsjingling.keywords.store import DEFAULTS_EVENT, default_lists
from smsjingling.storage.database import Database, open_database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Keyword


@pytest.fixture
def store(db: Database) -> KeywordStore:
    return KeywordStore(db, actor="admin")


def events(db: Database, action: str) -> list[AuditEvent]:
    with db.reader() as s:
        return list(s.execute(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).scalars())


def test_defaults_are_loaded_once_with_an_audit_event(db: Database, store: KeywordStore) -> None:
    lists = default_lists()
    assert set(lists) == {c.value for c in Category} - {Category.VENDOR.value}
    assert all(15 <= len(words) <= 60 for words in lists.values())
    records = store.list()
    assert len(records) == sum(len(w) for w in lists.values())
    assert {r.source for r in records} == {"default"} and all(r.enabled for r in records)
    assert {r.word for r in store.list("赌博")} >= {"六合彩", "百家乐"}  # by alias
    (event,) = events(db, DEFAULTS_EVENT)
    assert event.actor == "admin" and event.details["added"] == len(records)
    assert event.details["by_category"]["cult"] == len(lists["cult"])


def test_words_an_admin_removed_stay_removed(tmp_path, db: Database, store: KeywordStore) -> None:
    assert store.remove("六合彩") == 1
    # A later start (a new store on the database opened again) does not load the defaults again.
    reopened = open_database(db.where)
    try:
        again = KeywordStore(reopened, actor="someone")
        assert again.ensure_defaults() == 0
        assert "六合彩" not in {r.word for r in again.list()}
    finally:
        reopened.close()
    assert len(events(db, DEFAULTS_EVENT)) == 1


def test_add_remove_enable_disable_are_audited(db: Database, store: KeywordStore) -> None:
    record = store.add("  大  发 ", "gambling")
    assert record.word == "大 发" and record.category == "obscene_violent" and record.source == "manual"
    assert store.matcher().check("大發娱乐")[0].word == "大 发"

    assert store.disable("大發") == 1
    assert store.matcher().check("大發娱乐") == []
    assert [r.enabled for r in store.list("obscene_violent") if r.word == "大 发"] == [False]
    assert store.enable("大发", "obscene_violent") == 1
    assert store.matcher().check("大發娱乐") != []
    assert store.remove("大 發") == 1
    assert store.matcher().check("大發娱乐") == []

    assert [e.details for e in events(db, "keywords.add")] == [
        {"word": "大 发", "category": "obscene_violent", "source": "manual"}
    ]
    for action in ("keywords.disable", "keywords.enable", "keywords.remove"):
        (event,) = events(db, action)
        assert event.actor == "admin" and event.details["words"] == [["大 发", "obscene_violent"]]


def test_a_word_in_any_written_form_is_one_word_per_category(store: KeywordStore) -> None:
    store.add("新词", "fraud")
    with pytest.raises(ValidationError) as error:
        store.add("新 詞", "诈骗")
    assert error.value.key == "keywords.duplicate" and "新词" in str(error.value)
    store.add("新詞", "vendor")  # another category: fine
    assert store.remove("新词") == 2  # from every category


def test_bad_words_and_unknown_ones(store: KeywordStore) -> None:
    with pytest.raises(ValidationError) as error:
        store.add("* * *", "fraud")
    assert error.value.key == "keywords.empty_word"
    with pytest.raises(ValidationError) as error:
        store.add("长" * 101, "fraud")
    assert error.value.key == "keywords.word_too_long"
    with pytest.raises(ValidationError) as error:
        store.add("词", "")
    assert error.value.key == "keywords.bad_category"
    with pytest.raises(NotFoundError) as error:
        store.remove("不存在的词")
    assert error.value.key == "keywords.not_found"
    with pytest.raises(NotFoundError) as error:
        store.disable("六合彩", "cult")
    assert error.value.key == "keywords.not_found_in" and "邪教" in str(error.value)


def test_a_vendor_category_of_its_own_is_kept_as_named(store: KeywordStore) -> None:
    store.add("某某词", "通道敏感词")
    assert [r.category for r in store.list("通道敏感词")] == ["通道敏感词"]
    assert store.counts()["通道敏感词"] == 1


def test_the_matcher_is_shared_and_rebuilt_only_when_the_list_changed(db: Database, store: KeywordStore) -> None:
    first = store.matcher()
    assert KeywordStore(db).matcher() is first  # another store, same database: the same automaton
    assert first.check("买六合彩")

    store.add("新词甲", "fraud")
    second = store.matcher()
    assert second is not first and second.check("新词甲") and not first.check("新词甲")
    assert store.matcher() is second

    # A change made by another program (here: straight into the table) is seen too.
    with db.session() as s:
        s.add(Keyword(word="外来词", category="vendor", source="other"))
    third = KeywordStore(db).matcher()
    assert third is not second and third.check("外来词")


def test_matcher_holds_only_enabled_words(db: Database, store: KeywordStore) -> None:
    store.disable("六合彩")
    assert store.matcher().check("买六合彩") == []
    with db.reader() as s:
        enabled = s.execute(select(func.count()).select_from(Keyword).where(Keyword.enabled)).scalar()
    assert len(store.matcher()) == enabled


def test_matcher_only_reads_and_matches_the_defaults_before_they_are_loaded(db: Database) -> None:
    # Inside another writer's transaction (a campaign being queued): a write here would wait for that one.
    with db.session() as s:
        s.add(Keyword(word="外来词", category="vendor", source="other"))
        s.flush()
        matcher = KeywordStore(db).matcher()
    assert {h.word for h in matcher.check("外来词，六合彩")} == {"六合彩"}  # the other transaction's word: not yet
    assert events(db, DEFAULTS_EVENT) == []
    assert {h.word for h in KeywordStore(db).matcher().check("外来词，六合彩")} == {"外来词", "六合彩"}
    store = KeywordStore(db, actor="admin")
    assert store.ensure_defaults() > 0
    assert store.matcher().check("外来词，六合彩") and len(events(db, DEFAULTS_EVENT)) == 1
