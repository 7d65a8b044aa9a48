"""Gateway channels of every adapter the core has (the vendor's API, 短信宝, 云片, Kannel, Jasmin, a generic
HTTP vendor): what a set-up form asks for, a connection test, saving the channel, and the vendor's balance for
reconciling the prepaid account.

    setup = GatewaySetup(AdapterKind.SMSBAO, "短信宝", account="office", price_fen=5)
    test_connection(setup, "password")         # ConnectionTest: the vendor's balance, or why not, in words
    save_gateway(db, setup, "password")        # the channel; the secret in the OS keyring; a prepaid account
    reconcile_now(db, account_id)              # the vendor's balance becomes the local one, the difference shown

The channel's row keeps what is not secret (`GatewaySetup.config()`); the password or key is kept in the OS
keyring under the channel's name (gateway.keys) and read from there by the adapter; it never reaches the
database, a log line or an error text.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import select

from smsjingling import audit, messages
from smsjingling.account.accounts import Accounts
from smsjingling.account.ledger import Ledger, Reconciliation, resolve_account
from smsjingling.account.money import yuan_text
from smsjingling.errors import UserError, ValidationError
from smsjingling.gateway.base import GatewayAdapter
from smsjingling.gateway.errors import BalanceUnsupported
from smsjingling.gateway.keys import Secret, store_key
from smsjingling.gateway.transport import HttpSettings
from smsjingling.storage.accounts import Account
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, ChannelKind

log = logging.getLogger(__name__)

messages.register(
    {
        "gwsetup.kind.vendor": ("供应商短信网关（官方接口）", "The vendor's SMS gateway (its own API)"),
        "gwsetup.kind.smsbao": ("短信宝", "短信宝 (smsbao)"),
        "gwsetup.kind.yunpian": ("云片", "云片 (yunpian)"),
        "gwsetup.kind.kannel": ("Kannel（单位自建网关）", "Kannel (the office's own gateway)"),
        "gwsetup.kind.jasmin": ("Jasmin", "Jasmin"),
        "gwsetup.kind.generic": ("其他 HTTP 短信接口（自定义）", "Another HTTP SMS service (described)"),
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


# The address a form starts with; the vendor's own gateway has no public default (it comes with the contract).
DEFAULT_URLS: dict[AdapterKind, str] = {
    AdapterKind.SMSBAO: "https://api.smsbao.com",
    AdapterKind.YUNPIAN: "https://sms.yunpian.com",
    AdapterKind.KANNEL: "http://192.168.1.20:13013/cgi-bin/sendsms",
    AdapterKind.JASMIN: "https://jasmin.example.com:1401",
}
# What each kind asks for, beyond a name and the secret.
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


@dataclass(frozen=True)
class GatewaySetup:
    kind: AdapterKind
    name: str
    url: str = (
        ""  # vendor/Jasmin: the API's base; 短信宝/云片: their base (default); Kannel: sendsms; generic: template
    )
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
    max_batch: int = 1000  # the vendor API's batch size (its simulator and contract say 1,000)
    demo: bool = False  # the bundled simulator's public demo account (vendor kind only)
    extra: dict[str, Any] = field(default_factory=dict)  # kept as it is (e.g. a demo's own settings)

    def config(self) -> dict[str, Any]:
        """What the channel row keeps: everything but the secret."""
        values: dict[str, Any] = {"vendor": self.kind.value}
        used = FIELDS[self.kind]
        for name in used:
            values[name] = getattr(self, name)
        if self.kind is AdapterKind.VENDOR:
            values.update(max_batch=self.max_batch, concurrency=4, demo=self.demo, poll_seconds=5.0)
        return {**self.extra, **values}

    @classmethod
    def from_channel(cls, name: str, config: dict[str, Any]) -> GatewaySetup:
        kind = AdapterKind(str(config.get("vendor", "vendor")))
        known = {f.name for f in fields(cls)} - {"kind", "name", "extra"}
        values = {k: v for k, v in config.items() if k in known}
        extra = {k: v for k, v in config.items() if k not in known and k != "vendor"}
        return cls(kind, name, extra=extra, **values)

    def validate(self, secret: str | None, *, need_secret: bool = True) -> None:
        if not self.name.strip():
            raise ValidationError("gwsetup.no_name")
        used = FIELDS[self.kind]
        if "url" in used and not self.url.strip() and self.kind not in (AdapterKind.SMSBAO, AdapterKind.YUNPIAN):
            raise ValidationError("gwsetup.no_url")
        if "account" in used and not self.account.strip() and not self.demo:
            raise ValidationError("gwsetup.no_account")
        if self.kind is AdapterKind.SMSBAO and self.price_fen <= 0:
            raise ValidationError("gwsetup.no_price")
        if self.kind is AdapterKind.GENERIC and not self.success.strip():
            raise ValidationError("gwsetup.no_success")
        if need_secret and not self.demo and not (secret or "").strip():
            raise ValidationError("gwsetup.no_secret")


def build_adapter(setup: GatewaySetup, secret: Secret | str | None = None) -> GatewayAdapter:
    """The adapter for a set-up; `secret` None: the channel's entry in the keyring."""
    from smsjingling.gateway.generic import GenericAdapter, GenericConfig, PhoneFormat
    from smsjingling.gateway.jasmin import JasminAdapter, JasminConfig
    from smsjingling.gateway.kannel import KannelAdapter, KannelConfig
    from smsjingling.gateway.smsbao import SmsbaoAdapter, SmsbaoConfig
    from smsjingling.gateway.vendor import VendorGateway
    from smsjingling.gateway.yunpian import YunpianAdapter, YunpianConfig

    key = Secret(secret) if isinstance(secret, str) else secret
    http = HttpSettings(insecure_lan_http=setup.lan_http)
    url = setup.url.strip() or DEFAULT_URLS.get(setup.kind, "")
    kind = setup.kind
    if kind is AdapterKind.VENDOR:
        if setup.demo and key is None:
            from smsjingling.sending.channels import DEMO_GATEWAY_KEY

            key = Secret(DEMO_GATEWAY_KEY)  # the simulator's demo account: a public key
        return VendorGateway(setup.name, url, setup.account, key=key, max_batch=setup.max_batch)
    if kind is AdapterKind.SMSBAO:
        config = SmsbaoConfig(setup.account, setup.price_fen, base_url=url, http=http)
        return SmsbaoAdapter(config, channel=setup.name, password=key)
    if kind is AdapterKind.YUNPIAN:
        return YunpianAdapter(YunpianConfig(base_url=url, http=http), channel=setup.name, apikey=key)
    if kind is AdapterKind.KANNEL:
        return KannelAdapter(KannelConfig(url, setup.account, http=http), channel=setup.name, password=key)
    if kind is AdapterKind.JASMIN:
        config = JasminConfig(url, setup.account, price_fen=setup.price_fen, http=http)
        return JasminAdapter(config, channel=setup.name, password=key)
    config = GenericConfig(
        url=url,
        success=setup.success,
        method=setup.method,
        encoding=setup.encoding,
        user=setup.account,
        phone_format=PhoneFormat(setup.phone_format),
        message_id=setup.message_id,
        balance_url=setup.balance_url,
        balance_pattern=setup.balance_pattern,
        balance_unit_fen=setup.balance_unit_fen,
        http=http,
    )
    return GenericAdapter(config, channel=setup.name, password=key)


