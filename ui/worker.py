"""The one helper for background work (after MusicBrainz Picard's `run_task`).

A task is a plain callable `fn(cancel, progress) -> result` that runs in a thread pool. It gets a
`threading.Event` to poll for cancellation and a `progress(done, total)` function; it must not touch widgets.
Its result, its exception and its progress reach the caller's callbacks on the GUI thread, through queued Qt
signals into a relay object that lives there. The core stays free of Qt: it only ever sees the Event and a
plain callable, the same as when the CLI drives it.

If the owner given to `run` (a dialog, say) is destroyed first, the relay goes with it and the callbacks are
simply not called; the task itself still runs to its end (or notices `cancel`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
TaskFn = Callable[[threading.Event, Progress], Any]
ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]
ProgressCallback = Callable[[int, int], None]


class _Signals(QObject):
    """Created inside the pool thread, so it lives (and dies) there; emissions queue to the relay."""

    result = Signal(object)
    error = Signal(object)
    progress = Signal("qlonglong", "qlonglong")


class _Relay(QObject):
    """Lives on the GUI thread: its slots are where the callbacks run."""

    def __init__(
        self,
        task: Task,
        parent: QObject,
        on_result: ResultCallback | None,
        on_error: ErrorCallback | None,
        on_progress: ProgressCallback | None,
    ) -> None:
        super().__init__(parent)
        self._task = task
        self._on_result = on_result
        self._on_error = on_error
        self._on_progress = on_progress

    @Slot("qlonglong", "qlonglong")
    def deliver_progress(self, done: int, total: int) -> None:
        # Progress that arrives after a cancel is stale: the dialog showing it is already closing.
        if self._on_progress is not None and not self._task.cancelled:
            self._on_progress(done, total)

    @Slot(object)
    def deliver_result(self, value: object) -> None:
        try:
            if self._on_result is not None:
                self._on_result(value)
        finally:
            self._finish()

    @Slot(object)
    def deliver_error(self, exc: BaseException) -> None:
        try:
            if self._on_error is not None:
                self._on_error(exc)
            else:
                # Nobody is listening: at least leave a trace instead of losing the failure silently.
                log.error("background task failed", exc_info=exc)
        finally:
            self._finish()

    def _finish(self) -> None:
        self._task._delivered()
        self.deleteLater()


class Task(QRunnable):
    """One submitted callable. Keep it to cancel it; `done` is true once its callback has run."""

    def __init__(self, worker: Worker, fn: TaskFn, name: str) -> None:
        super().__init__()
        # The pool must not delete the runnable: Python owns it, and the worker keeps it until delivery.
        self.setAutoDelete(False)
        self.name = name
        self._worker = worker
        self._fn = fn
        self._cancel = threading.Event()
        self._relay: _Relay | None = None
        self.done = False
        self.ran = False  # set by the pool thread as its last act; until then Python must keep us alive

    @property
    def cancel_event(self) -> threading.Event:
        return self._cancel

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the callable to stop; it decides when (the importer checks between chunks)."""
        self._cancel.set()

    def run(self) -> None:  # in a pool thread
        signals = _Signals()
        relay = self._relay
        assert relay is not None
        signals.result.connect(relay.deliver_result)
        signals.error.connect(relay.deliver_error)
        signals.progress.connect(relay.deliver_progress)
        try:
            value = self._fn(self._cancel, signals.progress.emit)
        except BaseException as exc:  # delivered to the GUI thread, which decides what the user sees
            signals.error.emit(exc)
        else:
            signals.result.emit(value)
        finally:
            self.ran = True

    def _delivered(self) -> None:
        self.done = True
        self._worker._forget(self)


class Worker(QObject):
    """Runs tasks in its own thread pool; one per main window, shut down when the window closes."""

    #: every submitted task has delivered its result or error
    idle = Signal()

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._tasks: list[Task] = []  # waiting for their callback
        self._alive: list[Task] = []  # not yet run to the end: dropping one would delete it under the pool

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def run(
        self,
        fn: TaskFn,
        *,
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
        on_progress: ProgressCallback | None = None,
        owner: QObject | None = None,
        name: str = "",
    ) -> Task:
        """Start `fn(cancel, progress)` in the pool; callbacks run later on the GUI thread."""
        task = Task(self, fn, name or getattr(fn, "__name__", "task"))
        task._relay = _Relay(task, owner or self, on_result, on_error, on_progress)
        if owner is not None:
            # A destroyed owner takes its relay with it; the task must still leave the busy list.
            owner.destroyed.connect(lambda *_: task._delivered() if not task.done else None)
        self._alive = [t for t in self._alive if not t.ran]
        self._alive.append(task)
        self._tasks.append(task)
        self._pool.start(task)
        return task

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel everything and wait for the threads, so no task writes while the database is closed."""
        self.cancel_all()
        return self._pool.waitForDone(timeout_ms)

    def _forget(self, task: Task) -> None:
        if task in self._tasks:
            self._tasks.remove(task)
            if not self._tasks:
                self.idle.emit()
