"""Who reads the port: the thread of the command in flight reads its own reply, the reader thread
reads between commands. Whichever thread reads, unsolicited codes reach subscribers on the reader
thread, none lost and in order; those read mid-command while the command still waits, and those
that came before a final code before its command returns."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from modem.at import ATChannel, Unsolicited
from tests.modem.scripted_port import ModemScript
from tests.modem.test_at_channel import OK, Collector


@pytest.fixture
def script() -> Iterator[ModemScript]:
    s = ModemScript()
    yield s
    s.stop()


ReadFn = Callable[[int, float | None, threading.Event], bytes]


def record_reads(script: ModemScript) -> list[tuple[str, bytes]]:
    """(thread name, bytes) of every read that returned data."""
    reads: list[tuple[str, bytes]] = []
    original: ReadFn = script._read

    def recording(size: int, timeout: float | None, cancelled: threading.Event) -> bytes:
        data = original(size, timeout, cancelled)
        if data:
            reads.append((threading.current_thread().name, data))
        return data

    script._read = recording  # type: ignore[method-assign]
    return reads


def test_the_command_reads_its_reply_and_the_reader_reads_between_commands(script: ModemScript) -> None:
    script.on("AT+CSQ", b"\r\n+CSQ: 18,99\r\n", OK)
    reads = record_reads(script)
    urcs = Collector()
    with ATChannel.open(script.url) as at:
        at.subscribe(urcs)
        assert at.command("AT+CSQ").lines == ("+CSQ: 18,99",)
        reply_reads = list(reads)
        reads.clear()
        script.inject(b"\r\nRING\r\n")
        assert [u.line for u in urcs.wait(1)] == ["RING"]
    assert {name for name, _ in reply_reads} == {threading.current_thread().name}
    assert b"".join(data for _, data in reply_reads) == b"\r\n+CSQ: 18,99\r\n" + OK
    assert reads == [(f"at-reader-{script.url}", b"\r\nRING\r\n")]


def test_a_urc_read_by_the_command_reaches_subscribers_while_it_still_waits(script: ModemScript) -> None:
    script.on("AT+CMGL=4", b'\r\n+CMGL: 1,1,,24\r\n\r\n+CMTI: "SM",5\r\n')  # OK only when the test says so
    threads: list[str] = []
    urcs = Collector()
    result: dict[str, object] = {}
    with ATChannel.open(script.url) as at:
        at.subscribe(lambda urc: threads.append(threading.current_thread().name))
        at.subscribe(urcs)
        worker = threading.Thread(target=lambda: result.update(reply=at.command("AT+CMGL=4", timeout=5)))
        worker.start()
        got = urcs.wait(1)
        assert worker.is_alive()  # the command still waits for its final code
        script.inject(OK)
        worker.join(2)
    assert [u.line for u in got] == ['+CMTI: "SM",5']
    assert threads == [f"at-reader-{script.url}"]
    reply = result["reply"]
    assert reply.lines == ("+CMGL: 1,1,,24",)  # type: ignore[attr-defined]


def test_urcs_before_the_final_code_are_handed_out_before_the_command_returns(script: ModemScript) -> None:
    script.on("AT+CSQ", b'\r\n+CMTI: "SM",1\r\n\r\n+CSQ: 18,99\r\n\r\nRING\r\n' + OK)
    seen: list[str] = []

    def slow(urc: Unsolicited) -> None:
        time.sleep(0.05)
        seen.append(urc.line)

    with ATChannel.open(script.url) as at:
        at.subscribe(slow)
        assert at.command("AT+CSQ").lines == ("+CSQ: 18,99",)
        assert seen == ['+CMTI: "SM",1', "RING"]


def test_back_to_back_commands_lose_no_urc_and_keep_the_order(script: ModemScript) -> None:
    script.on("AT", OK)
    count = 300
    urcs = Collector()

    def network() -> None:
        for i in range(count):
            script.inject(f'\r\n+CMTI: "SM",{i}\r\n'.encode())
            time.sleep(0.0005)

    with ATChannel.open(script.url) as at:
        at.subscribe(urcs)
        sender = threading.Thread(target=network)
        sender.start()
        commands = 0
        while sender.is_alive():
            assert at.command("AT", timeout=2).lines == ()
            commands += 1
        sender.join()
        got = urcs.wait(count, timeout=5)
    assert commands > 10
    assert [u.line for u in got] == [f'+CMTI: "SM",{i}' for i in range(count)]


def test_a_command_takes_the_port_from_the_reader_in_a_read(script: ModemScript) -> None:
    """The reader is in a read that would last 10 s: the command cancels it and goes on at once."""
    script.on("AT", OK)
    original: ReadFn = script._read
    in_long_read = threading.Event()

    def long_reads(size: int, timeout: float | None, cancelled: threading.Event) -> bytes:
        if threading.current_thread().name.startswith("at-reader-"):
            in_long_read.set()
            timeout = 10.0
        return original(size, timeout, cancelled)

    script._read = long_reads  # type: ignore[method-assign]
    with ATChannel.open(script.url) as at:
        assert in_long_read.wait(2)
        start = time.monotonic()
        assert at.command("AT", timeout=5).ok
        assert time.monotonic() - start < 2.0


def test_a_port_that_cannot_cancel_a_read_is_handed_over_when_the_read_ends(script: ModemScript) -> None:
    script.on("AT", OK)
    reads = record_reads(script)
    urcs = Collector()
    with ATChannel.open(script.url) as at:
        at._port.cancel_read = None  # type: ignore[attr-defined]  # as socket:// ports: no cancel_read
        at.subscribe(urcs)
        time.sleep(0.15)  # the reader is reading (50 ms at a time) by now
        for _ in range(5):
            assert at.command("AT").ok
        script.inject(b"\r\nRING\r\n")
        assert [u.line for u in urcs.wait(1)] == ["RING"]
    assert [data for name, data in reads if not name.startswith("at-reader-")] == [OK] * 5
