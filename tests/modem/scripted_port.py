"""A scripted serial port for tests, reachable as the pyserial URL `script://<name>`.

    script = ModemScript(echo=True)
    script.on("AT+CSQ", b"\\r\\n+CSQ: 18,99\\r\\n\\r\\nOK\\r\\n")
    with ATChannel.open(script.url) as at: ...

A ModemScript plays the modem: it answers each command line it receives (up to CR) with the
chunks of the first matching rule; each chunk is handed out by a separate read(), so a test
decides exactly where reads split the modem's output. Chunks may also be callables, run when
the command arrives (to inject bytes, trip an event, or make the port vanish mid-reply).
Between commands the test can `inject()` unsolicited bytes, start a `chatter()`, go `silent()`,
or make the port `vanish()` (every read and write then raises SerialException, as pyserial does
when a USB modem is pulled). Like a real COM port, a script can be opened by one port object
at a time; opening it again before close() fails.
"""

from __future__ import annotations

import itertools
import re
import sys
import threading
import types
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import serial

Chunk = bytes | str | Callable[["ModemScript"], None]
Matcher = str | re.Pattern[str] | Callable[[str], bool]

_registry: dict[str, ModemScript] = {}
_registry_lock = threading.Lock()
_names = itertools.count(1)


@dataclass
class _Rule:
    match: Matcher
    chunks: tuple[Chunk, ...]
    once: bool = False
    hits: int = 0

    def matches(self, command: str) -> bool:
        if isinstance(self.match, str):
            return command.strip().upper() == self.match.strip().upper()
        if isinstance(self.match, re.Pattern):
            return self.match.fullmatch(command.strip()) is not None
        return self.match(command)


@dataclass
class ModemScript:
    """The modem side of a scripted port. Thread-safe: the test, the writer and the reader use it."""

    name: str = ""
    echo: bool = False
    unknown: bytes | None = b"\r\nERROR\r\n"  # answer to a command no rule matches; None: say nothing
    commands: list[str] = field(default_factory=list)  # command lines received, without CR
    payloads: list[bytes] = field(default_factory=list)  # text sent after a prompt, up to Ctrl-Z
    aborted: list[bytes] = field(default_factory=list)  # text ended by ESC instead of Ctrl-Z
    written: bytearray = field(default_factory=bytearray)  # every byte written, as written

    def __post_init__(self) -> None:
        if not self.name:
            self.name = f"modem{next(_names)}"
        self._cond = threading.Condition()
        self._out: deque[bytes] = deque()
        self._rules: list[_Rule] = []
        self._payload_rule: tuple[Chunk, ...] = (b"\r\nOK\r\n",)
        self._typed = bytearray()
        self._silent = False
        self._vanished = False
        self._vanish_error: type[Exception] = serial.SerialException
        self._open = False
        self.open_count = 0
        self._chatter_stop: list[threading.Event] = []
        with _registry_lock:
            _registry[self.name] = self

    @property
    def url(self) -> str:
        return f"script://{self.name}"

    @property
    def is_open(self) -> bool:
        return self._open

    # -- scripting ---------------------------------------------------------------------------

    def on(self, match: Matcher, *chunks: Chunk, once: bool = False) -> ModemScript:
        """Answer commands that match (exact text, case-insensitive; a regex; or a predicate)."""
        with self._cond:
            self._rules.append(_Rule(match, chunks, once))
        return self

    def on_payload(self, *chunks: Chunk) -> ModemScript:
        """The answer to the text sent after a `> ` prompt and ended by Ctrl-Z."""
        with self._cond:
            self._payload_rule = chunks
        return self

    def inject(self, *chunks: Chunk) -> None:
        """Send bytes now, unasked (unsolicited codes, garbage)."""
        self._emit(chunks, "")

    def silent(self, on: bool = True) -> None:
        """Stop (or resume) answering commands; echo stops too. Injected bytes still flow."""
        with self._cond:
            self._silent = on

    def vanish(self, error: type[Exception] = serial.SerialException) -> None:
        """The cable is pulled: reads and writes raise `error` from now on.

        pyserial raises SerialException on Linux; on Windows a vanished port often surfaces as an
        OSError (e.g. "the device does not recognize the command", winerror 22).
        """
        with self._cond:
            self._vanished = True
            self._vanish_error = error
            self._cond.notify_all()

    def chatter(self, data: bytes, every: float) -> Callable[[], None]:
        """Send `data` every `every` seconds from a background thread, until the stopper is called."""
        stop = threading.Event()
        self._chatter_stop.append(stop)

        def run() -> None:
            while not stop.wait(every):
                if self._vanished:
                    return
                self.inject(data)

        threading.Thread(target=run, name=f"chatter-{self.name}", daemon=True).start()
        return stop.set

    def stop(self) -> None:
        """Stop every chatter thread (call at the end of a test)."""
        for stop in self._chatter_stop:
            stop.set()

    def wait_for_command(self, match: Matcher, timeout: float = 2.0) -> bool:
        """Block until a command matching `match` has been received."""
        rule = _Rule(match, ())
        with self._cond:
            return self._cond.wait_for(lambda: any(rule.matches(c) for c in self.commands), timeout)

    # -- the modem's side of the wire ---------------------------------------------------------

    def _emit(self, chunks: tuple[Chunk, ...], command: str) -> None:
        for chunk in chunks:
            if callable(chunk):
                chunk(self)
                continue
            data = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
            with self._cond:
                self._out.append(data)
                self._cond.notify_all()

    def _receive(self, data: bytes) -> None:
        """Bytes the host wrote: split into command lines (CR) and prompt text (Ctrl-Z / ESC)."""
        todo: list[tuple[tuple[Chunk, ...], str]] = []
        with self._cond:
            self.written.extend(data)
            for byte in data:
                if byte == 0x0D:
                    text = self._typed.decode("ascii", errors="replace").lstrip("\n")
                    self._typed.clear()
                    self.commands.append(text)
                    self._cond.notify_all()
                    if self._silent:
                        continue
                    if self.echo:
                        todo.append(((text.encode("ascii", errors="replace") + b"\r",), text))
                    todo.append((self._answer(text), text))
                elif byte in (0x1A, 0x1B):
                    payload = bytes(self._typed)
                    self._typed.clear()
                    (self.payloads if byte == 0x1A else self.aborted).append(payload)
                    self._cond.notify_all()
                    if self._silent:
                        continue
                    if self.echo:
                        todo.append(((payload + bytes([byte]),), ""))
                    if byte == 0x1A:
                        todo.append((self._payload_rule, ""))
                else:
                    self._typed.append(byte)
        for chunks, command in todo:
            self._emit(chunks, command)

    def _answer(self, command: str) -> tuple[Chunk, ...]:
        for rule in self._rules:
            if rule.matches(command) and not (rule.once and rule.hits):
                rule.hits += 1
                return rule.chunks
        return (self.unknown,) if self.unknown is not None else ()

    def _read(self, size: int, timeout: float | None, cancelled: threading.Event) -> bytes:
        with self._cond:
            self._cond.wait_for(lambda: self._out or self._vanished or cancelled.is_set() or not self._open, timeout)
            if self._vanished:
                raise self._vanish_error(
                    "device reports readiness to read but returned no data "
                    "(device disconnected or multiple access on port?)"
                )
            if cancelled.is_set():
                cancelled.clear()
                return b""
            if not self._out:
                return b""
            chunk = self._out.popleft()
            if len(chunk) > size:
                self._out.appendleft(chunk[size:])
                chunk = chunk[:size]
            return chunk

    def _in_waiting(self) -> int:
        with self._cond:
            if self._vanished:
                raise self._vanish_error("device disconnected")
            return len(self._out[0]) if self._out else 0

    def _attach(self) -> None:
        with self._cond:
            if self._open:
                raise serial.SerialException(f"could not open port {self.url}: port is busy")
            if self._vanished:
                raise serial.SerialException(f"could not open port {self.url}: no such device")
            self._open = True
            self.open_count += 1

    def _detach(self) -> None:
        with self._cond:
            self._open = False
            self._cond.notify_all()


