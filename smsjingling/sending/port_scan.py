"""Finding modems to add as channels: the machine's serial ports (plus any port or URL the operator names) probed
in parallel with the modem library's `probe`, with progress and cancellation for the window.

Ports that already belong to a channel are not probed: while the sending service runs its worker holds them,
and a probe would only find them busy. They are listed with the channel's name instead.

The ranking is `modem.discovery.discover`'s: per USB device the port that answers SMS commands best.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from sqlalchemy import select

from modem.discovery import BAUD_RATES, PortCandidate, ProbeResult, ProbeStatus, list_ports, probe
from smsjingling import messages
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, ChannelKind

messages.register(
    {
        "scan.status.modem": ("短信猫", "modem"),
        "scan.status.at_only": ("有应答，但不能收发短信（可能是同一设备的其他端口）", "answers AT, but not SMS"),
        "scan.status.not_a_modem": ("不是短信猫", "not a modem"),
        "scan.status.busy": ("被其他程序占用", "in use by another program"),
        "scan.status.unavailable": ("无法打开", "cannot be opened"),
        "scan.status.configured": ("已添加为通道“{name}”", "already the channel “{name}”"),
    }
)


@dataclass(frozen=True)
class FoundPort:
    url: str
    name: str  # what to show: "COM5 — HUAWEI Mobile Connect - 3G Modem"
    status: str  # ProbeStatus value, or "configured"
    usable: bool  # the best SMS port of its device: worth adding as a channel
    baudrate: int | None = None
    manufacturer: str | None = None
    model: str | None = None
    channel: str = ""  # the channel that has this port already
    detail: str = ""

    def status_text(self, lang: str | None = None) -> str:
        if self.channel:
            return messages.text("scan.status.configured", lang, name=self.channel)
        if self.status == ProbeStatus.MODEM.value and not self.usable:
            return messages.text("scan.status.at_only", lang)
        return messages.text(f"scan.status.{self.status}", lang)

    @property
    def device(self) -> str:
        return " ".join(part for part in (self.manufacturer, self.model) if part)


@dataclass(frozen=True)
class ScanReport:
    ports: tuple[FoundPort, ...]
    cancelled: bool = False

    @property
    def usable(self) -> tuple[FoundPort, ...]:
        return tuple(p for p in self.ports if p.usable)


def configured_ports(db: Database) -> dict[str, str]:
    """Port or URL → the modem channel that uses it."""
    with db.reader() as s:
        rows = s.execute(select(Channel.name, Channel.config).where(Channel.kind == ChannelKind.MODEM.value)).all()
    return {str((config or {}).get("url", "")): name for name, config in rows if (config or {}).get("url")}


def _best(results: Iterable[ProbeResult]) -> set[str]:
    """The URL of the best SMS port of each device that answered AT (as modem.discovery.discover ranks)."""
    best: dict[str, ProbeResult] = {}
    for result in results:
        if result.status is not ProbeStatus.MODEM or not result.sms:
            continue
        key = result.candidate.group or result.candidate.url
        current = best.get(key)
        if current is None or result.score > current.score:
            best[key] = result
    return {r.candidate.url for r in best.values()}


def scan_ports(
    db: Database,
    extra: Sequence[str] = (),
    *,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
    candidates: Sequence[PortCandidate | str] | None = None,
    baudrates: Sequence[int] = BAUD_RATES,
    timeout: float = 0.5,
    max_workers: int = 8,
) -> ScanReport:
    """Probe this machine's serial ports (or `candidates`) and the ports named in `extra`; `progress(done,
    total)` after each one. A cancelled scan returns what was probed so far, `cancelled` set."""
    listed = list_ports() if candidates is None else [PortCandidate(c) if isinstance(c, str) else c for c in candidates]
    seen = {c.url for c in listed}
    listed += [PortCandidate(url) for url in (u.strip() for u in extra) if url and url not in seen]
    taken = configured_ports(db)
    ports: list[FoundPort] = [
        FoundPort(c.url, c.name, "configured", False, channel=taken[c.url]) for c in listed if c.url in taken
    ]
    todo = [c for c in listed if c.url not in taken]
    total = len(listed)
    done = len(ports)
    if progress is not None:
        progress(done, total)
    results: list[ProbeResult] = []
    cancelled = False
    if todo:
        pool = ThreadPoolExecutor(max_workers=min(max_workers, len(todo)), thread_name_prefix="scan")
        try:
            pending: set[Future[ProbeResult]] = {
                pool.submit(probe, c, baudrates=baudrates, timeout=timeout) for c in todo
            }
            while pending:
                finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in finished:
                    results.append(future.result())
                    done += 1
                if finished and progress is not None:
                    progress(done, total)
                if cancel is not None and cancel.is_set():
                    cancelled = True
                    break
        finally:
            # Probes already running finish (each closes its port); those not started never start.
            pool.shutdown(wait=True, cancel_futures=True)
    best = _best(results)
    for r in results:
        ports.append(
            FoundPort(
                r.candidate.url,
                r.candidate.name,
                r.status.value,
                r.candidate.url in best,
                r.baudrate,
                r.manufacturer,
                r.model,
                detail=r.detail,
            )
        )
    order = {c.url: i for i, c in enumerate(listed)}
    ports.sort(key=lambda p: order.get(p.url, len(order)))
    return ScanReport(tuple(ports), cancelled)


def suggested_name(found: FoundPort, taken: Iterable[str]) -> str:
    """A channel name for a found modem: its model and port, made unique."""
    base = found.model or found.manufacturer or found.url
    short = found.url.split("?", 1)[0]
    name = f"{base} ({short})" if base != found.url else short
    names = set(taken)
    candidate, n = name, 2
    while candidate in names:
        candidate, n = f"{name} {n}", n + 1
    return candidate
