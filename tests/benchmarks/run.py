"""Run the benchmarks and print each figure beside its target.

    python tests/benchmarks/run.py            # all of them
    python tests/benchmarks/run.py import pdu # those whose name contains a word
    python tests/benchmarks/run.py --list

Exits 1 when any figure misses its target.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.benchmarks.harness import Benchmark  # noqa: E402


def discover() -> list[Benchmark]:
    found: list[Benchmark] = []
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(f"tests.benchmarks.{path.stem}")
        found.extend(getattr(module, "BENCHMARKS", []))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("words", nargs="*", help="run only benchmarks whose name contains one of these")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    benches = [b for b in discover() if not args.words or any(w in b.name for w in args.words)]
    if args.list:
        for b in benches:
            print(b.name)
        return 0
    missed = 0
    for bench in benches:
        print(f"== {bench.name}", flush=True)
        for figure in bench.run():
            print("   " + figure.line(), flush=True)
            missed += figure.met is False
    print(f"{missed} figure(s) missed their target" if missed else "all figures met their targets")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
