"""Big imports read the file in a child process: the same report and book as in-process, cancel, errors,
and no process left behind. The child path is forced with a low size threshold on small real files."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from smsjingling.contacts.book import ContactBook
from smsjingling.errors import ImportFileError, NotFoundError, UserError, ValidationError
from smsjingling.importer import reader_process
from smsjingling.importer import run as import_run
from smsjingling.importer.report import ImportReport
from smsjingling.importer.run import ImportCancelled, ImportOptions, import_contacts
from smsjingling.phones import PhoneError
from smsjingling.storage.database import Database, open_database
from smsjingling.storage.models import AuditEvent, Contact, Group, contact_groups
from tests.core import sheets
from tests.core.test_import import QUIRKS

LINUX = Path("/proc/self/stat").exists()


METHODS = ["fork", "spawn"] if LINUX else ["spawn"]


@pytest.fixture(params=METHODS)
def method(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each start method the child may be started with, whatever the test process would choose."""
    monkeypatch.setattr(reader_process, "START_METHOD", request.param)
    return request.param


@pytest.fixture
def in_child(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """Every file goes to the child process, in chunks of 4 rows (so merges cross chunks)."""
    monkeypatch.setattr(import_run, "CHILD_PROCESS_MIN_BYTES", 0)
    monkeypatch.setattr(import_run, "CHUNK_ROWS", 4)


def _children() -> set[tuple[int, str]]:
    """(pid, state) of this process's child processes, zombies included, from /proc. multiprocessing's
    resource tracker (one per program, started with the first spawned process, alive until the program
    exits) is not ours to reap and is left out."""
    found = set()
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == me and b"resource_tracker" not in cmdline:
            found.add((int(entry.name), state))
    return found


@pytest.fixture
def no_leftover_child() -> object:
    """Fails the test if a child process (running or zombie) outlives the import."""
    if not LINUX:
        pytest.skip("reads /proc")
    before = _children()
    yield
    assert _children() - before == set()


def _state(db: Database) -> list[tuple]:
    """The book as the import left it. A "yes" consent is stamped with the time of reading, which differs
    between two imports: only whether there is one is compared."""
    with db.reader() as s:
        contacts = [
            (
                *(c.id, c.name, c.phone, c.sms_capable, c.carrier, c.region, dict(c.fields)),
                *(c.consent_at is not None, c.consent_source, c.created_at == c.updated_at),
            )
            for c in s.execute(select(Contact).order_by(Contact.id)).scalars()
        ]
        groups = list(s.execute(select(Group.id, Group.name).order_by(Group.id)))
        members = sorted(tuple(r) for r in s.execute(select(contact_groups.c.contact_id, contact_groups.c.group_id)))
        audit = [e.details for e in s.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]
    return [contacts, groups, members, audit]


def _import_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: Path, options: ImportOptions, seed: bool
) -> tuple[tuple[ImportReport, list], tuple[ImportReport, list]]:
    """The same import into two new books (each with the same contact in it when `seed`), in this process
    and in a child; their reports and books."""
    results = []
    for name, threshold in (("here", 1 << 40), ("child", 0)):
        monkeypatch.setattr(import_run, "CHILD_PROCESS_MIN_BYTES", threshold)
        db = open_database(str(tmp_path / f"{name}.sqlite3"))
        try:
            if seed:
                ContactBook(db).add("老张", "13800138000", fields={"部门": "旧部门", "职务": "主任"}, groups=["老分组"])
            report = import_contacts(db, path, options, actor="tester")
            results.append((report, _state(db)))
        finally:
            db.close()
    return results[0], results[1]


