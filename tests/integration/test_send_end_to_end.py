"""A 1,000-recipient campaign over four simulated modems with faults injected: every message ends in a final
state, and that state matches exactly what the simulators accepted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from modem.sim.port import SimModem
from smsjingling.sending import record
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.rules import SendRules
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Campaign, Message, MessageStatus
from tests.core.sending_helpers import modem_worker, queue_campaign, wait_until

N = 1000


@pytest.fixture
def four() -> Iterator[list[SimModem]]:
    sims = [
        SimModem(latency=0, sr_delay=0.05, seed=1, cms_rate=0.05, cms_code=500),  # busy network: retry later
        SimModem(latency=0, sr_delay=0.05, seed=2, garbage_rate=0.1),  # line noise before replies
        SimModem(latency=0, sr_delay=0.05, seed=3, cms_on=frozenset({7, 50, 51}), cms_code=304),  # bad PDUs
        SimModem(latency=0, sr_delay=0.05, seed=4, rssi_every=0.01, sr_status=0x41),  # URC storm, undeliverable
    ]
    yield sims
    for sim in sims:
        sim.remove()


def test_thousand_messages_over_four_faulty_modems_end_exactly_as_the_modems_say(
    db: Database, four: list[SimModem]
) -> None:
    phones = [f"+86137{i:08d}" for i in range(N)]
    cid = queue_campaign(db, phones, "年终总结会通知")
    rules = SendRules(max_attempts=5, retry_base=0.01, retry_max=0.05, failures_before_rest=50, rest_seconds=0.5)
    workers = [modem_worker(db, sim, depth=4) for sim in four]

    def settled() -> bool:
        with db.reader() as s:
            n = record.counts(s, cid)
        return n[MessageStatus.QUEUED] == n[MessageStatus.SENDING] == n[MessageStatus.SENT] == 0

    with Dispatcher(db, workers, rules=rules, poll_seconds=0.02):
        wait_until(settled, timeout=120, step=0.1)

    accepted = Counter(p.recipient for sim in four for p in sim.sent)
    texts = {p.recipient: p.text for sim in four for p in sim.sent}
    with db.reader() as s:
        assert record.counts(s, cid) == record.recount(s, cid)
        assert s.get(Campaign, cid).status == "completed"
        rows = s.execute(select(Message).where(Message.campaign_id == cid)).scalars().all()
    statuses = Counter(m.status for m in rows)
    assert sum(statuses.values()) == N
    for m in rows:
        if m.status in (MessageStatus.DELIVERED, MessageStatus.UNDELIVERED):
            assert accepted[m.phone] == 1 and texts[m.phone] == m.text, m.phone
        elif m.status == MessageStatus.FAILED:
            assert accepted[m.phone] == 0 and m.reason in ("send.rejected", "send.retries_spent"), (m.phone, m.reason)
        else:
            pytest.fail(f"{m.phone} ended {m.status}")
    assert statuses[MessageStatus.FAILED] >= 3  # the three bad PDUs at least
    assert statuses[MessageStatus.UNDELIVERED] > 0  # the fourth modem's reports say so
    assert sum(accepted.values()) == statuses[MessageStatus.DELIVERED] + statuses[MessageStatus.UNDELIVERED]
    # Every modem took a share of the work.
    assert all(len(sim.sent) > N // 10 for sim in four)
