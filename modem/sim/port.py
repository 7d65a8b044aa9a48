"""The simulated modem as a device (`SimModem`) and as a pyserial port (`SimPort`, for `sim://` URLs).

    sim = SimModem(latency=0, pin="1234")          # or serial.serial_for_url("sim://name?latency=0")
    port = serial.serial_for_url(sim.url)           # real AT bytes from here on
    sim.inject_sms("+8613911112222", "你好")        # +CMTI: "SM",1 to the port
    sim.sent[0].submit.text                         # every PDU it accepted

Timing without threads: every reply, URC and network event is queued with the moment it is due;
`read()` hands out what is due and sleeps until the next one. A `SimModem` outlives its port
objects, so a port can be closed and opened again (after `unplug()` / `plug_in()` too) with the
SIM, storage and sent PDUs intact. Like a real COM port, it can be open only once at a time.
"""

from __future__ import annotations

import heapq
import itertools
import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime

import serial

from modem.sim.engine import Engine
from modem.sim.state import ModemSettings, SentPdu, SimConfig, Storage

_registry: dict[str, SimModem] = {}
_registry_lock = threading.Lock()
_names = itertools.count(1)

# Event kinds: replies and boot output are lost in a reboot; network events (status reports) are not.
_REPLY = "reply"
_NETWORK = "network"


def get(name: str) -> SimModem | None:
    """The registered simulated modem called `name`, if any."""
    with _registry_lock:
        return _registry.get(name)


