"""`smsjingling channels add-gateway` and `channels test`: third-party and vendor gateways added from a
terminal, the secret asked for without echo or read from the environment or stdin, kept in the keyring only
(never on screen, in a log line or in the database file), and the balance asked of the vendor."""

from __future__ import annotations

import getpass
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from smsjingling.gateway.sim import GatewaySim
from smsjingling.sending.channels import Channels
from smsjingling.storage.database import Database, open_database
from tests.core.cli_runner import Cli, cli_runner
from tests.core.gateway_peers import LoopbackServer, MemoryKeyring, memory_keyring
from tests.core.test_gateway_adapters_smsbao import Account as SmsbaoAccount
from tests.core.test_gateway_adapters_smsbao import Smsbao

KEY = "k3y-of-the-office-账户"
ENTRY = ("smsjingling", "gateway-key:{}")


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return cli_runner(str(tmp_path / "book.sqlite3"), capsys)


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


def _nowhere(secret: str, tmp_path: Path, caplog: pytest.LogCaptureFixture, *outputs: str) -> None:
    """The secret is in none of the texts shown, no log record, and no byte of the database files."""
    assert all(secret not in text for text in outputs)
    assert all(secret not in record.getMessage() for record in caplog.records)
    assert all(secret.encode() not in f.read_bytes() for f in tmp_path.glob("book.sqlite3*"))


def test_a_vendor_gateway_with_the_key_from_stdin_then_its_balance(
    run: Cli, ring: MemoryKeyring, sim: GatewaySim, tmp_path: Path, caplog, monkeypatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(KEY + "\n"))
    args = ("channels", "add-gateway", "供应商", "--url", sim.url, "--account", "office", "--secret-stdin")
    code, out, err = run("-v", *args, "--reports", "both", "--open-account")
    assert code == 0, err
    assert "已添加" in out and "钥匙串" in out and "预付费账户" in out
    assert ring.entries == {(ENTRY[0], ENTRY[1].format("供应商")): KEY}
    code, out2, err2 = run("-v", "channels", "test", "供应商")
    assert (code, out2.strip()) == (0, "连接成功。网关 供应商 报告的账户余额：123.45 元。"), err2
    code, listing, _ = run("channels", "list")
    assert "供应商" in listing and sim.url in listing
    _nowhere(KEY, tmp_path, caplog, out, err, out2, err2, listing)


def test_third_party_gateways_with_the_secret_from_the_environment_or_asked_for(
    run: Cli, ring: MemoryKeyring, tmp_path: Path, caplog, monkeypatch
) -> None:
    state = Smsbao(accounts={"acme": SmsbaoAccount("口令", remaining=40)})
    monkeypatch.setenv("SMSBAO_PASSWORD", "口令")
    with LoopbackServer(state) as server:
        code, out, err = run(
            "channels", "add-gateway", "短信宝", "--adapter", "smsbao", "--url", server.url, "--account", "acme",
            "--price-fen", "5", "--secret-env", "SMSBAO_PASSWORD",
        )  # fmt: skip
        assert code == 0, err
        code, balance, _ = run("channels", "test", "短信宝")
        assert code == 0 and "2.00 元" in balance  # 40 messages left at 5 fen

    prompts: list[str] = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: prompts.append(prompt) or "kannel-pw")
    code, out2, err2 = run(
        "channels", "add-gateway", "机房 Kannel", "--adapter", "kannel", "--url", "http://127.0.0.1:13013/cgi-bin/sendsms",
        "--account", "tester", "--push", "--sender", "10690000",
    )  # fmt: skip
    assert code == 0, err2
    assert prompts == ["网关 机房 Kannel 的密码或密钥（不显示）："]
    code, no_balance, _ = run("channels", "test", "机房 Kannel")
    assert code == 0 and "没有余额查询功能" in no_balance
    kannel = channel_config(tmp_path, "机房 Kannel")
    assert (kannel["vendor"], kannel["push"], kannel["sender"], kannel["account"]) == (
        "kannel",
        True,
        "10690000",
        "tester",
    )
    assert set(ring.entries.values()) == {"口令", "kannel-pw"}
    _nowhere("口令", tmp_path, caplog, out, err, balance)
    _nowhere("kannel-pw", tmp_path, caplog, out2, err2, no_balance)


def test_bad_settings_and_a_missing_secret_are_refused_before_anything_is_kept(
    run: Cli, ring: MemoryKeyring, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.delenv("NOT_SET", raising=False)
    code, _, err = run("channels", "add-gateway", "云片", "--adapter", "yunpian", "--secret-env", "NOT_SET")
    assert code == 2 and "没有输入网关 云片 的密码或密钥" in err
    code, _, err = run(
        "channels", "add-gateway", "远程 Kannel", "--adapter", "kannel", "--url", "http://192.168.1.20:13013/cgi-bin/sendsms",
        "--account", "tester", "--secret-env", "PATH",
    )  # fmt: skip
    assert code == 2 and "未加密" in err  # plain http across the network, without --lan-http
    code, _, err = run(
        "channels", "add-gateway", "其他", "--adapter", "generic", "--url", "https://sms.example.cn/send?p={password}",
        "--success", "(", "--secret-env", "PATH",
    )  # fmt: skip
    assert code == 2 and "正则表达式" in err
    assert ring.entries == {}
    assert channel_names(tmp_path) == []


def _open(tmp_path: Path) -> Database:
    return open_database(str(tmp_path / "book.sqlite3"))


def channel_names(tmp_path: Path) -> list[str]:
    db = _open(tmp_path)
    try:
        return [c.name for c in Channels(db).list()]
    finally:
        db.close()


def channel_config(tmp_path: Path, name: str) -> dict:
    db = _open(tmp_path)
    try:
        return dict(Channels(db).gateway(name).config)
    finally:
        db.close()
