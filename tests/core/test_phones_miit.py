"""The MIIT segment table against phonenumbers: where they disagree, parse_phone follows MIIT."""

from __future__ import annotations

import phonenumbers
import pytest
from phonenumbers import carrier as pn_carrier

from smsjingling.phones import Carrier, LineKind, PhoneError, miit, parse_phone

_BY_ZH = {"中国移动": Carrier.CMCC, "中国联通": Carrier.CUCC, "中国电信": Carrier.CTCC, "中国广电": Carrier.CBN}


def _sample(prefix: str) -> str:
    return (prefix + "234567890")[:11]


def _phonenumbers_verdict(number: str) -> Carrier | None:
    """None if phonenumbers rejects the number as a mobile, else the carrier it names (UNKNOWN if none)."""
    parsed = phonenumbers.parse(number, "CN")
    if not phonenumbers.is_valid_number(parsed) or phonenumbers.number_type(parsed) != 1:  # 1: MOBILE
        return None
    return _BY_ZH.get(pn_carrier.name_for_number(parsed, "zh"), Carrier.UNKNOWN)


def _collapse(rows: list[tuple[str, object, object]]) -> list[tuple[str, object, object]]:
    """Merge ten consecutive 5-digit prefixes with the same verdicts into their 4-digit (then 3-digit) prefix."""
    for _ in range(2):
        merged: list[tuple[str, object, object]] = []
        by_parent: dict[str, list[tuple[str, object, object]]] = {}
        for row in rows:
            by_parent.setdefault(row[0][:-1], []).append(row)
        for parent, children in by_parent.items():
            if len(children) == 10 and len({(c[1], c[2]) for c in children}) == 1:
                merged.append((parent, children[0][1], children[0][2]))
            else:
                merged.extend(children)
        rows = merged
    return rows


def test_disagreements_with_phonenumbers_follow_miit(capsys: pytest.CaptureFixture[str]) -> None:
    disagreements = []
    for i in range(3000, 10000):
        prefix = f"1{i:04d}"
        number = _sample(prefix)
        segment = miit.segment_for(prefix)
        theirs = _phonenumbers_verdict(number)
        ours = segment.carrier if segment else theirs
        if segment is not None and theirs != segment.carrier:
            disagreements.append(
                (
                    prefix,
                    "phonenumbers: " + ("rejects" if theirs is None else repr(theirs.zh)),
                    "MIIT: " + segment.carrier.zh,
                )
            )
        elif segment is None and theirs is not None:
            disagreements.append((prefix, "phonenumbers: " + repr(theirs.zh), "MIIT: not in the table"))
        # parse_phone: MIIT first, phonenumbers where MIIT says nothing.
        if ours is None:
            with pytest.raises(PhoneError):
                parse_phone(number)
        else:
            phone = parse_phone(number)
            assert (phone.kind, phone.carrier) == (LineKind.MOBILE, ours), number
            assert parse_phone("+86 " + number) == phone
    with capsys.disabled():
        print("\nwhere phonenumbers", phonenumbers.__version__, "and the MIIT table (March 2023) disagree:")
        for row in _collapse(disagreements):
            print("  ", *row)
    # The gaps the issue names are among them (unless a newer phonenumbers has closed them).
    gaps = {p for p, *_ in _collapse(disagreements)}
    for prefix in ("146", "148", "149", "162", "165", "1349"):
        assert prefix in gaps or _phonenumbers_verdict(_sample(prefix)) == miit.segment_for(prefix).carrier


@pytest.mark.parametrize(
    ("number", "carrier", "virtual"),
    [
        ("14612345678", Carrier.CUCC, False),
        ("14812345678", Carrier.CMCC, False),
        ("14912345678", Carrier.CTCC, False),
        ("16212345678", Carrier.CTCC, True),
        ("16512345678", Carrier.CMCC, True),
        ("16712345678", Carrier.CUCC, True),
        ("17112345678", Carrier.CUCC, True),
        ("13491234567", Carrier.CTCC, False),
        ("17400123456", Carrier.CTCC, False),
        ("17405123456", Carrier.CTCC, False),
        ("17001234567", Carrier.CTCC, True),
        ("17051234567", Carrier.CMCC, True),
        ("17091234567", Carrier.CUCC, True),
        ("19212345678", Carrier.CBN, False),
    ],
)
def test_gap_segments(number: str, carrier: Carrier, virtual: bool) -> None:
    phone = parse_phone(number)
    assert phone.kind is LineKind.MOBILE and phone.carrier is carrier and phone.sms_capable
    segment = miit.segment_for(number)
    assert segment is not None and segment.virtual is virtual
    # Region: the geocoder's if it has one for the prefix, else "".
    parsed = phonenumbers.parse(number, "CN")
    if phonenumbers.is_valid_number(parsed):
        from phonenumbers import geocoder

        from smsjingling.phones.tables import short_region

        assert phone.region == short_region(geocoder.description_for_number(parsed, "zh"))
    else:
        assert phone.region == ""


def test_table_lists_the_segments_of_the_brief() -> None:
    expected = {
        Carrier.CMCC: "1340 1341 1342 1343 1344 1345 1346 1347 1348 135 136 137 138 139 147 148 150 151 152 157 "
        "158 159 165 172 178 182 183 184 187 188 195 197 198 1703 1705 1706",
        Carrier.CUCC: "130 131 132 145 146 155 156 166 167 171 175 176 185 186 196 1704 1707 1708 1709",
        Carrier.CTCC: "133 1349 149 153 162 173 17400 17401 17402 17403 17404 17405 177 180 181 189 190 191 193 "
        "199 1700 1701 1702",
        Carrier.CBN: "192",
    }
    for carrier, prefixes in expected.items():
        assert sorted(s.prefix for s in miit.SEGMENTS if s.carrier is carrier) == sorted(prefixes.split())
    assert {s.prefix for s in miit.SEGMENTS if s.virtual} == {
        "162",
        "165",
        "167",
        "171",
        "1700",
        "1701",
        "1702",
        "1703",
        "1704",
        "1705",
        "1706",
        "1707",
        "1708",
        "1709",
    }


@pytest.mark.parametrize("number", ["17406000000", "17490000000", "14012345678", "15412345678", "19412345678"])
def test_not_allocated_to_the_public(number: str) -> None:
    with pytest.raises(PhoneError) as err:
        parse_phone(number)
    assert err.value.key == "phone.invalid"
