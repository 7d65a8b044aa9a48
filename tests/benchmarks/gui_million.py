"""The 1,000,000-contact database the GUI benchmarks open, built once and kept in a cache folder.

Built the way an office would fill it: the big generated .xlsx imported by the real importer into a group
全体, then ten department groups of about 100,000 each, two small ones (领导, 100 people; 青年, 20,000) and
a thousand opt-outs, so the group tree, the counts and the greyed rows have something to show, and both
ways of reading a group (dense: walk the names; small: sort its members) are exercised. Rebuilt when
BUILD_VERSION changes or the file is gone. Set SMSJINGLING_BENCH_CACHE to keep it somewhere else.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import platformdirs

ROOT = Path(__file__).resolve().parents[2]
ROWS = 1_000_000
BUILD_VERSION = 2  # bump when what is built changes (2: schema 0005, the substring index)

BUILD = """
import sys
sys.path.insert(0, {root!r})
from smsjingling.importer.run import ImportOptions, import_contacts
from smsjingling.storage.database import open_database
from tests.core import sheets
db = open_database({db!r})
sheets.write_big_xlsx({xlsx!r}, rows={rows})
report = import_contacts(db, {xlsx!r}, ImportOptions(groups=["全体"]))
assert report.added == {rows}, report.summary()
db.close()
"""


def cache_folder() -> Path:
    env = os.environ.get("SMSJINGLING_BENCH_CACHE")
    folder = Path(env) if env else Path(platformdirs.user_cache_dir("SMSJingling")) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def million_db(rows: int = ROWS) -> Path:
    """The path of the cached database of `rows` contacts, building it first if needed (a minute or two)."""
    target = cache_folder() / f"contacts-{rows}-v{BUILD_VERSION}.sqlite3"
    if target.exists():
        return target
    started = time.perf_counter()
    print(f"   (building {target.name} once; later runs reuse it)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        partial = Path(tmp) / target.name
        xlsx = Path(tmp) / "contacts.xlsx"
        code = BUILD.format(root=str(ROOT), db=str(partial), xlsx=str(xlsx), rows=rows)
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        _add_groups_and_optouts(partial)
        # One file, no WAL beside it: what a user's book looks like between sessions.
        os.replace(partial, target)
    print(f"   (built in {time.perf_counter() - started:.0f} s)", flush=True)
    return target


def _add_groups_and_optouts(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        now = "2024-11-01 08:00:00.000000"
        departments = [r[0] for r in conn.execute("SELECT DISTINCT json_extract(fields, '$.部门') FROM contacts")]
        for department in sorted(d for d in departments if d):
            cur = conn.execute("INSERT INTO groups (name, note, created_at) VALUES (?, '', ?)", (department, now))
            conn.execute(
                "INSERT INTO contact_groups (contact_id, group_id) "
                "SELECT id, ? FROM contacts WHERE json_extract(fields, '$.部门') = ?",
                (cur.lastrowid, department),
            )
        for name, step in (("领导", 10_000), ("青年", 50)):
            cur = conn.execute("INSERT INTO groups (name, note, created_at) VALUES (?, '', ?)", (name, now))
            conn.execute(
                "INSERT INTO contact_groups (contact_id, group_id) SELECT id, ? FROM contacts WHERE id % ? = 3",
                (cur.lastrowid, step),
            )
        conn.execute(
            "INSERT INTO opt_outs (phone, reason, note, created_at) "
            "SELECT phone, 'manual', '', ? FROM contacts WHERE id % 1000 = 7",
            (now,),
        )
        conn.execute("COMMIT")
        # No ANALYZE: a user's book has no planner statistics either.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
