"""Reading a declared setting inside the caller's transaction.

`smsjingling.settings.Settings.get` opens a session of its own; storing a reply reads its settings in the
session that writes the reply, so one short transaction does both and a modem's callback thread needs no
second connection.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from smsjingling.errors import ValidationError
from smsjingling.settings import Setting
from smsjingling.storage.models import Setting as SettingRow

T = TypeVar("T")


def read_setting(session: Session, setting: Setting[T]) -> T:
    """The stored value, or the default when none is stored or the stored one is damaged (as Settings.get)."""
    row = session.get(SettingRow, setting.key)
    if row is None:
        return setting.default
    try:
        return setting.validate(row.value)
    except ValidationError:
        return setting.default
