"""A gateway channel's stored configuration (Channel.config, a JSON object) turned into its adapter.

One flat object for every vendor; the keys each adapter reads:

| key | vendor | smsbao | yunpian | kannel | jasmin | generic |
| --- | --- | --- | --- | --- | --- | --- |
| `url` | base URL | base URL | base URL | sendsms URL | HTTP API URL | URL template |
| `account` | account id | user | — | sendsms-user | username | `{user}` |
| `sender` | — | — | — | from | from | — |

and `max_batch`, `requests_per_second`, `concurrency`, `timeout` (seconds), `lan_http` (plain http to a
host on the office LAN allowed), `ca_file` for all; `reports` ("pull", "push" or "both") for the vendor
API, `push` (reports by our listener) for Kannel and Jasmin; `price_fen` (smsbao, jasmin: the value of one
message of a balance kept as a count), `password_is_api_key` (smsbao), `credit_fen` (jasmin), `smsc`
(kannel); the generic adapter's patterns (`success`, `method`, `params`, `body`, `body_type`, `encoding`,
`phone_format`, `message_id`, `retry_pattern`, `account_pattern`, `balance_url`, `balance_pattern`,
`balance_unit_fen`). Book-keeping the engine writes itself: `demo` (the simulator's public demo key),
`embedded` (the simulator the sending service runs; `url` is then where it last ran), `poll_seconds`,
`cursors`, `push_token`.

The secret (password, API key, account key) is never in the configuration: it comes from the OS keyring
under the channel's name, or is handed in (checking a configuration before it is saved). The bundled
simulator's demo account has a fixed, public key and is reached at the address the running service gives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from smsjingling import messages
from smsjingling.errors import ValidationError
from smsjingling.gateway.base import GatewayAdapter, ReportMode
from smsjingling.gateway.generic import GenericAdapter, GenericConfig, PhoneFormat
from smsjingling.gateway.jasmin import JasminAdapter, JasminConfig
from smsjingling.gateway.kannel import KannelAdapter, KannelConfig
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.smsbao import SmsbaoAdapter, SmsbaoConfig
from smsjingling.gateway.transport import HttpSettings
from smsjingling.gateway.vendor import VendorGateway
from smsjingling.gateway.yunpian import YunpianAdapter, YunpianConfig

ADAPTERS = ("vendor", "smsbao", "yunpian", "kannel", "jasmin", "generic")
# The bundled simulator's demo account: its key is public (it guards nothing) and lives in no keyring.
DEMO_GATEWAY_KEY = "smsjingling-simulated-gateway"
DEMO_ACCOUNT = "demo"

messages.register(
    {
        "gateway.unknown_adapter": (
            "没有这种网关：{adapter}（可选：{choices}）",
            "There is no gateway of the kind {adapter} (choose from: {choices})",
        ),
        "gateway.missing_setting": ("{adapter} 网关需要设置 {key}", "A {adapter} gateway needs its {key} set"),
        "gateway.demo_not_running": (
            "模拟网关只在发送服务运行时可用",
            "The simulated gateway is only there while the sending service runs",
        ),
        "gateway.bad_reports": (
            "报告方式只能是 pull、push 或 both：{value}",
            "Reports come by pull, push or both, not {value}",
        ),
    }
)


@dataclass(frozen=True)
class PushUrls:
    """Where a vendor reaches our listener for this channel (empty: no listener)."""

    reports: str = ""  # delivery reports (Kannel's dlr-url, Jasmin's dlr-url, the vendor API's callback)
    replies: str = ""  # replies (Kannel's sms-service get-url, Jasmin's MO connector)


def adapter_kind(config: Mapping[str, Any]) -> str:
    kind = str(config.get("vendor", "vendor"))
    if kind not in ADAPTERS:
        raise ValidationError("gateway.unknown_adapter", adapter=kind, choices=", ".join(ADAPTERS))
    return kind


def report_mode(config: Mapping[str, Any]) -> ReportMode:
    """How the channel's delivery reports come: by our asking, by the vendor calling us, or both."""
    kind = adapter_kind(config)
    if kind == "vendor":
        value = str(config.get("reports", "pull"))
        try:
            return ReportMode(value)
        except ValueError:
            raise ValidationError("gateway.bad_reports", value=value) from None
    if kind in ("kannel", "jasmin"):
        return ReportMode.PUSH if config.get("push") else ReportMode.NONE
    if kind == "yunpian":
        return ReportMode.PULL
    return ReportMode.NONE


