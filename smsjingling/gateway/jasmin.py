"""Jasmin (an open-source SMS gateway, often run by a reseller or an office) through its HTTP API.

    POST /send     username, password, to, content | hex-content, coding, from, dlr=yes, dlr-url,
                   dlr-level (1 SMSC, 2 handset, 3 both), dlr-method   → 200 'Success "<uuid>"' | 4xx/5xx 'Error "…"'
    GET  /balance  username, password                                   → {"balance": 100.0|"ND", "sms_count": n|"ND"}
    GET  /rate     username, password, to, content | hex-content, coding → {"submit_sm_count": 2, "unit_rate": 2.8}

Text in the GSM alphabet goes as `content` with coding 0 (Jasmin converts UTF-8 to GSM 03.38); anything
else (Chinese) as `hex-content`, the UCS-2 bytes in hex, with coding 8: Jasmin passes `content` to the SMSC
as raw bytes, so UCS-2 must arrive already encoded. Jasmin splits long texts itself.

Each accepted message gets Jasmin's id, which its delivery reports carry (they do not carry the number).
Reports and replies are pushed by Jasmin to our URLs; the listener hands the form to `receive_dlr` or
`receive_mo` and must answer the body `ACK`, exactly "ACK/Jasmin", or Jasmin sends them again. Jasmin has no
way to ask about a request that went unanswered. The balance is in the account's own units
(`credit_fen` converts); an account limited by a message count instead is valued at `price_fen`.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

import httpx

from modem.codec.gsm7 import is_gsm7
from smsjingling import messages
from smsjingling.gateway.base import (
    Balance,
    GatewayLimits,
    GatewayReply,
    GatewayReport,
    OutboundSms,
    ReportMode,
    SubmitResult,
)
from smsjingling.gateway.errors import BalanceUnsupported, GatewayError
from smsjingling.gateway.http_adapter import (
    HttpAdapter,
    account_problem,
    e164_from_vendor,
    http_status_outcome,
    outcome,
    to_fen,
    unanswered,
)
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.redaction import guard_logger, redact
from smsjingling.gateway.transport import HttpSettings, NoAnswer, excerpt
from smsjingling.sending.outcome import Outcome, Verdict

log = guard_logger(__name__)

ACK = "ACK/Jasmin"  # what our listener answers to each pushed report or reply
_PHONES_KEPT = 100_000  # Jasmin ids → numbers, to put the number on reports (Jasmin's do not carry it)

DELIVERED = frozenset({"DELIVRD"})
UNDELIVERED = frozenset({"UNDELIV", "EXPIRED", "REJECTD", "DELETED", "UNKNOWN"})

messages.register(
    {
        "gateway.jasmin.auth": ("Jasmin 拒绝了用户名或密码", "Jasmin refused the user name or password"),
        "gateway.jasmin.not_allowed": (
            "Jasmin 账户无权通过 HTTP 发送",
            "The Jasmin account may not send through the HTTP API",
        ),
        "gateway.jasmin.balance": ("Jasmin 账户余额不足，无法扣费", "The Jasmin account cannot be charged (balance)"),
        "gateway.jasmin.no_route": ("Jasmin 没有发往该号码的路由", "Jasmin has no route to this number"),
        "gateway.jasmin.no_connector": (
            "Jasmin 的发送通道都未连接，稍后重试",
            "None of Jasmin's connectors for this route is bound; will retry",
        ),
        "gateway.jasmin.smsc_refused": ("短信中心拒绝了这条短信", "The SMSC refused the message"),
    }
)


@dataclass(frozen=True)
class JasminConfig:
    url: str  # the HTTP API, e.g. https://jasmin.example.com:1401
    username: str
    sender: str = ""  # 'from'
    dlr_url: str = ""  # our listener for reports; empty: none asked for
    dlr_level: int = 3  # 1: the SMSC took it, 2: the handset got it, 3: both
    credit_fen: int = 100  # fen per unit of Jasmin's balance (100: the balance is in yuan)
    price_fen: int = 0  # fen per message, to value a balance kept as a message count
    http: HttpSettings = field(default_factory=HttpSettings)


@dataclass(frozen=True)
class Rate:
    parts: int  # submit_sm_count: the message's parts
    unit_rate: Decimal  # per part, in the account's units
    fen: int  # the whole message in fen


def encode(text: str) -> dict[str, str]:
    """The content fields for `text`: GSM text as it is (coding 0), anything else UCS-2 in hex (coding 8)."""
    if is_gsm7(text):
        return {"coding": "0", "content": text}
    return {"coding": "8", "hex-content": text.encode("utf-16-be").hex()}


def _first(params: Mapping[str, str | Sequence[str]], key: str) -> str:
    value = params.get(key, "")
    if isinstance(value, str):
        return value
    return value[0] if value else ""


def _quoted(body: str) -> str:
    """'Success "abc"' → 'abc'; 'Error "No route found"' → 'No route found'."""
    _, _, rest = body.partition('"')
    return rest.rstrip().removesuffix('"')


def parse_dlr(params: Mapping[str, str | Sequence[str]], phone: str = "") -> GatewayReport | None:
    """A report Jasmin pushed to the dlr-url; None for the steps on the way (the SMSC took it, en route)."""
    status = _first(params, "message_status")
    jasmin_id = _first(params, "id")
    if not status or not jasmin_id:
        raise ValueError("not a Jasmin delivery report: no id or message_status")
    if status.startswith("ESME_"):  # the SMSC's answer to the submission (level 1)
        if status == "ESME_ROK":
            return None
        delivered = False
    elif status in DELIVERED:
        delivered = True
    elif status in UNDELIVERED:
        delivered = False
    else:  # ACCEPTD, ENROUTE: still on the way
        return None
    err = _first(params, "err")
    return GatewayReport(
        client_id=None,
        gateway_id=jasmin_id,
        phone=phone,
        delivered=delivered,
        status=f"{status} err={err}" if err and err != "0" else status,
        at=datetime.now(UTC),  # Jasmin's donedate has minutes only and the SMSC's own time zone
    )


def parse_mo(params: Mapping[str, str | Sequence[str]]) -> GatewayReply:
    """A reply Jasmin forwarded; UCS-2 replies (coding 8) are read from the hex `binary` field."""
    text = _first(params, "content")
    binary = _first(params, "binary")
    if _first(params, "coding") == "8" and binary:
        with contextlib.suppress(ValueError, UnicodeDecodeError):  # else keep `content` as Jasmin gave it
            text = bytes.fromhex(binary).decode("utf-16-be")
    return GatewayReply(
        sender=e164_from_vendor(_first(params, "from")),
        text=text,
        received_at=datetime.now(UTC),
        gateway_id=_first(params, "id"),
    )


def answer_outcome(response: httpx.Response) -> Outcome:
    """What Jasmin's answer to /send says about the message."""
    status, body, detail = response.status_code, response.text.strip(), excerpt(response)
    if status == 200 and body.startswith("Success"):
        jasmin_id = _quoted(body)
        if jasmin_id:
            return outcome(Verdict.SENT, "", refs=(jasmin_id,))
        return outcome(Verdict.UNKNOWN, "gateway.bad_answer", detail, fault=True)
    words = _quoted(body) if body.startswith("Error") else body
    if status == 403:
        if words.startswith("Authentication failure"):
            return account_problem("gateway.jasmin.auth", detail)
        if words.startswith("Authorization failed"):
            return account_problem("gateway.jasmin.not_allowed", detail)
        if words.startswith("Cannot charge"):
            return account_problem("gateway.jasmin.balance", detail)
        if "throughput" in words.lower():
            return outcome(Verdict.RETRY, "gateway.busy", detail, fault=True)
    if status == 412:
        if words.startswith("No route"):
            return outcome(Verdict.FAILED, "gateway.jasmin.no_route", detail)
        return outcome(Verdict.RETRY, "gateway.jasmin.no_connector", detail, fault=True)
    if status == 400:
        return outcome(Verdict.FAILED, "gateway.rejected", detail)
    if status == 200:  # 200 without "Success": not Jasmin's answer
        return outcome(Verdict.UNKNOWN, "gateway.bad_answer", detail, fault=True)
    return http_status_outcome(response)


