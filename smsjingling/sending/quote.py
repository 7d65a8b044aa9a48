"""What a send would do, before the user confirms it: who gets a message and who is skipped and why, how
many parts, the price, what the prepaid account has available, and whether `create` would refuse it.

Nothing is written: the plan is the same expansion `Campaigns.create` runs (`Campaigns.preview`), so the
numbers confirmed are the numbers queued, unless the book or the settings change in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from modem.codec.encoded import MAX_PARTS
from smsjingling import messages
from smsjingling.compose.composer import SkipReason
from smsjingling.errors import UserError
from smsjingling.sending.expand import Recipients, resolve
from smsjingling.storage.database import Database
from smsjingling.storage.sending import MessageStatus

if TYPE_CHECKING:
    # The sending and account machinery is not needed to count recipients or word a skip (what the compose
    # page asks while the window is first shown); it is imported when a quote is made.
    from smsjingling.sending.campaigns import CampaignRequest, Campaigns

messages.register(
    {
        "quote.keyword": ("含禁用词：{words}", "Contains banned words: {words}"),
    }
)

# Reasons whose particulars belong in the line (the missing field, the part count).
_BY_DETAIL = frozenset({SkipReason.MISSING_FIELD.value, SkipReason.TOO_LONG.value})
KEYWORD_REASON = "send.keyword"
SAMPLES = 3


@dataclass(frozen=True, slots=True)
class SkipLine:
    """Recipients left out for one reason."""

    reason: str  # a message key (send.opted_out, compose.missing_field ...)
    detail: str  # the missing fields, the part count, or the banned words found
    count: int

    def text(self, lang: str | None = None) -> str:
        if self.reason == KEYWORD_REASON:
            return messages.text("quote.keyword", lang, words=self.detail)
        if self.reason not in messages.CATALOGUE:
            return self.reason
        return messages.text(self.reason, lang, fields=self.detail, segments=self.detail, limit=MAX_PARTS)


@dataclass(frozen=True)
class Quote:
    recipients: int  # everyone chosen, each number once, the skipped ones too
    queued: int  # who would get a message
    skipped: tuple[SkipLine, ...]  # the rest, by reason, most first
    segments: int  # billed parts of the messages queued
    price_fen: int  # at the price per segment in the settings
    available_fen: int | None  # the prepaid account this channel choice pays from; None: no such account
    refusal: UserError | None  # why `create` would refuse it (words, caps, balance), or None
    samples: tuple[str, ...]  # the first few messages as they will be sent

    @property
    def skipped_total(self) -> int:
        return self.recipients - self.queued


def quote(campaigns: Campaigns, request: CampaignRequest) -> Quote:
    """The confirmation's figures for `request`. Raises a UserError for a template that cannot be used at
    all (a stray brace, no signature in the settings)."""
    planned = campaigns.preview(request)
    queued = planned.queued()
    lines: dict[tuple[str, str], int] = {}
    words: dict[str, None] = {}
    for m in planned.messages:
        if m.status is MessageStatus.QUEUED:
            continue
        if m.reason == KEYWORD_REASON:
            words.update(dict.fromkeys(m.detail.split("、")))
            key = (m.reason, "")
        else:
            key = (m.reason, m.detail if m.reason in _BY_DETAIL else "")
        lines[key] = lines.get(key, 0) + 1
    skipped = tuple(
        sorted(
            (
                SkipLine(reason, "、".join(words) if reason == KEYWORD_REASON else detail, n)
                for (reason, detail), n in lines.items()
            ),
            key=lambda line: (-line.count, line.reason, line.detail),
        )
    )
    from smsjingling.sending import billing

    ledger = billing.ledger_for_policy(campaigns.db, request.channel_policy, campaigns.actor)
    return Quote(
        recipients=len(planned.messages),
        queued=len(queued),
        skipped=skipped,
        segments=planned.segments,
        price_fen=planned.price_fen,
        available_fen=ledger.available() if ledger is not None else None,
        refusal=campaigns.refusal(request, planned),
        samples=tuple(m.text for m in queued[:SAMPLES]),
    )


@dataclass(frozen=True, slots=True)
class RecipientCount:
    people: int  # distinct numbers from the groups, contacts and pasted numbers chosen
    invalid: int  # pasted entries that are not numbers at all


def count_recipients(db: Database, recipients: Recipients) -> RecipientCount:
    """How many different people a choice reaches (a contact in two chosen groups counts once)."""
    with db.reader() as s:
        people, invalid = resolve(s, recipients)
    return RecipientCount(len(people), len(invalid))
