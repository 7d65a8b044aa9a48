"""Compose: what rendering costs per recipient of a 100,000-recipient campaign, and the live counter.

The campaign expansion (expand and queue 100,000 recipients with merge fields in ≤ 5 s) calls
`Composer.render` once per recipient; these figures are that share of its budget, measured alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from smsjingling.compose import Composer, Preview, compile_template, count
from tests.benchmarks.harness import Benchmark, Figure

RECIPIENTS = 100_000
TEMPLATE = "{姓名|同事}您好：请于本周五下午三点到{部门}会议室参加季度总结会，{职务|}请准时参加。"
COMPOSER_TEXT = ("各位同事：本周五下午三点在三楼会议室召开季度总结会，请准时参加，Room 301，" * 8)[:500]
DEPARTMENTS = ("销售部", "财务部", "行政部", "技术部", "人力资源部")


def _recipients() -> list[tuple[str, str, dict[str, str]]]:
    """Names of two to four characters, every third without a 职务, one in a thousand without a 部门."""
    rows = []
    for i in range(RECIPIENTS):
        fields = {} if i % 1000 == 999 else {"部门": DEPARTMENTS[i % 5]}
        if i % 3:
            fields["职务"] = "经理"
        rows.append(("张" + "三四五"[: 1 + i % 3], f"+86138{i:08d}", fields))
    return rows


def _best_seconds(operation: Callable[[], object], repeat: int = 3) -> float:
    operation()  # warm-up
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        operation()
        best = min(best, time.perf_counter() - start)
    return best


def run() -> list[Figure]:
    rows = _recipients()
    template = compile_template(TEMPLATE)
    composer = Composer(template, signature="市教育局", unsubscribe="拒收请回复R")
    fixed = Composer("本周五下午三点在三楼会议室召开季度总结会，请准时参加。", signature="市教育局")

    def render_template() -> None:
        render = template.render
        for name, phone, fields in rows:
            render(name, phone, fields)

    def render_full(c: Composer = composer) -> None:
        render = c.render
        for name, phone, fields in rows:
            render(name, phone, fields)

    def render_and_total() -> Preview:
        totals = Preview()
        render, add = composer.render, totals.add
        for name, phone, fields in rows:
            add(render(name, phone, fields), name, phone)
        assert totals.messages == RECIPIENTS - RECIPIENTS // 1000, totals.messages
        return totals

    def keystrokes() -> None:
        for _ in range(10_000):
            count(COMPOSER_TEXT)

    return [
        Figure("Template.render, 100k recipients, 3 merge fields", _best_seconds(render_template), "s", 0.5),
        Figure("Composer.render (merge, sign, note, count, price), 100k", _best_seconds(render_full), "s", 1.5),
        Figure("Composer.render + Preview.add, 100k", _best_seconds(render_and_total), "s", 2.0),
        Figure("Composer.render without merge fields, 100k", _best_seconds(lambda: render_full(fixed)), "s", 0.1),
        Figure("count(), 500-character text", 10_000 / _best_seconds(keystrokes), "calls/s", 5_000, True),
    ]


BENCHMARKS = [Benchmark("compose: render 100k recipients, preview, live counter", run)]
