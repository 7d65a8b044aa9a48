"""End to end: a simulated modem receives replies, a ReplyHandler wired to `on_message` stores them."""

from __future__ import annotations

import time
from collections.abc import Callable

import modem.sim
from modem.codec import count_segments
from modem.device import Modem, ModemOptions
from modem.sim import SimModem
from smsjingling.contacts.book import ContactBook
from smsjingling.replies import Inbox, ReplyHandler
from smsjingling.storage.database import Database
from tests.core.test_replies import PHONE, add_channel


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def test_td_and_multipart_replies_through_a_simulated_modem(db: Database, book: ContactBook) -> None:
    book.add("王五", PHONE)
    channel = add_channel(db, "猫1")
    inbox = Inbox(db)
    options = ModemOptions(multipart_timeout=0.3)
    try:
        with Modem.open("sim://replies-e2e?latency=0", options=options) as gsm:
            sim = modem.sim.get("replies-e2e")
            assert sim is not None
            gsm.on_message(ReplyHandler(db, actor="dispatcher").for_channel(channel))
            sim.inject_sms("+8613911112222", "ＴＤ")
            assert wait_for(lambda: book.is_opted_out([PHONE]) == {PHONE})

            long_text = "王经理：明天的会议我会准时参加，材料已经准备好了，请放心。" * 5
            assert count_segments(long_text).segments == 3
            sim.inject_sms("13800138000", long_text, order=[3, 1, 2])
            sim.inject_sms("10086", "B" * 300 + "C" * 150, drop=[2])  # part 2 never comes
            assert wait_for(lambda: inbox.count() == 3)
            assert wait_for(lambda: sim.storage("SM").used == 0)  # stored, so deleted from the SIM
    finally:
        if (registered := modem.sim.get("replies-e2e")) is not None:
            registered.remove()

    by_sender = {item.sender: item for item in inbox.items()}
    td = by_sender[PHONE]
    assert (td.text, td.contact_name, td.channel_id, td.opted_out) == ("ＴＤ", "王五", channel, True)
    assert [(o.phone, o.reason, o.note) for o in book.optouts()] == [(PHONE, "td_reply", "ＴＤ")]
    whole = by_sender["+8613800138000"]
    assert whole.text == long_text and whole.complete and not whole.opted_out
    partial = by_sender["10086"]
    assert not partial.complete and partial.text == "B" * 153 + "C" * 144


def test_messages_delivered_again_after_a_restart_are_stored_once(db: Database, book: ContactBook) -> None:
    channel = add_channel(db, "猫2")
    handler = ReplyHandler(db)
    inbox = Inbox(db)
    # The messages stay on the SIM, as when the program stopped before deleting them.
    options = ModemOptions(delete_after_read=False)
    sim = SimModem(name="replies-restart", latency=0)
    try:
        with Modem.open(sim.url, options=options) as gsm:
            gsm.on_message(handler.for_channel(channel))
            sim.inject_sms("+8613911112222", "退订")
            sim.inject_sms("+8613911113333", "收到")
            assert wait_for(lambda: inbox.count() == 2)
        with Modem.open(sim.url, options=options) as gsm:  # the next start
            gsm.on_message(handler.for_channel(channel))
            assert gsm.collect_stored() == 2  # delivered to the handler again, on this thread
        assert sim.storage("SM").used == 2
    finally:
        sim.remove()
    assert inbox.count() == 2
    assert [(o.phone, o.reason) for o in book.optouts()] == [(PHONE, "td_reply")]
