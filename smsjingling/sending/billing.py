"""Money for gateway sends: a reservation when a gateway campaign's messages are queued (at once, or when the
scheduler queues them), a charge at the vendor's price when the gateway accepts a message, a release when it
refuses it or the campaign is cancelled. The ledger (smsjingling.account) keeps the books; this module only
says when."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from smsjingling import messages
from smsjingling.account.ledger import Ledger, Posting, Reconciliation
from smsjingling.gateway.base import GatewayAdapter
from smsjingling.settings import Setting, Settings, declare
from smsjingling.storage.accounts import Account
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, ChannelKind, Message, MessageStatus

RECONCILE_MINUTES = declare(
    Setting(
        "gateway.reconcile_minutes",
        int,
        60,
        "与供应商核对余额的间隔（分钟，0：只手动核对）",
        "Check the balance against the vendor's every (minutes; 0: only on demand)",
        lambda v: None if v >= 0 else ">= 0",
    )
)

messages.register(
    {
        "billing.reconcile_note": (
            "自动对账：{channel} 报告的供应商余额",
            "Reconciled: the vendor's balance as {channel} reported it",
        ),
    }
)


class ReconcileBusy(Exception):
    """The channel's requests or the recording of their results did not finish in time: not reconciled."""


def reconcile_quietly(
    adapter: GatewayAdapter,
    ledger: Ledger,
    *,
    quiet: Callable[[], AbstractContextManager[bool]],
    flush: Callable[[], bool],
    note: str = "",
) -> Reconciliation:
    """Take the vendor's balance as the true one while nothing is between the two books: inside `quiet` no
    request of the channel is in flight and none starts, and `flush` waits until every result that came back
    is recorded and charged. Reconciling with a batch in flight would count its messages twice (once in the
    difference, again when their charges arrive). Raises ReconcileBusy when that state is not reached, and
    the adapter's errors (BalanceUnsupported, GatewayError) as they come."""
    with quiet() as paused:
        if not paused or not flush():
            raise ReconcileBusy(adapter.name)
        balance = adapter.balance()
        return ledger.reconcile(balance.fen, note)


def gateway_channel(db: Database, policy: str) -> int | None:
    """The gateway channel a campaign's policy sends through, when it names one (gateway, channel:<id>)."""
    with db.reader() as s:
        gateways = (
            s.execute(select(Channel.id).where(Channel.kind == ChannelKind.GATEWAY.value, Channel.enabled.is_(True)))
            .scalars()
            .all()
        )
    if policy.startswith("channel:"):
        wanted = int(policy.split(":", 1)[1])
        return wanted if wanted in gateways else None
    if policy == "gateway" and gateways:
        return gateways[0]
    return None


def ledger_for(
    db: Database, channel_id: int, actor: str | None = None, *, settings: Settings | None = None
) -> Ledger | None:
    with db.reader() as s:
        has = s.execute(select(Account.id).where(Account.channel_id == channel_id)).first()
    return Ledger.for_channel(db, channel_id, actor, settings=settings) if has else None


def ledger_for_policy(
    db: Database, policy: str, actor: str | None = None, *, settings: Settings | None = None
) -> Ledger | None:
    """The prepaid account a campaign with this channel policy is paid from, if any. Inside a writing
    transaction, pass `settings` (opening a Settings writes)."""
    channel = gateway_channel(db, policy)
    return ledger_for(db, channel, actor, settings=settings) if channel is not None else None


def reserve_queued(session: Session, ledger: Ledger | None, campaign_id: int, now: datetime) -> Posting | None:
    """Hold the price of a gateway campaign's queued messages, in the transaction that queued them, so that
    no message is ever queued unheld (the dispatcher could otherwise send it first). Prices follow the
    account's plan (included messages, then the overage price; no plan: the flat price per segment); a
    message's recorded price becomes what was held. Raises InsufficientBalance, saying by how much, when the
    balance cannot cover them all, or a ValidationError past the daily maximum: the caller's transaction
    then queues nothing."""
    if ledger is None:
        return None
    items = session.execute(
        select(Message.id, Message.segments, Message.price_fen).where(
            Message.campaign_id == campaign_id, Message.status == MessageStatus.QUEUED.value
        )
    ).all()
    posting = ledger.reserve_priced(campaign_id, [(mid, segments) for mid, segments, _ in items], now, session=session)
    changed = [{"mid": mid, "fen": posting.prices[mid]} for mid, _, fen in items if posting.prices.get(mid, fen) != fen]
    if changed:
        session.connection().execute(_PRICE, changed)
    return posting


_PRICE = (
    update(Message)
    .where(Message.id == bindparam("mid"))
    .values(price_fen=bindparam("fen"))
    .execution_options(synchronize_session=False)
)


class Billing:
    """Charges and releases from the dispatcher's recorded results, per gateway account."""

    def __init__(self, db: Database, actor: str | None = None) -> None:
        self.db = db
        self.actor = actor
        self._ledgers: dict[int, Ledger | None] = {}

    def _ledger(self, channel_id: int) -> Ledger | None:
        if channel_id not in self._ledgers:
            self._ledgers[channel_id] = ledger_for(self.db, channel_id, self.actor)
        return self._ledgers[channel_id]

    def settle(self, channel_id: int, charged: Iterable[tuple[int, int | None]], released: Iterable[int]) -> None:
        ledger = self._ledger(channel_id)
        if ledger is None:
            return
        charged = list(charged)
        released = list(released)
        if charged:
            ledger.charge_many(charged)
        if released:
            ledger.release(released, "refused by the gateway")

    def release_all(self, message_ids: list[int]) -> None:
        """Cancelled messages: release whatever any account still holds for them."""
        with self.db.reader() as s:
            channels = s.execute(select(Account.channel_id).where(Account.channel_id.is_not(None))).scalars().all()
        for channel_id in channels:
            ledger = self._ledger(channel_id)
            if ledger is not None and message_ids:
                ledger.release(message_ids, "campaign cancelled")
