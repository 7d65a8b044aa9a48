"""Per recipient: the full text, encoding, segments and price; per campaign: the totals before sending."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modem.codec import Alphabet, count_segments, encode_submit, split_text
from smsjingling import settings as core_settings
from smsjingling.compose import (
    PRICE_PER_SEGMENT,
    SIGNATURE_POSITION,
    UNSUBSCRIBE_SUFFIX,
    Composer,
    Rendered,
    Skipped,
    SkipReason,
    TemplateError,
    preview,
    yuan,
)
from smsjingling.contacts.book import ContactBook
from smsjingling.contacts.records import ContactRecord
from smsjingling.errors import ValidationError
from smsjingling.settings import Settings
from smsjingling.storage.database import Database
from smsjingling.storage.sending import CampaignKind


def test_a_recipient_gets_the_full_signed_text_with_encoding_segments_and_price(book: ContactBook) -> None:
    c = book.add("张三", "13800138000", fields={"部门": "销售部"})
    composer = Composer("{姓名}您好，请{部门}明早九点到三楼开会。", signature="市教育局", price_per_segment_fen=6)
    result = composer.render(c.name, c.phone, c.fields)
    assert result == Rendered("【市教育局】张三您好，请销售部明早九点到三楼开会。", Alphabet.UCS2, 1, 6)
    assert result.ok and result.encoding == "ucs2"
    text, alphabet, segments, price = result
    assert alphabet is Alphabet.UCS2 and segments == len(encode_submit(c.phone, text)) and price == 6
    assert composer.render_contact(c) == result


def test_a_missing_field_skips_the_recipient_with_the_reason(book: ContactBook) -> None:
    c = book.add("李四", "13800138001", fields={"职务": "科员"})
    result = Composer("{姓名}：请{部门}{考场|}报到", signature="市教育局").render_contact(c)
    assert isinstance(result, Skipped) and not result.ok
    assert (result.reason, result.missing, result.detail) == (SkipReason.MISSING_FIELD, ("部门",), "部门")
    assert result.reason == "compose.missing_field"  # stored as the message's reason
    assert result.message("zh") == "缺少字段：部门"
    assert result.message("en") == "Missing field: 部门"


def test_an_unsubscribe_suffix_that_tips_the_text_into_a_second_part_is_counted() -> None:
    body = "会" * 64  # 【市教育局】 is 6 units: 70, exactly one part
    notice = Composer(body, signature="市教育局").render("", "", {})
    marketing = Composer(body, signature="市教育局", unsubscribe="拒收请回复R").render("", "", {})
    assert isinstance(notice, Rendered) and isinstance(marketing, Rendered)
    assert notice.segments == 1
    assert marketing.text.endswith("，拒收请回复R")
    assert marketing.segments == 2 and marketing.price_fen == 2 * notice.price_fen
    # The split shown is the split sent.
    assert len(encode_submit("+8613800138000", marketing.text)) == 2
    assert "".join(split_text(marketing.text)) == marketing.text


def test_a_merge_field_that_tips_the_text_into_a_second_part_is_counted(book: ContactBook) -> None:
    short = book.add("王五", "13800138002")
    long = book.add("欧阳娜娜娜娜", "13800138003")
    composer = Composer("{姓名}" + "会" * 61, signature="市教育局")  # 6 + 3 + 61 = 70 units for 王五
    assert composer.render_contact(short).segments == 1  # type: ignore[union-attr]
    assert composer.render_contact(long).segments == 2  # type: ignore[union-attr]


def test_emoji_in_a_field_counts_two_units(book: ContactBook) -> None:
    c = book.add("小明", "13800138004", fields={"备注": "🎉" * 20})
    composer = Composer("{备注}" + "好" * 24, signature="市教育局")  # 6 + 40 + 24 = 70 units
    result = composer.render_contact(c)
    assert isinstance(result, Rendered) and result.segments == 1
    assert Composer("{备注}" + "好" * 25, signature="市教育局").render_contact(c).segments == 2  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("会议a1 ，😀€[\n\ud83d"), max_size=300))
def test_segment_counts_always_agree_with_the_codec(value: str) -> None:
    # The composer caches counts of plain UCS2 texts by length; every text must still count as the codec says.
    composer = Composer("通知：{内容|}", signature="校办")
    result = composer.render("", "", {"内容": value})
    assert isinstance(result, Rendered)
    seg = count_segments(result.text)
    assert (result.alphabet, result.segments) == (seg.alphabet, seg.segments)
    if "\ud83d" not in result.text:  # a lone surrogate cannot be encoded at all
        assert result.segments == len(encode_submit("+8613800138000", result.text))


def test_without_merge_fields_the_text_is_rendered_and_counted_once() -> None:
    composer = Composer("明早九点全体教职工开会。", signature="市教育局")
    assert composer.fixed
    first = composer.render("张三", "+8613800138000", {})
    assert composer.render("李四", "+8613900139000", {"部门": "x"}) is first
    assert first.text == "【市教育局】明早九点全体教职工开会。"  # type: ignore[union-attr]
    assert not Composer("{姓名}", signature="市教育局").fixed


def test_texts_that_can_never_be_sent_are_refused_before_any_recipient() -> None:
    with pytest.raises(ValidationError) as err:
        Composer("明早开会", signature="")
    assert err.value.key == "compose.no_signature"
    with pytest.raises(ValidationError) as err:
        Composer("【市教育局】 ", signature="市教育局")
    assert err.value.key == "compose.template_empty"
    with pytest.raises(ValidationError) as err:
        Composer("长" * 67 * 256, signature="市教育局")
    assert err.value.key == "compose.template_too_long"
    with pytest.raises(TemplateError):
        Composer("{姓名", signature="市教育局")
    with pytest.raises(ValidationError):
        Composer("明早开会", signature="市教育局", price_per_segment_fen=-1)


def test_per_recipient_empty_or_too_long_texts_are_skipped(book: ContactBook) -> None:
    empty = book.add("甲", "13800138005")
    huge = book.add("乙", "13800138006", fields={"备注": "长" * 67 * 256})
    composer = Composer("{备注|}", signature="市教育局")
    assert composer.render_contact(empty) == Skipped(SkipReason.EMPTY_TEXT)
    too_long = composer.render_contact(huge)
    assert isinstance(too_long, Skipped) and too_long.reason is SkipReason.TOO_LONG
    assert too_long.segments == 257 and too_long.detail == "257"
    assert "257" in too_long.message("zh") and "255" in too_long.message("en")


def test_composer_from_settings(db: Database) -> None:
    s = Settings(db)
    with pytest.raises(ValidationError):  # no signature set yet
        Composer.from_settings(s, "明早开会")
    s.set(core_settings.SIGNATURE, "市教育局")
    s.set(SIGNATURE_POSITION, "suffix")
    s.set(UNSUBSCRIBE_SUFFIX, "回T退订")
    s.set(PRICE_PER_SEGMENT, 8)
    notice = Composer.from_settings(s, "明早开会", kind=CampaignKind.NOTICE).render("", "", {})
    marketing = Composer.from_settings(s, "周末五折", kind="marketing").render("", "", {})
    assert (notice.text, notice.price_fen) == ("明早开会【市教育局】", 8)  # type: ignore[union-attr]
    assert marketing.text == "周末五折，回T退订【市教育局】"  # type: ignore[union-attr]
    assert Settings(db).all()["billing.price_per_segment_fen"] == 8


def _ten_contacts(book: ContactBook) -> list[ContactRecord]:
    depts = ["销售部", "财务部", "", "行政部", "销售部", "", "技术部", "技术部", "财务部", "行政部"]
    for i, dept in enumerate(depts):
        book.add(f"员工{i}" if i != 3 else "", f"1380013{8100 + i}", fields={"部门": dept} if dept else {})
    return book.search("")


def test_preview_of_ten_recipients_from_the_book(book: ContactBook) -> None:
    contacts = _ten_contacts(book)
    assert len(contacts) == 10
    composer = Composer(
        "{姓名|同事}您好：{部门}下午三点开会，😀请准时。", signature="市教育局", price_per_segment_fen=5
    )
    totals = preview(composer, contacts)
    rendered = [r for c in contacts if isinstance(r := composer.render_contact(c), Rendered)]
    assert totals.recipients == 10
    assert totals.messages == 8 == len(rendered)
    assert totals.skipped_total == 2
    assert totals.skipped == {"compose.missing_field": 2}
    assert totals.missing_fields == {"部门": 2}
    assert totals.segments == sum(r.segments for r in rendered)
    assert totals.price_fen == 5 * totals.segments
    assert set(totals.by_encoding) == {Alphabet.UCS2}
    assert totals.by_encoding[Alphabet.UCS2].messages == 8
    assert totals.by_encoding[Alphabet.UCS2].price_fen == totals.price_fen
    # The first five messages to look at, and who is skipped.
    assert len(totals.samples) == 5
    assert all(s.text.startswith("【市教育局】") for s in totals.samples)
    assert any(s.text.startswith("【市教育局】同事您好") for s in totals.samples)
    assert {s.name for s in totals.skipped_samples} == {"员工2", "员工5"}
    assert all(s.detail == "部门" for s in totals.skipped_samples)
    zh, *why = totals.summary("zh")
    assert "收件人 10 位" in zh and f"{yuan(totals.price_fen)} 元" in zh and "跳过 2 位" in zh
    assert why == ["跳过 2 位：缺少字段“部门”"]
    assert totals.summary("en")[0].startswith("10 recipients: 8 messages")


def test_price_totals_over_messages_of_different_lengths(book: ContactBook) -> None:
    lengths = {"A": 10, "B": 64, "C": 65, "D": 200}  # 6-unit signature: 1, 1, 2, 4 parts
    for i, (name, n) in enumerate(lengths.items()):
        book.add(name, f"1390013{9000 + i}", fields={"内容": "字" * n})
    composer = Composer("{内容}", signature="市教育局", price_per_segment_fen=7)
    totals = preview(composer, book.search(""), sample_size=10)
    assert [s.segments for s in sorted(totals.samples, key=lambda s: s.name)] == [1, 1, 2, 4]
    assert totals.segments == 8 and totals.price_fen == 56 and yuan(totals.price_fen) == "0.56"


def test_other_layers_add_their_own_skip_reasons() -> None:
    composer = Composer("明早开会", signature="市教育局")
    totals = preview(composer, [])
    totals.add(composer.render("张三", "+8613800138000", {}), "张三", "+8613800138000")
    totals.skip("campaign.opted_out", "李四", "+8613900139000")
    assert (totals.recipients, totals.messages, totals.skipped_total) == (2, 1, 1)
    assert totals.skipped == {"campaign.opted_out": 1}
    assert yuan(1234) == "12.34" and yuan(5) == "0.05" and yuan(-250) == "-2.50"
