"""An index for substring search over contacts (names, numbers, extra fields): typing "欧阳锋" or a 尾号 into
the contacts page no longer reads a million rows.

SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34 or later), contentless (it holds the index
only; the rows stay in contacts), kept in step by triggers on contacts, and filled here for existing rows.
Each value is indexed with two U+0001 characters appended, so that every one- or two-character substring
is the start of some trigram: a short search finds its trigrams by prefix in the vocabulary table
(contacts_search_terms). The index finds candidates; the search still checks each with the same LIKE as
before, so results are exactly what a scan finds (smsjingling.contacts.substring).

PostgreSQL: pg_trgm GIN indexes on the three expressions the search compares (where the extension can be
created; without it the search scans, as before).

Revision ID: 0005
Revises: 0004
"""

import sqlite3

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The values as the index holds them (a delete must name exactly what was inserted: contentless FTS5).
_SQLITE_VALUES = "{row}.name || char(1, 1), {row}.phone || char(1, 1), CAST({row}.fields AS TEXT) || char(1, 1)"
SQLITE_TRIGGERS = {
    "contacts_search_insert": f"""
        CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
            INSERT INTO contacts_search (rowid, name, phone, fields)
            VALUES (new.id, {_SQLITE_VALUES.format(row="new")});
        END""",
    "contacts_search_delete": f"""
        CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
            INSERT INTO contacts_search (contacts_search, rowid, name, phone, fields)
            VALUES ('delete', old.id, {_SQLITE_VALUES.format(row="old")});
        END""",
    "contacts_search_update": f"""
        CREATE TRIGGER contacts_search_update AFTER UPDATE OF id, name, phone, fields ON contacts BEGIN
            INSERT INTO contacts_search (contacts_search, rowid, name, phone, fields)
            VALUES ('delete', old.id, {_SQLITE_VALUES.format(row="old")});
            INSERT INTO contacts_search (rowid, name, phone, fields)
            VALUES (new.id, {_SQLITE_VALUES.format(row="new")});
        END""",
}
PG_INDEXES = {
    "ix_contacts_name_trgm": "name",
    "ix_contacts_phone_trgm": "phone",
    "ix_contacts_fields_trgm": "(CAST(fields AS TEXT))",
}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        if sqlite3.sqlite_version_info < (3, 34):
            return  # no trigram tokenizer: the search scans, as it did before this revision
        op.execute(
            "CREATE VIRTUAL TABLE contacts_search USING fts5("
            "name, phone, fields, content='', tokenize='trigram', detail='none')"
        )
        op.execute("CREATE VIRTUAL TABLE contacts_search_terms USING fts5vocab(contacts_search, 'row')")
        op.execute(
            "INSERT INTO contacts_search (rowid, name, phone, fields) "
            f"SELECT id, {_SQLITE_VALUES.format(row='contacts')} FROM contacts"
        )
        for sql in SQLITE_TRIGGERS.values():
            op.execute(sql)
    elif bind.dialect.name == "postgresql":
        available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first()
        if available is None:
            return
        try:
            with bind.begin_nested():  # a role that may not create extensions: go on without the index
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        except sa.exc.DBAPIError:
            return
        for name, expression in PG_INDEXES.items():
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON contacts USING gin ({expression} gin_trgm_ops)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS contacts_search_terms")
        op.execute("DROP TABLE IF EXISTS contacts_search")
    elif bind.dialect.name == "postgresql":
        for name in PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
