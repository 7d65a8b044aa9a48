"""Modem library throughput against a zero-latency simulated modem: the library must never be the
bottleneck of a real modem (about one SMS a second).

The comparison with python-gsmmodem (a benchmark-only dependency, `pip install python-gsmmodem-new`) runs
both libraries against simulated modems on Linux pseudo-terminals, since python-gsmmodem opens device files
only. Each simulator runs in a process of its own (`python -m modem.sim --pty`), as a modem is a device of its
own: in the measuring process it would share one interpreter lock with the library it answers. Both libraries
send the same messages the same way: single-part, with a status report requested (which python-gsmmodem
always does), after the same warm-up; the reports are due only long after the run.

Timings on a shared machine swing by a factor of two from one second to the next, so the two are not timed one
after the other: both stay connected and take turns in short batches (BATCH messages each, ROUNDS times), and
the ratio is that of their total times over the same stretch. A third turn sends the same PDUs with a bare
write/read loop and no library at all: the most any library can reach on this simulator and pseudo-terminal,
printed beside the ratio so that what is the library's and what is the simulator's round trip can be told apart.
Each simulator's journal (what it accepted) is checked against the TP-MRs each library returned.
"""

from __future__ import annotations

import importlib.util
import json
import os
import select
import subprocess
import sys
import tempfile
import time
import tty
from collections.abc import Callable
from pathlib import Path

from modem.codec import encode_submit
from modem.device import Modem
from modem.sim import SimModem
from tests.benchmarks.harness import Benchmark, Figure, Stopwatch

TEXT = "【短信精灵】各位同事:明天上午九点在三楼会议室开会。"  # one UCS2 part
COUNT = 1000
WARM_UP = 20
BATCH = 25
ROUNDS = 40  # 1,000 messages each
ROOT = Path(__file__).resolve().parents[2]


def _ours(url: str, count: int, sim: SimModem) -> float:
    with Modem.open(url) as gsm:
        for _ in range(WARM_UP):
            gsm.send_sms("+8613800138000", TEXT)
        before = len(sim.sent)
        mrs: list[int] = []
        with Stopwatch() as watch:
            for i in range(count):
                mrs.extend(gsm.send_sms(f"+86139{i:08d}", TEXT).parts)
    sent = sim.sent[before:]
    assert len(sent) == count and [s.tp_mr for s in sent] == mrs, "lost or mismatched TP-MR"
    assert all(s.text == TEXT for s in sent)
    return count / watch.seconds


class _SimProcess:
    """A simulated modem on a pseudo-terminal in a child process; its journal once stopped."""

    def __init__(self, name: str, folder: Path) -> None:
        self.journal = folder / f"{name}.jsonl"
        url = f"sim://{name}-{os.getpid()}?latency=0&seed=1&sr_delay=3600"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "modem.sim", "--pty", url, "--journal", str(self.journal)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.path = self.proc.stdout.readline().strip()
        if not self.path:
            raise RuntimeError("the simulated modem did not start")

    def stop(self) -> list[dict]:
        self.proc.terminate()
        self.proc.communicate(timeout=30)
        return [json.loads(line) for line in self.journal.read_text(encoding="utf-8").splitlines()]


def _number(i: int) -> str:
    return f"+86139{i % 100_000_000:08d}"


class _Ours:
    def __init__(self, path: str) -> None:
        self.modem = Modem.open(path)
        self.refs: list[int] = []

    def send(self, i: int) -> None:
        self.refs.extend(self.modem.send_sms(_number(i), TEXT, status_report=True).parts)

    def close(self) -> None:
        self.modem.close()


class _Theirs:
    def __init__(self, path: str) -> None:
        from gsmmodem.modem import GsmModem

        self.modem = GsmModem(path, 115200)
        self.modem.connect()
        self.refs: list[int] = []

    def send(self, i: int) -> None:
        self.refs.append(self.modem.sendSms(_number(i), TEXT, waitForDeliveryReport=False).reference)

    def close(self) -> None:
        self.modem.close()


