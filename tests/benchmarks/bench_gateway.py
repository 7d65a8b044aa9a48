"""Gateway benchmarks (issue 5): recipients a second from queued to accepted by the simulated vendor gateway
(real HTTP on loopback), batching as the API allows, with zero and with 50 ms of latency per request."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from smsjingling.gateway.sim.server import GatewaySim
from smsjingling.sending import record
from smsjingling.sending.channels import DEMO_GATEWAY_KEY, add_gateway, build_workers
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.storage.database import open_database
from smsjingling.storage.sending import MessageStatus
from tests.benchmarks.bench_sending import _queue
from tests.benchmarks.harness import Benchmark, Figure, Stopwatch

COUNT = 20_000


def _rate(latency: float) -> float:
    sim = GatewaySim(latency=latency, report_delay=3600, seed=1)
    sim.add_account("bench", DEMO_GATEWAY_KEY, balance_fen=10**9, price_fen=5, max_batch=1000)
    sim.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = open_database(str(Path(tmp) / "bench.sqlite3"))
            add_gateway(db, "gw", sim.url, "bench", demo=True, poll_seconds=3600, concurrency=8)
            cid = _queue(db, COUNT, "gateway")
            dispatcher = Dispatcher(db, build_workers(db), poll_seconds=0.01, result_batch=2000)
            with Stopwatch() as watch:
                dispatcher.start()
                while True:
                    with db.reader() as s:
                        if record.counts(s, cid)[MessageStatus.SENT] >= COUNT:
                            break
                    time.sleep(0.05)
            dispatcher.stop()
            db.close()
        assert len(sim.books_of("bench").accepted) == COUNT
    finally:
        sim.stop()
    return COUNT / watch.seconds


def gateway() -> list[Figure]:
    return [
        Figure("gateway: queued -> accepted, zero latency", _rate(0.0), "msg/s", 5000, higher_is_better=True),
        Figure("gateway: queued -> accepted, 50 ms a request", _rate(0.05), "msg/s", 2000, higher_is_better=True),
    ]


BENCHMARKS = [Benchmark("gateway: throughput", gateway)]
