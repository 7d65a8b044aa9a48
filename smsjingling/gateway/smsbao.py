"""短信宝 (smsbao.com) through its plain HTTP API.

    GET https://api.smsbao.com/sms?u=USER&p=MD5(PASSWORD)&m=PHONE[,PHONE...]&c=CONTENT   → "0" or an error code
    GET https://api.smsbao.com/query?u=USER&p=MD5(PASSWORD)                               → "0\\n<sent>,<remaining>"

CONTENT is UTF-8, URL-encoded; PHONE the 11-digit mainland number (the domestic API takes nothing else).
The answer is one code for the whole request and no message id, so there are no reports to match and no
way to ask about a request that went unanswered (UNKNOWN stays UNKNOWN). The balance is a count of
messages; the configured price turns it into fen.

One number per request by default: 短信宝 holds requests with several numbers (群发) for manual review,
and one code for several numbers cannot say which number was bad. With `max_batch` > 1, messages with the
same text share a request, and a "51 bad number" answer for several numbers (which sent nothing) is
followed by one request per number to find the bad one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from smsjingling import messages
from smsjingling.gateway.base import Balance, GatewayLimits, OutboundSms, ReportMode, SubmitResult
from smsjingling.gateway.errors import GatewayError
from smsjingling.gateway.http_adapter import (
    HttpAdapter,
    account_problem,
    cn_mobile,
    http_status_outcome,
    outcome,
    results,
    unanswered,
)
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.redaction import guard_logger, md5_secret
from smsjingling.gateway.transport import HttpSettings, NoAnswer, excerpt
from smsjingling.sending.outcome import Outcome, Verdict

log = guard_logger(__name__)

# code → (verdict, Chinese, English). The account codes leave the messages queued (see http_adapter).
CODES: dict[str, tuple[Verdict, str, str]] = {
    "30": (Verdict.REQUEUE, "短信宝：密码错误", "短信宝: wrong password"),
    "40": (Verdict.REQUEUE, "短信宝：账号不存在", "短信宝: the account does not exist"),
    "41": (Verdict.REQUEUE, "短信宝：余额不足", "短信宝: the balance is too low"),
    "42": (Verdict.REQUEUE, "短信宝：账户已过期", "短信宝: the account has expired"),
    "43": (Verdict.REQUEUE, "短信宝：IP 地址受限", "短信宝: requests from this IP address are not allowed"),
    "50": (Verdict.FAILED, "短信宝：内容含有敏感词", "短信宝: the content has sensitive words"),
    "51": (Verdict.FAILED, "短信宝：手机号码不正确", "短信宝: the mobile number is not valid"),
    "-1": (Verdict.FAILED, "短信宝：参数不全", "短信宝: parameters missing"),
}
messages.register({f"gateway.smsbao.{code}": (zh, en) for code, (_, zh, en) in CODES.items()})
messages.register(
    {"gateway.smsbao.unknown": ("短信宝返回了未知的代码，稍后重试", "短信宝 answered an unknown code; will retry")}
)


def code_outcome(code: str, detail: str) -> Outcome:
    if code == "0":
        return outcome(Verdict.SENT, "")
    known = CODES.get(code)
    if known is None:
        return outcome(Verdict.RETRY, "gateway.smsbao.unknown", detail, fault=True)
    verdict = known[0]
    reason = f"gateway.smsbao.{code}"
    if verdict is Verdict.REQUEUE:
        return account_problem(reason, detail)
    return outcome(verdict, reason, detail)


@dataclass(frozen=True)
class SmsbaoConfig:
    user: str
    price_fen: int  # what one message costs, to turn the remaining count into money
    base_url: str = "https://api.smsbao.com"
    max_batch: int = 1  # numbers per request (see the module's note)
    requests_per_second: float = 0.0
    password_is_api_key: bool = False  # an ApiKey from the 短信宝 console goes as it is, not hashed
    http: HttpSettings = field(default_factory=HttpSettings)


class SmsbaoAdapter(HttpAdapter):
    vendor = "smsbao"

    def __init__(self, config: SmsbaoConfig, *, channel: str, password: Secret | None = None) -> None:
        """`channel` names the account (its keyring entry, keys.keyring_name); `password` overrides the
        keyring."""
        self.config = config
        base = config.base_url.rstrip("/")
        self._sms_url, self._query_url = f"{base}/sms", f"{base}/query"
        limits = GatewayLimits(
            max_batch=max(1, config.max_batch),
            requests_per_second=config.requests_per_second,
            reports=ReportMode.NONE,
            concurrency=config.http.concurrency,
        )
        super().__init__(channel, limits, config.http, [self._sms_url])
        password = self._take_secret(password)
        self._p = password if config.password_is_api_key else md5_secret(password)

    def send_batch(self, batch: Sequence[OutboundSms]) -> list[SubmitResult]:
        out: list[SubmitResult] = []
        by_text: dict[str, list[tuple[OutboundSms, str]]] = {}
        for m in batch:
            mobile = cn_mobile(m.phone)
            if mobile is None:
                out.append(SubmitResult(m.client_id, outcome(Verdict.FAILED, "gateway.number_unsupported", m.phone)))
            else:
                by_text.setdefault(m.text, []).append((m, mobile))
        size = self.limits.max_batch
        for group in by_text.values():
            for start in range(0, len(group), size):
                out.extend(self._send(group[start : start + size]))
        return out

    def _send(self, group: list[tuple[OutboundSms, str]]) -> list[SubmitResult]:
        batch = [m for m, _ in group]
        params = {
            "u": self.config.user,
            "p": self._p.reveal(),
            "m": ",".join(mobile for _, mobile in group),
            "c": batch[0].text,
        }
        try:
            response = self._request("GET", self._sms_url, params=params)
        except NoAnswer as exc:
            return results(batch, unanswered(exc))
        if response.status_code != 200:
            return results(batch, http_status_outcome(response))
        body = response.text.strip()
        code = body.splitlines()[0].strip() if body else ""
        if code == "51" and len(group) > 1:
            # The request was refused as a whole (nothing sent): find the bad number one by one.
            return [r for one in group for r in self._send([one])]
        if not code.lstrip("-").isdigit():
            return results(batch, outcome(Verdict.UNKNOWN, "gateway.bad_answer", excerpt(response), fault=True))
        return results(batch, code_outcome(code, f"{code} {excerpt(response)}".strip()))

    def balance(self) -> Balance:
        response = self._query("GET", self._query_url, params={"u": self.config.user, "p": self._p.reveal()})
        lines = response.text.strip().splitlines()
        if not lines:
            raise self._bad_query_answer(response)
        code = lines[0].strip()
        if code != "0":
            known = CODES.get(code)
            if known is None:
                raise GatewayError("gateway.query_refused", name=self.name, detail=excerpt(response))
            raise GatewayError("gateway.query_refused_code", name=self.name, code=code, zh=known[1], en=known[2])
        try:
            _sent, remaining = (int(x) for x in lines[1].split(","))
        except (IndexError, ValueError):
            raise self._bad_query_answer(response) from None
        return Balance(fen=remaining * self.config.price_fen, raw=excerpt(response))
