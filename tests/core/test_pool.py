"""The modem pool: carrier preference, per-SIM caps, a failing modem resting while the others take its work,
send windows, and pause with messages already handed to a modem."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from datetime import time as time_of_day

import pytest

from modem.sim.port import SimModem
from smsjingling.sending import record
from smsjingling.sending.campaigns import Campaigns
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.limits import Limits
from smsjingling.sending.rules import SendRules
from smsjingling.storage.database import Database
from smsjingling.storage.sending import MessageStatus
from smsjingling.storage.types import utcnow
from tests.core.sending_helpers import modem_worker, queue_campaign, wait_until


@pytest.fixture
def sims() -> Iterator[list[SimModem]]:
    made: list[SimModem] = []
    yield made
    for sim in made:
        sim.remove()


def counts(db: Database, cid: int) -> dict[MessageStatus, int]:
    with db.reader() as s:
        return record.counts(s, cid)


def test_a_sim_of_the_recipients_carrier_is_preferred(db: Database, sims: list[SimModem]) -> None:
    mobile, unicom = SimModem(latency=0, sr_delay=0.01), SimModem(latency=0, sr_delay=0.01)
    sims += [mobile, unicom]
    phones = [f"+86138{i:08d}" for i in range(10)] + [f"+86186{i:08d}" for i in range(10)]
    carriers = {p: ("mobile" if p.startswith("+86138") else "unicom") for p in phones}
    cid = queue_campaign(db, phones, carriers=carriers)
    workers = [
        modem_worker(db, mobile, carrier="mobile", depth=20),
        modem_worker(db, unicom, carrier="unicom", depth=20),
    ]
    with Dispatcher(db, workers, poll_seconds=0.02):
        wait_until(lambda: counts(db, cid)[MessageStatus.DELIVERED] == 20)
    assert {p.recipient[:6] for p in mobile.sent} == {"+86138"}
    assert {p.recipient[:6] for p in unicom.sent} == {"+86186"}


def test_hourly_cap_holds_a_sim_and_the_others_take_the_rest(db: Database, sims: list[SimModem]) -> None:
    capped, free = SimModem(latency=0, sr_delay=0.01), SimModem(latency=0, sr_delay=0.01)
    sims += [capped, free]
    cid = queue_campaign(db, [f"+86139{i:08d}" for i in range(30)])
    workers = [
        modem_worker(db, capped, limits=Limits(hourly_cap=3, daily_cap=0), depth=2),
        modem_worker(db, free, depth=2),
    ]
    with Dispatcher(db, workers, poll_seconds=0.02):
        wait_until(lambda: counts(db, cid)[MessageStatus.DELIVERED] == 30)
    assert len(capped.sent) == 3 and len(free.sent) == 27


def test_a_modem_failing_in_a_row_rests_and_its_work_moves_on(db: Database, sims: list[SimModem]) -> None:
    broken = SimModem(latency=0, cms_rate=1.0, cms_code=38, seed=1)  # network out of order, every time
    good = SimModem(latency=0, sr_delay=0.01)
    sims += [broken, good]
    cid = queue_campaign(db, [f"+86135{i:08d}" for i in range(20)])
    rules = SendRules(max_attempts=10, retry_base=0.01, retry_max=0.02, failures_before_rest=3, rest_seconds=60)
    workers = [modem_worker(db, broken, depth=2), modem_worker(db, good, depth=2)]
    with Dispatcher(db, workers, rules=rules, poll_seconds=0.02):
        wait_until(lambda: counts(db, cid)[MessageStatus.DELIVERED] == 20)
        assert workers[0].resting()
    assert broken.sends_so_far == 3 and len(broken.sent) == 0 and len(good.sent) == 20


def test_marketing_waits_for_its_window_notices_do_not(db: Database, sims: list[SimModem]) -> None:
    sim = SimModem(latency=0, sr_delay=0.01)
    sims.append(sim)
    # 22:30 in Beijing tomorrow: after the messages' due time (now), whatever the time of day the test runs.
    night = datetime.combine(utcnow().date() + timedelta(days=1), time_of_day(14, 30), tzinfo=UTC)
    marketing = queue_campaign(db, ["+8613600000001", "+8613600000002"], kind="marketing")
    notice = queue_campaign(db, ["+8613600000003"], kind="notice")
    clock = {"now": night}
    with Dispatcher(db, [modem_worker(db, sim)], poll_seconds=0.02, clock=lambda: clock["now"]) as d:
        wait_until(lambda: counts(db, notice)[MessageStatus.DELIVERED] == 1)
        time.sleep(0.3)  # a few dispatcher rounds pass with the window shut
        assert counts(db, marketing)[MessageStatus.QUEUED] == 2 and len(sim.sent) == 1
        clock["now"] = night + timedelta(hours=10)  # 08:30 in Beijing
        d.wake()
        wait_until(lambda: counts(db, marketing)[MessageStatus.DELIVERED] == 2)


def test_pause_keeps_handed_out_messages_from_the_modem(db: Database, sims: list[SimModem]) -> None:
    sim = SimModem(latency=0.01, sms_latency=0.2, sr_delay=0.01)
    sims.append(sim)
    cid = queue_campaign(db, [f"+86133{i:08d}" for i in range(12)])
    campaigns = Campaigns(db, actor="tester")
    with Dispatcher(db, [modem_worker(db, sim, depth=6)], poll_seconds=0.02):
        wait_until(lambda: len(sim.sent) >= 2)
        campaigns.pause(cid)
        wait_until(lambda: counts(db, cid)[MessageStatus.SENDING] == 0)
        sent_at_pause = len(sim.sent)
        time.sleep(0.6)
        assert len(sim.sent) == sent_at_pause  # nothing more left while paused
        campaigns.resume(cid)
        wait_until(lambda: counts(db, cid)[MessageStatus.DELIVERED] == 12)
    assert len(sim.sent) == 12
