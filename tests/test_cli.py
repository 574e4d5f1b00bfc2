"""`loanmath quote` end to end, through the installed entry point and `python -m loanmath`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest

from loanmath.cli import main, parse_rate


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "loanmath", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


ISSUE_EXAMPLE = [
    "quote",
    "12000",
    "--rate",
    "12%",
    "--term",
    "12",
    "--method",
    "annuity",
    "--fee",
    "200",
    "--currency",
    "CNY",
    "--locale",
    "zh_CN",
    "--cap",
    "cn36",
    "--start",
    "2024-01-15",
]


def test_the_issue_example_in_chinese() -> None:
    result = run(*ISSUE_EXAMPLE)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for words in (
        "还款计划",
        "等额本息",
        "¥1,066.19",
        "利息合计",
        "应还总额",
        "年化利率",
        "月IRR×12",
        "综合融资成本",
        "未超过上限36.00%",
        "逾期罚息",
        "1.5倍",
        "2024年2月15日",
    ):
        assert words in out, words
    assert "CN_COMPREHENSIVE_36" not in out  # the cap in words, not its code name
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en_US", ["Repayment schedule", "CN¥1,066.19", "Feb 15, 2024", "Overdue amounts"]),
        ("de_DE", ["Tilgungsplan", "1.066,19", "15.02.2024", "verzinst"]),
        ("ja_JP", ["返済予定表", "元利均等返済", "2024/02/15", "遅延損害金"]),
    ],
)
def test_other_locales(locale: str, words: list[str]) -> None:
    args = [*ISSUE_EXAMPLE]
    args[args.index("zh_CN")] = locale
    result = run(*args)
    assert result.returncode == 0, result.stderr
    for word in words:
        assert word in result.stdout, word


def test_json_has_amounts_as_strings() -> None:
    result = run(*ISSUE_EXAMPLE, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schedule"][0]["payment"] == "1066.19"
    assert data["disbursed"] == "11800.00"
    assert Decimal(data["rates"]["nominal_irr"]) > Decimal("0.12")
    assert data["caps"][0]["rule"] == "CN_COMPREHENSIVE_36"
    assert data["penalty"]["overdue_rate"] == "0.180"
    assert all(isinstance(v, str) for v in data["totals"].values())


def test_over_a_cap_exits_3_with_one_line_and_the_fix() -> None:
    result = run("quote", "12000", "--rate", "40%", "--start", "2024-01-15")
    assert result.returncode == 3
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "CN_COMPREHENSIVE_36" in lines[0]
    assert "highest compliant contract rate is 24.00%" in lines[0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["quote", "12000", "--rate", "12"], "write 12% or 0.12"),
        (["quote", "12000", "--rate", "abc"], "is not a rate"),
        (["quote", "12000", "--currency", "RMB"], "did you mean 'CNY'"),
        (["quote", "-5"], "principal"),
        (["quote", "12000", "--term", "0"], "term"),
        (["quote", "12000", "--method", "french"], "method"),
        (["quote", "12000.5.5"], "not a decimal number"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], needle: str) -> None:
    result = run(*args, "--start", "2024-01-15")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_defaults_run_and_the_console_script_exists() -> None:
    assert main(["quote", "--start", "2024-01-15"]) == 0
    script = shutil.which("loanmath")
    if script is not None:  # installed by pip install -e . (CI and the README do that)
        result = subprocess.run(
            [script, "quote", "--start", "2024-01-15", "--locale", "en_US"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "Loan quote" in result.stdout


def test_parse_rate() -> None:
    assert parse_rate("12%") == Decimal("0.12")
    assert parse_rate(" 0.5 % ") == Decimal("0.005")


def test_a_reader_that_closes_the_pipe_ends_the_output_quietly() -> None:
    """``loanmath quote … | head -1``: status 141 (128 + SIGPIPE) and no traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "loanmath", "quote", "1000", "--rate", "0.1", "--term", "12"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()  # the reader is gone before the first line is written
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 141
    assert b"Traceback" not in errors
