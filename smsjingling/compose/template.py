"""Message templates with merge fields: parsed once, rendered for every recipient.

Syntax (the house decision, written for the compose box's help text):

- ``{姓名}`` is replaced by the recipient's value of that field; ``{姓名|同事}`` uses 同事 when the
  recipient has no value (empty or only spaces count as none); ``{部门|}`` uses nothing.
- The contact's own columns answer to several names: 姓名/名字/联系人/name for the name, and
  手机/手机号/手机号码/电话/号码/phone/mobile for the number, which is shown as dialled in China
  (13800138000), not in E.164. Every other name is looked up in the contact's fields (部门, 职务 or any
  imported column), exactly as the field is called, or in its NFKC form (full-width letters typed with a
  Chinese input method find the half-width field).
- ``{{`` and ``}}`` are a literal brace. A lone ``{`` or ``}`` is a syntax error, reported with its position.
  Inside a field nothing is escaped: a name or default cannot contain a brace; the first ``|`` separates
  the name from the default.
- Full-width braces ｛｝ are ordinary text.
- A field no contact has is allowed (imported columns vary from one sheet to the next); `fields_used`
  and `unknown_fields` let the compose box point at them. A recipient missing a field that has no default
  is not rendered: `render` returns None and `missing` says which fields.

Python's str.format has the same escapes, but treats ``.``, ``[``, ``:`` and ``!`` in a name as syntax
(imported column headers contain all four) and has no defaults, so the small parser below is ours. It
compiles the template into a %-format with one slot per field, so a render is one pass over the fields and
one C-level format call (faster than str.format for these short texts).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from smsjingling import messages
from smsjingling.errors import ValidationError

messages.register(
    {
        "compose.unclosed_brace": (
            "模板第 {column} 个字符处的“{{”没有对应的“}}”：{near}。"
            "合并字段写作 {{姓名}}；花括号本身请写成 {{{{ 或 }}}}。",
            'The "{{" at character {column} of the template is not closed: {near}. '
            "A merge field is written {{name}}; write a brace itself as {{{{ or }}}}.",
        ),
        "compose.stray_brace": (
            "模板第 {column} 个字符处的“}}”前面没有“{{”：{near}。花括号本身请写成 }}}}。",
            'The "}}" at character {column} of the template has no "{{" before it: {near}. '
            "Write a brace itself as }}}}.",
        ),
        "compose.empty_field": (
            "模板第 {column} 个字符处的合并字段没有名称：{near}。",
            "The merge field at character {column} of the template has no name: {near}.",
        ),
    }
)


class TemplateError(ValidationError):
    """A template that cannot be parsed. `position` is the 0-based index into the template text
    (a Python str index, i.e. code points); the message shows it 1-based."""

    @property
    def position(self) -> int:
        return cast(int, self.params["position"])


class Source(enum.Enum):
    """Where a merge field takes its value from."""

    NAME = "name"
    PHONE = "phone"
    FIELD = "field"


_FIELD, _NAME = Source.FIELD, Source.NAME

_NAME_ALIASES = frozenset({"姓名", "名字", "联系人", "name"})
_PHONE_ALIASES = frozenset({"手机", "手机号", "手机号码", "电话", "号码", "phone", "mobile"})

# One token at a time: an escaped brace, a whole field, a brace that is neither, or a run of text.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]|[^{}]+")


@dataclass(frozen=True, slots=True)
class Field:
    """One merge field as written: ``{部门|未分配}`` is Field("部门", "未分配", Source.FIELD, ...)."""

    name: str
    default: str | None  # None: a recipient without a value is skipped
    source: Source
    position: int  # index of its "{" in the template
    keys: tuple[str, ...] = ()  # Source.FIELD: the name, then its NFKC form when that differs


def _near(source: str, position: int) -> str:
    """A short excerpt starting at `position`, for error messages."""
    excerpt = source[position : position + 12]
    return "“" + excerpt + ("…" if len(source) > position + 12 else "") + "”"


def _error(key: str, source: str, position: int) -> TemplateError:
    return TemplateError(key, position=position, column=position + 1, near=_near(source, position))


def _field(inner: str, position: int, source: str) -> Field:
    name, bar, default = inner.partition("|")
    name = name.strip()
    if not name:
        raise _error("compose.empty_field", source, position)
    folded = unicodedata.normalize("NFKC", name)
    alias = folded.casefold()
    if alias in _NAME_ALIASES:
        return Field(name, default.strip() if bar else None, Source.NAME, position)
    if alias in _PHONE_ALIASES:
        return Field(name, default.strip() if bar else None, Source.PHONE, position)
    keys = (name,) if folded == name else (name, folded)
    return Field(name, default.strip() if bar else None, Source.FIELD, position, keys)


def _value_text(value: Any) -> str:
    """A stored field value as it appears in a message: text as it is, whole numbers without ".0"."""
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def display_phone(e164: str) -> str:
    """A number as written in a Chinese message: 13800138000 for a +86 mobile, 01088886666 for a
    landline, E.164 for anything else."""
    if e164.startswith("+86"):
        rest = e164[3:]
        return rest if rest.startswith("1") and len(rest) == 11 else "0" + rest
    return e164


class Template:
    """A compiled template. Build it with `compile_template`; it is immutable and safe to share."""

    __slots__ = ("_pattern", "_plan", "fields", "source")

    def __init__(self, source: str, pattern: str, fields: tuple[Field, ...]) -> None:
        self.source = source
        self.fields = fields  # every field as written, in order (a field used twice appears twice)
        self._pattern = pattern  # a %-format: the literal text with "%" doubled, "%s" per field
        # What render walks, flat: (source, key, alternative key or "", default) per field.
        self._plan = tuple(
            (f.source, f.keys[0] if f.keys else "", f.keys[1] if len(f.keys) > 1 else "", f.default) for f in fields
        )

    def __repr__(self) -> str:
        return f"Template({self.source!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Template) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)

    @property
    def has_fields(self) -> bool:
        return bool(self.fields)

    @property
    def fields_used(self) -> tuple[str, ...]:
        """The distinct field names, in order of first use, as the user wrote them."""
        return tuple(dict.fromkeys(f.name for f in self.fields))

    def unknown_fields(self, known: Iterable[str]) -> tuple[str, ...]:
        """Field names that are neither the name nor the number and not among `known` field names
        (for example every field key in the contact book), for the compose box to point at."""
        known = set(known)
        return tuple(
            dict.fromkeys(
                f.name for f in self.fields if f.source is Source.FIELD and not any(k in known for k in f.keys)
            )
        )

    def render(self, name: str, phone: str, fields: Mapping[str, Any]) -> str | None:
        """The text for one recipient (`phone` in E.164), or None when a field without a default has no
        value for them (then `missing` says which). The text is not stripped or signed here."""
        if not self._plan:
            return self._pattern
        values = []
        append = values.append
        for source, key, alternative, default in self._plan:
            if source is _FIELD:
                value = fields.get(key)
                if value is None and alternative:
                    value = fields.get(alternative)
                text = value.strip() if value.__class__ is str else _value_text(value)
            elif source is _NAME:
                text = name.strip()
            else:
                text = display_phone(phone) if phone else ""
            if not text:
                if default is None:
                    return None
                text = default
            append(text)
        return self._pattern % tuple(values)

    def missing(self, name: str, phone: str, fields: Mapping[str, Any]) -> tuple[str, ...]:
        """The names of the fields without a default that have no value for this recipient."""
        absent: list[str] = []
        for field in self.fields:
            if field.default is not None or field.name in absent:
                continue
            if field.source is Source.FIELD:
                value = next((v for k in field.keys if (v := fields.get(k)) is not None), None)
                empty = not _value_text(value)
            elif field.source is Source.NAME:
                empty = not name.strip()
            else:
                empty = not phone
            if empty:
                absent.append(field.name)
        return tuple(absent)


def compile_template(source: str) -> Template:
    """Parse a template once. Raises TemplateError with the position of an unclosed or stray brace or
    of a field without a name."""
    pattern: list[str | None] = []  # None: a field's slot
    fields: list[Field] = []
    for match in _TOKEN.finditer(source):
        token = match.group()
        inner = match.group(1)
        if inner is not None:
            fields.append(_field(inner, match.start(), source))
            pattern.append(None)
        elif token == "{{" or token == "}}":
            pattern.append(token[0])
        elif token == "{":
            raise _error("compose.unclosed_brace", source, match.start())
        elif token == "}":
            raise _error("compose.stray_brace", source, match.start())
        else:
            pattern.append(token)
    if not fields:
        # Nothing to merge: the pattern is the text itself (escapes resolved), which render returns.
        return Template(source, "".join(p for p in pattern if p is not None), ())
    return Template(source, "".join("%s" if p is None else p.replace("%", "%%") for p in pattern), tuple(fields))
