"""Schedule benchmarks (issue 3), each beside its reference or peer, results asserted.

- one 360-month exact annuity vs a straightforward Decimal loop with a precomputed monthly rate
  (the loop a developer would write; fast but not exact);
- 100,000 schedules of 36 months through the scalar API;
- the same 100,000 loans through the batch path vs numpy_financial's ipmt/ppmt broadcast.
"""

from __future__ import annotations

import datetime as dt
import decimal
import random
from decimal import Decimal

import numpy as np
import numpy_financial as npf
import pytest

from loanmath import LoanTerms, Money, build_schedule
from loanmath.schedules.batch import batch_schedules

START = dt.date(2024, 1, 15)
LOANS = 100_000
RNG = random.Random(3)
PRINCIPALS = [RNG.randrange(100_000, 50_000_000) for _ in range(LOANS)]  # cents
RATES = [str(Decimal(RNG.randrange(300, 3600)).scaleb(-4)) for _ in range(LOANS)]  # 3 %-36 %

T360 = LoanTerms(Money("1000000.00", "CNY"), "0.049", 360, start_date=START)


def _decimal_reference() -> list[tuple[Decimal, Decimal, Decimal]]:
    """The straightforward loop: monthly rate precomputed to 28 digits, quantize each row."""
    with decimal.localcontext() as ctx:
        ctx.prec = 28
        rate = Decimal("0.049") / 12
        balance, payment, cent = Decimal("1000000.00"), Decimal("5307.27"), Decimal("0.01")
        rows = []
        for k in range(360):
            interest = (balance * rate).quantize(cent, rounding=decimal.ROUND_HALF_UP)
            principal = payment - interest if k < 359 else balance
            balance -= principal
            rows.append((principal, interest, balance))
        return rows


@pytest.mark.benchmark(group="one 360-month annuity")
def test_annuity_360_loanmath(benchmark) -> None:
    s = benchmark(build_schedule, T360)
    assert s.regular_payment == Decimal("5307.27")
    assert s.balance_units[-1] == 0


@pytest.mark.benchmark(group="one 360-month annuity")
def test_annuity_360_loanmath_with_decimal_rows(benchmark) -> None:
    rows = benchmark(lambda: build_schedule(T360).installments)
    reference = _decimal_reference()
    assert [(r.principal, r.interest, r.balance) for r in rows] == reference


@pytest.mark.benchmark(group="one 360-month annuity")
def test_annuity_360_reference_decimal_loop(benchmark) -> None:
    rows = benchmark(_decimal_reference)
    assert rows[-1][2] == 0


def _scalar_all() -> int:
    total = 0
    for units, rate in zip(PRINCIPALS, RATES, strict=True):
        terms = LoanTerms(Money(Decimal(units).scaleb(-2), "CNY"), rate, 36, start_date=START)
        total += terms.schedule.interest_units[0]
    return total


@pytest.mark.benchmark(group="100k schedules x 36 months")
def test_100k_scalar_loanterms(benchmark) -> None:
    total = benchmark.pedantic(_scalar_all, rounds=1, iterations=1)
    assert total > 0


@pytest.mark.benchmark(group="100k schedules x 36 months")
def test_100k_batch_loanmath(benchmark) -> None:
    """Rates as int64 counts of 1e-7 (a pricing grid's form); parsing 100k strings adds
    the cost measured in test_100k_batch_loanmath_from_strings."""
    rates = np.array([int(Decimal(r).scaleb(7)) for r in RATES], dtype=np.int64)
    principals, terms = np.asarray(PRINCIPALS, dtype=np.int64), np.full(LOANS, 36)
    result = benchmark(batch_schedules, principals, rates, terms)
    assert int(result.balance[:, -1].max()) == 0
    assert (result.principal.sum(axis=1) == principals).all()


@pytest.mark.benchmark(group="100k schedules x 36 months")
def test_100k_batch_loanmath_from_strings(benchmark) -> None:
    result = benchmark(batch_schedules, PRINCIPALS, RATES, [36] * LOANS)
    assert int(result.balance[:, -1].max()) == 0
    assert (result.principal.sum(axis=1) == np.asarray(PRINCIPALS)).all()


@pytest.mark.benchmark(group="100k schedules x 36 months")
def test_100k_numpy_financial_broadcast(benchmark) -> None:
    """numpy_financial ipmt/ppmt broadcast over the same loans (float64, unrounded)."""
    rates = np.array([float(r) for r in RATES]) / 12
    principals = np.asarray(PRINCIPALS, dtype=np.float64) / 100
    periods = np.arange(1, 37)

    def run() -> tuple[np.ndarray, np.ndarray]:
        return (
            npf.ipmt(rates[:, None], periods[None, :], 36, principals[:, None]),
            npf.ppmt(rates[:, None], periods[None, :], 36, principals[:, None]),
        )

    interest, principal = benchmark(run)
    assert np.allclose(-principal.sum(axis=1), principals)
    assert (interest < 0).all()
