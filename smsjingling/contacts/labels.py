"""How the contact book's stored values read to a person: opt-out reasons."""

from __future__ import annotations

from smsjingling import messages
from smsjingling.storage.models import OptOutReason

messages.register(
    {
        "optout.reason.td_reply": ("回复退订", "Replied to unsubscribe"),
        "optout.reason.manual": ("手动登记", "Entered by hand"),
        "optout.reason.complaint": ("投诉", "Complaint"),
    }
)


def optout_reason_text(reason: str, lang: str | None = None) -> str:
    """回复退订 for "td_reply"; a value this version does not know is shown as stored."""
    key = f"optout.reason.{reason}"
    return messages.text(key, lang) if key in messages.CATALOGUE else reason


def optout_reasons() -> list[OptOutReason]:
    """The reasons an operator may choose, the usual one first."""
    return [OptOutReason.MANUAL, OptOutReason.COMPLAINT, OptOutReason.TD_REPLY]
