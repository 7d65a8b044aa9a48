"""The simulated gateway a fresh install sends through: the bundled simulator (smsjingling.gateway.sim), run
inside the sending service on loopback at a port of the system's choosing, with its books kept on disk.

The demo gateway channel (`Channels.ensure_demo(gateway=True)`, or `Channels.add_gateway(..., demo=True)`)
names no address: the service starts the simulator when such a channel is enabled, points the channel at
it (and writes the address into the channel's configuration, so that `channels test` in another process
finds it), and stops it when the service stops. Everything about it says it is simulated: the channel's
name (模拟短信网关), the account id `demo`, and the gateway's own answers (`"simulated": true`).

Its books, the vendor's side of the demo prepaid account, are in `gateway-sim.sqlite3` beside the database
(in the data folder), not in the database: see gateway.sim.store for why. They survive restarts, so the
local ledger reconciles with them as it would with a real vendor: the account opens with DEMO_OPENING_FEN
on both sides, and every message the simulator accepts is charged on both.
"""

from __future__ import annotations

import logging
from pathlib import Path

from smsjingling.compose.pricing import DEFAULT_PRICE_PER_SEGMENT_FEN
from smsjingling.gateway.factory import DEMO_ACCOUNT, DEMO_GATEWAY_KEY
from smsjingling.gateway.sim.server import GatewaySim
from smsjingling.gateway.sim.store import SimStore, StoreBusy
from smsjingling.paths import data_dir
from smsjingling.storage.database import Database

log = logging.getLogger(__name__)

STORE_NAME = "gateway-sim.sqlite3"
DEMO_OPENING_FEN = 10_000  # 100 yuan, on the simulator's books and (as the opening top-up) on ours
DEMO_PRICE_FEN = DEFAULT_PRICE_PER_SEGMENT_FEN  # a segment, the same as the default local price
DEMO_REPORT_DELAY = 3.0  # seconds from acceptance to the delivery report, like the simulated modem's
DEMO_LATENCY = 0.02  # seconds added to each answer: a little of a real network's pace

__all__ = ["DEMO_OPENING_FEN", "DEMO_PRICE_FEN", "StoreBusy", "start_demo_gateway", "store_path"]


def store_path(db: Database) -> Path:
    """Beside a SQLite database file (its folder is the data folder); in the data folder otherwise."""
    url = db.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).resolve().with_name(STORE_NAME)
    return data_dir() / STORE_NAME


def start_demo_gateway(
    db: Database,
    *,
    report_delay: float = DEMO_REPORT_DELAY,
    latency: float = DEMO_LATENCY,
    path: Path | None = None,
) -> GatewaySim:
    """The simulator on 127.0.0.1 with the demo account, its books read from disk (the account opened with
    DEMO_OPENING_FEN on first use). Raises StoreBusy when another process runs it on the same books."""
    store = SimStore(path or store_path(db))
    try:
        sim = GatewaySim(report_delay=report_delay, latency=latency, store=store)
        if DEMO_ACCOUNT not in sim.state.accounts:
            sim.add_account(DEMO_ACCOUNT, DEMO_GATEWAY_KEY, balance_fen=DEMO_OPENING_FEN, price_fen=DEMO_PRICE_FEN)
        sim.start()
    except BaseException:
        store.close()
        raise
    log.info("the simulated gateway (demo) listens on %s; its books: %s", sim.url, store.path)
    return sim
