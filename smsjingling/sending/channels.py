"""Configured channels (modems now; gateways join them with the gateway issue), and the workers built from
them. A SIM's PIN is kept in the OS keyring, never in the database."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import keyring
from keyring.errors import KeyringError, PasswordDeleteError
from sqlalchemy import select

from modem.device import ModemOptions
from smsjingling import audit, messages
from smsjingling.errors import NotFoundError, ValidationError
from smsjingling.gateway.base import GatewayAdapter
from smsjingling.gateway.keys import Secret, store_key
from smsjingling.gateway.vendor import VendorGateway
from smsjingling.sending.dispatcher import sent_times
from smsjingling.sending.gateway_worker import GatewayWorker
from smsjingling.sending.limits import Limits, SendBudget
from smsjingling.sending.modem_link import ModemLink
from smsjingling.sending.worker import ChannelWorker
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, ChannelKind
from smsjingling.storage.types import utcnow

log = logging.getLogger(__name__)
KEYRING_SERVICE = "smsjingling"
# What a machine with no modem configured sends through, so a newcomer sees the product work: a simulated
# modem with a real modem's pace (about 2 s a message) and status reports a few seconds later.
DEMO_GATEWAY_KEY = "smsjingling-simulated-gateway"
DEMO_URL = "sim://demo?latency=0.05&sms_latency=2&sr_delay=3"

messages.register(
    {
        "channel.exists": ("已有名为 {name} 的通道", "There is already a channel named {name}"),
        "channel.not_found": ("没有名为 {name} 的通道", "There is no channel named {name}"),
        "channel.demo_name": ("模拟短信猫", "Simulated modem"),
        "channel.no_keyring": (
            "无法使用系统钥匙串保存 {name} 的 PIN 码：{detail}",
            "The system keyring cannot hold the PIN of {name}: {detail}",
        ),
    }
)


@dataclass(frozen=True)
class ChannelInfo:
    id: int
    kind: str
    name: str
    url: str
    enabled: bool
    carrier: str
    per_minute: int
    hourly_cap: int
    daily_cap: int


def _info(c: Channel) -> ChannelInfo:
    return ChannelInfo(
        c.id,
        c.kind,
        c.name,
        str(c.config.get("url", "")),
        c.enabled,
        c.carrier,
        c.per_minute,
        c.hourly_cap,
        c.daily_cap,
    )


def _pin_key(name: str) -> str:
    return f"modem-pin:{name}"


class Channels:
    def __init__(self, db: Database, actor: str | None = None) -> None:
        self.db = db
        self.actor = actor

    def list(self) -> list[ChannelInfo]:
        with self.db.reader() as s:
            return [_info(c) for c in s.execute(select(Channel).order_by(Channel.id)).scalars()]

    def add_modem(
        self,
        name: str,
        url: str,
        *,
        carrier: str = "",
        per_minute: int = 0,
        hourly_cap: int = 200,
        daily_cap: int = 1000,
        spacing: tuple[float, float] = (0.0, 0.0),
        pin: str | None = None,
        baudrate: int | None = None,
    ) -> int:
        with self.db.session() as s:
            if s.execute(select(Channel.id).where(Channel.name == name)).first():
                raise ValidationError("channel.exists", name=name)
            channel = Channel(
                kind=ChannelKind.MODEM.value,
                name=name,
                config={"url": url, **({"baudrate": baudrate} if baudrate else {})},
                carrier=carrier,
                per_minute=per_minute,
                hourly_cap=hourly_cap,
                daily_cap=daily_cap,
                spacing_min_s=spacing[0],
                spacing_max_s=spacing[1],
            )
            s.add(channel)
            s.flush()
            audit.record(s, "channel.add", {"name": name, "url": url, "kind": "modem"}, actor=self.actor)
            channel_id = channel.id
        if pin:
            keyring.set_password(KEYRING_SERVICE, _pin_key(name), pin)
        return channel_id

    def set_enabled(self, name: str, enabled: bool) -> None:
        with self.db.session() as s:
            channel = s.execute(select(Channel).where(Channel.name == name)).scalar()
            if channel is None:
                raise NotFoundError("channel.not_found", name=name)
            channel.enabled = enabled
            audit.record(s, "channel.enable" if enabled else "channel.disable", {"name": name}, actor=self.actor)

    def remove(self, name: str) -> None:
        with self.db.session() as s:
            channel = s.execute(select(Channel).where(Channel.name == name)).scalar()
            if channel is None:
                raise NotFoundError("channel.not_found", name=name)
            s.delete(channel)
            audit.record(s, "channel.remove", {"name": name}, actor=self.actor)

    def ensure_demo(self) -> None:
        """On a machine with no channel at all, add the simulated modem."""
        with self.db.session() as s:
            if s.execute(select(Channel.id)).first() is None:
                s.add(
                    Channel(
                        kind=ChannelKind.MODEM.value,
                        name=messages.text("channel.demo_name"),
                        config={"url": DEMO_URL, "demo": True},
                    )
                )
                audit.record(s, "channel.add", {"name": "demo", "url": DEMO_URL, "kind": "modem"}, actor=self.actor)


def add_gateway(
    db: Database,
    name: str,
    url: str,
    account: str,
    *,
    key: str | None = None,
    actor: str | None = None,
    max_batch: int = 1000,
    concurrency: int = 4,
    per_minute: int = 0,
    demo: bool = False,
    poll_seconds: float = 5.0,
) -> int:
    """A channel on the vendor's HTTP gateway (docs/gateway-api.md); its key goes to the keyring.
    `demo`: the bundled simulator's account, whose key is public (DEMO_GATEWAY_KEY)."""
    with db.session() as s:
        if s.execute(select(Channel.id).where(Channel.name == name)).first():
            raise ValidationError("channel.exists", name=name)
        channel = Channel(
            kind=ChannelKind.GATEWAY.value,
            name=name,
            per_minute=per_minute,
            hourly_cap=0,
            daily_cap=0,
            config={
                "vendor": "vendor",
                "url": url,
                "account": account,
                "max_batch": max_batch,
                "concurrency": concurrency,
                "demo": demo,
                "poll_seconds": poll_seconds,
            },
        )
        s.add(channel)
        s.flush()
        audit.record(s, "channel.add", {"name": name, "url": url, "kind": "gateway"}, actor=actor)
        channel_id = channel.id
    if key:
        store_key(name, key)
    return channel_id


