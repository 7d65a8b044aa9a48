"""The reading half of a big import in a child process, streaming staged chunks to the importing process.

Why a process: parsing and cleaning rows is Python work that holds the GIL, and so does most of what the
database driver does between its steps; in one process the two take turns, and a big import costs the sum
of both. In a child process the reading runs on the other core while the parent only writes.

How:
- How the child starts: 'fork' on Linux when the importing process has a single thread (the CLI, scripts),
  'spawn' everywhere else (Windows, macOS, and the GUI, which imports in a thread pool next to Qt's
  threads). spawn costs a fresh interpreter and the reading modules, about 0.3 s of CPU and of wall time
  before the child can start parsing: the 100,000-row benchmark on 2 shared cores took (median of 6, same
  run) 2.5 s forked, 2.8 s spawned, 3.2 s with no child at all, and 4.4 s with the importer before it. fork is unsafe
  only where another thread may hold a lock the child then needs, and a single-threaded process has no
  other thread (Python 3.12+ warns about exactly the multi-threaded case). Both ways run the same code
  with the same inputs: everything the child needs is in its ReadRequest, nothing is taken from the
  parent's state, and the tests run the child path both ways. A frozen app needs
  multiprocessing.freeze_support() at its entry (main.py has it).
- A spawned child imports only the reading modules (no SQLAlchemy); no child opens the database. It sends one
  SheetInfo, then StagedChunks (see staging.py), over a one-way pipe, from a thread of its own so that
  reading goes on while the parent writes. It stays at most a few chunks ahead, so memory stays flat.
- Any exception in the child is sent instead and raised in the parent as it is (UserError subclasses
  pickle with their key and parameters; other errors carry the child's traceback as a note).
- The parent polls the pipe and checks `cancel` between polls. On cancel, on any error, and on
  KeyboardInterrupt (the child ignores SIGINT: a Ctrl-C reaches the whole process group, and the parent is
  the one to act on it) the child is terminated; it is always joined, so no zombie is left.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import traceback
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from smsjingling import messages
from smsjingling.errors import ImportFileError, UserError
from smsjingling.importer.staging import ReadRequest, SheetInfo, StagedChunk, read_staged

START_METHOD: str | None = None  # None: chosen by _start_method(); tests set "fork" or "spawn"
_POLL_SECONDS = 0.05  # how soon a cancel is noticed while the child reads
_JOIN_SECONDS = 5.0

messages.register(
    {
        "import.reader_died": (
            "读取 {file} 的进程意外退出（退出码 {code}），通讯录未作任何更改。",
            "The process reading {file} ended unexpectedly (exit code {code}); the book is unchanged.",
        ),
    }
)


@dataclass(frozen=True, slots=True)
class _Failure:
    """An exception raised in the child, on its way to the parent."""

    error: BaseException


@contextlib.contextmanager
def read_in_child(
    request: ReadRequest, check_cancel: Callable[[], None]
) -> Iterator[Iterator[SheetInfo | StagedChunk]]:
    """What read_staged(request) yields, read and staged in a child process.

    `check_cancel` is called while waiting for the child and raises to stop. The child is stopped and
    joined when the block ends, whichever way it ends.
    """
    method = START_METHOD or _start_method()
    context = multiprocessing.get_context(method)
    receiver, sender = context.Pipe(duplex=False)
    # A forked child holds a copy of the parent's end too; it closes it, or it would never see the parent go.
    inherited = receiver if method == "fork" else None
    process = context.Process(target=_child_main, args=(sender, request, inherited), name="import-reader", daemon=True)
    try:
        with _main_module_hidden() if method == "spawn" else contextlib.nullcontext():
            process.start()
    finally:
        sender.close()  # the child's end: once the child is gone, reading gives EOF instead of waiting
    stream = _Stream(receiver, process, Path(request.path).name, check_cancel)
    try:
        yield iter(stream)
    finally:
        receiver.close()
        stream.stop()


def _start_method() -> str:
    """fork where it is safe (Linux, and no thread but this one), spawn elsewhere; see the module's doc."""
    if not sys.platform.startswith("linux"):
        return "spawn"
    try:
        threads = len(os.listdir("/proc/self/task"))  # every thread, Qt's and other foreign ones included
    except OSError:
        return "spawn"
    return "fork" if threads == 1 else "spawn"


