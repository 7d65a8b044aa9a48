"""Reading the audit log (smsjingling.audit writes it): filtered, a page at a time, newest first; the actions in
words; its chain checked with the rows where it breaks; and exported to .xlsx or .csv for the authorities.

The file is in Chinese whatever the interface language, like the send record's export. Columns: 时间 (local
wall time), 操作人, 计算机, 操作 (in words), 操作代码 (the action key), 详情 (the details as JSON), 编号.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, or_, select
from sqlalchemy.orm import Session

from smsjingling import audit, messages
from smsjingling.records.export import ExportCancelled
from smsjingling.records.period import Period, wall_time
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent
from smsjingling.tabular import DATETIME, write_table

# Every action the core records, in words. An action this version does not know is shown by its key.
ACTIONS: dict[str, tuple[str, str]] = {
    "account.adjust": ("调整账户余额", "Balance adjusted"),
    "account.configure": ("设置预付费账户", "Account set up"),
    "account.open": ("开立预付费账户", "Account opened"),
    "account.plan_saved": ("保存套餐", "Plan saved"),
    "account.reconcile": ("核对余额", "Balance reconciled"),
    "account.top_up": ("账户充值", "Account topped up"),
    "campaign.cancel": ("取消发送任务", "Campaign cancelled"),
    "campaign.refused": ("发送任务被拒绝", "Campaign refused"),
    "campaign.create": ("创建发送任务", "Campaign created"),
    "campaign.pause": ("暂停发送任务", "Campaign paused"),
    "campaign.queue": ("短信排队待发", "Messages queued"),
    "campaign.resend": ("重发短信", "Messages resent"),
    "campaign.resume": ("继续发送任务", "Campaign resumed"),
    "channel.add": ("添加通道", "Channel added"),
    "channel.disable": ("停用通道", "Channel disabled"),
    "channel.enable": ("启用通道", "Channel enabled"),
    "channel.pin_entered": ("输入 SIM 卡 PIN 码", "SIM PIN entered"),
    "channel.test_send": ("测试发送", "Test message sent"),
    "channel.remove": ("删除通道", "Channel removed"),
    "contact.add": ("添加联系人", "Contact added"),
    "contact.consent": ("记录同意接收", "Consent recorded"),
    "contact.delete": ("删除联系人", "Contacts deleted"),
    "contact.edit": ("修改联系人", "Contact edited"),
    "contacts.export": ("导出通讯录", "Contacts exported"),
    "contacts.import": ("导入通讯录", "Contacts imported"),
    "group.add_members": ("加入分组", "Added to a group"),
    "group.create": ("新建分组", "Group created"),
    "group.delete": ("删除分组", "Group deleted"),
    "group.remove_members": ("移出分组", "Removed from a group"),
    "group.rename": ("重命名分组", "Group renamed"),
    "keywords.add": ("添加禁用词", "Banned words added"),
    "keywords.allow": ("本次发送允许禁用词", "Banned words allowed for one send"),
    "keywords.defaults": ("载入默认禁用词", "Default banned words loaded"),
    "keywords.disable": ("停用禁用词", "Banned words disabled"),
    "keywords.disable_category": ("停用一类禁用词", "A category of banned words disabled"),
    "keywords.enable": ("启用禁用词", "Banned words enabled"),
    "keywords.enable_category": ("启用一类禁用词", "A category of banned words enabled"),
    "keywords.import": ("导入禁用词", "Banned words imported"),
    "keywords.remove": ("删除禁用词", "Banned words removed"),
    "optout.add": ("加入退订名单", "Put on the opt-out list"),
    "optout.note": ("修改退订备注", "Opt-out note changed"),
    "optout.remove": ("移出退订名单", "Taken off the opt-out list"),
    "records.export": ("导出发送记录", "Send record exported"),
    "records.purge": ("清理过期发送记录", "Old send record purged"),
    "schedule.change": ("修改定时任务", "Schedule changed"),
    "schedule.missed": ("定时任务错过时间", "Scheduled send missed"),
    "schedule.run_now": ("定时任务立即发送", "Scheduled send run now"),
    "settings.change": ("修改设置", "Setting changed"),
    "audit.export": ("导出审计日志", "Audit log exported"),
}
messages.register({f"audit.action.{key}": pair for key, pair in ACTIONS.items()})
messages.register({"audit.bad_event": ("找不到日志记录（编号 {id}）。", "No audit event {id}.")})


def action_text(action: str, lang: str | None = None) -> str:
    key = f"audit.action.{action}"
    return messages.text(key, lang) if key in messages.CATALOGUE else action


def details_text(details: Mapping[str, Any], lang: str | None = None) -> str:
    """The details on one line as a person reads them: key：value, lists and nested values as JSON (with
    Chinese punctuation, or English in English)."""
    colon, semicolon = ("：", "；") if (lang or messages.current_language()) != "en" else (": ", "; ")
    parts = []
    for key, value in details.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        parts.append(f"{key}{colon}{shown}")
    return semicolon.join(parts)


@dataclass(frozen=True)
class AuditQuery:
    action: str = ""  # an action key ("campaign.create"), or an area ending in "." ("campaign.")
    actor: str = ""
    period: Period | None = None  # local days; None: all time
    text: str = ""  # part of the details, the actor, the machine or the action key


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime  # aware UTC
    actor: str
    machine: str
    action: str
    details: dict[str, Any]


def _conditions(query: AuditQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query.action.endswith("."):
        where.append(AuditEvent.action.startswith(query.action, autoescape=True))
    elif query.action:
        where.append(AuditEvent.action == query.action)
    if query.actor:
        where.append(AuditEvent.actor == query.actor)
    if query.period is not None:
        start, end = query.period.bounds()
        where += [AuditEvent.at >= start, AuditEvent.at < end]
    text = query.text.strip()
    if text:
        # JSON is stored with Chinese as it is (storage.database), so a name in the details is found as typed.
        where.append(
            or_(
                cast(AuditEvent.details, String).contains(text, autoescape=True),
                AuditEvent.actor.contains(text, autoescape=True),
                AuditEvent.machine.contains(text, autoescape=True),
                AuditEvent.action.contains(text, autoescape=True),
            )
        )
    return where


def _row(event: AuditEvent) -> AuditRow:
    return AuditRow(event.id, event.at, event.actor, event.machine, event.action, dict(event.details or {}))


def events(
    session: Session, query: AuditQuery = AuditQuery(), *, below_id: int | None = None, limit: int = 200
) -> list[AuditRow]:
    """Newest first, `limit` older than `below_id` (None: from the newest)."""
    stmt = select(AuditEvent).where(*_conditions(query))
    if below_id is not None:
        stmt = stmt.where(AuditEvent.id < below_id)
    return [_row(e) for e in session.execute(stmt.order_by(AuditEvent.id.desc()).limit(limit)).scalars()]


def newer(session: Session, query: AuditQuery, *, above_id: int, limit: int = 200) -> list[AuditRow]:
    stmt = select(AuditEvent).where(*_conditions(query), AuditEvent.id > above_id)
    return [_row(e) for e in session.execute(stmt.order_by(AuditEvent.id.desc()).limit(limit)).scalars()]


def count(session: Session, query: AuditQuery = AuditQuery()) -> int:
    return session.execute(select(func.count(AuditEvent.id)).where(*_conditions(query))).scalar_one()


def actions(session: Session) -> list[str]:
    """The actions the log holds, for a filter menu."""
    return list(session.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars())


def actors(session: Session) -> list[str]:
    return list(session.execute(select(AuditEvent.actor).distinct().order_by(AuditEvent.actor)).scalars())


@dataclass(frozen=True, slots=True)
class BrokenEvent:
    """Where the chain breaks, with what a person needs to find the row."""

    id: int
    reason: str  # "edited" or "gap" (see audit.ChainBreak)
    at: datetime | None
    actor: str
    action: str


@dataclass(frozen=True, slots=True)
class ChainCheck:
    total: int  # events in the log
    breaks: tuple[BrokenEvent, ...]

    @property
    def intact(self) -> bool:
        return not self.breaks


def check_chain(db: Database) -> ChainCheck:
    """audit.verify_chain over the whole log, in one consistent read."""
    with db.reader() as s:
        found = audit.verify_chain(s)
        total = s.execute(select(func.count(AuditEvent.id))).scalar_one()
        rows = {
            e.id: e
            for e in s.execute(select(AuditEvent).where(AuditEvent.id.in_([b.event_id for b in found]))).scalars()
        }
        breaks = tuple(
            BrokenEvent(
                b.event_id,
                b.reason,
                rows[b.event_id].at if b.event_id in rows else None,
                rows[b.event_id].actor if b.event_id in rows else "",
                rows[b.event_id].action if b.event_id in rows else "",
            )
            for b in found
        )
    return ChainCheck(total, breaks)


HEADERS = ("时间", "操作人", "计算机", "操作", "操作代码", "详情", "编号")
FORMATS = (DATETIME, None, None, None, None, None, None)
SHEET = "审计日志"


def export_audit(
    db: Database,
    path: str | os.PathLike[str],
    query: AuditQuery = AuditQuery(),
    *,
    tz: tzinfo | None = None,
    fmt: str | None = None,
    encoding: str = "utf-8-sig",
    actor: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    page: int = 2000,
) -> int:
    """Write the events `query` finds, oldest first, to `path` (.xlsx, or .csv by extension or `fmt`);
    returns how many. Nothing is written when cancelled (ExportCancelled). The export is itself audited."""
    target = Path(path)
    with (
        db.reader() as s,
        write_table(target, HEADERS, sheet=SHEET, encoding=encoding, formats=FORMATS, fmt=fmt) as out,
    ):
        total = count(s, query)
        after = 0
        while True:
            if cancel is not None and cancel.is_set():
                raise ExportCancelled
            batch = list(
                s.execute(
                    select(AuditEvent)
                    .where(*_conditions(query), AuditEvent.id > after)
                    .order_by(AuditEvent.id)
                    .limit(page)
                ).scalars()
            )
            if not batch:
                break
            for e in batch:
                out.append(
                    [
                        wall_time(e.at, tz),
                        e.actor,
                        e.machine,
                        action_text(e.action, "zh"),
                        e.action,
                        json.dumps(e.details, ensure_ascii=False, default=str),
                        e.id,
                    ]
                )
            after = batch[-1].id
            if progress is not None:
                progress(out.rows, total)
    details: dict[str, Any] = {"file": target.name, "count": out.rows}
    if query.period is not None:
        details |= query.period.describe()
    details |= {k: v for k, v in (("action", query.action), ("actor", query.actor), ("text", query.text)) if v}
    with db.session() as s:
        audit.record(s, "audit.export", details, actor=actor)
    return out.rows
