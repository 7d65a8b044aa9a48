"""A small thread-safe event bus: the core publishes (message status, campaign progress, channel state,
inbound SMS), the GUI re-emits as Qt signals and the CLI prints. Callbacks run on the publishing thread, so
they must be quick and must not block; a failing subscriber is logged and does not stop the others."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    kind: str  # "messages", "campaign", "channel", "inbound"
    data: dict[str, Any] = field(default_factory=dict)


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[tuple[str | None, Callable[[Event], None]]] = []

    def subscribe(self, callback: Callable[[Event], None], kind: str | None = None) -> Callable[[], None]:
        """Call `callback` for every event (of `kind`, when given). Returns the unsubscribe function."""
        entry = (kind, callback)
        with self._lock:
            self._subscribers.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._subscribers:
                    self._subscribers.remove(entry)

        return unsubscribe

    def publish(self, kind: str, **data: Any) -> None:
        event = Event(kind, data)
        with self._lock:
            targets = [cb for k, cb in self._subscribers if k is None or k == kind]
        for callback in targets:
            try:
                callback(event)
            except Exception:
                log.exception("event subscriber failed on %s", kind)
