"""Reply parsers on their own: the forms of 27.005/27.007 and the variants modems send."""

from __future__ import annotations

import contextlib
import random
from datetime import datetime, timedelta, timezone

import pytest

from modem.at import parsers as p
from modem.at.framer import Framer
from modem.errors import ReplyParseError

# -- fields ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fields"),
    [
        ('"SM",3,50', ["SM", "3", "50"]),
        ('"REC READ", "+4123", "2009/8/18,19:11:45"', ["REC READ", "+4123", "2009/8/18,19:11:45"]),
        ('1,,"x"', ["1", "", "x"]),
        ('2,1,"0B,"0100701",7', ["2", "1", "0B", "0100701", "7"]),
        ("", []),
        ('"a,b"', ["a,b"]),
        (" 12 ", ["12"]),
        ("0, 1 ,,2", ["0", "1", "", "2"]),
        (",", ["", ""]),
    ],
)
def test_split_fields(args: str, fields: list[str]) -> None:
    assert p.split_fields(args) == fields


def test_args_of_does_not_confuse_prefixes() -> None:
    assert p.args_of('+CMTI: "SM",1', "+CMT") is None
    assert p.args_of('+CMTI: "SM",1', "+CMTI") == '"SM",1'
    assert p.args_of("+csq:4,0", "+CSQ") == "4,0"


# -- +CSQ ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "rssi", "ber", "dbm", "bars"),
    [
        ("+CSQ: 0,0", 0, 0, -113, 0),
        ("+CSQ: 1,99", 1, None, -111, 0),
        ("+CSQ: 2,99", 2, None, -109, 1),
        ("+CSQ: 5,99", 5, None, -103, 2),
        ("+CSQ: 10,99", 10, None, -93, 3),
        ("+CSQ: 15,99", 15, None, -83, 4),
        ("+CSQ: 20,99", 20, None, -73, 5),
        ("+CSQ: 31,99", 31, None, -51, 5),
        ("+CSQ: 99,99", 99, None, None, 0),
        ("+CSQ: 150,99", 150, None, -66, 5),
        ("+CSQ:4,0", 4, 0, -105, 1),
    ],
)
def test_csq(line: str, rssi: int, ber: int | None, dbm: int | None, bars: int) -> None:
    q = p.parse_csq([line])
    assert (q.rssi, q.ber, q.dbm, q.bars) == (rssi, ber, dbm, bars)
    assert q.known is (dbm is not None)


def test_csq_garbage() -> None:
    with pytest.raises(ReplyParseError):
        p.parse_csq(["+CSQ: ,"])
    with pytest.raises(ReplyParseError):
        p.parse_csq(["OK?"])


# -- registration and operator --------------------------------------------------------------------


def test_registration_states() -> None:
    assert p.parse_creg(["+CREG: 0,2"]).stat is p.RegStatus.SEARCHING
    assert p.parse_creg(["+CREG: 0,3"]).stat is p.RegStatus.DENIED
    assert not p.parse_creg(["+CREG: 0,3"]).registered
    roaming = p.parse_creg(['+CGREG: 2,5,"1A2B","0C3D",7'], prefix="+CGREG")
    assert roaming.registered and roaming.roaming and roaming.act == 7
    assert p.parse_creg(["+CREG: 0,42"]).stat is p.RegStatus.UNKNOWN
    lte = p.parse_registration_urc('+CEREG: 1,"1A2B","01A2B3C4",7')
    assert (lte.stat, lte.lac, lte.ci, lte.act, lte.n) == (p.RegStatus.HOME, "1A2B", "01A2B3C4", 7, None)
    with pytest.raises(ReplyParseError):
        p.parse_creg(["+CREG: x"])


def test_cops_forms() -> None:
    assert p.parse_cops(["+COPS: 0"]) == p.Operator(0)
    numeric = p.parse_cops(['+COPS: 0,2,"46001",7'])
    assert numeric.numeric == "46001" and numeric.act == 7
    named = p.parse_cops(['+COPS: 1,0,"CHN-UNICOM"'])
    assert named.name == "CHN-UNICOM" and named.numeric is None


