"""Gateway channels of every adapter the core has (the vendor's API, 短信宝, 云片, Kannel, Jasmin, a generic
HTTP vendor): what a set-up form asks for, a connection test, saving the channel, and the vendor's balance for
reconciling the prepaid account.

    setup = GatewaySetup(AdapterKind.SMSBAO, "短信宝", account="office", price_fen=5)
    test_connection(setup, "password")         # ConnectionTest: the vendor's balance, or why not, in words
    save_gateway(db, setup, "password")        # Channels.add_gateway (secret to the keyring) and an account
    reconcile_now(db, account_id, service=…)   # the vendor's balance becomes the local one, the difference shown

The channel's row keeps what is not secret (`GatewaySetup.config()`); the password or key is kept in the OS
keyring under the channel's name (gateway.keys) and read from there by the adapter; it never reaches the
database, a log line or an error text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from smsjingling import messages
from smsjingling.account.accounts import Accounts
from smsjingling.account.ledger import Ledger, Reconciliation, resolve_account
from smsjingling.account.money import yuan_text
from smsjingling.errors import UserError, ValidationError
from smsjingling.gateway import factory
from smsjingling.gateway.base import GatewayAdapter
from smsjingling.gateway.errors import BalanceUnsupported
from smsjingling.gateway.keys import Secret
from smsjingling.sending.channels import Channels
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, ChannelKind

if TYPE_CHECKING:
    from smsjingling.sending.service import SendingService

messages.register(
    {
        "gwsetup.kind.vendor": ("供应商短信网关（官方接口）", "The vendor's SMS gateway (its own API)"),
        "gwsetup.kind.smsbao": ("短信宝", "短信宝 (smsbao)"),
        "gwsetup.kind.yunpian": ("云片", "云片 (yunpian)"),
        "gwsetup.kind.kannel": ("Kannel（单位自建网关）", "Kannel (the office's own gateway)"),
        "gwsetup.kind.jasmin": ("Jasmin", "Jasmin"),
        "gwsetup.kind.generic": ("其他 HTTP 短信接口（自定义）", "Another HTTP SMS service (described)"),
        "gwsetup.short.vendor": ("供应商接口", "vendor API"),
        "gwsetup.short.smsbao": ("短信宝", "smsbao"),
        "gwsetup.short.yunpian": ("云片", "yunpian"),
        "gwsetup.short.kannel": ("Kannel", "Kannel"),
        "gwsetup.short.jasmin": ("Jasmin", "Jasmin"),
        "gwsetup.short.generic": ("自定义接口", "custom HTTP"),
        "gwsetup.no_name": ("请填写通道名称", "Enter a name for the channel"),
        "gwsetup.no_url": ("请填写网关地址", "Enter the gateway's address"),
        "gwsetup.no_account": ("请填写账号", "Enter the account"),
        "gwsetup.no_secret": ("请填写密码或密钥", "Enter the password or key"),
        "gwsetup.no_success": (
            "请填写“发送成功”的回复特征（正则表达式）",
            "Enter the pattern of an accepted send's answer (a regular expression)",
        ),
        "gwsetup.no_price": (
            "短信宝的余额是短信条数，请填写每条的价格（分），才能换算成金额",
            "短信宝 gives its balance as a message count: enter the price of one message (fen) to value it",
        ),
        "gwsetup.ok": (
            "连接成功。网关的账户余额：{yuan} 元。",
            "Connected. The gateway's account balance: {yuan} yuan.",
        ),
        "gwsetup.no_balance": (
            "已填写的设置有效，但 {vendor} 没有余额查询功能，无法在不发送短信的情况下确认连接。",
            "The settings are valid, but {vendor} has no balance query, so the connection cannot be confirmed "
            "without sending a message.",
        ),
        "gwsetup.failed": ("连接失败：{detail}", "Connection failed: {detail}"),
        "gwsetup.not_gateway": ("通道 {name} 不是网关通道", "The channel {name} is not a gateway"),
        "account.reconcile_note": ("按 {name} 查询到的供应商余额对账", "Reconciled with the balance {name} reported"),
    }
)


class AdapterKind(enum.StrEnum):
    VENDOR = "vendor"
    SMSBAO = "smsbao"
    YUNPIAN = "yunpian"
    KANNEL = "kannel"
    JASMIN = "jasmin"
    GENERIC = "generic"

    def label(self, lang: str | None = None) -> str:
        return messages.text(f"gwsetup.kind.{self.value}", lang)

    def short_label(self, lang: str | None = None) -> str:
        """For a table cell."""
        return messages.text(f"gwsetup.short.{self.value}", lang)


# The address a form starts with; the vendor's own gateway has none (it comes with the contract).
DEFAULT_URLS: dict[AdapterKind, str] = {
    AdapterKind.SMSBAO: "https://api.smsbao.com",
    AdapterKind.YUNPIAN: "https://sms.yunpian.com",
}
# What each kind asks for, beyond a name and the secret (the keys of gateway.factory's configuration).
FIELDS: dict[AdapterKind, tuple[str, ...]] = {
    AdapterKind.VENDOR: ("url", "account"),
    AdapterKind.SMSBAO: ("url", "account", "price_fen"),
    AdapterKind.YUNPIAN: ("url",),
    AdapterKind.KANNEL: ("url", "account", "lan_http"),
    AdapterKind.JASMIN: ("url", "account", "price_fen", "lan_http"),
    AdapterKind.GENERIC: (
        "url",
        "account",
        "method",
        "success",
        "message_id",
        "encoding",
        "phone_format",
        "balance_url",
        "balance_pattern",
        "balance_unit_fen",
    ),
}
# What Channels.add_gateway takes as arguments rather than among its options.
_ARGUMENTS = {"vendor", "url", "account", "max_batch"}


@dataclass(frozen=True)
class GatewaySetup:
    kind: AdapterKind
    name: str
    # vendor/Jasmin: the API's base; 短信宝/云片: theirs (a default); Kannel: its sendsms URL; generic: a template
    url: str = ""
    account: str = ""  # the account, user or username ({user} in a generic template)
    price_fen: int = 0  # 短信宝 (and Jasmin count accounts): one message's price, to value a count as money
    lan_http: bool = False  # Kannel/Jasmin on the office LAN over plain http (the password travels in clear)
    method: str = "GET"
    success: str = ""
    message_id: str = ""
    encoding: str = "utf-8"
    phone_format: str = "e164"
    balance_url: str = ""
    balance_pattern: str = ""
    balance_unit_fen: int = 100
    max_batch: int = 1000  # the vendor API's batch size (its contract and simulator say 1,000)
    extra: dict[str, Any] = field(default_factory=dict)  # the rest of a saved channel's configuration

    def config(self) -> dict[str, Any]:
        """The channel's configuration (gateway.factory's keys): everything but the secret."""
        values: dict[str, Any] = {"vendor": self.kind.value}
        for name in FIELDS[self.kind]:
            values[name] = getattr(self, name)
        values["url"] = self.url.strip() or DEFAULT_URLS.get(self.kind, "")
        if self.kind is AdapterKind.VENDOR:
            values["max_batch"] = self.max_batch
        return {**self.extra, **values}

    @classmethod
    def from_channel(cls, name: str, config: dict[str, Any]) -> GatewaySetup:
        kind = AdapterKind(str(config.get("vendor", "vendor")))
        known = {f.name for f in fields(cls)} - {"kind", "name", "extra"}
        values = {k: v for k, v in config.items() if k in known}
        extra = {k: v for k, v in config.items() if k not in known and k != "vendor"}
        return cls(kind, name, extra=extra, **values)

    @property
    def simulated(self) -> bool:
        return bool(self.extra.get("demo"))

    def validate(self, secret: str | None) -> None:
        if not self.name.strip():
            raise ValidationError("gwsetup.no_name")
        used = FIELDS[self.kind]
        if "url" in used and not self.url.strip() and self.kind not in DEFAULT_URLS:
            raise ValidationError("gwsetup.no_url")
        if "account" in used and not self.account.strip() and self.kind is not AdapterKind.GENERIC:
            raise ValidationError("gwsetup.no_account")
        if self.kind is AdapterKind.SMSBAO and self.price_fen <= 0:
            raise ValidationError("gwsetup.no_price")
        if self.kind is AdapterKind.GENERIC and not self.success.strip():
            raise ValidationError("gwsetup.no_success")
        if not (secret or "").strip():
            raise ValidationError("gwsetup.no_secret")


def build_adapter(setup: GatewaySetup, secret: Secret | str | None = None) -> GatewayAdapter:
    """The adapter for a set-up (gateway.factory); `secret` None: the channel's entry in the keyring."""
    key = Secret(secret) if isinstance(secret, str) else secret
    return factory.build_adapter(setup.name, setup.config(), secret=key)


