"""The generic adapter, configured for two kinds of vendor on loopback: the common Chinese 'sms.aspx' interface
(GET, GBK-encoded text, XML answers with returnstatus/message/taskID, a balance action) and a JSON vendor
(POST body template, UTF-8); plus UCS-2 hex text, timeouts and configuration mistakes."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import pytest

from smsjingling.errors import ValidationError
from smsjingling.gateway.base import OutboundSms
from smsjingling.gateway.errors import BalanceUnsupported, InsecureGatewayUrl
from smsjingling.gateway.generic import GenericAdapter, GenericConfig, PhoneFormat
from smsjingling.gateway.transport import HttpSettings
from smsjingling.sending.outcome import Verdict
from tests.core.gateway_peers import LoopbackServer, Reply, Request, closed_port_url, memory_keyring

CHANNEL = "某短信平台"
PASSWORD = "gbk密码-2024"


def xml(status: str, message: str, **more: object) -> str:
    extra = "".join(f"<{k}>{v}</{k}>" for k, v in more.items())
    return (
        f'<?xml version="1.0" encoding="gbk"?><returnsms><returnstatus>{status}</returnstatus>'
        f"<message>{message}</message>{extra}</returnsms>"
    )


@dataclass
class SmsAspx:
    """The 'sms.aspx' interface many Chinese vendors share: action=send|overage, GBK throughout."""

    account: str = "acme"
    password: str = PASSWORD
    points: int = 100
    too_fast: bool = False
    delay: float = 0.0
    task: int = 1500
    got: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reply(self, body: str) -> Reply:
        return Reply(200, body.encode("gbk"), "text/xml; charset=gbk", self.delay)

    def __call__(self, request: Request) -> Reply:
        a = {k: v[0] for k, v in parse_qs(request.raw_query, encoding="gbk").items()}
        with self.lock:
            if a.get("account") != self.account or a.get("password") != self.password:
                return self.reply(xml("Faild", "用户名或密码错误"))
            if a.get("action") == "overage":
                return self.reply(xml("Sucess", "", payinfo="预付费", overage=self.points, sendTotal=len(self.got)))
            if self.too_fast:
                return self.reply(xml("Faild", "提交过于频繁，请稍后再试"))
            mobile, content = a.get("mobile", ""), a.get("content", "")
            if not (len(mobile) == 11 and mobile.startswith("1")):
                return self.reply(xml("Faild", "手机号码格式不对"))
            if self.points < 1:
                return self.reply(xml("Faild", "余额不足"))
            self.points -= 1
            self.task += 1
            self.got.append((mobile, content))
            return self.reply(xml("Success", "ok", remainpoint=self.points, taskID=self.task, successCounts=1))


def aspx_config(base: str, **kw) -> GenericConfig:
    return GenericConfig(
        url=base + "/sms.aspx?action=send&account={user}&password={password}&mobile={phone}&content={text}",
        params={"sendTime": "", "extno": ""},
        user="acme",
        encoding="gbk",
        phone_format=PhoneFormat.NATIONAL,
        success=r"<returnstatus>Success</returnstatus>",
        message_id=r"<taskID>(\d+)</taskID>",
        account=r"密码错误|余额不足",
        retry=r"频繁|稍后",
        balance_url=base + "/sms.aspx?action=overage&account={user}&password={password}",
        balance_pattern=r"<overage>(\d+)</overage>",
        balance_unit_fen=5,
        **kw,
    )


@pytest.fixture
def ring():
    with memory_keyring(**{CHANNEL: PASSWORD}) as r:
        yield r


@pytest.fixture
def aspx():
    state = SmsAspx()
    with LoopbackServer(state) as server:
        state.server = server  # type: ignore[attr-defined]
        yield state


def test_gbk_vendor_gets_the_text_in_gbk_and_its_task_id_becomes_the_ref(aspx, ring):
    text = "【行政部】周五下午三点消防演习，请勿使用电梯。"
    with GenericAdapter(aspx_config(aspx.server.url), channel=CHANNEL) as adapter:
        [result] = adapter.send_batch([OutboundSms("1", "+8613900000001", text)])
    assert (result.outcome.verdict, result.outcome.refs) == (Verdict.SENT, ("1501",))
    assert aspx.got == [("13900000001", text)]
    raw = aspx.server.requests[0].raw_query
    assert "content=" + "".join(f"%{b:02X}" for b in text.encode("gbk")) in raw  # GBK, not UTF-8, on the wire
    assert raw.endswith("&sendTime=&extno=")


@pytest.mark.parametrize(
    ("change", "phone", "verdict", "reason"),
    [
        (lambda v: setattr(v, "password", "changed"), "+8613900000001", Verdict.REQUEUE, "gateway.account"),
        (lambda v: setattr(v, "points", 0), "+8613900000001", Verdict.REQUEUE, "gateway.account"),
        (lambda v: setattr(v, "too_fast", True), "+8613900000001", Verdict.RETRY, "gateway.busy"),
        (lambda v: None, "+85291234567", Verdict.FAILED, "gateway.generic.refused"),
    ],
)
def test_answers_read_by_the_configured_patterns(aspx, ring, change, phone, verdict, reason):
    change(aspx)
    with GenericAdapter(aspx_config(aspx.server.url), channel=CHANNEL) as adapter:
        [result] = adapter.send_batch([OutboundSms("1", phone, "【行政部】通知")])
    assert (result.outcome.verdict, result.outcome.reason) == (verdict, reason)
    assert "<message>" in result.outcome.detail  # the vendor's own words, decoded from GBK
    assert aspx.got == []


def test_a_character_the_vendors_encoding_lacks_fails_without_a_request(aspx, ring):
    with GenericAdapter(aspx_config(aspx.server.url), channel=CHANNEL) as adapter:
        [result] = adapter.send_batch([OutboundSms("1", "+8613900000001", "【行政部】Fête 🎉")])
    assert (result.outcome.verdict, result.outcome.reason) == (Verdict.FAILED, "gateway.rejected")
    assert aspx.server.requests == []


def test_balance_by_pattern(aspx, ring):
    aspx.points = 321
    with GenericAdapter(aspx_config(aspx.server.url), channel=CHANNEL) as adapter:
        balance = adapter.balance()
    assert (balance.fen, balance.raw) == (321 * 5, "<overage>321</overage>")
    config = GenericConfig(url=aspx.server.url + "/x?to={phone}", success="OK")
    with GenericAdapter(config, channel=CHANNEL) as adapter, pytest.raises(BalanceUnsupported):
        adapter.balance()


def test_timeouts_are_unknown_and_a_closed_port_sent_nothing(aspx, ring):
    aspx.delay = 1.0
    slow = aspx_config(aspx.server.url, http=HttpSettings(timeout=0.2))
    with GenericAdapter(slow, channel=CHANNEL) as adapter:
        [late] = adapter.send_batch([OutboundSms("1", "+8613900000001", "【行政部】通知")])
    with GenericAdapter(aspx_config(closed_port_url()), channel=CHANNEL) as adapter:
        [refused] = adapter.send_batch([OutboundSms("2", "+8613900000001", "【行政部】通知")])
    assert (late.outcome.verdict, late.outcome.reason) == (Verdict.UNKNOWN, "gateway.no_answer")
    assert (refused.outcome.verdict, refused.outcome.reason) == (Verdict.REQUEUE, "gateway.unreachable")


@dataclass
class JsonVendor:
    got: list[dict] = field(default_factory=list)

    def __call__(self, request: Request) -> Reply:
        body = json.loads(request.body.decode("utf-8"))
        if request.headers.get("authorization") != f"Bearer {PASSWORD}" and body.get("key") != PASSWORD:
            return Reply(401, json.dumps({"error": "unauthorized"}), "application/json")
        self.got.append(body)
        return Reply(200, json.dumps({"status": "queued", "id": f"m-{len(self.got)}"}), "application/json")


def test_json_body_template_escapes_the_text_and_keeps_its_braces(ring):
    vendor = JsonVendor()
    text = '【行政部】请带上"工牌"\n地址：A座\\3楼'
    with LoopbackServer(vendor) as server:
        config = GenericConfig(
            url=server.url + "/api/messages",
            method="POST",
            body='{"key": "{password}", "to": "{phone}", "text": "{text}", "ref": "{client_id}", '
            '"opts": {"flash": false}}',
            success=r'"status":\s*"queued"',
            message_id=r'"id":\s*"([^"]+)"',
        )
        with GenericAdapter(config, channel=CHANNEL) as adapter:
            [ok] = adapter.send_batch([OutboundSms("77", "+8613900000001", text)])
            vendor_password = adapter._password
        assert server.requests[0].headers["content-type"] == "application/json; charset=utf-8"
    assert (ok.outcome.verdict, ok.outcome.refs) == (Verdict.SENT, ("m-1",))
    assert vendor.got == [
        {"key": PASSWORD, "to": "+8613900000001", "text": text, "ref": "77", "opts": {"flash": False}}
    ]
    assert repr(vendor_password) == "Secret('***')"


def test_ucs2_hex_text_in_a_form_post(ring):
    seen: list[dict[str, list[str]]] = []

    def handle(request: Request) -> Reply:
        seen.append(request.form())
        return Reply(200, "0,ok")

    with LoopbackServer(handle) as server:
        config = GenericConfig(
            url=server.url + "/send",
            method="POST",
            params={"user": "{user}", "pwd": "{password}", "to": "{phone}", "msg": "{text}", "dcs": "8"},
            user="acme",
            encoding="ucs2-hex",
            phone_format=PhoneFormat.DIGITS,
            success=r"^0,",
        )
        with GenericAdapter(config, channel=CHANNEL) as adapter:
            [result] = adapter.send_batch([OutboundSms("1", "+8613900000001", "开会")])
    assert result.outcome.verdict is Verdict.SENT
    assert seen == [{"user": ["acme"], "pwd": [PASSWORD], "to": ["8613900000001"], "msg": ["5F004F1A"], "dcs": ["8"]}]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"success": "(unclosed"}, ValidationError),
        ({"success": ""}, ValidationError),
        ({"url": "https://sms.example.cn/send?to={phone}&sig={signature}"}, ValidationError),
        ({"encoding": "klingon"}, ValidationError),
        ({"method": "PUT"}, ValidationError),
        ({"url": "http://sms.example.cn/send?to={phone}"}, InsecureGatewayUrl),
    ],
)
def test_configuration_mistakes_are_refused_in_words(ring, changes, error):
    fields = {"url": "https://sms.example.cn/send?to={phone}&msg={text}", "success": "OK", **changes}
    with pytest.raises(error) as caught:
        GenericAdapter(GenericConfig(**fields), channel=CHANNEL)
    assert caught.value.message("zh") != caught.value.message("en")


def test_the_password_stays_out_of_logs(aspx, ring, caplog):
    caplog.set_level(logging.DEBUG)
    with GenericAdapter(aspx_config(aspx.server.url), channel=CHANNEL) as adapter:
        adapter.send_batch([OutboundSms("1", "+8613900000001", "【行政部】通知")])
        adapter.balance()
        shown = [repr(adapter), repr(adapter.config)]
    gbk_form = "".join(f"%{b:02X}" for b in PASSWORD.encode("gbk"))
    assert "HTTP Request: GET" in caplog.text
    assert "password=***" in caplog.text
    for text in [caplog.text, *shown]:
        assert PASSWORD not in text and gbk_form not in text
