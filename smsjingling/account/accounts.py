"""Opening prepaid accounts (one per gateway channel) and keeping plans: what an admin sets up before the
ledger moves. Every change is written to the audit log.

The daily maximum has one home: the `plan.daily_max` setting, which the campaign check and the ledger's
reservations both enforce. A plan's daily maximum is written there when the plan is put to use (an account
opened on it or moved to it) and when a plan in use is changed; a plan without one (0) leaves the setting
as it is. The plan's own column keeps the figure as agreed, for the record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from smsjingling import audit, messages
from smsjingling.account.ledger import Funds, resolve_account
from smsjingling.account.plans import Tariff
from smsjingling.errors import NotFoundError, ValidationError
from smsjingling.sending.rules import DAILY_MAX
from smsjingling.settings import Settings
from smsjingling.storage.accounts import Account, Plan
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, ChannelKind

messages.register(
    {
        "account.channel_not_found": ("没有名为 {value} 的通道", "There is no channel named {value}"),
        "account.not_gateway": (
            "通道 {name} 不是网关通道，预付费账户只能开在网关通道上。",
            "The channel {name} is not a gateway; prepaid accounts belong to gateway channels.",
        ),
        "account.exists": ("通道 {name} 已有预付费账户", "The channel {name} already has a prepaid account"),
        "account.plan_not_found": ("没有名为 {value} 的套餐", "There is no plan named {value}"),
        "account.bad_threshold": ("预警线不能为负数", "The warning threshold cannot be negative"),
    }
)


@dataclass(frozen=True)
class AccountInfo(Funds):
    id: int
    channel_id: int | None
    channel: str  # the channel's name; "" once the channel was removed
    plan: Tariff | None
    low_balance_fen: int
    balance_fen: int
    held_fen: int
    reconciled_at: datetime | None
    reconciled_fen: int | None

    @property
    def label(self) -> str:
        return self.channel or f"#{self.id}"


def _tariff(plan: Plan | None) -> Tariff | None:
    if plan is None:
        return None
    return Tariff(plan.name, plan.monthly_fee_fen, plan.included, plan.overage_fen, plan.daily_max)


class Accounts:
    def __init__(self, db: Database, actor: str | None = None) -> None:
        self.db = db
        self.actor = actor

    # --- plans -----------------------------------------------------------------------------------------

    def save_plan(self, tariff: Tariff, note: str = "") -> int:
        """Create the plan, or change the one of that name (accounts on it are priced by the new terms from
        then on; what was charged stays as charged)."""
        with self.db.session() as s:
            plan = s.execute(select(Plan).where(Plan.name == tariff.name)).scalar()
            before = None if plan is None else _tariff(plan)
            if plan is None:
                plan = Plan(name=tariff.name)
                s.add(plan)
            plan.monthly_fee_fen, plan.included = tariff.monthly_fee_fen, tariff.included
            plan.overage_fen, plan.daily_max, plan.note = tariff.overage_fen, tariff.daily_max, note
            s.flush()
            audit.record(
                s,
                "account.plan_saved",
                {"plan": tariff.name, "from": before and before.__dict__, "to": tariff.__dict__},
                actor=self.actor,
            )
            in_use = s.execute(select(Account.id).where(Account.plan_id == plan.id)).first() is not None
            plan_id = plan.id
        if in_use:
            self._follow_plan(tariff.name)
        return plan_id

    def _follow_plan(self, name: str | None) -> None:
        """The plan now in use sets the office's daily maximum (see the module's docstring)."""
        if name is None:
            return
        daily = self.plan(name).daily_max
        settings = Settings(self.db, self.actor)
        if daily and settings.get(DAILY_MAX) != daily:
            settings.set(DAILY_MAX, daily)

    def plans(self) -> list[Tariff]:
        with self.db.reader() as s:
            return [
                Tariff(p.name, p.monthly_fee_fen, p.included, p.overage_fen, p.daily_max)
                for p in s.scalars(select(Plan).order_by(Plan.name))
            ]

    def plan(self, name: str) -> Tariff:
        with self.db.reader() as s:
            found = _tariff(s.execute(select(Plan).where(Plan.name == name)).scalar())
        if found is None:
            raise NotFoundError("account.plan_not_found", value=name)
        return found

    # --- accounts --------------------------------------------------------------------------------------

    def open(self, channel: str | int, *, plan: str | None = None, low_balance_fen: int | None = None) -> int:
        """A prepaid account for a gateway channel (by name or id), at balance 0; returns its id."""
        with self.db.session() as s:
            row = s.execute(select(Channel).where(Channel.name == str(channel))).scalar()
            if row is None and str(channel).isdigit():
                row = s.get(Channel, int(channel))
            if row is None:
                raise NotFoundError("account.channel_not_found", value=channel)
            if row.kind != ChannelKind.GATEWAY:
                raise ValidationError("account.not_gateway", name=row.name)
            if s.execute(select(Account.id).where(Account.channel_id == row.id)).scalar() is not None:
                raise ValidationError("account.exists", name=row.name)
            account = Account(channel_id=row.id, plan_id=self._plan_id(s, plan))
            if low_balance_fen is not None:
                account.low_balance_fen = self._threshold(low_balance_fen)
            s.add(account)
            s.flush()
            audit.record(
                s,
                "account.open",
                {"account": account.id, "channel": row.name, "plan": plan, "low_balance_fen": account.low_balance_fen},
                actor=self.actor,
            )
            account_id = account.id
        self._follow_plan(plan)
        return account_id

    def configure(
        self,
        account: str | int | None,
        *,
        plan: str | None = None,
        no_plan: bool = False,
        low_balance_fen: int | None = None,
    ) -> AccountInfo:
        """Change an account's plan (or take it off any plan) and its low-balance threshold."""
        account_id = resolve_account(self.db, account)
        with self.db.session() as s:
            row = s.get(Account, account_id)
            assert row is not None
            changes: dict[str, object] = {}
            if plan is not None or no_plan:
                row.plan_id = None if no_plan else self._plan_id(s, plan)
                changes["plan"] = None if no_plan else plan
            if low_balance_fen is not None:
                row.low_balance_fen = self._threshold(low_balance_fen)
                changes["low_balance_fen"] = low_balance_fen
            if changes:
                audit.record(s, "account.configure", {"account": account_id, **changes}, actor=self.actor)
        if plan is not None and not no_plan:
            self._follow_plan(plan)
        return self.get(account_id)

    def get(self, account: str | int | None = None) -> AccountInfo:
        """By account id, channel name or channel id; None: the only account."""
        account_id = resolve_account(self.db, account)
        return next(a for a in self._infos(Account.id == account_id))

    def list(self) -> list[AccountInfo]:
        return self._infos()

    def _infos(self, *where: ColumnElement[bool]) -> list[AccountInfo]:
        statement = (
            select(Account, Channel.name, Plan)
            .outerjoin(Channel, Channel.id == Account.channel_id)
            .outerjoin(Plan, Plan.id == Account.plan_id)
            .where(*where)
            .order_by(Account.id)
        )
        with self.db.reader() as s:
            return [
                AccountInfo(
                    a.id,
                    a.channel_id,
                    name or "",
                    _tariff(plan),
                    a.low_balance_fen,
                    a.balance_fen,
                    a.held_fen,
                    a.reconciled_at,
                    a.reconciled_fen,
                )
                for a, name, plan in s.execute(statement)
            ]

    @staticmethod
    def _plan_id(s: Session, name: str | None) -> int | None:
        if name is None:
            return None
        found = s.execute(select(Plan.id).where(Plan.name == name)).scalar()
        if found is None:
            raise NotFoundError("account.plan_not_found", value=name)
        return found

    @staticmethod
    def _threshold(fen: int) -> int:
        if fen < 0:
            raise ValidationError("account.bad_threshold")
        return fen
