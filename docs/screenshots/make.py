"""Regenerate the screenshots in this folder: `python docs/screenshots/make.py`.

Builds a demo database in a temporary data folder through the core (sample contacts, sends through simulated
modems with a few failures, a reply and an unsubscribe, a recurring schedule), opens the real main window on
it (offscreen, at a fixed size) and saves every page in Chinese and the main pages in English.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["SMSJINGLING_HOME"] = tempfile.mkdtemp(prefix="smsjingling-screens-")
os.environ.setdefault("SMSJINGLING_CACHE", str(Path(os.environ["SMSJINGLING_HOME"]) / "cache"))

SIZE = (1280, 800)
PREFIXES = ("138", "139", "135", "150", "158", "186", "187", "189", "133", "177", "136", "151")
ENGLISH_PAGES = ("compose", "contacts", "records")
# fast simulated modems, so the demo sends finish in seconds; reports come back a moment later
MODEM_A = "sim://screens-a?latency=0&sms_latency=0.01&sr_delay=0.2"
MODEM_B = "sim://screens-b?latency=0&sms_latency=0.01&sr_delay=0.2&cms_rate=0.06&cms_code=304"


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the demo data did not settle in time")
        time.sleep(0.05)


def build_demo(db_path: Path) -> None:
    """The demo office: contacts, two modems, sends, replies and a schedule, all through the core."""
    import modem.sim
    from smsjingling import messages
    from smsjingling.contacts.book import ContactBook
    from smsjingling.sending.campaigns import CampaignRequest
    from smsjingling.sending.channels import Channels
    from smsjingling.sending.expand import Recipients
    from smsjingling.sending.rules import MAINTENANCE_WINDOW
    from smsjingling.sending.service import SendingService
    from smsjingling.settings import SIGNATURE, Settings
    from smsjingling.storage.database import Database, open_database
    from smsjingling.storage.sending import Campaign, CampaignStatus
    from smsjingling.storage.types import utcnow

    db = open_database(str(db_path))
    book = ContactBook(db, actor="admin")
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
    given = [
        "伟",
        "芳",
        "娜",
        "敏",
        "静",
        "丽",
        "强",
        "磊",
        "军",
        "洋",
        "勇",
        "艳",
        "杰",
        "娟",
        "涛",
        "明",
        "超",
        "秀英",
        "霞",
        "平",
        "建华",
        "志强",
        "海燕",
        "晓东",
        "丽娟",
        "文博",
        "雨萱",
        "子涵",
        "浩然",
        "欣怡",
        "宇航",
    ]
    departments = ["办公室", "财务科", "人事科", "后勤处", "技术部", "市场部"]
    for i in range(260):
        name = surnames[(i * 7) % len(surnames)] + given[(i * 11 + i // len(surnames)) % len(given)]
        book.add(
            name,
            f"{PREFIXES[i % len(PREFIXES)]}{(i * 104_729 + 7) % 100_000_000:08d}",
            fields={"部门": departments[i % len(departments)]},
            groups=["全体员工", departments[i % len(departments)]],
        )
    Settings(db, "admin").set(SIGNATURE, "【星海市第一中学】")
    # The demo is made at any hour; the real vendor's nightly maintenance pause would hold its gateway send.
    Settings(db, "admin").set(MAINTENANCE_WINDOW, "")
    channels = Channels(db, actor="admin")
    channels.add_modem("短信猫 1（移动）", MODEM_A, hourly_cap=2000, daily_cap=5000)
    channels.add_modem("短信猫 2（联通）", MODEM_B, hourly_cap=2000, daily_cap=5000)

    demo = channels.ensure_demo(gateway=True)  # the simulated gateway and its prepaid account
    if demo.modem_id is not None:
        channels.remove(messages.text("channel.demo_name"))  # the demo modem's real-modem pace is too slow here

    def send(service: SendingService, name: str, template: str, group: str, policy: str = "auto") -> int:
        return service.campaigns.create(
            CampaignRequest(template=template, recipients=Recipients(groups=(group,)), name=name, channel_policy=policy)
        )

    def wait_finished(db_: Database, ids: list[int]) -> None:
        def finished() -> bool:
            with db_.reader() as s:
                return all(s.get(Campaign, cid).status == CampaignStatus.COMPLETED.value for cid in ids)

        wait_for(finished)

    # A week of earlier notices, so the reports have more than one day to chart.
    departments_by_day = ["财务科", "人事科", "后勤处", "技术部", "市场部", "办公室"]
    for days_ago, group in zip(range(6, 0, -1), departments_by_day, strict=True):
        # a clock running from that day, as if the program had been used then
        shift = timedelta(days=days_ago)
        past = SendingService(db, actor="admin", demo_if_empty=False, clock=lambda shift=shift: utcnow() - shift)
        past.start()
        try:
            wait_finished(db, [send(past, f"{group}工作提醒", "{姓名|同事}：请于本周内提交本月工作小结。", group)])
        finally:
            past.stop()

    service = SendingService(db, actor="admin", demo_if_empty=False, schedule_seconds=0.5)
    service.start()
    try:
        first = send(
            service,
            "国庆放假通知",
            "{姓名|同事}您好：国庆假期为10月1日至7日，9月28日（星期日）正常上班。请做好工作安排。",
            "全体员工",
        )
        second = send(
            service, "安全生产会议", "{姓名|同事}：本周五下午3点在三楼会议室召开安全生产会议，请准时参加。", "办公室"
        )
        third = send(
            service, "体检通知（网关）", "{姓名|同事}：年度体检安排在下周二上午，请空腹前往。", "技术部", "gateway"
        )
        service.campaigns.create(
            CampaignRequest(
                template="每周一上午9点例会，请各部门负责人准时参加。",
                recipients=Recipients(groups=("办公室",)),
                name="每周例会提醒",
                start_at=utcnow() + timedelta(days=1),
                recurrence="FREQ=WEEKLY;BYDAY=MO",
            )
        )
        wait_finished(db, [first, second, third])
        sim = modem.sim.get("screens-a")
        if sim is not None:
            phones = [c.phone for c in book.search("", limit=3)]
            for phone, text in zip(phones, ("收到，谢谢通知", "好的，准时参加", "TD"), strict=False):
                sim.inject_sms(phone, text)
            time.sleep(2.0)  # the modem's +CMTI, the read and the reply handler
    finally:
        service.stop()
        db.close()


def shoot(db_path: Path, lang: str, keys: tuple[str, ...] | None) -> list[Path]:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from smsjingling.storage.database import open_database
    from ui.app import create_application
    from ui.i18n import install_translators, remove_translators
    from ui.main_window import MainWindow
    from ui.pages import PAGES

    app = create_application([])
    translators = install_translators(app, lang)
    db = open_database(str(db_path))
    window = MainWindow(db, start_service=True)
    window.resize(*SIZE)
    window.show()
    saved: list[Path] = []

    def pause(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    try:
        for spec in PAGES:
            if keys is not None and spec.key not in keys:
                continue
            window.show_page(spec.key)
            pause(300)
            deadline = time.monotonic() + 15
            while window.worker.busy and time.monotonic() < deadline:
                pause(100)
            pause(400)  # the last reads' results laid out and painted
            path = HERE / f"{lang}-{spec.key}.png"
            window.grab().save(str(path))
            saved.append(path)
    finally:
        window.ctx.close()
        window.deleteLater()
        QCoreApplication.processEvents()
        db.close()
        remove_translators(app, translators)
    assert isinstance(QApplication.instance(), QApplication)
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="page keys to shoot (default: all)")
    args = parser.parse_args()
    db_path = Path(os.environ["SMSJINGLING_HOME"]) / "demo.sqlite3"
    build_demo(db_path)
    only = tuple(args.only) if args.only else None
    shots = shoot(db_path, "zh", only)
    shots += shoot(db_path, "en", tuple(k for k in ENGLISH_PAGES if only is None or k in only))
    for path in shots:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
