"""Modem library throughput against a zero-latency simulated modem: the library must never be the
bottleneck of a real modem (about one SMS a second).

The comparison with python-gsmmodem (a benchmark-only dependency, `pip install python-gsmmodem-new`)
runs both libraries against the same simulator through a Linux pseudo-terminal, since
python-gsmmodem opens device files only; it is left out when the package is not installed.
Both send the same messages the same way: single-part, with a status report requested (which
python-gsmmodem always does), after the same warm-up. The status reports are due only long
after the run, so that neither library is timed while handling the other's. Timings on a shared
machine are noisy, so the two take turns, ROUNDS times (each going first in every other round);
the figures are the medians, and the ratio is the median of the rounds' ratios.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys

from modem.device import Modem
from modem.sim import SimModem
from tests.benchmarks.harness import Benchmark, Figure, Stopwatch

TEXT = "【短信精灵】各位同事:明天上午九点在三楼会议室开会。"  # one UCS2 part
COUNT = 1000
PTY_COUNT = 300
WARM_UP = 20
ROUNDS = 5


def _ours(url: str, count: int, sim: SimModem, *, status_report: bool = False) -> float:
    with Modem.open(url) as gsm:
        for _ in range(WARM_UP):
            gsm.send_sms("+8613800138000", TEXT, status_report=status_report)
        before = len(sim.sent)
        mrs: list[int] = []
        with Stopwatch() as watch:
            for i in range(count):
                mrs.extend(gsm.send_sms(f"+86139{i:08d}", TEXT, status_report=status_report).parts)
    sent = sim.sent[before:]
    assert len(sent) == count and [s.tp_mr for s in sent] == mrs, "lost or mismatched TP-MR"
    assert all(s.text == TEXT for s in sent)
    return count / watch.seconds


def _theirs(path: str, count: int, sim: SimModem) -> float:
    from gsmmodem.modem import GsmModem

    modem = GsmModem(path, 115200)
    modem.connect()
    try:
        for _ in range(WARM_UP):
            modem.sendSms("+8613800138000", TEXT, waitForDeliveryReport=False)
        before = len(sim.sent)
        refs: list[int] = []
        with Stopwatch() as watch:
            for i in range(count):
                refs.append(modem.sendSms(f"+86139{i:08d}", TEXT, waitForDeliveryReport=False).reference)
    finally:
        modem.close()
    sent = sim.sent[before:]
    assert len(sent) == count and [s.tp_mr for s in sent] == refs, "python-gsmmodem lost a TP-MR"
    assert all(s.text == TEXT for s in sent)
    return count / watch.seconds


def _joined(values: list[float], spec: str) -> str:
    return " ".join(format(v, spec) for v in values)


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
    from modem.sim.pty import PtyBridge

    sim = SimModem(latency=0, seed=1, sr_delay=3600.0)
    ours: list[float] = []
    theirs: list[float] = []
    try:
        with PtyBridge(sim) as bridge:
            for round_ in range(ROUNDS):
                turns = [
                    (ours, lambda: _ours(bridge.path, PTY_COUNT, sim, status_report=True)),
                    (theirs, lambda: _theirs(bridge.path, PTY_COUNT, sim)),
                ]
                for results, measure in turns if round_ % 2 == 0 else reversed(turns):
                    results.append(measure())
    finally:
        sim.remove()
    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    print(
        f"   rounds of {PTY_COUNT}: ours {_joined(ours, '.0f')} | python-gsmmodem {_joined(theirs, '.0f')} SMS/s"
        f" | ratios {_joined(ratios, '.2f')}"
    )
    return [
        Figure(
            f"Modem.send_sms over a pty (median of {ROUNDS})", statistics.median(ours), "SMS/s", higher_is_better=True
        ),
        Figure(
            f"python-gsmmodem sendSms over the same pty (median of {ROUNDS})",
            statistics.median(theirs),
            "SMS/s",
            higher_is_better=True,
        ),
        Figure("ratio ours / python-gsmmodem", statistics.median(ratios), "x", 3, higher_is_better=True),
    ]


BENCHMARKS = [
    Benchmark("modem: send_sms through the simulated modem", run),
    Benchmark("modem: comparison with python-gsmmodem over a pty", run_comparison),
]
