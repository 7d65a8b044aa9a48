"""The banned-word lists in the database: reading, editing, importing, and the matcher built from them.

The default lists (resources/keywords/*.txt, one file per category) are loaded into a database the first time
its lists are listed, edited or imported into, or when the program calls `ensure_defaults()` at start; that
load is an audit event (`keywords.defaults`), which is also how a later start knows it happened, so words an
admin removed are not brought back. `matcher()` only reads (it may run inside another transaction): before
the load, it matches the default words from the files. Every change is written to the audit log in the
transaction that makes it.

Words are compared in their folded form (normalize.py): 法輪功 and 法 轮 功 are the same word, so adding one
when the other is listed in the same category is a duplicate, and `remove 法輪功` removes 法轮功.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import case, delete, exists, func, insert, select, update
from sqlalchemy.orm import Session

from smsjingling import audit, messages, paths
from smsjingling.errors import ImportFileError, NotFoundError, ValidationError
from smsjingling.keywords.categories import Category, category_label, resolve_category
from smsjingling.keywords.files import FoundWord, RejectedWord, read_keyword_file
from smsjingling.keywords.matcher import Matcher
from smsjingling.keywords.normalize import normalize
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Keyword

MAX_WORD_LENGTH = 100  # the column's width
DEFAULTS_DIR = Path("keywords")
DEFAULTS_EVENT = "keywords.defaults"
DEFAULT_SOURCE = "default"
MANUAL_SOURCE = "manual"

messages.register(
    {
        "keywords.empty_word": (
            "“{word}”不能作为关键词：没有文字或数字（符号和空格在过滤时会被忽略）。",
            "“{word}” cannot be a keyword: it has no letters, digits or characters (matching ignores symbols "
            "and spaces).",
        ),
        "keywords.word_too_long": (
            "关键词太长（{length} 个字符），最多 {max} 个字符。",
            "The keyword is too long ({length} characters); at most {max}.",
        ),
        "keywords.duplicate": (
            "“{word}”已在分类“{category}”中（作为“{existing}”）。",
            "“{word}” is already listed in “{category}” (as “{existing}”).",
        ),
        "keywords.not_found": ("关键词“{word}”不在列表中。", "“{word}” is not on the list."),
        "keywords.no_category": (
            "没有分类“{category}”的关键词。",
            "There are no keywords in the category “{category}”.",
        ),
        "keywords.not_found_in": (
            "关键词“{word}”不在分类“{category}”中。",
            "“{word}” is not listed in the category “{category}”.",
        ),
        "keywords.rejected_row": (
            "{file} 第 {row} 行 {column} 列的“{value}”无法导入：{reason}。共 {count} 处问题，未导入任何词。",
            "{file}, row {row}, column {column}: “{value}” cannot be imported: {reason}. {count} problem(s) in "
            "all; nothing was imported.",
        ),
        "keywords.import_summary": (
            "{file}：新增 {added} 个，已有 {duplicates} 个，未导入 {rejected} 处",
            "{file}: {added} added, {duplicates} already listed, {rejected} rejected",
        ),
    }
)


@dataclass(frozen=True)
class KeywordRecord:
    id: int
    word: str
    category: str
    source: str
    enabled: bool
    created_at: datetime


@dataclass(frozen=True)
class CategorySummary:
    category: str  # as stored: one of ours (Category) or a vendor's own
    words: int
    enabled: int  # of those, the ones matched

    @property
    def label(self) -> str:
        return category_label(self.category)


@dataclass
class KeywordImport:
    """What an import did. Rejected values were not words (only symbols, too long, a date ...)."""

    file: str
    added: int = 0
    duplicates: int = 0
    rejected: list[RejectedWord] = field(default_factory=list)

    def summary(self, lang: str | None = None) -> str:
        return messages.text(
            "keywords.import_summary",
            lang,
            file=self.file,
            added=self.added,
            duplicates=self.duplicates,
            rejected=len(self.rejected),
        )


# One matcher per database, shared by every KeywordStore of the process: (enabled rows, matcher). A process
# uses one database, tests many: the oldest entries go.
_matchers: dict[str, tuple[tuple[tuple[str, str], ...], Matcher]] = {}
_MAX_CACHED = 4
_lock = threading.Lock()


_DEFAULTS_LOADED = select(exists().where(AuditEvent.action == DEFAULTS_EVENT))


def _to_record(k: Keyword) -> KeywordRecord:
    return KeywordRecord(k.id, k.word, k.category, k.source, k.enabled, k.created_at)


def _clean(word: str) -> tuple[str, str]:
    """(the word as stored: trimmed, inner runs of spaces made one; its folded form). Raise ValidationError
    for a word that folds to nothing or is too long."""
    text = " ".join(str(word).split())
    if len(text) > MAX_WORD_LENGTH:
        raise ValidationError("keywords.word_too_long", length=len(text), max=MAX_WORD_LENGTH)
    key = normalize(text)
    if not key:
        raise ValidationError("keywords.empty_word", word=text)
    return text, key


@functools.cache
def default_lists() -> dict[str, list[str]]:
    """The shipped default words by category (resources/keywords/<category>.txt). Do not change the lists
    returned: they are read once per process."""
    folder = paths.resources_dir() / DEFAULTS_DIR
    lists: dict[str, list[str]] = {}
    for category in Category:
        path = folder / f"{category.value}.txt"
        if path.is_file():
            lists[category.value] = [w.word for w in read_keyword_file(path).words]
    return lists


class KeywordStore:
    """The lists as the GUI, the CLI and the sending engine see them. Methods open their own transaction."""

    def __init__(self, db: Database, actor: str | None = None) -> None:
        self.db = db
        self.actor = actor or audit.current_actor()
        self._key = str(db.url)
        self._defaults_checked = False

    # -- the default lists ---------------------------------------------------------------------------

    def ensure_defaults(self) -> int:
        """Load the default lists if this database never had them; the number of words added (0 if it had)."""
        if self._defaults_checked:
            return 0
        with self.db.reader() as s:
            done = s.execute(_DEFAULTS_LOADED).scalar()
        added = 0
        if not done:
            with self.db.session() as s:
                if not s.execute(_DEFAULTS_LOADED).scalar():  # another program may have loaded them meanwhile
                    added = self._load_defaults(s)
        self._defaults_checked = True
        return added

    def _load_defaults(self, s: Session) -> int:
        existing = _existing(s)
        rows = []
        counts: dict[str, int] = {}
        for category, words in default_lists().items():
            for word in words:
                text, key = _clean(word)
                if (key, category) not in existing:
                    existing[(key, category)] = text
                    rows.append({"word": text, "category": category, "source": DEFAULT_SOURCE})
                    counts[category] = counts.get(category, 0) + 1
        if rows:
            s.execute(insert(Keyword), rows)
        audit.record(s, DEFAULTS_EVENT, {"added": len(rows), "by_category": counts}, actor=self.actor)
        return len(rows)

    # -- reading -------------------------------------------------------------------------------------

    def list(self, category: str | None = None, *, enabled: bool | None = None) -> list[KeywordRecord]:
        """The listed words, by category then word; `category` by key, label or alias (赌博, 政治 …)."""
        self.ensure_defaults()
        query = select(Keyword).order_by(Keyword.category, Keyword.word)
        if category is not None:
            query = query.where(Keyword.category == resolve_category(category))
        if enabled is not None:
            query = query.where(Keyword.enabled == enabled)
        with self.db.reader() as s:
            return [_to_record(k) for k in s.execute(query).scalars()]

    def counts(self) -> dict[str, int]:
        """Words per category (enabled or not)."""
        self.ensure_defaults()
        query = select(Keyword.category, func.count()).group_by(Keyword.category).order_by(Keyword.category)
        with self.db.reader() as s:
            return {c: n for c, n in s.execute(query)}

    def summary(self) -> list[CategorySummary]:
        """Each category with its words and how many of them are enabled; ours in their order, then the
        vendor's own by name."""
        self.ensure_defaults()
        enabled = func.sum(case((Keyword.enabled, 1), else_=0))
        query = select(Keyword.category, func.count(), enabled).group_by(Keyword.category)
        with self.db.reader() as s:
            found = {c: CategorySummary(c, n, int(e or 0)) for c, n, e in s.execute(query)}
        order = {c.value: i for i, c in enumerate(Category)}
        return sorted(found.values(), key=lambda x: (order.get(x.category, len(order)), x.category))

    # -- changes -------------------------------------------------------------------------------------

    def set_category_enabled(self, category: str, enabled: bool) -> int:
        """Match every word of a category again, or stop matching all of them (they stay listed). Returns
        how many words changed; one audit event names the category and the count."""
        self.ensure_defaults()
        wanted = resolve_category(category)
        with self.db.session() as s:
            if not s.execute(select(exists().where(Keyword.category == wanted))).scalar():
                raise NotFoundError("keywords.no_category", category=category_label(wanted))
            changed = s.execute(
                update(Keyword)
                .where(Keyword.category == wanted, Keyword.enabled.is_not(enabled))
                .values(enabled=enabled)
                .execution_options(synchronize_session=False)
            ).rowcount
            action = "keywords.enable_category" if enabled else "keywords.disable_category"
            audit.record(s, action, {"category": wanted, "words": changed}, actor=self.actor)
            return changed

    def add(self, word: str, category: str, *, source: str = MANUAL_SOURCE) -> KeywordRecord:
        self.ensure_defaults()
        text, key = _clean(word)
        category = resolve_category(category)
        with self.db.session() as s:
            existing = _existing(s, category)
            if (key, category) in existing:
                raise ValidationError(
                    "keywords.duplicate",
                    word=text,
                    category=category_label(category),
                    existing=existing[(key, category)],
                )
            keyword = Keyword(word=text, category=category, source=source, enabled=True)
            s.add(keyword)
            s.flush()
            audit.record(s, "keywords.add", {"word": text, "category": category, "source": source}, actor=self.actor)
            return _to_record(keyword)

    def remove(self, word: str, category: str | None = None) -> int:
        """Remove a word (in any written form) from one category, or from all; the number of rows removed."""
        return self._change(word, category, "keywords.remove")

    def enable(self, word: str, category: str | None = None) -> int:
        return self._change(word, category, "keywords.enable")

    def disable(self, word: str, category: str | None = None) -> int:
        """Keep the word listed but stop matching it."""
        return self._change(word, category, "keywords.disable")

    def _change(self, word: str, category: str | None, action: str) -> int:
        self.ensure_defaults()
        text, key = _clean(word)
        wanted = resolve_category(category) if category is not None else None
        with self.db.session() as s:
            rows = [
                (k.id, k.word, k.category)
                for k in s.execute(select(Keyword.id, Keyword.word, Keyword.category))
                if (wanted is None or k.category == wanted) and normalize(k.word) == key
            ]
            if not rows:
                if wanted is None:
                    raise NotFoundError("keywords.not_found", word=text)
                raise NotFoundError("keywords.not_found_in", word=text, category=category_label(wanted))
            ids = [r[0] for r in rows]
            if action == "keywords.remove":
                s.execute(delete(Keyword).where(Keyword.id.in_(ids)))
            else:
                s.execute(update(Keyword).where(Keyword.id.in_(ids)).values(enabled=action == "keywords.enable"))
            audit.record(s, action, {"words": [[w, c] for _, w, c in rows], "category": wanted}, actor=self.actor)
            return len(rows)

    def import_file(self, path: str | Path, category: str | None = None, *, strict: bool = False) -> KeywordImport:
        """Add the words of a vendor's list (.txt, .xlsx, .xls, .ods, .csv) in one transaction.

        A word takes the category its row gives, else `category`, else the one its sheet is named for,
        else `vendor`. Words already listed (in any written form) in their category are counted as
        duplicates. Values that are not words are reported as rejected and the rest is imported; with
        `strict`, any rejected value fails the whole import with an ImportFileError naming the first
        one's row and column, and nothing is saved.
        """
        self.ensure_defaults()
        fallback = resolve_category(category) if category is not None else None
        found = read_keyword_file(path)
        result = KeywordImport(found.name, rejected=list(found.rejected))
        with self.db.session() as s:
            existing = _existing(s)
            rows = []
            for item in found.words:
                checked = _check_found(item)
                if isinstance(checked, RejectedWord):
                    result.rejected.append(checked)
                    continue
                text, key = checked
                word_category = item.category or fallback or Category.VENDOR.value
                if (key, word_category) in existing:
                    result.duplicates += 1
                    continue
                existing[(key, word_category)] = text
                rows.append({"word": text, "category": word_category, "source": found.name[:200]})
            result.rejected.sort(key=lambda r: (r.row, r.column))
            if strict and result.rejected:
                first = result.rejected[0]
                raise ImportFileError(
                    "keywords.rejected_row",
                    file=found.name,
                    row=first.row,
                    column=first.column,
                    value=first.value,
                    reason=first.reason(),
                    count=len(result.rejected),
                )
            if rows:
                s.execute(insert(Keyword), rows)
            result.added = len(rows)
            audit.record(
                s,
                "keywords.import",
                {
                    "file": found.name,
                    "sha256": found.sha256,
                    "category": fallback,
                    "added": result.added,
                    "duplicates": result.duplicates,
                    "rejected": len(result.rejected),
                },
                actor=self.actor,
            )
        return result

    # -- matching ------------------------------------------------------------------------------------

    def matcher(self) -> Matcher:
        """A matcher over the enabled words, shared and rebuilt only when the list changed.

        Finding out costs one read of the enabled words (about 15 ms for 10,000): call it once per
        campaign or batch and keep the matcher, not once per message.

        It only reads, so it may be called inside another transaction. On a database that never had the
        default lists, it matches them anyway (from the files) until the first edit or listing loads them.
        """
        query = select(Keyword.word, Keyword.category).where(Keyword.enabled).order_by(Keyword.id)
        with self.db.reader() as s:
            rows = tuple((w, c) for w, c in s.execute(query))
            if not self._defaults_checked and not s.execute(_DEFAULTS_LOADED).scalar():
                rows += tuple((w, c) for c, words in default_lists().items() for w in words)
        with _lock:
            cached = _matchers.get(self._key)
            if cached is not None and cached[0] == rows:
                return cached[1]
            built = Matcher(rows)
            _matchers.pop(self._key, None)
            _matchers[self._key] = (rows, built)
            while len(_matchers) > _MAX_CACHED:
                del _matchers[next(iter(_matchers))]
            return built


def _existing(s: Session, category: str | None = None) -> dict[tuple[str, str], str]:
    """(folded word, category) -> the word as listed, for every row (of one category, if given)."""
    query = select(Keyword.word, Keyword.category)
    if category is not None:
        query = query.where(Keyword.category == category)
    return {(normalize(w), c): w for w, c in s.execute(query)}


def _check_found(item: FoundWord) -> tuple[str, str] | RejectedWord:
    try:
        return _clean(item.word)
    except ValidationError as exc:
        reason = {"keywords.word_too_long": "keywords.reason.too_long", "keywords.empty_word": "keywords.reason.empty"}
        return RejectedWord(item.row, item.column, item.word, reason[exc.key], dict(exc.params))
