"""One modem as a channel: sending through the `modem` library and turning what it raises into an Outcome.

The rule that keeps "nothing sent twice": when the library cannot say whether a part left (a timeout after
the PDU was written, a port that vanished mid-send, some parts of a multipart sent), the message is UNKNOWN and
waits for the operator; it is only retried when it certainly did not leave.

While the sending service runs, the link owns the modem's port: an operator's look at the modem (details, a PIN,
a test message, a USSD query) goes through `run`, between two sends, never through a second open of the port.
Between sends the link keeps the port open (so replies and reports arrive) and asks for the signal now and then
(`last_bars`, for the status bar).

A SIM PIN is tried automatically at most once: the modem is kept (open, not initialised) when its SIM is not
ready, so the library's own one-attempt rule holds across sends, and a PIN the SIM refused is forgotten here and
handed to `on_pin_refused` (which removes it from the keyring), so no later start tries it again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from modem.device import DeliveryReport, InboundSms, Modem, ModemOptions, SimNotReady
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

T = TypeVar("T")
SIGNAL_SECONDS = 30.0  # how often an idle link asks for the signal (one AT+CSQ)


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
        signal_seconds: float = SIGNAL_SECONDS,
        on_pin_refused: Callable[[], None] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._pin = pin
        self._options = options
        self._on_report = on_report
        self._on_message = on_message
        self._modem: Modem | None = None
        self._lock = threading.Lock()
        # One user of the modem at a time: the worker's send, or an operator's operation (run).
        self._use = threading.RLock()
        self.signal_seconds = signal_seconds
        self._monotonic = monotonic
        self._next_signal = 0.0
        self.on_pin_refused = on_pin_refused
        self.last_bars: int | None = None  # 0–5, the signal the modem last reported; None: unknown
        self._unavailable = ""  # why the port could not be opened last time (logged once per cause)

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
        """Raises the library's error (PortUnavailable, SimNotReady ...) when the modem cannot be used.

        A modem whose SIM is not ready stays open (and owned): its SIM state is what the operator needs to see,
        and a new Modem for every send would try the saved PIN again each time."""
        with self._lock:
            if self._modem is not None:
                return  # the modem initialises itself again when it needs to (after a reboot, a timeout)
            modem = Modem.open(self.url, pin=self._pin, options=self._options, initialise=False)
            if self._on_report:
                modem.on_status_report(self._on_report)
            if self._on_message:
                modem.on_message(self._on_message)
            self._modem = modem
        try:
            modem.initialise()
        except SimNotReady as exc:
            self._pin_failed(exc)
            raise
        except CommandTimeout as exc:
            if "CPIN=" in exc.command.upper() and self._pin:
                # The SIM may or may not have counted the attempt: it is not made again by this link.
                log.info("%s: no answer to the PIN; it is not tried again automatically", self.url)
                self._pin = None
            self.drop()
            raise
        except BaseException:
            self.drop()
            raise

    def _pin_failed(self, exc: SimNotReady) -> None:
        if self._pin and (exc.state.needs_pin or exc.state.needs_puk):
            # The modem tried the saved PIN once and the SIM refused it (or it is locked for its PUK now).
            log.info("%s: the SIM refused the saved PIN; it is forgotten", self.url)
            self._pin = None
            if self.on_pin_refused is not None:
                self.on_pin_refused()

    @property
    def pin_known(self) -> bool:
        return bool(self._pin)

    def run(self, operation: Callable[[Modem], T], *, ready: bool = True) -> T:
        """`operation(modem)` on this link's modem, between two sends (it waits for a send in flight, and the
        next send waits for it). `ready=False`: also when the SIM is not ready (its state, a PIN entry)."""
        with self._use:
            try:
                self.ensure_open()
            except SimNotReady:
                if ready or self._modem is None:
                    raise
            modem = self._modem
            assert modem is not None
            try:
                return operation(modem)
            except (PortGone, ChannelClosed):
                self.drop()
                raise

    def remember_pin(self, pin: str) -> None:
        """A PIN the SIM took from the operator: the one a fresh open (after the port went away) uses."""
        self._pin = pin

    def idle(self) -> None:
        """The worker has nothing to send: keep the port open (replies and reports arrive only then) and ask for
        the signal every `signal_seconds`."""
        self.refresh_signal()

    def refresh_signal(self, *, force: bool = False) -> None:
        now = self._monotonic()
        if not force and now < self._next_signal:
            return
        if not self._use.acquire(blocking=False):
            return  # an operator's operation has the modem: asked again at the next pause
        self._next_signal = now + self.signal_seconds
        try:
            try:
                self.ensure_open()
            except SimNotReady:
                pass  # the signal needs no SIM
            except (PortUnavailable, ModemError) as exc:
                self.last_bars = None
                if str(exc) != self._unavailable:
                    self._unavailable = str(exc)
                    log.info("%s: not available now: %s", self.url, exc)
                return
            self._unavailable = ""
            modem = self._modem
            if modem is None:
                return
            try:
                self.last_bars = modem.signal().bars
            except (PortGone, ChannelClosed):
                self.drop()
            except ModemError as exc:
                log.info("%s: no signal reading: %s", self.url, exc)
                self.last_bars = None
        finally:
            self._use.release()

    def send(self, number: str, text: str) -> Outcome:
        with self._use:
            outcome = self._send(number, text)
        self.refresh_signal()  # a busy link is never idle: the signal is asked for between sends too
        return outcome

    def _send(self, number: str, text: str) -> Outcome:
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
            self.last_bars = None
        if modem is not None:
            try:
                modem.close()
            except ModemError as exc:  # already gone; nothing more to release
                log.info("%s: closing after a fault: %s", self.url, exc)

    def close(self) -> None:
        self.drop()
