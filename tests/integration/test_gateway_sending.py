"""Campaigns through the vendor gateway (the bundled simulator, real HTTP on loopback), paid from the prepaid
account: reserved when queued, charged at the vendor's price when accepted, refused with the shortfall when
the balance cannot cover it; the local books end equal to the simulator's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smsjingling.account.accounts import Accounts
from smsjingling.account.ledger import InsufficientBalance, Ledger
from smsjingling.gateway.sim.server import GatewaySim
from smsjingling.sending.campaigns import CampaignRequest
from smsjingling.sending.channels import DEMO_GATEWAY_KEY, add_gateway
from smsjingling.sending.expand import Recipients
from smsjingling.sending.rules import MAINTENANCE_WINDOW
from smsjingling.sending.service import SendingService
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.sending import MessageStatus
from tests.core.sending_helpers import wait_until


@pytest.fixture
def gateway(db: Database) -> Iterator[tuple[GatewaySim, Ledger]]:
    sim = GatewaySim(report_delay=0.05, seed=1)
    sim.add_account("office", DEMO_GATEWAY_KEY, balance_fen=1000, price_fen=5, undeliverable={"+8613900000003"})
    sim.start()
    channel = add_gateway(db, "网关", sim.url, "office", demo=True, poll_seconds=0.1)
    Accounts(db).open("网关")
    ledger = Ledger.for_channel(db, channel)
    ledger.top_up(1000, "opening balance, as the vendor's")
    Settings(db).set(SIGNATURE, "测试单位")
    Settings(db).set(MAINTENANCE_WINDOW, "")  # the vendor's night pause would hold the gateway from 23:00
    yield sim, ledger
    sim.stop()


def test_gateway_campaign_is_charged_as_the_vendor_books_it(db: Database, gateway: tuple[GatewaySim, Ledger]) -> None:
    sim, ledger = gateway
    numbers = tuple(f"1390000{i:04d}" for i in range(20))
    with SendingService(db, demo_if_empty=False, schedule_seconds=3600) as service:
        cid = service.campaigns.create(
            CampaignRequest("停水通知", Recipients(numbers=numbers), channel_policy="gateway")
        )
        assert ledger.open_reservations(cid)  # held as soon as it was queued
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 19)
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.UNDELIVERED] == 1)
    books = sim.books_of("office")
    assert len(books.accepted) == 20
    assert ledger.balance() == books.balance_fen == 1000 - books.charged_fen
    assert not ledger.open_reservations(cid)
    assert ledger.verify().ok


def test_a_send_the_balance_cannot_cover_is_refused_with_the_shortfall(
    db: Database, gateway: tuple[GatewaySim, Ledger]
) -> None:
    _, ledger = gateway
    numbers = tuple(f"1390001{i:04d}" for i in range(300))  # 300 x 5 fen > 10 yuan
    with (
        SendingService(db, demo_if_empty=False, schedule_seconds=3600) as service,
        pytest.raises(InsufficientBalance) as caught,
    ):
        service.campaigns.create(CampaignRequest("通知", Recipients(numbers=numbers), channel_policy="gateway"))
    assert caught.value.shortfall_fen == 300 * 5 - 1000
    assert "5.00" in caught.value.message("zh")
    assert ledger.balance() == 1000 and ledger.available() == 1000
