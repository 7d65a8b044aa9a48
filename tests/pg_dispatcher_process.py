"""One desktop's dispatcher in a process of its own, for the shared-database test and benchmark.

    python -m tests.pg_dispatcher_process URL --instance A --modems 2 --journal FILE [--timeout S]

The process adds its own simulated modems (zero latency) as channels of its machine (`--instance` stands for
the machine's name), builds its workers with `build_workers` (so it drives only its own modems), runs a
dispatcher until no message is queued or sending, then writes every PDU its modems accepted to the journal
(JSON lines, as `python -m modem.sim --journal` does) and prints one JSON line: how many its modems sent, the
wall-clock times (time.time) it started dispatching and found nothing left to send, and the database events
it saw (lost, back).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from modem.sim import SimConfig, SimModem
from modem.sim.__main__ import write_journal
from smsjingling.events import EventBus
from smsjingling.sending.channels import build_workers
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.rules import SendRules
from smsjingling.storage.database import Database, connection_lost, open_database
from smsjingling.storage.sending import Channel, ChannelKind, Message, MessageStatus


def add_modems(db: Database, instance: str, count: int) -> list[SimModem]:
    sims = [SimModem(SimConfig.from_url(f"sim://{instance}-{n}?latency=0&sr_delay=0.05")) for n in range(count)]
    with db.session() as s:
        for sim in sims:
            s.add(
                Channel(
                    kind=ChannelKind.MODEM.value,
                    name=f"{instance}-{sim.name}",
                    config={"url": sim.url, "machine": instance},
                    hourly_cap=0,
                    daily_cap=0,
                )
            )
    return sims


def busy(db: Database) -> int | None:
    """Messages still queued or sending; None while the database cannot be reached."""
    try:
        with db.reader() as s:
            return s.execute(
                select(func.count()).where(
                    Message.status.in_([MessageStatus.QUEUED.value, MessageStatus.SENDING.value])
                )
            ).scalar_one()
    except Exception as exc:
        if connection_lost(exc):
            return None
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.pg_dispatcher_process")
    parser.add_argument("url")
    parser.add_argument("--instance", required=True)
    parser.add_argument("--modems", type=int, default=2)
    parser.add_argument("--depth", type=int, default=8)
    parser.add_argument("--journal", type=Path, required=True)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)

    db = open_database(args.url)
    sims = add_modems(db, args.instance, args.modems)
    bus = EventBus()
    seen: list[str] = []
    bus.subscribe(lambda event: seen.append(event.data["state"]), "database")
    workers = build_workers(db, depth=args.depth, machine=args.instance)
    assert sorted(w.name for w in workers) == sorted(f"{args.instance}-{sim.name}" for sim in sims), workers
    dispatcher = Dispatcher(db, workers, rules=SendRules(), instance=args.instance, bus=bus, poll_seconds=0.05)
    print("ready", flush=True)  # the parent may start its clock
    started = time.time()
    finished = 0.0
    deadline = time.monotonic() + args.timeout
    dispatcher.start()
    try:
        while time.monotonic() < deadline:
            time.sleep(0.25)  # the count is a scan of the messages: not so often that it slows the sending
            if busy(db) == 0:
                finished = time.time()
                break
    finally:
        dispatcher.stop()
    sent = sum(len(sim.sent) for sim in sims)
    with args.journal.open("w", encoding="utf-8"):
        pass
    for n, sim in enumerate(sims):
        part = args.journal.with_suffix(f".{n}")
        write_journal(sim, part)
        with args.journal.open("a", encoding="utf-8") as out:
            out.write(part.read_text(encoding="utf-8"))
        part.unlink()
        sim.remove()
    db.close()
    report = {"instance": args.instance, "sent": sent, "started": started, "finished": finished, "database": seen}
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
