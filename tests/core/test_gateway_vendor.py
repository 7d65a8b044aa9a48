"""The vendor gateway adapter against the simulator on loopback: real HTTP, real sockets, no mocks. Every
outcome is checked against the simulator's own books, so "sent" means the gateway charged for it once."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import pickle
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from smsjingling.errors import ValidationError
from smsjingling.gateway import keys, signing
from smsjingling.gateway.base import GatewayReport, OutboundSms, ReportMode
from smsjingling.gateway.keys import GatewayKeyMissing, Secret
from smsjingling.gateway.sim import Fault, GatewaySim
from smsjingling.gateway.vendor import GatewayError, VendorGateway
from smsjingling.gateway.vendor_callback import CallbackRejected, read_callback
from smsjingling.sending.outcome import Verdict
from tests.core.gateway_peers import MemoryKeyring
from tests.core.gateway_peers import memory_keyring as installed_memory_keyring

KEY = "vendor-test-key-7Hq2"
PHONE = "+8613800138000"
OTHER = "+8613900139000"


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    with installed_memory_keyring() as ring:
        yield ring


@pytest.fixture
def sim() -> Iterator[GatewaySim]:
    with GatewaySim(report_delay=0.05, callback_retry_seconds=0.05) as s:
        s.add_account("demo", KEY, balance_fen=10_000, price_fen=5)
        yield s


@pytest.fixture
def gateway(sim: GatewaySim) -> Iterator[VendorGateway]:
    g = VendorGateway("网关一", sim.url, "demo", key=KEY, timeout=0.5)
    yield g
    g.close()


def sms(cid: str, phone: str = PHONE, text: str = "【物业】明天停水") -> OutboundSms:
    return OutboundSms(cid, phone, text)


def verdicts(results: list) -> dict[str, tuple[Verdict, str]]:
    return {r.client_id: (r.outcome.verdict, r.outcome.reason) for r in results}


def _assert_books(sim: GatewaySim) -> None:
    books = sim.books_of("demo")
    assert books.balance_fen == books.topped_up_fen - books.charged_fen
    assert len({r.client_id for r in books.accepted}) == len(books.accepted)  # nothing sent twice


def test_a_batch_answers_per_recipient(sim: GatewaySim, gateway: VendorGateway) -> None:
    results = gateway.send_batch(
        [sms("1"), sms("2", OTHER, "通" * 71), sms("3", "+86123"), sms("4", text=""), sms("5", text="\ud800")]
    )
    by_id = {r.client_id: r for r in results}
    assert sorted(by_id) == ["1", "2", "3", "4", "5"]
    books = sim.books_of("demo").by_client_id()
    for cid, fee in (("1", 5), ("2", 10)):
        assert by_id[cid].outcome.verdict is Verdict.SENT
        assert by_id[cid].outcome.refs == (books[cid].gateway_id,)
        assert by_id[cid].cost_fen == fee == books[cid].fee_fen
    assert verdicts(results)["3"] == (Verdict.FAILED, "gwapi.invalid_number")
    assert by_id["3"].outcome.detail.startswith("INVALID_NUMBER: ") and by_id["3"].cost_fen is None
    assert verdicts(results)["4"] == (Verdict.FAILED, "gwapi.empty_text")
    assert verdicts(results)["5"] == (Verdict.FAILED, "gwapi.bad_text")  # never left: a lone surrogate
    assert sim.books_of("demo").charged_fen == 15
    _assert_books(sim)


def test_batches_are_cut_to_the_limit_and_shrink_when_the_gateway_says_less(sim: GatewaySim) -> None:
    small = VendorGateway("g", sim.url, "demo", key=KEY, max_batch=3)
    try:
        results = small.send_batch([sms(str(i)) for i in range(7)])
        assert [r.outcome.verdict for r in results] == [Verdict.SENT] * 7
        assert sim.books_of("demo").send_requests == 3
    finally:
        small.close()
    sim.set_limits("demo", max_batch=2)
    big = VendorGateway("g", sim.url, "demo", key=KEY, max_batch=5)
    try:
        results = big.send_batch([sms(f"b{i}") for i in range(5)])
        assert [r.outcome.verdict for r in results] == [Verdict.SENT] * 5
        assert big.limits.max_batch == 2  # learnt from the 413's max_batch
        assert sim.books_of("demo").send_requests == 3 + 3
    finally:
        big.close()
    _assert_books(sim)


def test_a_resend_under_the_same_client_ids_sends_nothing_twice(sim: GatewaySim, gateway: VendorGateway) -> None:
    batch = [sms("1"), sms("2", OTHER)]
    first = gateway.send_batch(batch)
    again = gateway.send_batch(batch)
    assert [(r.client_id, r.outcome.refs, r.cost_fen) for r in again] == [
        (r.client_id, r.outcome.refs, r.cost_fen) for r in first
    ]
    assert all(r.outcome.verdict is Verdict.SENT for r in again)
    books = sim.books_of("demo")
    assert len(books.accepted) == 2 and books.charged_fen == 10
    conflict = gateway.send_batch([sms("1", text="another text")])
    assert verdicts(conflict)["1"] == (Verdict.FAILED, "gwapi.client_id_conflict")


def test_429_is_a_requeue_with_the_wait_and_the_next_request_waits_as_told(
    sim: GatewaySim, gateway: VendorGateway
) -> None:
    sim.set_limits("demo", requests_per_second=4)  # a burst of 4, then one every 0.25 s
    results = [gateway.send_batch([sms(f"r{i}")])[0] for i in range(5)]
    assert [r.outcome.verdict for r in results[:4]] == [Verdict.SENT] * 4
    limited = results[4].outcome
    # Not an attempt (nothing was done), not the channel's fault, and the wait travels with the outcome.
    assert (limited.verdict, limited.reason, limited.channel_fault) == (Verdict.REQUEUE, "gwapi.rate_limited", False)
    match = re.search(r"retry after ([0-9.]+) s", limited.detail)
    assert match and 0 < float(match.group(1)) <= 0.25
    assert limited.retry_after is not None and abs(limited.retry_after - float(match.group(1))) <= 0.05
    started = time.monotonic()
    retried = gateway.send_batch([sms("r4")])[0]  # waits out the rest of the wait first, then goes
    assert retried.outcome.verdict is Verdict.SENT
    assert time.monotonic() - started >= float(match.group(1)) - 0.1
    assert len(sim.books_of("demo").accepted) == 5


def test_5xx_and_maintenance_are_retries_and_nothing_was_charged(sim: GatewaySim, gateway: VendorGateway) -> None:
    sim.fail_next(Fault.ERROR)
    outcome = gateway.send_batch([sms("1")])[0].outcome
    assert (outcome.verdict, outcome.reason, outcome.channel_fault) == (Verdict.RETRY, "gwapi.internal_error", True)
    assert sim.books_of("demo").accepted == ()
    assert gateway.send_batch([sms("1")])[0].outcome.verdict is Verdict.SENT

    sim.set_maintenance(True, retry_after=60)
    outcome = gateway.send_batch([sms("2")])[0].outcome
    assert (outcome.verdict, outcome.reason, outcome.retry_after) == (Verdict.RETRY, "gwapi.maintenance", 60.0)
    requests = sim.books_of("demo").send_requests
    held = gateway.send_batch([sms("2")])[0].outcome  # 60 s is longer than the adapter waits: held, not sent
    assert (held.verdict, held.reason) == (Verdict.REQUEUE, "gwapi.held")
    assert held.retry_after is not None and 59 < held.retry_after <= 60
    assert sim.books_of("demo").send_requests == requests and len(sim.books_of("demo").accepted) == 1


def test_a_timeout_after_the_request_left_is_settled_by_query(sim: GatewaySim, gateway: VendorGateway) -> None:
    sim.fail_next(Fault.TIMEOUT)  # accepted and charged, then never answered
    results = gateway.send_batch([sms("t1"), sms("t2", "+86123")])
    by_id = {r.client_id: r for r in results}
    assert by_id["t1"].outcome.verdict is Verdict.SENT and by_id["t1"].cost_fen == 5
    assert by_id["t1"].outcome.refs == (sim.books_of("demo").by_client_id()["t1"].gateway_id,)
    assert verdicts(results)["t2"] == (Verdict.FAILED, "gwapi.invalid_number")

    sim.fail_next(Fault.LOST)  # never arrived: the query says so, and a resend under the same id is safe
    lost = gateway.send_batch([sms("l1")])[0].outcome
    assert (lost.verdict, lost.reason) == (Verdict.RETRY, "gwapi.not_received")
    assert "l1" not in sim.books_of("demo").by_client_id()
    assert gateway.send_batch([sms("l1")])[0].outcome.verdict is Verdict.SENT

    sim.fail_next(Fault.DISCONNECT)  # done, then the connection dropped
    assert gateway.send_batch([sms("d1")])[0].outcome.verdict is Verdict.SENT

    sim.fail_next(Fault.TIMEOUT, 2, path=None)  # the send and its query both go unanswered
    unknown = gateway.send_batch([sms("u1")])[0].outcome
    assert (unknown.verdict, unknown.reason, unknown.channel_fault) == (Verdict.UNKNOWN, "gwapi.unknown", True)
    assert "u1" in sim.books_of("demo").by_client_id()  # it did go: only a query could tell, later
    settled = gateway.query(["u1", "never-sent"])
    assert verdicts(settled) == {"u1": (Verdict.SENT, ""), "never-sent": (Verdict.RETRY, "gwapi.not_received")}
    sim.fail_next(Fault.ERROR, path="/v1/sms/query")
    assert gateway.query(["u1"]) == []  # the gateway cannot say
    books = sim.books_of("demo")
    assert sorted(r.client_id for r in books.accepted) == ["d1", "l1", "t1", "u1"] and books.charged_fen == 20
    _assert_books(sim)


def test_a_malformed_answer_is_unknown_unless_a_query_clears_it(sim: GatewaySim, gateway: VendorGateway) -> None:
    sim.fail_next(Fault.MALFORMED)
    cleared = gateway.send_batch([sms("m1"), sms("m2", OTHER)])
    assert [r.outcome.verdict for r in cleared] == [Verdict.SENT, Verdict.SENT]
    assert [r.cost_fen for r in cleared] == [5, 5]
    sim.fail_next(Fault.MALFORMED, 2, path=None)
    unknown = gateway.send_batch([sms("m3")])[0].outcome
    assert (unknown.verdict, unknown.reason) == (Verdict.UNKNOWN, "gwapi.unknown")
    assert "not a JSON object" in unknown.detail
    assert len(sim.books_of("demo").accepted) == 3


def test_zero_balance_is_a_rejection_for_later(sim: GatewaySim, gateway: VendorGateway) -> None:
    sim.set_balance("demo", 0)
    outcome = gateway.send_batch([sms("z1")])[0].outcome
    assert (outcome.verdict, outcome.reason, outcome.channel_fault) == (
        Verdict.RETRY,
        "gwapi.insufficient_balance",
        True,
    )
    assert outcome.detail.startswith("INSUFFICIENT_BALANCE")
    assert gateway.balance().fen == 0
    sim.top_up("demo", 5)
    results = gateway.send_batch([sms("z1"), sms("z2")])  # enough for one
    assert verdicts(results) == {"z1": (Verdict.SENT, ""), "z2": (Verdict.RETRY, "gwapi.insufficient_balance")}
    assert gateway.balance().fen == 0 == sim.books_of("demo").balance_fen
    _assert_books(sim)


def test_refusals_of_the_channel_requeue_the_messages(sim: GatewaySim) -> None:
    wrong = VendorGateway("g", sim.url, "demo", key="not-the-key")
    unknown = VendorGateway("g", sim.url, "nobody", key=KEY)
    right = VendorGateway("g", sim.url, "demo", key=KEY)
    try:
        for adapter, reason in ((wrong, "gwapi.bad_signature"), (unknown, "gwapi.unknown_account")):
            outcome = adapter.send_batch([sms("1")])[0].outcome
            assert (outcome.verdict, outcome.reason, outcome.channel_fault) == (Verdict.REQUEUE, reason, True)
            with pytest.raises(GatewayError):
                adapter.balance()
        sim.fail_next(Fault.BAD_SIGNATURE)
        assert right.send_batch([sms("1")])[0].outcome.verdict is Verdict.REQUEUE
        sim.disable_account("demo")
        assert verdicts(right.send_batch([sms("1")])) == {"1": (Verdict.REQUEUE, "gwapi.account_disabled")}
        assert sim.books_of("demo").accepted == ()
    finally:
        for adapter in (wrong, unknown, right):
            adapter.close()


def test_an_unreachable_gateway_is_a_retry_and_nothing_left() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    adapter = VendorGateway("g", f"http://127.0.0.1:{port}", "demo", key=KEY, connect_timeout=0.5)
    try:
        outcome = adapter.send_batch([sms("1")])[0].outcome
        assert (outcome.verdict, outcome.reason, outcome.channel_fault) == (Verdict.RETRY, "gwapi.unreachable", True)
        with pytest.raises(GatewayError):
            adapter.fetch_reports()
    finally:
        adapter.close()


def test_reports_by_pull_once_per_cursor(sim: GatewaySim, gateway: VendorGateway) -> None:
    sim.set_undeliverable("demo", [OTHER])
    gateway.send_batch([sms("1"), sms("2", OTHER), sms("3")])
    sim.deliver_reports_now()
    reports = gateway.fetch_reports()
    assert [(r.client_id, r.phone, r.delivered, r.status) for r in reports] == [
        ("1", PHONE, True, "DELIVRD"),
        ("2", OTHER, False, "UNDELIV"),
        ("3", PHONE, True, "DELIVRD"),
    ]
    books = sim.books_of("demo").by_client_id()
    assert [r.gateway_id for r in reports] == [books[c].gateway_id for c in ("1", "2", "3")]
    assert all(r.at.tzinfo is dt.UTC for r in reports)
    assert gateway.fetch_reports() == []
    cursor = gateway.report_cursor
    gateway.send_batch([sms("4")])
    sim.deliver_reports_now()
    # A restarted adapter that kept its cursor sees only what is new; one that did not, everything again.
    kept = VendorGateway("g", sim.url, "demo", key=KEY, report_cursor=cursor)
    fresh = VendorGateway("g", sim.url, "demo", key=KEY)
    try:
        assert [r.client_id for r in kept.fetch_reports()] == ["4"]
        assert [r.client_id for r in fresh.fetch_reports()] == ["1", "2", "3", "4"]
    finally:
        kept.close()
        fresh.close()
    sim.fail_next(Fault.MALFORMED, path="/v1/reports")
    with pytest.raises(GatewayError):
        gateway.fetch_reports()
    assert [r.client_id for r in gateway.fetch_reports()] == ["4"]  # the cursor did not move past a bad page


class _Listener:
    """The office's end of callbacks: a real HTTP listener that checks each callback with read_callback."""

    def __init__(self, key: str, fail_first: int = 0) -> None:
        self.reports: list[GatewayReport] = []
        self.refused: list[str] = []
        self.fail_first = fail_first
        self.nonces = signing.NonceCache()
        listener = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = 204
                if listener.fail_first > 0:
                    listener.fail_first -= 1
                    status = 500
                else:
                    try:
                        listener.reports += read_callback(
                            Secret(key),
                            method="POST",
                            target=self.path,
                            headers=self.headers,
                            body=body,
                            nonces=listener.nonces,
                            account="demo",
                        )
                    except CallbackRejected as exc:
                        listener.refused.append(exc.code)
                        status = exc.http
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/sms?site=3"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def _wait_for(condition, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_reports_by_callback_signed_and_retried(sim: GatewaySim, gateway: VendorGateway) -> None:
    listener = _Listener(KEY, fail_first=2)
    try:
        gateway.set_callback(listener.url)
        assert gateway.account_info()["callback_url"] == listener.url
        sim.set_undeliverable("demo", [OTHER])
        gateway.send_batch([sms("1"), sms("2", OTHER)])
        # The listener has them before its answer reaches the gateway, which counts them then.
        _wait_for(lambda: sim.books_of("demo").callbacks_delivered == 2)
        assert [(r.client_id, r.delivered) for r in listener.reports] == [("1", True), ("2", False)]
        assert listener.refused == [] and listener.fail_first == 0  # two refusals, then taken
        # The same reports can still be pulled.
        assert [r.client_id for r in gateway.fetch_reports()] == ["1", "2"]

        # A callback forged with another key is refused by the receiver.
        with GatewaySim() as forger:
            forger.add_account("demo", "a-guessed-key", balance_fen=100)
            forged = VendorGateway("g", forger.url, "demo", key="a-guessed-key")
            try:
                forged.set_callback(listener.url)
                forged.send_batch([sms("f1")])
                forger.deliver_reports_now()
                _wait_for(lambda: listener.refused == ["BAD_SIGNATURE"])
            finally:
                forged.close()
        gateway.set_callback(None)
        gateway.send_batch([sms("3")])
        sim.deliver_reports_now()
        assert gateway.account_info()["callback_url"] is None
        assert [r.client_id for r in listener.reports] == ["1", "2"]
    finally:
        listener.close()


