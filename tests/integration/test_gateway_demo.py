"""A fresh install: the simulated modem and gateway set up by one call, the sending service running the gateway
simulator itself (real HTTP on loopback, an ephemeral port), its books on disk beside the database, so that
after a restart the local ledger still reconciles with them to the fen."""

from __future__ import annotations

import pytest

from smsjingling.account.ledger import Ledger
from smsjingling.errors import ValidationError
from smsjingling.gateway.vendor import VendorGateway
from smsjingling.sending.campaigns import CampaignRequest
from smsjingling.sending.channels import Channels, gateway_adapter
from smsjingling.sending.demo import DEMO_OPENING_FEN, DEMO_PRICE_FEN, StoreBusy, start_demo_gateway, store_path
from smsjingling.sending.expand import Recipients
from smsjingling.sending.rules import MAINTENANCE_WINDOW
from smsjingling.sending.service import SendingService
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.sending import MessageStatus
from tests.core.sending_helpers import wait_until


@pytest.fixture
def office(db: Database, home) -> Database:
    """`home`: a data folder of the test's own, where the simulator's books go with a server database."""
    settings = Settings(db)
    settings.set(SIGNATURE, "测试单位")
    settings.set(MAINTENANCE_WINDOW, "")  # the vendor's night pause would hold the gateway at 23:00
    return db


def test_one_call_sets_up_the_simulated_modem_and_gateway_labelled_as_such(office: Database) -> None:
    channels = Channels(office, "管理员")
    demo = channels.ensure_demo(gateway=True)
    assert demo.modem_id is not None and demo.gateway_id is not None
    by_id = {c.id: c for c in channels.list()}
    assert (by_id[demo.modem_id].name, by_id[demo.modem_id].kind) == ("模拟短信猫", "modem")
    assert (by_id[demo.gateway_id].name, by_id[demo.gateway_id].kind) == ("模拟短信网关", "gateway")
    assert channels.ensure_demo(gateway=True) == demo  # once only
    ledger = Ledger.for_channel(office, demo.gateway_id)
    assert ledger.balance() == DEMO_OPENING_FEN  # the simulator's opening balance, on our books too
    # Without the service the simulated gateway has no address: a clear refusal, not a connection error.
    with pytest.raises(ValidationError) as caught:
        gateway_adapter(channels.gateway("模拟短信网关"))
    assert caught.value.key == "gateway.demo_not_running"


def test_the_service_runs_the_simulator_and_its_books_outlive_restarts(office: Database) -> None:
    demo = Channels(office).ensure_demo(gateway=True)
    assert demo.gateway_id is not None
    ledger = Ledger.for_channel(office, demo.gateway_id)
    policy = f"channel:{demo.gateway_id}"
    first = tuple(f"1390000{i:04d}" for i in range(10))
    with SendingService(office, schedule_seconds=3600) as service:
        sim = service.demo_gateway
        assert sim is not None and sim.url.startswith("http://127.0.0.1:")
        assert store_path(office).exists()  # beside a SQLite database file; else in the data folder
        adapter = service.gateway_workers()[0].adapter
        assert isinstance(adapter, VendorGateway) and adapter.account_info()["simulated"] is True
        assert Channels(office).test("模拟短信网关").fen == DEMO_OPENING_FEN  # found where the service runs it
        cid = service.campaigns.create(CampaignRequest("停水通知", Recipients(numbers=first), channel_policy=policy))
        assert len(ledger.open_reservations(cid)) == 10  # held as they were queued
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 10)
    assert service.demo_gateway is None  # stopped with the service

    spent = 10 * DEMO_PRICE_FEN
    assert ledger.balance() == DEMO_OPENING_FEN - spent
    # The service is not running: `channels test` starts the simulator from its books for the question.
    assert Channels(office).test("模拟短信网关").fen == DEMO_OPENING_FEN - spent

    second = tuple(f"1390001{i:04d}" for i in range(5))
    with SendingService(office, schedule_seconds=3600) as service:
        sim = service.demo_gateway
        assert sim is not None
        books = sim.books_of("demo")
        assert (len(books.accepted), len(books.reports), books.balance_fen) == (10, 10, DEMO_OPENING_FEN - spent)
        cid = service.campaigns.create(CampaignRequest("恢复供水", Recipients(numbers=second), channel_policy=policy))
        wait_until(lambda: service.campaigns.counts(cid)[MessageStatus.DELIVERED] == 5)
        reconciled = service.reconcile()[demo.gateway_id]
        assert reconciled.difference_fen == 0
        assert reconciled.vendor_fen == sim.books_of("demo").balance_fen == DEMO_OPENING_FEN - 15 * DEMO_PRICE_FEN
        assert Channels(office).gateway("模拟短信网关").config["url"] == sim.url  # the channel follows its port
    assert ledger.balance() == DEMO_OPENING_FEN - 15 * DEMO_PRICE_FEN
    assert ledger.verify().ok


def test_a_second_program_does_not_run_the_same_simulator(office: Database) -> None:
    Channels(office).ensure_demo(gateway=True)
    with SendingService(office, schedule_seconds=3600) as service:
        assert service.demo_gateway is not None
        with pytest.raises(StoreBusy):
            start_demo_gateway(office)
