"""`python -m modem.sim --pty [sim:// URL]`: run a simulated modem on a pseudo-terminal until Ctrl-C."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from modem.sim import SimConfig, SimModem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m modem.sim", description="Simulated GSM modem.")
    parser.add_argument(
        "url", nargs="?", default="sim://pty", help="sim:// URL with parameters, e.g. 'sim://pty?latency=0&pin=1234'"
    )
    parser.add_argument("--pty", action="store_true", help="bridge the modem to a pseudo-terminal (Linux)")
    parser.add_argument(
        "--journal",
        type=Path,
        metavar="FILE",
        help="on exit (Ctrl-C or SIGTERM), write every PDU the modem accepted as JSON lines",
    )
    args = parser.parse_args(argv)
    if not args.pty:
        parser.error("only --pty is supported here; in Python use serial.serial_for_url('sim://...')")
    from modem.sim.pty import PtyBridge

    config = SimConfig.from_url(args.url)
    sim = SimModem(config)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with PtyBridge(sim) as bridge:
        print(bridge.path, flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    if args.journal:
        write_journal(sim, args.journal)
    return 0


def write_journal(sim: SimModem, path: Path) -> None:
    """What left, for a test in another process to compare with its own record."""
    with path.open("w", encoding="utf-8") as out:
        for item in sim.sent:
            concat = item.submit.concat
            row = {
                "n": item.number,
                "to": item.recipient,
                "text": item.text,
                "tp_mr": item.tp_mr,
                "part": concat.seq if concat else 1,
                "parts": concat.total if concat else 1,
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
