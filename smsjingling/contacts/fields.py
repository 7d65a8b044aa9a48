"""The names of the contacts' extra fields (部门, 职务 or any imported column): what a template can merge.

Read by the database itself (SQLite's json_each, PostgreSQL's jsonb_object_keys), so no contact is loaded;
the usual fields come first, in the order the export writes them, then the rest by name.
"""

from __future__ import annotations

from sqlalchemy import text

from smsjingling.contacts.export import STANDARD_FIELD_ORDER
from smsjingling.storage.database import Database

_QUERIES = {
    "sqlite": "SELECT DISTINCT j.key FROM contacts, json_each(contacts.fields) AS j WHERE contacts.fields != '{}'",
    "postgresql": "SELECT DISTINCT jsonb_object_keys(fields::jsonb) FROM contacts",
}


def field_names(db: Database) -> list[str]:
    with db.reader() as s:
        sql = _QUERIES[s.get_bind().dialect.name]
        found = {str(name) for (name,) in s.execute(text(sql)) if name}
    standard = [f for f in STANDARD_FIELD_ORDER if f in found]
    return standard + sorted(found - set(standard))
