"""The parsed phone number and the error raised for a value that is not one."""

from __future__ import annotations

from dataclasses import dataclass, field

from smsjingling import messages
from smsjingling.errors import ValidationError
from smsjingling.phones.carrier import Carrier, LineKind

messages.register(
    {
        "phone.empty": ("号码为空", "The phone number is empty"),
        "phone.not_a_number": (
            "“{value}”不是电话号码（含有数字以外的字符）",
            "“{value}” is not a phone number (it has characters other than digits)",
        ),
        "phone.not_integral": (
            "号码 {value} 带有小数，不是整数",
            "{value}: has a fractional part, a phone number must be a whole number",
        ),
        "phone.digits_lost": (
            "号码 {value} 是科学计数法，后几位数字已丢失，无法还原：请在表格中把该列设为“文本”，重新输入号码",
            "{value}: written in scientific notation, its last digits are lost and cannot be recovered; "
            "format the column as text in the spreadsheet and enter the numbers again",
        ),
        "phone.too_short": (
            "号码 {value} 位数太少（{digits} 位）：手机号为 11 位，座机为区号加 7 到 8 位",
            "{value}: too few digits ({digits}); mobiles have 11, landlines an area code plus 7 or 8",
        ),
        "phone.too_long": (
            "号码 {value} 位数太多（{digits} 位）：手机号为 11 位，座机为区号加 7 到 8 位",
            "{value}: too many digits ({digits}); mobiles have 11, landlines an area code plus 7 or 8",
        ),
        "phone.no_area_code": (
            "座机号码 {value} 缺少区号（如 010、021、0755）",
            "{value}: landline without an area code (such as 010, 021, 0755)",
        ),
        "phone.invalid": (
            "号码 {value} 不是有效的电话号码（没有这个号段或区号）",
            "{value} is not a valid phone number (no such prefix or area code)",
        ),
        "phone.invalid_country": (
            "号码 {value} 的国家/地区代码不存在",
            "{value}: no such country calling code",
        ),
    }
)


class PhoneError(ValidationError):
    """A cell that is not a usable phone number. `key` says why (phone.*), `params["value"]` quotes the cell."""


@dataclass(frozen=True, slots=True)
class Phone:
    """A normalised phone number.

    `carrier` and `region` are hints from the number's segment: numbers can be ported to another carrier
    (携号转网) and people move. `extension` is a landline extension found in the cell (分机, "转123",
    "-123", "ext 123"); it is kept for display only, is not part of `e164`, and not compared.
    """

    e164: str  # "+8613800138000", "+861088886666"
    kind: LineKind
    carrier: Carrier  # Carrier.UNKNOWN for landlines and foreign numbers
    region: str  # Chinese: "广东深圳", "北京"; "" if unknown
    extension: str = field(default="", compare=False)

    @property
    def sms_capable(self) -> bool:
        """Mobiles (Chinese or foreign) can receive SMS; landlines and service numbers cannot."""
        return self.kind is LineKind.MOBILE

    @property
    def national(self) -> str:
        """A +86 number as dialled inside China ("13800138000", "01088886666"); others stay in E.164."""
        if not self.e164.startswith("+86"):
            return self.e164
        rest = self.e164[3:]
        return rest if self.kind is not LineKind.LANDLINE else "0" + rest


_new = object.__new__
_set_e164, _set_kind, _set_carrier, _set_region, _set_extension = (
    Phone.__dict__[name].__set__ for name in ("e164", "kind", "carrier", "region", "extension")
)


def new_phone(e164: str, kind: LineKind, carrier: Carrier, region: str, extension: str = "") -> Phone:
    """`Phone(...)`, twice as fast: a frozen dataclass's __init__ costs ~1.5 µs, too much for the fast path.

    Sets the slots through their descriptors, as the generated __init__ does through object.__setattr__;
    tests check that the result equals `Phone(...)`.
    """
    phone = _new(Phone)
    _set_e164(phone, e164)
    _set_kind(phone, kind)
    _set_carrier(phone, carrier)
    _set_region(phone, region)
    _set_extension(phone, extension)
    return phone
