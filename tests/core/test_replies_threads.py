"""Replies threaded by contact: the conversation list, one thread with our messages between the replies, the
opt-out marked, and reading a thread marking its replies read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smsjingling.contacts.book import ContactBook
from smsjingling.errors import NotFoundError
from smsjingling.replies.threads import (
    ConversationKey,
    ConversationQuery,
    Conversations,
    optout_reason_text,
)
from smsjingling.storage.database import Database
from tests.core.test_replies import NOW, PHONE, add_campaign, add_channel, store

OTHER = "+8613800138000"


def test_conversations_group_replies_by_contact_then_by_number(db: Database, book: ContactBook) -> None:
    early = store(db, PHONE, "先回一句", at=NOW - timedelta(hours=3))  # before the contact was in the book
    wang = book.add("王五", PHONE)
    store(db, PHONE, "收到", at=NOW - timedelta(hours=1))
    store(db, "10086", "您的话费余额为23.50元", at=NOW - timedelta(hours=2))
    store(db, OTHER, "好的", at=NOW)
    found = Conversations(db).list()
    assert [(c.name, c.phone, c.replies, c.unread, c.last_text) for c in found] == [
        ("", OTHER, 1, 1, "好的"),
        ("王五", PHONE, 2, 2, "收到"),
        ("", "10086", 1, 1, "您的话费余额为23.50元"),
    ]
    assert found[1].key == ConversationKey(wang.id) and early.contact_id is None
    assert found[0].key == ConversationKey(None, OTHER)
    assert Conversations(db).count() == 3


def test_search_and_unread_filter(db: Database, book: ContactBook) -> None:
    book.add("王五", PHONE)
    store(db, PHONE, "收到")
    store(db, OTHER, "好的")
    inbox = Conversations(db)
    assert [c.phone for c in inbox.list(ConversationQuery(text="王"))] == [PHONE]
    assert [c.phone for c in inbox.list(ConversationQuery(text="138 0013"))] == [OTHER]
    assert [c.phone for c in inbox.list(ConversationQuery(text="1111"))] == [PHONE]
    inbox.mark_read(ConversationKey(None, OTHER))
    assert [c.phone for c in inbox.list(ConversationQuery(unread=True))] == [PHONE]
    assert inbox.count(ConversationQuery(unread=True)) == 1


def test_thread_interleaves_our_messages_and_marks_the_unsubscribe(db: Database, book: ContactBook) -> None:
    wang = book.add("王五", PHONE)
    modem = add_channel(db, "猫1")
    first = add_campaign(db, "周一例会", (PHONE, NOW - timedelta(days=2), modem), contact_id=wang.id)
    add_campaign(db, "周三培训", (PHONE, NOW - timedelta(hours=5), modem))
    add_campaign(db, "别人的", (OTHER, NOW - timedelta(hours=4), modem))
    store(db, PHONE, "收到", at=NOW - timedelta(days=1), channel_id=modem)
    td = store(db, PHONE, "TD", at=NOW, channel_id=modem)

    thread = Conversations(db).thread(ConversationKey(wang.id))
    assert (thread.name, thread.phone, thread.truncated) == ("王五", PHONE, False)
    assert [(i.incoming, i.text, i.campaign) for i in thread.items] == [
        (False, "周一例会的通知", "周一例会"),
        (True, "收到", "周一例会"),
        (False, "周三培训的通知", "周三培训"),
        (True, "TD", "周三培训"),
    ]
    assert [i.unsubscribed for i in thread.items if i.incoming] == [False, True]
    assert thread.items[0].status == "sent" and thread.items[0].channel == "猫1"
    assert thread.items[0].campaign_id == first
    assert thread.optout is not None and thread.optout.source_message_id == td.id
    assert optout_reason_text(thread.optout.reason, "zh") == "回复退订"
    assert Conversations(db).list()[0].opted_out


def test_reading_a_thread_marks_its_replies_read(db: Database, book: ContactBook) -> None:
    wang = book.add("王五", PHONE)
    store(db, PHONE, "一")
    store(db, PHONE, "二", at=NOW + timedelta(minutes=1))
    store(db, OTHER, "别人的")
    inbox = Conversations(db)
    assert len(inbox.mark_read(ConversationKey(wang.id))) == 2
    assert inbox.mark_read(ConversationKey(wang.id)) == []
    assert [(c.phone, c.unread) for c in inbox.list()] == [(PHONE, 0), (OTHER, 1)]
    assert all(i.read for i in inbox.thread(ConversationKey(wang.id)).items)
    assert inbox.mark_all_read() == 1 and inbox.count(ConversationQuery(unread=True)) == 0


def test_thread_shows_the_most_recent_messages_only(db: Database) -> None:
    for n in range(5):
        store(db, OTHER, f"第{n}条", at=NOW + timedelta(minutes=n))
    thread = Conversations(db).thread(ConversationKey(None, OTHER), limit=3)
    assert thread.truncated and [i.text for i in thread.items] == ["第2条", "第3条", "第4条"]
    assert thread.optout is None and thread.name == ""


def test_a_deleted_contact_is_said_in_words(db: Database) -> None:
    with pytest.raises(NotFoundError) as caught:
        Conversations(db).thread(ConversationKey(99))
    assert "99" in caught.value.message("zh")
