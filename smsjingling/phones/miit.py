"""Mobile number segments (号段) of the MIIT number allocation table (工信部码号资源分配), as of March 2023.

phonenumbers lags behind MIIT for a few +86 segments: it rejects the 11-digit data/IoT segments 146, 148
and 149, and names no carrier for 162, 165 and 1349. This table fills those gaps: `parse_phone` accepts a
number that either phonenumbers or this table accepts, and takes the carrier from this table first.

Only 11-digit segments are listed. The 13-digit IoT segments (140-144 ...) cannot receive person-to-person
SMS and are left out on purpose, as are 174 06-12 (MIIT emergency communications) and 1749 (maritime
satellite), which are not sold to the public.

Where the two disagree (tests/core/test_phones_miit.py prints the list), MIIT wins. A segment that only
phonenumbers knows (with phonenumbers 9.0: 1610, which it gives to 广电) is accepted on its word.

A segment names the carrier it was *allocated* to. Numbers can be ported (携号转网) and keep their number,
and resold (转售, virtual operator) numbers ride the host carrier's network: the carrier is a hint only.
"""

from __future__ import annotations

from dataclasses import dataclass

from smsjingling.phones.carrier import Carrier


@dataclass(frozen=True, slots=True)
class Segment:
    prefix: str  # the leading digits of the 11-digit number: "138", "1349", "17400"
    carrier: Carrier  # the carrier the segment is allocated to (for 转售: the host network)
    virtual: bool = False  # resold by a virtual network operator (虚拟运营商 / 转售)
    note: str = ""


def _seg(carrier: Carrier, prefixes: str, virtual: bool = False, note: str = "") -> list[Segment]:
    return [Segment(p, carrier, virtual, note) for p in prefixes.split()]


_M, _U, _T, _B = Carrier.CMCC, Carrier.CUCC, Carrier.CTCC, Carrier.CBN

SEGMENTS: tuple[Segment, ...] = tuple(
    # 中国移动
    _seg(_M, "1340 1341 1342 1343 1344 1345 1346 1347 1348")
    + _seg(_M, "135 136 137 138 139 150 151 152 157 158 159 178 182 183 184 187 188 195 197 198")
    + _seg(_M, "147 148 172", note="数据/物联网号段 (data and IoT)")
    + _seg(_M, "165", virtual=True, note="移动转售")
    + _seg(_M, "1703 1705 1706", virtual=True, note="移动转售")
    # 中国联通
    + _seg(_U, "130 131 132 155 156 166 175 176 185 186 196")
    + _seg(_U, "145 146", note="数据/物联网号段 (data and IoT)")
    + _seg(_U, "167 171", virtual=True, note="联通转售")
    + _seg(_U, "1704 1707 1708 1709", virtual=True, note="联通转售")
    # 中国电信
    + _seg(_T, "133 153 173 177 180 181 189 190 191 193 199")
    + _seg(_T, "149", note="数据/物联网号段 (data and IoT)")
    + _seg(_T, "1349", note="卫星通信 (satellite, formerly 中国卫通)")
    + _seg(_T, "17400 17401 17402 17403 17404 17405", note="卫星通信 (satellite, 天通)")
    + _seg(_T, "162", virtual=True, note="电信转售")
    + _seg(_T, "1700 1701 1702", virtual=True, note="电信转售")
    # 中国广电
    + _seg(_B, "192")
)

_BY_PREFIX: dict[str, Segment] = {s.prefix: s for s in SEGMENTS}
if len(_BY_PREFIX) != len(SEGMENTS):  # pragma: no cover - guards edits of the table
    raise RuntimeError("duplicate prefix in the MIIT segment table")


def segment_for(number: str) -> Segment | None:
    """The segment of an 11-digit Chinese mobile number (national form, no +86), longest prefix first.

    Only the first five digits are looked at, so a prefix of a number works too.
    """
    for length in (5, 4, 3):
        seg = _BY_PREFIX.get(number[:length])
        if seg is not None:
            return seg
    return None
