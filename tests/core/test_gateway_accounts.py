"""Gateway channels of every adapter kind: set-up, connection test, saving (the secret to the keyring only),
the engine building the right adapter from the saved channel, and reconciling with the vendor's balance — against
the bundled gateway simulator and the small 短信宝 server of the adapter tests, on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from smsjingling.account.accounts import Accounts
from smsjingling.account.ledger import Ledger
from smsjingling.errors import ValidationError
from smsjingling.gateway.base import OutboundSms
from smsjingling.gateway.errors import BalanceUnsupported
from smsjingling.gateway.sim import GatewaySim
from smsjingling.gateway.smsbao import SmsbaoAdapter
from smsjingling.sending.channels import gateway_adapter
from smsjingling.sending.gateway_accounts import (
    AdapterKind,
    GatewaySetup,
    reconcile_now,
    save_gateway,
)
from smsjingling.sending.gateway_accounts import (
    test_connection as connection_test,
)
from smsjingling.sending.outcome import Verdict
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel
from tests.core.gateway_peers import LoopbackServer, MemoryKeyring, memory_keyring
from tests.core.test_gateway_adapters_smsbao import Account as SmsbaoAccount
from tests.core.test_gateway_adapters_smsbao import Smsbao

KEY = "k3y-of-the-office-账户"


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    with memory_keyring() as r:
        yield r


@pytest.fixture
def sim() -> Iterator[GatewaySim]:
    gateway = GatewaySim(report_delay=0.1)
    gateway.add_account("office", KEY, balance_fen=12_345, price_fen=5)
    gateway.start()
    yield gateway
    gateway.stop()


def test_vendor_gateway_set_up_test_save_and_reconcile(db: Database, sim: GatewaySim, ring, tmp_path: Path) -> None:
    setup = GatewaySetup(AdapterKind.VENDOR, "供应商网关", url=sim.url, account="office")
    wrong = connection_test(setup, "not-the-key")
    assert not wrong.ok and wrong.text.startswith("连接失败：")
    right = connection_test(setup, KEY)
    assert right.ok and right.balance_fen == 12_345 and "123.45 元" in right.text
    assert ring.entries == {}  # a test keeps nothing

    channel_id = save_gateway(db, setup, KEY, actor="tester", low_balance_fen=2_000)
    assert ring.entries == {("smsjingling", "gateway-key:供应商网关"): KEY}
    assert all(KEY.encode() not in f.read_bytes() for f in tmp_path.glob("book.sqlite3*"))
    with db.reader() as s:
        channel = s.get(Channel, channel_id)
        assert channel.config["vendor"] == "vendor" and channel.config["account"] == "office"
    info = Accounts(db).get("供应商网关")
    assert info.balance_fen == 0 and info.low_balance_fen == 2_000

    first = reconcile_now(db, "供应商网关", actor="tester")
    assert (first.vendor_fen, first.local_fen, first.difference_fen) == (12_345, 0, 12_345)
    sim.set_balance("office", 12_000)
    second = reconcile_now(db, info.id, actor="tester")
    assert second.difference_fen == -345
    ledger = Ledger(db, account_id=info.id)
    assert ledger.balance() == 12_000 and [e.kind for e in ledger.entries()] == ["reconciliation"] * 2
    with pytest.raises(ValidationError):
        save_gateway(db, setup, KEY)  # the name is taken


def test_smsbao_channel_is_built_by_the_engine_and_values_its_count(db: Database, ring) -> None:
    state = Smsbao(accounts={"acme": SmsbaoAccount("口令", remaining=40)})
    with LoopbackServer(state) as server:
        setup = GatewaySetup(AdapterKind.SMSBAO, "短信宝", url=server.url, account="acme", price_fen=5)
        result = connection_test(setup, "口令")
        assert result.ok and result.balance_fen == 200
        save_gateway(db, setup, "口令")
        with db.reader() as s:
            row = s.execute(select(Channel).where(Channel.name == "短信宝")).scalar_one()
            s.expunge(row)
        adapter = gateway_adapter(row)
        try:
            assert isinstance(adapter, SmsbaoAdapter)
            [sent] = adapter.send_batch([OutboundSms("1", "+8613800138000", "【单位】通知")])
        finally:
            adapter.close()
        assert sent.outcome.verdict is Verdict.SENT and state.delivered == [("13800138000", "【单位】通知")]
        assert reconcile_now(db, "短信宝").vendor_fen == 39 * 5


def test_kannel_has_no_balance_and_bad_settings_are_refused_in_words(db: Database, ring) -> None:
    kannel = GatewaySetup(AdapterKind.KANNEL, "机房 Kannel", url="http://127.0.0.1:13013/cgi-bin/sendsms", account="u")
    result = connection_test(kannel, "pw")
    assert result.ok and result.balance_fen is None and "没有余额查询功能" in result.text
    save_gateway(db, kannel, "pw", open_account=False)
    with pytest.raises(BalanceUnsupported):
        reconcile_now(db, Accounts(db).open("机房 Kannel"))
    insecure = GatewaySetup(AdapterKind.VENDOR, "明文", url="http://sms.example.cn", account="a")
    assert "https://" in connection_test(insecure, "k").text
    with pytest.raises(ValidationError):
        save_gateway(db, insecure, "k")
    with pytest.raises(ValidationError) as no_secret:
        connection_test(GatewaySetup(AdapterKind.YUNPIAN, "云片"), "")
    assert no_secret.value.message() == "请填写密码或密钥"
    with pytest.raises(ValidationError):
        connection_test(GatewaySetup(AdapterKind.SMSBAO, "短信宝", account="acme"), "x")  # no price


def test_set_up_round_trips_through_the_channel_row() -> None:
    setup = GatewaySetup(AdapterKind.GENERIC, "其他", url="https://x.cn/send?to={phone}", success="OK", account="me")
    again = GatewaySetup.from_channel("其他", setup.config())
    assert again == setup
    assert "password" not in str(setup.config()).lower() or "{password}" in setup.url
