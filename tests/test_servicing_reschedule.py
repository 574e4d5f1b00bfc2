"""Servicing: prepayments that re-amortise, and disbursement in tranches (docs/servicing.md
"Tranches", C9)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from servicing_support import START, reconcile, terms

from loanmath import Fee, Money
from loanmath.errors import InvalidInputError
from loanmath.servicing import Disbursement, Loan, Repayment, ServicingPolicy, WriteOff

D = Decimal


@pytest.mark.parametrize(
    ("mode", "term", "payment"), [("keep_term", 2, "lower"), ("keep_payment", 1, "same")]
)
def test_partial_prepayment_reamortises(mode: str, term: int, payment: str) -> None:
    """1,200 over 3 months; on the first due date 408.03 + 600 paid: the rest re-amortised."""
    policy = ServicingPolicy(overpayment=mode)
    loan = Loan(terms(), "L", policy=policy).add(
        Disbursement("D", START), Repayment("P", dt.date(2024, 2, 15), amount="1008.03")
    )
    state = loan.state(dt.date(2024, 2, 15))
    assert state.overpayment == 0
    assert state.outstanding_principal == D("1200.00") - D("396.03") - D("600.00")
    reconcile(loan, dt.date(2024, 2, 15))
    in_force = loan.schedule_in_force(dt.date(2024, 2, 15)).installments
    remaining = [r for r in in_force if r.due_date > dt.date(2024, 2, 15)]
    assert len(remaining) == term
    instalment = remaining[0].principal + remaining[0].interest
    if payment == "lower":  # keep the term: two instalments, each below the old 408.03
        assert instalment < D("408.03")
    else:  # keep the instalment: one last instalment clears 203.97 and its interest
        assert remaining[0].principal == D("203.97")
    final = loan.add(
        *[Repayment(f"Q{k}", r.due_date, amount=r.payment) for k, r in enumerate(remaining)]
    )
    assert final.state().outstanding_principal == 0
    reconcile(final, final.state().on)


@pytest.mark.parametrize("accrual", ["period", "daily"])
def test_mid_period_prepayment_keeps_the_interest_already_earned(accrual: str) -> None:
    """Prepaying on 1 March (14 of February-March's 29 days gone) re-amortises, but the interest
    earned on the old balance for those 14 days stays owed in the next instalment."""
    policy = ServicingPolicy(overpayment="keep_term", accrual=accrual)
    base = Loan(terms(), "L", policy=policy).add(
        Disbursement("D", START), Repayment("P1", dt.date(2024, 2, 15), amount="408.03")
    )
    loan = base.add(Repayment("P2", dt.date(2024, 3, 1), amount="400.00"))
    old_interest = base.terms.schedule.installments[1].interest  # 8.04 on 803.97 a month
    earned = (old_interest * 14 / 29).quantize(D("0.01"))  # 3.88
    on_due = loan.state(dt.date(2024, 3, 15))
    assert on_due.instalments[1].due_date == dt.date(2024, 3, 15)
    assert on_due.interest_charged >= D("12.00") + earned  # instalment 1's, and 2's earned
    reconcile(loan, dt.date(2024, 3, 1))
    dates = [r.due_date for r in loan.schedule_in_force(dt.date(2024, 3, 1)).installments]
    done = loan
    for k, day in enumerate(dates):
        done = done.add(Repayment(f"Q{k}", day, amount=done.state(day).total_due))
    assert done.state().outstanding_principal == 0
    reconcile(done, done.state().on)


# --- tranches -----------------------------------------------------------------------------


def test_tranches_charge_interest_only_on_what_is_drawn() -> None:
    # 1,200 CNY at 12 % a year over 3 months, drawn 600 on 15 Jan and the rest on 1 Feb.
    # Figures by hand: the annuity on 600 at 1 % a month is 600 * 0.01 / (1 - 1.01**-3)
    # = 204.0133 -> 204.01 (interest 6.00, principal 198.01). After the second tranche the
    # first instalment's interest is 600 * 1 % * 17/31 = 3.2903 -> 3.29 earned before it
    # plus 1,200 * 1 % * 14/31 = 5.4194 -> 5.42 after it; the principal keeps the 1,200
    # annuity split 408.03 - 12.00 = 396.03, and months 2 and 3 are the 1,200 schedule's.
    loan = Loan(terms(), "L").add(Disbursement("D1", START, amount="600"))
    first = loan.state(dt.date(2024, 2, 15))
    assert (first.principal_due, first.interest_due) == (D("198.01"), D("6.00"))
    assert (first.drawn, first.outstanding_principal) == (D("600"), D("600.00"))

    loan = loan.add(Disbursement("D2", dt.date(2024, 2, 1)))
    due = loan.state(dt.date(2024, 2, 15))
    assert (due.drawn, due.disbursed_amount, due.outstanding_principal) == (
        D("1200.00"),
        D("1200.00"),
        D("1200.00"),
    )
    assert (due.principal_due, due.interest_due, due.total_due) == (
        D("396.03"),
        D("8.71"),
        D("404.74"),
    )
    payments = [("2024-02-15", "404.74"), ("2024-03-15", "408.03"), ("2024-04-15", "408.02")]
    for k, (day, amount) in enumerate(payments):
        loan = loan.add(Repayment(f"P{k}", dt.date.fromisoformat(day), amount=amount))
    for day in sorted({e.date for e in loan.events}):
        reconcile(loan, day)
    end = loan.state(dt.date(2024, 4, 15))
    assert (end.outstanding_principal, end.total_due, end.dpd) == (0, 0, 0)
    assert end.interest_charged == D("20.79")  # 8.71 + 8.04 + 4.04, not the whole loan's 24.08
    assert end.paid == D("1220.79")


def test_first_tranche_carries_the_upfront_fee() -> None:
    t = terms(fees=(Fee("origination", "upfront", amount="200"),))
    loan = Loan(t, "L").add(
        Disbursement("D1", START, amount="600"), Disbursement("D2", dt.date(2024, 3, 1))
    )
    assert loan.state(START).disbursed_amount == D("400.00")  # 600 less the 200 fee
    assert loan.state(dt.date(2024, 3, 1)).disbursed_amount == D("1000.00")
    for day in (START, dt.date(2024, 2, 15), dt.date(2024, 3, 1), dt.date(2024, 5, 1)):
        reconcile(loan, day)


@pytest.mark.parametrize(
    ("kw", "events", "message"),
    [
        ({}, [Disbursement("D", START, amount="1300")], "at most the undrawn principal 1200"),
        (
            {},
            [
                Disbursement("D", START, amount="600"),
                Disbursement("D2", dt.date(2024, 2, 1), amount="700"),
            ],
            "at most the undrawn principal 600",
        ),
        ({}, [Disbursement("D", dt.date(2024, 2, 16))], "before the first due date 2024-02-15"),
        (
            {},
            [
                Disbursement("D", START, amount="600"),
                Disbursement("D2", dt.date(2024, 4, 15)),
            ],
            "before the last due date 2024-04-15",
        ),
        (
            {"method": "interest_only"},
            [Disbursement("D", START, amount="600")],
            "annuity and equal-principal",
        ),
        (
            {"fees": (Fee("origination", "upfront", amount="200"),)},
            [Disbursement("D", START, amount="150")],
            "exceed the upfront fees 200",
        ),
        (
            {},
            [
                Disbursement("D", START, amount="600"),
                WriteOff("X", dt.date(2024, 6, 1)),
                Disbursement("D2", dt.date(2024, 6, 2)),
            ],
            "written off",
        ),
        ({}, [Disbursement("D", START, amount=Money("600", "USD"))], "currency"),
    ],
)
def test_bad_tranches_are_refused(
    kw: dict[str, object], events: list[Disbursement], message: str
) -> None:
    loan = Loan(terms(**kw), "L")
    with pytest.raises(InvalidInputError, match=message):
        loan.add(*events)


def test_a_tranche_amount_must_be_positive() -> None:
    with pytest.raises(InvalidInputError, match=r"amount=Decimal\('0'\): must be > 0"):
        Disbursement("D", START, amount="0")


def test_a_loan_funded_late_bears_interest_from_the_funding_date() -> None:
    # Contract dated 15 Jan, paid out 18 Jan: 28 of the first period's 31 days bear interest:
    # 1,200.00 x 1 % x 28/31 = 10.8387 -> 10.84 (not the schedule's 12.00); same due dates.
    loan = Loan(terms(), "L").add(Disbursement("D", dt.date(2024, 1, 18)))
    state = loan.state(dt.date(2024, 2, 15))
    assert (state.interest_due, state.principal_due) == (D("10.84"), D("396.03"))
    dates = [r.due_date for r in loan.schedule_in_force().installments]
    assert dates == [r.due_date for r in loan.terms.schedule.installments]
    reconcile(loan, dt.date(2024, 2, 15))
    with pytest.raises(InvalidInputError, match="before the first due date 2024-02-15"):
        Loan(terms(), "L").add(Disbursement("D", dt.date(2024, 2, 15)))
    with pytest.raises(InvalidInputError, match="on the start date 2024-01-15 or after it"):
        Loan(terms(), "L").add(Disbursement("D", dt.date(2024, 1, 14)))
