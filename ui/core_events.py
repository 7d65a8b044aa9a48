"""Core events as Qt signals on the GUI thread, coalesced.

The core's EventBus calls subscribers on the publishing thread (the dispatcher's, a pool thread). During a
100,000-message send it publishes many times a second; re-emitting each one would flood the event loop. So
events are put in a locked list, and the GUI thread drains it at most every FLUSH_MS and emits one signal per
kind with all the events of that kind since the last flush. Pages connect to these signals and re-read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from smsjingling.events import Event, EventBus

FLUSH_MS = 150
KINDS = frozenset({"messages", "campaign", "channel", "inbound", "balance", "database"})


class CoreEvents(QObject):
    # each carries the list of event data dicts of its kind since the last flush
    messages = Signal(list)  # message status changes (dispatcher)
    campaign = Signal(list)  # a campaign was queued, progressed or finished
    channel = Signal(list)  # a channel's state changed (modem resting, gone, back)
    inbound = Signal(list)  # a reply arrived
    balance = Signal(list)  # the prepaid ledger moved (balance_fen, held_fen, available_fen, low)
    database = Signal(list)  # the shared database server was lost or is back (state "lost"/"back", where)
    other = Signal(list)  # any other kind: the events themselves

    _poke = Signal()

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._pending: list[Event] = []
        self._armed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self.flush)
        # Emitted from any thread; the connection is queued because this object lives on the GUI thread.
        self._poke.connect(self._arm)
        self._unsubscribe: Callable[[], None] | None = bus.subscribe(self._on_event)

    def _on_event(self, event: Event) -> None:  # publishing thread
        with self._lock:
            self._pending.append(event)
            if self._armed:
                return
            self._armed = True
        self._poke.emit()

    @Slot()
    def _arm(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
            self._armed = False
        by_kind: dict[str, list[Any]] = {}
        for event in pending:
            by_kind.setdefault(event.kind, []).append(event.data)
        for kind, items in by_kind.items():
            if kind in KINDS:
                getattr(self, kind).emit(items)
            else:
                self.other.emit([Event(kind, data) for data in items])

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._timer.stop()