@dataclass(frozen=True)
class ConnectionTest:
    ok: bool
    balance_fen: int | None
    text: str  # in the user's language


def test_connection(setup: GatewaySetup, secret: str | None) -> ConnectionTest:
    """Ask the vendor for the account's balance with these settings (nothing is sent, nothing is saved)."""
    setup.validate(secret)
    try:
        adapter = build_adapter(setup, secret or None)
    except UserError as exc:
        return ConnectionTest(False, None, messages.text("gwsetup.failed", detail=exc.message()))
    try:
        balance = adapter.balance()
    except BalanceUnsupported:
        return ConnectionTest(True, None, messages.text("gwsetup.no_balance", vendor=setup.kind.label()))
    except UserError as exc:
        return ConnectionTest(False, None, messages.text("gwsetup.failed", detail=exc.message()))
    finally:
        adapter.close()
    return ConnectionTest(True, balance.fen, messages.text("gwsetup.ok", yuan=yuan_text(balance.fen)))


def save_gateway(
    db: Database,
    setup: GatewaySetup,
    secret: str | None,
    *,
    actor: str | None = None,
    open_account: bool = True,
    low_balance_fen: int | None = None,
) -> int:
    """Add the channel (`Channels.add_gateway`: the adapter is built first, so an unsafe address or a bad
    pattern is refused before anything is kept; the secret goes to the keyring only) and, for a prepaid
    vendor, its account. Returns the channel id."""
    setup.validate(secret)
    config = setup.config()
    channel_id = Channels(db, actor).add_gateway(
        setup.name,
        adapter=setup.kind.value,
        url=config["url"],
        account=setup.account,
        secret=secret,
        max_batch=setup.max_batch if setup.kind is AdapterKind.VENDOR else None,
        options={k: v for k, v in config.items() if k not in _ARGUMENTS},
    )
    if open_account:
        Accounts(db, actor).open(channel_id, low_balance_fen=low_balance_fen)
    return channel_id


