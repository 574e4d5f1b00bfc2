"""The mutable replay state of one loan (internal): what is owed, the counters, the postings.

A ``Book`` is only ever changed by the replay (``_replay``) through the step modules
(``_accrual``, ``_overdue``, ``_allocation``, ``_reschedule``, ``_handlers``); a ``Loan``
keeps finished books and hands out copies, so nothing a caller does can change one.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from decimal import Decimal
from typing import Any

from loanmath._decimal import ZERO
from loanmath.penalty import PenaltyInForce
from loanmath.servicing._obligations import ChargedFee, InstalmentLine
from loanmath.servicing._postings import Poster

__all__ = ["Book", "lines_of"]


def lines_of(schedule: Any, begin: _dt.date, first_number: int = 1) -> list[InstalmentLine]:
    """Instalment lines from a schedule's rows; the first period starts on `begin`."""
    lines = []
    for k, row in enumerate(schedule.installments):
        lines.append(
            InstalmentLine(
                first_number + k,
                begin,
                row.due_date,
                principal=row.principal,
                interest=row.interest,
                fees=row.fees,
            )
        )
        begin = row.due_date
    return lines


class Book:
    """What one loan owes and has posted, as of the last day replayed."""

    __slots__ = (
        "cash_out",
        "checkpoints",
        "currency",
        "day",
        "disbursed",
        "drawn",
        "fees",
        "late_fees",
        "lines",
        "overpayment",
        "paid",
        "penalty",
        "penalty_total",
        "policy",
        "poster",
        "reamortised",
        "recognised",
        "recovered",
        "terms",
        "waived",
        "written_off",
    )

    def __init__(self, terms: Any, policy: Any, penalty: PenaltyInForce, poster: Poster) -> None:
        self.terms = terms
        self.policy = policy
        self.penalty = penalty
        self.poster = poster
        self.currency: str = terms.principal.currency
        self.lines = lines_of(terms.schedule, terms.start_date)
        self.fees: list[ChargedFee] = []
        self.recognised = 0  # lines fallen due (interest and periodic fees receivable)
        self.day: _dt.date = terms.start_date  # the last day opened
        self.reamortised: Any = None  # the schedule in force after a re-amortisation
        self.disbursed = False
        self.written_off = False
        self.drawn = ZERO  # principal paid out
        self.cash_out = ZERO  # cash paid out (net of upfront fees)
        self.overpayment = ZERO  # held for the borrower
        self.paid = ZERO
        self.waived = ZERO
        self.recovered = ZERO
        self.penalty_total = ZERO  # penalty interest charged
        self.late_fees = ZERO  # late fees charged (default fees)
        grace = _dt.timedelta(days=penalty.grace_days + 1)
        dates = {line.due_date for line in self.lines}
        dates |= {line.due_date + grace for line in self.lines}
        #: days on which something happens without an event: due dates, ends of grace
        self.checkpoints = sorted(dates)

    def copy(self) -> Book:
        twin = Book.__new__(Book)
        for name in Book.__slots__:
            setattr(twin, name, getattr(self, name))
        twin.lines = [line.copy() for line in self.lines]
        twin.fees = [fee.copy() for fee in self.fees]
        twin.poster = self.poster.copy()
        return twin

    def checkpoints_between(self, after: _dt.date, until: _dt.date) -> list[_dt.date]:
        """The checkpoints in ``(after, until)``, in order."""
        dates = self.checkpoints
        return dates[bisect.bisect_right(dates, after) : bisect.bisect_left(dates, until)]

    # --- queries --------------------------------------------------------------------------
    @property
    def open(self) -> bool:
        """Paid out and not written off: accrual and allocation run."""
        return self.disbursed and not self.written_off

    def due_lines(self) -> list[InstalmentLine]:
        return self.lines[: self.recognised]

    def outstanding_principal(self) -> Decimal:
        if not self.open:
            return ZERO
        return sum((line.principal - line.principal_paid for line in self.lines), ZERO)

    def principal_due(self, day: _dt.date) -> Decimal:
        return sum((line.unpaid_principal for line in self.lines if line.due_date <= day), ZERO)

    def interest_due(self) -> Decimal:
        return sum((line.unpaid_interest for line in self.due_lines()), ZERO)

    def interest_accrued(self) -> Decimal:
        """Interest recognised by daily accrual on instalments not yet due, and unpaid."""
        return sum(
            (line.interest_posted - line.interest_paid for line in self.lines[self.recognised :]),
            ZERO,
        )

    def fees_due(self, day: _dt.date) -> Decimal:
        periodic = sum((line.unpaid_fees for line in self.due_lines()), ZERO)
        return periodic + sum((fee.unpaid for fee in self.fees if fee.date <= day), ZERO)

    def penalty_due(self) -> Decimal:
        return sum((line.penalty_owed for line in self.lines), ZERO)

    def owed(self, component: str, day: _dt.date) -> Decimal:
        """What is due of `component` on `day`."""
        if component == "penalty":
            return self.penalty_due()
        if component == "fees":
            return self.fees_due(day)
        if component == "interest":
            return self.interest_due()
        return self.principal_due(day)
