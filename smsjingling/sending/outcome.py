"""What a channel says about one attempt to send one message."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Verdict(enum.StrEnum):
    SENT = "sent"  # the network took every part
    RETRY = "retry"  # a retry-later error: try again after a pause (counts as an attempt)
    REQUEUE = "requeue"  # the channel could not try (SIM not ready, port gone before writing): not an attempt
    FAILED = "failed"  # a permanent error for this message (bad number, bad PDU)
    UNKNOWN = "unknown"  # it may or may not have left (a timeout after writing, half of a multipart sent)


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    refs: tuple[str, ...] = ()  # per part: a modem's TP-MR, a gateway's message id
    reason: str = ""  # a short stable code for the record (cms_500, timeout, ...)
    detail: str = ""  # the channel's own words
    channel_fault: bool = False  # counts against the channel's health (not against the message)
