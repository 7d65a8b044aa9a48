"""Configured channels (modems and gateways), and the workers built from them. A SIM's PIN and a gateway's
password or key are kept in the OS keyring, never in the database.

The simulated modem and the simulated gateway are what a fresh install sends through, clearly labelled
(模拟短信猫, 模拟短信网关): `Channels(db).ensure_demo(gateway=True)` sets both up, the gateway with its
prepaid account; the sending service then runs the gateway simulator itself (sending.demo)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from smsjingling import audit, messages
from smsjingling.errors import NotFoundError, UserError, ValidationError
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, ChannelKind
from smsjingling.storage.types import utcnow

log = logging.getLogger(__name__)
KEYRING_SERVICE = "smsjingling"

# The window lists channels (the compose page's choice, the devices page) long before anything is sent: the
# modem, gateway and worker modules (and the keyring's backends) are imported where a channel is added,
# tested or driven, not with this module, which a start would otherwise pay for before showing its window.
if TYPE_CHECKING:
    from modem.device import ModemOptions
    from smsjingling.gateway.base import Balance, GatewayAdapter
    from smsjingling.gateway.factory import PushUrls
    from smsjingling.sending.worker import ChannelWorker


def __getattr__(name: str) -> Any:
    if name == "DEMO_GATEWAY_KEY":  # where callers find it
        from smsjingling.gateway.factory import DEMO_GATEWAY_KEY

        return DEMO_GATEWAY_KEY
    raise AttributeError(name)


# What a machine with no modem configured sends through, so a newcomer sees the product work: a simulated
# modem with a real modem's pace (about 2 s a message) and status reports a few seconds later.
DEMO_URL = "sim://demo?latency=0.05&sms_latency=2&sr_delay=3"

messages.register(
    {
        "channel.exists": ("已有名为 {name} 的通道", "There is already a channel named {name}"),
        "channel.not_found": ("没有名为 {name} 的通道", "There is no channel named {name}"),
        "channel.demo_name": ("模拟短信猫", "Simulated modem"),
        "channel.demo_gateway_name": ("模拟短信网关", "Simulated SMS gateway"),
        "channel.demo_opening": (
            "模拟网关账户的开户余额（与模拟网关的账目一致）",
            "Opening balance of the simulated gateway's account (as on the simulator's books)",
        ),
        "channel.not_gateway": ("通道 {name} 不是网关通道", "The channel {name} is not a gateway"),
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
                # The desktop it is plugged into: on a shared database only that one drives it (build_workers).
                config={"url": url, "machine": audit.current_machine(), **({"baudrate": baudrate} if baudrate else {})},
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
            import keyring

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

    def ensure_demo(self, *, gateway: bool = False) -> DemoChannels:
        """The simulated channels, so that a newcomer sees the product work.

        `gateway=False` (what the sending service does when it starts): the simulated modem, on a machine
        with no channel at all. `gateway=True` (the window's first-run offer, "use the simulated modem and
        gateway"): the simulated modem and the simulated gateway, each unless it is there already; the
        gateway comes with its prepaid account, opened with the simulator's opening balance so that the two
        books agree from the start. Both are labelled simulated in their names (模拟短信猫, 模拟短信网关).
        Returns the ids of both (None for one there is not)."""
        with self.db.session() as s:
            demos = {
                c.kind: c.id
                for c in s.execute(select(Channel).order_by(Channel.id)).scalars()
                if (c.config or {}).get("demo") and (c.kind == ChannelKind.MODEM.value or c.config.get("embedded"))
            }
            empty = s.execute(select(Channel.id)).first() is None
            modem_name = messages.text("channel.demo_name")
            taken = s.execute(select(Channel.id).where(Channel.name == modem_name)).first() is not None
            if ChannelKind.MODEM.value not in demos and (empty or gateway) and not taken:
                channel = Channel(kind=ChannelKind.MODEM.value, name=modem_name, config={"url": DEMO_URL, "demo": True})
                s.add(channel)
                s.flush()
                demos[ChannelKind.MODEM.value] = channel.id
                audit.record(s, "channel.add", {"name": "demo", "url": DEMO_URL, "kind": "modem"}, actor=self.actor)
        gateway_id = demos.get(ChannelKind.GATEWAY.value)
        if gateway and gateway_id is None:
            gateway_id = self._add_demo_gateway()
        return DemoChannels(demos.get(ChannelKind.MODEM.value), gateway_id)

    def _add_demo_gateway(self) -> int | None:
        from smsjingling.account.accounts import Accounts
        from smsjingling.account.ledger import Ledger
        from smsjingling.gateway.factory import DEMO_ACCOUNT
        from smsjingling.sending.demo import DEMO_OPENING_FEN

        name = messages.text("channel.demo_gateway_name")
        with self.db.reader() as s:
            if s.execute(select(Channel.id).where(Channel.name == name)).first() is not None:
                return None
        channel_id = self.add_gateway(name, account=DEMO_ACCOUNT, demo=True, reports="both")
        account_id = Accounts(self.db, self.actor).open(channel_id)
        Ledger(self.db, self.actor, account_id=account_id).top_up(
            DEMO_OPENING_FEN, messages.text("channel.demo_opening")
        )
        return channel_id

    # --- gateways ----------------------------------------------------------------------------------------

    def add_gateway(
        self,
        name: str,
        *,
        adapter: str = "vendor",
        url: str = "",
        account: str = "",
        secret: str | None = None,
        demo: bool = False,
        max_batch: int | None = None,
        concurrency: int = 4,
        requests_per_second: float = 0.0,
        per_minute: int = 0,
        poll_seconds: float = 5.0,
        reports: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> int:
        """A gateway channel: the vendor's API (docs/gateway-api.md) or a third party's (`adapter`: smsbao,
        yunpian, kannel, jasmin, generic; their other settings in `options`, see gateway.factory). The
        adapter is built once first, so an unsafe address, a bad pattern or a missing secret is refused
        before anything is kept; `secret` (password, API key or account key) then goes to the OS keyring
        only. `demo`: the bundled simulator's account (its key is public; the sending service runs the
        simulator and gives the address). `reports` (vendor API): "pull", "push" or "both"."""
        config: dict[str, Any] = {
            **dict(options or {}),
            "vendor": adapter,
            "url": url,
            "account": account,
            "concurrency": concurrency,
            "requests_per_second": requests_per_second,
            "demo": demo,
            # No address given: the sending service runs the simulator and says where (sending.demo).
            "embedded": demo and not url,
            "poll_seconds": poll_seconds,
            "push_token": secrets.token_urlsafe(16),
        }
        if max_batch is not None or adapter == "vendor":
            config["max_batch"] = max_batch or 1000
        if reports is not None:
            config["reports"] = reports
        from smsjingling.gateway.factory import build_adapter, report_mode
        from smsjingling.gateway.keys import Secret, store_key

        report_mode(config)  # a known adapter and report mode
        if not demo:
            build_adapter(name, config, secret=Secret(secret) if secret else None).close()
        with self.db.session() as s:
            if s.execute(select(Channel.id).where(Channel.name == name)).first():
                raise ValidationError("channel.exists", name=name)
            channel = Channel(
                kind=ChannelKind.GATEWAY.value,
                name=name,
                per_minute=per_minute,
                hourly_cap=0,
                daily_cap=0,
                config=config,
            )
            s.add(channel)
            s.flush()
            audit.record(
                s,
                "channel.add",
                {"name": name, "url": url, "kind": "gateway", "vendor": adapter, "demo": demo},
                actor=self.actor,
            )
            channel_id = channel.id
        if secret and not demo:
            store_key(name, secret)
        return channel_id

    def gateway(self, name: str) -> Channel:
        """A gateway channel's row, detached (by name or id)."""
        with self.db.reader() as s:
            channel = s.execute(select(Channel).where(Channel.name == name)).scalar()
            if channel is None and name.isdigit():
                channel = s.get(Channel, int(name))
            if channel is None:
                raise NotFoundError("channel.not_found", name=name)
            if channel.kind != ChannelKind.GATEWAY.value:
                raise ValidationError("channel.not_gateway", name=name)
            s.expunge(channel)
            return channel

    def test(self, name: str) -> Balance:
        """Ask a gateway channel's vendor for the account's balance (nothing is sent). Raises the vendor's
        refusal in words, BalanceUnsupported for a vendor without a balance query (Kannel, say). The
        simulated gateway is asked where the running service has it, else started here for the question."""
        from smsjingling.gateway.errors import GatewayError as AdapterError
        from smsjingling.gateway.vendor import GatewayError as VendorError

        channel = self.gateway(name)
        try:
            adapter = gateway_adapter(channel)
        except ValidationError:
            if not channel.config.get("embedded"):
                raise
            return self._test_demo(channel)
        try:
            return adapter.balance()
        except (AdapterError, VendorError):
            if not channel.config.get("embedded"):
                raise
        finally:
            adapter.close()
        return self._test_demo(channel)

    def _test_demo(self, channel: Channel) -> Balance:
        from smsjingling.sending.demo import StoreBusy, start_demo_gateway

        try:
            sim = start_demo_gateway(self.db)
        except StoreBusy:
            raise ValidationError("gateway.demo_not_running") from None
        try:
            adapter = gateway_adapter(channel, demo_url=sim.url)
            try:
                return adapter.balance()
            finally:
                adapter.close()
        finally:
            sim.stop()