@pytest.mark.parametrize("seed", [False, True], ids=["empty book", "book with a contact"])
def test_child_gives_the_same_report_and_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: bool, method: str, no_leftover_child: object
) -> None:
    monkeypatch.setattr(import_run, "CHUNK_ROWS", 4)  # rows 4 and 20 share a number, chunks apart
    path = sheets.write_xlsx(tmp_path / "quirks.xlsx", QUIRKS, merges=["A1:G1"])
    (here, book_here), (child, book_child) = _import_twice(
        tmp_path, monkeypatch, path, ImportOptions(groups=["全体员工", "新分组"]), seed
    )
    assert here.rejected and here.in_file_duplicates and here.landlines  # the sheet exercises every path
    assert child == here
    assert book_child == book_here


@pytest.mark.parametrize(("suffix", "encoding"), [(".xls", None), (".ods", None), (".csv", "gb18030")])
def test_child_reads_every_format_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, encoding: str | None, method: str
) -> None:
    path = sheets.write_messy(tmp_path / f"messy{suffix}", **({"encoding": encoding} if encoding else {}))
    (here, book_here), (child, book_child) = _import_twice(tmp_path, monkeypatch, path, ImportOptions(), False)
    assert here.added == 5
    assert (child, book_child) == (here, book_here)


def test_child_reports_progress_and_honours_the_options(
    tmp_path: Path, book: ContactBook, in_child: None, no_leftover_child: object
) -> None:
    path = sheets.write_xlsx(tmp_path / "q.xlsx", QUIRKS)
    seen: list[tuple[int, int]] = []
    options = ImportOptions(sheet="Sheet1", header_row=3, mapping={"电话": "ignore"}, dry_run=True)
    report = import_contacts(book.db, path, options, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(4, 18), (8, 18), (12, 18), (16, 18), (17, 18)]  # 17 non-blank rows below the header
    assert report.mapping["电话"] == "ignore" and report.dry_run
    assert book.search("", limit=10) == []


def _big(tmp_path: Path, rows: int = 1000) -> Path:
    return sheets.write_xlsx(
        tmp_path / "big.xlsx", [["姓名", "手机", "部门"]] + [[f"人{i}", 13000000000 + i, "部"] for i in range(rows)]
    )


def test_cancel_in_the_child_path_leaves_the_book_unchanged(
    tmp_path: Path, book: ContactBook, monkeypatch: pytest.MonkeyPatch, in_child: None, no_leftover_child: object
) -> None:
    monkeypatch.setattr(import_run, "CHUNK_ROWS", 100)
    book.add("老张", "13800138000", groups=["老分组"])
    before = _state(book.db)
    cancel = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 300:
            cancel.set()

    with pytest.raises(ImportCancelled) as err:
        import_contacts(book.db, _big(tmp_path), ImportOptions(groups=["新分组"]), progress=progress, cancel=cancel)
    assert err.value.key == "import.cancelled"
    assert seen == [(100, 1000), (200, 1000), (300, 1000)]
    assert _state(book.db) == before


def test_cancel_while_the_child_still_reads(
    tmp_path: Path, book: ContactBook, in_child: None, no_leftover_child: object
) -> None:
    """A cancel set before the first chunk arrives stops the import while the child is still busy."""
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ImportCancelled):
        import_contacts(book.db, _big(tmp_path), cancel=cancel)
    assert book.search("", limit=10) == []


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()], ids=["OSError", "KeyboardInterrupt"])
def test_an_error_in_the_parent_stops_the_child(
    tmp_path: Path,
    book: ContactBook,
    monkeypatch: pytest.MonkeyPatch,
    in_child: None,
    error: BaseException,
    no_leftover_child: object,
) -> None:
    monkeypatch.setattr(import_run, "CHUNK_ROWS", 100)

    def progress(done: int, total: int) -> None:
        if done >= 200:
            raise error

    with pytest.raises(type(error)):
        import_contacts(book.db, _big(tmp_path), ImportOptions(groups=["G"]), progress=progress)
    assert book.search("", limit=10) == []
    assert book.groups() == []


