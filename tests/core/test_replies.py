"""Replies on a real SQLite file: storing once, matching contact and campaign, opt-outs, the inbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from modem.device import InboundSms
from smsjingling import audit
from smsjingling.contacts.book import ContactBook
from smsjingling.errors import NotFoundError
from smsjingling.replies import (
    CAMPAIGN_WINDOW_DAYS,
    Inbox,
    ReplyHandler,
    find_inbound,
    normalize_sender,
    store_inbound,
)
from smsjingling.settings import Settings
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent, OptOut
from smsjingling.storage.sending import Campaign, Channel, InboundMessage, Message, MessageStatus

NOW = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
PHONE = "+8613911112222"


def add_channel(db: Database, name: str) -> int:
    with db.session() as s:
        channel = Channel(kind="modem", name=name, config={"url": f"sim://{name}"})
        s.add(channel)
        s.flush()
        return channel.id


def add_campaign(db: Database, name: str, *sent: tuple[str, datetime | None, int | None], contact_id=None) -> int:
    """A campaign with one message per (phone, sent_at, channel_id)."""
    with db.session() as s:
        campaign = Campaign(name=name, template=f"{name}的通知")
        s.add(campaign)
        s.flush()
        for phone, sent_at, channel_id in sent:
            s.add(
                Message(
                    campaign_id=campaign.id,
                    contact_id=contact_id,
                    phone=phone,
                    text=campaign.template,
                    status=MessageStatus.SENT.value if sent_at else MessageStatus.QUEUED.value,
                    channel_id=channel_id,
                    sent_at=sent_at,
                )
            )
        return campaign.id


def store(db: Database, sender: str, text: str, at: datetime = NOW, channel_id: int | None = None, **kw):
    with db.session() as s:
        row = store_inbound(s, channel_id=channel_id, sender=sender, text=text, received_at=at, complete=True, **kw)
        return row


def count(db: Database, what) -> int:
    with db.reader() as s:
        return s.execute(select(func.count()).select_from(what)).scalar_one()


def optout_events(db: Database) -> list[AuditEvent]:
    with db.reader() as s:
        return list(s.execute(select(AuditEvent).where(AuditEvent.action == "optout.add")).scalars())


# -- senders ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored", "is_phone"),
    [
        ("13911112222", PHONE, True),
        ("8613911112222", PHONE, True),
        ("+86 139 1111 2222", PHONE, True),
        ("01088886666", "+861088886666", True),
        ("+14155550123", "+14155550123", True),
        ("10086", "10086", False),  # a service number keeps its own text
        ("1065502110086", "1065502110086", False),  # an SP long code
        ("CMCC", "CMCC", False),  # an alphanumeric sender
        (" 95588 ", "95588", False),
    ],
)
def test_sender_is_normalised_only_when_it_is_a_phone_number(raw: str, stored: str, is_phone: bool) -> None:
    sender = normalize_sender(raw)
    assert (sender.text, sender.is_phone) == (stored, is_phone)


def test_service_number_is_stored_as_received(db: Database) -> None:
    row = store(db, "10086", "您的话费余额为23.50元")
    assert row.sender == "10086" and row.contact_id is None and row.campaign_id is None


# -- matching ---------------------------------------------------------------------------------------


def test_reply_is_matched_to_the_contact_by_number(db: Database, book: ContactBook) -> None:
    contact = book.add("王五", PHONE)
    row = store(db, "13911112222", "收到，谢谢")
    assert row.sender == PHONE and row.contact_id == contact.id
    assert store(db, "13900000000", "收到").contact_id is None


def test_campaign_is_the_latest_message_sent_to_the_number_preferring_the_same_channel(db: Database) -> None:
    modem1, modem2, modem3 = (add_channel(db, n) for n in ("猫1", "猫2", "猫3"))
    older = add_campaign(db, "周一例会", (PHONE, NOW - timedelta(days=3), modem1))
    newer = add_campaign(db, "周三培训", (PHONE, NOW - timedelta(days=1), modem2))
    add_campaign(db, "别人的", ("+8613900000000", NOW - timedelta(hours=1), modem1))
    add_campaign(db, "还没发", (PHONE, None, modem1))  # queued: never reached the phone
    add_campaign(db, "回复之后才发", (PHONE, NOW + timedelta(minutes=5), modem1))

    assert store(db, PHONE, "好", channel_id=modem1).campaign_id == older  # the SIM that wrote to them
    assert store(db, PHONE, "好", channel_id=modem2).campaign_id == newer
    assert store(db, PHONE, "好", channel_id=modem3).campaign_id == newer  # no message from it: the latest
    assert store(db, PHONE, "好").campaign_id == newer  # a gateway reply without a channel


def test_messages_older_than_the_window_answer_nothing(db: Database) -> None:
    campaign = add_campaign(db, "上周的", (PHONE, NOW - timedelta(days=8), None))
    assert store(db, PHONE, "好", at=NOW).campaign_id is None
    Settings(db).set(CAMPAIGN_WINDOW_DAYS, 10)
    assert store(db, PHONE, "好的", at=NOW).campaign_id == campaign
    with db.session() as s:  # an explicit window wins over the setting
        row = store_inbound(
            s, channel_id=None, sender=PHONE, text="行", received_at=NOW, complete=True, window=timedelta(days=1)
        )
        assert row.campaign_id is None


def test_contact_whose_number_changed_keeps_the_reply_to_the_old_number(db: Database, book: ContactBook) -> None:
    contact = book.add("赵六", PHONE)
    campaign = add_campaign(db, "通知", (PHONE, NOW - timedelta(hours=2), None), contact_id=contact.id)
    book.update(contact.id, phone="13800138000")
    row = store(db, PHONE, "收到")
    assert (row.contact_id, row.campaign_id) == (contact.id, campaign)


# -- storing once -----------------------------------------------------------------------------------


def test_storing_the_same_message_twice_changes_nothing(db: Database) -> None:
    channel = add_channel(db, "猫1")
    first = store(db, "13911112222", "TD", channel_id=channel)
    again = store(db, "+8613911112222", "TD", channel_id=channel)  # re-delivered after a restart
    assert again.id == first.id
    assert count(db, InboundMessage) == 1 and count(db, OptOut) == 1 and len(optout_events(db)) == 1
    with db.reader() as s:
        found = find_inbound(s, channel_id=channel, sender="8613911112222", text="TD", received_at=NOW)
        assert found is not None and found.id == first.id
        assert find_inbound(s, channel_id=None, sender=PHONE, text="TD", received_at=NOW) is None

    # A different time, channel or text is another message (the number stays listed once).
    store(db, PHONE, "TD", at=NOW + timedelta(seconds=1), channel_id=channel)
    store(db, PHONE, "TD", channel_id=None)
    store(db, PHONE, "td", channel_id=channel)
    assert count(db, InboundMessage) == 4 and count(db, OptOut) == 1 and len(optout_events(db)) == 1


def test_incomplete_multipart_message_is_flagged(db: Database) -> None:
    with db.session() as s:
        row = store_inbound(s, channel_id=None, sender=PHONE, text="前两段……", received_at=NOW, complete=False)
        inbound_id = row.id
    item = Inbox(db).get(inbound_id)
    assert not item.complete and item.text == "前两段……"


def test_naive_time_is_refused(db: Database) -> None:
    with pytest.raises(ValueError), db.session() as s:
        store_inbound(s, channel_id=None, sender=PHONE, text="好", received_at=datetime(2025, 3, 3), complete=True)


# -- opt-outs ---------------------------------------------------------------------------------------


def test_td_reply_puts_the_sender_on_the_opt_out_list_with_an_audit_event(db: Database, book: ContactBook) -> None:
    book.add("王五", PHONE)
    row = store(db, "139 1111 2222", " ＴＤ。", actor="dispatcher")
    assert row.opted_out
    with db.reader() as s:
        optout = s.execute(select(OptOut).where(OptOut.phone == PHONE)).scalar_one()
        assert (optout.reason, optout.note, optout.source_message_id) == ("td_reply", " ＴＤ。", row.id)
        assert audit.verify_chain(s) == []
    [event] = optout_events(db)
    assert event.actor == "dispatcher"
    assert event.details == {"phone": PHONE, "reason": "td_reply", "note": " ＴＤ。", "source_message_id": row.id}
    assert book.find_phone(PHONE).opted_out  # type: ignore[union-attr]
    assert [(o.phone, o.reason, o.contact_name) for o in book.optouts()] == [(PHONE, "td_reply", "王五")]


@pytest.mark.parametrize("text", ["R", "td", "T", "n", "退订", "拒收", "取消", "退訂", "【退订】", "退订，谢谢"])
def test_each_default_word_opts_out(db: Database, text: str) -> None:
    assert store(db, PHONE, text).opted_out
    assert count(db, OptOut) == 1


@pytest.mark.parametrize("text", ["我不想退订了，谢谢", "怎么退订？", "TD是什么意思", "取消，我明天不去了", "收到"])
def test_ordinary_replies_do_not_opt_out(db: Database, text: str) -> None:
    assert not store(db, PHONE, text).opted_out
    assert count(db, OptOut) == 0 and optout_events(db) == []


def test_already_opted_out_number_is_not_listed_twice(db: Database, book: ContactBook) -> None:
    book.add_optout(PHONE, "manual", note="本人电话要求")
    row = store(db, PHONE, "退订")
    assert row.opted_out  # the request was honoured: the number is on the list
    [entry] = book.optouts()
    assert (entry.reason, entry.note) == ("manual", "本人电话要求")  # the first entry is kept as it was
    assert len(optout_events(db)) == 1  # only the manual one


def test_other_reply_from_an_opted_out_number_does_not_opt_them_back_in(db: Database, book: ContactBook) -> None:
    store(db, PHONE, "TD")
    later = store(db, PHONE, "我又想收到通知了", at=NOW + timedelta(hours=1))
    assert not later.opted_out
    assert book.is_opted_out([PHONE]) == {PHONE}
    assert Inbox(db).get(later.id).on_optout_list


def test_service_number_sending_td_is_not_listed(db: Database) -> None:
    row = store(db, "10086", "TD")
    assert not row.opted_out and count(db, OptOut) == 0


def test_configured_words_replace_the_defaults(db: Database) -> None:
    from smsjingling.replies import UNSUBSCRIBE_LEADING_WORDS, UNSUBSCRIBE_WORDS

    settings = Settings(db)
    settings.set(UNSUBSCRIBE_WORDS, ["停止", "STOP"])
    settings.set(UNSUBSCRIBE_LEADING_WORDS, [])
    assert not store(db, PHONE, "TD").opted_out
    assert not store(db, PHONE, "退订，谢谢").opted_out
    assert store(db, PHONE, "ｓｔｏｐ！").opted_out


# -- the inbox --------------------------------------------------------------------------------------


def test_inbox_lists_newest_first_with_names_filters_pages_and_read_flags(db: Database, book: ContactBook) -> None:
    wang = book.add("王五", PHONE)
    campaign = add_campaign(db, "周一例会", (PHONE, NOW - timedelta(hours=3), None))
    ids = [store(db, PHONE, f"回复{i}", at=NOW + timedelta(minutes=i)).id for i in range(3)]
    stranger = store(db, "13800138000", "TD", at=NOW + timedelta(minutes=10)).id
    book.add("后来加的", "13800138000")  # added after the reply: the inbox still names them

    inbox = Inbox(db)
    items = inbox.items()
    assert [i.id for i in items] == [stranger, *reversed(ids)]
    first = items[0]
    assert (first.sender, first.contact_name, first.campaign_name, first.opted_out) == (
        "+8613800138000",
        "后来加的",
        "",
        True,
    )
    reply = items[1]
    assert (reply.contact_id, reply.contact_name, reply.campaign_id, reply.campaign_name) == (
        wang.id,
        "王五",
        campaign,
        "周一例会",
    )
    assert reply.text == "回复2" and reply.received_at == NOW + timedelta(minutes=2) and not reply.read
    assert not reply.opted_out and not reply.on_optout_list and reply.complete

    assert [i.id for i in inbox.items(limit=2, offset=1)] == [ids[2], ids[1]]
    assert [i.id for i in inbox.items(campaign_id=campaign)] == list(reversed(ids))
    assert inbox.count(campaign_id=campaign) == 3 and inbox.count() == 4 and inbox.count_unread() == 4

    assert inbox.mark_read([ids[0], stranger]) == 2
    assert inbox.mark_read([ids[0]]) == 0  # already read
    assert inbox.count_unread() == 2
    assert [i.id for i in inbox.items(unread=True)] == [ids[2], ids[1]]
    assert inbox.count(unread=True, campaign_id=campaign) == 2
    assert inbox.get(stranger).read
    assert inbox.mark_read([stranger], read=False) == 1 and not inbox.get(stranger).read

    with pytest.raises(NotFoundError) as err:
        inbox.mark_read([ids[1], 999])
    assert "999" in err.value.message("zh")
    assert not inbox.get(ids[1]).read  # nothing changed
    with pytest.raises(NotFoundError):
        inbox.get(999)


# -- the handler ------------------------------------------------------------------------------------


def test_handler_stores_once_and_returns_what_it_stored(db: Database, book: ContactBook) -> None:
    channel = add_channel(db, "猫1")
    book.add("王五", PHONE)
    handler = ReplyHandler(db, actor="dispatcher")
    sms = InboundSms(sender="+8613911112222", text="退订", timestamp=NOW)
    item = handler.handle(sms, channel)
    assert item is not None
    assert (item.sender, item.contact_name, item.channel_id, item.opted_out, item.complete) == (
        PHONE,
        "王五",
        channel,
        True,
        True,
    )
    assert handler.handle(sms, channel) is None  # re-delivered: nothing new to publish
    long = InboundSms("13911112222", "第一段第三段", NOW + timedelta(minutes=1), complete=False, parts_total=3,
                      parts_received=2, missing_parts=(2,))  # fmt: skip
    handler.for_channel(channel)(long)
    assert [(i.text, i.complete) for i in Inbox(db).items()] == [("第一段第三段", False), ("退订", True)]
    assert [e.actor for e in optout_events(db)] == ["dispatcher"]


def test_one_handler_serves_several_modem_threads_at_once(db: Database) -> None:
    import threading

    channels = [add_channel(db, f"猫{n}") for n in range(4)]
    handler = ReplyHandler(db)
    errors: list[BaseException] = []

    def modem_thread(channel: int) -> None:
        try:
            callback = handler.for_channel(channel)
            for i in range(25):
                callback(InboundSms(f"1391111{i:04d}", "TD" if i % 5 == 0 else "收到", NOW + timedelta(seconds=i)))
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=modem_thread, args=(c,)) for c in channels]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(db, InboundMessage) == 100
    assert count(db, OptOut) == 5 and len(optout_events(db)) == 5  # each number listed once, by one thread
    with db.reader() as s:
        assert audit.verify_chain(s) == []
