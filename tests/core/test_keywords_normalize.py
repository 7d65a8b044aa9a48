"""Folding text for the keyword filter: each evasion, the trace back to the original, and that the fast
whole-text paths agree with the one-character-at-a-time definition on every character there is."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smsjingling.keywords.normalize import fold_char, folder, normalize, traditional_to_simplified, unpack

# Evasion kind -> (written, folded)
EVASIONS = {
    "spaces": ("法 轮 功", "法轮功"),
    "ideographic space and tab": ("法\u3000轮\t功", "法轮功"),
    "dots": ("法.轮.功", "法轮功"),
    "stars": ("法*轮*功", "法轮功"),
    "mixed symbols": ("法-_-轮~!@#功", "法轮功"),
    "cjk punctuation": ("法，轮。功、", "法轮功"),
    "full-width punctuation": ("六！合＃彩", "六合彩"),
    "zero-width space": ("法\u200b轮\u200b功", "法轮功"),
    "zero-width joiner and BOM": ("法\u200d轮\ufeff功", "法轮功"),
    "soft hyphen and direction marks": ("法\u00ad轮\u200e功\u202a", "法轮功"),
    "emoji between": ("法😀轮🔥功", "法轮功"),
    "variation selector and combining mark": ("法\ufe0f轮\u0301功", "法轮功"),
    "traditional": ("法輪功", "法轮功"),
    "traditional, several": ("代開發票", "代开发票"),
    "full-width letters and digits": ("ＶＩＰ８８８", "vip888"),
    "half-width katakana stays itself": ("ｱ", "ア"),
    "upper case": ("VIP Casino", "vipcasino"),
    "full-width upper case": ("ＣＡＳＩＮＯ", "casino"),
    "circled digits": ("①②③", "123"),
    "parenthesised digit": ("⑴", "1"),
    "circled letters": ("Ⓐⓑ", "ab"),
    "Kangxi radical": ("⼤发", "大发"),
    "CJK compatibility ideograph": ("\uf900", "岂"),
    "mathematical bold letters": ("𝐕𝐈𝐏", "vip"),
    "Greek final sigma": ("ΟΔΟΣ", "οδοσ"),
    "dotted capital I": ("İ", "i"),
}


@pytest.mark.parametrize("written, folded", EVASIONS.values(), ids=EVASIONS.keys())
def test_each_evasion_folds_away(written: str, folded: str) -> None:
    assert normalize(written) == folded
    # Both fast paths and the definition agree.
    f = folder()
    assert f.fold(written) == folded
    assert unpack(f.pack(written)) == folded
    assert f.fold_each(written) == folded


def test_traditional_table_is_opencc_and_one_for_one() -> None:
    table = traditional_to_simplified()
    assert len(table) > 3000
    assert table["輪"] == "轮" and table["發"] == "发" and table["髮"] == "发" and table["後"] == "后"
    assert all(len(k) == 1 and len(v) == 1 and k != v for k, v in table.items())
    assert "覆" not in table  # used in both scripts: OpenCC's first candidate is itself


def test_origins_trace_each_folded_character_to_the_original() -> None:
    f = folder()
    text = "A 法.輪😀功 ½"
    folded = f.fold(text)
    origins = f.origins(text)
    assert folded == "a法轮功12"
    assert len(origins) == len(folded)
    assert [text[i] for i in origins] == ["A", "法", "輪", "功", "½", "½"]


def test_the_fast_paths_agree_with_the_definition_for_every_bmp_character() -> None:
    f = folder()
    # All of the BMP at once, in runs, so that neighbouring characters meet too.
    text = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    expected = f.fold_each(text)
    assert f.fold(text) == expected
    assert unpack(f.pack(text)) == expected
    assert len(f.origins(text)) == len(expected)


def test_the_fast_paths_agree_beyond_the_bmp() -> None:
    f = folder()
    sample = [*range(0x1F300, 0x1F700), *range(0x1D400, 0x1D800), *range(0x20000, 0x20400), *range(0xE0000, 0xE0080)]
    text = "".join(chr(c) for c in sample)
    assert f.fold(text) == f.fold_each(text) == unpack(f.pack(text))


def test_folding_is_idempotent_and_yields_only_letters_and_digits() -> None:
    outputs = {fold_char(chr(c)) for c in range(0x10000)}
    for out in outputs:
        assert out == "" or out.isalnum()
        assert all(fold_char(c) == c for c in out)
        assert normalize(out) == out
    # Cherokee case-folds to upper case: folding keeps it so, where str.lower() would not.
    assert normalize("\uab78") == normalize("\u13a8") == "\u13a8"


def test_fold_char_shortcut_matches_the_full_rule() -> None:
    ts = traditional_to_simplified()

    def slow(ch: str) -> str:
        text = ch
        for _ in range(4):
            folded = "".join(ts.get(c, c) for c in unicodedata.normalize("NFKD", text).casefold())
            if folded == text:
                break
            text = folded
        return "".join(c for c in text if c.isalnum())

    for code in range(0x10000):
        assert fold_char(chr(code)) == slow(chr(code)), hex(code)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
def test_any_text_folds_the_same_by_every_path(text: str) -> None:
    f = folder()
    expected = f.fold_each(text)
    assert f.fold(text) == expected
    assert unpack(f.pack(text)) == expected
    assert len(f.origins(text)) == len(expected)