# -- storage, SMSC, PIN ---------------------------------------------------------------------------


def test_cpms_query_and_set_forms() -> None:
    query = p.parse_cpms(['+CPMS: "ME",10,100,"SM",0,50,"MT",10,150'])
    assert [(m.memory, m.used, m.total, m.free) for m in query] == [
        ("ME", 10, 100, 90),
        ("SM", 0, 50, 50),
        ("MT", 10, 150, 140),
    ]
    assert p.parse_cpms(["+CPMS: 3,50,3,50,3,50"]) == (p.MemoryUsage(None, 3, 50),) * 3
    with pytest.raises(ReplyParseError):
        p.parse_cpms(['+CPMS: "SM",x,50'])
    with pytest.raises(ReplyParseError):
        p.parse_cpms(["+CPMS: "])


def test_csca_variants() -> None:
    assert p.parse_csca(['+CSCA: "+8613800100500",145']) == p.ServiceCentre("+8613800100500", 145)
    assert p.parse_csca(['+CSCA: "13800100500",129']).international is False
    assert (
        p.parse_csca(['+CSCA: "002B0038003600310033003800300030003100300035003000300022",145']).number
        == "002B0038003600310033003800300030003100300035003000300022"
    )  # not a number: left alone
    assert p.parse_csca(['+CSCA: "002B00380036",145']).number == "+86"
    assert p.parse_csca(["+CSCA: "]).number is None


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("+CPIN: READY", p.PinStatus.READY),
        ("+CPIN: SIM PIN", p.PinStatus.SIM_PIN),
        ("+CPIN: SIM PUK", p.PinStatus.SIM_PUK),
        ("+CPIN: SIM PIN2", p.PinStatus.SIM_PIN2),
        ("+CPIN: PH-NET PIN", p.PinStatus.PH_NET_PIN),
        ('+CPIN: "READY"', p.PinStatus.READY),
        ("+CPIN:  sim  pin", p.PinStatus.SIM_PIN),
        ("+CPIN: NOT INSERTED", p.PinStatus.NOT_INSERTED),
        ("+CPIN: SOMETHING", p.PinStatus.UNKNOWN),
    ],
)
def test_cpin(line: str, status: p.PinStatus) -> None:
    assert p.parse_cpin([line]) is status


def test_pin_status_properties() -> None:
    assert p.PinStatus.READY.ready and not p.PinStatus.READY.needs_pin
    assert p.PinStatus.SIM_PIN.needs_pin and not p.PinStatus.SIM_PIN.needs_puk
    assert p.PinStatus.SIM_PUK2.needs_puk
    assert p.PinStatus.PH_CORP_PUK.needs_puk


# -- identity -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "value"),
    [
        (["QUECTEL"], "QUECTEL"),
        (['+CGMI: "SIMCOM_Ltd"'], "SIMCOM_Ltd"),
        (["+CGMM: EC20F"], "EC20F"),
        (["Revision: EC20CEFAGR06A05M4G"], "EC20CEFAGR06A05M4G"),
        (["", "huawei"], "huawei"),
    ],
)
def test_identity(lines: list[str], value: str) -> None:
    assert p.parse_identity(lines) == value


def test_identity_empty() -> None:
    with pytest.raises(ReplyParseError):
        p.parse_identity([])


@pytest.mark.parametrize(
    "line", ["867584031234567", "+CGSN: 867584031234567", '+CGSN: "867584031234567"', "IMEI: 867584031234567"]
)
def test_imei(line: str) -> None:
    assert p.parse_imei([line]) == "867584031234567"


def test_imsi_and_bad_imei() -> None:
    assert p.parse_imsi(["460001234567890"]) == "460001234567890"
    assert p.parse_imsi(["+CIMI: 460011234567890"]) == "460011234567890"
    with pytest.raises(ReplyParseError):
        p.parse_imei(["ERROR-ish"])


