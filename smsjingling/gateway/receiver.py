"""Our HTTP listener for what gateways push: delivery reports (Kannel's and Jasmin's dlr-url, the vendor API's
signed callback) and replies (a Kannel sms-service, a Jasmin MO connector).

    receiver = PushReceiver(host="127.0.0.1", port=0).start()
    urls = receiver.register(channel_id, token)          # PushUrls(reports=..., replies=...)
    receiver.route(channel_id, handler)                  # handler(kind, request) -> PushAnswer
    ...
    receiver.stop()

Each channel has its own paths, `/push/<channel id>/<token>/reports` and `.../replies`. The token (random,
kept in the channel's configuration) is what keeps another machine on the network from posting made-up
reports to a Kannel channel, whose calls carry no signature; the vendor API's callbacks are signed as well.
A request is answered only once its reports are recorded (the handler says so), so a sender that gets no
2xx answer sends again, and nothing it pushed is lost.

It listens on loopback unless the settings say otherwise: a Kannel or Jasmin on another machine of the
office network needs `gateway.push_bind` (e.g. 0.0.0.0), a fixed `gateway.push_port`, and
`gateway.push_url`, the address that machine reaches us at (http://192.168.1.5:8790). Standard library
only (http.server in threads): a few requests a second at most, no framework needed.
"""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from smsjingling.gateway.factory import PushUrls
from smsjingling.settings import Setting, declare

log = logging.getLogger(__name__)

MAX_BODY = 8 * 1024 * 1024
KINDS = ("reports", "replies")


def _port_check(value: int) -> str | None:
    return None if 0 <= value <= 65535 else "0-65535 (0: any free port / 0：任意空闲端口)"


def _url_check(value: str) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    return None if parts.scheme in ("http", "https") and parts.hostname else "http(s)://host:port"


PUSH_BIND = declare(
    Setting(
        "gateway.push_bind",
        str,
        "127.0.0.1",
        "接收网关推送（状态报告、回复）的本机地址",
        "Address to receive gateway pushes (reports, replies) on",
        lambda v: None if v.strip() else "an address / 地址",
    )
)
PUSH_PORT = declare(
    Setting(
        "gateway.push_port", int, 0, "接收网关推送的端口（0：任意）", "Port for gateway pushes (0: any)", _port_check
    )
)
PUSH_URL = declare(
    Setting(
        "gateway.push_url",
        str,
        "",
        "网关访问本机的地址（留空：按上面的地址和端口）",
        "Address gateways reach us at (empty: from the address and port above)",
        _url_check,
    )
)


@dataclass(frozen=True)
class PushRequest:
    method: str
    target: str  # path and query as received (what a signature covers)
    headers: Any  # email.message.Message: case-insensitive
    body: bytes
    params: dict[str, list[str]] = field(default_factory=dict)  # the query, and a form body, together


@dataclass(frozen=True)
class PushAnswer:
    status: int = 200
    body: str = ""


PushHandler = Callable[[str, PushRequest], PushAnswer]


class PushReceiver:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, public_url: str = "") -> None:
        self.host = host
        self.port = port
        self.public_url = public_url.rstrip("/")
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._tokens: dict[int, str] = {}
        self._handlers: dict[int, PushHandler] = {}

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url
        if self._server is None:
            raise RuntimeError("the push receiver is not started")
        host = self.host if self.host not in ("0.0.0.0", "::", "") else "127.0.0.1"
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self._server.server_address[1]}"

    def start(self) -> PushReceiver:
        server = _Server((self.host, self.port), _Handler)
        server.receiver = self
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=lambda: server.serve_forever(poll_interval=0.1), name="push-receiver", daemon=True
        )
        self._thread.start()
        log.info("listening for gateway pushes on %s", self.base_url)
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(10)
        self._server = None

    def __enter__(self) -> PushReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def register(self, channel_id: int, token: str) -> PushUrls:
        """The channel's addresses; requests to them wait for a handler (503 until `route`)."""
        if not token:
            raise ValueError("a push path needs a token")
        with self._lock:
            self._tokens[channel_id] = token
        base = f"{self.base_url}/push/{channel_id}/{token}"
        return PushUrls(reports=f"{base}/reports", replies=f"{base}/replies")

    def route(self, channel_id: int, handler: PushHandler) -> None:
        with self._lock:
            self._handlers[channel_id] = handler

    def unregister(self, channel_id: int) -> None:
        with self._lock:
            self._tokens.pop(channel_id, None)
            self._handlers.pop(channel_id, None)

    def dispatch(self, request: PushRequest) -> PushAnswer:
        parts = urlsplit(request.target).path.strip("/").split("/")
        if len(parts) != 4 or parts[0] != "push" or not parts[1].isdigit() or parts[3] not in KINDS:
            return PushAnswer(404, "not found")
        channel_id, token, kind = int(parts[1]), parts[2], parts[3]
        with self._lock:
            expected = self._tokens.get(channel_id)
            handler = self._handlers.get(channel_id)
        if expected is None or not hmac.compare_digest(expected.encode(), token.encode()):
            return PushAnswer(404, "not found")
        if handler is None:
            return PushAnswer(503, "not ready")
        try:
            return handler(kind, request)
        except Exception:
            log.exception("push receiver: channel %d could not take a push", channel_id)
            return PushAnswer(500, "error")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    receiver: PushReceiver


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SmsJinglingPush/1"
    timeout = 60
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        # The request line may carry a Kannel report's number: debug only, and never the headers or body.
        log.debug("push receiver: " + format, *args)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._answer(PushAnswer(413 if length > 0 else 400, "bad length"))
            return
        body = self.rfile.read(length) if length else b""
        params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        if body and "x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                form = {}
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
        answer = self.server.receiver.dispatch(PushRequest(method, self.path, self.headers, body, params))
        self._answer(answer)

    def _answer(self, answer: PushAnswer) -> None:
        data = answer.body.encode("utf-8")
        self.send_response(answer.status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)
