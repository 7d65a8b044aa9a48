"""账户 over a real ledger: the figures match the core's, the ledger pages as it scrolls, 立即对账 takes the
simulated gateway's balance (loopback) and shows the difference, the warning line is saved, and the statement of a
billing cycle is exported to .xlsx with the ledger's figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from smsjingling.account.accounts import Accounts
from smsjingling.account.ledger import Ledger
from smsjingling.account.plans import Tariff
from smsjingling.gateway.sim import GatewaySim
from smsjingling.sending.channels import add_gateway
from smsjingling.storage.database import Database
from tests.core.gateway_peers import memory_keyring
from ui.account_model import PAGE_SIZE, Column, LedgerModel
from ui.main_window import MainWindow
from ui.pages.account import AccountPage

KEY = "ledger-test-key"


@pytest.fixture
def gateway() -> Iterator[GatewaySim]:
    with memory_keyring():
        sim = GatewaySim(report_delay=0.1)
        sim.add_account("office", KEY, balance_fen=50_000, price_fen=5)
        sim.start()
        yield sim
        sim.stop()


@pytest.fixture
def ledger(db: Database, gateway: GatewaySim) -> Ledger:
    add_gateway(db, "单位网关", gateway.url, "office", key=KEY)
    accounts = Accounts(db, "admin")
    accounts.save_plan(Tariff("标准套餐", 2_000, 500, 6, 0))
    account_id = accounts.open("单位网关", plan="标准套餐", low_balance_fen=1_000)
    ledger = Ledger(db, "admin", account_id=account_id)
    ledger.top_up(50_000, "首次充值")
    ledger.reserve(1, [(101, 5), (102, 5), (103, 10, 2)])
    ledger.charge_many([(101, 5), (102, 5)])
    ledger.adjust(-150, "供应商更正")
    return ledger


def opening_on_account(home: Path) -> None:
    """The window opens on this page (a private data folder, so no other test's last page or geometry)."""
    (home / "window.ini").write_text("[General]\npage=account\n", encoding="utf-8")


@pytest.fixture
def page(qtbot, db: Database, ledger: Ledger, home: Path) -> Iterator[AccountPage]:
    opening_on_account(home)
    main = MainWindow(db)
    qtbot.addWidget(main)
    main.show()
    page = main.show_page("account")
    assert isinstance(page, AccountPage)
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() > 0, timeout=15_000)
    yield page
    main.ctx.close()


def column(model: LedgerModel, col: int) -> list[str]:
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_figures_match_the_ledger(page: AccountPage, ledger: Ledger) -> None:
    state = ledger.state()
    assert page.balance_label.text() == "498.40" == f"{state.balance_fen / 100:.2f}"
    assert page.held_label.text() == "0.10" and page.available_label.text() == "498.30"
    assert "标准套餐：月租 20.00 元，含 500 条" in page.plan_label.text()
    assert page.reconciled_label.text() == "尚未与网关对账" and page.low_edit.text() == "10.00"
    assert not page.warning_label.isVisibleTo(page)
    assert column(page.model, Column.KIND) == ["调整", "扣费", "扣费", "预留", "预留", "预留", "充值"]
    assert column(page.model, Column.AMOUNT)[:3] == ["-1.50", "-0.05", "-0.05"]
    assert column(page.model, Column.BALANCE)[0] == "498.40" and column(page.model, Column.BALANCE)[-1] == "500.00"
    assert page.count_label.text() == "共 7 笔"
    assert page.cycle_combo.count() == 1 and page.cycle_combo.currentText() == datetime.now(UTC).strftime("%Y-%m")


def test_reconcile_takes_the_vendors_balance_and_shows_the_difference(qtbot, page: AccountPage, ledger) -> None:
    shown: list[str] = []
    page.show_result = lambda _title, text: shown.append(text)
    page.reconcile_action.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown[0] == "对账完成：网关余额 500.00 元，本地原为 498.40 元，差额 +1.60 元已按网关的数字记入账目。"
    qtbot.waitUntil(lambda: page.balance_label.text() == "500.00", timeout=10_000)
    assert ledger.balance() == 50_000
    assert page.reconciled_label.text().endswith("网关余额 500.00 元")
    qtbot.waitUntil(lambda: page.model.rowCount() == 8 and not page.loading, timeout=10_000)
    assert column(page.model, Column.KIND)[0] == "对账差额" and column(page.model, Column.AMOUNT)[0] == "+1.60"


def test_warning_line_is_saved_and_warns(qtbot, page: AccountPage, db: Database) -> None:
    page.low_edit.setText("600")
    page.low_button.click()
    qtbot.waitUntil(lambda: page.warning_label.isVisibleTo(page), timeout=10_000)
    assert Accounts(db).get("单位网关").low_balance_fen == 60_000
    assert "低于预警线 600.00 元" in page.warning_label.text()
    page.low_edit.setText("12.345")  # not an amount: refused in words, nothing saved
    shown: list[str] = []
    import ui.pages.account as account_module

    original = account_module.show_error
    account_module.show_error = lambda _parent, exc: shown.append(str(exc))
    try:
        page.save_threshold()
    finally:
        account_module.show_error = original
    assert shown and "金额无效" in shown[0] and Accounts(db).get("单位网关").low_balance_fen == 60_000


def test_statement_export(qtbot, page: AccountPage, tmp_path: Path) -> None:
    target = tmp_path / "对账单.xlsx"
    page.ask_save_path = lambda *_args: str(target)
    page.export_action.trigger()
    qtbot.waitUntil(lambda: target.exists() and not page.loading, timeout=10_000)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "类型", "金额（元）")
    assert rows[1][1].startswith("期初余额") and float(rows[1][9]) == 0
    kinds = [r[1] for r in rows[2:9]]
    assert kinds == ["充值", "预留", "预留", "预留", "扣费", "扣费", "调整"]
    closing = next(r for r in rows if r[1] and str(r[1]).startswith("期末余额"))
    assert float(closing[9]) == 498.40


def test_ledger_pages_as_it_scrolls(qtbot, page: AccountPage, ledger: Ledger, qtmodeltester) -> None:
    for i in range(PAGE_SIZE + 30):
        ledger.top_up(1, f"第 {i} 笔")
    model = page.model
    model.refresh()
    qtbot.waitUntil(lambda: model.rowCount() == PAGE_SIZE and not model.loading, timeout=10_000)
    assert model.total == PAGE_SIZE + 37 and model.canFetchMore()
    assert page.count_label.text() == f"共 {PAGE_SIZE + 37} 笔"
    page.table.scrollToBottom()  # the view asks for the next page as it nears the end
    qtbot.waitUntil(lambda: model.rowCount() == PAGE_SIZE + 37 and not model.loading, timeout=10_000)
    assert not model.canFetchMore()
    balances = column(model, Column.BALANCE)
    assert balances[0] == f"{ledger.balance() / 100:.2f}" and balances[-1] == "500.00"
    qtmodeltester.check(model)


def test_no_account_says_where_to_open_one(qtbot, db: Database, home: Path) -> None:
    opening_on_account(home)
    main = MainWindow(db)
    qtbot.addWidget(main)
    main.show()
    page = main.show_page("account")
    qtbot.waitUntil(lambda: not page.loading, timeout=10_000)
    assert page.stack.currentIndex() == 1 and "还没有预付费账户" in page.empty_label.text()
    assert not page.reconcile_action.isEnabled()
    page.go_devices_button.click()
    assert main.current_key() == "devices"
    main.ctx.close()
