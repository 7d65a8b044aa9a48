"""Keeping Python's cyclic garbage collector from freezing the window during a big send.

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
