"""Shared set-up for the records, inbox and log page tests: a main window over a real database whose sending
service runs on a zero-latency simulated modem, so messages go through the real core and leave every
transition behind."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from modem.sim.port import SimModem
from smsjingling.sending.campaigns import CampaignRequest
from smsjingling.sending.channels import Channels
from smsjingling.sending.expand import Recipients
from smsjingling.sending.service import SendingService
from smsjingling.settings import SIGNATURE, Settings
from smsjingling.storage.database import Database
from smsjingling.storage.sending import FINAL_STATUSES, MessageStatus
from ui.main_window import MainWindow

# +CMGS number 2 and 4 are refused with +CMS ERROR 304 (a permanent error): those messages fail.
FAILING_SENDS = frozenset({2, 4})


@dataclass
class Office:
    window: MainWindow
    service: SendingService
    sim: SimModem
    db: Database

    def send(self, *numbers: str, text: str = "明天放假一天。") -> int:
        return self.service.campaigns.create(CampaignRequest(text, Recipients(numbers=tuple(numbers))))

    def settled(self, campaign_id: int) -> bool:
        """Every message of the campaign is final and delivery reports are in (no SENT left waiting)."""
        counts = self.service.campaigns.counts(campaign_id)
        waiting = sum(n for s, n in counts.items() if s not in FINAL_STATUSES or s == MessageStatus.SENT)
        return waiting == 0


@pytest.fixture
def office(qtbot, db: Database, home) -> Iterator[Office]:
    sim = SimModem(latency=0, sr_delay=0.01, cms_on=FAILING_SENDS, cms_code=304)
    Channels(db).add_modem("猫1", sim.url, hourly_cap=0, daily_cap=0)
    Settings(db).set(SIGNATURE, "测试单位")
    window = MainWindow(db)
    window.confirm_quit = lambda: True  # messages left queued must not ask when the test closes the window
    qtbot.addWidget(window)
    service = SendingService(db, actor=window.ctx.actor, bus=window.ctx.bus, demo_if_empty=False, schedule_seconds=3600)
    service.start()
    window.ctx.service = service
    window.show()
    try:
        yield Office(window, service, sim, db)
    finally:
        window.ctx.close()
        sim.remove()
