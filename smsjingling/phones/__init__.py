"""Phone numbers of spreadsheet cells: normalisation to E.164, line kind, carrier and region hints.

    parse_phone(cell) -> Phone            raises PhoneError (a ValidationError with a phone.* key)
    split_phone_cell(cell) -> [cell ...]  several numbers in one cell
    clean_text(cell) -> str               names and other text cells

Chinese mobiles take a fast path (a few µs); everything else goes through `phonenumbers`, whose +86 gaps
are filled from the MIIT allocation table (miit.py). Carrier and region are hints: numbers can be ported.
"""

from smsjingling.phones.carrier import Carrier, LineKind
from smsjingling.phones.cells import clean_text, split_phone_cell
from smsjingling.phones.model import Phone, PhoneError
from smsjingling.phones.normalize import parse_phone
from smsjingling.phones.tables import get as _get_tables


def preload() -> None:
    """Build the fast path's tables now (~0.5 s, from phonenumbers' data) rather than on the first number."""
    _get_tables()


__all__ = ["Carrier", "LineKind", "Phone", "PhoneError", "clean_text", "parse_phone", "preload", "split_phone_cell"]
