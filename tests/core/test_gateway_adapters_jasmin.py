"""Jasmin adapter against a small faithful Jasmin HTTP API on loopback: /send with content or hex-content,
'Success "<id>"' and 'Error "…"' with Jasmin's HTTP statuses, /balance and /rate as JSON, delivery reports
(level 1 and level 2) and replies pushed to our listener, which must acknowledge with ACK/Jasmin."""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import httpx
import pytest

from smsjingling import messages
from smsjingling.gateway.base import OutboundSms, ReportMode
from smsjingling.gateway.errors import BalanceUnsupported, GatewayError
from smsjingling.gateway.jasmin import ACK, JasminAdapter, JasminConfig, parse_dlr
from smsjingling.gateway.transport import HttpSettings
from smsjingling.sending.outcome import Verdict
from tests.core.gateway_peers import LoopbackServer, Reply, Request, memory_keyring

CHANNEL = "Jasmin 代理商"
PASSWORD = "jas-pw-77"


@dataclass
class User:
    password: str
    balance: Decimal | None = Decimal("10")  # None: 'ND', not limited
    sms_count: int | None = None
    may_send: bool = True
    throughput_exceeded: bool = False


@dataclass
class Sent:
    id: str
    to: str
    text: str
    coding: int
    parts: int
    dlr_url: str
    dlr_level: int


