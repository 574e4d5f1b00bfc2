"""``loanmath quote`` — a loan quote from the command line, checked against the caps.

A thin shell over the library: it builds a ``LoanTerms`` (which refuses anything unlawful),
then prints the quote for a locale or as JSON. Exit status 0 on a lawful quote; 2 on bad
input; 3 when a cap is exceeded — always with a one-line message, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any, NoReturn

from loanmath._decimal import D, context_free
from loanmath.apr import explain_rate
from loanmath.caps import (
    CN_COMPREHENSIVE_36,
    UK_HCSTC,
    US_MLA_36,
    Cap,
    cn_private_lending,
    max_rate,
)
from loanmath.disclosure import (
    FORMATS,
    FORMS,
    build_quote,
    choose_form,
    disclose,
    format_rate,
    quote_json,
    quote_text,
)
from loanmath.errors import LoanMathError, RateCapExceeded, UnknownNameError
from loanmath.money import Money
from loanmath.schedules import Fee
from loanmath.terms import LoanTerms

__all__ = ["main", "main_entry", "parse_rate"]

EXIT_BAD_INPUT = 2
EXIT_CAP_EXCEEDED = 3
#: The reader closed the pipe before the output ended (128 + SIGPIPE, as shell tools exit).
EXIT_BROKEN_PIPE = 141

CAPS: dict[str, Callable[[_dt.date], Cap]] = {
    "cn36": lambda start: CN_COMPREHENSIVE_36,
    "cn-lpr": cn_private_lending,
    "us-mla": lambda start: US_MLA_36,
    "uk-hcstc": lambda start: UK_HCSTC,
}


class _Usage(LoanMathError, ValueError):
    """Bad command-line input."""


@context_free
def parse_rate(text: str) -> Decimal:
    """``"12%"`` or ``"0.12"`` → ``Decimal("0.12")``; a bare number ≥ 1 is refused as ambiguous.

    Notes
    -----
    ``"x%"`` gives ``x × 10**-2`` exactly (an exponent shift, no rounding); a bare number is a
    fraction and must be below 1, since ``12`` could mean 12 % or 1,200 %. Anything else is a
    usage error that :func:`main` reports in one line with exit status 2 (docs/caps-and-quote.md,
    "loanmath quote").

    Examples
    --------
    >>> parse_rate("12%"), parse_rate("0.125"), parse_rate("4.35 %")
    (Decimal('0.12'), Decimal('0.125'), Decimal('0.0435'))
    """
    cleaned = text.strip()
    percent = cleaned.endswith("%")
    number = cleaned[:-1].strip() if percent else cleaned
    try:
        value = D(number, "rate")
    except LoanMathError:
        raise _Usage(f"--rate {text!r} is not a rate; write 12% or 0.12") from None
    if percent:
        return value.scaleb(-2)  # exact: a shift of the exponent
    if value >= 1:
        raise _Usage(
            f"--rate {text!r} would be {value.scaleb(2)}% a year; write {text}% or "
            f"0.{text.replace('.', '')} for a fraction"
        )
    return value


def _date(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (exit status 2), never a usage block."""

    def error(self, message: str) -> NoReturn:
        # argparse quotes what was typed as it is: a line break in it would split the line
        printable = message.isprintable()
        one_line = message if printable else message.encode("unicode_escape").decode("ascii")
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {one_line} (--help lists the options)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="loanmath", description="Exact loan mathematics.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    quote = commands.add_parser("quote", help="quote a loan: schedule, rates, caps, terms")
    _loan_options(quote, locale="zh_CN")
    quote.add_argument("--json", action="store_true", help="print JSON, amounts as strings")
    disclose = commands.add_parser(
        "disclose", help="a disclosure form: US TILA box, China 年化利率, EU SECCI, quote"
    )
    _loan_options(disclose, locale=None)
    disclose.add_argument(
        "--form",
        default="auto",
        choices=(*FORMS, "auto"),
        help="tila, cn, secci or quote (auto: from the caps, then the currency)",
    )
    disclose.add_argument("--format", default="html", choices=FORMATS)
    disclose.add_argument(
        "--itemize", action="store_true", help="TILA: itemize the amount financed"
    )
    disclose.add_argument("--creditor", default=None, help="SECCI: the creditor's name and address")
    disclose.add_argument("--no-chart", action="store_true", help="HTML without the schedule chart")
    _audit_parser(commands)
    _explain_parser(commands)
    return parser


