"""Shared test set-up: no screen, no network, and any unexpected warning fails the test."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("SMSJINGLING_LANG", "zh")
# Rebuildable caches go to a folder of the test run's own, never the user's.
os.environ.setdefault("SMSJINGLING_CACHE", tempfile.mkdtemp(prefix="smsjingling-test-cache-"))
# Likewise the data folder (window geometry, logs) for tests that do not ask for their own `home`.
os.environ.setdefault("SMSJINGLING_HOME", tempfile.mkdtemp(prefix="smsjingling-test-home-"))

import pytest

from smsjingling.contacts.book import ContactBook
from smsjingling.storage.database import Database, open_database
from tests.pg_cluster import Databases

# A PostgreSQL server to run the storage, engine and integration tests against as well as SQLite, e.g.
# postgresql://smsjingling@127.0.0.1:54329/postgres (`python -m tests.pg_cluster start DIR` starts one). Each
# test gets a database of its own, copied from a migrated template.
PG_SERVER = os.environ.get("SMSJINGLING_TEST_PG", "")
BOTH_DATABASES = ("tests/core/", "tests/integration/")  # tests here that use `db` run on both
NO_PG_REASON = "no PostgreSQL server to test against (set SMSJINGLING_TEST_PG; .ci/run starts one)"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db" not in metafunc.fixturenames:
        return
    where = metafunc.definition.path.relative_to(metafunc.config.rootpath).as_posix()
    if where.startswith(BOTH_DATABASES):
        # An unconditional skip mark (rather than a skip inside the fixture) lets pytest's summary fold the
        # skipped PostgreSQL half into one line per module.
        marks = [pytest.mark.postgres] + ([] if PG_SERVER else [pytest.mark.skip(reason=NO_PG_REASON)])
        metafunc.parametrize(
            "db", [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="pg", marks=marks)], indirect=True
        )


@pytest.fixture(autouse=True)
def _fail_on_logged_warnings(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture):
    """A warning or error in the log that the test did not expect fails it (qutebrowser's rule).

    A test that expects one marks itself `allow_log_warnings` and asserts on caplog itself.
    """
    caplog.set_level(logging.INFO)
    yield
    if request.node.get_closest_marker("allow_log_warnings"):
        return
    bad = [r for r in caplog.get_records("call") if r.levelno >= logging.WARNING]
    if bad:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in bad)
        pytest.fail(f"unexpected log warnings:\n{lines}")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private data folder for the program, so no test touches the user's real one."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("SMSJINGLING_HOME", str(path))
    monkeypatch.delenv("SMSJINGLING_DB", raising=False)
    return path


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[Databases]:
    """Fresh PostgreSQL databases on the test server; skips the test when none is configured."""
    if not PG_SERVER:
        pytest.skip(NO_PG_REASON)
    databases = Databases(PG_SERVER)
    yield databases
    databases.close()


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A real database at the current schema: an SQLite file, or (parametrised) a PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "postgresql":
        databases: Databases = request.getfixturevalue("pg_databases")
        url = databases.create()
        database = open_database(url)
        yield database
        database.close()
        databases.drop(url)
        return
    database = open_database(str(tmp_path / "book.sqlite3"))
    yield database
    database.close()


@pytest.fixture
def book(db: Database) -> ContactBook:
    return ContactBook(db, actor="tester")
