"""What every gateway adapter offers the sending engine, whatever the vendor's protocol.

An adapter turns one batch of messages into the vendor's requests and the answers back into one result per
message. It never resends on its own: when a request left and no answer came (a timeout, a dropped
connection), the messages are UNKNOWN unless the vendor can be asked about them by our client id
(`query`), so a retry can never send twice.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from smsjingling.sending.outcome import Outcome


class ReportMode(enum.StrEnum):
    PULL = "pull"  # we ask for delivery reports
    PUSH = "push"  # the vendor calls our URL
    BOTH = "both"
    NONE = "none"


@dataclass(frozen=True)
class GatewayLimits:
    max_batch: int = 1  # recipients per send request
    requests_per_second: float = 0.0  # 0: no limit declared
    reports: ReportMode = ReportMode.PULL
    concurrency: int = 4  # requests in flight at once that the vendor tolerates


@dataclass(frozen=True)
class OutboundSms:
    client_id: str  # ours, unique per message and attempt-proof: the message id
    phone: str  # E.164
    text: str  # signed, exactly as it is to arrive


@dataclass(frozen=True)
class SubmitResult:
    client_id: str
    outcome: Outcome  # verdict SENT (accepted), FAILED, RETRY or UNKNOWN; refs = (gateway id,) when accepted
    cost_fen: int | None = None  # what the vendor says it charged, when it says


@dataclass(frozen=True)
class Balance:
    fen: int  # the vendor's figure, authoritative
    raw: str = ""  # the vendor's own words, for the record


@dataclass(frozen=True)
class GatewayReport:
    client_id: str | None  # ours, when the vendor echoes it
    gateway_id: str | None  # the vendor's
    phone: str
    delivered: bool
    status: str  # the vendor's status code or text
    at: datetime


@dataclass(frozen=True)
class GatewayReply:
    sender: str
    text: str
    received_at: datetime
    gateway_id: str = ""


class GatewayAdapter(Protocol):
    """One vendor account. Thread-safe: the gateway worker may have several batches in flight."""

    name: str
    limits: GatewayLimits

    def send_batch(self, messages: Sequence[OutboundSms]) -> list[SubmitResult]:
        """One result per message, in any order; raises nothing for the vendor's own errors (they are
        outcomes), only for programming errors."""
        ...

    def query(self, client_ids: Sequence[str]) -> list[SubmitResult]:
        """What became of messages whose submission had no answer; [] when the vendor cannot say."""
        ...

    def balance(self) -> Balance: ...

    def fetch_reports(self) -> list[GatewayReport]:
        """Delivery reports not fetched before (pull); [] for push-only vendors."""
        ...

    def fetch_replies(self) -> list[GatewayReply]: ...

    def close(self) -> None: ...
