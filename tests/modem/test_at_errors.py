"""Error tables: every code has a Chinese and an English text and a retry class."""

from __future__ import annotations

import pytest

from modem.errors import (
    CME_ERRORS,
    CMS_ERRORS,
    ChannelClosed,
    CommandError,
    CommandTimeout,
    ModemError,
    PortGone,
    PortUnavailable,
    ReplyParseError,
    RetryClass,
    classify,
    code_from_text,
)

R, P, A = RetryClass.RETRY_LATER, RetryClass.PERMANENT, RetryClass.NEEDS_ATTENTION

# TS 27.005 §3.2.5 names these explicitly; TS 27.007 §9.2.1 the general CME codes.
CMS_SPEC = [
    300,
    301,
    302,
    303,
    304,
    305,
    310,
    311,
    312,
    313,
    314,
    315,
    316,
    317,
    318,
    320,
    321,
    322,
    330,
    331,
    332,
    340,
    500,
]
CME_SPEC = [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    10,
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    20,
    21,
    22,
    23,
    24,
    25,
    26,
    27,
    30,
    31,
    32,
    40,
    41,
    42,
    43,
    44,
    45,
    46,
    47,
    100,
]


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize(("kind", "table", "codes"), [("cms", CMS_ERRORS, CMS_SPEC), ("cme", CME_ERRORS, CME_SPEC)])
def test_spec_codes_all_present_with_both_languages(kind: str, table: dict, codes: list[int]) -> None:
    assert set(codes) <= set(table)
    for code, info in table.items():
        assert _has_cjk(info.zh), (kind, code)
        assert info.en and info.en.isascii(), (kind, code)
        assert isinstance(info.retry, RetryClass)


@pytest.mark.parametrize(
    ("kind", "code", "retry"),
    [
        ("cms", 500, R),
        ("cms", 38, R),
        ("cms", 330, R),
        ("cms", 515, R),
        ("cme", 14, R),
        ("cms", 331, R),
        ("cms", 332, R),
        ("cms", 314, R),
        ("cms", 42, R),
        ("cms", 192, R),
        ("cms", 304, P),
        ("cms", 305, P),
        ("cms", 21, P),
        ("cms", 1, P),
        ("cms", 28, P),
        ("cms", 30, P),
        ("cms", 195, P),
        ("cms", 196, P),
        ("cms", 311, A),
        ("cms", 313, A),
        ("cms", 310, A),
        ("cms", 316, A),
        ("cme", 10, A),
        ("cme", 11, A),
        ("cme", 12, A),
        ("cme", 13, A),
        ("cms", 8, A),
        ("cms", 50, A),
    ],
)
def test_retry_classes(kind: str, code: int, retry: RetryClass) -> None:
    got, zh, en = classify(kind, code)  # type: ignore[arg-type]
    assert got is retry
    assert zh and en


@pytest.mark.parametrize(
    ("kind", "text", "code"),
    [
        ("cme", "SIM PIN required", 11),
        ("cme", "SIM not inserted", 10),
        ("cme", "SIM busy", 14),
        ("cme", "incorrect password", 16),
        ("cme", "operation not allowed", 3),
        ("cme", "invalid index", 21),
        ("cme", "no network service", 30),
        ("cme", "Unknown error", 100),
        ("cme", "SIM failure", 13),
        ("cms", "unknown error", 500),
        ("cms", "SMSC address unknown", 330),
        ("cms", "invalid PDU mode parameter", 304),
        ("cms", "SIM not ready", 512),
        ("cms", "  Network   timeout ", 332),
        ("cms", "330", 330),
    ],
)
def test_text_codes_of_cmee_2(kind: str, text: str, code: int) -> None:
    assert code_from_text(kind, text) == code  # type: ignore[arg-type]


def test_unknown_codes_get_a_generic_message() -> None:
    assert classify("cms", 77) == (R, "网络拒绝(原因 77)", "rejected by the network (cause 77)")
    assert classify("cms", 200)[0] is R
    retry, zh, en = classify("cms", 600)
    assert retry is R and "600" in zh and "manufacturer" in en
    retry, zh, en = classify("cme", "Something odd")
    assert retry is R and "Something odd" in zh and "Something odd" in en
    assert classify("cme", None)[0] is R


@pytest.mark.parametrize(
    ("final", "kind", "code", "retry"),
    [
        ("+CMS ERROR: 330", "cms", 330, R),
        ("+CMS ERROR: 304", "cms", 304, P),
        ("+CME ERROR: 11", "cme", 11, A),
        ("+CME ERROR: SIM PIN required", "cme", 11, A),
        ('+CME ERROR: "SIM busy"', "cme", 14, R),
        ("+CMS ERROR:500", "cms", 500, R),
        ("ERROR", "plain", None, R),
        ("COMMAND NOT SUPPORT", "plain", None, P),
        ("NO CARRIER", "plain", None, R),
    ],
)
def test_command_error_from_final(final: str, kind: str, code: int | None, retry: RetryClass) -> None:
    err = CommandError.from_final("AT+CMGS=23", final, ["+CMGS?"])
    assert (err.kind, err.code, err.retry_class) == (kind, code, retry)
    assert err.final == final and err.command == "AT+CMGS=23" and err.lines == ("+CMGS?",)
    assert err.message_zh and err.message_en in str(err)


def test_unknown_text_code_is_kept() -> None:
    err = CommandError.from_final("AT+CMGS=23", "+CMS ERROR: modem on fire")
    assert err.code is None and err.code_text == "modem on fire"
    assert "modem on fire" in err.message_en


def test_hierarchy() -> None:
    for exc in (
        CommandError.from_final("AT", "ERROR"),
        CommandTimeout("AT", 1.0, ["x"]),
        PortGone("COM3"),
        PortUnavailable("COM3"),
        ChannelClosed("closed"),
        ReplyParseError("+CSQ", []),
    ):
        assert isinstance(exc, ModemError)
    assert isinstance(ReplyParseError("+CSQ", []), ValueError)
    timeout = CommandTimeout("AT+CSQ", 2.0, ["+CSQ: 1"])
    assert timeout.received == ("+CSQ: 1",) and "AT+CSQ" in str(timeout) and "2 s" in str(timeout)
    cause = OSError(5, "Input/output error")
    gone = PortGone("/dev/ttyUSB0", cause)
    assert gone.cause is cause and "/dev/ttyUSB0" in str(gone)
