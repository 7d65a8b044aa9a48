"""A whole category of banned words switched off and on, and the per-category summary a settings page shows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from smsjingling.errors import NotFoundError
from smsjingling.keywords import Category, KeywordStore
from smsjingling.keywords.store import default_lists
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent


def test_summary_lists_categories_in_order_with_counts(db: Database) -> None:
    store = KeywordStore(db, actor="admin")
    store.add("某某代理", "广告")  # an alias of ours: fraud
    store.add("自定义词", "本单位")  # a category of the user's own
    summary = store.summary()
    ours = [c.value for c in Category if c.value in default_lists()]
    assert [x.category for x in summary] == [*ours, "本单位"]
    fraud = next(x for x in summary if x.category == "fraud")
    assert fraud.words == fraud.enabled == len(default_lists()["fraud"]) + 1
    assert fraud.label == "诈骗与违法广告"
    assert summary[-1].label == "本单位"


def test_a_category_is_disabled_and_enabled_as_a_whole(db: Database) -> None:
    store = KeywordStore(db, actor="admin")
    assert store.matcher().check("六合彩开奖")
    words = len(default_lists()["obscene_violent"])
    store.disable("六合彩")  # one word already off: only the others change
    assert store.set_category_enabled("赌博", False) == words - 1
    assert store.matcher().check("六合彩开奖") == []
    gambling = next(x for x in store.summary() if x.category == "obscene_violent")
    assert (gambling.words, gambling.enabled) == (words, 0)
    assert store.matcher().check("法轮功")  # other categories still match
    assert store.set_category_enabled("obscene_violent", True) == words
    assert store.matcher().check("六合彩开奖")
    with db.reader() as s:
        actions = [
            (e.action, e.details, e.actor)
            for e in s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
            if e.action.endswith("_category")
        ]
    assert actions == [
        ("keywords.disable_category", {"category": "obscene_violent", "words": words - 1}, "admin"),
        ("keywords.enable_category", {"category": "obscene_violent", "words": words}, "admin"),
    ]


def test_an_unknown_category_is_refused(db: Database) -> None:
    with pytest.raises(NotFoundError) as err:
        KeywordStore(db).set_category_enabled("没有这个", False)
    assert "没有这个" in err.value.message("zh")
