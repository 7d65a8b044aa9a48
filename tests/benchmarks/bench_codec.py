"""PDU codec throughput: what the sending engine and the composer's live counter cost."""

from __future__ import annotations

from collections.abc import Callable

from modem.codec import count_segments, decode_pdu, encode_submit
from tests.benchmarks.harness import Benchmark, Figure, Stopwatch

# 180 characters of Chinese with an emoji: UCS2, three parts of at most 67 units.
UCS2_TEXT = ("各位同事：本周五下午三点在三楼会议室召开季度总结会，请准时参加。😀" * 6)[:180]
COMPOSER_TEXT = ("Dear colleagues, the quarterly review is on Friday at 15:00 in room 301 [bring €20]. " * 7)[:500]


def _rate(operation: Callable[[], None], calls: int) -> float:
    """Calls per second of `operation` over `calls` calls (best of three runs, after a warm-up)."""
    operation()
    best = 0.0
    for _ in range(3):
        with Stopwatch() as watch:
            for _ in range(calls):
                operation()
        best = max(best, calls / watch.seconds)
    return best


def run() -> list[Figure]:
    parts = encode_submit("+8613800138000", UCS2_TEXT)
    assert len(parts) == 3, len(parts)
    hexes = [p.hex for p in parts]

    def encode() -> None:
        encode_submit("+8613800138000", UCS2_TEXT)

    def decode() -> None:
        for h in hexes:
            decode_pdu(h)

    def count() -> None:
        count_segments(COMPOSER_TEXT)

    per_second = {"higher_is_better": True}
    return [
        Figure("encode_submit, 3-part UCS2 message", _rate(encode, 20_000), "msg/s", 20_000, **per_second),
        Figure("decode_pdu, 3-part UCS2 message (all parts)", _rate(decode, 20_000), "msg/s", 20_000, **per_second),
        Figure("count_segments, 500-character text", _rate(count, 50_000), "calls/s", 50_000, **per_second),
    ]


BENCHMARKS = [Benchmark("codec: PDU encode/decode and segment counting", run)]