def _explain_parser(commands: Any) -> None:
    explain = commands.add_parser(
        "explain",
        help="explain a rate from a spreadsheet or another system: is it a root, which one, "
        "and what a spreadsheet's IRR or XIRR would return",
    )
    explain.add_argument("figure", help="the rate to explain: 0.0866 or 8.66%%")
    explain.add_argument(
        "--flows",
        required=True,
        help="the cash flows, comma-separated; write --flows=-1000,300,400,500 when the first "
        "is negative",
    )
    explain.add_argument(
        "--dates", default=None, help="one date per flow (YYYY-MM-DD, comma-separated): XIRR"
    )
    explain.add_argument(
        "--periods-per-year",
        type=int,
        default=1,
        help="periodic flows: the figure is the rate per period times this (12 for monthly)",
    )
    explain.add_argument("--guess", default=None, help="the spreadsheet's guess (default 0.1)")


#: explain_rate's fields, as the explain command's options.
_EXPLAIN_TYPED = {
    "amounts": ("--flows", "flows"),
    "figure": ("figure", "figure"),
    "dates": ("--dates", "dates"),
    "periods_per_year": ("--periods-per-year", "periods_per_year"),
    "guess": ("--guess", "guess"),
}


def _run_explain(args: argparse.Namespace) -> int:
    """``loanmath explain``: the explanation in sentences, or one line naming the option."""
    try:
        flows = [part.strip() for part in args.flows.split(",")]
        dates = None
        if args.dates is not None:
            dates = [_date(part.strip()) for part in args.dates.split(",")]
        explained = explain_rate(
            flows,
            args.figure,
            dates=dates,
            periods_per_year=args.periods_per_year,
            guess=args.guess,
        )
    except argparse.ArgumentTypeError as error:  # a date that is not YYYY-MM-DD
        print(f"loanmath: error: --dates {args.dates!r}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LoanMathError as error:
        print(f"loanmath: error: {_as_typed(error, args)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(explained)
    return 0


def _loan_options(command: argparse.ArgumentParser, locale: str | None) -> None:
    """The loan options `quote` and `disclose` share."""
    command.add_argument("principal", nargs="?", default="12000", help="amount lent (12000)")
    command.add_argument("--rate", default="12%", help="nominal annual rate: 12%% or 0.12")
    command.add_argument("--term", type=int, default=12, help="number of instalments (12)")
    command.add_argument(
        "--method", default="annuity", help="annuity, equal_principal, interest_only, bullet, flat"
    )
    command.add_argument("--frequency", default="monthly")
    command.add_argument("--fee", default=None, help="a fee amount (upfront by default)")
    command.add_argument("--fee-timing", default="upfront", choices=("upfront", "financed"))
    command.add_argument("--currency", default="CNY")
    where = "the form's own" if locale is None else locale
    command.add_argument("--locale", default=locale, help=f"zh_CN, en_US, de_DE, ja_JP … ({where})")
    command.add_argument(
        "--cap",
        action="append",
        choices=sorted(CAPS),
        default=None,
        help="check a cap (repeatable); default cn36 for CNY, none otherwise",
    )
    command.add_argument("--start", type=_date, default=None, help="start date (today)")
    command.add_argument("--first-due", type=_date, default=None)
    command.add_argument("--day-count", default=None)
    command.add_argument(
        "--business-day",
        default="none",
        help="move due dates off non-business days: none, following, modified_following, "
        "preceding, modified_preceding (none)",
    )
    command.add_argument(
        "--holidays",
        default=None,
        metavar="NAME",
        help="a holiday calendar for --business-day: CN, US, XFED, GB … "
        "(pip install 'loanmath[calendars]')",
    )
    command.add_argument(
        "--penalty-multiple",
        default="1.5",
        help="overdue rate as a multiple of the contract rate (1.5)",
    )
    command.add_argument("--penalty-grace-days", type=int, default=0)
    command.add_argument("--late-fee", default=None, help="a late fee per overdue instalment")
    command.add_argument(
        "--all-rates",
        action="store_true",
        help="show every annualised rate, not only the borrower's jurisdiction's",
    )


def _audit_parser(commands: Any) -> None:
    audit = commands.add_parser(
        "audit", help="recompute a portfolio from loan tapes and compare with a record"
    )
    audit.add_argument("contracts", help="contracts tape: .csv, .jsonl or .parquet")
    audit.add_argument("events", help="events tape: .csv, .jsonl or .parquet")
    audit.add_argument("--as-of", type=_date, required=True, help="the date to recompute on")
    audit.add_argument("--record", default=None, help="the system of record to compare with")
    audit.add_argument("--out", default="audit-out", help="folder for the reports (audit-out)")
    audit.add_argument("--format", default="csv", choices=("csv", "parquet", "jsonl"))
    audit.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    audit.add_argument("--engine", default="local", choices=("local", "dask"))
    audit.add_argument("--scheduler", default=None, help="a Dask scheduler address")
    audit.add_argument("--mapping", default=None, help="TOML mapping of a foreign tape")
    audit.add_argument(
        "--tolerance",
        action="append",
        default=[],
        metavar="FIELD=AMOUNT",
        help="allowed difference for a field (repeatable), e.g. interest_due=0.01",
    )
    audit.add_argument("--buckets", default="cn", choices=("cn", "us", "ifrs9"))
    audit.add_argument("--journal", action="store_true", help="also write the postings")
    audit.add_argument("--quiet", action="store_true", help="no progress bar")


def _os_error(error: OSError, args: argparse.Namespace) -> str:
    """A file error naming the option whose path it is (``--out 'a-file': File exists``)."""
    name = str(error.filename)
    for option, dest in (("--out", "out"), ("--record", "record"), ("--mapping", "mapping")):
        given = getattr(args, dest, None)
        if given and (name == given or name.startswith(str(given).rstrip("/") + "/")):
            return f"{option} {given!r}: {error.strerror}"
    return f"{name}: {error.strerror}"


def _tolerances(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        field, sep, amount = pair.partition("=")
        if not sep or not field or not amount:
            raise _Usage(f"--tolerance {pair!r}: write FIELD=AMOUNT, e.g. interest_due=0.01")
        out[field.strip()] = amount.strip()
    return out


def _run_audit(args: argparse.Namespace) -> int:
    from loanmath.audit import audit, write_journal  # noqa: PLC0415 - only for this command

    try:
        result = audit(
            args.contracts,
            args.events,
            args.as_of,
            record=args.record,
            mapping=args.mapping,
            tolerances=_tolerances(args.tolerance),
            workers=args.workers,
            engine=args.engine,
            scheduler=args.scheduler,
            buckets=args.buckets,
            progress=not args.quiet,
        )
        result.write(args.out, args.format)
        if args.journal:
            write_journal(args.contracts, args.events, args.as_of, args.out, mapping=args.mapping)
    except LoanMathError as error:
        print(f"loanmath: error: {_as_typed(error, args)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"loanmath: error: {_os_error(error, args)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    counts = result.summary["counts"]
    print(
        f"loanmath audit: {counts['recomputed']} of {counts['loans']} loans recomputed, "
        f"{counts['differing']} differing, {counts['error_rows']} bad rows; reports in "
        f"{args.out}"
    )
    return result.exit_status


def _terms(args: argparse.Namespace) -> LoanTerms:
    start = args.start or _dt.date.today()
    caps_named = args.cap if args.cap is not None else (["cn36"] if args.currency == "CNY" else [])
    caps: tuple[Cap, ...] = tuple(CAPS[name](start) for name in caps_named)
    fee = None if args.fee is None else D(args.fee, "fee")
    fees = () if fee is None else (Fee("fee", args.fee_timing, amount=fee),)
    return LoanTerms(
        Money(args.principal, args.currency),
        parse_rate(args.rate),
        args.term,
        method=args.method,
        frequency=args.frequency,
        start_date=start,
        first_due_date=args.first_due,
        day_count=args.day_count,
        business_day=args.business_day,
        holidays=args.holidays,
        fees=fees,
        penalty_multiple=args.penalty_multiple,
        penalty_grace_days=args.penalty_grace_days,
        late_fee=args.late_fee,
        caps=caps,
    )


#: The library's field names → the option the user typed, and the argparse name holding it.
_TYPED = {
    "amount": ("principal", "principal"),
    "principal": ("principal", "principal"),
    "annual_rate": ("--rate", "rate"),
    "term": ("--term", "term"),
    "method": ("--method", "method"),
    "frequency": ("--frequency", "frequency"),
    "currency": ("--currency", "currency"),
    "principal.currency": ("--currency", "currency"),
    "day_count": ("--day-count", "day_count"),
    "convention": ("--day-count", "day_count"),
    "multiple": ("--penalty-multiple", "penalty_multiple"),
    "penalty_multiple": ("--penalty-multiple", "penalty_multiple"),
    "grace_days": ("--penalty-grace-days", "penalty_grace_days"),
    "penalty_grace_days": ("--penalty-grace-days", "penalty_grace_days"),
    "late_fee": ("--late-fee", "late_fee"),
    "fees[0].amount": ("--fee", "fee"),
    "start_date": ("--start", "start"),
    "date": ("--start", "start"),  # a date the schedule would reach past the calendar
    "fee": ("--fee", "fee"),
    "first_due_date": ("--first-due", "first_due"),
    "business_day": ("--business-day", "business_day"),
    "holidays": ("--holidays", "holidays"),
    "creditor": ("--creditor", "creditor"),
}


#: Audit's fields → its options.
_AUDIT_TYPED = {
    "record": ("--record", "record"),
    "mapping": ("--mapping", "mapping"),
    "workers": ("--workers", "workers"),
    "tolerance": ("--tolerance", "tolerance"),
    "tolerances": ("--tolerance", "tolerance"),
    "out": ("--out", "out"),
    "buckets": ("--buckets", "buckets"),
    "scheduler": ("--scheduler", "scheduler"),
}

#: Terms a method needs that the command line does not take: the error is about --method.
_LIBRARY_ONLY = ("custom_principal", "custom_payments", "step_rate", "step_amount")


def _option_of(field: str, args: argparse.Namespace) -> tuple[str, str] | None:
    """The (option, argparse name) a library field came from, for this command."""
    by_prefix = {"audit": _AUDIT_TYPED, "explain": _EXPLAIN_TYPED}.get(args.command)
    if by_prefix is not None:  # these commands' fields name their options by prefix
        return next((v for k, v in by_prefix.items() if field.startswith(k)), None)
    if field.startswith("fee"):
        return ("--fee", "fee")
    if field.startswith("caps"):
        return ("--cap", "cap")
    if field in _LIBRARY_ONLY:
        return ("--method", "method")
    if field == "date" and getattr(args, "first_due", None) is not None:
        return ("--first-due", "first_due")
    return _TYPED.get(field)


def _as_typed(error: LoanMathError, args: argparse.Namespace) -> str:
    """The error in one line naming the option as typed (``--day-count 'ACT/999'``), where the
    library's field is one of the command's options; else the library's own message."""
    field = getattr(error, "field", None)
    found = _option_of(field, args) if isinstance(field, str) else None
    if found is None:
        return str(error)
    option, dest = found
    if field in _LIBRARY_ONLY:
        return (
            f"--method {args.method!r}: needs {field.split('_')[0]} payments the command "
            "line does not take; use loanmath.LoanTerms from Python"
        )
    typed = getattr(args, dest, None)
    if isinstance(typed, list):
        typed = " ".join(map(str, typed))
    if isinstance(typed, _dt.date):
        typed = typed.isoformat()
    shown = repr(typed) if typed is not None else repr(getattr(error, "value", ""))
    limit, fix = getattr(error, "limit", ""), getattr(error, "fix", "")
    return f"{option} {shown}: {limit}" + (f"; {fix}" if fix else "")


def _percent(value: Decimal) -> str:
    """The rate as the disclosure shows it (babel, half up to 0.01 point): never in the
    caller's decimal context, which ``value * 100`` and ``quantize`` would use."""
    return format_rate(value, "en_US")


def _highest_hint(args: argparse.Namespace, error: RateCapExceeded) -> str:
    """'; the highest compliant rate is …' — what would make the offer lawful."""
    try:
        uncapped = _terms(argparse.Namespace(**{**vars(args), "cap": []}))
        for name in args.cap if args.cap is not None else ["cn36"]:
            cap = CAPS[name](uncapped.start_date)
            if cap.name.split("(")[0] == error.rule.split("(")[0].strip():
                highest = _percent(max_rate(uncapped, cap))
                binding = " (the overdue rate counts too)" if cap.covers_overdue else ""
                return f"; the highest compliant contract rate is {highest}{binding}"
    except LoanMathError:
        pass
    return "; lower the rate or the fees"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Notes
    -----
    Exit status (docs/caps-and-quote.md, "loanmath quote"; docs/audit.md): 0 a lawful quote, a
    form or an explanation; 3 a cap exceeded (one line: the cap, measured and limit rates,
    and, when found, the highest compliant rate by :func:`loanmath.caps.max_rate`); 2 bad input,
    a ``LoanMathError`` or an argparse error (one line naming the option); ``audit`` 0 clean, 1
    differences or bad rows.

    Examples
    --------
    >>> main(["quote", "1000", "--rate", "0.5%", "--term", "2", "--currency", "JPY",
    ...       "--start", "2024-01-01", "--json"])  # doctest: +ELLIPSIS
    {...
    0
    """
    args = _parser().parse_args(argv)
    if args.command == "audit":
        return _run_audit(args)
    if args.command == "explain":
        return _run_explain(args)
    try:
        terms = _terms(args)
        output = _disclose(args, terms) if args.command == "disclose" else _quote(args, terms)
    except RateCapExceeded as error:
        print(
            f"loanmath: cap exceeded: {error.rule}: {_percent(error.measured)} > "
            f"{_percent(error.limit)}{_highest_hint(args, error)}",
            file=sys.stderr,
        )
        return EXIT_CAP_EXCEEDED
    except LoanMathError as error:
        print(f"loanmath: error: {_as_typed(error, args)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(output)
    return 0


def _quote(args: argparse.Namespace, terms: LoanTerms) -> str:
    quote = build_quote(terms, all_rates=args.all_rates)
    if args.json:
        return json.dumps(quote_json(quote), ensure_ascii=False, indent=2)
    with _options_as_typed():
        return quote_text(quote, args.locale)


def _disclose(args: argparse.Namespace, terms: LoanTerms) -> str:
    options: dict[str, object] = {}
    form = choose_form(terms) if args.form == "auto" else args.form
    if form == "tila":
        options["itemize"] = args.itemize
    elif form == "secci":
        options["creditor"] = args.creditor
    elif form == "quote":
        options["all_rates"] = args.all_rates
    with _options_as_typed():
        return disclose(terms, form, args.format, args.locale, chart=not args.no_chart, **options)


@contextlib.contextmanager
def _options_as_typed() -> Iterator[None]:
    """An unknown locale, form or format named as the command-line option the user typed."""
    try:
        yield
    except UnknownNameError as error:
        if error.field not in ("locale", "format", "form"):
            raise
        accepted = ", ".join(error.choices)
        raise _Usage(f"--{error.field} {error.value!r}: must be one of {accepted}") from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def main_entry() -> None:
    """Console-script entry point: exit with :func:`main`'s status.

    Notes
    -----
    ``sys.exit(main())`` with ``sys.argv[1:]``: the process exits with :func:`main`'s status
    (0, 2, 3; ``audit`` also 1). It is the ``loanmath`` console script of pyproject.toml.
    A reader that closes the pipe early (``loanmath quote … | head``) ends the output quietly
    with status 141 (128 + SIGPIPE, as a shell tool's), not a traceback (Python's "Note on
    SIGPIPE").

    Examples
    --------
    >>> import sys
    >>> sys.argv = ["loanmath", "quote", "--start", "2024-01-15", "--json"]
    >>> main_entry()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    SystemExit: 0
    """
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's documented recipe: point stdout at devnull so the exit's flush is quiet
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = EXIT_BROKEN_PIPE
    sys.exit(status)
