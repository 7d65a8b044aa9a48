"""The `smsjingling keywords` commands, run in-process on a real database file and real list files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.core.cli_runner import Cli, cli_runner


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return cli_runner(str(tmp_path / "cli.sqlite3"), capsys)


def test_check_prints_each_hit_with_its_position(cli: Cli) -> None:
    code, out, _ = cli("keywords", "check", "请勿购买六 合 彩，也不要找人代開發票")
    assert code == 1
    assert "第 5–9 个字符：“六 合 彩” 命中“六合彩”（淫秽色情、赌博、暴力恐怖、教唆犯罪）" in out
    assert "第 16–19 个字符：“代開發票” 命中“代开发票”" in out
    assert "共 2 处命中" in out
    code, out, _ = cli("keywords", "check", "明天上午九点开会")
    assert code == 0 and "未发现违禁词" in out
    code, out, _ = cli("--lang", "en", "keywords", "check", "六合彩")
    assert code == 1 and "characters 1–3: “六合彩” matches “六合彩” (Obscenity" in out


def test_list_add_disable_enable_remove(cli: Cli) -> None:
    code, out, _ = cli("keywords", "list", "--category", "cult")
    assert code == 0 and "法轮功" in out and "邪教与封建迷信" in out and "default" in out
    assert "六合彩" not in out

    code, out, _ = cli("keywords", "add", "大 發", "--category", "赌博")
    assert code == 0 and "已添加“大 發”" in out
    code, _, err = cli("keywords", "add", "大发", "--category", "obscene_violent")
    assert code == 2 and "已在分类" in err
    assert cli("keywords", "check", "大发娱乐")[0] == 1
    assert "已停用 1 个" in cli("keywords", "disable", "大发")[1]
    assert cli("keywords", "check", "大发娱乐")[0] == 0
    assert "已启用 1 个" in cli("keywords", "enable", "大发")[1]
    assert "已删除 1 个" in cli("keywords", "remove", "大發", "--category", "obscene_violent")[1]
    code, _, err = cli("keywords", "remove", "大發")
    assert code == 2 and "不在列表中" in err
    code, _, err = cli("keywords", "add", "***", "--category", "fraud")
    assert code == 2 and "没有文字或数字" in err


def test_import_txt_and_xlsx(tmp_path: Path, cli: Cli) -> None:
    txt = tmp_path / "vendor.txt"
    txt.write_bytes("赌博网，新词甲\n~~~\n".encode("gbk"))
    code, out, _ = cli("keywords", "import", str(txt), "--category", "fraud")
    assert code == 1  # a value was rejected: a script can tell
    assert "vendor.txt：新增 2 个，已有 0 个，未导入 1 处" in out and "2\t1\t~~~" in out

    book = openpyxl.Workbook()
    book.active.append(["关键词", "分类"])
    book.active.append(["新词乙", "诈骗"])
    book.active.append(["新词甲", "诈骗"])
    xlsx = tmp_path / "vendor.xlsx"
    book.save(xlsx)
    code, out, _ = cli("keywords", "import", str(xlsx))
    assert code == 0 and "新增 1 个，已有 1 个" in out
    code, out, _ = cli("keywords", "list", "--category", "fraud")
    assert "新词乙" in out and "vendor.xlsx" in out

    code, _, err = cli("keywords", "import", str(txt), "--strict")
    assert code == 2 and "vendor.txt 第 2 行 1 列" in err and "未导入任何词" in err
    code, _, err = cli("keywords", "import", str(tmp_path / "missing.txt"))
    assert code == 2 and "missing.txt" in err
