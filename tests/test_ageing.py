"""Overdue ageing (loanmath.ageing): DPD, bucket sets, portfolio ageing, PAR, roll rates and
reminders, each against a reference written from the documented rules, not from the code.

Rules (loanmath/ageing.py, docs/servicing.md "Ageing"):
- DPD on ``d`` is the lateness of the **oldest** instalment due before ``d`` that still owes
  more than the arrears tolerance; a loan at most ``tolerance_days`` late is current. The
  reference takes the *largest* lateness over all such instalments instead of the first in
  date order: the same number by another route.
- Bucket thresholds from their sources: FFIEC Uniform Retail Credit Classification and Account
  Management Policy (65 FR 36903, June 2000): 90 cumulative days past due substandard,
  closed-end 120 days loss, open-end 180 days loss; IFRS 9 §5.5.11 (more than 30 days past
  due: significant increase in credit risk) and B5.5.37 (default "not later than when a
  financial asset is 90 days past due": stage 3 from 90 DPD).
- PAR-k: the share of outstanding principal of loans more than k days past due, one exact
  division (Fractions in the reference).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from servicing_support import open_loan

from loanmath.ageing import (
    CN_M,
    IFRS9_STAGES,
    US_DELINQUENCY,
    US_RETAIL_CLOSED_END,
    US_RETAIL_OPEN_END,
    Bucket,
    BucketSet,
    Due,
    LoanAgeing,
    days_past_due,
    portfolio_ageing,
    reminder_dates,
    roll_rates,
)
from loanmath.errors import InvalidInputError
from loanmath.servicing import Loan, Repayment, portfolio_rows

D = Decimal
PRESETS = [CN_M, US_DELINQUENCY, IFRS9_STAGES, US_RETAIL_CLOSED_END, US_RETAIL_OPEN_END]
DAY0 = dt.date(2024, 1, 1)

dues = st.lists(
    st.builds(
        Due,
        st.integers(0, 400).map(lambda k: DAY0 + dt.timedelta(days=k)),
        st.integers(1, 10_000).map(lambda c: D(c) / 100),
        st.integers(0, 10_000).map(lambda c: D(c) / 100),
    ),
    max_size=12,
)


def _within(bucket: Bucket, dpd: int) -> bool:
    return bucket.low <= dpd and (bucket.high is None or dpd <= bucket.high)


def reference_dpd(rows: list[Due], on: dt.date, tolerance: Decimal, days: int) -> int:
    late = [
        (on - r.due_date).days for r in rows if r.due_date < on and r.amount - r.paid > tolerance
    ]
    worst = max(late, default=0)
    return 0 if worst <= days else worst


@given(dues, st.integers(0, 500), st.integers(0, 3000), st.integers(0, 40))
def test_dpd_is_the_lateness_of_the_oldest_unpaid_instalment(
    rows: list[Due], offset: int, tolerance_cents: int, tolerance_days: int
) -> None:
    on = DAY0 + dt.timedelta(days=offset)
    tolerance = D(tolerance_cents) / 100
    got = days_past_due(rows, on, tolerance_amount=tolerance, tolerance_days=tolerance_days)
    assert got == reference_dpd(rows, on, tolerance, tolerance_days)


def test_dpd_worked_example() -> None:
    # due 15 Feb paid, due 15 Mar owes 60, due 15 Apr owes 100: on 20 Apr the oldest unpaid
    # is 15 Mar, 36 days; with a tolerance of 60 it is 15 Apr, 5 days; 5 days within a
    # 5-day tolerance is current
    rows = [
        Due(dt.date(2024, 2, 15), D(100), D(100)),
        Due(dt.date(2024, 3, 15), D(100), D(40)),
        Due(dt.date(2024, 4, 15), D(100), D(0)),
    ]
    on = dt.date(2024, 4, 20)
    assert days_past_due(rows, on) == 36
    assert days_past_due(rows, on, tolerance_amount="60") == 5
    assert days_past_due(rows, on, tolerance_amount="60", tolerance_days=5) == 0
    assert days_past_due(rows, dt.date(2024, 3, 15)) == 0  # due today is not past due


@pytest.mark.parametrize(
    ("buckets", "dpd", "label"),
    [
        (US_RETAIL_CLOSED_END, 89, "Pass"),
        (US_RETAIL_CLOSED_END, 90, "Substandard"),  # FFIEC: 90 cumulative days
        (US_RETAIL_CLOSED_END, 119, "Substandard"),
        (US_RETAIL_CLOSED_END, 120, "Loss"),  # FFIEC: closed-end, 120 days
        (US_RETAIL_OPEN_END, 179, "Substandard"),
        (US_RETAIL_OPEN_END, 180, "Loss"),  # FFIEC: open-end, 180 days
        (IFRS9_STAGES, 30, "Stage 1"),
        (IFRS9_STAGES, 31, "Stage 2"),  # IFRS 9 5.5.11: more than 30 days past due
        (IFRS9_STAGES, 89, "Stage 2"),
        (IFRS9_STAGES, 90, "Stage 3"),  # IFRS 9 B5.5.37: "not later than ... 90 days past due"
        (CN_M, 0, "M0"),
        (CN_M, 1, "M1"),
        (CN_M, 30, "M1"),
        (CN_M, 31, "M2"),
        (CN_M, 180, "M6"),
        (CN_M, 181, "M7+"),
        (US_DELINQUENCY, 29, "1-29"),
        (US_DELINQUENCY, 30, "30-59"),
        (US_DELINQUENCY, 120, "120+"),
    ],
)
def test_bucket_thresholds_from_their_sources(buckets: BucketSet, dpd: int, label: str) -> None:
    assert buckets.bucket(dpd) == label


@given(st.sampled_from(PRESETS), st.integers(0, 10_000))
def test_every_dpd_falls_in_exactly_one_bucket(buckets: BucketSet, dpd: int) -> None:
    holding = [
        b.label for b in buckets.buckets if b.low <= dpd and (b.high is None or dpd <= b.high)
    ]
    assert holding == [buckets.bucket(dpd)]


def test_bucket_sets_refuse_gaps_overlaps_and_a_closed_end() -> None:
    with pytest.raises(InvalidInputError, match="no gaps"):
        BucketSet("gap", (Bucket("a", 0, 5), Bucket("b", 7, None)))
    with pytest.raises(InvalidInputError, match="no gaps"):
        BucketSet("overlap", (Bucket("a", 0, 5), Bucket("b", 5, None)))
    with pytest.raises(InvalidInputError, match="open-ended"):
        BucketSet("closed", (Bucket("a", 0, 5), Bucket("b", 6, 9)))


portfolios = st.lists(
    st.tuples(st.integers(0, 400), st.integers(0, 10**9).map(lambda c: D(c) / 100)),
    max_size=30,
)


@given(portfolios, st.sampled_from(PRESETS))
def test_portfolio_ageing_and_par_against_a_plain_count(
    loans: list[tuple[int, Decimal]], buckets: BucketSet
) -> None:
    rows = [LoanAgeing(f"L{i}", dpd, amount) for i, (dpd, amount) in enumerate(loans)]
    report = portfolio_ageing(rows, DAY0, buckets)
    for bucket in buckets.buckets:
        inside = [
            a for d, a in loans if bucket.low <= d and (bucket.high is None or d <= bucket.high)
        ]
        assert report.count[bucket.label] == len(inside)
        assert Fraction(report.outstanding[bucket.label]) == sum(map(Fraction, inside), Fraction(0))
    total = sum((Fraction(a) for _, a in loans), Fraction(0))
    for k in (30, 60, 90):
        over = sum((Fraction(a) for d, a in loans if d > k), Fraction(0))
        exact = over / total if total else Fraction(0)
        with decimal.localcontext(decimal.Context(prec=50)):  # one rounding, 50 digits
            expected = Decimal(exact.numerator) / Decimal(exact.denominator)
        assert report.par[k] == expected


@given(
    st.dictionaries(st.integers(0, 40), st.integers(0, 400), max_size=25),
    st.dictionaries(st.integers(0, 40), st.integers(0, 400), max_size=25),
)
def test_roll_rates_count_each_loan_present_on_both_dates(
    first: dict[int, int], second: dict[int, int]
) -> None:
    before = [LoanAgeing(f"L{k}", dpd, D(1)) for k, dpd in first.items()]
    after = [LoanAgeing(f"L{k}", dpd, D(1)) for k, dpd in second.items()]
    moves = Counter(
        (CN_M.bucket(first[k]), CN_M.bucket(second[k])) for k in first.keys() & second.keys()
    )
    matrix = roll_rates(before, after)
    assert {(a, b): n for a, row in matrix.items() for b, n in row.items() if n} == dict(moves)


@given(
    st.lists(st.integers(0, 3000).map(lambda k: DAY0 + dt.timedelta(days=k)), max_size=8),
    st.lists(st.integers(0, 10), max_size=3),
)
def test_reminders_are_each_due_date_less_each_lead(days: list[dt.date], leads: list[int]) -> None:
    expected = sorted((day - dt.timedelta(days=n), day) for day in days for n in leads)
    assert reminder_dates(days, leads) == expected


def test_a_serviced_portfolio_ages_and_rolls() -> None:
    """Two serviced loans: one never paid (due 15 Feb: 34 DPD on 20 Mar, M2), one that paid
    its first instalment (due 15 Mar unpaid: 5 DPD, M1). On 20 Feb the first was 5 DPD (M1)
    and the second current (M0): one roll M1 -> M2, one M0 -> M1."""
    loans = [open_loan(), open_loan().add(Repayment("P", dt.date(2024, 2, 15), amount="408.03"))]
    loans = [Loan(x.terms, f"L{i}", x.events) for i, x in enumerate(loans)]
    on = dt.date(2024, 3, 20)
    rows = portfolio_rows(loans, on)
    assert [r.dpd for r in rows] == [34, 5]
    report = portfolio_ageing(rows, on)
    assert (report.count["M2"], report.count["M1"]) == (1, 1)
    matrix = roll_rates(portfolio_rows(loans, dt.date(2024, 2, 20)), rows)
    assert matrix["M1"]["M2"] == 1
    assert matrix["M0"]["M1"] == 1
    assert report.par[30] > 0
