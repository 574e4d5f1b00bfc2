"""`loanmath disclose` end to end through `python -m loanmath`: every form and format, the
same loan options and exit statuses as `loanmath quote`, one-line errors naming the option."""

from __future__ import annotations

import json

import pytest
from test_cli import run

START = ["--start", "2024-01-15"]


@pytest.mark.parametrize(
    ("args", "form"),
    [
        (["--currency", "CNY"], "cn"),
        (["--currency", "USD", "--penalty-multiple", "1"], "tila"),
        (["--currency", "EUR"], "secci"),
        (["--currency", "JPY"], "quote"),
    ],
)
def test_auto_picks_the_jurisdictions_form(args: list[str], form: str) -> None:
    result = run("disclose", "12000", *args, "--format", "json", *START)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["form"] == form


@pytest.mark.parametrize("output", ["html", "text", "json"])
@pytest.mark.parametrize(
    ("form", "currency", "locale"),
    [
        ("tila", "USD", "en-US"),
        ("cn", "CNY", "zh-CN"),
        ("secci", "EUR", "de-DE"),
        ("quote", "JPY", "ja-JP"),
    ],
)
def test_every_form_and_format(form: str, currency: str, locale: str, output: str) -> None:
    result = run(
        "disclose",
        "12000",
        "--rate",
        "9.5%",
        "--term",
        "24",
        "--fee",
        "100",
        "--currency",
        currency,
        "--form",
        form,
        "--format",
        output,
        "--locale",
        locale,
        "--late-fee",
        "15",
        "--penalty-grace-days",
        "10",
        "--no-chart",
        *START,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    if output == "json":
        data = json.loads(result.stdout)
        assert data["form"] == form
    elif output == "html":
        assert result.stdout.startswith("<!DOCTYPE html>")
        assert f'lang="{locale[:2]}' in result.stdout


def test_itemize_and_creditor_reach_their_forms() -> None:
    tila = run(
        "disclose",
        "5000",
        "--currency",
        "USD",
        "--fee",
        "100",
        "--itemize",
        "--format",
        "json",
        *START,
    )
    assert json.loads(tila.stdout)["itemization"]["prepaid_finance_charge"] == "100.00"
    secci = run(
        "disclose",
        "5000",
        "--currency",
        "EUR",
        "--creditor",
        "Musterbank AG",
        "--format",
        "json",
        *START,
    )
    assert json.loads(secci.stdout)["creditor"] == "Musterbank AG"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--locale", "xx-YY"], "--locale 'xx-YY': must be one of zh_CN, en_US"),
        (["--currency", "EUR", "--locale", "zh_CN"], "--locale 'zh_CN': must be one of de_DE"),
        (["--form", "truth"], "argument --form: invalid choice: 'truth'"),
        (["--format", "pdf"], "argument --format: invalid choice: 'pdf'"),
        (["--form", "tila"], "form='tila': is the US federal form; the loan is in CNY"),
        (["--rate", "12"], "write 12% or 0.12"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], needle: str) -> None:
    result = run("disclose", "12000", *args, *START)
    assert result.returncode == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_over_a_cap_exits_3() -> None:
    result = run("disclose", "12000", "--rate", "40%", *START)
    assert result.returncode == 3
    assert "CN_COMPREHENSIVE_36" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("locale", ["zh-CN", "en-US", "de_de", "xx", "en_US@posix"])
def test_quote_takes_both_spellings_and_refuses_unknown_locales(locale: str) -> None:
    result = run("quote", "12000", "--locale", locale, *START)
    if locale in ("xx", "en_US@posix"):
        assert result.returncode == 2
        assert result.stderr.startswith(f"loanmath: error: --locale {locale!r}: must be one of")
        assert len(result.stderr.strip().splitlines()) == 1
    else:
        assert result.returncode == 0, result.stderr