@pytest.mark.parametrize(
    ("line", "iccid"),
    [
        ("^ICCID: 89860012345678901234", "89860012345678901234"),
        ("^ICCID: 98680021436587092143", "89860012345678901234"),  # Huawei raw, nibble-swapped
        ('+CCID: "89860012345678901234"', "89860012345678901234"),
        ("+ICCID: 8986001234567890123F", "8986001234567890123"),
        ("+QCCID: 89860318740219358763", "89860318740219358763"),
        ("89860B12345678901234", "89860B12345678901234"),
    ],
)
def test_iccid(line: str, iccid: str) -> None:
    assert p.parse_iccid([line]) == iccid


def test_cnum() -> None:
    lines = ['+CNUM: "","+8613912345678",145', '+CNUM: "Fax",13912345679,129', "+CNUM: ,,129"]
    assert p.parse_cnum(lines) == [p.OwnNumber(None, "+8613912345678", 145), p.OwnNumber("Fax", "13912345679", 129)]
    assert p.parse_cnum([]) == []


# -- USSD -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ussd", "text"),
    [
        (p.Ussd(0, "C2303BEC1E9775A098CC55838186CE2C", 15), "Balance: 12.50 CNY"),  # packed GSM-7
        (p.Ussd(0, "4F60597D", 72), "你好"),  # UCS2
        (p.Ussd(0, "00420061006C0061006E00630065", 15), "Balance"),  # UCS2 because AT+CSCS="UCS2"
        (p.Ussd(0, "Balance 5", 15), "Balance 5"),
        (p.Ussd(0, "1234", 15), "1234"),
        (p.Ussd(0, "41", 0x44), "A"),  # 8-bit
        (p.Ussd(2, None, None), None),
    ],
)
def test_decode_ussd(ussd: p.Ussd, text: str | None) -> None:
    assert p.decode_ussd(ussd) == text


def test_gsm7_extension_and_cr_fill() -> None:
    # "€[ABC" is 7 septets; packed into 7 octets the 8th septet slot holds the CR fill (TS 23.038 §6.1.2.3.1)
    septets = [0x1B, 0x65, 0x1B, 0x3C, 0x41, 0x42, 0x43, 0x0D]
    packed = bytearray()
    acc = bits = 0
    for s in septets:
        acc |= s << bits
        bits += 7
        while bits >= 8:
            packed.append(acc & 0xFF)
            acc >>= 8
            bits -= 8
    assert len(packed) == 7
    assert p.decode_ussd(p.Ussd(0, packed.hex().upper(), 15)) == "€[ABC"


def test_cusd_forms() -> None:
    assert p.parse_cusd("+CUSD: 2") == p.Ussd(2, None, None)
    assert p.parse_cusd('+CUSD: 1,"Menu",15').needs_reply
    with pytest.raises(ReplyParseError):
        p.parse_cusd("+CUSD: ")
    with pytest.raises(ReplyParseError):
        p.parse_cusd("RING")


# -- messages --------------------------------------------------------------------------------------

PDU = "0791448720003023240DD0E474D81C0EBB010000111011315214000BE474D81C0EBB5DE3771B"


