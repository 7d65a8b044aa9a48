"""The AT channel: one serial port, one reader thread, one command at a time.

    with ATChannel.open("COM5") as at:           # any pyserial URL: loop://, socket://, script://
        at.subscribe(print)                       # URCs, from the reader thread
        reply = at.command("AT+CSQ", timeout=2)   # Reply(lines=('+CSQ: 18,99',), final='OK')
        at.send_with_prompt("AT+CMGS=23", pdu_hex, timeout=60)

Rules the channel keeps:
- A command's deadline is absolute from its write. Unsolicited lines arriving meanwhile are
  handed to subscribers and never extend it.
- Lines are classified by `unsolicited.classify_line`; URCs are cut out of the reply wherever
  they fall, the echo of the command line (ATE1) is dropped.
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
from collections.abc import Callable
from dataclasses import dataclass, field

import serial

from modem.at.framer import PROMPT, Framer
from modem.at.unsolicited import Unsolicited, UrcKind, classify_line, is_final
from modem.errors import ChannelClosed, CommandError, CommandTimeout, PortGone, PortUnavailable

log = logging.getLogger(__name__)

CTRL_Z = b"\x1a"
ESC = b"\x1b"
# How often the reader wakes up to notice close() when the port is silent.
_READ_POLL = 0.05

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


@dataclass
class _Pending:
    command: str
    echo_candidates: list[str]
    lines: list[str] = field(default_factory=list)
    reply_seen: bool = False
    final: str | None = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)
    want_prompt: bool = False
    prompt: threading.Event = field(default_factory=threading.Event)


class ATChannel:
    """Request/response over one serial port, with unsolicited codes split off to subscribers."""

    def __init__(self, port: serial.SerialBase, *, name: str | None = None, default_timeout: float = 5.0) -> None:
        self._port = port
        self.name = name or str(getattr(port, "port", None) or "serial")
        self.default_timeout = default_timeout
        self._framer = Framer()
        self._command_lock = threading.Lock()  # one command at a time
        self._state = threading.Lock()  # guards _pending, _body_for, _subscribers, _gone
        self._pending: _Pending | None = None
        self._body_for: Unsolicited | None = None
        self._subscribers: list[Subscriber] = []
        self._gone: PortGone | None = None
        self._closed = threading.Event()
        if port.timeout is None or port.timeout > _READ_POLL:
            port.timeout = _READ_POLL
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
            pending.prompt.set()
            pending.done.set()
        cancel = getattr(self._port, "cancel_read", None)
        if cancel is not None:
            # The port may already be gone; closing it below is what matters.
            with contextlib.suppress(serial.SerialException, OSError, AttributeError):
                cancel()
        if threading.current_thread() is not self._reader:
            self._reader.join(timeout=2.0)
            if self._reader.is_alive():
                log.warning("%s: reader thread did not stop within 2 s", self.name)
        try:
            self._port.close()
        except (serial.SerialException, OSError) as exc:
            log.info("%s: error while closing the port (ignored): %s", self.name, exc)

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
        with self._command_lock:
            self._check_usable()
            pending = _Pending(command, [command], want_prompt=payload is not None)
            if payload is not None:
                pending.echo_candidates.append(payload.decode("ascii", errors="replace").strip())
            with self._state:
                self._pending = pending
                self._framer.expect_prompt = payload is not None
            try:
                self._write(command.encode("ascii", errors="replace") + b"\r")
                deadline = time.monotonic() + timeout
                if payload is not None:
                    self._write_payload(pending, payload, deadline, prompt_timeout)
                if not pending.done.wait(max(0.0, deadline - time.monotonic())):
                    with self._state:
                        received = list(pending.lines)
                    raise CommandTimeout(command, timeout, received)
            finally:
                with self._state:
                    if self._pending is pending:
                        self._pending = None
                    self._framer.expect_prompt = False
        if pending.error is not None:
            raise pending.error
        assert pending.final is not None
        reply = Reply(command, tuple(pending.lines), pending.final)
        if check and not reply.ok:
            raise CommandError.from_final(command, pending.final, pending.lines)
        return reply

    def _write_payload(self, pending: _Pending, payload: bytes, deadline: float, prompt_timeout: float | None) -> None:
        wait = deadline - time.monotonic()
        if prompt_timeout is not None:
            wait = min(wait, prompt_timeout)
        got_prompt = pending.prompt.wait(max(0.0, wait))
        if pending.error is not None or pending.done.is_set():
            return  # the modem answered an error instead of the prompt, or the port went away
        if not got_prompt:
            # Leave the modem's prompt state, or it would swallow the next command as SMS text.
            with contextlib.suppress(PortGone):
                self._write(ESC)
            with self._state:
                received = list(pending.lines)
            raise CommandTimeout(pending.command, wait, received, waiting_for="'> ' prompt")
        self._write(payload + CTRL_Z)

    def cancel_input(self) -> None:
        """Write ESC. A modem left waiting for a message body (a program killed between AT+CMGS and its
        Ctrl-Z) drops it and sends nothing; in command mode ESC only clears a half-typed line."""
        self._check_usable()
        self._write(ESC)

    def _write(self, data: bytes) -> None:
        try:
            self._port.write(data)
            self._port.flush()
        except (serial.SerialException, OSError) as exc:
            gone = self._mark_gone(exc)
            raise gone from exc

    # -- reader side -------------------------------------------------------------------------

    def _read_loop(self) -> None:
        while not self._closed.is_set():
            try:
                waiting = self._port.in_waiting
                data = self._port.read(waiting or 1)
            except (serial.SerialException, OSError) as exc:
                if not self._closed.is_set():
                    self._mark_gone(exc)
                return
            if data:
                self._handle_bytes(data)

    def _handle_bytes(self, data: bytes) -> None:
        for event in self._framer.feed(data):
            if event is PROMPT:
                with self._state:
                    pending = self._pending
                if pending is not None and pending.want_prompt:
                    self._framer.expect_prompt = False
                    pending.prompt.set()
                continue
            assert isinstance(event, str)
            self._handle_line(event)

    def _handle_line(self, line: str) -> None:
        out: list[Unsolicited] = []
        with self._state:
            pending = self._pending
            if self._body_for is not None:
                header = self._body_for
                self._body_for = None
                if pending is not None and is_final(line, pending.command):
                    # The body never came; deliver the header alone and let the final code through.
                    out.append(header)
                else:
                    out.append(Unsolicited(header.kind, header.name, header.line, body=line))
                    line = ""
            if line and pending is not None and not pending.done.is_set() and \
                    self._consume_for_pending(pending, line):
                line = ""
            if line:
                verdict = classify_line(line)
                urc = Unsolicited(verdict.urc or UrcKind.UNKNOWN, verdict.name, line)
                if verdict.needs_body:
                    self._body_for = urc
                else:
                    out.append(urc)
        for urc in out:
            self._notify(urc)

    def _consume_for_pending(self, pending: _Pending, line: str) -> bool:
        """Take `line` into the command in flight if it belongs there. Called with _state held."""
        if is_final(line, pending.command):
            pending.final = line.strip()
            pending.done.set()
            pending.prompt.set()  # an error instead of the prompt ends the wait for it
            return True
        if not pending.lines and pending.echo_candidates:
            compact = line.replace(" ", "").upper()
            for echo in pending.echo_candidates:
                if compact.startswith(echo.replace(" ", "").upper()):
                    pending.echo_candidates.remove(echo)
                    return True
        verdict = classify_line(line, pending.command, pending.reply_seen)
        if verdict.urc is not None:
            return False
        if verdict.name.startswith(("+", "^")):
            pending.reply_seen = True
        pending.lines.append(line)
        return True

    def _mark_gone(self, exc: BaseException) -> PortGone:
        with self._state:
            if self._gone is None:
                self._gone = PortGone(self.name, exc)
                first = True
            else:
                first = False
            gone = self._gone
            pending = self._pending
        if first:
            log.info("%s: port gone: %s", self.name, exc)
            if pending is not None:
                pending.error = gone
                pending.prompt.set()
                pending.done.set()
            self._notify(Unsolicited(UrcKind.PORT_GONE, "PORT GONE", str(exc)))
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
