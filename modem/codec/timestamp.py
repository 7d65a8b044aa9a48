"""Service-centre time stamps (TS 23.040 §9.2.3.11) and validity periods (§9.2.3.12)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .errors import PduError

_MAX_QUARTERS = 79  # two BCD digits with the sign in bit 3 of the tens digit: at most 7 tens


def _bcd(value: int) -> int:
    """Two decimal digits as one swapped semi-octet pair: 23 -> 0x32."""
    return (value % 10) << 4 | (value // 10)


def _unbcd(octet: int, field: str, offset: int) -> int:
    tens, units = octet & 0x0F, octet >> 4
    if tens > 9 or units > 9:
        raise PduError(f"{field} octet {octet:02X} is not two decimal digits", offset)
    return tens * 10 + units


def encode_timestamp(moment: datetime) -> bytes:
    """Seven octets: YY MM DD hh mm ss and the zone in quarter hours (sign in bit 3). A naive
    datetime is taken as UTC."""
    offset = moment.utcoffset() or timedelta(0)
    quarters, rest = divmod(int(offset.total_seconds()), 900)
    if rest:
        raise ValueError(f"time zone offset {offset} is not a whole number of quarter hours")
    if abs(quarters) > _MAX_QUARTERS:
        raise ValueError(f"time zone offset {offset} is outside the ±19:45 a PDU can carry")
    zone = _bcd(abs(quarters)) | (0x08 if quarters < 0 else 0)
    fields = (moment.year % 100, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    return bytes(_bcd(v) for v in fields) + bytes((zone,))


def decode_timestamp(data: bytes, offset: int, field: str = "TP-SCTS") -> datetime:
    """An aware datetime from seven time-stamp octets starting at PDU octet `offset`.

    Two-digit years 90-99 are read as 199x (real phones still report such dates), the rest as 20xx.
    """
    yy, mo, dd, hh, mi, ss = (_unbcd(data[i], field, offset + i) for i in range(6))
    zone = data[6]
    quarters = _unbcd(zone & 0xF7, f"{field} time zone", offset + 6)
    if zone & 0x08:
        quarters = -quarters
    year = 1900 + yy if yy >= 90 else 2000 + yy
    try:
        return datetime(year, mo, dd, hh, mi, ss, tzinfo=timezone(timedelta(minutes=15 * quarters)))
    except ValueError as exc:
        raise PduError(f"{field} is not a valid date and time: {exc}", offset) from None


# Relative validity (§9.2.3.12.1): four ranges of increasing step.
def _relative_period(value: int) -> timedelta:
    if value <= 143:
        return timedelta(minutes=5 * (value + 1))
    if value <= 167:
        return timedelta(hours=12, minutes=30 * (value - 143))
    if value <= 196:
        return timedelta(days=value - 166)
    return timedelta(weeks=value - 192)


RELATIVE_VALIDITY_MAX = _relative_period(255)  # 63 weeks


def encode_relative_validity(period: timedelta) -> int:
    """The TP-VP octet for `period`, rounded up to the next value the format can express (so the
    network keeps trying at least as long as asked) and capped at 63 weeks."""
    if period <= timedelta(0):
        raise ValueError(f"validity period must be positive, got {period}")
    minutes = -(-period // timedelta(minutes=1))  # ceiling
    if minutes <= 12 * 60:
        return max(0, -(-minutes // 5) - 1)
    if minutes <= 24 * 60:
        return 143 + -(-(minutes - 12 * 60) // 30)
    days = -(-minutes // (24 * 60))
    if days <= 30:
        return 166 + days
    weeks = -(-days // 7)
    return min(255, 192 + weeks)


def decode_relative_validity(value: int) -> timedelta:
    return _relative_period(value)
