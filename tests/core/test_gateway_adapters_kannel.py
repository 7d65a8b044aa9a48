"""Kannel adapter against a small faithful smsbox on loopback: sendsms answers and their HTTP statuses,
charset/coding, and delivery reports and replies called back to our listener with Kannel's escapes
replaced (and URL-encoded) as smsbox does. A real Kannel is in tests/integration/test_kannel.py."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote

import httpx
import pytest

from smsjingling import messages
from smsjingling.gateway.base import OutboundSms, ReportMode
from smsjingling.gateway.errors import BalanceUnsupported, InsecureGatewayUrl
from smsjingling.gateway.kannel import DLR_FINAL, KannelAdapter, KannelConfig, mo_url, parse_dlr
from smsjingling.gateway.transport import HttpSettings
from smsjingling.sending.outcome import Verdict
from tests.core.gateway_peers import LoopbackServer, Reply, Request, closed_port_url, memory_keyring

CHANNEL = "机房 Kannel"
PASSWORD = "kannel-pw-9"


@dataclass
class Accepted:
    to: str
    sender: str
    text: str
    coding: int
    udh_parts: bytes  # what smsbox would hand to the SMSC: GSM text or UCS-2 bytes
    dlr_mask: int
    dlr_url: str


@dataclass
class Smsbox:
    """smsbox's sendsms: authentication, mandatory receiver and sender, white-list, charset and coding."""

    users: dict[str, str] = field(default_factory=lambda: {"tester": PASSWORD})
    global_sender: str = ""
    whitelist: str = "+86"
    queued: bool = False  # the SMSC is down and the store keeps messages: "3: Queued for later delivery"
    broken: bool = False  # bearerbox is gone: "Sending failed."
    delay: float = 0.0
    accepted: list[Accepted] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: Request) -> Reply:
        a = request.args()
        if request.path != "/cgi-bin/sendsms":
            return Reply(404, "Unknown service")
        if self.users.get(a.get("username", a.get("user", ""))) != a.get("password", a.get("pass")):
            return Reply(403, "Authorization failed for sendsms", "text/html", self.delay)
        if not a.get("to"):
            return Reply(400, "Missing receiver number, rejected", "text/html")
        sender = a.get("from") or self.global_sender
        if not sender:
            return Reply(400, "Sender missing and no global set, rejected", "text/html")
        if not a["to"].startswith(self.whitelist):
            return Reply(400, "Number(s) has/have been denied by white- and/or black-lists.", "text/html")
        if self.broken:
            return Reply(503, "Sending failed.", "text/html")
        coding = int(a.get("coding", "0"))
        text = a.get("text", "")  # parsed with the charset the request named (UTF-8 here)
        if a.get("charset", "UTF-8").upper() != "UTF-8":
            return Reply(400, "Charset or body misformed, rejected", "text/html")
        payload = text.encode("utf-16-be") if coding == 2 else text.encode("ascii", "replace")
        with self.lock:
            self.accepted.append(
                Accepted(a["to"], sender, text, coding, payload, int(a.get("dlr-mask", "0")), a.get("dlr-url", ""))
            )
        answer = "3: Queued for later delivery" if self.queued else "0: Accepted for delivery"
        return Reply(202, answer, "text/html", self.delay)

    def call_back(self, item: Accepted, kind: int, reply: str, smsc_ref: str, at: int) -> httpx.Response:
        """What bearerbox/smsbox do when a report arrives: replace the escapes (URL-encoded) and GET."""
        values = {"%d": str(kind), "%p": item.to, "%P": item.sender, "%T": str(at), "%A": reply, "%F": smsc_ref}
        url = item.dlr_url
        for escape, value in values.items():
            url = url.replace(escape, quote(value, safe=""))
        return httpx.get(url)


@pytest.fixture
def ring():
    with memory_keyring(**{CHANNEL: PASSWORD}) as r:
        yield r


@pytest.fixture
def smsbox():
    state = Smsbox()
    with LoopbackServer(state) as server:
        state.server = server  # type: ignore[attr-defined]
        yield state


