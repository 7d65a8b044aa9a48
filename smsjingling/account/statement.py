"""The statement of one billing cycle (对账单): opening balance, what came in and went out by kind, closing
balance, and every entry with the balance after it; exported to .xlsx (or .csv) through smsjingling.tabular.

opening + top-ups − charges − monthly fees ± adjustments ± reconciliations = closing, always: every figure is
a sum over the same immutable entries, cut at the cycle's bounds (an entry belongs to the cycle its time
falls in, in the office's zone). Reservations and releases move no money; they are shown for the record,
with what was still held at the close.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from smsjingling import messages
from smsjingling.account.cycle import BillingCycle
from smsjingling.account.labels import kind_text
from smsjingling.account.ledger import ENTRY_COLUMNS, EntryRecord
from smsjingling.records.labels import yuan
from smsjingling.records.period import wall_time
from smsjingling.storage.accounts import Account, EntryKind, LedgerEntry
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel
from smsjingling.tabular import DATETIME, MONEY, Value, write_table

messages.register(
    {
        "account.statement_headers": (
            "时间|类型|金额（元）|预留变动（元）|条数|短信编号|任务编号|操作人|备注|余额（元）",
            "Time|Kind|Amount (yuan)|Reserved change (yuan)|Segments|Message|Campaign|By|Note|Balance (yuan)",
        ),
        "account.st.opening": ("期初余额 {cycle}", "Opening balance {cycle}"),
        "account.st.closing": ("期末余额 {cycle}", "Closing balance {cycle}"),
        "account.st.held": ("期末仍预留", "Still reserved at the close"),
        "account.st.top_ups": ("合计·充值（{count} 笔）", "Total top-ups ({count})"),
        "account.st.charges": ("合计·扣费（{count} 条短信）", "Total charged ({count} messages)"),
        "account.st.fees": ("合计·月租", "Total monthly fees"),
        "account.st.reserves": ("合计·预留（{count} 条短信）", "Total reserved ({count} messages)"),
        "account.st.releases": ("合计·释放预留（{count} 条短信）", "Total released ({count} messages)"),
        "account.st.adjustments": ("合计·调整（{count} 笔）", "Total adjustments ({count})"),
        "account.st.reconciliations": ("合计·对账差额（{count} 次）", "Total reconciliation differences ({count})"),
    }
)

PAGE = 5000


@dataclass(frozen=True)
class Tally:
    count: int = 0
    segments: int = 0
    fen: int = 0  # positive: the amount of that kind (charges and fees as amounts taken; adjustments signed)


@dataclass(frozen=True)
class Statement:
    account_id: int
    channel: str
    cycle: BillingCycle
    opening_fen: int
    closing_fen: int
    held_at_close_fen: int
    top_ups: Tally
    charges: Tally  # messages charged: how many, their segments, the amount
    fees: Tally  # monthly fees
    reserves: Tally
    releases: Tally
    adjustments: Tally
    reconciliations: Tally

    @property
    def balanced(self) -> bool:
        """The identity every statement satisfies; a test, and a guard for anyone reading the file."""
        moved = self.top_ups.fen - self.charges.fen - self.fees.fen + self.adjustments.fen + self.reconciliations.fen
        return self.opening_fen + moved == self.closing_fen


def statement(db: Database, account_id: int, cycle: BillingCycle) -> Statement:
    start, end = cycle.start, cycle.end
    mine = LedgerEntry.account_id == account_id
    tallies: dict[tuple[str, bool], Tally] = {}
    with db.reader() as s:
        channel = s.execute(
            select(Channel.name).join(Account, Account.channel_id == Channel.id).where(Account.id == account_id)
        ).scalar()
        opening = s.execute(select(func.coalesce(func.sum(LedgerEntry.fen), 0)).where(mine, LedgerEntry.at < start))
        closing, held = s.execute(
            select(func.coalesce(func.sum(LedgerEntry.fen), 0), func.coalesce(func.sum(LedgerEntry.held_fen), 0)).where(
                mine, LedgerEntry.at < end
            )
        ).one()
        opening_fen = int(opening.scalar_one())
        grouped = s.execute(
            select(
                LedgerEntry.kind,
                LedgerEntry.message_id.is_(None),
                func.count(),
                func.sum(LedgerEntry.segments),
                func.sum(LedgerEntry.fen),
                func.sum(LedgerEntry.held_fen),
            )
            .where(mine, LedgerEntry.at >= start, LedgerEntry.at < end)
            .group_by(LedgerEntry.kind, LedgerEntry.message_id.is_(None))
        )
        for kind, no_message, count, segments, fen, held_fen in grouped:
            if kind in (EntryKind.RESERVE, EntryKind.RELEASE):
                amount = abs(int(held_fen or 0))
            elif kind == EntryKind.CHARGE:
                amount = -int(fen or 0)
            else:
                amount = int(fen or 0)
            key = (kind, bool(no_message) and kind == EntryKind.CHARGE)
            t = tallies.get(key, Tally())
            tallies[key] = Tally(t.count + count, t.segments + int(segments or 0), t.fen + amount)

    def get(kind: EntryKind, fee: bool = False) -> Tally:
        return tallies.get((kind.value, fee), Tally())

    return Statement(
        account_id=account_id,
        channel=channel or f"#{account_id}",
        cycle=cycle,
        opening_fen=opening_fen,
        closing_fen=int(closing),
        held_at_close_fen=int(held),
        top_ups=get(EntryKind.TOP_UP),
        charges=get(EntryKind.CHARGE),
        fees=get(EntryKind.CHARGE, fee=True),
        reserves=get(EntryKind.RESERVE),
        releases=get(EntryKind.RELEASE),
        adjustments=get(EntryKind.ADJUSTMENT),
        reconciliations=get(EntryKind.RECONCILIATION),
    )


def entries(db: Database, st: Statement) -> Iterator[tuple[EntryRecord, int]]:
    """The cycle's entries in order, each with the balance after it, read a page at a time."""
    balance = st.opening_fen
    statement_ = (
        select(*ENTRY_COLUMNS)
        .where(
            LedgerEntry.account_id == st.account_id,
            LedgerEntry.at >= st.cycle.start,
            LedgerEntry.at < st.cycle.end,
        )
        .order_by(LedgerEntry.seq)
        .execution_options(yield_per=PAGE)
    )
    with db.reader() as s:
        for row in s.execute(statement_):
            entry = EntryRecord(*row)
            balance += entry.fen
            yield entry, balance


