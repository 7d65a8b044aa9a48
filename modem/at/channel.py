"""The AT channel: one serial port, one command at a time, a reader thread for the quiet times.

    with ATChannel.open("COM5") as at:           # any pyserial URL: loop://, socket://, script://
        at.subscribe(print)                       # URCs, from the reader thread
        reply = at.command("AT+CSQ", timeout=2)   # Reply(lines=('+CSQ: 18,99',), final='OK')
        at.send_with_prompt("AT+CMGS=23", pdu_hex, timeout=60)

Who reads the port: the thread whose command is in flight reads it itself until its reply is
complete, so a reply costs no thread switch (in a process that also runs the other end of the
line, a simulator, each switch is a GIL hand-off and they were most of a command's cost). The
reader thread reads only while no command is in flight and none has been for
_QUIET_BEFORE_READING seconds, so commands sent back to back keep the port; a command that
starts while the reader is in the middle of a read makes it return with cancel_read() and takes
over. Whoever reads, the same code splits the bytes into reply lines and unsolicited codes.

Rules the channel keeps:
- A command's deadline is absolute from its write. Unsolicited lines arriving meanwhile are
  handed to subscribers and never extend it.
- Lines are classified by `unsolicited.classify_line`; URCs are cut out of the reply wherever
  they fall, the echo of the command line (ATE1) is dropped.
- URCs always reach subscribers on the reader thread, in the order they arrived, whichever
  thread read them; those read by a command reach subscribers while it is still in flight, and
  those that came before its final code have reached them when it returns.
  Between commands sent back to back, URCs wait in the port's buffer until the next command
  or the reader reads them (at most _QUIET_BEFORE_READING + _READ_POLL seconds).
- A serial error (USB cable pulled) marks the channel gone: the command in flight gets
  `PortGone` at once, later calls too, and subscribers get a PORT_GONE event.
- Subscribers run on the reader thread: they must be quick and must not call `command()`
  (that would wait for the very thread that runs them; it raises RuntimeError instead).

What the channel cannot know: after a timeout the modem may still answer the old command.
Those late lines (up to and including their final code) are handed to subscribers as UNKNOWN
URCs if no command is in flight; if the next command is already written, its reply may be
confused with the late one. Callers that time out should treat the modem as suspect (e.g. send
a plain AT and check it answers) before going on.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import serial

from modem.at.framer import PROMPT, Framer
from modem.at.portio import port_io
from modem.at.unsolicited import Unsolicited, UrcKind, classify_line, is_final, own_reply_prefix
from modem.errors import ChannelClosed, CommandError, CommandTimeout, PortGone, PortUnavailable

log = logging.getLogger(__name__)

CTRL_Z = b"\x1a"
ESC = b"\x1b"
# The longest single read: how often the reader wakes up to notice close() when the port is silent.
_READ_POLL = 0.05
# The reader starts reading only after this much quiet, so that it need not be interrupted by the
# next of a run of commands; URCs arriving meanwhile wait in the port's buffer.
_QUIET_BEFORE_READING = 0.02

Subscriber = Callable[[Unsolicited], None]


@dataclass(frozen=True)
class Reply:
    """A command's information lines (URCs and echo removed) and its final result code."""

    command: str
    lines: tuple[str, ...]
    final: str

    @property
    def ok(self) -> bool:
        return self.final.upper() == "OK" or self.final.upper().startswith("CONNECT")


class _Pending:
    """The command in flight. Only the thread that holds the port changes it (close() sets error)."""

    __slots__ = (
        "command",
        "done",
        "echoes",
        "error",
        "final",
        "lines",
        "own_prefix",
        "prompted",
        "reply_seen",
        "want_prompt",
    )

    def __init__(self, command: str, payload: bytes | None) -> None:
        self.command = command
        self.own_prefix = own_reply_prefix(command)
        self.want_prompt = payload is not None
        # The echo (ATE1) of the command line, and of the payload, compared without spaces or case.
        self.echoes = [_compact(command)]
        if payload is not None:
            self.echoes.append(_compact(payload.decode("ascii", errors="replace")))
        self.lines: list[str] = []
        self.reply_seen = False
        self.final: str | None = None
        self.error: BaseException | None = None
        self.done = False  # final code seen, or error set
        self.prompted = False  # the > prompt came (or the command ended without it)


def _compact(text: str) -> str:
    return text.strip().replace(" ", "").upper()


