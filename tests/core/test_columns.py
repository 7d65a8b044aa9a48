"""Header detection, column mapping and cell-to-text conversion."""

from __future__ import annotations

import datetime as dt

import pytest

from smsjingling.errors import ImportFileError
from smsjingling.importer.columns import (
    STANDARD_FIELDS,
    ColumnMapping,
    Target,
    cell_text,
    find_header_row,
    map_columns,
)

VOCABULARY = {
    "name": ["姓名", "名字", "联系人", "人员", "员工姓名", "客户姓名", "name", "full name", "contact"],
    "phone": [
        "手机",
        "手机号",
        "手机号码",
        "移动电话",
        "电话",
        "联系电话",
        "联系方式",
        "电话号码",
        "号码",
        "mobile",
        "phone",
        "cell",
        "tel",
        "telephone",
        "mobile phone",
    ],
    "部门": ["部门", "科室", "单位", "部门名称", "department", "dept"],
    "职务": ["职务", "职位", "岗位", "职称", "title", "position"],
    "备注": ["备注", "说明", "remark", "remarks", "note", "notes"],
    "生日": ["生日", "出生日期", "birthday", "date of birth"],
    "group": ["分组", "群组", "组", "组别", "group"],
    "consent": ["同意", "是否同意", "授权", "consent"],
    "性别": ["性别", "gender"],
    "邮箱": ["邮箱", "电子邮件", "email", "e-mail"],
    "公司": ["公司", "company"],
    "地址": ["地址", "address"],
}
ALL_WORDS = [(word, target) for target, words in VOCABULARY.items() for word in words]


def _target_of(header: str) -> str:
    mapping = map_columns([header, "手机"] if header != "手机" else [header], 1)
    return mapping.targets[0]


@pytest.mark.parametrize(("word", "target"), ALL_WORDS)
def test_every_vocabulary_word(word, target):
    assert _target_of(word) == target


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("手机号码*", "phone"),
        ("*手机号码", "phone"),
        ("手机号码＊", "phone"),
        ("姓名：", "name"),
        ("姓名:", "name"),
        ("姓　名", "name"),  # ideographic space for alignment
        (" 姓 名 ", "name"),
        ("姓\n名", "name"),
        ("ＮＡＭＥ", "name"),  # full-width letters
        ("Full Name", "name"),
        ("MOBILE PHONE", "phone"),
        ("Date Of Birth", "生日"),
        ("E-Mail", "邮箱"),
        ("手机\u200b号码", "phone"),
        ("手机号码（必填）", "phone"),
        ("手机号码(11位)", "phone"),
        ("手机2", "phone"),
        ("联系电话1", "phone"),
        ("座机", "phone"),
        ("固定电话", "phone"),
        ("序号", "ignore"),
        ("工号", "工号"),  # unknown headers are fields under their own text
        ("  籍贯 ", "籍贯"),
    ],
)
def test_header_variants(header, target):
    assert _target_of(header) == target


def test_standard_fields_and_targets():
    assert set(STANDARD_FIELDS) >= {"部门", "职务", "备注", "生日", "性别", "邮箱", "公司", "地址"}
    assert [t.value for t in Target] == ["name", "phone", "group", "consent", "ignore"]
    assert Target.PHONE == "phone"


# ---------------------------------------------------------------- find_header_row


def test_header_after_title_merged_title_note_and_blank_rows():
    rows = [
        (1, ["2024年11月通讯录"] * 6),  # merged title, filled into every cell
        (2, ["说明：手机号码请填写 11 位", None, None, None, None, None]),
        (4, ["序号", "姓 名", "手机号码*", "部门", "职务", None]),
        (5, [1, "张三", 13800138000.0, "办公室", "主任", None]),
    ]
    assert find_header_row(rows) == 4


def test_header_on_the_first_row():
    assert find_header_row([(1, ["name", "phone"]), (2, ["Ann", "13800138000"])]) == 1


def test_two_level_header_picks_the_row_naming_the_columns():
    rows = [
        (3, ["姓名", "联系方式", "联系方式", "部门"]),  # 联系方式 merged over 手机 and 座机
        (4, ["姓名", "手机", "座机", "部门"]),  # 姓名 and 部门 merged down
        (5, ["张三", "13800138000", "010-12345678", "办公室"]),
    ]
    assert find_header_row(rows) == 4


def test_a_note_row_mentioning_header_words_is_not_the_header():
    rows = [
        (1, ["请在下表填写姓名和手机号码", None]),
        (2, ["备注：红色为必填", None]),
        (3, ["名字", "号码"]),
    ]
    assert find_header_row(rows) == 3


