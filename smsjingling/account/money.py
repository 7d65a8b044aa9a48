"""Amounts of money as people type and read them (元, two decimals) and as the program keeps them (integer
fen). Parsing goes through Decimal, so "0.07" is exactly 7 fen and "0.075" is refused, never rounded."""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation

from smsjingling import messages
from smsjingling.errors import ValidationError

# Far above any office's account, far below what a 64-bit column holds: a typo of many zeros is refused.
MAX_FEN = 10**12

messages.register(
    {
        "account.bad_amount": (
            "金额无效：{value}（请写成 100 或 12.50 的形式，单位为元，最多两位小数）",
            "Not an amount: {value} (write it as 100 or 12.50, in yuan, at most two decimals)",
        ),
    }
)


def parse_yuan(text: str) -> int:
    """'12.5' -> 1250 fen. Accepts full-width digits, a leading ¥ or a trailing 元, and a sign."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    cleaned = cleaned.removeprefix("¥").removeprefix("￥").removesuffix("元").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError("account.bad_amount", value=text) from None
    fen = amount.scaleb(2)
    if not amount.is_finite() or fen != fen.to_integral_value() or abs(fen) > MAX_FEN:
        raise ValidationError("account.bad_amount", value=text)
    return int(fen)


def yuan_text(fen: int) -> str:
    """1234 -> '12.34', -5 -> '-0.05': for messages and the terminal (exports use Decimal yuan)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"
