"""One worker thread per channel (serial I/O blocks): takes the jobs the dispatcher gave it, waits for its
rate and caps, marks each message sending in the database just before it goes out, sends, and hands the
outcome back. A channel that keeps failing rests for a while and gives its waiting jobs back."""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from smsjingling.sending.limits import SendBudget
from smsjingling.sending.outcome import Outcome, Verdict

log = logging.getLogger(__name__)


class Link(Protocol):
    """What a worker needs from a channel: send one message, and release the device."""

    def send(self, number: str, text: str) -> Outcome: ...

    def close(self) -> None: ...

    def subscribe(self, on_report: Callable[[Any], None] | None, on_message: Callable[[Any], None] | None) -> None:
        """Where the channel's delivery reports and inbound messages go."""


@dataclass(frozen=True)
class Job:
    message_id: int
    campaign_id: int
    phone: str
    text: str
    carrier: str
    attempts: int  # before this attempt


class WorkerState(enum.StrEnum):
    IDLE = "idle"
    SENDING = "sending"
    WAITING = "waiting"  # for its rate or spacing
    CAPPED = "capped"  # an hourly or daily cap is reached
    RESTING = "resting"  # failed too often in a row
    STOPPED = "stopped"


@dataclass
class Health:
    failures_before_rest: int = 3
    rest_seconds: float = 600.0


class ChannelWorker:
    def __init__(
        self,
        channel_id: int,
        name: str,
        link: Link,
        budget: SendBudget,
        *,
        kind: str = "modem",
        carrier: str = "",
        depth: int = 2,
        health: Health | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.channel_id = channel_id
        self.name = name
        self.kind = kind
        self.carrier = carrier
        self.link = link
        self.budget = budget
        self.depth = depth
        self.health = health or Health()
        self._monotonic = monotonic
        self._wall = wall
        self._jobs: deque[Job] = deque()
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self.state = WorkerState.IDLE
        self.failures = 0
        self.rest_until = 0.0
        self.sent_count = 0
        self._thread: threading.Thread | None = None
        # Set by the dispatcher.
        self.mark_sending: Callable[[Job, int], bool] = lambda job, cid: True
        self.report: Callable[[Job, int, Outcome], None] = lambda job, cid, outcome: None
        self.give_back: Callable[[list[Job]], None] = lambda jobs: None
        self.on_state: Callable[[ChannelWorker], None] = lambda worker: None

    # -- the dispatcher's side ------------------------------------------------------------------

    def free_slots(self) -> int:
        """How many more jobs it takes now (0 while resting or capped)."""
        if self._stop.is_set() or self.resting() or self.budget.capped(self._wall()):
            return 0
        with self._cond:
            return max(self.depth - len(self._jobs), 0)

    def idle(self) -> bool:
        """Nothing waiting and nothing in flight."""
        with self._cond:
            return not self._jobs and self.state is not WorkerState.SENDING

    def resting(self) -> bool:
        return self._monotonic() < self.rest_until

    def give(self, jobs: list[Job]) -> None:
        with self._cond:
            # The dispatcher counted this worker's free slots a moment ago; it may have started resting (or
            # stopping) since, after handing its queue back. Then these go straight back too, or they would
            # wait out the rest here.
            if not self.resting() and not self._stop.is_set():
                self._jobs.extend(jobs)
                self._cond.notify()
                return
        self.give_back(jobs)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"channel-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the send in flight, give the waiting jobs back, release the device."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("channel %s did not stop within %.0f s", self.name, timeout)

    # -- the worker thread ----------------------------------------------------------------------

    def _set(self, state: WorkerState) -> None:
        if state is not self.state:
            self.state = state
            self.on_state(self)

    def _take(self) -> Job | None:
        while True:
            with self._cond:
                if self._stop.is_set():
                    return None
                if self._jobs:
                    return self._jobs.popleft()
                self._cond.wait(0.5)
                if self._jobs or self._stop.is_set():
                    continue
            self._idle()  # outside the lock: the dispatcher can hand over jobs meanwhile

    def _idle(self) -> None:
        """Nothing to send: the link may use the pause (a modem keeps its port open and reads its signal)."""
        idle = getattr(self.link, "idle", None)
        if idle is None:
            return
        try:
            idle()
        except Exception:  # a bug in the pause must not end the worker: the jobs still need sending
            log.exception("channel %s: unexpected error while idle", self.name)

    def _hand_back_all(self) -> None:
        with self._cond:
            jobs = list(self._jobs)
            self._jobs.clear()
        if jobs:
            self.give_back(jobs)

    def _wait_budget(self) -> bool:
        """Sleep until the budget allows a send. False when stopped (or capped: jobs go to others)."""
        while not self._stop.is_set():
            now = self._wall()
            if self.budget.capped(now):
                self._set(WorkerState.CAPPED)
                return False
            wait = self.budget.wait(now)
            if wait <= 0:
                return True
            self._set(WorkerState.WAITING)
            self._stop.wait(min(wait, 1.0))
        return False

    def _run(self) -> None:
        try:
            while (job := self._take()) is not None:
                if not self._wait_budget():
                    # Capped or stopping: every job waiting here goes back, for another channel or later.
                    self.give_back([job])
                    self._hand_back_all()
                    self._stop.wait(1.0)
                    continue
                if not self.mark_sending(job, self.channel_id):
                    continue  # cancelled meanwhile, or taken back
                self._set(WorkerState.SENDING)
                try:
                    outcome = self.link.send(job.phone, job.text)
                except Exception as exc:  # a bug below us: the message may have left, so it is unknown
                    log.exception("channel %s: unexpected error while sending", self.name)
                    outcome = Outcome(Verdict.UNKNOWN, (), "send.internal_error", repr(exc), channel_fault=True)
                if outcome.verdict is Verdict.SENT or (outcome.verdict is Verdict.UNKNOWN and outcome.refs):
                    self.budget.record(self._wall())
                    self.sent_count += 1
                self.report(job, self.channel_id, outcome)
                self._after(outcome)
        finally:
            self._hand_back_all()
            self.link.close()
            self._set(WorkerState.STOPPED)

    def _after(self, outcome: Outcome) -> None:
        if not outcome.channel_fault:
            self.failures = 0
            self._set(WorkerState.IDLE)
            return
        self.failures += 1
        if self.failures >= self.health.failures_before_rest:
            log.info(
                "channel %s rests %.0f s after %d failures in a row", self.name, self.health.rest_seconds, self.failures
            )
            self.rest_until = self._monotonic() + self.health.rest_seconds
            self.failures = 0
            self._set(WorkerState.RESTING)
            self._hand_back_all()
            self._stop.wait(self.health.rest_seconds)
        else:
            self._set(WorkerState.IDLE)