_starting = threading.Lock()


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Let the child start without running the parent's main module.

    spawn runs the parent's main script (or module) again in the child, as __mp_main__, so that what it
    defines can be unpickled there. The reader needs nothing from it, and it can be costly: the launchers
    pip writes for `smsjingling` and `smsjingling-gui` import the whole CLI or GUI at their top, which is
    about a second (PySide6, SQLAlchemy, Alembic). While the child is started, an empty module stands in
    for __main__, and multiprocessing tells the child to leave its main module alone. The frozen Windows
    app is not concerned: multiprocessing never runs the main module again in a frozen executable.
    """
    with _starting:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is None:
                del sys.modules["__main__"]
            else:
                sys.modules["__main__"] = main


class _Stream:
    """The parent's side of the pipe."""

    def __init__(self, receiver: Connection, process: Any, file: str, check_cancel: Callable[[], None]) -> None:
        self.receiver = receiver
        self.process = process
        self.file = file
        self.check_cancel = check_cancel
        self.finished = False  # the child sent its last chunk

    def __iter__(self) -> Iterator[SheetInfo | StagedChunk]:
        while not self.finished:
            while not self.receiver.poll(_POLL_SECONDS):
                self.check_cancel()
            try:
                item = self.receiver.recv()
            except (EOFError, OSError):  # the child is gone without a word (killed, out of memory), or mid-word
                self.process.join(_JOIN_SECONDS)
                raise ImportFileError("import.reader_died", file=self.file, code=self.process.exitcode) from None
            if isinstance(item, _Failure):
                raise item.error
            self.finished = isinstance(item, StagedChunk) and item.final
            yield item

    def stop(self) -> None:
        """Reap the child. One that sent everything is let exit by itself (it frees the parsed sheet on the
        way out, while the parent commits); any other is terminated first."""
        process = self.process
        if self.finished:
            process.join(_JOIN_SECONDS)
        if process.exitcode is None:
            process.terminate()
            process.join(_JOIN_SECONDS)
        if process.exitcode is None:  # pragma: no cover - a child that survives SIGTERM
            process.kill()
            process.join()
        process.close()


def _child_main(sender: Connection, request: ReadRequest, parents_end: Connection | None) -> None:
    """The child: read and stage, send everything, or send the error. Should the parent die, sending fails
    (nobody holds the other end of the pipe any more) and the child ends too."""
    if parents_end is not None:
        parents_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # see run._no_cyclic_gc: many small containers, no cycles
    messages.set_language(request.language)
    with _Outbox(sender) as outbox:
        try:
            for item in read_staged(request):
                if not outbox.put(item):
                    return  # the parent stopped listening: it cancelled or failed, and terminates us
        except BaseException as exc:  # every error goes to the parent, which raises it
            outbox.put(_Failure(_portable(exc)))


class _Outbox:
    """Sends on a thread of its own, a few items ahead of the reading.

    A chunk is far bigger than what a pipe holds, so sending waits until the parent has read it all, and
    the parent reads only between its writes. Sent from the reading thread, every chunk would wait for the
    previous write to end; from here, the reading goes on meanwhile (the thread waits without the GIL).
    """

    _AHEAD = 3
    _END = None

    def __init__(self, sender: Connection) -> None:
        self.sender = sender
        self.items: queue.Queue[Any] = queue.Queue(maxsize=self._AHEAD)
        self.broken = threading.Event()  # the parent is gone or stopped reading
        self.thread = threading.Thread(target=self._send_all, name="import-sender", daemon=True)

    def __enter__(self) -> _Outbox:
        self.thread.start()
        return self

    def put(self, item: Any) -> bool:
        """Queue one item; False once nothing reaches the parent any more."""
        if not self.broken.is_set():
            self.items.put(item)
        return not self.broken.is_set()

    def _send_all(self) -> None:
        while (item := self.items.get()) is not self._END:
            if self.broken.is_set():
                continue  # drain, so that put() never waits for a sender that stopped
            try:
                self.sender.send(item)
            except OSError:  # BrokenPipeError and the like
                self.broken.set()

    def __exit__(self, *exc: object) -> None:
        self.items.put(self._END)
        self.thread.join()
        self.sender.close()


def _portable(exc: BaseException) -> BaseException:
    """The exception as it can cross the pipe. A UserError goes as it is (its message is all the user needs);
    anything else is a bug or an environment problem, and gets the child's traceback as a note, since its
    own traceback stays behind. One that cannot be pickled is replaced by a RuntimeError saying what it was."""
    if not isinstance(exc, UserError):
        exc.add_note("raised in the import's reading process:\n" + "".join(traceback.format_exception(exc)).rstrip())
    try:
        pickle.dumps(exc)
    except Exception:
        substitute = RuntimeError(f"{type(exc).__name__}: {exc}")
        for note in getattr(exc, "__notes__", ()):
            substitute.add_note(note)
        return substitute
    return exc
