"""The ledger's hash chain, one per account (after smsjingling.audit).

Each entry's hash covers everything it says and the previous entry's hash, in `seq` order. The database
refuses UPDATE and DELETE on entries (triggers from migration 0004); this is the second line: someone who
drops the triggers and edits an amount, or deletes a charge, breaks the chain at that row, and `verify`
says where. The account row's `head_hash` and `last_seq` are the chain's end, so removing the newest
entries shows too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring_ascii as _quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from smsjingling.storage.accounts import GENESIS, Account, LedgerEntry

# What the hash covers, in this order (the row's id is the database's, not part of the content).
FIELDS = (
    "account_id",
    "seq",
    "kind",
    "fen",
    "held_fen",
    "segments",
    "message_id",
    "campaign_id",
    "closes_seq",
    "ref",
    "at",
    "actor",
    "note",
)


def stamp(at: datetime) -> str:
    """An entry's time as its hash covers it (aware UTC, to the microsecond, as stored)."""
    return at.isoformat(timespec="microseconds")


def digest(
    prev_hash: str,
    account_id: int,
    seq: int,
    kind: str,
    fen: int,
    held_fen: int,
    segments: int,
    message_id: int | None,
    campaign_id: int | None,
    closes_seq: int | None,
    ref: str,
    at: str,
    actor: str,
    note: str,
) -> str:
    """The hash of one entry; `at` is its time as `stamp` gives it. Numbers print as digits or None, text
    as a JSON string literal in ASCII (quoted and escaped, the same in every Python version, unlike repr),
    so no two different entries read the same. A few microseconds an entry, a third of what a JSON document
    costs: the gateway writes two entries a message."""
    content = (
        f"{prev_hash}|{account_id}|{seq}|{_quote(kind)}|{fen}|{held_fen}|{segments}|{message_id}|{campaign_id}|"
        f"{closes_seq}|{_quote(ref)}|{at}|{_quote(actor)}|{_quote(note)}"
    )
    return hashlib.sha256(content.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str  # "edited", "gap" (an entry before it missing or changed), "head" (the newest ones missing)


def verify(session: Session, account_id: int) -> list[ChainBreak]:
    """Walk one account's ledger in order; [] when intact."""
    breaks: list[ChainBreak] = []
    prev, expected_seq = GENESIS, 1
    columns = [getattr(LedgerEntry, f) for f in FIELDS]
    statement = (
        select(LedgerEntry.prev_hash, LedgerEntry.hash, *columns)
        .where(LedgerEntry.account_id == account_id)
        .order_by(LedgerEntry.seq)
        .execution_options(yield_per=10_000)
    )
    last_at, last_stamp = None, ""
    # The connection, not the ORM session: nothing here is an object, and the walk is row by row.
    for prev_hash, stored, *values in session.connection().execute(statement):
        seq = values[1]
        if values[10] != last_at:  # a batch's entries share their time
            last_at, last_stamp = values[10], stamp(values[10])
        values[10] = last_stamp
        if prev_hash != prev or seq != expected_seq:
            breaks.append(ChainBreak(seq, "gap"))
        if digest(prev_hash, *values) != stored:
            breaks.append(ChainBreak(seq, "edited"))
        prev, expected_seq = stored, seq + 1
    head = session.execute(select(Account.last_seq, Account.head_hash).where(Account.id == account_id)).one()
    if head.last_seq != expected_seq - 1 or head.head_hash != prev:
        breaks.append(ChainBreak(head.last_seq, "head"))
    return breaks
