"""Any other HTTP SMS vendor, described instead of programmed: a URL template, a method, more parameters or a
body template, the text encoding, and patterns that read the answer.

    GenericConfig(
        url="https://sms.example.cn/sms.aspx?action=send&account={user}&password={password}"
            "&mobile={phone}&content={text}",
        encoding="gbk", phone_format=PhoneFormat.NATIONAL,
        success=r"<returnstatus>Success</returnstatus>", message_id=r"<taskID>(\\d+)</taskID>",
        account=r"密码错误|余额不足", retry=r"频繁|稍后",
    )

Placeholders: {phone} {text} {user} {password} {client_id} (our id for the message, for vendors that echo
one). Anything else in braces is left alone, so a JSON body template keeps its own braces. In a URL or a
form every value is percent-encoded in `encoding` (utf-8, gbk, gb18030, big5 ...; "ucs2-hex" sends the text
as UCS-2 hex, the other values in UTF-8); in a body template values are escaped for the body type (JSON
string, XML text) and the body is encoded in `encoding`.

The answer: `account` matching → the account cannot send (REQUEUE, the channel rests); `retry` matching →
not now (RETRY); a 2xx answer matching `success` → SENT, with the vendor's id from `message_id`'s first
group; any other 2xx answer → refused (FAILED, the vendor's words in the record); other statuses as HTTP
says. One message per request; no reports, replies or lookups (a request without an answer stays UNKNOWN).
"""

from __future__ import annotations

import codecs
import contextlib
import enum
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar
from urllib.parse import quote, quote_plus
from xml.sax.saxutils import escape as xml_escape

import httpx

from smsjingling import messages
from smsjingling.errors import ValidationError
from smsjingling.gateway.base import Balance, GatewayLimits, OutboundSms, ReportMode, SubmitResult
from smsjingling.gateway.errors import BalanceUnsupported, GatewayError
from smsjingling.gateway.http_adapter import (
    ACCOUNT,
    HttpAdapter,
    account_problem,
    cn_mobile,
    http_status_outcome,
    outcome,
    to_fen,
    unanswered,
)
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.redaction import guard_logger, redact, remember_forms
from smsjingling.gateway.transport import HttpSettings, NoAnswer
from smsjingling.sending.outcome import Outcome, Verdict

log = guard_logger(__name__)

PLACEHOLDERS = ("phone", "text", "user", "password", "client_id")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
_ANY_NAME = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
UCS2_HEX = "ucs2-hex"

messages.register(
    {
        "gateway.generic.bad_pattern": (
            "通用网关设置中的正则表达式 {field} 无效：{error}",
            "The regular expression {field} of the generic gateway is not valid: {error}",
        ),
        "gateway.generic.bad_placeholder": (
            "通用网关模板中有未知的占位符 {{{name}}}（可用：{known}）",
            "The generic gateway template has an unknown placeholder {{{name}}} (known: {known})",
        ),
        "gateway.generic.bad_encoding": ("未知的文字编码：{encoding}", "Unknown text encoding: {encoding}"),
        "gateway.generic.bad_method": (
            "请求方法只能是 GET 或 POST：{method}",
            "The method must be GET or POST: {method}",
        ),
        "gateway.generic.no_success": (
            "通用网关需要一个表示发送成功的正则表达式",
            "The generic gateway needs a regular expression that means success",
        ),
        "gateway.generic.refused": (
            "网关拒绝了这条短信（原文见详情）",
            "The gateway refused the message (its words are in the detail)",
        ),
    }
)


class PhoneFormat(enum.StrEnum):
    E164 = "e164"  # +8613800138000
    DIGITS = "digits"  # 8613800138000
    NATIONAL = "national"  # 13800138000 for mainland mobiles; other numbers as digits with their country code


