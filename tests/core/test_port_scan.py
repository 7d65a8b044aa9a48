"""Scanning ports for modems to add: simulated modems given as candidates, progress, cancellation, and ports
that already belong to a channel left alone."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from modem.discovery import with_group
from modem.sim import SimModem
from smsjingling.sending.channels import Channels
from smsjingling.sending.port_scan import scan_ports, suggested_name
from smsjingling.storage.database import Database


@pytest.fixture
def sims() -> Iterator[list[SimModem]]:
    made: list[SimModem] = []
    yield made
    for sim in made:
        sim.remove()


def make(sims: list[SimModem], **kw: object) -> SimModem:
    sim = SimModem(latency=0, **kw)
    sims.append(sim)
    return sim


def test_scan_finds_the_sms_port_reports_progress_and_skips_configured_ports(db: Database, sims) -> None:
    pcui, modem_port, diag = make(sims, role="at_only"), make(sims), make(sims, role="mute")
    other, mine = make(sims, model="SECOND-MODEM"), make(sims)
    Channels(db).add_modem("已有的猫", mine.url)
    steps: list[tuple[int, int]] = []
    report = scan_ports(
        db,
        [other.url, mine.url],
        candidates=with_group([diag.url, pcui.url, modem_port.url], "12D1:1506:X"),
        progress=lambda done, total: steps.append((done, total)),
        baudrates=(115200,),
        timeout=0.1,
    )
    assert [p.url for p in report.usable] == [modem_port.url, other.url]
    by_url = {p.url: p for p in report.ports}
    assert by_url[mine.url].channel == "已有的猫" and by_url[mine.url].status_text() == "已添加为通道“已有的猫”"
    assert by_url[diag.url].status_text() == "不是短信猫"
    assert by_url[pcui.url].status_text().startswith("有应答，但不能收发短信")
    assert by_url[other.url].device == "SMSJingling SECOND-MODEM"
    assert steps[0] == (1, 5) and steps[-1] == (5, 5)
    assert mine.open_count == 0
    assert suggested_name(by_url[other.url], [f"SECOND-MODEM ({other.url})"]) == f"SECOND-MODEM ({other.url}) 2"


def test_a_cancelled_scan_stops_early(db: Database, sims) -> None:
    mutes = [make(sims, role="mute").url for _ in range(6)]
    cancel = threading.Event()
    cancel.set()
    report = scan_ports(db, candidates=mutes, cancel=cancel, max_workers=1, baudrates=(115200, 9600), timeout=0.2)
    assert report.cancelled and len(report.ports) < len(mutes)
    assert not any(s.is_open for s in sims)
