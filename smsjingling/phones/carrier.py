"""Carriers and line kinds of Chinese numbers, with their display names in both languages.

The carrier of a mobile number is a *hint*: since 携号转网 (number portability, nationwide since 2019) a
number keeps its segment when it moves to another carrier, so the segment names the carrier that was
allocated the number, not necessarily the one serving it today. Use it to prefer a SIM of the same carrier,
never to refuse a number.
"""

from __future__ import annotations

from enum import StrEnum

from smsjingling import messages

messages.register(
    {
        "carrier.cmcc": ("移动", "China Mobile"),
        "carrier.cucc": ("联通", "China Unicom"),
        "carrier.ctcc": ("电信", "China Telecom"),
        "carrier.cbn": ("广电", "China Broadnet"),
        "carrier.unknown": ("未知", "Unknown"),
        "phone.kind.mobile": ("手机", "Mobile"),
        "phone.kind.landline": ("座机", "Landline"),
        "phone.kind.other": ("其他", "Other"),
    }
)

# value -> (short Chinese, full Chinese, English)
_NAMES: dict[str, tuple[str, str, str]] = {
    "cmcc": ("移动", "中国移动", "China Mobile"),
    "cucc": ("联通", "中国联通", "China Unicom"),
    "ctcc": ("电信", "中国电信", "China Telecom"),
    "cbn": ("广电", "中国广电", "China Broadnet"),
    "": ("未知", "未知", "Unknown"),
}


class Carrier(StrEnum):
    """The mobile network that was allocated a number's segment (a hint only: numbers can be ported)."""

    CMCC = "cmcc"  # 中国移动
    CUCC = "cucc"  # 中国联通
    CTCC = "ctcc"  # 中国电信
    CBN = "cbn"  # 中国广电
    UNKNOWN = ""

    @property
    def zh(self) -> str:
        """Short Chinese name as staff say it: 移动, 联通, 电信, 广电 ("未知" for UNKNOWN)."""
        return _NAMES[self.value][0]

    @property
    def zh_full(self) -> str:
        """Full Chinese name: 中国移动 ..."""
        return _NAMES[self.value][1]

    @property
    def en(self) -> str:
        """English name: China Mobile ..."""
        return _NAMES[self.value][2]

    def display_name(self, lang: str | None = None) -> str:
        """The name in the user's language (or `lang`: 'zh' / 'en'), from the message catalogue."""
        return messages.text(f"carrier.{self.value or 'unknown'}", lang)

    @classmethod
    def from_name(cls, name: object) -> Carrier:
        """The carrier named by any of its spellings (cmcc, 移动, 中国移动, China Mobile ...); UNKNOWN if none."""
        text = str(name or "").strip().casefold()
        for member in cls:
            if member is not cls.UNKNOWN and text in {member.value, *(n.casefold() for n in _NAMES[member])}:
                return member
        return cls.UNKNOWN


class LineKind(StrEnum):
    MOBILE = "mobile"  # can receive SMS: Chinese and foreign mobiles
    LANDLINE = "landline"  # Chinese fixed line with area code
    OTHER = "other"  # 400/800/95xxx service numbers, short codes, foreign non-mobile numbers

    def display_name(self, lang: str | None = None) -> str:
        return messages.text(f"phone.kind.{self.value}", lang)