def expects_push(config: Mapping[str, Any]) -> bool:
    return report_mode(config) in (ReportMode.PUSH, ReportMode.BOTH)


def _need(config: Mapping[str, Any], key: str) -> str:
    value = str(config.get(key) or "")
    if not value:
        raise ValidationError("gateway.missing_setting", adapter=adapter_kind(config), key=key)
    return value


def _http(config: Mapping[str, Any]) -> HttpSettings:
    return HttpSettings(
        timeout=float(config.get("timeout", 10.0)),
        concurrency=max(1, int(config.get("concurrency", 4))),
        insecure_lan_http=bool(config.get("lan_http", False)),
        ca_file=config.get("ca_file") or None,
    )


def build_adapter(
    name: str,
    config: Mapping[str, Any],
    *,
    secret: Secret | None = None,
    push: PushUrls | None = None,
    demo_url: str | None = None,
) -> GatewayAdapter:
    """The adapter of the channel `name` (its keyring entry) with this configuration. `push`: our listener's
    addresses for this channel, when it runs; `demo_url`: where the bundled simulator listens, for the
    demo channel."""
    kind = adapter_kind(config)
    push = push or PushUrls()
    rps = float(config.get("requests_per_second", 0.0))
    http = _http(config)
    if kind == "vendor":
        url = str(config.get("url") or "")
        if config.get("embedded"):  # the simulator the sending service runs: where it runs now, else last ran
            url = demo_url or url
            if not url:
                raise ValidationError("gateway.demo_not_running")
        if config.get("demo"):
            secret = Secret(DEMO_GATEWAY_KEY)
        cursors = config.get("cursors") or {}
        return VendorGateway(
            name,
            url or _need(config, "url"),
            _need(config, "account"),
            key=secret,
            max_batch=int(config.get("max_batch", 1000)),
            requests_per_second=rps,
            concurrency=http.concurrency,
            reports=report_mode(config),
            timeout=http.timeout,
            ca_file=http.ca_file,
            report_cursor=cursors.get("reports"),
            reply_cursor=cursors.get("replies"),
        )
    if kind == "smsbao":
        smsbao = SmsbaoConfig(
            user=_need(config, "account"),
            price_fen=int(config.get("price_fen", 0)),
            base_url=str(config.get("url") or "https://api.smsbao.com"),
            max_batch=int(config.get("max_batch", 1)),
            requests_per_second=rps,
            password_is_api_key=bool(config.get("password_is_api_key", False)),
            http=http,
        )
        return SmsbaoAdapter(smsbao, channel=name, password=secret)
    if kind == "yunpian":
        yunpian = YunpianConfig(
            base_url=str(config.get("url") or "https://sms.yunpian.com"),
            max_batch=int(config.get("max_batch", 1000)),
            requests_per_second=rps,
            http=http,
        )
        return YunpianAdapter(yunpian, channel=name, apikey=secret)
    if kind == "kannel":
        kannel = KannelConfig(
            url=_need(config, "url"),
            username=_need(config, "account"),
            sender=str(config.get("sender", "")),
            smsc=str(config.get("smsc", "")),
            dlr_url=push.reports if config.get("push") else "",
            http=http,
        )
        return KannelAdapter(kannel, channel=name, password=secret)
    if kind == "jasmin":
        jasmin = JasminConfig(
            url=_need(config, "url"),
            username=_need(config, "account"),
            sender=str(config.get("sender", "")),
            dlr_url=push.reports if config.get("push") else "",
            credit_fen=int(config.get("credit_fen", 100)),
            price_fen=int(config.get("price_fen", 0)),
            http=http,
        )
        return JasminAdapter(jasmin, channel=name, password=secret)
    generic = GenericConfig(
        url=_need(config, "url"),
        success=_need(config, "success"),
        method=str(config.get("method", "GET")),
        params=dict(config.get("params") or {}),
        body=str(config.get("body", "")),
        body_type=str(config.get("body_type", "application/json")),
        encoding=str(config.get("encoding", "utf-8")),
        user=str(config.get("account", "")),
        phone_format=PhoneFormat(str(config.get("phone_format", PhoneFormat.E164.value))),
        message_id=str(config.get("message_id", "")),
        retry=str(config.get("retry_pattern", "")),
        account=str(config.get("account_pattern", "")),
        balance_url=str(config.get("balance_url", "")),
        balance_pattern=str(config.get("balance_pattern", "")),
        balance_unit_fen=int(config.get("balance_unit_fen", 100)),
        requests_per_second=rps,
        http=http,
    )
    return GenericAdapter(generic, channel=name, password=secret)
