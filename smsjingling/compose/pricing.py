"""What a message costs: integer fen (分) per segment, never a float.

Every part of a long message is billed as one message by carriers and gateways alike, so the price is
segments × price per segment. The price per segment is a setting for now; the gateway and account work
will supply plan prices (seed 002) and may set it from the plan.
"""

from __future__ import annotations

from smsjingling.settings import Setting, declare

DEFAULT_PRICE_PER_SEGMENT_FEN = 5

PRICE_PER_SEGMENT = declare(
    Setting(
        "billing.price_per_segment_fen",
        int,
        DEFAULT_PRICE_PER_SEGMENT_FEN,
        "每条短信单价（分）",
        "Price per message part (fen)",
        # 0 is allowed: a modem's SIM on a flat-rate plan costs nothing per message.
        lambda v: None if v >= 0 else "must be >= 0 / 不能为负数",
    )
)


def yuan(fen: int) -> str:
    """Fen as yuan for display: 1234 -> "12.34"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"