class JasminAdapter(HttpAdapter):
    vendor = "jasmin"

    def __init__(self, config: JasminConfig, *, channel: str, password: Secret | None = None) -> None:
        """`channel` names the account (its keyring entry, keys.keyring_name); `password` overrides the
        keyring."""
        self.config = config
        base = config.url.rstrip("/")
        self._send_url, self._balance_url, self._rate_url = f"{base}/send", f"{base}/balance", f"{base}/rate"
        limits = GatewayLimits(
            max_batch=1,  # /send takes one number
            reports=ReportMode.PUSH if config.dlr_url else ReportMode.NONE,
            concurrency=config.http.concurrency,
        )
        super().__init__(channel, limits, config.http, [base])
        self._password = self._take_secret(password)
        self._phones: OrderedDict[str, str] = OrderedDict()
        self._phones_lock = threading.Lock()

    def _auth(self) -> dict[str, str]:
        return {"username": self.config.username, "password": self._password.reveal()}

    def send_batch(self, batch: Sequence[OutboundSms]) -> list[SubmitResult]:
        return [SubmitResult(m.client_id, self._send(m)) for m in batch]

    def _send(self, message: OutboundSms) -> Outcome:
        c = self.config
        form = {**self._auth(), "to": message.phone, **encode(message.text)}
        if c.sender:
            form["from"] = c.sender
        if c.dlr_url:
            form.update({"dlr": "yes", "dlr-url": c.dlr_url, "dlr-level": str(c.dlr_level), "dlr-method": "POST"})
        try:
            response = self._request("POST", self._send_url, data=form)
        except NoAnswer as exc:
            return unanswered(exc)
        result = answer_outcome(response)
        if result.verdict is Verdict.SENT:
            with self._phones_lock:
                self._phones[result.refs[0]] = message.phone
                while len(self._phones) > _PHONES_KEPT:
                    self._phones.popitem(last=False)
        return result

    def read_dlr(self, params: Mapping[str, str | Sequence[str]]) -> GatewayReport | None:
        """Jasmin's pushed report, with the number it was sent to when this adapter sent it; None for a step on
        the way. For a listener that hands reports to the engine itself (smsjingling.gateway.receiver)."""
        with self._phones_lock:
            phone = self._phones.get(_first(params, "id"), "")
        return parse_dlr(params, phone)

    def read_mo(self, params: Mapping[str, str | Sequence[str]]) -> GatewayReply:
        return parse_mo(params)

    def receive_dlr(self, params: Mapping[str, str | Sequence[str]]) -> GatewayReport | None:
        """For our listener (which then answers ACK): a final report waits for `fetch_reports`."""
        report = self.read_dlr(params)
        if report is not None:
            self.push_report(report)
        return report

    def receive_mo(self, params: Mapping[str, str | Sequence[str]]) -> GatewayReply:
        reply = self.read_mo(params)
        self.push_reply(reply)
        return reply

    def _json(self, url: str, params: dict[str, str]) -> object:
        response = self._query("GET", url, params=params)
        try:
            return response.json()
        except ValueError:
            raise self._bad_query_answer(response) from None

    def balance(self) -> Balance:
        data = self._json(self._balance_url, self._auth())
        if not isinstance(data, dict):
            raise GatewayError("gateway.query_bad_answer", name=self.name, detail=redact(str(data))[:200])
        raw = f"balance={data.get('balance')} sms_count={data.get('sms_count')}"
        try:
            if data.get("balance") not in (None, "ND"):
                return Balance(fen=to_fen(data["balance"], self.config.credit_fen), raw=raw)
            if data.get("sms_count") not in (None, "ND") and self.config.price_fen:
                return Balance(fen=int(data["sms_count"]) * self.config.price_fen, raw=raw)
        except (ValueError, TypeError):
            raise GatewayError("gateway.query_bad_answer", name=self.name, detail=raw) from None
        raise BalanceUnsupported("gateway.balance_not_defined", name=self.name)

    def rate(self, phone: str, text: str) -> Rate:
        """What Jasmin would charge for `text` to `phone`: its parts and the price per part."""
        data = self._json(self._rate_url, {**self._auth(), "to": phone, **encode(text)})
        try:
            parts, unit = int(data["submit_sm_count"]), Decimal(str(data["unit_rate"]))  # type: ignore[index]
        except (KeyError, ValueError, TypeError, InvalidOperation):
            raise GatewayError("gateway.query_bad_answer", name=self.name, detail=redact(str(data))[:200]) from None
        return Rate(parts, unit, to_fen(unit * parts, self.config.credit_fen))
