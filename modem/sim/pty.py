"""A simulated modem on a Linux pseudo-terminal, for programs that only open device files.

    bridge = PtyBridge(SimModem(latency=0))
    print(bridge.path)        # /dev/pts/7: point gammu, smstools or python-gsmmodem at it
    ...
    bridge.close()

One thread moves the bytes both ways. It waits in select() on the pty until the program writes
or the simulator's next reply is due, feeds what the program wrote to the simulator, and passes
on at once whatever the simulator answered, so an immediate reply costs no thread switch at
all. Output the simulator makes on another thread (a test injecting an SMS or line noise) is
picked up within _POLL seconds. A second thread waiting on the simulator's condition instead
would be woken by every command the simulator is fed, and each of those wake-ups costs the
program on the pty a GIL hand-off. The bridge keeps its own handle on the slave side open, so the pty survives a
program closing and reopening it (reading the master of a pty without any open slave fails
with EIO).
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import tty

import serial

from modem.sim.port import SimModem, SimPort

# Longest wait for output the simulator makes on other threads (injected URCs, a test's noise).
_POLL = 0.01
_CHUNK = 65536


class PtyBridge:
    def __init__(self, sim: SimModem) -> None:
        self.sim = sim
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no line discipline: CR stays CR, Ctrl-Z is a byte, no echo
        self.path = os.ttyname(self._slave)
        # timeout=0: a read hands out what is due now and never waits; the select below waits.
        self._port: SimPort = serial.serial_for_url(sim.url, timeout=0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"pty-{sim.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        wait = 0.0
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self._master], [], [], wait)
                if ready:
                    data = os.read(self._master, _CHUNK)
                    with contextlib.suppress(serial.SerialException):  # pulled cable: bytes go nowhere
                        self._port.write(data)
                # Simulator output that is due now → the pty, last thing before select(): the program
                # wakes up to it and should not have to wait for this thread to let go of the GIL.
                data = self._port.read(_CHUNK)
                wait = self._until_due()
                if data:
                    os.write(self._master, data)
            except serial.SerialException:
                wait = _POLL  # the simulated cable is pulled
            except OSError:
                return

    def _until_due(self) -> float:
        """Seconds until the simulator has output: 0 if it has some now, at most _POLL."""
        sim = self.sim
        with sim._cond:
            if sim._vanished:
                return _POLL  # the cable is pulled: nothing comes out until it is back
            if sim._ready:
                return 0.0  # more than one read's worth
            due = sim._events[0][0] if sim._events else None
            if sim._rssi_every and sim._open and sim.engine.settings.curc:
                # The ^RSSI storm, on the same condition as SimModem._pump sends it (with +CURC off
                # its time never moves on, and waiting for it would spin).
                due = sim._storm_next if due is None else min(due, sim._storm_next)
            now = sim.now()
        return _POLL if due is None else min(_POLL, max(0.0, due - now))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1.0)
        self._port.close()
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> PtyBridge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
