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
from loanmath.daycount import get_convention
from loanmath.penalty import PenaltyInForce
from loanmath.servicing._obligations import ChargedFee, InstalmentLine
from loanmath.servicing._policy import cap_limit
from loanmath.servicing._postings import Poster

__all__ = ["Book", "add_days", "lines_of"]


def add_days(day: _dt.date, days: int) -> _dt.date:
    """`day` moved by `days`, held within the calendar (a day past 9999-12-31 never comes).

    Examples
    --------
    >>> add_days(_dt.date(9999, 12, 1), 60)
    datetime.date(9999, 12, 31)
    """
    try:
        return day + _dt.timedelta(days=days)
    except OverflowError:
        return _dt.date.max if days > 0 else _dt.date.min


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


#: Decimal places a penalty base may carry on the integer path (finer bases use Fractions).
BASE_PLACES = 6
#: Fixed-basis day counts: a span's year fraction is its days over the basis.
FIXED_BASIS = {"ACT/360": 360, "ACT/365F": 365}


def _scale(penalty: PenaltyInForce) -> tuple[int, int] | None:
    """``(rate numerator, denominator)`` such that one day's penalty on a base of ``n``
    millionths is ``n × numerator / denominator``; None when the day count has no fixed
    basis (then spans are exact Fractions)."""
    basis = FIXED_BASIS.get(get_convention(penalty.day_count).name)
    if basis is None:
        return None
    numerator, denominator = penalty.annual_rate.as_integer_ratio()
    return numerator, denominator * basis * 10**BASE_PLACES


class Book:
    """What one loan owes and has posted, as of the last day replayed."""

    __slots__ = (
        "cash_out",
        "checkpoints",
        "currency",
        "day",
        "default_fee_limit",
        "disbursed",
        "drawn",
        "fees",
        "late_fees",
        "lines",
        "overpayment",
        "paid",
        "penalty",
        "penalty_scale",
        "penalty_total",
        "policy",
        "poster",
        "reamortised",
        "recognised",
        "recovered",
        "settled",
        "terms",
        "total_cost_share",
        "unit",
        "waived",
        "written_off",
    )

    def __init__(self, terms: Any, policy: Any, penalty: PenaltyInForce, poster: Poster) -> None:
        self.terms = terms
        self.policy = policy
        self.penalty = penalty
        self.poster = poster
        self.currency: str = terms.principal.currency
        self.unit: Decimal = terms.rounding.quantum_for(self.currency)  # amounts are multiples
        self.lines = lines_of(terms.schedule, terms.start_date)
        self.fees: list[ChargedFee] = []
        self.recognised = 0  # lines fallen due (interest and periodic fees receivable)
        self.settled = 0  # leading due lines owing nothing, now or ever (see settle())
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
        self.penalty_scale = _scale(penalty)
        self.total_cost_share = cap_limit(terms, "total_cost")
        self.default_fee_limit = cap_limit(terms, "default_fees")
        dates = {line.due_date for line in self.lines}
        if penalty.late_fee:  # a late fee is dated on the day after grace (C8)
            dates |= {add_days(line.due_date, penalty.grace_days + 1) for line in self.lines}
        #: days on which something happens without an event: due dates, late-fee days. (The
        #: grace test needs no day of its own: the base only changes on the days opened.)
        self.checkpoints = sorted(dates)

    def copy(self) -> Book:
        twin = Book.__new__(Book)
        for name in Book.__slots__:
            setattr(twin, name, getattr(self, name))
        # settled lines never change again (``settle``): the twin shares them
        settled = self.lines[: self.settled]
        twin.lines = settled + [line.copy() for line in self.lines[self.settled :]]
        twin.fees = [fee if not fee.unpaid else fee.copy() for fee in self.fees]
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

    def open_lines(self) -> list[InstalmentLine]:
        """Due lines that may still owe something (the settled ones skipped)."""
        return self.lines[self.settled : self.recognised]

    def settle(self) -> None:
        """Move past the leading due lines that owe nothing and never will: nothing unpaid,
        so no penalty base, and every penalty charged paid (and none left to charge)."""
        lines, k = self.lines, self.settled
        while k < self.recognised:
            line = lines[k]
            if line.unpaid or line.penalty_owed or line.penalty_charged != line.penalty_target:
                break
            k += 1
        self.settled = k

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
