"""The simulated modem at the byte level: real AT exchanges through pyserial's serial_for_url('sim://…')."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import serial

import modem.sim
from modem.codec import Deliver, decode_pdu, encode_submit
from modem.sim import SimConfig, SimModem


class Wire:
    """A minimal terminal: write a command, collect lines until a final result code."""

    def __init__(self, port: serial.SerialBase) -> None:
        self.port = port
        self.buf = b""  # bytes read past the last line returned

    def lines(
        self,
        until: tuple[str, ...] = ("OK", "ERROR", "+CME ERROR", "+CMS ERROR"),
        timeout: float = 2.0,
    ) -> list[str]:
        out: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.buf += self.port.read(4096)
            while b"\r\n" in self.buf:
                raw, self.buf = self.buf.split(b"\r\n", 1)
                line = raw.decode("utf-8", "replace").strip()
                if line:
                    out.append(line)
                    if line.startswith(until):
                        return out
            if self.buf.endswith(b"> "):
                self.buf = b""
                out.append(">")
                return out
        return out

    def at(self, command: str, **kw: float) -> list[str]:
        self.port.write(command.encode() + b"\r")
        return self.lines(**kw)


@pytest.fixture
def sim() -> Iterator[SimModem]:
    s = SimModem(latency=0, sms_latency=0, sr_delay=0.05, seed=1, echo=False)
    yield s
    s.remove()


@pytest.fixture
def wire(sim: SimModem) -> Iterator[Wire]:
    port = serial.serial_for_url(sim.url, timeout=0.02)
    yield Wire(port)
    port.close()


def test_url_handler_creates_and_reuses_named_modems() -> None:
    port = serial.serial_for_url("sim://urltest?latency=0&pin=1234&seed=1", timeout=0.02)
    try:
        assert isinstance(port, modem.sim.SimPort)
        assert port.sim is modem.sim.get("urltest")
        assert port.sim.config.pin == "1234" and port.sim.config.sms_latency == 0
        with pytest.raises(serial.SerialException, match="busy"):
            serial.serial_for_url("sim://urltest")
    finally:
        port.close()
        modem.sim.get("urltest").remove()


def test_url_rejects_unknown_parameters() -> None:
    with pytest.raises(ValueError, match="bogus"):
        SimConfig.from_url("sim://x?bogus=1")
    assert SimConfig.from_url("sim://x?cms_on=1,3&rssi_every=0.5").cms_on == frozenset({1, 3})


def test_echo_identity_and_unknown_commands(wire: Wire, sim: SimModem) -> None:
    assert wire.at("ATE1") == ["OK"]
    assert wire.at("AT+CGMI") == ["AT+CGMI", sim.config.manufacturer, "OK"]
    assert wire.at("ATE0") == ["ATE0", "OK"]
    assert wire.at("AT+CGSN") == [sim.config.imei, "OK"]
    assert wire.at("AT+CCID") == [f"+CCID: {sim.config.iccid}", "OK"]
    assert wire.at("AT+NOPE") == ["ERROR"]
    assert wire.at("AT+CMEE=1") == ["OK"]
    assert wire.at("AT+NOPE") == ["+CME ERROR: 4"]
    assert wire.at("AT+CMEE=2;+NOPE") == ["+CME ERROR: operation not supported"]
    assert wire.at("AT+CMGF=0;+CMGF?") == ["+CMGF: 0", "OK"]


def test_pin_three_tries_then_puk() -> None:
    sim = SimModem(latency=0, pin="1234", echo=False)
    port = serial.serial_for_url(sim.url, timeout=0.02)
    try:
        w = Wire(port)
        assert w.at("AT+CMEE=1") == ["OK"]
        assert w.at("AT+CPIN?") == ["+CPIN: SIM PIN", "OK"]
        assert w.at("AT+CIMI") == ["+CME ERROR: 11"]
        assert w.at("AT+CMGL=4") == ["+CMS ERROR: 311"]
        for _ in range(2):
            assert w.at('AT+CPIN="0000"') == ["+CME ERROR: 16"]
        assert w.at('AT+CPIN="0000"') == ["+CME ERROR: 12"]
        assert w.at("AT+CPIN?") == ["+CPIN: SIM PUK", "OK"]
        assert w.at('AT+CPIN="12345678","4321"')[-1] == "OK"
        assert w.at("AT+CPIN?")[-2:] == ["+CPIN: READY", "OK"]
    finally:
        port.close()
        sim.remove()


def test_network_queries(wire: Wire) -> None:
    assert wire.at("AT+CSQ") == ["+CSQ: 20,99", "OK"]
    assert wire.at("AT+CREG?") == ["+CREG: 0,1", "OK"]
    assert wire.at("AT+CREG=2;+CREG?")[0].startswith("+CREG: 2,1,")
    assert wire.at("AT+COPS=3,2;+COPS?") == ['+COPS: 0,2,"46000",0', "OK"]
    assert wire.at('AT+CSCA="+8613800200500",145;+CSCA?') == ['+CSCA: "+8613800200500",145', "OK"]


def test_cmgs_records_pdu_and_rejects_a_wrong_length(wire: Wire, sim: SimModem) -> None:
    pdu = encode_submit("+8613912345678", "hello", request_status_report=False)[0]
    assert wire.at(f"AT+CMGS={pdu.tpdu_length}") == [">"]
    wire.port.write(pdu.hex.encode() + b"\x1a")
    reply = wire.lines()
    assert reply[0].startswith("+CMGS: ") and reply[-1] == "OK"
    assert sim.sent[0].text == "hello" and sim.sent[0].tp_mr == int(reply[0].split()[-1])
    assert wire.at(f"AT+CMGS={pdu.tpdu_length + 1}") == [">"]
    wire.port.write(pdu.hex.encode() + b"\x1a")
    assert wire.lines() == ["+CMS ERROR: 304"]
    assert len(sim.sent) == 1


def test_status_report_inline_and_stored(wire: Wire, sim: SimModem) -> None:
    pdu = encode_submit("+8613912345678", "report me")[0]
    assert wire.at("AT+CNMI=2,1,0,1,0") == ["OK"]
    wire.at(f"AT+CMGS={pdu.tpdu_length}")
    wire.port.write(pdu.hex.encode() + b"\x1a")
    mr = int(wire.lines()[0].split()[-1])
    cds = wire.lines(until=("0",), timeout=1.0)
    assert cds[0].startswith("+CDS: ")
    report = decode_pdu(cds[1])
    assert report.tp_mr == mr and report.delivered
    assert wire.at("AT+CNMI=2,1,0,2,0") == ["OK"]
    wire.at(f"AT+CMGS={pdu.tpdu_length}")
    wire.port.write(pdu.hex.encode() + b"\x1a")
    wire.lines()
    assert wire.lines(until=("+CDSI",), timeout=1.0) == ['+CDSI: "SM",1']


def test_inject_multipart_stores_and_indicates(wire: Wire, sim: SimModem) -> None:
    assert wire.at("AT+CNMI=2,1,0,0,0") == ["OK"]
    text = "多段短信测试。" * 20
    indices = sim.inject_sms("+8613911112222", text, order=[3, 1, 2])
    assert indices == [1, 2, 3]
    assert wire.lines(until=('+CMTI: "SM",3',)) == ['+CMTI: "SM",1', '+CMTI: "SM",2', '+CMTI: "SM",3']
    listing = wire.at("AT+CMGL=4")
    parts = [decode_pdu(line) for line in listing[1:-1:2]]
    assert all(isinstance(p, Deliver) for p in parts)
    assert [p.concat.seq for p in parts] == [3, 1, 2]
    assert wire.at("AT+CMGL=0") == ["OK"]  # listing marked them read
    assert wire.at("AT+CMGD=1,4;+CPMS?") == ['+CPMS: "SM",0,50,"SM",0,50,"SM",0,50', "OK"]


def test_cmt_direct_delivery(wire: Wire, sim: SimModem) -> None:
    wire.at("AT+CNMI=2,2,0,0,0")
    assert sim.inject_sms("10086", "direct") == [None]
    lines = wire.lines(until=("0",))
    assert lines[0].startswith("+CMT: ,") and decode_pdu(lines[1]).text == "direct"
    assert sim.storage("SM").used == 0


def test_ussd_ucs2_and_gsm7() -> None:
    for encoding, dcs in (("ucs2", "72"), ("gsm7", "15")):
        sim = SimModem(latency=0, echo=False, ussd_encoding=encoding, ussd_reply="Balance 23.50 CNY")
        port = serial.serial_for_url(sim.url, timeout=0.02)
        try:
            w = Wire(port)
            assert w.at('AT+CUSD=1,"*100#",15') == ["OK"]
            line = w.lines(until=("+CUSD",))[0]
            assert line.endswith("," + dcs)
        finally:
            port.close()
            sim.remove()


def test_storm_garbage_and_fragmented_reads() -> None:
    sim = SimModem(latency=0, echo=False, rssi_every=0.01, garbage_rate=1.0, max_read=3, seed=3)
    port = serial.serial_for_url(sim.url, timeout=0.02)
    try:
        port.write(b"AT\r")
        time.sleep(0.05)
        data = b""
        while b"OK\r\n" not in data or b"^RSSI: 20\r\n" not in data:
            chunk = port.read(100)
            assert len(chunk) <= 3
            data += chunk
        assert b"^RSSI: 20" in data
        assert any(b >= 0x80 for b in data)  # line noise before the reply
    finally:
        port.close()
        sim.remove()


def test_unplug_and_plug_in() -> None:
    sim = SimModem(latency=0, echo=False, pin="1234")
    port = serial.serial_for_url(sim.url, timeout=0.02)
    sim.unplug()
    with pytest.raises(serial.SerialException):
        port.read(1)
    with pytest.raises(serial.SerialException):
        port.write(b"AT\r")
    port.close()
    with pytest.raises(serial.SerialException, match="No such file"):
        serial.serial_for_url(sim.url)
    sim.plug_in()
    port = serial.serial_for_url(sim.url, timeout=0.02)
    try:
        assert Wire(port).at("AT+CPIN?")[-2:] == ["+CPIN: SIM PIN", "OK"]
    finally:
        port.close()
        sim.remove()


def test_reboot_announces_itself_and_resets_settings(wire: Wire, sim: SimModem) -> None:
    wire.at("AT+CMEE=1;+CNMI=2,1,0,2,0")
    wire.at("AT+CFUN=1,1")
    assert wire.lines(until=("SMS Ready",)) == ["RDY", "+CPIN: READY", "Call Ready", "SMS Ready"]
    assert sim.settings.cmee == 0 and sim.settings.cnmi == (0, 0, 0, 0, 0) and sim.settings.echo is False


def test_wrong_baud_rate_reads_as_noise() -> None:
    sim = SimModem(latency=0, echo=False, baudrate=9600)
    try:
        for rate, ok in ((115200, False), (9600, True)):
            port = serial.serial_for_url(sim.url, baudrate=rate, timeout=0.02)
            try:
                assert (Wire(port).at("AT", timeout=0.2) == ["OK"]) is ok
            finally:
                port.close()
    finally:
        sim.remove()


def test_text_mode_minimal(wire: Wire, sim: SimModem) -> None:
    assert wire.at("AT+CMGF=1") == ["OK"]
    assert wire.at('AT+CMGS="+8613912345678"') == [">"]
    wire.port.write(b"plain text\x1a")
    assert wire.lines()[-1] == "OK"
    assert sim.sent[-1].text == "plain text"
    sim.inject_sms("+8613911112222", "hello text mode")
    listing = wire.at('AT+CMGL="ALL"')
    assert listing[-3].startswith('+CMGL: 1,"REC UNREAD","+8613911112222"') and listing[-2] == "hello text mode"


def test_commands_are_refused_while_booting() -> None:
    sim = SimModem(latency=0, echo=False, boot_delay=0.2)
    port = serial.serial_for_url(sim.url, timeout=0.02)
    try:
        w = Wire(port)
        time.sleep(0.2)
        assert w.at("AT") == ["OK"]
        sim.reboot()
        assert w.at("AT", timeout=0.1) == []  # deaf while booting
        assert w.lines(until=("SMS Ready",), timeout=1.0)[0] == "RDY"
        assert w.at("AT") == ["OK"]
    finally:
        port.close()
        sim.remove()
