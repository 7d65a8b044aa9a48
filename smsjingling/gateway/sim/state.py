"""The simulated gateway's accounts and books, apart from HTTP: what a send request does to an account
(checks, idempotency by client id, prices, the prepaid balance), the delivery reports it later produces,
the replies, and the rate limit. Thread-safe: every change happens under one lock, briefly."""

from __future__ import annotations

import heapq
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from modem.codec import count_segments
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.vendor_codes import CODES

if TYPE_CHECKING:
    from smsjingling.gateway.sim.store import SimStore

CHINA = timezone(timedelta(hours=8))  # the daily maximum counts by the vendor's calendar day
PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")
CHINA_MOBILE = re.compile(r"^\+861[3-9][0-9]{9}$")  # +86 numbers must be mobiles: landlines take no SMS
CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
DELIVERED = "DELIVRD"
UNDELIVERED = "UNDELIV"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class SentRecord:
    """One message the gateway accepted and charged for."""

    client_id: str
    gateway_id: str
    phone: str
    text: str
    segments: int
    fee_fen: int
    accepted_at: datetime


@dataclass(frozen=True)
class Rejection:
    client_id: str
    phone: str
    code: str
    at: datetime


@dataclass(frozen=True)
class Report:
    seq: int
    client_id: str
    gateway_id: str
    phone: str
    status: str
    segments: int
    submitted_at: datetime
    done_at: datetime

    @property
    def delivered(self) -> bool:
        return self.status == DELIVERED

    def to_json(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "gateway_id": self.gateway_id,
            "phone": self.phone,
            "status": self.status,
            "delivered": self.delivered,
            "segments": self.segments,
            "submitted_at": iso(self.submitted_at),
            "done_at": iso(self.done_at),
        }


@dataclass(frozen=True)
class Reply:
    seq: int
    reply_id: str
    phone: str
    text: str
    received_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"reply_id": self.reply_id, "phone": self.phone, "text": self.text, "received_at": iso(self.received_at)}


@dataclass(frozen=True)
class Books:
    """The simulator's own record of one account, as a test reads it: the vendor's side of the ledger."""

    account: str
    balance_fen: int
    topped_up_fen: int  # the opening balance and every top-up
    charged_fen: int
    accepted: tuple[SentRecord, ...]
    rejected: tuple[Rejection, ...]  # each first answer; a repeat of a remembered rejection is not counted
    reports: tuple[Report, ...]
    replies: tuple[Reply, ...]
    send_requests: int  # batch requests that reached the account's checks
    callbacks_delivered: int  # reports the client's callback URL took

    @property
    def segments(self) -> int:
        return sum(r.segments for r in self.accepted)

    def by_client_id(self) -> dict[str, SentRecord]:
        return {r.client_id: r for r in self.accepted}


@dataclass(frozen=True)
class _Remembered:
    phone: str
    text: str
    result: dict[str, Any]


@dataclass(repr=False, eq=False)
class SimAccount:
    account_id: str
    key: Secret
    balance_fen: int
    price_fen: int = 5  # per segment
    max_batch: int = 1000
    requests_per_second: float = 0.0  # 0: no limit
    daily_max: int = 0  # messages a day (the plan's daily maximum); 0: none
    max_segments: int = 10
    undeliverable: dict[str, str] = field(default_factory=dict)  # phone -> the report status it gets
    blocked_words: tuple[str, ...] = ()
    disabled: bool = False
    callback_url: str | None = None
    topped_up_fen: int = 0
    charged_fen: int = 0
    accepted: list[SentRecord] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    report_of: dict[str, Report] = field(default_factory=dict)  # by client id
    replies: list[Reply] = field(default_factory=list)
    remembered: dict[str, _Remembered] = field(default_factory=dict)
    send_requests: int = 0
    callbacks_delivered: int = 0
    push_queue: deque[Report] = field(default_factory=deque)
    day: date | None = None
    day_count: int = 0
    tokens: float = 0.0
    tokens_at: float = 0.0

    def __repr__(self) -> str:
        return f"SimAccount({self.account_id!r}, balance_fen={self.balance_fen})"


def _rejected(client_id: str, code: str, duplicate: bool = False) -> dict[str, Any]:
    c = CODES[code]
    return {
        "client_id": client_id,
        "status": "rejected",
        "code": code,
        "message": c.zh,
        "retry": c.retry,
        "duplicate": duplicate,
    }


def _accepted_result(record: SentRecord) -> dict[str, Any]:
    return {
        "client_id": record.client_id,
        "status": "accepted",
        "gateway_id": record.gateway_id,
        "segments": record.segments,
        "fee_fen": record.fee_fen,
        "accepted_at": iso(record.accepted_at),
        "duplicate": False,
    }