def channel_adapter(channel: Channel) -> GatewayAdapter:
    """The adapter of a saved gateway channel (its secret from the keyring)."""
    return build_adapter(GatewaySetup.from_channel(channel.name, dict(channel.config or {})))


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
    """Add the channel (its secret to the keyring) and, for a prepaid vendor, its account. Returns the channel
    id. The adapter is built first, so an unsafe address or a bad pattern is refused before anything is kept."""
    setup.validate(secret)
    build_adapter(setup, secret or None).close()
    with db.session() as s:
        if s.execute(select(Channel.id).where(Channel.name == setup.name)).first():
            raise ValidationError("channel.exists", name=setup.name)
        channel = Channel(
            kind=ChannelKind.GATEWAY.value,
            name=setup.name,
            per_minute=0,
            hourly_cap=0,
            daily_cap=0,
            config=setup.config(),
        )
        s.add(channel)
        s.flush()
        audit.record(
            s, "channel.add", {"name": setup.name, "url": setup.url, "kind": "gateway", "vendor": setup.kind.value},
            actor=actor,
        )  # fmt: skip
        channel_id = channel.id
    if secret and not setup.demo:
        store_key(setup.name, secret)
    if open_account:
        Accounts(db, actor).open(setup.name, low_balance_fen=low_balance_fen)
    return channel_id


def gateway_channel_of(db: Database, account: str | int | None) -> Channel:
    """The gateway channel of a prepaid account."""
    account_id = resolve_account(db, account)
    with db.reader() as s:
        channel = s.execute(select(Channel).join(Account, Account.channel_id == Channel.id).where(
            Account.id == account_id
        )).scalar()  # fmt: skip
        if channel is None or channel.kind != ChannelKind.GATEWAY.value:
            raise ValidationError("gwsetup.not_gateway", name=str(account))
        s.expunge(channel)
        return channel


def reconcile_now(db: Database, account: str | int | None, *, actor: str | None = None) -> Reconciliation:
    """Ask the account's vendor for its balance and take it as the true one (seed 004: the vendor's billing is
    authoritative); the difference is recorded and returned. A vendor with no balance query raises
    BalanceUnsupported, worded."""
    from smsjingling.sending.channels import gateway_adapter

    account_id = resolve_account(db, account)
    channel = gateway_channel_of(db, account_id)
    adapter = gateway_adapter(channel)
    try:
        balance = adapter.balance()
    finally:
        adapter.close()
    ledger = Ledger(db, actor, account_id=account_id)
    return ledger.reconcile(balance.fen, messages.text("account.reconcile_note", name=channel.name))
