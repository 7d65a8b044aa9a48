"""The dispatcher: claims due messages in batches, routes them to channel workers, and records what the
channels say, in batches.

Claiming is in two steps, so a crash never makes a message look sent or lost: a claim only marks a queued
message as taken by this dispatcher (claimed_by); the worker moves it to SENDING, in its own commit, just
before the modem is given it. On start, messages still SENDING from a previous run are marked UNKNOWN (they
may have left) and claimed-but-queued ones are simply released (they certainly did not).

On a server database several dispatchers (one per desktop) share the queue. A claim locks the rows it takes
(SELECT … FOR UPDATE SKIP LOCKED), so two dispatchers never take the same message and neither waits for the
other; recovery touches only this dispatcher's own claims (claimed_by is its machine's name).

When the server goes away (restarted, the network down) dispatch pauses: nothing is claimed, a worker gives
its waiting jobs back instead of marking them, and what the channels said about messages already handed to
them (results, status reports) is kept in memory and written once the server is back. The bus says so
("database": lost / back), for the window's status bar.
"""

from __future__ import annotations

import itertools
import logging
import queue
import random
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from modem.device import DeliveryReport, InboundSms
from smsjingling import messages
from smsjingling.events import EventBus
from smsjingling.gateway.base import GatewayReport
from smsjingling.sending import record
from smsjingling.sending.billing import Billing
from smsjingling.sending.outcome import Outcome, Verdict
from smsjingling.sending.record import Move
from smsjingling.sending.rules import SendRules
from smsjingling.sending.worker import ChannelWorker, Health, Job
from smsjingling.storage.database import Database, connection_lost
from smsjingling.storage.sending import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    Message,
    MessagePart,
    MessageStatus,
)
from smsjingling.storage.types import utcnow

log = logging.getLogger(__name__)

_CLAIM_CHUNK = 5000
REPORT_MATCH_SECONDS = 120.0  # a report that arrives before its send is recorded waits this long for it
RECONNECT_SECONDS = 1.0  # how often a dispatcher whose database is lost tries it again

messages.register(
    {
        "send.db_lost": (
            "与数据库的连接中断，短信尚未发出，已放回队列",
            "The connection to the database was lost before the message left; it is back in the queue",
        ),
    }
)


@dataclass
class _Result:
    job: Job
    channel_id: int
    outcome: Outcome


@dataclass
class _Results:
    """A gateway request's results, handed over at once."""

    items: list[_Result]


@dataclass
class _Report:
    channel_id: int
    report: DeliveryReport | GatewayReport
    first_seen: float
    seq: int = 0  # order of arrival, against barriers


@dataclass
class _Unsent:
    """Jobs a worker could not mark SENDING because the database was lost: never handed to a channel. The
    mark may still have been committed (a lost connection leaves a COMMIT's fate unknown), so they go back
    to the queue from QUEUED or from SENDING."""

    jobs: list[Job]


@dataclass
class _Barrier:
    """Run `done` once everything handed over before it is recorded (and billed); with a channel, also once
    no report of that channel from before it is still waiting for its send to be recorded."""

    seq: int
    channel_id: int | None
    done: Callable[[], None]


def _size(item: object) -> int:
    """Messages an item of the results queue stands for (a batch of results counts each)."""
    return len(item.items) if isinstance(item, _Results) else 1


def default_instance() -> str:
    return socket.gethostname() or "localhost"


