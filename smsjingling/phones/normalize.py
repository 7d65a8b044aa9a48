"""`parse_phone`: one spreadsheet cell -> a normalised `Phone`, or a `PhoneError` saying what is wrong.

Speed matters: the importer calls this for every cell of sheets of up to a million rows. A Chinese mobile
number (the usual case) takes a fast path that never calls `phonenumbers.parse` (30-50 µs): the digits are
checked against phonenumbers' own CN mobile pattern and the MIIT segment table, both folded into a table
of 5-digit prefixes, and the region comes from phonenumbers' geocoder data by longest-prefix lookup (see
tables.py). A Chinese landline written with its area code takes a second fast path: phonenumbers' own CN
number-type patterns, compiled once and tried in its order. Everything else (400/800, short codes, foreign
numbers, errors) goes through phonenumbers.

Decisions, for the record:
- A float cell must be integral (13800138000.0); an integral float is taken as it is, even if Excel had
  rounded it, because a numeric cell holds no trace of that. A *text* cell in scientific notation
  ("1.38001E+10") is Excel's display of a number that lost digits: rejected ("phone.digits_lost") unless
  the mantissa carries every digit ("1.3800138000E+10").
- "86" in front of 11 mobile digits (13 digits, "86138...") is a country code; 11 digits starting 86 are
  not. "0086" and "+86" always are; a trunk "0" after +86 ("+86 0755 ...") is dropped.
- Extensions (分机, "转123", "ext 123", "x123", "#123", and "-123" after a complete landline) are split off
  into `Phone.extension`; the number itself is the landline.
- Foreign numbers: mobile (or "fixed line or mobile", as in the US, where SMS usually works) -> MOBILE;
  anything else -> OTHER. Carrier UNKNOWN, region the geocoder's Chinese name ("美国", "香港").
- Chinese service numbers: 400/800 and 95xxx/10086-style short codes -> OTHER.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from numbers import Integral, Real

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType, ValidationResult, shortnumberinfo

from smsjingling.phones import tables as _tables
from smsjingling.phones.carrier import Carrier, LineKind
from smsjingling.phones.cells import clean_text
from smsjingling.phones.model import (
    Phone,
    PhoneError,
    _new,
    _set_carrier,
    _set_e164,
    _set_extension,
    _set_kind,
    _set_region,
    new_phone,
)

_MOBILE = LineKind.MOBILE

# The fast path's tables (see tables.py), bound here once built: until then they are empty and every number
# takes the slow path, which builds them.
_MOBILE5: dict[str, Carrier] = {}
_REGION: dict[str, str] = {}


def _load_tables() -> _tables.Tables:
    global _MOBILE5, _REGION
    tables = _tables.get()
    _REGION = tables.region
    _MOBILE5 = tables.mobile5
    return tables


def _mobile(national: str) -> Phone | None:
    """An 11-digit national number (ASCII digits) as a Chinese mobile, or None if no mobile segment has it."""
    tables = _load_tables()
    carrier = tables.mobile5.get(national[:5])
    if carrier is None:
        return None
    return new_phone("+86" + national, _MOBILE, carrier, tables.region_for(national))


def parse_phone(value: object, default_region: str = "CN") -> Phone:
    """Parse one cell (str, int, float ...) into a `Phone`; raise `PhoneError` (key phone.*) if it is none.

    `default_region` is the ISO country for numbers written without a country code.
    """
    kind = type(value)
    if kind is str:
        text: str = value  # type: ignore[assignment]
    elif kind is int:
        if value < 0:  # type: ignore[operator]
            raise PhoneError("phone.not_a_number", value=clean_text(value))
        text = str(value)
    elif kind is float:
        text = _float_text(value)  # type: ignore[arg-type]
    else:
        text = _other_text(value)
    if len(text) == 11 and default_region == "CN" and text.isdigit() and text.isascii():
        # The fast path, inlined: a plain 11-digit Chinese mobile number.
        carrier = _MOBILE5.get(text[:5])
        if carrier is not None:
            region = _REGION.get(text[:7])
            if region is None:
                region = _tables.get().region_for(text)
            phone = _new(Phone)
            _set_e164(phone, "+86" + text)
            _set_kind(phone, _MOBILE)
            _set_carrier(phone, carrier)
            _set_region(phone, region)
            _set_extension(phone, "")
            return phone
    return _parse_text(text, value, (default_region or "").upper())


def _float_text(value: float) -> str:
    if not math.isfinite(value) or value < 0:
        raise PhoneError("phone.not_a_number", value=clean_text(value))
    if not value.is_integer():
        raise PhoneError("phone.not_integral", value=clean_text(value))
    return str(int(value))


def _other_text(value: object) -> str:
    if value is None:
        raise PhoneError("phone.empty", value="")
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        raise PhoneError("phone.not_a_number", value=clean_text(value))
    if isinstance(value, Integral):
        if int(value) < 0:
            raise PhoneError("phone.not_a_number", value=clean_text(value))
        return str(int(value))
    if isinstance(value, Decimal):
        if not value.is_finite() or value < 0:
            raise PhoneError("phone.not_a_number", value=clean_text(value))
        if value != value.to_integral_value():
            raise PhoneError("phone.not_integral", value=clean_text(value))
        return str(int(value))
    if isinstance(value, Real):  # numpy floats and the like
        return _float_text(float(value))
    raise PhoneError("phone.not_a_number", value=clean_text(value))


# --- text ------------------------------------------------------------------------------------------------

_CLEAN = {
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"), None),  # invisible
    **dict.fromkeys(map(ord, "'\"`´‘’‚‛“”„‟「」『』"), None),  # Excel's text apostrophe, stray quotes
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\u30fc~"), "-"),
    **dict.fromkeys(map(ord, "【〔"), "("),
    **dict.fromkeys(map(ord, "】〕"), ")"),
}
_LABEL = re.compile(
    r"(?:tel|phone|mobile|手机号码|手机号|手机|电话号码|联系电话|电话|座机|移动电话)\s*:?\s*", re.IGNORECASE
)
_SCIENTIFIC = re.compile(r"(\d+)(?:\.(\d*))?e\+?(\d+)", re.IGNORECASE)
_DECIMAL = re.compile(r"(\d{9,})\.(\d+)")  # "13800138000.0" from a CSV written by pandas
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_EXTENSION = re.compile(
    r"(.*?\d[\s)\]]*?)\s*(?:;ext=|[,;]?\s*(?:转分机|分机号?|转|轉|ext\.?|extn|extension|x|#)\s*[:.]?)\s*(\d{1,6})\s*#?",
    re.IGNORECASE,
)
_EXTENSION_HINT = re.compile(r"[转轉分x#;]", re.IGNORECASE)
_HAS_CONTENT = re.compile(r"[^\W_]")  # a letter or a digit
_DASH_EXTENSION = re.compile(r"(.*\d)\s*-\s*(\d{1,5})")
_NOT_PHONE = re.compile(r"[^\d\s+\-().\[\]]")
_NON_DIGIT = re.compile(r"\D")


def _parse_text(text: str, original: object, region: str) -> Phone:
    s = unicodedata.normalize("NFKC", text).translate(_CLEAN).strip()
    label = _LABEL.match(s)
    if label:
        s = s[label.end() :]
    if not _HAS_CONTENT.search(s):  # "", "-", "()": nothing written
        raise PhoneError("phone.empty", value=clean_text(original))
    if m := _SCIENTIFIC.fullmatch(s):
        s = _from_scientific(m, original)
    elif m := _DECIMAL.fullmatch(s):
        if m[2].strip("0"):
            raise PhoneError("phone.not_integral", value=clean_text(original))
        s = m[1]
    elif _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    extension = ""
    if _EXTENSION_HINT.search(s) and (m := _EXTENSION.fullmatch(s)):
        s, extension = m[1], m[2]
    plus = s.lstrip("([ ").startswith("+")  # "+86 ...", "(+86) ..."
    if _NOT_PHONE.search(s) or s.count("+") > plus:
        raise PhoneError("phone.not_a_number", value=clean_text(original))
    try:
        return _parse_digits(_digits(s), plus, extension, original, region)
    except PhoneError as error:
        failure = error
    # "010-88886666-123": the last dash group may be an extension of a complete landline.
    m = None if extension else _DASH_EXTENSION.fullmatch(s)
    if m and failure.key in ("phone.too_long", "phone.invalid"):
        try:
            phone = _parse_digits(_digits(m[1]), plus, m[2], original, region)
        except PhoneError:
            pass
        else:
            if phone.kind is LineKind.LANDLINE:
                return phone
    raise failure


def _digits(s: str) -> str:
    digits = _NON_DIGIT.sub("", s)
    if not digits.isascii():  # other scripts' digits (NFKC already folded the full-width ones)
        digits = "".join(str(unicodedata.decimal(c)) for c in digits)
    return digits


def _from_scientific(m: re.Match[str], original: object) -> str:
    """ "1.3800138000E+10" -> "13800138000"; "1.38001E+10" lost digits -> PhoneError."""
    whole, fraction, exponent = m[1], m[2] or "", int(m[3])
    if exponent > 20:
        raise PhoneError("phone.too_long", value=clean_text(original), digits=len(whole) + exponent)
    if len(fraction) < exponent:
        raise PhoneError("phone.digits_lost", value=clean_text(original))
    if fraction[exponent:].strip("0"):
        raise PhoneError("phone.not_integral", value=clean_text(original))
    return whole + fraction[:exponent]


def _with_extension(phone: Phone, extension: str) -> Phone:
    return new_phone(phone.e164, phone.kind, phone.carrier, phone.region, extension) if extension else phone


def _parse_digits(digits: str, plus: bool, extension: str, original: object, region: str) -> Phone:
    if not digits:
        raise PhoneError("phone.not_a_number", value=clean_text(original))
    if len(digits) > 20:
        raise PhoneError("phone.too_long", value=clean_text(original), digits=len(digits))
    # The +86 national part when the country is known to be China, else None.
    national: str | None = None
    international = plus
    if plus:
        if digits.startswith("86"):
            national = digits[2:]
    elif digits.startswith("0086"):
        national, international = digits[4:], True
    elif region == "CN":
        national = digits
        if len(digits) == 13 and digits.startswith("861") and (phone := _mobile(digits[2:])):
            return _with_extension(phone, extension)
    if national is not None:
        if international and national.startswith("0"):  # "+86 0755 ...": a trunk 0 that should not be there
            national = national[1:]
        if len(national) == 11 and national[0] == "1" and (phone := _mobile(national)):
            return _with_extension(phone, extension)
        # Landline fast path: the trunk 0 and an area code ("010 ...", "0755 ..."), or after +86.
        landline = national if international else national[1:] if national.startswith("0") else ""
        tables = _load_tables()
        if landline and tables.is_landline(landline):
            region = tables.region_for(landline)
            return new_phone("+86" + landline, LineKind.LANDLINE, Carrier.UNKNOWN, region, extension)
        candidate, parse_region = ("+86" + national, None) if international else (national, "CN")
    else:
        candidate, parse_region = ("+" + digits if plus else digits), (region or None)
    try:
        number = phonenumbers.parse(candidate, parse_region)
    except NumberParseException as error:
        key = _PARSE_ERRORS.get(error.error_type, "phone.invalid")
        raise PhoneError(key, value=clean_text(original), digits=len(national or digits)) from None
    extension = extension or number.extension or ""
    return _from_phonenumbers(number, national, international, extension, original)


def _describe(number: phonenumbers.PhoneNumber) -> str:
    """The geocoder's Chinese description. Imported here: its data takes ~0.7 s to load, not at import."""
    from phonenumbers import geocoder

    return geocoder.description_for_number(number, "zh")