@pytest.mark.parametrize(
    ("writer", "options"),
    [
        (lambda p: sheets.write_xlsx(p, [["员工", "号码一"], ["张三", "13800138000"]]), ImportOptions()),
        (sheets.write_truncated_xlsx, ImportOptions()),
        (lambda p: sheets.write_xlsx(p, QUIRKS), ImportOptions(sheet="没有这张表")),
        (lambda p: sheets.write_xlsx(p, QUIRKS), ImportOptions(mapping={"不存在": "phone"})),
    ],
    ids=["no phone column", "truncated", "unknown sheet", "bad override"],
)
def test_errors_in_the_child_reach_the_caller_as_they_are(
    tmp_path: Path,
    book: ContactBook,
    monkeypatch: pytest.MonkeyPatch,
    writer,
    options: ImportOptions,
    method: str,
    no_leftover_child: object,
) -> None:
    path = writer(tmp_path / "bad.xlsx")
    errors = []
    for threshold in (1 << 40, 0):
        monkeypatch.setattr(import_run, "CHILD_PROCESS_MIN_BYTES", threshold)
        with pytest.raises(ImportFileError) as err:
            import_contacts(book.db, path, options)
        errors.append(err.value)
    here, child = errors
    assert type(child) is type(here)
    assert (child.key, child.params, child.args) == (here.key, here.params, here.args)
    assert (child.message("zh"), child.message("en")) == (here.message("zh"), here.message("en"))
    assert book.search("", limit=10) == []


@pytest.mark.skipif(not LINUX, reason="finds the child in /proc")
def test_a_child_that_dies_is_reported(
    tmp_path: Path, book: ContactBook, monkeypatch: pytest.MonkeyPatch, in_child: None, no_leftover_child: object
) -> None:
    monkeypatch.setattr(import_run, "CHUNK_ROWS", 100)
    before = _children()

    def progress(done: int, total: int) -> None:
        if done == 100:
            for pid, _state in _children() - before:
                os.kill(pid, signal.SIGKILL)

    with pytest.raises(ImportFileError) as err:
        import_contacts(book.db, _big(tmp_path, 3000), progress=progress)
    assert err.value.key == "import.reader_died"
    assert err.value.params == {"file": "big.xlsx", "code": -signal.SIGKILL}
    assert book.search("", limit=10) == []


def test_small_files_stay_in_process(tmp_path: Path, book: ContactBook, no_leftover_child: object) -> None:
    path = sheets.write_xlsx(tmp_path / "q.xlsx", QUIRKS)
    assert path.stat().st_size < import_run.CHILD_PROCESS_MIN_BYTES
    before = _children()
    during: list[set[tuple[int, str]]] = []
    import_contacts(book.db, path, progress=lambda done, total: during.append(_children() - before))
    assert during == [set()]
    assert len(book.search("", limit=100)) == 13


@pytest.mark.parametrize(
    "error",
    [
        ImportFileError("import.file_not_found", file="通讯录.xlsx"),
        ImportCancelled(),
        ValidationError("phone.too_short", value="1380", digits=4),
        PhoneError("phone.not_a_number", value="abc"),
        NotFoundError("contact.not_found", id=7),
    ],
    ids=lambda e: type(e).__name__,
)
def test_user_errors_pickle_whole(error: UserError) -> None:
    error.add_note("a note")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (copy.key, copy.params, copy.args, copy.__notes__) == (error.key, error.params, error.args, ["a note"])
    assert (copy.message("zh"), copy.message("en"), str(copy)) == (error.message("zh"), error.message("en"), str(error))


def test_other_errors_carry_the_childs_traceback() -> None:
    class Local(Exception):  # a class pickle cannot find by name
        pass

    try:
        raise Local("boom")
    except Local as exc:
        sent = reader_process._portable(exc)
    assert type(sent) is RuntimeError and str(sent) == "Local: boom"
    assert "raised in the import's reading process" in sent.__notes__[0] and "boom" in sent.__notes__[0]
    try:
        raise KeyError("x")
    except KeyError as exc:
        sent = reader_process._portable(exc)
    copy = pickle.loads(pickle.dumps(sent))
    assert type(copy) is KeyError and "test_other_errors_carry" in copy.__notes__[0]


