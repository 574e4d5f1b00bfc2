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

#: The version of the servicing conventions (docs/servicing.md, "Conventions"): bumped
#: whenever a convention changes, and recorded by every audit so that a recomputation years
#: later can tell whether it ran the rules of the original run.
CONVENTIONS_VERSION = "2026.12.1"

__all__ = [
    "COMPONENTS",
    "CONVENTIONS_VERSION",
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
