"""Coverage-guided fuzz target for the command line's parser and checks (atheris / libFuzzer).

The property, for any argument vector: ``loanmath.cli.main(argv)`` returns an exit status in
{0, 1, 2, 3} (argparse's own refusals exit 2 through ``SystemExit``), and a refusal is one line
on stderr starting with "loanmath" — never a traceback, never another exception.

Run it::

    python tests/fuzz_cli.py -runs=20000
    python tests/fuzz_cli.py -max_total_time=60

The argument vector is built from the fuzzer's bytes: a command, then option names drawn from
the real ones and values from the bytes, so most inputs get past argparse into the library.
``tests/test_cli_hostile.py`` runs the same :func:`check_argv` over hypothesis inputs in CI.
"""

from __future__ import annotations

import contextlib
import io
import sys

from loanmath.cli import main as cli_main

__all__ = ["OPTIONS", "argv_from", "check_argv", "main"]

#: Options the fuzzer draws from (quote and disclose share the loan options).
OPTIONS = (
    "--rate",
    "--term",
    "--method",
    "--frequency",
    "--fee",
    "--fee-timing",
    "--currency",
    "--locale",
    "--cap",
    "--start",
    "--first-due",
    "--day-count",
    "--penalty-multiple",
    "--penalty-grace-days",
    "--late-fee",
    "--form",
    "--format",
    "--creditor",
)
COMMANDS = ("quote", "disclose")
FLAGS = ("--json", "--all-rates", "--itemize", "--no-chart")


def argv_from(data: bytes) -> list[str]:
    """An argument vector from raw bytes: command, principal, then option/value pairs.

    Examples
    --------
    >>> argv_from(b"\\x00\\x01abc")[:1]
    ['quote']
    """
    text = data.decode("utf-8", errors="surrogateescape")
    parts = text.split("\x00")
    command = COMMANDS[(data[0] if data else 0) % len(COMMANDS)]
    argv = [command, "--start", "2024-01-15"]
    if len(parts) > 1:
        argv.append(parts[1])
    for index, value in enumerate(parts[2:]):
        code = ord(value[0]) if value else index
        if code % 5 == 0:
            argv.append(FLAGS[code % len(FLAGS)])
        else:
            argv += [OPTIONS[code % len(OPTIONS)], value[1:]]
    return argv


def check_argv(argv: list[str]) -> None:
    """Run the CLI on `argv`; raise AssertionError unless it answers as promised.

    Examples
    --------
    >>> check_argv(["quote", "12000", "--rate", "NaN", "--start", "2024-01-15"])
    """
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            status = cli_main(argv)
        except SystemExit as leave:  # argparse's refusals
            status = leave.code if isinstance(leave.code, int) else 2
    assert status in (0, 1, 2, 3), (argv, status)
    if status:
        lines = err.getvalue().strip().splitlines()
        assert len(lines) == 1, (argv, err.getvalue()[:500])
        assert lines[0].startswith("loanmath"), (argv, lines[0][:200])


def _one_input(data: bytes) -> None:
    check_argv(argv_from(data))


def main(argv: list[str]) -> None:  # pragma: no cover - run by hand or by CI's fuzz step
    """Run the fuzzer with libFuzzer's arguments (``-runs=N``, ``-max_total_time=S``)."""
    import atheris

    atheris.instrument_all()
    atheris.Setup(argv, _one_input)
    atheris.Fuzz()


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv)
