"""TP-ST, the outcome a status report carries (TS 23.040 §9.2.3.15)."""

from __future__ import annotations

from enum import Enum, IntEnum


class StatusClass(Enum):
    """What TP-ST's top bits say about the message, which is what a sender acts on."""

    DELIVERED = "delivered"  # 0x00-0x1F: transaction completed
    TEMPORARY = "temporary"  # 0x20-0x3F: temporary error, the SC is still trying; wait for another report
    PERMANENT = "permanent"  # 0x40-0x5F: permanent error, the SC has given up
    TEMPORARY_FINAL = "temporary_final"  # 0x60-0x7F: temporary error, but the SC is not trying any more
    RESERVED = "reserved"  # 0x80-0xFF: undefined by the standard


class TpStatus(IntEnum):
    """The TP-ST values the standard names; other values (reserved or SC-specific) keep their
    class through `classify`."""

    RECEIVED = 0x00
    FORWARDED_UNCONFIRMED = 0x01
    REPLACED = 0x02
    TEMP_CONGESTION = 0x20
    TEMP_SME_BUSY = 0x21
    TEMP_NO_RESPONSE = 0x22
    TEMP_SERVICE_REJECTED = 0x23
    TEMP_QOS_UNAVAILABLE = 0x24
    TEMP_SME_ERROR = 0x25
    PERM_REMOTE_PROCEDURE_ERROR = 0x40
    PERM_INCOMPATIBLE_DESTINATION = 0x41
    PERM_REJECTED_BY_SME = 0x42
    PERM_NOT_OBTAINABLE = 0x43
    PERM_QOS_UNAVAILABLE = 0x44
    PERM_NO_INTERWORKING = 0x45
    PERM_VALIDITY_EXPIRED = 0x46
    PERM_DELETED_BY_ORIGINATOR = 0x47
    PERM_DELETED_BY_SC = 0x48
    PERM_DOES_NOT_EXIST = 0x49
    FINAL_CONGESTION = 0x60
    FINAL_SME_BUSY = 0x61
    FINAL_NO_RESPONSE = 0x62
    FINAL_SERVICE_REJECTED = 0x63
    FINAL_QOS_UNAVAILABLE = 0x64
    FINAL_SME_ERROR = 0x65


_CLASSES = (StatusClass.DELIVERED, StatusClass.TEMPORARY, StatusClass.PERMANENT, StatusClass.TEMPORARY_FINAL)


def classify(status: int) -> StatusClass:
    return StatusClass.RESERVED if status >= 0x80 else _CLASSES[status >> 5]


def named_status(status: int) -> TpStatus | None:
    try:
        return TpStatus(status)
    except ValueError:
        return None
