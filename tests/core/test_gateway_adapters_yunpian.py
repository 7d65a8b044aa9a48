"""云片 v2 adapter against a small faithful 云片 server on loopback: form POSTs with the apikey, JSON answers,
HTTP 400 for whole-request refusals, per-number results with sid and fee in batch_send and multi_send (up
to 1,000), pull_status, pull_reply, get_record and user/get."""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import unquote_plus

import pytest

from smsjingling import messages
from smsjingling.gateway.base import OutboundSms, ReportMode
from smsjingling.gateway.errors import GatewayError
from smsjingling.gateway.transport import HttpSettings
from smsjingling.gateway.yunpian import BEIJING, CODES, YunpianAdapter, YunpianConfig
from smsjingling.sending.outcome import Verdict
from tests.core.gateway_peers import LoopbackServer, Reply, Request, memory_keyring

APIKEY = "9b11127a9701975c734b8aee81ee3526"
CHANNEL = "云片营销"
PRICE = Decimal("0.05")


def stamp(when: datetime) -> str:
    return when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def parts(text: str) -> int:
    return 1 if len(text) <= 70 else -(-len(text) // 67)


@dataclass
class Yunpian:
    """The v2 API's documented behaviour, for one account."""

    apikey: str = APIKEY
    balance: Decimal = Decimal("100")
    keywords: tuple[str, ...] = ("发票",)
    blacklist: set[str] = field(default_factory=set)
    forced: dict[str, int] = field(default_factory=dict)  # number → code (for codes hard to provoke)
    delay: float = 0.0
    lose: bool = False  # take the request, never act on it, never answer in time
    records: list[dict] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)
    replies: list[dict] = field(default_factory=list)
    sids: itertools.count = field(default_factory=lambda: itertools.count(3310228982))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, code: int, msg: str, detail: str = "") -> Reply:
        body = {"http_status_code": 400, "code": code, "msg": msg, "detail": detail}
        return Reply(400, json.dumps(body, ensure_ascii=False), "application/json;charset=utf-8")

    def ok(self, body: object) -> Reply:
        return Reply(200, json.dumps(body, ensure_ascii=False), "application/json;charset=utf-8", self.delay)

    def __call__(self, request: Request) -> Reply:
        if request.method != "POST":
            return self.error(11, "接口不支持GET方式调用")
        if self.lose:
            return Reply(200, "{}", delay=5.0)
        a = {k: v[0] for k, v in request.form().items()}
        if a.get("apikey") != self.apikey:
            return self.error(-1, "非法的apikey", "请检查的apikey是否正确")
        with self.lock:
            return self._route(request.path, a)

    def _route(self, path: str, a: dict[str, str]) -> Reply:
        if path == "/v2/user/get.json":
            return self.ok({"nick": "acme", "api_version": "v2", "balance": float(self.balance), "alarm_balance": 10})
        if path == "/v2/sms/pull_status.json":
            return self.ok(self._take(self.reports, a))
        if path == "/v2/sms/pull_reply.json":
            return self.ok(self._take(self.replies, a))
        if path == "/v2/sms/get_record.json":
            start, end = a["start_time"], a["end_time"]
            found = [r for r in self.records if r["mobile"] == a.get("mobile") and start <= r["send_time"] <= end]
            shown = [{k: v for k, v in r.items() if k != "at"} for r in found]
            return self.ok(shown[: int(a.get("page_size", "20"))])
        mobiles = a.get("mobile", "").split(",")
        if path == "/v2/sms/single_send.json":
            if len(mobiles) != 1:
                return self.error(2, "请求参数格式错误", "参数 mobile 格式不正确，仅支持单号码发送")
            item = self._send_one(mobiles[0], a.get("text", ""))
            if item["code"] != 0:
                return self.error(item["code"], item["msg"], item.get("detail", ""))
            return self.ok(item)
        if path == "/v2/sms/batch_send.json":
            texts = [a.get("text", "")] * len(mobiles)
        elif path == "/v2/sms/multi_send.json":
            texts = [unquote_plus(t) for t in a.get("text", "").split(",")]
            if len(texts) != len(mobiles):
                return self.error(25, "手机号和内容个数不匹配")
            if any(m.startswith("+") for m in mobiles):
                return self.error(20, "不支持的国家地区")
        else:
            return Reply(404, "not found")
        if len(mobiles) > 1000:
            return self.error(2, "请求参数格式错误", "手机号个数不能超过1000个")
        data = [self._send_one(m, t) for m, t in zip(mobiles, texts, strict=True)]
        sent = [d for d in data if d["code"] == 0]
        total = sum((Decimal(str(d["fee"])) for d in sent), Decimal(0))
        return self.ok({"total_count": len(sent), "total_fee": f"{total:.4f}", "unit": "RMB", "data": data})

    def _send_one(self, mobile: str, text: str) -> dict:
        def no(code: int, msg: str) -> dict:
            return {"code": code, "msg": msg, "count": 0, "fee": 0, "unit": "RMB", "mobile": mobile, "sid": 0}

        if mobile in self.forced:
            return no(self.forced[mobile], "forced")
        if not (mobile.startswith("+") or (len(mobile) == 11 and mobile.startswith("1"))):
            return no(2, "请求参数格式错误")
        if mobile in self.blacklist:
            return no(10, "手机号在黑名单中")
        if not text.startswith("【") or "】" not in text:
            return no(16, "签名格式不正确")
        if any(k in text for k in self.keywords):
            return no(4, "关键词屏蔽")
        now = datetime.now(BEIJING)
        recent = now - timedelta(seconds=30)
        if any(r["mobile"] == mobile and r["text"] == text and r["at"] > recent for r in self.records):
            return no(8, "同一手机号30秒内重复提交相同的内容")
        count = parts(text)
        fee = PRICE * count
        if self.balance < fee:
            return no(3, "账户余额不足")
        self.balance -= fee
        sid = next(self.sids)
        self.records.append(
            {"sid": sid, "mobile": mobile, "text": text, "fee": float(fee), "send_time": stamp(now), "at": now}
        )
        return {
            "code": 0,
            "msg": "发送成功",
            "count": count,
            "fee": float(fee),
            "unit": "RMB",
            "mobile": mobile,
            "sid": sid,
        }

    def _take(self, box: list[dict], a: dict[str, str]) -> list[dict]:
        size = int(a.get("page_size", "20"))
        page, box[:] = box[:size], box[size:]
        return page


