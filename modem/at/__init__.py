"""The AT layer: framer (bytes → lines), unsolicited-code classifier, channel, reply parsers."""

from modem.at.channel import ATChannel, Reply
from modem.at.framer import PROMPT, Framer, Prompt
from modem.at.unsolicited import Unsolicited, UrcKind, classify_line, is_final

__all__ = ["PROMPT", "ATChannel", "Framer", "Prompt", "Reply", "Unsolicited", "UrcKind", "classify_line", "is_final"]
