"""设备与通道 against simulated modems and the simulated gateway on loopback: scan and add, details, PIN entry on
a running channel (through the service, never a second open of the port), test send, USSD, enabling and
removing, gateway set-up with its connection test, and the signal bars in the status bar."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from modem.at.parsers import dbm_to_bars, rssi_to_dbm
from modem.sim import SimModem
from smsjingling.account.accounts import Accounts
from smsjingling.gateway.sim import GatewaySim
from smsjingling.sending.channels import Channels, pin_for
from smsjingling.sending.gateway_accounts import AdapterKind
from smsjingling.storage.database import Database
from tests.core.gateway_peers import MemoryKeyring, memory_keyring
from ui.devices_model import Column, DevicesModel, read_rows
from ui.main_window import MainWindow
from ui.pages.devices import DevicesPage

KEY = "office-gateway-key"


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


@pytest.fixture
def window(qtbot, db: Database, ring, home: Path) -> Iterator[MainWindow]:
    # The window opens on this page (a private data folder, so no other test's last page or geometry).
    (home / "window.ini").write_text("[General]\npage=devices\n", encoding="utf-8")
    main = MainWindow(db)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.ctx.close()


def open_page(qtbot, window: MainWindow) -> DevicesPage:
    page = window.show_page("devices")
    assert isinstance(page, DevicesPage)
    page.scan_candidates = lambda: []  # this computer's own serial ports stay out of the tests
    settle(qtbot, page)
    return page


def settle(qtbot, page: DevicesPage) -> None:
    qtbot.waitUntil(lambda: not page.loading, timeout=15_000)


def cell(page: DevicesPage, name: str, column: int) -> str:
    model = page.model
    for row in range(model.rowCount()):
        if model.data(model.index(row, Column.NAME)) == name:
            return model.data(model.index(row, column)) or ""
    raise AssertionError(f"no row {name}")


def test_scan_add_details_test_send_and_ussd(qtbot, window: MainWindow, sims) -> None:
    sim = make(sims, model="E1731", rssi=24)
    page = open_page(qtbot, window)
    assert page.banner.isVisible()  # no channel yet: the simulated devices are offered
    dialog = page.open_scan()
    qtbot.keyClicks(dialog.extra_edit, sim.url)
    qtbot.mouseClick(dialog.scan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=15_000)
    assert dialog.progress.value() == dialog.progress.maximum() == 1
    assert dialog.table.item(0, 1).text() == "短信猫" and "E1731" in dialog.table.item(0, 2).text()
    assert dialog.name_edit.text().startswith("E1731")
    dialog.name_edit.setText("办公室短信猫")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已添加通道“办公室短信猫”" in dialog.status_label.text(), timeout=10_000)
    assert dialog.table.item(0, 1).text() == "已添加为通道“办公室短信猫”" and not dialog.add_button.isEnabled()
    dialog.close()
    added = "办公室短信猫"
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and bool(cell(page, added, Column.IMEI)), timeout=15_000)
    assert not page.banner.isVisible()
    assert cell(page, "办公室短信猫", Column.MODEL) == "E1731"
    assert cell(page, "办公室短信猫", Column.OPERATOR) == "CHINA MOBILE"
    assert cell(page, "办公室短信猫", Column.SIM) == "已就绪"
    assert cell(page, "办公室短信猫", Column.SIGNAL).count("·") == 5 - dbm_to_bars(rssi_to_dbm(24))
    assert cell(page, "办公室短信猫", Column.SENT) == "0 / 1000"

    assert page.select("办公室短信猫")
    details = page.open_details()
    qtbot.waitUntil(lambda: details.details is not None, timeout=10_000)
    assert details.values["imei"].text() == sim.config.imei and details.values["via"].text() == "直接打开端口"
    assert details.values["smsc"].text() == sim.config.smsc and not details.pin_button.isEnabled()
    details.close()

    page.test_action.trigger()
    sender = page.dialogs[-1]
    qtbot.keyClicks(sender.number_edit, "13800138000")
    qtbot.mouseClick(sender.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已通过" in sender.result_label.text(), timeout=10_000)
    assert "这是一条来自短信精灵的测试短信。" in sim.sent_texts()
    sender.close()

    page.ussd_action.trigger()
    ussd = page.dialogs[-1]
    qtbot.mouseClick(ussd.query_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ussd.reply_edit.toPlainText() != "", timeout=10_000)
    assert ussd.reply_edit.toPlainText() == sim.config.ussd_reply
    ussd.code_edit.setText("100")  # not a USSD code: refused in words, nothing sent
    qtbot.mouseClick(ussd.query_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "查询失败" in ussd.status_label.text(), timeout=10_000)
    assert "以 # 结尾" in ussd.status_label.text()
    ussd.close()
    assert not sim.is_open


def test_pin_on_a_running_channel_and_the_signal_in_the_status_bar(qtbot, window: MainWindow, db, sims) -> None:
    sim = make(sims, pin="2580", rssi=18)
    Channels(db, "tester").add_modem("锁卡猫", sim.url)
    window.ctx.start_service(demo_if_empty=False)
    qtbot.waitUntil(lambda: window.ctx.service_state.state == "running", timeout=15_000)
    page = open_page(qtbot, window)
    qtbot.waitUntil(lambda: cell(page, "锁卡猫", Column.SIM) == "需要 PIN 码", timeout=15_000)
    assert page.select("锁卡猫") and page.pin_action.isEnabled()
    opens, before = sim.open_count, window.ctx.service
    asked: list[str] = []
    page.ask_pin = lambda _parent, name: asked.append(name) or "2580"
    page.pin_action.trigger()
    qtbot.waitUntil(lambda: pin_for("锁卡猫") == "2580", timeout=15_000)
    assert asked == ["锁卡猫"]
    assert sim.open_count == opens  # unlocked through the running worker, not a second open of the port
    # The service restarts, so a worker that rested after failed sends starts afresh with the SIM open.
    qtbot.waitUntil(
        lambda: window.ctx.service not in (None, before) and window.ctx.service_state.state == "running",
        timeout=15_000,
    )
    page.refresh(details=True)
    qtbot.waitUntil(lambda: cell(page, "锁卡猫", Column.SIM) == "已就绪", timeout=15_000)
    assert sim.engine.sim.pin_tries_left == 3

    bars = dbm_to_bars(rssi_to_dbm(18))
    link = window.ctx.service.dispatcher.workers[0].link
    qtbot.waitUntil(lambda: link.last_bars == bars, timeout=15_000)
    window.status.refresh()
    qtbot.waitUntil(lambda: "▁" in window.status.channels_label.text(), timeout=10_000)
    assert window.status.channels_label.text().count("·") == 5 - bars


def test_enable_disable_and_remove(qtbot, window: MainWindow, db, sims) -> None:
    sim = make(sims)
    Channels(db, "tester").add_modem("备用猫", sim.url)
    page = open_page(qtbot, window)
    assert page.select("备用猫") and page.toggle_action.text() == "停用"
    page.toggle_action.trigger()
    qtbot.waitUntil(lambda: cell(page, "备用猫", Column.STATE) == "已停用", timeout=10_000)
    assert page.toggle_action.text() == "启用" and not Channels(db).list()[0].enabled
    enabled_index = page.model.index(0, Column.ENABLED)
    assert page.model.data(enabled_index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    page.model.setData(enabled_index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(lambda: Channels(db).list()[0].enabled, timeout=10_000)
    settle(qtbot, page)
    asked: list[str] = []
    page.confirm = lambda _title, question: asked.append(question) or True
    page.select("备用猫")
    page.remove_action.trigger()
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=10_000)
    assert "已发送的记录会保留" in asked[0] and Channels(db).list() == []
    assert page.banner.isVisible()


def test_gateway_set_up_with_a_connection_test(qtbot, window: MainWindow, db, ring: MemoryKeyring) -> None:
    sim = GatewaySim(report_delay=0.1)
    sim.add_account("office", KEY, balance_fen=8_800, price_fen=5)
    sim.start()
    try:
        page = open_page(qtbot, window)
        page.gateway_action.trigger()
        dialog = page.dialogs[-1]
        dialog.set_kind(AdapterKind.VENDOR)
        assert not dialog.generic_box.isVisibleTo(dialog) and dialog.open_check.isChecked()
        dialog.name_edit.setText("单位网关")  # keyClicks types ASCII only
        qtbot.keyClicks(dialog.url_edit, sim.url)
        qtbot.keyClicks(dialog.account_edit, "office")
        qtbot.keyClicks(dialog.secret_edit, "wrong")
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.last_test is not None, timeout=10_000)
        assert not dialog.last_test.ok and dialog.result_label.text().startswith("连接失败")
        dialog.secret_edit.clear()
        qtbot.keyClicks(dialog.secret_edit, KEY)
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.last_test.ok, timeout=10_000)
        assert dialog.result_label.text() == "连接成功。网关的账户余额：88.00 元。"
        assert ring.entries == {}  # a test keeps nothing
        dialog.low_edit.setText("20")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
        assert ring.entries == {("smsjingling", "gateway-key:单位网关"): KEY}
        info = Accounts(db).get("单位网关")
        assert (info.balance_fen, info.low_balance_fen) == (8_800, 2_000)  # the vendor's figure, reconciled
        assert cell(page, "单位网关", Column.KIND) == "网关：供应商接口"
        assert cell(page, "单位网关", Column.ADDRESS) == f"office @ {sim.url.removeprefix('http://')}"
        assert cell(page, "单位网关", Column.SENT) == "0 / 不限"
        # The kinds' forms: 短信宝 asks for its price, the generic adapter for its patterns.
        page.gateway_action.trigger()
        other = page.dialogs[-1]
        other.set_kind(AdapterKind.SMSBAO)
        assert other.price_spin.isVisibleTo(other) and other.url_edit.text() == "https://api.smsbao.com"
        other.set_kind(AdapterKind.GENERIC)
        assert other.generic_box.isVisibleTo(other) and not other.open_check.isChecked()
        other.set_kind(AdapterKind.KANNEL)
        assert not other.open_check.isEnabled() and other.lan_check.isVisibleTo(other)
        other.close()
    finally:
        sim.stop()


def test_the_model_passes_qt_model_tester(qtmodeltester, db: Database, sims, ring) -> None:
    sim = make(sims)
    Channels(db).add_modem("一号猫", sim.url)
    Channels(db).add_modem("二号猫", sim.url + "?x", daily_cap=0)
    model = DevicesModel()
    model.set_rows(read_rows(db, None))
    assert model.rowCount() == 2 and model.data(model.index(1, Column.SENT)) == "0 / 不限"
    qtmodeltester.check(model)