@dataclass(frozen=True)
class DemoChannels:
    modem_id: int | None
    gateway_id: int | None


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
    reports: str | None = None,
) -> int:
    """A channel on the vendor's HTTP gateway (docs/gateway-api.md) at `url`: `Channels.add_gateway` with
    the vendor API's settings. `demo` with a `url`: the simulator's public demo key, on a simulator the
    caller runs (tests, benchmarks)."""
    channel_id = Channels(db, actor).add_gateway(
        name,
        url=url,
        account=account,
        secret=key,
        demo=demo,
        max_batch=max_batch,
        concurrency=concurrency,
        per_minute=per_minute,
        poll_seconds=poll_seconds,
        reports=reports,
    )
    return channel_id


def gateway_adapter(channel: Channel, *, demo_url: str | None = None, push: PushUrls | None = None) -> GatewayAdapter:
    """The adapter for a gateway channel's configuration (gateway.factory), its secret from the keyring.
    The simulated gateway is reached at `demo_url`, else where the sending service last started it."""
    from smsjingling.gateway.factory import build_adapter

    return build_adapter(channel.name, dict(channel.config or {}), push=push, demo_url=demo_url)


def _update_config(db: Database, channel_id: int, update: Callable[[dict[str, Any]], None]) -> None:
    with db.session() as s:
        channel = s.get(Channel, channel_id)
        if channel is None:  # removed meanwhile
            return
        config = dict(channel.config or {})
        update(config)
        channel.config = config  # a new object: the JSON column sees the change


