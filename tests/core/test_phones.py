"""parse_phone on what spreadsheets give, with phonenumbers' real data (no mocks)."""

from __future__ import annotations

import math
from decimal import Decimal

import phonenumbers
import pytest
from phonenumbers import geocoder

from smsjingling import messages
from smsjingling.errors import ValidationError
from smsjingling.phones import Carrier, LineKind, Phone, PhoneError, parse_phone
from smsjingling.phones.model import new_phone
from smsjingling.phones.tables import short_region

MOBILE = "+8613800138000"


@pytest.mark.parametrize(
    "cell",
    [
        "13800138000",
        13800138000,
        13800138000.0,
        Decimal("13800138000"),
        " 13800138000 ",
        "138 0013 8000",
        "138-0013-8000",
        "138.0013.8000",
        "(138)0013-8000",
        "+86 138 0013 8000",
        "+86-13800138000",
        "+8613800138000",
        "(+86)13800138000",
        "0086 13800138000",
        "008613800138000",
        "86 13800138000",
        "8613800138000",
        "１３８００１３８０００",  # full-width digits
        "＋８６　１３８－００１３－８０００",  # full-width plus, dash, ideographic space
        "（１３８）００１３８０００",
        "'13800138000",  # Excel's text marker
        '"13800138000"',
        "“13800138000”",
        "138\u200b0013\u200d8000\ufeff",
        "\u00a013800138000\u3000",
        "tel:+86-138-0013-8000",
        "TEL:13800138000",
        "手机：13800138000",
        "1.3800138000E+10",  # scientific notation with every digit present
        "1.3800138000e10",
        "13800138000.0",  # a float written as text (CSV from pandas)
        "13,800,138,000",  # a number formatted with thousands separators
        "138–0013—8000",  # en and em dashes
    ],
)
def test_mobile_written_in_every_way(cell: object) -> None:
    phone = parse_phone(cell)
    assert phone.e164 == MOBILE
    assert phone.kind is LineKind.MOBILE
    assert phone.carrier is Carrier.CMCC
    assert phone.region == "北京"
    assert phone.sms_capable
    assert phone.extension == ""


def test_phone_is_a_frozen_value() -> None:
    phone = parse_phone("13800138000")
    assert phone == Phone(MOBILE, LineKind.MOBILE, Carrier.CMCC, "北京")
    assert hash(phone) == hash(Phone(MOBILE, LineKind.MOBILE, Carrier.CMCC, "北京"))
    with pytest.raises(AttributeError):
        phone.e164 = "+8613900139000"  # type: ignore[misc]
    assert phone.national == "13800138000"


def test_fast_constructor_equals_dataclass_constructor() -> None:
    args = ("+8613800138000", LineKind.MOBILE, Carrier.CMCC, "北京", "12")
    fast, slow = new_phone(*args), Phone(*args)
    assert fast == slow and repr(fast) == repr(slow) and fast.extension == "12"


def test_eleven_digits_starting_86_are_not_a_country_code() -> None:
    with pytest.raises(PhoneError) as err:
        parse_phone("86138001380")
    assert err.value.key == "phone.invalid"


def test_regions_follow_the_geocoder_in_short_form() -> None:
    for number in ["13800138000", "13912345678", "18688889999", "15300001111", "13300001111", "17012345678"]:
        parsed = phonenumbers.parse(number, "CN")
        assert parse_phone(number).region == short_region(geocoder.description_for_number(parsed, "zh"))
    assert parse_phone("18688889999").region  # a Guangdong Unicom number has a region
    assert short_region("广东省深圳市") == "广东深圳"
    assert short_region("北京市") == "北京"
    assert short_region("中国") == ""
    assert short_region("辽宁省沈阳市、铁岭市") == "辽宁沈阳、铁岭"
    assert short_region("新疆昌吉回族自治州") == "新疆昌吉回族自治州"


