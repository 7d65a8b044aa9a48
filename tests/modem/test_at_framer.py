"""The framer alone: bytes in, lines and prompts out."""

from __future__ import annotations

import pytest

from modem.at.framer import MAX_LINE, PROMPT, Framer


def feed_all(framer: Framer, *chunks: bytes) -> list[object]:
    out: list[object] = []
    for chunk in chunks:
        out.extend(framer.feed(chunk))
    return out


def test_crlf_lines_and_empty_lines_dropped() -> None:
    assert Framer().feed(b"\r\n+CSQ: 18,99\r\n\r\nOK\r\n") == ["+CSQ: 18,99", "OK"]


@pytest.mark.parametrize("sep", [b"\n", b"\r", b"\r\r\n", b"\n\r"])
def test_any_line_end(sep: bytes) -> None:
    assert Framer().feed(b"A" + sep + b"B" + sep) == ["A", "B"]


def test_partial_line_waits_for_its_end() -> None:
    framer = Framer()
    assert framer.feed(b'+CMTI: "S') == []
    assert framer.pending == b'+CMTI: "S'
    assert framer.feed(b'M",3') == []
    assert framer.feed(b"\r\n") == ['+CMTI: "SM",3']
    assert framer.pending == b""


def test_every_byte_in_its_own_read() -> None:
    data = b"\r\n+CMGS: 12\r\n\r\nOK\r\n"
    assert feed_all(Framer(), *(data[i : i + 1] for i in range(len(data)))) == ["+CMGS: 12", "OK"]


def test_garbage_nul_and_invalid_utf8() -> None:
    out = Framer().feed(b'\x00\x00\xff\xfe\r\n\xffOK\x00\r\n+COPS: 0,0,"\xe4\xb8\xad\xe5\x9b\xbd"\r\n\x80')
    assert out == ["OK", '+COPS: 0,0,"中国"']


def test_prompt_only_when_expected() -> None:
    framer = Framer()
    assert framer.feed(b"\r\n> ") == []
    assert framer.pending == b"> "
    framer.reset()
    framer.expect_prompt = True
    assert framer.feed(b"\r\n> ") == [PROMPT]
    assert framer.pending == b""


def test_prompt_without_space_and_split() -> None:
    framer = Framer()
    framer.expect_prompt = True
    assert feed_all(framer, b"\r", b"\n", b">") == [PROMPT]


def test_runaway_line_is_cut() -> None:
    framer = Framer()
    out = framer.feed(b"x" * (MAX_LINE + 10))
    assert out == ["x" * (MAX_LINE + 10)]
    assert framer.pending == b""