@pytest.fixture
def vendor():
    state = Yunpian()
    with LoopbackServer(state) as server:
        state.server = server  # type: ignore[attr-defined]
        yield state


@pytest.fixture
def ring():
    with memory_keyring(**{CHANNEL: APIKEY}) as r:
        yield r


def adapter_for(vendor, **kw) -> YunpianAdapter:
    http = kw.pop("http", HttpSettings(timeout=2.0))
    return YunpianAdapter(YunpianConfig(base_url=vendor.server.url, http=http, **kw), channel=CHANNEL)


def sms(n: int, phone: str | None = None, text: str = "【行政部】明天上午九点开会") -> OutboundSms:
    return OutboundSms(str(n), phone or f"+86139{n:08d}", text)


def test_a_single_message_goes_by_single_send_with_sid_and_fee(vendor, ring):
    long_text = "【行政部】" + "请各部门于本周五下班前提交年度总结，逾期将影响考核。" * 4
    with adapter_for(vendor) as adapter:
        assert (adapter.limits.max_batch, adapter.limits.reports) == (1000, ReportMode.PULL)
        [short] = adapter.send_batch([sms(1)])
        [long] = adapter.send_batch([sms(2, text=long_text)])
    assert short.outcome.verdict is Verdict.SENT and short.cost_fen == 5
    assert short.outcome.refs == (str(vendor.records[0]["sid"]),)
    assert long.cost_fen == 5 * parts(long_text) == 10
    first = vendor.server.requests[0]
    assert first.path == "/v2/sms/single_send.json"
    assert first.form() == {"apikey": [APIKEY], "mobile": ["13900000001"], "text": ["【行政部】明天上午九点开会"]}
    assert vendor.records[1]["text"] == long_text


def test_the_same_text_goes_by_batch_send_with_a_result_per_number(vendor, ring):
    vendor.blacklist.add("13900000002")
    with adapter_for(vendor) as adapter:
        out = {r.client_id: r for r in adapter.send_batch([sms(n) for n in (1, 2, 3)])}
    [request] = vendor.server.requests
    assert request.path == "/v2/sms/batch_send.json"
    assert request.form()["mobile"] == ["13900000001,13900000002,13900000003"]
    assert out["1"].outcome.verdict is Verdict.SENT and out["3"].outcome.verdict is Verdict.SENT
    assert out["1"].outcome.refs != out["3"].outcome.refs
    assert (out["2"].outcome.verdict, out["2"].outcome.reason) == (Verdict.FAILED, "gateway.yunpian.10")
    assert out["2"].cost_fen is None


