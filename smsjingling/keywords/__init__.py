"""The banned-keyword filter: lists by category, evasion-proof matching with positions, and allowing a word
for one send.

    store = KeywordStore(db)            # defaults loaded on first use
    matcher = store.matcher()           # once per campaign or batch
    hits = matcher.check(text, allowed=campaign.allowed_words)   # [] when the text may be sent
"""

from smsjingling.keywords.allow import allow_and_check, allow_for_campaign
from smsjingling.keywords.categories import Category, category_label, resolve_category
from smsjingling.keywords.matcher import Hit, Matcher
from smsjingling.keywords.normalize import normalize
from smsjingling.keywords.store import KeywordImport, KeywordRecord, KeywordStore

__all__ = [
    "Category",
    "Hit",
    "KeywordImport",
    "KeywordRecord",
    "KeywordStore",
    "Matcher",
    "allow_and_check",
    "allow_for_campaign",
    "category_label",
    "normalize",
    "resolve_category",
]
