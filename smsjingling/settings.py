"""A typed registry of settings stored in the database, with versioned upgrades (after MusicBrainz Picard).

Each setting is declared once with its type and default; reading a setting never stored gives the default,
and a value of the wrong type is refused when written. When the meaning or shape of stored settings changes,
an upgrade step keyed by version number rewrites them once, in the same transaction that records the new
version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from smsjingling import audit, messages
from smsjingling.errors import ValidationError
from smsjingling.storage.database import Database
from smsjingling.storage.models import Setting as SettingRow

T = TypeVar("T")

messages.register(
    {
        "settings.unknown": ("没有名为 {key} 的设置。", "There is no setting named {key}."),
        "settings.bad_type": (
            "设置 {key} 需要{expected}类型的值，收到：{value}",
            "The setting {key} takes a value of type {expected}, got: {value}",
        ),
        "settings.bad_value": ("设置 {key} 的值 {value} 无效：{why}", "{value} is not valid for {key}: {why}"),
    }
)


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    type: type
    default: T
    label_zh: str
    label_en: str
    check: Callable[[T], str | None] | None = None  # returns why a value is wrong, or None

    def validate(self, value: Any) -> T:
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            raise ValidationError("settings.bad_type", key=self.key, expected=self.type.__name__, value=value)
        if self.check and (why := self.check(value)):
            raise ValidationError("settings.bad_value", key=self.key, value=value, why=why)
        return value


REGISTRY: dict[str, Setting[Any]] = {}


def declare(setting: Setting[T]) -> Setting[T]:
    if setting.key in REGISTRY:
        raise ValueError(f"setting declared twice: {setting.key}")
    REGISTRY[setting.key] = setting
    return setting


def _positive(value: int) -> str | None:
    return None if value > 0 else "must be > 0 / 必须大于 0"


def _signature_check(value: str) -> str | None:
    """Empty is allowed (a composer asks for one before sending); anything else must normalise to 【name】."""
    if not value.strip():
        return None
    # Imported here: compose.signature declares settings of its own, so it imports this module.
    from smsjingling.compose.signature import normalize_signature

    try:
        normalize_signature(value)
    except ValidationError as exc:
        return f"{exc.message('en')} / {exc.message('zh')}"
    return None


# The settings this part of the program needs; later parts declare theirs next to their use.
SIGNATURE = declare(
    Setting("compose.signature", str, "", "短信签名（【单位名称】）", "Signature (【organisation】)", _signature_check)
)
REQUIRE_CONSENT = declare(
    Setting("send.require_consent", bool, False, "只发送给已同意接收的联系人", "Send only to contacts who consented")
)
# "" follows the system's language; the window reads this at start (ui.i18n), so a change applies on restart.
LANGUAGE = declare(
    Setting(
        "ui.language",
        str,
        "",
        "界面语言",
        "Language",
        lambda v: None if v in ("", "zh", "en") else "zh, en or empty (follow the system) / zh、en 或留空（跟随系统）",
    )
)
IMPORT_DUPLICATE_POLICY = declare(
    Setting(
        "import.duplicate_policy",
        str,
        "update",
        "导入时号码已存在",
        "On import, numbers already in the book",
        lambda v: None if v in ("update", "skip", "groups") else "update, skip or groups",
    )
)
# The contracts oblige six months at least (smsjingling.records.retention enforces the same floor).
RETENTION_MONTHS = declare(
    Setting(
        "records.retention_months",
        int,
        6,
        "发送记录保留月数",
        "Keep send records (months)",
        lambda v: None if v >= 6 else "at least 6 months / 至少保留 6 个月",
    )
)

SCHEMA_KEY = "settings.version"
# version -> step; each step gets the session and rewrites stored rows of an older layout.
UPGRADES: dict[int, Callable[[Session], None]] = {}
VERSION = max(UPGRADES, default=1)


class Settings:
    def __init__(self, db: Database, actor: str | None = None) -> None:
        self.db = db
        self.actor = actor
        with db.session() as s:
            self._upgrade(s)

    def get(self, setting: Setting[T]) -> T:
        with self.db.reader() as s:
            row = s.get(SettingRow, setting.key)
            if row is None:
                return setting.default
            try:
                return setting.validate(row.value)
            except ValidationError:
                # A value damaged outside the program must not stop it; the default is the safe reading.
                return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        value = setting.validate(value)
        with self.db.session() as s:
            row = s.get(SettingRow, setting.key)
            old = None if row is None else row.value
            if row is None:
                s.add(SettingRow(key=setting.key, value=value))
            else:
                row.value = value
            audit.record(s, "settings.change", {"key": setting.key, "from": old, "to": value}, actor=self.actor)

    def set_many(self, values: dict[str, Any]) -> None:
        """Several settings by key, checked first and written in one transaction (all or none), each change
        audited as by `set`. Values equal to the stored ones are not written again."""
        checked: dict[str, Any] = {}
        for key, value in values.items():
            if key not in REGISTRY:
                raise ValidationError("settings.unknown", key=key)
            checked[key] = REGISTRY[key].validate(value)
        with self.db.session() as s:
            for key, value in checked.items():
                row = s.get(SettingRow, key)
                old = REGISTRY[key].default if row is None else row.value
                if row is not None and old == value:
                    continue
                if row is None:
                    s.add(SettingRow(key=key, value=value))
                else:
                    row.value = value
                audit.record(s, "settings.change", {"key": key, "from": old, "to": value}, actor=self.actor)

    def set_by_key(self, key: str, value: Any) -> None:
        if key not in REGISTRY:
            raise ValidationError("settings.unknown", key=key)
        self.set(REGISTRY[key], value)

    def all(self) -> dict[str, Any]:
        with self.db.reader() as s:
            stored = {r.key: r.value for r in s.execute(select(SettingRow)).scalars()}
        return {k: stored.get(k, d.default) for k, d in REGISTRY.items()}

    def _upgrade(self, s: Session) -> None:
        row = s.get(SettingRow, SCHEMA_KEY)
        version = row.value if row else VERSION
        for step in sorted(v for v in UPGRADES if v > version):
            UPGRADES[step](s)
        if row is None:
            s.add(SettingRow(key=SCHEMA_KEY, value=VERSION))
        elif row.value != VERSION:
            row.value = VERSION
