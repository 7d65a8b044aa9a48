"""Which replies ask to unsubscribe: every default word with the ways people type it, and the sentences
that merely mention one (see smsjingling/replies/unsubscribe.py for the decision)."""

from __future__ import annotations

import pytest

from smsjingling.errors import ValidationError
from smsjingling.replies import DEFAULT_RULE, UNSUBSCRIBE_WORDS, UnsubscribeRule, fold
from smsjingling.settings import Settings
from smsjingling.storage.database import Database

VARIANTS = {
    "R": ["R", "r", " R ", "Ｒ", "ｒ。", "R!", "“R”"],
    "TD": ["TD", "td", "Td", "ＴＤ", "ｔｄ", "T D", "T.D.", "【TD】", "TD！！！", "\u200bTD\n"],
    "T": ["T", "t", " T。", "Ｔ", "t~", "(T)"],
    "N": ["N", "n", "Ｎ.", " n "],
    "退订": ["退订", "退订。", "【退订】", "退 订", "退訂", "退订😡", "退订？", "「退订」", "退订!!!"],
    "拒收": ["拒收", "拒收！", " 拒收 ", "【拒收】"],
    "取消": ["取消", "取消。", "取消~"],
}
LEADING = [
    "退订，谢谢",
    "退订 谢谢",
    "TD 别再发了",
    "td,thanks",
    "拒收!!烦死了",
    "【退订】谢谢",
    "退訂，謝謝",
    "ＴＤ、谢谢",
]
NOT_UNSUBSCRIBE = [
    "我不想退订了，谢谢",
    "怎么退订？",
    "请问退订回复什么",
    "退订了吗",
    "退订谢谢",  # glued to more text: a sentence
    "TD是什么意思",
    "TDD",
    "RT",
    "T恤打折吗",
    "T 恤打折吗",  # single letters never count at the start of a longer reply
    "N多人没收到",
    "R u there",
    "取消，我明天不去了",  # 取消 is not a leading word: people cancel meetings
    "收到",
    "好的，谢谢",
    "",
    "。。。",
    "😀",
]


@pytest.mark.parametrize(("word", "text"), [(w, t) for w, ts in VARIANTS.items() for t in ts])
def test_every_default_word_and_its_variants(word: str, text: str) -> None:
    assert DEFAULT_RULE.matches(text), (word, text)


@pytest.mark.parametrize("text", LEADING)
def test_leading_word_followed_by_a_separator(text: str) -> None:
    assert DEFAULT_RULE.matches(text)


@pytest.mark.parametrize("text", NOT_UNSUBSCRIBE)
def test_sentences_that_mention_a_word_do_not_count(text: str) -> None:
    assert not DEFAULT_RULE.matches(text)


def test_fold() -> None:
    assert fold(" ＴＤ。") == "td"
    assert fold("【退訂】😡") == "退订"
    assert fold("。。") == ""


def test_configured_words_are_folded_like_replies() -> None:
    rule = UnsubscribeRule.from_words(["ＳＴＯＰ", " 停止 "], leading=["不要再发"])
    assert rule.matches("stop") and rule.matches("停止！")
    assert rule.matches("不要再发，谢谢") and not rule.matches("不要再发了")
    assert not rule.matches("TD") and not rule.matches("退订")
    assert not UnsubscribeRule.from_words([]).matches("TD")


def test_a_word_setting_without_letters_is_refused(db: Database) -> None:
    settings = Settings(db)
    with pytest.raises(ValidationError):
        settings.set(UNSUBSCRIBE_WORDS, ["TD", "。。"])
    with pytest.raises(ValidationError):
        settings.set(UNSUBSCRIBE_WORDS, "TD")  # a list, not one text
    assert settings.get(UNSUBSCRIBE_WORDS) == ["R", "TD", "T", "N", "退订", "拒收", "取消"]
