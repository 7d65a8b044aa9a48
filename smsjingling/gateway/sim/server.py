"""The simulated vendor gateway: a real HTTP server on loopback speaking docs/gateway-api.md.

It serves plain HTTP (the vendor's real endpoint is HTTPS; the adapter accepts http:// only for loopback
addresses), or HTTPS when given a server SSL context. One thread per connection, so the adapter's pooled
keep-alive connections are served side by side; latency is slept per request, outside every lock.

    with GatewaySim(report_delay=0.1) as sim:
        sim.add_account("demo", "key-of-demo", balance_fen=10_000, price_fen=5)
        ... point a VendorGateway at sim.url ...
        sim.books["demo"].charged_fen
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import math
import random
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from smsjingling.gateway import signing
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.sim.faults import Fault, FaultPlan
from smsjingling.gateway.sim.push import CallbackPusher
from smsjingling.gateway.sim.state import Books, SimAccount, SimState
from smsjingling.gateway.sim.store import SimStore
from smsjingling.gateway.vendor_codes import CODES

log = logging.getLogger(__name__)

MAX_BODY = 8 * 1024 * 1024
MAX_QUERY = 1000
MAX_PAGE = 1000
DEFAULT_PAGE = 500

_Route = Callable[["GatewaySim", SimAccount, dict[str, list[str]], Any], tuple[int, dict[str, Any]]]


class _ApiError(Exception):
    def __init__(self, code: str, message: str = "", *, details: dict[str, Any] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message or CODES[code].zh
        self.details = details or {}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class GatewaySim:
    """The simulated gateway; see the module docstring. Start it, add accounts, point a client at `url`."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        jitter: float = 0.0,
        report_delay: float = 3.0,
        tls: ssl.SSLContext | None = None,
        clock: Callable[[], float] = time.time,
        seed: int | None = None,
        callback_retry_seconds: float = 2.0,
        hold_limit: float = 120.0,
        store: SimStore | None = None,
    ) -> None:
        """`store`: the books on disk (sim.store), read back now and written through from now on; the
        simulator closes it when it stops."""
        if not _is_loopback(host):
            raise ValueError("the simulated gateway listens on loopback addresses only")
        self.host = host
        self.port = port
        self.latency = latency
        self.jitter = jitter
        self.tls = tls
        self.hold_limit = hold_limit  # the longest a "timeout" fault keeps a client waiting
        self.state = SimState(clock=clock, report_delay=report_delay)
        if store is not None:
            store.load(self.state)
            self.state.store = store
        self.faults = FaultPlan(seed)
        self.nonces = signing.NonceCache()
        self.maintenance_retry_after: int | None = None
        self._random = random.Random(seed)
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        self.pusher = CallbackPusher(self.state, self._stop, retry_seconds=callback_retry_seconds)

    # --- lifecycle -------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the simulated gateway is not started")
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{self.host}:{self._server.server_address[1]}"

    def start(self) -> GatewaySim:
        server = _Server((self.host, self.port), _Handler)
        server.sim = self
        if self.tls is not None:
            server.socket = self.tls.wrap_socket(server.socket, server_side=True)
        self._server = server
        self.port = server.server_address[1]
        for target, name in (
            (lambda: server.serve_forever(poll_interval=0.05), "http"),
            (self._tick, "reports"),
            (self.pusher.run, "callbacks"),
        ):
            t = threading.Thread(target=target, name=f"gateway-sim-{name}", daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        if self._server is None:
            self._close_store()
            return
        self._stop.set()
        self.pusher.wake.set()
        with self.state.changed:
            self.state.changed.notify_all()
        self._server.shutdown()
        with self._conn_lock:
            for conn in list(self._connections):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        for t in self._threads:
            t.join(10)
        self._threads.clear()
        self._server = None
        self._close_store()

    def _close_store(self) -> None:
        if self.state.store is not None:
            with self.state.lock:
                self.state.store.close()
                self.state.store = None

    def __enter__(self) -> GatewaySim:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _tick(self) -> None:
        """Delivery reports fall due `report_delay` after acceptance; the pusher is woken for callbacks."""
        while not self._stop.is_set():
            nxt = self.state.release_due()
            self.pusher.wake.set()
            with self.state.changed:
                if self._stop.is_set():
                    return
                wait = 0.5 if nxt is None else max(0.0, min(0.5, nxt - self.state.clock()))
                if wait > 0:
                    self.state.changed.wait(wait)

    # --- accounts --------------------------------------------------------------------------------------

    def add_account(
        self,
        account_id: str,
        key: str,
        *,
        balance_fen: int = 10_000,
        price_fen: int = 5,
        max_batch: int = 1000,
        requests_per_second: float = 0.0,
        daily_max: int = 0,
        max_segments: int = 10,
        undeliverable: Iterable[str] | Mapping[str, str] = (),
        blocked_words: Iterable[str] = (),
    ) -> None:
        self.state.add_account(
            SimAccount(
                account_id,
                Secret(key),
                balance_fen,
                price_fen=price_fen,
                max_batch=max_batch,
                requests_per_second=requests_per_second,
                daily_max=daily_max,
                max_segments=max_segments,
                blocked_words=tuple(blocked_words),
            )
        )
        self.state.set_undeliverable(account_id, undeliverable)

    def top_up(self, account_id: str, fen: int) -> None:
        self.state.top_up(account_id, fen)

    def set_balance(self, account_id: str, fen: int) -> None:
        """Zero balance is `set_balance(account, 0)`."""
        self.state.set_balance(account_id, fen)

    def set_limits(
        self,
        account_id: str,
        *,
        max_batch: int | None = None,
        requests_per_second: float | None = None,
        daily_max: int | None = None,
    ) -> None:
        with self.state.lock:
            acct = self.state.account(account_id)
            if max_batch is not None:
                acct.max_batch = max_batch
            if requests_per_second is not None:
                acct.requests_per_second = requests_per_second
                acct.tokens = max(1.0, requests_per_second)
                acct.tokens_at = self.state.clock()
            if daily_max is not None:
                acct.daily_max = daily_max
            self.state.saved(acct)

    def set_undeliverable(self, account_id: str, phones: Iterable[str] | Mapping[str, str]) -> None:
        """Numbers whose reports say undelivered (UNDELIV, or the status given per number)."""
        self.state.set_undeliverable(account_id, phones)

    def disable_account(self, account_id: str, disabled: bool = True) -> None:
        with self.state.lock:
            acct = self.state.account(account_id)
            acct.disabled = disabled
            self.state.saved(acct)

    @property
    def books(self) -> dict[str, Books]:
        """Every account's books, as they stand now."""
        return {a: self.state.books(a) for a in list(self.state.accounts)}

    def books_of(self, account_id: str) -> Books:
        return self.state.books(account_id)

    def inject_reply(self, phone: str, text: str, *, account: str | None = None, at: datetime | None = None) -> str:
        """A reply (MO message) from `phone`; with one account, `account` may be left out. Returns its id."""
        if account is None:
            if len(self.state.accounts) != 1:
                raise ValueError("name the account the reply is for")
            account = next(iter(self.state.accounts))
        return self.state.inject_reply(self.state.account(account), phone, text, at)

    def deliver_reports_now(self) -> None:
        """Every pending delivery report falls due at once."""
        self.state.release_due(everything=True)
        self.pusher.wake.set()

    # --- faults ----------------------------------------------------------------------------------------

    def fail_next(self, fault: Fault, count: int = 1, *, path: str | None = "/v1/sms/batch") -> None:
        """The next `count` requests to `path` (None: to any path) meet `fault`."""
        self.faults.fail_next(fault, count, path)

    def set_fault_rates(
        self,
        *,
        error: float = 0.0,
        timeout: float = 0.0,
        malformed: float = 0.0,
        lost: float = 0.0,
        path: str | None = None,
        seed: int | None = None,
    ) -> None:
        """A share of requests (to `path`, or all) meets each fault: 5xx, processed-then-silent, cut-off body,
        never-arrived."""
        self.faults.set_rates(
            {Fault.ERROR: error, Fault.TIMEOUT: timeout, Fault.MALFORMED: malformed, Fault.LOST: lost}, path, seed
        )

    def set_maintenance(self, on: bool, retry_after: int = 60) -> None:
        """Every request answers 503 MAINTENANCE while on (the vendor's 23:00-06:00 pauses)."""
        self.maintenance_retry_after = retry_after if on else None

    def clear_faults(self) -> None:
        self.faults.clear()
        self.maintenance_retry_after = None

    # --- used by the handler ---------------------------------------------------------------------------

    def _sleep_latency(self) -> None:
        delay = self.latency + (self._random.uniform(0, self.jitter) if self.jitter else 0.0)
        if delay > 0:
            self._stop.wait(delay)

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._conn_lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    sim: GatewaySim


def _query_int(query: dict[str, list[str]], name: str, default: int, top: int) -> int:
    values = query.get(name)
    if not values:
        return default
    try:
        value = int(values[0])
    except ValueError:
        raise _ApiError("MALFORMED_REQUEST", f"{name} must be an integer") from None
    if value < 1 or value > top:
        raise _ApiError("MALFORMED_REQUEST", f"{name} must be 1..{top}")
    return value


def _cursor(query: dict[str, list[str]]) -> int:
    values = query.get("cursor")
    if not values or values[0] == "":
        return 0
    try:
        value = int(values[0])
    except ValueError:
        raise _ApiError("MALFORMED_REQUEST", "cursor is not one this gateway gave") from None
    if value < 0:
        raise _ApiError("MALFORMED_REQUEST", "cursor is not one this gateway gave")
    return value


# --- endpoints -------------------------------------------------------------------------------------------


def _send_batch(sim: GatewaySim, acct: SimAccount, query: dict[str, list[str]], body: Any) -> tuple[int, dict]:
    items = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise _ApiError("MALFORMED_REQUEST", "messages must be a non-empty list")
    if len(items) > acct.max_batch:
        raise _ApiError(
            "BATCH_TOO_LARGE", f"at most {acct.max_batch} messages a request", details={"max_batch": acct.max_batch}
        )
    clean: list[dict[str, str]] = []
    for n, m in enumerate(items):
        if not isinstance(m, dict) or not all(isinstance(m.get(k), str) for k in ("client_id", "phone", "text")):
            raise _ApiError("MALFORMED_REQUEST", f"messages[{n}] needs client_id, phone and text as strings")
        clean.append({"client_id": m["client_id"], "phone": m["phone"], "text": m["text"]})
    results, balance = sim.state.submit(acct, clean)
    return 200, {"results": results, "balance_fen": balance}


def _query(sim: GatewaySim, acct: SimAccount, query: dict[str, list[str]], body: Any) -> tuple[int, dict]:
    ids = body.get("client_ids") if isinstance(body, dict) else None
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise _ApiError("MALFORMED_REQUEST", "client_ids must be a non-empty list of strings")
    if len(ids) > MAX_QUERY:
        raise _ApiError("BATCH_TOO_LARGE", f"at most {MAX_QUERY} ids a query", details={"max_batch": MAX_QUERY})
    return 200, {"results": sim.state.query(acct, ids)}


def _account(sim: GatewaySim, acct: SimAccount, query: dict[str, list[str]], body: Any) -> tuple[int, dict]:
    with sim.state.lock:
        return 200, {
            "account": acct.account_id,
            "balance_fen": acct.balance_fen,
            "currency": "CNY",
            "price_fen_per_segment": acct.price_fen,
            "limits": {
                "max_batch": acct.max_batch,
                "max_query": MAX_QUERY,
                "requests_per_second": acct.requests_per_second,
                "max_segments": acct.max_segments,
                "daily_max": acct.daily_max,
            },
            "callback_url": acct.callback_url,
            "simulated": True,
        }


def _reports(sim: GatewaySim, acct: SimAccount, query: dict[str, list[str]], body: Any) -> tuple[int, dict]:
    items, nxt, more = sim.state.page(acct.reports, _cursor(query), _query_int(query, "limit", DEFAULT_PAGE, MAX_PAGE))
    return 200, {"reports": [r.to_json() for r in items], "next_cursor": str(nxt), "more": more}


def _replies(sim: GatewaySim, acct: SimAccount, query: dict[str, list[str]], body: Any) -> tuple[int, dict]:
    items, nxt, more = sim.state.page(acct.replies, _cursor(query), _query_int(query, "limit", DEFAULT_PAGE, MAX_PAGE))
    return 200, {"replies": [r.to_json() for r in items], "next_cursor": str(nxt), "more": more}


def _callback_get(sim: GatewaySim, acct: SimAccount, query: dict[str, list[str]], body: Any) -> tuple[int, dict]:
    return 200, {"url": acct.callback_url}


def _callback_put(sim: GatewaySim, acct: SimAccount, query: dict[str, list[str]], body: Any) -> tuple[int, dict]:
    url = body.get("url") if isinstance(body, dict) else None
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise _ApiError("MALFORMED_REQUEST", "url must be an http(s) URL")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise _ApiError("MALFORMED_REQUEST", "callbacks go to https URLs (plain http only on loopback)")
    with sim.state.lock:
        acct.callback_url = url
    return 200, {"url": url}


def _callback_delete(sim: GatewaySim, acct: SimAccount, query: dict[str, list[str]], body: Any) -> tuple[int, dict]:
    with sim.state.lock:
        acct.callback_url = None
        acct.push_queue.clear()
    return 200, {"url": None}


ROUTES: dict[str, dict[str, _Route]] = {
    "/v1/sms/batch": {"POST": _send_batch},
    "/v1/sms/query": {"POST": _query},
    "/v1/account": {"GET": _account},
    "/v1/reports": {"GET": _reports},
    "/v1/replies": {"GET": _replies},
    "/v1/callback": {"GET": _callback_get, "PUT": _callback_put, "DELETE": _callback_delete},
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the adapter's pooled connections are reused
    disable_nagle_algorithm = True  # headers and body leave as two writes: no 40 ms wait for a delayed ACK
    server_version = "SmsJinglingGatewaySim/1"
    timeout = 120  # an idle keep-alive connection is closed after this
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.sim._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.sim._track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("simulated gateway: " + format, *args)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        sim = self.server.sim
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._error("REQUEST_TOO_LARGE" if length > 0 else "MALFORMED_REQUEST")
            return
        body = self.rfile.read(length) if length else b""
        target = self.path
        parts = urlsplit(target)
        sim._sleep_latency()
        fault = sim.faults.take(parts.path)
        if fault is Fault.ERROR:
            return self._error("INTERNAL_ERROR", "simulated fault")
        if fault is Fault.UNAVAILABLE:
            return self._error("SERVICE_UNAVAILABLE", "simulated fault", retry_after=1.0)
        if fault is Fault.BAD_SIGNATURE:
            return self._error("BAD_SIGNATURE", "simulated fault")
        if fault is Fault.LOST:
            return self._hold()
        if sim.maintenance_retry_after is not None:
            return self._error("MAINTENANCE", retry_after=float(sim.maintenance_retry_after))
        route = ROUTES.get(parts.path)
        if route is None:
            return self._error("NOT_FOUND")
        handler = route.get(method)
        if handler is None:
            return self._error("METHOD_NOT_ALLOWED")
        try:
            acct = self._authenticate(method, target, body)
            wait = sim.state.take_token(acct)
            if wait > 0:
                return self._error("RATE_LIMITED", retry_after=wait)
            payload: Any = None
            if method in ("POST", "PUT"):
                try:
                    payload = json.loads(body.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    raise _ApiError("MALFORMED_REQUEST", "the body is not UTF-8 JSON") from None
            status, answer = handler(sim, acct, parse_qs(parts.query, keep_blank_values=True), payload)
        except _ApiError as exc:
            return self._error(exc.code, exc.message, details=exc.details)
        if fault is Fault.TIMEOUT:
            return self._hold()
        if fault is Fault.DISCONNECT:
            self.close_connection = True
            return None
        if fault is Fault.MALFORMED:
            whole = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            return self._send(200, whole[: max(1, len(whole) // 2)])
        return self._json(status, answer)

    def _authenticate(self, method: str, target: str, body: bytes) -> SimAccount:
        sim = self.server.sim
        account_id = signing.header(self.headers, signing.HEADER_ACCOUNT)
        acct = sim.state.accounts.get(account_id)
        if acct is None:
            raise _ApiError("UNKNOWN_ACCOUNT")
        try:
            signing.verify(acct.key, method, target, self.headers, body, nonces=sim.nonces, now=sim.state.clock())
        except signing.SignatureError as exc:
            raise _ApiError(exc.code, exc.detail) from None
        if acct.disabled:
            raise _ApiError("ACCOUNT_DISABLED")
        return acct

    def _hold(self) -> None:
        """No answer until the client gives up (closes the connection), the simulator stops, or the hold limit."""
        sim = self.server.sim
        sock = self.connection
        deadline = time.monotonic() + sim.hold_limit
        while not sim._stop.is_set() and time.monotonic() < deadline:
            readable, _, _ = select.select([sock], [], [], 0.05)
            if readable:  # EOF: the client closed it (anything else it sends is not waited for either)
                break
        self.close_connection = True

    def _error(
        self,
        code: str,
        message: str = "",
        *,
        retry_after: float | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        c = CODES[code]
        error: dict[str, Any] = {"code": code, "message": message or c.zh, "retry": c.retry}
        headers: dict[str, str] = {}
        if retry_after is not None:
            error["retry_after_ms"] = math.ceil(retry_after * 1000)
            headers["Retry-After"] = str(max(1, math.ceil(retry_after)))
        if details:
            error.update(details)
        self._json(c.http, {"error": error}, headers)

    def _json(self, status: int, answer: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(answer, ensure_ascii=False).encode("utf-8"), headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
