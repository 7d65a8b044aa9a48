"""Two desktops on one PostgreSQL database, and the server restarted under them.

Two dispatcher processes (tests/pg_dispatcher_process.py), each with its own simulated modems, share one
campaign on a private PostgreSQL cluster; halfway through, the server is restarted (pg_ctl restart -m fast,
every connection cut). Each message must leave through exactly one modem (the modems' journals are the
truth about what left) and be recorded sent exactly once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from smsjingling.sending import record
from smsjingling.storage.database import Database, open_database
from smsjingling.storage.sending import Message, MessageEvent, MessageStatus
from tests.core.sending_helpers import queue_campaign
from tests.pg_cluster import Cluster, bindir

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 600

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("SMSJINGLING_TEST_PG"), reason="PostgreSQL tests not asked for"),
    pytest.mark.skipif(bindir() is None, reason="no PostgreSQL server binaries to run a private cluster"),
]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """A cluster of this module's own: restarting it disturbs no other test."""
    shm = Path("/dev/shm")  # in memory: the server's files cost no disk writes
    base = Path(tempfile.mkdtemp(dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
    base.chmod(0o755)  # the server's own account (under root) must reach its cluster inside
    root = base / "cluster"
    server = Cluster(root)
    server.init()
    server.start()
    yield server
    server.stop()
    shutil.rmtree(base, ignore_errors=True)


def _database(cluster: Cluster, name: str) -> Database:
    import psycopg

    with psycopg.connect(cluster.url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return open_database(cluster.url.rsplit("/", 1)[0] + f"/{name}")


def _sent(db: Database) -> int:
    with db.reader() as s:
        return s.execute(
            select(func.count()).where(Message.status.in_([MessageStatus.SENT.value, MessageStatus.DELIVERED.value]))
        ).scalar_one()


@pytest.mark.slow
@pytest.mark.allow_log_warnings  # the server goes away on purpose
def test_two_dispatchers_and_a_server_restart_send_each_message_once(cluster: Cluster, tmp_path: Path) -> None:
    db = _database(cluster, "two_desktops")
    url = db.url.render_as_string(hide_password=False)
    campaign = queue_campaign(db, [f"+86137{i:08d}" for i in range(MESSAGES)], "会议通知")
    journals = {name: tmp_path / f"{name}.jsonl" for name in ("A", "B")}
    child = [sys.executable, "-m", "tests.pg_dispatcher_process", url, "--modems", "2", "--depth", "2"]
    procs = {
        name: subprocess.Popen(
            [*child, "--instance", name, "--journal", str(journal), "--timeout", "120"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, journal in journals.items()
    }
    try:
        deadline = time.monotonic() + 60
        while _sent(db) < MESSAGES // 4:
            assert time.monotonic() < deadline, "the dispatchers did not get going"
            assert all(p.poll() is None for p in procs.values()), "a dispatcher ended early"
            time.sleep(0.05)
        db.engine.dispose()  # this process's connections too: the restart cuts them
        cluster.restart()
        outputs = {name: p.communicate(timeout=150) for name, p in procs.items()}
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.communicate()
    reports = {}
    for name, (out, err) in outputs.items():
        assert procs[name].returncode == 0, err
        reports[name] = json.loads(out.strip().splitlines()[-1])

    # Both shared the work, and both noticed the server leave and come back.
    assert all(r["sent"] > MESSAGES // 10 for r in reports.values()), reports
    assert all(r["database"][:2] == ["lost", "back"] for r in reports.values()), reports
    # The modems' journals: every message left once, through one modem of one desktop.
    texts = Counter(
        json.loads(line)["text"] for journal in journals.values() for line in journal.read_text("utf-8").splitlines()
    )
    assert len(texts) == MESSAGES and set(texts.values()) == {1}
    assert sum(r["sent"] for r in reports.values()) == MESSAGES
    # The record agrees: each message sent (one event saying so), the counters equal the messages.
    with db.reader() as s:
        rows = s.execute(select(Message.text, Message.status).where(Message.campaign_id == campaign)).all()
        assert record.counts(s, campaign) == record.recount(s, campaign)
        sent_events = Counter(
            s.execute(select(MessageEvent.message_id).where(MessageEvent.status == MessageStatus.SENT.value)).scalars()
        )
    db.close()
    assert {status for _, status in rows} <= {MessageStatus.SENT.value, MessageStatus.DELIVERED.value}
    assert {text for text, _ in rows} == set(texts)
    assert len(sent_events) == MESSAGES and set(sent_events.values()) == {1}
