"""Money for gateway sends: a reservation when a gateway campaign is queued, a charge at the vendor's price
when the gateway accepts a message, a release when it refuses it or the campaign is cancelled. The ledger
(smsjingling.account) keeps the books; this module only says when."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from smsjingling.account.ledger import InsufficientBalance, Ledger
from smsjingling.storage.accounts import Account
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, ChannelKind, Message, MessageStatus


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


def ledger_for(db: Database, channel_id: int, actor: str | None = None) -> Ledger | None:
    with db.reader() as s:
        has = s.execute(select(Account.id).where(Account.channel_id == channel_id)).first()
    return Ledger.for_channel(db, channel_id, actor) if has else None


def ledger_for_policy(db: Database, policy: str, actor: str | None = None) -> Ledger | None:
    """The prepaid account a campaign with this channel policy is paid from, if any. Built outside any
    writing transaction (opening a ledger reads its settings)."""
    channel = gateway_channel(db, policy)
    return ledger_for(db, channel, actor) if channel is not None else None


def check_funds(ledger: Ledger | None, price_fen: int) -> None:
    """Refuse, with the shortfall, a gateway send the prepaid balance cannot cover (before queueing)."""
    if ledger is not None and price_fen > (available := ledger.available()):
        raise InsufficientBalance(price_fen, available)


def reserve(db: Database, ledger: Ledger | None, campaign_id: int) -> None:
    """Hold the price of a gateway campaign's queued messages."""
    if ledger is None:
        return
    with db.reader() as s:
        items = s.execute(
            select(Message.id, Message.price_fen, Message.segments).where(
                Message.campaign_id == campaign_id, Message.status == MessageStatus.QUEUED.value
            )
        ).all()
    ledger.reserve(campaign_id, [tuple(i) for i in items])


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
