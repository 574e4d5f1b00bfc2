"""Hostile values into the servicing entry points: every outcome is a result or a
LoanMathError — never a raw decimal, arithmetic or overflow exception (a fuzz found several)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loanmath import LoanTerms, Money, OverdueTerms
from loanmath.errors import LoanMathError
from loanmath.penalty import PenaltyPolicy
from loanmath.servicing import (
    Disbursement,
    FeeCharge,
    Loan,
    Repayment,
    ServicingPolicy,
    Waiver,
    WriteOff,
)

START = dt.date(2024, 1, 15)
NUMBERS = ["0", "1", "0.5", "1e10", "1e60", "-1", "1E-60", "99999999999999999999.99",
           "0.0000001", "1000", "36", "1e15", "0.01"]  # fmt: skip


def _event(kind: str, k: int, day: dt.date, value: str) -> object:
    if kind == "pay":
        return Repayment(f"P{k}", day, amount=value)
    if kind == "fee":
        return FeeCharge(f"F{k}", day, amount=value)
    if kind == "waive":
        return Waiver(f"W{k}", day, amount=value, component="penalty")
    return WriteOff(f"X{k}", day)


_ATTEMPTS = st.lists(
    st.tuples(
        st.sampled_from(["pay", "fee", "waive", "writeoff"]),
        st.integers(0, 20000).map(lambda n: START + dt.timedelta(days=n)),
        st.sampled_from(NUMBERS),
    ),
    max_size=5,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(
        [
            ("multiple", "1"),
            ("multiple", "1.5"),
            ("multiple", "100"),
            ("margin", "0"),
            ("margin", "0.05"),
            ("margin", "100"),
            ("daily_rate", "0.0005"),
            ("daily_rate", "1"),
        ]
    ),
    st.sampled_from([None, "20", "1000000000000000"]),
    st.sampled_from([0, 5, 36500]),
    st.sampled_from(["1200.00", "0.01", "1000000000000000"]),
    st.sampled_from(["0.12", "0", "99"]),
    st.sampled_from([1, 3, 12, 480]),
    st.sampled_from([None, 0, 36500]),
    st.sampled_from(["0", "1000000000000000"]),
    st.sampled_from(["period", "daily"]),
    st.sampled_from(["hold", "prepay", "keep_term"]),
    _ATTEMPTS,
    st.integers(0, 40000),
)
def test_extreme_loans_and_hostile_events_end_in_a_result_or_a_loanmath_error(
    rate: tuple[str, str], late_fee: str | None, grace: int, principal: str, annual: str,
    term: int, stop: int | None, tolerance: str, accrual: str, overpayment: str,
    events: list[tuple[str, dt.date, str]], later: int,
) -> None:  # fmt: skip
    """Terms at the edges of what is accepted, then hostile amounts and dates."""
    try:
        overdue = OverdueTerms(**{rate[0]: rate[1]}, late_fee=late_fee, grace_days=grace)  # type: ignore[arg-type]
        terms = LoanTerms(Money(principal, "CNY"), annual, term, start_date=START, overdue=overdue)
        policy = ServicingPolicy(
            penalty=PenaltyPolicy(stop_at_dpd=stop), tolerance_amount=tolerance,
            accrual=accrual, overpayment=overpayment,
        )  # fmt: skip
        loan = Loan(terms, "L", policy=policy).add(Disbursement("D", START))
    except LoanMathError:
        return  # terms a cap or a check refuses: refused, as they should be
    for k, (kind, day, value) in enumerate(events):
        try:  # a bad amount may be refused by the event itself, or by the loan
            loan = loan.add(_event(kind, k, day, value))  # type: ignore[arg-type]
        except LoanMathError:
            continue
    on = START + dt.timedelta(days=later)
    try:
        loan.state(on)
        loan.payoff(on)
    except LoanMathError:
        pass


def test_the_end_of_the_calendar_is_a_refusal_or_a_result() -> None:
    """A loan near 9999-12-31 with a century of grace, asked about the last day, and a
    schedule that would pass the year 9999: a result, or a LoanMathError naming the date."""
    import pytest

    start = dt.date(9999, 10, 1)
    terms = LoanTerms(
        Money("1200.00", "CNY"), "0.12", 2, start_date=start, late_fee="20",
        penalty_grace_days=36500,
    )  # fmt: skip
    loan = Loan(terms, "L").add(Disbursement("D", start))
    assert loan.state(dt.date(9999, 12, 31)).dpd == 60  # due 1 Nov, unpaid
    assert loan.eligible_to_reborrow(dt.date(9999, 12, 31), max_dpd=100_000)
    with pytest.raises(LoanMathError, match="falls outside the years 1 to 9999"):
        LoanTerms(Money("1200.00", "CNY"), "0.12", 2, start_date=dt.date(9999, 12, 1))
