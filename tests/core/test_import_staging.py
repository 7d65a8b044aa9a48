"""The bulk shortcuts of the reading half give what the cell-by-cell definitions give."""

from __future__ import annotations

import datetime as dt
import json
import sys

import pytest

from smsjingling.importer.columns import ColumnMapping, Target, cell_text, column_text, map_columns
from smsjingling.importer.staging import FIELDS, NAME, PHONE, RowPlan, json_object, stage_chunk

# Every whitespace character, and the other characters cell_text changes, at the start, inside and at the end.
SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
ODD = [*SPACES, "\u200b", "\ufeff", "\u00ad", "１", "\u2028", "  "]


@pytest.mark.parametrize("target", [None, Target.NAME, "部门", "生日"])
@pytest.mark.parametrize("place", ["start", "inside", "end"])
def test_column_text_is_cell_text_of_each_cell(target: str | None, place: str) -> None:
    for odd in ODD:
        cell = {"start": odd + "王五", "inside": "王" + odd + "五", "end": "王五" + odd}[place]
        values: list[object] = ["张三", None, cell, "李四"]
        assert column_text(values, target) == [cell_text(v, target) if v is not None else "" for v in values], repr(odd)


def test_plain_columns_take_the_shortcut_unchanged() -> None:
    values: list[object] = ["研发部", None, "a b", "user@example.com"]
    assert column_text(values, "部门") == ["研发部", "", "a b", "user@example.com"]


def _plan(headers: list[str], overrides: dict[str, str] | None = None) -> RowPlan:
    mapping: ColumnMapping = map_columns(list(headers), 1, overrides)
    return RowPlan(mapping, "t.xlsx")


def test_fields_json_is_the_dict_json_of_each_row() -> None:
    plan = _plan(["姓名", "手机", "部门", "备注", "邮箱"])
    rows = [
        (2, ["甲", 13800138000, '研发"中心\\', "第一行\n第二行", None]),
        (3, ["乙", "13900139000", None, None, None]),
        (4, ["丙", "13700137000/13600136000", "部", "", "c@d.e"]),  # a second number: 其他号码
        (5, ["丁", "13500135000"]),  # a short CSV record
    ]
    chunk = stage_chunk(rows, plan, 4, final=True)
    got = {r[NAME]: json.loads(r[FIELDS]) for r in chunk.rows}
    assert got == {
        "甲": {"部门": '研发"中心\\', "备注": "第一行\n第二行"},
        "乙": {},
        "丙": {"部门": "部", "邮箱": "c@d.e", "其他号码": "+8613600136000"},
        "丁": {},
    }
    for staged in chunk.rows:
        assert staged[FIELDS] == json_object(json.loads(staged[FIELDS]))
    assert [r[PHONE] for r in chunk.rows][:2] == ["+8613800138000", "+8613900139000"]


def test_two_columns_on_one_field_keep_the_later_value() -> None:
    plan = _plan(["姓名", "手机", "备注", "备注"], {"备注": "备注"})
    assert not plan.distinct_fields
    chunk = stage_chunk(
        [(2, ["甲", 13800138000, "前", "后"]), (3, ["乙", 13900139000, "前", None])], plan, 2, final=True
    )
    assert [json.loads(r[FIELDS]) for r in chunk.rows] == [{"备注": "后"}, {"备注": "前"}]


def test_the_chunk_counts_what_it_read() -> None:
    plan = _plan(["姓名", "手机", "电话", "同意", "分组"])
    rows = [
        (2, ["甲", 13800138000, None, "是", "A组、B组"]),
        (3, ["乙", None, "010-88886666", None, None]),  # a landline
        (4, ["丙", "abc", None, None, None]),  # rejected
        (5, [None, None, None, None, None]),  # blank: not read
        (6, ["丁", None, None, dt.date(2024, 5, 1), None]),  # no number: rejected
    ]
    chunk = stage_chunk(rows, plan, 5, final=False)
    assert (chunk.read, chunk.landlines, chunk.seen, chunk.final) == (4, 1, 5, False)
    assert [(p.row, p.key) for p in chunk.rejected] == [(4, "phone.not_a_number"), (6, "phone.empty")]
    first = chunk.rows[0]
    assert first[-1] == ("A组", "B组") and first[-3] is not None and "第 2 行" in first[-2]
