"""`account` (the prepaid account: show, open, plans, top-up, adjust, statement, reconcile, verify) and
`report` (traffic and cost by day, week or month, from the send record and the ledger)."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from smsjingling import messages
from smsjingling.account.accounts import AccountInfo, Accounts
from smsjingling.account.cycle import BillingCycle
from smsjingling.account.ledger import Ledger, resolve_account
from smsjingling.account.money import parse_yuan, yuan_text
from smsjingling.account.plans import Tariff
from smsjingling.account.report import Grouping, cost_report, headers, table_rows, write_report
from smsjingling.account.statement import statement, write_statement
from smsjingling.cli.output import table
from smsjingling.errors import ValidationError
from smsjingling.records.period import Period, parse_date, user_zone, wall_time, zone
from smsjingling.storage.database import Database, open_database
from smsjingling.storage.types import utcnow

messages.register(
    {
        "cli.account_title": ("预付费账户 #{id}（通道：{channel}）", "Prepaid account #{id} (channel: {channel})"),
        "cli.account_plan": ("  套餐：{plan}", "  Plan: {plan}"),
        "cli.account_flat": (
            "  未选套餐：按每条 {price} 元计价（设置 billing.price_per_segment_fen）",
            "  No plan: {price} yuan a message (setting billing.price_per_segment_fen)",
        ),
        "cli.account_money": (
            "  余额 {balance} 元，已预留 {held} 元，可用 {available} 元",
            "  Balance {balance} yuan, reserved {held} yuan, available {available} yuan",
        ),
        "cli.account_usage": (
            "  本计费周期 {cycle} 已用 {used} 条（套餐含 {included} 条）；今天 {today} 条",
            "  This billing cycle ({cycle}): {used} messages used ({included} included); today {today}",
        ),
        "cli.account_reconciled": (
            "  上次对账：{at}，供应商余额 {fen} 元",
            "  Last reconciled: {at}, the vendor's balance {fen} yuan",
        ),
        "cli.account_never_reconciled": ("  尚未与供应商对账", "  Never reconciled with the vendor"),
        "cli.account_threshold": ("  余额预警线：{fen} 元", "  Low-balance warning below {fen} yuan"),
        "cli.account_no_threshold": ("  余额预警：关闭", "  Low-balance warning: off"),
        "cli.account_opened": ("已为通道 {channel} 开立预付费账户 #{id}", "Opened prepaid account #{id} for {channel}"),
        "cli.account_changed": ("账户 #{id} 已更新", "Account #{id} updated"),
        "cli.plan_saved": ("套餐已保存：{plan}", "Plan saved: {plan}"),
        "cli.no_plans": ("还没有套餐", "No plans yet"),
        "cli.topped_up": (
            "已充值 {fen} 元；余额 {balance} 元，可用 {available} 元",
            "Topped up {fen} yuan; balance {balance} yuan, available {available} yuan",
        ),
        "cli.adjusted": (
            "已调整 {fen} 元；余额 {balance} 元",
            "Adjusted by {fen} yuan; balance {balance} yuan",
        ),
        "cli.reconciled_same": (
            "对账一致：供应商余额与本地记录均为 {fen} 元",
            "Reconciled: the vendor and the local record agree on {fen} yuan",
        ),
        "cli.reconciled_diff": (
            "对账差额 {difference} 元：供应商余额 {vendor} 元，本地记录 {local} 元。已以供应商为准并记入账本。",
            "Reconciliation difference {difference} yuan: the vendor says {vendor} yuan, the local record "
            "{local} yuan. The vendor's figure now stands, and the difference is in the ledger.",
        ),
        "cli.statement_title": (
            "对账单 {cycle}（{start} 至 {end}，{zone}），账户 #{id}（{channel}）",
            "Statement {cycle} ({start} to {end}, {zone}), account #{id} ({channel})",
        ),
        "cli.statement_headers": ("项目|笔数|条数|金额（元）", "Item|Count|Segments|Amount (yuan)"),
        "cli.statement_written": (
            "对账单已保存到 {file}（{rows} 行）",
            "The statement was saved to {file} ({rows} rows)",
        ),
        "cli.ledger_ok": (
            "OK：账本完整，哈希链无断裂，余额与账本一致（{balance} 元，预留 {held} 元）。",
            "OK: the ledger is intact, its chain unbroken, and the balance matches it "
            "({balance} yuan, {held} reserved).",
        ),
        "cli.ledger_broken": ("账本校验失败：", "The ledger failed its check:"),
        "cli.ledger_break": ("  第 {seq} 条：{reason}", "  entry {seq}: {reason}"),
        "cli.ledger_mirror": (
            "  账户余额 {mirror} 元 / 预留 {mirror_held} 元，与账本合计 {balance} 元 / {held} 元 不符",
            "  the account says {mirror} yuan / {mirror_held} reserved, the ledger sums to {balance} / {held}",
        ),
        "cli.ledger_bad_closes": (
            "  {count} 条扣费或释放与其预留不符",
            "  {count} charge(s) or release(s) do not match their reservation",
        ),
        "cli.cost_report_written": ("流量与费用报告已保存到 {file}", "The traffic and cost report was saved to {file}"),
    }
)

messages.register(
    {
        "cli.ledger_reason.edited": (
            "内容与哈希不符，此行被修改过",
            "its content does not match its hash; it was edited",
        ),
        "cli.ledger_reason.gap": (
            "与前一条不相连，前面的记录被删除或修改过",
            "does not follow from the one before; that one was removed or edited",
        ),
        "cli.ledger_reason.head": ("账本末尾的记录缺失", "the newest entries are missing"),
    }
)


def register(commands: argparse._SubParsersAction) -> None:
    a = commands.add_parser("account", help="the prepaid account of a gateway / 预付费账户")
    sub = a.add_subparsers(dest="action", required=True, metavar="ACTION")

    p = sub.add_parser("show", help="balance, reservations, plan, usage, last reconciliation")
    p.add_argument("--account", metavar="CHANNEL|ID", help="default: every account")
    p.set_defaults(handler=_show)

    p = sub.add_parser("open", help="open the prepaid account of a gateway channel")
    p.add_argument("channel", metavar="CHANNEL")
    p.add_argument("--plan", metavar="NAME")
    p.add_argument("--low-balance", type=_yuan, metavar="YUAN", help="warn below this (0: never; default 50)")
    p.set_defaults(handler=_open)

    p = sub.add_parser("set", help="change an account's plan or low-balance warning")
    _account_argument(p)
    p.add_argument("--plan", metavar="NAME")
    p.add_argument("--no-plan", action="store_true", help="price by the flat price setting")
    p.add_argument("--low-balance", type=_yuan, metavar="YUAN")
    p.set_defaults(handler=_set)

    p = sub.add_parser("plan", help="create or change a plan (套餐)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--monthly-fee", type=_yuan, default=0, metavar="YUAN", help="基本月租")
    p.add_argument("--included", type=int, default=0, metavar="N", help="赠送短信量 (messages a month)")
    p.add_argument("--overage", type=_yuan, required=True, metavar="YUAN", help="超出后收费 (per message)")
    p.add_argument("--daily-max", type=int, default=0, metavar="N", help="每日最大发送量 (0: none)")
    p.add_argument("--note", default="")
    p.set_defaults(handler=_plan)

    sub.add_parser("plans", help="list the plans").set_defaults(handler=_plans)

    p = sub.add_parser("topup", help="record a top-up paid to the vendor")
    p.add_argument("amount", type=_yuan, metavar="YUAN")
    p.add_argument("--note", default="")
    _account_argument(p)
    p.set_defaults(handler=_topup)

    p = sub.add_parser("adjust", help="a correction (refund, credit), + or -, with its reason")
    p.add_argument("amount", type=_yuan, metavar="YUAN")
    p.add_argument("--note", required=True)
    _account_argument(p)
    p.set_defaults(handler=_adjust)

    p = sub.add_parser("statement", help="the statement of a billing cycle; printed, or saved with --out")
    p.add_argument("--month", metavar="YYYY-MM", help="default: this month")
    p.add_argument("--out", type=Path, metavar="FILE.xlsx")
    p.add_argument("--tz", help="time zone (default: the ui.timezone setting)")
    _account_argument(p)
    p.set_defaults(handler=_statement)

    p = sub.add_parser("reconcile", help="take the vendor's balance as the true one; the difference is recorded")
    p.add_argument("--vendor-balance", type=_yuan, required=True, metavar="YUAN")
    p.add_argument("--note", default="")
    _account_argument(p)
    p.set_defaults(handler=_reconcile)

    p = sub.add_parser("verify", help="check the ledger's hash chain and sums; exit code 1 when broken")
    _account_argument(p)
    p.set_defaults(handler=_verify)

    r = commands.add_parser("report", help="traffic and cost by day, week or month / 流量与费用报告")
    r.add_argument("--by", choices=[g.value for g in Grouping], default="day")
    r.add_argument(
        "--from", dest="start", type=_date, metavar="DATE", help="first day (default: the 1st of this month)"
    )
    r.add_argument("--to", dest="end", type=_date, metavar="DATE", help="day after the last (default: next 1st)")
    r.add_argument("--tz", help="time zone of the dates (default: the ui.timezone setting)")
    r.add_argument("--out", type=Path, metavar="FILE.xlsx", help="save instead of printing")
    r.set_defaults(handler=_report)


def _account_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--account", metavar="CHANNEL|ID", help="needed when there are several accounts")


def _yuan(text: str) -> int:
    try:
        return parse_yuan(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from exc


def _date(text: str) -> date:
    try:
        return parse_date(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message()) from exc


def _ledger(db: Database, args: argparse.Namespace) -> Ledger:
    return Ledger(db, account_id=resolve_account(db, args.account))


def _when(db: Database, at: datetime) -> str:
    return wall_time(at, user_zone(db)).strftime("%Y-%m-%d %H:%M")


def _show(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    accounts = Accounts(db)
    infos = [accounts.get(args.account)] if args.account else accounts.list()
    if not infos:
        raise ValidationError("account.none")
    for n, info in enumerate(infos):
        if n:
            print()
        _print_account(db, info)
    return 0


def _print_account(db: Database, info: AccountInfo) -> None:
    ledger = Ledger(db, account_id=info.id)
    tariff = ledger.tariff()
    print(messages.text("cli.account_title", id=info.id, channel=info.label))
    if info.plan:
        print(messages.text("cli.account_plan", plan=info.plan.describe()))
    else:
        print(messages.text("cli.account_flat", price=yuan_text(tariff.overage_fen)))
    held, available = yuan_text(info.held_fen), yuan_text(info.available_fen)
    print(messages.text("cli.account_money", balance=yuan_text(info.balance_fen), held=held, available=available))
    usage = ledger.usage()
    print(
        messages.text(
            "cli.account_usage",
            cycle=usage.cycle.label,
            used=usage.cycle_segments,
            included=tariff.included,
            today=usage.today_segments,
        )
    )
    if info.reconciled_at is not None and info.reconciled_fen is not None:
        at = _when(db, info.reconciled_at)
        print(messages.text("cli.account_reconciled", at=at, fen=yuan_text(info.reconciled_fen)))
    else:
        print(messages.text("cli.account_never_reconciled"))
    if info.low_balance_fen:
        print(messages.text("cli.account_threshold", fen=yuan_text(info.low_balance_fen)))
    else:
        print(messages.text("cli.account_no_threshold"))
    if warning := info.warning():
        print("  " + warning)


def _open(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    account_id = Accounts(db).open(args.channel, plan=args.plan, low_balance_fen=args.low_balance)
    print(messages.text("cli.account_opened", id=account_id, channel=args.channel))
    return 0


def _set(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    info = Accounts(db).configure(args.account, plan=args.plan, no_plan=args.no_plan, low_balance_fen=args.low_balance)
    print(messages.text("cli.account_changed", id=info.id))
    return 0


def _plan(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    tariff = Tariff(args.name, args.monthly_fee, args.included, args.overage, args.daily_max)
    Accounts(db).save_plan(tariff, args.note)
    print(messages.text("cli.plan_saved", plan=tariff.describe()))
    return 0


def _plans(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    plans = Accounts(db).plans()
    if not plans:
        print(messages.text("cli.no_plans"))
    for plan in plans:
        print(plan.describe())
    return 0


def _topup(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    ledger = _ledger(db, args)
    ledger.top_up(args.amount, args.note)
    state = ledger.state()
    print(
        messages.text(
            "cli.topped_up",
            fen=yuan_text(args.amount),
            balance=yuan_text(state.balance_fen),
            available=yuan_text(state.available_fen),
        )
    )
    return 0


def _adjust(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    ledger = _ledger(db, args)
    ledger.adjust(args.amount, args.note)
    print(messages.text("cli.adjusted", fen=yuan_text(args.amount), balance=yuan_text(ledger.balance())))
    return 0


def _reconcile(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    result = _ledger(db, args).reconcile(args.vendor_balance, args.note)
    if result.difference_fen == 0:
        print(messages.text("cli.reconciled_same", fen=yuan_text(result.vendor_fen)))
    else:
        print(
            messages.text(
                "cli.reconciled_diff",
                difference=("+" if result.difference_fen > 0 else "") + yuan_text(result.difference_fen),
                vendor=yuan_text(result.vendor_fen),
                local=yuan_text(result.local_fen),
            )
        )
    return 0


def _statement(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    tz = zone(args.tz) if args.tz else user_zone(db)
    cycle = BillingCycle.parse(args.month, tz) if args.month else BillingCycle.containing(utcnow(), tz)
    account_id = resolve_account(db, args.account)
    st = statement(db, account_id, cycle)
    if args.out:
        rows = write_statement(db, st, args.out, lang=messages.current_language())
        print(messages.text("cli.statement_written", file=args.out, rows=rows))
        return 0
    print(
        messages.text(
            "cli.statement_title",
            cycle=cycle.label,
            start=f"{cycle.first.isoformat()} 00:00",
            end=f"{cycle.next_first.isoformat()} 00:00",
            zone=getattr(tz, "key", None) or "local",
            id=account_id,
            channel=st.channel,
        )
    )

    def label(key: str, **params: object) -> str:
        return messages.text(key, **params)

    rows = [
        [label("account.st.opening", cycle=cycle.label), "", "", yuan_text(st.opening_fen)],
        [label("account.kind.top_up"), st.top_ups.count, "", yuan_text(st.top_ups.fen)],
        [label("account.kind.charge"), st.charges.count, st.charges.segments, yuan_text(-st.charges.fen)],
        [label("account.kind.fee"), st.fees.count, "", yuan_text(-st.fees.fen)],
        [label("account.kind.adjustment"), st.adjustments.count, "", yuan_text(st.adjustments.fen)],
        [label("account.kind.reconciliation"), st.reconciliations.count, "", yuan_text(st.reconciliations.fen)],
        [label("account.st.closing", cycle=cycle.label), "", "", yuan_text(st.closing_fen)],
        [label("account.kind.reserve"), st.reserves.count, st.reserves.segments, yuan_text(st.reserves.fen)],
        [label("account.kind.release"), st.releases.count, st.releases.segments, yuan_text(st.releases.fen)],
        [label("account.st.held"), "", "", yuan_text(st.held_at_close_fen)],
    ]
    table(messages.text("cli.statement_headers").split("|"), rows)
    return 0


def _verify(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    check = _ledger(db, args).verify()
    if check.ok:
        print(messages.text("cli.ledger_ok", balance=yuan_text(check.balance_fen), held=yuan_text(check.held_fen)))
        return 0
    print(messages.text("cli.ledger_broken"))
    for b in check.breaks:
        print(messages.text("cli.ledger_break", seq=b.seq, reason=messages.text(f"cli.ledger_reason.{b.reason}")))
    if (check.mirror_balance_fen, check.mirror_held_fen) != (check.balance_fen, check.held_fen):
        print(
            messages.text(
                "cli.ledger_mirror",
                mirror=yuan_text(check.mirror_balance_fen),
                mirror_held=yuan_text(check.mirror_held_fen),
                balance=yuan_text(check.balance_fen),
                held=yuan_text(check.held_fen),
            )
        )
    if check.bad_closes:
        print(messages.text("cli.ledger_bad_closes", count=check.bad_closes))
    return 1


def _report(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    tz = zone(args.tz) if args.tz else user_zone(db)
    this_month = BillingCycle.containing(utcnow(), tz)
    period = Period(args.start or this_month.first, args.end or this_month.next_first, tz)
    report = cost_report(db, period, Grouping(args.by))
    if args.out:
        write_report(report, args.out, lang=messages.current_language())
        print(messages.text("cli.cost_report_written", file=args.out))
    else:
        table(headers(), table_rows(report, percent_text=True))
    return 0
