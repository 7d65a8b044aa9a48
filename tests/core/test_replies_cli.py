"""`smsjingling inbox`, run in-process on a real database file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from smsjingling.cli.main import main
from smsjingling.contacts.book import ContactBook
from smsjingling.messages import set_language
from smsjingling.replies import Inbox, store_inbound
from smsjingling.storage.database import open_database
from tests.core.test_replies import NOW, PHONE, add_campaign


def test_inbox_list_filters_and_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "cli.sqlite3")
    db = open_database(path)
    try:
        ContactBook(db).add("王五", PHONE)
        campaign = add_campaign(db, "周一例会", (PHONE, NOW - timedelta(hours=1), None))
        with db.session() as s:
            for minutes, sender, text, complete in (
                (0, PHONE, "收到，\n准时参加", True),
                (1, "13800138000", "TD", True),
                (2, "10086", "尊敬的客户", False),
            ):
                at = NOW + timedelta(minutes=minutes)
                store_inbound(s, channel_id=None, sender=sender, text=text, received_at=at, complete=complete)
        ids = [item.id for item in Inbox(db).items()]
    finally:
        db.close()

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--db", path, *args])
        finally:
            set_language(None)
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, _ = run("inbox")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["编号", "时间", "号码"]
    assert [line.split()[0] for line in lines[1:4]] == [str(i) for i in ids]  # newest first
    assert "10086" in lines[1] and "不完整" in lines[1]
    assert "+8613800138000" in lines[2] and "已退订" in lines[2]
    assert "王五" in lines[3] and "收到， 准时参加" in lines[3] and "周一例会" in lines[3] and "未读" in lines[3]
    assert lines[-1] == "共 3 条，未读 3 条"

    code, out, _ = run("inbox", "--campaign", str(campaign))
    assert "王五" in out and "10086" not in out and "共 1 条" in out
    code, out, _ = run("inbox", "--limit", "1")
    assert "10086" in out and "王五" not in out and "共 3 条" in out

    code, out, _ = run("inbox", "read", str(ids[0]), str(ids[1]))
    assert code == 0 and "已标记 2 条为已读" in out
    code, out, _ = run("inbox", "--unread")
    assert "王五" in out and "10086" not in out and "共 1 条，未读 1 条" in out

    code, out, err = run("inbox", "read", "999")
    assert code == 2 and "找不到收到的短信（编号 999）" in err

    code, out, _ = run("--lang", "en", "inbox")
    assert out.splitlines()[0].split()[:3] == ["ID", "Received", "From"] and "3 in all, 1 unread" in out
