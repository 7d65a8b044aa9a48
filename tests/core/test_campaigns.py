"""Campaigns: expansion of recipients with every skip reason, the caps, and pause/resume/cancel/resend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from modem.sim.port import SimModem
from smsjingling.compose import SIGNATURE_POSITION  # noqa: F401 - declares the compose settings
from smsjingling.contacts.book import ContactBook
from smsjingling.errors import ValidationError
from smsjingling.sending import record
from smsjingling.sending.campaigns import CampaignRequest, Campaigns, KeywordBlocked
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.expand import Recipients
from smsjingling.sending.rules import DAILY_MAX, RECIPIENT_CAP
from smsjingling.settings import REQUIRE_CONSENT, SIGNATURE, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Campaign, Message, MessageStatus
from smsjingling.storage.types import utcnow
from tests.core.sending_helpers import modem_worker, wait_until


@pytest.fixture
def office(book: ContactBook, db: Database) -> Campaigns:
    Settings(db).set(SIGNATURE, "测试单位")
    book.add("张三", "13800138001", fields={"部门": "销售部"}, groups=["销售部"], consent_at=utcnow())
    book.add("李四", "13800138002", fields={}, groups=["销售部"])
    book.add("王五", "01088886666", groups=["销售部"])  # a landline
    book.add("赵六", "13800138004", groups=["销售部", "全体"])
    book.add_optout("+8613800138004", "manual")
    return Campaigns(db, actor="tester")


def messages_of(db: Database, campaign_id: int) -> dict[str, Message]:
    with db.reader() as s:
        return {m.phone: m for m in s.execute(select(Message).where(Message.campaign_id == campaign_id)).scalars()}


def test_expansion_renders_skips_with_reasons_and_counts(office: Campaigns, db: Database) -> None:
    cid = office.create(
        CampaignRequest(
            "{姓名}您好，{部门}明早开会。",
            Recipients(groups=("销售部",), numbers=("13800138001", "13900139000", "号码待定", "12345", "13800138002")),
        )
    )
    got = messages_of(db, cid)
    assert got["+8613800138001"].text == "【测试单位】张三您好，销售部明早开会。"
    assert got["+8613800138001"].status == "queued" and got["+8613800138001"].segments == 1
    assert got["+8613800138002"].status == "skipped" and got["+8613800138002"].reason == "compose.missing_field"
    assert got["+861088886666"].reason == "send.not_mobile"
    assert got["+8613800138004"].reason == "send.opted_out"
    assert got["号码待定"].reason == "send.invalid_number"
    assert got["+8612345"].reason == "send.not_mobile"
    assert got["+8613900139000"].status == "skipped"  # a pasted number has no 部门 either
    assert len(got) == 7  # 13800138001 pasted again is not a second message
    with db.reader() as s:
        assert record.counts(s, cid) == record.recount(s, cid)
        assert record.counts(s, cid)[MessageStatus.QUEUED] == 1
        c = s.get(Campaign, cid)
        assert c.status == "running" and c.segments == 1 and c.price_fen > 0


def test_default_value_and_consent_setting(office: Campaigns, db: Database) -> None:
    Settings(db).set(REQUIRE_CONSENT, True)
    cid = office.create(CampaignRequest("{姓名}，{部门|各位同事}好", Recipients(groups=("销售部",))))
    got = messages_of(db, cid)
    assert got["+8613800138001"].status == "queued"
    assert got["+8613800138002"].reason == "send.no_consent"


def test_caps_refuse_before_anything_is_queued_and_say_by_how_much(office: Campaigns, db: Database) -> None:
    Settings(db).set(RECIPIENT_CAP, 1)
    with pytest.raises(ValidationError) as caught:
        office.create(CampaignRequest("通知", Recipients(numbers=("13800138001", "13800138002", "13800138003"))))
    assert caught.value.params["over"] == 2 and "2" in caught.value.message("en")
    Settings(db).set(RECIPIENT_CAP, 100)
    Settings(db).set(DAILY_MAX, 3)
    office.create(CampaignRequest("通知", Recipients(numbers=("13800138001", "13800138002"))))
    with pytest.raises(ValidationError) as caught:
        office.create(CampaignRequest("通知", Recipients(numbers=("13800138003", "13800138005"))))
    assert caught.value.key == "send.over_daily_max" and caught.value.params["over"] == 1
    with db.reader() as s:
        assert s.execute(select(Campaign)).scalars().all().__len__() == 1


def test_cancel_pause_resume_and_resend(office: Campaigns, db: Database) -> None:
    cid = office.create(CampaignRequest("通知", Recipients(numbers=("13800138001", "13800138002"))))
    office.pause(cid)
    office.resume(cid)
    assert office.cancel(cid) == 2
    with db.reader() as s:
        assert record.counts(s, cid)[MessageStatus.CANCELLED] == 2
        assert s.get(Campaign, cid).status == "cancelled"
        actions = [a for (a,) in s.execute(select(AuditEvent.action))]
    assert {"campaign.create", "campaign.queue", "campaign.pause", "campaign.resume", "campaign.cancel"} <= set(actions)
    with pytest.raises(ValidationError):
        office.pause(cid)
    with pytest.raises(ValidationError) as caught:
        office.resend(cid)
    # The state and the action are words of the sentence's own language, not the stored values.
    assert caught.value.message("zh") == f"发送任务 {cid} 的状态是“已取消”，不能重发。"
    assert caught.value.message("en") == f"Campaign {cid} is cancelled; it cannot be resent."


def test_a_future_send_is_scheduled_not_queued(office: Campaigns, db: Database) -> None:
    cid = office.create(
        CampaignRequest("通知", Recipients(numbers=("13800138001",)), start_at=utcnow() + timedelta(hours=1))
    )
    assert messages_of(db, cid) == {}
    with db.reader() as s:
        assert s.get(Campaign, cid).status == "scheduled"


def test_created_campaign_is_sent_by_the_dispatcher_and_failed_ones_resent(office: Campaigns, db: Database) -> None:
    sim = SimModem(latency=0, sr_delay=0.05, cms_on=frozenset({1}), cms_code=304)
    try:
        numbers = tuple(f"1380013{i:04d}" for i in range(10, 20))
        with Dispatcher(db, [modem_worker(db, sim, depth=1)], poll_seconds=0.02) as dispatcher:
            office.on_queued = lambda _cid: dispatcher.wake()
            cid = office.create(CampaignRequest("明天放假一天。", Recipients(numbers=numbers)))
            wait_until(lambda: office.counts(cid)[MessageStatus.DELIVERED] == 9)
            wait_until(lambda: office.counts(cid)[MessageStatus.FAILED] == 1)
            assert office.resend(cid) == 1
            wait_until(lambda: office.counts(cid)[MessageStatus.DELIVERED] == 10)
        assert sorted(sim.sent_texts()) == ["【测试单位】明天放假一天。"] * 10
    finally:
        sim.remove()


def test_a_banned_word_in_the_template_refuses_the_send_unless_allowed(office: Campaigns, db: Database) -> None:
    with pytest.raises(KeywordBlocked) as caught:
        office.create(CampaignRequest("请把钱转到安全 账 户", Recipients(numbers=("13800138001",))))
    assert caught.value.words == ["安全账户"] and "安全账户" in caught.value.message("zh")
    with db.reader() as s:
        assert s.execute(select(Campaign)).first() is None
    cid = office.create(
        CampaignRequest("请把钱转到安全账户", Recipients(numbers=("13800138001",)), allowed_words=("安全账户",))
    )
    assert messages_of(db, cid)["+8613800138001"].status == "queued"
    with db.reader() as s:
        allowed = [e for e in s.execute(select(AuditEvent)).scalars() if e.action == "keywords.allow"]
    assert allowed and allowed[0].details["words"] == ["安全账户"] and allowed[0].actor == "tester"


def test_a_banned_word_from_a_merge_field_blocks_only_that_recipient(
    office: Campaigns, book: ContactBook, db: Database
) -> None:
    book.add("钱七", "13800138007", fields={"部门": "安全账戶部"}, groups=["财务"])  # traditional 戶
    book.add("孙八", "13800138008", fields={"部门": "财务部"}, groups=["财务"])
    cid = office.create(CampaignRequest("{部门}的同事：明早开会", Recipients(groups=("财务",))))
    got = messages_of(db, cid)
    assert got["+8613800138007"].status == "blocked" and got["+8613800138007"].reason == "send.keyword"
    assert got["+8613800138007"].error == "安全账户"
    assert got["+8613800138008"].status == "queued"
