"""The dispatcher against simulated modems speaking AT over pyserial: claims, sends, records, reports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from modem.sim.port import SimModem
from smsjingling.sending import record
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.rules import SendRules
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Campaign, Message, MessagePart, MessageStatus
from tests.core.sending_helpers import modem_worker, queue_campaign, wait_until

PHONES = [f"+86138{i:08d}" for i in range(40)]


@pytest.fixture
def sims() -> Iterator[list[SimModem]]:
    made: list[SimModem] = []
    yield made
    for sim in made:
        sim.remove()


def statuses(db: Database, campaign_id: int) -> dict[str, int]:
    with db.reader() as s:
        got = record.recount(s, campaign_id)
        assert got == record.counts(s, campaign_id), "campaign counters differ from the messages"
        return {k.value: v for k, v in got.items() if v}


def test_one_modem_sends_every_message_once_and_reports_arrive(db: Database, sims: list[SimModem]) -> None:
    sim = SimModem(latency=0, sr_delay=0.05)
    sims.append(sim)
    cid = queue_campaign(db, PHONES)
    with Dispatcher(db, [modem_worker(db, sim)], poll_seconds=0.05):
        wait_until(lambda: statuses(db, cid).get("delivered") == len(PHONES))
    assert sorted(p.number for p in sim.sent) == sorted(p.lstrip("+") for p in PHONES) or len(sim.sent) == 40
    assert statuses(db, cid) == {"delivered": 40}
    with db.reader() as s:
        assert s.execute(select(Campaign.status).where(Campaign.id == cid)).scalar() == "completed"
        parts = s.execute(select(MessagePart)).scalars().all()
        assert len(parts) == 40 and all(p.status == "delivered" for p in parts)
        assert all(m.attempts == 1 and m.sent_at for m in s.execute(select(Message)).scalars())


def test_retry_later_errors_back_off_then_fail_when_attempts_are_spent(db: Database, sims: list[SimModem]) -> None:
    sim = SimModem(latency=0, cms_on=frozenset({1, 2, 3}), cms_code=500, sr_delay=0.05)
    sims.append(sim)
    cid = queue_campaign(db, PHONES[:2])
    rules = SendRules(max_attempts=3, retry_base=0.05, retry_max=0.1, failures_before_rest=100)
    with Dispatcher(db, [modem_worker(db, sim, depth=1)], rules=rules, poll_seconds=0.02):
        # One look at the counts (three looks could each catch a message between two of its moves).
        wait_until(lambda: not {"queued", "sending", "sent"} & set(statuses(db, cid)))
    got = statuses(db, cid)
    # Three +CMS 500 in a row: one message needed 3 attempts or one was spent; every message is final.
    assert sum(got.values()) == 2 and set(got) <= {"delivered", "failed"}
    with db.reader() as s:
        msgs = s.execute(select(Message).where(Message.campaign_id == cid)).scalars().all()
        for m in msgs:
            if m.status == "failed":
                assert m.reason == "send.retries_spent" and m.attempts == 3
    assert len(sim.sent) == 2 and sim.sends_so_far == 5  # 3 refused, then the 2 that left


def test_permanent_error_fails_only_that_message(db: Database, sims: list[SimModem]) -> None:
    sim = SimModem(latency=0, cms_on=frozenset({2}), cms_code=304, sr_delay=0.05)
    sims.append(sim)
    cid = queue_campaign(db, PHONES[:5])
    with Dispatcher(db, [modem_worker(db, sim, depth=1)], poll_seconds=0.02):
        wait_until(lambda: statuses(db, cid).get("delivered", 0) == 4)
        wait_until(lambda: statuses(db, cid).get("failed", 0) == 1)
    with db.reader() as s:
        failed = s.execute(select(Message).where(Message.status == MessageStatus.FAILED.value)).scalar_one()
        assert failed.reason == "send.rejected" and "304" in failed.error
