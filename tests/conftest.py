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


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A real SQLite file database at the current schema."""
    database = open_database(str(tmp_path / "book.sqlite3"))
    yield database
    database.close()


@pytest.fixture
def book(db: Database) -> ContactBook:
    return ContactBook(db, actor="tester")
