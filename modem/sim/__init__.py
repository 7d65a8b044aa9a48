"""A simulated GSM modem: a real AT peer for tests, benchmarks and machines without a modem.

Importing this package registers the `sim://` URL scheme with pyserial::

    import modem.sim
    port = serial.serial_for_url("sim://office1?latency=0&pin=1234&seed=1")
    port.sim.inject_sms("+8613911112222", "收到")

For other programs on Linux, `python -m modem.sim --pty` bridges one to a pseudo-terminal and
prints its /dev/pts path. See SimConfig for the URL parameters and SimModem for the test API.
"""

import serial

from modem.sim.port import SimModem, SimPort, get, modem_for_url
from modem.sim.state import SentPdu, SimConfig, SimLock, Storage, StoredSms

# pyserial imports "<package>.protocol_sim" for sim:// URLs (see serial.serial_for_url).
if "modem.sim" not in serial.protocol_handler_packages:
    serial.protocol_handler_packages.append("modem.sim")

__all__ = ["SentPdu", "SimConfig", "SimLock", "SimModem", "SimPort", "Storage", "StoredSms", "get", "modem_for_url"]
