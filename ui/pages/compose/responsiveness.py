"""Keeping the window responsive while a big send runs in the same process (issue 6 §3: no stall of the event
loop over 100 ms while 100,000 messages go out). Both causes found are about the GIL.

The GIL is handed over every `sys.getswitchinterval()` (5 ms by default) to whichever waiting thread the OS
wakes. During a send some twenty threads want it (a worker and a port reader per modem, the simulated
modems' own threads, the dispatcher, the status reads), so the GUI thread often loses several handovers in a
row: 60-300 ms stalls at 5 ms, less at 1 ms (measured on 4,000 messages through eight zero-latency simulated
modems, on a loaded machine: 288/68 ms against 87/51 ms). `share_the_gil` sets 1 ms for the process. The
page does not call it for now: with it, a crash inside `ui.worker` (a pool thread emitting a result while the
relay is deleted on the GUI thread, it seems) showed up far more often; see the issue 6 notes.

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
import sys
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


SWITCH_INTERVAL_S = 0.001


def share_the_gil() -> None:
    """Hand the GIL over every millisecond instead of every five, so the GUI thread waits less for it."""
    if sys.getswitchinterval() > SWITCH_INTERVAL_S:
        sys.setswitchinterval(SWITCH_INTERVAL_S)


def settle() -> None:
    """Move everything alive now out of the collector's view (cheap: no walk)."""
    gc.freeze()