class ATChannel:
    """Request/response over one serial port, with unsolicited codes split off to subscribers."""

    def __init__(self, port: serial.SerialBase, *, name: str | None = None, default_timeout: float = 5.0) -> None:
        self._port = port
        self.name = name or str(getattr(port, "port", None) or "serial")
        self.default_timeout = default_timeout
        self._framer = Framer()
        self._command_lock = threading.Lock()  # one command at a time
        self._port_lock = threading.Lock()  # held by whoever reads the port and feeds the framer
        self._state = threading.Lock()  # guards _pending (against close()) and _subscribers
        self._pending: _Pending | None = None
        self._body_for: Unsolicited | None = None  # a +CMT/+CDS header waiting for its body line
        self._subscribers: list[Subscriber] = []
        self._gone: PortGone | None = None
        self._closed = threading.Event()
        self._wake = threading.Condition()  # the reader thread sleeps on it; guards _urcs and _gone
        self._urcs: deque[Unsolicited] = deque()  # read, not yet handed to subscribers
        self._queued = 0  # URCs put in _urcs so far, and of those, handed out so far (guarded by _wake)
        self._delivered = 0
        self._quiet_since = time.monotonic()  # when the last command ended
        if port.timeout is None or port.timeout > _READ_POLL:
            port.timeout = _READ_POLL
        self._io = port_io(port)
        self._reader = threading.Thread(target=self._read_loop, name=f"at-reader-{self.name}", daemon=True)
        self._reader.start()

    @classmethod
    def open(
        cls, url: str, *, baudrate: int = 115200, default_timeout: float = 5.0, **serial_kwargs: object
    ) -> ATChannel:
        """Open a pyserial port by URL (COM5, /dev/ttyUSB0, loop://, script://…) and start the reader."""
        try:
            port = serial.serial_for_url(url, baudrate=baudrate, timeout=_READ_POLL, **serial_kwargs)
        except (serial.SerialException, OSError) as exc:
            raise PortUnavailable(url, exc) from exc
        return cls(port, name=url, default_timeout=default_timeout)

    # -- public API --------------------------------------------------------------------------

    @property
    def is_gone(self) -> bool:
        return self._gone is not None

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback(urc)` for every unsolicited code, on the reader thread. Returns an unsubscriber."""
        with self._state:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._state:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def command(self, command: str, timeout: float | None = None, *, check: bool = True) -> Reply:
        """Send `command` (without CR) and wait for its final result code.

        Raises CommandTimeout after `timeout` seconds from the write, CommandError for an error
        final code (unless check=False: then the Reply carries it), PortGone, ChannelClosed.
        """
        return self._run(command, None, timeout, None, check)

    def send_with_prompt(
        self,
        command: str,
        payload: str | bytes,
        timeout: float | None = None,
        *,
        prompt_timeout: float | None = None,
        check: bool = True,
    ) -> Reply:
        """Send a command that answers `> ` (AT+CMGS, AT+CMGW), then the payload and Ctrl-Z.

        If the prompt does not come within `prompt_timeout` (default: the whole `timeout`), ESC
        is sent to make the modem leave the prompt state, and CommandTimeout is raised. The
        deadline of the whole exchange is `timeout` from the write of the command.
        """
        data = payload.encode("ascii") if isinstance(payload, str) else bytes(payload)
        return self._run(command, data, timeout, prompt_timeout, check)

    def close(self) -> None:
        """Stop the reader and release the port. Safe to call more than once, from any thread."""
        if self._closed.is_set():
            return
        self._closed.set()
        with self._state:
            pending = self._pending
        if pending is not None:
            pending.error = ChannelClosed(f"{self.name}: channel closed")
            pending.done = True
        # Whoever is in a read (the reader, or a command's thread) returns now and sees the flags.
        # The port may already be gone; closing it below is what matters.
        with contextlib.suppress(serial.SerialException, OSError, AttributeError):
            self._io.cancel()
        with self._wake:
            self._wake.notify_all()
        if threading.current_thread() is not self._reader:
            self._reader.join(timeout=2.0)
            if self._reader.is_alive():
                log.warning("%s: reader thread did not stop within 2 s", self.name)
        # A command's thread still in a read must be out of it before the port closes under it.
        have_port = self._port_lock.acquire(timeout=2.0)
        if not have_port:
            log.warning("%s: a command did not leave the port within 2 s; closing it anyway", self.name)
        try:
            self._port.close()
        except (serial.SerialException, OSError) as exc:
            log.info("%s: error while closing the port (ignored): %s", self.name, exc)
        finally:
            if have_port:
                self._port_lock.release()

    def __enter__(self) -> ATChannel:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- request side ------------------------------------------------------------------------

    def _check_usable(self) -> None:
        if self._gone is not None:
            raise PortGone(self._gone.port, self._gone.cause)
        if self._closed.is_set():
            raise ChannelClosed(f"{self.name}: channel closed")

    def _run(
        self,
        command: str,
        payload: bytes | None,
        timeout: float | None,
        prompt_timeout: float | None,
        check: bool,
    ) -> Reply:
        if threading.current_thread() is self._reader:
            raise RuntimeError("a subscriber must not send commands from the reader thread")
        command = command.strip()
        timeout = self.default_timeout if timeout is None else timeout
        pending = _Pending(command, payload)
        with self._command_lock:
            if not self._port_lock.acquire(blocking=False):
                self._check_usable()
                self._take_port(command, timeout)
            try:
                with self._state:
                    self._check_usable()  # also: closed or gone while we waited for the port
                    self._pending = pending
                self._framer.expect_prompt = payload is not None
                self._write(command.encode("ascii", errors="replace") + b"\r")
                deadline = time.monotonic() + timeout
                if payload is not None:
                    self._write_payload(pending, payload, deadline, prompt_timeout)
                if not self._read_until(pending, deadline):
                    raise CommandTimeout(command, timeout, list(pending.lines))
            finally:
                with self._state:
                    self._pending = None
                self._framer.expect_prompt = False
                self._quiet_since = time.monotonic()
                self._port_lock.release()
            if pending.error is None:
                self._await_delivery(deadline)
        if pending.error is not None:
            raise pending.error
        assert pending.final is not None
        reply = Reply(command, tuple(pending.lines), pending.final)
        if check and not reply.ok:
            raise CommandError.from_final(command, pending.final, pending.lines)
        return reply

    def _await_delivery(self, deadline: float) -> None:
        """Wait until subscribers have had every URC read so far, as when the reader thread read
        everything: what came before a final code is handed out before its command returns (a
        modem's RDY, say, before the next command). Bounded by the command's deadline."""
        if self._delivered == self._queued:
            return
        with self._wake:
            target = self._queued
            while self._delivered < target and self._reader.is_alive():
                wait = deadline - time.monotonic()
                if wait <= 0:
                    return
                self._wake.wait(wait)

    def _take_port(self, command: str, timeout: float) -> None:
        """Take the port from the reader thread, which is in a read (called with the command lock held).

        The reader gives the port up once that read returns: at once if the port can cancel a read,
        else within _READ_POLL. Whatever it read meanwhile arrived before our command was written,
        so it is unsolicited.
        """
        with contextlib.suppress(serial.SerialException, OSError):
            self._io.cancel()
        if not self._port_lock.acquire(timeout=max(timeout, 2 * _READ_POLL)):
            raise CommandTimeout(command, timeout, (), waiting_for="hand-over of the port")

    def _read_until(self, pending: _Pending, deadline: float, *, prompt: bool = False) -> bool:
        """Read and handle what arrives until the command is done (with `prompt`: or its `> ` came).
        False if `deadline` passed first. Called with the port held."""
        io = self._io
        while not (pending.done or (prompt and pending.prompted)):
            wait = deadline - time.monotonic()
            if wait <= 0:
                return False
            try:
                data = io.read(wait)
            except (serial.SerialException, OSError) as exc:
                if self._closed.is_set():
                    raise ChannelClosed(f"{self.name}: channel closed") from exc
                raise self._mark_gone(exc) from exc
            if data:
                self._handle_bytes(data)
        return True

    def _write_payload(self, pending: _Pending, payload: bytes, deadline: float, prompt_timeout: float | None) -> None:
        wait = deadline - time.monotonic()
        if prompt_timeout is not None:
            wait = min(wait, prompt_timeout)
        got_prompt = self._read_until(pending, time.monotonic() + wait, prompt=True)
        if pending.done:
            return  # the modem answered an error instead of the prompt, or the channel closed
        if not got_prompt:
            # Leave the modem's prompt state, or it would swallow the next command as SMS text.
            with contextlib.suppress(PortGone):
                self._write(ESC)
            raise CommandTimeout(pending.command, wait, list(pending.lines), waiting_for="'> ' prompt")
        self._write(payload + CTRL_Z)

    def cancel_input(self) -> None:
        """Write ESC. A modem left waiting for a message body (a program killed between AT+CMGS and its
        Ctrl-Z) drops it and sends nothing; in command mode ESC only clears a half-typed line."""
        self._check_usable()
        self._write(ESC)

    def _write(self, data: bytes) -> None:
        try:
            self._io.write(data)
        except (serial.SerialException, OSError) as exc:
            gone = self._mark_gone(exc)
            raise gone from exc

    # -- reader side -------------------------------------------------------------------------

    def _read_loop(self) -> None:
        while True:
            with self._wake:
                while True:
                    if self._urcs:
                        batch: list[Unsolicited] | None = list(self._urcs)
                        self._urcs.clear()
                        break
                    if self._closed.is_set() or self._gone is not None:
                        return
                    busy = self._command_lock.locked()
                    quiet = time.monotonic() - self._quiet_since
                    if not busy and quiet >= _QUIET_BEFORE_READING:
                        batch = None
                        break
                    # A command in flight reads for itself; check again later, or when it queues URCs.
                    self._wake.wait(_QUIET_BEFORE_READING if busy else _QUIET_BEFORE_READING - quiet)
            if batch is not None:
                for urc in batch:
                    self._notify(urc)
                with self._wake:
                    self._delivered += len(batch)
                    self._wake.notify_all()  # a command may wait for these (_await_delivery)
            else:
                self._read_while_idle()

    def _read_while_idle(self) -> None:
        if not self._port_lock.acquire(blocking=False):
            return  # a command (or close()) has the port
        try:
            if self._command_lock.locked() or self._closed.is_set():
                return  # a command is about to take the port: let it
            try:
                data = self._io.read(_READ_POLL)
            except (serial.SerialException, OSError) as exc:
                if not self._closed.is_set():
                    self._mark_gone(exc)
                return
            if data:
                self._handle_bytes(data)
        finally:
            self._port_lock.release()

    def _handle_bytes(self, data: bytes) -> None:
        """Bytes read from the port → reply lines of the command in flight, and URCs for the reader
        thread to hand out. Called by whoever holds the port."""
        urcs: list[Unsolicited] = []
        pending = self._pending
        for event in self._framer.feed(data):
            if event is PROMPT:
                if pending is not None and pending.want_prompt:
                    self._framer.expect_prompt = False
                    pending.prompted = True
                continue
            assert isinstance(event, str)
            self._handle_line(event, pending, urcs)
        if urcs:
            with self._wake:
                self._urcs.extend(urcs)
                self._queued += len(urcs)
                self._wake.notify_all()

    def _handle_line(self, line: str, pending: _Pending | None, urcs: list[Unsolicited]) -> None:
        if self._body_for is not None:
            header = self._body_for
            self._body_for = None
            if pending is not None and is_final(line, pending.command):
                # The body never came; deliver the header alone and let the final code through.
                urcs.append(header)
            else:
                urcs.append(Unsolicited(header.kind, header.name, header.line, body=line))
                return
        if pending is not None and not pending.done and self._consume_for_pending(pending, line):
            return
        verdict = classify_line(line)
        urc = Unsolicited(verdict.urc or UrcKind.UNKNOWN, verdict.name, line)
        if verdict.needs_body:
            self._body_for = urc
        else:
            urcs.append(urc)

    def _consume_for_pending(self, pending: _Pending, line: str) -> bool:
        """Take `line` into the command in flight if it belongs there."""
        if line == "OK" or is_final(line, pending.command):
            pending.final = line.strip()
            pending.done = True
            pending.prompted = True  # an error instead of the prompt ends the wait for it
            return True
        if not pending.lines and pending.echoes:
            compact = _compact(line)
            for echo in pending.echoes:
                if compact.startswith(echo):
                    pending.echoes.remove(echo)
                    return True
        prefix = pending.own_prefix
        if prefix is not None and line.startswith(prefix) and line[len(prefix) : len(prefix) + 1] in ("", ":", " "):
            # The reply line itself (+CMGS: 12): what classify_line would say, without the regex work.
            pending.reply_seen = pending.reply_seen or prefix[0] in "+^"
        else:
            verdict = classify_line(line, pending.command, pending.reply_seen)
            if verdict.urc is not None:
                return False
            if verdict.name.startswith(("+", "^")):
                pending.reply_seen = True
        pending.lines.append(line)
        return True

    def _mark_gone(self, exc: BaseException) -> PortGone:
        with self._wake:  # with the PORT_GONE event, so that the reader hands it out before it stops
            first = self._gone is None
            if first:
                self._gone = PortGone(self.name, exc)
                self._urcs.append(Unsolicited(UrcKind.PORT_GONE, "PORT GONE", str(exc)))
                self._queued += 1
                self._wake.notify_all()
            gone = self._gone
        if first:
            log.info("%s: port gone: %s", self.name, exc)
            with self._state:
                pending = self._pending
            if pending is not None:
                pending.error = gone
                pending.done = True
        assert gone is not None
        return gone

    def _notify(self, urc: Unsolicited) -> None:
        with self._state:
            subscribers = list(self._subscribers)
        if not subscribers:
            log.debug("%s: unsolicited with no subscriber: %s", self.name, urc.line)
        for callback in subscribers:
            try:
                callback(urc)
            except Exception:
                # A broken subscriber must not take the reader (and every later reply) down with it.
                log.exception("%s: subscriber %r failed on %r", self.name, callback, urc.line)
