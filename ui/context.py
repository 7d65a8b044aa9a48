"""What every page shares: the database, the background worker, the core's events and the sending service.

The window owns one AppContext. Pages never open ports or sockets: they call the core through
`ctx.run(...)`, which runs the call in the worker's pool and shows a failure in plain words.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from smsjingling import audit
from smsjingling.events import EventBus
from smsjingling.settings import Settings
from smsjingling.storage.database import Database
from ui.core_events import CoreEvents
from ui.errors import show_error
from ui.worker import Progress, Task, Worker

if TYPE_CHECKING:
    from smsjingling.sending.service import SendingService

log = logging.getLogger(__name__)

# The sending stack (dispatcher, gateways, modems, accounts) is imported when the service starts, not with
# the window: it costs a start half a second. ui.first_run imports it in the background before that.
SERVICE_MODULE = "smsjingling.sending.service"


class ServiceState(QObject):
    """Whether the sending service (dispatcher, scheduler, modems) is running, for the status bar."""

    changed = Signal(str)  # "starting", "running", "failed", "stopped"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = "stopped"
        self.error: BaseException | None = None

    def set(self, state: str, error: BaseException | None = None) -> None:
        self.state = state
        self.error = error
        self.changed.emit(state)


@dataclass
class AppContext:
    db: Database
    worker: Worker
    bus: EventBus
    events: CoreEvents
    actor: str = field(default_factory=audit.current_actor)
    # None until started (start_service), and in tests that drive pages without sending
    service: SendingService | None = None
    service_state: ServiceState = field(default_factory=ServiceState)
    _demo_if_empty: bool = field(default=True, repr=False)
    _restart_pending: bool = field(default=False, repr=False)
    _closing: bool = field(default=False, repr=False)

    @classmethod
    def create(cls, db: Database, parent: QObject | None = None) -> AppContext:
        bus = EventBus()
        return cls(db=db, worker=Worker(parent), bus=bus, events=CoreEvents(bus, parent))

    @property
    def settings(self) -> Settings:
        return Settings(self.db, self.actor)

    def run(
        self,
        fn: Callable[[], Any],
        *,
        owner: QWidget,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        name: str = "",
    ) -> Task:
        """Run `fn()` in the background; `on_result` (or the error, shown in words) comes back on the GUI
        thread, unless `owner` is gone by then. For cancellable work with progress use `worker.run`."""

        def task(_cancel: threading.Event, _progress: Progress) -> Any:
            return fn()

        return self.worker.run(
            task,
            on_result=on_result,
            on_error=on_error or (lambda exc: show_error(owner, exc)),
            owner=owner,
            name=name or getattr(fn, "__name__", "task"),
        )

    def start_service(self, *, demo_if_empty: bool = True) -> None:
        """Start dispatching in the background (opening modems can take seconds). The window passes
        `demo_if_empty=False`: the simulated channels are an offer there (ui.first_run), never added silently."""
        if self.service is not None or self._closing:
            return
        self._demo_if_empty = demo_if_empty
        from smsjingling.sending.service import SendingService

        service = SendingService(self.db, actor=self.actor, bus=self.bus, demo_if_empty=demo_if_empty)
        self.service = service
        self.service_state.set("starting")

        def start(_cancel: threading.Event, _progress: Progress) -> None:
            service.start()

        self.worker.run(
            start,
            on_result=lambda _none: self._started(service),
            on_error=self._service_failed,
            name="start sending service",
        )

    def _started(self, service: SendingService) -> None:
        if service is not self.service:
            return  # stopped meanwhile
        self.service_state.set("running")
        if self._restart_pending:
            self._restart_pending = False
            self.restart_service()

    def _service_failed(self, exc: BaseException) -> None:
        log.error("the sending service did not start", exc_info=exc)
        self.service = None
        self.service_state.set("failed", exc)

    def restart_service(self) -> None:
        """Rebuild the workers after channels were added, changed or removed (the service reads them at start).
        Stopping waits for the sends in flight, so it happens in the background; nothing when not running."""
        service = self.service
        if service is None or self._closing:
            return
        if self.service_state.state != "running":
            self._restart_pending = True  # still starting: it restarts once it runs
            return
        self.service = None
        self.service_state.set("starting")

        def stop(_cancel: threading.Event, _progress: Progress) -> None:
            service.stop()

        self.worker.run(
            stop,
            on_result=lambda _none: self.start_service(demo_if_empty=self._demo_if_empty),
            on_error=self._service_failed,
            name="restart sending service",
        )

    def stop_service(self) -> None:
        if self.service is not None:
            self.service.stop()
            self.service = None
            self.service_state.set("stopped")

    def close(self) -> None:
        self._closing = True
        self.stop_service()
        self.events.close()
        self.worker.shutdown()
