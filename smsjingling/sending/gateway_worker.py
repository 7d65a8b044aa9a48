"""The worker for an HTTP gateway: unlike a modem, it sends batches, several at once (the vendor's declared
batch size and concurrency), and it polls for delivery reports and replies instead of being told by a port.

Each batch is marked SENDING in one transaction just before its request leaves, so a crash leaves exactly
the batches in flight as UNKNOWN (the gateway can be asked about them by client id).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from modem.device import InboundSms
from smsjingling.gateway.base import GatewayAdapter, GatewayReply, GatewayReport, OutboundSms
from smsjingling.sending.limits import SendBudget
from smsjingling.sending.outcome import Outcome, Verdict
from smsjingling.sending.worker import ChannelWorker, Health, Job, WorkerState

log = logging.getLogger(__name__)


class _AdapterLink:
    """The worker's `link`: only closing and the callbacks; sends go through `send_batch`."""

    def __init__(self, adapter: GatewayAdapter) -> None:
        self.adapter = adapter
        self.on_report: Callable[[GatewayReport], None] | None = None
        self.on_message: Callable[[InboundSms], None] | None = None

    def send(self, number: str, text: str) -> Outcome:  # pragma: no cover - the gateway worker sends batches
        raise NotImplementedError("a gateway sends batches")

    def close(self) -> None:
        self.adapter.close()

    def subscribe(self, on_report: Callable[[Any], None] | None, on_message: Callable[[Any], None] | None) -> None:
        self.on_report, self.on_message = on_report, on_message


