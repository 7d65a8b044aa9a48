"""Reading how sends are going: recent campaigns with their counters, a campaign's messages page by page, and the
names of the contacts' fields a template can merge."""

from __future__ import annotations

from sqlalchemy import update

from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.fields import field_names
from smsjingling.sending import progress
from smsjingling.sending.progress import campaign_progress, message_page, messages_by_id, recent_campaigns
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Campaign, CampaignStatus, Message, MessageStatus
from tests.core.sending_helpers import queue_campaign


def test_recent_campaigns_newest_first_with_old_active_ones(db: Database) -> None:
    old = queue_campaign(db, ["+8613800000001"], status=CampaignStatus.PAUSED)
    done = [queue_campaign(db, [f"+86138000001{i:02d}"], status=CampaignStatus.COMPLETED) for i in range(3)]
    shown = recent_campaigns(db, limit=3)
    assert [c.id for c in shown] == [*reversed(done), old]  # the paused one, though older than the limit
    paused = shown[-1]
    assert paused.status == "paused" and paused.active and paused.waiting == 1 and paused.total == 1
    assert not shown[0].active


def test_counters_and_pages_follow_the_messages(db: Database, book: ContactBook) -> None:
    zhang = book.add("张三", "13800138000")
    other = queue_campaign(db, [f"+8613900000{i:03d}" for i in range(5)])
    cid = queue_campaign(db, ["+8613800138000", *(f"+8613700000{i:03d}" for i in range(449))])
    queue_campaign(db, ["+8613600000000"])
    with db.session() as s:
        s.execute(update(Campaign).where(Campaign.id == cid).values(name="通知"))
        s.execute(update(Message).where(Message.phone == "+8613800138000").values(contact_id=zhang.id))
    first = progress.first_message_id(db, cid)
    assert first is not None
    pages = []
    start = first
    while page := message_page(db, cid, start, limit=200):
        pages.append(page)
        start = page[-1].id + 1
    assert [len(p) for p in pages] == [200, 200, 50]
    rows = [r for p in pages for r in p]
    assert rows[0].name == "张三" and rows[0].phone == "+8613800138000" and rows[1].name == ""
    assert {r.status for r in rows} == {"queued"} and len({r.id for r in rows}) == 450
    assert all(r.id not in range(progress.first_message_id(db, other) or 0, first) for r in rows)

    progress_now = campaign_progress(db, cid)
    assert progress_now is not None and progress_now.name == "通知"
    assert progress_now.counts[MessageStatus.QUEUED] == 450 and progress_now.done == 0
    again = messages_by_id(db, [rows[3].id, rows[0].id])
    assert [r.id for r in again] == [rows[0].id, rows[3].id]
    assert campaign_progress(db, 999) is None


def test_field_names_lists_the_usual_ones_first(book: ContactBook, db: Database) -> None:
    assert field_names(db) == []
    book.add("张三", "13800138001", fields={"职务": "经理", "部门": "销售部", "工号": "007"})
    book.add("李四", "13800138002", fields={"部门": "财务部", "车牌": "京A12345"})
    book.add("王五", "13800138003")
    assert field_names(db) == ["部门", "职务", "工号", "车牌"]
