"""`send`, `campaigns`, `channels` and `run`: sending from a terminal, and the long-running dispatcher.

`channels add-gateway NAME --adapter vendor|smsbao|yunpian|kannel|jasmin|generic ...` adds a gateway; its
password or key is asked for without echo, or read from an environment variable (--secret-env) or the first
line of standard input (--secret-stdin), never taken on the command line (where the shell history and the
process list would keep it), and goes to the system keyring only. `channels test NAME` asks the vendor for
the balance."""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import sys
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from smsjingling import messages
from smsjingling.cli.output import table
from smsjingling.compose.pricing import yuan
from smsjingling.errors import ValidationError
from smsjingling.events import Event
from smsjingling.gateway.errors import BalanceUnsupported
from smsjingling.gateway.factory import ADAPTERS
from smsjingling.records.labels import reason_text, status_text
from smsjingling.sending import record
from smsjingling.sending.campaigns import CampaignRequest, Campaigns
from smsjingling.sending.channels import Channels
from smsjingling.sending.expand import Recipients
from smsjingling.sending.rules import REPORT_TIMEOUT_HOURS, TIMEZONE
from smsjingling.sending.service import SendingService
from smsjingling.settings import Settings
from smsjingling.storage.database import Database, open_database
from smsjingling.storage.sending import Campaign, CampaignKind, MessageStatus
from smsjingling.storage.types import utcnow

