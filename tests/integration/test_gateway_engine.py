"""The gateway in the sending engine, against the bundled simulator (real HTTP on loopback) and a small Kannel
on loopback: money held when the scheduler queues a campaign, pulled reports and replies continuing from
their saved cursors after a restart, the gateway's 429 wait honoured, reports pushed to our listener, and the
balance reconciled on a schedule and on demand."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from smsjingling.account.accounts import Accounts
from smsjingling.account.ledger import Ledger
from smsjingling.gateway.keys import Secret
from smsjingling.gateway.receiver import PUSH_PORT
from smsjingling.gateway.signing import signed_headers
from smsjingling.gateway.sim.faults import Fault
from smsjingling.gateway.sim.server import GatewaySim
from smsjingling.sending.billing import RECONCILE_MINUTES
from smsjingling.sending.campaigns import CampaignRequest
from smsjingling.sending.channels import DEMO_GATEWAY_KEY, Channels, add_gateway
from smsjingling.sending.expand import Recipients
from smsjingling.sending.rules import MAINTENANCE_WINDOW, MAX_ATTEMPTS
from smsjingling.sending.service import SendingService
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.accounts import Account
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Campaign, CampaignStatus, InboundMessage, Message, MessageEvent, MessageStatus
from smsjingling.storage.types import utcnow
from tests.core.gateway_peers import LoopbackServer, Reply, Request, memory_keyring
from tests.core.sending_helpers import wait_until


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):
        return self.now


@pytest.fixture
def sim() -> Iterator[GatewaySim]:
    gateway = GatewaySim(report_delay=0.05, seed=1)
    gateway.add_account("office", DEMO_GATEWAY_KEY, balance_fen=1000, price_fen=5)
    gateway.start()
    yield gateway
    gateway.stop()


def office(db: Database, sim: GatewaySim, **options) -> tuple[int, Ledger]:
    settings = Settings(db)
    settings.set(SIGNATURE, "测试单位")
    settings.set(MAINTENANCE_WINDOW, "")
    settings.set(RECONCILE_MINUTES, 0)
    channel = add_gateway(db, "网关", sim.url, "office", demo=True, **{"poll_seconds": 0.1, **options})
    Accounts(db).open("网关")
    ledger = Ledger.for_channel(db, channel)
    ledger.top_up(1000, "opening balance, as the vendor's")
    return channel, ledger


def numbers(prefix: str, n: int) -> tuple[str, ...]:
    return tuple(f"139{prefix}{i:04d}" for i in range(n))


def statuses(db: Database, cid: int) -> dict[str, int]:
    with db.reader() as s:
        return dict(
            s.execute(
                select(Message.status, func.count()).where(Message.campaign_id == cid).group_by(Message.status)
            ).all()
        )


# --- money held when the scheduler queues ---------------------------------------------------------------


def test_a_scheduled_gateway_send_is_held_when_the_scheduler_queues_it(db: Database, sim: GatewaySim) -> None:
    _, ledger = office(db, sim)
    clock = Clock()
    service = SendingService(db, clock=clock, demo_if_empty=False, schedule_seconds=3600)
    later = clock.now + timedelta(hours=1)
    cid = service.campaigns.create(
        CampaignRequest("停水通知", Recipients(numbers=numbers("0000", 6)), start_at=later, channel_policy="gateway")
    )
    assert ledger.open_reservations() == []  # nothing queued, nothing held
    clock.now = later + timedelta(minutes=1)
    service.schedule_tick()  # the scheduler queues it: held in the same transaction
    held = ledger.open_reservations(cid)
    assert len(held) == 6 and sum(h.fen for h in held) == 30
    assert ledger.available() == 970 and statuses(db, cid) == {"queued": 6}

    later = clock.now + timedelta(hours=1)
    too_big = service.campaigns.create(
        CampaignRequest("通知", Recipients(numbers=numbers("0001", 300)), start_at=later, channel_policy="gateway")
    )
    clock.now = later + timedelta(minutes=1)
    service.schedule_tick()  # 300 x 5 fen > the 9.70 yuan available: refused, the shortfall stated
    assert statuses(db, too_big) == {"blocked": 300}
    with db.reader() as s:
        reason, detail = s.execute(select(Message.reason, Message.error).where(Message.campaign_id == too_big)).first()
        assert s.get(Campaign, too_big).status == CampaignStatus.COMPLETED
    assert reason == "send.no_funds"
    assert "还差 5.30 元" in detail  # 15.00 needed, 9.70 available
    assert ledger.available() == 970 and len(ledger.open_reservations(too_big)) == 0

    with service:
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 6)
    assert ledger.balance() == sim.books_of("office").balance_fen == 970
    assert ledger.open_reservations() == [] and ledger.verify().ok


# --- cursors ---------------------------------------------------------------------------------------------


def test_pulled_reports_and_replies_continue_from_their_saved_cursors(db: Database, sim: GatewaySim) -> None:
    office(db, sim)
    sim.state.report_delay = 3600  # the reports come while the program is not running
    with SendingService(db, demo_if_empty=False, schedule_seconds=3600) as service:
        cid = service.campaigns.create(
            CampaignRequest("通知", Recipients(numbers=numbers("0002", 10)), channel_policy="gateway")
        )
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.SENT] == 10)
    sim.deliver_reports_now()
    sim.inject_reply("+8613900020001", "收到，谢谢")

    with SendingService(db, demo_if_empty=False, schedule_seconds=3600) as service:
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 10)
        wait_until(lambda: Channels(db).gateway("网关").config.get("cursors") == {"reports": "10", "replies": "1"})
    with db.reader() as s:
        delivered = s.execute(
            select(MessageEvent.message_id, func.count())
            .where(MessageEvent.status == MessageStatus.DELIVERED.value)
            .group_by(MessageEvent.message_id)
        ).all()
        assert len(delivered) == 10 and {n for _, n in delivered} == {1}
        assert s.execute(select(func.count()).select_from(InboundMessage)).scalar() == 1

    sim.inject_reply("+8613900020002", "好的")
    with SendingService(db, demo_if_empty=False, schedule_seconds=3600) as service:
        [worker] = service.gateway_workers()
        assert (worker.adapter.report_cursor, worker.adapter.reply_cursor) == ("10", "1")  # not from the start
        wait_until(lambda: Channels(db).gateway("网关").config["cursors"]["replies"] == "2")
    with db.reader() as s:
        assert s.execute(select(func.count()).select_from(InboundMessage)).scalar() == 2


# --- 429 -------------------------------------------------------------------------------------------------


def test_the_gateways_429_wait_is_honoured_and_not_counted_as_an_attempt(db: Database, sim: GatewaySim) -> None:
    office(db, sim, max_batch=5, poll_seconds=5.0)  # polls share the account's rate: not ten a second here
    sim.set_limits("office", requests_per_second=2)  # a burst of 2, then one every 0.5 s
    sim.state.account("office").tokens = 0  # and the burst spent: the worker's first requests meet the limit
    # The worker would learn the declared rate from GET /v1/account and never meet the limit: not this time.
    sim.fail_next(Fault.ERROR, path="/v1/account")
    started = time.monotonic()
    with SendingService(db, demo_if_empty=False, schedule_seconds=3600) as service:
        cid = service.campaigns.create(
            CampaignRequest("通知", Recipients(numbers=numbers("0003", 40)), channel_policy="gateway")
        )
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.SENT] >= 40, timeout=30)
    took = time.monotonic() - started
    with db.reader() as s:
        attempts = set(s.execute(select(Message.attempts).where(Message.campaign_id == cid)).scalars())
        limited = s.execute(
            select(MessageEvent.message_id, MessageEvent.at)
            .join(Message, Message.id == MessageEvent.message_id)
            .where(Message.campaign_id == cid, MessageEvent.reason == "gwapi.rate_limited")
        ).all()
    assert limited  # the gateway did say 429 ...
    assert attempts == {1}  # ... which cost no message an attempt
    # ... and was waited out: a message met the limit again only after the wait (0.5 s at most), never at
    # once, nor after the minute-long backoff of a failure (8 requests at 2 a second take seconds).
    times: dict[int, list] = {}
    for mid, at in limited:
        times.setdefault(mid, []).append(at)
    gaps = [(b - a).total_seconds() for ts in times.values() for a, b in zip(sorted(ts), sorted(ts)[1:], strict=False)]
    assert all(gap >= 0.2 for gap in gaps), gaps
    assert took < 25 and len(sim.books_of("office").accepted) == 40


def test_the_worker_sends_at_the_rate_the_gateway_declares(db: Database, sim: GatewaySim) -> None:
    office(db, sim, max_batch=5, poll_seconds=3600)
    sim.set_limits("office", requests_per_second=4)  # declared in GET /v1/account, which the worker reads
    started = time.monotonic()
    with SendingService(db, demo_if_empty=False, schedule_seconds=3600) as service:
        cid = service.campaigns.create(
            CampaignRequest("通知", Recipients(numbers=numbers("0008", 40)), channel_policy="gateway")
        )
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.SENT] >= 40, timeout=30)
        [worker] = service.gateway_workers()
        assert worker.adapter.limits.requests_per_second == 4
    with db.reader() as s:
        limited = s.execute(select(func.count()).where(MessageEvent.reason == "gwapi.rate_limited")).scalar()
    assert limited == 0  # paced, never refused
    assert time.monotonic() - started >= 7 * 0.25 - 0.05  # 8 requests, a quarter of a second apart


# --- push ------------------------------------------------------------------------------------------------


def test_reports_pushed_by_the_vendor_reach_the_dispatcher(db: Database, sim: GatewaySim) -> None:
    # No pulling to speak of: the reports can only arrive by the gateway's callback to our listener.
    office(db, sim, reports="push", poll_seconds=3600)
    with SendingService(db, demo_if_empty=False, schedule_seconds=3600) as service:
        assert service.receiver is not None
        assert sim.state.account("office").callback_url.startswith(service.receiver.base_url + "/push/")
        cid = service.campaigns.create(
            CampaignRequest("通知", Recipients(numbers=numbers("0004", 12)), channel_policy="gateway")
        )
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 12)
        # The simulator counts a callback once our listener's answer reaches it, and the listener answers
        # after recording: the count may come a moment after the record (a loaded machine showed it).
        wait_until(lambda: sim.books_of("office").callbacks_delivered == 12)

        url = sim.state.account("office").callback_url
        target = url.split(service.receiver.base_url, 1)[1]
        body = json.dumps({"account": "office", "reports": []}).encode()
        unsigned = httpx.post(url, content=body, headers={"Content-Type": "application/json"})
        assert unsigned.status_code == 401  # a callback must be signed with the account's key
        forged = signed_headers("office", Secret("not-the-key"), "POST", target, body)
        assert httpx.post(url, content=body, headers=forged).status_code == 401
        wrong_token = url.replace("/reports", "").rsplit("/", 1)[0] + "/guessed/reports"
        assert httpx.post(wrong_token, content=body).status_code == 404


class FakeKannel:
    """smsbox's sendsms, as far as the adapter sees it: 202 "0: Accepted for delivery", recording dlr-urls."""

    def __init__(self) -> None:
        self.dlr_urls: dict[str, str] = {}  # phone -> the dlr-url we asked Kannel to call

    def __call__(self, request: Request) -> Reply:
        args = request.args()
        self.dlr_urls[args["to"]] = args["dlr-url"]
        return Reply(202, "0: Accepted for delivery")


