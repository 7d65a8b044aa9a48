from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smsjingling.contacts.book import ContactBook
from smsjingling.storage.database import Database, open_database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A real SQLite file database at the current schema."""
    database = open_database(str(tmp_path / "book.sqlite3"))
    yield database
    database.close()


@pytest.fixture
def book(db: Database) -> ContactBook:
    return ContactBook(db, actor="tester")
