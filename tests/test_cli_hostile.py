"""Hostile command lines: ``loanmath quote``, ``disclose`` and ``audit`` answer every argument
vector with a status the contract knows and, when they refuse, one line.

The contract (API.md, "Command line"; the cli module): quote and disclose exit 0 on a lawful
quote, 2 on unusable input, 3 when a cap is exceeded; audit exits 0, 1 (differences or row
errors, reported) or 2. A refusal is exactly one line on stderr, starting with "loanmath",
never a traceback, and it names the option as the user typed it (``--day-count``, not the
library's ``convention=``; the positional principal as ``principal``).

Each vector changes one option of a valid command line. ``loanmath.cli.main(argv)`` runs in
process (stdout and stderr captured by capsys) under a time and memory limit; a handful run
as ``python -m loanmath`` in a subprocess.
"""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from audit_tapes import AS_OF, generate
from hostile import Hang, memory_limit, origin, short, time_limit
from hypothesis import example, given, settings
from hypothesis import strategies as st

from loanmath.caps import LPRStaleWarning
from loanmath.cli import main

ROOT = Path(__file__).resolve().parents[1]
SECONDS = 5.0  # a quote computes four annualised rates and, over a cap, the highest lawful one

START = "2024-01-15"

NUMBERS = [
    "NaN",
    "-NaN",
    "nan",
    "sNaN",
    "-sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e999999999",
    "-1e999999999",
    "1e-999999999",
    "1E+999999",
    "1E-999999",
    "1e28",
    "1e-28",
    "-1",
    "0",
    "-0",
    "",
    " ",
    "١٢٣",
    "１２",
    "1_000",
    "0x10",
    "1/3",
    "1,000",
    "abc",
    "\udcff",  # an undecodable byte in argv (surrogateescape)
    "9" * 5000,
    "0." + "0" * 5000 + "1",
    "12%",
    "12%%",
    "%",
    "1e3%",
    "99.99%",
    "NaN%",
    "-5%",
    "1e-999999999%",
]
RATES = [*NUMBERS, "0.36", "0.3600000001", "35.99%", "36%", "100%", "0.99", "1", "12"]
INTS = ["-1", "0", "1", "481", "1e3", "12.0", "abc", "", "99999999999999999999", "١٢", "０"]
DATES = [
    "0001-01-01",
    "0001-01-02",
    "9999-12-31",
    "9999-12-01",
    "9999-10-01",
    "0000-01-01",
    "2024-02-30",
    "2024-13-01",
    "20240115",
    "2024-1-5",
    "",
    " 2024-01-15",
    "2024-01-15T00:00",
    "١٢٣٤-٠١-٠١",
    "2024-W03-1",
]
NAMES = [
    "",
    " ",
    "xx",
    "\udcff",
    "x" * 1000,
    "zh-CN",
    "ANNUITY",
    "monthly ",
    "daily",
    "custom",
    "step",
    "act/360",
    "ACT/365f",
    "30/361",
    "none",
    "\x00",
]
CURRENCIES = ["CNY", "JPY", "KWD", "USD", "EUR", "GBP", "XXX", "XTS", "CLF", "cny", "RMB", "ＣＮＹ"]
LOCALES = [
    "zh-CN",
    "zh_CN",
    "xx",
    "",
    "en_US@posix",
    "en-us",
    "de_DE.UTF-8",
    "C",
    "POSIX",
    "und",
    "root",
    "i-klingon",
    "zh__CN",
    "_",
    "en_US\n",
    "en",
    "ja",
    "x" * 1000,
    "\udcff",
]

#: Option -> values, for the loan options quote and disclose share.
LOAN_OPTIONS: dict[str, list[str]] = {
    "principal": [*NUMBERS, "0.001", "1000000000000001", "12000.005"],
    "--rate": RATES,
    "--term": INTS,
    "--method": [*NAMES, "equal_principal", "interest_only", "bullet", "flat"],
    "--frequency": [*NAMES, "weekly", "semimonthly", "annual"],
    "--fee": [*NUMBERS, "12000", "20000"],
    "--fee-timing": ["", "periodic", "UPFRONT", "financed"],
    "--currency": [*CURRENCIES, *NAMES[:6]],
    "--locale": LOCALES,
    "--cap": ["cn36", "cn-lpr", "us-mla", "uk-hcstc", "xx", "", "CN36"],
    "--start": DATES,
    "--first-due": [*DATES, START, "2024-01-14", "2024-03-31"],
    "--day-count": [*NAMES, "ACT/ACT-ISDA", "30E/360-ISDA", "NL/365"],
    "--penalty-multiple": [*NUMBERS, "1", "100", "101"],
    "--penalty-grace-days": [*INTS, "36500", "36501"],
    "--late-fee": [*NUMBERS, "20", "0.001"],
}

