"""A standalone GSM modem library: AT channel, PDU codec, modem operations, port discovery, simulated modem.

Depends on pyserial and the standard library only, so it can be used (and tested) without the rest of
短信精灵.
"""
