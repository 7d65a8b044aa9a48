"""pyserial URL handler for `sim://`: serial.serial_for_url finds `<package>.protocol_<scheme>.Serial`."""

from modem.sim.port import SimPort as Serial

__all__ = ["Serial"]
