"""Campaign counters in shards (migration 0006): an upgraded database keeps its counters; on PostgreSQL two
connections add to shards of their own, so neither waits for the other's lock, and the sum over the shards
stays equal to the messages; the one-statement SENDING mark writes what record.move writes."""

from __future__ import annotations

from collections import Counter

import pytest
from alembic import command
from sqlalchemy import inspect, select, text, update

from smsjingling.sending import record
from smsjingling.sending.record import Move
from smsjingling.storage.database import Database, _alembic_config, open_database
from smsjingling.storage.sending import Campaign, CampaignStatus, Message, MessageEvent, MessageStatus
from smsjingling.storage.types import utcnow
from tests.core.sending_helpers import add_channel, queue_campaign


def _ids(db: Database, campaign: int) -> list[int]:
    with db.reader() as s:
        return list(s.execute(select(Message.id).where(Message.campaign_id == campaign).order_by(Message.id)).scalars())


def test_an_older_database_keeps_its_counters_when_upgraded(db: Database) -> None:
    campaign = queue_campaign(db, [f"+8613800{i:06d}" for i in range(5)])
    ids = _ids(db, campaign)
    with db.session() as s:
        record.move(s, [Move(ids[0], MessageStatus.SENDING), Move(ids[1], MessageStatus.CANCELLED)])
    cfg = _alembic_config()
    with db.engine.begin() as conn:  # back to schema 0005, as a database from before the shards is
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    with db.engine.connect() as conn:
        assert "shard" not in {c["name"] for c in inspect(conn).get_columns("campaign_counts")}
        rows = dict(conn.execute(text("SELECT status, count FROM campaign_counts")).all())
    assert rows == {"queued": 3, "sending": 1, "cancelled": 1}
    db.close()
    upgraded = open_database(db.url.render_as_string(hide_password=False))
    try:
        with upgraded.engine.connect() as conn:
            shards = set(conn.execute(text("SELECT shard FROM campaign_counts")).scalars())
        assert shards == {0}
        with upgraded.reader() as s:
            counts = record.counts(s, campaign)
            assert counts == record.recount(s, campaign)
            assert counts[MessageStatus.QUEUED] == 3 and counts[MessageStatus.SENDING] == 1
    finally:
        upgraded.close()


@pytest.mark.postgres
def test_two_connections_add_to_shards_of_their_own_without_waiting(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time, and one shard")
    campaign = queue_campaign(db, [f"+8613800{i:06d}" for i in range(4)])
    ids = _ids(db, campaign)
    with db.session() as first:
        record.move(first, [Move(ids[0], MessageStatus.SENDING)])
        first_pid = first.execute(text("SELECT pg_backend_pid()")).scalar_one()
        # The first transaction is still open, holding its shard's counter rows; the second runs meanwhile.
        with db.session() as second:
            second_pid = second.execute(text("SELECT pg_backend_pid()")).scalar_one()
            same_shard = first_pid % record.SHARDS == second_pid % record.SHARDS
            if not same_shard:  # two server processes whose ids share a shard would wait, rightly
                second.execute(text("SET LOCAL lock_timeout = '2s'"))
            record.move(second, [Move(ids[1], MessageStatus.SENDING), Move(ids[2], MessageStatus.CANCELLED)])
    with db.reader() as s:
        counts = record.counts(s, campaign)
        assert counts == record.recount(s, campaign)
        assert (counts[MessageStatus.QUEUED], counts[MessageStatus.SENDING], counts[MessageStatus.CANCELLED]) == (
            1,
            2,
            1,
        )
        rows = s.execute(text("SELECT status, shard, count FROM campaign_counts")).all()
    # Each connection took one from "queued" in its own shard: a shard's row may be negative, the sum is not.
    if not same_shard:
        assert {(st, n) for st, shard, n in rows if shard == second_pid % record.SHARDS} >= {
            ("queued", -2),
            ("sending", 1),
            ("cancelled", 1),
        }


@pytest.mark.postgres
def test_the_sending_mark_in_one_statement_writes_what_move_writes(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the one-statement mark is PostgreSQL's")
    channel = add_channel(db, "modem-1", "sim://m1")
    campaign = queue_campaign(db, [f"+8613800{i:06d}" for i in range(3)])
    ids = _ids(db, campaign)
    now = utcnow()
    with db.session() as s:
        assert record.mark_sending_pg(s, ids[0], campaign, channel_id=channel, attempts=1, by="desk-1", now=now) == (
            "running",
            True,
        )
        # Not queued any more: left alone, as move(expect=[QUEUED]) leaves it.
        assert record.mark_sending_pg(s, ids[0], campaign, channel_id=channel, attempts=2, by="desk-2", now=now) == (
            "running",
            False,
        )
    with db.session() as s:  # what move writes for the same change, for comparison
        record.move(
            s,
            [
                Move(
                    ids[1],
                    MessageStatus.SENDING,
                    "",
                    changes={"channel_id": channel, "attempts": 1, "claimed_by": "desk-1"},
                )
            ],
            expect=[MessageStatus.QUEUED],
            now=now,
        )
    columns = (Message.status, Message.reason, Message.channel_id, Message.attempts, Message.claimed_by)
    with db.reader() as s:
        marked, moved = (
            s.execute(select(*columns, Message.updated_at, Message.done_at).where(Message.id == mid)).one()
            for mid in ids[:2]
        )
        assert marked == moved == ("sending", "", channel, 1, "desk-1", now, None)
        events = Counter(
            s.execute(
                select(
                    MessageEvent.status,
                    MessageEvent.reason,
                    MessageEvent.detail,
                    MessageEvent.channel_id,
                    MessageEvent.at,
                ).where(MessageEvent.message_id.in_(ids[:2]))
            ).all()
        )
        assert events == Counter({("sending", "", "", channel, now): 2})
        assert record.counts(s, campaign) == record.recount(s, campaign)
    with db.session() as s:
        s.execute(update(Campaign).where(Campaign.id == campaign).values(status=CampaignStatus.PAUSED.value))
    with db.session() as s:  # a paused campaign keeps its messages out of the modem
        assert record.mark_sending_pg(s, ids[2], campaign, channel_id=channel, attempts=1, by="desk-1", now=now) == (
            "paused",
            False,
        )
    with db.reader() as s:
        assert s.execute(select(Message.status).where(Message.id == ids[2])).scalar_one() == "queued"
        assert record.counts(s, campaign) == record.recount(s, campaign)
