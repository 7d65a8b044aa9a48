"""An operator's look at a modem channel (details, PIN, test send, USSD), with the service stopped (the port is
opened for the operation) and running (through the worker's link, never a second open of the port); the
signal the link keeps for the status bar; and the one automatic PIN attempt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from modem.at.parsers import dbm_to_bars, rssi_to_dbm
from modem.codec import decode_pdu
from modem.sim import SimModem
from smsjingling.errors import ValidationError
from smsjingling.sending.channels import Channels, pin_for, set_pin
from smsjingling.sending.modem_access import ModemAccess, ModemAccessError
from smsjingling.sending.modem_link import ModemLink
from smsjingling.sending.service import SendingService
from smsjingling.storage.database import Database
from tests.core.gateway_peers import MemoryKeyring, memory_keyring
from tests.core.sending_helpers import wait_until


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    with memory_keyring() as r:
        yield r


@pytest.fixture
def sims() -> Iterator[list[SimModem]]:
    made: list[SimModem] = []
    yield made
    for sim in made:
        sim.remove()


def make(sims: list[SimModem], **kw: object) -> SimModem:
    sim = SimModem(latency=0, sr_delay=0, **kw)
    sims.append(sim)
    return sim


def test_details_test_send_and_ussd_with_the_service_stopped(db: Database, sims, ring) -> None:
    sim = make(sims, rssi=25)
    Channels(db, "tester").add_modem("一号猫", sim.url)
    access = ModemAccess(db, actor="tester")
    details = access.details("一号猫")
    assert not details.live and details.sim_ready and details.sim_text() == "已就绪"
    assert (details.model, details.imei, details.iccid) == ("SIMULATED-GSM", sim.config.imei, sim.config.iccid)
    assert (
        details.operator == "CHINA MOBILE"
        and details.registered
        and details.registration_text() == "已注册（本地网络）"
    )
    assert details.bars == dbm_to_bars(rssi_to_dbm(25)) and details.smsc == sim.config.smsc
    sent = access.test_send("一号猫", "138 0013 8000", "测试短信")
    assert sent.number == "+8613800138000" and len(sent.parts) == 1
    assert "测试短信" in sim.sent_texts() and not decode_pdu(sim.sent[-1].pdu).status_report_requested
    assert "已通过 一号猫 向 +8613800138000 发出测试短信" in sent.text()
    assert "余额" in access.ussd("一号猫", "*100#")
    assert not sim.is_open  # each operation opened the port and closed it again


def test_running_channel_goes_through_the_worker_link(db: Database, sims, ring) -> None:
    sim = make(sims)
    Channels(db, "tester").add_modem("一号猫", sim.url)
    service = SendingService(db, actor="tester", demo_if_empty=False)
    service.start()
    try:
        link = service.dispatcher.workers[0].link
        assert isinstance(link, ModemLink)
        # The worker opens the port while idle (replies arrive only then) and reads the signal for the status bar.
        wait_until(lambda: link.last_bars is not None, timeout=10)
        assert link.last_bars == dbm_to_bars(rssi_to_dbm(sim.config.rssi))
        opens = sim.open_count
        access = ModemAccess(db, dispatcher=lambda: service.dispatcher, actor="tester")
        details = access.details("一号猫")
        assert details.live and details.imei == sim.config.imei
        access.test_send("一号猫", "13800138000", "经由运行中的通道")
        assert "经由运行中的通道" in sim.sent_texts()
        assert "余额" in access.ussd("一号猫", "*100#")
        assert sim.open_count == opens  # the port was never opened a second time
        sim.set_signal(8)
        link.refresh_signal(force=True)
        assert link.last_bars == dbm_to_bars(rssi_to_dbm(8))
    finally:
        service.stop()


def test_pin_entry_unlocks_and_keeps_the_pin_in_the_keyring(db: Database, sims, ring, tmp_path: Path) -> None:
    sim = make(sims, pin="2468")
    Channels(db, "tester").add_modem("锁卡猫", sim.url)
    access = ModemAccess(db, actor="tester")
    details = access.details("锁卡猫")
    assert details.needs_pin and details.sim_text() == "需要 PIN 码" and details.imei == sim.config.imei
    assert details.imsi is None  # a locked SIM keeps its identity
    with pytest.raises(ModemAccessError) as wrong:
        access.enter_pin("锁卡猫", "1111")
    assert "PIN 码不正确" in wrong.value.message()
    assert sim.engine.sim.pin_tries_left == 2
    assert pin_for("锁卡猫") is None
    with pytest.raises(ValidationError):
        access.enter_pin("锁卡猫", "12")  # not a PIN at all: never sent to the SIM
    assert sim.engine.sim.pin_tries_left == 2
    access.enter_pin("锁卡猫", "2468")
    assert pin_for("锁卡猫") == "2468" and ("smsjingling", "modem-pin:锁卡猫") in ring.entries
    assert all(b"2468" not in f.read_bytes() for f in tmp_path.glob("book.sqlite3*"))  # never in the database
    # The next open (the SIM locks again at power-on) uses the kept PIN.
    sim.reboot()
    assert access.details("锁卡猫").sim_ready


def test_pin_entry_on_a_running_channel(db: Database, sims, ring) -> None:
    sim = make(sims, pin="1357")
    Channels(db, "tester").add_modem("锁卡猫", sim.url)
    service = SendingService(db, actor="tester", demo_if_empty=False)
    service.start()
    try:
        link = service.dispatcher.workers[0].link
        wait_until(lambda: link.modem is not None, timeout=10)
        access = ModemAccess(db, dispatcher=lambda: service.dispatcher, actor="tester")
        assert access.details("锁卡猫").needs_pin
        opens = sim.open_count
        access.enter_pin("锁卡猫", "1357")
        assert access.details("锁卡猫").sim_ready and sim.open_count == opens
        access.test_send("锁卡猫", "13800138000", "解锁后发送")
        assert "解锁后发送" in sim.sent_texts()
    finally:
        service.stop()


def test_a_refused_saved_pin_is_tried_once_and_forgotten(db: Database, sims, ring) -> None:
    sim = make(sims, pin="1234")
    Channels(db, "tester").add_modem("错码猫", sim.url)
    set_pin("错码猫", "9999")
    service = SendingService(db, actor="tester", demo_if_empty=False)
    service.start()
    try:
        link = service.dispatcher.workers[0].link
        wait_until(lambda: link.modem is not None and pin_for("错码猫") is None, timeout=10)
        for _ in range(3):
            link.refresh_signal(force=True)
            link.send("+8613800138000", "x")
        assert sim.engine.sim.pin_tries_left == 2  # one attempt, however often the link is used
    finally:
        service.stop()
    # Nor does an operator's look at the stopped channel try it: it is gone from the keyring.
    assert ModemAccess(db).details("错码猫").needs_pin
    assert sim.engine.sim.pin_tries_left == 2


def test_errors_are_worded(db: Database, sims, ring) -> None:
    sim = make(sims)
    Channels(db, "tester").add_modem("拔掉的猫", sim.url)
    sim.unplug()
    access = ModemAccess(db)
    with pytest.raises(ModemAccessError) as gone:
        access.details("拔掉的猫")
    assert gone.value.message().startswith("拔掉的猫：无法打开端口")
    with pytest.raises(ModemAccessError):
        access.ussd("拔掉的猫", "*100#")
    with pytest.raises(ValidationError) as bad:
        access.ussd("拔掉的猫", "100")
    assert "USSD" in bad.value.message()
