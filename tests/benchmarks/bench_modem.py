"""Modem library throughput against a zero-latency simulated modem: the library must never be the
bottleneck of a real modem (about one SMS a second).

The comparison with python-gsmmodem (a benchmark-only dependency, `pip install python-gsmmodem-new`)
runs both libraries against the same simulator through a Linux pseudo-terminal, since
python-gsmmodem opens device files only; it is left out when the package is not installed.
"""

from __future__ import annotations

import importlib.util
import sys

from modem.device import Modem
from modem.sim import SimModem
from tests.benchmarks.harness import Benchmark, Figure, Stopwatch

TEXT = "【短信精灵】各位同事:明天上午九点在三楼会议室开会。"  # one UCS2 part
COUNT = 1000
PTY_COUNT = 300


def _ours(url: str, count: int, sim: SimModem) -> float:
    with Modem.open(url) as gsm:
        for _ in range(20):  # warm-up
            gsm.send_sms("+8613800138000", TEXT, status_report=False)
        before = len(sim.sent)
        mrs: list[int] = []
        with Stopwatch() as watch:
            for i in range(count):
                mrs.extend(gsm.send_sms(f"+86139{i:08d}", TEXT, status_report=False).parts)
    sent = sim.sent[before:]
    assert len(sent) == count and [s.tp_mr for s in sent] == mrs, "lost or mismatched TP-MR"
    assert all(s.text == TEXT for s in sent)
    return count / watch.seconds


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
    from gsmmodem.modem import GsmModem

    from modem.sim.pty import PtyBridge

    sim = SimModem(latency=0, seed=1)
    try:
        with PtyBridge(sim) as bridge:
            ours = _ours(bridge.path, PTY_COUNT, sim)
            theirs_modem = GsmModem(bridge.path, 115200)
            theirs_modem.connect()
            try:
                before = len(sim.sent)
                refs: list[int] = []
                with Stopwatch() as watch:
                    for i in range(PTY_COUNT):
                        sms = theirs_modem.sendSms(f"+86139{i:08d}", TEXT, waitForDeliveryReport=False)
                        refs.append(sms.reference)
            finally:
                theirs_modem.close()
            theirs = PTY_COUNT / watch.seconds
            sent = sim.sent[before:]
            assert len(sent) == PTY_COUNT and [s.tp_mr for s in sent] == refs, "python-gsmmodem lost a TP-MR"
    finally:
        sim.remove()
    return [
        Figure("Modem.send_sms over a pty", ours, "SMS/s", higher_is_better=True),
        Figure("python-gsmmodem sendSms over the same pty", theirs, "SMS/s", higher_is_better=True),
        Figure("ratio ours / python-gsmmodem", ours / theirs, "x", 3, higher_is_better=True),
    ]


BENCHMARKS = [
    Benchmark("modem: send_sms through the simulated modem", run),
    Benchmark("modem: comparison with python-gsmmodem over a pty", run_comparison),
]