class ScriptedPort(serial.SerialBase):
    """pyserial port class for `script://name` URLs (see ModemScript)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self._script: ModemScript | None = None
        self._cancel = threading.Event()
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def open(self) -> None:
        if self._port is None:
            raise serial.SerialException("port must be configured before it can be used")
        if self.is_open:
            raise serial.SerialException("port already open")
        name = str(self._port).split("://", 1)[-1].split("?", 1)[0]
        with _registry_lock:
            script = _registry.get(name)
        if script is None:
            raise serial.SerialException(f"could not open port {self._port}: no such script")
        script._attach()
        self._script = script
        self.is_open = True

    def close(self) -> None:
        if self.is_open and self._script is not None:
            self._script._detach()
        self.is_open = False

    def _reconfigure_port(self) -> None:
        pass  # baud rate and framing mean nothing to a script

    def _live(self) -> ModemScript:
        if not self.is_open or self._script is None:
            raise serial.PortNotOpenError()
        return self._script

    @property
    def in_waiting(self) -> int:
        return self._live()._in_waiting()

    def read(self, size: int = 1) -> bytes:
        return self._live()._read(size, self._timeout, self._cancel)

    def write(self, data: bytes) -> int:
        script = self._live()
        if script._vanished:
            raise script._vanish_error("write failed: device disconnected")
        script._receive(bytes(data))
        return len(data)

    def flush(self) -> None:
        self._live()

    def cancel_read(self) -> None:
        self._cancel.set()
        if self._script is not None:
            with self._script._cond:
                self._script._cond.notify_all()

    def reset_input_buffer(self) -> None:
        script = self._live()
        with script._cond:
            script._out.clear()

    def reset_output_buffer(self) -> None:
        pass


def _register_scheme() -> None:
    """Make serial.serial_for_url('script://…') build a ScriptedPort.

    pyserial finds URL handlers as modules named `<package>.protocol_<scheme>` in the packages of
    serial.protocol_handler_packages; a module object registered in sys.modules is enough.
    """
    package = "_scripted_port_handlers"
    if package in sys.modules:
        return
    pkg = types.ModuleType(package)
    pkg.__path__ = []
    handler = types.ModuleType(f"{package}.protocol_script")
    handler.Serial = ScriptedPort  # type: ignore[attr-defined]
    sys.modules[package] = pkg
    sys.modules[f"{package}.protocol_script"] = handler
    serial.protocol_handler_packages.append(package)


_register_scheme()
