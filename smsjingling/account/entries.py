"""The ledger as a window pages through it: newest entry first, each with the balance after it, a page at a time;
and the billing cycles an account has statements for.

A page costs one index walk (account, seq) plus one sum up to its newest entry, however long the ledger is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import func, select

from smsjingling.account.cycle import BillingCycle
from smsjingling.account.ledger import ENTRY_COLUMNS, EntryRecord
from smsjingling.storage.accounts import Account, LedgerEntry
from smsjingling.storage.database import Database
from smsjingling.storage.types import utcnow


@dataclass(frozen=True)
class EntryLine:
    entry: EntryRecord
    balance_fen: int  # the account's balance right after this entry


def entry_count(db: Database, account_id: int) -> int:
    with db.reader() as s:
        return int(
            s.execute(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.account_id == account_id))
            .scalar_one()
        )  # fmt: skip


def entry_page(db: Database, account_id: int, offset: int, limit: int) -> list[EntryLine]:
    """Entries `offset` … `offset + limit - 1`, counted from the newest."""
    mine = LedgerEntry.account_id == account_id
    with db.reader() as s:
        rows = [
            EntryRecord(*row)
            for row in s.execute(
                select(*ENTRY_COLUMNS).where(mine).order_by(LedgerEntry.seq.desc()).offset(offset).limit(limit)
            )
        ]
        if not rows:
            return []
        balance = int(
            s.execute(select(func.coalesce(func.sum(LedgerEntry.fen), 0)).where(mine, LedgerEntry.seq <= rows[0].seq))
            .scalar_one()
        )  # fmt: skip
    lines = []
    for entry in rows:
        lines.append(EntryLine(entry, balance))
        balance -= entry.fen
    return lines


def statement_cycles(
    db: Database, account_id: int, *, now: datetime | None = None, tz: tzinfo | None = None
) -> list[BillingCycle]:
    """Every billing cycle from the account's first (its opening, or its first entry) to the current one,
    newest first."""
    with db.reader() as s:
        opened = s.execute(select(Account.created_at).where(Account.id == account_id)).scalar()
        first_entry = s.execute(select(func.min(LedgerEntry.at)).where(LedgerEntry.account_id == account_id)).scalar()
    current = BillingCycle.containing(now or utcnow(), tz)
    starts = [at for at in (opened, first_entry) if at is not None]
    cycle = BillingCycle.containing(min(starts), tz) if starts else current
    cycles = []
    while cycle.first <= current.first:
        cycles.append(cycle)
        cycle = cycle.next()
    return cycles[::-1]
