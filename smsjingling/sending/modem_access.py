"""An operator's look at a modem channel: its details, the SIM's PIN, a test message, a USSD query.

While the sending service runs, the channel's worker owns the port (`ModemLink`): every operation here then goes
through the link, between two sends, and never opens the port a second time. When no worker has the channel
(the service is stopped, or the channel is disabled or new), the port is opened for the operation and closed
again.

    access = ModemAccess(db, dispatcher=lambda: service.dispatcher)
    access.details("短信猫 1")                 # ModemDetails: model, IMEI, SIM, signal, operator, SMSC …
    access.enter_pin("短信猫 1", "1234")       # unlocks the SIM, keeps the PIN in the keyring
    access.test_send("短信猫 1", "13800138000", "测试")
    access.ussd("短信猫 1", "*100#")            # the network's answer, decoded

Every failure reaches the caller as a `ModemAccessError` worded for the user (the channel, what went wrong,
what to do), never as the library's exception.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select

from modem.at import parsers as p
from modem.device import Modem, ModemOptions, SimNotReady
from modem.errors import ChannelClosed, CommandError, CommandTimeout, ModemError, PortGone, PortUnavailable
from smsjingling import audit, messages
from smsjingling.errors import NotFoundError, UserError, ValidationError
from smsjingling.phones import parse_phone
from smsjingling.sending.channels import forget_pin, modem_options, pin_for, set_pin
from smsjingling.sending.dispatcher import Dispatcher
from smsjingling.sending.modem_link import ModemLink
from smsjingling.storage.database import Database
from smsjingling.storage.sending import Channel, ChannelKind

log = logging.getLogger(__name__)

T = TypeVar("T")

messages.register(
    {
        "modem_access.failed": ("{channel}：{detail}", "{channel}: {detail}"),
        "modem_access.not_modem": ("{channel} 不是短信猫通道", "{channel} is not a modem channel"),
        "modem_access.port_unavailable": (
            "无法打开端口 {port}：端口不存在、已被其他程序占用，或没有使用权限。"
            "请检查短信猫是否插好，并关闭占用它的程序。",
            "Cannot open port {port}: it does not exist, another program has it open, or there is no permission. "
            "Check the modem is plugged in and close the program using it.",
        ),
        "modem_access.port_gone": (
            "端口 {port} 已断开（短信猫被拔出或重启）。插好后再试。",
            "Port {port} went away (the modem was unplugged or restarted). Plug it in and try again.",
        ),
        "modem_access.timeout": (
            "短信猫没有回应（{command}）。请稍后再试；如果一直如此，请拔下短信猫再插上。",
            "The modem did not answer ({command}). Try again shortly; if it keeps happening, unplug and replug it.",
        ),
        "modem_access.error": ("短信猫出错：{detail}", "The modem reported an error: {detail}"),
        "modem_access.wrong_pin": (
            "PIN 码不正确，SIM 卡仍未解锁。请核对后再输入；连续输错三次，SIM 卡将被锁定，需要 PUK 码。",
            "The PIN is wrong; the SIM is still locked. Check it and enter it again; after three wrong tries the SIM "
            "locks and needs its PUK.",
        ),
        "modem_access.pin_not_needed": (
            "SIM 卡已就绪，不需要输入 PIN 码。",
            "The SIM is ready; it needs no PIN.",
        ),
        "modem_access.needs_puk": (
            "SIM 卡已被锁定，需要 PUK 码解锁。请联系运营商取得 PUK 码，或更换 SIM 卡。",
            "The SIM is locked and needs its PUK. Ask the operator for the PUK, or use another SIM.",
        ),
        "modem_access.no_sim": (
            "SIM 卡未就绪（{state}）。请检查 SIM 卡是否插好。",
            "The SIM is not ready ({state}). Check the SIM card is inserted.",
        ),
        "modem_access.bad_pin": ("PIN 码应为 4 到 8 位数字", "A PIN is 4 to 8 digits"),
        "modem_access.bad_ussd": (
            "USSD 代码应由数字、* 和 # 组成，并以 # 结尾，例如 *100#",
            "A USSD code is digits, * and #, ending with #, e.g. *100#",
        ),
        "modem_access.empty_text": ("请填写测试短信的内容", "Enter the text of the test message"),
        "modem_access.sent": (
            "已通过 {channel} 向 {number} 发出测试短信（{parts} 条）。",
            "Test message sent to {number} through {channel} ({parts} part(s)).",
        ),
        "modem.sim.READY": ("已就绪", "ready"),
        "modem.sim.SIM PIN": ("需要 PIN 码", "needs its PIN"),
        "modem.sim.SIM PUK": ("已锁定，需要 PUK 码", "locked, needs its PUK"),
        "modem.sim.NOT INSERTED": ("未插入 SIM 卡", "no SIM inserted"),
        "modem.sim.NOT READY": ("SIM 卡正在初始化", "the SIM is starting"),
        "modem.sim.other": ("未就绪（{state}）", "not ready ({state})"),
        "modem.reg.NOT_REGISTERED": ("未注册网络", "not registered"),
        "modem.reg.HOME": ("已注册（本地网络）", "registered (home network)"),
        "modem.reg.SEARCHING": ("正在搜索网络", "searching for a network"),
        "modem.reg.DENIED": ("网络拒绝注册", "registration denied"),
        "modem.reg.UNKNOWN": ("未知", "unknown"),
        "modem.reg.ROAMING": ("已注册（漫游）", "registered (roaming)"),
        "modem.reg.SMS_ONLY_HOME": ("已注册（仅短信）", "registered (SMS only)"),
        "modem.reg.SMS_ONLY_ROAMING": ("已注册（仅短信，漫游）", "registered (SMS only, roaming)"),
        "modem.reg.EMERGENCY_ONLY": ("仅紧急呼叫", "emergency calls only"),
        "modem.reg.CSFB_NOT_PREFERRED_HOME": ("已注册（本地网络）", "registered (home network)"),
        "modem.reg.CSFB_NOT_PREFERRED_ROAMING": ("已注册（漫游）", "registered (roaming)"),
    }
)

_PIN = re.compile(r"\d{4,8}")
_USSD = re.compile(r"[*#0-9]{1,30}#")


class ModemAccessError(UserError):
    """An operation on a modem failed; the message names the channel and says what to do."""


def sim_text(state: str, lang: str | None = None) -> str:
    key = f"modem.sim.{state}"
    if key in messages.CATALOGUE:
        return messages.text(key, lang)
    return messages.text("modem.sim.other", lang, state=state)


def registration_text(stat: str, lang: str | None = None) -> str:
    key = f"modem.reg.{stat}"
    return messages.text(key, lang) if key in messages.CATALOGUE else stat


@dataclass(frozen=True)
class ModemDetails:
    channel: str
    url: str
    live: bool  # read through the running service's worker
    sim_state: str  # PinStatus value: "READY", "SIM PIN", …
    manufacturer: str | None = None
    model: str | None = None
    revision: str | None = None
    imei: str | None = None
    imsi: str | None = None
    iccid: str | None = None
    own_number: str | None = None
    bars: int | None = None
    dbm: int | None = None
    registration: str | None = None  # RegStatus name
    registered: bool = False
    operator: str | None = None
    smsc: str | None = None

    @property
    def sim_ready(self) -> bool:
        return self.sim_state == p.PinStatus.READY.value

    @property
    def needs_pin(self) -> bool:
        return self.sim_state == p.PinStatus.SIM_PIN.value

    def sim_text(self, lang: str | None = None) -> str:
        return sim_text(self.sim_state, lang)

    def registration_text(self, lang: str | None = None) -> str:
        return registration_text(self.registration, lang) if self.registration else ""


@dataclass(frozen=True)
class TestSend:
    channel: str
    number: str  # E.164
    parts: tuple[int, ...]  # the TP-MR of each part

    def text(self, lang: str | None = None) -> str:
        return messages.text("modem_access.sent", lang, channel=self.channel, number=self.number, parts=len(self.parts))


@dataclass(frozen=True)
class _Target:
    id: int
    name: str
    url: str
    demo: bool
    options: ModemOptions | None


def describe(exc: BaseException, lang: str | None = None) -> str:
    """A library error in the user's words (without the channel)."""
    zh_en = lang or messages.current_language()
    if isinstance(exc, SimNotReady):
        return exc.message_en if zh_en == "en" else exc.message_zh
    if isinstance(exc, PortUnavailable):
        return messages.text("modem_access.port_unavailable", lang, port=exc.port)
    if isinstance(exc, PortGone | ChannelClosed):
        return messages.text("modem_access.port_gone", lang, port=getattr(exc, "port", ""))
    if isinstance(exc, CommandTimeout):
        return messages.text("modem_access.timeout", lang, command=exc.command)
    if isinstance(exc, CommandError):
        detail = exc.message_en if zh_en == "en" else exc.message_zh
        return messages.text("modem_access.error", lang, detail=detail)
    return messages.text("modem_access.error", lang, detail=str(exc))


