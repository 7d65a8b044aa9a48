"""The send record's export: rows written directly into a real database, exported, and read back."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import select

from smsjingling.errors import ValidationError
from smsjingling.records import query
from smsjingling.records.export import HEADERS, export_records
from smsjingling.records.labels import parse_status, reason_text, status_text, yuan
from smsjingling.records.period import Period, months_before, parse_date, user_zone
from smsjingling.records.query import RecordFilter
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import (
    Campaign,
    CampaignCount,
    Channel,
    Message,
    MessageEvent,
    MessagePart,
    MessageStatus,
)
from smsjingling.tabular import write_table

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


def local(text: str, tz: ZoneInfo = SHANGHAI) -> datetime:
    """'2024-06-01 09:30' on the wall clock of `tz`, as an aware instant."""
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def add_channel(db: Database, name: str) -> int:
    with db.session() as s:
        channel = Channel(kind="modem", name=name, config={"url": "sim://"})
        s.add(channel)
        s.flush()
        return channel.id


def add_campaign(db: Database, name: str = "家长会通知", by: str = "王老师") -> int:
    with db.session() as s:
        campaign = Campaign(name=name, template="{姓名}家长：明天家长会。", created_by=by)
        s.add(campaign)
        s.flush()
        return campaign.id


def add_message(
    db: Database,
    campaign_id: int,
    *,
    created: datetime,
    status: MessageStatus = MessageStatus.DELIVERED,
    sent: datetime | None = None,
    done: datetime | None = None,
    channel_id: int | None = None,
    phone: str = "+8613800138000",
    text: str = "【市一中】张三家长：明天下午三点家长会。",
    segments: int = 1,
    price_fen: int = 5,
    reason: str = "",
    error: str = "",
    events: Sequence[tuple[datetime, MessageStatus]] = (),
    parts: int = 0,
) -> int:
    """A message as the engine leaves it, with its events and parts, and counted in its campaign."""
    with db.session() as s:
        message = Message(
            campaign_id=campaign_id,
            phone=phone,
            text=text,
            status=status.value,
            reason=reason,
            error=error,
            channel_id=channel_id,
            segments=segments,
            price_fen=price_fen,
            created_at=created,
            due_at=created,
            updated_at=done or sent or created,
            sent_at=sent,
            done_at=done,
        )
        s.add(message)
        s.flush()
        for at, to in events:
            s.add(MessageEvent(message_id=message.id, at=at, status=to.value, channel_id=channel_id))
        for part in range(parts):
            s.add(MessagePart(message_id=message.id, part=part, channel_id=channel_id, ref=str(part)))
        count = s.get(CampaignCount, (campaign_id, status.value, 0))
        if count is None:
            s.add(CampaignCount(campaign_id=campaign_id, status=status.value, count=1))
        else:
            count.count += 1
        return message.id


def sent_message(db: Database, campaign_id: int, at: datetime, **kw: object) -> int:
    """Created five minutes before it was sent, delivered a minute after."""
    from datetime import timedelta

    return add_message(
        db, campaign_id, created=at - timedelta(minutes=5), sent=at, done=at + timedelta(minutes=1), **kw
    )


def read_xlsx(path: Path) -> list[list[object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [list(row) for ws in book.worksheets for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()


def read_csv(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.reader(fh))


def june(tz: ZoneInfo | None = SHANGHAI) -> Period:
    return Period(date(2024, 6, 1), date(2024, 7, 1), tz)


@pytest.fixture
def sample(db: Database) -> dict[str, int]:
    """Three messages in June (Shanghai time) over two channels, and one just outside on each side."""
    com3, com4 = add_channel(db, "COM3"), add_channel(db, "COM4")
    notice = add_campaign(db, "家长会通知", "王老师")
    promo = add_campaign(db, "", "李主任")
    ids = {
        "first": sent_message(db, notice, local("2024-06-01 00:00"), channel_id=com3),
        "failed": add_message(
            db,
            notice,
            created=local("2024-06-15 10:00"),
            status=MessageStatus.FAILED,
            channel_id=com4,
            phone="+8613900139000",
            reason="send.error.rejected",
            error="+CMS ERROR: 500",
        ),
        "last": sent_message(
            db,
            promo,
            local("2024-06-30 23:59:59"),
            channel_id=com4,
            status=MessageStatus.SENT,
            phone="+85291234567",
            text="长短信" * 30,
            segments=2,
            price_fen=10,
        ),
        "before": sent_message(db, notice, local("2024-05-31 23:59:59"), channel_id=com3),
        "after": sent_message(db, notice, local("2024-07-01 00:00"), channel_id=com3),
    }
    return ids | {"com3": com3, "com4": com4, "notice": notice, "promo": promo}


def test_xlsx_export_reads_back_in_chinese_with_every_column(tmp_path: Path, db: Database, sample) -> None:
    out = tmp_path / "六月.xlsx"
    assert export_records(db, out, june(), actor="审计员") == 3
    rows = read_xlsx(out)
    assert rows[0] == list(HEADERS)
    assert rows[0] == ["时间", "号码", "内容", "发送人", "通道", "状态", "原因", "条数", "费用（元）", "任务"]
    first, failed, last = rows[1:]
    assert first == [
        datetime(2024, 6, 1, 0, 0),
        "13800138000",
        "【市一中】张三家长：明天下午三点家长会。",
        "王老师",
        "COM3",
        "已送达",
        None,
        1,
        0.05,
        f"家长会通知 #{sample['notice']}",
    ]
    # Never sent: dated by its creation; the channel's own words kept beside the reason.
    assert failed[0] == datetime(2024, 6, 15, 10, 0) and failed[4:6] == ["COM4", "失败"]
    assert "+CMS ERROR: 500" in failed[6]
    assert last[:2] == [datetime(2024, 6, 30, 23, 59, 59), "+85291234567"]
    assert last[5:] == ["已发送", None, 2, 0.1, f"#{sample['promo']}"]
    assert last[2] == "长短信" * 30

    book = openpyxl.load_workbook(out)  # formats need the full reader
    ws = book.active
    assert ws.title == "发送记录"
    assert ws["A2"].number_format == "yyyy-mm-dd hh:mm:ss" and ws["B2"].number_format == "@"
    assert ws["I2"].number_format == "0.00"
    book.close()

    with db.reader() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "records.export")).scalar_one()
    assert event.actor == "审计员"
    assert event.details["count"] == 3 and event.details["from"] == "2024-06-01" and event.details["to"] == "2024-07-01"
    assert event.details["tz"] == "Asia/Shanghai" and event.details["file"] == "六月.xlsx"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_export_reads_back_in_utf8_and_gbk(tmp_path: Path, db: Database, encoding: str) -> None:
    campaign = add_campaign(db, "生僻字", "赵𠮷")
    # A character outside GBK proper (GB18030 has it) and an emoji must survive, not become '?'.
    text = "【镕𠮷】祝您节日快乐🎉 100%"
    sent_message(db, campaign, local("2024-06-03 08:00"), text=text, price_fen=1234)
    out = tmp_path / "r.csv"
    assert export_records(db, out, june(), encoding=encoding) == 1
    raw = out.read_bytes()
    if encoding == "gbk":
        assert not raw.startswith(b"\xef\xbb\xbf") and "生僻字".encode("gbk") in raw
        rows = read_csv(out, "gb18030")
    else:
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = read_csv(out)
    assert rows[0] == list(HEADERS)
    assert rows[1] == [
        "2024-06-03 08:00:00",
        "13800138000",
        text,
        "赵𠮷",
        "",
        "已送达",
        "",
        "1",
        "12.34",
        f"生僻字 #{campaign}",
    ]


def test_period_edges_follow_the_users_time_zone(db: Database) -> None:
    campaign = add_campaign(db)
    # Local midnight in Shanghai is 16:00 UTC the day before.
    at_midnight = sent_message(db, campaign, datetime(2024, 5, 31, 16, 0, tzinfo=UTC))
    just_before = sent_message(db, campaign, datetime(2024, 5, 31, 15, 59, 59, 999999, tzinfo=UTC))
    just_before_end = sent_message(db, campaign, datetime(2024, 6, 1, 15, 59, 59, 999999, tzinfo=UTC))
    at_end = sent_message(db, campaign, datetime(2024, 6, 1, 16, 0, tzinfo=UTC))

    def ids(period: Period) -> list[int]:
        with db.reader() as s:
            return [r.message_id for page in query.pages(s, period) for r in page]

    day = date(2024, 6, 1)
    assert ids(Period(day, date(2024, 6, 2), SHANGHAI)) == [at_midnight, just_before_end]
    assert ids(Period(date(2024, 5, 31), day, SHANGHAI)) == [just_before]
    # The same instants on UTC's calendar: all four are on 31 May or 1 June, split differently.
    assert ids(Period(day, date(2024, 6, 2), ZoneInfo("UTC"))) == [just_before_end, at_end]
    assert ids(Period(date(2024, 5, 31), day, ZoneInfo("UTC"))) == [just_before, at_midnight]


def test_a_day_with_a_daylight_saving_change_is_one_day(db: Database) -> None:
    campaign = add_campaign(db)
    # 10 March 2024 in New York has 23 hours: 00:30 EST is 05:30 UTC, 23:30 EDT is 03:30 UTC the next day.
    early = sent_message(db, campaign, local("2024-03-10 00:30", NEW_YORK))
    late = sent_message(db, campaign, local("2024-03-10 23:30", NEW_YORK))
    next_day = sent_message(db, campaign, local("2024-03-11 00:00", NEW_YORK))
    period = Period(date(2024, 3, 10), date(2024, 3, 11), NEW_YORK)
    start, end = period.bounds()
    assert (end - start).total_seconds() == 23 * 3600
    with db.reader() as s:
        assert [r.message_id for page in query.pages(s, period) for r in page] == [early, late]
        assert query.count(s, Period(date(2024, 3, 11), date(2024, 3, 12), NEW_YORK)) == 1
    assert next_day


def test_a_message_belongs_to_the_day_it_was_sent(tmp_path: Path, db: Database) -> None:
    campaign = add_campaign(db)
    queued_in_may = add_message(
        db, campaign, created=local("2024-05-20 12:00"), sent=local("2024-06-02 09:00"), done=local("2024-06-02 09:01")
    )
    out = tmp_path / "r.csv"
    assert export_records(db, out, june()) == 1
    assert read_csv(out)[1][0] == "2024-06-02 09:00:00"
    assert export_records(db, out, Period(date(2024, 5, 1), date(2024, 6, 1), SHANGHAI)) == 0
    assert read_csv(out) == [list(HEADERS)]
    assert queued_in_may


def test_filters_by_campaign_status_and_channel(tmp_path: Path, db: Database, sample) -> None:
    def phones(filt: RecordFilter) -> list[str]:
        with db.reader() as s:
            return [r.phone for page in query.pages(s, june(), filt) for r in page]

    assert phones(RecordFilter(campaign_id=sample["promo"])) == ["+85291234567"]
    assert phones(RecordFilter(statuses=("failed", "sent"))) == ["+8613900139000", "+85291234567"]
    assert phones(RecordFilter(channel_id=sample["com3"])) == ["+8613800138000"]
    assert phones(RecordFilter(campaign_id=sample["notice"], channel_id=sample["com4"])) == ["+8613900139000"]
    out = tmp_path / "failed.xlsx"
    assert export_records(db, out, june(), RecordFilter(statuses=("failed",))) == 1
    with db.reader() as s:
        details = s.execute(select(AuditEvent.details).where(AuditEvent.action == "records.export")).scalar_one()
    assert details["status"] == ["failed"] and "campaign" not in details


def test_rows_come_in_pages_in_time_order(db: Database) -> None:
    campaign = add_campaign(db)
    times = [local(f"2024-06-{d:02d} 12:00") for d in (9, 3, 7, 1, 5)]
    for at in times:
        sent_message(db, campaign, at)
    with db.reader() as s:
        pages = list(query.pages(s, june(), size=2))
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [r.at for p in pages for r in p] == sorted(times)


def test_a_failed_export_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    for name in ("t.xlsx", "t.csv"):
        target = tmp_path / name
        target.write_bytes(b"the previous export")
        with pytest.raises(RuntimeError), write_table(target, ["a", "b"]) as out:
            out.append(["1", "2"])
            raise RuntimeError("disk full, say")
        assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.xlsx"]  # no temporary files left


def test_xlsx_continues_on_a_new_sheet_when_one_is_full(tmp_path: Path) -> None:
    target = tmp_path / "big.xlsx"
    with write_table(target, ["n"], sheet="发送记录", sheet_rows=3) as out:
        out.extend([i] for i in range(7))
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames == ["发送记录", "发送记录 (2)", "发送记录 (3)"]
    assert [[r[0] for r in ws.iter_rows(values_only=True)] for ws in book.worksheets] == [
        ["n", 0, 1, 2],
        ["n", 3, 4, 5],
        ["n", 6],
    ]
    book.close()
    with write_table(tmp_path / "empty.xlsx", ["时间", "号码"]):
        pass
    assert read_xlsx(tmp_path / "empty.xlsx") == [["时间", "号码"]]


def test_dates_statuses_and_money_as_people_write_them(db: Database) -> None:
    assert parse_date("2024-06-01") == parse_date("2024/6/1") == parse_date("2024年6月1日") == date(2024, 6, 1)
    assert parse_date("20240601") == date(2024, 6, 1)
    for bad in ("2024-02-30", "6/1/2024", "昨天"):
        with pytest.raises(ValidationError) as err:
            parse_date(bad)
        assert bad in err.value.message("en")
    with pytest.raises(ValidationError) as err:
        Period(date(2024, 6, 2), date(2024, 6, 1))
    assert "2024-06-01" in err.value.message("zh")
    assert parse_status("已送达") is parse_status("delivered") is parse_status("Delivered") is MessageStatus.DELIVERED
    with pytest.raises(ValidationError):
        parse_status("lost")
    assert status_text("undelivered", "zh") == "未送达" and status_text("undelivered", "en") == "Undelivered"
    assert status_text("from-the-future") == "from-the-future"
    assert reason_text("", "+CMS ERROR: 38") == "+CMS ERROR: 38"
    assert yuan(5) == Decimal("0.05") and yuan(1234) == Decimal("12.34") and str(yuan(100)) == "1.00"
    assert months_before(date(2024, 8, 31), 6) == date(2024, 2, 29)
    assert months_before(date(2025, 1, 15), 6) == date(2024, 7, 15)
    assert str(user_zone(db)) == "Asia/Shanghai"  # the ui.timezone setting's default
