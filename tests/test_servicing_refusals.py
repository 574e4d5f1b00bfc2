"""Bad input to servicing, each named in the servicing issue: a clear LoanMathError naming the
field, and a refused event leaves the loan, its journal and its history hash as they were."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from servicing_support import START, open_loan

from loanmath import Fee, LoanTerms, Money, OverdueTerms
from loanmath.errors import InvalidInputError, LoanMathError
from loanmath.penalty import PenaltyPolicy
from loanmath.servicing import (
    Contact,
    Disbursement,
    FeeCharge,
    Loan,
    Repayment,
    Reversal,
    ServicingPolicy,
    Waiver,
)

DUE1 = dt.date(2024, 2, 15)


def _snapshot(loan: Loan) -> tuple[object, ...]:
    return loan.events, loan.state(), loan.journal().head, loan.history_hash()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (Reversal("R", DUE1, target="D"), None),  # fine: reversing the disbursement is allowed
        (Disbursement("D2", DUE1), r"event='D2': the whole principal 1200\.00 is already"),
        (Repayment("P", DUE1, amount="0.001"), r"amount=.*0\.001.*minor unit 0\.01 CNY"),
        (Repayment("P", DUE1, amount="10.005"), r"amount=.*10\.005.*minor unit 0\.01"),
        (FeeCharge("F", DUE1, amount="0.009"), r"amount=.*0\.009.*minor unit 0\.01"),
        (Waiver("W", DUE1, amount="0.001", component="interest"), r"minor unit 0\.01"),
        (Repayment("P", DUE1, amount=Money("10", "USD")), r"amount\.currency='USD'.*CNY"),
        (Repayment("P", DUE1, amount="1" + "0" * 70 + ".01"), r"at most 1000000000000000"),
        (FeeCharge("F", DUE1, amount="1E-99"), r"has more than 40 decimals"),
        (Repayment("P", DUE1, amount="10", channel="bank\ud800"), r"channel=.*lone surrogate"),
        (Contact("C", DUE1, agent="\udfff"), r"agent=.*cannot be encoded"),
    ],
)
def test_each_bad_event_is_refused_and_changes_nothing(bad: object, message: str | None) -> None:
    loan = open_loan()
    before = _snapshot(loan)
    if message is None:
        loan.add(bad)  # type: ignore[arg-type]
    else:
        with pytest.raises(LoanMathError, match=message) as caught:
            loan.add(bad)  # type: ignore[arg-type]
        assert caught.value.field  # names the field
    assert _snapshot(loan) == before


def test_a_second_whole_disbursement_names_no_invented_amount() -> None:
    with pytest.raises(InvalidInputError) as caught:
        open_loan().add(Disbursement("D2", DUE1))
    assert "amount=0" not in str(caught.value)
    assert "already disbursed" in str(caught.value)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"late_fee": Money("20", "USD")}, "late_fee.currency"),
        ({"fees": (Fee("service", "upfront", amount=Money("5", "EUR")),)}, r"fees\[0\]"),
        (
            {"method": "step", "step_amount": Money("10", "USD"), "step_every": 1},
            "step_amount.currency",
        ),
        (
            {"method": "custom", "custom_principal": ["600", Money("600", "JPY")]},
            r"custom_principal\[1\]",
        ),
    ],
)
def test_money_of_another_currency_in_a_contract_is_refused(
    kw: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInputError, match=f"{field}.*another currency than the principal"):
        LoanTerms(Money("1200.00", "CNY"), "0.12", 2, start_date=START, **kw)  # type: ignore[arg-type]


def test_money_of_the_loans_currency_in_a_contract_is_accepted() -> None:
    t = LoanTerms(
        Money("1200.00", "CNY"),
        "0.12",
        2,
        start_date=START,
        late_fee=Money("20", "CNY"),
        fees=(Fee("service", "upfront", amount=Money("5", "CNY")),),
    )
    assert (t.late_fee, t.fees[0].amount) == (Decimal("20"), Decimal("5"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: OverdueTerms(multiple="1000"), r"multiple=.*must be at most 100"),
        (lambda: OverdueTerms(margin="1E-60"), r"margin=.*more than 20 decimal places"),
        (lambda: OverdueTerms(daily_rate="2"), r"daily_rate=.*must be at most 1"),
        (lambda: OverdueTerms(late_fee="1e60"), r"late_fee=.*must be at most"),
        (lambda: OverdueTerms(grace_days=10**6), r"grace_days=1000000: must be at most 36500"),
        (lambda: PenaltyPolicy(stop_at_dpd=10**9), r"stop_at_dpd=.*at most 36500"),
        (lambda: ServicingPolicy(tolerance_amount="1e40"), r"tolerance_amount=.*between 0"),
        (
            lambda: LoanTerms(
                Money("1200.00", "CNY"), "0.12", 3, start_date=START, late_fee="0.001"
            ),
            r"late_fee=.*not a multiple of the rounding quantum 0\.01",
        ),
        (
            lambda: Loan(
                LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=START, late_fee="20"),
                "L",
                policy=ServicingPolicy(penalty=PenaltyPolicy(late_fee="0.001")),
            ),
            r"late_fee=.*not a whole number of the loan's unit 0\.01",
        ),
    ],
)
def test_overdue_terms_beyond_what_the_exact_arithmetic_holds_are_refused(
    make: object, message: str
) -> None:
    """Found by fuzzing: unbounded rates, fees and day counts ended in raw decimal Inexact or
    OverflowError deep in the replay; they are refused where they are given."""
    with pytest.raises(LoanMathError, match=message):
        make()  # type: ignore[operator]
