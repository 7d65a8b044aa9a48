"""Finding modems: list the serial ports, probe them in parallel, pick the port that does SMS.

    report = discover()                     # every port of this machine
    for found in report.modems:             # one per physical modem: its best port
        print(found.candidate.name, found.baudrate, found.model)
    report.busy                             # ports another program holds open

A USB modem exposes two to four serial ports (modem, PC UI / AT, diagnostics, GPS). Often more
than one answers AT, but only one of them takes SMS commands and sends the unsolicited codes:
the probe asks AT+CMGF=0 and AT+CPMS? and ranks the ports of one device by what they answered.
Ports are grouped into devices by USB vendor, product and serial number (or, when there is no
serial number, by the USB location without the interface number).

A probe opens a port, tries the usual baud rates with a short AT handshake, and always closes it
again: nothing is left locked, whatever the outcome. Candidates can be any pyserial URL, so tests
pass `sim://` URLs.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import serial

from modem.at import ATChannel
from modem.at import parsers as p
from modem.errors import CommandError, CommandTimeout, ModemError

log = logging.getLogger(__name__)

BAUD_RATES = (115200, 9600, 19200, 57600)
_BUSY = re.compile(r"busy|denied|permission|in use|lock|errno 16|errno 13|error 5\b|winerror 5\b", re.IGNORECASE)


@dataclass(frozen=True)
class PortCandidate:
    """A serial port that might be a modem. `group` ties together the ports of one USB device."""

    url: str  # what serial_for_url opens: COM5, /dev/ttyUSB2, sim://…
    description: str = ""  # the friendly name the OS gives ("HUAWEI Mobile Connect - 3G PC UI Interface")
    hwid: str = ""
    group: str | None = None
    manufacturer: str | None = None
    product: str | None = None

    @property
    def name(self) -> str:
        """What to show a person: 'COM5 — HUAWEI Mobile Connect - 3G PC UI Interface'."""
        if self.description and self.description not in ("n/a", self.url):
            return f"{self.url} — {self.description}"
        return self.url


class ProbeStatus(enum.Enum):
    MODEM = "modem"  # answered AT
    NOT_A_MODEM = "not_a_modem"  # opened, but nothing sensible at any baud rate
    BUSY = "busy"  # another program has it open (or no permission)
    UNAVAILABLE = "unavailable"  # could not be opened for another reason (gone, broken driver)


@dataclass(frozen=True)
class ProbeResult:
    candidate: PortCandidate
    status: ProbeStatus
    baudrate: int | None = None
    sms: bool = False  # takes PDU mode (AT+CMGF=0) and has message storage (AT+CPMS?)
    manufacturer: str | None = None
    model: str | None = None
    detail: str = ""

    @property
    def score(self) -> int:
        """How useful the port is for SMS; the best port of a device has the highest."""
        if self.status is not ProbeStatus.MODEM:
            return 0
        return 1 + (4 if self.sms else 0) + (1 if self.model or self.manufacturer else 0)


@dataclass(frozen=True)
class DiscoveryReport:
    results: tuple[ProbeResult, ...]
    modems: tuple[ProbeResult, ...]  # the best SMS port of each device that answered AT
    busy: tuple[ProbeResult, ...] = field(default=())


def _group_of(info: object) -> str | None:
    vid, pid = getattr(info, "vid", None), getattr(info, "pid", None)
    if vid is None or pid is None:
        return None
    serial_number = getattr(info, "serial_number", None)
    if serial_number:
        return f"{vid:04X}:{pid:04X}:{serial_number}"
    location = getattr(info, "location", None) or ""
    # "1-1.2:1.3" → "1-1.2": the interface number differs between the ports of one device.
    return f"{vid:04X}:{pid:04X}@{location.split(':')[0]}"


def list_ports() -> list[PortCandidate]:
    """The serial ports of this machine with their friendly names, sorted by port name."""
    from serial.tools import list_ports as lp

    candidates = [
        PortCandidate(
            info.device,
            info.description or "",
            info.hwid or "",
            _group_of(info),
            getattr(info, "manufacturer", None),
            getattr(info, "product", None),
        )
        for info in lp.comports()
    ]
    return sorted(candidates, key=lambda c: _natural_key(c.url))


def _natural_key(text: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _open(url: str, baudrate: int) -> serial.SerialBase:
    kwargs: dict[str, object] = {"baudrate": baudrate, "timeout": 0.05, "write_timeout": 1.0}
    if "://" not in url:
        kwargs["exclusive"] = True  # POSIX: fail on a port another program holds, do not share it
    return serial.serial_for_url(url, **kwargs)


def probe(
    candidate: PortCandidate | str,
    *,
    baudrates: Sequence[int] = BAUD_RATES,
    timeout: float = 0.5,
) -> ProbeResult:
    """Open the port, find a baud rate at which it answers AT, ask what it can do, close it."""
    if isinstance(candidate, str):
        candidate = PortCandidate(candidate)
    if candidate.url.lower().startswith("sim://"):
        import modem.sim  # noqa: F401  (registers the sim:// handler)
    last_detail = "no answer to AT"
    for baudrate in baudrates:
        try:
            port = _open(candidate.url, baudrate)
        except (serial.SerialException, OSError, ValueError) as exc:
            status = ProbeStatus.BUSY if _BUSY.search(str(exc)) else ProbeStatus.UNAVAILABLE
            return ProbeResult(candidate, status, detail=str(exc))
        channel = ATChannel(port, name=candidate.url, default_timeout=timeout)
        try:
            if not _answers(channel, timeout):
                continue
            return _interview(channel, candidate, baudrate, timeout)
        except ModemError as exc:  # the port went away mid-probe
            last_detail = str(exc)
            return ProbeResult(candidate, ProbeStatus.UNAVAILABLE, detail=last_detail)
        finally:
            channel.close()
    return ProbeResult(candidate, ProbeStatus.NOT_A_MODEM, detail=last_detail)


def _answers(channel: ATChannel, timeout: float) -> bool:
    # Twice: the first AT after opening may be eaten by auto-baud detection or a half-typed line.
    for _ in range(2):
        try:
            channel.command("AT", timeout, check=False)
            return True
        except CommandTimeout:
            continue
    return False


def _interview(channel: ATChannel, candidate: PortCandidate, baudrate: int, timeout: float) -> ProbeResult:
    def ask(command: str) -> p.Lines | None:
        try:
            return channel.command(command, timeout).lines
        except (CommandError, CommandTimeout):
            return None

    ask("ATE0")
    sms = ask("AT+CMGF=0") is not None
    if sms:
        storage = ask("AT+CPMS?")
        try:
            sms = storage is not None and bool(p.parse_cpms(storage))
        except ModemError:
            sms = False
    manufacturer = model = None
    lines = ask("AT+CGMI")
    if lines:
        try:
            manufacturer = p.parse_identity(lines)
        except ModemError:
            manufacturer = None
    lines = ask("AT+CGMM")
    if lines:
        try:
            model = p.parse_identity(lines)
        except ModemError:
            model = None
    detail = "answers SMS commands" if sms else "answers AT, but not SMS commands"
    return ProbeResult(candidate, ProbeStatus.MODEM, baudrate, sms, manufacturer, model, detail)


def discover(
    candidates: Iterable[PortCandidate | str] | None = None,
    *,
    baudrates: Sequence[int] = BAUD_RATES,
    timeout: float = 0.5,
    max_workers: int = 16,
) -> DiscoveryReport:
    """Probe every candidate (default: every serial port here) in parallel and rank the results."""
    items = list_ports() if candidates is None else [PortCandidate(c) if isinstance(c, str) else c for c in candidates]
    if not items:
        return DiscoveryReport((), ())
    with ThreadPoolExecutor(max_workers=min(max_workers, len(items)), thread_name_prefix="probe") as pool:
        results = list(pool.map(lambda c: probe(c, baudrates=baudrates, timeout=timeout), items))
    best: dict[str, ProbeResult] = {}
    for result in results:
        if result.status is not ProbeStatus.MODEM:
            continue
        key = result.candidate.group or result.candidate.url
        current = best.get(key)
        if current is None or result.score > current.score:
            best[key] = result
    modems = tuple(r for r in results if any(r is b for b in best.values()))
    busy = tuple(r for r in results if r.status is ProbeStatus.BUSY)
    for result in results:
        log.info("probe %s: %s %s", result.candidate.name, result.status.value, result.detail)
    return DiscoveryReport(tuple(results), modems, busy)


def with_group(candidates: Iterable[PortCandidate | str], group: str) -> list[PortCandidate]:
    """The same candidates marked as ports of one device (for URLs, which carry no USB identity)."""
    return [replace(PortCandidate(c) if isinstance(c, str) else c, group=group) for c in candidates]