class ModemAccess:
    def __init__(
        self,
        db: Database,
        *,
        dispatcher: Callable[[], Dispatcher | None] | None = None,
        actor: str | None = None,
    ) -> None:
        """`dispatcher`: where the running service's dispatcher is found (read at each call: the service may
        start and stop between two operations); None: the service is never consulted."""
        self.db = db
        self.actor = actor
        self._dispatcher = dispatcher or (lambda: None)
        # Direct opens of one port, one at a time: a second open of a port fails like a busy one.
        self._ports: dict[str, threading.Lock] = {}
        self._ports_lock = threading.Lock()

    # -- the operations -------------------------------------------------------------------------

    def details(self, channel: str) -> ModemDetails:
        target = self._target(channel)
        live = self._live_link(target) is not None
        return self._with(target, lambda modem: _read_details(modem, target, live=live), ready=False)

    def enter_pin(self, channel: str, pin: str) -> None:
        """Unlock the SIM with the PIN the operator typed; it is kept in the keyring (never in the database)
        for the next start. A wrong PIN is never retried by the program."""
        pin = pin.strip()
        if not _PIN.fullmatch(pin):
            raise ValidationError("modem_access.bad_pin")
        target = self._target(channel)

        def unlock(modem: Modem) -> None:
            state = modem.sim_state()
            if state.ready:
                raise ValidationError("modem_access.pin_not_needed")
            if state.needs_puk:
                raise ModemAccessError("modem_access.failed", channel=target.name, detail=_text("needs_puk"))
            if state is not p.PinStatus.SIM_PIN:
                raise ModemAccessError(
                    "modem_access.failed", channel=target.name, detail=_text("no_sim", state=sim_text(state.value))
                )
            try:
                modem.enter_pin(pin)
            except CommandError as exc:
                if exc.kind == "cme" and exc.code in (16, 12):  # incorrect password; now needs the PUK
                    raise ModemAccessError(
                        "modem_access.failed", channel=target.name, detail=_text("wrong_pin")
                    ) from None
                raise

        link = self._live_link(target)
        if link is not None:
            try:
                link.run(unlock, ready=False)
            except ModemError as exc:
                raise self._error(target, exc) from None
            link.remember_pin(pin)  # the PIN the SIM took: used again after the modem reboots
        else:
            self._direct(target, unlock, ready=False, pin=None)
        set_pin(target.name, pin)
        with self.db.session() as s:
            audit.record(s, "channel.pin_entered", {"name": target.name}, actor=self.actor)

    def test_send(self, channel: str, number: str, text: str) -> TestSend:
        """One SMS through this channel to a number the operator typed (no delivery report is asked for: the
        message is not part of any campaign)."""
        phone = parse_phone(number).e164
        if not text.strip():
            raise ValidationError("modem_access.empty_text")
        target = self._target(channel)
        result = self._with(target, lambda modem: modem.send_sms(phone, text, status_report=False))
        with self.db.session() as s:
            audit.record(
                s,
                "channel.test_send",
                {"name": target.name, "phone": phone, "text": text, "parts": len(result.parts)},
                actor=self.actor,
            )
        return TestSend(target.name, phone, result.parts)

    def ussd(self, channel: str, code: str) -> str:
        """Send a USSD code (a balance query such as *100#) and return the network's answer as text."""
        code = code.strip()
        if not _USSD.fullmatch(code):
            raise ValidationError("modem_access.bad_ussd")
        target = self._target(channel)
        return self._with(target, lambda modem: modem.ussd(code))

    # -- plumbing -------------------------------------------------------------------------------

    def _target(self, channel: str) -> _Target:
        with self.db.reader() as s:
            row = s.execute(select(Channel).where(Channel.name == channel)).scalar()
            if row is None:
                raise NotFoundError("channel.not_found", name=channel)
            if row.kind != ChannelKind.MODEM.value:
                raise ValidationError("modem_access.not_modem", channel=channel)
            config = dict(row.config or {})
            return _Target(
                row.id, row.name, str(config.get("url", "")), bool(config.get("demo")), modem_options(config)
            )

    def _live_link(self, target: _Target) -> ModemLink | None:
        dispatcher = self._dispatcher()
        if dispatcher is None:
            return None
        for worker in dispatcher.workers:
            if worker.channel_id == target.id and isinstance(worker.link, ModemLink):
                return worker.link
        return None

    def _with(self, target: _Target, operation: Callable[[Modem], T], *, ready: bool = True) -> T:
        link = self._live_link(target)
        if link is None:
            pin = None if target.demo else pin_for(target.name)
            return self._direct(target, operation, ready=ready, pin=pin)
        try:
            return link.run(operation, ready=ready)
        except ModemError as exc:
            raise self._error(target, exc) from None

    def _direct(self, target: _Target, operation: Callable[[Modem], T], *, ready: bool, pin: str | None) -> T:
        with self._ports_lock:
            port_lock = self._ports.setdefault(target.url, threading.Lock())
        with port_lock:
            try:
                modem = Modem.open(target.url, pin=pin, initialise=False, options=target.options)
            except ModemError as exc:
                raise self._error(target, exc) from None
            try:
                try:
                    modem.initialise()
                except SimNotReady as exc:
                    if pin and (exc.state.needs_pin or exc.state.needs_puk):
                        # The one automatic attempt is spent and the SIM refused it: never again.
                        forget_pin(target.name)
                    if ready:
                        raise
                return operation(modem)
            except ModemError as exc:
                raise self._error(target, exc) from None
            finally:
                with contextlib.suppress(ModemError):
                    modem.close()

    def _error(self, target: _Target, exc: ModemError) -> ModemAccessError:
        log.info("modem channel %s: %s", target.name, exc)
        return ModemAccessError("modem_access.failed", channel=target.name, detail=describe(exc))


