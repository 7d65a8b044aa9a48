"""record.move writes a batch's shared values with one statement per few hundred messages and the rest row by
row: every message still gets exactly its own values, its event, and the counters their sum."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from smsjingling.sending import record
from smsjingling.sending.record import Move
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, Message, MessageEvent, MessageStatus
from smsjingling.storage.types import utcnow
from tests.core.sending_helpers import queue_campaign

SHARED = 1203  # more than two chunks of one IN list (500), and a partial one


def test_a_batch_with_shared_and_own_values_lands_row_by_row(db: Database) -> None:
    with db.session() as s:
        gateway = Channel(kind="gateway", name="gw")
        s.add(gateway)
        s.flush()
        channel = gateway.id
    cid = queue_campaign(db, [f"+861390000{i:04d}" for i in range(SHARED + 3)], policy="gateway")
    with db.reader() as s:
        ids = list(s.execute(select(Message.id).where(Message.campaign_id == cid).order_by(Message.id)).scalars())
    now = utcnow()
    later = now + timedelta(seconds=90)
    with db.session() as s:
        sending = record.move(
            s,
            [Move(mid, MessageStatus.SENDING, "", changes={"channel_id": channel, "attempts": 1}) for mid in ids],
            expect=[MessageStatus.QUEUED],
            now=now,
        )
    assert len(sending) == len(ids)
    sent, failed, retried = ids[:SHARED], ids[SHARED], ids[SHARED + 1 :]
    moves = [Move(mid, MessageStatus.SENT, "", changes={"channel_id": channel, "error": ""}) for mid in sent]
    moves.append(Move(failed, MessageStatus.FAILED, "gwapi.bad_number", "E1: no such number"))
    moves += [
        Move(mid, MessageStatus.QUEUED, "gwapi.busy", f"busy {n}", {"due_at": later + timedelta(seconds=n)})
        for n, mid in enumerate(retried)
    ]
    with db.session() as s:
        applied = record.move(s, moves, expect=[MessageStatus.SENDING], now=later)
    assert len(applied) == len(moves)

    with db.reader() as s:
        rows = {r.id: r for r in s.execute(select(Message).where(Message.campaign_id == cid)).scalars()}
        events = s.execute(select(MessageEvent.message_id, MessageEvent.status)).all()
        assert record.counts(s, cid) == record.recount(s, cid)
        counts = record.counts(s, cid)
    assert counts[MessageStatus.SENT] == SHARED
    assert counts[MessageStatus.FAILED] == 1 and counts[MessageStatus.QUEUED] == 2
    for mid in sent:
        m = rows[mid]
        assert (m.status, m.channel_id, m.attempts, m.error) == ("sent", channel, 1, "")
        assert m.sent_at == later and m.done_at == later and m.updated_at == later
    f = rows[failed]
    assert (f.status, f.reason, f.error, f.done_at, f.sent_at) == (
        "failed",
        "gwapi.bad_number",
        "E1: no such number",
        later,
        None,
    )
    for n, mid in enumerate(retried):
        q = rows[mid]
        assert (q.status, q.reason, q.done_at, q.sent_at) == ("queued", "gwapi.busy", None, None)
        assert q.due_at == later + timedelta(seconds=n)
    # One event for each message and each move, no more.
    assert sorted(events) == sorted([(mid, "sending") for mid in ids] + [(m.message_id, m.to.value) for m in moves])
