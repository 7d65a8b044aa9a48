"""A tiny benchmark harness: each bench_*.py module lists Benchmark objects; run.py measures and prints them.

A benchmark function returns a list of Figure (one run may measure several related figures, e.g. our
importer and the naive baseline in the same run, and their ratio).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = False  # False: the value must be <= target (time, memory)

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def line(self) -> str:
        if self.target is None:
            goal = "(no target)"
        else:
            goal = f"target {'>=' if self.higher_is_better else '<='} {self.target:g} {self.unit}"
        verdict = {True: "OK", False: "MISSED", None: ""}[self.met]
        return f"{self.name:<58} {self.value:>12.3f} {self.unit:<8} {goal:<28} {verdict}"


@dataclass
class Benchmark:
    name: str
    run: Callable[[], list[Figure]]
    tags: set[str] = field(default_factory=set)  # e.g. {"slow"}: left out unless asked for


class Stopwatch:
    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start
