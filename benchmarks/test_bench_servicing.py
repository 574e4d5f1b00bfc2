"""Servicing benchmark (issue 7): replay loans × 12 monthly repayments with postings, then a
portfolio ageing report; reports loan-events per second. Target ≥ 20,000 on this machine.

LOANS defaults to 2,000 (CI smoke); the note's figure uses SERVICING_LOANS=10000.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from decimal import Decimal

import pytest

from loanmath import LoanTerms, Money
from loanmath.ageing import portfolio_ageing
from loanmath.servicing import Disbursement, Loan, Repayment, portfolio_rows

LOANS = int(os.environ.get("SERVICING_LOANS", "2000"))
START = dt.date(2024, 1, 15)
RNG = random.Random(7)


def _loan(k: int) -> Loan:
    terms = LoanTerms(
        Money(Decimal(RNG.randrange(1_000, 50_000)), "CNY"),
        Decimal(RNG.randrange(600, 2400)).scaleb(-4),
        12,
        start_date=START,
        penalty_multiple="1.5",
    )
    rows = terms.schedule.installments
    events = [Disbursement("D", START)]
    for n, row in enumerate(rows):
        late = RNG.random() < 0.1
        day = row.due_date + dt.timedelta(days=RNG.randrange(1, 40) if late else 0)
        events.append(Repayment(f"P{n}", day, amount=row.payment))
    return Loan(terms, f"L{k}", events)


HISTORIES = [(_l.terms, _l.loan_id, _l.events) for _l in (_loan(k) for k in range(LOANS))]
EVENTS = sum(len(events) for _, _, events in HISTORIES)


def _replay_portfolio() -> tuple[int, object]:
    on = dt.date(2025, 3, 1)
    loans = [Loan(terms, loan_id, events) for terms, loan_id, events in HISTORIES]
    postings = sum(len(loan.transactions(on)) for loan in loans)
    report = portfolio_ageing(portfolio_rows(loans, on), on)
    return postings, report


@pytest.mark.benchmark(group="servicing replay")
def test_replay_with_postings_and_ageing(benchmark) -> None:
    postings, report = benchmark.pedantic(_replay_portfolio, rounds=1, iterations=1)
    assert postings >= EVENTS
    assert sum(report.count.values()) == LOANS  # type: ignore[attr-defined]
    if benchmark.stats is not None:  # None in the smoke run (--benchmark-disable)
        benchmark.extra_info["loan_events_per_second"] = round(EVENTS / benchmark.stats.stats.mean)
