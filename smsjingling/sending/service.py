"""The long-running sending service: channel workers, the dispatcher, the scheduler and the reply handler,
started and stopped together. `smsjingling run` runs it in the foreground; the GUI runs it in the
background."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from smsjingling.events import EventBus
from smsjingling.keywords import KeywordStore
from smsjingling.replies.handler import ReplyHandler
from smsjingling.schedule.scheduler import Scheduler
from smsjingling.sending.billing import Billing
from smsjingling.sending.campaigns import Campaigns
from smsjingling.sending.channels import Channels, build_workers
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.rules import SendRules
from smsjingling.settings import Settings
from smsjingling.storage.database import Database
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
        self.campaigns = Campaigns(db, actor, clock=clock, on_queued=self._queued)
        self._stop = threading.Event()
        self._scheduler: threading.Thread | None = None
        self._scheduler_logic = Scheduler(self.campaigns.start, clock=clock)

    def _queued(self, campaign_id: int) -> None:
        if self.dispatcher is not None:
            self.dispatcher.wake()
        self.bus.publish("campaign", campaign_id=campaign_id)

    def start(self) -> None:
        if self.demo_if_empty:
            Channels(self.db, self.actor).ensure_demo()
        # The default banned-word lists go into the database once, so admins see and edit them.
        KeywordStore(self.db, self.actor).ensure_defaults()
        replies = ReplyHandler(self.db, actor=self.actor)

        def inbound(channel_id: int, sms: object) -> None:
            item = replies.handle(sms, channel_id)  # type: ignore[arg-type]
            if item is not None:
                self.bus.publish("inbound", item=item)

        self.dispatcher = Dispatcher(
            self.db,
            build_workers(self.db),
            rules=SendRules.load(Settings(self.db)),
            bus=self.bus,
            clock=self.clock,
            on_inbound=inbound,
            billing=Billing(self.db, self.actor),
        )
        self.dispatcher.start()
        self._scheduler = threading.Thread(target=self._schedule_loop, name="scheduler", daemon=True)
        self._scheduler.start()

    def _schedule_loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.schedule_tick()
            except Exception:
                log.exception("scheduler: a round failed; trying again shortly")
            self._stop.wait(self.schedule_seconds)

    def schedule_tick(self) -> None:
        """Start the campaigns whose time has come; report the ones missed beyond their grace period."""
        with self.db.session() as s:
            self._scheduler_logic.due(s, self.clock())
        if self.dispatcher is not None:
            self.dispatcher.wake()

    def stop(self) -> None:
        self._stop.set()
        if self._scheduler is not None:
            self._scheduler.join(10.0)
        if self.dispatcher is not None:
            self.dispatcher.stop()

    def __enter__(self) -> SendingService:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
