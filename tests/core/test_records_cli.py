"""`smsjingling records …` and `smsjingling audit verify`, run in-process against a real database file."""

from __future__ import annotations

import io
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text

from smsjingling import audit, settings
from smsjingling.records.retention import latest_cutoff
from smsjingling.storage.database import Database
from smsjingling.storage.models import AuditEvent
from smsjingling.storage.sending import Message
from smsjingling.storage.sending import MessageStatus as S
from tests.core.cli_runner import Cli, cli_runner
from tests.core.test_records import (
    SHANGHAI,
    add_campaign,
    add_channel,
    add_message,
    local,
    read_csv,
    read_xlsx,
    sent_message,
)


class Terminal(io.StringIO):
    """Typed answers, on what the command takes for a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def cli(db: Database, capsys: pytest.CaptureFixture[str]) -> Cli:
    return cli_runner(db.url.render_as_string(hide_password=False), capsys)


@pytest.fixture
def june(db: Database) -> dict[str, int]:
    com3 = add_channel(db, "COM3")
    c = add_campaign(db, "家长会通知", "王老师")
    sent_message(db, c, local("2024-06-01 08:00"), channel_id=com3)
    sent_message(db, c, local("2024-06-02 08:00"), channel_id=com3, status=S.UNDELIVERED, phone="+8613900139000")
    add_message(db, c, created=local("2024-06-02 09:00"), status=S.FAILED, error="+CMS ERROR: 500")
    return {"com3": com3, "campaign": c}


def test_export_to_xlsx_and_gbk_csv_with_filters(tmp_path: Path, cli: Cli, june) -> None:
    out = tmp_path / "june.xlsx"
    code, stdout, _ = cli("records", "export", "--from", "2024-06-01", "--to", "2024/7/1", str(out))
    assert code == 0 and "3" in stdout and str(out) in stdout
    rows = read_xlsx(out)
    assert [r[5] for r in rows[1:]] == ["已送达", "未送达", "失败"]
    assert rows[1][0] == datetime(2024, 6, 1, 8, 0)  # in ui.timezone, Asia/Shanghai by default

    out = tmp_path / "record.txt"
    args = ("records", "export", "--from", "2024-06-01", "--to", "2024-07-01", "--format", "csv", "--gbk")
    assert cli(*args, "--status", "未送达", "--status", "failed", str(out))[0] == 0
    rows = read_csv(out, "gb18030")
    assert [r[1] for r in rows[1:]] == ["13900139000", "13800138000"]
    assert rows[2][6] == "+CMS ERROR: 500"
    assert cli(*args, "--channel", "COM3", str(out))[0] == 0
    assert len(read_csv(out, "gb18030")) == 3
    assert cli(*args, "--campaign", str(june["campaign"] + 1), str(out))[0] == 0
    assert len(read_csv(out, "gb18030")) == 1

    # The dates and the times shown follow --tz: 08:00 in Shanghai is midnight in UTC.
    assert cli(*args, "--tz", "UTC", "--from", "2024-06-01", "--to", "2024-06-02", str(out))[0] == 0
    assert [r[0] for r in read_csv(out, "gb18030")[1:]] == ["2024-06-01 00:00:00"]


def test_export_refuses_bad_input_without_writing(
    tmp_path: Path, cli: Cli, june, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.csv"
    base = ("records", "export", "--from", "2024-06-01")
    code, _, err = cli(*base, "--to", "2024-06-01", str(out))
    assert code == 2 and "结束日期" in err
    code, _, err = cli(*base, "--to", "2024-07-01", "--status", "lost", str(out))
    assert code == 2 and "lost" in err and "delivered" in err
    code, _, err = cli(*base, "--to", "2024-07-01", "--channel", "COM9", str(out))
    assert code == 2 and "COM9" in err
    code, _, err = cli(*base, "--to", "2024-07-01", "--tz", "Mars/Olympus", str(out))
    assert code == 2 and "Mars/Olympus" in err
    with pytest.raises(SystemExit) as exit_:
        cli(*base, "--to", "明天", str(out))
    assert exit_.value.code == 2 and "明天" in capsys.readouterr().err
    assert not out.exists()


def test_report_printed_or_saved(tmp_path: Path, cli: Cli, june) -> None:
    code, out, _ = cli("--lang", "en", "records", "report", "--from", "2024-06-01", "--to", "2024-06-03")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Date", "Channel", "Submitted"]
    assert lines[-1].split() == ["Total", "3", "2", "1", "1", "1", "0", "0", "2", "0.10"]
    code, out, _ = cli("records", "report", "--from", "2024-06-01", "--to", "2024-06-03")
    assert "合计" in out and "（无通道）" in out and "COM3" in out
    saved = tmp_path / "traffic.csv"
    code, out, _ = cli("records", "report", "--from", "2024-06-01", "--to", "2024-06-03", "--out", str(saved), "--gbk")
    assert code == 0 and str(saved) in out
    assert read_csv(saved, "gb18030")[-1][:3] == ["合计", "", "3"]


def test_purge_refuses_young_dates_and_asks_before_deleting(
    cli: Cli, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = add_campaign(db)
    sent_message(db, c, local("2020-01-10 08:00"))
    sent_message(db, c, local("2020-01-11 08:00"))
    add_message(db, c, created=local("2020-01-12 08:00"), status=S.QUEUED)
    young = latest_cutoff(6, tz=SHANGHAI).replace(day=1)
    too_young = date.fromordinal(latest_cutoff(6, tz=SHANGHAI).toordinal() + 1)

    code, _, err = cli("records", "purge", "--before", too_young.isoformat(), "--yes")
    assert code == 2 and "6 个月" in err
    code, _, err = cli("--lang", "en", "records", "purge", "--before", too_young.isoformat(), "--yes")
    assert code == 2 and "at least 6 months" in err

    def remaining() -> int:
        with db.reader() as s:
            return len(s.execute(select(Message.id)).all())

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, err = cli("records", "purge", "--before", young.isoformat())
    assert code == 1 and "2 条" in out and "1 条" in out and "--yes" in err and remaining() == 3
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    code, out, _ = cli("records", "purge", "--before", young.isoformat())
    assert code == 1 and "已取消" in out and remaining() == 3
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    code, out, _ = cli("records", "purge", "--before", young.isoformat())
    assert code == 0 and "已删除 2 条" in out and remaining() == 1

    settings.Settings(db).set(settings.RETENTION_MONTHS, 600)
    code, _, err = cli("records", "purge", "--before", "2020-01-01", "--yes")
    assert code == 2 and "600 个月" in err


def test_audit_verify_names_the_broken_rows(cli: Cli, db: Database) -> None:
    for n in range(4):
        with db.session() as s:
            audit.record(s, "contacts.import", {"file": f"名单{n}.xlsx", "added": n}, actor="王老师")
    code, out, _ = cli("audit", "verify")
    assert (code, out.strip()) == (0, "OK：审计日志完整，4 条记录，哈希链无断裂。")
    code, out, _ = cli("--lang", "en", "audit", "verify")
    assert code == 0 and out.startswith("OK")

    with db.reader() as s:
        ids = s.execute(select(AuditEvent.id).order_by(AuditEvent.id)).scalars().all()
    with db.session() as s:  # someone edits a row directly in the database
        s.execute(text("UPDATE audit_events SET details = :d WHERE id = :id"), {"d": '{"added":0}', "id": ids[1]})
    code, out, _ = cli("audit", "verify")
    assert code == 1
    assert "1 处断裂" in out and f"第 {ids[1]} 条" in out and "被修改过" in out and "王老师" in out
    assert f"第 {ids[2]} 条" not in out

    with db.session() as s:  # and deletes another
        s.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[2]})
    code, out, _ = cli("--lang", "en", "audit", "verify")
    assert code == 1 and "2 break(s)" in out
    assert f"event {ids[1]} " in out and "edited" in out
    assert f"event {ids[3]} " in out and "deleted or edited" in out


def test_records_commands_are_audited(tmp_path: Path, cli: Cli, db: Database, june) -> None:
    out = tmp_path / "r.xlsx"
    assert cli("records", "export", "--from", "2024-06-01", "--to", "2024-07-01", str(out))[0] == 0
    with db.reader() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "records.export")).scalar_one()
    assert event.details["count"] == 3 and event.details["format"] == "xlsx"
    assert event.at <= datetime.now(UTC)
