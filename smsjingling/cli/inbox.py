"""`inbox` command: received messages, newest first, and marking them read."""

from __future__ import annotations

import argparse

from smsjingling import messages
from smsjingling.cli.output import table
from smsjingling.replies.inbox import Inbox, InboxItem
from smsjingling.storage.database import open_database

messages.register(
    {
        "cli.inbox_headers": (
            "编号|时间|号码|联系人|内容|回复活动|退订|状态",
            "ID|Received|From|Contact|Text|Campaign|Unsubscribed|State",
        ),
        "cli.inbox_total": ("共 {count} 条，未读 {unread} 条", "{count} in all, {unread} unread"),
        "cli.inbox_marked": ("已标记 {count} 条为已读", "Marked {count} as read"),
        "cli.inbox_unread": ("未读", "unread"),
        "cli.inbox_incomplete": ("不完整", "incomplete"),
        "cli.inbox_unsubscribed": ("已退订", "yes"),
    }
)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("inbox", help="received messages and replies / 收件箱")
    p.add_argument("--unread", action="store_true", help="only messages not read yet")
    p.add_argument("--campaign", type=int, metavar="ID", help="only replies to this campaign")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    p.set_defaults(handler=_list)
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    r = sub.add_parser("read", help="mark messages as read")
    r.add_argument("ids", type=int, nargs="+", metavar="ID")
    r.set_defaults(handler=_read)


def _inbox(args: argparse.Namespace) -> Inbox:
    return Inbox(open_database(args.db))


def _state(item: InboxItem) -> str:
    states = [] if item.read else [messages.text("cli.inbox_unread")]
    if not item.complete:
        states.append(messages.text("cli.inbox_incomplete"))
    return "、".join(states)


def _list(args: argparse.Namespace) -> int:
    inbox = _inbox(args)
    items = inbox.items(unread=args.unread, campaign_id=args.campaign, limit=args.limit, offset=args.offset)
    rows = [
        (
            item.id,
            item.received_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            item.sender,
            item.contact_name,
            " ".join(item.text.split()),  # one line per message in a terminal
            item.campaign_name,
            messages.text("cli.inbox_unsubscribed") if item.opted_out else "",
            _state(item),
        )
        for item in items
    ]
    table(messages.text("cli.inbox_headers").split("|"), rows)
    total = inbox.count(unread=args.unread, campaign_id=args.campaign)
    print(messages.text("cli.inbox_total", count=total, unread=inbox.count_unread()))
    return 0


def _read(args: argparse.Namespace) -> int:
    print(messages.text("cli.inbox_marked", count=_inbox(args).mark_read(args.ids)))
    return 0
