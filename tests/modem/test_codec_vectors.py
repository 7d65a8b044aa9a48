"""The codec against public test data from python-gsmmodem, smslib and Gammu (see tests/modem/data)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest

from modem.codec import (
    Address,
    Alphabet,
    Deliver,
    Message,
    PduError,
    Ports,
    StatusReport,
    Submit,
    TypeOfNumber,
    decode_pdu,
    encode_deliver,
    encode_submit,
    gsm7,
    reassemble_text,
    split_text,
)
from modem.codec.address import (
    decode_semi_octets,
    encode_address,
    encode_semi_octets,
    encode_smsc,
    read_address,
    read_smsc,
)
from modem.codec.reader import Reader
from modem.codec.timestamp import decode_relative_validity, decode_timestamp, encode_relative_validity, encode_timestamp
from modem.codec.udh import ConcatInfo, concat_element, parse_udh, ports_element

DATA = Path(__file__).parent / "data"


@cache
def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def pg(group: str) -> list:
    return load("python_gsmmodem_pdu.json")[group]


def summary(m: Message) -> dict:
    """The fields the data files record, in the same shape."""
    s: dict = {"type": type(m).__name__}
    if isinstance(m, Deliver):
        s["sender"] = m.sender.number
        s["timestamp"] = m.timestamp.isoformat()
    elif isinstance(m, Submit):
        s["recipient"] = m.recipient.number
        s["tp_mr"] = m.tp_mr
    else:
        s.update(recipient=m.recipient.number, tp_mr=m.tp_mr, status=m.status)
        s["sc_timestamp"] = m.sc_timestamp.isoformat()
        s["discharge_time"] = m.discharge_time.isoformat()
    s["smsc"] = m.smsc.number if m.smsc else None
    if m.text is not None:
        s["text"] = m.text
    if m.binary is not None:
        s["binary_hex"] = m.binary.hex().upper()
    if m.concat:
        s["concat"] = [m.concat.ref, m.concat.total, m.concat.seq, m.concat.ref_16bit]
    if m.ports:
        s["ports"] = [m.ports.destination, m.ports.source]
    if m.truncated:
        s["truncated"] = True
    return s


def pdu_from_cmgr(reply: str) -> str:
    """The line after '+CMGR:', without the quotes one phone wraps it in."""
    lines = [line.strip() for line in reply.splitlines()]
    header = next(i for i, line in enumerate(lines) if line.startswith("+CMGR:"))
    return lines[header + 1].strip('"')


# ---------------------------------------------------------------- python-gsmmodem


@pytest.mark.parametrize("case", pg("semi_octets"), ids=lambda c: c["digits"])
def test_semi_octets(case):
    assert encode_semi_octets(case["digits"]).hex().upper() == case["hex"]
    assert decode_semi_octets(bytes.fromhex(case["hex"])) == case["digits"]


@pytest.mark.parametrize("case", pg("gsm7"), ids=lambda c: c["text"] or "empty")
def test_gsm7(case):
    septets = gsm7.encode_septets(case["text"])
    assert septets.hex().upper() == case["septets_hex"]
    assert gsm7.pack(septets).hex().upper() == case["packed_hex"]
    assert gsm7.decode_septets(gsm7.unpack(bytes.fromhex(case["packed_hex"]), len(septets))) == case["text"]


@pytest.mark.parametrize("text", pg("gsm7_invalid"))
def test_gsm7_refuses_what_it_cannot_carry(text):
    with pytest.raises(ValueError, match="not in the GSM 7-bit alphabet"):
        gsm7.encode_septets(text)
    with pytest.raises(ValueError):
        encode_submit("+8613800138000", text, alphabet=Alphabet.GSM7)
    assert encode_submit("+8613800138000", text)[0].alphabet == Alphabet.UCS2


@pytest.mark.parametrize("case", pg("ucs2"), ids=lambda c: c["text"])
def test_ucs2(case):
    pdu = encode_submit("+8613800138000", case["text"])[0]
    assert pdu.alphabet == Alphabet.UCS2
    assert pdu.hex.endswith(f"{len(case['hex']) // 2:02X}{case['hex']}")


@pytest.mark.parametrize("case", pg("addresses"), ids=lambda c: c["input_hex"])
def test_address_fields(case):
    address = Address(case["number"], TypeOfNumber.NATIONAL) if case["ton"] else Address.parse(case["number"])
    assert encode_address(address).hex().upper() == case["encoded_hex"]
    reader = Reader(bytes.fromhex(case["input_hex"]))
    assert read_address(reader, "TP-OA").number == case["number"]
    assert reader.pos == case["octets"]


@pytest.mark.parametrize("case", pg("smsc"), ids=lambda c: c["input_hex"])
def test_smsc_fields(case):
    assert encode_smsc(case["number"]).hex().upper() == case["encoded_hex"]
    reader = Reader(bytes.fromhex(case["input_hex"]))
    smsc = read_smsc(reader)
    assert smsc is not None and smsc.number == case["number"]
    assert reader.pos == case["octets"]


@pytest.mark.parametrize("case", pg("relative_validity"), ids=lambda c: str(c["octet"]))
def test_relative_validity(case):
    period = timedelta(seconds=case["seconds"])
    assert encode_relative_validity(period) == case["octet"]
    assert decode_relative_validity(case["octet"]) == period


@pytest.mark.parametrize("case", pg("timestamps"), ids=lambda c: c["iso"])
def test_timestamps(case):
    moment = datetime.fromisoformat(case["iso"])
    assert encode_timestamp(moment).hex().upper() == case["hex"]
    assert decode_timestamp(bytes.fromhex(case["hex"]), 0) == moment
    assert decode_timestamp(bytes.fromhex(case["hex"]), 0).utcoffset() == moment.utcoffset()


@pytest.mark.parametrize("case", pg("tz"), ids=lambda c: c["octet_hex"])
def test_time_zone_octet(case):
    moment = decode_timestamp(bytes.fromhex("511172000000" + case["octet_hex"]), 0)
    assert moment.utcoffset() == timedelta(hours=case["hours"])


@pytest.mark.parametrize("case", pg("udh_concat"), ids=lambda c: c["hex"])
def test_udh_concat(case):
    info = ConcatInfo(case["ref"], case["total"], case["seq"], ref_16bit=case["ref"] > 255)
    element = concat_element(info)
    assert element.to_bytes().hex().upper() == case["hex"]
    assert parse_udh(bytes.fromhex(case["hex"]), 0).concat == info


@pytest.mark.parametrize("case", pg("udh_ports"), ids=lambda c: c["hex"])
def test_udh_ports(case):
    ports = Ports(case["destination"], case["source"], ports_16bit=case["hex"].startswith("05"))
    assert ports_element(ports).to_bytes().hex().upper() == case["hex"]
    assert parse_udh(bytes.fromhex(case["hex"]), 0).ports == ports


def _validity(case: dict) -> timedelta | datetime | None:
    if "validity_seconds" in case:
        return timedelta(seconds=case["validity_seconds"])
    if "validity_absolute" in case:
        return datetime.fromisoformat(case["validity_absolute"])
    return None


def _address(number: str | None, ton: str | None) -> str | Address | None:
    return Address(number, TypeOfNumber.NATIONAL) if number and ton == "national" else number


@pytest.mark.parametrize("case", pg("submit_encode"), ids=lambda c: c["text"])
def test_submit_encode(case):
    (pdu,) = encode_submit(
        _address(case["number"], case.get("number_ton")),
        case["text"],
        smsc=_address(case["smsc"], case.get("smsc_ton")),
        tp_mr=case["tp_mr"],
        validity=_validity(case),
        request_status_report=case["request_status_report"],
        reject_duplicates=case["reject_duplicates"],
    )
    assert pdu.hex == case["expected_pdu"]
    smsc_octets = int(case["expected_pdu"][:2], 16) + 1
    assert pdu.tpdu_length == len(case["expected_pdu"]) // 2 - smsc_octets
    decoded = decode_pdu(pdu.hex)
    assert isinstance(decoded, Submit)
    assert decoded.text == case["text"]
    assert decoded.status_report_requested == case["request_status_report"]
    assert decoded.reject_duplicates == case["reject_duplicates"]
    assert decoded.validity == _validity(case)


@pytest.mark.parametrize("case", pg("decode"), ids=lambda c: c["pdu"][:24])
def test_decode(case):
    message = decode_pdu(case["pdu"])
    got = summary(message)
    expected = dict(case["expected"])
    udh = expected.pop("udh", None)
    if udh is not None:
        assert message.udh is not None
        assert [[e.iei, e.data.hex().upper()] for e in message.udh.elements] == udh
    if "validity" in expected:
        validity = expected.pop("validity")
        assert isinstance(message, Submit)
        want = (
            timedelta(seconds=validity["seconds"]) if isinstance(validity, dict) else datetime.fromisoformat(validity)
        )
        assert message.validity == want
    if "pid" in expected:
        assert message.pid == expected.pop("pid")
    if message.binary is not None and "text" in expected:  # 8-bit data: see the data file's notes
        assert message.binary.decode("ascii") == expected.pop("text")
    for key, value in expected.items():
        assert got[key] == value, key


def test_concatenated_submit_encode():
    (case,) = pg("concat_encode")
    pdus = encode_submit(
        case["number"],
        case["text"],
        concat_ref=case["concat_ref"],
        request_status_report=case["request_status_report"],
        reject_duplicates=case["reject_duplicates"],
    )
    assert [p.hex for p in pdus] == case["expected_pdus"]
    assert reassemble_text([decode_pdu(p.hex) for p in reversed(pdus)]) == case["text"]


# ---------------------------------------------------------------- smslib


@pytest.mark.parametrize("case", load("smslib_pdu.json")["raw_pdus"], ids=lambda c: c["pdu"][:30])
def test_smslib_raw_pdus(case):
    assert summary(decode_pdu(case["pdu"])) == case["expected"]


def test_smslib_concatenated_deliveries_reassemble():
    parts = [decode_pdu(c["pdu"]) for c in load("smslib_pdu.json")["raw_pdus"] if c["group"] == "delivery - concat"]
    assert len(parts) == 3
    text = reassemble_text(parts)
    assert text.startswith("Subscription keywords on 352:") and text.endswith("Ex: WAIS HELP")


@pytest.mark.parametrize("case", load("smslib_pdu.json")["messages"], ids=lambda c: f"{len(c['expected_pdus'])}p")
def test_smslib_messages(case):
    pdus = encode_submit(
        case["number"],
        case["text"],
        smsc=case["smsc"],
        request_status_report=case["request_status_report"],
        validity=timedelta(weeks=case["validity_weeks"]),
        concat_ref=case["concat_ref"],
        use_16bit_ref=case["use_16bit_ref"],
        ports=Ports(*case["ports"]) if case["ports"] else None,
    )
    assert [p.hex for p in pdus] == case["expected_pdus"]


@pytest.mark.parametrize("case", load("smslib_pdu.json")["not_applicable"], ids=lambda c: c["reason"][:20])
def test_smslib_not_applicable_pdus_still_decode(case):
    parts = [decode_pdu(p) for p in case["expected_pdus"]]
    if "data_hex" in case:
        ordered = sorted(parts, key=lambda m: m.concat.seq if m.concat else 0)
        assert b"".join(m.binary or b"" for m in ordered).hex().upper() == case["data_hex"]
    else:
        # The upstream PDU is the 160-character message, of which this 152-character text is a prefix.
        (message,) = parts
        assert message.text is not None and message.text.startswith(case["text"])


# ---------------------------------------------------------------- Gammu


def _gammu_cases() -> list[dict]:
    return load("gammu_encode.json")["cases"]


@pytest.mark.parametrize("case", _gammu_cases(), ids=lambda c: c["id"])
def test_gammu_encode(case):
    expected = case["expected_pdu"]
    alphabet = Alphabet.UCS2 if case["coding"] == "Unicode" else Alphabet.GSM7
    if case["folder"] == 1:
        pdus = encode_submit(
            case["number"],
            case["text"],
            smsc=case["smsc"],
            request_status_report=False,
            validity=timedelta(weeks=63),
            alphabet=alphabet,
        )
    else:
        sent = datetime.strptime(case["sent"], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        pdus = encode_deliver(
            case["number"], case["text"], timestamp=sent, smsc=case["smsc"], alphabet=alphabet, more_messages=True
        )
    assert [p.hex for p in pdus] == [expected]
    decoded = decode_pdu(expected)
    assert decoded.text == case["text"]
    assert isinstance(decoded, Submit if case["folder"] == 1 else Deliver)


@pytest.mark.parametrize("source", sorted({c["source_text"] for c in _gammu_cases()}))
def test_gammu_source_texts_are_split_not_cut(source):
    parts = split_text(source)
    assert "".join(parts) == source
    pdus = encode_submit("1234", source)
    assert reassemble_text([decode_pdu(p.hex) for p in pdus]) == source


_AT_SMS = load("gammu_at_sms.json")


@pytest.mark.parametrize("case", _AT_SMS["parse"], ids=lambda c: c["name"])
def test_gammu_cmgr_replies_parse(case):
    assert summary(decode_pdu(pdu_from_cmgr(case["reply"]))) == case["expected"]


@pytest.mark.parametrize("case", _AT_SMS["fail"], ids=lambda c: c["name"])
def test_gammu_broken_cmgr_replies_raise_pdu_error(case):
    with pytest.raises(PduError) as info:
        decode_pdu(pdu_from_cmgr(case["reply"]))
    assert "octet" in str(info.value)


def test_status_report_from_cmgr_reply_has_its_status():
    by_name = {c["name"]: c for c in _AT_SMS["parse"]}
    report = decode_pdu(pdu_from_cmgr(by_name["34.dump"]["reply"]))
    assert isinstance(report, StatusReport)
    assert report.delivered and report.is_final
