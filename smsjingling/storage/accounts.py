"""The prepaid side of the model: plans (套餐), one account per gateway channel, and the account's ledger.
Schema changes go through the Alembic migrations (0004).

Money is integer fen (分) everywhere, never a float. The ledger is append-only: migration 0004 installs
triggers that refuse UPDATE and DELETE on `ledger_entries`, and each entry's hash covers its content and the
previous entry's hash (per account, in `seq` order), so a row changed or removed behind the program's back,
with the triggers dropped, still shows (smsjingling.account.chain). The account row holds mirrors of the
ledger's sums (balance, reservations, the last seq and hash), changed only in the transaction that appends
the entries, under that row's lock; they make the hot path O(1) and are checked against the ledger by
`Ledger.verify`.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smsjingling.storage.models import Base
from smsjingling.storage.types import utcnow

GENESIS = "0" * 64  # the "previous hash" of an account's first entry


class EntryKind(enum.StrEnum):
    TOP_UP = "top_up"  # money paid to the vendor: balance +
    RESERVE = "reserve"  # a queued message's price held back: reservations +, balance unchanged
    CHARGE = "charge"  # the gateway accepted a message (or the monthly fee): balance −, closes its reservation
    RELEASE = "release"  # the gateway rejected it or it was cancelled: its reservation ends, balance unchanged
    ADJUSTMENT = "adjustment"  # an operator's correction (a refund, a credit note): balance ±
    RECONCILIATION = "reconciliation"  # the vendor's figure differed from ours: balance ± the difference


class Plan(Base):
    """A tariff (套餐, seed 002): a monthly fee that includes a number of messages, a price for each one
    beyond, and a daily maximum. A plain prepaid price per message (seeds 000, 003, 004) is a plan with no
    fee and nothing included, whose overage price is that price. Counts are segments (条): carriers and
    vendors bill every part of a long message as one message."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    monthly_fee_fen: Mapped[int] = mapped_column(default=0)
    included: Mapped[int] = mapped_column(default=0)  # segments per billing cycle covered by the fee
    overage_fen: Mapped[int] = mapped_column(default=0)  # per segment beyond the included ones
    daily_max: Mapped[int] = mapped_column(default=0)  # segments per local day; 0: no maximum
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Account(Base):
    """The prepaid account behind one gateway channel, as mirrored locally. The vendor's figure is
    authoritative: `balance_fen` follows the ledger, and reconciliation brings the ledger to the vendor."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SET NULL, not CASCADE: removing a channel must not remove the money's history.
    channel_id: Mapped[int | None] = mapped_column(
        ForeignKey("channels.id", ondelete="SET NULL"), unique=True, default=None
    )
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), default=None)
    low_balance_fen: Mapped[int] = mapped_column(default=5000)  # warn below this available amount; 0: never
    # Mirrors of the ledger (see the module's docstring).
    balance_fen: Mapped[int] = mapped_column(default=0)  # Σ fen
    held_fen: Mapped[int] = mapped_column(default=0)  # Σ held_fen: the open reservations
    last_seq: Mapped[int] = mapped_column(default=0)
    head_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    # The last reconciliation: when, and the vendor's figure then.
    reconciled_at: Mapped[datetime | None] = mapped_column(default=None)
    reconciled_fen: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerEntry(Base):
    """One immutable movement of an account. Each entry says its own effect on the two sums it touches:
    `fen` on the balance and `held_fen` on the reservations, so balance = Σ fen and reservations = Σ held_fen.

    reserve: held_fen = +price, fen = 0; charge: fen = −what the vendor billed, held_fen = −the price held
    (0 when nothing was held); release: held_fen = −the price held, fen = 0. A charge or release names the
    reservation it ends by `closes_seq`, unique per account, so no reservation is ever ended twice.

    `message_id` and `campaign_id` are plain numbers, not foreign keys: the send record may be purged after
    its retention, the money's history never is."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        UniqueConstraint("account_id", "seq", name="uq_ledger_entries_seq"),
        UniqueConstraint("account_id", "closes_seq", name="uq_ledger_entries_closes_seq"),
        Index("ix_ledger_entries_message_id", "message_id"),
        Index("ix_ledger_entries_account_id_at", "account_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    seq: Mapped[int] = mapped_column()  # 1, 2, 3 ... per account, in the order written
    kind: Mapped[str] = mapped_column(String(16))
    fen: Mapped[int] = mapped_column(default=0)
    held_fen: Mapped[int] = mapped_column(default=0)
    segments: Mapped[int] = mapped_column(default=0)  # of the message reserved, charged or released
    message_id: Mapped[int | None] = mapped_column(default=None)
    campaign_id: Mapped[int | None] = mapped_column(default=None)
    closes_seq: Mapped[int | None] = mapped_column(default=None)
    ref: Mapped[str] = mapped_column(String(64), default="")  # "fee:2024-06" for a cycle's monthly fee
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
