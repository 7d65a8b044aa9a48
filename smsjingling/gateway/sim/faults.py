"""Faults the simulated gateway produces on request: the next N requests to a path, or a share of all."""

from __future__ import annotations

import enum
import random
import threading
from collections import deque
from dataclasses import dataclass


class Fault(enum.Enum):
    ERROR = "error"  # HTTP 500 INTERNAL_ERROR; nothing in the request was done
    UNAVAILABLE = "unavailable"  # HTTP 503 SERVICE_UNAVAILABLE with Retry-After; nothing done
    BAD_SIGNATURE = "bad_signature"  # HTTP 401 BAD_SIGNATURE although the signature is right; nothing done
    LOST = "lost"  # no answer until the client gives up; nothing done (the request "never arrived")
    TIMEOUT = "timeout"  # the request is done (accepted, charged), then no answer until the client gives up
    DISCONNECT = "disconnect"  # the request is done, then the connection is closed without an answer
    MALFORMED = "malformed"  # the request is done, then a 200 answer whose body is cut off mid-JSON

    @property
    def after_processing(self) -> bool:
        return self in (Fault.TIMEOUT, Fault.DISCONNECT, Fault.MALFORMED)


@dataclass(frozen=True)
class _Planned:
    fault: Fault
    path: str | None  # None: any path


class FaultPlan:
    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._queue: deque[_Planned] = deque()
        self._rates: dict[Fault, float] = {}
        self._rate_path: str | None = None
        self._random = random.Random(seed)

    def fail_next(self, fault: Fault, count: int, path: str | None) -> None:
        with self._lock:
            self._queue.extend(_Planned(fault, path) for _ in range(count))

    def set_rates(self, rates: dict[Fault, float], path: str | None, seed: int | None) -> None:
        if sum(rates.values()) > 1.0:
            raise ValueError("fault rates add up to more than 1")
        with self._lock:
            self._rates = {f: r for f, r in rates.items() if r > 0}
            self._rate_path = path
            if seed is not None:
                self._random.seed(seed)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self._rates = {}

    def take(self, path: str) -> Fault | None:
        """The fault this request meets: the first planned one for its path, else one drawn at the rates."""
        with self._lock:
            for i, planned in enumerate(self._queue):
                if planned.path is None or planned.path == path:
                    del self._queue[i]
                    return planned.fault
            if not self._rates or (self._rate_path is not None and self._rate_path != path):
                return None
            draw = self._random.random()
            for fault, rate in self._rates.items():
                if draw < rate:
                    return fault
                draw -= rate
            return None

    def pending(self) -> int:
        with self._lock:
            return len(self._queue)
