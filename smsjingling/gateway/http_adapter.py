"""What the third-party HTTP adapters (短信宝, 云片, Kannel, Jasmin, generic) share: the pooled client, the
reasons a send can end with, the mapping of HTTP failures to verdicts, push inboxes, and phone formats.

Verdicts, as the sending engine reads them:
- SENT: the vendor took the message (refs = its id, when it gives one).
- FAILED: the vendor refused this message for good (bad number, banned words, no route).
- RETRY: refused for now (rate limit, a server error, per-number limits); tried again after a pause.
- REQUEUE + channel_fault: the account cannot send at all (wrong password, no balance, expired, IP not
  allowed, gateway unreachable). Nothing left; the messages wait, not counted as attempts, while the channel
  rests, just as a modem needing its SIM seen to (send.modem_attention). Failing them would burn a whole
  campaign on a typo in a password.
- UNKNOWN: the request left and no readable answer came; never resent without the operator.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import ClassVar

import httpx

from smsjingling import messages
from smsjingling.gateway.base import Balance, GatewayLimits, GatewayReply, GatewayReport, OutboundSms, SubmitResult
from smsjingling.gateway.errors import BalanceUnsupported, GatewayError
from smsjingling.gateway.keys import Secret, load_key
from smsjingling.gateway.redaction import remember
from smsjingling.gateway.transport import HttpSettings, NoAnswer, check_url, excerpt, make_client, perform
from smsjingling.sending.outcome import Outcome, Verdict

messages.register(
    {
        "gateway.unreachable": ("无法连接网关，短信未发出", "Could not reach the gateway; nothing was sent"),
        "gateway.no_answer": (
            "网关未回复，不确定是否已发出",
            "The gateway did not answer; the message may or may not have left",
        ),
        "gateway.bad_answer": (
            "网关的回复无法识别，不确定是否已发出",
            "The gateway's answer could not be read; the message may or may not have left",
        ),
        "gateway.no_result": (
            "网关的回复中没有这条短信的结果，不确定是否已发出",
            "The gateway's answer had no result for this message; it may or may not have left",
        ),
        "gateway.busy": ("网关繁忙或限制频率，稍后重试", "The gateway is busy or limiting the rate; will retry"),
        "gateway.server_error": ("网关内部出错，稍后重试", "The gateway had an internal error; will retry"),
        "gateway.account": (
            "网关账户需要处理（密码、余额、有效期或 IP 限制）",
            "The gateway account needs attention (password, balance, expiry or IP restriction)",
        ),
        "gateway.config": (
            "网关通道的设置有误，需要处理",
            "The gateway channel's settings are wrong and need attention",
        ),
        "gateway.redirected": (
            "网关地址已转移，需要更新通道设置",
            "The gateway address has moved; the channel's settings need updating",
        ),
        "gateway.rejected": ("网关拒绝了这条短信，不会重试", "The gateway refused this message; not retried"),
        "gateway.number_unsupported": (
            "此网关不能发往该号码（仅支持中国大陆手机号）",
            "This gateway cannot send to this number (mainland China mobiles only)",
        ),
    }
)


def outcome(
    verdict: Verdict, reason: str, detail: str = "", refs: tuple[str, ...] = (), fault: bool = False
) -> Outcome:
    return Outcome(verdict, refs, reason, detail, channel_fault=fault)


def unanswered(exc: NoAnswer) -> Outcome:
    if exc.left:
        return outcome(Verdict.UNKNOWN, "gateway.no_answer", exc.detail, fault=True)
    return outcome(Verdict.REQUEUE, "gateway.unreachable", exc.detail, fault=True)


ACCOUNT = "gateway.account"


def account_problem(reason: str = ACCOUNT, detail: str = "") -> Outcome:
    return outcome(Verdict.REQUEUE, reason, detail, fault=True)


def retry_after(response: httpx.Response, *, now: datetime | None = None) -> float | None:
    """The wait a Retry-After header asks for, in seconds (RFC 9110: a number of seconds or an HTTP date);
    None when there is none or it cannot be read."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def http_status_outcome(response: httpx.Response) -> Outcome:
    """What an HTTP status says when the vendor's own words do not say more."""
    status, detail = response.status_code, f"HTTP {response.status_code}: {excerpt(response)}"
    if status == 429:
        # The vendor's rate limit: nothing was done, the messages are not at fault; the worker pauses for the
        # wait asked (1 s when none is given) and the messages are not charged an attempt.
        wait = retry_after(response)
        return Outcome(Verdict.REQUEUE, (), "gateway.busy", detail, retry_after=1.0 if wait is None else wait)
    if status == 503:
        return Outcome(Verdict.RETRY, (), "gateway.busy", detail, channel_fault=True, retry_after=retry_after(response))
    if status in (502, 504):  # a proxy in front lost the vendor's answer: the send may have happened
        return outcome(Verdict.UNKNOWN, "gateway.no_answer", detail, fault=True)
    if status >= 500:
        return outcome(Verdict.RETRY, "gateway.server_error", detail, fault=True)
    if status in (401, 403):
        return account_problem(detail=detail)
    if 300 <= status < 400:
        return outcome(Verdict.REQUEUE, "gateway.redirected", detail, fault=True)
    if status >= 400:
        return outcome(Verdict.FAILED, "gateway.rejected", detail)
    return outcome(Verdict.UNKNOWN, "gateway.bad_answer", detail, fault=True)


