"""Several desktops on one PostgreSQL database (issue 8).

- Two dispatcher processes on one database, 10,000 messages over zero-latency simulated modems (two per
  process, tests/pg_dispatcher_process.py): every message leaves exactly once (the modems' journals) and is
  recorded sent once, at 1.8 times the throughput of one dispatcher process (with its two modems) or more.
- Import of 100,000 rows x 6 columns of .xlsx into an empty book on PostgreSQL, in a fresh process: 5 s.

The server is the one SMSJINGLING_TEST_PG names (`python -m tests.pg_cluster start DIR` starts one); without
it these say so and measure nothing. Rounds alternate one and two dispatchers; the figures are medians.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from tests.benchmarks.harness import Benchmark, Figure
from tests.core import sheets
from tests.pg_cluster import Databases

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("SMSJINGLING_TEST_PG", "")
MESSAGES = 10_000
ROUNDS = int(os.environ.get("SMSJINGLING_BENCH_ROUNDS", "3"))  # fewer for a quick look
DISPATCHER = [sys.executable, "-m", "tests.pg_dispatcher_process", "--modems", "2", "--timeout", "900"]


def _no_server() -> list[Figure]:
    print("   skipped: no PostgreSQL server (SMSJINGLING_TEST_PG; `python -m tests.pg_cluster start DIR` starts one)")
    return []


def _dispatch(databases: Databases, processes: int, tmp: Path) -> float:
    """Queue MESSAGES on a fresh database, send them with `processes` dispatcher processes; messages a second.
    Checks that every message left once and is recorded sent once."""
    from smsjingling.sending import record
    from smsjingling.storage.database import open_database
    from smsjingling.storage.sending import Message, MessageStatus
    from tests.core.sending_helpers import queue_campaign

    url = databases.create()
    try:
        db = open_database(url)
        campaign = queue_campaign(db, [f"+86136{i:08d}" for i in range(MESSAGES)], "账单提醒")
        names = "AB"[:processes]
        journals = {name: tmp / f"{processes}-{name}.jsonl" for name in names}
        target = url.render_as_string(hide_password=False)
        procs = [
            subprocess.Popen(
                [*DISPATCHER, target, "--instance", name, "--journal", str(journals[name])],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in names
        ]
        reports = []
        for proc in procs:
            out, err = proc.communicate(timeout=900)
            assert proc.returncode == 0, err
            reports.append(json.loads(out.strip().splitlines()[-1]))
        left = Counter(
            json.loads(line)["text"] for j in journals.values() for line in j.read_text("utf-8").splitlines()
        )
        assert len(left) == MESSAGES and set(left.values()) == {1}, "a message left twice, or not at all"
        with db.reader() as s:
            statuses = Counter(s.execute(select(Message.status).where(Message.campaign_id == campaign)).scalars())
            assert record.counts(s, campaign) == record.recount(s, campaign)
        assert statuses[MessageStatus.SENT.value] + statuses[MessageStatus.DELIVERED.value] == MESSAGES, statuses
        db.close()
    finally:
        databases.drop(url)
    seconds = max(r["finished"] for r in reports) - min(r["started"] for r in reports)
    return MESSAGES / seconds


def two_dispatchers() -> list[Figure]:
    if not SERVER:
        return _no_server()
    databases = Databases(SERVER)
    one: list[float] = []
    two: list[float] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(ROUNDS):
                one.append(_dispatch(databases, 1, Path(tmp)))
                two.append(_dispatch(databases, 2, Path(tmp)))
    finally:
        databases.close()
    ratios = [b / a for a, b in zip(one, two, strict=True)]
    return [
        Figure("one dispatcher process, 2 modems: messages/s (median)", statistics.median(one), "msg/s"),
        Figure("two dispatcher processes, 2 modems each: messages/s", statistics.median(two), "msg/s"),
        Figure("  each message sent exactly once (journals, record)", 1.0, "yes", 1.0, higher_is_better=True),
        Figure("two over one (median of the rounds' ratios)", statistics.median(ratios), "x", 1.8, True),
    ]


def import_100k() -> list[Figure]:
    if not SERVER:
        return _no_server()
    from tests.benchmarks.bench_import import CHILD

    databases = Databases(SERVER)
    runs: list[dict] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = sheets.write_big_xlsx(Path(tmp) / "contacts-100k.xlsx", rows=100_000)
            for _ in range(ROUNDS):
                url = databases.create()
                try:
                    code = CHILD.format(root=str(ROOT), db=url.render_as_string(hide_password=False), path=str(path))
                    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
                    report = json.loads(result.stdout.strip().splitlines()[-1])
                    assert report["added"] == 100_000, report
                    runs.append(report)
                finally:
                    databases.drop(url)
    finally:
        databases.close()
    seconds = [r["seconds"] for r in runs]
    return [
        Figure("import 100,000 x 6 .xlsx into PostgreSQL, fresh process", statistics.median(seconds), "s", 5.0),
        Figure("  its CPU time, both client processes", statistics.median(r["cpu"] for r in runs), "s"),
    ]


BENCHMARKS = [
    Benchmark("postgres: two dispatcher processes, 10,000 messages", two_dispatchers, {"postgres"}),
    Benchmark("postgres: import 100,000 rows", import_100k, {"postgres"}),
]
