"""Exceptions of the modem library and the tables behind +CMS ERROR / +CME ERROR codes.

Every code is mapped to a message in Chinese and English and to a retry class, so that the
dispatcher can decide what to do with a failed message without knowing GSM:

- RETRY_LATER: the network or the modem is busy, congested or briefly unreachable; the same message
  may succeed after a pause.
- PERMANENT: the message or the destination is wrong; resending it unchanged will fail again.
- NEEDS_ATTENTION: a person must act on the modem or the SIM (PIN, PUK, missing or broken SIM,
  barred or unpaid subscription, full storage); retrying before they do is pointless.

Where a code is vague, the table leans to RETRY_LATER: a message wrongly retried costs a few
attempts (bounded by the caller's attempt limit), one wrongly failed is lost to the recipient.

Sources: 3GPP TS 27.005 §3.2.5 (<err> of +CMS ERROR, with values 0…127 from TS 24.011 Table 8.4
(RP-cause) and 128…255 from TS 23.040 §9.2.3.22 (TP-FCS)), TS 27.007 §9.2 (<err> of +CME ERROR),
and manufacturer codes 512… as Wavecom/Sierra, SIMCom and Quectel manuals document them. Vendors
disagree above 511; the table keeps the most common meaning and says so in the text.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

ErrorKind = Literal["cms", "cme"]


class RetryClass(enum.Enum):
    RETRY_LATER = "retry_later"
    PERMANENT = "permanent"
    NEEDS_ATTENTION = "needs_attention"


R = RetryClass.RETRY_LATER
P = RetryClass.PERMANENT
A = RetryClass.NEEDS_ATTENTION


@dataclass(frozen=True)
class ErrorInfo:
    retry: RetryClass
    zh: str
    en: str


def _table(rows: dict[int, tuple[RetryClass, str, str]]) -> dict[int, ErrorInfo]:
    return {code: ErrorInfo(*row) for code, row in rows.items()}


# +CMS ERROR: TS 27.005 §3.2.5.
CMS_ERRORS: dict[int, ErrorInfo] = _table(
    {
        # 0…127: RP-cause, TS 24.011 Table 8.4 (what the network answered to our submit).
        1: (P, "号码不存在(未分配号码)", "unassigned (unallocated) number"),
        8: (
            A,
            "运营商禁止发送(可能欠费或未开通短信)",
            "operator determined barring (check the SIM's credit and SMS service)",
        ),
        10: (A, "呼叫被禁止(可能欠费或已设置呼叫限制)", "call barred (check the SIM's credit and barring settings)"),
        17: (R, "网络故障", "network failure"),
        21: (P, "短信被拒收(目标号码无效或拒收)", "short message transfer rejected (invalid destination)"),
        22: (R, "接收方存储已满", "memory capacity exceeded at the destination"),
        27: (R, "目标用户暂时无法接通", "destination out of service"),
        28: (P, "无法识别的用户", "unidentified subscriber"),
        29: (P, "网络拒绝该业务", "facility rejected"),
        30: (P, "用户不存在", "unknown subscriber"),
        38: (R, "网络故障(网络不可用)", "network out of order"),
        41: (R, "网络临时故障", "temporary failure"),
        42: (R, "网络拥塞", "congestion"),
        47: (R, "网络资源不足", "resources unavailable, unspecified"),
        50: (A, "SIM 卡未开通短信业务", "requested facility not subscribed"),
        69: (P, "网络不支持该业务", "requested facility not implemented"),
        81: (R, "短信参考号无效", "invalid short message transfer reference value"),
        95: (P, "短信格式无效", "invalid message, unspecified"),
        96: (P, "缺少必需的信息单元", "invalid mandatory information"),
        97: (P, "消息类型不存在或未实现", "message type non-existent or not implemented"),
        98: (P, "消息与协议状态不符", "message not compatible with short message protocol state"),
        99: (P, "信息单元不存在或未实现", "information element non-existent or not implemented"),
        111: (P, "协议错误", "protocol error, unspecified"),
        127: (R, "网络互通错误", "interworking, unspecified"),
        # 128…255: TP-FCS, TS 23.040 §9.2.3.22 (what the service centre answered).
        128: (P, "不支持该电信互通", "telematic interworking not supported"),
        129: (P, "不支持 0 类短信", "short message type 0 not supported"),
        130: (P, "无法替换短信", "cannot replace short message"),
        143: (P, "TP-PID 错误", "unspecified TP-PID error"),
        144: (P, "不支持该编码方式", "data coding scheme (alphabet) not supported"),
        145: (P, "不支持该短信类别", "message class not supported"),
        159: (P, "TP-DCS 错误", "unspecified TP-DCS error"),
        160: (P, "命令无法执行", "command cannot be actioned"),
        161: (P, "命令不支持", "command unsupported"),
        175: (P, "TP-Command 错误", "unspecified TP-Command error"),
        176: (P, "不支持该 TPDU", "TPDU not supported"),
        192: (R, "短信中心忙", "SC busy"),
        193: (A, "未订购短信中心服务", "no SC subscription"),
        194: (R, "短信中心系统故障", "SC system failure"),
        195: (P, "目标号码无效", "invalid SME address"),
        196: (P, "目标号码被禁止接收", "destination SME barred"),
        197: (P, "重复短信被拒绝", "SM rejected, duplicate SM"),
        198: (P, "不支持该有效期格式", "TP-VPF not supported"),
        199: (P, "不支持该有效期", "TP-VP not supported"),
        208: (A, "SIM 卡短信存储已满", "(U)SIM SMS storage full"),
        209: (P, "SIM 卡不能存储短信", "no SMS storage capability in (U)SIM"),
        210: (R, "终端错误", "error in MS"),
        211: (R, "存储容量已满", "memory capacity exceeded"),
        212: (R, "SIM 卡工具包忙", "(U)SIM Application Toolkit busy"),
        213: (R, "SIM 卡数据下载错误", "(U)SIM data download error"),
        255: (R, "未指明的错误", "unspecified error cause"),
        # 300…: errors of the modem itself.
        300: (R, "模块故障", "ME failure"),
        301: (P, "模块的短信服务被保留", "SMS service of ME reserved"),
        302: (R, "当前不允许该操作(模块可能尚未就绪)", "operation not allowed (the modem may not be ready yet)"),
        303: (P, "不支持该操作", "operation not supported"),
        304: (P, "PDU 模式参数无效", "invalid PDU mode parameter"),
        305: (P, "文本模式参数无效", "invalid text mode parameter"),
        310: (A, "未插入 SIM 卡", "SIM not inserted"),
        311: (A, "需要输入 SIM 卡 PIN 码", "SIM PIN required"),
        312: (A, "需要输入 PH-SIM PIN 码", "PH-SIM PIN required"),
        313: (A, "SIM 卡故障", "SIM failure"),
        314: (R, "SIM 卡忙", "SIM busy"),
        315: (A, "SIM 卡错误", "SIM wrong"),
        316: (A, "需要输入 SIM 卡 PUK 码", "SIM PUK required"),
        317: (A, "需要输入 SIM 卡 PIN2 码", "SIM PIN2 required"),
        318: (A, "需要输入 SIM 卡 PUK2 码", "SIM PUK2 required"),
        320: (R, "存储器故障", "memory failure"),
        321: (P, "存储位置无效", "invalid memory index"),
        322: (A, "存储已满", "memory full"),
        330: (R, "短信中心号码未知", "SMSC address unknown"),
        331: (R, "无网络服务", "no network service"),
        332: (R, "网络超时", "network timeout"),
        340: (P, "不需要 +CNMA 确认", "no +CNMA acknowledgement expected"),
        500: (R, "未知错误", "unknown error"),
        # 512…: manufacturer specific (Wavecom/Sierra meanings unless noted).
        512: (R, "移动性管理建立失败(厂商代码)", "MM establishment failure (manufacturer code)"),
        513: (R, "底层链路失败(厂商代码)", "lower layer failure (manufacturer code)"),
        514: (R, "CP 层错误(厂商代码)", "CP error (manufacturer code)"),
        515: (R, "模块忙,请稍候(初始化或命令处理中)", "please wait, init or command processing in progress"),
        516: (R, "模块忙(厂商代码)", "busy (manufacturer code)"),
        517: (P, "不支持 SIM 卡工具包功能(厂商代码)", "SIM Toolkit facility not supported (manufacturer code)"),
        518: (R, "未收到 SIM 卡工具包指示(厂商代码)", "SIM Toolkit indication not received (manufacturer code)"),
        527: (R, "网络忙,请稍后重试(厂商代码)", "please wait, RR or MM is busy; retry later"),
        528: (R, "位置更新失败,仅限紧急呼叫(厂商代码)", "location update failure, emergency calls only"),
        529: (R, "当前不允许发送短信(厂商代码)", "MO SMS not allowed now (manufacturer code)"),
        530: (R, "数据业务挂起(厂商代码)", "GPRS is suspended (manufacturer code)"),
        531: (P, "目标号码不在固定拨号列表中(厂商代码)", "destination not in the FDN phonebook and FDN is locked"),
        532: (R, "模块忙(厂商代码)", "busy (manufacturer code)"),
        535: (R, "协议栈忙(厂商代码)", "protocol stack busy (manufacturer code)"),
        538: (P, "参数无效(厂商代码)", "invalid parameter (manufacturer code)"),
    }
)

# +CME ERROR: TS 27.007 §9.2.1 (general) and §9.2.2 (GPRS).
CME_ERRORS: dict[int, ErrorInfo] = _table(
    {
        0: (R, "模块故障", "phone failure"),
        1: (R, "与模块无连接", "no connection to phone"),
        2: (R, "模块适配器链路被占用", "phone-adaptor link reserved"),
        3: (R, "当前不允许该操作", "operation not allowed"),
        4: (P, "不支持该操作", "operation not supported"),
        5: (A, "需要输入 PH-SIM PIN 码", "PH-SIM PIN required"),
        6: (A, "需要输入 PH-FSIM PIN 码", "PH-FSIM PIN required"),
        7: (A, "需要输入 PH-FSIM PUK 码", "PH-FSIM PUK required"),
        10: (A, "未插入 SIM 卡", "SIM not inserted"),
        11: (A, "需要输入 SIM 卡 PIN 码", "SIM PIN required"),
        12: (A, "需要输入 SIM 卡 PUK 码", "SIM PUK required"),
        13: (A, "SIM 卡故障", "SIM failure"),
        14: (R, "SIM 卡忙", "SIM busy"),
        15: (A, "SIM 卡错误", "SIM wrong"),
        16: (A, "密码错误", "incorrect password"),
        17: (A, "需要输入 SIM 卡 PIN2 码", "SIM PIN2 required"),
        18: (A, "需要输入 SIM 卡 PUK2 码", "SIM PUK2 required"),
        20: (A, "存储已满", "memory full"),
        21: (P, "索引无效", "invalid index"),
        22: (P, "未找到", "not found"),
        23: (R, "存储器故障", "memory failure"),
        24: (P, "文本过长", "text string too long"),
        25: (P, "文本包含无效字符", "invalid characters in text string"),
        26: (P, "拨号字符串过长", "dial string too long"),
        27: (P, "拨号字符串包含无效字符", "invalid characters in dial string"),
        30: (R, "无网络服务", "no network service"),
        31: (R, "网络超时", "network timeout"),
        32: (A, "网络不允许,仅限紧急呼叫", "network not allowed, emergency calls only"),
        40: (A, "需要输入网络锁 PIN 码", "network personalization PIN required"),
        41: (A, "需要输入网络锁 PUK 码", "network personalization PUK required"),
        42: (A, "需要输入子网锁 PIN 码", "network subset personalization PIN required"),
        43: (A, "需要输入子网锁 PUK 码", "network subset personalization PUK required"),
        44: (A, "需要输入服务商锁 PIN 码", "service provider personalization PIN required"),
        45: (A, "需要输入服务商锁 PUK 码", "service provider personalization PUK required"),
        46: (A, "需要输入企业锁 PIN 码", "corporate personalization PIN required"),
        47: (A, "需要输入企业锁 PUK 码", "corporate personalization PUK required"),
        48: (A, "需要隐藏密钥", "hidden key required"),
        49: (P, "不支持该 EAP 方法", "EAP method not supported"),
        50: (P, "参数错误", "incorrect parameters"),
        51: (P, "命令已实现但当前被禁用", "command implemented but currently disabled"),
        52: (R, "命令被用户中止", "command aborted by user"),
        53: (A, "因模块功能受限未附着网络", "not attached to network due to MT functionality restrictions"),
        54: (A, "模块仅限紧急呼叫", "modem not allowed, MT restricted to emergency calls only"),
        55: (A, "因模块功能受限不允许该操作", "operation not allowed because of MT functionality restrictions"),
        56: (P, "仅允许固定拨号号码", "fixed dial number only allowed"),
        57: (R, "因模块其他用途暂时停止服务", "temporarily out of service due to other MT usage"),
        58: (P, "不支持该语言或字母表", "language/alphabet not supported"),
        59: (P, "数据值异常", "unexpected data value"),
        60: (R, "系统故障", "system failure"),
        61: (P, "缺少数据", "data missing"),
        62: (A, "呼叫被禁止", "call barred"),
        63: (R, "消息等待指示订阅失败", "message waiting indication subscription failure"),
        100: (R, "未知错误", "unknown"),
        103: (A, "非法移动台(SIM 卡被网络拒绝)", "illegal MS"),
        106: (A, "非法终端", "illegal ME"),
        107: (A, "不允许数据业务", "GPRS services not allowed"),
        108: (A, "不允许数据和非数据业务", "GPRS and non-GPRS services not allowed"),
        111: (A, "不允许使用该运营商网络", "PLMN not allowed"),
        112: (A, "该位置区不允许接入", "location area not allowed"),
        113: (A, "该位置区不允许漫游", "roaming not allowed in this location area"),
        114: (A, "该运营商网络不允许数据业务", "GPRS services not allowed in this PLMN"),
        115: (R, "该位置区无合适小区", "no suitable cells in location area"),
        122: (R, "网络拥塞", "congestion"),
        125: (R, "资源不足", "insufficient resources"),
        126: (A, "APN 缺失或未知", "missing or unknown APN"),
        127: (A, "PDP 地址或类型未知", "unknown PDP address or PDP type"),
        128: (A, "用户认证失败", "user authentication failed"),
        129: (R, "网关拒绝激活", "activation rejected by GGSN, Serving GW or PDN GW"),
        130: (R, "激活被拒绝", "activation rejected, unspecified"),
        131: (P, "不支持该业务选项", "service option not supported"),
        132: (A, "未订购该业务选项", "requested service option not subscribed"),
        133: (R, "业务选项暂时不可用", "service option temporarily out of order"),
        148: (R, "未指明的数据业务错误", "unspecified GPRS error"),
        149: (A, "PDP 认证失败", "PDP authentication failure"),
        150: (P, "移动台类别无效", "invalid mobile class"),
    }
)

# With AT+CMEE=2 modems send the text instead of the number, in the spelling of the spec or
# close to it. Extra spellings seen on Huawei, SIMCom and Quectel modules.
_TEXT_ALIASES: dict[tuple[ErrorKind, str], int] = {
    ("cms", "unknown"): 500,
    ("cms", "unknown error"): 500,
    ("cms", "sim not ready"): 512,
    ("cms", "sim busy"): 314,
    ("cms", "sim pin necessary"): 311,
    ("cms", "network timeout"): 332,
    ("cms", "no network"): 331,
    ("cms", "operation not allowed"): 302,
    ("cms", "invalid pdu mode"): 304,
    ("cms", "invalid text mode"): 305,
    ("cms", "sim not present"): 310,
    ("cme", "unknown error"): 100,
    ("cme", "sim busy"): 14,
    ("cme", "sim not ready"): 14,
    ("cme", "sim not present"): 10,
    ("cme", "no sim"): 10,
    ("cme", "sim pin necessary"): 11,
    ("cme", "sim puk necessary"): 12,
    ("cme", "invalid input value"): 50,
    ("cme", "invalid parameter"): 50,
    ("cme", "no network"): 30,
    ("cme", "not found"): 22,
}


def _norm(text: str) -> str:
    return re.sub(r"[\s,_\-]+", " ", text.strip().strip('"').lower()).strip()


_BY_TEXT: dict[tuple[ErrorKind, str], int] = {}
for _kind, _table_ in (("cms", CMS_ERRORS), ("cme", CME_ERRORS)):
    for _code, _info in _table_.items():
        _BY_TEXT.setdefault((_kind, _norm(_info.en)), _code)  # type: ignore[arg-type]
_BY_TEXT.update({(k, _norm(t)): c for (k, t), c in _TEXT_ALIASES.items()})


def code_from_text(kind: ErrorKind, text: str) -> int | None:
    """The numeric code for a textual error (CMEE=2), or None if the text is not known."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    return _BY_TEXT.get((kind, _norm(text)))