def test_fallback_without_known_headers():
    rows = [
        (1, ["花名册", "花名册", "花名册"]),  # a merged title repeats one text
        (2, ["工号", "大名", "号"]),
        (3, ["001", "张三", "13800138000"]),
    ]
    assert find_header_row(rows) == 2
    assert find_header_row([(2, ["只有一格"]), (3, [None, 5])]) == 2
    with pytest.raises(ImportFileError) as err:
        find_header_row([])
    assert err.value.key == "import.no_header_row"


# ---------------------------------------------------------------- map_columns


def test_mapping_of_a_typical_header():
    cells = ["序号", "姓名", "手机号码*", "办公电话", None, "部门", "职务", "备注", "入职日期", "分组", "同意"]
    m = map_columns(cells, 3)
    assert isinstance(m, ColumnMapping) and m.header_row == 3
    assert m.headers == ["序号", "姓名", "手机号码", "办公电话", "", "部门", "职务", "备注", "入职日期", "分组", "同意"]
    assert m.columns_for(Target.PHONE) == [2, 3]  # both mobile and office phone: mobiles win later
    assert m.columns_for("name") == [1]
    assert m.columns_for(Target.IGNORE) == [0, 4]  # 序号 and the empty header
    assert m.columns_for("group") == [9] and m.columns_for("consent") == [10]
    assert m.targets[8] == "入职日期"
    assert m.fields == {5: "部门", 6: "职务", 7: "备注", 8: "入职日期"}


def test_mobile_and_telephone_columns_both_map_to_phone():
    m = map_columns(["姓名", "手机", "电话"], 1)
    assert m.columns_for("phone") == [1, 2]


def test_duplicate_headers_get_a_suffix():
    m = map_columns(["姓名", "手机", "备注", "备注", "备注*", "工号", "工号"], 1)
    assert m.headers == ["姓名", "手机", "备注", "备注_2", "备注_3", "工号", "工号_2"]
    assert m.targets[2] == "备注" and m.targets[3] == "备注_2" and m.targets[4] == "备注_3"
    assert m.targets[5] == "工号" and m.targets[6] == "工号_2"


def test_two_columns_for_one_field_keep_their_own_names():
    m = map_columns(["姓名", "手机", "部门", "单位", "公司"], 1)
    assert m.targets[2] == "部门" and m.targets[3] == "单位" and m.targets[4] == "公司"


def test_non_text_header_cells_become_text():
    m = map_columns(["手机", 2024, dt.date(2024, 11, 1), 1.0], 1)
    assert m.headers == ["手机", "2024", "2024-11-01", "1"]


def test_no_phone_column_lists_the_headers():
    with pytest.raises(ImportFileError) as err:
        map_columns(["姓名", "部门", None, "备注"], 5)
    assert err.value.key == "import.no_phone_column"
    for lang in ("zh", "en"):
        text = err.value.message(lang)
        assert "姓名 / 部门 / 备注" in text and "5" in text


def test_overrides():
    cells = ["姓名", "手机", "号码二", "Dept.", "工号", "备注"]
    m = map_columns(cells, 1, {"号码二": "phone", "dept.": "部门", "工号": "IGNORE", "备注": "内部说明"})
    assert m.columns_for("phone") == [1, 2]
    assert m.targets[3] == "部门"
    assert m.targets[4] == "ignore"
    assert m.targets[5] == "内部说明"
    # an override value may be any header word of the vocabulary
    m = map_columns(["联系人", "数字"], 1, {"数字": "手机", "联系人": "department"})
    assert m.targets == {0: "部门", 1: "phone"}
    # an override can rescue a sheet whose phone header is unknown
    assert map_columns(["姓名", "TEL NO."], 1, {"TEL NO.": "phone"}).columns_for("phone") == [1]
    # and can switch the phone column off
    with pytest.raises(ImportFileError):
        map_columns(["姓名", "手机"], 1, {"手机": "ignore"})


def test_override_matches_headers_loosely_and_numbered_duplicates_exactly():
    m = map_columns(["手机号码*", "备注", "备注"], 2, {"手机号码": "phone", "备注_2": "ignore"})
    assert m.targets == {0: "phone", 1: "备注", 2: "ignore"}
    m = map_columns(["手机", "备注", "备注"], 2, {"备注": "ignore"})
    assert m.targets == {0: "phone", 1: "ignore", 2: "ignore"}


