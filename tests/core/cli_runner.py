"""Running the `smsjingling` command in-process against one database, for the CLI tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from smsjingling.cli.main import main
from smsjingling.messages import set_language

Cli = Callable[..., tuple[int, str, str]]


def cli_runner(db: str, capsys: pytest.CaptureFixture[str], *, catch_exit: bool = False) -> Cli:
    """A function running `smsjingling --db DB ARGS…` and returning (exit code, stdout, stderr).
    `catch_exit`: an argparse refusal (SystemExit) comes back as its exit code instead of raising."""

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", db, *args])
        except SystemExit as exc:
            if not catch_exit:
                raise
            code = int(exc.code or 0)
        finally:
            set_language(None)
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
