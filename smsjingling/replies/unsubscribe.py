"""Unsubscribe replies (退订): which texts ask to stop, and putting the sender on the opt-out list.

What counts, decided here (the contract, seed 000 §1.7, asks for an unsubscribe path; a missed request
means messages to someone who asked to stop, a false one silences a colleague's notices until an operator
removes the entry, which the inbox shows):

1. The whole reply is one of the configured words (`replies.unsubscribe_words`: R, TD, T, N, 退订, 拒收, 取消)
   once folded: full-width forms to half-width (NFKC), case ignored, the traditional 訂 read as 订, and every
   space, punctuation mark, symbol and emoji dropped wherever it is. So "td", "ＴＤ", " T。", "T D",
   "【退订】", "退订!!!" and "退訂" all count.
2. The reply *starts* with one of the leading words (`replies.unsubscribe_leading_words`: TD, 退订, 拒收),
   followed by a space or a punctuation mark and then anything: "退订，谢谢", "TD 别再发了", "拒收!!烦".
   Single letters and 取消 are left out of this rule on purpose: "T恤…", "N 多人…" and "取消，我明天不去了"
   are ordinary replies.

A sentence that merely mentions a word does not count: "我不想退订了，谢谢", "怎么退订", "退订了吗",
"TD是什么意思". Neither does a word glued to more text ("退订谢谢"): that reads as a sentence too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smsjingling import audit
from smsjingling.replies.config import read_setting
from smsjingling.settings import Setting, declare
from smsjingling.storage.models import OptOut, OptOutReason

# Traditional forms of the characters in the default words (a phone set to traditional Chinese sends 退訂).
_TRADITIONAL = str.maketrans({"訂": "订"})


def fold(text: str) -> str:
    """Full-width to half-width, case and traditional 訂 folded, everything but letters and digits dropped."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_TRADITIONAL)
    return "".join(ch for ch in text if _is_word_char(ch))


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"  # letters (CJK included) and digits


def _check_words(words: list[str]) -> str | None:
    if not all(isinstance(w, str) for w in words):
        return "every word must be text / 每个词都必须是文字"
    if not all(fold(w) for w in words):
        return "a word needs at least one letter or digit / 每个词至少要有一个字母、数字或汉字"
    return None


UNSUBSCRIBE_WORDS = declare(
    Setting(
        "replies.unsubscribe_words",
        list,
        ["R", "TD", "T", "N", "退订", "拒收", "取消"],
        "退订回复词（整条回复为其一即退订）",
        "Unsubscribe words (a reply that is exactly one of them)",
        _check_words,
    )
)
UNSUBSCRIBE_LEADING_WORDS = declare(
    Setting(
        "replies.unsubscribe_leading_words",
        list,
        ["TD", "退订", "拒收"],
        "退订回复词（回复以其开头并后接标点或空格即退订）",
        "Unsubscribe words that count at the start of a reply, followed by a space or punctuation",
        _check_words,
    )
)


@dataclass(frozen=True)
class UnsubscribeRule:
    """The two rules above, with the words already folded."""

    words: frozenset[str]
    leading: tuple[str, ...]

    @classmethod
    def from_words(cls, words: Iterable[str], leading: Iterable[str] = ()) -> UnsubscribeRule:
        folded = frozenset(f for f in map(fold, words) if f)
        # Longest first, so that a longer word is tried before its own prefix.
        starts = sorted({f for f in map(fold, leading) if f}, key=len, reverse=True)
        return cls(folded, tuple(starts))

    def matches(self, text: str) -> bool:
        if fold(text) in self.words:
            return True
        if not self.leading:
            return False
        head = unicodedata.normalize("NFKC", text).casefold().translate(_TRADITIONAL)
        start = next((i for i, ch in enumerate(head) if _is_word_char(ch)), len(head))
        head = head[start:]  # "【退订】…", "  TD, …": leading brackets and spaces are no part of the reply
        for word in self.leading:
            # The word must be followed by a separator: "退订，谢谢" counts, "退订了吗" does not.
            if head.startswith(word) and len(head) > len(word) and not _is_word_char(head[len(word)]):
                return True
        return False


DEFAULT_RULE = UnsubscribeRule.from_words(UNSUBSCRIBE_WORDS.default, UNSUBSCRIBE_LEADING_WORDS.default)


def rule_from_settings(session: Session) -> UnsubscribeRule:
    return UnsubscribeRule.from_words(
        read_setting(session, UNSUBSCRIBE_WORDS), read_setting(session, UNSUBSCRIBE_LEADING_WORDS)
    )


def opt_out_by_reply(
    session: Session, phone: str, *, note: str, source_message_id: int, actor: str | None = None
) -> bool:
    """Put `phone` (E.164) on the opt-out list because of a TD reply, in the caller's transaction, with the
    same audit event as ContactBook.add_optout. False when it is already on the list: an earlier entry (a
    manual one, or the first TD) is kept as it is."""
    if session.execute(select(OptOut.id).where(OptOut.phone == phone)).first() is not None:
        return False
    reason = OptOutReason.TD_REPLY.value
    try:
        with session.begin_nested():
            session.add(OptOut(phone=phone, reason=reason, note=note, source_message_id=source_message_id))
            session.flush()
    except IntegrityError:  # put there meanwhile by another desktop on a shared database
        return False
    audit.record(
        session,
        "optout.add",
        {"phone": phone, "reason": reason, "note": note, "source_message_id": source_message_id},
        actor=actor,
    )
    return True