messages.register(
    {
        "cli.bad_time": (
            "时间格式不对：{value}（例如 2026-12-01 09:00）",
            "Not a time: {value} (e.g. 2026-12-01 09:00)",
        ),
        "cli.no_recipients": (
            "请用 --group、--to 或 --contact 指定接收人",
            "Name the recipients with --group, --to or --contact",
        ),
        "cli.queued": (
            "任务 {id} 已创建：{queued} 条待发送，{other} 个未发送（见 campaigns show {id}）",
            "Campaign {id} created: {queued} queued, {other} not sent (see campaigns show {id})",
        ),
        "cli.scheduled": ("任务 {id} 已安排在 {at} 发送", "Campaign {id} is scheduled for {at}"),
        "cli.campaign_headers": (
            "编号|名称|类型|状态|创建人|创建时间|计划时间|待发|已发|送达|失败|其他",
            "ID|Name|Kind|Status|By|Created|Starts|Queued|Sent|Delivered|Failed|Other",
        ),
        "cli.channel_headers": (
            "编号|名称|类型|地址|启用|运营商|每分钟|每小时|每天",
            "ID|Name|Kind|Address|Enabled|Carrier|Per minute|Per hour|Per day",
        ),
        "cli.message_headers": (
            "号码|状态|原因|尝试|通道|发送时间|内容",
            "Phone|Status|Reason|Tries|Channel|Sent|Text",
        ),
        "cli.done": ("完成：{count} 条", "Done: {count}"),
        "cli.running": (
            "发送服务已启动（{channels} 个通道），按 Ctrl+C 停止。",
            "The sending service is running ({channels} channel(s)); press Ctrl+C to stop.",
        ),
        "cli.stopped": ("发送服务已停止。", "The sending service has stopped."),
        "cli.secret_prompt": (
            "网关 {name} 的密码或密钥（不显示）：",
            "Password or key of gateway {name} (not shown): ",
        ),
        "cli.secret_missing": ("没有输入网关 {name} 的密码或密钥", "No password or key was given for gateway {name}"),
        "cli.gateway_added": (
            "网关通道 {name}（编号 {id}）已添加；密码或密钥已存入系统钥匙串。",
            "Gateway channel {name} (id {id}) added; its password or key is in the system keyring.",
        ),
        "cli.gateway_account_opened": ("已为 {name} 开设预付费账户。", "A prepaid account is open for {name}."),
        "cli.gateway_balance": (
            "连接成功。网关 {name} 报告的账户余额：{yuan} 元。",
            "Connected. The account balance gateway {name} reports: {yuan} yuan.",
        ),
    }
)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("send", help="send a message to groups, contacts or numbers / 发送短信")
    p.add_argument("--group", action="append", default=[], help="a group's name (repeatable)")
    p.add_argument("--to", action="append", default=[], help="numbers, separated by commas (repeatable)")
    p.add_argument("--contact", action="append", type=int, default=[], help="a contact's id (repeatable)")
    p.add_argument("--text", required=True, help="the text; merge fields like {姓名} or {部门|同事}")
    p.add_argument("--name", default="", help="a name for the campaign")
    p.add_argument("--at", help="send at this local time (YYYY-MM-DD HH:MM) instead of now")
    p.add_argument("--repeat", default="", metavar="RRULE", help="recurring: an RFC 5545 rule, e.g. FREQ=DAILY")
    p.add_argument("--channel", default="auto", help="auto (default), pool, gateway, or a channel's name")
    p.add_argument("--marketing", action="store_true", help="a marketing send (send window, unsubscribe note)")
    p.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="WORD",
        help="allow this banned word for this send only (written to the audit log)",
    )
    p.add_argument("--wait", action="store_true", help="run the dispatcher until this campaign is done")
    p.set_defaults(handler=_send)

    c = commands.add_parser("campaigns", help="list and control campaigns / 发送任务")
    sub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = sub.add_parser("list")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(handler=_list)
    p = sub.add_parser("show")
    p.add_argument("id", type=int)
    p.add_argument("--status", help="only messages in this status")
    p.add_argument("--limit", type=int, default=100)
    p.set_defaults(handler=_show)
    for action in ("pause", "resume", "cancel"):
        p = sub.add_parser(action)
        p.add_argument("id", type=int)
        p.set_defaults(handler=_control, control=action)
    p = sub.add_parser("resend", help="queue failed and unknown messages again")
    p.add_argument("id", type=int)
    p.add_argument(
        "--status",
        action="append",
        choices=["failed", "unknown", "undelivered", "blocked"],
        help="which messages (default: failed and unknown)",
    )
    p.set_defaults(handler=_resend)

    c = commands.add_parser("channels", help="modems and gateways to send through / 发送通道")
    sub = c.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = sub.add_parser("list")
    p.set_defaults(handler=_channels)
    p = sub.add_parser("add-modem")
    p.add_argument("name")
    p.add_argument("url", help="COM3, /dev/ttyUSB2, or sim://name?latency=… for a simulated modem")
    p.add_argument("--carrier", default="", choices=["", "mobile", "unicom", "telecom", "broadnet"])
    p.add_argument("--per-minute", type=int, default=0)
    p.add_argument("--hourly-cap", type=int, default=200)
    p.add_argument("--daily-cap", type=int, default=1000)
    p.add_argument("--spacing", type=float, nargs=2, default=(0.0, 0.0), metavar=("MIN", "MAX"))
    p.set_defaults(handler=_add_modem)
    _register_add_gateway(sub)
    p = sub.add_parser("test", help="ask a gateway's vendor for the balance (nothing is sent)")
    p.add_argument("name")
    p.set_defaults(handler=_test_gateway)
    for action in ("enable", "disable", "remove"):
        p = sub.add_parser(action)
        p.add_argument("name")
        p.set_defaults(handler=_channel_control, control=action)

    p = commands.add_parser("run", help="run the dispatcher and scheduler until stopped / 运行发送服务")
    p.add_argument("--no-demo", action="store_true", help="do not add the simulated modem when none is set up")
    p.set_defaults(handler=_run)


def _db(args: argparse.Namespace) -> Database:
    return open_database(args.db)


def _local_time(db: Database, text: str) -> datetime:
    zone = ZoneInfo(Settings(db).get(TIMEZONE))
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=zone)
        except ValueError:
            continue
    raise ValidationError("cli.bad_time", value=text)


def _policy(db: Database, channel: str) -> str:
    if channel in ("auto", "pool", "gateway"):
        return channel
    for info in Channels(db).list():
        if info.name == channel or str(info.id) == channel:
            return f"channel:{info.id}"
    raise ValidationError("channel.not_found", name=channel)


