"""The prepaid account's ledger on a real SQLite database: top-ups, reservations refused with the shortfall,
charges at the vendor's price, releases, idempotency per message, reconciliation, the hash chain and the
database's refusal to change an entry, and several threads at once."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from smsjingling.account import Accounts, InsufficientBalance, Ledger, Tariff
from smsjingling.errors import NotFoundError, ValidationError
from smsjingling.events import Event, EventBus
from smsjingling.storage.accounts import Account, EntryKind, LedgerEntry
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Channel, ChannelKind


def add_gateway(db: Database, name: str = "云片") -> int:
    with db.session() as s:
        channel = Channel(kind=ChannelKind.GATEWAY.value, name=name, config={"vendor": "yunpian"})
        s.add(channel)
        s.flush()
        return channel.id


def open_account(db: Database, name: str = "云片", **options: object) -> int:
    add_gateway(db, name)
    return Accounts(db, actor="管理员").open(name, **options)  # type: ignore[arg-type]


class Clock:
    """A settable clock for the ledger, so entries fall where a test wants them."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def ledger(db: Database) -> Ledger:
    account_id = open_account(db)
    return Ledger(db, "gateway", account_id=account_id)


def kinds(ledger: Ledger) -> list[str]:
    return [e.kind for e in ledger.entries()]


def test_top_up_reserve_charge_release(ledger: Ledger) -> None:
    ledger.top_up(10_000, "首次预付")
    held = ledger.reserve(7, [(1, 5), (2, 5), (3, 10, 2)])
    assert (held.count, held.fen, held.segments, held.skipped) == (3, 20, 4, 0)
    assert (ledger.balance(), ledger.available()) == (10_000, 9_980)
    assert [(h.message_id, h.campaign_id, h.fen, h.segments) for h in ledger.open_reservations()] == [
        (1, 7, 5, 1),
        (2, 7, 5, 1),
        (3, 7, 10, 2),
    ]

    charged = ledger.charge_many([(1, 5), (3, None)])
    assert (charged.count, charged.fen, charged.segments) == (2, 15, 3)
    released = ledger.release([2])
    assert (released.count, released.fen) == (1, 5)
    assert (ledger.balance(), ledger.available(), ledger.open_reservations()) == (9_985, 9_985, [])
    assert kinds(ledger) == ["top_up", "reserve", "reserve", "reserve", "charge", "charge", "release"]
    charge = ledger.entries()[4]
    assert (charge.fen, charge.held_fen, charge.closes_seq, charge.campaign_id) == (-5, -5, 2, 7)
    assert ledger.verify().ok


def test_a_reservation_beyond_the_available_balance_is_refused_whole_with_the_shortfall(ledger: Ledger) -> None:
    ledger.top_up(100)
    ledger.reserve(1, [(1, 60)])
    before = ledger.entries()
    with pytest.raises(InsufficientBalance) as refused:
        ledger.reserve(2, [(2, 30), (3, 30)])  # needs 0.60, 0.40 is available
    error = refused.value
    assert (error.needed_fen, error.available_fen, error.shortfall_fen) == (60, 40, 20)
    assert error.message("zh") == ("余额不足，未排队：本次需预留 0.60 元，可用余额 0.40 元，还差 0.20 元。请先充值。")
    assert "0.20 yuan short" in error.message("en")
    assert ledger.entries() == before and ledger.available() == 40
    assert ledger.reserve(2, [(2, 40)]).available_fen == 0  # exactly what is available is fine
    with pytest.raises(InsufficientBalance):
        ledger.reserve(3, [(3, 1)])
    assert ledger.reserve(3, [(3, 0)]).count == 1  # a message the plan includes holds nothing


def test_each_call_is_idempotent_per_message(ledger: Ledger) -> None:
    ledger.top_up(1_000)
    ledger.reserve(1, [(1, 5), (2, 5)])
    again = ledger.reserve(1, [(1, 5), (2, 5), (3, 5)])
    assert (again.count, again.skipped) == (1, 2)
    assert ledger.charge(1, 5).count == 1
    twice = ledger.charge_many([(1, 5), (1, 5)])
    assert (twice.count, twice.skipped) == (0, 2)
    assert ledger.release([1, 1, 4]).count == 0  # charged, then never held: nothing to release
    assert ledger.release([2, 2]).count == 1
    assert ledger.release([2]).count == 0
    assert ledger.balance() == 995 and ledger.available() == 990  # 3 is still held
    assert ledger.verify().ok