class GatewayWorker(ChannelWorker):
    def __init__(
        self,
        channel_id: int,
        name: str,
        adapter: GatewayAdapter,
        budget: SendBudget,
        *,
        health: Health | None = None,
        poll_seconds: float = 5.0,
    ) -> None:
        limits = adapter.limits
        self.batch = max(1, limits.max_batch)
        self.concurrency = max(1, limits.concurrency)
        super().__init__(
            channel_id,
            name,
            _AdapterLink(adapter),
            budget,
            kind="gateway",
            depth=self.batch * self.concurrency * 2,
            health=health,
        )
        self.adapter = adapter
        self.poll_seconds = poll_seconds
        self._slots = threading.Semaphore(self.concurrency)
        self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix=f"gateway-{name}")
        self._interval = 1.0 / limits.requests_per_second if limits.requests_per_second else 0.0
        self._next_request = 0.0
        self._paused_until = 0.0  # monotonic: the gateway asked us to wait (HTTP 429 Retry-After) until then
        self._poller: threading.Thread | None = None
        self._lock = threading.Lock()
        # Set by the dispatcher: marks a batch SENDING at once, returns the jobs it could mark.
        self.mark_sending_many: Callable[[list[Job], int], list[Job]] = lambda jobs, cid: jobs
        # Set by the dispatcher: takes a request's outcomes at once (one hand-over for thousands of messages).
        self.report_many: Callable[[list[tuple[Job, Outcome]], int], None] = self._report_each
        # Set by the dispatcher: runs a step once what was handed over so far is recorded.
        self.after_recorded: Callable[[Callable[[], None], int | None], None] = lambda done, cid: done()
        # Set by whoever built the worker (channels.build_workers): keeps a pull cursor across restarts.
        self.save_cursor: Callable[[str, str], None] = lambda stream, cursor: None
        self._poll_lock = threading.Lock()
        self._saved_cursors: dict[str, str | None] = {
            "reports": getattr(adapter, "report_cursor", None),
            "replies": getattr(adapter, "reply_cursor", None),
        }

    def start(self) -> None:
        super().start()
        self._poller = threading.Thread(target=self._poll, name=f"gateway-poll-{self.name}", daemon=True)
        self._poller.start()

    def stop(self, timeout: float = 30.0) -> None:
        super().stop(timeout)
        if self._poller is not None:
            self._poller.join(timeout)

    def free_slots(self) -> int:
        return 0 if self.paused() else super().free_slots()

    def paused(self) -> float:
        """Seconds left of a wait the gateway asked for (0: none)."""
        return max(0.0, self._paused_until - self._monotonic())

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (from now), as the gateway asked; a longer pause already set stands."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._monotonic() + seconds)

    @contextmanager
    def quiet(self, timeout: float = 60.0) -> Iterator[bool]:
        """No request of this channel in flight while inside, and none starts: what reconciling the balance
        with the vendor's needs. Yields False when the requests in flight did not end within `timeout` (the
        block runs all the same, and the caller decides)."""
        deadline = time.monotonic() + timeout
        held = 0
        try:
            for _ in range(self.concurrency):
                if not self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
                    break
                held += 1
            yield held == self.concurrency
        finally:
            for _ in range(held):
                self._slots.release()

    def _wait_pause(self) -> None:
        while (left := self.paused()) > 0 and not self._stop.is_set():
            self._set(WorkerState.WAITING)
            self._stop.wait(min(left, 1.0))

    def _take_batch(self) -> list[Job]:
        with self._cond:
            while not self._jobs and not self._stop.is_set():
                self._cond.wait(0.5)
            if self._stop.is_set():
                return []
            n = min(self.batch, len(self._jobs))
            return [self._jobs.popleft() for _ in range(n)]

    def _pace(self) -> None:
        """The vendor's requests-per-second limit, across all of this worker's threads."""
        if not self._interval:
            return
        with self._lock:
            now = time.monotonic()
            wait = self._next_request - now
            self._next_request = max(now, self._next_request) + self._interval
        if wait > 0:
            self._stop.wait(wait)

    def _learn_limits(self) -> None:
        """Take the request rate and batch size the gateway declares for the account, where it says (the
        vendor API does): sending at its pace is better than learning it from 429s. A smaller batch set
        for the channel stays."""
        refresh = getattr(self.adapter, "refresh_limits", None)
        if refresh is None:
            return
        configured = self.batch
        try:
            limits = refresh()
        except Exception as exc:  # the vendor is down now: the configured limits stand
            log.info("gateway %s: cannot ask for its limits now: %s", self.name, exc)
            return
        with self._lock:
            self.batch = max(1, min(configured, limits.max_batch))
            self._interval = 1.0 / limits.requests_per_second if limits.requests_per_second else 0.0

    def _run(self) -> None:
        self._learn_limits()
        try:
            while batch := self._take_batch():
                if self.resting():
                    self.give_back(batch)
                    self._hand_back_all()
                    continue
                self._slots.acquire()
                self._wait_pause()
                if self._stop.is_set():
                    self._slots.release()
                    self.give_back(batch)
                    break
                marked = self.mark_sending_many(batch, self.channel_id)
                if not marked:
                    self._slots.release()
                    continue
                self._set(WorkerState.SENDING)
                self._pool.submit(self._send, marked)
        finally:
            self._pool.shutdown(wait=True)  # the requests in flight finish and are recorded
            self._hand_back_all()
            self.link.close()
            self._set(WorkerState.STOPPED)

    def _send(self, jobs: list[Job]) -> None:
        try:
            self._pace()
            try:
                results = self.adapter.send_batch([OutboundSms(str(j.message_id), j.phone, j.text) for j in jobs])
            except Exception as exc:  # a bug below us: the request may have left, so the batch is unknown
                log.exception("gateway %s: unexpected error while sending", self.name)
                results = []
                fallback = Outcome(Verdict.UNKNOWN, (), "send.internal_error", repr(exc), channel_fault=True)
            else:
                fallback = Outcome(Verdict.UNKNOWN, (), "send.no_result")
            by_id = {
                r.client_id: (
                    replace(r.outcome, cost_fen=r.cost_fen)
                    if r.cost_fen is not None and r.cost_fen != r.outcome.cost_fen
                    else r.outcome
                )
                for r in results
            }
            faults = 0
            now = self._wall()
            waits = [r.outcome.retry_after for r in results if r.outcome.retry_after]
            if waits:
                # Before the outcomes are handed over: no batch of this worker goes out until the wait is over.
                self.pause(max(waits))
            outcomes = [(job, by_id.get(str(job.message_id), fallback)) for job in jobs]
            for _job, outcome in outcomes:
                if outcome.verdict is Verdict.SENT:
                    self.budget.record(now)
                    self.sent_count += 1
                faults += outcome.channel_fault
            self.report_many(outcomes, self.channel_id)
            self._health(faults == len(jobs))
        finally:
            self._slots.release()

    def _report_each(self, outcomes: list[tuple[Job, Outcome]], channel_id: int) -> None:
        for job, outcome in outcomes:
            self.report(job, channel_id, outcome)

    def _health(self, all_failed: bool) -> None:
        with self._lock:
            if not all_failed:
                self.failures = 0
                self._set(WorkerState.IDLE)
                return
            self.failures += 1
            if self.failures >= self.health.failures_before_rest:
                log.info(
                    "gateway %s rests %.0f s after %d failed requests in a row",
                    self.name,
                    self.health.rest_seconds,
                    self.failures,
                )
                self.rest_until = self._monotonic() + self.health.rest_seconds
                self.failures = 0
                self._set(WorkerState.RESTING)
        if self.resting():
            self._hand_back_all()

    def _poll(self) -> None:
        link = self.link
        assert isinstance(link, _AdapterLink)
        while not self._stop.wait(self.poll_seconds):
            self.poll_once()

    def poll_once(self) -> None:
        """Fetch delivery reports and replies now.

        A vendor that pages its streams by cursor (the vendor API) has the cursors saved as the engine
        catches up: the report cursor once the reports before it are recorded (the dispatcher says when),
        the reply cursor once its replies are stored. After a restart the fetching goes on from there, so
        nothing is missed; what was fetched again after a crash between the two is recorded once (a report
        settles a message once, a reply is stored once)."""
        if self.paused():  # the gateway asked for quiet: polls count against the same rate
            return
        with self._poll_lock:
            self._poll_locked()

    def _poll_locked(self) -> None:
        link = self.link
        assert isinstance(link, _AdapterLink)
        try:
            reports = self.adapter.fetch_reports()
        except Exception as exc:  # the vendor is down: the next poll tries again
            log.info("gateway %s: cannot fetch reports now: %s", self.name, exc)
        else:
            for report in reports:
                if link.on_report:
                    link.on_report(report)
            cursor = getattr(self.adapter, "report_cursor", None)
            if cursor is not None and cursor != self._saved_cursors.get("reports"):
                self._saved_cursors["reports"] = cursor
                self.after_recorded(lambda c=cursor: self.save_cursor("reports", c), self.channel_id)
        before = getattr(self.adapter, "reply_cursor", None)
        try:
            replies = self.adapter.fetch_replies()
        except Exception as exc:
            log.info("gateway %s: cannot fetch replies now: %s", self.name, exc)
            return
        try:
            for reply in replies:
                if link.on_message:
                    link.on_message(InboundSms(reply.sender, reply.text, reply.received_at))
        except Exception:
            log.exception("gateway %s: a reply could not be stored; fetched again next time", self.name)
            if hasattr(self.adapter, "reply_cursor"):
                self.adapter.reply_cursor = before
            return
        cursor = getattr(self.adapter, "reply_cursor", None)
        if cursor is not None and cursor != self._saved_cursors.get("replies"):
            self.save_cursor("replies", cursor)
            self._saved_cursors["replies"] = cursor

    def deliver_replies(self, replies: list[GatewayReply]) -> None:
        """Replies the vendor pushed to our listener: stored now (raises when they cannot be)."""
        link = self.link
        assert isinstance(link, _AdapterLink)
        for reply in replies:
            if link.on_message:
                link.on_message(InboundSms(reply.sender, reply.text, reply.received_at))
