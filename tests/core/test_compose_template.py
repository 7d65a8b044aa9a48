"""Message templates: merge fields from any contact field, defaults, missing fields, escapes, syntax errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smsjingling.compose import Source, TemplateError, compile_template, display_phone
from smsjingling.contacts.book import ContactBook
from smsjingling.errors import ValidationError


def test_name_phone_and_any_field_of_a_real_contact(book: ContactBook) -> None:
    c = book.add("张三", "138-0013-8000", fields={"部门": "销售部", "职务": "经理", "工号": "A-17"})
    t = compile_template("{姓名}（{职务}，{部门}，工号{工号}）您好，您的登记号码是{手机}。")
    assert t.render(c.name, c.phone, c.fields) == "张三（经理，销售部，工号A-17）您好，您的登记号码是13800138000。"
    assert [f.source for f in t.fields] == [Source.NAME, Source.FIELD, Source.FIELD, Source.FIELD, Source.PHONE]


def test_the_contact_columns_answer_to_their_usual_names(book: ContactBook) -> None:
    c = book.add("李四", "13900139000", fields={"Email": "li@example.com"})
    t = compile_template("{name}/{名字}/{ 联系人 }/{手机号}/{电话}/{Phone}/{Ｅｍａｉｌ}")
    # Full-width letters typed with a Chinese input method find the half-width field (NFKC).
    assert t.render(c.name, c.phone, c.fields) == "李四/李四/李四/13900139000/13900139000/13900139000/li@example.com"


def test_numbers_are_shown_as_dialled_in_china() -> None:
    assert display_phone("+8613800138000") == "13800138000"
    assert display_phone("+861088886666") == "01088886666"  # a landline keeps its trunk 0
    assert display_phone("+85291234567") == "+85291234567"


def test_defaults_fill_in_for_an_empty_or_absent_value(book: ContactBook) -> None:
    named = book.add("王五", "13800138001", fields={"部门": "财务部"})
    nameless = book.add("", "13800138002")
    t = compile_template("{姓名|同事}您好，请{部门|各部门}负责人{职务|}转告。")
    assert t.render(named.name, named.phone, named.fields) == "王五您好，请财务部负责人转告。"
    assert t.render(nameless.name, nameless.phone, nameless.fields) == "同事您好，请各部门负责人转告。"
    # Only spaces is no value; the default is used.
    assert t.render("  ", "+8613800138003", {"部门": " \u3000"}) == "同事您好，请各部门负责人转告。"


def test_a_missing_field_without_default_is_reported_not_raised(book: ContactBook) -> None:
    c = book.add("赵六", "13800138004", fields={"职务": "主任"})
    t = compile_template("{姓名}，{部门}{职务}，{部门}的{科室}")
    assert t.render(c.name, c.phone, c.fields) is None
    # Each missing field once, in order of first use.
    assert t.missing(c.name, c.phone, c.fields) == ("部门", "科室")
    assert t.missing(c.name, c.phone, {**c.fields, "部门": "x", "科室": "y"}) == ()


def test_stored_values_that_are_not_text() -> None:
    t = compile_template("{年级}年级{人数}人，费用{金额}元，住校：{住校}")
    assert t.render("", "", {"年级": 3.0, "人数": 42, "金额": 12.5, "住校": True}) == "3年级42人，费用12.5元，住校：是"


def test_escaped_braces_and_percent_signs_are_literal() -> None:
    assert compile_template("{{姓名}} 是合并字段").render("张三", "", {}) == "{姓名} 是合并字段"
    assert compile_template("{{{姓名}}}").render("张三", "", {}) == "{张三}"
    assert compile_template("完成 100%，{姓名} %s %d").render("张三", "", {}) == "完成 100%，张三 %s %d"
    assert compile_template("100%% {{a}}").render("", "", {}) == "100%% {a}"


@given(st.text(alphabet=st.sampled_from("{}|%s 姓名A1，"), max_size=30))
def test_any_text_escaped_renders_as_itself(text: str) -> None:
    escaped = text.replace("{", "{{").replace("}", "}}")
    template = compile_template(escaped)
    assert not template.has_fields
    assert template.render("张三", "+8613800138000", {}) == text


@pytest.mark.parametrize(
    ("source", "key", "position"),
    [
        ("你好{姓名", "compose.unclosed_brace", 2),
        ("{姓名}，会议改到{时间。请{部门}准时", "compose.unclosed_brace", 9),
        ("{姓名{部门}}", "compose.unclosed_brace", 0),
        ("你好}姓名", "compose.stray_brace", 2),
        ("{姓名}}", "compose.stray_brace", 4),
        ("会议{}开始", "compose.empty_field", 2),
        ("会议{ |同事}开始", "compose.empty_field", 2),
    ],
)
def test_syntax_errors_name_the_position(source: str, key: str, position: int) -> None:
    with pytest.raises(TemplateError) as err:
        compile_template(source)
    assert isinstance(err.value, ValidationError)
    assert err.value.key == key
    assert err.value.position == position
    # Shown 1-based, with the text from there on, in both languages.
    assert f"第 {position + 1} 个字符" in err.value.message("zh")
    assert f"character {position + 1} " in err.value.message("en")
    assert source[position : position + 3] in err.value.message("zh")


def test_fields_used_and_unknown_fields() -> None:
    t = compile_template("{姓名|同事}：{部门}{考场号}，{部门}，{手机}，{准考证号|无}")
    assert t.fields_used == ("姓名", "部门", "考场号", "手机", "准考证号")
    assert t.has_fields
    # The name and the number are always known; the rest against the book's field names.
    assert t.unknown_fields({"部门", "职务"}) == ("考场号", "准考证号")
    assert not compile_template("纯文本通知").has_fields
