"""Behaviour of the codec that the vector files do not pin down: limits, boundaries, errors."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from modem.codec import (
    Address,
    Alphabet,
    Deliver,
    Direction,
    MessageClass,
    PduError,
    StatusClass,
    StatusReport,
    Submit,
    TpStatus,
    TypeOfNumber,
    count_segments,
    decode_pdu,
    encode_deliver,
    encode_status_report,
    encode_submit,
    reassemble_text,
    split_text,
)
from modem.codec.dcs import decode_dcs
from modem.codec.encoded import default_concat_ref
from modem.codec.timestamp import encode_relative_validity

CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("text", "alphabet", "segments", "units", "left"),
    [
        ("", Alphabet.GSM7, 1, 0, 160),
        ("a" * 160, Alphabet.GSM7, 1, 160, 0),
        ("a" * 161, Alphabet.GSM7, 2, 161, 145),
        ("a" * 306, Alphabet.GSM7, 2, 306, 0),
        ("a" * 307, Alphabet.GSM7, 3, 307, 152),
        ("€" * 80, Alphabet.GSM7, 1, 160, 0),
        ("a" * 152 + "€" + "b" * 10, Alphabet.GSM7, 2, 164, 141),  # '€' would straddle: moves to part 2
        ("中" * 70, Alphabet.UCS2, 1, 70, 0),
        ("中" * 71, Alphabet.UCS2, 2, 71, 63),
        ("中" * 66 + "😀" + "中" * 5, Alphabet.UCS2, 2, 73, 60),  # the pair moves whole to part 2
        ("a" * 159 + "€", Alphabet.GSM7, 2, 161, 145),
    ],
)
def test_count_segments(text, alphabet, segments, units, left):
    count = count_segments(text)
    assert (count.alphabet, count.segments, count.units, count.units_left) == (alphabet, segments, units, left)
    assert len(encode_submit("+8613800138000", text)) == segments


def test_escape_and_surrogate_pairs_are_never_split():
    parts = split_text("a" * 152 + "€" + "b" * 10)
    assert parts == ["a" * 152, "€" + "b" * 10]
    parts = split_text("中" * 66 + "😀" + "中" * 5)
    assert parts == ["中" * 66, "😀" + "中" * 5]


def test_16bit_reference_leaves_one_unit_less():
    assert count_segments("a" * 161, use_16bit_ref=True).part_limit == 152
    assert count_segments("中" * 71, use_16bit_ref=True).part_limit == 66
    pdus = encode_submit("+8613800138000", "中" * 71, use_16bit_ref=True, concat_ref=0x1234)
    message = decode_pdu(pdus[0].hex)
    assert message.concat is not None and (message.concat.ref, message.concat.ref_16bit) == (0x1234, True)


def test_submit_options_are_in_the_pdu():
    (pdu,) = encode_submit(
        "+8613800138000",
        "会议改到三点",
        smsc="+8613800100500",
        tp_mr=42,
        validity=timedelta(days=2),
        flash=True,
        reject_duplicates=True,
    )
    assert pdu.hex.startswith("0891683108100005F0")
    message = decode_pdu(pdu.hex)
    assert isinstance(message, Submit)
    assert message.smsc == Address("+8613800100500", TypeOfNumber.INTERNATIONAL)
    assert message.recipient.type_octet == 0x91
    assert (message.tp_mr, message.validity, message.reject_duplicates) == (42, timedelta(days=2), True)
    assert message.status_report_requested
    assert message.is_flash and message.dcs.alphabet == Alphabet.UCS2
    assert pdu.tpdu_length == len(pdu.hex) // 2 - 9


def test_national_and_alphanumeric_addresses():
    assert Address.parse("13800138000").type_octet == 0x81
    assert Address.parse("+8613800138000").type_octet == 0x91
    assert Address.parse("Bank").type_octet == 0xD0
    (pdu,) = encode_submit(Address("13800138000", TypeOfNumber.NATIONAL), "hi")
    assert pdu.hex[8:10] == "A1"
    (deliver,) = encode_deliver("ChinaMobile", "hi", timestamp=datetime(2024, 5, 1, 8, 0, tzinfo=CST))
    message = decode_pdu(deliver.hex)
    assert isinstance(message, Deliver) and message.sender.number == "ChinaMobile"
    with pytest.raises(ValueError, match="too long"):
        encode_submit("+" + "1" * 21, "hi")


def test_validity_rounds_up_and_caps():
    assert encode_relative_validity(timedelta(minutes=1)) == 0
    assert encode_relative_validity(timedelta(minutes=6)) == 1  # 10 minutes, not 5
    assert encode_relative_validity(timedelta(hours=13)) == 145
    assert encode_relative_validity(timedelta(hours=13, minutes=1)) == 146
    assert encode_relative_validity(timedelta(days=400)) == 250
    assert encode_relative_validity(timedelta(weeks=100)) == 255
    with pytest.raises(ValueError):
        encode_relative_validity(timedelta(0))
    with pytest.raises(ValueError, match="aware"):
        encode_submit("10086", "x", validity=datetime(2024, 1, 1))


def test_default_concat_ref_is_stable_and_in_range():
    assert default_concat_ref("+86138", "text", False) == default_concat_ref("+86138", "text", False)
    assert 0 <= default_concat_ref("+86138", "text", False) <= 0xFF
    pdus = encode_submit("+86138", "x" * 200)
    assert pdus[0].concat is not None and pdus[0].concat.ref == default_concat_ref("+86138", "x" * 200, False)
    with pytest.raises(ValueError, match="8-bit reference"):
        encode_submit("+86138", "x" * 200, concat_ref=256)


def test_deliver_round_trip_with_time_zone_and_parts():
    moment = datetime(2024, 2, 10, 9, 30, 5, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))
    text = "新年快乐🧧" * 30
    pdus = encode_deliver("+8613900139000", text, timestamp=moment, smsc="+8613800100500")
    parts = [decode_pdu(p.hex) for p in pdus]
    assert all(isinstance(p, Deliver) and p.timestamp == moment for p in parts)
    assert parts[0].timestamp.utcoffset() == timedelta(hours=-3, minutes=-30)
    assert reassemble_text(parts[::-1]) == text


@pytest.mark.parametrize(
    ("status", "klass", "delivered", "final"),
    [
        (0x00, StatusClass.DELIVERED, True, True),
        (0x02, StatusClass.DELIVERED, True, True),
        (0x21, StatusClass.TEMPORARY, False, False),
        (0x46, StatusClass.PERMANENT, False, True),
        (0x62, StatusClass.TEMPORARY_FINAL, False, True),
        (0x5A, StatusClass.PERMANENT, False, True),  # SC-specific value keeps its class
        (0x90, StatusClass.RESERVED, False, True),
    ],
)
def test_status_report_classes(status, klass, delivered, final):
    sent = datetime(2024, 3, 1, 10, 0, tzinfo=CST)
    pdu = encode_status_report("+8613800138000", 77, status, sc_timestamp=sent, discharge_time=sent)
    report = decode_pdu(pdu.hex)
    assert isinstance(report, StatusReport)
    assert (report.tp_mr, report.recipient.number, report.status) == (77, "+8613800138000", status)
    assert (report.status_class, report.delivered, report.is_final) == (klass, delivered, final)


def test_named_status():
    sent = datetime(2024, 3, 1, 10, 0, tzinfo=CST)
    report = decode_pdu(encode_status_report("10086", 1, 0x46, sc_timestamp=sent, discharge_time=sent).hex)
    assert isinstance(report, StatusReport) and report.named_status == TpStatus.PERM_VALIDITY_EXPIRED


@pytest.mark.parametrize(
    ("octet", "alphabet", "klass"),
    [
        (0x00, Alphabet.GSM7, None),
        (0x08, Alphabet.UCS2, None),
        (0x10, Alphabet.GSM7, MessageClass.FLASH),
        (0x18, Alphabet.UCS2, MessageClass.FLASH),
        (0x04, Alphabet.DATA_8BIT, None),
        (0xF5, Alphabet.DATA_8BIT, MessageClass.ME),
        (0xF2, Alphabet.GSM7, MessageClass.SIM),
        (0xE0, Alphabet.UCS2, None),
        (0x48, Alphabet.UCS2, None),
        (0x9C, Alphabet.GSM7, None),
    ],
)
def test_data_coding_scheme(octet, alphabet, klass):
    dcs = decode_dcs(octet)
    assert (dcs.alphabet, dcs.message_class) == (alphabet, klass)


# A bare SMS-DELIVER from +123456 with PID 00: DCS and the rest follow. Octet offsets: 0 SMSC length,
# 1 first octet, 2-6 TP-OA, 7 TP-PID, 8 TP-DCS, 9-15 TP-SCTS, 16 TP-UDL, 17 TP-UD.
HEAD = "00" + "04" + "0691214365" + "00"
HEAD_UDH = "00" + "44" + "0691214365" + "00"
SCTS = "42302000000000"  # 2024-03-02 00:00:00 +00:00


@pytest.mark.parametrize(
    ("hex_pdu", "message"),
    [
        ("", "PDU ends before SMSC length (at octet 0)"),
        ("07916831081000", "PDU ends inside SMSC address"),
        ("00", "PDU ends before the first TPDU octet (at octet 1)"),
        ("0004", "PDU ends before TP-OA length (at octet 2)"),
        ("00040D91683108", "PDU ends inside TP-OA"),
        ("00041991", "TP-OA length 25 exceeds the 20 semi-octets"),
        (HEAD + "00" + "4230", "PDU ends inside TP-SCTS"),
        (HEAD + "00" + "A2302000000000" + "00", "TP-SCTS octet A2 is not two decimal digits (at octet 9)"),
        (HEAD + "00" + "42302000000000" + "0", "odd number of hex digits"),
        (HEAD + "00" + "4230200000000G", "not a hex digit"),
        (HEAD + "00" + "42912000000000" + "00", "not a valid date and time"),
        ("0003", "reserved message type"),
        (HEAD + "08" + SCTS + "03" + "004100", "UCS2 text has an odd number of octets"),
        (HEAD_UDH + "08" + SCTS + "05" + "0400030101", "information element 0x00 claims 3 octets"),
        (HEAD_UDH + "00" + SCTS + "02" + "0A00", "user data header length 10 does not fit"),
        (HEAD + "20" + SCTS + "01" + "41", "compressed user data"),
    ],
)
def test_malformed_pdus_raise_pdu_error(hex_pdu, message):
    with pytest.raises(PduError, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode_pdu(hex_pdu)


def test_pdu_error_is_a_value_error_with_offset():
    with pytest.raises(ValueError) as info:
        decode_pdu(HEAD + "00" + "A2302000000000" + "00")
    assert isinstance(info.value, PduError) and info.value.offset == 9


def test_direction_refuses_types_a_terminal_does_not_list():
    submit = encode_submit("10086", "hi")[0].hex
    with pytest.raises(PduError, match="SMS-SUBMIT-REPORT"):
        decode_pdu(submit, direction=Direction.TO_MOBILE)
    assert isinstance(decode_pdu(submit, direction=Direction.FROM_MOBILE), Submit)
    with pytest.raises(PduError, match="SMS-COMMAND"):
        decode_pdu("0002", direction=Direction.FROM_MOBILE)


def test_bare_tpdu_without_smsc():
    (pdu,) = encode_submit("10086", "hi")
    message = decode_pdu(pdu.hex[2:], smsc_included=False)
    assert isinstance(message, Submit) and message.text == "hi"


def test_reassembly_joins_a_surrogate_pair_split_by_the_sender():
    # UCS2 parts as a phone that cuts by code units would send them: 😀 is D83D DE00.
    first = HEAD_UDH + "08" + SCTS + "0A" + "050003070201" + "0041D83D"
    second = HEAD_UDH + "08" + SCTS + "08" + "050003070202" + "DE00"
    parts = [decode_pdu(first), decode_pdu(second)]
    assert reassemble_text(parts) == "A😀"


def test_reassembly_rejects_incomplete_or_mixed_parts():
    parts = [decode_pdu(p.hex) for p in encode_submit("10086", "x" * 400, concat_ref=1)]
    with pytest.raises(ValueError, match="do not make up"):
        reassemble_text(parts[:2])
    other = decode_pdu(encode_submit("10086", "y" * 400, concat_ref=2)[0].hex)
    with pytest.raises(ValueError, match="different messages"):
        reassemble_text([*parts, other])


def test_truncated_user_data_is_decoded_and_marked():
    message = decode_pdu(HEAD + "00" + SCTS + "0C" + "C8329BFD06")
    assert message.truncated and message.text == "Hello"  # 5 octets hold 5 whole septets


def test_forcing_ucs2_and_refusing_8bit_text():
    assert encode_submit("10086", "hello", alphabet=Alphabet.UCS2)[0].alphabet == Alphabet.UCS2
    with pytest.raises(ValueError, match="8-bit"):
        encode_submit("10086", "hello", alphabet=Alphabet.DATA_8BIT)
    with pytest.raises(ValueError, match="at most 255"):
        encode_submit("10086", "中" * 67 * 256)