class SimModem:
    """One simulated GSM modem with a SIM. Thread-safe; its public methods are the test API."""

    def __init__(self, config: SimConfig | None = None, *, register: bool = True, **overrides: object) -> None:
        if overrides.get("latency") == 0 and "sms_latency" not in overrides:
            overrides["sms_latency"] = 0.0  # as in URLs: latency=0 means a zero-latency modem
        config = replace(config or SimConfig(), **overrides)  # type: ignore[arg-type]
        if not config.name:
            config = replace(config, name=f"sim{next(_names)}")
        self.config = config
        self.name = config.name
        self._cond = threading.Condition()  # an RLock inside: engine callbacks re-enter it
        self._events: list[tuple[float, int, str, bytes | Callable[[], None]]] = []
        self._seq = itertools.count()
        self._ready = bytearray()
        self._open = False
        self._vanished = False
        self._baudrate = 0
        self.open_count = 0
        self.rng = random.Random(config.seed)
        self._rssi_every = config.rssi_every
        self._storm_next = time.monotonic() + self._rssi_every
        self.engine = Engine(config, self, self.rng)
        if register:
            with _registry_lock:
                _registry[self.name] = self

    @property
    def url(self) -> str:
        return f"sim://{self.name}"

    def remove(self) -> None:
        """Forget this modem (its name can be used again)."""
        with _registry_lock:
            if _registry.get(self.name) is self:
                del _registry[self.name]

    # -- Host protocol (called by the engine, lock held) ----------------------------------------

    def now(self) -> float:
        return time.monotonic()

    def _push(self, delay: float, kind: str, item: bytes | Callable[[], None]) -> None:
        heapq.heappush(self._events, (self.now() + max(0.0, delay), next(self._seq), kind, item))
        self._cond.notify_all()

    def reply(self, data: bytes, delay: float) -> None:
        if self.config.garbage_rate and self.rng.random() < self.config.garbage_rate:
            data = self._noise() + data
        self._push(delay, _REPLY, data)

    def urc(self, data: bytes, delay: float = 0.0) -> None:
        self._push(delay, _NETWORK, data)

    def later(self, delay: float, action: Callable[[], None], *, network: bool = True) -> None:
        self._push(delay, _NETWORK if network else _REPLY, action)

    def vanish(self) -> None:
        with self._cond:
            self._vanished = True
            self._ready.clear()
            self._cond.notify_all()

    def reboot(self) -> None:
        with self._cond:
            self._events = [e for e in self._events if e[2] == _NETWORK]
            heapq.heapify(self._events)
            self.engine.power_on()  # what already left (self._ready) is on the wire: the host gets it
            self._push(self.config.boot_delay, _REPLY, lambda: self._push(0.0, _REPLY, self.engine.boot_urcs()))

    def _noise(self, count: int | None = None) -> bytes:
        count = count if count is not None else self.rng.randint(1, 12)
        # Line noise: high bytes and NULs (what a glitch at the wrong baud rate looks like), then a
        # line end so that the next real line starts clean, as it does on a real modem.
        return bytes(self.rng.choice((0x00, *range(0x80, 0x100))) for _ in range(count)) + b"\r\n"

    # -- the test API ---------------------------------------------------------------------------

    @property
    def sent(self) -> list[SentPdu]:
        with self._cond:
            self._pump()
            return list(self.engine.sent)

    def sent_texts(self) -> list[str]:
        """The text of every sent message, multipart messages joined (in the order they left)."""
        from modem.codec import reassemble_text

        texts: list[str] = []
        groups: dict[tuple[str, int, int], list[SentPdu]] = {}
        for item in self.sent:
            concat = item.submit.concat
            if concat is None:
                texts.append(item.submit.text or "")
                continue
            key = (item.recipient, concat.ref, concat.total)
            groups.setdefault(key, []).append(item)
            if len(groups[key]) == concat.total:
                texts.append(reassemble_text([p.submit for p in groups.pop(key)]))
        return texts

    def storage(self, name: str = "SM") -> Storage:
        with self._cond:
            self._pump()
            return self.engine.storages[name.upper()]

    @property
    def settings(self) -> ModemSettings:
        return self.engine.settings

    def inject_sms(
        self,
        sender: str,
        text: str,
        *,
        order: Sequence[int] | None = None,
        drop: Iterable[int] = (),
        concat_ref: int | None = None,
        timestamp: datetime | None = None,
        flash: bool = False,
    ) -> list[int | None]:
        """An SMS from `sender` arrives, split into parts as a network delivers it.

        `order` lists the part numbers (1-based) in the order they arrive; `drop` leaves parts
        out (an incomplete message). Returns the storage index of each delivered part (None for
        a part sent straight to the port with +CMT, or lost to a full memory).
        """
        with self._cond:
            parts = self.engine.inbound_pdus(sender, text, timestamp=timestamp, concat_ref=concat_ref, flash=flash)
            seqs = list(order) if order is not None else list(range(1, len(parts) + 1))
            skip = set(drop)
            return [self.engine.deliver(*parts[seq - 1]) for seq in seqs if seq not in skip]

    def inject(self, data: bytes) -> None:
        """Send raw bytes to the port now (unsolicited lines, garbage)."""
        with self._cond:
            self._push(0.0, _NETWORK, data)

    def inject_garbage(self, count: int = 16) -> None:
        with self._cond:
            self._push(0.0, _NETWORK, self._noise(count))

    def set_silent(self, silent: bool = True) -> None:
        """Stop (or resume) answering commands, echo included: a hung modem."""
        with self._cond:
            self.engine.silent = silent

    def set_signal(self, rssi: int) -> None:
        with self._cond:
            self.engine.rssi = rssi

    def set_network(self, *, registered: bool = True, roaming: bool = False) -> None:
        with self._cond:
            self.engine.registered = registered
            self.engine.roaming = roaming

    def set_latency(self, latency: float | None = None, sms_latency: float | None = None) -> None:
        """Change the per-command and per-SMS delays from now on (a network getting slow or fast)."""
        with self._cond:
            changes = {k: v for k, v in (("latency", latency), ("sms_latency", sms_latency)) if v is not None}
            self.config = replace(self.config, **changes)
            self.engine.config = self.config

    def set_delivery_status(self, number: str, status: int) -> None:
        """TP-ST of status reports for messages to `number` (0 delivered, 0x40.. failed)."""
        with self._cond:
            self.engine.delivery_status[number] = status

    def set_ussd(self, code: str, answer: str) -> None:
        with self._cond:
            self.engine.ussd_replies[code] = answer

    def fail_sends(self, *, on: Iterable[int] = (), rate: float | None = None, code: int | None = None) -> None:
        """Answer +CMS ERROR for the +CMGS numbered in `on` (1-based, counting every +CMGS so far),
        or at `rate`; with `code` (default the configured one)."""
        with self._cond:
            self.engine.cms_on.update(on)
            if rate is not None:
                self.engine.cms_rate = rate
            if code is not None:
                self.engine.cms_code = code

    def fault_on_send(self, kind: str, n: int) -> None:
        """Make the Nth +CMGS (1-based, absolute) 'silence', 'vanish' or 'reboot'."""
        with self._cond:
            {"silence": self.engine.silence_on, "vanish": self.engine.vanish_on, "reboot": self.engine.reboot_on}[
                kind
            ].add(n)

    @property
    def sends_so_far(self) -> int:
        with self._cond:
            return self.engine.cmgs_count

    def storm(self, every: float) -> None:
        """Send Huawei ^RSSI every `every` seconds (0 stops)."""
        with self._cond:
            self._rssi_every = every
            self._storm_next = self.now() + every
            self._cond.notify_all()

    def unplug(self) -> None:
        """The USB cable is pulled: reads and writes raise, opening fails until plug_in()."""
        self.vanish()

    def plug_in(self, *, reboot: bool = True) -> None:
        """The cable is back. The modem lost power, so by default it boots again (PIN needed)."""
        with self._cond:
            self._vanished = False
            if reboot:
                self.reboot()

    @property
    def is_open(self) -> bool:
        return self._open

    # -- the port side --------------------------------------------------------------------------

    def _pump(self) -> None:
        now = self.now()
        while self._events and self._events[0][0] <= now:
            _due, _seq, _kind, item = heapq.heappop(self._events)
            if callable(item):
                item()
            elif self._open and not self._vanished:
                self._ready.extend(item)
        if self._rssi_every and self.engine.settings.curc and self._open and not self._vanished:
            if self._storm_next < now - 1.0:
                self._storm_next = now  # no burst of a thousand lines after a quiet spell
            while self._storm_next <= now:
                self._ready.extend(f"\r\n^RSSI: {self.engine.rssi}\r\n".encode())
                self._storm_next += self._rssi_every

    def _next_due(self) -> float | None:
        due = self._events[0][0] if self._events else None
        if self._rssi_every and self._open:
            due = self._storm_next if due is None else min(due, self._storm_next)
        return due

    def _check(self) -> None:
        if self._vanished:
            raise serial.SerialException(
                "device reports readiness to read but returned no data "
                "(device disconnected or multiple access on port?)"
            )

    def _read(self, size: int, timeout: float | None, cancelled: threading.Event) -> bytes:
        deadline = None if timeout is None else self.now() + timeout
        with self._cond:
            while True:
                self._check()
                if cancelled.is_set():
                    cancelled.clear()
                    return b""
                self._pump()
                if self._ready:
                    if self.config.max_read:
                        size = min(size, self.rng.randint(1, self.config.max_read))
                    data = bytes(self._ready[:size])
                    del self._ready[:size]
                    return data
                now = self.now()
                if deadline is not None and now >= deadline:
                    return b""
                waits = [d - now for d in (deadline, self._next_due()) if d is not None]
                self._cond.wait(max(0.0, min(waits)) if waits else None)

    def _wait_output(self, timeout: float) -> None:
        """Block until output is ready to read, at most `timeout` seconds (for the pty bridge)."""
        deadline = self.now() + timeout
        with self._cond:
            while True:
                self._check()
                self._pump()
                now = self.now()
                if self._ready or now >= deadline:
                    return
                due = self._next_due()
                self._cond.wait(max(0.0, min(deadline, due if due is not None else deadline) - now))

    def _in_waiting(self) -> int:
        with self._cond:
            self._check()
            self._pump()
            return len(self._ready)

    def _write(self, data: bytes) -> None:
        with self._cond:
            if self._vanished:
                raise serial.SerialException("write failed: device disconnected")
            if self.config.baudrate and self._baudrate != self.config.baudrate:
                self._push(0.0, _REPLY, self._noise(len(data)))  # wrong rate: noise both ways
                return
            self.engine.feed(data)
            self._pump()
            self._cond.notify_all()

    def _attach(self, url: str) -> None:
        with self._cond:
            if self._vanished:
                raise serial.SerialException(f"could not open port {url}: [Errno 2] No such file or directory")
            if self._open:
                raise serial.SerialException(f"could not open port {url}: [Errno 16] Device or resource busy")
            self._open = True
            self.open_count += 1
            self._ready.clear()
            self._storm_next = self.now() + self._rssi_every

    def _detach(self) -> None:
        with self._cond:
            self._open = False
            self._ready.clear()
            self._cond.notify_all()

    def _set_baudrate(self, baudrate: int) -> None:
        with self._cond:
            self._baudrate = baudrate