def kannel_calls(dlr_url: str, kind: int, phone: str) -> str:
    """What Kannel does with a dlr-url: its escapes replaced by the report's values."""
    digits = phone.lstrip("+")
    return (
        dlr_url.replace("%d", str(kind))
        .replace("%p", digits)
        .replace("%T", str(int(time.time())))
        .replace("%A", "ACK%2Ferr%3A000")
        .replace("%F", "17")
    )


def test_kannel_reports_and_replies_come_to_our_listener(db: Database) -> None:
    settings = Settings(db)
    settings.set(SIGNATURE, "测试单位")
    settings.set(MAINTENANCE_WINDOW, "")
    settings.set(RECONCILE_MINUTES, 0)
    kannel = FakeKannel()
    with LoopbackServer(kannel) as server, memory_keyring():
        Channels(db).add_gateway(
            "机房 Kannel",
            adapter="kannel",
            url=f"{server.url}/cgi-bin/sendsms",
            account="tester",
            secret="s3cret",
            poll_seconds=3600,
            options={"push": True, "sender": "10690000"},
        )
        with SendingService(db, demo_if_empty=False, schedule_seconds=3600) as service:
            cid = service.campaigns.create(
                CampaignRequest("通知", Recipients(numbers=numbers("0005", 3)), channel_policy="gateway")
            )
            wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.SENT] == 3)
            assert service.receiver is not None
            phones = sorted(kannel.dlr_urls)
            assert all(u.startswith(service.receiver.base_url + "/push/") for u in kannel.dlr_urls.values())
            # Kannel's "accepted by the SMSC" settles nothing; "delivered" and "not delivered" do.
            assert httpx.get(kannel_calls(kannel.dlr_urls[phones[0]], 8, phones[0])).status_code == 200
            assert httpx.get(kannel_calls(kannel.dlr_urls[phones[0]], 1, phones[0])).status_code == 200
            assert httpx.get(kannel_calls(kannel.dlr_urls[phones[1]], 2, phones[1])).status_code == 200
            assert statuses(db, cid) == {"delivered": 1, "undelivered": 1, "sent": 1}  # recorded before answering
            replies = kannel.dlr_urls[phones[0]].split("/reports", 1)[0] + "/replies"
            mo = httpx.get(replies, params={"from": "8613900050000", "text": "TD", "at": str(int(time.time()))})
            assert mo.status_code == 200
            token = replies.rsplit("/", 2)[1]
            assert httpx.get(replies.replace(token, "guessed"), params={"from": "1"}).status_code == 404
    with db.reader() as s:
        assert s.execute(select(InboundMessage.sender, InboundMessage.text)).all() == [("+8613900050000", "TD")]


