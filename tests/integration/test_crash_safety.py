"""Killing the sending process at random moments loses no message and sends none twice.

The simulated modem lives in another process, on a pseudo-terminal, so it outlives every kill and its
journal is the truth about what left. The dispatcher runs as `smsjingling run`, killed with SIGKILL (no
clean-up of any kind) at random moments twenty times, then run to the end.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from smsjingling.sending import record
from smsjingling.sending.channels import Channels
from smsjingling.storage.database import open_database
from smsjingling.storage.sending import Message, MessageStatus
from tests.core.sending_helpers import queue_campaign

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the simulator's pseudo-terminal is POSIX only")

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20
MESSAGES = 300


def _busy(db_path: Path) -> int:
    db = open_database(str(db_path))
    try:
        with db.reader() as s:
            return len(
                s.execute(
                    select(Message.id).where(
                        Message.status.in_([MessageStatus.QUEUED.value, MessageStatus.SENDING.value])
                    )
                ).all()
            )
    finally:
        db.close()


def test_kill_at_random_moments_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    sim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "modem.sim",
            "--pty",
            "sim://crash?latency=0.002&sms_latency=0.03&sr_delay=0.1&seed=7",
            "--journal",
            str(journal),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sim.stdout is not None
        pty = sim.stdout.readline().strip()
        db_path = tmp_path / "office.sqlite3"
        db = open_database(str(db_path))
        Channels(db).add_modem("crash", pty, hourly_cap=0, daily_cap=0)
        phones = [f"+86139{i:08d}" for i in range(MESSAGES)]
        campaign = queue_campaign(db, phones, "停电通知")
        db.close()
        rng = random.Random(20261123)
        run = [sys.executable, "-m", "smsjingling.cli.main", "--db", str(db_path), "-v", "run", "--no-demo"]
        for n in range(KILLS):
            proc = subprocess.Popen(run, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            assert proc.stdout is not None
            if n % 4:
                # Most kills land once the service is sending (start-up alone takes a second or more) ...
                proc.stdout.readline()
                time.sleep(rng.uniform(0.0, 0.8))
            else:
                # ... and some during start-up and recovery.
                time.sleep(rng.uniform(0.2, 1.5))
            proc.kill()
            proc.wait()
            proc.stdout.close()
        proc = subprocess.Popen(run, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while _busy(db_path) and time.monotonic() < deadline:
            time.sleep(0.2)
        proc.terminate()
        _, err = proc.communicate(timeout=30)
        (tmp_path / "final.log").write_text(err)
        assert proc.returncode == 0, err
    finally:
        sim.terminate()
        sim.wait(timeout=30)
        if sim.stdout is not None:
            sim.stdout.close()

    left = Counter(json.loads(line)["to"] for line in journal.read_text(encoding="utf-8").splitlines())
    assert max(left.values()) == 1, "a message left twice"
    db = open_database(str(db_path))
    with db.reader() as s:
        rows = s.execute(select(Message.phone, Message.status).where(Message.campaign_id == campaign)).all()
        assert record.counts(s, campaign) == record.recount(s, campaign)
    db.close()
    statuses = Counter(status for _, status in rows)
    assert len(rows) == MESSAGES and not statuses[MessageStatus.QUEUED] and not statuses[MessageStatus.SENDING]
    for phone, status in rows:
        went = left[phone]
        if status in (MessageStatus.SENT, MessageStatus.DELIVERED):
            assert went == 1, (phone, status)
        elif status == MessageStatus.UNKNOWN:
            assert went in (0, 1)
        else:
            assert went == 0, (phone, status)
    # Most messages got through; the kills only cost the ones caught in flight (shown as unknown).
    assert statuses[MessageStatus.SENT] + statuses[MessageStatus.DELIVERED] >= MESSAGES - KILLS
