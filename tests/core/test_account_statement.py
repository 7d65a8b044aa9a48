"""The statement of a billing cycle: entries written at chosen times around the cycle's bounds (Shanghai
time), summed, listed with the running balance, and exported to .xlsx and read back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smsjingling.account import Accounts, BillingCycle, Ledger, Tariff, statement, write_statement
from smsjingling.account.statement import Tally, entries
from smsjingling.storage.database import Database
from tests.core.test_account_ledger import Clock, open_account
from tests.core.test_records import read_csv, read_xlsx

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def june(db: Database) -> Ledger:
    """May: a top-up. June: top-up, the monthly fee, reservations, charges (one at the vendor's own price),
    a release, an adjustment, a reconciliation. July: the charge of a message held since June."""
    Accounts(db).save_plan(Tariff("标准套餐", monthly_fee_fen=2_000, included=2, overage_fen=5))
    clock = Clock(at("2024-05-31 23:59:59"))
    ledger = Ledger(db, "王会计", account_id=open_account(db, plan="标准套餐"), clock=clock, tz=SHANGHAI)
    ledger.top_up(10_000, "五月预付")
    clock.at = at("2024-06-01 00:00")
    ledger.top_up(5_000, "六月预付")
    clock.advance(hours=9)
    ledger.reserve_priced(11, [(1, 1), (2, 2), (3, 1), (4, 1)])  # the fee, then 0, 5, 5, 5
    clock.advance(minutes=1)
    ledger.charge_many([(1, None), (2, 6)])  # the vendor billed 0.06 for the second
    ledger.release([3])
    ledger.adjust(-100, "短信退款冲正")
    ledger.reconcile(12_890, "供应商后台余额")
    clock.at = at("2024-07-01 00:00")
    ledger.charge(4)
    return ledger


def test_the_cycles_figures_add_up(db: Database, june: Ledger) -> None:
    st = statement(db, june.account_id, BillingCycle.of(2024, 6, SHANGHAI))
    assert st.channel == "云片"
    assert st.opening_fen == 10_000
    assert st.top_ups == Tally(1, 0, 5_000)
    assert st.fees == Tally(1, 0, 2_000)
    assert st.charges == Tally(2, 3, 6)
    assert st.reserves == Tally(4, 5, 15)
    assert st.releases == Tally(1, 1, 5)
    assert st.adjustments == Tally(1, 0, -100)
    # 10,000 + 5,000 − 2,000 − 6 − 100 = 12,894; the vendor says 12,890.
    assert st.reconciliations == Tally(1, 0, -4)
    assert st.closing_fen == 12_890 and st.balanced
    assert st.held_at_close_fen == 5  # message 4, charged in July

    may = statement(db, june.account_id, BillingCycle.of(2024, 5, SHANGHAI))
    assert (may.opening_fen, may.closing_fen, may.top_ups.count) == (0, 10_000, 1)
    july = statement(db, june.account_id, BillingCycle.of(2024, 7, SHANGHAI))
    assert july.opening_fen == 12_890 and july.charges == Tally(1, 1, 5) and july.closing_fen == 12_885
    assert july.balanced and july.held_at_close_fen == 0


def test_entries_carry_the_running_balance(db: Database, june: Ledger) -> None:
    st = statement(db, june.account_id, BillingCycle.of(2024, 6, SHANGHAI))
    listed = list(entries(db, st))
    assert [e.kind for e, _ in listed] == [
        "top_up", "charge", "reserve", "reserve", "reserve", "reserve", "charge", "charge", "release",
        "adjustment", "reconciliation",
    ]  # fmt: skip
    assert [b for _, b in listed] == [
        15_000, 13_000, 13_000, 13_000, 13_000, 13_000, 13_000, 12_994, 12_994, 12_894, 12_890,
    ]  # fmt: skip
    assert listed[1][0].ref == "fee:2024-06"


def test_exported_to_xlsx_in_chinese(tmp_path: Path, db: Database, june: Ledger) -> None:
    st = statement(db, june.account_id, BillingCycle.of(2024, 6, SHANGHAI))
    out = tmp_path / "对账单.xlsx"
    assert write_statement(db, st, out) == 1 + 11 + 9
    rows = read_xlsx(out)
    assert rows[0] == [
        "时间",
        "类型",
        "金额（元）",
        "预留变动（元）",
        "条数",
        "短信编号",
        "任务编号",
        "操作人",
        "备注",
        "余额（元）",
    ]
    # Amounts are Decimal yuan going in; the sheet holds them as numbers formatted 0.00.
    assert rows[1][1] == "期初余额 2024-06" and rows[1][9] == 100
    first = rows[2]
    assert first[0] == datetime(2024, 6, 1, 0, 0) and first[1] == "充值" and first[2] == 50 and first[8] == "六月预付"
    assert rows[3][1] == "月租 2024-06" and rows[3][2] == -20
    charge = rows[9]
    assert charge[1:8] == ["扣费", -0.06, -0.05, 2, 2, 11, "王会计"]
    summary = {r[1]: r for r in rows[-9:]}
    assert summary["合计·扣费（2 条短信）"][2] == -0.06 and summary["合计·扣费（2 条短信）"][4] == 3
    assert summary["合计·对账差额（1 次）"][2] == -0.04
    assert summary["期末仍预留"][3] == 0.05
    assert rows[-1][1] == "期末余额 2024-06" and rows[-1][9] == 128.9


def test_exported_to_csv_in_english(tmp_path: Path, db: Database, june: Ledger) -> None:
    st = statement(db, june.account_id, BillingCycle.of(2024, 7, SHANGHAI))
    out = tmp_path / "july.csv"
    write_statement(db, st, out, lang="en")
    rows = read_csv(out)
    assert rows[0][0] == "Time" and rows[1][1] == "Opening balance 2024-07"
    assert rows[2][:3] == ["2024-07-01 00:00:00", "Charged", "-0.05"]
    assert rows[-1][1] == "Closing balance 2024-07" and rows[-1][9] == "128.85"


def test_a_quiet_cycle(db: Database) -> None:
    ledger = Ledger(db, account_id=open_account(db), tz=SHANGHAI)
    st = statement(db, ledger.account_id, BillingCycle.of(2020, 1, SHANGHAI))
    assert st.balanced and st.opening_fen == st.closing_fen == 0 and list(entries(db, st)) == []