def _send(args: argparse.Namespace) -> int:
    db = _db(args)
    numbers = tuple(n for chunk in args.to for n in Recipients.split_numbers(chunk))
    if not (args.group or numbers or args.contact):
        raise ValidationError("cli.no_recipients")
    request = CampaignRequest(
        template=args.text,
        recipients=Recipients(tuple(args.group), tuple(args.contact), numbers),
        name=args.name,
        kind=CampaignKind.MARKETING if args.marketing else CampaignKind.NOTICE,
        channel_policy=_policy(db, args.channel),
        start_at=_local_time(db, args.at) if args.at else None,
        recurrence=args.repeat,
        allowed_words=tuple(args.allow),
    )
    campaign_id = _campaigns(db).create(request)
    counts = _campaigns(db).counts(campaign_id)
    if args.at or args.repeat:
        print(messages.text("cli.scheduled", id=campaign_id, at=args.at or args.repeat))
    else:
        queued = counts[MessageStatus.QUEUED]
        print(messages.text("cli.queued", id=campaign_id, queued=queued, other=sum(counts.values()) - queued))
    if args.wait:
        _run_until(db, campaign_id)
    return 0


def _campaigns(db: Database) -> Campaigns:
    from smsjingling.keywords import KeywordStore

    return Campaigns(db, matcher=KeywordStore(db).matcher)


def _run_until(db: Database, campaign_id: int) -> None:
    done = threading.Event()
    with SendingService(db, demo_if_empty=True) as service:

        def check(_event: Event | None = None) -> None:
            counts = service.campaigns.counts(campaign_id)
            if counts[MessageStatus.QUEUED] == 0 and counts[MessageStatus.SENDING] == 0:
                done.set()

        service.bus.subscribe(check, "messages")
        check()
        done.wait()
    counts = _campaigns(db).counts(campaign_id)
    print("  ".join(f"{s.value}={n}" for s, n in counts.items() if n))