def test_cmgl_text_mode() -> None:
    lines = [
        '+CMGL: 1,"REC UNREAD","+8613912345678",,"24/03/01,09:30:00+32"',
        "会议改到下午三点",
        "请准时参加",
        '+CMGL: 2,"STO SENT","10086",,',
        "CXYE",
        '+CMGL: 3,"REC READ","+8613912345678","张三","24/03/01,09:31:00+32",145,4',
        "TD",
    ]
    first, second, third = p.parse_cmgl(lines)
    assert isinstance(first, p.TextMessage)
    assert (first.index, first.stat, first.address, first.body) == (
        1,
        "REC UNREAD",
        "+8613912345678",
        "会议改到下午三点\n请准时参加",
    )
    assert p.parse_scts(first.timestamp) == datetime(2024, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    assert isinstance(second, p.TextMessage) and (second.stat, second.address, second.body) == (
        "STO SENT",
        "10086",
        "CXYE",
    )
    assert isinstance(third, p.TextMessage) and third.alpha == "张三" and third.details == ("145", "4")


def test_cmgl_pdu_mode_and_empty() -> None:
    lines = ["+CMGL: 0,0,,26", PDU, '+CMGL: 5,1,"Mum",26', PDU.lower()]
    assert p.parse_cmgl(lines) == [p.PduMessage(0, 0, None, 26, PDU), p.PduMessage(5, 1, "Mum", 26, PDU)]
    assert p.parse_cmgl([]) == []
    with pytest.raises(ReplyParseError):
        p.parse_cmgl(["+CMGL: 0,0,,26"])


@pytest.mark.parametrize(
    ("header", "index", "stat", "alpha", "length"),
    [
        ("+CMGR: 1,,26", None, 1, None, 26),
        ("+CMGR: 0,26", None, 0, None, 26),
        ("+CMGR: 26", None, None, None, 26),
        ("+CMGR: ,,26", None, None, None, 26),
        ('+CMGR: 1,"Mum",26', None, 1, "Mum", 26),
        ("+CMGR: 4,1,,26", 4, 1, None, 26),
    ],
)
def test_cmgr_pdu_header_variants(
    header: str, index: int | None, stat: int | None, alpha: str | None, length: int
) -> None:
    assert p.parse_cmgr([header, PDU]) == p.PduMessage(index, stat, alpha, length, PDU)


@pytest.mark.parametrize("pdu", ["0791ZZ", "079144872", "C474795E", "91947122982661", ""])
def test_cmgr_rejects_impossible_pdus(pdu: str) -> None:
    with pytest.raises(ReplyParseError):
        p.parse_cmgr(["+CMGR: 1,,26", pdu])


def test_cmgr_missing() -> None:
    with pytest.raises(ReplyParseError):
        p.parse_cmgr([])
    with pytest.raises(ReplyParseError):
        p.parse_cmgr(["+CMGR: 1,,26"])


def test_cmgs_cmgw_cmti() -> None:
    assert p.parse_cmgs(["+CMGS: 142"]) == 142
    assert p.parse_cmgs(['+CMGS: 7,"24/03/01,09:30:00+32"']) == 7
    assert p.parse_cmgw(["+CMGW: 12"]) == 12
    assert p.parse_cmti('+CMTI: "sm",3') == p.StorageRef("SM", 3)
    assert p.parse_cmti("+CMTI: ME,12") == p.StorageRef("ME", 12)
    for bad in (
        lambda: p.parse_cmgs(["OK"]),
        lambda: p.parse_cmgs(["+CMGS: x"]),
        lambda: p.parse_cmti('+CMTI: "SM"'),
        lambda: p.parse_cmgw([]),
    ):
        with pytest.raises(ReplyParseError):
            bad()


def test_cmt_text_mode() -> None:
    msg = p.parse_cmt('+CMT: "+8613912345678",,"24/03/01,09:30:00+32"', "TD")
    assert isinstance(msg, p.TextMessage) and (msg.address, msg.body) == ("+8613912345678", "TD")
    assert p.parse_cmt('+CMT: "",26', PDU) == p.IncomingPdu(None, 26, PDU)
    with pytest.raises(ReplyParseError):
        p.parse_cmt("+CMT: ,26", None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07/04/05,18:02:28+08", datetime(2007, 4, 5, 18, 2, 28, tzinfo=timezone(timedelta(hours=2)))),
        ("07/02/18,00:05:10-04", datetime(2007, 2, 18, 0, 5, 10, tzinfo=timezone(timedelta(hours=-1)))),
        ("2009/8/18,19:11:45", datetime(2009, 8, 18, 19, 11, 45)),
        ("2007/11/02,09:27", datetime(2007, 11, 2, 9, 27)),
        ("07/13/45,18:02:28+08", None),
        ("yesterday", None),
        (None, None),
    ],
)
def test_scts(text: str | None, expected: datetime | None) -> None:
    assert p.parse_scts(text) == expected