@dataclass(frozen=True)
class GenericConfig:
    url: str  # template; see the module's note
    success: str  # regex: the answer to an accepted message
    method: str = "GET"
    params: Mapping[str, str] = field(default_factory=dict)  # templates too: query (GET) or form (POST)
    body: str = ""  # a raw POST body template (JSON, XML) instead of a form
    body_type: str = "application/json"  # the body's Content-Type (json and xml bodies get their escaping)
    encoding: str = "utf-8"
    user: str = ""
    phone_format: PhoneFormat = PhoneFormat.E164
    message_id: str = ""  # regex; its first group is the vendor's id
    retry: str = ""  # regex: "not now" (rate limit, maintenance)
    account: str = ""  # regex: the account cannot send (password, balance, expiry)
    balance_url: str = ""  # template (user, password); empty: the vendor has no balance query
    balance_pattern: str = ""  # regex; its first group is the balance
    balance_unit_fen: int = 100  # fen per unit of that figure (100: yuan; 5: a count of 5-fen messages)
    requests_per_second: float = 0.0
    http: HttpSettings = field(default_factory=HttpSettings)


def _compile(name: str, pattern: str) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern, re.S)
    except re.error as exc:
        raise ValidationError("gateway.generic.bad_pattern", field=name, error=str(exc)) from None


def _check_placeholders(*templates: str) -> None:
    """Every {name} must be one of ours. A JSON body's own braces never enclose a bare name, so they pass."""
    for template in templates:
        for name in _ANY_NAME.findall(template):
            if name not in PLACEHOLDERS:
                raise ValidationError("gateway.generic.bad_placeholder", name=name, known=", ".join(PLACEHOLDERS))


def format_phone(phone: str, style: PhoneFormat) -> str:
    if style is PhoneFormat.E164:
        return phone
    if style is PhoneFormat.NATIONAL:
        national = cn_mobile(phone)
        if national is not None:
            return national
    return phone.lstrip("+")


