"""The prepaid account behind a gateway channel: its ledger in integer fen, plans, billing cycles, statements
and the traffic-and-cost report.

    Accounts(db, actor).open(channel, plan=, low_balance_fen=)      # one account per gateway channel
    ledger = Ledger.for_channel(db, channel_id, actor)                # or Ledger(db, actor) for the only one
    ledger.top_up(fen, note) / reserve(campaign_id, [(message_id, fen)]) / charge_many([(message_id, fen)])
    ledger.release([message_id]) / reconcile(vendor_fen, note) / balance() / available() / open_reservations()
    statement(db, account_id, BillingCycle.parse("2024-06", tz)) -> Statement; write_statement(db, st, path)
    cost_report(db, period, Grouping.WEEK) -> CostReport; write_report(report, path)

Modules: money (元 ⇄ fen), cycle (billing cycles), plans (prices under a plan, the daily maximum), chain (the
ledger's hash chain), ledger, accounts (opening accounts, plans), labels, statement, report.
"""

from smsjingling.account.accounts import AccountInfo, Accounts
from smsjingling.account.cycle import BillingCycle
from smsjingling.account.ledger import (
    AccountState,
    Charge,
    EntryRecord,
    Hold,
    InsufficientBalance,
    Ledger,
    LedgerCheck,
    OpenHold,
    Posting,
    Reconciliation,
    Usage,
    low_balance_warning,
    resolve_account,
)
from smsjingling.account.money import parse_yuan, yuan_text
from smsjingling.account.plans import Quote, Tariff
from smsjingling.account.report import CostLine, CostReport, Grouping, cost_report, write_report
from smsjingling.account.statement import Statement, Tally, statement, write_statement

__all__ = [
    "AccountInfo",
    "AccountState",
    "Accounts",
    "BillingCycle",
    "Charge",
    "CostLine",
    "CostReport",
    "EntryRecord",
    "Grouping",
    "Hold",
    "InsufficientBalance",
    "Ledger",
    "LedgerCheck",
    "OpenHold",
    "Posting",
    "Quote",
    "Reconciliation",
    "Statement",
    "Tally",
    "Tariff",
    "Usage",
    "cost_report",
    "low_balance_warning",
    "parse_yuan",
    "resolve_account",
    "statement",
    "write_report",
    "write_statement",
    "yuan_text",
]
