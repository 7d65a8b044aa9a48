"""A private PostgreSQL server for the tests: a cluster in a folder of its own, on a loopback port.

The distribution's packages provide the binaries (Debian: postgresql, under /usr/lib/postgresql/N/bin).
PostgreSQL refuses to run as root, so under root every server command runs as the `postgres` account (or
`nobody`), which then owns the folder. Nothing here touches the system's own clusters.

From a shell (what .ci/run does):
    python3 -m tests.pg_cluster start DIR [--port N]   # prints the server URL, e.g. postgresql://…/postgres
    python3 -m tests.pg_cluster stop DIR
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

SUPERUSER = "smsjingling"  # the cluster's bootstrap role; trusted on loopback only
PASSWORD_ROLE = "smsjingling_pw"  # a role that must give its password, even on loopback

# A test server, not a production one: durability is traded for speed (a crash of the test machine loses
# the test data, which is thrown away anyway). Restarts (pg_ctl restart -m fast) still shut down cleanly.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "'128MB'",
    "log_min_messages": "'warning'",
}


def bindir() -> Path | None:
    """Where pg_ctl and initdb are: on PATH, else the newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> tuple[list[str], str | None]:
    """The command prefix that drops root, and the account it drops to."""
    if os.geteuid() != 0:
        return [], None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return ["runuser", "-u", name, "--"], name
    raise RuntimeError("running as root and no postgres or nobody account to run PostgreSQL as")


class Cluster:
    """One cluster: `DIR/data` holds it, `DIR/server.log` its log, `DIR/port` the port it listens on."""

    def __init__(self, root: Path, port: int | None = None) -> None:
        self.root = Path(root)
        self.data = self.root / "data"
        port_file = self.root / "port"
        self.port = port or (int(port_file.read_text()) if port_file.exists() else free_port())
        found = bindir()
        if found is None:
            raise FileNotFoundError("no PostgreSQL server binaries (pg_ctl, initdb) on this machine")
        self.bin = found
        self._prefix, self._account = _run_as()

    @property
    def url(self) -> str:
        """A URL for SQLAlchemy with psycopg 3, to the maintenance database."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def _cmd(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self._prefix, *args], check=check, capture_output=True, text=True, cwd="/", timeout=120)

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if self._account:
            shutil.chown(self.root, self._account)
            self.root.chmod(0o700)
        self._cmd(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        lines = [f"{k} = {v}" for k, v in {**SETTINGS, "port": str(self.port)}.items()]
        # The socket goes to the cluster's folder, not /var/run/postgresql (which needs root to create).
        lines.append(f"unix_socket_directories = '{self.root}'")
        with (self.data / "postgresql.conf").open("a") as fh:
            fh.write("\n".join(lines) + "\n")
        # One role must give a password (the rest are trusted on loopback): what the keyring test logs in as.
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        port_file = self.root / "port"
        port_file.write_text(str(self.port))

    def start(self) -> None:
        self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "start")

    def stop(self) -> None:
        self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def restart(self) -> None:
        """A fast restart: every connection is cut, as when the office's server is rebooted."""
        # With its log file named, or the new server would hold our output pipe open.
        log = str(self.root / "server.log")
        self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", log, "-m", "fast", "-w", "restart")

    def running(self) -> bool:
        return self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.data), "status", check=False).returncode == 0


class Databases:
    """Fresh databases on a server, each a copy of one migrated template (copying is much faster than
    running the migrations again for every test)."""

    def __init__(self, server_url: str) -> None:
        self.server = make_url(server_url).set(drivername="postgresql+psycopg")
        self._template: str | None = None
        self._count = 0

    def _admin(self) -> Any:  # a psycopg connection; psycopg is imported only where PostgreSQL is tested
        import psycopg

        u = self.server
        return psycopg.connect(
            host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database, autocommit=True
        )

    def url(self, name: str) -> URL:
        return self.server.set(database=name)

    def _make_template(self) -> str:
        from smsjingling.storage.database import open_database

        name = f"smsjingling_template_{os.getpid()}"
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        open_database(self.url(name)).close()  # migrated to head; closed, as a template must have no sessions
        return name

    def create(self) -> URL:
        """A new database at the current schema; its URL."""
        if self._template is None:
            self._template = self._make_template()
        self._count += 1
        name = f"smsjingling_test_{os.getpid()}_{self._count}"
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            # FILE_COPY (PostgreSQL 15 on) copies the template's files instead of logging every block.
            strategy = " STRATEGY FILE_COPY" if conn.info.server_version >= 150000 else ""
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"{strategy}')
        return self.url(name)

    def drop(self, url: URL) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')

    def close(self) -> None:
        if self._template is not None:
            with self._admin() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self._template}" WITH (FORCE)')
            self._template = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.pg_cluster", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--port", type=int)
    args = parser.parse_args(argv)
    if args.action == "stop":
        Cluster(args.dir).stop()
        return 0
    cluster = Cluster(args.dir, args.port)
    if not cluster.data.exists():
        cluster.init()
    cluster.start()
    print(cluster.url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