TYPOS = [
    ["--rates", "12%"],
    ["--Rate", "12%"],
    ["-rate", "12%"],
    ["--day_count", "ACT/360"],
    ["--daycount", "ACT/360"],
    ["--curency", "JPY"],
    ["--term="],
    ["--rate="],
    ["--start="],
    ["--json=1"],
    ["--"],
    ["-"],
    ["quote"],
    ["--term", "12", "--term"],
    ["--rate"],
    ["--help-me"],
    ["12000", "13000"],
    ["--cap"],
    ["--locale"],
]
#: Options that do not exist: the refusal must name them as typed.
MISSPELT = ("--rates", "--Rate", "-rate", "--day_count", "--daycount", "--curency", "--help-me")


def _vector(command: str, option: str, value: str) -> list[str]:
    """A valid command line with `option` set to `value` (values that look like options are
    given as --option=value, or after -- for the principal)."""
    base = [command, "--start", START] if option != "--start" else [command]
    if command == "disclose":
        base += ["--format", "json"]
    if option == "principal":
        return [*base, "--", value] if value.startswith("-") else [*base, value]
    if value.startswith("-") or value == "":
        return [*base, f"{option}={value}"]
    return [*base, option, value]


def _loan_vectors(command: str) -> list[tuple[list[str], str | None]]:
    vectors = [
        (_vector(command, option, value), option)
        for option, values in LOAN_OPTIONS.items()
        for value in values
    ]
    vectors += [
        ([command, "--start", START, *typo], typo[0] if typo[0] in MISSPELT else None)
        for typo in TYPOS
    ]
    return vectors


QUOTE_VECTORS = _loan_vectors("quote") + [
    (["quote", "--start", START, "--json", *extra], None)
    for extra in (["--all-rates"], ["--locale", "xx"], ["--currency", "USD", "--cap", "us-mla"])
]

DISCLOSE_SPECIFIC: dict[str, list[str]] = {
    "--form": ["tila", "cn", "secci", "quote", "auto", "", "TILA", "xx"],
    "--format": ["html", "text", "json", "", "pdf", "JSON"],
    "--locale": LOCALES,
    "--creditor": ["", "\udcff", "x" * 10000, "<script>alert(1)</script>", "{{ 7*7 }}"],
}
DISCLOSE_VECTORS = [
    (
        [
            "disclose",
            "--start",
            START,
            *(["--format", "json"] if option != "--format" else []),
            f"{option}={value}" if value.startswith("-") or not value else option,
            *([] if value.startswith("-") or not value else [value]),
        ],
        option,
    )
    for option, values in DISCLOSE_SPECIFIC.items()
    for value in values
]
DISCLOSE_VECTORS += [
    (["disclose", "--start", START, "--form", form, "--currency", currency, "--format", fmt], None)
    for form in ("tila", "cn", "secci", "quote")
    for currency in ("USD", "CNY", "EUR", "GBP", "JPY")
    for fmt in ("json", "text")
]
# the loan options through disclose: the numbers and dates that broke quote
DISCLOSE_VECTORS += [
    (_vector("disclose", option, value), option)
    for option in ("principal", "--rate", "--start", "--day-count", "--penalty-multiple")
    for value in LOAN_OPTIONS[option][::3]
]


@pytest.fixture(autouse=True)
def _no_lpr_warnings() -> Iterator[None]:
    """LPRStaleWarning for a date past the known table is documented, not an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LPRStaleWarning)
        yield


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run ``main(argv)`` in process; return (status, stdout, stderr). A raw exception or a
    hang fails the test (a real process would print a traceback or never return)."""
    failure = None
    try:
        with memory_limit(), time_limit(SECONDS):
            status = main(argv)
    except SystemExit as done:
        code = done.code
        status = code if isinstance(code, int) else (0 if code is None else 1)
    except Hang as hang:
        failure = f"loanmath {short(argv)}: HANG (> {SECONDS} s) in {origin(hang)}"
    except Exception as error:
        failure = (
            f"loanmath {short(argv)}: raw {type(error).__module__}.{type(error).__name__}: "
            f"{short(str(error), 300)} [from {origin(error)}] (a Traceback on the terminal)"
        )
    if failure is not None:
        pytest.fail(failure)  # outside the except: no chained traceback to render
    out, err = capsys.readouterr()
    return status, out, err