@dataclass
class Jasmin:
    users: dict[str, User] = field(default_factory=lambda: {"acme": User(PASSWORD)})
    routes: tuple[str, ...] = ("+86", "86")
    rate: Decimal = Decimal("0.05")  # per part
    connectors_bound: bool = True
    delay: float = 0.0
    sent: list[Sent] = field(default_factory=list)
    acks: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def parts(coding: int, payload: bytes) -> int:
        single, each = (140, 134) if coding == 8 else (160, 153)
        return 1 if len(payload) <= single else -(-len(payload) // each)

    def _error(self, status: int, words: str) -> Reply:
        return Reply(status, f'Error "{words}"', delay=self.delay)

    def _json(self, status: int, body: object) -> Reply:
        return Reply(status, json.dumps(body), "application/json")

    def _user(self, a: dict[str, str]) -> User | str:
        for key in ("username", "password"):
            if key not in a:
                return f"Mandatory argument [{key}] is not found."
        user = self.users.get(a["username"])
        if user is None or user.password != a["password"]:
            return f"Authentication failure for username:{a['username']}"
        return user

    def __call__(self, request: Request) -> Reply:
        a = request.args()
        with self.lock:
            if request.path == "/send":
                return self._send(a)
            user = self._user(a)
            if isinstance(user, str):
                return self._json(403 if user.startswith("Auth") else 400, user)
            if request.path == "/balance":
                return self._json(
                    200,
                    {
                        "balance": float(user.balance) if user.balance is not None else "ND",
                        "sms_count": user.sms_count if user.sms_count is not None else "ND",
                    },
                )
            if request.path == "/rate":
                coding, payload = self._payload(a)
                if not a.get("to", "").startswith(self.routes):
                    return self._json(412, "No route found")
                return self._json(200, {"submit_sm_count": self.parts(coding, payload), "unit_rate": float(self.rate)})
        return Reply(404, "no such resource")

    @staticmethod
    def _payload(a: dict[str, str]) -> tuple[int, bytes]:
        coding = int(a.get("coding", "0"))
        if "hex-content" in a:
            return coding, bytes.fromhex(a["hex-content"])
        return coding, a.get("content", "").encode("utf-8")

    def _send(self, a: dict[str, str]) -> Reply:
        if not re.fullmatch(r"\+?\d+", a.get("to", "")):
            return self._error(400, f"Argument [to] has an invalid value: [{a.get('to', '')}].")
        if ("content" in a) == ("hex-content" in a):
            return self._error(400, "content or hex-content not present.")
        user = self._user(a)
        if isinstance(user, str):
            return self._error(403 if user.startswith("Auth") else 400, user)
        if not user.may_send:
            return self._error(403, f"Authorization failed for username:{a['username']}")
        if not a["to"].startswith(self.routes):
            return self._error(412, "No route found")
        if not self.connectors_bound:
            return self._error(412, "Failover route has no bound connectors")
        if user.throughput_exceeded:
            return self._error(403, "User throughput exceeded")
        coding, payload = self._payload(a)
        parts = self.parts(coding, payload)
        if user.balance is not None:
            if user.balance < self.rate * parts:
                return self._error(403, "Cannot charge submit_sm, check RouterPB log file for details")
            user.balance -= self.rate * parts
        text = payload.decode("utf-16-be") if coding == 8 else payload.decode("utf-8")
        msg_id = str(uuid.uuid4())
        self.sent.append(Sent(msg_id, a["to"], text, coding, parts, a.get("dlr-url", ""), int(a.get("dlr-level", 0))))
        return Reply(200, f'Success "{msg_id}"', delay=self.delay)

    def throw_dlr(self, item: Sent, level: int, status: str, err: str = "000") -> None:
        """Jasmin's DLRThrower: POST the receipt to the dlr-url, note whether it was acknowledged."""
        form = {"id": item.id, "message_status": status, "level": str(item.dlr_level)}
        if level == 2:
            form |= {
                "id_smsc": "2567",
                "subdate": "2611231210",
                "donedate": "2611231211",
                "sub": "001",
                "dlvrd": "001" if status == "DELIVRD" else "000",
                "err": err,
                "text": item.text[:20],
            }
        answer = httpx.post(item.dlr_url, data=form)
        self.acks.append(answer.text if answer.status_code == 200 else f"HTTP {answer.status_code}")

    def throw_mo(self, url: str, sender: str, text: str) -> str:
        coding = "0" if text.isascii() else "8"
        payload = text.encode("utf-16-be") if coding == "8" else text.encode()
        form = {
            "id": str(uuid.uuid4()),
            "from": sender,
            "to": "10690000",
            "origin-connector": "smppc01",
            "priority": "1",
            "coding": coding,
            "validity": "2026-12-01 00:00:00",
            "content": payload.decode("latin-1"),
            "binary": payload.hex().upper(),
        }
        return httpx.post(url, data=form).text


@dataclass
class Listener:
    adapter: JasminAdapter | None = None
    url: str = ""

    def __call__(self, request: Request) -> Reply:
        assert self.adapter is not None
        form = request.form()
        if request.path == "/dlr":
            self.adapter.receive_dlr(form)
        else:
            self.adapter.receive_mo(form)
        return Reply(200, ACK)


@pytest.fixture
def jasmin():
    state = Jasmin()
    with LoopbackServer(state) as server:
        state.server = server  # type: ignore[attr-defined]
        yield state


@pytest.fixture
def listener():
    box = Listener()
    with LoopbackServer(box) as server:
        box.url = server.url
        yield box


@pytest.fixture
def ring():
    with memory_keyring(**{CHANNEL: PASSWORD}) as r:
        yield r


def adapter_for(jasmin, listener=None, **kw) -> JasminAdapter:
    http = kw.pop("http", HttpSettings(timeout=2.0))
    dlr_url = f"{listener.url}/dlr" if listener else ""
    config = JasminConfig(url=jasmin.server.url, username="acme", sender="10690000", dlr_url=dlr_url, http=http, **kw)
    adapter = JasminAdapter(config, channel=CHANNEL)
    if listener:
        listener.adapter = adapter
    return adapter


def test_gsm_text_goes_as_content_and_chinese_as_ucs2_hex(jasmin, ring):
    chinese = "【行政部】明天上午九点开会，请准时参加。"
    with adapter_for(jasmin) as adapter:
        assert adapter.limits.reports is ReportMode.NONE
        out = adapter.send_batch(
            [OutboundSms("1", "+8613900000001", "Meeting at 9"), OutboundSms("2", "+8613900000002", chinese)]
        )
    assert [r.outcome.verdict for r in out] == [Verdict.SENT, Verdict.SENT]
    assert [r.outcome.refs for r in out] == [(s.id,) for s in jasmin.sent]
    gsm, ucs2 = jasmin.server.requests
    assert gsm.form()["content"] == ["Meeting at 9"] and gsm.form()["coding"] == ["0"]
    assert ucs2.form()["coding"] == ["8"] and "content" not in ucs2.form()
    assert ucs2.form()["hex-content"] == [chinese.encode("utf-16-be").hex()]
    assert [(s.text, s.coding) for s in jasmin.sent] == [("Meeting at 9", 0), (chinese, 8)]
    assert all(r.method == "POST" and r.form()["password"] == [PASSWORD] for r in (gsm, ucs2))


@pytest.mark.parametrize(
    ("change", "phone", "verdict", "reason", "fault"),
    [
        (
            lambda j: setattr(j.users["acme"], "password", "x"),
            "+8613900000001",
            Verdict.REQUEUE,
            "gateway.jasmin.auth",
            True,
        ),
        (
            lambda j: setattr(j.users["acme"], "may_send", False),
            "+8613900000001",
            Verdict.REQUEUE,
            "gateway.jasmin.not_allowed",
            True,
        ),
        (
            lambda j: setattr(j.users["acme"], "balance", Decimal(0)),
            "+8613900000001",
            Verdict.REQUEUE,
            "gateway.jasmin.balance",
            True,
        ),
        (
            lambda j: setattr(j.users["acme"], "throughput_exceeded", True),
            "+8613900000001",
            Verdict.RETRY,
            "gateway.busy",
            True,
        ),
        (lambda j: None, "+14155550100", Verdict.FAILED, "gateway.jasmin.no_route", False),
        (
            lambda j: setattr(j, "connectors_bound", False),
            "+8613900000001",
            Verdict.RETRY,
            "gateway.jasmin.no_connector",
            True,
        ),
        (lambda j: None, "+86-139", Verdict.FAILED, "gateway.rejected", False),
    ],
)
def test_jasmin_errors(jasmin, ring, change, phone, verdict, reason, fault):
    change(jasmin)
    with adapter_for(jasmin) as adapter:
        [result] = adapter.send_batch([OutboundSms("1", phone, "x")])
    o = result.outcome
    assert (o.verdict, o.reason, o.channel_fault) == (verdict, reason, fault)
    assert o.detail.startswith('Error "')
    assert messages.text(reason, "zh") != messages.text(reason, "en")
    assert jasmin.sent == []


def test_no_answer_is_unknown(jasmin, ring):
    jasmin.delay = 1.0
    with adapter_for(jasmin, http=HttpSettings(timeout=0.2)) as adapter:
        [result] = adapter.send_batch([OutboundSms("1", "+8613900000001", "x")])
        assert adapter.query(["1"]) == []
    assert (result.outcome.verdict, result.outcome.reason) == (Verdict.UNKNOWN, "gateway.no_answer")
    assert len(jasmin.sent) == 1  # it did leave: exactly why it must not be resent blindly


def test_reports_are_pushed_and_acknowledged(jasmin, listener, ring):
    with adapter_for(jasmin, listener) as adapter:
        assert adapter.limits.reports is ReportMode.PUSH
        adapter.send_batch([OutboundSms(str(n), f"+861390000000{n}", "通知") for n in range(3)])
        a, b, c = jasmin.sent
        assert a.dlr_url == f"{listener.url}/dlr" and a.dlr_level == 3
        jasmin.throw_dlr(a, 1, "ESME_ROK")  # the SMSC took it: not final
        jasmin.throw_dlr(a, 2, "DELIVRD")
        jasmin.throw_dlr(b, 2, "UNDELIV", err="001")
        jasmin.throw_dlr(c, 1, "ESME_RINVDSTADR")  # refused by the SMSC
        reports = {r.gateway_id: r for r in adapter.fetch_reports()}
    assert jasmin.acks == [ACK] * 4
    assert set(reports) == {a.id, b.id, c.id}
    assert reports[a.id].delivered and reports[a.id].phone == "+8613900000000"
    assert not reports[b.id].delivered and reports[b.id].status == "UNDELIV err=001"
    assert not reports[c.id].delivered and reports[c.id].status == "ESME_RINVDSTADR"
    assert all(r.client_id is None for r in reports.values())  # matched by Jasmin's id


def test_replies_are_pushed_ucs2_included(jasmin, listener, ring):
    with adapter_for(jasmin, listener) as adapter:
        assert jasmin.throw_mo(f"{listener.url}/mo", "+8613900000005", "收到，谢谢") == ACK
        assert jasmin.throw_mo(f"{listener.url}/mo", "8613900000006", "TD") == ACK
        first, second = adapter.fetch_replies()
    assert (first.sender, first.text) == ("+8613900000005", "收到，谢谢")
    assert (second.sender, second.text) == ("+8613900000006", "TD")


def test_parse_dlr_needs_an_id_and_a_status():
    with pytest.raises(ValueError):
        parse_dlr({"id": "x"})
    assert parse_dlr({"id": "x", "message_status": "ENROUTE", "level": "2"}) is None


def test_balance_in_units_or_message_counts(jasmin, ring):
    with adapter_for(jasmin, credit_fen=100) as adapter:
        assert adapter.balance().fen == 1000  # 10.0 units of 1 yuan
    jasmin.users["acme"].balance, jasmin.users["acme"].sms_count = None, 250
    with adapter_for(jasmin, price_fen=4) as adapter:
        assert adapter.balance().fen == 1000
    jasmin.users["acme"].sms_count = None
    with adapter_for(jasmin) as adapter, pytest.raises(BalanceUnsupported) as caught:
        adapter.balance()
    assert "unlimited" in caught.value.message("en")
    jasmin.users["acme"].password = "rotated"
    with adapter_for(jasmin) as adapter, pytest.raises(GatewayError) as refused:
        adapter.balance()
    assert "HTTP 403" in refused.value.message("en") and PASSWORD not in refused.value.message("en")


def test_rate_of_a_message_before_sending(jasmin, ring):
    with adapter_for(jasmin) as adapter:
        short = adapter.rate("+8613900000001", "Hello")
        long = adapter.rate("+8613900000001", "会议通知" * 20)  # 160 bytes of UCS-2: two parts
        with pytest.raises(GatewayError):
            adapter.rate("+14155550100", "Hello")
    assert (short.parts, short.unit_rate, short.fen) == (1, Decimal("0.05"), 5)
    assert (long.parts, long.fen) == (2, 10)


def test_the_password_stays_out_of_logs_and_texts(jasmin, ring, caplog):
    caplog.set_level(logging.DEBUG)
    with adapter_for(jasmin) as adapter:
        adapter.balance()  # a GET: the password is in the URL that httpx logs
        [sent] = adapter.send_batch([OutboundSms("1", "+8613900000001", "x")])
        shown = [repr(adapter), repr(adapter.config), sent.outcome.detail]
    assert "password=***" in caplog.text
    assert all(PASSWORD not in t for t in [caplog.text, *shown])
