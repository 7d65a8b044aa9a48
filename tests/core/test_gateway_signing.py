"""Request signing of the vendor gateway API: the documented example, what the gateway refuses over real HTTP
(wrong key, tampered body, old or future timestamp, a replayed request), and the callback receiver."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from smsjingling.gateway import signing
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.sim import GatewaySim
from smsjingling.gateway.vendor_callback import CallbackRejected, read_callback

KEY = Secret("demo-key-0123456789abcdef")
DOC_BODY = (
    '{"messages":[{"client_id":"10001","phone":"+8613800138000","text":"【星光物业】明天9:00停水，请提前储水。回TD退订"},'
    '{"client_id":"10002","phone":"+86123","text":"【星光物业】明天9:00停水，请提前储水。回TD退订"}]}'
).encode()


@pytest.fixture
def sim() -> Iterator[GatewaySim]:
    with GatewaySim(report_delay=0.05) as s:
        s.add_account("demo", KEY.reveal(), balance_fen=1000)
        yield s


def test_the_documented_examples_sign_as_the_document_says() -> None:
    ts = "1767225600"
    assert (
        signing.signature(KEY, "POST", "/v1/sms/batch", ts, "q3Vw7n2LkP0xY5zA8bC4dE1f", DOC_BODY)
        == "e30c3c562b36d874675b7058fe48c3ae500c1db971b00ec843373c021e948755"
    )
    assert (
        signing.signature(KEY, "GET", "/v1/reports?limit=500&cursor=41", ts, "Zx8Kp1Lm4Nq7Rs0Tu3Vw6Xy9", b"")
        == "03deae48b6806a1e0cfb34e8935dcf79ce6160880f4b696be2592418c6484851"
    )
    # Everything signed changes the signature: method, target, time, nonce, body.
    base = ("POST", "/v1/sms/batch", ts, "q3Vw7n2LkP0xY5zA8bC4dE1f", DOC_BODY)
    variants = [
        ("PUT", *base[1:]),
        (base[0], "/v1/sms/query", *base[2:]),
        (*base[:2], "1767225601", *base[3:]),
        (*base[:3], "q3Vw7n2LkP0xY5zA8bC4dE1g", base[4]),
        (*base[:4], DOC_BODY.replace(b"10001", b"10003")),
    ]
    signatures = {signing.signature(KEY, *v) for v in [base, *variants]}
    assert len(signatures) == 6


def test_nonces_are_refused_once_seen_and_forgotten_after_the_window() -> None:
    cache = signing.NonceCache(window=600)
    assert cache.add("demo", "n" * 16, now=1000.0)
    assert not cache.add("demo", "n" * 16, now=1001.0)
    assert cache.add("other", "n" * 16, now=1001.0)  # per account
    assert cache.add("demo", "m" * 16, now=1700.0)  # the purge ran: the old ones are gone
    assert len(cache) == 1
    assert cache.add("demo", "n" * 16, now=1700.0)


_client = httpx.Client(timeout=5, trust_env=False)


def _post(sim: GatewaySim, headers: dict[str, str], body: bytes, target: str = "/v1/sms/batch") -> httpx.Response:
    return _client.post(sim.url + target, content=body, headers=headers)


def _error(response: httpx.Response) -> str:
    return response.json()["error"]["code"]


def test_the_gateway_refuses_wrong_keys_tampering_stale_times_and_replays(sim: GatewaySim) -> None:
    body = b'{"messages":[{"client_id":"a1","phone":"+8613800138000","text":"hi"}]}'

    wrong = signing.signed_headers("demo", Secret("not-the-key"), "POST", "/v1/sms/batch", body)
    r = _post(sim, wrong, body)
    assert r.status_code == 401 and _error(r) == "BAD_SIGNATURE" and r.json()["error"]["retry"] == "never"

    good = signing.signed_headers("demo", KEY, "POST", "/v1/sms/batch", body)
    r = _post(sim, good, body.replace(b"a1", b"a2"))  # the body changed after signing
    assert r.status_code == 401 and _error(r) == "BAD_SIGNATURE"
    r = _post(sim, good, body, target="/v1/sms/query")  # signed for another path
    assert r.status_code == 401 and _error(r) == "BAD_SIGNATURE"

    for skew in (-400, +400):
        stale = signing.signed_headers("demo", KEY, "POST", "/v1/sms/batch", body, now=time.time() + skew)
        r = _post(sim, stale, body)
        assert r.status_code == 401 and _error(r) == "TIMESTAMP_OUT_OF_WINDOW"
    within = signing.signed_headers("demo", KEY, "POST", "/v1/sms/batch", body, now=time.time() - 240)
    assert _post(sim, within, body).status_code == 200

    fresh = signing.signed_headers("demo", KEY, "POST", "/v1/sms/batch", body)
    first, replay = _post(sim, fresh, body), _post(sim, fresh, body)
    assert first.status_code == 200
    assert replay.status_code == 401 and _error(replay) == "NONCE_REUSED"

    unknown = signing.signed_headers("nobody", KEY, "POST", "/v1/sms/batch", body)
    assert _error(_post(sim, unknown, body)) == "UNKNOWN_ACCOUNT"
    assert _error(_post(sim, {}, body)) == "UNKNOWN_ACCOUNT"
    no_nonce = {k: v for k, v in good.items() if k != signing.HEADER_NONCE}
    assert _error(_post(sim, no_nonce, body)) == "BAD_SIGNATURE"

    books = sim.books_of("demo")
    # Of all those requests, two were done: the one signed 4 minutes ago, and the first of the pair.
    assert books.send_requests == 2 and [r.client_id for r in books.accepted] == ["a1"]
    assert books.charged_fen == 5


def _callback(body: bytes, target: str = "/hook?site=3", **kw: object) -> tuple[dict[str, str], bytes]:
    headers = signing.signed_headers("demo", KEY, "POST", target, body, **kw)  # type: ignore[arg-type]
    return headers, body


REPORTS = json.dumps(
    {
        "account": "demo",
        "reports": [
            {
                "client_id": "7",
                "gateway_id": "SJ000000000007",
                "phone": "+8613800138000",
                "status": "DELIVRD",
                "delivered": True,
                "segments": 1,
                "submitted_at": "2026-01-01T00:00:00.012Z",
                "done_at": "2026-01-01T00:00:03.120Z",
            },
            {
                "client_id": "8",
                "gateway_id": "SJ000000000008",
                "phone": "+8613900139000",
                "status": "UNDELIV",
                "delivered": False,
                "segments": 2,
                "submitted_at": "2026-01-01T00:00:00.012Z",
                "done_at": "2026-01-01T00:00:04.000Z",
            },
        ],
    }
).encode()


def test_a_callback_is_read_only_when_signed_fresh_and_new() -> None:
    nonces = signing.NonceCache()
    headers, body = _callback(REPORTS)
    reports = read_callback(KEY, method="POST", target="/hook?site=3", headers=headers, body=body, nonces=nonces)
    assert [(r.client_id, r.gateway_id, r.delivered, r.status) for r in reports] == [
        ("7", "SJ000000000007", True, "DELIVRD"),
        ("8", "SJ000000000008", False, "UNDELIV"),
    ]
    assert reports[0].at.isoformat() == "2026-01-01T00:00:03.120000+00:00"

    def refused(**changes: object) -> CallbackRejected:
        args: dict = {"method": "POST", "target": "/hook?site=3", "headers": headers, "body": body, "nonces": nonces}
        args.update(changes)
        with pytest.raises(CallbackRejected) as caught:
            read_callback(args.pop("key", KEY), **args)
        return caught.value

    assert refused().code == "NONCE_REUSED"  # the same callback again: a replay
    h2, b2 = _callback(REPORTS)
    assert refused(headers=h2, body=b2.replace(b"UNDELIV", b"DELIVRD")).code == "BAD_SIGNATURE"
    assert refused(headers=h2, body=b2, key=Secret("other")).code == "BAD_SIGNATURE"
    assert refused(headers=h2, body=b2, target="/hook?site=4").code == "BAD_SIGNATURE"
    assert refused(headers=h2, body=b2, account="someone-else").code == "UNKNOWN_ACCOUNT"
    assert refused(headers=h2, body=b2, method="GET").http == 405
    old_h, old_b = _callback(REPORTS, now=time.time() - 301)
    assert refused(headers=old_h, body=old_b).code == "TIMESTAMP_OUT_OF_WINDOW"
    bad_h, bad_b = _callback(b'{"account": "demo", "reports": [{"phone": "+86"}]}')
    rejected = refused(headers=bad_h, body=bad_b)
    assert rejected.code == "MALFORMED_REQUEST" and rejected.http == 400
    # Headers arrive in any case from a real listener.
    lower_h, lower_b = _callback(REPORTS)
    lowered = {k.lower(): v for k, v in lower_h.items()}
    assert (
        len(read_callback(KEY, method="post", target="/hook?site=3", headers=lowered, body=lower_b, nonces=nonces)) == 2
    )
