"""The matcher: every hit with its category and its position in the text as written, evasions included."""

from __future__ import annotations

import pytest

from smsjingling.keywords import Hit, Matcher

WORDS = [
    ("法轮功", "cult"),
    ("轮功", "test"),  # inside 法轮功: overlapping hits
    ("六合彩", "obscene_violent"),
    ("代开发票", "other_illegal"),
    ("发票", "test"),
    ("VIP赌场", "obscene_violent"),
    ("百家乐", "obscene_violent"),
    ("百家乐", "vendor"),  # the same word in two categories: a hit for each
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(WORDS)


def spans(hits: list[Hit]) -> list[tuple[str, str, int, int, str]]:
    return [(h.word, h.category, h.start, h.end, h.text) for h in hits]


@pytest.mark.parametrize(
    "text, span",
    [
        ("法轮功", "法轮功"),
        ("法 轮 功", "法 轮 功"),
        ("法.轮.功", "法.轮.功"),
        ("法*轮*功", "法*轮*功"),
        ("法\u200b轮\u200b功", "法\u200b轮\u200b功"),
        ("法輪功", "法輪功"),
        ("法😀輪😀功", "法😀輪😀功"),
        ("⽕法，輪 功", "法，輪 功"),  # a Kangxi radical before it is not part of the hit
    ],
)
def test_each_evasion_hits_with_the_span_as_written(matcher: Matcher, text: str, span: str) -> None:
    hits = [h for h in matcher.check(f"请看{text}的资料") if h.word == "法轮功"]
    assert len(hits) == 1
    hit = hits[0]
    assert hit.category == "cult"
    assert hit.text == span
    assert f"请看{text}的资料"[hit.start : hit.end] == span


def test_case_and_width(matcher: Matcher) -> None:
    for text in ("vip赌场", "ＶＩＰ赌场", "Vip 賭場", "ｖｉｐ-赌-场"):
        assert [h.word for h in matcher.check(text)] == ["VIP赌场"], text


def test_positions_index_the_original_text(matcher: Matcher) -> None:
    text = "【通知】ＡＢ 请勿购买六 合 彩，也不要找人代開發票！"
    hits = matcher.check(text)
    assert spans(hits) == [
        ("六合彩", "obscene_violent", 11, 16, "六 合 彩"),
        ("代开发票", "other_illegal", 22, 26, "代開發票"),
        ("发票", "test", 24, 26, "發票"),
    ]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text


def test_overlapping_hits_are_all_reported(matcher: Matcher) -> None:
    assert spans(matcher.check("法轮功")) == [("法轮功", "cult", 0, 3, "法轮功"), ("轮功", "test", 1, 3, "轮功")]
    # Two occurrences, and a word that shares characters with the next.
    hits = matcher.check("代开发票代开发票")
    assert [(h.word, h.start, h.end) for h in hits] == [
        ("代开发票", 0, 4),
        ("发票", 2, 4),
        ("代开发票", 4, 8),
        ("发票", 6, 8),
    ]


def test_one_word_in_two_categories_is_a_hit_in_each(matcher: Matcher) -> None:
    assert {(h.word, h.category) for h in matcher.check("百 家 乐")} == {
        ("百家乐", "obscene_violent"),
        ("百家乐", "vendor"),
    }


def test_clean_text_and_empty_matcher(matcher: Matcher) -> None:
    assert matcher.check("各位同事：本周五下午三点开会，请准时参加。") == []
    assert matcher.check("") == []
    empty = Matcher([])
    assert len(empty) == 0 and empty.check("法轮功") == []


def test_allowed_words_are_left_out_in_any_written_form(matcher: Matcher) -> None:
    text = "代开发票和六合彩"
    assert {h.word for h in matcher.check(text, allowed=["六 合 彩"])} == {"代开发票", "发票"}
    assert {h.word for h in matcher.check(text, allowed=["代開發票", "發票"])} == {"六合彩"}
    assert not matcher.blocked(text, allowed=["代开发票", "发票", "六合彩"])
    assert matcher.blocked(text)


def test_words_that_fold_alike_are_one_entry() -> None:
    m = Matcher([("法輪功", "cult"), ("法 轮 功", "cult"), ("法轮功", "other"), ("***", "cult")])
    assert len(m) == 1  # one folded word; "***" folds to nothing and is left out
    assert spans(m.check("法轮功")) == [("法輪功", "cult", 0, 3, "法轮功"), ("法轮功", "other", 0, 3, "法轮功")]


def test_a_character_that_folds_to_several_maps_back_to_itself() -> None:
    m = Matcher([("kg", "test"), ("12", "test")])
    hits = m.check("每袋5㎏，½价")
    assert [(h.word, h.text) for h in hits] == [("kg", "㎏"), ("12", "½")]


def test_hits_beyond_the_bmp_and_in_long_texts() -> None:
    m = Matcher([("𠀀𠀁", "test"), ("abc", "test")])
    text = "😀" * 500 + "𠀀 𠀁" + "x" * 1000 + "ＡＢＣ"
    hits = m.check(text)
    assert [(h.start, h.end, h.text) for h in hits] == [(500, 503, "𠀀 𠀁"), (1503, 1506, "ＡＢＣ")]


def test_check_all_gives_what_check_gives_on_each(matcher: Matcher) -> None:
    texts = [
        f"第{i}条：" + ("请勿购买六 合 彩" if i % 7 == 0 else "明天开会") + ("，代開發票" if i % 11 == 0 else "")
        for i in range(2500)  # more than one chunk
    ]
    texts[1000] = "法😀輪😀功"  # first of the second chunk, through the table
    texts[999] = "法轮"  # last of the first chunk ...
    texts[1001] = "功"  # ... a word split across texts is no hit
    expected = {i: hits for i, text in enumerate(texts) if (hits := matcher.check(text))}
    assert matcher.check_all(texts) == expected
    assert set(expected) >= {0, 7, 11, 1000} and 999 not in expected and 1001 not in expected
    allowed = ["六合彩", "代开发票", "发票"]
    assert matcher.check_all(texts, allowed) == {1000: matcher.check(texts[1000])}
    assert matcher.check_all([]) == {} and Matcher([]).check_all(texts) == {}


def test_check_all_with_the_separator_in_a_text(matcher: Matcher) -> None:
    from smsjingling.keywords.normalize import SEPARATOR

    texts = ["六合彩", f"甲{SEPARATOR}乙", "干净", "代开发票"]
    assert sorted(matcher.check_all(texts)) == [0, 3]