def test_different_texts_go_by_multi_send_each_text_encoded(vendor, ring):
    texts = [
        "【行政部】张三，您好：会议改到 3 点，地点：A 座",
        "【行政部】李四, 您好, 会议改到4点",
        "【行政部】100% 到场",
    ]
    batch = [sms(n, text=t) for n, t in enumerate(texts)]
    with adapter_for(vendor) as adapter:
        out = adapter.send_batch(batch)
    [request] = vendor.server.requests
    assert request.path == "/v2/sms/multi_send.json"
    assert [r.outcome.verdict for r in out] == [Verdict.SENT] * 3
    assert [r["text"] for r in vendor.records] == texts  # commas inside texts survive the comma-joined list


def test_batches_of_at_most_1000(vendor, ring):
    vendor.balance = Decimal(1000)
    batch = [sms(n) for n in range(1500)]
    with adapter_for(vendor) as adapter:
        out = []
        for start in range(0, len(batch), adapter.limits.max_batch):
            out.extend(adapter.send_batch(batch[start : start + adapter.limits.max_batch]))
        one_call = adapter.send_batch([sms(n, text="【行政部】第二轮") for n in range(1500)])
    assert all(r.outcome.verdict is Verdict.SENT for r in out + one_call)
    sizes = [len(r.form()["mobile"][0].split(",")) for r in vendor.server.requests]
    assert sizes == [1000, 500, 1000, 500]  # the adapter splits an oversized batch itself
    assert sum(r.cost_fen or 0 for r in out + one_call) == 3000 * 5


def test_a_number_abroad_goes_alone_in_e164(vendor, ring):
    with adapter_for(vendor) as adapter:
        out = adapter.send_batch([sms(1, phone="+85291234567"), sms(2), sms(3)])
    assert all(r.outcome.verdict is Verdict.SENT for r in out)
    paths = sorted((r.path, r.form()["mobile"][0]) for r in vendor.server.requests)
    assert paths == [
        ("/v2/sms/batch_send.json", "13900000002,13900000003"),
        ("/v2/sms/single_send.json", "+85291234567"),
    ]


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        (lambda v: setattr(v, "apikey", "another"), -1),
        (lambda v: setattr(v, "balance", Decimal(0)), 3),
    ],
)
def test_account_refusals_leave_messages_queued(vendor, ring, setup, code):
    setup(vendor)
    with adapter_for(vendor) as adapter:
        out = adapter.send_batch([sms(1), sms(2, text="【行政部】另一条")])
        single = adapter.send_batch([sms(3)])
    for r in out + single:
        assert (r.outcome.verdict, r.outcome.reason, r.outcome.channel_fault) == (
            Verdict.REQUEUE,
            f"gateway.yunpian.{code}",
            True,
        )
    assert vendor.records == []


def test_content_refusals(vendor, ring):
    with adapter_for(vendor) as adapter:
        out = adapter.send_batch(
            [sms(1, text="【行政部】请开发票"), sms(2, text="没有签名的通知"), sms(3, text="【行政部】请开发票")]
        )
        again = adapter.send_batch([sms(4)])
        duplicate = adapter.send_batch([sms(4)])  # the same text to the same number within 30 s
    assert [r.outcome.reason for r in out] == ["gateway.yunpian.4", "gateway.yunpian.16", "gateway.yunpian.4"]
    assert all(r.outcome.verdict is Verdict.FAILED for r in out)
    assert again[0].outcome.verdict is Verdict.SENT
    assert (duplicate[0].outcome.verdict, duplicate[0].outcome.reason) == (Verdict.RETRY, "gateway.yunpian.8")


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_a_verdict_and_words_in_both_languages(vendor, ring, code):
    vendor.forced["13900000001"] = code
    with adapter_for(vendor) as adapter:
        [alone] = adapter.send_batch([sms(1)])
        in_batch = adapter.send_batch([sms(1), sms(2)])[0]
    verdict = CODES[code][0]
    for r in (alone, in_batch):
        assert (r.outcome.verdict, r.outcome.reason) == (verdict, f"gateway.yunpian.{code}")
        assert r.outcome.channel_fault == (verdict is Verdict.REQUEUE or (verdict is Verdict.RETRY and code < 0))
    zh, en = messages.text(f"gateway.yunpian.{code}", "zh"), messages.text(f"gateway.yunpian.{code}", "en")
    assert zh.startswith("云片：") and en.startswith("云片: ") and zh != en


