"""Real modem replies (gammu and python-gsmmodem test data) pushed byte for byte through a scripted
serial port, the AT channel, and then the reply parsers.

tests/modem/data/at_replies.json holds the raw bytes (as Latin-1 strings) and what we expect of
them; its `about` field names the origin and licence of each group.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from modem.at import ATChannel, Unsolicited, UrcKind
from modem.at import parsers as p
from modem.errors import ReplyParseError
from tests.modem.scripted_port import ModemScript

DATA = json.loads((Path(__file__).parent / "data" / "at_replies.json").read_text(encoding="utf-8"))
ENTRIES: list[dict[str, Any]] = DATA["entries"]


def _raw(entry: dict[str, Any]) -> bytes:
    return entry["raw"].encode("latin-1")


def _check_fields(value: object, expect: dict[str, Any]) -> None:
    for key, wanted in expect.items():
        if key in ("error", "left_to_codec"):
            continue
        if key.endswith("_startswith"):
            assert getattr(value, key.removesuffix("_startswith")).startswith(wanted)
        elif key.endswith("_endswith"):
            assert getattr(value, key.removesuffix("_endswith")).endswith(wanted)
        elif key == "body_lines":
            assert len(value.body.split("\n")) == wanted  # type: ignore[attr-defined]
        else:
            got = getattr(value, key)
            assert got == wanted, f"{key}: {got!r} != {wanted!r}"


def _creg(lines: tuple[str, ...], expect: dict[str, Any]) -> None:
    reg = p.parse_creg(lines)
    _check_fields(reg, {k: v for k, v in expect.items() if k != "stat"})
    assert int(reg.stat) == expect["stat"]


def _cpbr(lines: tuple[str, ...], expect: dict[str, Any]) -> None:
    entries = p.parse_cpbr(lines)
    assert len(entries) == 1
    _check_fields(entries[0], expect)


def _cmgr_pdu(lines: tuple[str, ...], expect: dict[str, Any]) -> None:
    msg = p.parse_cmgr(lines)
    assert isinstance(msg, p.PduMessage)
    _check_fields(msg, expect)
    assert msg.octets  # whole octets of hex


def _cmgr_text(lines: tuple[str, ...], expect: dict[str, Any]) -> None:
    msg = p.parse_cmgr(lines)
    assert isinstance(msg, p.TextMessage)
    _check_fields(msg, expect)
    if msg.timestamp and "+" in msg.timestamp:
        assert p.parse_scts(msg.timestamp) is not None


def _identity(lines: tuple[str, ...], expect: dict[str, Any]) -> None:
    assert p.parse_identity(lines) == expect["value"]


CHECKS: dict[str, Callable[[tuple[str, ...], dict[str, Any]], None]] = {
    "creg": _creg,
    "cpms_supported": lambda lines, e: _eq([list(g) for g in p.parse_cpms_supported(lines)], e["value"]),
    "csca": lambda lines, e: _check_fields(p.parse_csca(lines), e),
    "cnmi_ranges": lambda lines, e: _eq([sorted(r) for r in p.parse_ranges(lines, "+CNMI")], e["value"]),
    "model": lambda lines, e: _eq(p.parse_identity(lines, key="Model"), e["value"]),
    "cscs": lambda lines, e: _eq(p.parse_cscs(lines), e["value"]),
    "cscs_supported": lambda lines, e: _eq(p.parse_cscs_supported(lines), e["value"]),
    "cpbr": _cpbr,
    "cmgr_pdu": _cmgr_pdu,
    "cmgr_text": _cmgr_text,
    "csq": lambda lines, e: _check_fields(p.parse_csq(lines), e),
    "cops": lambda lines, e: _check_fields(p.parse_cops(lines), e),
    "clac": lambda lines, e: _eq(p.parse_clac(lines), e["value"]),
    "identity": _identity,
}


def _eq(got: object, wanted: object) -> None:
    assert got == wanted


def _check(parser: str, lines: tuple[str, ...], expect: dict[str, Any]) -> None:
    if "error" in expect:
        with pytest.raises(ReplyParseError):
            CHECKS[parser](lines, expect)
    else:
        CHECKS[parser](lines, expect)


def _ids(entries: list[dict[str, Any]]) -> list[str]:
    return [e["id"] for e in entries]


COMMAND_ENTRIES = [e for e in ENTRIES if e["parser"] in CHECKS]
USSD_URCS = [e for e in ENTRIES if e["parser"] == "cusd"]
USSD_EXCHANGES = [e for e in ENTRIES if e["parser"] == "ussd_exchange"]
PROMPT_SENDS = [e for e in ENTRIES if e["parser"] == "cmgs_prompt"]


def test_every_entry_is_used() -> None:
    used = len(COMMAND_ENTRIES) + len(USSD_URCS) + len(USSD_EXCHANGES) + len(PROMPT_SENDS)
    assert used == len(ENTRIES)
    # the folders the issue names are all represented
    folders = {e["id"].rsplit("/", 1)[0] for e in ENTRIES}
    for folder in (
        "gammu/at-creg",
        "gammu/at-creg-corner",
        "gammu/at-cpms",
        "gammu/at-cpms-sm",
        "gammu/at-cpms-sr",
        "gammu/at-smsc",
        "gammu/at-smsc-failing",
        "gammu/at-ussd",
        "gammu/at-cnmi",
        "gammu/at-model",
        "gammu/at-getmemory",
        "gammu/at-cscs-huawei",
        "gammu/at-sms",
        "gammu/at-sms-failing",
        "gammu/at-sms-txt",
        "gammu/at-sms-txt-detail",
    ):
        assert folder in folders


@pytest.mark.parametrize("entry", COMMAND_ENTRIES, ids=_ids(COMMAND_ENTRIES))
@pytest.mark.parametrize("chunking", ["whole", "bytewise"])
def test_real_reply_through_channel(entry: dict[str, Any], chunking: str) -> None:
    raw = _raw(entry)
    # bytewise: every byte in its own read(), the worst case of partial lines
    chunks = [raw] if chunking == "whole" else [raw[i : i + 1] for i in range(len(raw))]
    script = ModemScript()
    script.on(entry["command"], *chunks)
    urcs: list[Unsolicited] = []
    with ATChannel.open(script.url, default_timeout=5) as at:
        at.subscribe(urcs.append)
        reply = at.command(entry["command"])
    assert reply.final == "OK"
    assert script.commands == [entry["command"]]
    assert not any(line.upper().startswith(entry["command"].upper()) for line in reply.lines)  # echo gone
    _check(entry["parser"], reply.lines, entry["expect"])


@pytest.mark.parametrize("entry", USSD_URCS, ids=_ids(USSD_URCS))
def test_real_ussd_urc(entry: dict[str, Any]) -> None:
    script = ModemScript()
    got: list[Unsolicited] = []
    arrived = threading.Event()

    def on_urc(urc: Unsolicited) -> None:
        got.append(urc)
        arrived.set()

    with ATChannel.open(script.url) as at:
        at.subscribe(on_urc)
        raw = _raw(entry)
        script.inject(raw if raw.endswith(b"\n") else raw + b"\r\n")
        assert arrived.wait(2)
    assert [u.kind for u in got] == [UrcKind.USSD]
    ussd = p.parse_cusd(got[0].line)
    expect = entry["expect"]
    assert ussd.status == expect["status"]
    assert ussd.dcs == expect["dcs"]
    text = p.decode_ussd(ussd)
    assert text is not None
    if "text" in expect:
        assert text == expect["text"]
    else:
        assert text.startswith(expect["text_startswith"])
        assert text.endswith(expect["text_endswith"])


@pytest.mark.parametrize("entry", USSD_EXCHANGES, ids=_ids(USSD_EXCHANGES))
def test_real_ussd_exchange(entry: dict[str, Any]) -> None:
    """+CUSD lines before or after OK, with "Initiating Release" first and stray lines around."""
    script = ModemScript()
    script.on(entry["command"], _raw(entry))
    wanted = entry["expect"]["final_text"]
    seen: list[p.Ussd] = []
    done = threading.Event()

    def on_urc(urc: Unsolicited) -> None:
        if urc.kind is UrcKind.USSD:
            ussd = p.parse_cusd(urc.line)
            seen.append(ussd)
            if ussd.text == wanted:
                done.set()

    with ATChannel.open(script.url) as at:
        at.subscribe(on_urc)
        reply = at.command(entry["command"])
        assert done.wait(2)
    assert reply.ok
    assert not any(line.startswith("+CUSD") for line in reply.lines)
    assert seen[-1].text == wanted
    assert p.decode_ussd(seen[-1]) == wanted


@pytest.mark.parametrize("entry", PROMPT_SENDS, ids=_ids(PROMPT_SENDS))
@pytest.mark.parametrize("echo", [False, True])
def test_real_cmgs_with_prompt(entry: dict[str, Any], echo: bool) -> None:
    expect = entry["expect"]
    script = ModemScript(echo=echo)
    script.on(entry["command"], _raw(entry))
    script.on_payload(expect["reply"].encode("ascii"))
    with ATChannel.open(script.url) as at:
        reply = at.send_with_prompt(entry["command"], expect["payload"])
    assert script.payloads == [expect["payload"].encode("ascii")]
    assert script.written.endswith(expect["payload"].encode("ascii") + b"\x1a")
    assert reply.lines == (f"+CMGS: {expect['mr']}",)
    assert p.parse_cmgs(reply.lines) == expect["mr"]
