"""The simulated gateway, spoken to over real HTTP with signed requests (no adapter in between): prices and
segments, the prepaid balance and its books, idempotency, limits, faults, reports, replies, concurrency,
and the `gateway-sim` command."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from smsjingling.gateway import signing
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.sim import Fault, GatewaySim

KEY = "sim-test-key"
PHONE = "+8613800138000"


class Api:
    """Signed requests to the simulator, as any client of docs/gateway-api.md would send them."""

    def __init__(self, sim: GatewaySim, account: str = "demo", key: str = KEY, timeout: float = 5.0) -> None:
        self.sim, self.account, self.key = sim, account, Secret(key)
        self.client = httpx.Client(timeout=timeout, trust_env=False)

    def call(self, method: str, path: str, payload: Any = None, **query: Any) -> httpx.Response:
        target = path + ("?" + urlencode(query) if query else "")
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        headers = signing.signed_headers(self.account, self.key, method, target, body)
        return self.client.request(method, self.sim.url + target, content=body, headers=headers)

    def send(self, *messages: tuple[str, str, str]) -> httpx.Response:
        items = [{"client_id": c, "phone": p, "text": t} for c, p, t in messages]
        return self.call("POST", "/v1/sms/batch", {"messages": items})

    def results(self, *messages: tuple[str, str, str]) -> list[dict[str, Any]]:
        response = self.send(*messages)
        assert response.status_code == 200, response.text
        return response.json()["results"]


@pytest.fixture
def sim() -> Iterator[GatewaySim]:
    with GatewaySim(report_delay=0.05) as s:
        s.add_account("demo", KEY, balance_fen=1000, price_fen=5, blocked_words=["赌博"])
        yield s


@pytest.fixture
def api(sim: GatewaySim) -> Iterator[Api]:
    a = Api(sim)
    yield a
    a.client.close()


def _assert_books_balance(sim: GatewaySim, account: str = "demo") -> None:
    books = sim.books_of(account)
    assert books.balance_fen == books.topped_up_fen - books.charged_fen
    assert books.charged_fen == sum(r.fee_fen for r in books.accepted)


def test_a_batch_is_priced_per_segment_and_rejected_per_recipient(sim: GatewaySim, api: Api) -> None:
    long_gsm = "x" * 161  # two GSM-7 segments
    long_zh = "通" * 71  # two UCS-2 segments
    results = api.results(
        ("1", PHONE, "【物业】明天停水"),
        ("2", "+8613900139000", long_gsm),
        ("3", "+8613700137000", long_zh),
        ("4", "+861012345678", "landline"),  # +86 but not a mobile
        ("5", "13800138000", "no plus"),
        ("6", PHONE, ""),
        ("7", PHONE, "长" * 700),  # 11 segments, over the 10 allowed
        ("8", PHONE, "来赌博吧"),
        ("bad id!", PHONE, "hello"),
        ("10", "+447700900123", "international"),
    )
    by_id = {r["client_id"]: r for r in results}
    assert [r["client_id"] for r in results] == ["1", "2", "3", "4", "5", "6", "7", "8", "bad id!", "10"]
    assert [(by_id[c]["segments"], by_id[c]["fee_fen"]) for c in ("1", "2", "3", "10")] == [
        (1, 5),
        (2, 10),
        (2, 10),
        (1, 5),
    ]
    assert {c: by_id[c]["code"] for c in ("4", "5", "6", "7", "8", "bad id!")} == {
        "4": "INVALID_NUMBER",
        "5": "INVALID_NUMBER",
        "6": "EMPTY_TEXT",
        "7": "TEXT_TOO_LONG",
        "8": "CONTENT_BLOCKED",
        "bad id!": "INVALID_CLIENT_ID",
    }
    assert all(by_id[c]["retry"] == "never" and by_id[c]["message"] for c in ("4", "5", "6", "7", "8"))
    assert by_id["1"]["gateway_id"] != by_id["2"]["gateway_id"]
    books = sim.books_of("demo")
    assert books.charged_fen == 30 and books.balance_fen == 970 and books.segments == 6
    assert [r.client_id for r in books.accepted] == ["1", "2", "3", "10"]
    assert len(books.rejected) == 6
    _assert_books_balance(sim)


def test_the_same_client_id_is_sent_once_and_answered_with_its_first_result(sim: GatewaySim, api: Api) -> None:
    first = api.results(("a", PHONE, "会议改到三点"), ("b", "+86123", "bad number"))
    again = api.results(("a", PHONE, "会议改到三点"), ("b", "+86123", "bad number"), ("c", PHONE, "新的一条"))
    assert again[0] == {**first[0], "duplicate": True}
    assert again[1] == {**first[1], "duplicate": True}  # a permanent rejection is remembered too
    assert again[2]["status"] == "accepted" and not again[2]["duplicate"]
    conflict = api.results(("a", PHONE, "换了内容"), ("a", "+8613900139000", "会议改到三点"))
    assert [r["code"] for r in conflict] == ["CLIENT_ID_CONFLICT", "CLIENT_ID_CONFLICT"]
    # Within one batch the second copy of an id is the first's answer.
    twice = api.results(("d", PHONE, "一次"), ("d", PHONE, "一次"))
    assert twice[0]["gateway_id"] == twice[1]["gateway_id"] and twice[1]["duplicate"]
    books = sim.books_of("demo")
    assert [r.client_id for r in books.accepted] == ["a", "c", "d"] and books.charged_fen == 15
    _assert_books_balance(sim)


def test_zero_balance_rejects_for_later_and_a_top_up_lets_the_same_ids_through(sim: GatewaySim, api: Api) -> None:
    sim.set_balance("demo", 12)  # two messages' worth, and 2 fen over
    results = api.results(*[(f"m{i}", PHONE, f"第{i}条") for i in range(4)])
    assert [r["status"] for r in results] == ["accepted", "accepted", "rejected", "rejected"]
    assert {r.get("code") for r in results[2:]} == {"INSUFFICIENT_BALANCE"}
    assert results[2]["retry"] == "later"
    assert api.send(("m2", PHONE, "第2条")).json()["balance_fen"] == 2
    sim.set_balance("demo", 0)
    assert api.results(("m9", PHONE, "零余额"))[0]["code"] == "INSUFFICIENT_BALANCE"
    sim.top_up("demo", 100)
    retried = api.results(("m2", PHONE, "第2条"), ("m3", PHONE, "第3条"))  # not remembered: they go now
    assert [r["status"] for r in retried] == ["accepted", "accepted"] and not retried[0]["duplicate"]
    books = sim.books_of("demo")
    assert books.balance_fen == 90 and books.charged_fen == 20 and books.topped_up_fen == 110
    _assert_books_balance(sim)


def test_daily_maximum(sim: GatewaySim, api: Api) -> None:
    sim.set_limits("demo", daily_max=2)
    results = api.results(("1", PHONE, "a"), ("2", PHONE, "b"), ("3", PHONE, "c"))
    assert [r.get("code") for r in results] == [None, None, "DAILY_LIMIT_REACHED"]
    assert results[2]["retry"] == "later"


def test_batch_limit_and_rate_limit() -> None:
    # The simulator's clock stands still unless the test moves it: a loaded machine taking a quarter of a second
    # between two requests would otherwise refill the bucket and the 429 would not come.
    moved = [0.0]
    start = time.time()
    with GatewaySim(clock=lambda: start + moved[0]) as sim:
        sim.add_account("demo", KEY, balance_fen=1000, price_fen=5)
        api = Api(sim)
        try:
            sim.set_limits("demo", max_batch=3, requests_per_second=4)
            too_many = api.send(*[(str(i), PHONE, "x") for i in range(4)])
            assert too_many.status_code == 413
            assert too_many.json()["error"] == {
                "code": "BATCH_TOO_LARGE",
                "message": too_many.json()["error"]["message"],
                "retry": "never",
                "max_batch": 3,
            }
            # The burst is the rate (4); the 413 above used one token, three more go, then 429.
            answers = [api.call("GET", "/v1/account") for _ in range(4)]
            assert [a.status_code for a in answers] == [200, 200, 200, 429]
            limited = answers[-1]
            wait_ms = limited.json()["error"]["retry_after_ms"]
            assert limited.json()["error"]["code"] == "RATE_LIMITED" and limited.json()["error"]["retry"] == "later"
            assert limited.headers["Retry-After"] == "1" and wait_ms == 250  # one token at 4 a second
            moved[0] += wait_ms / 1000 - 0.001
            assert api.call("GET", "/v1/account").status_code == 429  # a moment too early
            moved[0] += 0.001
            assert api.call("GET", "/v1/account").status_code == 200
            assert sim.books_of("demo").accepted == ()
        finally:
            api.client.close()


def test_maintenance_and_request_errors(sim: GatewaySim, api: Api) -> None:
    sim.set_maintenance(True, retry_after=30)
    r = api.call("GET", "/v1/account")
    assert r.status_code == 503 and r.headers["Retry-After"] == "30"
    assert r.json()["error"]["code"] == "MAINTENANCE" and r.json()["error"]["retry_after_ms"] == 30_000
    sim.set_maintenance(False)
    assert api.call("GET", "/v1/nothing").json()["error"]["code"] == "NOT_FOUND"
    assert api.call("DELETE", "/v1/sms/batch").status_code == 405
    assert api.call("POST", "/v1/sms/batch", {"messages": []}).json()["error"]["code"] == "MALFORMED_REQUEST"
    assert api.call("POST", "/v1/sms/batch", {"messages": [{"client_id": 1}]}).status_code == 400
    assert api.call("GET", "/v1/reports", cursor="x").status_code == 400
    assert api.call("GET", "/v1/reports", limit=0).status_code == 400
    assert api.call("PUT", "/v1/callback", {"url": "http://example.com/hook"}).status_code == 400  # plain http
    sim.disable_account("demo")
    assert api.call("GET", "/v1/account").json()["error"]["code"] == "ACCOUNT_DISABLED"


def _wait_for(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_reports_by_cursor_and_the_query() -> None:
    # The reports fall due when the test moves the simulator's clock, not when a loaded machine gets round to
    # the query: asked at once, there is none yet.
    moved = [0.0]
    start = time.time()
    with GatewaySim(report_delay=0.05, clock=lambda: start + moved[0]) as sim:
        sim.add_account("demo", KEY, balance_fen=1000, price_fen=5)
        api = Api(sim)
        try:
            _reports_by_cursor_and_the_query(sim, api, moved)
        finally:
            api.client.close()


def _reports_by_cursor_and_the_query(sim: GatewaySim, api: Api, moved: list[float]) -> None:
    sim.set_undeliverable("demo", {"+8613900139000": "UNDELIV", "+8613700137000": "EXPIRED"})
    api.results(("1", PHONE, "a"), ("2", "+8613900139000", "b"), ("3", "+8613700137000", "c"))
    assert api.call("POST", "/v1/sms/query", {"client_ids": ["1"]}).json()["results"][0]["report"] is None
    moved[0] += 0.05
    _wait_for(lambda: len(sim.books_of("demo").reports) == 3)

    page = api.call("GET", "/v1/reports", limit=2).json()
    assert [(r["client_id"], r["status"], r["delivered"]) for r in page["reports"]] == [
        ("1", "DELIVRD", True),
        ("2", "UNDELIV", False),
    ]
    assert page["more"] is True
    same = api.call("GET", "/v1/reports", limit=2).json()  # no cursor again: the same reports again
    assert same["reports"] == page["reports"]
    rest = api.call("GET", "/v1/reports", cursor=page["next_cursor"]).json()
    assert [r["status"] for r in rest["reports"]] == ["EXPIRED"] and rest["more"] is False
    empty = api.call("GET", "/v1/reports", cursor=rest["next_cursor"]).json()
    assert empty == {"reports": [], "next_cursor": rest["next_cursor"], "more": False}
    again = api.call("GET", "/v1/reports", cursor=page["next_cursor"]).json()
    assert again["reports"] == rest["reports"]  # a lost answer loses nothing

    query = api.call("POST", "/v1/sms/query", {"client_ids": ["2", "nope"]}).json()["results"]
    assert query[0]["status"] == "accepted" and query[0]["report"]["status"] == "UNDELIV"
    assert query[1] == {"client_id": "nope", "status": "not_found"}
    r = api.call("POST", "/v1/sms/query", {"client_ids": [str(i) for i in range(1001)]})
    assert r.json()["error"]["code"] == "BATCH_TOO_LARGE"


def test_replies_by_cursor(sim: GatewaySim, api: Api) -> None:
    first = sim.inject_reply(PHONE, "TD")
    sim.inject_reply("+8613900139000", "收到")
    page = api.call("GET", "/v1/replies").json()
    assert [(r["reply_id"], r["phone"], r["text"]) for r in page["replies"]] == [
        (first, PHONE, "TD"),
        (page["replies"][1]["reply_id"], "+8613900139000", "收到"),
    ]
    assert api.call("GET", "/v1/replies", cursor=page["next_cursor"]).json()["replies"] == []
    sim.inject_reply(PHONE, "谢谢")
    later = api.call("GET", "/v1/replies", cursor=page["next_cursor"]).json()
    assert [r["text"] for r in later["replies"]] == ["谢谢"]
    assert [r.text for r in sim.books_of("demo").replies] == ["TD", "收到", "谢谢"]


def test_faults_before_and_after_the_work(sim: GatewaySim, api: Api) -> None:
    sim.fail_next(Fault.ERROR)
    r = api.send(("e", PHONE, "x"))
    assert r.status_code == 500 and r.json()["error"] == {
        "code": "INTERNAL_ERROR",
        "message": "simulated fault",
        "retry": "later",
    }
    sim.fail_next(Fault.UNAVAILABLE)
    assert api.send(("e", PHONE, "x")).status_code == 503
    sim.fail_next(Fault.BAD_SIGNATURE)
    assert api.send(("e", PHONE, "x")).json()["error"]["code"] == "BAD_SIGNATURE"
    assert sim.books_of("demo").accepted == ()  # none of those did anything

    sim.fail_next(Fault.MALFORMED)
    r = api.send(("m", PHONE, "x"))
    assert r.status_code == 200
    with pytest.raises(ValueError):
        r.json()
    sim.fail_next(Fault.DISCONNECT)
    with pytest.raises(httpx.RemoteProtocolError):
        api.send(("d", PHONE, "x"))

    impatient = Api(sim, timeout=0.3)
    sim.fail_next(Fault.TIMEOUT)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        impatient.send(("t", PHONE, "x"))
    assert time.monotonic() - started < 2
    sim.fail_next(Fault.LOST)
    with pytest.raises(httpx.ReadTimeout):
        impatient.send(("l", PHONE, "x"))
    impatient.client.close()
    # Done: the malformed, the disconnected and the timed-out one; the lost one never arrived.
    assert [r.client_id for r in sim.books_of("demo").accepted] == ["m", "d", "t"]
    # The fault was for the batch path only; other paths were untouched, and the plan is used up.
    assert sim.faults.pending() == 0 and api.call("GET", "/v1/account").status_code == 200


def test_fault_rates_are_drawn_per_request(sim: GatewaySim, api: Api) -> None:
    sim.set_fault_rates(error=0.5, path="/v1/sms/batch", seed=7)
    codes = [api.send((f"r{i}", PHONE, "x")).status_code for i in range(40)]
    assert 8 <= codes.count(500) <= 32 and codes.count(200) == 40 - codes.count(500)
    assert len(sim.books_of("demo").accepted) == codes.count(200)
    sim.clear_faults()
    assert api.send(("after", PHONE, "x")).status_code == 200


def test_latency_is_per_request_and_requests_are_served_side_by_side(sim: GatewaySim) -> None:
    sim.latency = 0.2
    apis = [Api(sim) for _ in range(4)]
    durations: list[float] = []

    def one(n: int) -> None:
        started = time.monotonic()
        assert apis[n].send((f"p{n}", PHONE, "x")).status_code == 200
        durations.append(time.monotonic() - started)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(4)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    for a in apis:
        a.client.close()
    assert len(durations) == 4 and min(durations) >= 0.2
    assert elapsed < 0.7  # four requests of 0.2 s each, served at once (one after another would take 0.8 s)
    assert len(sim.books_of("demo").accepted) == 4


def test_only_loopback() -> None:
    with pytest.raises(ValueError):
        GatewaySim(host="0.0.0.0")


def test_the_gateway_sim_command(tmp_path: Any) -> None:
    env = {**os.environ, "SMSJINGLING_LANG": "en", "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-m",
        "smsjingling.cli.main",
        "gateway-sim",
        "--port",
        "0",
        "--balance",
        "1.50",
        "--price",
        "4",
        "--key",
        "cli-key",
        "--report-delay",
        "0.05",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert banner.startswith("[SIMULATED] SMS gateway running") and "http://127.0.0.1:" in banner
        url = banner.rsplit(": ", 1)[1].strip()
        lines = [process.stdout.readline() for _ in range(3)]
        assert "balance 1.50 yuan, 4 fen a segment" in lines[0] and "cli-key" in lines[1]
        with httpx.Client(trust_env=False, timeout=5) as client:
            body = json.dumps({"messages": [{"client_id": "1", "phone": PHONE, "text": "通" * 71}]}).encode()
            headers = signing.signed_headers("demo", Secret("cli-key"), "POST", "/v1/sms/batch", body)
            result = client.post(url + "/v1/sms/batch", content=body, headers=headers).json()
            assert result["results"][0]["fee_fen"] == 8 and result["balance_fen"] == 142
            headers = signing.signed_headers("demo", Secret("cli-key"), "GET", "/v1/account", b"")
            assert client.get(url + "/v1/account", headers=headers).json()["simulated"] is True
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "[SIMULATED] accepted 1 messages (2 segments), charged 0.08 yuan, balance 1.42 yuan" in out
