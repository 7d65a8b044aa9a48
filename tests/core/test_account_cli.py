"""`smsjingling account …` and `smsjingling report`, run in-process against a real database file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from smsjingling.account import BillingCycle, Ledger
from smsjingling.records.period import start_of_day
from smsjingling.storage.accounts import Account
from smsjingling.storage.database import Database
from smsjingling.storage.types import utcnow
from tests.core.cli_runner import Cli, cli_runner
from tests.core.test_account_ledger import _raw as raw_connection
from tests.core.test_account_ledger import add_gateway
from tests.core.test_records import SHANGHAI, add_campaign, read_xlsx, sent_message


@pytest.fixture
def cli(db: Database, capsys: pytest.CaptureFixture[str]) -> Cli:
    return cli_runner(db.url.render_as_string(hide_password=False), capsys, catch_exit=True)


@pytest.fixture
def opened(db: Database, cli: Cli) -> Cli:
    add_gateway(db, "云片")
    assert cli("account", "plan", "标准套餐", "--monthly-fee", "50", "--included", "1000", "--overage", "0.05",
               "--daily-max", "5000")[0] == 0  # fmt: skip
    code, out, _ = cli("account", "open", "云片", "--plan", "标准套餐", "--low-balance", "100")
    assert code == 0 and "已为通道 云片 开立预付费账户 #1" in out
    return cli


def test_plan_open_topup_and_show(opened: Cli) -> None:
    code, out, _ = opened("account", "topup", "200", "--note", "首次预付")
    assert code == 0 and out.strip() == "已充值 200.00 元；余额 200.00 元，可用 200.00 元"
    code, out, _ = opened("account", "show")
    assert code == 0
    assert "预付费账户 #1（通道：云片）" in out
    assert "套餐：标准套餐：月租 50.00 元，含 1000 条，超出后 0.05 元/条，每日最多 5000" in out
    assert "余额 200.00 元，已预留 0.00 元，可用 200.00 元" in out
    assert "尚未与供应商对账" in out and "余额预警线：100.00 元" in out and "余额不足预警" not in out
    code, out, _ = opened("--lang", "en", "account", "plans")
    assert "标准套餐: 50.00 yuan a month, 1000 messages included" in out


def test_a_low_balance_warns(db: Database, opened: Cli) -> None:
    opened("account", "topup", "120")
    Ledger(db).reserve(1, [(1, 3_000)])  # 90.00 available, below 100.00
    out = opened("account", "show", "--account", "云片")[1]
    assert "余额不足预警：可用余额 90.00 元，低于预警线 100.00 元" in out
    assert opened("account", "set", "--low-balance", "0")[0] == 0
    assert "余额预警：关闭" in opened("account", "show")[1]


def test_reconcile_shows_the_difference(opened: Cli) -> None:
    opened("account", "topup", "200")
    code, out, _ = opened("account", "reconcile", "--vendor-balance", "198.5", "--note", "后台")
    assert code == 0
    assert out.strip() == ("对账差额 -1.50 元：供应商余额 198.50 元，本地记录 200.00 元。已以供应商为准并记入账本。")
    code, out, _ = opened("--lang", "en", "account", "reconcile", "--vendor-balance", "198.50")
    assert "agree on 198.50 yuan" in out
    assert "供应商余额 198.50 元" in opened("account", "show")[1]


def test_adjust_needs_a_reason_and_takes_a_sign(opened: Cli) -> None:
    opened("account", "topup", "10")
    code, _, err = opened("account", "adjust", "-2.5")
    assert code == 2 and "--note" in err
    code, out, _ = opened("account", "adjust", "-2.5", "--note", "退款冲正")
    assert code == 0 and "余额 7.50 元" in out


def test_statement_printed_and_saved(tmp_path: Path, db: Database, opened: Cli) -> None:
    opened("account", "topup", "200")
    month = BillingCycle.containing(utcnow(), SHANGHAI).label
    code, out, _ = opened("account", "statement")
    assert code == 0
    assert f"对账单 {month}" in out and "Asia/Shanghai" in out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:]}
    assert lines["充值"] == ["1", "200.00"] and lines["期末余额"] == [month, "200.00"]
    out_file = tmp_path / "st.xlsx"
    code, out, _ = opened("account", "statement", "--month", month, "--out", str(out_file))
    assert code == 0 and str(out_file) in out
    rows = read_xlsx(out_file)
    assert rows[2][1] == "充值" and rows[-1][9] == 200
    code, _, err = opened("account", "statement", "--month", "2024-13")
    assert code == 2 and "月份无效" in err


def test_verify_finds_tampering(db: Database, opened: Cli) -> None:
    opened("account", "topup", "200")
    opened("account", "topup", "100")
    code, out, _ = opened("account", "verify")
    assert code == 0 and out.startswith("OK：账本完整") and "300.00 元" in out
    conn = raw_connection(db)
    conn.execute("UPDATE ledger_entries SET fen = 1000000 WHERE seq = 1")
    conn.close()
    code, out, _ = opened("account", "verify")
    assert code == 1
    assert "第 1 条：内容与哈希不符，此行被修改过" in out
    assert "账户余额 300.00 元 / 预留 0.00 元，与账本合计 10100.00 元 / 0.00 元 不符" in out


def test_mistakes_are_told_plainly(db: Database, cli: Cli) -> None:
    code, _, err = cli("account", "show")
    assert code == 2 and "还没有预付费账户" in err
    code, _, err = cli("account", "topup", "0.001")
    assert code == 2 and "金额无效" in err
    add_gateway(db, "云片")
    add_gateway(db, "短信宝")
    cli("account", "open", "云片")
    cli("account", "open", "短信宝")
    code, _, err = cli("account", "topup", "5")
    assert code == 2 and "有多个预付费账户" in err
    assert cli("account", "topup", "5", "--account", "短信宝")[0] == 0
    code, _, err = cli("account", "open", "云片")
    assert code == 2 and "已有预付费账户" in err
    code, _, err = cli("account", "open", "云片2", "--plan", "没有")
    assert code == 2
    code, out, _ = cli("account", "show")
    assert "通道：云片" in out and "通道：短信宝" in out
    with db.reader() as s:
        assert s.scalar(select(Account.balance_fen).where(Account.id == 2)) == 500


def test_report_by_week_printed_and_saved(tmp_path: Path, db: Database, cli: Cli) -> None:
    gateway = add_gateway(db, "云片")
    cli("account", "open", "云片")
    c = add_campaign(db)
    sent_message(db, c, start_of_day(date(2024, 6, 3), SHANGHAI), channel_id=gateway)
    code, out, _ = cli("report", "--by", "week", "--from", "2024-06-01", "--to", "2024-07-01")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["期间", "通道", "提交"]
    assert lines[1].split()[:6] == ["2024-06-03～06-09", "云片", "1", "1", "1", "0"]
    assert "100.0%" in lines[1]
    out_file = tmp_path / "r.xlsx"
    code, out, _ = cli("--lang", "en", "report", "--by", "month", "--from", "2024-06-01", "--to", "2024-07-01",
                       "--out", str(out_file))  # fmt: skip
    assert code == 0 and str(out_file) in out
    rows = read_xlsx(out_file)
    assert rows[0][0] == "Period" and rows[1][:3] == ["2024-06", "云片", 1] and rows[-1][0] == "Total"
    code, out, _ = cli("report")  # this month, by day: nothing yet
    assert code == 0 and out.splitlines()[-1].split()[:2] == ["合计", "0"]