def _text(key: str, **params: object) -> str:
    return messages.text(f"modem_access.{key}", **params)


def _ask(modem: Modem, command: str, parse: Callable[[p.Lines], str]) -> str | None:
    """One identity question that needs no SIM (the library's identify() first wants the SIM ready)."""
    try:
        return parse(modem.channel.command(command).lines)
    except (CommandError, CommandTimeout, ValueError):
        return None


def _read_details(modem: Modem, target: _Target, *, live: bool) -> ModemDetails:
    state = modem.sim_state()
    values: dict[str, object] = {"channel": target.name, "url": target.url, "live": live, "sim_state": state.value}
    if state.ready:
        info = modem.identify()
        values.update(info.__dict__)
        with contextlib.suppress(CommandError, CommandTimeout, ValueError):
            values["smsc"] = modem.smsc().number
    else:
        # A locked SIM hides the IMSI, ICCID and number; the device still says what it is.
        values["manufacturer"] = _ask(modem, "AT+CGMI", p.parse_identity)
        values["model"] = _ask(modem, "AT+CGMM", p.parse_identity)
        values["revision"] = _ask(modem, "AT+CGMR", p.parse_identity)
        values["imei"] = _ask(modem, "AT+CGSN", p.parse_imei)
    with contextlib.suppress(CommandError, CommandTimeout, ValueError):
        signal = modem.signal()
        values["bars"], values["dbm"] = signal.bars, signal.dbm
    with contextlib.suppress(CommandError, CommandTimeout, ValueError):
        registration = modem.registration()
        values["registration"], values["registered"] = registration.stat.name, registration.registered
    with contextlib.suppress(CommandError, CommandTimeout, ValueError):
        values["operator"] = modem.operator().name
    return ModemDetails(**values)  # type: ignore[arg-type]
