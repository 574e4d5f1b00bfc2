"""Servicing: a loan's events replayed into its state and its ledger postings.

``Loan(terms, loan_id, events)`` — the state on any date is a pure function of the terms and
the events (``loan.state(on=…)``); every change is posted as a balanced transaction
(``loan.journal(on=…)``) that reconciles with the state.
"""

from __future__ import annotations

from loanmath.servicing._events import (
    COMPONENTS,
    Contact,
    Disbursement,
    Event,
    FeeCharge,
    Reminder,
    Repayment,
    Reversal,
    Waiver,
    WriteOff,
)
from loanmath.servicing._loan import Loan, portfolio_rows
from loanmath.servicing._policy import WATERFALLS, ServicingPolicy
from loanmath.servicing._state import InstalmentState, LoanState

__all__ = [
    "COMPONENTS",
    "WATERFALLS",
    "Contact",
    "Disbursement",
    "Event",
    "FeeCharge",
    "InstalmentState",
    "Loan",
    "LoanState",
    "Reminder",
    "Repayment",
    "Reversal",
    "ServicingPolicy",
    "Waiver",
    "WriteOff",
    "portfolio_rows",
]
