"""Shared helpers of the servicing tests: the standard loan and the ledger reconciliation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from loanmath import LoanTerms, Money
from loanmath.servicing import Disbursement, Loan

START = dt.date(2024, 1, 15)
D = Decimal


def terms(principal: str = "1200.00", rate: str = "0.12", term: int = 3, **kw: object) -> LoanTerms:
    """1,200 CNY at 12 % over 3 months from 15 Jan 2024; overdue rate 1.5 x unless `overdue`
    or another overdue keyword is given."""
    if not {"overdue", "penalty_rate", "penalty_multiple"} & set(kw):
        kw["penalty_multiple"] = "1.5"
    return LoanTerms(Money(principal, "CNY"), rate, term, start_date=START, **kw)  # type: ignore[arg-type]


def open_loan(**kw: object) -> Loan:
    return Loan(terms(**kw), "L1").add(Disbursement("D", START))


def reconcile(loan: Loan, on: dt.date) -> None:
    state = loan.state(on)
    journal = loan.journal(on)
    chart = loan.chart

    def balance(role: str) -> Decimal:
        return journal.balance(chart.role(role).name, "CNY")

    assert balance("principal_receivable") == state.outstanding_principal
    assert balance("interest_receivable") == state.interest_due + state.interest_accrued
    assert balance("fee_receivable") == state.fees_due
    assert balance("penalty_receivable") == state.penalty_due
    assert balance("overpayment") == -state.overpayment
    assert balance("custody") == state.paid - state.disbursed_amount
    rows = state.instalments
    assert sum(i.principal for i in rows) == (
        0 if state.written_off else state.outstanding_principal
    )
    assert sum(i.principal for i in rows if i.due_date <= on) == state.principal_due
    assert sum(i.penalty for i in rows) == state.penalty_due
    assert all(v == 0 for v in _by_currency(journal.trial_balance()).values())


def _by_currency(balances: dict[tuple[str, str], Decimal]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for (_, currency), amount in balances.items():
        out[currency] = out.get(currency, D(0)) + amount
    return out