class Dispatcher:
    def __init__(
        self,
        db: Database,
        workers: Sequence[ChannelWorker],
        *,
        rules: SendRules | None = None,
        instance: str | None = None,
        bus: EventBus | None = None,
        clock: Callable[[], datetime] = utcnow,
        poll_seconds: float = 0.5,
        result_batch: int = 200,
        coalesce_seconds: float = 0.02,
        on_inbound: Callable[[int, InboundSms], None] | None = None,
        billing: Billing | None = None,
    ) -> None:
        self.db = db
        self.workers = list(workers)
        self.rules = rules or SendRules()
        self.instance = instance or default_instance()
        self.bus = bus or EventBus()
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.result_batch = result_batch
        self.coalesce_seconds = coalesce_seconds
        self.billing = billing
        self._results: queue.Queue[_Result | _Results | _Report | _Barrier | _Unsent | list[Job]] = queue.Queue()
        # Taken from the queue but not written (the database was lost): written first in the next round.
        self._unwritten: list[_Result | _Results | _Report | _Unsent | list[Job]] = []
        self._lost_since: float | None = None  # monotonic time the database was found lost; None: reachable
        # Jobs given to a worker and not yet handed back (by a result, a give-back or an unsent mark).
        self._handed: dict[int, Job] = {}
        self._seq = itertools.count(1)  # next() is atomic: reports and barriers are numbered as they arrive
        self._barriers: list[_Barrier] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rng = random.Random()
        self._pending_reports: list[_Report] = []
        for w in self.workers:
            w.mark_sending = self._mark_sending
            w.report = self._report_outcome
            w.give_back = self._give_back
            w.on_state = self._channel_state
            w.health = Health(self.rules.failures_before_rest, self.rules.rest_seconds)
            if hasattr(w, "mark_sending_many"):
                w.mark_sending_many = self._mark_sending_many
            if hasattr(w, "report_many"):
                w.report_many = self._report_outcomes
            if hasattr(w, "after_recorded"):
                w.after_recorded = self.after_recorded
            w.link.subscribe(
                (lambda cid: lambda rep: self.delivery_report(cid, rep))(w.channel_id),
                (lambda cid: lambda sms: on_inbound(cid, sms))(w.channel_id) if on_inbound else None,
            )

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        self.recover()
        for w in self.workers:
            w.start()
        self._thread = threading.Thread(target=self._run, name="dispatcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop claiming; let each channel finish the send in flight; record everything that came back."""
        self._stop.set()
        self._wake.set()
        for w in self.workers:
            w.stop()
        if self._thread is not None:
            self._thread.join(30.0)
        try:
            self._drain(final=True)
        except Exception as exc:
            if not connection_lost(exc):
                raise
            log.error(
                "the database %s is unreachable: %d result(s) could not be recorded; their messages stay in "
                "sending and show as unknown at the next start",
                self.db.where,
                sum(_size(i) for i in self._unwritten if isinstance(i, _Result | _Results)),
            )

    def __enter__(self) -> Dispatcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def recover(self) -> tuple[int, int]:
        """After a crash: SENDING -> UNKNOWN, claimed QUEUED -> released. Returns (unknown, released)."""
        with self.db.session() as s:
            mine = self._mine(s)
            stuck = [
                mid
                for (mid,) in s.execute(select(Message.id).where(Message.status == MessageStatus.SENDING.value, mine))
            ]
            moves = [
                Move(
                    mid,
                    MessageStatus.UNKNOWN,
                    "send.interrupted",
                )
                for mid in stuck
            ]
            applied = record.move(s, moves, expect=[MessageStatus.SENDING], now=self.clock())
            released = s.execute(
                update(Message)
                .where(Message.status == MessageStatus.QUEUED.value, Message.claimed_by != "", mine)
                .values(claimed_by="")
                .execution_options(synchronize_session=False)
            ).rowcount
            campaigns = {
                cid
                for (cid,) in s.execute(
                    select(Message.campaign_id).where(Message.id.in_([m.message_id for m in applied]))
                )
            }
            record.finish_campaigns(s, campaigns, self.clock())
        if applied:
            log.warning("%d message(s) were being sent when the program stopped; marked unknown", len(applied))
        return len(applied), released

    def _mine(self, s: Session):
        # One SQLite file has one dispatcher; a shared server database may have several, each recovering its own.
        if s.get_bind().dialect.name == "sqlite":
            return Message.claimed_by == Message.claimed_by
        return or_(Message.claimed_by == self.instance, Message.claimed_by == "")

    # -- the dispatcher thread ------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self._lost_since is not None:
                    self._probe()  # raises while the server is still away
                    self._release_strays()
                busy = self._drain()
                claimed = self._claim()
            except Exception as exc:
                if connection_lost(exc):
                    self._database_lost(exc)
                else:
                    log.exception("dispatcher: a round failed; trying again shortly")
                busy, claimed = False, 0
            else:
                if self._lost_since is not None:
                    self._database_back()
            if self._lost_since is not None:
                self._stop.wait(RECONNECT_SECONDS)  # not woken by results: they wait for the server too
            elif busy or claimed:
                # Let results gather, so one transaction records several and one claim refills a worker.
                self._stop.wait(self.coalesce_seconds)
            else:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()

    def wake(self) -> None:
        """Look for due messages now (a campaign was just queued or resumed)."""
        self._wake.set()

    # -- a lost database ------------------------------------------------------------------------

    @property
    def database_lost(self) -> bool:
        return self._lost_since is not None

    def _probe(self) -> None:
        with self.db.reader() as s:
            s.execute(select(1))

    def _database_lost(self, exc: BaseException) -> None:
        if self._lost_since is not None:
            return
        self._lost_since = time.monotonic()
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        log.warning("the database %s is unreachable (%s); dispatch paused until it is back", self.db.where, detail)
        self.bus.publish("database", state="lost", where=self.db.where, detail=detail)

    def _release_strays(self) -> None:
        """A claim whose COMMIT was cut off by the lost connection may have been written without this
        dispatcher knowing: those messages are claimed by it but in no worker's hands. They go back to the
        queue. (Were one still in a worker's hands after all, its SENDING mark, which expects QUEUED under a
        row lock, lets only one send through.)"""
        with self.db.session() as s:
            s.execute(
                update(Message)
                .where(
                    Message.claimed_by == self.instance,
                    Message.status == MessageStatus.QUEUED.value,
                    Message.id.not_in(list(self._handed)),
                )
                .values(claimed_by="")
                .execution_options(synchronize_session=False)
            )

    def _database_back(self) -> None:
        assert self._lost_since is not None
        seconds = time.monotonic() - self._lost_since
        self._lost_since = None
        log.info("the database %s is back after %.0f s; dispatch resumes", self.db.where, seconds)
        self.bus.publish("database", state="back", where=self.db.where, seconds=seconds)

    # -- claiming -------------------------------------------------------------------------------

    def _claim(self) -> int:
        # A worker is refilled once half its queue is free (or it is idle), not after every message.
        free = {w: n for w in self.workers if (n := w.free_slots()) and (n >= (w.depth + 1) // 2 or w.idle())}
        total = sum(free.values())
        if total == 0:
            return 0
        now = self.clock()
        kinds = [CampaignKind.NOTICE.value]
        if self.rules.marketing_open(now):
            kinds.append(CampaignKind.MARKETING.value)
        with self.db.session() as s:
            rows = s.execute(
                select(
                    Message.id,
                    Message.campaign_id,
                    Message.phone,
                    Message.text,
                    Message.carrier,
                    Message.attempts,
                    Campaign.channel_policy,
                )
                .join(Campaign, Campaign.id == Message.campaign_id)
                .where(
                    Message.status == MessageStatus.QUEUED.value,
                    Message.claimed_by == "",
                    Message.due_at <= now,
                    Campaign.status == CampaignStatus.RUNNING.value,
                    Campaign.kind.in_(kinds),
                )
                .order_by(Message.due_at, Message.id)
                .limit(total * 2)
                # Another desktop's dispatcher claiming at this moment holds its rows locked: take the next
                # ones instead of waiting for them (and then finding them claimed).
                .with_for_update(of=Message, skip_locked=True)
            ).all()
            plan: dict[ChannelWorker, list[Job]] = {}
            allowed: dict[tuple[ChannelWorker, str], bool] = {}
            for mid, cid, phone, text, carrier, attempts, policy in rows:
                worker = self._route(free, policy, carrier, now, allowed)
                if worker is None:
                    continue
                free[worker] -= 1
                plan.setdefault(worker, []).append(Job(mid, cid, phone, text, carrier, attempts))
            ids = [j.message_id for jobs in plan.values() for j in jobs]
            if not ids:
                return 0
            taken: set[int] = set()
            for start in range(0, len(ids), _CLAIM_CHUNK):  # within any database's limit of parameters
                taken.update(
                    s.execute(
                        update(Message)
                        .where(
                            Message.id.in_(ids[start : start + _CLAIM_CHUNK]),
                            Message.status == MessageStatus.QUEUED.value,
                            Message.claimed_by == "",
                        )
                        .values(claimed_by=self.instance)
                        .returning(Message.id)
                        .execution_options(synchronize_session=False)
                    ).scalars()
                )
        for worker, jobs in plan.items():
            mine = [j for j in jobs if j.message_id in taken]
            if mine:
                self._handed.update((j.message_id, j) for j in mine)
                worker.give(mine)
        return len(taken)

    def _route(
        self,
        free: dict[ChannelWorker, int],
        policy: str,
        carrier: str,
        now: datetime,
        allowed: dict[tuple[ChannelWorker, str], bool] | None = None,
    ) -> ChannelWorker | None:
        """`allowed`: what `_allowed` said, kept for one claim (the same for every row of a policy then)."""
        if allowed is None:
            allowed = {}
        candidates = []
        for w, n in free.items():
            if n <= 0:
                continue
            ok = allowed.get((w, policy))
            if ok is None:
                ok = allowed[(w, policy)] = self._allowed(w, policy, now)
            if ok:
                candidates.append(w)
        if not candidates:
            return None
        preferred = [w for w in candidates if w.carrier and w.carrier == carrier]
        pool = preferred or candidates
        return max(pool, key=lambda w: free[w])

    def _allowed(self, worker: ChannelWorker, policy: str, now: datetime) -> bool:
        if worker.kind == "gateway" and not self.rules.gateway_open(now):
            return False
        if policy.startswith("channel:"):
            return policy == f"channel:{worker.channel_id}"
        if policy == "gateway":
            return worker.kind == "gateway"
        if policy == "pool":
            return worker.kind == "modem"
        # auto: the modems, and a gateway as overflow once they are all busy, resting or capped.
        if worker.kind == "gateway":
            return not any(w.kind == "modem" and w.free_slots() > 0 for w in self.workers)
        return True

    # -- called on worker threads ---------------------------------------------------------------

    def _mark_sending(self, job: Job, channel_id: int) -> bool:
        if self._lost_since is not None:
            self._handed.pop(job.message_id, None)
            self._results.put(_Unsent([job]))  # no mark, no send: it waits for the server in the queue
            return False
        try:
            marked = self._mark_sending_one(job, channel_id)
        except Exception as exc:
            self._mark_failed(exc, [job])
            return False
        if not marked:
            self._handed.pop(job.message_id, None)  # cancelled, paused or taken meanwhile: the worker drops it
        return marked

    def _mark_failed(self, exc: BaseException, jobs: list[Job]) -> None:
        if connection_lost(exc):
            self._database_lost(exc)
        else:
            log.exception("dispatcher: marking %d message(s) sending failed; they go back to the queue", len(jobs))
        for job in jobs:
            self._handed.pop(job.message_id, None)
        self._results.put(_Unsent(list(jobs)))
        self._wake.set()

    def _mark_sending_one(self, job: Job, channel_id: int) -> bool:
        with self.db.session() as s:
            if s.get_bind().dialect.name == "postgresql":
                # Once a message: one statement, one round trip (record.mark_sending_pg).
                status, marked = record.mark_sending_pg(
                    s,
                    job.message_id,
                    job.campaign_id,
                    channel_id=channel_id,
                    attempts=job.attempts + 1,
                    by=self.instance,
                    now=self.clock(),
                )
                if status != CampaignStatus.RUNNING.value:
                    self._give_back([job])
                return marked
            # A paused or cancelled campaign keeps its claimed messages out of the modem.
            status = s.execute(select(Campaign.status).where(Campaign.id == job.campaign_id)).scalar()
            if status != CampaignStatus.RUNNING.value:
                self._give_back([job])
                return False
            applied = record.move(
                s,
                [
                    Move(
                        job.message_id,
                        MessageStatus.SENDING,
                        "",
                        # Whoever hands it to a channel owns it while SENDING (recovery, after a crash).
                        changes={"channel_id": channel_id, "attempts": job.attempts + 1, "claimed_by": self.instance},
                    )
                ],
                expect=[MessageStatus.QUEUED],
                now=self.clock(),
            )
        return bool(applied)

    def _mark_sending_many(self, jobs: list[Job], channel_id: int) -> list[Job]:
        """A gateway batch: every job still queued (and its campaign running) to SENDING in one commit."""
        if self._lost_since is not None:
            for job in jobs:
                self._handed.pop(job.message_id, None)
            self._results.put(_Unsent(list(jobs)))
            return []
        try:
            marked = self._mark_batch_sending(jobs, channel_id)
        except Exception as exc:
            self._mark_failed(exc, jobs)
            return []
        going = {j.message_id for j in marked}
        for job in jobs:
            if job.message_id not in going:
                self._handed.pop(job.message_id, None)
        return marked

    def _mark_batch_sending(self, jobs: list[Job], channel_id: int) -> list[Job]:
        campaigns = {j.campaign_id for j in jobs}
        with self.db.session() as s:
            running = set(
                s.execute(
                    select(Campaign.id).where(
                        Campaign.id.in_(campaigns), Campaign.status == CampaignStatus.RUNNING.value
                    )
                ).scalars()
            )
            held = [j for j in jobs if j.campaign_id not in running]
            go = [j for j in jobs if j.campaign_id in running]
            applied = record.move(
                s,
                [
                    Move(
                        j.message_id,
                        MessageStatus.SENDING,
                        "",
                        changes={"channel_id": channel_id, "attempts": j.attempts + 1, "claimed_by": self.instance},
                    )
                    for j in go
                ],
                expect=[MessageStatus.QUEUED],
                now=self.clock(),
            )
        if held:
            self._give_back(held)
        done = {m.message_id for m in applied}
        return [j for j in go if j.message_id in done]

    def _report_outcome(self, job: Job, channel_id: int, outcome: Outcome) -> None:
        self._handed.pop(job.message_id, None)
        self._results.put(_Result(job, channel_id, outcome))
        self._wake.set()

    def _report_outcomes(self, outcomes: list[tuple[Job, Outcome]], channel_id: int) -> None:
        """A gateway request's outcomes: one hand-over (and one wake-up) for the whole batch."""
        for job, _ in outcomes:
            self._handed.pop(job.message_id, None)
        self._results.put(_Results([_Result(job, channel_id, outcome) for job, outcome in outcomes]))
        self._wake.set()

    def _give_back(self, jobs: list[Job]) -> None:
        for job in jobs:
            self._handed.pop(job.message_id, None)
        self._results.put(list(jobs))
        self._wake.set()

    def _channel_state(self, worker: ChannelWorker) -> None:
        self.bus.publish("channel", channel_id=worker.channel_id, name=worker.name, state=worker.state.value)

    def delivery_report(self, channel_id: int, report: DeliveryReport | GatewayReport) -> None:
        """Hand a status report over (called on a modem's event thread, or a gateway's poller)."""
        self._results.put(_Report(channel_id, report, 0.0, next(self._seq)))
        self._wake.set()

    def after_recorded(self, done: Callable[[], None], channel_id: int | None = None) -> None:
        """Call `done` (on the dispatcher's thread) once everything handed over so far is recorded in the
        database and billed; given a channel, also once none of that channel's reports from before is still
        waiting for its send to be recorded. What a gateway's pull cursor is saved by, so that it never runs
        ahead of the reports it has passed."""
        self._results.put(_Barrier(next(self._seq), channel_id, done))
        self._wake.set()

    def flush(self, timeout: float = 30.0, channel_id: int | None = None) -> bool:
        """Wait until everything handed over so far is recorded and billed; False when that took longer than
        `timeout` (or the dispatcher is not running)."""
        if self._thread is None or not self._thread.is_alive():
            return False
        recorded = threading.Event()
        self.after_recorded(recorded.set, channel_id)
        return recorded.wait(timeout)

    def record_reports(self, channel_id: int, reports: Sequence[GatewayReport], timeout: float = 10.0) -> bool:
        """Pushed delivery reports (a gateway called our listener): True once they are recorded, so the
        listener acknowledges only what is safe; False after `timeout` (the sender then pushes them again,
        and recording a report twice changes nothing)."""
        for report in reports:
            self.delivery_report(channel_id, report)
        return self.flush(timeout)

    # -- recording ------------------------------------------------------------------------------

    def _drain(self, *, final: bool = False) -> bool:
        """Record what came back. Returns True when there was something."""
        items: list[_Result | _Results | _Report | _Barrier | _Unsent | list[Job]] = [*self._unwritten]
        self._unwritten = []
        taken = sum(_size(i) for i in items)
        while taken < self.result_batch * 4:
            try:
                item = self._results.get_nowait()
            except queue.Empty:
                break
            items.append(item)
            taken += _size(item)
        reports = [i for i in items if isinstance(i, _Report)] + self._pending_reports
        self._barriers.extend(i for i in items if isinstance(i, _Barrier))
        if not items and not self._pending_reports:
            if self._barriers:
                self._pass_barriers()
            return False
        results = [
            r
            for i in items
            if isinstance(i, _Result | _Results)
            for r in (i.items if isinstance(i, _Results) else (i,))
        ]
        released = [j for i in items if isinstance(i, list) for j in i]
        unsent = [j for i in items if isinstance(i, _Unsent) for j in i.jobs]
        now = self.clock()
        pending = self._pending_reports
        try:
            finished, names = self._write(results, released, unsent, reports, now, final)
        except Exception:
            # Nothing of this round is in the database: all of it is written in a later round (the server may
            # be away for a while, and the results of messages that left must not be lost meanwhile).
            self._unwritten = [i for i in items if not isinstance(i, _Barrier)]
            self._pending_reports = pending
            raise
        for campaign_id in finished:
            # The window's tray notification ("sent in full") listens for this.
            self.bus.publish("campaign", campaign_id=campaign_id, name=names.get(campaign_id, ""), finished=True)
        if results and self.billing is not None:
            self._bill(results)
        if results:
            self.bus.publish(
                "messages",
                ids=[r.job.message_id for r in results],
                campaigns=sorted({r.job.campaign_id for r in results}),
            )
        if self._barriers:
            self._pass_barriers()
        return bool(items)

    def _write(
        self,
        results: list[_Result],
        released: list[Job],
        unsent: list[Job],
        reports: list[_Report],
        now: datetime,
        final: bool,
    ) -> tuple[list[int], dict[int, str]]:
        """One round's writes in one transaction: the campaigns it finished, and their names. The campaigns'
        counters are written once, last but for the finishing (record.counts_at_end)."""
        with self.db.session() as s:
            campaigns: set[int] = set()
            with record.counts_at_end(s):
                if unsent:
                    campaigns |= self._unsent_back(s, unsent, now)
                    released = released + unsent  # those whose mark was never written: still claimed, QUEUED
                if released:
                    s.execute(
                        update(Message)
                        .where(
                            Message.id.in_([j.message_id for j in released]),
                            Message.status == MessageStatus.QUEUED.value,
                        )
                        .values(claimed_by="")
                        .execution_options(synchronize_session=False)
                    )
                if results:
                    campaigns |= self._record_results(s, results, now)
                self._pending_reports = []
                modem_reports = [r for r in reports if isinstance(r.report, DeliveryReport)]
                gateway_reports = [r for r in reports if isinstance(r.report, GatewayReport)]
                if modem_reports:
                    campaigns |= self._record_reports(s, modem_reports, now, final)
                if gateway_reports:
                    campaigns |= self._record_gateway_reports(s, gateway_reports, now, final)
            finished = record.finish_campaigns(s, campaigns, now)
            names = (
                dict(s.execute(select(Campaign.id, Campaign.name).where(Campaign.id.in_(finished))).all())
                if finished
                else {}
            )
        return finished, names

    def _unsent_back(self, s: Session, jobs: list[Job], now: datetime) -> set[int]:
        """Jobs never handed to a channel whose SENDING mark was written after all: back to the queue."""
        moves = [
            Move(j.message_id, MessageStatus.QUEUED, "send.db_lost", "", {"claimed_by": "", "attempts": j.attempts})
            for j in jobs
        ]
        applied = {m.message_id for m in record.move(s, moves, expect=[MessageStatus.SENDING], now=now)}
        return {j.campaign_id for j in jobs if j.message_id in applied}

    def _pass_barriers(self) -> None:
        held: list[_Barrier] = []
        for barrier in self._barriers:
            if barrier.channel_id is not None and any(
                p.channel_id == barrier.channel_id and p.seq < barrier.seq for p in self._pending_reports
            ):
                held.append(barrier)
                continue
            try:
                barrier.done()
            except Exception:
                log.exception("dispatcher: a step after recording failed")
        self._barriers = held

    def _bill(self, results: list[_Result]) -> None:
        """Gateway money follows the recorded results: accepted ones charged, refused ones released."""
        gateway = {w.channel_id for w in self.workers if w.kind == "gateway"}
        per_channel: dict[int, tuple[list[tuple[int, int | None]], list[int]]] = {}
        for r in results:
            if r.channel_id not in gateway:
                continue
            charged, released = per_channel.setdefault(r.channel_id, ([], []))
            if r.outcome.verdict is Verdict.SENT:
                charged.append((r.job.message_id, r.outcome.cost_fen))
            elif r.outcome.verdict is Verdict.FAILED or (
                r.outcome.verdict is Verdict.RETRY and r.job.attempts + 1 >= self.rules.max_attempts
            ):
                released.append(r.job.message_id)
        assert self.billing is not None
        for channel_id, (charged, released) in per_channel.items():
            try:
                self.billing.settle(channel_id, charged, released)
            except Exception:  # the record stands; the next reconciliation with the vendor settles the books
                log.exception("gateway %d: the ledger could not record this batch", channel_id)

    def _record_results(self, s: Session, results: list[_Result], now: datetime) -> set[int]:
        moves: list[Move] = []
        parts: list[dict] = []
        for r in results:
            o, job = r.outcome, r.job
            attempts = job.attempts + 1
            base = {"channel_id": r.channel_id, "claimed_by": ""}
            if o.verdict is Verdict.SENT:
                moves.append(Move(job.message_id, MessageStatus.SENT, "", changes={**base, "error": ""}))
            elif o.verdict is Verdict.FAILED:
                moves.append(Move(job.message_id, MessageStatus.FAILED, o.reason, o.detail, base))
            elif o.verdict is Verdict.UNKNOWN:
                moves.append(Move(job.message_id, MessageStatus.UNKNOWN, o.reason, o.detail, base))
            elif o.verdict is Verdict.REQUEUE:
                # Not an attempt; due again at once, or after the wait the channel asked for (a 429).
                due = now + timedelta(seconds=o.retry_after or 0.0)
                moves.append(
                    Move(
                        job.message_id,
                        MessageStatus.QUEUED,
                        o.reason,
                        o.detail,
                        {**base, "attempts": job.attempts, "due_at": due, "error": o.detail},
                    )
                )
            elif attempts >= self.rules.max_attempts:
                moves.append(Move(job.message_id, MessageStatus.FAILED, "send.retries_spent", o.detail, base))
            else:
                wait = max(self.rules.backoff(attempts, self._rng), o.retry_after or 0.0)
                due = now + timedelta(seconds=wait)
                moves.append(
                    Move(
                        job.message_id,
                        MessageStatus.QUEUED,
                        o.reason,
                        o.detail,
                        {**base, "due_at": due, "error": o.detail},
                    )
                )
            for n, ref in enumerate(o.refs, start=1):
                parts.append((job.message_id, n, r.channel_id, ref, "", None))
        applied = record.move(s, moves, expect=[MessageStatus.SENDING], now=now)
        done = {m.message_id for m in applied}
        parts = [p for p in parts if p[0] in done]
        if parts:
            # Plain tuples to the driver: a gateway batch has thousands (see record.move).
            conn = s.connection()
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            conn.exec_driver_sql(f"INSERT INTO message_parts ({_PART_COLUMNS}) VALUES ({', '.join([mark] * 6)})", parts)
        return {r.job.campaign_id for r in results}

    def _record_reports(self, s: Session, reports: list[_Report], now: datetime, final: bool) -> set[int]:
        """Match final status reports to the parts they are about (channel, TP-MR, recipient: TP-MR wraps at
        256, so the newest unreported part wins) and settle messages whose parts are all reported."""
        finals = [r for r in reports if r.report.final]  # a temporary one: the SC is still trying
        if not finals:
            return set()
        candidates: dict[tuple[int, str], list[tuple[int, int, str, int]]] = {}
        for mid, part, cid, ref, phone, campaign in s.execute(
            select(
                MessagePart.message_id,
                MessagePart.part,
                MessagePart.channel_id,
                MessagePart.ref,
                Message.phone,
                Message.campaign_id,
            )
            .join(Message, Message.id == MessagePart.message_id)
            .where(
                MessagePart.status == "",
                MessagePart.channel_id.in_({r.channel_id for r in finals}),
                MessagePart.ref.in_({str(r.report.tp_mr) for r in finals}),
            )
            .order_by(Message.sent_at.desc())
        ):
            candidates.setdefault((cid, ref), []).append((mid, part, phone, campaign))
        updates: list[dict] = []
        campaigns: set[int] = set()
        last: dict[int, DeliveryReport] = {}
        clock = now.timestamp()
        for item in finals:
            rep = item.report
            digits = "".join(ch for ch in rep.recipient if ch.isdigit())[-11:]
            pool = candidates.get((item.channel_id, str(rep.tp_mr)), [])
            match = next((c for c in pool if c[2].endswith(digits)), None)
            if match is None:
                first = item.first_seen or clock
                if not final and clock - first < REPORT_MATCH_SECONDS:
                    self._pending_reports.append(_Report(item.channel_id, rep, first, item.seq))
                else:
                    log.info("status report for %s (TP-MR %d) matches no message sent", rep.recipient, rep.tp_mr)
                continue
            pool.remove(match)
            mid, part, _phone, campaign = match
            updates.append(
                {"mid": mid, "pno": part, "st": "delivered" if rep.delivered else "undelivered", "at": rep.timestamp}
            )
            last[mid] = rep
            campaigns.add(campaign)
        if not updates:
            return set()
        s.connection().execute(_PART_REPORTED, updates)
        parts: dict[int, list[str]] = {}
        for mid, status in s.execute(_PART_STATUSES, {"ids": list(last)}):
            parts.setdefault(mid, []).append(status)
        moves = []
        for mid, statuses in parts.items():
            if "" in statuses and "undelivered" not in statuses:
                continue  # more parts to come
            rep = last[mid]
            if all(x == "delivered" for x in statuses):
                moves.append(Move(mid, MessageStatus.DELIVERED))
            else:
                moves.append(
                    Move(
                        mid,
                        MessageStatus.UNDELIVERED,
                        "send.undelivered",
                        f"TP-ST {rep.status} ({rep.status_class.name})",
                    )
                )
        record.move(s, moves, expect=[MessageStatus.SENT], now=now)
        return campaigns

    def _record_gateway_reports(self, s: Session, reports: list[_Report], now: datetime, final: bool) -> set[int]:
        """A gateway report names our client id (the message id) or its own id (the part's ref)."""
        by_ref: dict[tuple[int, str], int] = {}
        refs = {(r.channel_id, r.report.gateway_id) for r in reports if r.report.gateway_id}
        if refs:
            for mid, cid, ref in s.execute(
                select(MessagePart.message_id, MessagePart.channel_id, MessagePart.ref).where(
                    MessagePart.channel_id.in_({c for c, _ in refs}), MessagePart.ref.in_({r for _, r in refs})
                )
            ):
                by_ref[(cid, ref)] = mid
        moves: list[Move] = []
        clock = now.timestamp()
        for item in reports:
            rep = item.report
            assert isinstance(rep, GatewayReport)
            mid = int(rep.client_id) if rep.client_id and rep.client_id.isdigit() else None
            if mid is None and rep.gateway_id:
                mid = by_ref.get((item.channel_id, rep.gateway_id))
            if mid is None:
                first = item.first_seen or clock
                if not final and clock - first < REPORT_MATCH_SECONDS:
                    self._pending_reports.append(_Report(item.channel_id, rep, first, item.seq))
                continue
            if rep.delivered:
                moves.append(Move(mid, MessageStatus.DELIVERED))
            else:
                moves.append(Move(mid, MessageStatus.UNDELIVERED, "send.undelivered", rep.status))
        applied = record.move(s, moves, expect=[MessageStatus.SENT], now=now)
        if len(applied) < len(moves):
            # A report that overtook the recording of its send (still SENDING) waits for it.
            waiting = {m.message_id for m in moves} - {m.message_id for m in applied}
            with_status = dict(s.execute(select(Message.id, Message.status).where(Message.id.in_(waiting))).all())
            for item in reports:
                rep = item.report
                assert isinstance(rep, GatewayReport)
                if rep.client_id and rep.client_id.isdigit() and with_status.get(int(rep.client_id)) == "sending":
                    first = item.first_seen or clock
                    if not final and clock - first < REPORT_MATCH_SECONDS:
                        self._pending_reports.append(_Report(item.channel_id, rep, first, item.seq))
        if not applied:
            return set()
        return set(
            s.execute(select(Message.campaign_id).where(Message.id.in_([m.message_id for m in applied]))).scalars()
        )


_PART_COLUMNS = "message_id, part, channel_id, ref, status, reported_at"
_PART_REPORTED = (
    update(MessagePart)
    .where(MessagePart.message_id == bindparam("mid"), MessagePart.part == bindparam("pno"))
    .values(status=bindparam("st"), reported_at=bindparam("at"))
    .execution_options(synchronize_session=False)
)
_PART_STATUSES = select(MessagePart.message_id, MessagePart.status).where(
    MessagePart.message_id.in_(bindparam("ids", expanding=True))
)


def sent_times(db: Database, channel_id: int, since: datetime) -> list[float]:
    """When a channel sent, from the record: what a worker's caps count after a restart."""
    with db.reader() as s:
        return [
            t.timestamp()
            for (t,) in s.execute(
                select(Message.sent_at).where(and_(Message.channel_id == channel_id, Message.sent_at >= since))
            )
        ]
