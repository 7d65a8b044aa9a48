"""Keeping the window responsive while a big send runs in the same process (issue 6 §3: no stall of the event
loop over 100 ms while 100,000 messages go out).

What stalls the window was measured, not guessed: a watchdog thread noted, whenever the 10 ms heartbeat was
more than 40 ms late, the GUI thread's Python stack, its state and wait channel (/proc/self/task/N/stat,
wchan) and every thread's CPU and run-queue time over the stall (/proc/self/task/N/schedstat). On 10,000
messages through eight zero-latency simulated modems, on a loaded machine (2 cores, load 10-12): the GUI
thread was idle in the event loop at the start of nearly every stall, and RUNNABLE throughout it (state R,
run-queue wait about the stall's length), having run 1-10 ms of its own code; no lock waits (readers never
wait for the writer: WAL, `db.reader()`), no big model refresh. It waited for a CPU while the process's other
threads took their turns: the simulated modems, when they ran in this process, added a simulator thread or
two per modem and several GIL hand-offs per message (worker -> simulator -> port reader -> worker). With the
modems outside the process (as real modems are: devices; the test runs its simulators on pseudo-terminals in
processes of their own) the longest stall fell from 180-270 ms to 47-61 ms at the same load. A shorter GIL
switch interval (1 ms) did not help (246 ms against 177 ms at 5 ms, same run otherwise): the GUI thread was
waiting for the CPU, not for the GIL.

Still open: at 100,000 messages (11-14 minutes) on the same machine at load 8-17, the longest stall was
344-703 ms. A process doing nothing but the same heartbeat, run alongside, saw 242-522 ms (16-28 beats late by
over 100 ms); the sending window 115 such beats in one run. Under that load the process gets its share of
the CPU and the GUI thread shares it with the engine. Lowering busy threads' priority made a heartbeat worse in
a synthetic trial (three busy Python threads at nice 15: 225 ms against 54 ms at nice 0), as a descheduled
thread holding the GIL then blocks the GUI thread. What remains is the sending engine in a process of its own.

A full collection walks every tracked object while holding the GIL, so the GUI thread waits for it. Two
moments make that long (measured on the 100,000-message responsiveness test):

- the plan of a big send (quote, then create) holds a few hundred thousand short-lived objects (a recipient,
  its fields, its planned message each), and collections triggered meanwhile walked them: 190–260 ms each.
  These objects form no cycles (refcounting frees them), so the collector is paused while a plan is built;
- the objects alive when a send starts (the window, caches, modules) live on; `gc.freeze()` moves them out of
  the collector's view, so the full collections the send's own allocations trigger walk only what is new
  (150 ms -> 30 ms).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block (from any thread; blocks may overlap)."""
    global _paused
    with _lock:
        _paused += 1
        if _paused == 1:
            gc.disable()
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0:
                gc.enable()


def settle() -> None:
    """Move everything alive now out of the collector's view (cheap: no walk)."""
    gc.freeze()
