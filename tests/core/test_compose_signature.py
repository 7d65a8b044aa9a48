"""The signature 【单位名称】 on every message, where the settings say, never twice; the unsubscribe note."""

from __future__ import annotations

import pytest

from smsjingling.compose import (
    SIGNATURE_POSITION,
    UNSUBSCRIBE_CHOICES,
    UNSUBSCRIBE_SUFFIX,
    SignaturePosition,
    decoration,
    normalize_signature,
)
from smsjingling.errors import ValidationError
from smsjingling.settings import Settings
from smsjingling.storage.database import Database


@pytest.mark.parametrize(
    "typed", ["市教育局", "【市教育局】", " 【 市教育局 】 ", "[市教育局]", "［市教育局］", "【市教育局"]
)
def test_brackets_are_added_when_the_user_typed_the_name_without_them(typed: str) -> None:
    assert normalize_signature(typed) == "【市教育局】"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "compose.no_signature"),
        ("  【】 ", "compose.no_signature"),
        ("\u200b", "compose.no_signature"),
        ("市【教育】局", "compose.bad_signature"),
        ("市" * 21, "compose.signature_too_long"),
    ],
)
def test_a_missing_or_bad_signature_is_refused(typed: str, key: str) -> None:
    with pytest.raises(ValidationError) as err:
        normalize_signature(typed)
    assert err.value.key == key
    assert err.value.message("zh") and err.value.message("en") != key


def test_prefix_is_the_default_and_suffix_is_a_choice() -> None:
    assert decoration("市教育局").apply("明早九点开会。") == "【市教育局】明早九点开会。"
    assert decoration("市教育局", "suffix").apply(" 明早九点开会。\n") == "明早九点开会。【市教育局】"


@pytest.mark.parametrize("position", list(SignaturePosition))
@pytest.mark.parametrize(
    "text",
    [
        "【市教育局】明早九点开会。",
        "明早九点开会。【市教育局】",
        "【市教育局】明早九点开会。【市教育局】",
        " 【市教育局】 明早九点开会。",
    ],
)
def test_a_signed_text_is_not_signed_twice(position: SignaturePosition, text: str) -> None:
    signed = decoration("【市教育局】", position).apply(text)
    assert signed.count("【市教育局】") == 1
    expected = "【市教育局】明早九点开会。" if position is SignaturePosition.PREFIX else "明早九点开会。【市教育局】"
    assert signed == expected


def test_a_signature_in_the_middle_is_text_and_the_message_is_still_signed() -> None:
    assert (
        decoration("市教育局").apply("转发【市教育局】通知：明早开会") == "【市教育局】转发【市教育局】通知：明早开会"
    )


def test_unsubscribe_note_follows_the_text_and_stays_inside_a_final_signature() -> None:
    prefix = decoration("某商城", "prefix", "拒收请回复R")
    suffix = decoration("某商城", "suffix", "回T退订")
    assert prefix.apply("会员日全场五折") == "【某商城】会员日全场五折，拒收请回复R"
    assert prefix.apply("会员日全场五折！") == "【某商城】会员日全场五折！拒收请回复R"
    assert suffix.apply("会员日全场五折。【某商城】") == "会员日全场五折。回T退订【某商城】"


@pytest.mark.parametrize("already", UNSUBSCRIBE_CHOICES)
def test_unsubscribe_note_is_not_added_to_a_text_that_has_one(already: str) -> None:
    d = decoration("某商城", "suffix", "拒收请回复R")
    assert d.apply(f"会员日全场五折，{already}") == f"会员日全场五折，{already}【某商城】"


def test_placement_and_unsubscribe_settings(db: Database) -> None:
    s = Settings(db)
    assert s.get(SIGNATURE_POSITION) == "prefix"
    assert s.get(UNSUBSCRIBE_SUFFIX) == "拒收请回复R"
    s.set(SIGNATURE_POSITION, "suffix")
    s.set(UNSUBSCRIBE_SUFFIX, "回TD退订")
    assert (s.get(SIGNATURE_POSITION), s.get(UNSUBSCRIBE_SUFFIX)) == ("suffix", "回TD退订")
    # A note whose reply word the inbox does not act on would promise an unsubscribe path that is not there.
    for setting, value in ((SIGNATURE_POSITION, "middle"), (UNSUBSCRIBE_SUFFIX, "退订请致电客服")):
        with pytest.raises(ValidationError):
            s.set(setting, value)
