"""The `smsjingling` command, run in-process with a real database file and real spreadsheets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core import sheets
from tests.core.cli_runner import Cli, cli_runner
from tests.core.test_import import QUIRKS


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return cli_runner(str(tmp_path / "cli.sqlite3"), capsys)


def test_import_list_search_export_groups_optout(tmp_path: Path, cli: Cli) -> None:
    path = sheets.write_xlsx(tmp_path / "q.xlsx", QUIRKS)
    report = tmp_path / "rejected.xlsx"
    code, out, _ = cli("contacts", "import", str(path), "--group", "全体员工", "--report", str(report))
    assert code == 1  # some rows were rejected: a script can tell
    assert "新增 13" in out and "未导入 3" in out
    assert "1.38001E+10" in out and report.exists()

    code, out, _ = cli("contacts", "search", "138 0013 8008")
    assert code == 0 and "两个号码" in out and "移动" in out and "共 1 个" in out
    code, out, _ = cli("contacts", "list", "--group", "A组")
    assert "共 2 个" in out

    code, out, _ = cli("groups", "list")
    assert "全体员工" in out and "13" in out
    assert cli("groups", "create", "临时")[0] == 0
    assert cli("groups", "rename", "临时", "值班")[0] == 0
    assert cli("groups", "delete", "值班")[0] == 0
    code, _, err = cli("groups", "delete", "值班")
    assert code == 2 and "找不到分组" in err

    assert cli("optout", "add", "13800138001", "--reason", "td_reply", "--note", "回复TD")[0] == 0
    code, out, _ = cli("optout", "list")
    assert "+8613800138001" in out and "空格" in out
    assert cli("optout", "remove", "13800138001")[0] == 0

    out_csv = tmp_path / "out.csv"
    code, out, _ = cli("contacts", "export", str(out_csv), "--gbk")
    assert code == 0 and "13" in out
    assert "两个号码" in out_csv.read_bytes().decode("gb18030")


def test_dry_run_and_mapping(tmp_path: Path, cli: Cli) -> None:
    path = sheets.write_xlsx(tmp_path / "odd.xlsx", [["员工", "号码一"], ["张三", "13800138000"]])
    code, _, err = cli("contacts", "import", str(path))
    assert code == 2 and "号码一" in err  # no phone column: says so, and lists the headers it found
    code, out, _ = cli("contacts", "import", str(path), "--map", "号码一=phone", "--map", "员工=name", "--dry-run")
    assert code == 0 and "试运行" in out
    assert "共 0 个" in cli("contacts", "list")[1]
    code, _, err = cli("contacts", "import", str(path), "--map", "号码一")
    assert code == 2 and "--map" in err


def test_english_messages(tmp_path: Path, cli: Cli) -> None:
    code, _, err = cli("--lang", "en", "contacts", "import", str(tmp_path / "missing.xlsx"))
    assert code == 2 and "missing.xlsx" in err
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in err.replace("短信精灵", ""))
