"""ReplyHandler: what the dispatcher wires to each modem's `on_message`.

    handler = ReplyHandler(db)
    gsm.on_message(handler.for_channel(channel.id))

It has no thread of its own and holds no session: each message is stored in a short transaction of its
own on the calling thread (the modem's event thread), so any number of modems can share one handler. It
publishes nothing; `handle` returns what was stored so that the caller can (to the event bus, the GUI).

Errors are not swallowed: when storing fails (the database locked past its busy timeout, a disk full),
the exception reaches the modem library, which logs it and leaves the message on the SIM, where the next
`collect_stored()` finds it again. Storing is idempotent, so that second delivery is harmless.
"""

from __future__ import annotations

from collections.abc import Callable

from modem.device import InboundSms
from smsjingling.replies.inbox import InboxItem, get_item
from smsjingling.replies.store import find_inbound, store_inbound
from smsjingling.storage.database import Database


class ReplyHandler:
    def __init__(self, db: Database, *, actor: str | None = None) -> None:
        self.db = db
        self.actor = actor  # who the audit log names for opt-outs (default: the account the program runs as)

    def handle(self, sms: InboundSms, channel_id: int | None) -> InboxItem | None:
        """Store `sms` as received on `channel_id`; None when it had been stored before (a re-delivery).

        Its time is the service centre's time stamp: a re-delivered message carries the same one, which
        is what makes the second delivery recognisable.
        """
        with self.db.session() as s:
            if find_inbound(s, channel_id=channel_id, sender=sms.sender, text=sms.text, received_at=sms.timestamp):
                return None
            row = store_inbound(
                s,
                channel_id=channel_id,
                sender=sms.sender,
                text=sms.text,
                received_at=sms.timestamp,
                complete=sms.complete,
                actor=self.actor,
            )
            return get_item(s, row.id)

    def for_channel(self, channel_id: int | None) -> Callable[[InboundSms], None]:
        """A callback for `Modem.on_message` that stores every message as received on `channel_id`."""

        def on_message(sms: InboundSms) -> None:
            self.handle(sms, channel_id)

        return on_message
