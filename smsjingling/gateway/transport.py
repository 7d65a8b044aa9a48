"""HTTP for the gateway adapters: one pooled httpx client per account, certificate checks on, plain http only
where it cannot cross a network, timeouts on every request, and the line between a request that never left
and one that left without an answer.

That line decides whether a message may be tried again: a connection that could not be made (refused, DNS,
TLS, connect timeout, no free connection in the pool) sent nothing; a request that was written and then
timed out, or whose connection dropped, may have been acted on, so its messages are UNKNOWN.
"""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass

import httpx

from smsjingling.gateway.errors import InsecureGatewayUrl
from smsjingling.gateway.redaction import guard_logger, redact

# httpx logs every request's URL at INFO; some vendors take the password in the query.
guard_logger("httpx")

USER_AGENT = "smsjingling/0.1 (+https://smsjingling.example/gateway)"


@dataclass(frozen=True)
class HttpSettings:
    """How an adapter talks HTTP to its vendor."""

    timeout: float = 10.0  # seconds to wait for each answer once the request is written
    connect_timeout: float = 5.0
    concurrency: int = 4  # connections kept in the pool = requests in flight at once
    # Plain http to a host on the office LAN (a Kannel in the server room). Off by default: the account's
    # password travels in clear. Plain http to this computer (127.0.0.1, ::1, localhost) is always allowed.
    insecure_lan_http: bool = False
    ca_file: str | None = None  # an extra CA bundle, for a LAN service with its own certificate authority


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, insecure_lan_http: bool = False) -> httpx.URL:
    """The URL, if it may carry an account's secret: https, or http to loopback (or to the LAN when allowed)."""
    shown = redact(url.split("?", 1)[0])
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        raise InsecureGatewayUrl("gateway.url_bad", url=shown) from None
    if parsed.scheme == "https" and parsed.host:
        return parsed
    if parsed.scheme == "http" and parsed.host:
        if is_loopback(parsed.host) or insecure_lan_http:
            return parsed
        raise InsecureGatewayUrl("gateway.url_insecure", url=shown)
    raise InsecureGatewayUrl("gateway.url_bad", url=shown)


def make_client(settings: HttpSettings) -> httpx.Client:
    """A pooled client: keep-alive connections up to the concurrency, verified TLS, no redirects (a redirect
    could downgrade to http or replay a send), no retries of its own."""
    verify: ssl.SSLContext | bool = True
    if settings.ca_file:
        verify = ssl.create_default_context(cafile=settings.ca_file)
    size = max(1, settings.concurrency)
    return httpx.Client(
        timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout),
        limits=httpx.Limits(max_connections=size, max_keepalive_connections=size),
        verify=verify,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
    )


class NoAnswer(Exception):
    """A request got no HTTP answer. `left`: it may have reached the vendor (so its messages are UNKNOWN)."""

    def __init__(self, left: bool, detail: str) -> None:
        super().__init__(detail)
        self.left = left
        self.detail = detail


# Failures that happen before a single byte of the request is written.
_NOT_LEFT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,  # refused by our own HTTP layer before writing
)


def perform(client: httpx.Client, method: str, url: str | httpx.URL, **kwargs: object) -> httpx.Response:
    """One request, its body read; an exception without the request (the URL may hold a secret) when no
    answer came."""
    try:
        return client.request(method, url, **kwargs)  # type: ignore[arg-type]
    except _NOT_LEFT as exc:
        raise NoAnswer(False, redact(f"{type(exc).__name__}: {exc}")) from None
    except httpx.TransportError as exc:  # read/write timeouts, dropped connections, protocol errors
        raise NoAnswer(True, redact(f"{type(exc).__name__}: {exc}")) from None


def excerpt(response: httpx.Response, limit: int = 200) -> str:
    """The start of an answer, for the record, with secrets cut out."""
    try:
        text = response.text
    except (UnicodeDecodeError, LookupError):
        text = response.content[:limit].decode("latin-1")
    text = " ".join(text.split())
    return redact(text[:limit])
