"""The AT channel on a real POSIX serial device (a pseudo-terminal), read and written through its
file descriptor: replies, URCs, the prompt, big writes, cancelled reads and a device that vanishes."""

from __future__ import annotations

import os
import select
import sys
import threading
import time
import tty
from collections.abc import Callable, Iterator

import pytest
import serial

from modem.at import ATChannel, UrcKind
from modem.at.portio import PortIO, PosixFdIO, port_io
from modem.errors import PortGone
from tests.modem.scripted_port import ModemScript
from tests.modem.test_at_channel import Collector

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminals: Linux only")


class PtyModem:
    """A tiny modem on the master side of a pty: answers each command line with `answer(line)`."""

    def __init__(self, answer: Callable[[str], bytes]) -> None:
        self.master, slave = os.openpty()
        tty.setraw(slave)
        self.path = os.ttyname(slave)
        self._slave = slave  # kept open until the device "vanishes"
        self._answer = answer
        self.received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        typed = bytearray()
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(self.master, 65536)
            except OSError:
                return
            self.received.extend(data)
            for byte in data:
                if byte in (0x0D, 0x1A):
                    line = typed.decode("ascii", errors="replace")
                    typed.clear()
                    os.write(self.master, self._answer(line if byte == 0x0D else line + "\x1a"))
                else:
                    typed.append(byte)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def vanish(self) -> None:
        """The USB device is gone: both ends of the pty close."""
        self._stop.set()
        self._thread.join(1)
        for fd in (self.master, self._slave):
            os.close(fd)

    def close(self) -> None:
        if not self._stop.is_set():
            self.vanish()


def answer(line: str) -> bytes:
    if line == "AT+CSQ":
        return b'\r\n+CSQ: 18,99\r\n\r\n+CMTI: "SM",3\r\n\r\nOK\r\n'
    if line.startswith("AT+CMGS="):
        return b"\r\n> "
    if line.endswith("\x1a"):
        return b"\r\n+CMGS: %d\r\n\r\nOK\r\n" % (len(line) - 1)
    if line == "AT+SILENT":
        return b""
    return b"\r\nOK\r\n"


@pytest.fixture
def modem() -> Iterator[PtyModem]:
    m = PtyModem(answer)
    yield m
    m.close()


def test_a_posix_port_is_read_through_its_descriptor(modem: PtyModem) -> None:
    port = serial.Serial(modem.path, 115200, timeout=0.05)
    try:
        assert type(port_io(port)) is PosixFdIO
        port.write_timeout = 1.0  # pyserial's write timeout is pyserial's to keep
        assert type(port_io(port)) is PortIO
    finally:
        port.close()
    script = ModemScript()
    other = serial.serial_for_url(script.url)
    try:
        assert type(port_io(other)) is PortIO
    finally:
        other.close()


def test_replies_urcs_and_the_prompt_over_a_pty(modem: PtyModem) -> None:
    urcs = Collector()
    with ATChannel.open(modem.path) as at:
        at.subscribe(urcs)
        assert at.command("AT+CSQ").lines == ("+CSQ: 18,99",)
        assert [u.line for u in urcs.wait(1)] == ['+CMTI: "SM",3']
        assert at.send_with_prompt("AT+CMGS=5", "0011AABB", timeout=2).lines == ("+CMGS: 8",)
        modem.send(b"\r\nRING\r\n")  # between commands: the reader thread reads it
        assert [u.line for u in urcs.wait(2)][1] == "RING"
    assert bytes(modem.received) == b"AT+CSQ\rAT+CMGS=5\r0011AABB\x1a"


def test_a_write_bigger_than_the_pty_buffer_arrives_whole(modem: PtyModem) -> None:
    payload = bytes(range(48, 58)) * 30_000  # 300 kB: several times what a pty buffers
    port = serial.Serial(modem.path, 115200, timeout=0.05)
    try:
        port_io(port).write(payload + b"\r")
        deadline = time.monotonic() + 10
        while len(modem.received) < len(payload) + 1 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        port.close()
    assert bytes(modem.received) == payload + b"\r"


def test_cancel_ends_a_read_at_once(modem: PtyModem) -> None:
    port = serial.Serial(modem.path, 115200, timeout=0.05)
    try:
        io = port_io(port)
        threading.Timer(0.1, io.cancel).start()
        start = time.monotonic()
        assert io.read(10.0) == b""
        assert time.monotonic() - start < 5.0
        modem.send(b"\r\nRING\r\n")
        assert io.read(2.0) == b"\r\nRING\r\n"
    finally:
        port.close()


def test_a_vanished_device_fails_the_command_in_flight_at_once(modem: PtyModem) -> None:
    urcs = Collector()
    at = ATChannel.open(modem.path)
    try:
        at.subscribe(urcs)
        threading.Timer(0.2, modem.vanish).start()
        start = time.monotonic()
        with pytest.raises(PortGone):
            at.command("AT+SILENT", timeout=10)
        assert time.monotonic() - start < 2.0
        assert urcs.wait(1)[-1].kind is UrcKind.PORT_GONE
        with pytest.raises(PortGone):
            at.command("AT")
    finally:
        at.close()