@pytest.mark.parametrize(
    ("number", "carrier"),
    [
        ("13000000000", Carrier.CUCC),
        ("13300000000", Carrier.CTCC),
        ("13400000000", Carrier.CMCC),
        ("15600000000", Carrier.CUCC),
        ("18900000000", Carrier.CTCC),
        ("19200000000", Carrier.CBN),
        ("19700000000", Carrier.CMCC),
        ("17000000000", Carrier.CTCC),
        ("17030000000", Carrier.CMCC),
        ("17040000000", Carrier.CUCC),
    ],
)
def test_carrier_of_common_segments(number: str, carrier: Carrier) -> None:
    assert parse_phone(number).carrier is carrier


@pytest.mark.parametrize(
    ("cell", "e164", "region", "extension"),
    [
        ("010-88886666", "+861088886666", "北京", ""),
        ("01088886666", "+861088886666", "北京", ""),
        ("(010)8888 6666", "+861088886666", "北京", ""),
        ("021-6888 8888", "+862168888888", "上海", ""),
        ("0755-88886666", "+8675588886666", "广东深圳", ""),
        ("（0755）8888-6666", "+8675588886666", "广东深圳", ""),
        ("+86 755 88886666", "+8675588886666", "广东深圳", ""),
        ("+86 (0)755 88886666", "+8675588886666", "广东深圳", ""),
        ("0086 10 88886666", "+861088886666", "北京", ""),
        ("861088886666", "+861088886666", "北京", ""),
        ("010-88886666-123", "+861088886666", "北京", "123"),
        ("010-88886666转123", "+861088886666", "北京", "123"),
        ("010-88886666 转 8001", "+861088886666", "北京", "8001"),
        ("0755 88886666 分机 12", "+8675588886666", "广东深圳", "12"),
        ("010-88886666 ext. 123", "+861088886666", "北京", "123"),
        ("010 88886666 x123", "+861088886666", "北京", "123"),
        ("010-88886666#123", "+861088886666", "北京", "123"),
        ("0755-8888-6666-8001", "+8675588886666", "广东深圳", "8001"),
    ],
)
def test_landlines(cell: str, e164: str, region: str, extension: str) -> None:
    phone = parse_phone(cell)
    assert (phone.e164, phone.kind, phone.region, phone.extension) == (e164, LineKind.LANDLINE, region, extension)
    assert phone.carrier is Carrier.UNKNOWN
    assert not phone.sms_capable
    assert phone.national == "0" + e164[3:]


def test_extension_is_not_compared() -> None:
    assert parse_phone("010-88886666-123") == parse_phone("010-88886666")


@pytest.mark.parametrize("cell", ["4001234567", "400-123-4567", "800-123-4567", "95588", "10086", "12315"])
def test_service_numbers_are_other(cell: str) -> None:
    phone = parse_phone(cell)
    assert phone.kind is LineKind.OTHER and not phone.sms_capable and phone.carrier is Carrier.UNKNOWN


@pytest.mark.parametrize(
    ("cell", "e164", "kind", "region"),
    [
        ("+1 202-555-0123", "+12025550123", LineKind.MOBILE, "美国"),  # US: fixed line or mobile
        ("+44 20 7123 4567", "+442071234567", LineKind.OTHER, "英国"),  # a London landline
        ("+852 9123 4567", "+85291234567", LineKind.MOBILE, "香港"),
        ("00852 9123 4567", "+85291234567", LineKind.MOBILE, "香港"),
        ("+886 912 345 678", "+886912345678", LineKind.MOBILE, "台湾地区"),
    ],
)
def test_foreign_numbers(cell: str, e164: str, kind: LineKind, region: str) -> None:
    phone = parse_phone(cell)
    assert (phone.e164, phone.kind, phone.carrier, phone.region) == (e164, kind, Carrier.UNKNOWN, region)


def test_default_region_other_than_china() -> None:
    phone = parse_phone("202-555-0123", default_region="US")
    assert phone.e164 == "+12025550123"
    assert parse_phone("+86 138 0013 8000", default_region="US").e164 == MOBILE
    assert parse_phone("13800138000", default_region="cn").e164 == MOBILE


