"""The one helper for background work (after MusicBrainz Picard's `run_task`).

A task is a plain callable `fn(cancel, progress) -> result` that runs in a thread pool. It gets a
`threading.Event` to poll for cancellation and a `progress(done, total)` function; it must not touch widgets.
Its result, its exception and its progress reach the caller's callbacks on the GUI thread, through queued Qt
signals into a relay object that lives there. The core stays free of Qt: it only ever sees the Event and a
plain callable, the same as when the CLI drives it.

If the owner given to `run` (a dialog, say) is destroyed first, the callbacks are not called and the task's
cancel Event is set; the task itself runs until it notices. No Qt object is created or deleted in a pool
thread: the relay belongs to the worker and is deleted on the GUI thread after its last delivery.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMetaObject, QObject, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


Progress = Callable[[int, int], None]
TaskFn = Callable[[threading.Event, Progress], Any]
ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]
ProgressCallback = Callable[[int, int], None]


class _Relay(QObject):
    """Lives on the GUI thread, owned by the worker: the pool thread emits its signals, Qt queues them here.

    Nothing Qt is created or deleted in a pool thread: the relay has a C++ parent, so dropping the last
    Python reference to it in the pool thread never deletes it; it is deleted later, on the GUI thread.
    """

    result = Signal(object)
    error = Signal(object)
    progress = Signal("qlonglong", "qlonglong")

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
        self._owner: QObject | None = None
        self._owner_connection: QMetaObject.Connection | None = None
        self.result.connect(self._deliver_result)
        self.error.connect(self._deliver_error)
        self.progress.connect(self._deliver_progress)

    @Slot("qlonglong", "qlonglong")
    def _deliver_progress(self, done: int, total: int) -> None:
        # Progress that arrives after a cancel is stale: the dialog showing it is already closing.
        if self._on_progress is not None and self._task.wanted and not self._task.cancelled:
            self._on_progress(done, total)

    @Slot(object)
    def _deliver_result(self, value: object) -> None:
        try:
            if self._on_result is not None and self._task.wanted:
                self._on_result(value)
        finally:
            self._finish()

    @Slot(object)
    def _deliver_error(self, exc: BaseException) -> None:
        try:
            if self._task.wanted and self._on_error is not None:
                self._on_error(exc)
            elif self._task.wanted:
                # Nobody is listening: at least leave a trace instead of losing the failure silently.
                log.error("background task %s failed", self._task.name, exc_info=exc)
        finally:
            self._finish()

    def watch(self, owner: QObject) -> None:
        """Skip the callbacks (and cancel the task) if `owner` is destroyed before the task ends."""
        self._owner = owner
        self._owner_connection = owner.destroyed.connect(self._owner_destroyed)

    @Slot()
    def _owner_destroyed(self) -> None:
        self._owner = self._owner_connection = None
        self._task.wanted = False
        self._task.cancel()

    def _finish(self) -> None:
        if self._owner_connection is not None:
            # One connection per page would otherwise pile up on a model that lives all day.
            QObject.disconnect(self._owner_connection)
            self._owner = self._owner_connection = None
        self._task._delivered()
        self._task._release(self)


class Task:
    """One submitted callable. Keep it to cancel it; `done` is true once its callback has run."""

    def __init__(self, worker: Worker, fn: TaskFn, name: str) -> None:
        self.name = name
        self._worker = worker
        self._fn = fn
        self._cancel = threading.Event()
        self.done = False
        # False once the owner is gone: the callbacks would touch deleted widgets.
        self.wanted = True
        # the pool thread and the delivery each hold the relay until they are done with it
        self._release_lock = threading.Lock()
        self._holders = 2

    @property
    def cancel_event(self) -> threading.Event:
        return self._cancel

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the callable to stop; it decides when (the importer checks between chunks)."""
        self._cancel.set()

    def _run(self, relay: _Relay) -> None:  # in a pool thread
        try:
            try:
                value = self._fn(self._cancel, relay.progress.emit)
            except BaseException as exc:  # delivered to the GUI thread, which decides what the user sees
                relay.error.emit(exc)
            else:
                relay.result.emit(value)
        finally:
            self._release(relay)

    def _release(self, relay: _Relay) -> None:
        """Delete the relay once both the delivery (GUI thread) and the pool thread's emit are over.

        Deleting it as soon as the result was delivered raced with the pool thread still returning from
        emit() on it, which crashed the interpreter now and then under load. deleteLater() is thread-safe:
        the deletion itself always happens on the GUI thread."""
        with self._release_lock:
            self._holders -= 1
            last = self._holders == 0
        if last:
            relay.deleteLater()

    def _delivered(self) -> None:
        self.done = True
        self._worker._forget(self)


class Worker(QObject):
    """Runs tasks in its own thread pool; one per main window, shut down when the window closes."""

    # every submitted task has delivered its result or error
    idle = Signal()

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._tasks: list[Task] = []  # waiting for their callback

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
        # Parented to the worker, not the owner: the pool thread may still emit on it after the owner died.
        relay = _Relay(task, self, on_result, on_error, on_progress)
        if owner is not None:
            relay.watch(owner)
        self._tasks.append(task)
        self._pool.start(lambda: task._run(relay))
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