def test_the_vendors_price_is_charged_and_an_unheld_message_is_charged_all_the_same(ledger: Ledger) -> None:
    ledger.top_up(1_000)
    ledger.reserve(1, [(1, 5), (2, 5)])
    ledger.charge_many([(1, 8), (2, 0)])  # the vendor billed 0.08 for one and nothing for the other
    assert ledger.balance() == 992 and ledger.available() == 992
    # The gateway accepted a message that was never held (or released after a timeout): still charged.
    ledger.release([3])
    assert ledger.charge(3, 5).count == 1
    with pytest.raises(ValueError, match="not held"):
        ledger.charge(4)  # nothing held and no price given: a caller's bug, and nothing is written
    assert ledger.balance() == 987 and len(ledger.entries()) == 6


def test_a_resent_message_goes_round_again(ledger: Ledger) -> None:
    ledger.top_up(1_000)
    ledger.reserve(1, [(1, 5)])
    ledger.release([1])  # rejected
    ledger.reserve(1, [(1, 5)])  # the operator resends it
    ledger.charge(1)
    ledger.charge(1)  # a duplicate result from the gateway
    ledger.reserve(1, [(1, 5)])  # undelivered, resent once more
    ledger.charge(1, 6)
    assert kinds(ledger)[1:] == ["reserve", "release", "reserve", "charge", "reserve", "charge"]
    assert ledger.balance() == 989 and ledger.available() == 989
    closes = [e.closes_seq for e in ledger.entries() if e.kind in ("charge", "release")]
    assert closes == [2, 4, 6]


def test_bad_amounts(ledger: Ledger) -> None:
    with pytest.raises(ValidationError) as err:
        ledger.top_up(0)
    assert err.value.key == "account.top_up_positive"
    with pytest.raises(ValidationError):
        ledger.adjust(100, " ")
    with pytest.raises(ValidationError):
        ledger.adjust(0, "无")
    with pytest.raises(ValidationError):
        ledger.reconcile(-1)
    with pytest.raises(ValueError):
        ledger.reserve(1, [(1, -5)])
    with pytest.raises(ValueError):
        ledger.charge(1, -5)
    assert ledger.entries() == []


def test_reconcile_takes_the_vendors_figure_and_records_the_difference(db: Database, ledger: Ledger) -> None:
    ledger.top_up(10_000)
    ledger.reserve(1, [(1, 5)])
    result = ledger.reconcile(9_990, "供应商后台")
    assert (result.vendor_fen, result.local_fen, result.difference_fen) == (9_990, 10_000, -10)
    assert ledger.balance() == 9_990 and ledger.available() == 9_985
    entry = ledger.entries()[-1]
    assert (entry.kind, entry.fen, entry.seq, entry.note) == ("reconciliation", -10, result.seq, "供应商后台")
    agree = ledger.reconcile(9_990)
    assert agree.difference_fen == 0 and agree.seq is None and len(ledger.entries()) == 3
    state = ledger.state()
    assert state.reconciled_fen == 9_990 and state.reconciled_at == agree.at
    with db.reader() as s:
        details = [e.details for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "account.reconcile"))]
    assert [d["difference"] for d in details] == [-10, 0]


def test_adjustments_top_ups_and_the_audit_log(db: Database, ledger: Ledger) -> None:
    ledger.top_up(500, "转账")
    ledger.adjust(-120, "退款")
    ledger.adjust(20, "赠送")
    assert ledger.balance() == 400
    with db.reader() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action.startswith("account.")).order_by(AuditEvent.id))
        actions = [(e.action, e.actor, e.details.get("fen")) for e in events]
    assert actions[-3:] == [("account.top_up", "gateway", 500), ("account.adjust", "gateway", -120),
                            ("account.adjust", "gateway", 20)]  # fmt: skip


def test_the_database_refuses_to_change_or_delete_an_entry(db: Database, ledger: Ledger) -> None:
    ledger.top_up(500)
    for statement in ("UPDATE ledger_entries SET fen = 50000", "DELETE FROM ledger_entries"):
        # SQLite's trigger aborts with a constraint error, PostgreSQL's with RAISE: both refuse.
        with pytest.raises(DBAPIError, match="immutable"), db.session() as s:
            s.execute(text(statement))
    assert ledger.balance() == 500 and ledger.verify().ok


def test_a_reservation_cannot_be_ended_twice_even_past_the_program(db: Database, ledger: Ledger) -> None:
    ledger.top_up(500)
    ledger.reserve(1, [(1, 5)])
    ledger.charge(1)
    with pytest.raises(IntegrityError), db.session() as s:
        s.add(
            LedgerEntry(
                account_id=ledger.account_id, seq=99, kind="release", held_fen=-5, message_id=1, closes_seq=2,
                prev_hash="x", hash="y",
            )
        )  # fmt: skip


