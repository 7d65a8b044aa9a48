"""The ledger's invariants over random sequences of top-ups, reservations, charges (at the held price or the
vendor's), releases, failed batches, adjustments and reconciliations, against a plain model of the account
kept beside it. Each example gets an account of its own in one real SQLite database.

After every step: balance = top-ups − charges ± adjustments and reconciliations; available = balance − open
reservations; the open reservations are exactly the model's; no reservation is ended twice and the chain is
intact (Ledger.verify); a refused reservation changed nothing and left available as it was, never below
zero by its doing; a failed batch changed nothing. At the end the cycle's statement balances to the same
figure.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from smsjingling.account import BillingCycle, InsufficientBalance, Ledger, statement
from smsjingling.storage.accounts import EntryKind, LedgerEntry
from smsjingling.storage.database import Database, open_database
from tests.core.test_account_ledger import open_account

AT = datetime(2024, 6, 15, 4, 0, tzinfo=UTC)
POISON = 10_000  # a message id never reserved: charging it without a price fails its whole batch
_names = itertools.count(1)


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_database(str(tmp_path_factory.mktemp("ledger") / "ledger.sqlite3"))
    yield database
    database.close()


@dataclass
class Model:
    balance: int = 0
    holds: dict[int, int] = field(default_factory=dict)  # message -> fen held
    last: dict[int, str] = field(default_factory=dict)  # message -> its last movement
    top_ups: int = 0
    charged: int = 0
    corrections: int = 0  # adjustments and reconciliations

    @property
    def available(self) -> int:
        return self.balance - sum(self.holds.values())

    def copy(self) -> Model:
        return Model(self.balance, dict(self.holds), dict(self.last), self.top_ups, self.charged, self.corrections)


# Few ids, so the same message is reserved, charged, released and resent again and again.
message_ids = st.integers(1, 6)
actions = st.one_of(
    st.tuples(st.just("top_up"), st.integers(1, 3_000)),
    st.tuples(
        st.just("reserve"),
        st.lists(st.tuples(message_ids, st.integers(0, 400), st.integers(1, 3)), min_size=1, max_size=5),
    ),
    st.tuples(
        st.just("charge"),
        st.lists(st.tuples(message_ids, st.one_of(st.none(), st.integers(0, 500))), min_size=1, max_size=5),
    ),
    st.tuples(st.just("release"), st.lists(message_ids, max_size=6)),
    st.tuples(st.just("failed_charge"), st.lists(st.tuples(message_ids, st.integers(0, 50)), max_size=4)),
    st.tuples(st.just("failed_reserve"), st.lists(st.tuples(message_ids, st.integers(0, 50)), max_size=4)),
    st.tuples(st.just("adjust"), st.integers(-2_000, 2_000).filter(bool)),
    st.tuples(st.just("reconcile"), st.integers(-3_000, 3_000)),
)


def apply_charges(model: Model, items: list[tuple[int, int | None]]) -> Model:
    """What charge_many does, on a copy; raises ValueError as it does, for an unheld message without a price."""
    m = model.copy()
    for message_id, fen in items:
        if m.last.get(message_id) == "charge":
            continue
        if message_id in m.holds:
            held = m.holds.pop(message_id)
            amount = held if fen is None else fen
        elif fen is None:
            raise ValueError(message_id)
        else:
            amount = fen
        m.balance -= amount
        m.charged += amount
        m.last[message_id] = "charge"
    return m


def check(ledger: Ledger, model: Model) -> None:
    state = ledger.state()
    assert state.balance_fen == model.balance == model.top_ups - model.charged + model.corrections
    assert state.available_fen == model.available == state.balance_fen - state.held_fen
    assert {h.message_id: h.fen for h in ledger.open_reservations()} == model.holds
    verdict = ledger.verify()
    assert verdict.ok, verdict
    with ledger.db.reader() as s:
        sums = dict(
            s.execute(
                select(LedgerEntry.kind, func.sum(LedgerEntry.fen))
                .where(LedgerEntry.account_id == ledger.account_id)
                .group_by(LedgerEntry.kind)
            ).all()
        )
    assert sums.get(EntryKind.TOP_UP, 0) == model.top_ups
    assert -sums.get(EntryKind.CHARGE, 0) == model.charged
    corrections = sums.get(EntryKind.ADJUSTMENT, 0) + sums.get(EntryKind.RECONCILIATION, 0)
    assert corrections == model.corrections


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(actions, min_size=1, max_size=30))
def test_ledger_invariants_hold_over_any_sequence(shared_db: Database, steps: list[tuple]) -> None:
    name = f"网关{next(_names)}"
    ledger = Ledger(shared_db, "prop", account_id=open_account(shared_db, name), clock=lambda: AT, tz=None)
    model = Model()
    for action, arg in steps:
        if action == "top_up":
            ledger.top_up(arg)
            model.balance += arg
            model.top_ups += arg
        elif action == "reserve":
            fresh: dict[int, int] = {}
            for message_id, fen, _segments in arg:
                if message_id not in model.holds:
                    fresh.setdefault(message_id, fen)
            need, before = sum(fresh.values()), model.available
            if fresh and need > before:
                with pytest.raises(InsufficientBalance) as refused:
                    ledger.reserve(1, arg)
                assert refused.value.shortfall_fen == need - before > 0
                assert ledger.available() == before  # nothing held: available as it was
            else:
                posted = ledger.reserve(1, arg)
                assert (posted.count, posted.fen) == (len(fresh), need)
                model.holds.update(fresh)
                model.last.update(dict.fromkeys(fresh, "reserve"))
                if fresh:
                    assert posted.available_fen == before - need >= 0
        elif action == "charge":
            try:
                after = apply_charges(model, arg)
            except ValueError:
                with pytest.raises(ValueError):
                    ledger.charge_many(arg)
            else:
                ledger.charge_many(arg)
                model = after
        elif action == "release":
            released = ledger.release(arg)
            held = [m for m in dict.fromkeys(arg) if m in model.holds]
            assert (released.count, released.fen) == (len(held), sum(model.holds[m] for m in held))
            for m in held:
                del model.holds[m]
                model.last[m] = "release"
        elif action == "failed_charge":
            # A result batch that fails part way (here: a message that was never held, with no price) is
            # rolled back whole: what came before it in the batch is not charged either.
            with pytest.raises(ValueError):
                ledger.charge_many([*arg, (POISON, None)])
        elif action == "failed_reserve":
            with pytest.raises(ValueError):
                ledger.reserve(1, [*arg, (POISON, -1)])
        elif action == "adjust":
            ledger.adjust(arg, "测试调整")
            model.balance += arg
            model.corrections += arg
        elif action == "reconcile":
            vendor = max(0, model.balance + arg)
            result = ledger.reconcile(vendor)
            assert result.difference_fen == vendor - model.balance
            model.corrections += vendor - model.balance
            model.balance = vendor
        check(ledger, model)

    st_ = statement(shared_db, ledger.account_id, BillingCycle.containing(AT, None))
    assert st_.balanced and st_.opening_fen == 0 and st_.closing_fen == model.balance
    assert st_.held_at_close_fen == sum(model.holds.values())