def _entry_row(entry: EntryRecord, balance: int, st: Statement, lang: str | None) -> list[Value]:
    return [
        wall_time(entry.at, st.cycle.tz),
        kind_text(entry.kind, entry.ref, lang),
        yuan(entry.fen),
        yuan(entry.held_fen),
        entry.segments or None,
        entry.message_id,
        entry.campaign_id,
        entry.actor,
        entry.note,
        yuan(balance),
    ]


def summary_rows(st: Statement, lang: str | None = None) -> list[list[Value]]:
    """The totals under the entries: each kind's count and amount, the balance held, the closing balance."""

    def line(key: str, *, fen: int | None = None, held: int | None = None, segments: int | None = None,
             balance: int | None = None, **params: object) -> list[Value]:  # fmt: skip
        label = messages.text(key, lang, **params)
        money = None if fen is None else yuan(fen)
        return [None, label, money, None if held is None else yuan(held), segments, None, None, None, None,
                None if balance is None else yuan(balance)]  # fmt: skip

    return [
        line("account.st.top_ups", count=st.top_ups.count, fen=st.top_ups.fen),
        line("account.st.charges", count=st.charges.count, fen=-st.charges.fen, segments=st.charges.segments),
        line("account.st.fees", fen=-st.fees.fen),
        line("account.st.reserves", count=st.reserves.count, held=st.reserves.fen, segments=st.reserves.segments),
        line("account.st.releases", count=st.releases.count, held=-st.releases.fen, segments=st.releases.segments),
        line("account.st.adjustments", count=st.adjustments.count, fen=st.adjustments.fen),
        line("account.st.reconciliations", count=st.reconciliations.count, fen=st.reconciliations.fen),
        line("account.st.held", held=st.held_at_close_fen),
        line("account.st.closing", cycle=st.cycle.label, balance=st.closing_fen),
    ]


def headers(lang: str | None = None) -> list[str]:
    return messages.text("account.statement_headers", lang).split("|")


def write_statement(
    db: Database, st: Statement, path: str | os.PathLike[str], *, lang: str | None = "zh", fmt: str | None = None
) -> int:
    """The statement to .xlsx (or .csv by extension): the opening balance, every entry with the balance
    after it, then the totals. Returns the rows written under the header."""
    formats = (DATETIME, None, MONEY, MONEY, None, None, None, None, None, MONEY)
    opening: list[Value] = [None, messages.text("account.st.opening", lang, cycle=st.cycle.label)]
    opening += [None] * 7 + [yuan(st.opening_fen)]
    sheet = f"对账单 {st.cycle.label}" if lang != "en" else f"Statement {st.cycle.label}"
    with write_table(Path(path), headers(lang), sheet=sheet, formats=formats, fmt=fmt) as out:
        out.append(opening)
        out.extend(_entry_row(e, b, st, lang) for e, b in entries(db, st))
        out.extend(summary_rows(st, lang))
    return out.rows
