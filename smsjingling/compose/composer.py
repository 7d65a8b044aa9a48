"""One campaign's composer: template + signature + unsubscribe note + price, applied per recipient.

    composer = Composer.from_settings(settings, "{姓名|同事}您好，明早九点开会。", kind=CampaignKind.NOTICE)
    result = composer.render("张三", "+8613800138000", {"部门": "销售部"})
    if result.ok:   # Rendered: text, alphabet/encoding, segments, price_fen
        ...
    else:           # Skipped: reason (a message key), missing fields, detail
        ...

A render is a result, never an exception: a recipient without a needed field is skipped with that reason,
and the campaign goes on. Problems that would affect every recipient (no signature, a template that cannot
be parsed, a fixed text too long to send) are refused when the composer is built, before any recipient.

When the template has no merge fields every recipient gets the same text, so it is rendered and counted
once, when the composer is built, and `render` hands out that one (immutable) result.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple, Protocol

from modem.codec import Alphabet, SegmentCount, count_segments, is_gsm7
from modem.codec.encoded import MAX_PARTS
from smsjingling import messages
from smsjingling.compose.pricing import DEFAULT_PRICE_PER_SEGMENT_FEN, PRICE_PER_SEGMENT
from smsjingling.compose.signature import (
    SIGNATURE_POSITION,
    UNSUBSCRIBE_SUFFIX,
    Decoration,
    SignaturePosition,
    decoration,
)
from smsjingling.compose.template import Template, compile_template
from smsjingling.errors import ValidationError
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.sending import CampaignKind

messages.register(
    {
        "compose.missing_field": ("缺少字段：{fields}", "Missing field: {fields}"),
        "compose.empty_text": ("短信内容为空", "The message is empty"),
        "compose.too_long": (
            "短信太长：需要 {segments} 条，最多 {limit} 条",
            "The message is too long: {segments} parts, at most {limit}",
        ),
        "compose.template_empty": (
            "短信内容为空，请先输入内容。",
            "The message has no text. Type the message first.",
        ),
        "compose.template_too_long": (
            "短信太长：加上签名需要 {segments} 条，最多只能 {limit} 条。",
            "The message is too long: with the signature it takes {segments} parts, at most {limit}.",
        ),
        "compose.bad_price": ("单价不能为负数：{price}", "The price cannot be negative: {price}"),
    }
)


class SkipReason(enum.StrEnum):
    """Why a recipient gets no message. The values are message keys (stored as a message's reason)."""

    MISSING_FIELD = "compose.missing_field"
    EMPTY_TEXT = "compose.empty_text"  # every field of the text was empty for this recipient
    TOO_LONG = "compose.too_long"  # longer than the 255 parts a concatenated SMS can have


class Recipient(Protocol):
    """What `render_contact` needs; a ContactRecord is one."""

    @property
    def name(self) -> str: ...

    @property
    def phone(self) -> str: ...

    @property
    def fields(self) -> Mapping[str, Any]: ...


class Rendered(NamedTuple):
    """The message for one recipient, exactly as it will be sent.

    A named tuple rather than a dataclass because one is made per recipient of a 100,000-recipient
    campaign, and a tuple is made at a third of the cost of a frozen dataclass. It unpacks:
    `text, alphabet, segments, price_fen = result`.
    """

    text: str  # signed, with any unsubscribe note
    alphabet: Alphabet
    segments: int
    price_fen: int

    ok = True  # a class attribute, not a field: Skipped has it False

    @property
    def encoding(self) -> str:
        """The encoding as a message's encoding column stores it: "gsm7" or "ucs2"."""
        return self.alphabet.value


@dataclass(frozen=True, slots=True)
class Skipped:
    """No message for this recipient, and why."""

    ok: ClassVar[bool] = False

    reason: SkipReason
    missing: tuple[str, ...] = ()  # MISSING_FIELD: the fields without a value
    segments: int = 0  # TOO_LONG: how many parts it would have taken

    @property
    def detail(self) -> str:
        """The particulars, for the record (a message event's detail): "部门、职务", or the part count."""
        if self.reason is SkipReason.MISSING_FIELD:
            return "、".join(self.missing)
        if self.reason is SkipReason.TOO_LONG:
            return str(self.segments)
        return ""

    def message(self, lang: str | None = None) -> str:
        return messages.text(self.reason, lang, fields="、".join(self.missing), segments=self.segments, limit=MAX_PARTS)


RenderResult = Rendered | Skipped

_EMPTY = Skipped(SkipReason.EMPTY_TEXT)
_new_rendered = tuple.__new__  # Rendered(...) without the generated __new__'s argument handling

# Texts that are UCS2 with no surrogate pair (Chinese with the signature's 【】, no emoji) split by their
# length alone: `count_segments` then cuts at fixed offsets (no escape or surrogate pair can straddle a
# cut). Such counts are cached by length; every other text is counted afresh. A property test checks the
# cached counts against `count_segments` itself.
_NOT_PLAIN_UCS2 = re.compile("[\ud800-\udfff\U00010000-\U0010ffff]")


class _SegmentCounter:
    """`count_segments`, with the cache above (one per composer, at most one entry per text length)."""

    __slots__ = ("_by_length",)

    def __init__(self) -> None:
        self._by_length: dict[int, SegmentCount] = {}

    def __call__(self, text: str) -> SegmentCount:
        if is_gsm7(text) or _NOT_PLAIN_UCS2.search(text):
            return count_segments(text)
        count = self._by_length.get(len(text))
        if count is None:
            count = self._by_length[len(text)] = count_segments(text)
        return count


class Composer:
    """Renders one template for any number of recipients. Immutable once built; safe to share."""

    __slots__ = ("_count", "_fixed", "decoration", "price_per_segment_fen", "template")

    def __init__(
        self,
        template: Template | str,
        *,
        signature: str,
        position: SignaturePosition | str = SignaturePosition.PREFIX,
        unsubscribe: str = "",
        price_per_segment_fen: int = DEFAULT_PRICE_PER_SEGMENT_FEN,
    ) -> None:
        """`signature` with or without 【】; `unsubscribe` is "" for a notice, the note for marketing.
        Raises TemplateError for a template that cannot be parsed and ValidationError for a missing or
        bad signature, a negative price, or a template without merge fields that is empty or too long."""
        self.template = template if isinstance(template, Template) else compile_template(template)
        self.decoration: Decoration = decoration(signature, position, unsubscribe)
        if price_per_segment_fen < 0:
            raise ValidationError("compose.bad_price", price=price_per_segment_fen)
        self.price_per_segment_fen = price_per_segment_fen
        self._count = _SegmentCounter()
        self._fixed: Rendered | None = None
        if not self.template.has_fields:
            result = self._finish(self.template.render("", "", {}) or "")
            if isinstance(result, Skipped):
                if result.reason is SkipReason.TOO_LONG:
                    raise ValidationError("compose.template_too_long", segments=result.segments, limit=MAX_PARTS)
                raise ValidationError("compose.template_empty")
            self._fixed = result

    @classmethod
    def from_settings(
        cls, settings: Settings, template: Template | str, *, kind: CampaignKind | str = CampaignKind.NOTICE
    ) -> Composer:
        """A composer as the settings say: their signature and its position, the unsubscribe note for a
        marketing send, and the price per segment."""
        marketing = CampaignKind(kind) is CampaignKind.MARKETING
        return cls(
            template,
            signature=settings.get(SIGNATURE),
            position=settings.get(SIGNATURE_POSITION),
            unsubscribe=settings.get(UNSUBSCRIBE_SUFFIX) if marketing else "",
            price_per_segment_fen=settings.get(PRICE_PER_SEGMENT),
        )

    @property
    def fixed(self) -> bool:
        """True when every recipient gets the same text (no merge fields)."""
        return self._fixed is not None

    def render(self, name: str, phone: str, fields: Mapping[str, Any]) -> Rendered | Skipped:
        """The message for one recipient: `phone` in E.164 (as stored), `fields` the contact's fields."""
        fixed = self._fixed
        if fixed is not None:
            return fixed
        body = self.template.render(name, phone, fields)
        if body is None:
            return Skipped(SkipReason.MISSING_FIELD, self.template.missing(name, phone, fields))
        return self._finish(body)

    def render_contact(self, contact: Recipient) -> Rendered | Skipped:
        return self.render(contact.name, contact.phone, contact.fields)

    def _finish(self, body: str) -> Rendered | Skipped:
        core = self.decoration.core(body)
        if not core:
            return _EMPTY
        text = self.decoration.wrap(core)
        count = self._count(text)
        segments = count.segments
        if segments > MAX_PARTS:
            return Skipped(SkipReason.TOO_LONG, segments=segments)
        return _new_rendered(Rendered, (text, count.alphabet, segments, segments * self.price_per_segment_fen))
