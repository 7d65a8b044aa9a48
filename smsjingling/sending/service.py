"""The long-running sending service: channel workers, the dispatcher, the scheduler and the reply handler,
started and stopped together. `smsjingling run` runs it in the foreground; the GUI runs it in the
background.

Besides, when the channels need them:
- the simulated gateway (sending.demo), on loopback, for a demo gateway channel;
- our push listener (gateway.receiver), for a channel whose reports or replies come by push (a Kannel's
  dlr-url, the vendor API's callback); a vendor API channel has its callback registered with the gateway;
- reconciliation of each prepaid account with its vendor's balance, every `gateway.reconcile_minutes`
  (counted from the account's last reconciliation, so a restart does not reset it), and on demand
  (`reconcile`), each time with the channel's sending paused and its results recorded first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select

from smsjingling import messages
from smsjingling.account.ledger import Ledger, Reconciliation
from smsjingling.events import EventBus
from smsjingling.gateway.errors import BalanceUnsupported
from smsjingling.gateway.factory import PushUrls, expects_push
from smsjingling.gateway.receiver import PUSH_BIND, PUSH_PORT, PUSH_URL, PushReceiver
from smsjingling.gateway.sim.server import GatewaySim
from smsjingling.gateway.vendor import VendorGateway
from smsjingling.keywords import KeywordStore
from smsjingling.replies.handler import ReplyHandler
from smsjingling.schedule.scheduler import Scheduler
from smsjingling.sending import demo
from smsjingling.sending.billing import RECONCILE_MINUTES, Billing, reconcile_quietly
from smsjingling.sending.campaigns import Campaigns
from smsjingling.sending.channels import Channels, build_workers, push_token, set_demo_url
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.gateway_worker import GatewayWorker
from smsjingling.sending.push import push_handler
from smsjingling.sending.rules import SendRules
from smsjingling.settings import Settings
from smsjingling.storage.accounts import Account
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, ChannelKind
from smsjingling.storage.types import utcnow

log = logging.getLogger(__name__)


class SendingService:
    def __init__(
        self,
        db: Database,
        *,
        actor: str | None = None,
        bus: EventBus | None = None,
        clock: Callable[[], datetime] = utcnow,
        demo_if_empty: bool = True,
        schedule_seconds: float = 15.0,
    ) -> None:
        self.db = db
        self.actor = actor
        self.bus = bus or EventBus()
        self.clock = clock
        self.demo_if_empty = demo_if_empty
        self.schedule_seconds = schedule_seconds
        self.dispatcher: Dispatcher | None = None
        self.demo_gateway: GatewaySim | None = None  # the simulated gateway, while a demo channel needs it
        self.receiver: PushReceiver | None = None  # our push listener, while a channel expects pushes
        self.campaigns = Campaigns(db, actor, clock=clock, on_queued=self._queued)
        self._stop = threading.Event()
        self._scheduler: threading.Thread | None = None
        self._scheduler_logic = Scheduler(self.campaigns.start, clock=clock)
        self._reconcile_lock = threading.Lock()
        self._lifecycle = threading.Lock()  # start and stop, one at a time

    def _queued(self, campaign_id: int) -> None:
        if self.dispatcher is not None:
            self.dispatcher.wake()
        self.bus.publish("campaign", campaign_id=campaign_id)

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Open the channels and start dispatching (seconds, with modems). The window starts it on a background
        thread and may stop it from its own meanwhile (closed while starting): stop() waits for the start to
        finish and then undoes it, and a start asked after a stop does nothing."""
        with self._lifecycle:
            if not self._stop.is_set():
                self._start()

    def _start(self) -> None:
        if self.demo_if_empty:
            Channels(self.db, self.actor).ensure_demo()
        # The default banned-word lists go into the database once, so admins see and edit them.
        KeywordStore(self.db, self.actor).ensure_defaults()
        replies = ReplyHandler(self.db, actor=self.actor)

        def inbound(channel_id: int, sms: object) -> None:
            item = replies.handle(sms, channel_id)  # type: ignore[arg-type]
            if item is not None:
                self.bus.publish("inbound", item=item)

        with self.db.reader() as s:
            gateways = (
                s.execute(select(Channel).where(Channel.enabled.is_(True), Channel.kind == ChannelKind.GATEWAY.value))
                .scalars()
                .all()
            )
        demo_url = self._start_demo_gateway([c for c in gateways if (c.config or {}).get("embedded")])
        push = self._start_receiver([c for c in gateways if expects_push(c.config or {})])
        self.dispatcher = Dispatcher(
            self.db,
            build_workers(self.db, demo_url=demo_url, push=push),
            rules=SendRules.load(Settings(self.db)),
            bus=self.bus,
            clock=self.clock,
            on_inbound=inbound,
            billing=Billing(self.db, self.actor),
        )
        if self.receiver is not None:
            for worker in self.gateway_workers():
                self.receiver.route(worker.channel_id, push_handler(worker, self.dispatcher))
        self.dispatcher.start()
        self._register_callbacks(push)
        self._scheduler = threading.Thread(target=self._schedule_loop, name="scheduler", daemon=True)
        self._scheduler.start()

    def _start_demo_gateway(self, channels: list[Channel]) -> str | None:
        if not channels:
            return None
        try:
            self.demo_gateway = demo.start_demo_gateway(self.db)
        except demo.StoreBusy:
            log.warning("the simulated gateway runs in another program on this computer; its channel is left out here")
            return None
        for channel in channels:
            set_demo_url(self.db, channel.id, self.demo_gateway.url)
        return self.demo_gateway.url

    def _start_receiver(self, channels: list[Channel]) -> Callable[[Channel], PushUrls | None] | None:
        if not channels:
            return None
        settings = Settings(self.db)
        self.receiver = PushReceiver(
            host=settings.get(PUSH_BIND), port=settings.get(PUSH_PORT), public_url=settings.get(PUSH_URL)
        ).start()
        receiver = self.receiver
        wanted = {c.id for c in channels}

        def urls(channel: Channel) -> PushUrls | None:
            if channel.id not in wanted:
                return None
            return receiver.register(channel.id, push_token(self.db, channel))

        return urls

    def _register_callbacks(self, push: Callable[[Channel], PushUrls | None] | None) -> None:
        """A vendor API channel that takes pushes has its callback set to our listener (reports are pulled as
        well, so one that cannot be set costs only speed)."""
        if push is None or self.receiver is None:
            return
        with self.db.reader() as s:
            rows = {
                c.id: c for c in s.execute(select(Channel).where(Channel.kind == ChannelKind.GATEWAY.value)).scalars()
            }
        for worker in self.gateway_workers():
            adapter, channel = worker.adapter, rows.get(worker.channel_id)
            if not isinstance(adapter, VendorGateway) or channel is None:
                continue
            urls = push(channel)
            if urls is None:
                continue
            try:
                adapter.set_callback(urls.reports)
            except Exception as exc:
                log.info("gateway %s: its callback could not be set (reports are pulled): %s", worker.name, exc)

    def stop(self) -> None:
        self._stop.set()
        with self._lifecycle:
            if self._scheduler is not None:
                self._scheduler.join(10.0)
            if self.dispatcher is not None:
                self.dispatcher.stop()
            if self.receiver is not None:
                self.receiver.stop()
                self.receiver = None
            if self.demo_gateway is not None:
                self.demo_gateway.stop()
                self.demo_gateway = None

    def __enter__(self) -> SendingService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the scheduler thread -------------------------------------------------------------------

    def _schedule_loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.schedule_tick()
            except Exception:
                log.exception("scheduler: a round failed; trying again shortly")
            try:
                self.reconcile_due()
            except Exception:
                log.exception("reconciliation: a round failed; trying again shortly")
            self._stop.wait(self.schedule_seconds)

    def schedule_tick(self) -> None:
        """Start the campaigns whose time has come; report the ones missed beyond their grace period."""
        with self.db.session() as s:
            self._scheduler_logic.due(s, self.clock())
        if self.dispatcher is not None:
            self.dispatcher.wake()

    # -- reconciliation ---------------------------------------------------------------------------

    def gateway_workers(self) -> list[GatewayWorker]:
        if self.dispatcher is None:
            return []
        return [w for w in self.dispatcher.workers if isinstance(w, GatewayWorker)]

    def reconcile_due(self) -> dict[int, Reconciliation]:
        """Reconcile the accounts whose last reconciliation is older than `gateway.reconcile_minutes`
        (0: never on a schedule)."""
        minutes = self.campaigns.settings.get(RECONCILE_MINUTES)
        if not minutes or self.dispatcher is None:
            return {}
        horizon = utcnow() - timedelta(minutes=minutes)
        with self.db.reader() as s:
            last = dict(s.execute(select(Account.channel_id, Account.reconciled_at)).all())
        due = [
            w.channel_id
            for w in self.gateway_workers()
            if w.channel_id in last and (last[w.channel_id] is None or last[w.channel_id] < horizon)
        ]
        return self.reconcile(due, quiet_errors=True) if due else {}

    def reconcile(self, channels: list[int] | None = None, *, quiet_errors: bool = False) -> dict[int, Reconciliation]:
        """Take each gateway account's vendor balance as the true one now (all gateway channels with an
        account, or those of `channels`): the channel's sending pauses, what came back is recorded and
        charged, then the vendor is asked. Returns each channel's reconciliation; the difference is also
        published ("reconciled" events) for the window to show. A vendor without a balance query is left
        out; other errors are raised (logged instead with `quiet_errors`, the scheduled rounds)."""
        if self.dispatcher is None:
            return {}
        dispatcher = self.dispatcher
        done: dict[int, Reconciliation] = {}
        with self._reconcile_lock:
            for worker in self.gateway_workers():
                if channels is not None and worker.channel_id not in channels:
                    continue
                with self.db.reader() as s:
                    has_account = s.execute(select(Account.id).where(Account.channel_id == worker.channel_id)).first()
                if has_account is None:
                    continue
                ledger = Ledger.for_channel(self.db, worker.channel_id, self.actor or "gateway", events=self.bus)
                note = messages.text("billing.reconcile_note", channel=worker.name)
                try:
                    result = reconcile_quietly(
                        worker.adapter,
                        ledger,
                        quiet=worker.quiet,
                        flush=lambda: dispatcher.flush(30.0),
                        note=note,
                    )
                except BalanceUnsupported:
                    continue
                except Exception as exc:  # ReconcileBusy, the vendor's refusal or silence
                    if not quiet_errors:
                        raise
                    log.info("gateway %s: not reconciled now: %r", worker.name, exc)
                    continue
                done[worker.channel_id] = result
                self.bus.publish(
                    "reconciled",
                    channel_id=worker.channel_id,
                    name=worker.name,
                    vendor_fen=result.vendor_fen,
                    local_fen=result.local_fen,
                    difference_fen=result.difference_fen,
                )
        return done