# --- reconciliation --------------------------------------------------------------------------------------


def test_the_balance_is_reconciled_on_demand_and_on_a_schedule(db: Database, sim: GatewaySim) -> None:
    channel, ledger = office(db, sim)
    events: list[dict] = []
    with SendingService(db, demo_if_empty=False, schedule_seconds=3600) as service:
        service.bus.subscribe(lambda e: events.append(e.data), "reconciled")
        cid = service.campaigns.create(
            CampaignRequest("通知", Recipients(numbers=numbers("0006", 8)), channel_policy="gateway")
        )
        assert service.reconcile()[channel].difference_fen == 0  # whatever was in flight was recorded first
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 8)
        sim.top_up("office", 500)  # paid at the vendor's counter; our books do not know yet
        result = service.reconcile()[channel]
        assert (result.difference_fen, result.vendor_fen) == (500, 1000 - 40 + 500)
        assert events[-1]["difference_fen"] == 500 and events[-1]["name"] == "网关"
        assert service.reconcile_due() == {}  # the setting says 0: no scheduled rounds

        Settings(db).set(RECONCILE_MINUTES, 30)
        sim.set_balance("office", 1000)
        assert service.reconcile_due() == {}  # reconciled a moment ago
        with db.session() as s:  # as if that had been an hour ago
            s.execute(Account.__table__.update().values(reconciled_at=utcnow() - timedelta(hours=1)))
        assert service.reconcile_due()[channel].difference_fen == 1000 - 1460
    assert ledger.balance() == sim.books_of("office").balance_fen == 1000 and ledger.verify().ok


