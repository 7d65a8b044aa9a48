"""Every injected fault of the simulated modem, end to end through the Modem class."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from modem.at.parsers import PinStatus
from modem.device import Modem, ModemOptions, SimNotReady
from modem.errors import CommandError, CommandTimeout, PortGone, PortUnavailable, RetryClass
from modem.sim import SimModem

NUMBER = "+8613912345678"


@pytest.fixture
def sim() -> Iterator[SimModem]:
    s = SimModem(latency=0, sr_delay=0.05, seed=11)
    yield s
    s.remove()


def fast(**kw: float) -> ModemOptions:
    return ModemOptions(
        command_timeout=kw.pop("command_timeout", 1.0),
        send_timeout=kw.pop("send_timeout", 1.0),
        ready_timeout=kw.pop("ready_timeout", 2.0),
        **kw,
    )


# -- PIN ------------------------------------------------------------------------------------------


def test_configured_pin_unlocks_the_sim() -> None:
    sim = SimModem(latency=0, pin="1234")
    try:
        with Modem.open(sim.url, pin="1234") as gsm:
            assert gsm.sim_state() is PinStatus.READY
            gsm.send_sms(NUMBER, "after PIN")
        assert len(sim.sent) == 1
    finally:
        sim.remove()


def test_no_pin_configured_needs_the_user() -> None:
    sim = SimModem(latency=0, pin="1234")
    try:
        with pytest.raises(SimNotReady) as info:
            Modem.open(sim.url)
        assert info.value.state is PinStatus.SIM_PIN and info.value.retry_class is RetryClass.NEEDS_ATTENTION
        assert not sim.is_open  # the failed open released the port
        assert sim.engine.sim.pin_tries_left == 3
    finally:
        sim.remove()


def test_wrong_pin_is_tried_once_only() -> None:
    sim = SimModem(latency=0, pin="1234")
    try:
        gsm = Modem.open(sim.url, pin="0000", initialise=False)
        try:
            with pytest.raises(SimNotReady, match="refused"):
                gsm.initialise()
            assert sim.engine.sim.pin_tries_left == 2
            for _ in range(3):  # every later attempt to go on needs the user
                with pytest.raises(SimNotReady):
                    gsm.initialise()
                with pytest.raises(SimNotReady):
                    gsm.send_sms(NUMBER, "x")
            assert sim.engine.sim.pin_tries_left == 2
            gsm.enter_pin("1234")
            gsm.send_sms(NUMBER, "unlocked by the user")
            assert sim.sent_texts() == ["unlocked by the user"]
        finally:
            gsm.close()
    finally:
        sim.remove()


def test_puk_flow() -> None:
    sim = SimModem(latency=0, pin="1234", pin_tries=1)
    try:
        gsm = Modem.open(sim.url, pin="9999", initialise=False)
        try:
            with pytest.raises(SimNotReady) as info:
                gsm.initialise()
            assert info.value.state is PinStatus.SIM_PUK
            with pytest.raises(CommandError):
                gsm.enter_puk("00000000", "4321")
            gsm.enter_puk("12345678", "4321")
            assert gsm.sim_state() is PinStatus.READY
        finally:
            gsm.close()
    finally:
        sim.remove()


def test_sim_slow_to_get_ready_after_pin() -> None:
    sim = SimModem(latency=0, pin="1234", ready_delay=0.3)
    try:
        started = time.monotonic()
        with Modem.open(sim.url, pin="1234", options=fast()) as gsm:
            assert time.monotonic() - started >= 0.3  # waited out +CMS ERROR: 515
            gsm.send_sms(NUMBER, "ready now")
    finally:
        sim.remove()


# -- send errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "retry"),
    [
        (500, RetryClass.RETRY_LATER),
        (38, RetryClass.RETRY_LATER),
        (330, RetryClass.RETRY_LATER),
        (304, RetryClass.PERMANENT),
    ],
)
def test_cms_error_carries_the_retry_class(sim: SimModem, code: int, retry: RetryClass) -> None:
    with Modem.open(sim.url) as gsm:
        sim.fail_sends(on=[sim.sends_so_far + 1], code=code)
        with pytest.raises(CommandError) as info:
            gsm.send_sms(NUMBER, "fails once")
        assert (info.value.kind, info.value.code, info.value.retry_class) == ("cms", code, retry)
        assert info.value.message_zh and info.value.message_en
        gsm.send_sms(NUMBER, "then works")
    assert sim.sent_texts() == ["then works"]


def test_error_rate_is_seeded(sim: SimModem) -> None:
    outcomes = []
    for _ in range(2):
        s = SimModem(latency=0, seed=5, cms_rate=0.5)
        with Modem.open(s.url) as gsm:
            run = []
            for i in range(20):
                try:
                    gsm.send_sms(NUMBER, f"m{i}", status_report=False)
                    run.append(True)
                except CommandError:
                    run.append(False)
            outcomes.append(run)
        s.remove()
    assert outcomes[0] == outcomes[1] and 0 < sum(outcomes[0]) < 20


def test_half_sent_multipart_says_which_parts_left(sim: SimModem) -> None:
    with Modem.open(sim.url) as gsm:
        sim.fail_sends(on=[sim.sends_so_far + 2], code=42)
        with pytest.raises(CommandError) as info:
            gsm.send_sms(NUMBER, "y" * 400)
        assert info.value.sent_parts == (sim.sent[0].tp_mr,)


def test_not_registered_is_retry_later(sim: SimModem) -> None:
    with Modem.open(sim.url) as gsm:
        sim.set_network(registered=False)
        with pytest.raises(CommandError) as info:
            gsm.send_sms(NUMBER, "no network")
        assert info.value.code == 331 and info.value.retry_class is RetryClass.RETRY_LATER


# -- silence, garbage, storms ---------------------------------------------------------------------


def test_silence_times_out_within_the_deadline(sim: SimModem) -> None:
    with Modem.open(sim.url, options=fast(command_timeout=0.3, send_timeout=0.5)) as gsm:
        sim.fault_on_send("silence", sim.sends_so_far + 1)
        started = time.monotonic()
        with pytest.raises(CommandTimeout):
            gsm.send_sms(NUMBER, "into the void")
        assert 0.45 <= time.monotonic() - started < 0.8
        sim.set_silent()
        started = time.monotonic()
        with pytest.raises(CommandTimeout):
            gsm.signal()
        # The command timeout, after at most one more for the late answer of the timed-out send.
        assert 0.25 <= time.monotonic() - started < 0.9
        sim.set_silent(False)
        assert gsm.signal().rssi == 20
        gsm.send_sms(NUMBER, "after the silence")  # re-initialised first, then sent
        assert sim.sent_texts() == ["after the silence"]


def test_garbage_bytes_are_survived() -> None:
    sim = SimModem(latency=0, garbage_rate=0.5, max_read=7, seed=2)
    try:
        with Modem.open(sim.url) as gsm:
            for i in range(20):
                gsm.send_sms(NUMBER, f"noisy line {i}", status_report=False)
                sim.inject_garbage(10)
                assert gsm.signal().rssi == 20
        assert len(sim.sent) == 20
    finally:
        sim.remove()


def test_rssi_storm_does_not_extend_deadlines() -> None:
    sim = SimModem(latency=0, rssi_every=0.005)
    try:
        with Modem.open(sim.url, options=fast(command_timeout=0.3)) as gsm:
            for i in range(10):
                gsm.send_sms(NUMBER, f"stormy {i}", status_report=False)
            sim.set_silent()
            started = time.monotonic()
            with pytest.raises(CommandTimeout):
                gsm.signal()
            assert time.monotonic() - started < 0.6
        assert len(sim.sent) == 10
    finally:
        sim.remove()


# -- the cable and reboots ------------------------------------------------------------------------


def test_port_vanishing_mid_message_then_reopen(sim: SimModem) -> None:
    sim.remove()
    sim = SimModem(latency=0, pin="1234", name=sim.name)
    gsm = Modem.open(sim.url, pin="1234", options=fast())
    try:
        sim.fault_on_send("vanish", sim.sends_so_far + 1)
        started = time.monotonic()
        with pytest.raises(PortGone):
            gsm.send_sms(NUMBER, "cable pulled")
        assert time.monotonic() - started < 0.5  # at once, not after the send timeout
        with pytest.raises(PortGone):
            gsm.signal()
        with pytest.raises(PortUnavailable):
            gsm.reopen()  # still unplugged
        sim.plug_in()  # it boots again and wants its PIN: the configured one is used once more
        gsm.reopen()
        gsm.send_sms(NUMBER, "back again")
        assert sim.sent_texts() == ["back again"]
    finally:
        gsm.close()
    assert not sim.is_open
    sim.remove()


def test_reboot_mid_send_then_reinitialised() -> None:
    sim = SimModem(latency=0, pin="1234", sr_delay=0.02)
    try:
        with Modem.open(sim.url, pin="1234", options=fast(command_timeout=0.5, send_timeout=0.5)) as gsm:
            sim.fault_on_send("reboot", 1)
            with pytest.raises(CommandTimeout):
                gsm.send_sms(NUMBER, "lost in the reboot")
            deadline = time.monotonic() + 2
            while sim.settings.cmee != 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            reports = []
            gsm.on_status_report(reports.append)
            result = gsm.send_sms(NUMBER, "after the reboot")  # re-initialised first: PIN, CMGF, CNMI
            assert sim.settings.cmee == 1 and sim.settings.cnmi[3] == 1
            deadline = time.monotonic() + 2
            while not reports and time.monotonic() < deadline:
                time.sleep(0.01)
            assert reports and reports[0].tp_mr == result.parts[0]
    finally:
        sim.remove()


def test_reboot_between_commands_is_noticed() -> None:
    sim = SimModem(latency=0)
    try:
        with Modem.open(sim.url) as gsm:
            sim.reboot()
            time.sleep(0.05)
            gsm.send_sms(NUMBER, "x")
            assert sim.settings.cnmi != (0, 0, 0, 0, 0) and sim.settings.echo is False
    finally:
        sim.remove()


def test_close_releases_the_port(sim: SimModem) -> None:
    gsm = Modem.open(sim.url)
    gsm.close()
    gsm.close()
    assert not sim.is_open
    Modem.open(sim.url).close()


def test_framer_sees_a_prompt_with_a_urc_right_behind_it() -> None:
    """Regression: '> ' and a ^RSSI line in one read used to become a line '>', never a prompt."""
    from modem.at.framer import PROMPT, Framer

    framer = Framer()
    framer.expect_prompt = True
    assert framer.feed(b"\r\n> \r\n^RSSI: 20\r\n") == [PROMPT, "^RSSI: 20"]
    framer.expect_prompt = False
    assert framer.feed(b"\r\n> \r\n") == [">"]


def test_late_answer_after_a_timeout_is_not_taken_for_the_next_one() -> None:
    # A per-command latency, so that a late answer and the answer to the next command come apart.
    sim = SimModem(latency=0.02, sms_latency=0.4)
    try:
        with Modem.open(sim.url, options=fast(command_timeout=1.0, send_timeout=0.2)) as gsm:
            with pytest.raises(CommandTimeout):
                gsm.send_sms(NUMBER, "slow network")
            sim.set_latency(sms_latency=0)
            result = gsm.send_sms(NUMBER, "next one")
            assert gsm.identify().imei == sim.config.imei  # replies still line up with their commands
        assert sim.sent_texts() == ["slow network", "next one"]  # the first one did leave: outcome unknown
        assert result.parts == (sim.sent[1].tp_mr,)
    finally:
        sim.remove()