def gateway_adapter(channel: Channel) -> GatewayAdapter:
    """The adapter for a gateway channel's configuration."""
    config = channel.config
    if config.get("vendor", "vendor") != "vendor":  # 短信宝, 云片, Kannel, Jasmin, generic
        from smsjingling.sending.gateway_accounts import channel_adapter

        return channel_adapter(channel)
    # The bundled simulator's demo account has a fixed, public key; every real key comes from the keyring.
    key = Secret(DEMO_GATEWAY_KEY) if config.get("demo") else None
    return VendorGateway(
        channel.name,
        str(config["url"]),
        str(config["account"]),
        key=key,
        max_batch=int(config.get("max_batch", 1000)),
        concurrency=int(config.get("concurrency", 4)),
    )


def set_pin(name: str, pin: str) -> None:
    """Keep a SIM's PIN in the OS keyring (never in the database)."""
    try:
        keyring.set_password(KEYRING_SERVICE, _pin_key(name), pin)
    except KeyringError as exc:
        raise ValidationError("channel.no_keyring", name=name, detail=type(exc).__name__) from None


def forget_pin(name: str) -> None:
    """Drop a PIN the SIM refused, so that nothing tries it again."""
    try:
        keyring.delete_password(KEYRING_SERVICE, _pin_key(name))
    except PasswordDeleteError:
        pass  # there was none
    except KeyringError as exc:
        log.info("cannot remove the PIN of %s from the keyring: %s", name, exc)


def modem_options(config: dict) -> ModemOptions | None:
    """The modem options a channel's configuration asks for (a baud rate other than 115200)."""
    baudrate = config.get("baudrate")
    return ModemOptions(baudrate=int(baudrate)) if baudrate else None


def pin_for(name: str) -> str | None:
    try:
        return keyring.get_password(KEYRING_SERVICE, _pin_key(name))
    except KeyringError as exc:  # no keyring on this machine: the SIM must then have no PIN
        log.info("no keyring to read the PIN of %s from: %s", name, exc)
        return None


def build_workers(db: Database, *, depth: int = 2) -> list[ChannelWorker]:
    """A worker per enabled modem channel, its caps already counting what it sent in the last day."""
    workers: list[ChannelWorker] = []
    since = utcnow() - timedelta(days=1)
    with db.reader() as s:
        rows = s.execute(select(Channel).where(Channel.enabled.is_(True)).order_by(Channel.id)).scalars().all()
    for c in rows:
        if c.kind == ChannelKind.GATEWAY.value:
            budget = SendBudget(Limits(c.per_minute, 0, 0))
            poll = float(c.config.get("poll_seconds", 5.0))
            workers.append(GatewayWorker(c.id, c.name, gateway_adapter(c), budget, poll_seconds=poll))
            continue
        limits = Limits(c.per_minute, c.hourly_cap, c.daily_cap, c.spacing_min_s, c.spacing_max_s)
        budget = SendBudget(limits)
        budget.seed(sent_times(db, c.id, since))
        link = ModemLink(
            str(c.config["url"]),
            pin=pin_for(c.name) if not c.config.get("demo") else None,
            options=modem_options(c.config),
            on_pin_refused=(lambda name: lambda: forget_pin(name))(c.name),
        )
        workers.append(ChannelWorker(c.id, c.name, link, budget, kind=c.kind, carrier=c.carrier, depth=depth))
    return workers
