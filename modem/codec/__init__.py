"""The SMS PDU codec (3GPP TS 23.040 / 23.038): pure functions, no I/O.

Sending::

    count = count_segments(text)                 # per keystroke: alphabet, segments, units left
    for part in encode_submit("+8613800138000", text, request_status_report=True):
        # AT+CMGS=<part.tpdu_length>, wait for "> ", write part.hex + Ctrl-Z
        ...

Receiving (+CMGL / +CMGR / +CMT / +CDS in PDU mode)::

    message = decode_pdu(hex_line)               # Deliver | Submit | StatusReport, or PduError
    if message.concat:                           # part of a multipart message
        key = (message.sender.number, message.concat.ref, message.concat.total)
        ...                                      # collect all parts, then reassemble_text(parts)

Status reports match a sent part by (recipient, tp_mr): `report.status_class` says delivered,
still trying (TEMPORARY), or failed for good (PERMANENT / TEMPORARY_FINAL).
"""

from .address import Address, NumberingPlan, TypeOfNumber
from .dcs import Alphabet, DataCoding, MessageClass
from .decode import decode_pdu, decode_pdu_bytes
from .deliver import encode_deliver, encode_status_report
from .encoded import EncodedPdu, SubmitPdu, default_concat_ref
from .errors import PduError
from .gsm7 import is_gsm7
from .messages import Deliver, Direction, Message, StatusReport, Submit, reassemble_text
from .segments import SegmentCount, choose_alphabet, count_segments, split_text
from .status import StatusClass, TpStatus
from .submit import encode_submit
from .udh import ConcatInfo, InformationElement, Ports, UserDataHeader

__all__ = [
    "Address",
    "Alphabet",
    "ConcatInfo",
    "DataCoding",
    "Deliver",
    "Direction",
    "EncodedPdu",
    "InformationElement",
    "Message",
    "MessageClass",
    "NumberingPlan",
    "PduError",
    "Ports",
    "SegmentCount",
    "StatusClass",
    "StatusReport",
    "Submit",
    "SubmitPdu",
    "TpStatus",
    "TypeOfNumber",
    "UserDataHeader",
    "choose_alphabet",
    "count_segments",
    "decode_pdu",
    "decode_pdu_bytes",
    "default_concat_ref",
    "encode_deliver",
    "encode_status_report",
    "encode_submit",
    "is_gsm7",
    "reassemble_text",
    "split_text",
]
