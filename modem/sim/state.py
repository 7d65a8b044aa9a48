"""The simulated modem's configuration and state: SIM card, message storage, network, settings.

`SimConfig` is what a test or a `sim://` URL chooses once; `ModemSettings` is what AT commands
change and a reboot resets; `SimCard` and the storages survive a reboot (they live on the SIM
and in flash), as they do on a real modem.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields, replace
from urllib.parse import parse_qsl, urlsplit

from modem.codec import Submit


class SimLock(enum.Enum):
    READY = "READY"
    PIN = "SIM PIN"
    PUK = "SIM PUK"
    BLOCKED = "SIM PUK BLOCKED"  # PUK tries spent: the SIM is dead


def _ints(text: str) -> frozenset[int]:
    return frozenset(int(x) for x in text.replace(";", ",").split(",") if x.strip())


def _bool(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SimConfig:
    """Everything a simulated modem is set up with. Also settable as `sim://name?key=value&...`.

    Timing: `latency` is the per-command delay (seconds), `sms_latency` the time a +CMGS takes
    (a real modem needs about 2 s per message). In a URL, `latency=0` also makes `sms_latency` 0
    unless it is given, so `sim://?latency=0` is a zero-latency modem for tests and benchmarks.

    Faults: `cms_rate` (0..1, seeded by `seed`) or `cms_on` (numbers N of the +CMGS to fail,
    1-based) answer `+CMS ERROR: <cms_code>`; `silence_on` leaves the Nth +CMGS unanswered;
    `vanish_on` pulls the cable when the Nth PDU arrives; `reboot_on` reboots instead of
    answering it; `garbage_rate` prefixes replies with line noise; `rssi_every` sends a Huawei
    ^RSSI line every so many seconds; `max_read` splits output into reads of 1..max_read bytes.
    """

    name: str = ""
    latency: float = 0.05
    sms_latency: float = 2.0
    pin: str | None = None
    puk: str = "12345678"
    pin_tries: int = 3
    puk_tries: int = 10
    seed: int | None = None
    manufacturer: str = "SMSJingling"
    model: str = "SIMULATED-GSM"
    revision: str = "SIM 1.0.0"
    imei: str = "867322030000017"
    imsi: str = "460001234567890"
    iccid: str = "89860012345678901234"
    own_number: str | None = "+8613800000000"
    operator_long: str = "CHINA MOBILE"
    operator_short: str = "CMCC"
    operator_numeric: str = "46000"
    rssi: int = 20
    registered: bool = True
    roaming: bool = False
    smsc: str | None = "+8613800100500"
    sm_capacity: int = 50
    me_capacity: int = 100
    sr_capacity: int = 20
    sr_memory: str = "SM"  # where ds=2 stores status reports (Huawei uses "SR")
    index_base: int = 1  # first storage index (some Huawei modems count from 0)
    echo: bool = True  # after power-on, as real modems are
    sr_delay: float = 3.0  # status report this long after the +CMGS reply
    sr_status: int = 0  # TP-ST of status reports (0 delivered; 0x40.. failed)
    ussd_encoding: str = "ucs2"  # ucs2 (DCS 72), gsm7 (packed, DCS 15) or text (DCS 15)
    ussd_reply: str = "尊敬的客户,您的话费余额为23.50元。"
    ussd_delay: float = 0.0
    ready_delay: float = 0.0  # after PIN / boot, SMS commands answer +CMS ERROR: 515 this long
    boot_delay: float = 0.0  # a reboot leaves the modem deaf this long before RDY
    cms_rate: float = 0.0
    cms_code: int = 500
    cms_on: frozenset[int] = frozenset()
    silence_on: frozenset[int] = frozenset()
    vanish_on: frozenset[int] = frozenset()
    reboot_on: frozenset[int] = frozenset()
    garbage_rate: float = 0.0
    rssi_every: float = 0.0
    max_read: int = 0
    baudrate: int = 0  # 0: any rate works (auto-baud); else other rates read as line noise
    role: str = "full"  # full; at_only (a secondary USB port: AT/ATI only); mute (a DIAG/GPS port)

    @classmethod
    def from_url(cls, url: str) -> SimConfig:
        """`sim://name?latency=0&pin=1234&seed=1` → SimConfig. Unknown keys raise ValueError."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "sim":
            raise ValueError(f"not a sim:// URL: {url!r}")
        name = (parts.netloc + parts.path).strip("/")
        known = {f.name: f for f in fields(cls)}
        values: dict[str, object] = {"name": name}
        for key, raw in parse_qsl(parts.query, keep_blank_values=True):
            key = key.lower()
            if key not in known or key == "name":
                raise ValueError(f"unknown sim:// parameter {key!r}")
            default = getattr(cls, key)
            if isinstance(default, bool):
                values[key] = _bool(raw)
            elif isinstance(default, frozenset):
                values[key] = _ints(raw)
            elif isinstance(default, int):
                values[key] = int(raw)
            elif isinstance(default, float):
                values[key] = float(raw)
            elif key in ("pin", "own_number", "smsc"):
                values[key] = raw or None
            else:
                values[key] = raw
        if values.get("latency") == 0.0 and "sms_latency" not in values:
            values["sms_latency"] = 0.0
        return replace(cls(), **values)  # type: ignore[arg-type]


