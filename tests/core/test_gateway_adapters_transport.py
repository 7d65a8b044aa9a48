"""What every third-party adapter shares: certificates checked against a real TLS server on loopback, an
extra CA bundle for a LAN service, the pool bounded by the declared concurrency, which URLs may go over
plain http, and the masking of secrets."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from smsjingling.gateway.base import OutboundSms
from smsjingling.gateway.errors import InsecureGatewayUrl
from smsjingling.gateway.generic import GenericAdapter, GenericConfig
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.redaction import MASK, guard_logger, md5_secret, redact, remember
from smsjingling.gateway.transport import HttpSettings, check_url
from smsjingling.sending.outcome import Verdict
from tests.core.gateway_peers import LoopbackServer, Reply, Request, memory_keyring

CHANNEL = "tls-vendor"


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, signed by its own key: what no public CA vouches for."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "smsjingling test vendor")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "vendor.pem", directory / "vendor.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.fixture
def ring():
    with memory_keyring(**{CHANNEL: "tls-secret"}) as r:
        yield r


@pytest.fixture
def tls_server(tmp_path):
    cert, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with LoopbackServer(lambda request: Reply(200, "OK"), tls=context) as server:
        server.cert = cert  # type: ignore[attr-defined]
        yield server


def config(url: str, **http) -> GenericConfig:
    return GenericConfig(url=url + "/send?to={phone}&msg={text}", success="^OK", http=HttpSettings(**http))


def test_a_certificate_no_trusted_authority_signed_is_refused_before_anything_is_sent(tls_server, ring):
    with GenericAdapter(config(tls_server.url), channel=CHANNEL) as adapter:
        [result] = adapter.send_batch([OutboundSms("1", "+8613900000001", "x")])
    o = result.outcome
    assert (o.verdict, o.reason, o.channel_fault) == (Verdict.REQUEUE, "gateway.unreachable", True)
    assert "CERTIFICATE_VERIFY_FAILED" in o.detail
    assert tls_server.requests == []


def test_an_extra_ca_bundle_lets_a_lan_service_with_its_own_certificate_in(tls_server, ring):
    with GenericAdapter(config(tls_server.url, ca_file=str(tls_server.cert)), channel=CHANNEL) as adapter:
        [result] = adapter.send_batch([OutboundSms("1", "+8613900000001", "x")])
    assert result.outcome.verdict is Verdict.SENT
    assert len(tls_server.requests) == 1


def test_the_pool_holds_at_most_the_declared_concurrency(ring):
    in_flight, peak, lock = 0, 0, threading.Lock()

    def slow(request: Request) -> Reply:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.05)
        with lock:
            in_flight -= 1
        return Reply(200, "OK")

    with LoopbackServer(slow) as server:
        adapter = GenericAdapter(config(server.url, concurrency=3, timeout=5), channel=CHANNEL)
        with adapter, ThreadPoolExecutor(8) as pool:
            results = list(
                pool.map(lambda n: adapter.send_batch([OutboundSms(str(n), "+8613900000001", "x")]), range(24))
            )
        assert adapter.limits.concurrency == 3
    assert all(r[0].outcome.verdict is Verdict.SENT for r in results)
    assert peak == 3 and server.connections == 3  # three kept-alive connections carried all 24 requests


@pytest.mark.parametrize(
    ("url", "lan", "allowed"),
    [
        ("https://api.example.cn/send", False, True),
        ("http://127.0.0.1:13013/cgi-bin/sendsms", False, True),
        ("http://127.8.9.10:80/x", False, True),
        ("http://localhost:13013/x", False, True),
        ("http://[::1]:13013/x", False, True),
        ("http://192.168.1.20:13013/x", False, False),
        ("http://192.168.1.20:13013/x", True, True),
        ("http://api.example.cn/send", False, False),
        ("ftp://api.example.cn/send", True, False),
        ("not a url", False, False),
    ],
)
def test_which_urls_may_carry_a_secret(url, lan, allowed):
    if allowed:
        assert check_url(url, insecure_lan_http=lan).host
    else:
        with pytest.raises(InsecureGatewayUrl):
            check_url(url, insecure_lan_http=lan)


def test_every_form_of_a_remembered_secret_is_masked(caplog):
    secret = remember(Secret("p@ss word/密"))
    digest = md5_secret(secret).reveal()
    text = f"u=a&p={digest}&P={digest.upper()}&pw=p%40ss%20word%2F%E5%AF%86&q=p%40ss+word%2F%E5%AF%86 p@ss word/密"
    assert redact(text) == f"u=a&p={MASK}&P={MASK}&pw={MASK}&q={MASK} {MASK}"
    log = guard_logger("tests.gateway.redaction")
    with caplog.at_level(logging.INFO, logger="tests.gateway.redaction"):
        log.info("calling %s", f"https://x/?p={digest}")
    assert caplog.records[-1].getMessage() == f"calling https://x/?p={MASK}"
    assert repr(secret) == "Secret('***')" and str(secret) == "Secret('***')"