@pytest.mark.parametrize(
    ("cell", "key"),
    [
        ("", "phone.empty"),
        ("   ", "phone.empty"),
        ("\u200b", "phone.empty"),
        ("-", "phone.empty"),
        (None, "phone.empty"),
        ("abc", "phone.not_a_number"),
        ("张三", "phone.not_a_number"),
        ("13800138000（张三）", "phone.not_a_number"),
        ("138001380+00", "phone.not_a_number"),
        ("13800138000/13900139000", "phone.not_a_number"),
        (True, "phone.not_a_number"),
        (-13800138000, "phone.not_a_number"),
        (math.nan, "phone.not_a_number"),
        (math.inf, "phone.not_a_number"),
        (object(), "phone.not_a_number"),
        (13800138000.5, "phone.not_integral"),
        (1.5, "phone.not_integral"),
        (Decimal("13800138000.5"), "phone.not_integral"),
        ("13800138000.5", "phone.not_integral"),
        ("1.38001E+10", "phone.digits_lost"),
        ("1.38001e10", "phone.digits_lost"),
        ("1.380013800E+10", "phone.digits_lost"),  # ten digits, the number needs eleven
        ("１.３８００１Ｅ＋１０", "phone.digits_lost"),
        ("1.38001380005E+10", "phone.not_integral"),
        ("1380013800", "phone.too_short"),
        ("138 0013 800", "phone.too_short"),
        (1380013800, "phone.too_short"),
        ("1234", "phone.too_short"),
        ("13800", "phone.too_short"),
        ("2345", "phone.too_short"),
        ("138001380001", "phone.too_long"),
        ("+86 138001380001", "phone.too_long"),
        ("1380013800012345678901234", "phone.too_long"),
        ("12345678901", "phone.invalid"),
        ("17406123456", "phone.invalid"),  # MIIT emergency communications, not sold
        ("10012345678", "phone.invalid"),
        ("88886666", "phone.no_area_code"),
        ("8888-6666", "phone.no_area_code"),
        ("+999 1234567", "phone.invalid_country"),
    ],
)
def test_errors_have_distinct_keys(cell: object, key: str) -> None:
    with pytest.raises(PhoneError) as err:
        parse_phone(cell)
    assert err.value.key == key
    assert isinstance(err.value, ValidationError)


def test_mobile_with_extension_marker_keeps_the_mobile() -> None:
    phone = parse_phone("13800138000 转 1")
    assert phone.e164 == MOBILE and phone.extension == "1"


def test_dash_group_after_mobile_is_not_an_extension() -> None:
    with pytest.raises(PhoneError) as err:
        parse_phone("138-0013-8000-12")
    assert err.value.key == "phone.too_long"


def test_every_error_key_has_both_languages_and_quotes_the_value() -> None:
    keys = [k for k in messages.CATALOGUE if k.startswith("phone.") and not k.startswith("phone.kind.")]
    assert {
        "phone.empty",
        "phone.not_a_number",
        "phone.not_integral",
        "phone.digits_lost",
        "phone.too_short",
        "phone.too_long",
        "phone.invalid",
        "phone.no_area_code",
        "phone.invalid_country",
    } <= set(keys)
    for key in keys:
        zh, en = messages.CATALOGUE[key]
        if key != "phone.empty":
            assert "{value}" in zh and "{value}" in en, key
        assert zh != en


def test_error_message_in_both_languages() -> None:
    with pytest.raises(PhoneError) as err:
        parse_phone("1380013800")
    assert err.value.params["value"] == "1380013800"
    assert err.value.message("zh") == "号码 1380013800 位数太少（10 位）：手机号为 11 位，座机为区号加 7 到 8 位"
    assert err.value.message("en").startswith("1380013800: too few digits (10)")
    with pytest.raises(PhoneError) as err:
        parse_phone("1.38001E+10")
    assert "1.38001E+10" in err.value.message("zh") and "科学计数法" in err.value.message("zh")
    with pytest.raises(PhoneError) as err:
        parse_phone(13800138000.5)
    assert "13800138000.5" in err.value.message("en")


