"""Composing messages: templates with merge fields, the signature and unsubscribe note, per-recipient text,
encoding, segments and price, a campaign's totals before sending, and the compose box's live counter.

    from smsjingling.compose import Composer, count, preview

    composer = Composer.from_settings(settings, "{姓名|同事}：明早九点开会。", kind="notice")
    result = composer.render(name, phone_e164, fields)     # Rendered | Skipped, never raises
    totals = preview(composer, contacts)                   # Preview: recipients, segments, price_fen ...
    count(composer.decoration.apply(box_text))              # per keystroke: segments, units left, encoding

Importing this package declares its settings: compose.signature_position, compose.unsubscribe_suffix and
billing.price_per_segment_fen (compose.signature is declared in smsjingling.settings).
"""

from smsjingling.compose.composer import Composer, Recipient, Rendered, RenderResult, Skipped, SkipReason
from smsjingling.compose.counter import UCS2_CHARS_LISTED, TextCount, Ucs2Char, count, replacement_for
from smsjingling.compose.preview import EncodingTotal, Preview, Sample, SkippedSample, preview
from smsjingling.compose.pricing import DEFAULT_PRICE_PER_SEGMENT_FEN, PRICE_PER_SEGMENT, yuan
from smsjingling.compose.signature import (
    SIGNATURE_POSITION,
    UNSUBSCRIBE_CHOICES,
    UNSUBSCRIBE_SUFFIX,
    Decoration,
    SignaturePosition,
    decoration,
    normalize_signature,
)
from smsjingling.compose.template import Field, Source, Template, TemplateError, compile_template, display_phone

__all__ = [
    "DEFAULT_PRICE_PER_SEGMENT_FEN",
    "PRICE_PER_SEGMENT",
    "SIGNATURE_POSITION",
    "UCS2_CHARS_LISTED",
    "UNSUBSCRIBE_CHOICES",
    "UNSUBSCRIBE_SUFFIX",
    "Composer",
    "Decoration",
    "EncodingTotal",
    "Field",
    "Preview",
    "Recipient",
    "RenderResult",
    "Rendered",
    "Sample",
    "SignaturePosition",
    "SkipReason",
    "Skipped",
    "SkippedSample",
    "Source",
    "Template",
    "TemplateError",
    "TextCount",
    "Ucs2Char",
    "compile_template",
    "count",
    "decoration",
    "display_phone",
    "normalize_signature",
    "preview",
    "replacement_for",
    "yuan",
]
