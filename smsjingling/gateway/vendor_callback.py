"""Receiving pushed delivery reports (docs/gateway-api.md, "Callbacks"): check that a callback really comes
from the gateway (signed with the account key, fresh, never seen before) and read its reports.

Whatever HTTP listener receives the POST hands the method, request-target, headers and raw body here and
answers 204 when reports come back, 401 on `CallbackRejected` with code BAD_SIGNATURE,
TIMESTAMP_OUT_OF_WINDOW or NONCE_REUSED, and 400 on MALFORMED_REQUEST (the gateway retries non-2xx answers,
and the same reports can always be pulled).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from smsjingling.gateway import signing
from smsjingling.gateway.base import GatewayReport
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.vendor import report_from_json


class CallbackRejected(Exception):
    """A callback that must be refused; `code` is the API's error code, `http` the status to answer."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail

    @property
    def http(self) -> int:
        return 400 if self.code == "MALFORMED_REQUEST" else 405 if self.code == "METHOD_NOT_ALLOWED" else 401


def read_callback(
    key: Secret,
    *,
    method: str,
    target: str,
    headers: Mapping[str, str] | Any,
    body: bytes,
    nonces: signing.NonceCache,
    account: str | None = None,
    now: float | None = None,
) -> list[GatewayReport]:
    """The reports of one verified callback; raises CallbackRejected otherwise.

    `target` is the path and query the request was sent to, exactly as received; `account`, when given, is
    the only account accepted (a listener serving several looks the key up by the X-SJ-Account header).
    """
    if method.upper() != "POST":
        raise CallbackRejected("METHOD_NOT_ALLOWED", "callbacks are POSTs")
    claimed = signing.header(headers, signing.HEADER_ACCOUNT)
    if account is not None and claimed != account:
        raise CallbackRejected("UNKNOWN_ACCOUNT", "the callback names another account")
    try:
        signing.verify(key, "POST", target, headers, body, nonces=nonces, now=now)
    except signing.SignatureError as exc:
        raise CallbackRejected(exc.code, exc.detail) from None
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise CallbackRejected("MALFORMED_REQUEST", "the body is not UTF-8 JSON") from None
    items = data.get("reports") if isinstance(data, dict) else None
    if not isinstance(items, list) or data.get("account") != claimed:
        raise CallbackRejected("MALFORMED_REQUEST", "expected {account, reports: [...]} for the signing account")
    try:
        return [report_from_json(item) for item in items]
    except ValueError as exc:
        raise CallbackRejected("MALFORMED_REQUEST", str(exc)) from None
