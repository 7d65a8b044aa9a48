"""`smsjingling modem …` against the simulated modem, through real AT commands on a sim:// port."""

from __future__ import annotations

import pytest

from modem.codec import decode_pdu
from modem.sim.port import modem_for_url
from smsjingling.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_info_send_ussd_inbox_scan(capsys: pytest.CaptureFixture[str]) -> None:
    url = "sim://cli-test?latency=0"
    sim = modem_for_url(url)
    code, out, _ = run(capsys, "modem", "info", url)
    assert code == 0 and "IMEI: 867322030000017" in out and "CHINA MOBILE" in out and "HOME" in out

    code, out, _ = run(capsys, "modem", "send", url, "138-0013-8000", "明天上午九点开会")
    assert code == 0 and "已发送 1 条" in out
    assert sim.sent_texts() == ["明天上午九点开会"]
    sent = decode_pdu(sim.sent[-1].pdu)  # what left, decoded from the bytes the modem accepted
    assert sent.recipient.number.endswith("13800138000") and sent.status_report_requested

    code, out, _ = run(capsys, "modem", "ussd", url, "*100#")
    assert code == 0 and "余额" in out

    sim.inject_sms("+8613900139000", "收到，谢谢")
    code, out, _ = run(capsys, "modem", "inbox", url)
    assert code == 0 and "收到，谢谢" in out and "13900139000" in out

    code, out, _ = run(capsys, "modem", "scan", url)
    assert code == 0 and "SIMULATED-GSM" in out and "✓" in out


def test_errors_are_worded_not_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    url = "sim://cli-fail?latency=0"
    modem_for_url(url).fail_sends(on=[1], code=304)
    code, _, err = run(capsys, "modem", "send", url, "13800138000", "x")
    assert code == 2 and "sim://cli-fail" in err
    code, _, err = run(capsys, "modem", "info", "/dev/no-such-port")
    assert code == 2 and "/dev/no-such-port" in err
