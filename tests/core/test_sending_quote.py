"""The confirmation's figures: recipients, skipped by reason, parts, price, balance and refusals, before anything
is written; and how many different people a choice of recipients reaches."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from smsjingling.compose import SIGNATURE_POSITION  # noqa: F401 - declares the compose settings
from smsjingling.contacts.book import ContactBook
from smsjingling.sending.campaigns import CampaignRequest, Campaigns, KeywordBlocked
from smsjingling.sending.expand import Recipients
from smsjingling.sending.quote import count_recipients, quote
from smsjingling.sending.rules import RECIPIENT_CAP
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Campaign, Message


@pytest.fixture
def office(book: ContactBook, db: Database) -> Campaigns:
    Settings(db).set(SIGNATURE, "测试单位")
    book.add("张三", "13800138001", fields={"部门": "销售部"}, groups=["销售部"])
    book.add("李四", "13800138002", fields={}, groups=["销售部", "全体"])
    book.add("王五", "01088886666", groups=["销售部"])  # a landline
    book.add("赵六", "13800138004", fields={"部门": "财务部"}, groups=["销售部", "全体"])
    book.add_optout("+8613800138004", "manual")
    return Campaigns(db, actor="tester")


def test_quote_counts_who_is_skipped_and_why_without_writing(office: Campaigns, db: Database) -> None:
    request = CampaignRequest("{部门}明早开会。", Recipients(groups=("销售部",), numbers=("13900139000", "号码待定")))
    got = quote(office, request)
    assert (got.recipients, got.queued, got.skipped_total) == (6, 1, 5)
    lines = {(line.reason, line.detail): line.count for line in got.skipped}
    assert lines == {
        ("compose.missing_field", "部门"): 2,  # 李四 and the pasted number
        ("send.not_mobile", ""): 1,
        ("send.opted_out", ""): 1,
        ("send.invalid_number", ""): 1,
    }
    assert got.skipped[0].text() == "缺少字段：部门" and got.skipped[0].count == 2
    assert got.samples == ("【测试单位】销售部明早开会。",)
    assert got.segments == 1 and got.price_fen == 5 and got.available_fen is None and got.refusal is None
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Campaign)) == 0
        assert s.scalar(select(func.count()).select_from(Message)) == 0


def test_quote_names_the_refusal_create_would_raise(office: Campaigns, db: Database) -> None:
    Settings(db).set(RECIPIENT_CAP, 1)
    got = quote(office, CampaignRequest("明早开会", Recipients(groups=("全体",), numbers=("13900139000",))))
    assert got.queued == 2 and got.refusal is not None
    assert "超出合同约定的每次上限 1 人 1 人" in got.refusal.message()

    banned = quote(office, CampaignRequest("免费领取六合彩", Recipients(numbers=("13900139000",))))
    assert isinstance(banned.refusal, KeywordBlocked)
    with pytest.raises(KeywordBlocked):
        office.create(CampaignRequest("免费领取六合彩", Recipients(numbers=("13900139000",))))


def test_blocked_words_in_merged_text_are_one_line(office: Campaigns, db: Database, book: ContactBook) -> None:
    book.add("钱七", "13800138007", fields={"部门": "六合彩"}, groups=["彩票"])
    got = quote(office, CampaignRequest("{部门}通知", Recipients(groups=("彩票",))))
    assert got.queued == 0
    (line,) = got.skipped
    assert line.reason == "send.keyword" and "六合彩" in line.text()
    assert got.refusal is not None  # nobody left to send to


def test_count_recipients_counts_each_number_once(office: Campaigns, db: Database, book: ContactBook) -> None:
    groups = {g.name: g for g in book.groups()}
    zhang = book.find_phone("13800138001")
    assert zhang is not None
    counted = count_recipients(
        db, Recipients(groups=("销售部", "全体"), contacts=(zhang.id,), numbers=("13800138002", "13900139000", "x"))
    )
    assert groups["销售部"].members + groups["全体"].members == 6
    assert (counted.people, counted.invalid) == (5, 1)
