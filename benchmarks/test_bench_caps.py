"""Pricing to a cap (issue 13), beside a reference and the peers, in the same run.

- one offer: ``max_rate`` (batch engine) vs the construction search it replaced (bisection
  over ``LoanTerms`` constructions) and pyxirr's IRR of the same flows (the peers price no cap);
- 100,000 offers: ``batch_max_rate`` and ``batch_check`` vs numpy-financial's vectorised
  ``rate`` (a float rate per offer, no rounding and no cap) and a pyxirr IRR loop.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import attrs
import numpy as np
import numpy_financial as npf
import pytest
import pyxirr

from loanmath import Fee, LoanTerms, Money
from loanmath.caps import CN_COMPREHENSIVE_36, batch_check, batch_max_rate, max_rate
from loanmath.errors import RateCapExceeded

START = dt.date(2024, 1, 15)
TERMS = LoanTerms(
    Money("36000.00", "CNY"),
    "0.10",
    36,
    start_date=START,
    fees=(Fee("service", "upfront", amount="300"),),
)
EXPECTED = Decimal("0.353284")


def _construction_search(terms: LoanTerms, step: Decimal = Decimal("0.000001")) -> Decimal:
    """The definition, as max_rate computed it before: bisection over constructions."""

    def passes(k: int) -> bool:
        try:
            attrs.evolve(terms, annual_rate=step * k, caps=(CN_COMPREHENSIVE_36,))
        except RateCapExceeded:
            return False
        return True

    low, high = 0, 1
    while passes(high):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if passes(middle) else (low, middle)
    return step * low


@pytest.mark.benchmark(group="max_rate, one 36-month offer")
def test_max_rate_loanmath(benchmark) -> None:
    assert benchmark(max_rate, TERMS, CN_COMPREHENSIVE_36) == EXPECTED


@pytest.mark.benchmark(group="max_rate, one 36-month offer")
def test_max_rate_construction_search(benchmark) -> None:
    assert benchmark.pedantic(_construction_search, (TERMS,), rounds=5) == EXPECTED


@pytest.mark.benchmark(group="max_rate, one 36-month offer")
def test_max_rate_pyxirr_irr_of_the_flows(benchmark) -> None:
    flows = [float(a) for a in TERMS.schedule.period_amounts()]
    assert benchmark(pyxirr.irr, flows) > 0


OFFERS = 100_000
_RNG = random.Random(13)
PRINCIPAL = np.array([str(_RNG.randrange(1_000, 500_000)) for _ in range(OFFERS)], dtype=object)
FEE = np.array([str(int(p) * _RNG.randrange(0, 3) // 100) for p in PRINCIPAL], dtype=object)
TERM = np.array([_RNG.choice([6, 12, 24, 36]) for _ in range(OFFERS)])
COLUMNS = {
    "principal": PRINCIPAL,
    "currency": "CNY",
    "term": TERM,
    "upfront_fee": FEE,
    "start_date": START,
}


@pytest.fixture(scope="module")
def best_rates() -> np.ndarray:
    return batch_max_rate(CN_COMPREHENSIVE_36, **COLUMNS)


@pytest.mark.benchmark(group="100k offers priced to the cap")
def test_100k_batch_max_rate(benchmark) -> None:
    rates = benchmark.pedantic(
        batch_max_rate, (CN_COMPREHENSIVE_36,), COLUMNS, rounds=3, iterations=1
    )
    assert all(
        Decimal(0) < r < Decimal("0.3601") for r in rates[:1000]
    )  # rounding: > 36 % can pass


@pytest.mark.benchmark(group="100k offers priced to the cap")
def test_100k_batch_check(benchmark, best_rates) -> None:
    ok = benchmark.pedantic(
        batch_check,
        (CN_COMPREHENSIVE_36,),
        {**COLUMNS, "annual_rate": best_rates},
        rounds=3,
        iterations=1,
    )
    assert ok.all()  # every highest rate complies …
    over = [r + Decimal("0.000001") for r in best_rates[:2000]]
    part = {k: (v[:2000] if isinstance(v, np.ndarray) else v) for k, v in COLUMNS.items()}
    assert not batch_check(
        CN_COMPREHENSIVE_36, **part, annual_rate=over
    ).any()  # … one step more does not


@pytest.mark.benchmark(group="100k offers priced to the cap")
def test_100k_numpy_financial_rate(benchmark) -> None:
    """npf.rate for the same offers' level payments: float, unrounded, no cap."""
    principal = PRINCIPAL.astype(float)
    payment = principal * 0.03 / (1 - 1.03 ** -TERM.astype(float))
    rates = benchmark.pedantic(
        npf.rate, (TERM, -payment, principal - FEE.astype(float), 0), rounds=3, iterations=1
    )
    assert np.isfinite(rates).all()


@pytest.mark.benchmark(group="100k offers priced to the cap")
def test_10k_pyxirr_irr_loop(benchmark) -> None:
    """pyxirr's IRR per offer for a tenth of the offers (multiply by 10 for the ratio)."""
    rows = [
        [-(float(p) - float(f)), *[float(p) / int(n) * 1.02] * int(n)]
        for p, f, n in zip(PRINCIPAL[:10_000], FEE[:10_000], TERM[:10_000], strict=True)
    ]
    out = benchmark.pedantic(lambda: [pyxirr.irr(r) for r in rows], rounds=3, iterations=1)
    assert len(out) == 10_000
