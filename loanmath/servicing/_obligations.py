"""What a loan owes, as named records: each scheduled instalment (``InstalmentLine``) and
each fee charged outside the schedule (``ChargedFee``), and the queries over them.

Amounts are Decimals in the loan's currency; what is paid (or waived) of each component is
kept beside what was asked, so "unpaid" is always ``asked − paid``.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from fractions import Fraction

from loanmath._decimal import ZERO

__all__ = ["BEARS", "CLEARED", "PENDING", "ChargedFee", "InstalmentLine"]

#: Grace test of an instalment (docs/servicing.md C6): not yet decided, bears penalty, or
#: paid within grace (never bears penalty).
PENDING, BEARS, CLEARED = 0, 1, 2


class InstalmentLine:
    """One scheduled instalment and what has happened to it."""

    __slots__ = (
        "begin",
        "due_date",
        "fees",
        "fees_paid",
        "grace",
        "interest",
        "interest_paid",
        "interest_posted",
        "late_checked",
        "number",
        "penalty_charged",
        "penalty_exact",
        "penalty_settled",
        "penalty_target",
        "penalty_through",
        "principal",
        "principal_paid",
    )

    def __init__(
        self,
        number: int,
        begin: _dt.date,
        due_date: _dt.date,
        *,
        principal: Decimal,
        interest: Decimal,
        fees: Decimal,
    ) -> None:
        self.number = number
        self.begin = begin  # the start of its period (the previous due date or the start)
        self.due_date = due_date
        self.principal = principal
        self.interest = interest
        self.fees = fees
        self.principal_paid = ZERO
        self.interest_paid = ZERO
        self.fees_paid = ZERO
        self.interest_posted = ZERO  # recognised (daily accrual, then the rest when due)
        #: Σ of C5 so far, exact: a numerator over the book's penalty scale, or a Fraction
        self.penalty_exact: int | Fraction = 0
        self.penalty_through = due_date  # the last day whose penalty is in penalty_exact
        self.penalty_charged = ZERO  # the rounded cumulative penalty posted
        self.penalty_settled = ZERO  # paid or waived of it
        self.penalty_target = ZERO  # round(penalty_exact) once the line bears penalty
        self.grace = PENDING
        self.late_checked = False

    def copy(self) -> InstalmentLine:
        twin = InstalmentLine.__new__(InstalmentLine)
        twin.number, twin.begin, twin.due_date = self.number, self.begin, self.due_date
        twin.principal, twin.interest, twin.fees = self.principal, self.interest, self.fees
        twin.principal_paid, twin.interest_paid = self.principal_paid, self.interest_paid
        twin.fees_paid, twin.interest_posted = self.fees_paid, self.interest_posted
        twin.penalty_exact, twin.penalty_through = self.penalty_exact, self.penalty_through
        twin.penalty_charged, twin.penalty_settled = self.penalty_charged, self.penalty_settled
        twin.penalty_target, twin.grace = self.penalty_target, self.grace
        twin.late_checked = self.late_checked
        return twin

    @property
    def unpaid_principal(self) -> Decimal:
        return self.principal - self.principal_paid

    @property
    def unpaid_interest(self) -> Decimal:
        return self.interest - self.interest_paid

    @property
    def unpaid_fees(self) -> Decimal:
        return self.fees - self.fees_paid

    @property
    def unpaid(self) -> Decimal:
        """Principal, interest and periodic fees still owed (what DPD and late fees look at)."""
        return self.unpaid_principal + self.unpaid_interest + self.unpaid_fees

    @property
    def penalty_owed(self) -> Decimal:
        return self.penalty_charged - self.penalty_settled


class ChargedFee:
    """A fee charged outside the schedule (a ``FeeCharge`` or a late fee)."""

    __slots__ = ("amount", "date", "name", "paid")

    def __init__(self, date: _dt.date, amount: Decimal, name: str) -> None:
        self.date = date
        self.amount = amount
        self.name = name
        self.paid = ZERO  # paid or waived

    def copy(self) -> ChargedFee:
        twin = ChargedFee(self.date, self.amount, self.name)
        twin.paid = self.paid
        return twin

    @property
    def unpaid(self) -> Decimal:
        return self.amount - self.paid