def set_demo_url(db: Database, channel_id: int, url: str) -> None:
    """Where the simulated gateway listens now (for other processes, and for `channels list`)."""
    _update_config(db, channel_id, lambda config: config.__setitem__("url", url))


def save_cursor(db: Database, channel_id: int, stream: str, cursor: str) -> None:
    """Keep how far a gateway's pulled delivery reports or replies (`stream`) have been taken in."""

    def update(config: dict[str, Any]) -> None:
        config["cursors"] = {**(config.get("cursors") or {}), stream: cursor}

    _update_config(db, channel_id, update)


def push_token(db: Database, channel: Channel) -> str:
    """The channel's secret part of its push addresses (made now for a channel that has none)."""
    token = str((channel.config or {}).get("push_token") or "")
    if not token:
        token = secrets.token_urlsafe(16)
        _update_config(db, channel.id, lambda config: config.__setitem__("push_token", token))
    return token


def set_pin(name: str, pin: str) -> None:
    """Keep a SIM's PIN in the OS keyring (never in the database)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, _pin_key(name), pin)
    except KeyringError as exc:
        raise ValidationError("channel.no_keyring", name=name, detail=type(exc).__name__) from None


def forget_pin(name: str) -> None:
    """Drop a PIN the SIM refused, so that nothing tries it again."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, _pin_key(name))
    except PasswordDeleteError:
        pass  # there was none
    except KeyringError as exc:
        log.info("cannot remove the PIN of %s from the keyring: %s", name, exc)


def modem_options(config: dict) -> ModemOptions | None:
    """The modem options a channel's configuration asks for (a baud rate other than 115200)."""
    from modem.device import ModemOptions

    baudrate = config.get("baudrate")
    return ModemOptions(baudrate=int(baudrate)) if baudrate else None


def pin_for(name: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, _pin_key(name))
    except KeyringError as exc:  # no keyring on this machine: the SIM must then have no PIN
        log.info("no keyring to read the PIN of %s from: %s", name, exc)
        return None


def build_workers(
    db: Database,
    *,
    depth: int = 2,
    demo_url: str | None = None,
    push: Callable[[Channel], PushUrls | None] | None = None,
    machine: str | None = None,
) -> list[ChannelWorker]:
    """A worker per enabled channel, a modem's caps already counting what it sent in the last day. A gateway
    keeps its pull cursors in its configuration (`save_cursor`). `demo_url`: where the simulated gateway
    runs; `push`: our push listener's addresses for a channel that expects pushes. A gateway channel whose
    adapter cannot be built (its key is not in the keyring, the simulator is not running) is left out, and
    the reason logged.

    A modem is driven only by the desktop it is plugged into (`machine`, this one by default: the name its
    channel was added on); several desktops sharing a server database each build their own modems. A modem
    channel that names no machine (added before there was one) is driven by any. A gateway is driven from
    every desktop: each sends only what its dispatcher claimed, so no message goes twice."""
    from smsjingling.sending.dispatcher import sent_times
    from smsjingling.sending.gateway_worker import GatewayWorker
    from smsjingling.sending.limits import Limits, SendBudget
    from smsjingling.sending.modem_link import ModemLink
    from smsjingling.sending.worker import ChannelWorker

    here = machine or audit.current_machine()
    workers: list[ChannelWorker] = []
    since = utcnow() - timedelta(days=1)
    with db.reader() as s:
        rows = s.execute(select(Channel).where(Channel.enabled.is_(True)).order_by(Channel.id)).scalars().all()
    for c in rows:
        if c.kind == ChannelKind.GATEWAY.value:
            try:
                adapter = gateway_adapter(c, demo_url=demo_url, push=push(c) if push else None)
            except UserError as exc:
                log.warning("gateway %s is left out: %s", c.name, exc.message())
                continue
            budget = SendBudget(Limits(c.per_minute, 0, 0))
            poll = float(c.config.get("poll_seconds", 5.0))
            worker = GatewayWorker(c.id, c.name, adapter, budget, poll_seconds=poll)
            worker.save_cursor = (lambda cid: lambda stream, cursor: save_cursor(db, cid, stream, cursor))(c.id)
            workers.append(worker)
            continue
        if ((c.config or {}).get("machine") or here) != here:
            continue  # plugged into another desktop, which drives it
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
