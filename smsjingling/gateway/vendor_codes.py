"""The error codes of the vendor gateway API (docs/gateway-api.md, "Errors"), shared by the simulator that
answers with them and the adapter that turns them into outcomes. Each code's message key, `gwapi.<code>`,
is what a message's `reason` holds when the gateway refused it."""

from __future__ import annotations

from dataclasses import dataclass

from smsjingling import messages


@dataclass(frozen=True)
class Code:
    http: int  # the status of a whole-request error; 200 for a per-recipient rejection
    later: bool  # True: retry later; False: permanent (as it stands)
    zh: str
    en: str

    @property
    def retry(self) -> str:
        return "later" if self.later else "never"


CODES: dict[str, Code] = {
    # Whole-request errors.
    "MALFORMED_REQUEST": Code(400, False, "请求格式有误", "The request is not valid JSON of the documented shape"),
    "REQUEST_TOO_LARGE": Code(413, False, "请求过大", "The request body is too large"),
    "BATCH_TOO_LARGE": Code(413, False, "一次提交的号码超过上限", "More recipients in one request than allowed"),
    "UNKNOWN_ACCOUNT": Code(401, False, "网关账号不存在", "No such gateway account"),
    "BAD_SIGNATURE": Code(401, False, "签名错误（密钥不符）", "The signature does not match (wrong key)"),
    "TIMESTAMP_OUT_OF_WINDOW": Code(
        401, False, "请求时间与网关相差超过 5 分钟，请校准电脑时间", "The request's time is more than 5 minutes off"
    ),
    "NONCE_REUSED": Code(401, False, "重复的请求（疑似重放）", "A nonce used before: a replayed request"),
    "ACCOUNT_DISABLED": Code(403, False, "网关账号已停用", "The gateway account is disabled"),
    "NOT_FOUND": Code(404, False, "没有这个接口", "No such endpoint"),
    "METHOD_NOT_ALLOWED": Code(405, False, "接口不支持该方法", "The endpoint does not take this method"),
    "RATE_LIMITED": Code(429, True, "请求过于频繁，稍后重试", "Too many requests; retry after the given wait"),
    "INTERNAL_ERROR": Code(500, True, "网关内部错误，稍后重试", "The gateway failed; retry later"),
    "SERVICE_UNAVAILABLE": Code(503, True, "网关暂时不可用，稍后重试", "The gateway is unavailable for now"),
    "MAINTENANCE": Code(503, True, "网关维护中，稍后重试", "The gateway is down for maintenance"),
    # Per-recipient rejections (HTTP 200, in the recipient's result).
    "INVALID_NUMBER": Code(200, False, "号码无效", "Not a valid mobile number"),
    "INVALID_CLIENT_ID": Code(200, False, "客户端消息编号无效", "The client id is missing or malformed"),
    "EMPTY_TEXT": Code(200, False, "短信内容为空", "The text is empty"),
    "TEXT_TOO_LONG": Code(200, False, "短信内容过长", "The text has more segments than allowed"),
    "CONTENT_BLOCKED": Code(200, False, "内容含有违禁词", "The text contains a word the gateway blocks"),
    "CLIENT_ID_CONFLICT": Code(
        200, False, "同一消息编号曾用于不同号码或内容", "The client id was used before with another number or text"
    ),
    "INSUFFICIENT_BALANCE": Code(200, True, "网关账户余额不足", "The prepaid balance is too low"),
    "DAILY_LIMIT_REACHED": Code(200, True, "已达当日发送上限", "The daily maximum is reached"),
}


def reason_key(code: str) -> str:
    """The message key for a code; codes this version does not know share one."""
    return f"gwapi.{code.lower()}" if code in CODES else "gwapi.other_code"


def is_later(code: str, said: str | None = None) -> bool:
    """Retry later? The gateway's own `retry` field wins, so a code added after this version still works."""
    if said in ("later", "never"):
        return said == "later"
    known = CODES.get(code)
    return known.later if known else False


messages.register({reason_key(code): (c.zh, c.en) for code, c in CODES.items()})
messages.register(
    {"gwapi.other_code": ("网关拒绝（代码见详情）", "Refused by the gateway (its code is in the detail)")}
)
