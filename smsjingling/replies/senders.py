"""Who a reply is from: a phone number in E.164, or the sender as the network gave it.

Replies come from mobiles ("+8613911112222", "13911112222", "8613911112222" depending on the modem), but
also from service numbers (10086, 95588), SP long codes (1065…) and alphanumeric senders. Only real phone
numbers (mobile or landline) are normalised; anything else keeps its own text, since "+8610086" would be a
number nobody recognises. The lookup keys still include a service number's E.164 form, which is how the
contact book and the opt-out list store such numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from smsjingling.phones import LineKind, PhoneError, parse_phone

# InboundMessage.sender is String(24); a longer raw sender (never seen in practice) is cut, not refused.
SENDER_MAX = 24


@dataclass(frozen=True, slots=True)
class Sender:
    text: str  # what is stored in InboundMessage.sender: E.164 for phone numbers, else the raw text
    e164: str | None  # the number in E.164 when the sender parses as one at all (service numbers too)
    is_phone: bool  # a mobile or landline: a number that can be on the opt-out list and in the book

    @property
    def keys(self) -> tuple[str, ...]:
        """Values of Contact.phone / Message.phone / OptOut.phone that mean this sender."""
        if self.e164 is None or self.e164 == self.text:
            return (self.text,)
        return (self.text, self.e164)


def normalize_sender(raw: str) -> Sender:
    text = raw.strip()
    try:
        phone = parse_phone(text)
    except PhoneError:
        return Sender(text[:SENDER_MAX], None, False)
    if phone.kind in (LineKind.MOBILE, LineKind.LANDLINE):
        return Sender(phone.e164, phone.e164, True)
    return Sender(text[:SENDER_MAX], phone.e164, False)