def _raw(db: Database) -> Any:
    """A plain connection, as someone with an SQL tool and no respect for the triggers would use."""
    if db.url.get_backend_name() == "postgresql":
        import psycopg

        url = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
        pg = psycopg.connect(url, autocommit=True)
        pg.execute("DROP TRIGGER ledger_entries_immutable ON ledger_entries")
        return pg
    conn = sqlite3.connect(str(db.url.database), isolation_level=None)
    conn.execute("DROP TRIGGER ledger_entries_no_update")
    conn.execute("DROP TRIGGER ledger_entries_no_delete")
    return conn


def test_an_edit_behind_the_programs_back_breaks_the_chain(db: Database, ledger: Ledger) -> None:
    ledger.top_up(500)
    ledger.reserve(1, [(1, 5)])
    ledger.charge(1)
    ledger.top_up(100)
    conn = _raw(db)
    conn.execute("UPDATE ledger_entries SET fen = -1 WHERE seq = 3")  # a cheaper charge
    conn.close()
    check = ledger.verify()
    assert not check.ok
    assert [(b.seq, b.reason) for b in check.breaks] == [(3, "edited")]
    assert check.balance_fen != check.mirror_balance_fen


def test_a_deleted_entry_and_a_deleted_tail_show(db: Database, ledger: Ledger) -> None:
    for n in range(1, 5):
        ledger.top_up(100 * n)
    conn = _raw(db)
    conn.execute("DELETE FROM ledger_entries WHERE seq = 2")
    assert [(b.seq, b.reason) for b in ledger.verify().breaks] == [(3, "gap")]
    conn.execute("DELETE FROM ledger_entries WHERE seq = 4")
    conn.close()
    assert "head" in {b.reason for b in ledger.verify().breaks}


def test_many_threads_at_once_each_in_its_own_transaction(db: Database, ledger: Ledger) -> None:
    ledger.top_up(1_000_000)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            mine = Ledger(db, f"worker{n}", account_id=ledger.account_id)
            ids = list(range(n * 1000, n * 1000 + 300))
            shared = list(range(1, 51))  # every thread reserves, charges and releases these too
            for batch in range(0, 300, 50):
                mine.reserve(n, [(i, 5) for i in ids[batch : batch + 50] + shared])
                mine.charge_many([(i, 5) for i in ids[batch : batch + 25] + shared[:25]])
                mine.release(ids[batch + 25 : batch + 50] + shared[25:])
        except BaseException as exc:  # reported below, on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(1, 7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    check = ledger.verify()
    assert check.ok
    entries = ledger.entries()
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    charges = [e.message_id for e in entries if e.kind == "charge"]
    releases = [e.message_id for e in entries if e.kind == "release"]
    # Each thread's own messages: half charged once, half released once.
    own_charged, own_released = [m for m in charges if m > 50], [m for m in releases if m > 50]
    assert len(own_charged) == len(set(own_charged)) == 6 * 150
    assert len(own_released) == len(set(own_released)) == 6 * 150
    # The shared ones went round several times, never ending one reservation twice (each close is unique).
    closes = [e.closes_seq for e in entries if e.closes_seq is not None]
    assert len(closes) == len(set(closes))
    assert ledger.open_reservations() == [] and ledger.balance() == 1_000_000 - 5 * len(charges)


def test_events_tell_the_balance(db: Database) -> None:
    account_id = open_account(db, low_balance_fen=1_000)
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append, "balance")
    ledger = Ledger(db, "gateway", account_id=account_id, events=bus)
    ledger.top_up(1_500)
    ledger.reserve(1, [(1, 600)])
    assert [(e.data["balance_fen"], e.data["available_fen"], e.data["low"]) for e in seen] == [
        (1_500, 1_500, False),
        (1_500, 900, True),
    ]
    assert ledger.state().warning("en") == (
        "Low balance: 9.00 yuan available, below the warning line of 10.00 yuan. Top up soon."
    )
    ledger.release([1])
    assert ledger.state().warning() is None


def test_which_account(db: Database) -> None:
    with pytest.raises(NotFoundError) as none:
        Ledger(db)
    assert none.value.key == "account.none"
    first = open_account(db, "云片")
    assert Ledger(db).account_id == first
    second = open_account(db, "短信宝")
    with pytest.raises(ValidationError) as which:
        Ledger(db)
    assert which.value.key == "account.which" and "短信宝" in which.value.message()
    with db.reader() as s:
        channel_id = s.scalar(select(Account.channel_id).where(Account.id == second))
    assert Ledger.for_channel(db, channel_id).account_id == second
    with pytest.raises(NotFoundError):
        Ledger(db, account_id=99)


