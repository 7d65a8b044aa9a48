"""The classifier alone: which lines are unsolicited, in which context."""

from __future__ import annotations

import pytest

from modem.at.unsolicited import (
    Unsolicited,
    UrcKind,
    classify_line,
    is_final,
    own_reply_prefix,
    prefix_of,
    registration_line_is_reply,
    reply_prefix,
)


@pytest.mark.parametrize(
    ("line", "kind", "needs_body"),
    [
        ('+CMTI: "SM",3', UrcKind.NEW_SMS_INDEX, False),
        ("+CMT: ,24", UrcKind.NEW_SMS, True),
        ('+CMT: "+8613800138000",,"24/01/02,10:00:00+32"', UrcKind.NEW_SMS, True),
        ("+CDS: 25", UrcKind.STATUS_REPORT, True),
        (
            '+CDS: 6,46,"+8613800138000",145,"24/01/02,10:00:00+32","24/01/02,10:00:05+32",0',
            UrcKind.STATUS_REPORT,
            False,
        ),
        ('+CDSI: "SR",1', UrcKind.STATUS_REPORT_INDEX, False),
        ('+CUSD: 0,"Balance",15', UrcKind.USSD, False),
        ("RING", UrcKind.RING, False),
        ("+CRING: VOICE", UrcKind.RING, False),
        ('+CLIP: "13800138000",129,,,,0', UrcKind.CALLER_ID, False),
        ("+CREG: 1", UrcKind.REGISTRATION, False),
        ('+CGREG: 1,"5E25","605F",7', UrcKind.REGISTRATION, False),
        ("^RSSI:17", UrcKind.SIGNAL, False),
        ("^RSSI: 17", UrcKind.SIGNAL, False),
        ("^BOOT:20728142,0,0,0,75", UrcKind.READY, False),
        ("^MODE:5,4", UrcKind.NETWORK_MODE, False),
        ("^SRVST:2", UrcKind.NETWORK_MODE, False),
        ("^SIMST:1", UrcKind.SIM_STATE, False),
        ('^HCSQ:"LTE",45,40,150,31', UrcKind.SIGNAL, False),
        (
            "^DSFLOWRPT:00000052,00000000,00000000,0000000000000000,0000000000000000,0003E800,0003E800",
            UrcKind.DATA_FLOW,
            False,
        ),
        ("+ZSTAT: 7,1", UrcKind.SIM_STATE, False),
        ("Call Ready", UrcKind.READY, False),
        ("SMS Ready", UrcKind.READY, False),
        ("CALL READY", UrcKind.READY, False),
        ("RDY", UrcKind.READY, False),
        ("+CPIN: READY", UrcKind.SIM_STATE, False),
        ("+CIEV: 1,3", UrcKind.INDICATOR, False),
        ("+CFUN: 1", UrcKind.READY, False),
        ("NO CARRIER", UrcKind.CALL_ENDED, False),
        ("SOMETHING ELSE", UrcKind.UNKNOWN, False),
    ],
)
def test_urcs_outside_a_command(line: str, kind: UrcKind, needs_body: bool) -> None:
    verdict = classify_line(line)
    assert verdict.urc is kind
    assert verdict.needs_body is needs_body


@pytest.mark.parametrize(
    "line", ['+CMTI: "SM",3', "^RSSI:17", '+CUSD: 2,"Initiating Release",15', "RING", "SMS Ready", "+CIEV: 2,5"]
)
def test_urcs_stay_urcs_during_any_command(line: str) -> None:
    assert classify_line(line, 'AT+CUSD=1,"*100#",15').urc is not None
    assert classify_line(line, "AT+CMGL=4").urc is not None


@pytest.mark.parametrize("line", ["+CMGL: 1,1,,24", "0791448720003023", "Quectel", "+CSQ: 18,99"])
def test_reply_lines_during_a_command(line: str) -> None:
    assert classify_line(line, "AT+CSQ").urc is None


@pytest.mark.parametrize("line", ["NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE"])
def test_call_finals_end_only_call_commands(line: str) -> None:
    for call in ("ATD10086;", "ATA", "atd13800138000;"):
        assert is_final(line, call)
    assert not is_final(line, "AT+CMGS=23")
    assert classify_line(line, "AT+CMGS=23").urc is UrcKind.CALL_ENDED
    assert is_final(line)


