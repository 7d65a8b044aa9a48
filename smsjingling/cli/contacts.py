"""`contacts`, `groups` and `optout` commands."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from smsjingling import messages
from smsjingling.cli.output import table
from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.export import export_contacts, national
from smsjingling.contacts.search import ContactQuery
from smsjingling.errors import ValidationError
from smsjingling.importer.run import DuplicatePolicy, ImportOptions, import_contacts
from smsjingling.phones import Carrier
from smsjingling.storage.database import open_database
from smsjingling.storage.models import OptOutReason

messages.register(
    {
        "cli.bad_map": (
            "--map 需要“列名=字段”的形式，收到：{value}",
            "--map takes COLUMN=FIELD, got: {value}",
        ),
        "cli.exported": ("已导出 {count} 个联系人到 {file}", "Exported {count} contacts to {file}"),
        "cli.report_saved": ("未导入行的报告已保存到 {file}", "The report of rejected rows was saved to {file}"),
        "cli.deleted": ("已删除 {count} 个联系人", "Deleted {count} contacts"),
        "cli.headers": ("姓名|手机号码|运营商|归属地|分组|退订", "Name|Phone|Carrier|Region|Groups|Opted out"),
        "cli.group_headers": ("分组|人数|备注", "Group|Members|Note"),
        "cli.optout_headers": ("号码|原因|时间|联系人|说明", "Phone|Reason|When|Contact|Note"),
        "cli.total": ("共 {count} 个", "{count} in all"),
    }
)


def register(commands: argparse._SubParsersAction) -> None:
    c = commands.add_parser("contacts", help="import, list, search and export contacts / 通讯录")
    sub = c.add_subparsers(dest="action", required=True, metavar="ACTION")

    p = sub.add_parser("import", help="import a spreadsheet (.xlsx .xls .ods .csv)")
    p.add_argument("file", type=Path)
    p.add_argument("--group", action="append", default=[], help="put everyone into this group (repeatable)")
    p.add_argument("--sheet", help="sheet name or 1-based number (default: the first with data)")
    p.add_argument("--header-row", type=int, help="the header's row number (default: found automatically)")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="列名=field",
        help="map a column: name, phone, group, consent, ignore, or a field name",
    )
    p.add_argument(
        "--policy",
        choices=[p.value for p in DuplicatePolicy],
        default=DuplicatePolicy.UPDATE.value,
        help="numbers already in the book: update (default), skip, or only add to groups",
    )
    p.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
    p.add_argument("--report", type=Path, help="write rejected rows to this .xlsx")
    p.set_defaults(handler=_import)

    for name, help_text in (("list", "list contacts"), ("search", "search by name, number or any field")):
        p = sub.add_parser(name, help=help_text)
        if name == "search":
            p.add_argument("text")
        p.add_argument("--group")
        p.add_argument("--limit", type=int, default=100)
        p.add_argument("--offset", type=int, default=0)
        p.set_defaults(handler=_list)

    p = sub.add_parser("export", help="export to .xlsx or .csv")
    p.add_argument("file", type=Path)
    p.add_argument("--group")
    p.add_argument("--search", default="")
    p.add_argument("--gbk", action="store_true", help="CSV in GBK (GB18030) for Excel on Chinese Windows")
    p.set_defaults(handler=_export)

    p = sub.add_parser("add", help="add one contact")
    p.add_argument("name")
    p.add_argument("phone")
    p.add_argument("--group", action="append", default=[])
    p.set_defaults(handler=_add)

    p = sub.add_parser("delete", help="delete contacts by id")
    p.add_argument("ids", type=int, nargs="+")
    p.set_defaults(handler=_delete)

    g = commands.add_parser("groups", help="contact groups / 分组")
    gsub = g.add_subparsers(dest="action", required=True, metavar="ACTION")
    gsub.add_parser("list").set_defaults(handler=_groups_list)
    p = gsub.add_parser("create")
    p.add_argument("name")
    p.add_argument("--note", default="")
    p.set_defaults(handler=lambda a: _book(a).create_group(a.name, a.note) is None)
    p = gsub.add_parser("rename")
    p.add_argument("old")
    p.add_argument("new")
    p.set_defaults(handler=lambda a: _book(a).rename_group(a.old, a.new))
    p = gsub.add_parser("delete", help="delete a group (its contacts stay)")
    p.add_argument("name")
    p.set_defaults(handler=lambda a: _book(a).delete_group(a.name))

    o = commands.add_parser("optout", help="the opt-out list / 退订名单")
    osub = o.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = osub.add_parser("add")
    p.add_argument("phone")
    p.add_argument("--reason", choices=[r.value for r in OptOutReason], default=OptOutReason.MANUAL.value)
    p.add_argument("--note", default="")
    p.set_defaults(handler=lambda a: _book(a).add_optout(a.phone, a.reason, a.note) is None)
    p = osub.add_parser("remove")
    p.add_argument("phone")
    p.set_defaults(handler=lambda a: _book(a).remove_optout(a.phone))
    osub.add_parser("list").set_defaults(handler=_optout_list)


def _book(args: argparse.Namespace) -> ContactBook:
    return ContactBook(open_database(args.db))


def _query(args: argparse.Namespace, book: ContactBook, text: str = "") -> ContactQuery:
    group_id = book.group(args.group).id if getattr(args, "group", None) else None
    return ContactQuery(text=text, group_id=group_id)


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep or not column.strip() or not target.strip():
            raise ValidationError("cli.bad_map", value=pair)
        mapping[column.strip()] = target.strip()
    return mapping


def _import(args: argparse.Namespace) -> int:
    sheet: str | int | None = args.sheet
    if isinstance(sheet, str) and sheet.isdigit():
        sheet = int(sheet) - 1
    options = ImportOptions(
        sheet=sheet,
        header_row=args.header_row,
        mapping=_mapping(args.map),
        groups=args.group,
        policy=DuplicatePolicy(args.policy),
        dry_run=args.dry_run,
    )
    db = open_database(args.db)
    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    report = import_contacts(db, args.file, options, progress=progress, cancel=threading.Event())
    if show:
        print(file=sys.stderr)
    print(report.summary())
    for problem in report.rejected[:50]:
        print(f"  {problem.row}\t{problem.column}\t{problem.value}\t{problem.reason()}")
    if len(report.rejected) > 50:
        print(f"  … +{len(report.rejected) - 50}")
    if args.report and (report.rejected or report.in_file_duplicates):
        report.export_xlsx(args.report)
        print(messages.text("cli.report_saved", file=args.report))
    return 1 if report.rejected else 0


def _list(args: argparse.Namespace) -> int:
    book = _book(args)
    query = _query(args, book, getattr(args, "text", ""))
    records = book.search(query, limit=args.limit, offset=args.offset)
    yes = "是" if messages.current_language() == "zh" else "yes"
    table(
        messages.text("cli.headers").split("|"),
        [
            (
                r.name,
                national(r.phone, r.sms_capable),
                Carrier(r.carrier).display_name(),
                r.region,
                "、".join(r.groups),
                yes if r.opted_out else "",
            )
            for r in records
        ],
    )
    print(messages.text("cli.total", count=book.count(query)))
    return 0


def _export(args: argparse.Namespace) -> int:
    book = _book(args)
    count = export_contacts(
        book.db, args.file, _query(args, book, args.search), encoding="gbk" if args.gbk else "utf-8-sig"
    )
    print(messages.text("cli.exported", count=count, file=args.file))
    return 0


def _add(args: argparse.Namespace) -> int:
    record = _book(args).add(args.name, args.phone, groups=args.group)
    print(record.id)
    return 0


def _delete(args: argparse.Namespace) -> int:
    print(messages.text("cli.deleted", count=_book(args).delete(args.ids)))
    return 0


def _groups_list(args: argparse.Namespace) -> int:
    table(messages.text("cli.group_headers").split("|"), [(g.name, g.members, g.note) for g in _book(args).groups()])
    return 0


def _optout_list(args: argparse.Namespace) -> int:
    rows = [
        (o.phone, o.reason, o.created_at.astimezone().strftime("%Y-%m-%d %H:%M"), o.contact_name, o.note)
        for o in _book(args).optouts()
    ]
    table(messages.text("cli.optout_headers").split("|"), rows)
    return 0
