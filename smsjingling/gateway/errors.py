"""Errors of the third-party gateway adapters that a user can act on: an unsafe URL, a vendor that refused
or did not answer a query, and a vendor that has no balance to ask for. (A key missing from the keyring is
keys.GatewayKeyMissing.)

Sends never raise these: what becomes of a message is an Outcome (see http_adapter). They come from
building an adapter and from its queries (balance, reports, replies).
"""

from __future__ import annotations

from smsjingling import messages
from smsjingling.errors import UserError, ValidationError

messages.register(
    {
        "gateway.url_insecure": (
            "网关地址 {url} 未加密（http）；只有本机地址，或明确允许的局域网 Kannel，才能用 http",
            "The gateway address {url} is not encrypted (http); http is only allowed for this computer "
            "or an explicitly allowed LAN Kannel",
        ),
        "gateway.url_bad": ("网关地址 {url} 无效", "The gateway address {url} is not valid"),
        "gateway.query_no_answer": (
            "网关 {name} 未回复查询：{detail}",
            "Gateway {name} did not answer the query: {detail}",
        ),
        "gateway.query_refused": (
            "网关 {name} 拒绝了查询：{detail}",
            "Gateway {name} refused the query: {detail}",
        ),
        "gateway.query_refused_code": (
            "网关 {name} 拒绝了查询（代码 {code}）：{zh}",
            "Gateway {name} refused the query (code {code}): {en}",
        ),
        "gateway.query_bad_answer": (
            "网关 {name} 对查询的回复无法识别：{detail}",
            "Gateway {name} gave an answer to the query that could not be read: {detail}",
        ),
        "gateway.balance_unsupported": (
            "网关 {name}（{vendor}）没有余额查询功能",
            "Gateway {name} ({vendor}) has no way to ask for the balance",
        ),
        "gateway.balance_not_defined": (
            "网关 {name} 的账户没有设定余额（不限量）",
            "Gateway {name} has no balance set for this account (unlimited)",
        ),
    }
)


class GatewayError(UserError):
    """A query to a gateway (balance, reports, replies) was refused, got no answer, or an unreadable one."""


class BalanceUnsupported(GatewayError):
    """The vendor has no balance to ask for (Kannel, a generic vendor without a balance URL, an unlimited
    Jasmin account). The ledger then keeps its own figure and cannot reconcile it with the vendor's."""


class InsecureGatewayUrl(ValidationError):
    """A gateway URL that would send the account's secret in clear text over a network, or is not a URL."""