def modem_for_url(url: str) -> SimModem:
    """The simulated modem a `sim://` URL names: the registered one, or a new one from the URL.

    `sim://name?...` creates and registers `name` the first time, and reuses it afterwards (the
    parameters of later URLs are then ignored); `sim://?...` makes a new, unregistered modem for
    each port opened.
    """
    config = SimConfig.from_url(url)
    if not config.name:
        return SimModem(config, register=False)
    with _registry_lock:
        existing = _registry.get(config.name)
    return existing if existing is not None else SimModem(config)


class SimPort(serial.SerialBase):
    """pyserial port class for `sim://` URLs. `port.sim` is the SimModem behind it."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.sim: SimModem | None = None
        self._cancel = threading.Event()
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def open(self) -> None:
        if self._port is None:
            raise serial.SerialException("port must be configured before it can be used")
        if self.is_open:
            raise serial.SerialException("port already open")
        try:
            sim = modem_for_url(str(self._port))
        except ValueError as exc:
            raise serial.SerialException(f"could not open port {self._port}: {exc}") from exc
        sim._attach(str(self._port))
        self.sim = sim
        self.is_open = True
        self._reconfigure_port()

    def close(self) -> None:
        if self.is_open and self.sim is not None:
            self.sim._detach()
        self.is_open = False

    def _reconfigure_port(self, *args: object) -> None:
        if self.sim is not None:
            self.sim._set_baudrate(self._baudrate)

    def _live(self) -> SimModem:
        if not self.is_open or self.sim is None:
            raise serial.PortNotOpenError()
        return self.sim

    @property
    def in_waiting(self) -> int:
        return self._live()._in_waiting()

    def read(self, size: int = 1) -> bytes:
        return self._live()._read(size, self._timeout, self._cancel)

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._live()._write(bytes(data))
        return len(data)

    def flush(self) -> None:
        self._live()

    def cancel_read(self) -> None:
        self._cancel.set()
        if self.sim is not None:
            with self.sim._cond:
                self.sim._cond.notify_all()

    def reset_input_buffer(self) -> None:
        sim = self._live()
        with sim._cond:
            sim._ready.clear()

    def reset_output_buffer(self) -> None:
        pass
