"""Port discovery against simulated modems given as sim:// candidates."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import serial
from serial.tools import list_ports_common

from modem import discovery
from modem.discovery import PortCandidate, ProbeStatus, discover, list_ports, probe, with_group
from modem.sim import SimModem

FAST = {"timeout": 0.15}


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


def test_probe_finds_a_modem_and_closes_the_port(sims: list[SimModem]) -> None:
    sim = make(sims)
    result = probe(sim.url, **FAST)
    assert result.status is ProbeStatus.MODEM and result.sms and result.baudrate == 115200
    assert result.model == sim.config.model and result.manufacturer == sim.config.manufacturer
    assert not sim.is_open


def test_probe_tries_the_usual_baud_rates(sims: list[SimModem]) -> None:
    sim = make(sims, baudrate=19200)
    result = probe(sim.url, **FAST)
    assert result.status is ProbeStatus.MODEM and result.baudrate == 19200
    assert not sim.is_open


def test_busy_port_is_reported_and_left_alone(sims: list[SimModem]) -> None:
    sim = make(sims)
    holder = serial.serial_for_url(sim.url)
    try:
        result = probe(sim.url, **FAST)
        assert result.status is ProbeStatus.BUSY and "busy" in result.detail
    finally:
        holder.close()


def test_a_mute_port_is_not_a_modem(sims: list[SimModem]) -> None:
    sim = make(sims, role="mute")
    started = time.monotonic()
    result = probe(sim.url, baudrates=(115200, 9600), timeout=0.1)
    assert result.status is ProbeStatus.NOT_A_MODEM
    assert time.monotonic() - started < 1.0
    assert not sim.is_open


def test_unplugged_port_is_unavailable(sims: list[SimModem]) -> None:
    sim = make(sims)
    sim.unplug()
    assert probe(sim.url, **FAST).status is ProbeStatus.UNAVAILABLE


def test_discover_picks_the_sms_port_of_a_multi_port_device(sims: list[SimModem]) -> None:
    pcui = make(sims, role="at_only")
    modem_port = make(sims)
    diag = make(sims, role="mute")
    other = make(sims, model="SECOND-MODEM")
    busy = make(sims)
    holder = serial.serial_for_url(busy.url)
    try:
        started = time.monotonic()
        candidates = [*with_group([diag.url, pcui.url, modem_port.url], "12D1:1506:ABC"), other.url, busy.url]
        report = discover(candidates, baudrates=(115200, 9600), timeout=0.15)
        elapsed = time.monotonic() - started
    finally:
        holder.close()
    assert [r.candidate.url for r in report.modems] == [modem_port.url, other.url]
    statuses = {r.candidate.url: r.status for r in report.results}
    assert statuses[pcui.url] is ProbeStatus.MODEM and statuses[diag.url] is ProbeStatus.NOT_A_MODEM
    assert [r.candidate.url for r in report.busy] == [busy.url]
    assert elapsed < 1.5  # in parallel: the mute port's 4 timeouts do not add up with the others
    assert not any(s.is_open for s in sims if s is not busy)


def test_list_ports_gives_friendly_names_and_device_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    def port(device: str, description: str, location: str) -> list_ports_common.ListPortInfo:
        info = list_ports_common.ListPortInfo(device, skip_link_detection=True)
        info.description = description
        info.vid, info.pid, info.location = 0x12D1, 0x1506, location
        info.hwid = f"USB VID:PID=12D1:1506 LOCATION={location}"
        return info

    fake = [port("/dev/ttyUSB10", "HUAWEI Mobile", "1-1.2:1.2"), port("/dev/ttyUSB2", "HUAWEI Mobile", "1-1.2:1.0")]
    monkeypatch.setattr("serial.tools.list_ports.comports", lambda: fake)
    listed = list_ports()
    assert [c.url for c in listed] == ["/dev/ttyUSB2", "/dev/ttyUSB10"]
    assert listed[0].group == listed[1].group == "12D1:1506@1-1.2"
    assert listed[0].name == "/dev/ttyUSB2 — HUAWEI Mobile"
    assert PortCandidate("COM3", "n/a").name == "COM3"


def test_discover_nothing() -> None:
    assert discover([]).modems == ()
    assert discovery.BAUD_RATES[0] == 115200
