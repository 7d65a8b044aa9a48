"""How the record's values read to a person: statuses, reasons, money, the campaign."""

from __future__ import annotations

from decimal import Decimal

from smsjingling import messages
from smsjingling.errors import ValidationError
from smsjingling.storage.sending import MessageStatus

messages.register(
    {
        "records.status.queued": ("排队中", "Queued"),
        "records.status.sending": ("发送中", "Sending"),
        "records.status.sent": ("已发送", "Sent"),
        "records.status.delivered": ("已送达", "Delivered"),
        "records.status.undelivered": ("未送达", "Undelivered"),
        "records.status.failed": ("失败", "Failed"),
        "records.status.blocked": ("已拦截", "Blocked"),
        "records.status.skipped": ("已跳过", "Skipped"),
        "records.status.cancelled": ("已取消", "Cancelled"),
        "records.status.unknown": ("状态不明", "Unknown"),
        "records.status.no_report": ("已发送（无状态报告）", "Sent (no report)"),
        "records.bad_status": (
            "没有这种状态：{value}（可选：{choices}）",
            "No such status: {value} (one of: {choices})",
        ),
    }
)


def status_text(status: str, lang: str | None = None) -> str:
    """已送达 for "delivered"; a value this version does not know is shown as stored."""
    key = f"records.status.{status}"
    return messages.text(key, lang) if key in messages.CATALOGUE else status


def parse_status(text: str) -> MessageStatus:
    """A status by its stored value (delivered) or its label in either language (已送达, Delivered)."""
    wanted = text.strip().lower()
    for status in MessageStatus:
        if wanted in (status.value, status_text(status, "zh"), status_text(status, "en").lower()):
            return status
    choices = ", ".join(f"{s.value}/{status_text(s, 'zh')}" for s in MessageStatus)
    raise ValidationError("records.bad_status", value=text, choices=choices)


def reason_text(reason: str, error: str = "", lang: str | None = None) -> str:
    """The stored reason is a message key; the channel's own words, if any, follow in brackets."""
    said = messages.text(reason, lang) if reason else ""
    if error:
        return f"{said}（{error}）" if said else error
    return said


def yuan(fen: int) -> Decimal:
    """Exact: 5 fen is Decimal('0.05'), never 0.05000000000000000277."""
    return Decimal(fen).scaleb(-2)


def campaign_label(name: str, campaign_id: int) -> str:
    return f"{name} #{campaign_id}" if name else f"#{campaign_id}"