def reconcile_now(
    db: Database,
    account: str | int | None,
    *,
    service: SendingService | None = None,
    actor: str | None = None,
) -> Reconciliation:
    """Ask the account's vendor for its balance and take it as the true one (the vendor's billing is
    authoritative); the difference is recorded and returned. While the running `service` sends through the
    channel, the service reconciles (the channel paused and its results recorded first, so that nothing in
    flight is counted twice); otherwise nothing is in flight and the vendor is asked directly (the simulated
    gateway is started for the question when the service does not run it). A vendor with no balance query
    raises BalanceUnsupported, worded."""
    info = Accounts(db).get(resolve_account(db, account))
    if info.channel_id is None:
        raise ValidationError("gwsetup.not_gateway", name=info.label)
    if service is not None and any(w.channel_id == info.channel_id for w in service.gateway_workers()):
        done = service.reconcile([info.channel_id])
        if info.channel_id not in done:  # the service leaves out a vendor that cannot say
            raise BalanceUnsupported("gateway.balance_unsupported", name=info.channel, vendor=info.channel)
        return done[info.channel_id]
    balance = Channels(db, actor).test(info.channel)
    ledger = Ledger(db, actor, account_id=info.id)
    return ledger.reconcile(balance.fen, messages.text("account.reconcile_note", name=info.channel))


def gateway_setups(db: Database) -> dict[int, GatewaySetup]:
    """The set-up of every gateway channel, by channel id (what a window lists; no secret)."""
    with db.reader() as s:
        rows = s.execute(
            select(Channel.id, Channel.name, Channel.config).where(Channel.kind == ChannelKind.GATEWAY.value)
        ).all()
    return {cid: GatewaySetup.from_channel(name, dict(config or {})) for cid, name, config in rows}
