"""The dispatcher's "after recorded" steps, which a gateway's pull cursor is saved by: a step runs only once
everything handed over before it is in the database, and, for a channel, once none of that channel's
earlier reports is still waiting for its send to be recorded; so a cursor never passes a report that a crash
could still lose."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import select

from smsjingling.gateway.base import GatewayReport
from smsjingling.sending import record
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.record import Move
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Message, MessageStatus
from tests.core.sending_helpers import add_channel, queue_campaign, wait_until


def _report(message_id: int) -> GatewayReport:
    return GatewayReport(str(message_id), "SJ1", "+8613900000001", True, "DELIVRD", datetime.now(UTC))


def _status(db: Database, message_id: int) -> str:
    with db.reader() as s:
        return s.execute(select(Message.status).where(Message.id == message_id)).scalar_one()


def test_a_channels_step_waits_for_its_earlier_reports_to_be_matched(db: Database) -> None:
    channel = add_channel(db, "网关", "http://127.0.0.1:1")
    cid = queue_campaign(db, ["+8613900000001", "+8613900000002"], policy="gateway")
    with db.reader() as s:
        first, second = s.execute(select(Message.id).where(Message.campaign_id == cid).order_by(Message.id)).scalars()
    dispatcher = Dispatcher(db, [], poll_seconds=0.01)
    dispatcher.start()
    try:
        with db.session() as s:  # both on their way out; only the first one's acceptance is recorded yet
            record.move(s, [Move(first, MessageStatus.SENDING), Move(second, MessageStatus.SENDING)])
            record.move(s, [Move(first, MessageStatus.SENT)])
        steps: list[str] = []
        dispatcher.delivery_report(channel, _report(first))
        dispatcher.delivery_report(channel, _report(second))  # overtook the recording of its send
        dispatcher.after_recorded(lambda: steps.append("cursor"), channel)
        unrelated = threading.Event()
        dispatcher.after_recorded(unrelated.set)  # no channel named: the recording alone is waited for
        assert unrelated.wait(5)
        wait_until(lambda: _status(db, first) == MessageStatus.DELIVERED)
        time.sleep(0.2)
        assert steps == []  # the second report still waits for its send: the cursor must not pass it

        with db.session() as s:
            record.move(s, [Move(second, MessageStatus.SENT)])
        wait_until(lambda: steps == ["cursor"])
        assert _status(db, second) == MessageStatus.DELIVERED

        later: list[str] = []
        dispatcher.after_recorded(lambda: later.append("again"), channel)
        wait_until(lambda: later == ["again"])  # nothing pending: at once
        assert dispatcher.flush(5)
    finally:
        dispatcher.stop()
    assert not dispatcher.flush(0.1)  # stopped: nothing to wait for, and it says so
