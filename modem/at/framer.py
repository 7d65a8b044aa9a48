"""Bytes from the modem → text lines and `> ` prompts. Pure: no I/O, no threads.

A modem frames its output as <CR><LF>text<CR><LF>, but real ones also send bare <LF> or <CR>
line ends, doubled <CR>, NUL padding, bytes that are not UTF-8 (baud glitches, a GSM-charset
name), and the `> ` prompt of +CMGS/+CMGW with no line end after it. The framer accepts all of
that: any run of CR/LF ends a line, empty lines are dropped, NULs are removed, undecodable bytes
become U+FFFD and are trimmed from the ends of a line (so `\\xff\\xffOK` still reads as OK).
"""

from __future__ import annotations

from dataclasses import dataclass

_STRIP = " \t\r\n\ufffd"
# A line that never ends (garbage at a wrong baud rate) must not grow without bound.
MAX_LINE = 64 * 1024


@dataclass(frozen=True)
class Prompt:
    """The `> ` prompt the modem sends when it waits for an SMS body."""


PROMPT = Prompt()

Event = str | Prompt


def decode_line(raw: bytes) -> str:
    """Decode one line of modem output; '' for a line of nothing but noise."""
    return raw.replace(b"\x00", b"").decode("utf-8", errors="replace").strip(_STRIP)


class Framer:
    """Feed it the bytes of each read; get back the complete lines and prompts, in order."""

    def __init__(self) -> None:
        self._partial = bytearray()
        self.expect_prompt = False

    def feed(self, data: bytes) -> list[Event]:
        events: list[Event] = []
        buf = self._partial
        # Only the new bytes can hold a line end: scanning the old partial line again would make a
        # long line fed in small reads quadratic. Everything up to the last line end is whole lines;
        # bytes.splitlines() splits at CR, LF and CRLF only, so a run of line ends gives empty
        # lines, which are dropped.
        cut = max(data.rfind(b"\r"), data.rfind(b"\n"))
        if cut < 0:
            buf += data
        else:
            if buf:
                buf += data[:cut]
                block = bytes(buf)
                buf.clear()
            else:
                block = bytes(data[:cut])
            buf += data[cut + 1 :]
            prompt = self.expect_prompt
            for raw in block.splitlines():
                if raw and (line := decode_line(raw)):
                    # "> " with a URC (e.g. ^RSSI) or a stray line end right behind it, in one read.
                    events.append(PROMPT if prompt and line == ">" else line)
        if self.expect_prompt and buf and self._is_prompt(buf):
            buf.clear()
            events.append(PROMPT)
        elif len(buf) > MAX_LINE:
            line = decode_line(bytes(buf))
            buf.clear()
            if line:
                events.append(line)
        return events

    @staticmethod
    def _is_prompt(buf: bytearray) -> bool:
        # "> " with nothing after it on the line; some modems omit the space.
        return bytes(buf).replace(b"\x00", b"").strip(b" ") == b">"

    @property
    def pending(self) -> bytes:
        """Bytes of a line not yet ended."""
        return bytes(self._partial)

    def reset(self) -> None:
        self._partial.clear()