@dataclass
class Listener:
    """Our side: the HTTP listener Kannel calls; it hands each query to `adapter`."""

    url: str = ""
    adapter: KannelAdapter | None = None

    def __call__(self, request: Request) -> Reply:
        assert self.adapter is not None
        if request.path == "/dlr":
            self.adapter.receive_dlr(request.query)
        elif request.path == "/mo":
            self.adapter.receive_mo(request.query)
        return Reply(200, "ok")


@pytest.fixture
def listener():
    box = Listener()
    with LoopbackServer(box) as server:
        box.url = server.url
        yield box


def adapter_for(smsbox, listener=None, **kw) -> KannelAdapter:
    http = kw.pop("http", HttpSettings(timeout=2.0))
    config = KannelConfig(
        url=f"{smsbox.server.url}/cgi-bin/sendsms",
        username=kw.pop("username", "tester"),
        sender=kw.pop("sender", "10690000"),
        dlr_url=f"{listener.url}/dlr" if listener else "",
        http=http,
        **kw,
    )
    adapter = KannelAdapter(config, channel=CHANNEL)
    if listener:
        listener.adapter = adapter
    return adapter


def test_gsm_text_goes_as_utf8_with_coding_0_and_asks_for_final_reports(smsbox, listener, ring):
    with adapter_for(smsbox, listener) as adapter:
        assert adapter.limits.reports is ReportMode.PUSH
        [result] = adapter.send_batch([OutboundSms("41", "+8613900000001", "Meeting at 9, room 3")])
    assert result.outcome.verdict is Verdict.SENT and result.outcome.refs == ()
    [item] = smsbox.accepted
    assert (item.to, item.sender, item.text, item.coding) == ("+8613900000001", "10690000", "Meeting at 9, room 3", 0)
    assert item.dlr_mask == DLR_FINAL == 19
    assert item.dlr_url == f"{listener.url}/dlr?cid=41&type=%d&to=%p&at=%T&reply=%A&smsc_ref=%F"


def test_chinese_asks_kannel_for_ucs2(smsbox, ring):
    text = "【行政部】明天上午九点在三楼开会，请准时参加。"
    with adapter_for(smsbox) as adapter:
        [result] = adapter.send_batch([OutboundSms("1", "+8613900000002", text)])
    assert result.outcome.verdict is Verdict.SENT
    [item] = smsbox.accepted
    assert item.coding == 2 and item.udh_parts == text.encode("utf-16-be") and item.text == text
    assert item.dlr_mask == 0 and item.dlr_url == ""  # no listener configured: no reports asked for


def test_queued_for_later_delivery_is_accepted(smsbox, ring):
    smsbox.queued = True
    with adapter_for(smsbox) as adapter:
        [result] = adapter.send_batch([OutboundSms("1", "+8613900000003", "x")])
    assert result.outcome.verdict is Verdict.SENT


@pytest.mark.parametrize(
    ("change", "verdict", "reason", "fault"),
    [
        (lambda s: s.users.update(tester="changed"), Verdict.REQUEUE, "gateway.kannel.auth", True),
        (lambda s: None, Verdict.REQUEUE, "gateway.kannel.no_sender", True),
        (lambda s: setattr(s, "whitelist", "+1"), Verdict.FAILED, "gateway.rejected", False),
        (lambda s: setattr(s, "broken", True), Verdict.RETRY, "gateway.kannel.failed", True),
    ],
)
def test_smsbox_refusals(smsbox, ring, change, verdict, reason, fault):
    change(smsbox)
    sender = "" if reason == "gateway.kannel.no_sender" else "10690000"
    with adapter_for(smsbox, sender=sender) as adapter:
        [result] = adapter.send_batch([OutboundSms("1", "+8613900000004", "x")])
    o = result.outcome
    assert (o.verdict, o.reason, o.channel_fault) == (verdict, reason, fault)
    assert messages.text(reason, "zh") != messages.text(reason, "en")
    assert smsbox.accepted == []


def test_no_answer_is_unknown_and_kannel_cannot_be_asked(smsbox, ring):
    smsbox.delay = 1.0
    with adapter_for(smsbox, http=HttpSettings(timeout=0.2)) as adapter:
        [result] = adapter.send_batch([OutboundSms("5", "+8613900000005", "x")])
        assert adapter.query(["5"]) == []
    assert (result.outcome.verdict, result.outcome.reason) == (Verdict.UNKNOWN, "gateway.no_answer")


