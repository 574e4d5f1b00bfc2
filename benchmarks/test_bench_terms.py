"""Constructing a capped LoanTerms (schedule + IRR + cap checks): issue 5 target ≤ 1 ms."""

from __future__ import annotations

import datetime as dt

import pytest

from loanmath import Fee, LoanTerms, Money
from loanmath.caps import CN_COMPREHENSIVE_36, US_MLA_36, cn_private_lending

START = dt.date(2024, 1, 15)
CAPS = (CN_COMPREHENSIVE_36, cn_private_lending(dt.date(2024, 1, 2)))


@pytest.mark.benchmark(group="capped LoanTerms, 36 months")
def test_capped_terms_cn(benchmark) -> None:
    terms = benchmark(
        lambda: LoanTerms(
            Money("36000.00", "CNY"),
            "0.10",
            36,
            start_date=START,
            penalty_multiple="1.3",
            fees=(Fee("service", "upfront", amount="300"),),
            caps=CAPS,
        )
    )
    assert terms.schedule.term == 36


@pytest.mark.benchmark(group="capped LoanTerms, 36 months")
def test_capped_terms_mla(benchmark) -> None:
    terms = benchmark(
        lambda: LoanTerms(Money("3600.00", "USD"), "0.20", 36, start_date=START, caps=(US_MLA_36,))
    )
    assert terms.schedule.term == 36


@pytest.mark.benchmark(group="capped LoanTerms, 36 months")
def test_uncapped_terms_reference(benchmark) -> None:
    terms = benchmark(lambda: LoanTerms(Money("36000.00", "CNY"), "0.12", 36, start_date=START))
    assert terms.schedule.term == 36
