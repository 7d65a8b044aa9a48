"""§11 First run: with no channel the window offers the simulated modem and gateway (labelled 模拟) instead of
adding them silently; accepted, both exist, the service sends through them and every page has something to
show; declined, the offer waits on 设备与通道; with a channel already there, nothing is asked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smsjingling.account.accounts import Accounts
from smsjingling.sending.channels import Channels
from smsjingling.storage.database import Database
from tests.core.gateway_peers import memory_keyring
from ui import first_run
from ui.devices_model import Column
from ui.main_window import MainWindow
from ui.pages.account import AccountPage
from ui.pages.devices import DevicesPage


@pytest.fixture
def window(qtbot, db: Database, home: Path) -> Iterator[MainWindow]:
    (home / "window.ini").write_text("[General]\npage=devices\n", encoding="utf-8")
    with memory_keyring():
        main = MainWindow(db)
        qtbot.addWidget(main)
        main.show()
        yield main
        main.ctx.close()


def running(window: MainWindow) -> bool:
    return window.ctx.service is not None and window.ctx.service_state.state == "running"


def kinds(page: DevicesPage) -> dict[str, str]:
    model = page.model
    rows = range(model.rowCount())
    return {model.data(model.index(r, Column.NAME)): model.data(model.index(r, Column.KIND)) for r in rows}


def test_the_offer_accepted_adds_the_simulated_modem_and_gateway(qtbot, window: MainWindow, db: Database) -> None:
    asked: list[object] = []
    first_run.begin(window, window.ctx, asker=lambda parent: asked.append(parent) or True)
    qtbot.waitUntil(lambda: running(window) and len(Channels(db).list()) == 2, timeout=20_000)
    assert asked == [window]
    names = sorted(c.name for c in Channels(db).list())
    assert names == ["模拟短信猫", "模拟短信网关"]
    assert all("模拟" in name for name in names)
    # The service sends through both: the simulated modem's worker and the simulated gateway's.
    workers = {w.name for w in window.ctx.service.dispatcher.workers}
    assert workers == set(names)
    account = Accounts(db).get("模拟短信网关")
    assert account.balance_fen > 0  # opened with the simulator's opening balance, the same on both books
    page = window.show_page("devices")
    assert isinstance(page, DevicesPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 and not page.loading, timeout=15_000)
    labels = kinds(page)
    assert labels["模拟短信猫"] == "短信猫（模拟）" and labels["模拟短信网关"].endswith("（模拟）")
    assert not page.banner.isVisible()
    # The status bar says they are simulated too.
    window.status.refresh()
    qtbot.waitUntil(lambda: "模拟短信猫" in window.status.channels_label.text(), timeout=10_000)
    # The 账户 page has the simulated gateway's prepaid account, and reconciles it with the simulator's books
    # through the running service.
    account = window.show_page("account")
    assert isinstance(account, AccountPage)
    qtbot.waitUntil(lambda: not account.loading and account.model.rowCount() > 0, timeout=10_000)
    assert account.account_combo.currentText() == "模拟短信网关"
    shown: list[str] = []
    account.show_result = lambda _title, text: shown.append(text)
    account.reconcile_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=15_000)
    assert shown[0].startswith("对账完成：网关余额") and "一致" in shown[0]


def test_the_offer_declined_waits_on_the_devices_page(qtbot, window: MainWindow, db: Database) -> None:
    first_run.begin(window, window.ctx, asker=lambda _parent: False)
    qtbot.waitUntil(lambda: running(window), timeout=15_000)
    assert Channels(db).list() == []  # nothing added silently, the service runs with no channel
    page = window.show_page("devices")
    qtbot.waitUntil(lambda: not page.loading, timeout=10_000)
    assert page.banner.isVisible()
    page.banner.button.click()
    qtbot.waitUntil(lambda: len(Channels(db).list()) == 2 and page.model.rowCount() == 2, timeout=20_000)
    assert not page.banner.isVisible()
    qtbot.waitUntil(lambda: running(window) and len(window.ctx.service.dispatcher.workers) == 2, timeout=20_000)


def test_no_offer_when_a_channel_exists(qtbot, window: MainWindow, db: Database) -> None:
    Channels(db).add_modem("办公室短信猫", "sim://first-run-existing?latency=0")
    asked: list[object] = []
    first_run.begin(window, window.ctx, asker=lambda parent: asked.append(parent) or True)
    qtbot.waitUntil(lambda: running(window), timeout=15_000)
    assert asked == [] and [c.name for c in Channels(db).list()] == ["办公室短信猫"]


def test_the_dialog_says_what_the_simulation_is(qtbot) -> None:
    dialog = first_run.FirstRunDialog()
    qtbot.addWidget(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(first_run.QLabel))
    assert "【模拟】短信猫" in texts and "不会发出任何真实短信" in texts
    assert dialog.use_button.isDefault() and dialog.use_button.text() == "使用模拟设备"
