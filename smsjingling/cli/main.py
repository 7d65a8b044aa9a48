"""The `smsjingling` command: the core driven from a terminal, for admins, scripts and tests."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from smsjingling import __version__, messages
from smsjingling.cli import account, contacts, gateway, inbox, keywords, modem, records, sending, stored_secrets
from smsjingling.errors import UserError
from smsjingling.storage.database import closing_opened

COMMAND_MODULES = (contacts, modem, inbox, sending, records, keywords, gateway, account, stored_secrets)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smsjingling", description="短信精灵 command line / 命令行")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db", metavar="URL", help="database URL or SQLite file (default: SMSJINGLING_DB, else the data folder)"
    )
    parser.add_argument("--lang", choices=("zh", "en"), help="language of messages / 提示语言")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        messages.set_language(args.lang)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        with closing_opened():
            return int(args.handler(args) or 0)
    except UserError as exc:
        print(exc.message(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
