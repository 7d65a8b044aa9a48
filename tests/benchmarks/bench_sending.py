"""Sending engine benchmarks (issue 4).

- Expand and queue a 100,000-recipient campaign with merge fields (render, count, keyword check, write).
- The whole pipeline (claim, send, record) on one zero-latency simulated modem.
- Sixteen simulated modems at a real modem's pace (2 s a message) against one, for the same time.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select

from modem.sim import SimModem
from smsjingling.sending import record
from smsjingling.sending.campaigns import CampaignRequest, Campaigns
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.expand import Recipients
from smsjingling.sending.limits import Limits, SendBudget
from smsjingling.sending.modem_link import ModemLink
from smsjingling.sending.rules import DAILY_MAX, RECIPIENT_CAP
from smsjingling.sending.worker import ChannelWorker
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.database import Database, open_database
from smsjingling.storage.models import Contact, Group, contact_groups
from smsjingling.storage.sending import Campaign, Channel, Message, MessageStatus
from smsjingling.storage.types import utcnow
from tests.benchmarks.harness import Benchmark, Figure, Stopwatch

RECIPIENTS = 100_000
PIPELINE = 3000
POOL = 16
POOL_SECONDS = 20.0


def _book(db: Database, n: int) -> None:
    now = utcnow()
    depts = ["销售部", "财务部", "人事部", "技术部", "行政部"]
    with db.session() as s:
        group = Group(name="全体")
        s.add(group)
        s.flush()
        s.execute(
            insert(Contact),
            [
                {
                    "name": f"员工{i}",
                    "phone": f"+86138{i:08d}",
                    "sms_capable": True,
                    "carrier": "mobile",
                    "region": "",
                    "fields": {"部门": depts[i % 5], "职务": "职员"},
                    "created_at": now,
                    "updated_at": now,
                    "consent_source": "",
                }
                for i in range(n)
            ],
        )
        ids = s.execute(select(Contact.id)).scalars().all()
        s.execute(insert(contact_groups), [{"contact_id": i, "group_id": group.id} for i in ids])


def expand_100k() -> list[Figure]:
    from smsjingling.keywords import KeywordStore

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(str(Path(tmp) / "bench.sqlite3"))
        _book(db, RECIPIENTS)
        settings = Settings(db)
        settings.set(SIGNATURE, "短信精灵")
        settings.set(RECIPIENT_CAP, RECIPIENTS)
        settings.set(DAILY_MAX, RECIPIENTS * 2)
        store = KeywordStore(db)
        campaigns = Campaigns(db, actor="bench", matcher=store.matcher)
        store.matcher()  # the automaton is built once per list change, not per send
        request = CampaignRequest(
            "{姓名}您好：{部门}的{职务|同事}请于明天上午九点到三楼会议室开会。", Recipients(groups=("全体",))
        )
        with Stopwatch() as watch:
            cid = campaigns.create(request)
        with db.reader() as s:
            queued = record.counts(s, cid)[MessageStatus.QUEUED]
        db.close()
    assert queued == RECIPIENTS, queued
    return [Figure("expand + queue 100,000 recipients with merge fields", watch.seconds, "s", 5.0)]


def _queue(db: Database, n: int, policy: str = "pool") -> int:
    now = utcnow()
    with db.session() as s:
        c = Campaign(name="bench", template="t", status="running", channel_policy=policy)
        s.add(c)
        s.flush()
        s.execute(
            insert(Message),
            [
                {
                    "campaign_id": c.id,
                    "phone": f"+86139{i:08d}",
                    "text": f"【短信精灵】明天放假一天。{i}",
                    "segments": 1,
                    "status": "queued",
                    "due_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(n)
            ],
        )
        record.add_new(s, c.id, ["queued"] * n)
        return c.id


def _workers(db: Database, sims: list[SimModem], depth: int) -> list[ChannelWorker]:
    workers = []
    with db.session() as s:
        for sim in sims:
            ch = Channel(kind="modem", name=sim.name, config={"url": sim.url})
            s.add(ch)
            s.flush()
            budget = SendBudget(Limits(hourly_cap=0, daily_cap=0))
            workers.append(ChannelWorker(ch.id, sim.name, ModemLink(sim.url), budget, depth=depth))
    return workers


def _done(db: Database, cid: int) -> int:
    with db.reader() as s:
        n = record.counts(s, cid)
        return n[MessageStatus.SENT] + n[MessageStatus.DELIVERED]


def pipeline() -> list[Figure]:
    sim = SimModem(latency=0, seed=3)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = open_database(str(Path(tmp) / "bench.sqlite3"))
            cid = _queue(db, PIPELINE)
            dispatcher = Dispatcher(db, _workers(db, [sim], depth=16), poll_seconds=0.01)
            with Stopwatch() as watch:
                dispatcher.start()
                while _done(db, cid) < PIPELINE:
                    time.sleep(0.05)
            dispatcher.stop()
            with db.reader() as s:
                assert record.counts(s, cid) == record.recount(s, cid)
                left = s.execute(select(func.count()).where(Message.status.in_(["sent", "delivered"]))).scalar()
            db.close()
        assert len(sim.sent) == PIPELINE and left == PIPELINE
    finally:
        sim.remove()
    return [
        Figure(
            "pipeline claim+send+record, one zero-latency modem",
            PIPELINE / watch.seconds,
            "msg/s",
            200,
            higher_is_better=True,
        )
    ]


def _sent_in(modems: int, seconds: float) -> int:
    sims = [SimModem(latency=0.05, sms_latency=2.0, sr_delay=3.0, seed=i) for i in range(modems)]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = open_database(str(Path(tmp) / "bench.sqlite3"))
            cid = _queue(db, 40 * modems)
            dispatcher = Dispatcher(db, _workers(db, sims, depth=1), poll_seconds=0.05)
            dispatcher.start()
            time.sleep(seconds)
            sent = sum(len(sim.sent) for sim in sims)
            dispatcher.stop()
            with db.reader() as s:
                assert record.counts(s, cid) == record.recount(s, cid)
            db.close()
        return sent
    finally:
        for sim in sims:
            sim.remove()


def pool_scaling() -> list[Figure]:
    one = _sent_in(1, POOL_SECONDS)
    many = _sent_in(POOL, POOL_SECONDS)
    return [
        Figure(f"one modem at 2 s/message, {POOL_SECONDS:g} s", one, "msgs"),
        Figure(f"{POOL} modems at 2 s/message, {POOL_SECONDS:g} s", many, "msgs"),
        Figure(f"pool speed-up ({POOL} modems)", many / one, "x", 15.0, higher_is_better=True),
    ]


BENCHMARKS = [
    Benchmark("sending: expand 100k", expand_100k),
    Benchmark("sending: pipeline", pipeline),
    Benchmark("sending: pool of 16", pool_scaling),
]
