"""`records` (export, traffic report, purge) and `audit verify`: the send record from a terminal."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from smsjingling import audit, messages
from smsjingling.cli.output import table
from smsjingling.errors import NotFoundError, ValidationError
from smsjingling.records import report as traffic
from smsjingling.records.export import export_records
from smsjingling.records.labels import parse_status
from smsjingling.records.period import Period, parse_date, user_zone, wall_time, zone
from smsjingling.records.query import RecordFilter
from smsjingling.records.retention import plan_purge, purge
from smsjingling.storage.database import Database, open_database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Channel

messages.register(
    {
        "cli.records_exported": (
            "已导出 {count} 条发送记录到 {file}",
            "Exported {count} messages of the send record to {file}",
        ),
        "cli.report_written": ("流量报告已保存到 {file}", "The traffic report was saved to {file}"),
        "cli.no_such_channel": ("找不到通道：{value}", "No such channel: {value}"),
        "cli.purge_plan": (
            "将删除 {before} 之前的 {count} 条发送记录（连同其状态记录）。",
            "This removes {count} messages of the send record from before {before}, with their status history.",
        ),
        "cli.purge_in_flight": (
            "另有 {count} 条同样旧但仍在排队或发送中的记录会保留。",
            "{count} as old but still queued or sending are kept.",
        ),
        "cli.purge_confirm": ("确定删除吗？[y/N] ", "Delete them? [y/N] "),
        "cli.purge_needs_yes": (
            "未删除任何记录：不在终端中运行时需要加 --yes 确认。",
            "Nothing was deleted: when not run from a terminal, confirm with --yes.",
        ),
        "cli.purge_aborted": ("已取消，未删除任何记录。", "Cancelled; nothing was deleted."),
        "cli.purged": (
            "已删除 {messages} 条发送记录、{events} 条状态记录。",
            "Removed {messages} messages and {events} status changes.",
        ),
        "cli.audit_ok": (
            "OK：审计日志完整，{count} 条记录，哈希链无断裂。",
            "OK: the audit log is intact, {count} events, the chain unbroken.",
        ),
        "cli.audit_broken": (
            "审计日志已被改动：{count} 处断裂。",
            "The audit log was tampered with: {count} break(s) in the chain.",
        ),
        "cli.audit_edited": (
            "第 {id} 条（{at} {actor} {action}）：内容与其哈希不符，此行被修改过",
            "event {id} ({at} {actor} {action}): its content does not match its hash; the row was edited",
        ),
        "cli.audit_gap": (
            "第 {id} 条（{at} {actor} {action}）：与前一条不相连，前一条被删除或修改过",
            "event {id} ({at} {actor} {action}): does not follow from the one before; that one was deleted or edited",
        ),
    }
)


def register(commands: argparse._SubParsersAction) -> None:
    r = commands.add_parser("records", help="the send record: export, traffic report, purge / 发送记录")
    sub = r.add_subparsers(dest="action", required=True, metavar="ACTION")

    p = sub.add_parser("export", help="export the record of a period to .xlsx or .csv")
    _period_arguments(p)
    p.add_argument("--format", choices=("xlsx", "csv"), help="default: from OUT's extension (.csv, else .xlsx)")
    p.add_argument("--gbk", action="store_true", help="CSV in GBK (GB18030) for Excel on Chinese Windows")
    p.add_argument("--campaign", type=int, metavar="ID", help="only this campaign")
    p.add_argument("--status", action="append", default=[], help="only this status (delivered, 失败 …; repeatable)")
    p.add_argument("--channel", metavar="NAME|ID", help="only this channel")
    p.add_argument("out", type=Path, metavar="OUT")
    p.set_defaults(handler=_export)

    p = sub.add_parser("report", help="traffic per day and channel; printed, or saved with --out")
    _period_arguments(p)
    p.add_argument("--out", type=Path, metavar="FILE", help="save to .xlsx or .csv instead of printing")
    p.add_argument("--gbk", action="store_true", help="CSV in GBK (GB18030)")
    p.add_argument("--campaign", type=int, metavar="ID", help="only this campaign")
    p.add_argument("--channel", metavar="NAME|ID", help="only this channel")
    p.set_defaults(handler=_report)

    p = sub.add_parser("purge", help="delete records from before a date (never younger than the retention period)")
    p.add_argument("--before", type=_date, required=True, metavar="DATE", help="records before this day go")
    p.add_argument("--tz", help="time zone of the date (default: the ui.timezone setting)")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=_purge)

    a = commands.add_parser("audit", help="the audit log / 审计日志")
    asub = a.add_subparsers(dest="action", required=True, metavar="ACTION")
    asub.add_parser("verify", help="check the hash chain; exit code 1 when broken").set_defaults(handler=_verify)


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from exc


def _period_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE", help="first day, included")
    p.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE", help="last day, NOT included")
    p.add_argument("--tz", help="time zone of the dates (default: the ui.timezone setting, e.g. Asia/Shanghai)")


def _period(args: argparse.Namespace, db: Database) -> Period:
    return Period(args.start, args.end, zone(args.tz) if args.tz else user_zone(db))


def _channel_id(db: Database, value: str | None) -> int | None:
    if not value:
        return None
    with db.reader() as s:
        found = s.execute(select(Channel.id).where(Channel.name == value)).scalar()
        if found is None and value.isdigit():
            found = s.execute(select(Channel.id).where(Channel.id == int(value))).scalar()
    if found is None:
        raise NotFoundError("cli.no_such_channel", value=value)
    return found


def _filter(args: argparse.Namespace, db: Database) -> RecordFilter:
    return RecordFilter(
        campaign_id=args.campaign,
        statuses=tuple(dict.fromkeys(parse_status(s).value for s in getattr(args, "status", []))),
        channel_id=_channel_id(db, args.channel),
    )


def _export(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    count = export_records(
        db,
        args.out,
        _period(args, db),
        _filter(args, db),
        encoding="gbk" if args.gbk else "utf-8-sig",
        fmt=args.format,
    )
    print(messages.text("cli.records_exported", count=count, file=args.out))
    return 0


def _report(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    result = traffic.traffic_report(db, _period(args, db), _filter(args, db))
    if args.out:
        traffic.write_report(result, args.out, encoding="gbk" if args.gbk else "utf-8-sig")
        print(messages.text("cli.report_written", file=args.out))
    else:
        table(traffic.headers(), traffic.table_rows(result))
    return 0


def _purge(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    tz = zone(args.tz) if args.tz else user_zone(db)
    plan = plan_purge(db, args.before, tz=tz)  # refuses a date too young before asking anything
    print(messages.text("cli.purge_plan", count=plan.count, before=args.before.isoformat()))
    if plan.in_flight:
        print(messages.text("cli.purge_in_flight", count=plan.in_flight))
    if not args.yes:
        if not sys.stdin.isatty():
            print(messages.text("cli.purge_needs_yes"), file=sys.stderr)
            return 1
        if input(messages.text("cli.purge_confirm")).strip().lower() not in ("y", "yes", "是"):
            print(messages.text("cli.purge_aborted"))
            return 1
    result = purge(db, args.before, tz=tz)
    print(messages.text("cli.purged", messages=result.messages, events=result.events))
    return 0


def _verify(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    tz = user_zone(db)
    with db.reader() as s:
        breaks = audit.verify_chain(s)
        total = s.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
        ids = [b.event_id for b in breaks]
        events = {e.id: e for e in s.execute(select(AuditEvent).where(AuditEvent.id.in_(ids))).scalars()}
    if not breaks:
        print(messages.text("cli.audit_ok", count=total))
        return 0
    print(messages.text("cli.audit_broken", count=len(breaks)))
    for b in breaks:
        e = events[b.event_id]
        key = "cli.audit_edited" if b.reason == "edited" else "cli.audit_gap"
        at = wall_time(e.at, tz).strftime("%Y-%m-%d %H:%M:%S")
        print("  " + messages.text(key, id=e.id, at=at, actor=e.actor, action=e.action))
    return 1