def results(batch: Sequence[OutboundSms], result: Outcome) -> list[SubmitResult]:
    """The same outcome for every message of a request."""
    return [SubmitResult(m.client_id, result) for m in batch]


def to_fen(amount: object, unit_fen: Decimal | int = 100) -> int:
    """A vendor's money figure (yuan by default: unit_fen=100) in whole fen, half up."""
    try:
        value = Decimal(str(amount)) * Decimal(unit_fen)
    except InvalidOperation:
        raise ValueError(f"not a number: {amount!r}") from None
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cn_mobile(phone: str) -> str | None:
    """'+8613800138000' → '13800138000' (what domestic Chinese APIs take); None for other numbers."""
    if phone.startswith("+86"):
        national = phone[3:]
        if len(national) == 11 and national.isdigit() and national[0] == "1":
            return national
    return None


def e164_from_vendor(number: str) -> str:
    """A vendor's number back in E.164: bare 11-digit mainland mobiles get +86, others a '+'."""
    number = number.strip().replace(" ", "")
    if number.startswith("+"):
        return number
    if number.startswith("0086"):
        return "+" + number[2:]
    if len(number) == 11 and number.isdigit() and number[0] == "1":
        return "+86" + number
    if number.startswith("86") and len(number) == 13:
        return "+" + number
    return "+" + number if number.isdigit() else number


class HttpAdapter:
    """Base of the third-party adapters: a pooled client for one account, push inboxes, and the defaults of
    a vendor that cannot be asked about lost sends, has no balance, and no pull reports or replies."""

    vendor: ClassVar[str] = ""

    def __init__(self, name: str, limits: GatewayLimits, settings: HttpSettings, urls: Sequence[str]) -> None:
        for url in urls:
            if url:
                check_url(url, insecure_lan_http=settings.insecure_lan_http)
        self.name = name
        self.limits = limits
        self.settings = settings
        self._client = make_client(settings)
        self._lock = threading.Lock()
        self._reports: deque[GatewayReport] = deque()
        self._replies: deque[GatewayReply] = deque()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"

    def __enter__(self) -> HttpAdapter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the GatewayAdapter interface, where a vendor has nothing more to offer --------------------------

    def query(self, client_ids: Sequence[str]) -> list[SubmitResult]:
        return []

    def balance(self) -> Balance:
        raise BalanceUnsupported("gateway.balance_unsupported", name=self.name, vendor=self.vendor)

    def fetch_reports(self) -> list[GatewayReport]:
        """Reports the vendor pushed to us since the last call (see `push_report`)."""
        return self._drain(self._reports)

    def fetch_replies(self) -> list[GatewayReply]:
        return self._drain(self._replies)

    def close(self) -> None:
        self._client.close()

    # -- for subclasses ----------------------------------------------------------------------------------

    def _take_secret(self, secret: Secret | None) -> Secret:
        """The account's password or key: the one given, or the channel's entry in the OS keyring
        (keys.load_key); from now on cut out of every text this process logs or records."""
        return remember(secret if secret is not None else load_key(self.name))

    def push_report(self, report: GatewayReport) -> None:
        """A report the vendor called our URL with; handed out by the next `fetch_reports`."""
        with self._lock:
            self._reports.append(report)

    def push_reply(self, reply: GatewayReply) -> None:
        with self._lock:
            self._replies.append(reply)

    def _drain(self, box: deque) -> list:
        with self._lock:
            items = list(box)
            box.clear()
        return items

    def _request(self, method: str, url: str | httpx.URL, **kwargs: object) -> httpx.Response:
        return perform(self._client, method, url, **kwargs)

    def _query(
        self, method: str, url: str | httpx.URL, check: Callable[[httpx.Response], None] | None = None, **kwargs: object
    ) -> httpx.Response:
        """A request that is not a send (balance, reports): failures become GatewayError."""
        try:
            response = self._request(method, url, **kwargs)
        except NoAnswer as exc:
            raise GatewayError("gateway.query_no_answer", name=self.name, detail=exc.detail) from None
        if check is not None:
            check(response)
        elif response.status_code >= 300:
            detail = f"HTTP {response.status_code}: {excerpt(response)}"
            raise GatewayError("gateway.query_refused", name=self.name, detail=detail)
        return response

    def _bad_query_answer(self, response: httpx.Response) -> GatewayError:
        return GatewayError("gateway.query_bad_answer", name=self.name, detail=excerpt(response))
