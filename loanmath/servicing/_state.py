"""A loan's state on a date (``LoanState``, ``InstalmentState``), read from a replayed book,
and its ageing (docs/servicing.md C11, C13)."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from loanmath._decimal import EXACT, ZERO
from loanmath.ageing import Due, days_past_due
from loanmath.penalty import PenaltyInForce
from loanmath.servicing._book import Book

__all__ = ["InstalmentState", "LoanState", "read_state"]


class InstalmentState(NamedTuple):
    """One instalment on a date: what is still unpaid of each component.

    `interest` and `fees` count once the instalment is due (recognised); `principal` counts
    from the start (the instalment's share of the outstanding principal); `penalty` is the
    penalty interest charged on this instalment and unpaid.

    Notes
    -----
    ``due`` is true from the due date *T* on (C3); interest and periodic fees are recognised
    then (C2 step 3, C10), so they read 0 before. ``penalty`` is C7's rounded cumulative
    penalty (C5: ``base × annual rate × yf`` a day) less what was paid or waived of it. The
    instalments' sums are the state's totals (docs/servicing.md, "Tranches", "Conventions").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.servicing import Disbursement, Loan
    >>> terms = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 15),
    ...                   penalty_multiple="1.5")
    >>> loan = Loan(terms, "L").add(Disbursement("D", dt.date(2024, 1, 15)))
    >>> first = loan.state(dt.date(2024, 3, 15)).instalments[0]  # 396.03 x 18 % x 29/360
    >>> first.due, first.principal, first.interest, first.penalty
    (True, Decimal('396.03'), Decimal('12.00'), Decimal('5.74'))
    """

    number: int
    due_date: _dt.date
    due: bool
    principal: Decimal
    interest: Decimal
    fees: Decimal
    penalty: Decimal


@attrs.frozen
class LoanState:
    """What a loan owes and how late it is, on a date.

    Notes
    -----
    ``total_due = principal_due + interest_due + fees_due + penalty_due`` (principal only as
    far as due); ``dpd`` is C11's days past due, ``bucket`` the policy's bucket of it. After
    a write-off the receivables read 0 and DPD ages on the instalments as they stood (C13).
    The ``*_charged`` totals are cumulative (docs/servicing.md, "Conventions").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.servicing import Disbursement, Loan
    >>> terms = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 15))
    >>> loan = Loan(terms, "L").add(Disbursement("D", dt.date(2024, 1, 15)))
    >>> loan.state().total_due
    Decimal('0')
    >>> on_due = loan.state(dt.date(2024, 2, 15))
    >>> on_due.principal_due, on_due.interest_due, on_due.total_due
    (Decimal('396.03'), Decimal('12.00'), Decimal('408.03'))
    """

    on: _dt.date
    disbursed: bool
    drawn: Decimal
    disbursed_amount: Decimal
    written_off: bool
    outstanding_principal: Decimal
    principal_due: Decimal
    interest_due: Decimal
    interest_accrued: Decimal
    fees_due: Decimal
    penalty_due: Decimal
    overpayment: Decimal
    dpd: int
    bucket: str
    paid: Decimal
    waived: Decimal
    recovered: Decimal
    penalty_charged: Decimal
    fees_charged: Decimal
    interest_charged: Decimal
    instalments: tuple[InstalmentState, ...] = ()
    #: The overdue terms in force (the contract's, narrowed by the policy, within the caps).
    overdue: PenaltyInForce | None = None

    def as_dict(self) -> dict[str, Any]:
        """Every field of the state, as a plain ``dict`` (for JSON, a DataFrame row, a log).

        Values are as in the state (``Decimal`` amounts, a ``datetime.date``, ints, bools,
        the bucket label); ``instalments`` becomes a list of dicts with the
        :class:`InstalmentState` fields, and ``overdue`` a dict of the
        ``PenaltyInForce`` fields (or None). Derived properties (``total_due``) are not
        fields and are left out.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money
        >>> from loanmath.servicing import Disbursement, Loan
        >>> terms = LoanTerms(Money("1200.00", "CNY"), "0.12", 3,
        ...                   start_date=dt.date(2024, 1, 15))
        >>> loan = Loan(terms, "L").add(Disbursement("D", dt.date(2024, 1, 15)))
        >>> row = loan.state(dt.date(2024, 2, 15)).as_dict()
        >>> row["on"], row["principal_due"], row["bucket"]
        (datetime.date(2024, 2, 15), Decimal('396.03'), 'M0')
        >>> row["instalments"][0]["interest"], len(row["instalments"])
        (Decimal('12.00'), 3)
        """
        fields = attrs.asdict(self, recurse=False)
        fields["instalments"] = [line._asdict() for line in self.instalments]
        overdue = self.overdue
        fields["overdue"] = None if overdue is None else attrs.asdict(overdue, recurse=False)
        return fields

    @property
    def total_due(self) -> Decimal:
        """Principal, interest, fees and penalty owed now (principal: only what is due)."""
        due = EXACT.add(self.principal_due, self.interest_due)
        return EXACT.add(EXACT.add(due, self.fees_due), self.penalty_due)


def _dpd(book: Book, day: _dt.date) -> int:
    """C11; after a write-off the instalments age as they stood (C13)."""
    if not book.disbursed:
        return 0
    policy = book.policy
    dues = [
        Due(
            line.due_date,
            line.principal + line.interest + line.fees,
            line.principal_paid + line.interest_paid + line.fees_paid,
        )
        for line in book.lines
    ]
    return days_past_due(
        dues, day, tolerance_amount=policy.tolerance_amount, tolerance_days=policy.tolerance_days
    )


def read_state(book: Book, day: _dt.date) -> LoanState:
    """The state of a book opened through `day`."""
    live = book.open
    dpd = _dpd(book, day)
    recognised = book.lines[: book.recognised]
    return LoanState(
        on=day,
        disbursed=book.disbursed,
        drawn=book.drawn,
        disbursed_amount=book.cash_out,
        written_off=book.written_off,
        outstanding_principal=book.outstanding_principal(),
        principal_due=book.principal_due(day) if live else ZERO,
        interest_due=book.interest_due() if live else ZERO,
        interest_accrued=book.interest_accrued() if live else ZERO,
        fees_due=book.fees_due(day) if live else ZERO,
        penalty_due=book.penalty_due() if live else ZERO,
        overpayment=book.overpayment,
        dpd=dpd,
        bucket=book.policy.buckets.bucket(dpd),
        paid=book.paid,
        waived=book.waived,
        recovered=book.recovered,
        penalty_charged=book.penalty_total,
        fees_charged=sum((fee.amount for fee in book.fees), ZERO)
        + sum((line.fees for line in recognised), ZERO),
        interest_charged=sum((line.interest_posted for line in book.lines), ZERO),
        instalments=_instalments(book) if live else (),
        overdue=book.penalty,
    )


def _instalments(book: Book) -> tuple[InstalmentState, ...]:
    recognised = book.recognised
    return tuple(
        InstalmentState(
            line.number,
            line.due_date,
            k < recognised,
            line.unpaid_principal,
            line.unpaid_interest if k < recognised else ZERO,
            line.unpaid_fees if k < recognised else ZERO,
            line.penalty_owed,
        )
        for k, line in enumerate(book.lines)
    )