@pytest.mark.parametrize(
    ("line", "is_reply"),
    [
        ("+CREG: 0,1", True),
        ("+CREG: 2,1,4CA,81DE445", True),
        ('+CREG: 0,1,"5E25","605F"', True),
        ('+CREG: 2,5,"2AF5","0B88E350",2', True),
        ('+CREG: 2,1,"5E25', True),  # closing quote and <ci> missing (gammu at-creg-corner)
        ('+CREG: 2,1,"0B,"0100701",7', True),
        ("+CREG: 1", False),
        ('+CREG: 1,"5E25","605F"', False),
        ('+CREG: 5,"5E25","605F",7', False),
        ('+CEREG: 1,"1A2B","01A2B3C4",7', False),
    ],
)
def test_registration_reply_or_urc(line: str, is_reply: bool) -> None:
    assert registration_line_is_reply(line) is is_reply
    assert (classify_line(line, "AT+CREG?").urc is None) is (is_reply and line.startswith("+CREG"))


def test_registration_second_line_is_a_urc() -> None:
    assert classify_line("+CREG: 0,1", "AT+CREG?", reply_seen=False).urc is None
    assert classify_line("+CREG: 0,1", "AT+CREG?", reply_seen=True).urc is UrcKind.REGISTRATION
    # a set command has no +CREG reply line: anything with the prefix is a URC
    assert classify_line("+CREG: 0,1", "AT+CREG=2").urc is UrcKind.REGISTRATION
    assert classify_line("+CGREG: 0,1", "AT+CREG?").urc is UrcKind.REGISTRATION


def test_cpin_reply_only_to_its_query() -> None:
    assert classify_line("+CPIN: READY", "AT+CPIN?").urc is None
    assert classify_line("+CPIN: READY", "AT+CSQ").urc is UrcKind.SIM_STATE
    assert classify_line("+CPIN: READY", "AT+CPIN?", reply_seen=True).urc is UrcKind.SIM_STATE


@pytest.mark.parametrize(
    "line",
    [
        "OK",
        "ERROR",
        "+CME ERROR: 10",
        "+CMS ERROR: 500",
        "+CME ERROR: SIM busy",
        "COMMAND NOT SUPPORT",
        "NO CARRIER",
        "NO DIALTONE",
        "BUSY",
        "NO ANSWER",
        "CONNECT",
        "CONNECT 115200",
        "ok",
    ],
)
def test_finals(line: str) -> None:
    assert is_final(line)


@pytest.mark.parametrize("line", ["+CMGS: 12", "OKAY", "ERRORS", "+CSCSERROR", "RING", "> "])
def test_not_finals(line: str) -> None:
    assert not is_final(line)


def test_prefixes() -> None:
    assert prefix_of('+CMTI: "SM",1') == "+CMTI"
    assert prefix_of("^RSSI:17") == "^RSSI"
    assert prefix_of("+cmt: ,24") == "+CMT"
    assert reply_prefix("AT+CREG?") == "+CREG"
    assert reply_prefix("at^iccid?") == "^ICCID"
    assert reply_prefix("ATI") is None
    assert Unsolicited(UrcKind.USSD, "+CUSD", '+CUSD: 0,"x",15').args == '0,"x",15'
    assert Unsolicited(UrcKind.RING, "RING", "RING").args == ""


def test_own_reply_prefix_only_where_no_urc_shares_it() -> None:
    assert own_reply_prefix("AT+CMGS=23") == "+CMGS"
    assert own_reply_prefix("at^iccid?") == "^ICCID"
    assert own_reply_prefix("AT+CREG?") is None  # +CREG lines may be URCs
    assert own_reply_prefix("AT+CSQ") is None
    assert own_reply_prefix('AT+CUSD=1,"*100#",15') is None  # +CUSD always is one
    assert own_reply_prefix("ATI") is None
    assert own_reply_prefix("AT*PSUTTZ?") is None  # *PSUTTZ is a time-zone URC


@pytest.mark.parametrize(
    "command", ["AT+CMGS=23", "AT+CMGW=40", "AT+CMGR=3", "AT+CMGL=4", "AT^ICCID?", "AT+CSCA?", "AT#CCID", "AT+CGSN"]
)
def test_lines_with_the_own_reply_prefix_are_reply_lines(command: str) -> None:
    """The channel skips classify_line for these: it must agree, whatever follows the prefix."""
    prefix = own_reply_prefix(command)
    assert prefix is not None
    for rest in ["", ":", ": 12", " : 3,4", ': "SM",1', ":RING", ": OK"]:
        for seen in (False, True):
            verdict = classify_line(prefix + rest, command, seen)
            assert verdict.urc is None and verdict.name == prefix, (prefix + rest, seen)