def _spelled(option: str) -> re.Pattern[str]:
    if option == "principal":
        return re.compile(r"principal", re.IGNORECASE)
    return re.compile(rf"(^|[^\w-]){re.escape(option)}([^\w-]|$)")


def check_refusal(
    argv: list[str], option: str | None, status: int, err: str, allowed: set[int]
) -> None:
    label = f"loanmath {short(argv, 200)}"
    assert status in allowed, f"{label}: exit {status}; stderr {short(err, 400)}"
    if status == 0 or (status == 1 and argv[0] == "audit"):
        return  # audit's 1: differences or row errors, reported in the output files
    lines = err.splitlines()
    assert "Traceback" not in err, f"{label}: {short(err, 600)}"
    assert len(lines) == 1, f"{label}: exit {status} with {len(lines)} lines: {short(err, 600)}"
    assert lines[0].startswith("loanmath"), f"{label}: {lines[0]!r}"
    if status == 2 and option is not None:
        assert _spelled(option).search(lines[0]), (
            f"{label}: the error does not name {option} as typed: {short(lines[0], 400)}"
        )


def _ids(vectors: list[tuple[list[str], str | None]]) -> list[str]:
    return [
        short(" ".join(argv[1:]), 60).encode("ascii", "backslashreplace").decode()
        for argv, _ in vectors
    ]


