"""`python -m modem.sim --pty [sim:// URL]`: run a simulated modem on a pseudo-terminal until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import time

from modem.sim import SimConfig, SimModem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m modem.sim", description="Simulated GSM modem.")
    parser.add_argument("url", nargs="?", default="sim://pty",
                        help="sim:// URL with parameters, e.g. 'sim://pty?latency=0&pin=1234'")
    parser.add_argument("--pty", action="store_true", help="bridge the modem to a pseudo-terminal (Linux)")
    args = parser.parse_args(argv)
    if not args.pty:
        parser.error("only --pty is supported here; in Python use serial.serial_for_url('sim://...')")
    from modem.sim.pty import PtyBridge

    config = SimConfig.from_url(args.url)
    sim = SimModem(config)
    with PtyBridge(sim) as bridge:
        print(bridge.path, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