def test_consent_time_of_a_yes_is_the_time_of_reading(tmp_path: Path, book: ContactBook, in_child: None) -> None:
    start = dt.datetime.now(dt.UTC)
    path = sheets.write_xlsx(tmp_path / "q.xlsx", QUIRKS)
    import_contacts(book.db, path)
    consent = book.search("重复")[0].consent_at
    assert consent is not None and start <= consent <= dt.datetime.now(dt.UTC)


SCRIPT = """
import sys
from pathlib import Path

if __name__ == "__mp_main__":  # multiprocessing running this script again in a child
    Path(sys.argv[3]).write_text("the child ran the main script")

from smsjingling.importer import run
from smsjingling.storage.database import open_database

if __name__ == "__main__":
    run.CHILD_PROCESS_MIN_BYTES = 0
    print(run.import_contacts(open_database(sys.argv[1]), sys.argv[2]).added)
"""


def test_the_child_does_not_run_the_main_script_again(tmp_path: Path) -> None:
    """The launchers of the CLI and the GUI import all of it at their top; the reader needs none of it."""
    script = tmp_path / "launcher.py"
    script.write_text(SCRIPT, encoding="utf-8")
    marker = tmp_path / "marker"
    path = sheets.write_xlsx(tmp_path / "q.xlsx", QUIRKS)
    db = tmp_path / "book.sqlite3"
    result = subprocess.run(
        [sys.executable, str(script), str(db), str(path), str(marker)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "13"
    assert not marker.exists()


@pytest.mark.skipif(not LINUX, reason="fork is chosen on Linux only")
def test_fork_only_from_a_single_thread() -> None:
    assert reader_process._start_method() == ("fork" if len(os.listdir("/proc/self/task")) == 1 else "spawn")
    started, stop = threading.Event(), threading.Event()
    other = threading.Thread(target=lambda: (started.set(), stop.wait()))
    other.start()
    try:
        started.wait()
        assert reader_process._start_method() == "spawn"
    finally:
        stop.set()
        other.join()


ORPHAN = """
import os, signal, sys
from smsjingling.importer import reader_process, run

def progress(done, total):
    if done == 100:  # the child is busy: report it, then die the hard way
        child = [p for p in os.listdir("/proc") if p.isdigit() and p != str(os.getpid())
                 and open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1] == str(os.getpid())
                 and b"resource_tracker" not in open(f"/proc/{p}/cmdline", "rb").read()]
        print(*child, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

if __name__ == "__main__":
    from smsjingling.storage.database import open_database
    run.CHILD_PROCESS_MIN_BYTES, run.CHUNK_ROWS = 0, 100
    reader_process.START_METHOD = sys.argv[3]
    run.import_contacts(open_database(sys.argv[1]), sys.argv[2], progress=progress)
"""


@pytest.mark.skipif(not LINUX, reason="kills with SIGKILL and watches /proc")
@pytest.mark.parametrize("start", METHODS)
def test_the_child_ends_when_the_parent_is_killed(tmp_path: Path, start: str) -> None:
    script = tmp_path / "orphan.py"
    script.write_text(ORPHAN, encoding="utf-8")
    path = _big(tmp_path, 20_000)
    out = tmp_path / "out.txt"
    with out.open("w") as stdout:  # a file, not a pipe: a surviving child would hold a pipe open forever
        code = subprocess.run(
            [sys.executable, str(script), str(tmp_path / "book.sqlite3"), str(path), start],
            stdout=stdout,
            cwd=Path(__file__).resolve().parents[2],
            timeout=60,
        ).returncode
    assert code == -signal.SIGKILL
    (child,) = map(int, out.read_text().split())
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return  # gone
        if state == "Z":
            return  # ended; its new parent has yet to reap it
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the reading process outlived its parent")
