"""The AT channel against a scripted serial port: replies, URCs, timeouts, prompts, a pulled cable."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import pytest
import serial

from modem.at import ATChannel, Unsolicited, UrcKind
from modem.at import parsers as p
from modem.errors import (
    ChannelClosed,
    CommandError,
    CommandTimeout,
    PortGone,
    PortUnavailable,
    RetryClass,
)
from tests.modem.scripted_port import ModemScript

OK = b"\r\nOK\r\n"


class Collector:
    """A subscriber that records URCs and lets a test wait for one, without sleeping."""

    def __init__(self) -> None:
        self.urcs: list[Unsolicited] = []
        self._cond = threading.Condition()

    def __call__(self, urc: Unsolicited) -> None:
        with self._cond:
            self.urcs.append(urc)
            self._cond.notify_all()

    def wait(self, count: int, timeout: float = 2.0) -> list[Unsolicited]:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.urcs) >= count, timeout), self.urcs
            return list(self.urcs)

    def kinds(self) -> list[UrcKind]:
        with self._cond:
            return [u.kind for u in self.urcs]


@pytest.fixture
def script() -> Iterator[ModemScript]:
    s = ModemScript()
    yield s
    s.stop()


@pytest.fixture
def urcs() -> Collector:
    return Collector()


@pytest.fixture
def at(script: ModemScript, urcs: Collector) -> Iterator[ATChannel]:
    channel = ATChannel.open(script.url, default_timeout=2.0)
    channel.subscribe(urcs)
    yield channel
    channel.close()


# -- replies and unsolicited codes -------------------------------------------------------------------


def test_plain_reply(at: ATChannel, script: ModemScript) -> None:
    script.on("AT+CSQ", b"\r\n+CSQ: 18,99\r\n" + OK)
    reply = at.command("AT+CSQ")
    assert reply.lines == ("+CSQ: 18,99",)
    assert reply.final == "OK"
    assert reply.ok
    assert p.parse_csq(reply.lines).dbm == -77
    assert script.written == b"AT+CSQ\r"


def test_cmti_between_reply_lines_and_before_ok(at: ATChannel, script: ModemScript, urcs: Collector) -> None:
    pdu1 = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07"
    pdu2 = "0791448720003023240DD0E474D81C0EBB010000111011315214000BE474D81C0EBB5DE3771B"
    script.on(
        "AT+CMGL=4",
        f"\r\n+CMGL: 1,1,,24\r\n{pdu1}\r\n".encode(),
        b'\r\n+CMTI: "SM",7\r\n',
        f"\r\n+CMGL: 2,1,,26\r\n{pdu2}\r\n".encode(),
        b'\r\n+CMTI: "ME",8\r\n',
        OK,
    )
    reply = at.command("AT+CMGL=4")
    messages = p.parse_cmgl(reply.lines)
    assert [(m.index, m.stat, m.pdu) for m in messages if isinstance(m, p.PduMessage)] == [(1, 1, pdu1), (2, 1, pdu2)]
    got = urcs.wait(2)
    assert [(u.kind, p.parse_cmti(u.line)) for u in got] == [
        (UrcKind.NEW_SMS_INDEX, p.StorageRef("SM", 7)),
        (UrcKind.NEW_SMS_INDEX, p.StorageRef("ME", 8)),
    ]


def test_two_line_cmt_mid_reply_keeps_its_pdu(at: ATChannel, script: ModemScript, urcs: Collector) -> None:
    pdu = "0791448720003023240DD0E474D81C0EBB010000111011315214000BE474D81C0EBB5DE3771B"
    script.on("AT+CPMS?", b'\r\n+CPMS: "SM",3,50,"SM",3,50,"SM",3,50\r\n', f"\r\n+CMT: ,26\r\n{pdu}\r\n".encode(), OK)
    reply = at.command("AT+CPMS?")
    assert reply.lines == ('+CPMS: "SM",3,50,"SM",3,50,"SM",3,50',)
    assert p.parse_cpms(reply.lines) == (p.MemoryUsage("SM", 3, 50),) * 3
    (cmt,) = urcs.wait(1)
    assert cmt.kind is UrcKind.NEW_SMS
    assert cmt.body == pdu
    incoming = p.parse_cmt(cmt.line, cmt.body)
    assert isinstance(incoming, p.IncomingPdu)
    assert incoming.length == 26


def test_status_reports_in_pdu_and_text_mode(at: ATChannel, script: ModemScript, urcs: Collector) -> None:
    pdu = "07919471227210F006100B919471789254F1122040112114801220401121148000"
    script.inject(f"\r\n+CDS: 25\r\n{pdu}\r\n".encode())
    script.inject(b'\r\n+CDS: 6,46,"+8613800138000",145,"24/01/02,10:00:00+32","24/01/02,10:00:05+32",0\r\n')
    script.inject(b'\r\n+CDSI: "SR",4\r\n')
    first, second, third = urcs.wait(3)
    assert first.kind is UrcKind.STATUS_REPORT and first.body == pdu
    assert p.parse_cds(first.line, first.body) == p.IncomingPdu(None, 25, pdu)
    assert second.kind is UrcKind.STATUS_REPORT and second.body is None
    report = p.parse_cds(second.line)
    assert isinstance(report, p.TextStatusReport)
    assert (report.mr, report.recipient, report.status) == (46, "+8613800138000", 0)
    assert p.parse_cdsi(third.line) == p.StorageRef("SR", 4)


def test_vendor_urcs_are_cut_out_mid_reply(at: ATChannel, script: ModemScript, urcs: Collector) -> None:
    script.on(
        "AT+CGMR",
        b"\r\n^RSSI:17\r\n",
        b"\r\n11.608.12.02.21\r\n",
        b"\r\n^BOOT:20728142,0,0,0,75\r\n\r\n^MODE:5,4\r\n\r\n^SRVST:2\r\n\r\n^SIMST:1\r\n",
        b'\r\n^HCSQ:"LTE",45,40,150,31\r\n\r\n^DSFLOWRPT:00000052,00000000,00000000\r\n',
        b"\r\n+ZSTAT: 7,1\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n\r\n+CIEV: 1,3\r\n\r\nRING\r\n",
        b'\r\n+CLIP: "13800138000",129\r\n',
        b'\r\n+CUSD: 0,"Balance 5.00",15\r\n',
        OK,
    )
    reply = at.command("AT+CGMR")
    assert reply.lines == ("11.608.12.02.21",)
    assert p.parse_identity(reply.lines) == "11.608.12.02.21"
    got = urcs.wait(14)
    assert [u.name for u in got] == [
        "^RSSI",
        "^BOOT",
        "^MODE",
        "^SRVST",
        "^SIMST",
        "^HCSQ",
        "^DSFLOWRPT",
        "+ZSTAT",
        "Call Ready",
        "SMS Ready",
        "+CIEV",
        "RING",
        "+CLIP",
        "+CUSD",
    ]
    assert got[-1].kind is UrcKind.USSD


def test_creg_reply_vs_urc_by_context(at: ATChannel, script: ModemScript, urcs: Collector) -> None:
    script.on(
        "AT+CREG?", b'\r\n+CREG: 1,"5E25","605F"\r\n', b'\r\n+CREG: 2,1,"5E25","605F"\r\n', b"\r\n+CREG: 5\r\n", OK
    )
    reply = at.command("AT+CREG?")
    assert reply.lines == ('+CREG: 2,1,"5E25","605F"',)
    reg = p.parse_creg(reply.lines)
    assert (reg.n, reg.stat, reg.lac, reg.ci) == (2, p.RegStatus.HOME, "5E25", "605F")
    first, second = urcs.wait(2)
    assert first.kind is second.kind is UrcKind.REGISTRATION
    assert p.parse_registration_urc(first.line) == p.Registration(p.RegStatus.HOME, None, "5E25", "605F")
    assert p.parse_registration_urc(second.line).stat is p.RegStatus.ROAMING
    # with no query in flight, even a two-field +CREG is a URC (nothing else could have asked)
    script.inject(b"\r\n+CREG: 2,1\r\n")
    assert urcs.wait(3)[2].kind is UrcKind.REGISTRATION


def test_cpin_ready_is_a_urc_unless_queried(at: ATChannel, script: ModemScript, urcs: Collector) -> None:
    script.inject(b"\r\n+CPIN: READY\r\n")
    assert urcs.wait(1)[0].kind is UrcKind.SIM_STATE
    script.on("AT+CPIN?", b"\r\n+CPIN: SIM PIN\r\n" + OK)
    reply = at.command("AT+CPIN?")
    assert p.parse_cpin(reply.lines) is p.PinStatus.SIM_PIN
    assert len(urcs.urcs) == 1


@pytest.mark.parametrize("echo", [False, True])
def test_echo_on_or_off(script: ModemScript, urcs: Collector, echo: bool) -> None:
    script.echo = echo
    script.on("AT+CGSN", b"\r\n861234567890123\r\n" + OK)
    script.on("ATE1", OK)
    with ATChannel.open(script.url) as at:
        assert at.command("ATE1").lines == ()
        reply = at.command("AT+CGSN")
    assert reply.lines == ("861234567890123",)
    assert p.parse_imei(reply.lines) == "861234567890123"


def test_echo_with_bare_cr_and_odd_case(at: ATChannel, script: ModemScript) -> None:
    script.on("at+cgmi", b'AT+CGMI\r\r\n+CGMI: "QUECTEL"\r\r\n\r\nOK\r\n')
    assert p.parse_identity(at.command("at+cgmi").lines) == "QUECTEL"


def test_garbage_bytes_are_survived(at: ATChannel, script: ModemScript, urcs: Collector) -> None:
    script.inject(b"\xff\xfe\x00\x00\r\r\n\x80\x81")  # noise before anything was asked
    script.on("AT+CSQ", b"\x00\r\n\xff+CSQ: 23,0\r\r\n\x00\r\x00\n\r\n\xfe\xffOK\r\n")
    reply = at.command("AT+CSQ")
    assert reply.lines == ("+CSQ: 23,0",)
    assert reply.final == "OK"
    signal = p.parse_csq(reply.lines)
    assert (signal.rssi, signal.dbm, signal.bars) == (23, -67, 5)
    # the noise went to subscribers as what it is: unknown lines, and nothing crashed
    assert set(urcs.kinds()) <= {UrcKind.UNKNOWN}


def test_partial_lines_split_across_reads(at: ATChannel, script: ModemScript, urcs: Collector) -> None:
    script.on(
        "AT+COPS?",
        b"\r",
        b"\n+CO",
        b'PS: 0,0,"CHINA MO',
        b'BILE",7\r\n\r\n+CM',
        b'TI: "SM",',
        b"2\r",
        b"\n\r\nO",
        b"K",
        b"\r",
        b"\n",
    )
    reply = at.command("AT+COPS?")
    op = p.parse_cops(reply.lines)
    assert (op.mode, op.format, op.name, op.act) == (0, 0, "CHINA MOBILE", 7)
    assert urcs.wait(1)[0].line == '+CMTI: "SM",2'


def test_error_codes_raise_command_error(at: ATChannel, script: ModemScript) -> None:
    script.on("AT+CMGS=12", b"\r\n+CMS ERROR: 330\r\n")
    script.on("AT+CPIN?", b"\r\n+CME ERROR: SIM PIN required\r\n")
    script.on("AT+XYZ", b"\r\nCOMMAND NOT SUPPORT\r\n")
    with pytest.raises(CommandError) as caught:
        at.command("AT+CMGS=12")
    assert (caught.value.kind, caught.value.code) == ("cms", 330)
    assert caught.value.retry_class is RetryClass.RETRY_LATER
    assert "短信中心" in caught.value.message_zh and "SMSC" in caught.value.message_en
    with pytest.raises(CommandError) as caught:
        at.command("AT+CPIN?")
    assert (caught.value.kind, caught.value.code) == ("cme", 11)
    assert caught.value.retry_class is RetryClass.NEEDS_ATTENTION
    with pytest.raises(CommandError) as caught:
        at.command("AT+XYZ")
    assert caught.value.kind == "plain" and caught.value.retry_class is RetryClass.PERMANENT
    reply = at.command("AT+CMGS=12", check=False)
    assert reply.final == "+CMS ERROR: 330" and not reply.ok


def test_call_finals_end_a_command_and_are_urcs_otherwise(at: ATChannel, script: ModemScript, urcs: Collector) -> None:
    script.on("ATD10086;", b"\r\nBUSY\r\n")
    with pytest.raises(CommandError) as caught:
        at.command("ATD10086;")
    assert caught.value.final == "BUSY"
    script.inject(b"\r\nNO CARRIER\r\n")
    assert urcs.wait(1)[0].kind is UrcKind.CALL_ENDED
    # a caller hanging up while an SMS goes out must not fail the send
    script.on("AT+CMGS=21", b"\r\n> ")
    script.on_payload(b"\r\nRING\r\n\r\nNO CARRIER\r\n\r\n+CMGS: 9\r\n" + OK)
    assert p.parse_cmgs(at.send_with_prompt("AT+CMGS=21", PDU).lines) == 9
    assert [u.kind for u in urcs.wait(3)][1:] == [UrcKind.RING, UrcKind.CALL_ENDED]


# -- deadlines -------------------------------------------------------------------------------------


def test_chatty_modem_cannot_extend_the_deadline(at: ATChannel, script: ModemScript, urcs: Collector) -> None:
    script.on("AT+COPS=?")  # never answers
    stop = script.chatter(b"\r\n^RSSI:15\r\n", every=0.05)
    start = time.monotonic()
    with pytest.raises(CommandTimeout) as caught:
        at.command("AT+COPS=?", timeout=0.5)
    elapsed = time.monotonic() - start
    stop()
    assert 0.5 <= elapsed < 0.5 + 0.25
    assert caught.value.command == "AT+COPS=?"
    assert caught.value.received == ()
    assert len(urcs.wait(3)) >= 3 and set(urcs.kinds()) == {UrcKind.SIGNAL}


def test_timeout_reports_what_was_received(at: ATChannel, script: ModemScript) -> None:
    script.on("AT+CMGL=4", b"\r\n+CMGL: 1,1,,24\r\n")  # and then silence
    with pytest.raises(CommandTimeout) as caught:
        at.command("AT+CMGL=4", timeout=0.2)
    assert caught.value.received == ("+CMGL: 1,1,,24",)
    assert "+CMGL: 1,1,,24" in str(caught.value)


def test_silent_modem_then_recovers(at: ATChannel, script: ModemScript) -> None:
    script.on("AT", OK)
    script.silent()
    with pytest.raises(CommandTimeout):
        at.command("AT", timeout=0.2)
    script.silent(False)
    assert at.command("AT").ok


def test_late_answer_after_timeout_goes_to_subscribers(at: ATChannel, script: ModemScript, urcs: Collector) -> None:
    script.on("AT+CSQ")
    with pytest.raises(CommandTimeout):
        at.command("AT+CSQ", timeout=0.1)
    script.inject(b"\r\n+CSQ: 10,99\r\n\r\nOK\r\n")
    late = urcs.wait(2)
    assert [u.line for u in late] == ["+CSQ: 10,99", "OK"]
    script.on("AT+CGMI", b"\r\nHUAWEI\r\n" + OK)
    assert at.command("AT+CGMI").lines == ("HUAWEI",)


# -- the > prompt --------------------------------------------------------------------------------


PDU = "0011000D91683108200105F00008AA064F60597D0021"


@pytest.mark.parametrize("echo", [False, True])
def test_send_with_prompt(script: ModemScript, echo: bool) -> None:
    script.echo = echo
    script.on("AT+CMGS=21", b"\r\n> ")
    script.on_payload(b'\r\n+CMTI: "SM",1\r\n\r\n+CMGS: 7\r\n' + OK)
    got = Collector()
    with ATChannel.open(script.url) as at:
        at.subscribe(got)
        reply = at.send_with_prompt("AT+CMGS=21", PDU, timeout=2)
    assert reply.lines == ("+CMGS: 7",)
    assert p.parse_cmgs(reply.lines) == 7
    assert script.written == b"AT+CMGS=21\r" + PDU.encode() + b"\x1a"
    assert got.wait(1)[0].kind is UrcKind.NEW_SMS_INDEX


def test_prompt_split_and_without_space(at: ATChannel, script: ModemScript) -> None:
    script.on("AT+CMGW=21", b"\r\n", b">")
    script.on_payload(b"\r\n+CMGW: 12\r\n" + OK)
    reply = at.send_with_prompt("AT+CMGW=21", PDU)
    assert p.parse_cmgw(reply.lines) == 12


def test_prompt_never_comes_escapes(at: ATChannel, script: ModemScript) -> None:
    script.on("AT+CMGS=21")  # no prompt
    start = time.monotonic()
    with pytest.raises(CommandTimeout) as caught:
        at.send_with_prompt("AT+CMGS=21", PDU, timeout=5, prompt_timeout=0.2)
    assert time.monotonic() - start < 1.0
    assert "prompt" in str(caught.value)
    assert script.payloads == []
    assert script.aborted == [b""]  # ESC sent, not the payload
    assert script.written.endswith(b"\x1b")
    script.on("AT", OK)
    assert at.command("AT").ok


def test_error_instead_of_prompt(at: ATChannel, script: ModemScript) -> None:
    script.on("AT+CMGS=21", b"\r\n+CMS ERROR: 304\r\n")
    with pytest.raises(CommandError) as caught:
        at.send_with_prompt("AT+CMGS=21", PDU)
    assert caught.value.code == 304 and caught.value.retry_class is RetryClass.PERMANENT
    assert script.payloads == [] and script.aborted == []


def test_cms_error_after_payload(at: ATChannel, script: ModemScript) -> None:
    script.on("AT+CMGS=21", b"\r\n> ")
    script.on_payload(b"\r\n+CMS ERROR: 500\r\n")
    with pytest.raises(CommandError) as caught:
        at.send_with_prompt("AT+CMGS=21", PDU)
    assert caught.value.retry_class is RetryClass.RETRY_LATER
    assert caught.value.message_en == "unknown error"


def test_prompt_is_only_recognised_when_expected(at: ATChannel, script: ModemScript) -> None:
    # a '>' line in an ordinary reply is text, not a prompt
    script.on("AT+CMGR=1", b'\r\n+CMGR: "REC READ","+8610086",,"24/01/02,10:00:00+32"\r\n', b">", b" quoted\r\n" + OK)
    msg = p.parse_cmgr(at.command("AT+CMGR=1").lines)
    assert isinstance(msg, p.TextMessage) and msg.body == "> quoted"


# -- a pulled cable, closing -----------------------------------------------------------------------


@pytest.mark.parametrize("error", [serial.SerialException, OSError])
def test_port_gone_fails_pending_command_at_once(
    at: ATChannel, script: ModemScript, urcs: Collector, error: type[Exception]
) -> None:
    script.on("AT+CSQ", lambda s: threading.Thread(target=s.vanish, args=(error,)).start())
    start = time.monotonic()
    with pytest.raises(PortGone):
        at.command("AT+CSQ", timeout=10)
    assert time.monotonic() - start < 1.0
    assert at.is_gone
    assert urcs.wait(1)[-1].kind is UrcKind.PORT_GONE
    start = time.monotonic()
    with pytest.raises(PortGone):
        at.command("AT")
    with pytest.raises(PortGone):
        at.send_with_prompt("AT+CMGS=21", PDU)
    assert time.monotonic() - start < 0.5
    at.close()
    assert not script.is_open


def test_port_gone_on_write(script: ModemScript, urcs: Collector) -> None:
    at = ATChannel.open(script.url)
    at.subscribe(urcs)
    # the write fails before the reader has noticed anything
    original = script._receive

    def broken(data: bytes) -> None:
        raise serial.SerialException("write failed: device disconnected")

    script._receive = broken  # type: ignore[method-assign]
    try:
        with pytest.raises(PortGone) as caught:
            at.command("AT")
        assert "disconnected" in str(caught.value)
        assert [u.kind for u in urcs.wait(1)] == [UrcKind.PORT_GONE]
    finally:
        script._receive = original  # type: ignore[method-assign]
        at.close()
    assert not script.is_open


def test_close_releases_the_port(script: ModemScript) -> None:
    script.on("AT", OK)
    with ATChannel.open(script.url) as at:
        assert at.command("AT").ok
        with pytest.raises(PortUnavailable):
            ATChannel.open(script.url)  # busy, like a COM port another program holds
    assert at.closed and not script.is_open
    with ATChannel.open(script.url) as again:
        assert again.command("AT").ok
    assert script.open_count == 2
    with pytest.raises(ChannelClosed):
        at.command("AT")
    at.close()  # twice is fine


def test_close_fails_the_pending_command(script: ModemScript) -> None:
    script.on("AT+COPS=?")  # never answers
    at = ATChannel.open(script.url)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            at.command("AT+COPS=?", timeout=10)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    assert script.wait_for_command("AT+COPS=?")
    at.close()
    worker.join(2)
    assert not worker.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], ChannelClosed)
    assert not script.is_open


def test_context_manager_closes_on_error(script: ModemScript) -> None:
    with pytest.raises(RuntimeError), ATChannel.open(script.url):
        raise RuntimeError("boom")
    assert not script.is_open


def test_open_unknown_port() -> None:
    with pytest.raises(PortUnavailable):
        ATChannel.open("script://no-such-modem")


# -- threads ---------------------------------------------------------------------------------------


def test_two_threads_are_serialised(at: ATChannel, script: ModemScript) -> None:
    script.on("AT+ONE", b"\r\n+ONE: 1\r\n")  # and OK only when the test says so
    script.on("AT+TWO", b"\r\n+TWO: 2\r\n" + OK)
    results: dict[str, tuple[str, ...]] = {}

    def run(cmd: str) -> None:
        results[cmd] = at.command(cmd, timeout=5).lines

    one = threading.Thread(target=run, args=("AT+ONE",))
    one.start()
    assert script.wait_for_command("AT+ONE")
    two = threading.Thread(target=run, args=("AT+TWO",))
    two.start()
    # AT+TWO must not reach the modem while AT+ONE waits for its final code
    assert not script.wait_for_command("AT+TWO", timeout=0.2)
    script.inject(OK)
    one.join(2)
    two.join(2)
    assert results == {"AT+ONE": ("+ONE: 1",), "AT+TWO": ("+TWO: 2",)}
    assert script.commands == ["AT+ONE", "AT+TWO"]


def test_many_threads_each_get_their_own_reply(at: ATChannel, script: ModemScript) -> None:
    script.on(
        lambda cmd: cmd.startswith("AT+ECHO="),
        lambda s: s.inject(f"\r\n+ECHO: {s.commands[-1].split('=')[1]}\r\n".encode() + OK),
    )
    failures: list[str] = []

    def run(worker: int) -> None:
        for i in range(25):
            tag = f"{worker}-{i}"
            lines = at.command(f"AT+ECHO={tag}").lines
            if lines != (f"+ECHO: {tag}",):
                failures.append(f"{tag}: {lines}")

    threads = [threading.Thread(target=run, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert failures == []
    assert len(script.commands) == 150


@pytest.mark.allow_log_warnings
def test_broken_subscriber_is_logged_and_reader_survives(
    at: ATChannel, script: ModemScript, urcs: Collector, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(urc: Unsolicited) -> None:
        raise ValueError("subscriber bug")

    at.subscribe(broken)
    script.inject(b'\r\n+CMTI: "SM",1\r\n')
    assert urcs.wait(1)[0].name == "+CMTI"
    script.on("AT", OK)
    assert at.command("AT").ok
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(errors) == 1
    assert errors[0].levelno == logging.ERROR and "subscriber" in errors[0].getMessage()
    assert errors[0].exc_info is not None and errors[0].exc_info[0] is ValueError


def test_unsubscribe(at: ATChannel, script: ModemScript, urcs: Collector) -> None:
    other = Collector()
    unsubscribe = at.subscribe(other)
    script.inject(b"\r\nRING\r\n")
    other.wait(1)
    unsubscribe()
    script.inject(b"\r\nRING\r\n")
    urcs.wait(2)
    assert len(other.urcs) == 1


def test_subscriber_cannot_send_commands(at: ATChannel, script: ModemScript) -> None:
    seen: list[BaseException] = []
    done = threading.Event()

    def reentrant(urc: Unsolicited) -> None:
        try:
            at.command("AT+CMGR=1")
        except RuntimeError as exc:
            seen.append(exc)
        done.set()

    at.subscribe(reentrant)
    script.inject(b'\r\n+CMTI: "SM",1\r\n')
    assert done.wait(2)
    assert len(seen) == 1 and "reader thread" in str(seen[0])
