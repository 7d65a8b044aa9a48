"""One modem as a channel: sending through the `modem` library and turning what it raises into an Outcome.

The rule that keeps "nothing sent twice": when the library cannot say whether a part left (a timeout after
the PDU was written, a port that vanished mid-send, some parts of a multipart sent), the message is UNKNOWN and
waits for the operator; it is only retried when it certainly did not leave.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from modem.device import DeliveryReport, InboundSms, Modem, ModemOptions
from modem.errors import (
    ChannelClosed,
    CommandError,
    CommandTimeout,
    ModemError,
    PortGone,
    PortUnavailable,
    RetryClass,
)
from smsjingling.sending.outcome import Outcome, Verdict

log = logging.getLogger(__name__)


def classify(exc: BaseException, sent_parts: tuple[int, ...] = ()) -> Outcome:
    """The outcome of a send that raised `exc`."""
    if sent_parts:
        return Outcome(
            Verdict.UNKNOWN, tuple(map(str, sent_parts)), "partly_sent", f"{len(sent_parts)} part(s) left before: {exc}"
        )
    if isinstance(exc, CommandError):
        detail = f"{exc.final} ({exc.message_zh} / {exc.message_en})"
        if exc.retry_class is RetryClass.PERMANENT:
            return Outcome(Verdict.FAILED, (), "send.rejected", detail)
        if exc.retry_class is RetryClass.NEEDS_ATTENTION:
            return Outcome(Verdict.REQUEUE, (), "send.modem_attention", detail, channel_fault=True)
        return Outcome(Verdict.RETRY, (), "send.retry_later", detail, channel_fault=True)
    if isinstance(exc, CommandTimeout):
        if "prompt" in exc.waiting_for:  # the PDU was never written: it certainly did not leave
            return Outcome(Verdict.REQUEUE, (), "send.timeout_prompt", str(exc), channel_fault=True)
        return Outcome(Verdict.UNKNOWN, (), "send.timeout", str(exc), channel_fault=True)
    if isinstance(exc, PortGone | ChannelClosed):
        return Outcome(Verdict.UNKNOWN, (), "send.port_gone", str(exc), channel_fault=True)
    return Outcome(Verdict.UNKNOWN, (), "send.modem_error", str(exc), channel_fault=True)


class ModemLink:
    """Opens the modem when first needed and again after it vanished; sends; forwards reports and inbound
    messages to the callbacks given. Used by one worker thread; callbacks arrive on the modem's thread."""

    def __init__(
        self,
        url: str,
        *,
        pin: str | None = None,
        options: ModemOptions | None = None,
        on_report: Callable[[DeliveryReport], None] | None = None,
        on_message: Callable[[InboundSms], None] | None = None,
    ) -> None:
        self.url = url
        self._pin = pin
        self._options = options
        self._on_report = on_report
        self._on_message = on_message
        self._modem: Modem | None = None
        self._lock = threading.Lock()

    def subscribe(
        self, on_report: Callable[[DeliveryReport], None] | None, on_message: Callable[[InboundSms], None] | None
    ) -> None:
        """Where reports and inbound messages go (from the next open on)."""
        self._on_report = on_report
        self._on_message = on_message

    @property
    def modem(self) -> Modem | None:
        return self._modem

    def ensure_open(self) -> None:
        """Raises the library's error (PortUnavailable, SimNotReady ...) when the modem cannot be used."""
        with self._lock:
            if self._modem is not None:
                return
            modem = Modem.open(self.url, pin=self._pin, options=self._options)
            if self._on_report:
                modem.on_status_report(self._on_report)
            if self._on_message:
                modem.on_message(self._on_message)
            self._modem = modem

    def send(self, number: str, text: str) -> Outcome:
        try:
            self.ensure_open()
        except (PortUnavailable, ModemError) as exc:
            # Nothing was written: the message can go to another modem.
            return Outcome(Verdict.REQUEUE, (), "send.modem_unavailable", str(exc), channel_fault=True)
        assert self._modem is not None
        try:
            result = self._modem.send_sms(number, text)
        except ModemError as exc:
            if not hasattr(exc, "sent_parts"):
                # send_sms tags every error raised once it began writing parts; an untagged one came from
                # getting the modem ready, before any +CMGS, so the message certainly did not leave.
                outcome = Outcome(Verdict.REQUEUE, (), "send.modem_not_ready", str(exc), channel_fault=True)
            else:
                outcome = classify(exc, tuple(exc.sent_parts))
            if isinstance(exc, PortGone | ChannelClosed):
                self.drop()
            return outcome
        return Outcome(Verdict.SENT, tuple(str(mr) for mr in result.parts))

    def drop(self) -> None:
        """Forget the modem (closed); the next send opens it again."""
        with self._lock:
            modem, self._modem = self._modem, None
        if modem is not None:
            try:
                modem.close()
            except ModemError as exc:  # already gone; nothing more to release
                log.info("%s: closing after a fault: %s", self.url, exc)

    def close(self) -> None:
        self.drop()
