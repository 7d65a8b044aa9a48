"""The simulated modem on a Linux pseudo-terminal, opened as a plain serial device file."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modem.device import Modem
from modem.sim import SimModem

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminals: Linux only")


def test_modem_over_a_pty() -> None:
    from modem.sim.pty import PtyBridge

    sim = SimModem(latency=0, pin="1234", sr_delay=0.02)
    try:
        with PtyBridge(sim) as bridge:
            assert bridge.path.startswith("/dev/")
            with Modem.open(bridge.path, pin="1234") as gsm:
                assert gsm.identify().imei == sim.config.imei
                result = gsm.send_sms("+8613912345678", "through a real tty" * 10)
            assert [s.tp_mr for s in sim.sent] == list(result.parts)
            assert sim.sent_texts() == ["through a real tty" * 10]
            with Modem.open(bridge.path) as gsm:  # a program closing and reopening the device
                assert gsm.signal().rssi == 20
    finally:
        sim.remove()


def test_output_made_on_other_threads_and_a_pulled_cable() -> None:
    """The bridge passes on what a test injects between commands, and survives the cable being pulled."""
    from modem.at import ATChannel
    from modem.errors import CommandTimeout
    from modem.sim.pty import PtyBridge
    from tests.modem.test_at_channel import Collector

    sim = SimModem(latency=0, echo=False)
    try:
        with PtyBridge(sim) as bridge, ATChannel.open(bridge.path) as at:
            urcs = Collector()
            at.subscribe(urcs)
            assert at.command("AT").ok
            sim.inject(b"\r\nRING\r\n")
            assert [u.line for u in urcs.wait(1)] == ["RING"]
            sim.unplug()
            with pytest.raises(CommandTimeout):
                at.command("AT", timeout=0.2)  # the bytes go nowhere, as on a real port
            sim.plug_in(reboot=False)
            assert at.command("AT", timeout=2).ok
    finally:
        sim.remove()


def test_an_idle_bridge_sleeps_also_with_a_storm_the_modem_was_told_to_stop() -> None:
    """^RSSI every 50 ms reaches the program; after AT^CURC=0 none does, and the bridge does not spin."""
    from modem.at import ATChannel, UrcKind
    from modem.sim.pty import PtyBridge
    from tests.modem.test_at_channel import Collector

    sim = SimModem(latency=0, echo=False, rssi_every=0.05)
    try:
        with PtyBridge(sim) as bridge, ATChannel.open(bridge.path) as at:
            urcs = Collector()
            at.subscribe(urcs)
            assert {u.kind for u in urcs.wait(3)} == {UrcKind.SIGNAL}
            assert at.command("AT^CURC=0").ok
            time.sleep(0.1)
            before, start = len(urcs.urcs), time.process_time()
            time.sleep(0.5)
            assert len(urcs.urcs) == before
            assert time.process_time() - start < 0.1  # a sleeping bridge uses ~0.01 s, a spinning one ~0.2 s or more
    finally:
        sim.remove()


def test_command_line_prints_the_pty_path() -> None:
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "modem.sim", "--pty", "sim://clitest?latency=0"],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        assert proc.stdout is not None
        path = proc.stdout.readline().strip()
        assert path.startswith("/dev/pts/") and os.path.exists(path)
        with Modem.open(path) as gsm:
            assert gsm.identify().model == "SIMULATED-GSM"
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()


def test_an_established_program_identifies_it_and_sends() -> None:
    """python-gsmmodem (optional: pip install python-gsmmodem-new) against the pty, as a user's tool would."""
    gsm_module = pytest.importorskip("gsmmodem.modem")
    from modem.sim.pty import PtyBridge

    sim = SimModem(latency=0, pin="1234")
    try:
        with PtyBridge(sim) as bridge:
            other = gsm_module.GsmModem(bridge.path, 115200)
            other.connect(pin="1234")
            try:
                assert (other.manufacturer, other.imei) == (sim.config.manufacturer, sim.config.imei)
                sms = other.sendSms("+8613912345678", "from python-gsmmodem 你好", waitForDeliveryReport=False)
            finally:
                other.close()
        assert sim.sent_texts() == ["from python-gsmmodem 你好"] and sim.sent[0].tp_mr == sms.reference
    finally:
        sim.remove()
