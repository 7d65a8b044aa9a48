"""Modem operations end to end against the simulated modem, through real AT bytes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from modem.at.parsers import MessageStat, RegStatus
from modem.codec import Deliver, StatusClass, count_segments
from modem.device import DeliveryReport, InboundSms, Modem, ModemOptions
from modem.sim import SimModem

NUMBER = "+8613912345678"


def wait_for(predicate: Callable[[], bool], timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return predicate()


@pytest.fixture
def sim() -> Iterator[SimModem]:
    s = SimModem(latency=0, sr_delay=0.05, seed=7)
    yield s
    s.remove()


@pytest.fixture
def gsm(sim: SimModem) -> Iterator[Modem]:
    m = Modem.open(sim.url, options=ModemOptions(multipart_timeout=0.3))
    yield m
    m.close()


class Collector:
    def __init__(self) -> None:
        self.items: list = []
        self.lock = threading.Lock()

    def __call__(self, item: object) -> None:
        with self.lock:
            self.items.append(item)


def test_open_initialises_the_modem(gsm: Modem, sim: SimModem) -> None:
    assert sim.settings.echo is False and sim.settings.cmee == 1 and sim.settings.cmgf == 0
    assert sim.settings.cnmi == (2, 1, 0, 1, 0) and sim.settings.cpms == ("SM", "SM", "SM")
    assert gsm.storage == "SM" and gsm.cnmi == "2,1,0,1,0"


def test_identify(gsm: Modem, sim: SimModem) -> None:
    info = gsm.identify()
    c = sim.config
    assert (info.manufacturer, info.model, info.revision) == (c.manufacturer, c.model, c.revision)
    assert (info.imei, info.imsi, info.iccid, info.own_number) == (c.imei, c.imsi, c.iccid, c.own_number)


def test_identify_without_own_number() -> None:
    sim = SimModem(latency=0, own_number=None)
    try:
        with Modem.open(sim.url) as gsm:
            assert gsm.identify().own_number is None
    finally:
        sim.remove()


def test_signal_registration_operator(gsm: Modem, sim: SimModem) -> None:
    signal = gsm.signal()
    assert (signal.rssi, signal.dbm, signal.bars) == (20, -73, 5)
    sim.set_signal(5)
    assert gsm.signal().bars == 2  # -103 dBm
    assert gsm.registration().stat is RegStatus.HOME
    sim.set_network(registered=True, roaming=True)
    reg = gsm.registration()
    assert reg.roaming and reg.registered
    sim.set_network(registered=False)
    assert not gsm.registration().registered
    sim.set_network(registered=True)
    assert gsm.operator().name == "CHINA MOBILE"


def test_smsc_read_and_set(gsm: Modem) -> None:
    assert gsm.smsc().number == "+8613800100500"
    gsm.set_smsc("+8613800755500")
    assert gsm.smsc().number == "+8613800755500" and gsm.smsc().international


def test_send_single_part(gsm: Modem, sim: SimModem) -> None:
    result = gsm.send_sms(NUMBER, "会议改到周五下午三点")
    assert len(result.parts) == 1
    sent = sim.sent
    assert [s.tp_mr for s in sent] == list(result.parts)
    assert sent[0].recipient == NUMBER and sent[0].text == "会议改到周五下午三点"
    assert sent[0].submit.status_report_requested


@pytest.mark.parametrize("text", ["A" * 400, "通知😀" * 60, "[€] {braces} " * 30])
def test_send_multipart_one_cmgs_per_part(gsm: Modem, sim: SimModem, text: str) -> None:
    result = gsm.send_sms(NUMBER, text, status_report=False)
    assert len(result.parts) == count_segments(text).segments == len(sim.sent) > 1
    assert [s.tp_mr for s in sim.sent] == list(result.parts)
    assert sim.sent_texts() == [text]
    assert not any(s.submit.status_report_requested for s in sim.sent)


def test_status_reports_inline_cds_matched_to_parts(gsm: Modem, sim: SimModem) -> None:
    reports = Collector()
    gsm.on_status_report(reports)
    result = gsm.send_sms(NUMBER, "x" * 200)
    assert wait_for(lambda: len(reports.items) == 2)
    by_mr = {r.tp_mr: r for r in reports.items}
    assert set(by_mr) == set(result.parts)
    for seq, mr in enumerate(result.parts, 1):
        report: DeliveryReport = by_mr[mr]
        assert report.delivered and report.final and report.send_id == result.id
        assert (report.part, report.total_parts) == (seq, 2)
        assert report.recipient == NUMBER


def test_status_reports_stored_cdsi_read_then_deleted(sim: SimModem) -> None:
    sim.remove()
    sim = SimModem(latency=0, sr_delay=0.02, sr_memory="SR", name=sim.name)
    with Modem.open(sim.url) as gsm:
        gsm.channel.command("AT+CNMI=2,1,0,2,0")  # a modem that only stores status reports
        reports = Collector()
        gsm.on_status_report(reports)
        sim.set_delivery_status(NUMBER, 0x41)  # incompatible destination: permanent failure
        result = gsm.send_sms(NUMBER, "never arrives")
        assert wait_for(lambda: len(reports.items) == 1)
        report = reports.items[0]
        assert report.tp_mr == result.parts[0] and not report.delivered and report.final
        assert report.status_class is StatusClass.PERMANENT and report.send_id == result.id
        assert wait_for(lambda: sim.storage("SR").used == 0)
        assert sim.settings.cpms[0] == "SM"  # the read memory is back where init put it
    sim.remove()


def test_inbound_multipart_out_of_order(gsm: Modem, sim: SimModem) -> None:
    messages = Collector()
    gsm.on_message(messages)
    text = "各位同事:明天上午九点在三楼开会,请带好材料。😀" * 8
    assert count_segments(text).segments == 3
    sim.inject_sms("+8613911112222", text, order=[3, 1, 2])
    assert wait_for(lambda: len(messages.items) == 1)
    message: InboundSms = messages.items[0]
    assert message.text == text and message.complete and message.parts_total == 3
    assert message.sender == "+8613911112222"
    assert wait_for(lambda: sim.storage("SM").used == 0)  # delivered, so deleted


def test_inbound_incomplete_after_timeout(gsm: Modem, sim: SimModem) -> None:
    messages = Collector()
    gsm.on_message(messages)
    text = "B" * 300 + "C" * 150  # three parts
    started = time.monotonic()
    sim.inject_sms("10086", text, drop=[2])
    assert wait_for(lambda: len(messages.items) == 1, timeout=3.0)
    assert time.monotonic() - started >= 0.25
    message: InboundSms = messages.items[0]
    assert not message.complete and (message.parts_received, message.parts_total) == (2, 3)
    assert message.missing_parts == (2,)
    assert message.text == "B" * 153 + "C" * 144  # parts 1 and 3; part 2 held B*147 + C*6


def test_inbound_direct_cmt(sim: SimModem) -> None:
    with Modem.open(sim.url) as gsm:
        gsm.channel.command("AT+CNMI=2,2,0,1,0")
        messages = Collector()
        gsm.on_message(messages)
        sim.inject_sms("+8613911112222", "straight to the port")
        assert wait_for(lambda: len(messages.items) == 1)
        assert messages.items[0].text == "straight to the port"


def test_messages_stay_on_the_sim_without_a_listener(gsm: Modem, sim: SimModem) -> None:
    sim.inject_sms("+8613911112222", "hello")
    sim.inject_sms("+8613911113333", "world")
    assert wait_for(lambda: len(gsm.list_messages()) == 2)
    listed = gsm.list_messages()
    assert [m.message.text for m in listed] == ["hello", "world"]
    assert all(isinstance(m.message, Deliver) for m in listed)
    first = gsm.read(listed[0].index)
    assert first is not None and first.message.sender.number == "+8613911112222"
    assert gsm.list_messages(stat=MessageStat.REC_UNREAD) == []
    gsm.delete(listed[0].index)
    assert gsm.read(listed[0].index) is None
    assert [m.message.text for m in gsm.list_messages()] == ["world"]
    gsm.delete_all()
    assert gsm.list_messages() == []


def test_list_other_storage(gsm: Modem, sim: SimModem) -> None:
    assert gsm.list_messages("ME") == []
    assert sim.settings.cpms[0] == "SM"


def test_ussd_ucs2_and_gsm7() -> None:
    for encoding in ("ucs2", "gsm7", "text"):
        reply = "您的余额为 23.50 元" if encoding == "ucs2" else "Balance: 23.50 CNY. Thanks!"
        sim = SimModem(latency=0, ussd_encoding=encoding, ussd_reply=reply)
        try:
            with Modem.open(sim.url) as gsm:
                assert gsm.ussd("*100#") == reply
        finally:
            sim.remove()


def test_ussd_unknown_code_is_an_error(gsm: Modem) -> None:
    from modem.errors import CommandError

    with pytest.raises(CommandError):
        gsm.ussd("*999#", timeout=1.0)


@pytest.mark.allow_log_warnings
def test_callback_errors_keep_the_message(gsm: Modem, sim: SimModem, caplog: pytest.LogCaptureFixture) -> None:
    calls = Collector()

    def broken(message: InboundSms) -> None:
        calls(message)
        raise RuntimeError("database is locked")

    gsm.on_message(broken)
    with caplog.at_level("ERROR"):
        sim.inject_sms("+8613911112222", "keep me")
        assert wait_for(lambda: len(calls.items) == 1)
        time.sleep(0.05)
    assert sim.storage("SM").used == 1
    assert any("callback failed" in r.getMessage() for r in caplog.records)


def test_status_report_matches_a_national_number(gsm: Modem, sim: SimModem) -> None:
    reports = Collector()
    gsm.on_status_report(reports)
    result = gsm.send_sms("13912345678", "national number")
    assert wait_for(lambda: len(reports.items) == 1)
    assert reports.items[0].send_id == result.id and reports.items[0].tp_mr == result.parts[0]


def test_collect_stored_delivers_what_arrived_before(sim: SimModem) -> None:
    sim.inject_sms("+8613911112222", "while the program was closed")
    sim.inject_sms("+8613911113333", "Z" * 200, order=[2, 1])
    with Modem.open(sim.url) as gsm:
        messages = Collector()
        gsm.on_message(messages)
        assert gsm.collect_stored() == 3
        assert sorted(m.text for m in messages.items) == ["Z" * 200, "while the program was closed"]
        assert sim.storage("SM").used == 0