def test_carrier_and_kind_display_names() -> None:
    assert [c.zh for c in Carrier] == ["移动", "联通", "电信", "广电", "未知"]
    assert Carrier.CMCC.zh_full == "中国移动" and Carrier.CTCC.en == "China Telecom"
    assert Carrier.CBN.display_name("zh") == "广电" and Carrier.CBN.display_name("en") == "China Broadnet"
    assert Carrier.UNKNOWN.display_name("en") == "Unknown"
    assert Carrier.from_name("中国联通") is Carrier.CUCC
    assert Carrier.from_name("电信") is Carrier.CTCC
    assert Carrier.from_name("china mobile") is Carrier.CMCC
    assert Carrier.from_name("cbn") is Carrier.CBN
    assert Carrier.from_name("") is Carrier.UNKNOWN and Carrier.from_name(None) is Carrier.UNKNOWN
    assert Carrier("cmcc") is Carrier.CMCC and Carrier("") is Carrier.UNKNOWN
    assert LineKind.LANDLINE.display_name("zh") == "座机" and LineKind.MOBILE.display_name("en") == "Mobile"


def test_fast_path_is_fast() -> None:
    """A loose guard (the real figures are in the benchmarks): a mobile must not reach phonenumbers.parse."""
    import time

    parse_phone("13800138000")
    numbers = [f"139{i:08d}" for i in range(20000)]
    start = time.perf_counter()
    for n in numbers:
        parse_phone(n)
    per_call = (time.perf_counter() - start) / len(numbers)
    assert per_call < 15e-6  # phonenumbers.parse alone takes 30-50 µs


def _expected_from_phonenumbers(cell: str) -> tuple[str, LineKind, str] | None:
    """What phonenumbers alone says about a +86 cell: (e164, kind, region), or None if invalid."""
    try:
        parsed = phonenumbers.parse(cell, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    ntype = phonenumbers.number_type(parsed)
    if ntype == phonenumbers.PhoneNumberType.MOBILE:
        kind = LineKind.MOBILE
    elif ntype in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        kind = LineKind.LANDLINE
    else:
        kind = LineKind.OTHER
    region = short_region(geocoder.description_for_number(parsed, "zh")) if kind is not LineKind.OTHER else ""
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164, kind, region


def test_fast_paths_agree_with_phonenumbers_on_random_numbers() -> None:
    """Landlines of every area code in the geocoder data, 7 and 8 digits, and random mobiles."""
    import random

    from phonenumbers.geodata import GEOCODE_DATA

    rng = random.Random(20230301)
    area_codes = sorted({k[2:] for k in GEOCODE_DATA if k.startswith("86") and k[2] != "1" and len(k) <= 6})
    area_codes.append("10")
    cells = [f"0{code}{rng.randrange(10**8, 10**9):d}"[: len(code) + 1 + rng.choice((7, 8))] for code in area_codes]
    cells += [f"0{code}-{rng.randrange(2 * 10**7, 10**8)}" for code in area_codes]
    cells += [f"1{rng.randrange(3 * 10**9, 10**10)}" for _ in range(3000)]
    cells += ["4001234567", "8001234567", "01012345", "010123456789", "075512345", "+86 21 12345678"]
    agreed = dict.fromkeys(LineKind, 0)
    for cell in cells:
        expected = _expected_from_phonenumbers(cell)
        try:
            phone = parse_phone(cell)
        except PhoneError:
            # Only the MIIT table may accept what phonenumbers rejects, never the other way round.
            assert expected is None, cell
            continue
        if expected is None:
            assert phone.kind is LineKind.MOBILE and phone.e164[3:6] in {"146", "148", "149"}, cell
            continue
        assert (phone.e164, phone.kind, phone.region) == expected, cell
        agreed[phone.kind] += 1
    assert agreed[LineKind.MOBILE] > 1000 and agreed[LineKind.LANDLINE] > 150 and agreed[LineKind.OTHER] >= 2