def test_override_of_a_missing_column_lists_the_headers():
    with pytest.raises(ImportFileError) as err:
        map_columns(["姓名", "手机"], 3, {"电邮": "邮箱"})
    assert err.value.key == "import.unknown_override_column"
    assert "电邮" in str(err.value) and "姓名 / 手机" in str(err.value)
    with pytest.raises(ImportFileError) as err:
        map_columns(["姓名", "手机"], 3, {"姓名": "  "})
    assert err.value.key == "import.bad_override"


# ---------------------------------------------------------------- cell_text


@pytest.mark.parametrize(
    ("value", "target", "text"),
    [
        (None, None, ""),
        (13800138000.0, "phone", "13800138000"),
        (1.3912345678e10, None, "13912345678"),
        (8613800138000.0, "phone", "8613800138000"),
        (42, None, "42"),
        (-3.0, None, "-3"),
        (0.1 + 0.2, None, "0.3"),
        (1.5, None, "1.5"),
        (1e-5, None, "0.00001"),
        (float("nan"), None, ""),
        (True, None, "是"),
        (False, "consent", "否"),
        (dt.date(1990, 5, 1), "生日", "1990-05-01"),
        (dt.datetime(2021, 7, 15, 9, 30, 45), None, "2021-07-15 09:30"),
        (dt.datetime(2021, 7, 15, 0, 0), "备注", "2021-07-15 00:00"),
        (dt.datetime(1990, 5, 1, 0, 0), "生日", "1990-05-01"),
        (dt.time(9, 5), None, "09:05"),
        ("  张三  ", "name", "张三"),
        ("王\u200b五", "name", "王五"),
        ("李\u3000四", "name", "李四"),
        ("欧阳  娜娜", "name", "欧阳娜娜"),
        ("Zhang\u00a0 Wei", "name", "Zhang Wei"),
        ("\ufeff张三\u200d", None, "张三"),
        ("１３６００１３６０００", "phone", "13600136000"),
        ("＋８６ １３８-0013-8000", "phone", "+86 138-0013-8000"),
        ("３楼", "地址", "3楼"),
        ("第一行\r\n\r\n 第二行 ", "备注", "第一行\n第二行"),
        ("a\tb", None, "a b"),
    ],
)
def test_cell_text(value, target, text):
    assert cell_text(value, target) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (32874, "1990-01-01"),
        (32874.0, "1990-01-01"),
        (1, "1900-01-01"),
        (59, "1900-02-28"),
        (60, "60"),  # Excel's fictitious 1900-02-29
        (61, "1900-03-01"),
        (45292.5, "2024-01-01 12:00"),
        (2958465, "9999-12-31"),
        (2958466, "2958466"),
        (1990, "1990"),  # a year, not a serial
        (19930708, "1993-07-08"),
        (19931399, "19931399"),
        ("32874", "1990-01-01"),
        ("1992/5/6", "1992-05-06"),
        ("1992.05.06", "1992-05-06"),
        ("1992年5月6日", "1992-05-06"),
        ("１９９２－０５－０６", "1992-05-06"),
        ("19930708", "1993-07-08"),
        ("2021/7/15 9:30", "2021-07-15 09:30"),
        ("1992/2/30", "1992/2/30"),
        ("五月六日", "五月六日"),
    ],
)
@pytest.mark.parametrize("field", ["生日", "出生日期", "入职日期", "Date of Birth"])
def test_dates_in_date_fields(value, text, field):
    assert cell_text(value, field) == text


def test_serial_numbers_outside_date_fields_stay_numbers():
    assert cell_text(32874.0, "工号") == "32874"
    assert cell_text(32874.0) == "32874"
    assert cell_text("1992/5/6", "备注") == "1992/5/6"


def test_column_text_agrees_with_cell_text_cell_by_cell() -> None:
    from smsjingling.importer.columns import cell_text, column_text

    columns = {
        "部门": ["办公室", None, " 前台", "a\u200bb", "x  y", "１２", "第一行\n第二行", 12.0],
        "name": ["张三", "李\u3000四", "Zhang\u00a0Wei", None, "王五 "],
        "生日": [32874.0, "1990/1/2", None, 19930708],
        "备注": ["plain", "text", None],
    }
    for target, values in columns.items():
        assert column_text(values, target) == [cell_text(v, target) if v is not None else "" for v in values]
        plain = [v for v in values if isinstance(v, str) and v == cell_text(v, target)]
        assert column_text(plain, target) == plain
