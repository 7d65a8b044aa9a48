"""The ledger paged for the window: newest first, the balance after each entry, and the statement cycles."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from smsjingling.account.accounts import Accounts
from smsjingling.account.entries import entry_count, entry_page, statement_cycles
from smsjingling.account.ledger import Ledger
from smsjingling.sending.channels import add_gateway
from smsjingling.storage.database import Database
from tests.core.gateway_peers import MemoryKeyring, memory_keyring


@pytest.fixture(autouse=True)
def ring() -> Iterator[MemoryKeyring]:
    with memory_keyring() as r:
        yield r


def test_pages_carry_the_running_balance(db: Database) -> None:
    add_gateway(db, "网关", "https://sms.example.cn", "office", key="k")
    account_id = Accounts(db).open("网关")
    ledger = Ledger(db, "tester", account_id=account_id, tz=UTC)
    amounts = [10_000, 2_500, -300, 1_234, -1]
    for fen in amounts:
        if fen > 0:
            ledger.top_up(fen, "充值")
        else:
            ledger.adjust(fen, "更正")
    ledger.reconcile(20_000, "对账")
    assert entry_count(db, account_id) == 6
    first, second = entry_page(db, account_id, 0, 4), entry_page(db, account_id, 4, 4)
    lines = first + second
    assert [line.entry.kind for line in lines[:2]] == ["reconciliation", "adjustment"]
    assert lines[0].balance_fen == 20_000 == ledger.balance()
    running = 0
    for line in reversed(lines):
        running += line.entry.fen
        assert line.balance_fen == running
    assert len(second) == 2 and entry_page(db, account_id, 8, 4) == []


def test_statement_cycles_run_from_the_opening_to_now(db: Database) -> None:
    add_gateway(db, "网关", "https://sms.example.cn", "office", key="k")
    account_id = Accounts(db).open("网关")
    now = datetime.now(UTC)
    cycles = statement_cycles(db, account_id, now=now, tz=UTC)
    assert [c.label for c in cycles] == [f"{now.year:04d}-{now.month:02d}"]
    later = datetime(now.year + 1, 3, 15, tzinfo=UTC)
    labels = [c.label for c in statement_cycles(db, account_id, now=later, tz=UTC)]
    assert labels[0] == f"{now.year + 1}-03" and labels[-1] == f"{now.year:04d}-{now.month:02d}"
    assert len(labels) == 12 - now.month + 1 + 3
