"""The send record as the window reads it: newest-first pages, the number filter, one message in full, an
export with progress and cancel, and resending the messages an operator picked."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from modem.sim.port import SimModem
from smsjingling.records import browse
from smsjingling.records.detail import load_detail
from smsjingling.records.export import ExportCancelled, export_records
from smsjingling.records.period import Period
from smsjingling.records.query import RecordFilter
from smsjingling.sending.campaigns import CampaignRequest, Campaigns
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.expand import Recipients
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import MessageStatus
from tests.core.sending_helpers import modem_worker, wait_until
from tests.core.test_records import SHANGHAI, add_campaign, add_channel, add_message, june, local, read_xlsx
from tests.core.test_records import sample as sample

NUMBERS = tuple(f"1380013{i:04d}" for i in range(10, 16))


def test_pages_come_newest_first_below_the_last_id(db: Database) -> None:
    campaign = add_campaign(db)
    ids = [add_message(db, campaign, created=local(f"2024-06-{d:02d} 12:00")) for d in (1, 2, 3, 4, 5)]
    with db.reader() as s:
        first = browse.older(s, june(), limit=2)
        second = browse.older(s, june(), below_id=first[-1].message_id, limit=2)
        rest = browse.older(s, june(), below_id=second[-1].message_id, limit=2)
    assert [r.message_id for r in first + second + rest] == ids[::-1]
    late = add_message(db, campaign, created=local("2024-06-20 12:00"))
    with db.reader() as s:
        assert [r.message_id for r in browse.newer(s, june(), None, above_id=ids[-1])] == [late]
        assert browse.newer(s, june(), None, above_id=late) == []


def test_a_campaign_or_a_common_status_is_read_newest_first_without_sorting_it_all(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    big, other = add_campaign(db, "大任务"), add_campaign(db, "别的")
    statuses = [MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.SENT, MessageStatus.UNDELIVERED]
    ids: dict[int, list[int]] = {big: [], other: []}
    for n in range(40):
        campaign = big if n % 3 else other
        status = statuses[n % len(statuses)]
        ids[campaign].append(add_message(db, campaign, created=local("2024-06-02 09:00"), status=status))
    with db.reader() as s:
        # per status along the campaign's index, merged: the same rows as a plain newest-first read
        got = [r.message_id for r in browse.older(s, june(), RecordFilter(campaign_id=big), limit=10)]
        assert got == sorted(ids[big], reverse=True)[:10]
        below = browse.older(s, june(), RecordFilter(campaign_id=big), below_id=got[-1], limit=100)
        assert [r.message_id for r in below] == sorted(ids[big], reverse=True)[10:]
        failed = browse.older(s, june(), RecordFilter(campaign_id=big, statuses=("failed", "undelivered")))
        assert {r.status for r in failed} == {"failed", "undelivered"}
        assert browse.older(s, june(), RecordFilter(campaign_id=big, statuses=("queued",))) == []
        by_index = [r.message_id for r in browse.older(s, june(), RecordFilter(statuses=("delivered",)))]
    monkeypatch.setattr(browse, "COMMON", 2)  # now "delivered" counts as common: read by walking the key
    with db.reader() as s:
        assert [r.message_id for r in browse.older(s, june(), RecordFilter(statuses=("delivered",)))] == by_index
        assert len(by_index) == 10


def test_the_change_feed_names_every_message_that_changed(db: Database) -> None:
    from smsjingling.sending import record
    from smsjingling.sending.record import Move

    campaign = add_campaign(db)
    first, second = (
        add_message(db, campaign, created=local("2024-06-02 09:00"), status=MessageStatus.SENT) for _ in range(2)
    )
    with db.reader() as s:
        mark = browse.change_mark(s)
        assert browse.changed_since(s, mark) == browse.Changes(mark, (), False)
    with db.session() as s:  # a delivery report, as the dispatcher records it: no event on the bus
        record.move(s, [Move(second, MessageStatus.DELIVERED), Move(first, MessageStatus.DELIVERED)])
    with db.reader() as s:
        changes = browse.changed_since(s, mark)
        assert set(changes.ids) == {first, second} and changes.last > mark and not changes.more
        assert browse.changed_since(s, changes.last).ids == ()
        assert browse.changed_since(s, mark, limit=1).more


def test_current_drops_rows_that_no_longer_match(db: Database, sample) -> None:
    failed_only = RecordFilter(statuses=("failed",))
    with db.reader() as s:
        rows = browse.current(s, june(), failed_only, [sample["first"], sample["failed"], sample["before"]])
    assert [r.message_id for r in rows] == [sample["failed"]]


def test_number_filter_finds_national_partial_and_international_forms(db: Database, sample) -> None:
    def phones(number: str) -> set[str]:
        with db.reader() as s:
            return {r.phone for r in browse.older(s, june(), RecordFilter(number=number))}

    assert phones("13900139000") == {"+8613900139000"}
    assert phones("139 0013") == {"+8613900139000"}
    assert phones("+86 139-0013-9000") == {"+8613900139000"}
    assert phones("9123") == {"+85291234567"}
    assert phones("") == {"+8613800138000", "+8613900139000", "+85291234567"}
    assert RecordFilter(number="139-00").describe() == {"number": "13900"}


def test_choices_list_campaigns_with_messages_and_every_channel(db: Database, sample) -> None:
    add_campaign(db, "空任务")  # no messages: nothing to filter on
    with db.reader() as s:
        campaigns = browse.campaign_choices(s)
        channels = browse.channel_choices(s)
    assert [c.id for c in campaigns] == [sample["promo"], sample["notice"]]
    assert [c.name for c in channels] == ["COM3", "COM4"]


def test_export_reports_progress_and_a_cancel_writes_nothing(tmp_path: Path, db: Database) -> None:
    campaign = add_campaign(db)
    for n in range(12):
        add_message(db, campaign, created=local("2024-06-02 09:00"), phone=f"+86138001380{n:02d}")
    seen: list[tuple[int, int]] = []
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "june.xlsx"
    assert export_records(db, out, june(), progress=lambda done, total: seen.append((done, total))) == 12
    assert seen[-1] == (12, 12)
    assert len(read_xlsx(out)) == 13

    cancel = threading.Event()
    cancel.set()
    target = folder / "cancelled.csv"
    with pytest.raises(ExportCancelled) as caught:
        export_records(db, target, june(), cancel=cancel, progress=lambda *_: None)
    assert not target.exists() and "取消" in caught.value.message("zh")
    assert list(folder.iterdir()) == [out]  # no temporary file left behind


@pytest.fixture
def sim() -> SimModem:
    modem = SimModem(latency=0, sr_delay=0.02, cms_on=frozenset({2, 4}), cms_code=304)
    yield modem
    modem.remove()


def test_a_real_send_leaves_every_transition_and_part_and_picked_failures_are_resent(
    db: Database, sim: SimModem
) -> None:
    Settings(db).set(SIGNATURE, "测试单位")
    office = Campaigns(db, actor="tester")
    today = Period(date.today() - timedelta(days=1), date.today() + timedelta(days=2), None)
    with Dispatcher(db, [modem_worker(db, sim, depth=1)], poll_seconds=0.02) as dispatcher:
        office.on_queued = lambda _cid: dispatcher.wake()
        cid = office.create(CampaignRequest("明天放假一天。", Recipients(numbers=NUMBERS)))
        wait_until(lambda: office.counts(cid)[MessageStatus.DELIVERED] == 4)
        wait_until(lambda: office.counts(cid)[MessageStatus.FAILED] == 2)
        with db.reader() as s:
            rows = browse.older(s, today, RecordFilter(campaign_id=cid))
        failed = sorted(r.message_id for r in rows if r.status == "failed")
        delivered = next(r for r in rows if r.status == "delivered")

        detail = load_detail(db, delivered.message_id)
        assert [t.status for t in detail.transitions] == ["sending", "sent", "delivered"]
        assert detail.channel == sim.name and detail.sender == "tester" and detail.text.startswith("【测试单位】")
        assert len(detail.parts) == 1 and detail.parts[0].report == "delivered" and detail.parts[0].ref.isdigit()
        bad = load_detail(db, failed[0])
        assert bad.transitions[-1].status == "failed" and bad.transitions[-1].reason == "send.rejected"
        assert "304" in bad.transitions[-1].detail and bad.parts == ()

        # The operator picks one failed message and a delivered one: only the failed one goes again.
        assert office.resend(cid, message_ids=[failed[0], delivered.message_id]) == 1
        wait_until(lambda: office.counts(cid)[MessageStatus.DELIVERED] == 5)
        assert office.counts(cid)[MessageStatus.FAILED] == 1
    again = load_detail(db, failed[0])
    assert [t.status for t in again.transitions][-4:] == ["queued", "sending", "sent", "delivered"]
    assert again.transitions[-4].reason == "campaign.resend"
    with db.reader() as s:
        resend = s.execute(select(AuditEvent.details).where(AuditEvent.action == "campaign.resend")).scalar_one()
    assert resend["messages"] == 1 and resend["picked"] == 2


def test_a_missing_message_is_said_in_words(db: Database) -> None:
    from smsjingling.errors import NotFoundError

    with pytest.raises(NotFoundError) as caught:
        load_detail(db, 404)
    assert "404" in caught.value.message("zh")


def test_periods_are_read_in_the_users_zone(db: Database) -> None:
    campaign = add_campaign(db)
    add_message(db, campaign, created=local("2024-06-01 00:30"))  # 16:30 UTC on 31 May
    with db.reader() as s:
        assert len(browse.older(s, Period(date(2024, 6, 1), date(2024, 6, 2), SHANGHAI))) == 1
        channel = add_channel(db, "COM9")
        assert browse.older(s, june(), RecordFilter(channel_id=channel)) == []