def _fmt(at: datetime | None, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if at else ""


def _list(args: argparse.Namespace) -> int:
    db = _db(args)
    zone = ZoneInfo(Settings(db).get(TIMEZONE))
    rows = []
    with db.reader() as s:
        for c in s.execute(select(Campaign).order_by(Campaign.id.desc()).limit(args.limit)).scalars():
            n = record.counts(s, c.id)
            shown = (MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED)
            main = sum(n[x] for x in shown)
            rows.append(
                [
                    c.id,
                    c.name,
                    c.kind,
                    c.status,
                    c.created_by,
                    _fmt(c.created_at, zone),
                    _fmt(c.start_at, zone),
                    n[MessageStatus.QUEUED],
                    n[MessageStatus.SENT],
                    n[MessageStatus.DELIVERED],
                    n[MessageStatus.FAILED],
                    sum(n.values()) - main,
                ]
            )
    table(messages.text("cli.campaign_headers").split("|"), rows)
    return 0


def _show(args: argparse.Namespace) -> int:
    from smsjingling.storage.sending import Channel, Message

    db = _db(args)
    zone = ZoneInfo(Settings(db).get(TIMEZONE))
    with db.reader() as s:
        campaign = _campaigns(db)._get(s, args.id)
        print(f"#{campaign.id} {campaign.name} [{campaign.status}] {campaign.template}")
        counts = record.counts(s, args.id)
        print("  ".join(f"{k.value}={v}" for k, v in counts.items() if v))
        names = dict(s.execute(select(Channel.id, Channel.name)).all())
        q = select(Message).where(Message.campaign_id == args.id)
        if args.status:
            q = q.where(Message.status == args.status)
        now = utcnow()
        timeout = timedelta(hours=Settings(db).get(REPORT_TIMEOUT_HOURS))
        rows = [
            [
                m.phone,
                status_text(record.shown_status(m.status, m.sent_at, now, timeout)),
                reason_text(m.reason, m.error),
                m.attempts,
                names.get(m.channel_id, ""),
                _fmt(m.sent_at, zone),
                m.text[:40],
            ]
            for m in s.execute(q.order_by(Message.id).limit(args.limit)).scalars()
        ]
    table(messages.text("cli.message_headers").split("|"), rows)
    return 0


def _control(args: argparse.Namespace) -> int:
    campaigns = _campaigns(_db(args))
    result = getattr(campaigns, args.control)(args.id)
    if args.control == "cancel":
        print(messages.text("cli.done", count=result))
    return 0


def _resend(args: argparse.Namespace) -> int:
    statuses = [MessageStatus(s) for s in (args.status or ["failed", "unknown"])]
    print(messages.text("cli.done", count=_campaigns(_db(args)).resend(args.id, statuses)))
    return 0


def _channels(args: argparse.Namespace) -> int:
    rows = [
        [
            c.id,
            c.name,
            c.kind,
            c.url,
            "✓" if c.enabled else "",
            c.carrier,
            c.per_minute or "",
            c.hourly_cap,
            c.daily_cap,
        ]
        for c in Channels(_db(args)).list()
    ]
    table(messages.text("cli.channel_headers").split("|"), rows)
    return 0


def _add_modem(args: argparse.Namespace) -> int:
    Channels(_db(args)).add_modem(
        args.name,
        args.url,
        carrier=args.carrier,
        per_minute=args.per_minute,
        hourly_cap=args.hourly_cap,
        daily_cap=args.daily_cap,
        spacing=tuple(args.spacing),
    )
    return 0


def _register_add_gateway(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "add-gateway",
        help="an HTTP gateway: the vendor's API, 短信宝, 云片, Kannel, Jasmin or any other (generic)",
        description="The password or key is asked for without echo (or read with --secret-env / --secret-stdin) "
        "and kept in the system keyring only.",
    )
    p.add_argument("name")
    p.add_argument("--adapter", choices=ADAPTERS, default="vendor")
    p.add_argument("--url", default="", help="the API's address (短信宝, 云片: their public one by default)")
    p.add_argument("--account", "--user", dest="account", default="", help="account id, user or username")
    secret = p.add_mutually_exclusive_group()
    secret.add_argument("--secret-env", metavar="VAR", help="read the password or key from this variable")
    secret.add_argument("--secret-stdin", action="store_true", help="read it from the first line of stdin")
    p.add_argument("--max-batch", type=int, help="numbers per request")
    p.add_argument("--concurrency", type=int, default=4, help="requests at once (4)")
    p.add_argument("--rps", type=float, default=0.0, help="requests a second the vendor allows (no limit)")
    p.add_argument("--per-minute", type=int, default=0, help="messages a minute through this channel")
    p.add_argument("--poll-seconds", type=float, default=5.0, help="how often reports and replies are fetched")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for an answer")
    p.add_argument("--reports", choices=["pull", "push", "both"], help="vendor API: how delivery reports come")
    p.add_argument("--push", action="store_true", help="Kannel, Jasmin: reports (dlr-url) to our listener")
    p.add_argument("--lan-http", action="store_true", help="allow plain http to a host on the office network")
    p.add_argument("--ca-file", help="an extra CA bundle for a LAN service's certificate")
    p.add_argument("--sender", default="", help="Kannel, Jasmin: the 'from' number")
    p.add_argument("--smsc", default="", help="Kannel: send through this smsc-id")
    p.add_argument("--price-fen", type=int, default=0, help="短信宝, Jasmin: one message's price (fen)")
    p.add_argument("--credit-fen", type=int, default=100, help="Jasmin: fen per unit of its balance (100)")
    p.add_argument("--api-key", action="store_true", help="短信宝: the secret is an ApiKey, sent as it is")
    p.add_argument("--success", default="", help="generic: regex of an accepted send's answer")
    p.add_argument("--method", default="GET", choices=["GET", "POST"], help="generic: the HTTP method")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="generic: a parameter")
    p.add_argument("--body", default="", help="generic: a body template (JSON, XML) instead of a form")
    p.add_argument("--body-type", default="application/json", help="generic: the body's Content-Type")
    p.add_argument("--encoding", default="utf-8", help="generic: utf-8, gbk, gb18030, big5, ucs2-hex ...")
    p.add_argument("--phone-format", default="e164", choices=["e164", "digits", "national"])
    p.add_argument("--message-id", default="", help="generic: regex whose first group is the vendor's id")
    p.add_argument("--retry-pattern", default="", help="generic: regex of a 'not now' answer")
    p.add_argument("--account-pattern", default="", help="generic: regex of an account problem")
    p.add_argument("--balance-url", default="", help="generic: balance query URL template")
    p.add_argument("--balance-pattern", default="", help="generic: regex whose first group is the balance")
    p.add_argument("--balance-unit-fen", type=int, default=100, help="generic: fen per unit of that figure")
    p.add_argument("--open-account", action="store_true", help="also open its prepaid account")
    p.set_defaults(handler=_add_gateway)


