"""Delivery reports pushed to the URL an account registered: signed POSTs, retried with a doubling wait
while the client's listener fails, given up after a few tries (the reports stay available by pull)."""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
from urllib.parse import urlsplit

from smsjingling.gateway.signing import signed_headers
from smsjingling.gateway.sim.state import Report, SimAccount, SimState

log = logging.getLogger(__name__)
PUSH_BATCH = 500


class CallbackPusher:
    def __init__(
        self,
        state: SimState,
        stop: threading.Event,
        *,
        retry_seconds: float = 2.0,
        attempts: int = 6,
        timeout: float = 5.0,
    ) -> None:
        self.state = state
        self.stop = stop
        self.retry_seconds = retry_seconds
        self.attempts = attempts
        self.timeout = timeout
        self._failures: dict[str, tuple[int, float]] = {}  # account -> (failures in a row, next try)
        self.wake = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.wake.clear()
            wait = self.push_once()
            self.wake.wait(0.5 if wait is None else min(0.5, max(0.0, wait)))

    def push_once(self) -> float | None:
        """Push what is waiting; returns the seconds until a retry falls due (None: nothing to retry)."""
        soonest: float | None = None
        for acct in list(self.state.accounts.values()):
            failures, next_try = self._failures.get(acct.account_id, (0, 0.0))
            now = time.monotonic()
            if next_try > now:
                soonest = next_try - now if soonest is None else min(soonest, next_try - now)
                continue
            while not self.stop.is_set():
                with self.state.lock:
                    url = acct.callback_url
                    batch = [acct.push_queue.popleft() for _ in range(min(PUSH_BATCH, len(acct.push_queue)))]
                if not batch or not url:
                    break
                if self._post(acct, url, batch):
                    self._failures.pop(acct.account_id, None)
                    with self.state.lock:
                        acct.callbacks_delivered += len(batch)
                    continue
                failures += 1
                if failures >= self.attempts:
                    log.info("simulated gateway: callback %s failed %d times; reports stay for pull", url, failures)
                    self._failures.pop(acct.account_id, None)
                    break
                with self.state.lock:
                    acct.push_queue.extendleft(reversed(batch))
                delay = self.retry_seconds * 2 ** (failures - 1)
                self._failures[acct.account_id] = (failures, time.monotonic() + delay)
                soonest = delay if soonest is None else min(soonest, delay)
                break
        return soonest

    def _post(self, acct: SimAccount, url: str, batch: list[Report]) -> bool:
        parts = urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        body = json.dumps(
            {"account": acct.account_id, "reports": [r.to_json() for r in batch]}, ensure_ascii=False
        ).encode("utf-8")
        headers = signed_headers(acct.account_id, acct.key, "POST", target, body, now=self.state.clock())
        headers["Content-Type"] = "application/json; charset=utf-8"
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = cls(parts.hostname or "127.0.0.1", parts.port, timeout=self.timeout)
        try:
            conn.request("POST", target, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            return 200 <= response.status < 300
        except (OSError, http.client.HTTPException) as exc:
            log.info("simulated gateway: callback %s unreachable: %s", url, exc)
            return False
        finally:
            conn.close()
