"""Shared set-up for the third-party gateway adapter tests: a loopback HTTP server in a thread (real sockets)
for the small faithful servers of each vendor to run in, and an in-memory keyring backend.

The keyring backend is a real `keyring` backend (the library's plug-in interface), kept in memory so that
tests never touch the user's keyring; the adapters read their secrets through `keyring` as in production.
"""

from __future__ import annotations

import http.server
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import keyring
import keyring.backend
from keyring.errors import PasswordDeleteError

from smsjingling.gateway.keys import KEYRING_SERVICE, keyring_name


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        # As the real backends do: deleting what is not there is an error the caller must expect.
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@contextmanager
def memory_keyring(**secrets: str) -> Iterator[MemoryKeyring]:
    """Install an in-memory keyring holding `channel=secret` entries; restore the previous one after."""
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    for channel, value in secrets.items():
        ring.set_password(KEYRING_SERVICE, keyring_name(channel), value)
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(previous)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes
    headers: dict[str, str]
    raw_query: str = ""

    def form(self) -> dict[str, list[str]]:
        """The body as an application/x-www-form-urlencoded form (UTF-8)."""
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)

    def args(self) -> dict[str, str]:
        """Query and form together, first value of each (what these vendors' servers read)."""
        merged = {k: v[0] for k, v in self.query.items()}
        if self.body and "x-www-form-urlencoded" in self.headers.get("content-type", ""):
            merged.update({k: v[0] for k, v in self.form().items()})
        return merged


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/plain; charset=utf-8"
    delay: float = 0.0  # seconds to wait before answering (a slow or hung vendor)

    def data(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Handler = Callable[[Request], Reply]


@dataclass
class LoopbackServer:
    """An HTTP/1.1 server on 127.0.0.1 with keep-alive, answering with `handler`; records every request."""

    handler: Handler
    tls: ssl.SSLContext | None = None  # serve https with this context
    requests: list[Request] = field(default_factory=list)
    connections: int = 0

    def __post_init__(self) -> None:
        outer = self

        class _Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = -1  # headers and body leave in one write (no Nagle / delayed-ACK stall per answer)

            def setup(self) -> None:
                super().setup()
                with outer._lock:
                    outer.connections += 1

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                split = urlsplit(self.path)
                request = Request(
                    self.command,
                    split.path,
                    parse_qs(split.query, keep_blank_values=True),
                    body,
                    {k.lower(): v for k, v in self.headers.items()},
                    split.query,
                )
                with outer._lock:
                    outer.requests.append(request)
                reply = outer.handler(request)
                if reply.delay:
                    time.sleep(reply.delay)
                data = reply.data()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up waiting (a timeout test)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: object) -> None:  # quiet
                return

        self._lock = threading.Lock()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        if self.tls is not None:
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def closed_port_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    host, port = server.server_address[:2]
    server.server_close()
    return f"http://{host}:{port}"