class SimState:
    def __init__(self, *, clock: Callable[[], float], report_delay: float, store: SimStore | None = None) -> None:
        self.clock = clock
        self.report_delay = report_delay
        self.store = store  # written through under the lock, when the books are to outlive the process
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)  # the ticker waits on it for the next report to fall due
        self.accounts: dict[str, SimAccount] = {}
        self._next_gateway_id = 0
        self._next_reply_id = 0
        self._due: list[tuple[float, int, str, SentRecord]] = []  # (due time, gateway seq, account, record)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    # --- accounts --------------------------------------------------------------------------------------

    def add_account(self, account: SimAccount) -> None:
        with self.lock:
            if account.account_id in self.accounts:
                raise ValueError(f"account {account.account_id!r} exists")
            account.topped_up_fen = account.balance_fen
            account.tokens = max(1.0, account.requests_per_second)
            account.tokens_at = self.clock()
            self.accounts[account.account_id] = account
            self.saved(account)

    def saved(self, account: SimAccount) -> None:
        """An account's settings or figures changed (call under the lock): to the store, if there is one."""
        if self.store is not None:
            self.store.save_account(account)

    # --- reading the store back (before the server starts) --------------------------------------------

    def restore_account(self, account: SimAccount) -> None:
        account.tokens = max(1.0, account.requests_per_second)
        account.tokens_at = self.clock()
        self.accounts[account.account_id] = account

    def restore_accepted(self, account_id: str, record: SentRecord) -> None:
        acct = self.accounts[account_id]
        acct.accepted.append(record)
        acct.remembered[record.client_id] = _Remembered(record.phone, record.text, _accepted_result(record))
        self._next_gateway_id = max(self._next_gateway_id, int(record.gateway_id.lstrip("SJ") or 0))

    def restore_rejected(self, account_id: str, cid: str, phone: str, text: str, code: str, at: datetime) -> None:
        acct = self.accounts[account_id]
        acct.rejected.append(Rejection(cid, phone, code, at))
        acct.remembered[cid] = _Remembered(phone, text, _rejected(cid, code))

    def restore_report(self, account_id: str, report: Report) -> None:
        acct = self.accounts[account_id]
        acct.reports.append(report)
        acct.report_of[report.client_id] = report

    def restore_reply(self, account_id: str, reply: Reply) -> None:
        self.accounts[account_id].replies.append(reply)
        self._next_reply_id = max(self._next_reply_id, int(reply.reply_id.lstrip("MO") or 0))

    def restore_due(self, account_id: str, record: SentRecord) -> None:
        """An accepted message whose report had not fallen due: it does at its time (or at once, if past)."""
        seq = int(record.gateway_id.lstrip("SJ") or 0)
        due = record.accepted_at.timestamp() + self.report_delay
        heapq.heappush(self._due, (due, seq, account_id, record))

    def account(self, account_id: str) -> SimAccount:
        try:
            return self.accounts[account_id]
        except KeyError:
            raise KeyError(f"no simulated account {account_id!r}") from None

    def top_up(self, account_id: str, fen: int) -> None:
        with self.lock:
            acct = self.account(account_id)
            acct.balance_fen += fen
            acct.topped_up_fen += fen
            self.saved(acct)

    def set_balance(self, account_id: str, fen: int) -> None:
        """As if the vendor adjusted the account: the difference counts as a top-up (negative: a debit)."""
        with self.lock:
            acct = self.account(account_id)
            acct.topped_up_fen += fen - acct.balance_fen
            acct.balance_fen = fen
            self.saved(acct)

    def take_token(self, acct: SimAccount) -> float:
        """0 when the request may go on, else the seconds until the next one may (token bucket, burst = rate)."""
        if acct.requests_per_second <= 0:
            return 0.0
        with self.lock:
            now = self.clock()
            rate = acct.requests_per_second
            acct.tokens = min(max(1.0, rate), acct.tokens + (now - acct.tokens_at) * rate)
            acct.tokens_at = now
            if acct.tokens >= 1.0:
                acct.tokens -= 1.0
                return 0.0
            return (1.0 - acct.tokens) / rate

    # --- sending ---------------------------------------------------------------------------------------

    def submit(self, acct: SimAccount, items: list[dict[str, str]]) -> tuple[list[dict[str, Any]], int]:
        """One result per item, in order, and the balance after them. Items are already of the right shape."""
        segments = [count_segments(m["text"]).segments if m["text"] else 0 for m in items]
        blocked = acct.blocked_words
        results: list[dict[str, Any]] = []
        accepted_before = len(acct.accepted)
        lasting: list[tuple[str, str, str, str, datetime]] = []
        with self.lock:
            acct.send_requests += 1
            now = self.now()
            today = now.astimezone(CHINA).date()
            if acct.day != today:
                acct.day, acct.day_count = today, 0
            for m, n in zip(items, segments, strict=True):
                cid, phone, text = m["client_id"], m["phone"], m["text"]
                if not CLIENT_ID.match(cid):
                    results.append(self._reject(acct, cid, phone, "INVALID_CLIENT_ID", now))
                    continue
                prior = acct.remembered.get(cid)
                if prior is not None:
                    if prior.phone != phone or prior.text != text:
                        results.append(self._reject(acct, cid, phone, "CLIENT_ID_CONFLICT", now))
                    else:
                        results.append({**prior.result, "duplicate": True})
                    continue
                fee = n * acct.price_fen
                if not PHONE.match(phone) or (phone.startswith("+86") and not CHINA_MOBILE.match(phone)):
                    code = "INVALID_NUMBER"
                elif not text:
                    code = "EMPTY_TEXT"
                elif n > acct.max_segments:
                    code = "TEXT_TOO_LONG"
                elif blocked and any(w in text for w in blocked):
                    code = "CONTENT_BLOCKED"
                elif acct.daily_max and acct.day_count >= acct.daily_max:
                    code = "DAILY_LIMIT_REACHED"
                elif fee > acct.balance_fen:
                    code = "INSUFFICIENT_BALANCE"
                else:
                    results.append(self._accept(acct, cid, phone, text, n, fee, now))
                    continue
                result = self._reject(acct, cid, phone, code, now)
                if not CODES[code].later:  # a permanent answer is the id's answer from now on
                    acct.remembered[cid] = _Remembered(phone, text, result)
                    lasting.append((cid, phone, text, code, now))
                results.append(result)
            if self.store is not None:
                self.store.record_submit(acct, acct.accepted[accepted_before:], lasting)
            self.changed.notify_all()
            return results, acct.balance_fen

    def _reject(self, acct: SimAccount, cid: str, phone: str, code: str, now: datetime) -> dict[str, Any]:
        acct.rejected.append(Rejection(cid, phone, code, now))
        return _rejected(cid, code)

    def _accept(
        self, acct: SimAccount, cid: str, phone: str, text: str, segments: int, fee: int, now: datetime
    ) -> dict[str, Any]:
        self._next_gateway_id += 1
        gid = f"SJ{self._next_gateway_id:012d}"
        acct.balance_fen -= fee
        acct.charged_fen += fee
        acct.day_count += 1
        record = SentRecord(cid, gid, phone, text, segments, fee, now)
        acct.accepted.append(record)
        result = _accepted_result(record)
        acct.remembered[cid] = _Remembered(phone, text, result)
        heapq.heappush(self._due, (self.clock() + self.report_delay, self._next_gateway_id, acct.account_id, record))
        return result

    def query(self, acct: SimAccount, client_ids: list[str]) -> list[dict[str, Any]]:
        with self.lock:
            out: list[dict[str, Any]] = []
            for cid in client_ids:
                prior = acct.remembered.get(cid)
                if prior is None:
                    out.append({"client_id": cid, "status": "not_found"})
                    continue
                result = {k: v for k, v in prior.result.items() if k != "duplicate"}
                if result["status"] == "accepted":
                    report = acct.report_of.get(cid)
                    result["report"] = (
                        None
                        if report is None
                        else {"status": report.status, "delivered": report.delivered, "done_at": iso(report.done_at)}
                    )
                out.append(result)
            return out

    # --- delivery reports and replies ------------------------------------------------------------------

    def release_due(self, *, everything: bool = False) -> float | None:
        """Turn due acceptances into delivery reports; returns when the next one falls due (None: none)."""
        with self.lock:
            now = self.clock()
            made: list[tuple[str, Report]] = []
            while self._due and (everything or self._due[0][0] <= now):
                _, _, account_id, record = heapq.heappop(self._due)
                acct = self.accounts[account_id]
                status = acct.undeliverable.get(record.phone, DELIVERED)
                report = Report(
                    len(acct.reports) + 1,
                    record.client_id,
                    record.gateway_id,
                    record.phone,
                    status,
                    record.segments,
                    record.accepted_at,
                    self.now(),
                )
                acct.reports.append(report)
                acct.report_of[report.client_id] = report
                made.append((account_id, report))
                if acct.callback_url:
                    acct.push_queue.append(report)
            if made and self.store is not None:
                self.store.record_reports(made)
            return self._due[0][0] if self._due else None

    def page(self, log: list[Any], cursor: int, limit: int) -> tuple[list[Any], int, bool]:
        """Items after `cursor` (a sequence number; 0 = from the start), the new cursor and whether more wait."""
        with self.lock:
            items = log[cursor : cursor + limit]
            nxt = cursor + len(items)
            return items, nxt, nxt < len(log)

    def inject_reply(self, acct: SimAccount, phone: str, text: str, at: datetime | None) -> str:
        with self.lock:
            self._next_reply_id += 1
            reply_id = f"MO{self._next_reply_id:012d}"
            reply = Reply(len(acct.replies) + 1, reply_id, phone, text, at or self.now())
            acct.replies.append(reply)
            if self.store is not None:
                self.store.record_reply(acct.account_id, reply)
            return reply_id

    def set_undeliverable(self, account_id: str, phones: Iterable[str] | Mapping[str, str]) -> None:
        with self.lock:
            acct = self.account(account_id)
            if isinstance(phones, Mapping):
                acct.undeliverable = dict(phones)
            else:
                acct.undeliverable = dict.fromkeys(phones, UNDELIVERED)
            self.saved(acct)

    def books(self, account_id: str) -> Books:
        with self.lock:
            a = self.account(account_id)
            return Books(
                a.account_id,
                a.balance_fen,
                a.topped_up_fen,
                a.charged_fen,
                tuple(a.accepted),
                tuple(a.rejected),
                tuple(a.reports),
                tuple(a.replies),
                a.send_requests,
                a.callbacks_delivered,
            )