def test_an_unanswered_send_is_unknown_until_found_in_the_send_record(vendor, ring):
    vendor.delay = 0.6  # the send happens, the answer comes too late
    with adapter_for(vendor, http=HttpSettings(timeout=0.2)) as adapter:
        out = adapter.send_batch([sms(1), sms(2)])
        assert [r.outcome.verdict for r in out] == [Verdict.UNKNOWN, Verdict.UNKNOWN]
        vendor.delay = 0.0
        time.sleep(0.5)
        found = {r.client_id: r for r in adapter.query(["1", "2", "99"])}
        assert adapter.query(["1", "2"]) == []  # settled: not asked again
    assert set(found) == {"1", "2"}
    sids = {str(r["sid"]) for r in vendor.records}
    assert {r.outcome.refs[0] for r in found.values()} == sids
    assert all(r.outcome.verdict is Verdict.SENT and r.cost_fen == 5 for r in found.values())
    assert len(vendor.records) == 2  # looked up, never resent


def test_a_send_that_never_arrived_stays_unknown(vendor, ring):
    vendor.lose = True
    with adapter_for(vendor, http=HttpSettings(timeout=0.2)) as adapter:
        [r] = adapter.send_batch([sms(1)])
        vendor.lose = False
        assert r.outcome.verdict is Verdict.UNKNOWN
        assert adapter.query(["1"]) == []  # not in the record: cannot say, so not said


def test_reports_are_pulled_page_by_page(vendor, ring):
    now = stamp(datetime.now(BEIJING))
    vendor.reports = [
        {
            "sid": 1000 + i,
            "uid": None,
            "user_receive_time": now,
            "error_msg": "" if i % 3 else "UNDELIV",
            "mobile": f"139{i:08d}",
            "report_status": "SUCCESS" if i % 3 else "FAIL",
        }
        for i in range(150)
    ]
    with adapter_for(vendor) as adapter:
        reports = adapter.fetch_reports()
        assert adapter.fetch_reports() == []
    assert len(reports) == 150 and len(vendor.server.requests) == 3  # 100, 50, then an empty page
    first, second = reports[0], reports[1]
    assert (first.gateway_id, first.phone, first.delivered, first.status) == (
        "1000",
        "+8613900000000",
        False,
        "FAIL UNDELIV",
    )
    assert second.delivered and second.client_id is None
    assert first.at.utcoffset() == timedelta(hours=8)


def test_replies_are_pulled(vendor, ring):
    vendor.replies = [
        {
            "id": "r1",
            "mobile": "13900000007",
            "reply_time": "2026-03-17 22:55:21",
            "text": "收到，TD",
            "extend": "01",
            "base_extend": "8888",
            "_sign": "行政部",
        }
    ]
    with adapter_for(vendor) as adapter:
        [reply] = adapter.fetch_replies()
    assert (reply.sender, reply.text, reply.gateway_id) == ("+8613900000007", "收到，TD", "r1")
    assert reply.received_at == datetime(2026, 3, 17, 22, 55, 21, tzinfo=BEIJING)


def test_balance_in_fen(vendor, ring):
    vendor.balance = Decimal("123.45")
    with adapter_for(vendor) as adapter:
        assert adapter.balance().fen == 12345
        vendor.apikey = "rotated"
        with pytest.raises(GatewayError) as caught:
            adapter.balance()
    assert "the apikey is not valid" in caught.value.message("en")


def test_the_apikey_stays_out_of_logs_and_texts(vendor, ring, caplog):
    caplog.set_level(logging.DEBUG)
    with adapter_for(vendor) as adapter:
        adapter.send_batch([sms(1)])
        vendor.apikey = "rotated"
        [refused] = adapter.send_batch([sms(2)])
        with pytest.raises(GatewayError) as caught:
            adapter.fetch_reports()
        shown = [repr(adapter), repr(adapter.config), refused.outcome.detail, str(caught.value)]
    assert "HTTP Request: POST" in caplog.text
    assert all(APIKEY not in t and APIKEY.upper() not in t for t in [caplog.text, *shown])
