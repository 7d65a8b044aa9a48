"""短信宝 adapter against a small faithful 短信宝 server on loopback: MD5 passwords, one code per request,
comma-separated numbers, UTF-8 URL-encoded content, the balance as a count of messages."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from dataclasses import dataclass, field

import pytest

from smsjingling import messages
from smsjingling.gateway.base import OutboundSms
from smsjingling.gateway.errors import GatewayError, InsecureGatewayUrl
from smsjingling.gateway.keys import GatewayKeyMissing, Secret
from smsjingling.gateway.smsbao import SmsbaoAdapter, SmsbaoConfig
from smsjingling.gateway.transport import HttpSettings
from smsjingling.sending.outcome import Verdict
from tests.core.gateway_peers import LoopbackServer, Reply, Request, closed_port_url, memory_keyring

PASSWORD = "Xin#2024-密码"
CHANNEL = "短信宝主账户"


@dataclass
class Account:
    password: str
    remaining: int = 100
    sent: int = 0
    expired: bool = False
    ip_blocked: bool = False


@dataclass
class Smsbao:
    """短信宝's documented behaviour: /sms answers one code for the whole request, /query '0\\n<sent>,<left>'."""

    accounts: dict[str, Account] = field(default_factory=dict)
    banned: tuple[str, ...] = ("赌博",)
    delay: float = 0.0
    delivered: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _account(self, args: dict[str, str]) -> Account | str:
        if not args.get("u") or not args.get("p"):
            return "-1"
        account = self.accounts.get(args["u"])
        if account is None:
            return "40"
        if args["p"].lower() != hashlib.md5(account.password.encode()).hexdigest():
            return "30"
        if account.expired:
            return "42"
        if account.ip_blocked:
            return "43"
        return account

    def __call__(self, request: Request) -> Reply:
        args = request.args()
        with self.lock:
            account = self._account(args)
            if isinstance(account, str):
                return Reply(body=account, delay=self.delay)
            if request.path == "/query":
                return Reply(body=f"0\n{account.sent},{account.remaining}", delay=self.delay)
            numbers, content = args.get("m", "").split(","), args.get("c", "")
            if not content or not numbers[0]:
                return Reply(body="-1")
            if any(not re.fullmatch(r"1[3-9]\d{9}", n) for n in numbers):
                return Reply(body="51", delay=self.delay)
            if any(word in content for word in self.banned):
                return Reply(body="50", delay=self.delay)
            parts = 1 if len(content) <= 70 else -(-len(content) // 67)
            if account.remaining < parts * len(numbers):
                return Reply(body="41", delay=self.delay)
            account.remaining -= parts * len(numbers)
            account.sent += parts * len(numbers)
            self.delivered.extend((n, content) for n in numbers)
            return Reply(body="0", delay=self.delay)


@pytest.fixture
def vendor():
    state = Smsbao(accounts={"acme": Account(PASSWORD)})
    with LoopbackServer(state) as server:
        state.server = server  # type: ignore[attr-defined]
        yield state


@pytest.fixture
def ring():
    with memory_keyring(**{CHANNEL: PASSWORD}) as r:
        yield r


def adapter_for(vendor, user="acme", **kw) -> SmsbaoAdapter:
    http = kw.pop("http", HttpSettings(timeout=2.0))
    config = SmsbaoConfig(user=user, price_fen=5, base_url=vendor.server.url, http=http, **kw)
    return SmsbaoAdapter(config, channel=CHANNEL)


def sms(n: int, phone: str = "+8613800138000", text: str = "【测试】明天上午九点开会") -> OutboundSms:
    return OutboundSms(str(n), phone, text)


def test_send_reads_the_password_from_the_keyring_and_sends_its_md5_and_the_text_in_utf8(vendor, ring):
    with adapter_for(vendor) as adapter:
        [result] = adapter.send_batch([sms(7)])
    assert result.client_id == "7"
    assert result.outcome.verdict is Verdict.SENT
    assert vendor.delivered == [("13800138000", "【测试】明天上午九点开会")]
    [request] = vendor.server.requests
    assert request.path == "/sms" and request.method == "GET"
    assert request.query["p"] == [hashlib.md5(PASSWORD.encode()).hexdigest()]
    assert request.query["u"] == ["acme"]
    # UTF-8 URL encoding on the wire, as the API asks.
    assert "c=%E3%80%90%E6%B5%8B%E8%AF%95%E3%80%91" in request.raw_query


@pytest.mark.parametrize(
    ("setup", "verdict", "code"),
    [
        (lambda v: setattr(v.accounts["acme"], "password", "another"), Verdict.REQUEUE, "30"),
        (lambda v: v.accounts.pop("acme"), Verdict.REQUEUE, "40"),
        (lambda v: setattr(v.accounts["acme"], "remaining", 0), Verdict.REQUEUE, "41"),
        (lambda v: setattr(v.accounts["acme"], "expired", True), Verdict.REQUEUE, "42"),
        (lambda v: setattr(v.accounts["acme"], "ip_blocked", True), Verdict.REQUEUE, "43"),
    ],
)
def test_account_codes_leave_the_message_queued_and_fault_the_channel(vendor, ring, setup, verdict, code):
    setup(vendor)
    with adapter_for(vendor) as adapter:
        [result] = adapter.send_batch([sms(1)])
    o = result.outcome
    assert (o.verdict, o.reason, o.channel_fault) == (verdict, f"gateway.smsbao.{code}", True)
    assert o.detail.startswith(code)
    assert vendor.delivered == []


@pytest.mark.parametrize(
    ("message", "code", "zh", "en"),
    [
        (sms(1, text="【测试】赌博网站"), "50", "短信宝：内容含有敏感词", "短信宝: the content has sensitive words"),
        (sms(1, phone="+8610000000000"), "51", "短信宝：手机号码不正确", "短信宝: the mobile number is not valid"),
    ],
)
def test_content_and_number_codes_fail_the_message_with_words_in_both_languages(vendor, ring, message, code, zh, en):
    with adapter_for(vendor) as adapter:
        [result] = adapter.send_batch([message])
    o = result.outcome
    assert (o.verdict, o.reason, o.channel_fault) == (Verdict.FAILED, f"gateway.smsbao.{code}", False)
    assert messages.text(o.reason, "zh") == zh
    assert messages.text(o.reason, "en") == en


def test_every_documented_code_has_words_in_both_languages():
    for code in ("30", "40", "41", "42", "43", "50", "51"):
        zh, en = messages.text(f"gateway.smsbao.{code}", "zh"), messages.text(f"gateway.smsbao.{code}", "en")
        assert zh != en and "短信宝" in zh and "短信宝" in en


def test_a_number_outside_mainland_china_fails_without_a_request(vendor, ring):
    with adapter_for(vendor) as adapter:
        [result] = adapter.send_batch([sms(1, phone="+85291234567")])
    assert (result.outcome.verdict, result.outcome.reason) == (Verdict.FAILED, "gateway.number_unsupported")
    assert vendor.server.requests == []


def test_one_number_per_request_by_default_over_one_pooled_connection(vendor, ring):
    batch = [sms(n, phone=f"+861380013800{n}") for n in range(4)]
    with adapter_for(vendor) as adapter:
        assert adapter.limits.max_batch == 1
        for message in batch:
            assert adapter.send_batch([message])[0].outcome.verdict is Verdict.SENT
    assert [r.query["m"] for r in vendor.server.requests] == [[f"1380013800{n}"] for n in range(4)]
    assert vendor.server.connections == 1  # keep-alive: one TCP connection for all four


def test_batching_shares_a_request_per_text_up_to_the_limit(vendor, ring):
    same = [sms(n, phone=f"+861390000000{n}", text="【测试】同一条通知") for n in range(5)]
    other = sms(9, phone="+8613700000009", text="【测试】另一条")
    with adapter_for(vendor, max_batch=3) as adapter:
        out = adapter.send_batch([*same, other])
    assert sorted(r.client_id for r in out) == ["0", "1", "2", "3", "4", "9"]
    assert all(r.outcome.verdict is Verdict.SENT for r in out)
    numbers = sorted(r.query["m"][0] for r in vendor.server.requests)
    assert numbers == ["13700000009", "13900000000,13900000001,13900000002", "13900000003,13900000004"]


def test_a_bad_number_in_a_shared_request_is_found_by_sending_each_alone(vendor, ring):
    batch = [sms(1, phone="+8613900000001"), sms(2, phone="+8610000000002"), sms(3, phone="+8613900000003")]
    with adapter_for(vendor, max_batch=10) as adapter:
        out = {r.client_id: r.outcome for r in adapter.send_batch(batch)}
    assert out["1"].verdict is Verdict.SENT and out["3"].verdict is Verdict.SENT
    assert (out["2"].verdict, out["2"].reason) == (Verdict.FAILED, "gateway.smsbao.51")
    assert sorted(n for n, _ in vendor.delivered) == ["13900000001", "13900000003"]  # each once
    assert len(vendor.server.requests) == 4  # the refused group, then one each


def test_a_request_that_timed_out_is_unknown_never_resent(vendor, ring):
    vendor.delay = 1.0
    with adapter_for(vendor, http=HttpSettings(timeout=0.2)) as adapter:
        [result] = adapter.send_batch([sms(1)])
        assert adapter.query(["1"]) == []  # 短信宝 cannot be asked
    assert (result.outcome.verdict, result.outcome.reason) == (Verdict.UNKNOWN, "gateway.no_answer")
    assert "ReadTimeout" in result.outcome.detail
    assert len(vendor.server.requests) == 1


def test_an_unreachable_gateway_sent_nothing_and_requeues(ring):
    config = SmsbaoConfig(user="acme", price_fen=5, base_url=closed_port_url())
    with SmsbaoAdapter(config, channel=CHANNEL) as adapter:
        [result] = adapter.send_batch([sms(1)])
    o = result.outcome
    assert (o.verdict, o.reason, o.channel_fault) == (Verdict.REQUEUE, "gateway.unreachable", True)


def test_balance_is_the_remaining_count_times_the_price(vendor, ring):
    vendor.accounts["acme"].remaining = 345
    vendor.accounts["acme"].sent = 12
    with adapter_for(vendor) as adapter:
        balance = adapter.balance()
    assert balance.fen == 345 * 5
    assert balance.raw == "0 12,345"
    assert vendor.server.requests[0].path == "/query"


def test_balance_refused_in_words(vendor, ring):
    vendor.accounts["acme"].password = "changed"
    with adapter_for(vendor) as adapter, pytest.raises(GatewayError) as caught:
        adapter.balance()
    assert "30" in caught.value.message("en") and "wrong password" in caught.value.message("en")


def test_plain_http_is_refused_except_to_this_computer(ring):
    with pytest.raises(InsecureGatewayUrl) as caught:
        SmsbaoAdapter(SmsbaoConfig(user="acme", price_fen=5, base_url="http://api.smsbao.com"), channel=CHANNEL)
    assert "http://api.smsbao.com" in caught.value.message("en")
    SmsbaoAdapter(SmsbaoConfig(user="acme", price_fen=5, base_url="http://localhost:9"), channel=CHANNEL).close()
    SmsbaoAdapter(SmsbaoConfig(user="acme", price_fen=5), channel=CHANNEL).close()  # https by default


def test_no_password_in_the_keyring_is_an_error_naming_the_channel():
    with memory_keyring(), pytest.raises(GatewayKeyMissing) as caught:
        SmsbaoAdapter(SmsbaoConfig(user="acme", price_fen=5), channel=CHANNEL)
    assert CHANNEL in caught.value.message("en")


def test_the_password_and_its_md5_never_reach_logs_reprs_or_errors(vendor, ring, caplog):
    caplog.set_level(logging.DEBUG)
    digest = hashlib.md5(PASSWORD.encode()).hexdigest()
    with adapter_for(vendor) as adapter:
        sent = adapter.send_batch([sms(1)])
        vendor.accounts["acme"].password = "changed"
        refused = adapter.send_batch([sms(2)])
        with pytest.raises(GatewayError) as caught:
            adapter.balance()
        shown = [repr(adapter), str(adapter), repr(adapter.config), str(caught.value), repr(caught.value)]
        shown += [r.outcome.detail for r in sent + refused]
        shown += [repr(adapter._p), str(adapter._p), repr(Secret(PASSWORD))]
    logged = caplog.text
    assert "HTTP Request: GET" in logged and "p=***" in logged  # httpx logs the URL: the filter masked it
    for text in [logged, *shown]:
        assert PASSWORD not in text and digest not in text and digest.upper() not in text
