"""Purging the send record: never younger than six months, never a message still in flight."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from smsjingling import audit, settings
from smsjingling.errors import UserError, ValidationError
from smsjingling.records.retention import RetentionError, latest_cutoff, plan_purge, purge, retention_months
from smsjingling.sending import record
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.models import Setting as SettingRow
from smsjingling.storage.sending import Message, MessageEvent, MessagePart
from smsjingling.storage.sending import MessageStatus as S
from tests.core.test_records import SHANGHAI, add_campaign, add_channel, add_message, local, sent_message

NOW = local("2025-01-15 10:00")  # six months before is 15 July 2024


def events_of(db: Database, action: str) -> list[AuditEvent]:
    with db.reader() as s:
        return list(s.execute(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).scalars())


def table_count(db: Database, table: type) -> int:
    with db.reader() as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


def test_the_setting_refuses_less_than_six_months(db: Database) -> None:
    s = settings.Settings(db)
    for months in (5, 1, 0, -6):
        with pytest.raises(ValidationError) as err:
            s.set(settings.RETENTION_MONTHS, months)
        assert "6" in err.value.message("en") and "6" in err.value.message("zh")
    s.set(settings.RETENTION_MONTHS, 6)
    s.set(settings.RETENTION_MONTHS, 24)
    assert retention_months(db) == 24


def test_a_date_younger_than_six_months_is_refused_and_nothing_changes(db: Database) -> None:
    c = add_campaign(db)
    sent_message(db, c, local("2024-07-14 12:00"), events=[(local("2024-07-14 12:00"), S.SENT)])
    assert latest_cutoff(6, tz=SHANGHAI, now=NOW) == date(2024, 7, 15)
    with pytest.raises(RetentionError) as err:
        purge(db, date(2024, 7, 16), "admin", tz=SHANGHAI, now=NOW)
    assert isinstance(err.value, UserError)
    zh, en = err.value.message("zh"), err.value.message("en")
    assert "2024-07-16" in zh and "6 个月" in zh and "2024-07-15" in zh
    assert "at least 6 months" in en and "2024-07-15" in en
    with pytest.raises(RetentionError):
        plan_purge(db, date(2024, 12, 1), tz=SHANGHAI, now=NOW)
    assert table_count(db, Message) == 1 and table_count(db, MessageEvent) == 1
    assert events_of(db, "records.purge") == []
    # The latest date allowed is allowed.
    assert purge(db, date(2024, 7, 15), tz=SHANGHAI, now=NOW).messages == 1


def test_the_floor_holds_even_when_the_stored_setting_says_less(db: Database) -> None:
    with db.session() as s:  # written behind the program's back
        s.add(SettingRow(key="records.retention_months", value=2))
    assert retention_months(db) == 6
    with pytest.raises(RetentionError):
        purge(db, date(2024, 10, 1), tz=SHANGHAI, now=NOW)
    # A longer setting is obeyed: twelve months back from 15 January 2025 is 15 January 2024.
    settings.Settings(db).set(settings.RETENTION_MONTHS, 12)
    with pytest.raises(RetentionError) as err:
        purge(db, date(2024, 2, 1), tz=SHANGHAI, now=NOW)
    assert "12" in err.value.message("en")
    assert purge(db, date(2024, 1, 15), tz=SHANGHAI, now=NOW).messages == 0


def test_old_final_messages_go_with_events_and_parts_in_flight_ones_stay(db: Database) -> None:
    com = add_channel(db, "COM3")
    c = add_campaign(db)
    old = local("2024-03-01 09:00")
    history = [(old, S.SENDING), (old, S.SENT), (old, S.DELIVERED)]
    gone = [
        sent_message(db, c, old, channel_id=com, events=history, parts=2),
        sent_message(db, c, old, channel_id=com, status=S.UNDELIVERED, events=history[:2], parts=1),
        add_message(db, c, created=old, status=S.FAILED, done=old, events=[(old, S.FAILED)]),
        add_message(db, c, created=old, status=S.SKIPPED, reason="expand.opted_out"),
        add_message(db, c, created=old, status=S.UNKNOWN, done=old),
    ]
    in_flight = [
        add_message(db, c, created=old, status=S.QUEUED),
        add_message(db, c, created=old, status=S.SENDING, events=[(old, S.SENDING)]),
    ]
    # Created long ago but sent, or finished, after the cutoff: still young.
    late_sent = add_message(db, c, created=old, sent=local("2024-08-01 09:00"), done=local("2024-08-01 09:01"))
    late_done = add_message(
        db, c, created=old, sent=old, done=local("2024-09-01 09:00"), status=S.DELIVERED, events=[(old, S.SENT)]
    )
    young = sent_message(db, c, local("2024-12-01 09:00"), events=history)
    assert len(gone) == 5

    plan = plan_purge(db, date(2024, 7, 1), tz=SHANGHAI, now=NOW)
    assert (plan.count, plan.in_flight) == (5, 2)
    assert plan.cutoff == local("2024-07-01 00:00")
    result = purge(db, date(2024, 7, 1), "管理员", tz=SHANGHAI, now=NOW)
    assert (result.messages, result.events, result.parts, result.in_flight, result.batches) == (5, 6, 3, 2, 1)

    with db.reader() as s:
        left = set(s.execute(select(Message.id)).scalars())
        assert left == {*in_flight, late_sent, late_done, young}
        assert set(s.execute(select(MessageEvent.message_id)).scalars()) == {in_flight[1], late_done, young}
        assert s.execute(select(func.count()).select_from(MessagePart)).scalar_one() == 0
        # The campaign's counters still equal the sum over its messages.
        assert record.counts(s, c) == record.recount(s, c)
        assert record.counts(s, c)[S.DELIVERED] == 3 and record.counts(s, c)[S.QUEUED] == 1

    [event] = events_of(db, "records.purge")
    assert event.actor == "管理员"
    assert event.details == {
        "before": "2024-07-01",
        "cutoff": "2024-06-30T16:00:00+00:00",
        "messages": 5,
        "events": 6,
        "parts": 3,
    }
    with db.reader() as s:
        assert audit.verify_chain(s) == []


def test_a_large_purge_goes_in_batches_each_audited(db: Database) -> None:
    c = add_campaign(db)
    for day in range(1, 8):
        sent_message(db, c, local(f"2024-01-{day:02d} 09:00"), events=[(local("2024-01-01 09:00"), S.SENT)])
    add_message(db, c, created=local("2024-01-03 09:00"), status=S.QUEUED)  # between them, never purged
    result = purge(db, date(2024, 2, 1), tz=SHANGHAI, now=NOW, batch=3)
    assert (result.messages, result.events, result.batches, result.in_flight) == (7, 7, 3, 1)
    assert [e.details["messages"] for e in events_of(db, "records.purge")] == [3, 3, 1]
    with db.reader() as s:
        assert record.counts(s, c) == record.recount(s, c)
        assert s.execute(select(Message.status)).scalars().all() == ["queued"]
    # Again: nothing left to purge, and nothing audited for it.
    assert purge(db, date(2024, 2, 1), tz=SHANGHAI, now=NOW).batches == 0
    assert len(events_of(db, "records.purge")) == 3


def test_today_on_the_users_calendar_decides() -> None:
    # 15 January 2025 00:30 in Shanghai is still 14 January in UTC.
    now = datetime.fromisoformat("2025-01-14T16:30:00+00:00")
    assert latest_cutoff(6, tz=SHANGHAI, now=now) == date(2024, 7, 15)
    assert latest_cutoff(6, tz=ZoneInfo("UTC"), now=now) == date(2024, 7, 14)
    assert latest_cutoff(3, tz=SHANGHAI, now=now) == date(2024, 7, 15)  # never less than six
