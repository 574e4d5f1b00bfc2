"""A fast generator of big audit tapes (docs/audit.md's layout), streamed to disk as CSV.

Each loan is a CNY annuity of 12 monthly instalments, paid out whole on its start date (a day
of 2024 from the 1st to the 28th, so due dates never clip at a month's end), then repaid by
the schedule's level payment: on the due date mostly, late now and then, and sometimes bounced
(reversed three days later) and paid again two days after that. Every event is dated on or
before ``AS_OF``. Nothing is ever refused by servicing, so an audit of the tape recomputes
every loan and reports no error (and, without a record, no difference: exit status 0).

The level payment is computed exactly in integers (half up to the fen); no
``LoanTerms`` is built, so a million loans take seconds, not minutes.

    python benchmarks/audit_tape.py --loans 1000000 --out /tmp/tape
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

AS_OF = dt.date(2025, 3, 1)
TERM = 12
CONTRACT_COLUMNS = ("loan_id", "currency", "principal", "annual_rate", "term", "start_date")
EVENT_COLUMNS = ("loan_id", "event_id", "date", "type", "amount", "target", "channel")
CHANNELS = ("bank", "alipay", "wechat")


def level_payment(principal_units: int, rate_bp: int, term: int = TERM) -> int:
    """The annuity payment in fen of `principal_units` fen at `rate_bp` / 10,000 a year,
    paid monthly: ``P × r / (1 − (1 + r)^−n)`` with ``r = rate / 12``, rounded half up.

    >>> level_payment(1_200_000, 1200)  # 12,000.00 at 12 %: 1,066.19 a month
    106619
    """
    a, b = 120_000 + rate_bp, 120_000  # 1 + r = a / b
    num = principal_units * rate_bp * a**term
    den = 120_000 * (a**term - b**term)
    return (2 * num + den) // (2 * den)


def _money(units: int) -> str:
    return f"{units // 100}.{units % 100:02d}"


def _due(start: dt.date, k: int) -> dt.date:
    months = start.month - 1 + k
    return dt.date(start.year + months // 12, months % 12 + 1, start.day)


def loan_rows(
    rng: random.Random, n: int, as_of: dt.date = AS_OF
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The contract row and the event rows of loan number `n`."""
    loan_id = f"A{n:08d}"
    principal = rng.randrange(1_000, 50_000) * 100
    rate_bp = rng.randrange(600, 2400)
    start = dt.date(2024, rng.randint(1, 12), rng.randint(1, 28))
    contract = (
        loan_id,
        "CNY",
        _money(principal),
        f"0.{rate_bp:04d}",
        str(TERM),
        start.isoformat(),
    )
    payment = _money(level_payment(principal, rate_bp))
    events = [(loan_id, f"{loan_id}-D", start.isoformat(), "disbursement", "", "", "")]
    for k in range(1, TERM + 1):
        due = _due(start, k)
        day = due + dt.timedelta(days=rng.randrange(1, 40) if rng.random() < 0.1 else 0)
        if day > as_of:
            break
        pid = f"{loan_id}-P{k}"
        events.append(
            (loan_id, pid, day.isoformat(), "repayment", payment, "", rng.choice(CHANNELS))
        )
        if rng.random() < 0.02 and day + dt.timedelta(days=5) <= as_of:
            bounced, again = day + dt.timedelta(days=3), day + dt.timedelta(days=5)
            events.append((loan_id, f"{pid}R", bounced.isoformat(), "reversal", "", pid, ""))
            events.append((loan_id, f"{pid}B", again.isoformat(), "repayment", payment, "", "bank"))
    return contract, events


def iter_loans(
    loans: int, seed: int = 7, as_of: dt.date = AS_OF
) -> Iterator[tuple[tuple[str, ...], list[tuple[str, ...]]]]:
    rng = random.Random(seed)
    for n in range(loans):
        yield loan_rows(rng, n, as_of)


def write_tape(
    out_dir: Path | str, loans: int, *, seed: int = 7, as_of: dt.date = AS_OF
) -> tuple[Path, Path, int]:
    """Write ``contracts.csv`` and ``events.csv`` of `loans` loans into `out_dir`, a loan at a
    time (memory stays flat); return both paths and the number of event rows."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    contracts_path, events_path = out / "contracts.csv", out / "events.csv"
    n_events = 0
    with (
        contracts_path.open("w", newline="", encoding="utf-8") as cf,
        events_path.open("w", newline="", encoding="utf-8") as ef,
    ):
        contracts, events = csv.writer(cf, lineterminator="\n"), csv.writer(ef, lineterminator="\n")
        contracts.writerow(CONTRACT_COLUMNS)
        events.writerow(EVENT_COLUMNS)
        for contract, rows in iter_loans(loans, seed, as_of):
            contracts.writerow(contract)
            events.writerows(rows)
            n_events += len(rows)
    return contracts_path, events_path, n_events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, required=True, help="number of loans")
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF)
    args = parser.parse_args(argv)
    if args.loans < 1:
        parser.error("--loans must be at least 1")
    contracts, events, n_events = write_tape(args.out, args.loans, seed=args.seed, as_of=args.as_of)
    print(f"{contracts} ({args.loans} loans)")  # noqa: T201
    print(f"{events} ({n_events} events); audit as of {args.as_of}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