def classify(kind: ErrorKind, code: int | str | None) -> tuple[RetryClass, str, str]:
    """(retry class, Chinese message, English message) for a +CMS or +CME error.

    `code` may be the number, its text (as modems send with AT+CMEE=2), or None when the modem
    only said ERROR. Unknown codes get a generic message that names the number.
    """
    label = "CMS" if kind == "cms" else "CME"
    raw_text: str | None = None
    if isinstance(code, str):
        raw_text = code.strip()
        number = code_from_text(kind, raw_text)
    else:
        number = code
    if number is None:
        if raw_text:
            return R, f"模块错误:{raw_text}", f"modem error: {raw_text}"
        return R, "模块返回错误(未给出原因)", "the modem answered ERROR without a reason"
    table = CMS_ERRORS if kind == "cms" else CME_ERRORS
    info = table.get(number)
    if info is not None:
        return info.retry, info.zh, info.en
    if kind == "cms" and number < 128:
        return R, f"网络拒绝(原因 {number})", f"rejected by the network (cause {number})"
    if kind == "cms" and number < 256:
        return R, f"短信中心拒绝(原因 {number})", f"rejected by the service centre (cause {number})"
    if number >= 512 or (kind == "cme" and number >= 256):
        return R, f"厂商自定义错误 {label} {number}", f"manufacturer specific error {label} {number}"
    return R, f"未知错误 {label} {number}", f"unknown error {label} {number}"


