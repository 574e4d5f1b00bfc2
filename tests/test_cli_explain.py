"""``loanmath explain`` (issue 13): the library's explanation on the command line, and bad
input named as typed (exit 2, one line, no traceback).

The figures are Microsoft's published IRR and XIRR examples (support.microsoft.com, "IRR
function": -70,000 then 12,000 … 26,000 → 8.66 % after five years; "XIRR function": the
2008-2009 flows → 0.373362535); tests/test_explain.py holds the library to them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from loanmath.apr import explain_rate
from loanmath.cli import main

IRR_FLOWS = "-70000,12000,15000,18000,21000,26000"
XIRR_FLOWS = "-10000,2750,4250,3250,2750"
XIRR_DATES = "2008-01-01,2008-03-01,2008-10-30,2009-02-15,2009-04-01"


def test_explains_the_published_irr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "8.66%", f"--flows={IRR_FLOWS}"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == str(explain_rate(IRR_FLOWS.split(","), "8.66%"))
    assert "is a root" in out
    assert "0.086630948036531614293" in out


def test_explains_the_published_xirr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "0.373362535", f"--flows={XIRR_FLOWS}", "--dates", XIRR_DATES]) == 0
    out = capsys.readouterr().out
    dates = [dt.date.fromisoformat(d) for d in XIRR_DATES.split(",")]
    assert out.strip() == str(explain_rate(XIRR_FLOWS.split(","), "0.373362535", dates=dates))
    assert "0.37336253351883151031" in out


def test_monthly_flows_take_periods_per_year(capsys: pytest.CaptureFixture[str]) -> None:
    flows = ",".join(["-12000", *["1066.19"] * 12])
    assert main(["explain", "12%", f"--flows={flows}", "--periods-per-year", "12"]) == 0
    assert "is a root" in capsys.readouterr().out  # 12 x 1.00007 % = 12.0008 %, within ±0.5 %


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["explain", "8%", "--flows=-100,abc"], "--flows '-100,abc'"),
        (["explain", "8%", "--flows=-100,110", "--dates", "2024-01-01"], "--dates '2024-01-01'"),
        (["explain", "8%", "--flows=-100,110", "--dates", "2024-01-01,2024-13-01"], "--dates"),
        (["explain", "8%", "--flows=-100,110", "--periods-per-year", "0"], "--periods-per-year 0"),
        (["explain", "x", "--flows=-100,110"], "figure 'x'"),
        (["explain", "8%", "--flows=-100,110", "--guess", "-2"], "--guess '-2'"),
    ],
)
def test_bad_input_is_one_line_naming_the_option(
    argv: list[str], shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"loanmath: error: {shown}")
    assert err.count("\n") == 1


def test_a_missing_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["explain", "8%"])
    assert stop.value.code == 2
    assert "--flows" in capsys.readouterr().err
