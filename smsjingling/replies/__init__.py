"""Replies: received messages stored once, matched to their contact and campaign; unsubscribe replies put
the sender on the opt-out list; the inbox the GUI and the CLI show.

    store_inbound(session, channel_id=, sender=, text=, received_at=, complete=) -> InboundMessage
    ReplyHandler(db).for_channel(channel_id)       # a Modem.on_message callback
    Inbox(db).items(unread=, campaign_id=, limit=, offset=) -> [InboxItem]

Modules: senders (who a reply is from), matching (contact and campaign), unsubscribe (what counts, and the
opt-out), store, inbox, handler.
"""

from smsjingling.replies.handler import ReplyHandler
from smsjingling.replies.inbox import Inbox, InboxItem, InboxQuery, count_inbox, get_item, list_inbox, mark_read
from smsjingling.replies.matching import CAMPAIGN_WINDOW_DAYS, Match, match_reply
from smsjingling.replies.senders import Sender, normalize_sender
from smsjingling.replies.store import find_inbound, store_inbound
from smsjingling.replies.unsubscribe import (
    DEFAULT_RULE,
    UNSUBSCRIBE_LEADING_WORDS,
    UNSUBSCRIBE_WORDS,
    UnsubscribeRule,
    fold,
    opt_out_by_reply,
    rule_from_settings,
)

__all__ = [
    "CAMPAIGN_WINDOW_DAYS",
    "DEFAULT_RULE",
    "UNSUBSCRIBE_LEADING_WORDS",
    "UNSUBSCRIBE_WORDS",
    "Inbox",
    "InboxItem",
    "InboxQuery",
    "Match",
    "ReplyHandler",
    "Sender",
    "UnsubscribeRule",
    "count_inbox",
    "find_inbound",
    "fold",
    "get_item",
    "list_inbox",
    "mark_read",
    "match_reply",
    "normalize_sender",
    "opt_out_by_reply",
    "rule_from_settings",
    "store_inbound",
]
