"""Opening the database: creation, upgrade with backup, and every state that must be refused untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from smsjingling.contacts import substring
from smsjingling.errors import DatabaseError
from smsjingling.storage.database import head_revision, newest_revision, open_database, resolve_url
from smsjingling.storage.models import Base


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused_untouched(path: Path, key: str) -> DatabaseError:
    """Opening the file fails with this key, and the file is byte for byte what it was."""
    before = _digest(path)
    with pytest.raises(DatabaseError) as err:
        open_database(str(path))
    assert err.value.key == key
    assert _digest(path) == before
    return err.value


def test_new_database_in_data_folder_with_wal_and_foreign_keys(home: Path) -> None:
    db = open_database()
    try:
        assert Path(db.url.database) == home / "smsjingling.sqlite3"
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert {"contacts", "groups", "contact_groups", "opt_outs", "settings", "audit_events"} <= set(
            inspect(db.engine).get_table_names()
        )
    finally:
        db.close()


def test_migrations_match_the_models(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "m.sqlite3"))
    try:
        with db.engine.connect() as conn:
            opts = {
                "compare_type": True,
                # The search index (FTS5 tables, pg_trgm indexes) lives outside the models.
                "include_name": lambda name, _type, _parents: not substring.outside_models(name),
            }
            diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
        assert diff == []
    finally:
        db.close()


def test_db_argument_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMSJINGLING_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_url().database == str(tmp_path / "env.sqlite3")
    assert resolve_url(str(tmp_path / "arg.sqlite3")).database == str(tmp_path / "arg.sqlite3")
    assert resolve_url("sqlite:///" + str(tmp_path / "u.db")).database == str(tmp_path / "u.db")
    with pytest.raises(DatabaseError) as err:
        open_database("nosuchdatabase://somewhere/x")
    assert err.value.key == "db.bad_url"


def test_corrupt_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 100)
    error = _refused_untouched(path, "db.corrupt")
    assert str(path) in error.message("en")


def test_damaged_sqlite_pages_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite3"
    open_database(str(path)).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page, past the header
    path.write_bytes(bytes(data))
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        side.unlink(missing_ok=True)
    _refused_untouched(path, "db.corrupt")


def test_foreign_database_is_not_written_into(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    _refused_untouched(path, "db.corrupt")


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    open_database(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    error = _refused_untouched(path, "db.newer")
    assert "9999" in error.message("zh")


def test_locked_database_gets_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.sqlite3"
    # An old-schema database needs a write to upgrade, so another program's exclusive lock stops us.
    _make_schema_0001(path)
    monkeypatch.setattr("smsjingling.storage.database.BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseError) as err:
            open_database(str(path))
        assert err.value.key == "db.locked"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    db = open_database(str(path))  # once the other program lets go, it opens and upgrades
    assert db.backup_path is not None
    db.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_read_only_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    open_database(str(path)).close()
    before = _digest(path)
    if os.geteuid() == 0:
        # Root ignores file modes; the immutable attribute stops root too.
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("running as root on a file system without chattr +i")
        undo = ["chattr", "-i", str(path)]
    else:
        os.chmod(path, 0o444)
        undo = ["chmod", "644", str(path)]
    try:
        with pytest.raises(DatabaseError) as err:
            open_database(str(path))
        assert err.value.key == "db.readonly"
        assert str(path) in err.value.message("zh")
    finally:
        subprocess.run(undo, check=True)
    assert _digest(path) == before


def _make_schema_0001(path: Path) -> None:
    """A database as version 0001 of the program left it, with a contact in it."""
    from alembic import command
    from alembic.config import Config

    from smsjingling.storage.database import MIGRATIONS_DIR, _create_engine, resolve_url

    engine = _create_engine(resolve_url(str(path)))
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            text(
                "INSERT INTO contacts (name, phone, sms_capable, carrier, region, fields, created_at, updated_at) "
                "VALUES ('张三', '+8613800138000', 1, 'cmcc', '北京', '{\"部门\":\"销售部\"}', "
                "'2024-01-01 00:00:00', '2024-01-01 00:00:00')"
            )
        )
    engine.dispose()


def test_older_schema_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _make_schema_0001(path)
    db = open_database(str(path))
    try:
        assert db.backup_path is not None and db.backup_path.exists()
        assert "schema0001" in db.backup_path.name
        with sqlite3.connect(db.backup_path) as backup:
            assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
            assert backup.execute("SELECT name FROM contacts").fetchall() == [("张三",)]
        backup.close()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
            row = conn.execute(text("SELECT name, fields, consent_source FROM contacts")).one()
        assert row[0] == "张三" and "销售部" in row[1] and row[2] == ""
    finally:
        db.close()
    again = open_database(str(path))  # up to date now: no second backup
    assert again.backup_path is None
    again.close()


def test_the_newest_script_is_alembics_head() -> None:
    # Opening a current database compares its stamp with the newest script's number instead of asking Alembic.
    assert head_revision() == newest_revision()


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "current.sqlite3"
    open_database(str(path)).close()
    code = (
        "import sys\n"
        "from smsjingling.storage.database import open_database\n"
        f"open_database({str(path)!r}).close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
