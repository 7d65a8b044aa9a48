"""Candidates for a substring search, from the trigram index of migration 0005 (SQLite's FTS5).

The index (contacts_search) holds every trigram of each contact's name, number and extra fields (the JSON
text the search compares), each value followed by two U+0001 characters. It answers "which contacts may
contain this text" in milliseconds where a scan reads every row; the search then checks those candidates
with the very LIKE conditions a scan uses, so it finds the same contacts in the same (id) order, only sooner.

- Three or more characters: every trigram of the text must be in the row (the index keeps no positions,
  detail=none, so this is a superset: the LIKE decides).
- One or two characters are shorter than a trigram. Thanks to the two characters appended to each value,
  every occurrence of such a text is the start of some trigram, so the candidates are the rows holding any
  trigram that starts with it: those trigrams are read by prefix from the index's vocabulary
  (contacts_search_terms), then OR-ed. A text with very many such trigrams is a common one, which a scan
  answers quickly anyway: `None` then says "scan".

The tokenizer folds case; the LIKE of a scan folds ASCII only. For texts of three or more characters the
index folds both the rows and the text, so it finds a superset. For a short text the prefix is folded here:
ASCII letters are lowered, and a text with any other letter that has case is left to the scan.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, literal_column, select, text
from sqlalchemy.orm import Session

from smsjingling.storage.models import Contact

INDEX = "contacts_search"
TERMS = "contacts_search_terms"
MAX_TRIGRAMS = 12  # of a long text: more narrow the candidates no further worth the index's reading
MAX_TERMS = 300  # trigrams starting with a short text: beyond this it is common, and a scan finds it sooner
NOTHING = ""  # an expression that no contact can match: the text is in no contact at all
# PostgreSQL's trigram indexes (pg_trgm, where it could be created): its planner uses them for the LIKEs.
PG_INDEXES = ("ix_contacts_name_trgm", "ix_contacts_phone_trgm", "ix_contacts_fields_trgm")


def outside_models(name: str | None) -> bool:
    """Whether a table or index is this index's, made by migration 0005 and not described by the models
    (FTS5's virtual table and its shadow tables; the optional pg_trgm indexes)."""
    return bool(name) and (name.startswith(INDEX) or name in PG_INDEXES)


def available(session: Session) -> bool:
    """Whether this database has the index (SQLite with the trigram tokenizer, at schema 0005 or later)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    found = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": INDEX}
    ).first()
    return found is not None


def pg_indexed(session: Session) -> bool:
    """Whether this PostgreSQL database has the trigram indexes (pg_trgm could be created)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    found = session.execute(
        text("SELECT 1 FROM pg_indexes WHERE tablename = 'contacts' AND indexname = :name"), {"name": PG_INDEXES[0]}
    ).first()
    return found is not None


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fold_short(part: str) -> str | None:
    """The prefix the vocabulary holds for a short text, or None when folding it is not certain."""
    folded = []
    for char in part:
        if char.isascii():
            folded.append(char.lower())
        elif char.lower() == char == char.upper():
            folded.append(char)
        else:
            return None
    return "".join(folded)


def _after_prefix(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _part(session: Session, part: str) -> str | None:
    """The expression for rows that may contain `part`; NOTHING if none can; None: scan instead."""
    if len(part) >= 3:
        trigrams = list(dict.fromkeys(part[i : i + 3] for i in range(len(part) - 2)))
        if len(trigrams) > MAX_TRIGRAMS:  # the first and last and some between: still a superset
            step = (len(trigrams) - 1) / (MAX_TRIGRAMS - 1)
            trigrams = [trigrams[round(i * step)] for i in range(MAX_TRIGRAMS)]
        return " AND ".join(_quoted(t) for t in trigrams)
    prefix = _fold_short(part)
    if prefix is None:
        return None
    terms = session.execute(
        text(f"SELECT term FROM {TERMS} WHERE term >= :low AND term < :high LIMIT :most"),
        {"low": prefix, "high": _after_prefix(prefix), "most": MAX_TERMS + 1},
    ).scalars()
    found = list(terms)
    if len(found) > MAX_TERMS:
        return None
    return " OR ".join(_quoted(t) for t in found) or NOTHING


def expression(session: Session, needle: str, digits: str | None) -> str | None:
    """An FTS5 expression for the contacts whose name or fields may contain `needle`, or whose number may
    contain `digits` (when given); NOTHING when no contact can; None when the index cannot say (scan)."""
    parts = [needle] if digits is None or digits == needle else [needle, digits]
    found = []
    for part in parts:
        one = _part(session, part)
        if one is None:
            return None
        if one != NOTHING:
            found.append(one)
    return " OR ".join(f"({p})" for p in found) if found else NOTHING


def candidate_ids(session: Session, match: str, after: int, limit: int) -> list[int]:
    """Up to `limit` candidate ids above `after`, in id order."""
    return list(
        session.execute(
            text(
                f"SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH :match AND rowid > :after ORDER BY rowid LIMIT :limit"
            ),
            {"match": match, "after": after, "limit": limit},
        ).scalars()
    )


def at_least(session: Session, match: str, n: int) -> bool:
    """Whether the index has at least n candidates, reading at most n of them."""
    found = session.execute(
        text(f"SELECT count(*) FROM (SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH :match LIMIT :n)"),
        {"match": match, "n": n},
    ).scalar_one()
    return found >= n


def among_candidates(match: str) -> ColumnElement[bool]:
    """A condition keeping only the candidates (for counts and whole-result reads)."""
    matching = text(f"{INDEX} MATCH :match").bindparams(match=match)
    candidates = select(literal_column("rowid")).select_from(text(INDEX)).where(matching)
    return Contact.id.in_(candidates)
