"""What is added to every message: the signature 【单位名称】 and, for marketing, the unsubscribe note.

Decisions:

- The signature is the sender's identity, which the contracts require on every message (DESIGN.md,
  seed 003 §4), so a composer refuses to work without one. The user may type it with or without the
  brackets (公司, 【公司】, [公司]); it is always sent as 【公司】.
- Where it goes is a setting: in front (the usual place for Chinese carriers) or at the end. A text that
  already starts or ends with the signature is not signed twice: the signature is taken off that end and
  put back where the setting says, so every message of a campaign carries it once, in the same place.
  A signature in the middle of a text is ordinary text (carriers only read one at either end).
- The unsubscribe note (拒收请回复R, 回T退订, 回TD退订: the reply words the inbox treats as opt-outs) is
  appended to marketing messages after the text, inside the signature when that is at the end. It is not
  appended again to a text that already contains one of these notes. It follows the text directly when
  that ends in punctuation, otherwise after a "，".
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from smsjingling import messages
from smsjingling.errors import ValidationError
from smsjingling.phones.cells import INVISIBLE
from smsjingling.settings import Setting, declare

messages.register(
    {
        "compose.no_signature": (
            "还没有短信签名。请在设置中填写单位名称，发送时会加上【单位名称】。",
            "There is no signature yet. Enter your organisation's name in the settings; messages are sent "
            "with 【name】.",
        ),
        "compose.bad_signature": (
            "签名“{signature}”里不能再有【或】。",
            'The signature "{signature}" must not contain 【 or 】 inside it.',
        ),
        "compose.signature_too_long": (
            "签名“{signature}”太长：{length} 个字，最多 {limit} 个字。",
            'The signature "{signature}" is too long: {length} characters, at most {limit}.',
        ),
        "compose.unsubscribe_too_long": (
            "退订提示“{text}”太长：最多 {limit} 个字。",
            'The unsubscribe note "{text}" is too long: at most {limit} characters.',
        ),
    }
)


class SignaturePosition(enum.StrEnum):
    PREFIX = "prefix"  # 【公司】正文 — what Chinese carriers and gateways expect by default
    SUFFIX = "suffix"  # 正文【公司】


UNSUBSCRIBE_CHOICES = ("拒收请回复R", "回T退订", "回TD退订")

SIGNATURE_POSITION = declare(
    Setting(
        "compose.signature_position",
        str,
        SignaturePosition.PREFIX.value,
        "签名位置（开头或结尾）",
        "Signature position (start or end)",
        lambda v: None if v in set(SignaturePosition) else "prefix or suffix",
    )
)
UNSUBSCRIBE_SUFFIX = declare(
    Setting(
        "compose.unsubscribe_suffix",
        str,
        UNSUBSCRIBE_CHOICES[0],
        "营销短信的退订提示",
        "Unsubscribe note on marketing messages",
        # Only notes whose reply word the inbox turns into an opt-out: a note promising a way out that does
        # not work would break the unsubscribe obligation.
        lambda v: None if v in UNSUBSCRIBE_CHOICES else " / ".join(UNSUBSCRIBE_CHOICES),
    )
)

# Gateways accept signatures of 2-12 characters (some up to 20); 20 also keeps 【…】 well inside the
# campaign's 64-character column.
SIGNATURE_MAX_CHARS = 20
UNSUBSCRIBE_MAX_CHARS = 32
_OPENING = "【[［〖"
_CLOSING = "】]］〗"
# After these a note follows directly; otherwise a "，" separates it from the text.
_ENDS_CLAUSE = frozenset("。！？!?.，,；;：:、…~～")


def normalize_signature(raw: str) -> str:
    """The signature as sent, 【name】, from what the user typed. Raises ValidationError when it is empty,
    has brackets inside, or is longer than SIGNATURE_MAX_CHARS."""
    name = " ".join(raw.translate(INVISIBLE).split())
    if name[:1] in _OPENING:
        name = name[1:].lstrip()
    if name[-1:] in _CLOSING:
        name = name[:-1].rstrip()
    if not name:
        raise ValidationError("compose.no_signature")
    if "【" in name or "】" in name:
        raise ValidationError("compose.bad_signature", signature=raw)
    if len(name) > SIGNATURE_MAX_CHARS:
        raise ValidationError("compose.signature_too_long", signature=name, length=len(name), limit=SIGNATURE_MAX_CHARS)
    return f"【{name}】"


@dataclass(frozen=True, slots=True)
class Decoration:
    """The signature and the optional unsubscribe note, and how they are put around a text.

    Build it with `decoration(...)`, which normalises and checks what the user typed.
    """

    signature: str  # 【name】
    position: SignaturePosition = SignaturePosition.PREFIX
    unsubscribe: str = ""  # "" for a notice
    # Finds any unsubscribe note (this one or a usual one) in one C-level scan: wrap runs per recipient.
    _notes: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        notes = sorted({self.unsubscribe, *UNSUBSCRIBE_CHOICES} - {""}, key=len, reverse=True)
        object.__setattr__(self, "_notes", re.compile("|".join(map(re.escape, notes))))

    def core(self, text: str) -> str:
        """The text without outer whitespace and without a signature already at either end."""
        text = text.strip()
        signature = self.signature
        if text.startswith(signature):
            text = text[len(signature) :].lstrip()
        if text.endswith(signature):
            text = text[: -len(signature)].rstrip()
        return text

    def wrap(self, core: str) -> str:
        """`core` (as `core` returns it) with the note and the signature added."""
        note = self.unsubscribe
        if note and not self._notes.search(core):
            core = (core + note) if not core or core[-1] in _ENDS_CLAUSE else f"{core}，{note}"
        if self.position is SignaturePosition.PREFIX:
            return self.signature + core
        return core + self.signature

    def apply(self, text: str) -> str:
        """The full text as sent: what the compose box counts, and what a recipient receives."""
        return self.wrap(self.core(text))


def decoration(
    signature: str, position: SignaturePosition | str = SignaturePosition.PREFIX, unsubscribe: str = ""
) -> Decoration:
    """A checked Decoration. `signature` may come with or without 【】; `unsubscribe` is "" for notices,
    or a note for marketing sends (normally one of UNSUBSCRIBE_CHOICES: the campaign stores its own)."""
    note = " ".join(unsubscribe.split())
    if len(note) > UNSUBSCRIBE_MAX_CHARS:
        raise ValidationError("compose.unsubscribe_too_long", text=note, limit=UNSUBSCRIBE_MAX_CHARS)
    return Decoration(normalize_signature(signature), SignaturePosition(position), note)
