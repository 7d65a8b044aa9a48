"""收件箱 over real replies: messages sent through the core to a simulated modem, replies injected into the
modem (one of them TD), conversations and threads, the opt-out marked, answering, and live updates."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from smsjingling.contacts.book import ContactBook
from smsjingling.replies.threads import ConversationKey, Conversations
from smsjingling.storage.sending import InboundMessage, MessageStatus
from smsjingling.storage.types import utcnow
from tests.ui.records_helpers import Office
from tests.ui.records_helpers import office as office
from ui.inbox_model import RECORD_ROLE, ConversationsModel, ThreadModel
from ui.pages.inbox import InboxPage

WANG = "13800130010"
LI = "13800130011"


def settle(qtbot, page: InboxPage) -> None:
    qtbot.waitUntil(lambda: not page.model.loading and not page.worker.busy, timeout=15_000)


def stored_replies(office: Office) -> int:
    with office.db.reader() as s:
        return s.execute(select(func.count()).select_from(InboundMessage)).scalar_one()


def reply(qtbot, office: Office, sender: str, text: str) -> None:
    """A reply arrives at the modem; the service stores it (and publishes it) like any other."""
    before = stored_replies(office)
    # The network stamps whole seconds: start a new second, so the stamp is after what was sent before.
    qtbot.wait(1_020 - utcnow().microsecond // 1_000)
    office.sim.inject_sms(sender, text, timestamp=utcnow())
    qtbot.waitUntil(lambda: stored_replies(office) == before + 1, timeout=20_000)


@pytest.fixture
def talked(qtbot, office: Office) -> Office:
    """王五 (in the book) and 李四 (not) were sent a notice; 王五 answered, 李四 sent TD, and 10086 wrote."""
    ContactBook(office.db).add("王五", WANG)
    # The modem refuses its 2nd and 4th send: an unrelated first send takes those, so the notice arrives.
    first = office.send(*(f"1390013900{n}" for n in range(4)), text="预热")
    qtbot.waitUntil(lambda: office.settled(first), timeout=20_000)
    cid = office.send(WANG, "13900139009", LI, text="周五下午开会")
    qtbot.waitUntil(lambda: office.settled(cid), timeout=20_000)
    reply(qtbot, office, "+86" + WANG, "收到，准时参加")
    reply(qtbot, office, "+86" + LI, "TD")
    reply(qtbot, office, "10086", "您的话费余额为23.50元")
    return office


@pytest.fixture
def page(qtbot, talked: Office) -> InboxPage:
    inbox = talked.window.show_page("inbox")
    assert isinstance(inbox, InboxPage)
    settle(qtbot, inbox)
    return inbox


def open_row(qtbot, page: InboxPage, title: str) -> None:
    row = page.conversation_titles().index(title)
    page.list.setCurrentIndex(page.model.index(row))
    qtbot.waitUntil(lambda: page.thread_model.thread is not None and not page.worker.busy, timeout=10_000)


def bubbles(page: InboxPage) -> list[tuple[bool, str]]:
    model = page.thread_model
    return [(model.item(r).incoming, model.item(r).text) for r in range(model.rowCount())]


def test_conversations_are_threaded_by_contact_latest_first(page: InboxPage) -> None:
    assert page.conversation_titles() == ["10086", LI, "王五"]
    rows = [page.model.conversation(r) for r in range(page.model.rowCount())]
    assert [(c.replies, c.unread) for c in rows] == [(1, 1), (1, 1), (1, 1)]
    assert [c.opted_out for c in rows] == [False, True, False]
    assert page.model.data(page.model.index(2)) == f"王五 +86{WANG}: 收到，准时参加"
    assert page.count_label.text() == "共 3 个会话"
    assert page.title.text() == "请在左侧选择一个会话" and not page.reply_box.isEnabled()


def test_a_thread_shows_our_message_then_the_reply_and_is_marked_read(qtbot, page: InboxPage, talked) -> None:
    open_row(qtbot, page, "王五")
    assert bubbles(page) == [(False, "【测试单位】周五下午开会"), (True, "收到，准时参加")]
    sent = page.thread_model.item(0)
    assert sent.status == MessageStatus.DELIVERED and sent.channel == "猫1" and sent.campaign == "周五下午开会"
    assert page.thread_model.item(1).campaign == "周五下午开会"  # the reply is matched to the send
    assert page.title.text() == f"王五　{WANG}" and page.optout_label.text() == "未退订"
    qtbot.waitUntil(lambda: page.model.conversation(2).unread == 0, timeout=10_000)
    assert Conversations(talked.db).list()[2].unread == 0  # in the database too


def test_the_unsubscribe_is_marked_and_answering_is_refused(qtbot, page: InboxPage) -> None:
    open_row(qtbot, page, LI)
    td = page.thread_model.item(page.thread_model.rowCount() - 1)
    assert td.incoming and td.text == "TD" and td.unsubscribed
    assert "已退订：回复退订" in page.optout_label.text() and "“TD”" in page.optout_label.text()
    assert not page.reply_box.isEnabled() and "已退订" in page.reply_hint.text()
    index = page.thread_model.index(page.thread_model.rowCount() - 1)
    assert index.data(RECORD_ROLE).unsubscribed


def test_a_service_number_cannot_be_answered(qtbot, page: InboxPage) -> None:
    open_row(qtbot, page, "10086")
    assert bubbles(page) == [(True, "您的话费余额为23.50元")]
    assert not page.reply_box.isEnabled() and "服务号码" in page.reply_hint.text()


def test_answering_sends_a_one_recipient_message_through_the_core(qtbot, page: InboxPage, talked) -> None:
    open_row(qtbot, page, "王五")
    assert not page.send_button.isEnabled()
    # Chinese arrives from the input method as committed text (QTest cannot type it key by key).
    page.reply_box.setFocus()
    page.reply_box.insertPlainText("好的，会议室在三楼")
    assert page.send_button.isEnabled()
    qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(bubbles(page)) == 3, timeout=20_000)
    assert bubbles(page)[-1] == (False, "【测试单位】好的，会议室在三楼")
    assert page.reply_box.toPlainText() == ""
    # The answer's status follows the core's events until it is delivered.
    qtbot.waitUntil(lambda: page.thread_model.item(2).status == MessageStatus.DELIVERED, timeout=20_000)
    assert page.thread_model.item(2).campaign == "回复 王五"
    assert talked.sim.sent_texts()[-1] == "【测试单位】好的，会议室在三楼"


def test_a_new_reply_moves_its_conversation_up_and_shows_in_the_open_thread(qtbot, page: InboxPage, talked) -> None:
    open_row(qtbot, page, "王五")
    reply(qtbot, talked, "+86" + WANG, "我可能晚到十分钟")
    qtbot.waitUntil(lambda: page.conversation_titles()[0] == "王五", timeout=20_000)
    qtbot.waitUntil(lambda: bubbles(page)[-1] == (True, "我可能晚到十分钟"), timeout=20_000)
    assert page.list.currentIndex().row() == 0  # still the open conversation, now on top


def test_search_unread_filter_and_mark_all_read(qtbot, page: InboxPage) -> None:
    qtbot.keyClicks(page.search_box, "0011")
    qtbot.waitUntil(lambda: page.model.query.text == "0011", timeout=5_000)
    settle(qtbot, page)
    assert page.conversation_titles() == [LI] and page.count_label.text() == "找到 1 个会话"
    page.search_box.setText("王")  # as the input method commits it
    qtbot.waitUntil(lambda: page.model.query.text == "王", timeout=5_000)
    settle(qtbot, page)
    assert page.conversation_titles() == ["王五"]
    page.search_box.clear()
    page.apply_filter()
    settle(qtbot, page)
    open_row(qtbot, page, "10086")
    qtbot.waitUntil(lambda: page.model.conversation(0).unread == 0, timeout=10_000)
    page.unread_only.setChecked(True)
    settle(qtbot, page)
    assert page.conversation_titles() == [LI, "王五"]
    page.all_read_action.trigger()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=10_000)
    assert page.count_label.text() == "找到 0 个会话"


def test_the_models_pass_qt_model_tester(qtmodeltester, qtbot, talked) -> None:
    worker = talked.window.ctx.worker
    conversations = ConversationsModel(Conversations(talked.db), worker)
    conversations.reset()
    qtbot.waitUntil(lambda: not conversations.loading and conversations.rowCount() == 3, timeout=10_000)
    qtmodeltester.check(conversations)
    thread = ThreadModel()
    thread.set_thread(Conversations(talked.db).thread(ConversationKey(None, "+86" + LI)))
    assert thread.rowCount() == 2
    qtmodeltester.check(thread)
