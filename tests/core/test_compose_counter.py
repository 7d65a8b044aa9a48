"""The compose box's live counter: GSM-7 or UCS2, units and parts, and the characters that force UCS2."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from modem.codec import Alphabet, count_segments, encode_submit
from smsjingling.compose import UCS2_CHARS_LISTED, count, decoration


def test_plain_ascii_is_gsm7_with_160_then_153_a_part() -> None:
    one = count("a" * 160)
    assert (one.alphabet, one.encoding, one.segments) == (Alphabet.GSM7, "gsm7", 1)
    assert (one.units_left, one.part_limit) == (0, 160)
    two = count("a" * 161)
    assert (two.segments, two.part_limit, two.units_left) == (2, 153, 153 * 2 - 161)
    assert two.ucs2_chars == () and two.ucs2_total == 0


def test_extension_characters_count_two_septets() -> None:
    c = count("Price: €20 [net]")
    assert c.alphabet is Alphabet.GSM7
    assert (c.chars, c.units) == (16, 19)


def test_emoji_counts_two_units_and_forces_ucs2() -> None:
    assert (count("😀" * 35).units, count("😀" * 35).segments) == (70, 1)
    c = count("😀" * 36)
    assert (c.chars, c.units, c.segments) == (36, 72, 2)
    # A pair is never split: the first part ends one unit early (66 units, 33 emoji), the rest is 6 units.
    assert c.units_left == 67 - 6


def test_a_stray_full_width_character_is_pointed_at_with_its_replacement() -> None:
    text = "Meeting at 9：00 in room 301，see you\u200b there “boss”"
    c = count(text)
    assert c.alphabet is Alphabet.UCS2
    assert [(u.position, u.char, u.replacement) for u in c.ucs2_chars] == [
        (12, "：", ":"),
        (27, "，", ","),
        (35, "\u200b", ""),  # invisible, copied from a web page: delete it
        (43, "“", '"'),
        (48, "”", '"'),
    ]
    fixed = text
    for u in reversed(c.ucs2_chars):
        fixed = fixed[: u.position] + (u.replacement or "") + fixed[u.position + 1 :]
    assert count(fixed).alphabet is Alphabet.GSM7
    assert count(fixed).segments == 1


def test_chinese_characters_have_no_replacement_and_long_lists_are_cut() -> None:
    c = count("各位同事" * 30)
    assert c.alphabet is Alphabet.UCS2 and c.ucs2_total == 120
    assert len(c.ucs2_chars) == UCS2_CHARS_LISTED
    assert all(u.replacement is None for u in c.ucs2_chars)


def test_the_signed_text_is_what_is_counted() -> None:
    # 70 characters fit one part; the signature's 【】 make even English UCS2.
    body = "x" * 64
    assert count(body).alphabet is Alphabet.GSM7
    signed = count(decoration("ABCD").apply(body))
    assert (signed.alphabet, signed.units, signed.segments) == (Alphabet.UCS2, 70, 1)
    assert count(decoration("ABCDE").apply(body)).segments == 2


@given(st.text(alphabet=st.sampled_from("aZ0 €[\n，。中文😀é"), max_size=400))
def test_counts_agree_with_the_split_that_is_sent(text: str) -> None:
    c = count(text)
    seg = count_segments(text)
    assert (c.alphabet, c.units, c.segments, c.units_left, c.part_limit) == (
        seg.alphabet,
        seg.units,
        seg.segments,
        seg.units_left,
        seg.part_limit,
    )
    if text:
        assert c.segments == len(encode_submit("+8613800138000", text))
