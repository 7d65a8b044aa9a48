"""Kannel (an office's own SMS gateway, often with GSM modems behind it) through smsbox's sendsms interface.

    GET http://kannel:13013/cgi-bin/sendsms?username=..&password=..&to=..&text=..&charset=UTF-8&coding=2
        &dlr-mask=19&dlr-url=<ours, with Kannel's escapes>
    → 202 "0: Accepted for delivery" | 202 "3: Queued for later delivery"
    → 403 "Authorization failed for sendsms" | 400 "Missing receiver number, rejected" | 503 "Sending failed." ...

Text goes as UTF-8 with `charset=UTF-8`; text outside the GSM 7-bit alphabet (Chinese) asks for `coding=2`,
so Kannel converts it to UCS-2 for the network. Long texts are split by Kannel (the sendsms-user needs
`concatenation = true` and `max-messages` of at least the parts). Kannel gives no message id and cannot be
asked about a request that went unanswered; reports come back only by calling the `dlr-url` we give it,
which carries our client id. There is no balance (`balance()` raises BalanceUnsupported).

Kannel usually sits on the office LAN without TLS: plain http to a LAN address needs
`HttpSettings(insecure_lan_http=True)` (the sendsms password travels in clear on the LAN).

Delivery reports: Kannel replaces the escapes of the dlr-url when a report arrives: %d the report type
(1 delivered to the phone, 2 not delivered, 4 queued on the SMSC, 8 accepted by the SMSC, 16 refused by
the SMSC), %p the recipient, %T the time (Unix seconds), %A the SMSC's words, %F the SMSC's message id
(for an AT modem, the TP-MR). Our listener hands the query to `receive_dlr`; `fetch_reports` hands the
final ones to the sending engine. Replies: an sms-service whose get-url is `mo_url(...)` (smsbox needs
`mo-recode = true` so that Chinese arrives as UTF-8) and a listener that calls `receive_mo`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote

import httpx

from modem.codec.gsm7 import is_gsm7
from smsjingling import messages
from smsjingling.gateway.base import GatewayLimits, GatewayReply, GatewayReport, OutboundSms, ReportMode, SubmitResult
from smsjingling.gateway.http_adapter import (
    HttpAdapter,
    account_problem,
    e164_from_vendor,
    http_status_outcome,
    outcome,
    unanswered,
)
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.redaction import guard_logger
from smsjingling.gateway.transport import HttpSettings, NoAnswer, excerpt
from smsjingling.sending.outcome import Outcome, Verdict

log = guard_logger(__name__)

DLR_DELIVERED = 1
DLR_UNDELIVERED = 2
DLR_QUEUED = 4
DLR_SMSC_ACCEPTED = 8
DLR_SMSC_REFUSED = 16
DLR_FINAL = DLR_DELIVERED | DLR_UNDELIVERED | DLR_SMSC_REFUSED  # the reports that settle a message

messages.register(
    {
        "gateway.kannel.auth": (
            "Kannel 拒绝了用户名或密码（sendsms-user）",
            "Kannel refused the user name or password (sendsms-user)",
        ),
        "gateway.kannel.no_sender": (
            "Kannel 要求发送号码：请在通道设置中填写，或在 smsbox 中设置 global-sender",
            "Kannel needs a sender number: set it in the channel, or global-sender in smsbox",
        ),
        "gateway.kannel.failed": ("Kannel 未能接收这条短信，稍后重试", "Kannel could not take the message; will retry"),
    }
)


@dataclass(frozen=True)
class KannelConfig:
    url: str  # smsbox's sendsms URL, e.g. http://192.168.1.20:13013/cgi-bin/sendsms
    username: str  # the sendsms-user
    sender: str = ""  # 'from'; empty: the sendsms-user's or smsbox's default
    smsc: str = ""  # send through this smsc-id only
    dlr_url: str = ""  # our listener for reports; empty: no reports asked for
    dlr_mask: int = DLR_FINAL
    http: HttpSettings = field(default_factory=HttpSettings)


def dlr_url_for(base: str, client_id: str) -> str:
    """The dlr-url for one message: our listener, our client id, and Kannel's escapes for the report."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}cid={quote(client_id, safe='')}&type=%d&to=%p&at=%T&reply=%A&smsc_ref=%F"


def mo_url(base: str) -> str:
    """The get-url of a Kannel sms-service that forwards replies to our listener (see `receive_mo`)."""
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}from=%p&to=%P&text=%a&at=%T&smsc_ref=%F"


def _first(params: Mapping[str, str | Sequence[str]], key: str) -> str:
    value = params.get(key, "")
    if isinstance(value, str):
        return value
    return value[0] if value else ""


def _when(params: Mapping[str, str | Sequence[str]]) -> datetime:
    stamp = _first(params, "at")
    return datetime.fromtimestamp(int(stamp), UTC) if stamp.isdigit() else datetime.now(UTC)


