"""Reading and writing a pyserial port the way the AT channel needs it: whatever is there, at once.

    io = port_io(port)
    io.write(b"AT+CSQ\\r")
    data = io.read(0.05)      # the bytes that arrived (b'' after `wait` seconds of silence)
    io.cancel()               # from another thread: make a read in progress return now

Any pyserial port works through `read(in_waiting or 1)`: one byte when nothing is waiting (which
blocks up to the port's own timeout), else all that is waiting. A plain POSIX serial port (a
USB modem's /dev/ttyUSB*, a pseudo-terminal) is read and written through its file descriptor
instead: one select() and one read() per arrival, against up to six system calls through
pyserial (in_waiting, select, read of one byte, in_waiting, select, read; and select and
tcdrain after a write). Each system call lets another thread take the GIL, and in a process
where the modem's other end also runs (a simulator) those hand-offs are most of the cost of a
command. The errors are pyserial's, with its messages, so callers see no difference.
"""

from __future__ import annotations

import errno
import os
import select

import serial

# Errors that only mean "try again", as pyserial treats them.
_RETRY = frozenset({errno.EAGAIN, errno.EALREADY, errno.EWOULDBLOCK, errno.EINPROGRESS, errno.EINTR})
_CHUNK = 4096


class PortIO:
    """Any pyserial port, through its own read/write."""

    def __init__(self, port: serial.SerialBase) -> None:
        self.port = port

    def read(self, wait: float) -> bytes:
        """What arrived; b'' if nothing did. Waits up to the port's timeout (the channel keeps that
        short), not `wait`: changing a real port's timeout costs a tcsetattr()."""
        port = self.port
        return port.read(port.in_waiting or 1)

    def write(self, data: bytes) -> None:
        self.port.write(data)
        self.port.flush()

    def cancel(self) -> None:
        """Make a read() blocked in another thread return now (where the port can)."""
        cancel = getattr(self.port, "cancel_read", None)
        if cancel is not None:
            cancel()


class PosixFdIO(PortIO):
    """A pyserial POSIX port (serial.Serial on Linux and macOS), through its file descriptor.

    pyserial opens it non-blocking and keeps a pipe whose write end `cancel_read()` writes to;
    select() watches that pipe too, so cancel() works as with pyserial.
    """

    def __init__(self, port: serial.SerialBase) -> None:
        super().__init__(port)
        self._fd: int = port.fd  # type: ignore[attr-defined]
        self._abort: int = port.pipe_abort_read_r  # type: ignore[attr-defined]
        self._watch = [self._fd, self._abort]

    def read(self, wait: float) -> bytes:
        try:
            ready, _, _ = select.select(self._watch, [], [], max(0.0, wait))
            if not ready:
                return b""
            if self._abort in ready:
                os.read(self._abort, 1000)
                if self._fd not in ready:
                    return b""
            data = os.read(self._fd, _CHUNK)
        except OSError as exc:
            if exc.errno in _RETRY:
                return b""
            raise serial.SerialException(f"read failed: {exc}") from exc
        if not data:
            # What a USB adapter that was pulled out looks like on Linux (pyserial's words).
            raise serial.SerialException(
                "device reports readiness to read but returned no data "
                "(device disconnected or multiple access on port?)"
            )
        return data

    def write(self, data: bytes) -> None:
        """All of `data`, waiting for room as pyserial does; no tcdrain: the modem answers only after
        the bytes arrived anyway, and the command's deadline starts when the write returns."""
        fd = self._fd
        rest: bytes | memoryview = data
        while True:
            try:
                written = os.write(fd, rest)
            except OSError as exc:
                if exc.errno not in _RETRY:
                    raise serial.SerialException(f"write failed: {exc}") from exc
                written = 0
            if written == len(rest):
                return
            rest = memoryview(rest)[written:]
            try:
                select.select([], [fd], [], None)  # wait for room in the driver's buffer
            except OSError as exc:
                if exc.errno not in _RETRY:
                    raise serial.SerialException(f"write failed: {exc}") from exc


def port_io(port: serial.SerialBase) -> PortIO:
    """The fastest way to read and write `port` that keeps pyserial's behaviour."""
    posix = getattr(serial, "serialposix", None)
    if (
        posix is not None
        and type(port) is posix.Serial  # subclasses (PosixPollSerial, VTIMESerial) read differently
        and port.is_open
        and port.write_timeout is None  # a write timeout is pyserial's to keep
        and getattr(port, "pipe_abort_read_r", None) is not None
    ):
        return PosixFdIO(port)
    return PortIO(port)