@dataclass
class SimCard:
    """The SIM: its PIN lock survives nothing (locked again at every power-on), its counters do."""

    pin: str | None
    puk: str
    pin_tries_max: int
    puk_tries_max: int
    smsc: str | None
    pin_tries_left: int = 0
    puk_tries_left: int = 0
    lock: SimLock = SimLock.READY

    def __post_init__(self) -> None:
        self.pin_tries_left = self.pin_tries_max
        self.puk_tries_left = self.puk_tries_max
        self.power_on()

    def power_on(self) -> None:
        if self.lock in (SimLock.PUK, SimLock.BLOCKED):
            return  # a blocked SIM stays blocked across reboots
        self.lock = SimLock.PIN if self.pin else SimLock.READY

    def enter_pin(self, pin: str) -> bool:
        if self.lock is not SimLock.PIN:
            return self.lock is SimLock.READY and pin == self.pin
        if pin == self.pin:
            self.lock = SimLock.READY
            self.pin_tries_left = self.pin_tries_max
            return True
        self.pin_tries_left -= 1
        if self.pin_tries_left <= 0:
            self.lock = SimLock.PUK
        return False

    def enter_puk(self, puk: str, new_pin: str) -> bool:
        if self.lock is not SimLock.PUK:
            return False
        if puk == self.puk:
            self.lock = SimLock.READY
            self.pin = new_pin
            self.pin_tries_left = self.pin_tries_max
            self.puk_tries_left = self.puk_tries_max
            return True
        self.puk_tries_left -= 1
        if self.puk_tries_left <= 0:
            self.lock = SimLock.BLOCKED
        return False


class MessageStat(enum.IntEnum):
    REC_UNREAD = 0
    REC_READ = 1
    STO_UNSENT = 2
    STO_SENT = 3


TEXT_STAT = {
    MessageStat.REC_UNREAD: "REC UNREAD",
    MessageStat.REC_READ: "REC READ",
    MessageStat.STO_UNSENT: "STO UNSENT",
    MessageStat.STO_SENT: "STO SENT",
}


@dataclass
class StoredSms:
    stat: MessageStat
    pdu: str  # hex: SMSC field + TPDU, as +CMGR prints it
    tpdu_length: int


@dataclass
class Storage:
    """One message memory ("SM", "ME", "SR") with a fixed number of slots."""

    name: str
    capacity: int
    base: int = 1
    slots: dict[int, StoredSms] = field(default_factory=dict)

    @property
    def used(self) -> int:
        return len(self.slots)

    def valid(self, index: int) -> bool:
        return self.base <= index < self.base + self.capacity

    def store(self, sms: StoredSms) -> int | None:
        """The index the message went to, or None when the memory is full."""
        for index in range(self.base, self.base + self.capacity):
            if index not in self.slots:
                self.slots[index] = sms
                return index
        return None


@dataclass(frozen=True)
class SentPdu:
    """One PDU the simulator accepted with +CMGS: what a test checks to see exactly what left."""

    number: int  # 1-based count of +CMGS payloads received (faulted ones included)
    pdu: str
    tpdu_length: int
    submit: Submit
    tp_mr: int
    at: float  # time.monotonic() when accepted

    @property
    def recipient(self) -> str:
        return self.submit.recipient.number

    @property
    def text(self) -> str | None:
        return self.submit.text


@dataclass
class ModemSettings:
    """What AT commands set and a reboot (or ATZ) resets."""

    echo: bool = True
    cmee: int = 0
    cmgf: int = 0
    cscs: str = "IRA"
    cnmi: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)  # mode, mt, bm, ds, bfr
    cpms: tuple[str, str, str] = ("SM", "SM", "SM")
    creg_n: int = 0
    cgreg_n: int = 0
    cops_format: int = 0
    cusd_n: int = 0
    csmp_fo: int = 17  # text mode first octet: SUBMIT with relative validity; 49 adds SRR
    curc: int = 1  # Huawei ^CURC: periodic reports (^RSSI) on
    radio_on: bool = True