def test_the_push_port_setting_is_where_the_listener_listens(db: Database, sim: GatewaySim) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    office(db, sim, reports="both")
    Settings(db).set(PUSH_PORT, port)
    with SendingService(db, demo_if_empty=False, schedule_seconds=3600) as service:
        assert service.receiver is not None and service.receiver.base_url == f"http://127.0.0.1:{port}"


def test_messages_resent_are_held_again_and_charged_once(db: Database, sim: GatewaySim) -> None:
    _, ledger = office(db, sim)
    Settings(db).set(MAX_ATTEMPTS, 1)
    sim.fail_next(Fault.ERROR)  # the gateway fails the one request: nothing done, and no attempt is left
    with SendingService(db, demo_if_empty=False, schedule_seconds=3600) as service:
        cid = service.campaigns.create(
            CampaignRequest("停水通知", Recipients(numbers=numbers("0007", 4)), channel_policy="gateway")
        )
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.FAILED] == 4)
        wait_until(lambda: ledger.open_reservations(cid) == [])  # failed for good: released
        assert service.campaigns.resend(cid, [MessageStatus.FAILED]) == 4
        assert len(ledger.open_reservations(cid)) == 4  # held again as they were queued again
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 4)
    assert ledger.balance() == sim.books_of("office").balance_fen == 1000 - 4 * 5
    assert ledger.open_reservations() == [] and ledger.verify().ok
