"""短信精灵: `python main.py [--db URL] [--lang zh|en] [--cli ARGS…]`.

Without --cli it starts the desktop window. With --cli everything after it goes to the command line
interface (with --db and --lang passed along), and Qt is never imported, so the CLI runs on a server
without a display.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--cli" in args:
        at = args.index("--cli")
        before, rest = args[:at], args[at + 1 :]
        from smsjingling.cli.main import main as cli_main

        # The CLI has its own --db/--lang before the command; hand ours over in that position.
        return cli_main([*before, *rest])
    from ui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    # Big imports read the file in a child process; in the frozen app that child is this executable again,
    # and freeze_support() runs it as the child instead of starting a second window. A no-op otherwise.
    multiprocessing.freeze_support()
    sys.exit(main())
