"""Properties of the codec over arbitrary text and arbitrary bytes (hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from modem.codec import Alphabet, PduError, count_segments, decode_pdu, encode_submit, reassemble_text, split_text
from modem.codec.gsm7 import EXTENSION_CHARS, GSM7_CHARS, septet_count
from modem.codec.messages import Direction

# Hypothesis keeps its example database and caches in ./.hypothesis; with this project's
# norecursedirs, pytest then warns that it skips that folder, and every warning fails the run. So
# nothing of it is written into the tree.
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "smsjingling-hypothesis"))

# Any Unicode scalar value: no lone surrogates, which no text box produces and UCS2 cannot carry.
any_char = st.characters(exclude_categories=("Cs",))
gsm_char = st.sampled_from(sorted(GSM7_CHARS))
edge_char = st.sampled_from([*sorted(EXTENSION_CHARS), "😀", "🏽", "𠀀", "中", "a", "@"])
texts = st.one_of(
    st.text(any_char, max_size=400),
    st.text(gsm_char, max_size=700),
    st.text(st.one_of(gsm_char, edge_char), max_size=500),
    st.text(st.sampled_from(["a", "€"]), min_size=150, max_size=330),  # escapes at part boundaries
    st.text(st.sampled_from(["中", "😀"]), min_size=60, max_size=220),  # surrogate pairs at boundaries
)


def _units(text: str, alphabet: Alphabet) -> int:
    return septet_count(text) if alphabet == Alphabet.GSM7 else len(text.encode("utf-16-be")) // 2


@settings(max_examples=300, deadline=None)
@given(texts, st.booleans())
def test_decode_of_encode_gives_the_text_back(text, use_16bit_ref):
    pdus = encode_submit("+8613800138000", text, use_16bit_ref=use_16bit_ref)
    decoded = [decode_pdu(p.hex) for p in pdus]
    assert reassemble_text(decoded) == text
    for pdu, message in zip(pdus, decoded, strict=True):
        assert message.text == pdu.text
        assert pdu.tpdu_length == len(pdu.hex) // 2 - 1  # SMSC prefix is the single octet 00
        if len(pdus) > 1:
            assert message.concat is not None and message.concat.ref_16bit == use_16bit_ref
            assert (message.concat.seq, message.concat.total) == (pdu.seq, len(pdus))


@settings(max_examples=300, deadline=None)
@given(texts, st.booleans())
def test_parts_respect_the_limits_and_the_counter_agrees(text, use_16bit_ref):
    pdus = encode_submit("13800138000", text, use_16bit_ref=use_16bit_ref)
    count = count_segments(text, use_16bit_ref=use_16bit_ref)
    assert count.segments == len(pdus)
    assert count.alphabet == pdus[0].alphabet
    assert count.units == _units(text, count.alphabet)
    if len(pdus) == 1:
        limit = 160 if count.alphabet == Alphabet.GSM7 else 70
    elif count.alphabet == Alphabet.GSM7:
        limit = 152 if use_16bit_ref else 153
    else:
        limit = 66 if use_16bit_ref else 67
    assert count.part_limit == limit
    assert all(_units(p.text, count.alphabet) <= limit for p in pdus)
    assert count.units_left == limit - _units(pdus[-1].text, count.alphabet)
    assert 0 <= count.units_left <= limit
    assert all(len(bytes.fromhex(p.hex)) - 1 <= 176 for p in pdus)  # TPDU never over 140 UD + header


@settings(max_examples=200, deadline=None)
@given(texts)
def test_split_text_matches_the_encoded_parts(text):
    parts = split_text(text)
    assert "".join(parts) == text
    assert parts == [p.text for p in encode_submit("10086", text)]


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200), st.booleans(), st.sampled_from(list(Direction)))
def test_decoding_arbitrary_bytes_never_crashes(data, smsc_included, direction):
    try:
        decode_pdu(data.hex(), smsc_included=smsc_included, direction=direction)
    except PduError as exc:
        assert "octet" in str(exc)
