"""Opening the database: where it is, what state it is in, and bringing its schema up to date.

A database that cannot be used safely (locked by another program, read-only, corrupt, or written by a newer
version of 短信精灵) is refused with a message that says so; it is never overwritten. A database from an
older version is first copied to a side file, then upgraded in place.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, NoSuchModuleError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

from smsjingling import messages, paths
from smsjingling.errors import DatabaseError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 5.0
KEYRING_SERVICE = "smsjingling"
# A server database (PostgreSQL) is reached through a pool of connections per process.
POOL_SIZE = 5
POOL_OVERFLOW = 10
POOL_TIMEOUT_S = 10.0
POOL_RECYCLE_S = 1800  # reconnect after half an hour: office routers drop idle connections silently
CONNECT_TIMEOUT_S = 5
MIGRATION_LOCK = 0x736D736A  # PostgreSQL advisory lock key held while the schema is upgraded ("smsj")

messages.register(
    {
        "db.locked": (
            "数据库 {where} 正被另一个程序占用（可能是另一个短信精灵窗口），请关闭它后重试。",
            "The database {where} is locked by another program (perhaps another 短信精灵 window); "
            "close it and try again.",
        ),
        "db.readonly": (
            "数据库 {where} 是只读的，无法写入。请检查文件权限，或用 --db 指定其他位置。",
            "The database {where} is read-only. Check the file's permissions, or choose another with --db.",
        ),
        "db.corrupt": (
            "数据库 {where} 已损坏或不是短信精灵的数据库（{detail}）。文件未作任何修改；请从备份恢复。",
            "The database {where} is damaged or is not a 短信精灵 database ({detail}). It was left "
            "untouched; restore it from a backup.",
        ),
        "db.newer": (
            "数据库 {where} 来自更新版本的短信精灵（架构版本 {revision}），本程序无法使用。请升级程序。"
            "文件未作任何修改。",
            "The database {where} was written by a newer version of 短信精灵 (schema {revision}); this "
            "version cannot use it. Please upgrade the program. The file was left untouched.",
        ),
        "db.unreachable": (
            "无法连接数据库 {where}：{detail}",
            "Cannot connect to the database {where}: {detail}",
        ),
        "db.bad_url": ("数据库地址无效：{url}", "Not a valid database URL: {url}"),
        # The status bar, while a dispatcher has lost the shared server (events of kind "database").
        "db.lost": (
            "与数据库 {where} 的连接中断，发送已暂停，恢复后自动继续",
            "Lost the connection to the database {where}; sending is paused and resumes when it is back",
        ),
        "db.back": ("已重新连接数据库，发送继续", "The database is back; sending resumes"),
    }
)


@dataclass
class Database:
    """An open, up-to-date database: the engine and a session factory."""

    engine: Engine
    backup_path: Path | None = None  # set when opening upgraded an older schema

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if self.engine.dialect.name == "sqlite":
            self._read_engine = self.engine.execution_options(sqlite_begin="DEFERRED")
        else:
            # What an SQLite reader has under WAL: one snapshot for the whole transaction, so the figures of
            # a report (or a message count and its campaign's counters) agree with each other; read-only,
            # so a reader can never write by mistake.
            self._read_engine = self.engine.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        # SQLite has one writer at a time. Threads of this process that want to write queue here, in
        # order, instead of in SQLite's busy handler, which sleeps in steps of up to 25 ms between tries
        # (many threads each committing small transactions then spend most of their time asleep).
        # Other processes still meet the busy handler, as they must.
        self._writer_lock: contextlib.AbstractContextManager = (
            threading.RLock() if self.engine.dialect.name == "sqlite" else contextlib.nullcontext()
        )

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def where(self) -> str:
        """The database's location for messages, with any password hidden."""
        return describe(self.engine.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A writing session, one transaction: committed at the end of the block, rolled back on error."""
        with self._writer_lock, self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A read-only session that takes no write lock (for views and reports)."""
        with self._sessions(bind=self._read_engine) as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def connection_lost(exc: BaseException) -> bool:
    """Whether an error says the database server cannot be reached (stopped, restarting, the network down)
    rather than that a statement was wrong: work in hand is then kept and tried again once it is back. A
    deadlock or serialization failure (SQLSTATE class 40) is not a loss, just a transaction to run again;
    SQLite, a file on this machine, is never "lost"."""
    if not isinstance(exc, DBAPIError) or isinstance(exc.orig, sqlite3.Error):
        return False
    if exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError) and not str(
        getattr(exc.orig, "sqlstate", "") or ""
    ).startswith("40")


