"""`smsjingling gateway-sim`: the simulated vendor gateway on this computer, until Ctrl-C.

It serves plain HTTP on 127.0.0.1 only (the real gateway is HTTPS; the adapter accepts http:// for loopback
addresses alone) and says on every line it prints that it is a simulation: no SMS leaves it.
"""

from __future__ import annotations

import argparse
import secrets
import signal
import threading
from decimal import Decimal, InvalidOperation

from smsjingling import messages
from smsjingling.gateway.keys import GatewayKeyMissing, load_key, store_key
from smsjingling.gateway.sim import GatewaySim

messages.register(
    {
        "gwsim.banner": (
            "【模拟】短信网关已启动，不会发出任何真实短信：{url}",
            "[SIMULATED] SMS gateway running; no real SMS leaves it: {url}",
        ),
        "gwsim.account": (
            "【模拟】账号 {account}：余额 {balance} 元，每条（每段）{price} 分，每次最多 {batch} 个号码",
            "[SIMULATED] account {account}: balance {balance} yuan, {price} fen a segment, {batch} numbers a request",
        ),
        "gwsim.key": ("【模拟】账号密钥：{key}", "[SIMULATED] account key: {key}"),
        "gwsim.key_in_keyring": (
            "【模拟】账号密钥在系统钥匙串中，通道 {channel}",
            "[SIMULATED] the account key is in the system keyring, channel {channel}",
        ),
        "gwsim.stop_hint": ("按 Ctrl-C 停止。", "Press Ctrl-C to stop."),
        "gwsim.summary": (
            "【模拟】已受理 {accepted} 条（{segments} 段），扣费 {charged} 元，余额 {balance} 元",
            "[SIMULATED] accepted {accepted} messages ({segments} segments), charged {charged} yuan, "
            "balance {balance} yuan",
        ),
    }
)


def yuan_to_fen(text: str) -> int:
    try:
        fen = Decimal(text) * 100
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not an amount in yuan: {text}") from None
    if fen < 0 or fen != fen.to_integral_value():
        raise argparse.ArgumentTypeError(f"yuan with at most two decimals, not negative: {text}")
    return int(fen)


def fen_to_yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("a share between 0 and 1")
    return value


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("gateway-sim", help="run the simulated SMS gateway / 运行模拟短信网关")
    p.add_argument("--port", type=int, default=8780, help="port on 127.0.0.1 (0: any free port); default 8780")
    p.add_argument("--latency", type=float, default=0.0, metavar="S", help="seconds added to every answer")
    p.add_argument("--balance", type=yuan_to_fen, default=10_000, metavar="YUAN", help="opening balance (100)")
    p.add_argument("--price", type=int, default=5, metavar="FEN", help="price of one segment in fen (5)")
    p.add_argument("--account", default="demo", help="account id (demo)")
    p.add_argument("--key", help="account key (default: the one kept for --channel, else a new random key)")
    p.add_argument("--channel", help="keep the key in the system keyring for this gateway channel")
    p.add_argument("--max-batch", type=int, default=1000, metavar="N", help="numbers per request (1000)")
    p.add_argument("--rps", type=float, default=0.0, metavar="N", help="requests a second before HTTP 429 (no limit)")
    p.add_argument("--daily-max", type=int, default=0, metavar="N", help="messages a day (no limit)")
    p.add_argument("--report-delay", type=float, default=3.0, metavar="S", help="seconds to a delivery report (3)")
    p.add_argument(
        "--undeliverable", action="append", default=[], metavar="PHONE", help="a number reported undelivered"
    )
    p.add_argument("--error-rate", type=_rate, default=0.0, help="share of requests answered HTTP 500")
    p.add_argument("--timeout-rate", type=_rate, default=0.0, help="share done but never answered")
    p.add_argument("--malformed-rate", type=_rate, default=0.0, help="share done but answered with a cut-off body")
    p.add_argument("--seed", type=int, help="seed of the fault draws")
    p.set_defaults(handler=_run)


def _key(args: argparse.Namespace) -> tuple[str, bool]:
    """The key, and whether it may be printed (not when it lives in the keyring)."""
    if args.channel:
        if args.key:
            store_key(args.channel, args.key)
            return args.key, False
        try:
            return load_key(args.channel).reveal(), False
        except GatewayKeyMissing:
            key = secrets.token_urlsafe(24)
            store_key(args.channel, key)
            return key, False
    return args.key or secrets.token_urlsafe(24), True


def _run(args: argparse.Namespace) -> int:
    key, printable = _key(args)
    sim = GatewaySim(port=args.port, latency=args.latency, report_delay=args.report_delay, seed=args.seed)
    sim.add_account(
        args.account,
        key,
        balance_fen=args.balance,
        price_fen=args.price,
        max_batch=args.max_batch,
        requests_per_second=args.rps,
        daily_max=args.daily_max,
        undeliverable=args.undeliverable,
    )
    if args.error_rate or args.timeout_rate or args.malformed_rate:
        sim.set_fault_rates(error=args.error_rate, timeout=args.timeout_rate, malformed=args.malformed_rate)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    sim.start()
    try:
        print(messages.text("gwsim.banner", url=sim.url), flush=True)
        print(
            messages.text(
                "gwsim.account",
                account=args.account,
                balance=fen_to_yuan(args.balance),
                price=args.price,
                batch=args.max_batch,
            ),
            flush=True,
        )
        if printable:
            print(messages.text("gwsim.key", key=key), flush=True)
        else:
            print(messages.text("gwsim.key_in_keyring", channel=args.channel), flush=True)
        print(messages.text("gwsim.stop_hint"), flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    finally:
        sim.stop()
        signal.signal(signal.SIGTERM, previous)
    books = sim.books_of(args.account)
    print(
        messages.text(
            "gwsim.summary",
            accepted=len(books.accepted),
            segments=books.segments,
            charged=fen_to_yuan(books.charged_fen),
            balance=fen_to_yuan(books.balance_fen),
        ),
        flush=True,
    )
    return 0