def test_replies_by_pull(sim: GatewaySim, gateway: VendorGateway) -> None:
    at = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    reply_id = sim.inject_reply(PHONE, "TD", at=at)
    sim.inject_reply(OTHER, "收到，谢谢")
    replies = gateway.fetch_replies()
    assert [(r.sender, r.text) for r in replies] == [(PHONE, "TD"), (OTHER, "收到，谢谢")]
    assert replies[0].received_at == at and replies[0].gateway_id == reply_id
    assert gateway.fetch_replies() == []
    sim.inject_reply(PHONE, "好的")
    assert [r.text for r in gateway.fetch_replies()] == ["好的"]


def test_balance_account_and_limits(sim: GatewaySim, gateway: VendorGateway) -> None:
    gateway.send_batch([sms("1", text="通" * 71)])
    balance = gateway.balance()
    assert balance.fen == 9_990 == sim.books_of("demo").balance_fen
    assert '"simulated": true' in balance.raw
    sim.set_limits("demo", max_batch=200, requests_per_second=50)
    limits = gateway.refresh_limits()
    assert (limits.max_batch, limits.requests_per_second) == (200, 50.0)
    assert gateway.limits == limits and limits.reports is ReportMode.PULL


def test_many_batches_in_flight_at_once(sim: GatewaySim) -> None:
    sim.latency = 0.01
    adapter = VendorGateway("g", sim.url, "demo", key=KEY, max_batch=50, concurrency=4)
    results: list = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        for b in range(5):
            batch = [sms(f"{n}-{b}-{i}", text=f"第{i}条") for i in range(50)]
            out = adapter.send_batch(batch)
            with lock:
                results.extend(out)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        adapter.close()
    assert len(results) == 1000 and all(r.outcome.verdict is Verdict.SENT for r in results)
    books = sim.books_of("demo")
    assert len(books.accepted) == 1000 and books.charged_fen == sum(r.cost_fen for r in results) == 5000
    _assert_books(sim)


