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
from loanmath.servicing import Disbursement, Loan, Repayment, Reversal, portfolio_rows

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


# --- linear histories: bounced payments and events added one at a time -------------------

_LONG = LoanTerms(Money("36000.00", "CNY"), "0.12", 36, start_date=START, penalty_multiple="1.5")


def _bounced(n: int) -> Loan:
    """n payments each bounced (reversed) three days later and paid again two days after."""
    rows = _LONG.schedule.installments
    events: list[object] = [Disbursement("D", START)]
    for k in range(n):
        due = rows[k].due_date
        events += [
            Repayment(f"P{k}", due, amount=rows[k].payment),
            Reversal(f"R{k}", due + dt.timedelta(days=3), target=f"P{k}"),
            Repayment(f"Q{k}", due + dt.timedelta(days=5), amount=rows[k].payment),
        ]
    loan = Loan(_LONG, "B", events)  # type: ignore[arg-type]
    loan.state()
    return loan


@pytest.mark.benchmark(group="servicing linear")
def test_twenty_bounced_payments(benchmark) -> None:
    loan = benchmark(_bounced, 20)
    state = loan.state()
    assert state.penalty_charged > 0  # each bounce left the instalment 5 days late
    assert state.paid == sum(r.payment for r in _LONG.schedule.installments[:20])
    reversals = [t for t in loan.transactions() if t.narration.startswith("reversal of")]
    assert len(reversals) == 20


def _one_at_a_time(n: int) -> Loan:
    loan = Loan(_LONG, "A").add(Disbursement("D", START))
    for k in range(n):
        day = START + dt.timedelta(days=1 + k * 3)
        loan = loan.add(Repayment(f"P{k}", day, amount="100.00"))
    return loan


@pytest.mark.benchmark(group="servicing linear")
def test_three_hundred_events_added_one_at_a_time(benchmark) -> None:
    loan = benchmark(_one_at_a_time, 300)
    assert loan.state().paid == Decimal("30000.00")
    assert loan.state() == Loan(_LONG, "A", loan.events).state()  # same as replayed at once