class _Bare:
    """AT+CMGS and the PDU written, the `> ` and the final OK awaited, on the raw pseudo-terminal: no parsing, no
    threads, no checks, PDUs encoded beforehand. No library can be faster on this simulator."""

    def __init__(self, path: str, count: int) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)
        self.pdus = [
            (f"AT+CMGS={pdu.tpdu_length}\r".encode(), pdu.hex.encode() + b"\x1a")
            for pdu in (encode_submit(_number(i), TEXT, tp_mr=0, request_status_report=True)[0] for i in range(count))
        ]
        self.refs: list[int] = []
        for command in (b"ATE0\r", b"AT+CMGF=0\r"):
            self._exchange(command, b"OK\r\n")

    def _exchange(self, data: bytes, until: bytes) -> bytes:
        os.write(self.fd, data)
        got = b""
        while until not in got:
            if not select.select([self.fd], [], [], 10)[0]:
                raise TimeoutError(f"no {until!r} after {data!r}")
            got += os.read(self.fd, 4096)
        return got

    def send(self, i: int) -> None:
        command, body = self.pdus[i]
        self._exchange(command, b"> ")
        reply = self._exchange(body, b"OK\r\n")
        self.refs.append(int(reply.split(b"+CMGS:")[1].split(b"\r")[0]))

    def close(self) -> None:
        os.close(self.fd)


def run() -> list[Figure]:
    sim = SimModem(latency=0, seed=1)
    try:
        rate = _ours(sim.url, COUNT, sim)
    finally:
        sim.remove()
    return [Figure("Modem.send_sms, single-part, zero-latency sim://", rate, "SMS/s", 300, higher_is_better=True)]


def run_comparison() -> list[Figure]:
    if not sys.platform.startswith("linux") or importlib.util.find_spec("gsmmodem") is None:
        print("   (python-gsmmodem not installed or not Linux: comparison skipped)")
        return []
    total = BATCH * ROUNDS
    with tempfile.TemporaryDirectory() as tmp:
        sims = {name: _SimProcess(name, Path(tmp)) for name in ("ours", "theirs", "bare")}
        makers: dict[str, Callable[[str], _Ours | _Theirs | _Bare]] = {
            "ours": _Ours,
            "theirs": _Theirs,
            "bare": lambda path: _Bare(path, total + WARM_UP),
        }
        clients = {}
        seconds = dict.fromkeys(sims, 0.0)
        cpu = dict.fromkeys(sims, 0.0)
        warm: dict[str, int] = {}
        try:
            for name, make in makers.items():
                clients[name] = client = make(sims[name].path)
                for i in range(WARM_UP):
                    client.send(total + i)
                warm[name] = len(client.refs)
            for round_ in range(ROUNDS):
                order = list(clients.items())
                for name, client in order[round_ % 3 :] + order[: round_ % 3]:  # each goes first in turn
                    first = round_ * BATCH
                    started, cpu_started = time.perf_counter(), time.process_time()
                    for i in range(first, first + BATCH):
                        client.send(i)
                    seconds[name] += time.perf_counter() - started
                    cpu[name] += time.process_time() - cpu_started
        finally:
            for client in clients.values():
                client.close()
            journals = {name: sim.stop() for name, sim in sims.items()}
    for name, client in clients.items():
        accepted = journals[name][warm[name] :]
        returned = client.refs[warm[name] :]
        assert len(accepted) == total, f"{name}: the simulator accepted {len(accepted)} of {total}"
        assert [row["tp_mr"] for row in accepted] == returned, f"{name}: lost or mismatched TP-MR"
        assert all(row["text"] == TEXT for row in accepted), f"{name}: a text arrived changed"
    rate = {name: total / s for name, s in seconds.items()}
    return [
        Figure(f"Modem.send_sms over a pty ({ROUNDS} turns of {BATCH})", rate["ours"], "SMS/s", higher_is_better=True),
        Figure("python-gsmmodem sendSms, same turns", rate["theirs"], "SMS/s", higher_is_better=True),
        Figure("bare write/read loop, same turns (the simulator's ceiling)", rate["bare"], "SMS/s"),
        Figure("ratio ours / python-gsmmodem", rate["ours"] / rate["theirs"], "x", 3, higher_is_better=True),
        Figure("  most any library could show here: bare / python-gsmmodem", rate["bare"] / rate["theirs"], "x"),
        Figure("  CPU a message in this process: ours", 1e6 * cpu["ours"] / total, "µs"),
        Figure("  CPU a message in this process: python-gsmmodem", 1e6 * cpu["theirs"] / total, "µs"),
        Figure("  CPU a message in this process: bare loop", 1e6 * cpu["bare"] / total, "µs"),
    ]


BENCHMARKS = [
    Benchmark("modem: send_sms through the simulated modem", run),
    Benchmark("modem: comparison with python-gsmmodem over a pty", run_comparison),
]
