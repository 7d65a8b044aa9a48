"""Request signing of the vendor gateway API (docs/gateway-api.md, "Signing"), for both ends.

Every request carries the account, a timestamp, a nonce and an HMAC-SHA256 signature made with the account
key over

    METHOD "\\n" REQUEST-TARGET "\\n" TIMESTAMP "\\n" NONCE "\\n" BODY

where REQUEST-TARGET is the path with its query string exactly as sent, TIMESTAMP is Unix seconds in
decimal and BODY the raw bytes (empty for GET). The body comes last, so the newlines inside it cannot make
two different requests sign alike. The receiver refuses a timestamp more than five minutes from its own
clock and a nonce it has seen within the window, so a captured request cannot be played again; callbacks
from the gateway to the client are signed the same way with the same key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Mapping
from typing import Any

from smsjingling.gateway.keys import Secret

HEADER_ACCOUNT = "X-SJ-Account"
HEADER_TIMESTAMP = "X-SJ-Timestamp"
HEADER_NONCE = "X-SJ-Nonce"
HEADER_SIGNATURE = "X-SJ-Signature"

CLOCK_SKEW_SECONDS = 300  # ±5 minutes
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")


class SignatureError(Exception):
    """A request (or callback) that must be refused; `code` is the API's error code."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def string_to_sign(method: str, target: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    head = "\n".join((method.upper(), target, timestamp, nonce)).encode("utf-8")
    return head + b"\n" + body


def signature(key: Secret, method: str, target: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = string_to_sign(method, target, timestamp, nonce, body)
    return hmac.new(key.reveal().encode("utf-8"), message, hashlib.sha256).hexdigest()


def new_nonce() -> str:
    return secrets.token_urlsafe(18)  # 24 characters of [A-Za-z0-9_-]


def signed_headers(
    account: str,
    key: Secret,
    method: str,
    target: str,
    body: bytes,
    *,
    now: float | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The four headers that authenticate one request; a new nonce each call unless one is given."""
    timestamp = str(int(time.time() if now is None else now))
    nonce = nonce or new_nonce()
    return {
        HEADER_ACCOUNT: account,
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: signature(key, method, target, timestamp, nonce, body),
    }


def header(headers: Mapping[str, str] | Any, name: str) -> str:
    """A header by name in any case, from a dict, httpx.Headers or http.server's message object."""
    value = headers.get(name)
    if value is None and isinstance(headers, Mapping):
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return "" if value is None else str(value)


class NonceCache:
    """Nonces seen within the replay window, per account; thread-safe, forgets them once the window passed
    (a request that old is refused for its timestamp anyway)."""

    def __init__(self, window: float = 2 * CLOCK_SKEW_SECONDS) -> None:
        self.window = window
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()
        self._next_purge = 0.0

    def add(self, account: str, nonce: str, now: float) -> bool:
        """True the first time; False for a nonce already seen (a replay)."""
        with self._lock:
            if now >= self._next_purge:
                horizon = now - self.window
                self._seen = {k: t for k, t in self._seen.items() if t >= horizon}
                self._next_purge = now + self.window / 4
            if (account, nonce) in self._seen:
                return False
            self._seen[(account, nonce)] = now
            return True

    def __len__(self) -> int:
        return len(self._seen)


def verify(
    key: Secret,
    method: str,
    target: str,
    headers: Mapping[str, str] | Any,
    body: bytes,
    *,
    nonces: NonceCache,
    now: float | None = None,
) -> str:
    """Check one signed request; returns the account it names, or raises SignatureError.

    Checked in this order: the headers are there and well formed, the timestamp is within ±5 minutes, the
    signature matches, and only then the nonce is recorded, so that forged requests cannot use up nonces.
    """
    now = time.time() if now is None else now
    account = header(headers, HEADER_ACCOUNT)
    timestamp = header(headers, HEADER_TIMESTAMP)
    nonce = header(headers, HEADER_NONCE)
    given = header(headers, HEADER_SIGNATURE)
    if not (account and timestamp and nonce and given):
        raise SignatureError("BAD_SIGNATURE", "missing X-SJ-Account, X-SJ-Timestamp, X-SJ-Nonce or X-SJ-Signature")
    if not _TIMESTAMP.match(timestamp):
        raise SignatureError("BAD_SIGNATURE", "X-SJ-Timestamp must be Unix seconds")
    if not _NONCE.match(nonce):
        raise SignatureError("BAD_SIGNATURE", "X-SJ-Nonce must be 16-64 characters of A-Z a-z 0-9 _ -")
    skew = int(timestamp) - now
    if abs(skew) > CLOCK_SKEW_SECONDS:
        raise SignatureError("TIMESTAMP_OUT_OF_WINDOW", f"timestamp is {skew:+.0f} s from the server's clock")
    expected = signature(key, method, target, timestamp, nonce, body)
    if not hmac.compare_digest(expected, given.lower()):
        raise SignatureError("BAD_SIGNATURE", "the signature does not match the request")
    if not nonces.add(account, nonce, now):
        raise SignatureError("NONCE_REUSED", "this nonce was used before: a replayed request")
    return account