# ---------------------------------------------------------------------------------------------
# Exceptions


class ModemError(Exception):
    """Base of every error this library raises."""


class ChannelClosed(ModemError):
    """The AT channel was closed by its owner; no more commands can be sent on it."""


class PortUnavailable(ModemError):
    """The serial port could not be opened (no such port, in use by another program, no permission)."""

    def __init__(self, port: str, cause: BaseException | None = None) -> None:
        self.port = port
        self.cause = cause
        super().__init__(f"cannot open serial port {port}: {cause}")


class PortGone(ModemError):
    """The serial port went away (USB cable pulled, device reset, driver error).

    Raised at once to the command in flight and to every later call on the same channel.
    """

    def __init__(self, port: str, cause: BaseException | None = None) -> None:
        self.port = port
        self.cause = cause
        detail = f": {cause}" if cause is not None else ""
        super().__init__(f"serial port {port} is gone{detail}")


class CommandTimeout(ModemError):
    """No final result code arrived within the command's deadline."""

    def __init__(self, command: str, timeout: float, received: Sequence[str], *, waiting_for: str = "reply"):
        self.command = command
        self.timeout = timeout
        self.received = tuple(received)
        self.waiting_for = waiting_for
        got = " | ".join(self.received) if self.received else "nothing"
        super().__init__(f"{command!r}: no {waiting_for} within {timeout:g} s (received: {got})")


