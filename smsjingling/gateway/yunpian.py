"""云片 (yunpian.com) through its v2 API: form POSTs with the account's apikey, JSON answers.

    /v2/sms/single_send.json   apikey, mobile, text                          → {code, msg, count, fee, sid, ...}
    /v2/sms/batch_send.json    apikey, mobile=a,b,c (≤ 1,000), text          → {total_count, total_fee, data: [...]}
    /v2/sms/multi_send.json    apikey, mobile=a,b, text=enc(t1),enc(t2)      → the same, one text per number
    /v2/sms/pull_status.json   apikey, page_size (≤ 100)                     → [{sid, mobile, report_status, ...}]
    /v2/sms/pull_reply.json    apikey, page_size                             → [{id, mobile, text, reply_time, ...}]
    /v2/sms/get_record.json    apikey, mobile, start_time, end_time          → [{sid, mobile, text, fee, ...}]
    /v2/user/get.json          apikey                                        → {balance (yuan), ...}

A request refused as a whole answers HTTP 400 with {code, msg, detail}; a batch answers per number, each
with its own code. Money is yuan (fee 0.05); times are Beijing time. A batch goes out as one batch_send when
every text is the same, otherwise as one multi_send (which takes mainland numbers only); a lone message or a
number abroad goes by single_send. When a send goes unanswered, `query` looks for it in the send record
(get_record, by number and text, around the time it left) and reports it SENT if it is there; otherwise it
stays UNKNOWN.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote_plus

import httpx

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
from smsjingling.gateway.errors import GatewayError
from smsjingling.gateway.http_adapter import (
    HttpAdapter,
    account_problem,
    cn_mobile,
    e164_from_vendor,
    http_status_outcome,
    outcome,
    results,
    to_fen,
    unanswered,
)
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.redaction import guard_logger
from smsjingling.gateway.transport import HttpSettings, NoAnswer, excerpt
from smsjingling.sending.outcome import Outcome, Verdict

log = guard_logger(__name__)

BEIJING = timezone(timedelta(hours=8))  # China keeps no daylight saving time
MAX_BATCH = 1000
PAGE_SIZE = 100
_MAX_PAGES = 50  # per fetch: 5,000 reports or replies, the rest at the next poll
_LOST_KEPT = 10_000  # unanswered sends remembered for `query`

# code → (verdict, Chinese, English)
CODES: dict[int, tuple[Verdict, str, str]] = {
    1: (Verdict.FAILED, "请求参数缺失", "a request parameter is missing"),
    2: (Verdict.FAILED, "请求参数格式错误", "a request parameter has the wrong format"),
    3: (Verdict.REQUEUE, "账户余额不足", "the account balance is too low"),
    4: (Verdict.FAILED, "关键词屏蔽", "blocked by a keyword"),
    5: (Verdict.FAILED, "未找到对应的模板", "no approved template matches the text"),
    7: (Verdict.FAILED, "模板不可用", "the template cannot be used"),
    8: (Verdict.RETRY, "同一手机号 30 秒内重复提交相同的内容", "the same text to the same number within 30 seconds"),
    9: (
        Verdict.RETRY,
        "同一手机号 5 分钟内重复提交相同内容超过 3 次",
        "the same text to one number 3 times in 5 minutes",
    ),
    10: (Verdict.FAILED, "手机号在黑名单中", "the number is on the blacklist"),
    13: (Verdict.RETRY, "营销短信暂停发送", "marketing messages are paused"),
    14: (Verdict.FAILED, "解码失败", "the text could not be decoded"),
    15: (Verdict.FAILED, "签名不匹配", "the signature 【…】 does not match the account's"),
    16: (Verdict.FAILED, "签名格式不正确", "the signature 【…】 is not well formed"),
    17: (Verdict.RETRY, "24 小时内同一手机号发送次数超过限制", "too many messages to this number in 24 hours"),
    20: (Verdict.FAILED, "不支持的国家地区", "the country or region is not supported"),
    22: (Verdict.RETRY, "1 小时内同一手机号发送次数超过限制", "too many messages to this number in one hour"),
    23: (Verdict.FAILED, "模板不支持发往该国家地区", "the template does not cover this country or region"),
    25: (Verdict.FAILED, "手机号和内容个数不匹配", "the numbers and the texts differ in count"),
    27: (Verdict.REQUEUE, "未开通金额计费", "billing by amount is not enabled for the account"),
    28: (Verdict.RETRY, "运营商错误", "a carrier error"),
    33: (Verdict.RETRY, "超过频率限制", "over the rate limit"),
    -1: (Verdict.REQUEUE, "非法的 apikey", "the apikey is not valid"),
    -2: (Verdict.REQUEUE, "API 没有权限", "the account may not use this API"),
    -3: (Verdict.REQUEUE, "IP 没有权限", "this IP address is not on the account's whitelist"),
    -4: (Verdict.RETRY, "访问次数超限", "too many calls"),
    -5: (Verdict.RETRY, "访问频率超限", "calls too frequent"),
    -50: (Verdict.RETRY, "未知异常", "an unknown error at 云片"),
    -51: (Verdict.RETRY, "系统繁忙", "the system is busy"),
    -53: (Verdict.RETRY, "提交短信失败", "submitting the message failed"),
}
messages.register({f"gateway.yunpian.{c}": (f"云片：{zh}", f"云片: {en}") for c, (_, zh, en) in CODES.items()})
messages.register(
    {
        "gateway.yunpian.unknown": (
            "云片返回了未知的错误代码，稍后重试",
            "云片 answered an unknown error code; will retry",
        )
    }
)


def code_outcome(code: int, detail: str, refs: tuple[str, ...] = ()) -> Outcome:
    if code == 0:
        return outcome(Verdict.SENT, "", refs=refs)
    known = CODES.get(code)
    if known is None:
        return outcome(Verdict.RETRY, "gateway.yunpian.unknown", detail, fault=True)
    reason = f"gateway.yunpian.{code}"
    if known[0] is Verdict.REQUEUE:
        return account_problem(reason, detail)
    busy = known[0] is Verdict.RETRY and code < 0  # the account's rate or the service, not this number
    return outcome(known[0], reason, detail, fault=busy)


def beijing_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING)


def _stamp(when: datetime) -> str:
    return when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


@dataclass(frozen=True)
class YunpianConfig:
    base_url: str = "https://sms.yunpian.com"
    max_batch: int = MAX_BATCH
    requests_per_second: float = 0.0  # as the account's contract says; 0: none declared
    page_size: int = PAGE_SIZE
    http: HttpSettings = field(default_factory=HttpSettings)


@dataclass(frozen=True)
class _Lost:
    mobile: str
    text: str
    left_at: datetime


class YunpianAdapter(HttpAdapter):
    vendor = "yunpian"

    def __init__(self, config: YunpianConfig, *, channel: str, apikey: Secret | None = None) -> None:
        """`channel` names the account (its keyring entry, keys.keyring_name); `apikey` overrides the keyring."""
        self.config = config
        base = config.base_url.rstrip("/")
        self._sms, self._user = f"{base}/v2/sms", f"{base}/v2/user"
        limits = GatewayLimits(
            max_batch=max(1, min(config.max_batch, MAX_BATCH)),
            requests_per_second=config.requests_per_second,
            reports=ReportMode.PULL,
            concurrency=config.http.concurrency,
        )
        super().__init__(channel, limits, config.http, [base])
        self._apikey = self._take_secret(apikey)
        self._lost: dict[str, _Lost] = {}
        self._lost_order: deque[str] = deque()
        self._lost_lock = threading.Lock()

    # -- sending ---------------------------------------------------------------------------------------

    def send_batch(self, batch: Sequence[OutboundSms]) -> list[SubmitResult]:
        out: list[SubmitResult] = []
        domestic: list[tuple[OutboundSms, str]] = []
        for m in batch:
            mobile = cn_mobile(m.phone)
            if mobile is None:
                out.extend(self._single(m, m.phone))  # abroad: single_send, E.164 with its '+'
            else:
                domestic.append((m, mobile))
        for start in range(0, len(domestic), self.limits.max_batch):
            group = domestic[start : start + self.limits.max_batch]
            if len(group) == 1:
                out.extend(self._single(*group[0]))
            elif len({m.text for m, _ in group}) == 1:
                out.extend(self._many("batch_send.json", group, group[0][0].text))
            else:
                texts = ",".join(quote_plus(m.text) for m, _ in group)  # each text encoded, then the list
                out.extend(self._many("multi_send.json", group, texts))
        return out

    def _form(self, **fields: str) -> dict[str, str]:
        return {"apikey": self._apikey.reveal(), **fields}

    def _post(self, endpoint: str, group: list[tuple[OutboundSms, str]], **fields: str) -> httpx.Response | Outcome:
        try:
            return self._request("POST", f"{self._sms}/{endpoint}", data=self._form(**fields))
        except NoAnswer as exc:
            if exc.left:
                self._remember_lost(group)
            return unanswered(exc)

    def _single(self, message: OutboundSms, mobile: str) -> list[SubmitResult]:
        answer = self._post("single_send.json", [(message, mobile)], mobile=mobile, text=message.text)
        if isinstance(answer, Outcome):
            return results([message], answer)
        data = _json(answer)
        if not isinstance(data, dict) or "code" not in data:
            return results([message], self._no_json(answer))
        return [self._item_result(message, data)]

    def _many(self, endpoint: str, group: list[tuple[OutboundSms, str]], text: str) -> list[SubmitResult]:
        batch = [m for m, _ in group]
        answer = self._post(endpoint, group, mobile=",".join(mobile for _, mobile in group), text=text)
        if isinstance(answer, Outcome):
            return results(batch, answer)
        data = _json(answer)
        if isinstance(data, dict) and isinstance(data.get("data"), list):
            return self._match(group, data["data"])
        if isinstance(data, dict) and "code" in data:  # refused as a whole
            return results(batch, self._whole(data))
        return results(batch, self._no_json(answer))

    def _no_json(self, response: httpx.Response) -> Outcome:
        if response.status_code == 200:
            return outcome(Verdict.UNKNOWN, "gateway.bad_answer", excerpt(response), fault=True)
        return http_status_outcome(response)

    @staticmethod
    def _detail(item: dict[str, Any]) -> str:
        return " ".join(str(item[k]) for k in ("code", "msg", "detail") if item.get(k) not in (None, ""))

    def _whole(self, data: dict[str, Any]) -> Outcome:
        return code_outcome(_int(data.get("code")), self._detail(data))

    def _item_result(self, message: OutboundSms, item: dict[str, Any]) -> SubmitResult:
        code = _int(item.get("code"))
        sid = item.get("sid")
        result = code_outcome(code, self._detail(item), (str(sid),) if sid is not None else ())
        fee = None
        if result.verdict is Verdict.SENT and item.get("fee") is not None:
            try:
                fee = to_fen(item["fee"])
            except ValueError:
                fee = None
        return SubmitResult(message.client_id, result, fee)

    def _match(self, group: list[tuple[OutboundSms, str]], items: list[Any]) -> list[SubmitResult]:
        """Per-number results to messages: in order when the answer follows the request, else by number."""
        items = [i for i in items if isinstance(i, dict)]
        in_order = len(items) == len(group) and all(
            str(i.get("mobile")) == mob for i, (_, mob) in zip(items, group, strict=False)
        )
        if in_order:
            return [self._item_result(m, i) for (m, _), i in zip(group, items, strict=True)]
        by_mobile: dict[str, deque[dict[str, Any]]] = defaultdict(deque)
        for item in items:
            by_mobile[str(item.get("mobile"))].append(item)
        out = []
        for m, mobile in group:
            queue = by_mobile.get(mobile)
            if queue:
                out.append(self._item_result(m, queue.popleft()))
            else:
                out.append(SubmitResult(m.client_id, outcome(Verdict.UNKNOWN, "gateway.no_result", mobile, fault=True)))
        return out

    # -- what became of unanswered sends ---------------------------------------------------------------

    def _remember_lost(self, group: list[tuple[OutboundSms, str]]) -> None:
        now = datetime.now(BEIJING)
        with self._lost_lock:
            for m, mobile in group:
                self._lost[m.client_id] = _Lost(mobile, m.text, now)
                self._lost_order.append(m.client_id)
            while len(self._lost_order) > _LOST_KEPT:
                self._lost.pop(self._lost_order.popleft(), None)

    def query(self, client_ids: Sequence[str]) -> list[SubmitResult]:
        """Unanswered sends found in 云片's send record (by number and text, from a minute before they
        left); those not found are left out: they may still appear, or may never have arrived."""
        with self._lost_lock:
            wanted = {cid: self._lost[cid] for cid in client_ids if cid in self._lost}
        out: list[SubmitResult] = []
        taken: set[str] = set()
        for cid, lost in wanted.items():
            fields = {
                "mobile": lost.mobile,
                "start_time": _stamp(lost.left_at - timedelta(minutes=1)),
                "end_time": _stamp(datetime.now(BEIJING) + timedelta(minutes=1)),
                "page_num": "1",
                "page_size": str(PAGE_SIZE),
            }
            try:
                records = self._ask(f"{self._sms}/get_record.json", fields)
            except GatewayError as exc:
                log.info("云片 %s: cannot look up unanswered sends now: %s", self.name, exc)
                break
            for record in records if isinstance(records, list) else []:
                sid = str(record.get("sid"))
                if record.get("text") == lost.text and sid not in taken:
                    taken.add(sid)
                    message = OutboundSms(cid, e164_from_vendor(lost.mobile), lost.text)
                    out.append(self._item_result(message, {**record, "code": 0}))
                    with self._lost_lock:
                        self._lost.pop(cid, None)
                    break
        return out

    # -- queries ---------------------------------------------------------------------------------------

    def _ask(self, url: str, fields: dict[str, str]) -> Any:
        response = self._query("POST", url, check=self._refused_query, data=self._form(**fields))
        data = _json(response)
        if data is None:
            raise self._bad_query_answer(response)
        return data

    def _refused_query(self, response: httpx.Response) -> None:
        if response.status_code == 200:
            return
        data = _json(response)
        code = _int(data.get("code")) if isinstance(data, dict) else None
        if code is not None and code in CODES:
            _, zh, en = CODES[code]
            raise GatewayError("gateway.query_refused_code", name=self.name, code=code, zh=zh, en=en)
        detail = f"HTTP {response.status_code}: {excerpt(response)}"
        raise GatewayError("gateway.query_refused", name=self.name, detail=detail)

    def balance(self) -> Balance:
        data = self._ask(f"{self._user}/get.json", {})
        if not isinstance(data, dict) or "balance" not in data:
            raise GatewayError("gateway.query_bad_answer", name=self.name, detail=str(data)[:200])
        try:
            fen = to_fen(data["balance"])
        except ValueError:
            raise GatewayError("gateway.query_bad_answer", name=self.name, detail=str(data)[:200]) from None
        return Balance(fen=fen, raw=f"balance={data['balance']}")

    def _pull(self, endpoint: str) -> list[dict[str, Any]]:
        size = max(1, min(self.config.page_size, PAGE_SIZE))
        items: list[dict[str, Any]] = []
        for _ in range(_MAX_PAGES):
            page = self._ask(f"{self._sms}/{endpoint}", {"page_size": str(size)})
            if not isinstance(page, list):
                raise GatewayError("gateway.query_bad_answer", name=self.name, detail=str(page)[:200])
            items.extend(i for i in page if isinstance(i, dict))
            if len(page) < size:
                break
        return items

    def fetch_reports(self) -> list[GatewayReport]:
        reports = []
        for item in self._pull("pull_status.json"):
            status = str(item.get("report_status", ""))
            reports.append(
                GatewayReport(
                    client_id=str(item["uid"]) if item.get("uid") else None,
                    gateway_id=str(item.get("sid")),
                    phone=e164_from_vendor(str(item.get("mobile", ""))),
                    delivered=status == "SUCCESS",
                    status=" ".join(x for x in (status, str(item.get("error_msg") or "")) if x),
                    at=_when(item.get("user_receive_time")),
                )
            )
        return reports

    def fetch_replies(self) -> list[GatewayReply]:
        return [
            GatewayReply(
                sender=e164_from_vendor(str(item.get("mobile", ""))),
                text=str(item.get("text", "")),
                received_at=_when(item.get("reply_time")),
                gateway_id=str(item.get("id", "")),
            )
            for item in self._pull("pull_reply.json")
        ]


def _when(value: object) -> datetime:
    try:
        return beijing_time(str(value))
    except ValueError:
        return datetime.now(BEIJING)


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 10**6  # not a code 云片 has: an unknown code
