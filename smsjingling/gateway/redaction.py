"""Keeping gateway secrets out of logs, errors and records.

The secrets themselves live in the OS keyring and, in memory, in `keys.Secret` (whose repr is '***'). But a
request carries them: several vendors take the password in the query string (短信宝, Kannel, Jasmin), and
httpx logs every request's URL at INFO. So every form a secret can take in a request (the value, its
URL-encodings, 短信宝's MD5 of it) is remembered here when an adapter takes it, and `redact()` replaces them
in any text: the httpx logger's lines, the adapters' own log lines, and every detail or error text an adapter
makes from a vendor's answer (some vendors echo the request).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from urllib.parse import quote, quote_plus

from smsjingling.gateway.keys import Secret

MASK = "***"
_MIN_REDACTED = 3  # a shorter value would blank out ordinary text; no vendor accepts one anyway

_forms: set[str] = set()
_lock = threading.Lock()
_ordered: tuple[str, ...] = ()  # longest first, so a value inside a longer form is not cut in half


def remember(secret: Secret) -> Secret:
    """From now on, cut `secret` (in every request form) out of texts; returns it for chaining."""
    value = secret.reveal()
    remember_forms(value, value.upper(), value.lower(), quote(value, safe=""), quote_plus(value), quote(value))
    return secret


def remember_forms(*candidates: str) -> None:
    """Other forms a secret takes on the wire (a password percent-encoded in GBK, say)."""
    global _ordered
    with _lock:
        new = {c for c in candidates if len(c) >= _MIN_REDACTED} - _forms
        if new:
            _forms.update(new)
            _ordered = tuple(sorted(_forms, key=len, reverse=True))


def redact(text: str) -> str:
    """`text` with every remembered secret replaced by ***."""
    for form in _ordered:
        if form in text:
            text = text.replace(form, MASK)
    return text


def md5_secret(secret: Secret) -> Secret:
    """The lowercase hex MD5 of a password (what 短信宝 takes), itself a secret: whoever has it can send."""
    return remember(Secret(hashlib.md5(secret.reveal().encode("utf-8")).hexdigest()))


class RedactingFilter(logging.Filter):
    """Rewrites a log record whose text holds a remembered secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _ordered:
            text = record.getMessage()
            clean = redact(text)
            if clean != text:
                record.msg, record.args = clean, ()
        return True


_FILTER = RedactingFilter()


def guard_logger(name: str) -> logging.Logger:
    """The logger `name`, with the redacting filter attached once."""
    logger = logging.getLogger(name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger
