"""The settings as a form shows them: in groups, in a fixed order, each with the kind of field that edits it.

The settings themselves are declared next to their use (smsjingling.settings.declare) with a type, a default,
bilingual labels and a check. This module only arranges them: which group a setting is shown in, and, for the
few whose type alone does not say how to edit them, the editor (a send window, a word list, a time zone) or
the values to choose from. A setting declared anywhere and not placed here still appears, in the group
"other", with the editor its type implies, so a new setting needs no form code.

Nothing here imports Qt: the desktop window builds its form from `groups()`, and the wording of a refused
value comes from `problem()`, in the user's language.
"""

from __future__ import annotations

import enum
import importlib
from dataclasses import dataclass, field
from typing import Any

from smsjingling import messages
from smsjingling.errors import ValidationError
from smsjingling.settings import REGISTRY, Setting

# The modules that declare settings; imported so that the registry is complete when a form is built.
DECLARING_MODULES = (
    "smsjingling.settings",
    "smsjingling.compose.signature",
    "smsjingling.compose.pricing",
    "smsjingling.sending.rules",
    "smsjingling.sending.billing",
    "smsjingling.gateway.receiver",
    "smsjingling.replies.matching",
    "smsjingling.replies.unsubscribe",
)


class Editor(enum.StrEnum):
    CHECK = "check"  # bool
    NUMBER = "number"  # int
    TEXT = "text"  # str
    CHOICE = "choice"  # str, one of `choices`
    WINDOW = "window"  # str "HH:MM-HH:MM", or "" for no window
    WORDS = "words"  # list of str
    ZONE = "zone"  # str, an IANA time zone (common ones offered, any may be typed)


@dataclass(frozen=True)
class Choice:
    value: str
    zh: str
    en: str

    def label(self, lang: str | None = None) -> str:
        return self.en if (lang or messages.current_language()) == "en" else self.zh


@dataclass(frozen=True)
class Field:
    setting: Setting[Any]
    editor: Editor
    choices: tuple[Choice, ...] = ()

    @property
    def key(self) -> str:
        return self.setting.key

    def label(self, lang: str | None = None) -> str:
        return self.setting.label_en if (lang or messages.current_language()) == "en" else self.setting.label_zh

    def note(self, lang: str | None = None) -> str:
        """A line under the field saying what the value does, or ""."""
        key = f"settings.note.{self.key}"
        return messages.text(key, lang) if key in messages.CATALOGUE else ""

    def problem(self, value: Any, lang: str | None = None) -> str | None:
        return problem(self.setting, value, lang)


@dataclass(frozen=True)
class Group:
    key: str
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def title(self, lang: str | None = None) -> str:
        return messages.text(f"settings.group.{self.key}", lang)


messages.register(
    {
        "settings.group.signature": ("签名与退订提示", "Signature and unsubscribe note"),
        "settings.group.windows": ("发送时段", "Send windows"),
        "settings.group.caps": ("上限与单价", "Caps and price"),
        "settings.group.retry": ("重试与故障", "Retries and failures"),
        "settings.group.recipients": ("接收人", "Recipients"),
        "settings.group.replies": ("回复与退订", "Replies and unsubscribing"),
        "settings.group.gateway": ("网关与对账", "Gateways and reconciling"),
        "settings.group.retention": ("记录保留", "Record retention"),
        "settings.group.region": ("时区与语言", "Time zone and language"),
        "settings.group.other": ("其他", "Other"),
        "settings.note.compose.signature": (
            "每条短信都会带上签名，例如【市教育局】；可以不写括号。",
            "Every message carries the signature, e.g. 【City Education Bureau】; the brackets are optional.",
        ),
        "settings.note.send.marketing_window": (
            "营销短信只在这个时段内发出，时段外的排队等候；通知类短信不受限制。",
            "Marketing messages go out only within this window and wait outside it; notices are not limited.",
        ),
        "settings.note.gateway.maintenance_window": (
            "服务商在此时段可能维护，经网关的短信暂停发送；短信猫照常发送。",
            "The vendor may be down for maintenance then: gateway sends pause; modems keep sending.",
        ),
        "settings.note.plan.recipient_cap": (
            "合同约定的每次群发上限，超出时整次发送被拒绝。",
            "The contract's limit per send; a send over it is refused as a whole.",
        ),
        "settings.note.plan.daily_max": (
            "套餐的每日条数上限（按计费条数），超出时新的发送被拒绝。",
            "The plan's daily limit (in billed parts); sends over it are refused.",
        ),
        "settings.note.gateway.reconcile_minutes": (
            "按这个间隔向网关查询余额，以供应商的数字为准，差额记入账目。",
            "The gateway is asked for the balance this often; the vendor's figure wins and the difference is booked.",
        ),
        "settings.note.gateway.push_url": (
            "局域网内另一台机器上的 Kannel 或 Jasmin 推送状态报告时用：填写它访问本机的地址，并把上面的地址设为 "
            "0.0.0.0、端口设为固定值。",
            "For a Kannel or Jasmin on another machine of the network pushing reports: the address it reaches this "
            "computer at; set the address above to 0.0.0.0 and a fixed port.",
        ),
        "settings.note.send.require_consent": (
            "开启后，没有记录同意接收的联系人会被跳过。",
            "When on, contacts with no consent on record are skipped.",
        ),
        "settings.note.records.retention_months": (
            "合同要求发送记录至少保留 6 个月；更早的记录可以在下面清理。",
            "The contracts require keeping the send record at least 6 months; older records can be purged below.",
        ),
        "settings.note.ui.language": (
            "重新启动程序后生效。",
            "Takes effect when the program is started again.",
        ),
        "settings.note.ui.timezone": (
            "发送时段、每日上限和报表的日期都按这个时区计算。",
            "Send windows, the daily maximum and report dates use this time zone.",
        ),
    }
)

# Where each setting is shown, group by group, in order; anything not listed goes to "other".
LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("signature", ("compose.signature", "compose.signature_position", "compose.unsubscribe_suffix")),
    ("windows", ("send.marketing_window", "gateway.maintenance_window")),
    ("caps", ("plan.recipient_cap", "plan.daily_max", "billing.price_per_segment_fen")),
    (
        "retry",
        (
            "send.max_attempts",
            "send.retry_base_seconds",
            "send.retry_max_seconds",
            "send.report_timeout_hours",
            "modem.failures_before_rest",
            "modem.rest_minutes",
        ),
    ),
    ("recipients", ("send.require_consent", "import.duplicate_policy")),
    (
        "replies",
        ("replies.unsubscribe_words", "replies.unsubscribe_leading_words", "replies.campaign_window_days"),
    ),
    ("gateway", ("gateway.reconcile_minutes", "gateway.push_bind", "gateway.push_port", "gateway.push_url")),
    ("retention", ("records.retention_months",)),
    ("region", ("ui.timezone", "ui.language")),
)

EDITORS: dict[str, Editor] = {
    "send.marketing_window": Editor.WINDOW,
    "gateway.maintenance_window": Editor.WINDOW,
    "ui.timezone": Editor.ZONE,
}

CHOICES: dict[str, tuple[Choice, ...]] = {
    "compose.signature_position": (
        Choice("prefix", "开头：【单位】正文", "At the start: 【name】text"),
        Choice("suffix", "结尾：正文【单位】", "At the end: text【name】"),
    ),
    "compose.unsubscribe_suffix": (
        Choice("拒收请回复R", "拒收请回复R", "拒收请回复R (reply R to refuse)"),
        Choice("回T退订", "回T退订", "回T退订 (reply T to unsubscribe)"),
        Choice("回TD退订", "回TD退订", "回TD退订 (reply TD to unsubscribe)"),
    ),
    "import.duplicate_policy": (
        Choice("update", "补充并更新已有联系人", "Fill in and update the existing contact"),
        Choice("skip", "跳过，不改动已有联系人", "Skip: leave the existing contact alone"),
        Choice("groups", "只把已有联系人加入分组", "Only add the existing contact to groups"),
    ),
    "ui.language": (
        Choice("", "跟随系统", "Follow the system"),
        Choice("zh", "简体中文", "简体中文 (Simplified Chinese)"),
        Choice("en", "English", "English"),
    ),
}

# Offered in the time zone field; any other IANA name may be typed.
COMMON_ZONES = (
    "Asia/Shanghai",
    "Asia/Urumqi",
    "Asia/Hong_Kong",
    "Asia/Macau",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/London",
    "America/New_York",
    "UTC",
)


def load_declarations() -> None:
    for name in DECLARING_MODULES:
        importlib.import_module(name)


def editor_for(setting: Setting[Any]) -> Editor:
    if setting.key in EDITORS:
        return EDITORS[setting.key]
    if setting.key in CHOICES:
        return Editor.CHOICE
    if setting.type is bool:
        return Editor.CHECK
    if setting.type is int:
        return Editor.NUMBER
    if setting.type is list:
        return Editor.WORDS
    return Editor.TEXT


def field_for(setting: Setting[Any]) -> Field:
    return Field(setting, editor_for(setting), CHOICES.get(setting.key, ()))


def groups() -> list[Group]:
    """Every declared setting, in its group; groups in LAYOUT order, then "other" (if anything is left)."""
    load_declarations()
    placed: set[str] = set()
    result: list[Group] = []
    for key, keys in LAYOUT:
        fields = tuple(field_for(REGISTRY[k]) for k in keys if k in REGISTRY)
        placed.update(keys)
        if fields:
            result.append(Group(key, fields))
    rest = tuple(field_for(REGISTRY[k]) for k in sorted(REGISTRY) if k not in placed)
    if rest:
        result.append(Group("other", rest))
    return result


def problem(setting: Setting[Any], value: Any, lang: str | None = None) -> str | None:
    """Why `value` cannot be stored for `setting`, in the user's language; None when it can."""
    try:
        setting.validate(value)
    except ValidationError as exc:
        if exc.key == "settings.bad_value":
            return one_language(str(exc.params.get("why", "")), lang)
        return exc.message(lang)
    return None


def one_language(text: str, lang: str | None = None) -> str:
    """The checks write a reason in both languages as "English / 中文" (the declarations' convention); keep
    the half in the user's language. Any other text is returned as it is."""
    halves = text.split(" / ")
    if len(halves) != 2:
        return text
    english, chinese = (h.strip() for h in halves)
    return english if (lang or messages.current_language()) == "en" else chinese
