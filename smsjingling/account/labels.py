"""How the ledger reads to a person: the kinds of entry in both languages."""

from __future__ import annotations

from smsjingling import messages
from smsjingling.storage.accounts import EntryKind

messages.register(
    {
        "account.kind.top_up": ("充值", "Top-up"),
        "account.kind.reserve": ("预留", "Reserved"),
        "account.kind.charge": ("扣费", "Charged"),
        "account.kind.fee": ("月租", "Monthly fee"),
        "account.kind.release": ("释放预留", "Released"),
        "account.kind.adjustment": ("调整", "Adjustment"),
        "account.kind.reconciliation": ("对账差额", "Reconciliation"),
    }
)


def kind_text(kind: str, ref: str = "", lang: str | None = None) -> str:
    """扣费, or 月租 for the charge of a cycle's monthly fee; a kind this version does not know as stored."""
    if kind == EntryKind.CHARGE and ref.startswith("fee:"):
        return messages.text("account.kind.fee", lang) + " " + ref.removeprefix("fee:")
    key = f"account.kind.{kind}"
    return messages.text(key, lang) if key in messages.CATALOGUE else kind