class CommandError(ModemError):
    """The modem answered a command with an error final result code.

    kind is 'cms' or 'cme' for +CMS ERROR / +CME ERROR, or 'plain' for ERROR, COMMAND NOT SUPPORT,
    NO CARRIER, BUSY, NO ANSWER and NO DIALTONE (then `final` tells which). `code` is the numeric
    code when there is one (text codes of AT+CMEE=2 are translated when known).
    """

    def __init__(
        self,
        command: str,
        final: str,
        *,
        kind: ErrorKind | Literal["plain"],
        code: int | None = None,
        code_text: str | None = None,
        lines: Sequence[str] = (),
    ) -> None:
        self.command = command
        self.final = final
        self.kind = kind
        self.code = code
        self.code_text = code_text
        self.lines = tuple(lines)
        if kind == "plain":
            self.retry_class, self.message_zh, self.message_en = _plain_final(final)
        else:
            self.retry_class, self.message_zh, self.message_en = classify(kind, code if code is not None else code_text)
        super().__init__(f"{command!r} failed: {final} ({self.message_en})")

    @classmethod
    def from_final(cls, command: str, final: str, lines: Sequence[str] = ()) -> CommandError:
        """Build the error for a final result code line other than OK."""
        m = re.match(r"\+(CMS|CME) ERROR:?\s*(.*)$", final.strip(), re.IGNORECASE)
        if m is None:
            return cls(command, final, kind="plain", lines=lines)
        kind: ErrorKind = "cms" if m.group(1).upper() == "CMS" else "cme"
        text = m.group(2).strip().strip('"')
        return cls(command, final, kind=kind, code=code_from_text(kind, text), code_text=text or None, lines=lines)


_PLAIN_FINALS: dict[str, tuple[RetryClass, str, str]] = {
    "ERROR": (R, "模块返回错误(未给出原因)", "the modem answered ERROR without a reason"),
    "COMMAND NOT SUPPORT": (P, "模块不支持该命令", "command not supported by the modem"),
    "NO CARRIER": (R, "连接断开或未建立", "no carrier"),
    "BUSY": (R, "对方忙", "busy"),
    "NO ANSWER": (R, "无人应答", "no answer"),
    "NO DIALTONE": (R, "无拨号音(无网络)", "no dial tone"),
}


def _plain_final(final: str) -> tuple[RetryClass, str, str]:
    return _PLAIN_FINALS.get(final.strip().upper(), _PLAIN_FINALS["ERROR"])


class ReplyParseError(ModemError, ValueError):
    """A reply did not have the shape its parser expects."""

    def __init__(self, what: str, lines: Sequence[str]) -> None:
        self.lines = tuple(lines)
        super().__init__(f"cannot parse {what} from {list(self.lines)!r}")