def parse_dlr(params: Mapping[str, str | Sequence[str]]) -> GatewayReport | None:
    """Kannel's call to a `dlr_url_for` URL as a report; None for the steps on the way (queued on or
    accepted by the SMSC), which settle nothing. A query parsed by urllib (lists of values) or a plain
    mapping."""
    kind_text = _first(params, "type")
    if not kind_text.isdigit():
        raise ValueError(f"not a Kannel delivery report type: {kind_text!r}")
    kind = int(kind_text)
    if kind & DLR_DELIVERED:
        delivered = True
    elif kind & (DLR_UNDELIVERED | DLR_SMSC_REFUSED):
        delivered = False
    else:
        return None
    reply = _first(params, "reply")
    return GatewayReport(
        client_id=_first(params, "cid") or None,
        gateway_id=_first(params, "smsc_ref") or None,
        phone=e164_from_vendor(_first(params, "to")),
        delivered=delivered,
        status=f"{kind} {reply}".strip(),
        at=_when(params),
    )


def parse_mo(params: Mapping[str, str | Sequence[str]]) -> GatewayReply:
    """A reply forwarded by an sms-service with `mo_url` as its get-url."""
    return GatewayReply(
        sender=e164_from_vendor(_first(params, "from")),
        text=_first(params, "text"),
        received_at=_when(params),
        gateway_id=_first(params, "smsc_ref"),
    )


class KannelAdapter(HttpAdapter):
    vendor = "kannel"

    def __init__(self, config: KannelConfig, *, channel: str, password: Secret | None = None) -> None:
        """`channel` names the account (its keyring entry, keys.keyring_name); `password` overrides the
        keyring."""
        self.config = config
        limits = GatewayLimits(
            max_batch=1,  # one dlr-url (our client id) per message
            reports=ReportMode.PUSH if config.dlr_url else ReportMode.NONE,
            concurrency=config.http.concurrency,
        )
        super().__init__(channel, limits, config.http, [config.url])
        self._password = self._take_secret(password)

    def send_batch(self, batch: Sequence[OutboundSms]) -> list[SubmitResult]:
        return [SubmitResult(m.client_id, self._send(m)) for m in batch]

    def _send(self, message: OutboundSms) -> Outcome:
        c = self.config
        params = {
            "username": c.username,
            "password": self._password.reveal(),
            "to": message.phone,
            "text": message.text,
            "charset": "UTF-8",
            "coding": "0" if is_gsm7(message.text) else "2",
        }
        if c.sender:
            params["from"] = c.sender
        if c.smsc:
            params["smsc"] = c.smsc
        if c.dlr_url:
            params["dlr-mask"] = str(c.dlr_mask)
            params["dlr-url"] = dlr_url_for(c.dlr_url, message.client_id)
        try:
            response = self._request("GET", c.url, params=params)
        except NoAnswer as exc:
            return unanswered(exc)
        return answer_outcome(response)

    def read_dlr(self, params: Mapping[str, str | Sequence[str]]) -> GatewayReport | None:
        """Kannel's call to the dlr-url as a report (None for the steps on the way); ValueError when it is
        not one. For a listener that hands reports to the engine itself (smsjingling.gateway.receiver)."""
        return parse_dlr(params)

    def read_mo(self, params: Mapping[str, str | Sequence[str]]) -> GatewayReply:
        return parse_mo(params)

    def receive_dlr(self, params: Mapping[str, str | Sequence[str]]) -> GatewayReport | None:
        """For our HTTP listener: Kannel called the dlr-url. The report, if final, waits for `fetch_reports`."""
        report = self.read_dlr(params)
        if report is not None:
            self.push_report(report)
        return report

    def receive_mo(self, params: Mapping[str, str | Sequence[str]]) -> GatewayReply:
        reply = self.read_mo(params)
        self.push_reply(reply)
        return reply


def answer_outcome(response: httpx.Response) -> Outcome:
    """What smsbox's answer to sendsms says about the message."""
    status, text, detail = response.status_code, response.text.strip(), excerpt(response)
    if 200 <= status < 300:
        if text.startswith(("0:", "3:")):  # accepted, or stored to go when the SMSC is back
            return outcome(Verdict.SENT, "")
        return outcome(Verdict.UNKNOWN, "gateway.bad_answer", detail, fault=True)
    if status == 403 and "Authorization failed" in text:
        return account_problem("gateway.kannel.auth", detail)
    if status == 400:
        if "Sender missing" in text:
            return account_problem("gateway.kannel.no_sender", detail)
        return outcome(Verdict.FAILED, "gateway.rejected", detail)
    if status == 503 and "Sending failed" in text:
        return outcome(Verdict.RETRY, "gateway.kannel.failed", detail, fault=True)
    return http_status_outcome(response)
