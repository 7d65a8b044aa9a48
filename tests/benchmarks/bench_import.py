"""Contact import and search benchmarks (issue 2).

- 100,000 rows x 6 columns of .xlsx into an empty book, in a fresh process (what `smsjingling contacts import`
  costs, start-up of the number tables included), against the naive way: openpyxl cell by cell and one ORM
  insert per row, on the same file in the same run.
- 1,000,000 rows (the .xlsx maximum) into an empty book in a fresh process: its peak memory.
- Search by phone prefix and by name over the resulting 1,000,000 contacts.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from tests.benchmarks.harness import Benchmark, Figure, Stopwatch
from tests.core import sheets

ROOT = Path(__file__).resolve().parents[2]

# Runs in a child process: import one file into a new database, print the seconds the import took and the
# peak memory of the importing process and of the process that read the file for it (big files are read in
# a process of their own; ru_maxrss of children is the largest child the import started and waited for).
CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from smsjingling.storage.database import open_database
from smsjingling.importer.run import import_contacts, ImportOptions
db = open_database({db!r})
def reader_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
start, cpu, reader = time.perf_counter(), time.process_time(), reader_cpu()
report = import_contacts(db, {path!r}, ImportOptions(groups=["全体"]))
seconds = time.perf_counter() - start
cpu = time.process_time() - cpu + reader_cpu() - reader
own_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
reader_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({{"seconds": seconds, "cpu": cpu, "added": report.added, "rejected": len(report.rejected),
                  "own_mb": own_kb / 1024, "reader_mb": reader_kb / 1024}}))
"""


def _child_import(path: Path, db: Path) -> tuple[dict, float]:
    """Import in a fresh interpreter; returns its report and the peak memory of the import in MB: the sum
    of the peaks of the importing process and of its reading process (an upper bound: they need not peak
    at the same moment)."""
    code = CHILD.format(root=str(ROOT), db=str(db), path=str(path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report, report["own_mb"] + report["reader_mb"]


def _naive_import(path: Path, db_path: Path) -> tuple[float, int]:
    """openpyxl cell by cell, one ORM insert (and flush) per row: the obvious first version."""
    import openpyxl

    from smsjingling.phones import PhoneError, parse_phone
    from smsjingling.storage.database import open_database
    from smsjingling.storage.models import Contact

    db = open_database(str(db_path))
    added = 0
    with Stopwatch() as watch, warnings.catch_warnings():
        # Our fast writer leaves out styles.xml, as many exporters do; openpyxl says so and carries on.
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(path)
        sheet = book.active
        headers = [sheet.cell(row=1, column=c).value for c in range(1, sheet.max_column + 1)]
        with db.session() as session:
            for r in range(2, sheet.max_row + 1):
                values = [sheet.cell(row=r, column=c).value for c in range(1, len(headers) + 1)]
                try:
                    phone = parse_phone(values[1])
                except PhoneError:
                    continue
                fields = {h: str(v) for h, v in zip(headers[2:], values[2:], strict=False) if v not in (None, "")}
                session.add(
                    Contact(
                        name=str(values[0] or ""),
                        phone=phone.e164,
                        sms_capable=phone.sms_capable,
                        carrier=str(phone.carrier),
                        region=phone.region,
                        fields=fields,
                    )
                )
                session.flush()
                added += 1
    db.close()
    return watch.seconds, added


def import_100k() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        path = sheets.write_big_xlsx(Path(tmp) / "contacts-100k.xlsx", rows=100_000)
        ours, _ = _child_import(path, Path(tmp) / "ours.sqlite3")
        assert ours["added"] == 100_000, ours
        naive_seconds, naive_added = _naive_import(path, Path(tmp) / "naive.sqlite3")
        assert naive_added == 100_000
    return [
        Figure("import 100,000 x 6 .xlsx, fresh process", ours["seconds"], "s", 3.0),
        Figure("  its CPU time, both processes", ours["cpu"], "s"),
        Figure("naive: openpyxl cell by cell + ORM insert per row", naive_seconds, "s"),
        Figure("speed-up over the naive import", naive_seconds / ours["seconds"], "x", 5.0, higher_is_better=True),
    ]


def import_1m_and_search() -> list[Figure]:
    from smsjingling.contacts.book import ContactBook
    from smsjingling.storage.database import open_database

    with tempfile.TemporaryDirectory() as tmp:
        path = sheets.write_big_xlsx(Path(tmp) / "contacts-1m.xlsx", rows=1_000_000)
        db_path = Path(tmp) / "million.sqlite3"
        report, peak_mb = _child_import(path, db_path)
        assert report["added"] == 1_000_000, report
        db = open_database(str(db_path))
        book = ContactBook(db)
        timings: dict[str, float] = {}
        for label, query in [
            ("phone prefix 138", "138"),
            ("phone prefix 1590001", "1590001"),
            ("name prefix 王", "王"),
            ("name 张伟", "张伟"),
        ]:
            runs = []
            for _ in range(7):
                start = time.perf_counter()
                found = book.search(query, limit=200)
                runs.append(time.perf_counter() - start)
            assert found, label
            timings[label] = statistics.median(runs) * 1000
        db.close()
    figures = [
        Figure("import 1,000,000 rows .xlsx: time", report["seconds"], "s"),
        Figure("import 1,000,000 rows .xlsx: peak memory, both processes", peak_mb, "MB", 1024.0),
        Figure("  of which the importing process", report["own_mb"], "MB"),
        Figure("  of which the reading process", report["reader_mb"], "MB"),
    ]
    figures += [Figure(f"search 1,000,000 contacts: {label}", ms, "ms", 50.0) for label, ms in timings.items()]
    return figures


BENCHMARKS = [
    Benchmark("import 100k", import_100k),
    Benchmark("import 1m + search", import_1m_and_search, {"slow"}),
]