def test_only_https_except_on_loopback() -> None:
    for url in ("http://gateway.example.com", "http://192.168.1.10:8780", "ftp://127.0.0.1", "gateway.example.com"):
        with pytest.raises(ValidationError):
            VendorGateway("g", url, "demo", key=KEY)
    for url in ("http://127.0.0.1:8780", "http://localhost:8780", "http://[::1]:8780", "https://gateway.example.com"):
        VendorGateway("g", url, "demo", key=KEY).close()


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A private CA and a certificate for 127.0.0.1 signed by it (PEM files: ca, cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "smsjingling test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


def test_certificates_are_checked(tmp_path: Path) -> None:
    ca, cert, key = _certificates(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with GatewaySim(tls=context) as tls_sim:
        tls_sim.add_account("demo", KEY)
        assert tls_sim.url.startswith("https://127.0.0.1:")
        untrusting = VendorGateway("g", tls_sim.url, "demo", key=KEY)
        trusting = VendorGateway("g", tls_sim.url, "demo", key=KEY, ca_file=str(ca))
        try:
            refused = untrusting.send_batch([sms("1")])[0].outcome
            assert (refused.verdict, refused.reason) == (Verdict.RETRY, "gwapi.unreachable")
            assert "CERTIFICATE_VERIFY_FAILED" in refused.detail
            assert trusting.send_batch([sms("1")])[0].outcome.verdict is Verdict.SENT
        finally:
            untrusting.close()
            trusting.close()
        assert [r.client_id for r in tls_sim.books_of("demo").accepted] == ["1"]


def test_the_key_comes_from_the_keyring(sim: GatewaySim, memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(GatewayKeyMissing) as missing:
        VendorGateway("网关一", sim.url, "demo")
    assert "网关一" in str(missing.value)
    keys.store_key("网关一", KEY)
    assert memory_keyring.entries == {("smsjingling", "gateway-key:网关一"): KEY}
    adapter = VendorGateway("网关一", sim.url, "demo")
    try:
        assert adapter.send_batch([sms("k1")])[0].outcome.verdict is Verdict.SENT
    finally:
        adapter.close()
    keys.delete_key("网关一")
    keys.delete_key("网关一")  # a second time is no error
    assert memory_keyring.entries == {}


def test_the_key_never_reaches_logs_reprs_or_errors(
    sim: GatewaySim, memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # everything, httpx's and httpcore's own debug lines included
    keys.store_key("secret-channel", KEY)
    adapter = VendorGateway("secret-channel", sim.url, "demo", timeout=0.3)
    texts: list[str] = [repr(adapter), str(adapter), repr(adapter._key), str(keys.load_key("secret-channel"))]
    try:
        sim.fail_next(Fault.TIMEOUT, 2, path=None)
        sim.fail_next(Fault.MALFORMED)
        sim.fail_next(Fault.ERROR, path="/v1/account")
        for r in adapter.send_batch([sms("s1")]) + adapter.send_batch([sms("s2")]):
            texts += [repr(r), r.outcome.detail]
        with pytest.raises(GatewayError) as caught:
            adapter.balance()
        texts += [str(caught.value), repr(caught.value), repr(caught.value.params)]
        sim.set_balance("demo", 0)
        texts += [repr(r) for r in adapter.send_batch([sms("s3")])]
        wrong_account = VendorGateway("secret-channel", sim.url, "nobody", timeout=0.3)
        texts += [repr(r) for r in wrong_account.send_batch([sms("s4")])]
        wrong_account.close()
        sim.deliver_reports_now()
        texts += [repr(r) for r in adapter.fetch_reports()]
        with pytest.raises(TypeError):
            pickle.dumps(adapter._key)
    finally:
        adapter.close()
    records = caplog.get_records("call")
    assert records  # there was logging to look at
    texts += [r.getMessage() for r in records] + [repr(r.args) for r in records] + [caplog.text]
    assert not [t for t in texts if KEY in t]
    assert not [r for r in records if r.levelno >= logging.WARNING]