def describe(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def resolve_url(url: str | None = None) -> URL:
    """The --db argument, else SMSJINGLING_DB, else the SQLite file in the user's data folder.

    A plain file path is accepted too and means a SQLite file.
    """
    raw = url or os.environ.get("SMSJINGLING_DB") or str(paths.default_database_path())
    if "://" not in raw:
        return URL.create("sqlite", database=str(Path(raw).expanduser().resolve()))
    try:
        return make_url(raw)
    except Exception as exc:  # sqlalchemy raises ArgumentError for malformed URLs
        raise DatabaseError("db.bad_url", url=raw) from exc


_scopes = threading.local()


@contextmanager
def closing_opened() -> Iterator[None]:
    """Close every database this thread opens inside the block when the block ends. The CLI's commands open
    theirs where they need them; this hands a server its connections back before the process ends."""
    outer = getattr(_scopes, "opened", None)
    _scopes.opened = []
    try:
        yield
    finally:
        opened, _scopes.opened = _scopes.opened, outer
        for database in opened:
            database.close()


def open_database(url: str | URL | None = None, *, upgrade: bool = True) -> Database:
    resolved = url if isinstance(url, URL) else resolve_url(url)
    if resolved.drivername == "postgresql":
        resolved = resolved.set(drivername="postgresql+psycopg")  # SQLAlchemy's default would be psycopg2
    where = describe(resolved)
    if resolved.get_backend_name() == "sqlite" and resolved.database not in (None, "", ":memory:"):
        _check_sqlite_file(Path(resolved.database), where)
    try:
        engine = _create_engine(resolved)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise DatabaseError("db.bad_url", url=where) from exc
    try:
        backup = _migrate(engine, where) if upgrade else None
    except BaseException:
        engine.dispose()
        raise
    database = Database(engine, backup)
    log.info("opened the database %s", where)
    scope = getattr(_scopes, "opened", None)
    if scope is not None:
        scope.append(database)
    return database


def _create_engine(url: URL) -> Engine:
    # Chinese stays readable in the JSON columns, and searchable with LIKE. One encoder object: json.dumps
    # would build one per call, which bulk imports feel.
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url, json_serializer=dumps, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            # The pysqlite driver's own transaction handling defers BEGIN; take that over so that
            # SQLAlchemy's begin() is a real BEGIN (needed for correct locking under WAL).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            # 64 MB of page cache: bulk imports insert into the phone index in random order.
            cur.execute("PRAGMA cache_size=-65536")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # Writers take the write lock up front: a deferred transaction that read first and then
            # tries to write after another writer committed fails at once under WAL (BUSY_SNAPSHOT)
            # instead of waiting its turn. Readers ask for DEFERRED and never block anyone.
            mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    connect_args: dict[str, object] = {}
    if url.get_backend_name() == "postgresql":
        connect_args = {
            # A server that is down or unreachable is reported in seconds, not after the OS's TCP timeout.
            "connect_timeout": CONNECT_TIMEOUT_S,
            # The server's administrator sees which desktop holds a connection (pg_stat_activity).
            "application_name": f"smsjingling@{socket.gethostname()}"[:63],
            # A server that vanished without closing the connection (power cut, cable) is noticed.
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
        password = url.password or _keyring_password(url)
        if password and not url.password:
            # Given to the driver only: the URL object (shown, logged, repr'd) never holds it.
            connect_args["password"] = password
    return create_engine(
        url,
        json_serializer=dumps,
        connect_args=connect_args,
        # One desktop's connections: the dispatcher, one per modem or gateway worker, the window's readers.
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_timeout=POOL_TIMEOUT_S,  # all taken: fail in seconds with a message rather than hang
        # A connection the server dropped (restart, idle timeout of a router) is found before it is used.
        pool_pre_ping=True,
        pool_recycle=POOL_RECYCLE_S,
    )


def keyring_user(url: URL) -> str:
    """The keyring entry (service "smsjingling") that holds the password of a server database's URL."""
    return f"db:{url.username or ''}@{url.host or ''}/{url.database or ''}"


def _keyring_password(url: URL) -> str | None:
    """The password for a URL that names none, from the OS keyring; None when there is none (the server
    may not want one: a Unix socket, a trusted LAN, a .pgpass file)."""
    if not url.username:
        return None
    # Imported here: only a server database's password is kept there, and keyring's backends cost a
    # desktop on SQLite a tenth of a second of its start.
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_user(url))
    except KeyringError as exc:  # no keyring on this machine
        log.info("no keyring to read the database password from: %s", type(exc).__name__)
        return None


def _check_sqlite_file(path: Path, where: str) -> None:
    if not path.exists():
        if not os.access(path.parent if path.parent.exists() else Path.cwd(), os.W_OK):
            raise DatabaseError("db.readonly", where=where)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    size = path.stat().st_size
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except PermissionError as exc:
        raise DatabaseError("db.readonly", where=where) from exc
    if size and head != SQLITE_MAGIC:
        raise DatabaseError("db.corrupt", where=where, detail=messages.text("db.detail_not_sqlite"))
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise DatabaseError("db.readonly", where=where)


messages.register({"db.detail_not_sqlite": ("不是 SQLite 数据库文件", "not an SQLite database file")})


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The head revision as Alembic finds it in the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


@functools.cache
def newest_revision() -> str:
    """The head revision without Alembic, whose import costs a start a good part of a second: the scripts
    are named after their revision (0005_what.py) and descend in one line, so the head is the highest
    number. A test checks that it is what Alembic finds."""
    numbers = [
        path.name.split("_", 1)[0]
        for path in (MIGRATIONS_DIR / "versions").iterdir()
        if path.suffix in (".py", ".pyc") and path.name[:4].isdigit()
    ]
    return max(numbers)


def _current_revision(conn: Connection) -> str | None:
    """The revision stamped in the database, or None (no version table, or an empty one)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _migrate(engine: Engine, where: str) -> Path | None:
    """Bring the schema to head. Returns the backup file made before upgrading an older schema."""
    try:
        with engine.connect() as conn:
            current = _current_revision(conn)
            has_tables = current != newest_revision() and bool(inspect(conn).get_table_names())
    except OperationalError as exc:
        raise _classify(exc, where) from exc
    except SADatabaseError as exc:
        raise DatabaseError("db.corrupt", where=where, detail=_detail(exc)) from exc
    if current == newest_revision():
        _use_wal(engine)
        return None
    # Only an older (or newer, or new) database needs Alembic.
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = _alembic_config()
    script = ScriptDirectory.from_config(cfg)
    if current is not None:
        try:
            script.get_revision(current)
        except Exception as exc:  # alembic raises ResolutionError/CommandError for unknown ids
            raise DatabaseError("db.newer", where=where, revision=current) from exc
    elif has_tables:
        # Tables but no version stamp: not ours (or damaged). Never write into it.
        raise DatabaseError("db.corrupt", where=where, detail=messages.text("db.detail_foreign"))
    backup = _backup(engine, current) if current is not None else None
    if backup:
        log.info("backed up the database to %s before upgrading from schema %s", backup, current)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Desktops starting together on a new server database: one upgrades, the others wait for
                # it here and then find the schema at head (alembic reads the version again after the lock).
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise _classify(exc, where) from exc
    except SADatabaseError as exc:
        raise DatabaseError("db.corrupt", where=where, detail=_detail(exc)) from exc
    _use_wal(engine)
    return backup


def _use_wal(engine: Engine) -> None:
    """WAL lets the GUI read while the dispatcher writes. It is written into the file's header, so it is
    switched on only once the file is known to be ours."""
    if engine.url.get_backend_name() == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        raw = engine.raw_connection()  # outside any transaction, as SQLite requires for this pragma
        try:
            raw.driver_connection.execute("PRAGMA journal_mode=WAL")
        finally:
            raw.close()


messages.register({"db.detail_foreign": ("含有不属于短信精灵的表", "it holds tables that are not 短信精灵's")})


def _backup(engine: Engine, revision: str) -> Path | None:
    """Copy an SQLite database to a side file with SQLite's online backup (consistent even under WAL)."""
    if engine.url.get_backend_name() != "sqlite" or engine.url.database in (None, "", ":memory:"):
        # A shared server database is backed up by its administrator's own tools.
        return None
    source = Path(engine.url.database)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = source.with_name(f"{source.stem}.backup-schema{revision}-{stamp}{source.suffix}")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()
    return target


def _detail(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]


def _classify(exc: OperationalError, where: str) -> DatabaseError:
    text = _detail(exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseError("db.locked", where=where)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return DatabaseError("db.readonly", where=where)
    if "not a database" in text or "malformed" in text or "disk image" in text:
        return DatabaseError("db.corrupt", where=where, detail=_detail(exc))
    return DatabaseError("db.unreachable", where=where, detail=_detail(exc))