@pytest.mark.parametrize(("argv", "option"), QUOTE_VECTORS, ids=_ids(QUOTE_VECTORS))
def test_quote_answers_a_hostile_option(
    argv: list[str], option: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_main(argv, capsys)
    check_refusal(argv, option, status, err, {0, 2, 3})


@pytest.mark.parametrize(("argv", "option"), DISCLOSE_VECTORS, ids=_ids(DISCLOSE_VECTORS))
def test_disclose_answers_a_hostile_option(
    argv: list[str], option: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_main(argv, capsys)
    check_refusal(argv, option, status, err, {0, 2, 3})


# --- audit ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tape(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small valid tape (4 loans) and some hostile files beside it."""
    directory = tmp_path_factory.mktemp("hostile-audit")
    generate(4).write(directory)
    (directory / "empty.csv").write_text("")
    (directory / "garbage.csv").write_bytes(b"\xff\xfe\x00\x01garbage,\n\x00\x00")
    (directory / "header-only.csv").write_text("loan_id,currency\n")
    (directory / "bad.toml").write_text("[[[ not toml")
    (directory / "empty.toml").write_text("")
    (directory / "garbage.parquet").write_bytes(b"PAR1 not really")
    (directory / "garbage.jsonl").write_text('{"loan_id": \n[1,2]\n')
    (directory / "record.csv").write_text("loan_id,principal_outstanding\nL0001,NaN\n")
    (directory / "a-file").write_text("x")
    return directory


AS = AS_OF.isoformat()
AUDIT_OPTIONS: dict[str, list[str]] = {
    "--as-of": DATES,
    "--record": ["missing.csv", "empty.csv", "garbage.csv", "record.csv", "", "."],
    "--out": ["a-file", "a-file/sub", "", "/proc/loanmath-hostile"],
    "--format": ["xlsx", "", "CSV"],
    "--workers": ["0", "-1", "abc", "", "1e3", "99999999999999999999"],
    "--engine": ["spark", "", "DASK"],
    "--mapping": ["missing.toml", "bad.toml", "empty.toml", "garbage.csv", "."],
    "--tolerance": [
        "x",
        "=1",
        "interest_due=",
        "interest_due=NaN",
        "interest_due=-1",
        "interest_due=1e999999999",
        "interest_due=abc",
        "no_such_field=1",
        "interest_due=1e-999999999",
        "\udcff=1",
    ],
    "--buckets": ["xx", "", "CN"],
}
AUDIT_FILES = ["missing.csv", "empty.csv", "garbage.csv", "header-only.csv", "garbage.parquet",
               "garbage.jsonl", ".", "", "a-file"]  # fmt: skip


def _audit_vector(option: str, value: str) -> list[str]:
    argv = ["audit", "contracts.csv", "events.csv", "--quiet", "--workers", "1"]
    argv += ["--as-of", AS] if option != "--as-of" else []
    argv += ["--out", "out"] if option != "--out" else []
    if value.startswith("-") or value == "":
        return [*argv, f"{option}={value}"]
    return [*argv, option, value]


AUDIT_VECTORS: list[tuple[list[str], str | None]] = [
    (_audit_vector(option, value), option)
    for option, values in AUDIT_OPTIONS.items()
    for value in values
]
AUDIT_VECTORS += [
    (["audit", name, "events.csv", "--as-of", AS, "--out", "out", "--quiet"], "contracts")
    for name in AUDIT_FILES
]
AUDIT_VECTORS += [
    (["audit", "contracts.csv", name, "--as-of", AS, "--out", "out", "--quiet"], "events")
    for name in AUDIT_FILES
]
AUDIT_VECTORS += [
    (["audit", "contracts.csv", "events.csv", "--out", "out"], None),  # --as-of missing
    (["audit", "contracts.csv", "--as-of", AS], None),
    (["audit", "contracts.csv", "events.csv", "--as-of", AS, "--as-of", AS, "--out", "out"], None),
]


@pytest.mark.parametrize(("argv", "option"), AUDIT_VECTORS, ids=_ids(AUDIT_VECTORS))
def test_audit_answers_a_hostile_option(
    argv: list[str],
    option: str | None,
    tape: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tape)
    status, _, err = run_main(argv, capsys)
    spelled = option if option not in ("contracts", "events") else None
    check_refusal(argv, spelled, status, err, {0, 1, 2})
    if option in ("contracts", "events") and status == 2:
        name = argv[1] if option == "contracts" else argv[2]
        if name:
            assert name in err or option in err.lower(), f"names neither {name!r} nor {option}"


# --- a handful as a real process -----------------------------------------------------------------

SUBPROCESS_VECTORS: list[tuple[list[str | bytes], set[int]]] = [
    (["quote", "1e-999999999"], {2}),
    (["quote", "--rate", "NaN", "--start", START], {2}),
    (["quote", "--rate", "1e999999999%", "--start", START], {2}),
    (["quote", "--day-count", "30/361", "--start", START], {2}),
    (["quote", "--start", "0001-01-01"], {0, 2}),
    (["disclose", "--locale", "xx", "--start", START], {2}),
    (["disclose", "--form", "tila", "--start", START], {2}),
    ([b"quote", b"--locale", b"\xff\xfe", b"--start", START.encode()], {2}),
    ([b"quote", b"12\xff", b"--start", START.encode()], {2}),
    (["audit", "missing.csv", "missing.csv", "--as-of", AS], {2}),
    (["audit", "contracts.csv", "events.csv", "--as-of", AS, "--workers", "0"], {2}),
]


@pytest.mark.parametrize(
    ("argv", "statuses"),
    SUBPROCESS_VECTORS,
    ids=[
        short(b" ".join(a if isinstance(a, bytes) else a.encode() for a in v), 50)
        for v, _ in SUBPROCESS_VECTORS
    ],
)
def test_a_real_process_refuses_in_one_line(
    argv: list[str | bytes], statuses: set[int], tape: Path
) -> None:
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"loanmath",
         *(a if isinstance(a, bytes) else a.encode("utf-8", "surrogateescape") for a in argv)],
        capture_output=True,
        timeout=30,
        cwd=tape,
        check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
    )  # fmt: skip
    err = done.stderr.decode("utf-8", "replace")
    lines = err.splitlines()
    assert done.returncode in statuses, f"exit {done.returncode}: {err[-1500:]}"
    if done.returncode:
        assert "Traceback" not in err, err[-1500:]
        assert len(lines) == 1, err[-1500:]
        assert lines[0].startswith("loanmath"), lines[0]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
@example(b"\x00-\n")  # atheris, CI 2026-12-01: a line break in an unknown argument split the line
@example(b"\x00--rate\r\x00")
def test_the_cli_fuzz_property_holds_on_generated_argv(data: bytes) -> None:
    """The property tests/fuzz_cli.py fuzzes with atheris, on hypothesis' bytes: any argv is an
    exit status and, on a refusal, one line."""
    from fuzz_cli import argv_from, check_argv

    check_argv(argv_from(data))