_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: "phone.invalid_country",
    NumberParseException.NOT_A_NUMBER: "phone.not_a_number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "phone.too_short",
    NumberParseException.TOO_SHORT_NSN: "phone.too_short",
    NumberParseException.TOO_LONG: "phone.too_long",
}
_LANDLINE_TYPES = (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
_FOREIGN_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _from_phonenumbers(
    number: phonenumbers.PhoneNumber, typed: str | None, international: bool, extension: str, original: object
) -> Phone:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    national = phonenumbers.national_significant_number(number)
    china = number.country_code == 86
    if phonenumbers.is_valid_number(number):
        ntype = phonenumbers.number_type(number)
        if china:
            if ntype == PhoneNumberType.MOBILE:  # fast path normally; here when written unusually
                phone = _mobile(national)
                if phone is not None:
                    return _with_extension(phone, extension)
                tables = _tables.get()
                phone = Phone(e164, _MOBILE, tables.phonenumbers_carrier(national), tables.region_for(national))
                return _with_extension(phone, extension)
            if ntype in _LANDLINE_TYPES:
                region = _tables.short_region(_describe(number))
                return Phone(e164, LineKind.LANDLINE, Carrier.UNKNOWN, region, extension)
            return Phone(e164, LineKind.OTHER, Carrier.UNKNOWN, "", extension)
        kind = _MOBILE if ntype in _FOREIGN_MOBILE_TYPES else LineKind.OTHER
        return Phone(e164, kind, Carrier.UNKNOWN, _describe(number), extension)

    count = len(typed if typed is not None else national)
    if not china:
        reason = phonenumbers.is_possible_number_with_reason(number)
        key = _REASONS.get(reason, "phone.invalid")
        raise PhoneError(key, value=clean_text(original), digits=count)
    if len(national) == 11 and national[0] == "1" and (phone := _mobile(national)):
        return _with_extension(phone, extension)  # MIIT-only segment written unusually
    trunk = typed is not None and typed.startswith("0")  # the user wrote an area code with its 0
    local = not international and not trunk
    if local and shortnumberinfo.is_valid_short_number_for_region(number, "CN"):  # 95588, 10086, 12315
        return Phone("+86" + national, LineKind.OTHER, Carrier.UNKNOWN, "", extension)
    if not trunk and national[0] == "1" and national[1:2] != "0":  # meant as a mobile (10 is Beijing)
        key = "phone.too_short" if len(national) < 11 else "phone.too_long" if len(national) > 11 else ""
        raise PhoneError(key or "phone.invalid", value=clean_text(original), digits=count)
    if local and len(national) < 7:
        raise PhoneError("phone.too_short", value=clean_text(original), digits=count)
    if local and len(national) <= 8 and national[0] in "23456789":
        raise PhoneError("phone.no_area_code", value=clean_text(original))
    reason = phonenumbers.is_possible_number_with_reason(number)
    raise PhoneError(_REASONS.get(reason, "phone.invalid"), value=clean_text(original), digits=count)


_REASONS = {
    ValidationResult.TOO_SHORT: "phone.too_short",
    ValidationResult.TOO_LONG: "phone.too_long",
    ValidationResult.INVALID_COUNTRY_CODE: "phone.invalid_country",
}
