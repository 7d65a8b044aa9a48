"""Modem library throughput against a zero-latency simulated modem: the library must never be the
bottleneck of a real modem (about one SMS a second)."""

from __future__ import annotations

from modem.device import Modem
from modem.sim import SimModem
from tests.benchmarks.harness import Benchmark, Figure, Stopwatch

TEXT = "【短信精灵】各位同事:明天上午九点在三楼会议室开会。"  # one UCS2 part
COUNT = 1000


def run() -> list[Figure]:
    sim = SimModem(latency=0, seed=1)
    try:
        with Modem.open(sim.url) as gsm:
            for _ in range(20):  # warm-up
                gsm.send_sms("+8613800138000", TEXT, status_report=False)
            mrs: list[int] = []
            with Stopwatch() as watch:
                for i in range(COUNT):
                    mrs.extend(gsm.send_sms(f"+86139{i:08d}", TEXT, status_report=False).parts)
        sent = sim.sent[20:]
        assert len(sent) == COUNT and [s.tp_mr for s in sent] == mrs, "lost or mismatched TP-MR"
        assert all(s.text == TEXT for s in sent)
    finally:
        sim.remove()
    return [Figure("Modem.send_sms, single-part, zero-latency sim://", COUNT / watch.seconds, "SMS/s", 300,
                   higher_is_better=True)]


BENCHMARKS = [Benchmark("modem: send_sms through the simulated modem", run)]
