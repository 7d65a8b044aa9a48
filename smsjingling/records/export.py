"""Exporting the send record of a period to .xlsx or .csv: what was sent, when, by whom, through which channel.

This is the log the service contracts require to be kept for six months and handed to the authorities on
request, so the file is in Chinese whatever the interface language. Columns:

| header   | English      | value                                                             |
| -------- | ------------ | ----------------------------------------------------------------- |
| 时间     | Time         | when it was sent, else when it was created (local wall time)      |
| 号码     | Number       | national form for +86 (13800138000), E.164 otherwise               |
| 内容     | Content      | the text as sent, signature and suffix included                    |
| 发送人   | Sender       | who created the campaign                                           |
| 通道     | Channel      | the channel's name; empty if it never reached one                  |
| 状态     | Status       | 已送达, 已发送, 未送达, 失败, 已拦截, 已跳过, 已取消, 状态不明 …   |
| 原因     | Reason       | why it is in that status, and the channel's own words              |
| 条数     | Segments     | SMS parts                                                          |
| 费用（元）| Cost (yuan) | its price, exact to the fen                                        |
| 任务     | Campaign     | the campaign's name and id (通知 #12)                               |

Rows are in time order; the period selects on the same time as the 时间 column (see records.query).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path

from smsjingling import audit, messages
from smsjingling.contacts.export import national
from smsjingling.errors import UserError
from smsjingling.records import labels, query
from smsjingling.records.period import Period, wall_time
from smsjingling.records.query import RecordFilter, RecordRow
from smsjingling.storage.database import Database
from smsjingling.tabular import DATETIME, MONEY, TEXT, Value, csv_encoding, is_csv, write_table

HEADERS = ("时间", "号码", "内容", "发送人", "通道", "状态", "原因", "条数", "费用（元）", "任务")
# Formats only where a value needs one: a number stays text, a time and a price read as such. Every cell
# with a format costs a cell object, which a million-row export feels.
FORMATS = (DATETIME, TEXT, None, None, None, None, None, None, MONEY, None)
SHEET = "发送记录"

messages.register(
    {"records.export_cancelled": ("导出已取消，没有写入文件。", "The export was cancelled; no file was written.")}
)


class ExportCancelled(UserError):
    """The caller's cancel event was set: the export stopped, and no file was written or replaced."""

    def __init__(self) -> None:
        super().__init__("records.export_cancelled")


def _row(record: RecordRow, tz: tzinfo | None) -> list[Value]:
    return [
        wall_time(record.at, tz),
        national(record.phone),
        record.text,
        record.sender,
        record.channel,
        labels.status_text(record.status, "zh"),
        labels.reason_text(record.reason, record.error, "zh"),
        record.segments,
        labels.yuan(record.price_fen),
        labels.campaign_label(record.campaign, record.campaign_id),
    ]


def export_records(
    db: Database,
    path: str | os.PathLike[str],
    period: Period,
    filt: RecordFilter | None = None,
    *,
    encoding: str = "utf-8-sig",
    fmt: str | None = None,
    actor: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Write the period's record to `path` as `fmt` ("xlsx" or "csv"; by default .csv for a .csv file, else
    .xlsx); returns the number of messages written.

    Read in pages from one consistent snapshot and streamed to a temporary file that replaces the target
    only when complete. `encoding` applies to CSV: "gbk" writes GB18030. The export is audited.
    `progress(done, total)` is called after each page; when `cancel` is set, ExportCancelled is raised between
    pages and no file is written.
    """
    target = Path(path)
    with (
        db.reader() as s,
        write_table(target, HEADERS, sheet=SHEET, encoding=encoding, formats=FORMATS, fmt=fmt) as out,
    ):
        # Counted in the same snapshot as the rows, so the total is exactly what gets written.
        total = query.count(s, period, filt) if progress is not None else 0
        for page in query.pages(s, period, filt):
            if cancel is not None and cancel.is_set():
                raise ExportCancelled
            out.extend(_row(r, period.tz) for r in page)
            if progress is not None:
                progress(out.rows, total)
    details = {
        "file": target.name,
        "format": f"csv ({csv_encoding(encoding)})" if is_csv(target, fmt) else "xlsx",
        **period.describe(),
        **(filt.describe() if filt else {}),
        "count": out.rows,
    }
    with db.session() as s:
        audit.record(s, "records.export", details, actor=actor)
    return out.rows
