"""Exporting contacts to .xlsx or .csv in a layout the importer reads back to the same book.

Columns: 姓名, 手机号码 (national form for +86, so Excel users recognise it), 分组 (joined with 、),
同意 (consent time), then every extra field, the standard ones first, all as text cells. The writing itself
(formats, encodings, the atomic rename) is smsjingling.tabular's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import select

from smsjingling import audit
from smsjingling.contacts.records import ContactRecord
from smsjingling.contacts.search import ContactQuery, matching_ids, to_records
from smsjingling.storage.database import Database
from smsjingling.storage.models import Contact
from smsjingling.tabular import TEXT, write_table

HEADERS = ("姓名", "手机号码", "分组", "同意")
STANDARD_FIELD_ORDER = ("部门", "职务", "性别", "生日", "邮箱", "公司", "地址", "备注")
PAGE = 2000


def national(e164: str, sms_capable: bool = True) -> str:
    """+8613800138000 -> 13800138000; +861088886666 -> 01088886666; other countries stay E.164."""
    if e164.startswith("+86"):
        rest = e164[3:]
        return rest if rest.startswith("1") and sms_capable else "0" + rest
    return e164


def _pages(db: Database, query: ContactQuery) -> Iterator[list[ContactRecord]]:
    with db.reader() as s:
        ids = matching_ids(s, query)
        for start in range(0, len(ids), PAGE):
            chunk = ids[start : start + PAGE]
            rows = {c.id: c for c in s.execute(select(Contact).where(Contact.id.in_(chunk))).scalars()}
            yield to_records(s, [rows[i] for i in chunk if i in rows])
            s.expunge_all()


def _field_names(db: Database, query: ContactQuery) -> list[str]:
    seen: dict[str, None] = {}
    for page in _pages(db, query):
        for record in page:
            seen.update(dict.fromkeys(record.fields))
    standard = [f for f in STANDARD_FIELD_ORDER if f in seen]
    return standard + sorted(f for f in seen if f not in standard)


def _row(record: ContactRecord, fields: Sequence[str]) -> list[str]:
    consent = record.consent_at.astimezone().strftime("%Y-%m-%d %H:%M") if record.consent_at else ""
    head = [record.name, national(record.phone, record.sms_capable), "、".join(record.groups), consent]
    return head + [str(record.fields.get(f, "")) for f in fields]


def export_contacts(
    db: Database,
    path: str | os.PathLike[str],
    query: ContactQuery | None = None,
    *,
    encoding: str = "utf-8-sig",
    actor: str | None = None,
) -> int:
    """Write the contacts the query finds (all when None); the format follows the file's extension.

    The file is written beside the target and renamed into place, so a failure never leaves half a file.
    Returns the number of contacts written.
    """
    target = Path(path)
    query = query or ContactQuery()
    fields = _field_names(db, query)
    with write_table(target, [*HEADERS, *fields], sheet="通讯录", encoding=encoding, formats=TEXT) as out:
        for page in _pages(db, query):
            out.extend(_row(r, fields) for r in page)
    written = out.rows
    with db.session() as s:
        audit.record(s, "contacts.export", {"file": target.name, "count": written}, actor=actor)
    return written
