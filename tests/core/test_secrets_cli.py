"""`smsjingling secrets forget-all` (what the uninstaller's /DELETEDATA runs): every keyring entry of the program
found and removed, other services' entries left, a missing database neither created nor needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.credentials import SimpleCredential

from smsjingling.sending.channels import Channels
from smsjingling.storage.database import open_database
from tests.core.cli_runner import Cli, cli_runner
from tests.core.gateway_peers import MemoryKeyring

SERVICE = "smsjingling"


class ListedKeyring(MemoryKeyring):
    """An in-memory keyring that behaves as the real backends do where it matters here: deleting what is not
    there raises PasswordDeleteError, and (`searchable`, as the Secret Service) asking for a service's credential
    without a user name gives one of its entries."""

    def __init__(self, *, searchable: bool) -> None:
        super().__init__()
        self.searchable = searchable

    def get_credential(self, service: str, username: str | None) -> SimpleCredential | None:
        if username is not None:
            return super().get_credential(service, username)
        if not self.searchable:
            return None
        found = next((u for s, u in sorted(self.entries) if s == service), None)
        return None if found is None else SimpleCredential(found, self.entries[(service, found)])


@pytest.fixture(params=[True, False], ids=["searchable", "not-searchable"])
def ring(request: pytest.FixtureRequest) -> Iterator[ListedKeyring]:
    previous = keyring.get_keyring()
    ring = ListedKeyring(searchable=request.param)
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return cli_runner(str(tmp_path / "cli.sqlite3"), capsys)


def test_forget_all_removes_the_programs_entries_and_no_others(tmp_path: Path, cli: Cli, ring: ListedKeyring) -> None:
    db = open_database(str(tmp_path / "cli.sqlite3"))
    try:
        channels = Channels(db)
        channels.add_modem("一号猫", "sim://a", pin="1234")
        channels.add_modem("旧猫", "sim://b", pin="4321")
        channels.add_gateway("网关", url="http://127.0.0.1:9/", account="acct", secret="key-1")
        channels.remove("旧猫")  # its PIN stays in the keyring: the audit log still names it
    finally:
        db.close()
    ring.set_password(SERVICE, "gateway-key:只在钥匙串里", "key-2")  # known to no database
    ring.set_password("other-program", "modem-pin:一号猫", "keep")
    known = {"modem-pin:一号猫", "modem-pin:旧猫", "gateway-key:网关"}
    assert known | {"gateway-key:只在钥匙串里"} == {u for s, u in ring.entries if s == SERVICE}

    code, out, err = cli("--lang", "en", "secrets", "forget-all")

    assert code == 0 and err == ""
    left = {u for s, u in ring.entries if s == SERVICE}
    # A backend that finds entries by service gives up the unknown one too; the others keep only it.
    assert left == (set() if ring.searchable else {"gateway-key:只在钥匙串里"})
    for name in known:
        assert f"Removed from the system keyring: {name}" in out
    assert f"{4 if ring.searchable else 3} entries removed (service smsjingling)" in out
    assert ring.entries[("other-program", "modem-pin:一号猫")] == "keep"
    # Run again: nothing left to remove, and it says so.
    assert cli("--lang", "en", "secrets", "forget-all")[1].strip() == "0 entries removed (service smsjingling)"


def test_forget_all_without_a_database_creates_none(tmp_path: Path, ring: ListedKeyring, cli: Cli) -> None:
    ring.set_password(SERVICE, "modem-pin:猫", "1234")
    code, out, _ = cli("secrets", "forget-all")
    assert code == 0
    assert not (tmp_path / "cli.sqlite3").exists()
    assert ("已从系统钥匙串删除：modem-pin:猫" in out) is ring.searchable
    assert (("smsjingling", "modem-pin:猫") in ring.entries) is not ring.searchable


def test_forget_all_reads_an_unreadable_database_as_none(tmp_path: Path, ring: ListedKeyring, cli: Cli) -> None:
    (tmp_path / "cli.sqlite3").write_bytes(b"not a database at all, " * 100)
    ring.set_password(SERVICE, "gateway-key:网关", "k")
    code, out, _ = cli("--lang", "en", "secrets", "forget-all")
    assert code == 0
    assert "The database could not be read" in out
    assert (("smsjingling", "gateway-key:网关") in ring.entries) is not ring.searchable