class GenericAdapter(HttpAdapter):
    vendor: ClassVar[str] = "generic"

    def __init__(self, config: GenericConfig, *, channel: str, password: Secret | None = None) -> None:
        """`channel` names the account (its keyring entry, keys.keyring_name); `password` overrides the
        keyring."""
        self.config = config
        method = config.method.upper()
        if method not in ("GET", "POST"):
            raise ValidationError("gateway.generic.bad_method", method=config.method)
        if config.encoding != UCS2_HEX:
            try:
                codecs.lookup(config.encoding)
            except LookupError:
                raise ValidationError("gateway.generic.bad_encoding", encoding=config.encoding) from None
        success = _compile("success", config.success)
        if success is None:
            raise ValidationError("gateway.generic.no_success")
        self._success = success
        self._id = _compile("message_id", config.message_id)
        self._retry = _compile("retry", config.retry)
        self._account = _compile("account", config.account)
        self._balance = _compile("balance_pattern", config.balance_pattern)
        _check_placeholders(config.url, config.balance_url, config.body, *config.params.values(), *config.params)
        self._method = method
        limits = GatewayLimits(
            max_batch=1,
            requests_per_second=config.requests_per_second,
            reports=ReportMode.NONE,
            concurrency=config.http.concurrency,
        )
        super().__init__(channel, limits, config.http, [config.url, config.balance_url])
        self._password = self._take_secret(password)
        with contextlib.suppress(UnicodeEncodeError):  # then it cannot be sent either, nor logged
            wire = self._bytes("password", self._password.reveal())
            remember_forms(quote(wire, safe=""), quote_plus(wire), quote(wire, safe="").lower())

    # -- building the request ---------------------------------------------------------------------------

    def _values(self, message: OutboundSms | None) -> dict[str, str]:
        values = {"user": self.config.user, "password": self._password.reveal()}
        if message is not None:
            values |= {
                "phone": format_phone(message.phone, self.config.phone_format),
                "text": message.text,
                "client_id": message.client_id,
            }
        return values

    def _bytes(self, name: str, value: str) -> bytes:
        if self.config.encoding == UCS2_HEX:
            if name == "text":
                return value.encode("utf-16-be").hex().upper().encode("ascii")
            return value.encode("utf-8")
        return value.encode(self.config.encoding, errors="strict")

    def _fill(self, template: str, values: dict[str, str], escape: Callable[[str, str], str]) -> str:
        return _PLACEHOLDER.sub(lambda m: escape(m.group(1), values.get(m.group(1), "")), template)

    def _in_url(self, template: str, values: dict[str, str]) -> str:
        return self._fill(template, values, lambda name, v: quote(self._bytes(name, v), safe=""))

    def _in_form(self, template: str, values: dict[str, str]) -> str:
        return self._fill(template, values, lambda name, v: quote_plus(self._bytes(name, v)))

    def _request_for(self, message: OutboundSms | None, url_template: str) -> tuple[str, dict[str, object]]:
        values = self._values(message)
        url = self._in_url(url_template, values)
        fields = [(quote_plus(k), self._in_form(v, values)) for k, v in self.config.params.items()]
        kwargs: dict[str, object] = {}
        charset = "utf-8" if self.config.encoding == UCS2_HEX else self.config.encoding
        if message is None or self._method == "GET":
            if fields:
                url += ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in fields)
        elif self.config.body:
            kwargs["content"] = self._body(values).encode(charset)
            kwargs["headers"] = {"Content-Type": f"{self.config.body_type}; charset={charset}"}
        else:
            kwargs["content"] = "&".join(f"{k}={v}" for k, v in fields).encode("ascii")
            kwargs["headers"] = {"Content-Type": f"application/x-www-form-urlencoded; charset={charset}"}
        return url, kwargs

    def _body(self, values: dict[str, str]) -> str:
        kind = self.config.body_type.lower()
        if "json" in kind:

            def escape(name: str, v: str) -> str:
                return json.dumps(v, ensure_ascii=False)[1:-1]
        elif "xml" in kind:

            def escape(name: str, v: str) -> str:
                return xml_escape(v, {'"': "&quot;", "'": "&apos;"})
        else:

            def escape(name: str, v: str) -> str:
                return v

        if self.config.encoding == UCS2_HEX:
            plain = escape

            def escape(name: str, v: str) -> str:
                return plain(name, v.encode("utf-16-be").hex().upper() if name == "text" else v)

        return self._fill(self.config.body, values, escape)

    def _text(self, response: httpx.Response) -> str:
        charset = response.charset_encoding
        if charset is None:
            charset = "utf-8" if self.config.encoding == UCS2_HEX else self.config.encoding
        try:
            return response.content.decode(charset, errors="replace")
        except LookupError:
            return response.content.decode("utf-8", errors="replace")

    # -- sending ------------------------------------------------------------------------------------------

    def send_batch(self, batch: Sequence[OutboundSms]) -> list[SubmitResult]:
        return [SubmitResult(m.client_id, self._send(m)) for m in batch]

    def _send(self, message: OutboundSms) -> Outcome:
        try:
            url, kwargs = self._request_for(message, self.config.url)
        except UnicodeEncodeError as exc:  # the text has characters the vendor's encoding lacks
            return outcome(Verdict.FAILED, "gateway.rejected", f"{self.config.encoding}: {exc.reason}")
        try:
            response = self._request(self._method, url, **kwargs)
        except NoAnswer as exc:
            return unanswered(exc)
        return self._read(response)

    def _read(self, response: httpx.Response) -> Outcome:
        text = self._text(response)
        detail = redact(" ".join(text.split())[:200])
        if self._account is not None and self._account.search(text):
            return account_problem(ACCOUNT, detail)
        if self._retry is not None and self._retry.search(text):
            return outcome(Verdict.RETRY, "gateway.busy", detail, fault=True)
        if 200 <= response.status_code < 300:
            if self._success.search(text):
                found = self._id.search(text) if self._id is not None else None
                refs = (found.group(1),) if found and found.groups() and found.group(1) else ()
                return outcome(Verdict.SENT, "", refs=refs)
            return outcome(Verdict.FAILED, "gateway.generic.refused", detail)
        return http_status_outcome(response)

    def balance(self) -> Balance:
        if not self.config.balance_url or self._balance is None:
            raise BalanceUnsupported("gateway.balance_unsupported", name=self.name, vendor=self.vendor)
        url, _ = self._request_for(None, self.config.balance_url)
        response = self._query("GET", url)
        text = self._text(response)
        found = self._balance.search(text)
        if not found or not found.groups():
            raise GatewayError("gateway.query_bad_answer", name=self.name, detail=redact(text[:200]))
        try:
            return Balance(fen=to_fen(found.group(1), self.config.balance_unit_fen), raw=redact(found.group(0)))
        except ValueError:
            raise GatewayError("gateway.query_bad_answer", name=self.name, detail=redact(text[:200])) from None
