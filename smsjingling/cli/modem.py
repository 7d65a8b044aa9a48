"""`modem` commands: find, inspect and use a GSM modem from the terminal (or the simulated one)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from modem.device import Modem
from modem.discovery import discover
from modem.errors import CommandError, ModemError
from smsjingling import messages
from smsjingling.cli.output import table
from smsjingling.errors import UserError
from smsjingling.phones import parse_phone

messages.register(
    {
        "modem.error": ("调制解调器 {port}：{detail}", "Modem {port}: {detail}"),
        "modem.scan_headers": ("端口|状态|波特率|型号|可收发短信", "Port|Status|Baud|Model|SMS"),
        "modem.none_found": ("没有找到短信猫。", "No modem found."),
        "modem.sent": ("已发送 {parts} 条（TP-MR：{mrs}）", "Sent in {parts} part(s) (TP-MR: {mrs})"),
        "modem.inbox_empty": ("没有短信。", "No messages."),
        "modem.info": (
            "厂商|型号|版本|IMEI|IMSI|ICCID|本机号码|SIM 卡|信号|注册|运营商|短信中心",
            "Manufacturer|Model|Revision|IMEI|IMSI|ICCID|Own number|SIM|Signal|Registration|Operator|SMSC",
        ),
    }
)


class ModemCommandError(UserError):
    """A modem error, worded for the terminal in the user's language."""


def register(commands: argparse._SubParsersAction) -> None:
    m = commands.add_parser("modem", help="GSM modems / 短信猫")
    sub = m.add_subparsers(dest="action", required=True, metavar="ACTION")

    p = sub.add_parser("scan", help="find modems on the serial ports")
    p.add_argument("ports", nargs="*", help="ports or URLs to probe (default: every serial port)")
    p.set_defaults(handler=_scan)

    for name, help_text in (("info", "identify a modem and its SIM"), ("inbox", "list stored messages")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("port")
        p.add_argument("--pin", help="SIM PIN, tried once")
        p.set_defaults(handler=_info if name == "info" else _inbox)

    p = sub.add_parser("send", help="send one SMS")
    p.add_argument("port")
    p.add_argument("number")
    p.add_argument("text")
    p.add_argument("--pin")
    p.add_argument("--no-report", action="store_true", help="do not request a delivery report")
    p.set_defaults(handler=_send)

    p = sub.add_parser("ussd", help="send a USSD code, e.g. a balance query")
    p.add_argument("port")
    p.add_argument("code")
    p.add_argument("--pin")
    p.set_defaults(handler=_ussd)

    p = sub.add_parser("sim", help="run the simulated modem (on a pseudo-terminal with --pty)")
    p.add_argument("url", nargs="?", default="sim://pty")
    p.add_argument("--pty", action="store_true")
    p.set_defaults(handler=_sim)


@contextmanager
def _modem(args: argparse.Namespace) -> Iterator[Modem]:
    try:
        device = Modem.open(args.port, pin=args.pin)
    except ModemError as exc:
        raise _user_error(args.port, exc) from exc
    try:
        yield device
    except ModemError as exc:
        raise _user_error(args.port, exc) from exc
    finally:
        device.close()


def _user_error(port: str, exc: ModemError) -> ModemCommandError:
    if isinstance(exc, CommandError):
        detail = exc.message_en if messages.current_language() == "en" else exc.message_zh
    else:
        detail = str(exc)
    return ModemCommandError("modem.error", port=port, detail=detail)


def _scan(args: argparse.Namespace) -> int:
    report = discover(args.ports or None)
    rows = [
        (
            r.candidate.name,
            r.status.value,
            r.baudrate or "",
            " ".join(filter(None, (r.manufacturer, r.model))),
            "✓" if r.sms and r in report.modems else "",
        )
        for r in report.results
    ]
    if rows:
        table(messages.text("modem.scan_headers").split("|"), rows)
    if not report.modems:
        print(messages.text("modem.none_found"))
    return 0


def _info(args: argparse.Namespace) -> int:
    with _modem(args) as device:
        info = device.identify()
        signal = device.signal()
        registration = device.registration()
        values = [
            info.manufacturer,
            info.model,
            info.revision,
            info.imei,
            info.imsi,
            info.iccid,
            info.own_number,
            device.sim_state().name,
            f"{signal.bars}/5 ({signal.dbm} dBm)" if signal.dbm is not None else f"{signal.bars}/5",
            registration.stat.name,
            device.operator().name,
            device.smsc().number,
        ]
    for label, value in zip(messages.text("modem.info").split("|"), values, strict=True):
        print(f"{label}: {value or ''}")
    return 0


def _send(args: argparse.Namespace) -> int:
    number = parse_phone(args.number).e164
    with _modem(args) as device:
        result = device.send_sms(number, args.text, status_report=not args.no_report)
    print(messages.text("modem.sent", parts=len(result.parts), mrs=", ".join(map(str, result.parts))))
    return 0


def _inbox(args: argparse.Namespace) -> int:
    with _modem(args) as device:
        stored = device.list_messages()
    if not stored:
        print(messages.text("modem.inbox_empty"))
    for item in stored:
        message = item.message
        sender = getattr(message, "sender", None) or getattr(message, "recipient", "")
        when = getattr(message, "timestamp", None)
        text = getattr(message, "text", None) or item.error or ""
        print(f"[{item.memory} {item.index}] {sender} {when or ''}\n  {text}")
    return 0


def _ussd(args: argparse.Namespace) -> int:
    with _modem(args) as device:
        print(device.ussd(args.code))
    return 0


def _sim(args: argparse.Namespace) -> int:
    from modem.sim.__main__ import main as sim_main

    return sim_main([args.url, *(["--pty"] if args.pty else [])])
