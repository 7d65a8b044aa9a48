"""A campaign's totals before anything is sent: recipients, messages, segments, price, by encoding, who is
skipped and why, and a few rendered texts to look at.

One Preview is filled one recipient at a time (`add` for each render result, `skip` for recipients another
layer leaves out: opted out, invalid number, no consent), so a campaign expansion builds it in the same pass
as its messages. `preview(composer, contacts)` is the short way for a list of contacts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from modem.codec import Alphabet
from smsjingling import messages
from smsjingling.compose.composer import Composer, Recipient, Rendered, Skipped, SkipReason
from smsjingling.compose.pricing import yuan

messages.register(
    {
        "compose.preview": (
            "收件人 {recipients} 位：发送 {messages} 位，共 {segments} 条短信（按条计费），预计 {yuan} 元；"
            "跳过 {skipped} 位。",
            "{recipients} recipients: {messages} messages, {segments} billed parts, about {yuan} yuan; "
            "{skipped} skipped.",
        ),
        "compose.preview_skipped": ("跳过 {count} 位：{reason}", "{count} skipped: {reason}"),
        "compose.skipped.missing_field": ("缺少字段“{field}”", 'no value for "{field}"'),
        "compose.skipped.empty_text": ("短信内容为空", "the message would be empty"),
        "compose.skipped.too_long": ("短信超过 255 条", "the message would exceed 255 parts"),
    }
)

DEFAULT_SAMPLE_SIZE = 5


@dataclass(slots=True)
class EncodingTotal:
    messages: int = 0
    segments: int = 0
    price_fen: int = 0


@dataclass(frozen=True, slots=True)
class Sample:
    """A rendered message to show before sending."""

    name: str
    phone: str
    text: str
    alphabet: Alphabet
    segments: int
    price_fen: int


@dataclass(frozen=True, slots=True)
class SkippedSample:
    name: str
    phone: str
    reason: str  # a message key
    detail: str  # e.g. the missing fields "部门、职务"


@dataclass
class Preview:
    """Totals of one send. `recipients` = `messages` + `skipped_total`; `price_fen` is integer fen."""

    sample_size: int = DEFAULT_SAMPLE_SIZE
    recipients: int = 0
    messages: int = 0
    segments: int = 0
    price_fen: int = 0
    by_encoding: dict[Alphabet, EncodingTotal] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)  # reason (message key) -> recipients
    # field -> recipients skipped for lack of it (one missing two fields counts under both)
    missing_fields: Counter[str] = field(default_factory=Counter)
    samples: list[Sample] = field(default_factory=list)  # the first `sample_size` messages
    skipped_samples: list[SkippedSample] = field(default_factory=list)  # the first `sample_size` skipped

    @property
    def skipped_total(self) -> int:
        return self.recipients - self.messages

    def add(self, result: Rendered | Skipped, name: str = "", phone: str = "") -> None:
        """Count one recipient's render result."""
        if isinstance(result, Skipped):
            self.missing_fields.update(result.missing)
            self.skip(result.reason, name, phone, result.detail)
            return
        self.recipients += 1
        self.messages += 1
        self.segments += result.segments
        self.price_fen += result.price_fen
        total = self.by_encoding.get(result.alphabet)
        if total is None:
            total = self.by_encoding[result.alphabet] = EncodingTotal()
        total.messages += 1
        total.segments += result.segments
        total.price_fen += result.price_fen
        if len(self.samples) < self.sample_size:
            self.samples.append(Sample(name, phone, result.text, result.alphabet, result.segments, result.price_fen))

    def skip(self, reason: str, name: str = "", phone: str = "", detail: str = "") -> None:
        """Count one recipient who gets no message; `reason` is a message key (opted out, invalid ...)."""
        self.recipients += 1
        self.skipped[reason] += 1
        if len(self.skipped_samples) < self.sample_size:
            self.skipped_samples.append(SkippedSample(name, phone, reason, detail))

    def summary(self, lang: str | None = None) -> list[str]:
        """The totals as lines of text for the CLI or a confirmation dialog."""
        lines = [
            messages.text(
                "compose.preview",
                lang,
                recipients=self.recipients,
                messages=self.messages,
                segments=self.segments,
                yuan=yuan(self.price_fen),
                skipped=self.skipped_total,
            )
        ]
        for reason, count in self.skipped.most_common():
            if reason == SkipReason.MISSING_FIELD:
                for name, per_field in self.missing_fields.most_common():
                    why = messages.text("compose.skipped.missing_field", lang, field=name)
                    lines.append(messages.text("compose.preview_skipped", lang, count=per_field, reason=why))
                continue
            if reason in (SkipReason.EMPTY_TEXT, SkipReason.TOO_LONG):
                why = messages.text("compose.skipped." + reason.removeprefix("compose."), lang)
            else:
                why = messages.text(reason, lang)
            lines.append(messages.text("compose.preview_skipped", lang, count=count, reason=why))
        return lines


def preview(composer: Composer, recipients: Iterable[Recipient], sample_size: int = DEFAULT_SAMPLE_SIZE) -> Preview:
    """Render every recipient (contacts, or anything with name, phone and fields) and total the results."""
    totals = Preview(sample_size)
    render, add = composer.render, totals.add
    for r in recipients:
        add(render(r.name, r.phone, r.fields), r.name, r.phone)
    return totals
