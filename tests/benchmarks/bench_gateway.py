"""Gateway benchmarks (issue 5): recipients a second from queued to accepted by the simulated vendor gateway
(real HTTP on loopback), batching as the API allows, with zero and with 50 ms of latency per request.

The simulator runs in a process of its own (`smsjingling gateway-sim`), as a real vendor's server would: in
the benchmark's process it would share one interpreter lock with the engine it is measuring. The account
allows BATCH numbers a request (the API's default is 1,000; an account may say otherwise, and the adapter
takes what the account declares).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from smsjingling.sending import record
from smsjingling.sending.channels import DEMO_GATEWAY_KEY, add_gateway, build_workers
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.rules import SendRules
from smsjingling.storage.database import open_database
from smsjingling.storage.sending import MessageStatus
from tests.benchmarks.bench_sending import _queue
from tests.benchmarks.harness import Benchmark, Figure, Stopwatch

COUNT = 20_000
BATCH = 2000
CONCURRENCY = 8
ROOT = Path(__file__).resolve().parents[2]
_URL = re.compile(r"http://127\.0\.0\.1:\d+")
_ACCEPTED = re.compile(r"(?:已受理|accepted) (\d+)")


class SimProcess:
    """`smsjingling gateway-sim` in a child process: its address from the banner, its count from the summary."""

    def __init__(self, latency: float) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "smsjingling.cli.main", "--lang", "en", "gateway-sim", "--port", "0",
                "--account", "bench", "--key", DEMO_GATEWAY_KEY, "--balance", "10000000", "--price", "5",
                "--max-batch", str(BATCH), "--report-delay", "3600", "--latency", str(latency),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if found := _URL.search(line):
                self.url = found.group(0)
                return
        raise RuntimeError("the simulated gateway did not start")

    def cpu_seconds(self) -> float:
        """User and system time the simulator's process has used (Linux /proc; 0.0 elsewhere)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> int:
        """Stop it; the number of messages it accepted."""
        self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=30)
        found = _ACCEPTED.search(out)
        return int(found.group(1)) if found else -1


def _rate(latency: float) -> tuple[float, float, float]:
    """Messages a second, and the CPU time a message cost this process (the engine, every thread) and the
    simulator's, in µs: on a machine shared with other work the rate says how busy it was, the CPU times
    what the throughput would be with a core each."""
    sim = SimProcess(latency)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = open_database(str(Path(tmp) / "bench.sqlite3"))
            add_gateway(
                db, "gw", sim.url, "bench", demo=True, poll_seconds=3600, concurrency=CONCURRENCY, max_batch=BATCH
            )
            cid = _queue(db, COUNT, "gateway")
            rules = SendRules(maintenance=None)  # the vendor's night pause is not what is measured
            dispatcher = Dispatcher(db, build_workers(db), rules=rules, poll_seconds=0.01, result_batch=BATCH * 2)
            # The counters are read when the dispatcher has recorded results (its "messages" event), not
            # every few milliseconds: reading them costs this process CPU time, and so the engine measured.
            recorded = threading.Event()
            dispatcher.bus.subscribe(lambda _event: recorded.set(), "messages")
            cpu, sim_cpu = time.process_time(), sim.cpu_seconds()
            with Stopwatch() as watch:
                dispatcher.start()
                while True:
                    recorded.wait(0.5)
                    recorded.clear()
                    with db.reader() as s:
                        if record.counts(s, cid)[MessageStatus.SENT] >= COUNT:
                            break
            cpu, sim_cpu = time.process_time() - cpu, sim.cpu_seconds() - sim_cpu
            dispatcher.stop()
            db.close()
    finally:
        accepted = sim.stop()
    assert accepted == COUNT, accepted
    return COUNT / watch.seconds, 1e6 * cpu / COUNT, 1e6 * sim_cpu / COUNT


def gateway() -> list[Figure]:
    zero, engine_us, sim_us = _rate(0.0)
    slow, _, _ = _rate(0.05)
    return [
        Figure("gateway: queued -> accepted, zero latency", zero, "msg/s", 5000, higher_is_better=True),
        Figure("gateway: queued -> accepted, 50 ms a request", slow, "msg/s", 2000, higher_is_better=True),
        Figure("gateway: engine CPU a message (all threads)", engine_us, "µs"),
        Figure("gateway: simulator CPU a message", sim_us, "µs"),
    ]


BENCHMARKS = [Benchmark("gateway: throughput", gateway)]
