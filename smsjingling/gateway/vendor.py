"""The adapter for the vendor's own gateway API (docs/gateway-api.md): signed JSON over HTTPS.

What each answer becomes (one `SubmitResult` per message):
- accepted -> SENT with the gateway id and the fee the gateway charged;
- rejected for good (bad number, empty or blocked text ...) -> FAILED; rejected for now (balance, daily
  maximum) -> RETRY, counted against the channel;
- the whole request refused for now: 429 -> REQUEUE (not an attempt; nothing was done) carrying the wait
  the gateway asked for (`Outcome.retry_after`), which the gateway worker and the dispatcher honour; 5xx and
  maintenance -> RETRY, with the wait when the gateway gave one; the adapter also holds its own next
  requests for that wait;
- the whole request refused for a reason of the channel's (key, clock, account, protocol) -> REQUEUE: the
  messages were not at fault and may go out another way;
- no answer after the request left (a timeout, a dropped connection) or an answer that cannot be read -> the
  gateway is asked about the messages by client id: what it accepted is SENT, what it never got is RETRY
  (a resend under the same client id cannot send twice: the gateway answers a known id with its first
  result), and when the query cannot answer either, UNKNOWN. Never a blind resend.

The account key comes from the OS keyring (keys.load_key) and stays inside a `Secret`: it signs requests
and appears in no log line, exception or repr.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import ssl
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from smsjingling import __version__, messages
from smsjingling.errors import UserError, ValidationError
from smsjingling.gateway import signing
from smsjingling.gateway.base import (
    Balance,
    GatewayLimits,
    GatewayReply,
    GatewayReport,
    OutboundSms,
    ReportMode,
    SubmitResult,
)
from smsjingling.gateway.keys import Secret, load_key
from smsjingling.gateway.vendor_codes import is_later, reason_key
from smsjingling.sending.outcome import Outcome, Verdict

log = logging.getLogger(__name__)

MAX_QUERY = 1000
PAGE = 1000
MAX_PAGES = 20  # per fetch: 20,000 reports; the rest wait for the next poll
# Rejections that say the account cannot send now (not that the message is bad): they count against the channel.
_ACCOUNT_CODES = frozenset({"INSUFFICIENT_BALANCE", "DAILY_LIMIT_REACHED"})

messages.register(
    {
        "gwapi.unreachable": ("无法连接短信网关，短信未发出", "The gateway could not be reached; nothing left"),
        "gwapi.not_received": (
            "网关没有收到这条短信，将以同一编号重发（不会重复发送）",
            "The gateway never got it; it is resent under the same id (which cannot send twice)",
        ),
        "gwapi.unknown": (
            "网关未答复且无法查询，不确定是否已发出",
            "The gateway did not answer and could not be asked; it may or may not have left",
        ),
        "gwapi.held": ("按网关的要求暂缓发送", "Held back: the gateway asked to wait"),
        "gwapi.bad_text": ("短信内容含有无法编码的字符", "The text holds characters that cannot be encoded"),
        "gwapi.insecure_url": (
            "网关地址必须以 https:// 开头（http:// 只用于本机的模拟网关）：{url}",
            "A gateway address must start with https:// (http:// only for a simulated gateway on this computer): {url}",
        ),
        "gwapi.request_failed": ("短信网关 {channel}：{detail}", "Gateway {channel}: {detail}"),
    }
)


class GatewayError(UserError):
    """A balance, report or reply request that got no usable answer (sends never raise: they have outcomes)."""


class _NotSent(Exception):
    """The request never left (no connection): nothing can have been done."""


class _NoAnswer(Exception):
    """The request may have arrived, and no answer came."""


class _Malformed(Exception):
    """An answer came that cannot be read: the request may have been done."""


@dataclass(eq=False)
class _Refused(Exception):
    """The gateway refused the whole request with an error code."""

    status: int
    code: str
    message: str
    later: bool
    retry_after: float | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"HTTP {self.status} {self.code}: {self.message}"


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_time(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def report_from_json(item: Any) -> GatewayReport:
    """One delivery report as the API writes it (pull and callback alike); ValueError when it is not one."""
    try:
        return GatewayReport(
            client_id=str(item["client_id"]) if item.get("client_id") else None,
            gateway_id=str(item["gateway_id"]) if item.get("gateway_id") else None,
            phone=str(item["phone"]),
            delivered=bool(item["delivered"]),
            status=str(item["status"]),
            at=parse_time(item["done_at"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a delivery report: {exc!r}") from None


def reply_from_json(item: Any) -> GatewayReply:
    try:
        return GatewayReply(
            sender=str(item["phone"]),
            text=str(item["text"]),
            received_at=parse_time(item["received_at"]),
            gateway_id=str(item.get("reply_id") or ""),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a reply: {exc!r}") from None


def _outcome_of(result: Any) -> Outcome | None:
    """A per-recipient result (send or query) as an outcome; None when it is not one the API defines."""
    if not isinstance(result, dict):
        return None
    status = result.get("status")
    if status == "accepted" and isinstance(result.get("gateway_id"), str) and result["gateway_id"]:
        # The fee in the outcome too (as SubmitResult.cost_fen): the worker then has nothing to copy.
        return Outcome(Verdict.SENT, (result["gateway_id"],), cost_fen=_fee(result))
    if status == "rejected" and isinstance(result.get("code"), str):
        code = result["code"]
        detail = f"{code}: {result.get('message', '')}".rstrip(": ")
        if is_later(code, result.get("retry")):
            return Outcome(Verdict.RETRY, (), reason_key(code), detail, channel_fault=code in _ACCOUNT_CODES)
        return Outcome(Verdict.FAILED, (), reason_key(code), detail)
    if status == "not_found":
        return Outcome(Verdict.RETRY, (), "gwapi.not_received", "not_found", channel_fault=True)
    return None


def _fee(result: Any) -> int | None:
    fee = result.get("fee_fen") if isinstance(result, dict) else None
    return fee if isinstance(fee, int) and not isinstance(fee, bool) else None


class VendorGateway:
    """One account of the vendor gateway. Thread-safe: several batches may be in flight at once."""

    def __init__(
        self,
        name: str,
        base_url: str,
        account: str,
        *,
        key: Secret | str | None = None,
        max_batch: int = 1000,
        requests_per_second: float = 0.0,
        concurrency: int = 4,
        reports: ReportMode = ReportMode.PULL,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
        ca_file: str | None = None,
        report_cursor: str | None = None,
        reply_cursor: str | None = None,
        max_rate_wait: float = 30.0,
    ) -> None:
        parts = urlsplit(base_url)
        host = parts.hostname or ""
        loopback = is_loopback_host(host)
        if not host or parts.scheme not in ("https", "http") or (parts.scheme == "http" and not loopback):
            raise ValidationError("gwapi.insecure_url", url=base_url)
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.account = account
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self._prefix = parts.path.rstrip("/")
        if isinstance(key, str):
            key = Secret(key)
        self._key = key if key is not None else load_key(name)
        self.limits = GatewayLimits(max(1, max_batch), requests_per_second, reports, max(1, concurrency))
        # Cursors of the pulled report and reply streams; whoever keeps them across restarts reads them here.
        self.report_cursor = report_cursor
        self.reply_cursor = reply_cursor
        self.max_rate_wait = max_rate_wait
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=ca_file) if ca_file else True
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            limits=httpx.Limits(
                max_connections=self.limits.concurrency + 2,
                max_keepalive_connections=self.limits.concurrency + 2,
                keepalive_expiry=30.0,
            ),
            verify=verify,
            trust_env=not loopback,  # an office proxy is for the real vendor, never for a simulator here
            follow_redirects=False,
            headers={"User-Agent": f"smsjingling/{__version__}"},
        )
        self._hold_until = 0.0
        self._lock = threading.Lock()
        self._fetch_lock = threading.Lock()
        self._closed = threading.Event()
        self._callback_nonces = signing.NonceCache()

    def __repr__(self) -> str:
        return f"VendorGateway(name={self.name!r}, url={self.base_url!r}, account={self.account!r})"

    # --- sending ---------------------------------------------------------------------------------------

    def send_batch(self, messages: Sequence[OutboundSms]) -> list[SubmitResult]:
        results: list[SubmitResult] = []
        sendable: list[OutboundSms] = []
        for m in messages:
            try:
                m.text.encode("utf-8")
                m.phone.encode("utf-8")
            except UnicodeEncodeError as exc:  # a lone surrogate: no gateway could take it
                results.append(SubmitResult(m.client_id, Outcome(Verdict.FAILED, (), "gwapi.bad_text", str(exc))))
            else:
                sendable.append(m)
        size = self.limits.max_batch
        for start in range(0, len(sendable), size):
            results.extend(self._send_chunk(sendable[start : start + size]))
        return results

    def _send_chunk(self, chunk: list[OutboundSms]) -> list[SubmitResult]:
        waiting = self._wait_for_hold()
        if waiting:
            detail = f"held back: the gateway asked to wait {waiting:.1f} s more"
            return self._all(chunk, Outcome(Verdict.REQUEUE, (), "gwapi.held", detail, retry_after=waiting))
        payload = {"messages": [{"client_id": m.client_id, "phone": m.phone, "text": m.text} for m in chunk]}
        started = time.monotonic()
        try:
            data = self._call("POST", "/v1/sms/batch", payload)
        except _NotSent as exc:
            return self._all(chunk, Outcome(Verdict.RETRY, (), "gwapi.unreachable", str(exc), channel_fault=True))
        except (_NoAnswer, _Malformed) as exc:
            log.info(
                "gateway %s: no readable answer to a batch of %d (%s); asking by client id", self.name, len(chunk), exc
            )
            return self._settle(chunk, str(exc))
        except _Refused as exc:
            smaller = exc.details.get("max_batch")
            if exc.code == "BATCH_TOO_LARGE" and isinstance(smaller, int) and 0 < smaller < len(chunk):
                # Nothing of a refused request was done, so sending it again in smaller parts is safe.
                log.info("gateway %s: the gateway takes %d a request, not %d", self.name, smaller, len(chunk))
                self.limits = replace(self.limits, max_batch=smaller)
                return self.send_batch(chunk)
            return self._all(chunk, self._refusal(exc))
        log.debug(
            "gateway %s: batch of %d answered in %.0f ms", self.name, len(chunk), 1000 * (time.monotonic() - started)
        )
        answers = data.get("results")
        if not isinstance(answers, list):
            return self._settle(chunk, "the answer has no results list")
        wanted = {m.client_id for m in chunk}
        out: list[SubmitResult] = []
        answered: set[str] = set()
        for result in answers:
            cid = result.get("client_id") if isinstance(result, dict) else None
            outcome = _outcome_of(result)
            if cid not in wanted or cid in answered or outcome is None:
                continue
            answered.add(cid)
            out.append(SubmitResult(cid, outcome, _fee(result) if outcome.verdict is Verdict.SENT else None))
        missing = [m for m in chunk if m.client_id not in answered]
        if missing:
            out.extend(self._settle(missing, "the answer left some messages out"))
        return out

    def _refusal(self, exc: _Refused) -> Outcome:
        detail = str(exc)
        if exc.status == 429:
            # Nothing of the request was done and the messages are not at fault: they wait the time asked
            # (the worker pauses as long), and the wait is not counted as an attempt.
            wait = exc.retry_after if exc.retry_after is not None else 1.0
            self._hold(wait)
            detail = f"{detail} (retry after {wait:.1f} s)"
            return Outcome(Verdict.REQUEUE, (), reason_key(exc.code), detail, retry_after=wait)
        if exc.later:
            if exc.retry_after:
                self._hold(exc.retry_after)
            return Outcome(
                Verdict.RETRY, (), reason_key(exc.code), detail, channel_fault=True, retry_after=exc.retry_after
            )
        # The key, the clock, the account or the protocol: the channel cannot send, the messages are not at fault.
        return Outcome(Verdict.REQUEUE, (), reason_key(exc.code), detail, channel_fault=True)

    def _settle(self, chunk: list[OutboundSms], why: str) -> list[SubmitResult]:
        """After a request without a readable answer: ask the gateway what became of each message."""
        try:
            answers = self._query_ids([m.client_id for m in chunk])
        except (_NotSent, _NoAnswer, _Malformed, _Refused) as exc:
            log.info("gateway %s: cannot ask about %d messages: %s", self.name, len(chunk), exc)
            unknown = Outcome(Verdict.UNKNOWN, (), "gwapi.unknown", f"{why}; query: {exc}", channel_fault=True)
            return self._all(chunk, unknown)
        out: list[SubmitResult] = []
        for m in chunk:
            result = answers.get(m.client_id)
            outcome = _outcome_of(result)
            if outcome is None:
                outcome = Outcome(Verdict.UNKNOWN, (), "gwapi.unknown", f"{why}; the query did not say", True)
            elif outcome.verdict is Verdict.SENT:
                outcome = replace(outcome, detail="settled by query")
            out.append(SubmitResult(m.client_id, outcome, _fee(result) if outcome.verdict is Verdict.SENT else None))
        return out

    def query(self, client_ids: Sequence[str]) -> list[SubmitResult]:
        try:
            answers = self._query_ids(list(client_ids))
        except (_NotSent, _NoAnswer, _Malformed, _Refused) as exc:
            log.info("gateway %s: query failed: %s", self.name, exc)
            return []
        out: list[SubmitResult] = []
        for cid in client_ids:
            result = answers.get(cid)
            outcome = _outcome_of(result)
            if outcome is not None:
                out.append(SubmitResult(cid, outcome, _fee(result) if outcome.verdict is Verdict.SENT else None))
        return out

    def _query_ids(self, ids: list[str]) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for start in range(0, len(ids), MAX_QUERY):
            data = self._call("POST", "/v1/sms/query", {"client_ids": ids[start : start + MAX_QUERY]})
            results = data.get("results")
            if not isinstance(results, list):
                raise _Malformed("the query answer has no results list")
            for r in results:
                if isinstance(r, dict) and isinstance(r.get("client_id"), str):
                    answers[r["client_id"]] = r
        return answers

    @staticmethod
    def _all(chunk: Iterable[OutboundSms], outcome: Outcome) -> list[SubmitResult]:
        return [SubmitResult(m.client_id, outcome) for m in chunk]

    def _hold(self, seconds: float) -> None:
        with self._lock:
            self._hold_until = max(self._hold_until, time.monotonic() + seconds)

    def _wait_for_hold(self) -> float:
        """Wait out a 429's Retry-After before the next request; a wait longer than max_rate_wait is not
        waited but returned (the batch goes back as RETRY)."""
        with self._lock:
            remaining = self._hold_until - time.monotonic()
        if remaining <= 0:
            return 0.0
        if remaining > self.max_rate_wait:
            return remaining
        self._closed.wait(remaining)
        return 0.0

    # --- account, reports, replies ---------------------------------------------------------------------

    def account_info(self) -> dict[str, Any]:
        """The gateway's own description of the account: balance, price, limits, callback URL."""
        return self._ask("GET", "/v1/account")

    def balance(self) -> Balance:
        data = self.account_info()
        fen = data.get("balance_fen")
        if not isinstance(fen, int) or isinstance(fen, bool):
            raise GatewayError("gwapi.request_failed", channel=self.name, detail="the answer has no balance_fen")
        return Balance(fen, json.dumps(data, ensure_ascii=False, sort_keys=True))

    def refresh_limits(self) -> GatewayLimits:
        """Take the batch size and request rate the gateway declares for this account."""
        limits = self.account_info().get("limits") or {}
        batch, rate = limits.get("max_batch"), limits.get("requests_per_second")
        self.limits = replace(
            self.limits,
            max_batch=batch if isinstance(batch, int) and batch > 0 else self.limits.max_batch,
            requests_per_second=float(rate) if isinstance(rate, int | float) and rate >= 0 else 0.0,
        )
        return self.limits

    def fetch_reports(self) -> list[GatewayReport]:
        with self._fetch_lock:
            items, self.report_cursor = self._pull("/v1/reports", "reports", self.report_cursor, report_from_json)
        return items

    def fetch_replies(self) -> list[GatewayReply]:
        with self._fetch_lock:
            items, self.reply_cursor = self._pull("/v1/replies", "replies", self.reply_cursor, reply_from_json)
        return items

    def _pull(self, path: str, field_name: str, cursor: str | None, parse: Any) -> tuple[list[Any], str | None]:
        """Pages from `cursor` on; the cursor moves past a page only once the page was read whole."""
        out: list[Any] = []
        for _ in range(MAX_PAGES):
            query = {"limit": str(PAGE)}
            if cursor:
                query["cursor"] = cursor
            data = self._ask("GET", path, query=query)
            items, nxt = data.get(field_name), data.get("next_cursor")
            if not isinstance(items, list) or not isinstance(nxt, str):
                raise GatewayError("gwapi.request_failed", channel=self.name, detail=f"{path}: not a page")
            try:
                out.extend(parse(item) for item in items)
            except ValueError as exc:
                raise GatewayError("gwapi.request_failed", channel=self.name, detail=f"{path}: {exc}") from None
            cursor = nxt
            if not data.get("more"):
                break
        return out, cursor

    def read_callback(self, method: str, target: str, headers: Any, body: bytes) -> list[GatewayReport]:
        """The reports of a callback the gateway made to our listener, checked against this account's key
        (signature, freshness, a nonce never seen before); raises vendor_callback.CallbackRejected."""
        from smsjingling.gateway.vendor_callback import read_callback  # it reads reports with this module

        return read_callback(
            self._key,
            method=method,
            target=target,
            headers=headers,
            body=body,
            nonces=self._callback_nonces,
            account=self.account,
        )

    def set_callback(self, url: str | None) -> None:
        """Have reports pushed to `url` (https; http only on loopback), or stop the pushes with None."""
        if url is None:
            self._ask("DELETE", "/v1/callback")
        else:
            self._ask("PUT", "/v1/callback", {"url": url})

    def _ask(self, method: str, path: str, payload: Any = None, *, query: dict[str, str] | None = None) -> dict:
        try:
            return self._call(method, path, payload, query=query)
        except (_NotSent, _NoAnswer, _Malformed, _Refused) as exc:
            if isinstance(exc, _Refused) and exc.status == 429 and exc.retry_after:
                self._hold(exc.retry_after)
            raise GatewayError("gwapi.request_failed", channel=self.name, detail=str(exc)) from None

    # --- HTTP ------------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, payload: Any = None, *, query: dict[str, str] | None = None) -> dict:
        target = self._prefix + path + ("?" + urlencode(query) if query else "")
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = signing.signed_headers(self.account, self._key, method, target, body)
        if body:
            headers["Content-Type"] = "application/json; charset=utf-8"
        try:
            response = self._client.request(method, self._origin + target, content=body or None, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError) as exc:
            raise _NotSent(f"{type(exc).__name__}: {exc}") from None
        except httpx.TransportError as exc:  # read/write timeout, dropped connection: it may have arrived
            raise _NoAnswer(f"{type(exc).__name__}: {exc}") from None
        try:
            data = json.loads(response.content)
        except ValueError:
            data = None
        if response.is_success:
            if not isinstance(data, dict):
                raise _Malformed(f"HTTP {response.status_code} with a body that is not a JSON object")
            return data
        raise self._refused(response, data)

    @staticmethod
    def _refused(response: httpx.Response, data: Any) -> _Refused:
        status = response.status_code
        error = data.get("error") if isinstance(data, dict) else None
        retry_after: float | None = None
        header = response.headers.get("Retry-After", "")
        if header.isdigit():
            retry_after = float(header)
        if not isinstance(error, dict) or not isinstance(error.get("code"), str):
            # Not the gateway's own answer (a proxy's page, say): a server-side status is worth a retry.
            return _Refused(
                status, f"HTTP_{status}", response.reason_phrase, status >= 500 or status == 429, retry_after
            )
        code = error["code"]
        ms = error.get("retry_after_ms")
        if isinstance(ms, int | float) and not isinstance(ms, bool) and ms >= 0:
            retry_after = ms / 1000
        details = {k: v for k, v in error.items() if k not in ("code", "message", "retry", "retry_after_ms")}
        later = is_later(code, error.get("retry") if isinstance(error.get("retry"), str) else None)
        return _Refused(status, code, str(error.get("message", "")), later, retry_after, details)

    def close(self) -> None:
        self._closed.set()
        self._client.close()