def test_unreachable_kannel_requeues(ring):
    config = KannelConfig(url=f"{closed_port_url()}/cgi-bin/sendsms", username="tester")
    with KannelAdapter(config, channel=CHANNEL) as adapter:
        [result] = adapter.send_batch([OutboundSms("5", "+8613900000005", "x")])
    assert (result.outcome.verdict, result.outcome.reason) == (Verdict.REQUEUE, "gateway.unreachable")


def test_kannel_has_no_balance(smsbox, ring):
    with adapter_for(smsbox) as adapter, pytest.raises(BalanceUnsupported) as caught:
        adapter.balance()
    assert caught.value.message("en") == f"Gateway {CHANNEL} (kannel) has no way to ask for the balance"
    assert "没有余额查询功能" in caught.value.message("zh")


def test_reports_come_back_through_the_dlr_url(smsbox, listener, ring):
    phones = ["+8613900000011", "+8613900000012", "+8613900000013"]
    with adapter_for(smsbox, listener) as adapter:
        adapter.send_batch([OutboundSms(str(100 + i), p, "通知") for i, p in enumerate(phones)])
        first, second, third = smsbox.accepted
        at = int(time.time())
        assert smsbox.call_back(first, 8, "ACK/", "19", at).status_code == 200  # accepted by the SMSC: no report
        assert adapter.fetch_reports() == []
        smsbox.call_back(first, 1, "DELIVRD", "19", at)
        smsbox.call_back(second, 2, "UNDELIV", "20", at)
        smsbox.call_back(third, 16, "NACK/0x0000000b/Invalid Destination Address", "", at)
        reports = {r.client_id: r for r in adapter.fetch_reports()}
        assert adapter.fetch_reports() == []  # handed out once
    assert set(reports) == {"100", "101", "102"}
    assert reports["100"].delivered and reports["100"].phone == phones[0] and reports["100"].gateway_id == "19"
    assert reports["100"].at.timestamp() == at and reports["100"].status == "1 DELIVRD"
    assert not reports["101"].delivered and reports["101"].status == "2 UNDELIV"
    assert not reports["102"].delivered and reports["102"].gateway_id is None
    assert reports["102"].status.startswith("16 NACK/")


def test_replies_come_back_through_an_sms_service(smsbox, listener, ring):
    template = mo_url(f"{listener.url}/mo")
    assert template == f"{listener.url}/mo?from=%p&to=%P&text=%a&at=%T&smsc_ref=%F"
    with adapter_for(smsbox, listener) as adapter:
        url = template
        for escape, value in {
            "%p": "+8613900000021",
            "%P": "10690000",
            "%a": "TD 退订",
            "%T": "1795435825",
            "%F": "",
        }.items():
            url = url.replace(escape, quote(value, safe=""))
        assert httpx.get(url).status_code == 200
        [reply] = adapter.fetch_replies()
    assert (reply.sender, reply.text, reply.received_at.timestamp()) == ("+8613900000021", "TD 退订", 1795435825)


def test_parse_dlr_refuses_a_query_without_a_type():
    with pytest.raises(ValueError):
        parse_dlr({"cid": "1"})
    assert parse_dlr({"type": "4", "cid": "1"}) is None  # queued on the SMSC: on the way


def test_plain_http_to_a_lan_kannel_needs_the_explicit_flag(ring):
    url = "http://192.168.1.20:13013/cgi-bin/sendsms"
    with pytest.raises(InsecureGatewayUrl):
        KannelAdapter(KannelConfig(url=url, username="tester"), channel=CHANNEL)
    lan = KannelConfig(url=url, username="tester", http=HttpSettings(insecure_lan_http=True))
    KannelAdapter(lan, channel=CHANNEL).close()


def test_the_password_stays_out_of_logs_and_reprs(smsbox, ring, caplog):
    caplog.set_level(logging.DEBUG)
    with adapter_for(smsbox) as adapter:
        adapter.send_batch([OutboundSms("1", "+8613900000001", "x")])
        smsbox.users["tester"] = "other"
        [refused] = adapter.send_batch([OutboundSms("2", "+8613900000001", "x")])
        shown = [repr(adapter), repr(adapter.config), refused.outcome.detail]
    assert "password=***" in caplog.text
    assert all(PASSWORD not in t for t in [caplog.text, *shown])