def test_only_a_gateway_channel_gets_an_account_and_only_one(db: Database) -> None:
    with db.session() as s:
        s.add(Channel(kind=ChannelKind.MODEM.value, name="COM3", config={}))
    with pytest.raises(ValidationError) as err:
        Accounts(db).open("COM3")
    assert err.value.key == "account.not_gateway"
    open_account(db)
    with pytest.raises(ValidationError):
        Accounts(db).open("云片")
    with pytest.raises(NotFoundError):
        Accounts(db).open("没有这个")
    with pytest.raises(NotFoundError):
        Accounts(db).configure(None, plan="没有这个套餐")


def test_removing_the_channel_keeps_the_account_and_its_ledger(db: Database, ledger: Ledger) -> None:
    ledger.top_up(300)
    with db.session() as s:
        s.execute(text("DELETE FROM channels"))
    info = Accounts(db).get(ledger.account_id)
    assert (info.channel_id, info.label, info.balance_fen) == (None, f"#{ledger.account_id}", 300)
    assert ledger.verify().ok


def test_reserve_priced_follows_the_plan_and_its_daily_maximum(db: Database) -> None:
    accounts = Accounts(db, "管理员")
    accounts.save_plan(Tariff("标准套餐", monthly_fee_fen=5_000, included=10, overage_fen=5, daily_max=20))
    account_id = open_account(db, plan="标准套餐")
    clock = Clock(datetime(2024, 6, 10, 2, 0, tzinfo=UTC))  # 10:00 in Shanghai
    ledger = Ledger(db, "gateway", account_id=account_id, clock=clock)
    ledger.top_up(10_000)
    first = ledger.reserve_priced(1, [(1, 4), (2, 4), (3, 4)])  # 12 segments: 10 included, 2 beyond
    assert first.prices == {1: 0, 2: 0, 3: 10} and first.fen == 10
    assert kinds(ledger) == ["top_up", "charge", "reserve", "reserve", "reserve"]  # the month's fee first
    assert ledger.balance() == 5_000 and ledger.available() == 4_990
    ledger.release([3])  # its segments no longer count
    assert ledger.usage().cycle_segments == 8
    with pytest.raises(ValidationError) as over:
        ledger.reserve_priced(2, [(4, 7), (5, 6)])  # 8 today + 13 > 20
    assert over.value.key == "account.over_daily_max" and over.value.params["over"] == 1
    clock.advance(hours=16)  # 02:00 the next day in Shanghai: a new day, the same cycle
    again = ledger.reserve_priced(2, [(4, 7), (5, 6)])
    assert again.prices == {4: 25, 5: 30} and ledger.usage().today_segments == 13
    assert ledger.charge_monthly_fee() is None  # once per cycle
    clock.at = datetime(2024, 6, 30, 16, 0, tzinfo=UTC)  # 1 July 00:00 in Shanghai: the next cycle
    assert ledger.charge_monthly_fee().ref == "fee:2024-07"
    june = datetime(2024, 6, 20, tzinfo=UTC)
    # A held message counts in the cycle it was reserved in ...
    assert (ledger.usage(june).cycle_segments, ledger.usage().cycle_segments) == (8 + 13, 0)
    ledger.charge_many([(4, None), (5, None)])
    # ... until it is charged, then in the cycle it was charged in.
    assert (ledger.usage(june).cycle_segments, ledger.usage().cycle_segments) == (8, 13)


def test_flat_price_without_a_plan_comes_from_the_setting(db: Database, ledger: Ledger) -> None:
    from smsjingling.compose.pricing import PRICE_PER_SEGMENT
    from smsjingling.settings import Settings

    Settings(db).set(PRICE_PER_SEGMENT, 7)
    ledger.top_up(100)
    assert ledger.reserve_priced(None, [(1, 1), (2, 3)]).prices == {1: 7, 2: 21}


def test_a_big_batch_is_one_transaction(db: Database, ledger: Ledger) -> None:
    ledger.top_up(10**9)
    ids = range(1, 12_001)  # more than one lookup chunk
    assert ledger.reserve(1, [(i, 5) for i in ids]).count == 12_000
    assert ledger.reserve(1, [(i, 5) for i in ids]).skipped == 12_000
    assert ledger.charge_many([(i, 5) for i in ids]).count == 12_000
    with db.reader() as s:
        assert s.scalar(select(Account.last_seq)) == 24_001
    assert ledger.balance() == 10**9 - 60_000 and ledger.verify().ok


def test_entry_kinds_are_the_designs() -> None:
    assert [k.value for k in EntryKind] == ["top_up", "reserve", "charge", "release", "adjustment", "reconciliation"]