def _read_secret(args: argparse.Namespace) -> str:
    """The password or key: from the variable or stdin named, else asked for without echo. Never printed."""
    if args.secret_env:
        value = os.environ.get(args.secret_env, "")
    elif args.secret_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
    else:
        value = getpass.getpass(messages.text("cli.secret_prompt", name=args.name))
    if not value:
        raise ValidationError("cli.secret_missing", name=args.name)
    return value


def _add_gateway(args: argparse.Namespace) -> int:
    options: dict[str, object] = {"timeout": args.timeout, "lan_http": args.lan_http}
    if args.ca_file:
        options["ca_file"] = args.ca_file
    if args.adapter in ("kannel", "jasmin"):
        options.update(push=args.push, sender=args.sender)
    if args.adapter == "kannel" and args.smsc:
        options["smsc"] = args.smsc
    if args.adapter in ("smsbao", "jasmin"):
        options["price_fen"] = args.price_fen
    if args.adapter == "smsbao":
        options["password_is_api_key"] = args.api_key
    if args.adapter == "jasmin":
        options["credit_fen"] = args.credit_fen
    if args.adapter == "generic":
        params = dict(item.split("=", 1) for item in args.param if "=" in item)
        options.update(
            success=args.success,
            method=args.method,
            params=params,
            body=args.body,
            body_type=args.body_type,
            encoding=args.encoding,
            phone_format=args.phone_format,
            message_id=args.message_id,
            retry_pattern=args.retry_pattern,
            account_pattern=args.account_pattern,
            balance_url=args.balance_url,
            balance_pattern=args.balance_pattern,
            balance_unit_fen=args.balance_unit_fen,
        )
    db = _db(args)
    secret = _read_secret(args)
    channel_id = Channels(db).add_gateway(
        args.name,
        adapter=args.adapter,
        url=args.url,
        account=args.account,
        secret=secret,
        max_batch=args.max_batch,
        concurrency=args.concurrency,
        requests_per_second=args.rps,
        per_minute=args.per_minute,
        poll_seconds=args.poll_seconds,
        reports=args.reports if args.adapter == "vendor" else None,
        options=options,
    )
    print(messages.text("cli.gateway_added", name=args.name, id=channel_id))
    if args.open_account:
        from smsjingling.account.accounts import Accounts

        Accounts(db).open(channel_id)
        print(messages.text("cli.gateway_account_opened", name=args.name))
    return 0


def _test_gateway(args: argparse.Namespace) -> int:
    try:
        balance = Channels(_db(args)).test(args.name)
    except BalanceUnsupported as exc:
        print(exc.message())
        return 0
    print(messages.text("cli.gateway_balance", name=args.name, yuan=yuan(balance.fen)))
    return 0


def _channel_control(args: argparse.Namespace) -> int:
    channels = Channels(_db(args))
    if args.control == "remove":
        channels.remove(args.name)
    else:
        channels.set_enabled(args.name, args.control == "enable")
    return 0


def _run(args: argparse.Namespace) -> int:
    db = _db(args)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with SendingService(db, demo_if_empty=not args.no_demo) as service:
            assert service.dispatcher is not None
            print(messages.text("cli.running", channels=len(service.dispatcher.workers)), flush=True)
            service.bus.subscribe(lambda e: print(f"{e.kind}: {e.data}", file=sys.stderr) if args.verbose else None)
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(messages.text("cli.stopped"))
    return 0
