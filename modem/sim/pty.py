"""A simulated modem on a Linux pseudo-terminal, for programs that only open device files.

    bridge = PtyBridge(SimModem(latency=0))
    print(bridge.path)        # /dev/pts/7: point gammu, smstools or python-gsmmodem at it
    ...
    bridge.close()

Two threads copy bytes: pty → simulator (what the program writes) and simulator → pty. The
first also passes on at once whatever the simulator answered right away, which saves a thread
switch per command; one lock around "read from the simulator, write to the pty" keeps the bytes
in order whichever thread moves them. The bridge keeps its own handle on the slave side open,
so the pty survives a program closing and reopening it (reading the master of a pty without any
open slave fails with EIO).
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import tty

import serial

from modem.sim.port import SimModem, SimPort


class PtyBridge:
    def __init__(self, sim: SimModem) -> None:
        self.sim = sim
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no line discipline: CR stays CR, Ctrl-Z is a byte, no echo
        self.path = os.ttyname(self._slave)
        self._port: SimPort = serial.serial_for_url(sim.url, timeout=0.05)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._to_sim, name=f"pty-in-{sim.name}", daemon=True),
            threading.Thread(target=self._from_sim, name=f"pty-out-{sim.name}", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _to_sim(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:
                return
            with self._lock:
                try:
                    self._port.write(data)
                    self._pass_on()
                except serial.SerialException:
                    continue  # the simulated cable is pulled: bytes go nowhere, as on a real port
                except OSError:
                    return

    def _from_sim(self) -> None:
        assert self._port.sim is not None
        while not self._stop.is_set():
            try:
                self._port.sim._wait_output(0.05)
                with self._lock:
                    self._pass_on()
            except serial.SerialException:
                self._stop.wait(0.05)
            except OSError:
                return

    def _pass_on(self) -> None:
        """Simulator output that is ready → the pty. Called with the lock held."""
        waiting = self._port.in_waiting
        while waiting:
            os.write(self._master, self._port.read(waiting))
            waiting = self._port.in_waiting

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=1.0)
        self._port.close()
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> PtyBridge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
