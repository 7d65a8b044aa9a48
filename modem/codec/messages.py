"""The decoded messages: what the network delivered, what it reported, what the SIM stored as sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from .address import Address
from .dcs import DataCoding, MessageClass
from .status import StatusClass, TpStatus, classify, named_status
from .udh import ConcatInfo, Ports, UserDataHeader


class Direction(Enum):
    """Which side sent the PDU; the same TP-MTI bits mean different types in each direction.

    AUTO reads 00 as SMS-DELIVER, 01 as SMS-SUBMIT and 10 as SMS-STATUS-REPORT: the only types a
    terminal ever lists with +CMGL/+CMGR or gets with +CMT/+CDS. Prefer it over deriving the
    direction from +CMGL's <stat>, which real phones get wrong (SUBMIT PDUs listed as received).
    """

    AUTO = "auto"
    TO_MOBILE = "to_mobile"  # from the SC: DELIVER, STATUS-REPORT (SUBMIT-REPORT is refused)
    FROM_MOBILE = "from_mobile"  # to the SC: SUBMIT (DELIVER-REPORT and COMMAND are refused)


class _UserDataView:
    """Shortcuts over the user data header shared by every message type."""

    __slots__ = ()
    udh: UserDataHeader | None
    dcs: DataCoding | None

    @property
    def concat(self) -> ConcatInfo | None:
        """Concatenation info (ref, total, seq) for reassembling multipart messages, or None."""
        return self.udh.concat if self.udh is not None else None

    @property
    def ports(self) -> Ports | None:
        return self.udh.ports if self.udh is not None else None

    @property
    def message_class(self) -> MessageClass | None:
        return self.dcs.message_class if self.dcs is not None else None

    @property
    def is_flash(self) -> bool:
        return self.message_class == MessageClass.FLASH


@dataclass(frozen=True, slots=True)
class Deliver(_UserDataView):
    """SMS-DELIVER: a message received from `sender`.

    `text` is the decoded text (GSM-7 or UCS2) and `binary` is None, or for 8-bit data `text` is
    None and `binary` holds the payload. A part of a multipart message has `concat` set; join the
    parts with `reassemble_text`.
    """

    smsc: Address | None
    sender: Address
    timestamp: datetime  # TP-SCTS, aware
    pid: int
    dcs: DataCoding
    udh: UserDataHeader | None
    text: str | None
    binary: bytes | None
    more_messages: bool = False  # TP-MMS clear: the SC has more messages waiting
    status_report_indication: bool = False  # TP-SRI: the sender asked for a status report
    reply_path: bool = False
    truncated: bool = False  # the PDU ended before the length TP-UDL announced; text is what was there


@dataclass(frozen=True, slots=True)
class Submit(_UserDataView):
    """SMS-SUBMIT: a message sent or stored for sending (as +CMGL lists the SIM's outbox)."""

    smsc: Address | None
    recipient: Address
    tp_mr: int
    pid: int
    dcs: DataCoding
    udh: UserDataHeader | None
    text: str | None
    binary: bytes | None
    # timedelta (relative), aware datetime (absolute), raw 7 octets (enhanced format), or None.
    validity: timedelta | datetime | bytes | None = None
    status_report_requested: bool = False
    reject_duplicates: bool = False
    reply_path: bool = False
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class StatusReport(_UserDataView):
    """SMS-STATUS-REPORT: the fate of the message whose SUBMIT got TP-MR `tp_mr`.

    Match it to the sent part by (recipient, tp_mr); the modem's +CMGS reply gives the TP-MR used.
    `status_class` is what to act on: DELIVERED and the failure classes are final, TEMPORARY means
    another report may follow. A RESERVED status (0x80-0xFF) is outside the standard: treat the
    message as not delivered and show the raw `status`.
    """

    smsc: Address | None
    tp_mr: int
    recipient: Address
    sc_timestamp: datetime
    discharge_time: datetime  # when delivered, or when the SC last tried / gave up
    status: int  # raw TP-ST
    more_messages: bool = False
    for_command: bool = False  # TP-SRQ: the report is about an SMS-COMMAND, not a SUBMIT
    pid: int | None = None
    dcs: DataCoding | None = None
    udh: UserDataHeader | None = None
    text: str | None = None
    binary: bytes | None = None
    truncated: bool = False

    @property
    def status_class(self) -> StatusClass:
        return classify(self.status)

    @property
    def named_status(self) -> TpStatus | None:
        return named_status(self.status)

    @property
    def delivered(self) -> bool:
        return self.status_class == StatusClass.DELIVERED

    @property
    def is_final(self) -> bool:
        """No further report is expected for this message."""
        return self.status_class != StatusClass.TEMPORARY


Message = Deliver | Submit | StatusReport


def reassemble_text(parts: Sequence[Deliver | Submit]) -> str:
    """The full text of a multipart message from all of its parts, in any order.

    Parts must share one concat (ref, total) and cover seq 1..total exactly once; a single part
    without concat info is returned as is. A surrogate pair that the sender split across two parts
    (some phones do) is joined again. Raises ValueError on missing, duplicate or mixed parts.
    """
    if len(parts) == 1 and parts[0].concat is None:
        return parts[0].text or ""
    infos = [p.concat for p in parts]
    if any(info is None for info in infos):
        raise ValueError("every part of a multipart message needs concat info")
    keys = {(i.ref, i.total) for i in infos if i is not None}
    if len(keys) != 1:
        raise ValueError(f"parts of different messages mixed: {sorted(keys)}")
    total = next(iter(keys))[1]
    seqs = sorted(i.seq for i in infos if i is not None)
    if seqs != list(range(1, total + 1)):
        raise ValueError(f"parts {seqs} do not make up 1..{total}")
    ordered = sorted(parts, key=lambda p: p.concat.seq if p.concat else 0)
    joined = "".join(p.text or "" for p in ordered)
    return joined.encode("utf-16-be", "surrogatepass").decode("utf-16-be", "surrogatepass")
