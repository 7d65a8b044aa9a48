"""The prepaid account's ledger: every movement of money is an immutable entry, and the account row mirrors
the sums (see smsjingling.storage.accounts).

    ledger = Ledger.for_channel(db, channel_id, actor="gateway")
    ledger.reserve(campaign_id, [(message_id, fen), ...])   # queued: the price held back, or refused
    ledger.charge_many([(message_id, vendor_fen), ...])     # accepted: the hold becomes a charge
    ledger.release([message_id, ...])                       # rejected or cancelled: the hold ends
    ledger.reconcile(vendor_fen)                            # the vendor's figure wins; the difference is kept

balance = top-ups − charges ± adjustments and reconciliations; available = balance − open reservations.
A reservation that would take more than is available is refused as a whole, saying by how much in 元.

Each call is one transaction that first locks the account row (SQLite: the database's write lock;
PostgreSQL: SELECT … FOR UPDATE), so calls from several threads or processes queue and never interleave,
and takes batches: thousands of messages are one lookup, one executemany and one update. Calls are
idempotent per message: reserving a message that is held, charging one whose last movement was a charge, or
releasing one that is not held does nothing and is counted as skipped. A message may go round again when an
operator resends it (reserve, release, reserve, charge): each round is its own reservation, and each
reservation is ended at most once, which the database enforces (unique closes_seq).

The vendor's billing is authoritative: a charge records what the vendor billed, which may differ from what
was held; a charge for a message that was not held (the vendor accepted it anyway) is recorded too.
Reconcile when no batch is in flight: a message accepted by the vendor but not yet charged here would count
twice, once in the difference and again when its charge arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from smsjingling import audit, messages
from smsjingling.account import chain
from smsjingling.account.cycle import BillingCycle, day_start
from smsjingling.account.money import yuan_text
from smsjingling.account.plans import Tariff
from smsjingling.compose.pricing import PRICE_PER_SEGMENT
from smsjingling.errors import NotFoundError, ValidationError
from smsjingling.events import EventBus
from smsjingling.records.period import user_zone, zone
from smsjingling.sending.rules import DAILY_MAX, TIMEZONE
from smsjingling.settings import Settings
from smsjingling.storage.accounts import Account, EntryKind, LedgerEntry, Plan
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel
from smsjingling.storage.types import utcnow

messages.register(
    {
        "account.insufficient": (
            "余额不足，未排队：本次需预留 {needed} 元，可用余额 {available} 元，还差 {shortfall} 元。请先充值。",
            "Not enough balance; nothing was queued: this needs {needed} yuan, {available} yuan is available, "
            "{shortfall} yuan short. Top up first.",
        ),
        "account.not_found": ("没有这个预付费账户：{value}", "There is no such prepaid account: {value}"),
        "account.none": (
            "还没有预付费账户。请先添加网关通道，再用 account open 开户。",
            "There is no prepaid account yet. Add a gateway channel, then open one with account open.",
        ),
        "account.which": (
            "有多个预付费账户（{names}），请用 --account 指定一个。",
            "There are several prepaid accounts ({names}); name one with --account.",
        ),
        "account.top_up_positive": ("充值金额必须大于 0：{value} 元", "A top-up must be more than 0: {value} yuan"),
        "account.adjust_nonzero": ("调整金额不能为 0", "An adjustment cannot be 0"),
        "account.note_required": ("调整必须写明原因（--note）", "An adjustment needs a reason (--note)"),
        "account.low_balance": (
            "余额不足预警：可用余额 {available} 元，低于预警线 {threshold} 元，请及时充值。",
            "Low balance: {available} yuan available, below the warning line of {threshold} yuan. Top up soon.",
        ),
        "account.vendor_negative": (
            "供应商余额不能为负数：{value} 元",
            "The vendor's balance cannot be negative: {value} yuan",
        ),
    }
)

RESERVE, CHARGE, RELEASE = EntryKind.RESERVE.value, EntryKind.CHARGE.value, EntryKind.RELEASE.value
# Message ids per lookup: SQLite allows 32,766 parameters (250,000 on some builds), older ones 999.
CHUNK = 5000


class InsufficientBalance(ValidationError):
    """A reservation was refused as a whole: it needs more than the account has available."""

    def __init__(self, needed_fen: int, available_fen: int) -> None:
        super().__init__(
            "account.insufficient",
            needed=yuan_text(needed_fen),
            available=yuan_text(available_fen),
            shortfall=yuan_text(needed_fen - available_fen),
        )
        self.needed_fen = needed_fen
        self.available_fen = available_fen
        self.shortfall_fen = needed_fen - available_fen


class Hold(NamedTuple):
    """One message to reserve for: its id, its price in fen, its segments (for the plan's counts)."""

    message_id: int
    fen: int
    segments: int = 1


class Charge(NamedTuple):
    """One message the gateway accepted: what the vendor billed (None: what was held), its segments (None:
    as reserved, else 1)."""

    message_id: int
    fen: int | None = None
    segments: int | None = None


@dataclass(frozen=True)
class Posting:
    """What one reserve, charge or release did."""

    count: int  # messages moved
    fen: int  # the amount held, charged or released (positive)
    segments: int
    skipped: int  # messages for which there was nothing to do (already held, already charged, not held)
    balance_fen: int  # after
    held_fen: int
    prices: dict[int, int] = field(default_factory=dict)  # reserve_priced: the price of each message held

    @property
    def available_fen(self) -> int:
        return self.balance_fen - self.held_fen


class Funds:
    """What an account's figures mean to a person: the money not held, and whether it is running low.
    Shared by the ledger's state and the account listing, which both carry the three figures."""

    balance_fen: int
    held_fen: int
    low_balance_fen: int

    @property
    def available_fen(self) -> int:
        return self.balance_fen - self.held_fen

    @property
    def low(self) -> bool:
        """Below the warning threshold (a threshold of 0 never warns)."""
        return low_balance(self.available_fen, self.low_balance_fen)

    def warning(self, lang: str | None = None) -> str | None:
        """The low-balance warning to show, or None."""
        return low_balance_warning(self.available_fen, self.low_balance_fen, lang)


@dataclass(frozen=True)
class AccountState(Funds):
    account_id: int
    channel_id: int | None
    plan_id: int | None
    balance_fen: int
    held_fen: int
    low_balance_fen: int
    reconciled_at: datetime | None
    reconciled_fen: int | None


def low_balance(available_fen: int, threshold_fen: int) -> bool:
    return threshold_fen > 0 and available_fen < threshold_fen


def low_balance_warning(available_fen: int, threshold_fen: int, lang: str | None = None) -> str | None:
    if not low_balance(available_fen, threshold_fen):
        return None
    return messages.text(
        "account.low_balance", lang, available=yuan_text(available_fen), threshold=yuan_text(threshold_fen)
    )


@dataclass(frozen=True)
class EntryRecord:
    seq: int
    kind: str
    fen: int
    held_fen: int
    segments: int
    message_id: int | None
    campaign_id: int | None
    closes_seq: int | None
    ref: str
    at: datetime
    actor: str
    note: str


@dataclass(frozen=True)
class Reconciliation:
    vendor_fen: int  # the vendor's figure: now the balance
    local_fen: int  # ours before
    difference_fen: int  # vendor − ours: recorded as a reconciliation entry when not 0
    at: datetime
    seq: int | None  # the entry written, None when the figures agreed


@dataclass(frozen=True)
class OpenHold:
    seq: int
    message_id: int | None
    campaign_id: int | None
    fen: int
    segments: int
    at: datetime


@dataclass(frozen=True)
class Usage:
    """Segments counted against a plan: charged in the window, plus held ones reserved in it."""

    cycle: BillingCycle
    cycle_segments: int
    today_segments: int


@dataclass(frozen=True)
class LedgerCheck:
    breaks: list[chain.ChainBreak]
    balance_fen: int  # Σ fen over the entries
    held_fen: int  # Σ held_fen
    open_held_fen: int  # Σ over reservations no entry ended
    mirror_balance_fen: int  # the account row's
    mirror_held_fen: int
    bad_closes: int  # charges or releases that end something other than a reservation of their message

    @property
    def ok(self) -> bool:
        return (
            not self.breaks
            and self.balance_fen == self.mirror_balance_fen
            and self.held_fen == self.mirror_held_fen == self.open_held_fen
            and not self.bad_closes
        )


# Statements built once: reserve/charge/release are the gateway's hot path. The insert and the per-message
# lookup go to the driver as plain SQL with plain tuples: SQLAlchemy's per-row parameter work (and its
# compiling of IN lists of thousands) would cost more than the database does.
_LOCK = (
    select(Account.balance_fen, Account.held_fen, Account.last_seq, Account.head_hash)
    .where(Account.id == bindparam("account"))
    .with_for_update()
)
_COLUMNS = (*chain.FIELDS, "prev_hash", "hash")
_MIRROR = (
    update(Account)
    .where(Account.id == bindparam("account"))
    .values(
        balance_fen=bindparam("b_balance"),
        held_fen=bindparam("b_held"),
        last_seq=bindparam("b_seq"),
        head_hash=bindparam("b_hash"),
    )
)
# What an EntryRecord is read from, in its order.
ENTRY_COLUMNS = (
    LedgerEntry.seq,
    LedgerEntry.kind,
    LedgerEntry.fen,
    LedgerEntry.held_fen,
    LedgerEntry.segments,
    LedgerEntry.message_id,
    LedgerEntry.campaign_id,
    LedgerEntry.closes_seq,
    LedgerEntry.ref,
    LedgerEntry.at,
    LedgerEntry.actor,
    LedgerEntry.note,
)
_closer = aliased(LedgerEntry)
_IS_OPEN = ~exists().where(_closer.account_id == LedgerEntry.account_id, _closer.closes_seq == LedgerEntry.seq)


class _Last(NamedTuple):
    """A message's latest movement on the account (only reserve, charge and release name a message)."""

    message_id: int
    seq: int
    kind: str
    held_fen: int
    segments: int
    campaign_id: int | None


class _Writer:
    """Appends entries to one account inside the caller's transaction, keeping the chain and the mirrors."""

    def __init__(self, session: Session, account_id: int, actor: str, at: datetime) -> None:
        self.conn = session.connection()
        self.account_id, self.actor, self.at = account_id, actor, at
        row = self.conn.execute(_LOCK, {"account": account_id}).one_or_none()
        if row is None:
            raise NotFoundError("account.not_found", value=account_id)
        self.balance, self.held, self.seq, self.hash = row
        self.rows: list[tuple[Any, ...]] = []
        dialect = self.conn.dialect
        self.marker = "?" if dialect.paramstyle == "qmark" else "%s"
        to_time = LedgerEntry.__table__.c.at.type.dialect_impl(dialect).bind_processor(dialect)
        self.stored_at = to_time(at) if to_time else at
        self.stamp = chain.stamp(at)  # one time for the whole transaction

    @property
    def available(self) -> int:
        return self.balance - self.held

    def add(
        self,
        kind: str,
        *,
        fen: int = 0,
        held: int = 0,
        segments: int = 0,
        message_id: int | None = None,
        campaign_id: int | None = None,
        closes: int | None = None,
        ref: str = "",
        note: str = "",
    ) -> int:
        self.seq += 1
        account, seq, at, actor = self.account_id, self.seq, self.stamp, self.actor
        digest = chain.digest(
            self.hash, account, seq, kind, fen, held, segments, message_id, campaign_id, closes, ref, at, actor, note
        )
        self.rows.append(
            (account, seq, kind, fen, held, segments, message_id, campaign_id, closes, ref, self.stored_at, actor,
             note, self.hash, digest)
        )  # fmt: skip
        self.hash = digest
        self.balance += fen
        self.held += held
        return seq

    def last(self, message_ids: Sequence[int]) -> dict[int, _Last]:
        """Each message's latest reserve, charge or release on this account."""
        found: dict[int, _Last] = {}
        columns = "SELECT message_id, seq, kind, held_fen, segments, campaign_id FROM ledger_entries"
        mark = self.marker
        for i in range(0, len(message_ids), CHUNK):
            chunk = message_ids[i : i + CHUNK]
            low, high = min(chunk), max(chunk)
            if high - low < 2 * len(chunk):
                # A campaign's messages have neighbouring ids: one walk along the index beats thousands of
                # probes (and thousands of parameters); the few strangers in the range are dropped below.
                sql = f"{columns} WHERE message_id BETWEEN {mark} AND {mark} AND account_id = {mark}"
                params: tuple[int, ...] = (low, high, self.account_id)
            else:
                sql = f"{columns} WHERE message_id IN ({', '.join([mark] * len(chunk))}) AND account_id = {mark}"
                params = (*chunk, self.account_id)
            wanted = set(chunk)
            for row in self.conn.exec_driver_sql(sql, params):
                if row[0] in wanted and ((seen := found.get(row[0])) is None or row[1] > seen.seq):
                    found[row[0]] = _Last(*row)
        return found

    def flush(self) -> None:
        if not self.rows:
            return
        sql = f"INSERT INTO ledger_entries ({', '.join(_COLUMNS)}) VALUES ({', '.join([self.marker] * len(_COLUMNS))})"
        self.conn.exec_driver_sql(sql, self.rows)
        self.conn.execute(
            _MIRROR,
            {"account": self.account_id, "b_balance": self.balance, "b_held": self.held, "b_seq": self.seq,
             "b_hash": self.hash},
        )  # fmt: skip
        self.rows = []

    def posting(self, count: int, fen: int, segments: int, skipped: int, **extra: Any) -> Posting:
        return Posting(count, fen, segments, skipped, self.balance, self.held, **extra)


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _check_amount(fen: object, what: str) -> int:
    if not isinstance(fen, int) or isinstance(fen, bool) or fen < 0:
        raise ValueError(f"{what} must be a non-negative integer number of fen, got {fen!r}")
    return fen


def resolve_account(db: Database, account: str | int | None = None) -> int:
    """An account by its id, or by its channel's name or id; None: the only account there is."""
    with db.reader() as s:
        if account is None:
            rows = s.execute(
                select(Account.id, Channel.name).outerjoin(Channel, Channel.id == Account.channel_id)
            ).all()
            if not rows:
                raise NotFoundError("account.none")
            if len(rows) > 1:
                raise ValidationError("account.which", names=", ".join(n or f"#{i}" for i, n in rows))
            return rows[0][0]
        text = str(account).strip().removeprefix("#")
        found = s.execute(
            select(Account.id).join(Channel, Channel.id == Account.channel_id).where(Channel.name == text)
        ).scalar()
        if found is None and text.isdigit():
            found = s.execute(select(Account.id).where(Account.id == int(text))).scalar()
            if found is None:
                found = s.execute(select(Account.id).where(Account.channel_id == int(text))).scalar()
    if found is None:
        raise NotFoundError("account.not_found", value=account)
    return found


class Ledger:
    def __init__(
        self,
        db: Database,
        actor: str | None = None,
        *,
        account_id: int | None = None,
        events: EventBus | None = None,
        clock: Callable[[], datetime] = utcnow,
        tz: tzinfo | str | None = "setting",
        settings: Settings | None = None,
    ) -> None:
        """`account_id` None: the only account. `tz`: the zone of billing cycles and days (default: the
        `ui.timezone` setting). `clock` is for tests. `settings`: a Settings already open (opening one
        writes, which a caller inside its own writing transaction must not have happen)."""
        self.db = db
        self.actor = actor or audit.current_actor()
        self.account_id = resolve_account(db) if account_id is None else account_id
        self.events = events
        self.clock = clock
        self._settings = settings
        if tz == "setting":
            tz = zone(self.settings.get(TIMEZONE)) if settings is not None else user_zone(db)
        self.tz = tz
        self._fees_seen: set[str] = set()
        self._fees_lock = threading.Lock()
        with db.reader() as s:
            if s.get(Account, self.account_id) is None:
                raise NotFoundError("account.not_found", value=self.account_id)

    @classmethod
    def for_channel(cls, db: Database, channel_id: int, actor: str | None = None, **options: Any) -> Ledger:
        with db.reader() as s:
            found = s.execute(select(Account.id).where(Account.channel_id == channel_id)).scalar()
        if found is None:
            raise NotFoundError("account.not_found", value=channel_id)
        return cls(db, actor, account_id=found, **options)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = Settings(self.db)
        return self._settings

    # --- reading ---------------------------------------------------------------------------------------

    def state(self) -> AccountState:
        with self.db.reader() as s:
            a = s.get(Account, self.account_id)
            assert a is not None
            return AccountState(
                a.id, a.channel_id, a.plan_id, a.balance_fen, a.held_fen, a.low_balance_fen, a.reconciled_at,
                a.reconciled_fen,
            )  # fmt: skip

    def balance(self) -> int:
        return self.state().balance_fen

    def available(self) -> int:
        return self.state().available_fen

    def open_reservations(self, campaign_id: int | None = None) -> list[OpenHold]:
        where = [LedgerEntry.account_id == self.account_id, LedgerEntry.kind == RESERVE, _IS_OPEN]
        if campaign_id is not None:
            where.append(LedgerEntry.campaign_id == campaign_id)
        statement = select(
            LedgerEntry.seq,
            LedgerEntry.message_id,
            LedgerEntry.campaign_id,
            LedgerEntry.held_fen,
            LedgerEntry.segments,
            LedgerEntry.at,
        ).where(*where)
        with self.db.reader() as s:
            return [OpenHold(*row) for row in s.execute(statement.order_by(LedgerEntry.seq))]

    def entries(self, since_seq: int = 0) -> list[EntryRecord]:
        """The account's entries after `since_seq`, in order."""
        statement = (
            select(*ENTRY_COLUMNS)
            .where(LedgerEntry.account_id == self.account_id, LedgerEntry.seq > since_seq)
            .order_by(LedgerEntry.seq)
        )
        with self.db.reader() as s:
            return [EntryRecord(*row) for row in s.execute(statement)]

    def tariff(self) -> Tariff:
        """The account's plan, else a flat price per segment from the `billing.price_per_segment_fen` setting.
        The daily maximum is always the `plan.daily_max` setting: the one figure that both the campaign check
        and the reservation enforce (a plan's own daily maximum is written there when the plan is put to use;
        see accounts.Accounts)."""
        settings = self.settings
        daily = settings.get(DAILY_MAX)
        with self.db.reader() as s:
            plan = s.execute(
                select(Plan).join(Account, Account.plan_id == Plan.id).where(Account.id == self.account_id)
            ).scalar()
            if plan is not None:
                return Tariff(plan.name, plan.monthly_fee_fen, plan.included, plan.overage_fen, daily)
        return replace(Tariff.flat(settings.get(PRICE_PER_SEGMENT)), daily_max=daily)

    def usage(self, now: datetime | None = None) -> Usage:
        with self.db.reader() as s:
            return self._usage(s, now or self.clock())

    def _usage(self, s: Session, now: datetime) -> Usage:
        cycle = BillingCycle.containing(now, self.tz)
        today = day_start(now, self.tz)
        counted = or_(
            and_(LedgerEntry.kind == CHARGE, LedgerEntry.message_id.is_not(None)),
            and_(LedgerEntry.kind == RESERVE, _IS_OPEN),
        )
        seg = func.coalesce(func.sum(LedgerEntry.segments), 0)
        in_cycle, in_day = s.execute(
            select(seg, func.coalesce(func.sum(LedgerEntry.segments).filter(LedgerEntry.at >= today), 0)).where(
                LedgerEntry.account_id == self.account_id,
                LedgerEntry.at >= cycle.start,
                LedgerEntry.at < cycle.end,
                counted,
            )
        ).one()
        return Usage(cycle, int(in_cycle), int(in_day))

    def verify(self) -> LedgerCheck:
        """The chain, the mirrors against the ledger's sums, and that every charge or release ends a
        reservation of its own message."""
        mine = LedgerEntry.account_id == self.account_id
        target = aliased(LedgerEntry)
        with self.db.reader() as s:
            breaks = chain.verify(s, self.account_id)
            balance, held = s.execute(
                select(func.coalesce(func.sum(LedgerEntry.fen), 0), func.coalesce(func.sum(LedgerEntry.held_fen), 0))
                .where(mine)
            ).one()  # fmt: skip
            open_held = s.execute(
                select(func.coalesce(func.sum(LedgerEntry.held_fen), 0)).where(
                    mine, LedgerEntry.kind == RESERVE, _IS_OPEN
                )
            ).scalar_one()
            bad = s.execute(
                select(func.count())
                .select_from(LedgerEntry)
                .outerjoin(
                    target,
                    and_(
                        target.account_id == LedgerEntry.account_id,
                        target.seq == LedgerEntry.closes_seq,
                        target.kind == RESERVE,
                        target.message_id == LedgerEntry.message_id,
                        target.held_fen == -LedgerEntry.held_fen,
                    ),
                )
                .where(mine, LedgerEntry.closes_seq.is_not(None), target.id.is_(None))
            ).scalar_one()
            a = s.get(Account, self.account_id)
            assert a is not None
            return LedgerCheck(breaks, int(balance), int(held), int(open_held), a.balance_fen, a.held_fen, int(bad))

    # --- money in and corrections ----------------------------------------------------------------------

    def top_up(self, fen: int, note: str = "") -> EntryRecord:
        if fen <= 0:
            raise ValidationError("account.top_up_positive", value=yuan_text(fen))
        return self._single(EntryKind.TOP_UP, fen, note, "account.top_up")

    def adjust(self, fen: int, note: str) -> EntryRecord:
        """An operator's correction (a refund, a credit note from the vendor), with its reason."""
        if fen == 0:
            raise ValidationError("account.adjust_nonzero")
        if not note.strip():
            raise ValidationError("account.note_required")
        return self._single(EntryKind.ADJUSTMENT, fen, note, "account.adjust")

    def _single(self, kind: EntryKind, fen: int, note: str, action: str) -> EntryRecord:
        with self.db.session() as s:
            w = _Writer(s, self.account_id, self.actor, self.clock())
            seq = w.add(kind.value, fen=fen, note=note)
            w.flush()
            audit.record(
                s, action, {"account": self.account_id, "fen": fen, "balance_fen": w.balance, "note": note},
                actor=self.actor,
            )  # fmt: skip
        self._publish(w)
        return EntryRecord(seq, kind.value, fen, 0, 0, None, None, None, "", w.at, self.actor, note)

    def reconcile(self, vendor_fen: int, note: str = "") -> Reconciliation:
        """The vendor's balance becomes ours; a difference is recorded as a reconciliation entry, returned,
        and written to the audit log. Reconcile when no batch is in flight (see the module's docstring)."""
        if vendor_fen < 0:
            raise ValidationError("account.vendor_negative", value=yuan_text(vendor_fen))
        with self.db.session() as s:
            w = _Writer(s, self.account_id, self.actor, self.clock())
            local = w.balance
            difference = vendor_fen - local
            seq = w.add(EntryKind.RECONCILIATION.value, fen=difference, note=note) if difference else None
            w.flush()
            s.execute(
                update(Account)
                .where(Account.id == self.account_id)
                .values(reconciled_at=w.at, reconciled_fen=vendor_fen)
            )
            audit.record(
                s,
                "account.reconcile",
                {"account": self.account_id, "vendor_fen": vendor_fen, "local_fen": local, "difference": difference},
                actor=self.actor,
            )
        self._publish(w)
        return Reconciliation(vendor_fen, local, difference, w.at, seq)

    @contextmanager
    def _session(self, session: Session | None) -> Iterator[Session]:
        """The caller's transaction (it commits, and tells the balance display), else one of our own."""
        if session is not None:
            yield session
        else:
            with self.db.session() as s:
                yield s

    def publish(self) -> None:
        """Tell subscribers the account's figures now: after a change made in the caller's transaction, once
        that committed."""
        self._publish(None)

    def charge_monthly_fee(
        self, now: datetime | None = None, *, session: Session | None = None, tariff: Tariff | None = None
    ) -> EntryRecord | None:
        """The plan's monthly fee for the cycle containing `now`, charged once per cycle (the entry's ref
        is "fee:YYYY-MM"); None when there is no fee or it was already charged. `session`: in the caller's
        transaction."""
        at = now or self.clock()
        tariff = tariff or self.tariff()
        cycle = BillingCycle.containing(at, self.tz)
        ref = f"fee:{cycle.label}"
        if not tariff.monthly_fee_fen or ref in self._fees_seen:
            return None
        with self._session(session) as s:
            w = _Writer(s, self.account_id, self.actor, at)
            charged = s.execute(
                select(LedgerEntry.seq).where(
                    LedgerEntry.account_id == self.account_id,
                    LedgerEntry.at >= cycle.start,
                    LedgerEntry.kind == CHARGE,
                    LedgerEntry.ref == ref,
                )
            ).first()
            seq = None
            if charged is None:
                seq = w.add(CHARGE, fen=-tariff.monthly_fee_fen, ref=ref, note=tariff.name)
                w.flush()
        if session is None:  # the caller's transaction may still roll back: then it is not known charged
            with self._fees_lock:
                self._fees_seen.add(ref)
        if seq is None:
            return None
        if session is None:
            self._publish(w)
        fee = -tariff.monthly_fee_fen
        return EntryRecord(seq, CHARGE, fee, 0, 0, None, None, None, ref, at, self.actor, tariff.name)

    # --- the gateway's hot path ------------------------------------------------------------------------

    def reserve(
        self,
        campaign_id: int | None,
        items: Iterable[tuple[int, int] | tuple[int, int, int]],
        *,
        session: Session | None = None,
    ) -> Posting:
        """Hold each message's price: all of them, in one transaction, or none (InsufficientBalance, with the
        shortfall in 元, when they need more than is available). Messages already held are skipped.
        `session`: in the caller's transaction (the one that queues the messages), which then calls
        `publish` once it committed."""
        holds = self._holds(items)
        with self._session(session) as s:
            w = _Writer(s, self.account_id, self.actor, self.clock())
            fresh = self._fresh(w, holds)
            result = self._hold(w, campaign_id, fresh, len(holds) - len(fresh))
        if session is None:
            self._publish(w)
        return result

    def reserve_priced(
        self,
        campaign_id: int | None,
        items: Iterable[tuple[int, int]],
        now: datetime | None = None,
        *,
        session: Session | None = None,
    ) -> Posting:
        """Like `reserve`, with each price from the account's plan: `items` are (message_id, segments). The
        cycle's included segments go to the first messages, the rest pay the overage price, and a batch that
        would pass the daily maximum is refused saying by how much. The cycle's monthly fee is charged first,
        once. `Posting.prices` gives each message's price. `session`: as for `reserve`."""
        at = now or self.clock()
        tariff = self.tariff()
        self.charge_monthly_fee(at, session=session, tariff=tariff)
        holds = self._holds((m, 0, n) for m, n in items)
        with self._session(session) as s:
            w = _Writer(s, self.account_id, self.actor, at)
            fresh = self._fresh(w, holds)
            usage = self._usage(s, at)
            quote = tariff.quote(usage.cycle_segments, usage.today_segments, [h.segments for h in fresh])
            quote.check_daily()
            priced = [Hold(h.message_id, p, h.segments) for h, p in zip(fresh, quote.prices, strict=True)]
            result = self._hold(w, campaign_id, priced, len(holds) - len(fresh))
        if session is None:
            self._publish(w)
        return replace(result, prices={h.message_id: h.fen for h in priced})

    def charge(self, message_id: int, fen: int | None = None, segments: int | None = None) -> Posting:
        """One message accepted by the gateway; see `charge_many`."""
        return self.charge_many([Charge(message_id, fen, segments)])

    def charge_many(self, items: Iterable[tuple[int, ...] | tuple[int, int | None, int | None]]) -> Posting:
        """Messages accepted by the gateway: each one's reservation becomes a charge of what the vendor
        billed (`fen`; None: the amount held). A message whose last movement was a charge is skipped, so
        charging twice is harmless. One that was not held is charged all the same (the vendor's billing is
        authoritative), and then needs its `fen`."""
        charges = [Charge(*item) for item in items]
        for c in charges:
            if c.fen is not None:
                _check_amount(c.fen, "a charge")
        with self.db.session() as s:
            w = _Writer(s, self.account_id, self.actor, self.clock())
            last = w.last(_unique(c.message_id for c in charges))
            count = fen_total = segments_total = skipped = 0
            for c in charges:
                prev = last.get(c.message_id)
                if prev is not None and prev.kind == CHARGE:
                    skipped += 1
                    continue
                if prev is not None and prev.kind == RESERVE:
                    fen = prev.held_fen if c.fen is None else c.fen
                    segments = prev.segments if c.segments is None else c.segments
                    seq = w.add(
                        CHARGE, fen=-fen, held=-prev.held_fen, segments=segments, message_id=c.message_id,
                        campaign_id=prev.campaign_id, closes=prev.seq,
                    )  # fmt: skip
                else:
                    if c.fen is None:
                        raise ValueError(f"message {c.message_id} was not held here: its charge needs the vendor's fen")
                    fen, segments = c.fen, 1 if c.segments is None else c.segments
                    seq = w.add(CHARGE, fen=-fen, segments=segments, message_id=c.message_id)
                last[c.message_id] = _Last(c.message_id, seq, CHARGE, 0, segments, None)
                count, fen_total, segments_total = count + 1, fen_total + fen, segments_total + segments
            w.flush()
        self._publish(w)
        return w.posting(count, fen_total, segments_total, skipped)

    def release(self, message_ids: Iterable[int], note: str = "") -> Posting:
        """Messages the gateway rejected or that were cancelled: their reservations end and the amount is
        available again. Messages not held are skipped."""
        ids = _unique(message_ids)
        with self.db.session() as s:
            w = _Writer(s, self.account_id, self.actor, self.clock())
            last = w.last(ids)
            count = fen_total = segments_total = 0
            for message_id in ids:
                prev = last.get(message_id)
                if prev is None or prev.kind != RESERVE:
                    continue
                w.add(
                    RELEASE, held=-prev.held_fen, segments=prev.segments, message_id=message_id,
                    campaign_id=prev.campaign_id, closes=prev.seq, note=note,
                )  # fmt: skip
                count, fen_total, segments_total = count + 1, fen_total + prev.held_fen, segments_total + prev.segments
            w.flush()
        self._publish(w)
        return w.posting(count, fen_total, segments_total, len(ids) - count)

    # --- helpers ---------------------------------------------------------------------------------------

    @staticmethod
    def _holds(items: Iterable[tuple[int, ...]]) -> list[Hold]:
        holds: dict[int, Hold] = {}
        for item in items:
            hold = Hold(*item)
            _check_amount(hold.fen, "a reservation")
            _check_amount(hold.segments, "segments")
            holds.setdefault(hold.message_id, hold)
        return list(holds.values())

    @staticmethod
    def _fresh(w: _Writer, holds: list[Hold]) -> list[Hold]:
        last = w.last([h.message_id for h in holds])
        return [h for h in holds if (p := last.get(h.message_id)) is None or p.kind != RESERVE]

    @staticmethod
    def _hold(w: _Writer, campaign_id: int | None, holds: list[Hold], skipped: int) -> Posting:
        need = sum(h.fen for h in holds)
        if holds and need > w.available:
            raise InsufficientBalance(need, w.available)
        for h in holds:
            w.add(RESERVE, held=h.fen, segments=h.segments, message_id=h.message_id, campaign_id=campaign_id)
        w.flush()
        return w.posting(len(holds), need, sum(h.segments for h in holds), skipped)

    def _publish(self, _w: _Writer | None) -> None:
        """Tell subscribers (the GUI's balance display) the account's figures after a change."""
        if self.events is None:
            return
        state = self.state()
        self.events.publish(
            "balance",
            account_id=self.account_id,
            balance_fen=state.balance_fen,
            held_fen=state.held_fen,
            available_fen=state.available_fen,
            low=state.low,
        )
