"""Contacts dragged out of a table: the ids in a MIME type of our own, and the names and numbers as text.

The ids are what a drop target inside the program reads (a group in the group tree adds them); the plain
text lets the same drag end in Notepad or Excel with something useful in it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import QMimeData

from smsjingling.contacts.export import national
from smsjingling.contacts.records import ContactRecord

CONTACT_IDS_MIME = "application/x-smsjingling-contact-ids"


def contacts_mime(records: Sequence[ContactRecord]) -> QMimeData:
    mime = QMimeData()
    mime.setData(CONTACT_IDS_MIME, json.dumps([r.id for r in records]).encode("ascii"))
    mime.setText("\n".join(f"{r.name}\t{national(r.phone, r.sms_capable)}" for r in records))
    return mime


def contact_ids(mime: QMimeData | None) -> list[int]:
    """The contact ids a drag carries; [] for anything else (or anything malformed)."""
    if mime is None or not mime.hasFormat(CONTACT_IDS_MIME):
        return []
    try:
        ids = json.loads(bytes(mime.data(CONTACT_IDS_MIME).data()).decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return []
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        return []
    return ids
