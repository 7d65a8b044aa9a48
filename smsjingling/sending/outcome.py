"""What a channel says about one attempt to send one message."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from smsjingling import messages

# Why a message is where it is, as stored in its `reason` (a message key); the channel's own words, with
# any error code, go to `error` beside it.
messages.register(
    {
        "send.rejected": ("被拒绝（号码或内容有误），不会重试", "Refused (a bad number or content); not retried"),
        "send.retry_later": ("暂时失败，稍后重试", "Failed for now; will retry"),
        "send.retries_spent": ("多次重试后仍失败", "Still failing after every retry"),
        "send.modem_attention": (
            "短信猫需要处理（SIM 卡、PIN 或欠费）",
            "The modem needs attention (SIM, PIN or credit)",
        ),
        "send.modem_unavailable": ("短信猫无法打开", "The modem could not be opened"),
        "send.modem_not_ready": ("短信猫未就绪", "The modem was not ready"),
        "send.timeout_prompt": ("短信猫未响应，短信未发出", "The modem did not answer; the message did not leave"),
        "send.timeout": ("短信猫未回复，不确定是否已发出", "The modem did not answer; it may or may not have left"),
        "send.partly_sent": ("长短信只发出了一部分", "Only some parts of the long message left"),
        "send.port_gone": (
            "发送时短信猫被拔出，不确定是否已发出",
            "The modem was unplugged while sending; it may have left",
        ),
        "send.modem_error": ("短信猫出错，不确定是否已发出", "A modem error; it may or may not have left"),
        "send.internal_error": ("程序内部错误，不确定是否已发出", "An internal error; it may or may not have left"),
        "send.interrupted": (
            "发送途中程序中断，可能已发出",
            "The program stopped while sending; it may have left",
        ),
        "send.no_result": (
            "网关未返回该条的结果，不确定是否已发出",
            "The gateway gave no result for this message; it may or may not have left",
        ),
        "send.undelivered": ("运营商报告未送达", "The network reports it undelivered"),
        "send.no_report": ("已发送，无状态报告", "Sent; no delivery report"),
        "campaign.cancelled": ("任务已取消", "The campaign was cancelled"),
        "campaign.resend": ("按操作员要求重发", "Resent at the operator's request"),
    }
)


class Verdict(enum.StrEnum):
    SENT = "sent"  # the network took every part
    RETRY = "retry"  # a retry-later error: try again after a pause (counts as an attempt)
    REQUEUE = "requeue"  # the channel could not try (SIM not ready, port gone before writing): not an attempt
    FAILED = "failed"  # a permanent error for this message (bad number, bad PDU)
    UNKNOWN = "unknown"  # it may or may not have left (a timeout after writing, half of a multipart sent)


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    refs: tuple[str, ...] = ()  # per part: a modem's TP-MR, a gateway's message id
    reason: str = ""  # a short stable code for the record (cms_500, timeout, ...)
    detail: str = ""  # the channel's own words
    channel_fault: bool = False  # counts against the channel's health (not against the message)
    cost_fen: int | None = None  # what a gateway says it charged for an accepted message
    # Seconds the channel asked us to wait before its next request (a gateway's HTTP 429 Retry-After): the
    # message is due again no sooner, and the channel sends nothing until then.
    retry_after: float | None = None