def test_clac_and_ranges() -> None:
    assert p.parse_clac(["+CLAC: AT+CMGS,AT+CMGR", "^DTMF"]) == ["+CMGS", "+CMGR", "^DTMF"]
    assert p.parse_ranges(["+CNMI: (0-2),(),(0)"], "+CNMI") == [frozenset({0, 1, 2}), frozenset(), frozenset({0})]
    with pytest.raises(ReplyParseError):
        p.parse_ranges(["+CNMI: (a-b)"], "+CNMI")


# -- properties ------------------------------------------------------------------------------------

PARSERS = [
    p.parse_csq,
    p.parse_creg,
    p.parse_cops,
    p.parse_cpms,
    p.parse_cpms_supported,
    p.parse_csca,
    p.parse_cpin,
    p.parse_identity,
    p.parse_imei,
    p.parse_imsi,
    p.parse_iccid,
    p.parse_cnum,
    p.parse_cmgr,
    p.parse_cmgl,
    p.parse_cmgs,
    p.parse_cmgw,
    p.parse_cscs,
    p.parse_cscs_supported,
    p.parse_clac,
    p.parse_cpbr,
    lambda lines: p.parse_ranges(lines, "+CNMI"),
    lambda lines: [p.decode_ussd(p.parse_cusd(line)) for line in lines],
    lambda lines: [p.parse_cmti(line) for line in lines],
    lambda lines: [p.parse_cds(line, "00") for line in lines],
    lambda lines: [p.parse_cmt(line, "00") for line in lines],
    lambda lines: [p.parse_registration_urc(line) for line in lines],
]

# Seeded random input rather than hypothesis: deterministic, and it leaves no .hypothesis folder behind
# (which pytest's norecursedirs of this project would trip over).
_PREFIXES = [
    "+CSQ: ",
    "+CREG: ",
    "+COPS: ",
    "+CPMS: ",
    "+CSCA: ",
    "+CPIN: ",
    "+CMGR: ",
    "+CMGL: ",
    "+CMGS: ",
    "+CMGW: ",
    "+CSCS: ",
    "+CNUM: ",
    "+CUSD: ",
    "+CMTI: ",
    "+CDS: ",
    "+CMT: ",
    "+CPBR: ",
    "+CNMI: ",
    "^ICCID: ",
    "",
]
_ALPHABET = [*'0123456789ABCDEFabcdef,"() +-:/SMREC', "\x00", "\ufffd", "REC READ", "STO SENT"]


def _random_lines(rng: random.Random) -> list[str]:
    return [
        rng.choice(_PREFIXES) + "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 30)))
        for _ in range(rng.randint(0, 4))
    ]


@pytest.mark.parametrize("seed", range(20))
def test_parsers_reject_nonsense_with_reply_parse_error_only(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        lines = _random_lines(rng)
        for parse in PARSERS:
            with contextlib.suppress(ReplyParseError):
                parse(lines)


@pytest.mark.parametrize("seed", range(20))
def test_framer_result_does_not_depend_on_read_boundaries(seed: int) -> None:
    rng = random.Random(seed)
    pool = [b"\r", b"\n", b"\x00", b"\xff", b"\xe4\xb8\xad", b"OK", b"> ", b'+CMTI: "SM",1', b" "]
    for _ in range(20):
        data = b"".join(rng.choice(pool) for _ in range(rng.randint(0, 40))) + b"\r\n"
        whole = Framer().feed(data)
        framer = Framer()
        cuts = sorted(rng.sample(range(len(data) + 1), k=min(len(data), rng.randint(0, 8))))
        pieces = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]
        assert [event for piece in pieces for event in framer.feed(piece)] == whole
