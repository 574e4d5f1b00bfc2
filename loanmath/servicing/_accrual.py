"""Interest recognition (docs/servicing.md C10): an instalment's interest and periodic fees
become receivable on its due date; with daily accrual its interest is recognised day by day
before that, as the exact pro-rata share rounded once."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from fractions import Fraction

from loanmath._decimal import ZERO
from loanmath.servicing._book import Book
from loanmath.servicing._obligations import InstalmentLine

__all__ = ["accrue_interest", "earned", "recognise_due"]


def earned(book: Book, line: InstalmentLine, day: _dt.date) -> Decimal:
    """Interest of `line` earned by `day`: ``round(interest × elapsed / period days)``.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.servicing._policy import ServicingPolicy, penalty_in_force
    >>> from loanmath.servicing._postings import Poster
    >>> t = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 15))
    >>> p = ServicingPolicy()
    >>> book = Book(t, p, penalty_in_force(t, p), Poster("L", "CNY", {}))
    >>> earned(book, book.lines[0], dt.date(2024, 1, 30))  # 12.00 x 15/31
    Decimal('5.81')
    """
    length = (line.due_date - line.begin).days
    elapsed = min(max((day - line.begin).days, 0), length)
    if not length or not elapsed:
        return ZERO
    share: Decimal = book.terms.rounding.round(
        Fraction(line.interest) * elapsed / length, book.currency
    )
    return share


def recognise_due(book: Book, day: _dt.date) -> bool:
    """Recognise every instalment falling due by `day`; return whether any did."""
    lines = book.lines
    start = book.recognised
    while book.recognised < len(lines) and lines[book.recognised].due_date <= day:
        line = lines[book.recognised]
        rest = line.interest - line.interest_posted  # what daily accrual has not posted
        book.poster.post(
            line.due_date,
            [
                ("interest_receivable", rest),
                ("interest_income", -rest),
                ("fee_receivable", line.fees),
                ("fee_income", -line.fees),
            ],
            f"instalment {line.number} due",
        )
        line.interest_posted = line.interest
        book.recognised += 1
    return book.recognised > start


def accrue_interest(book: Book, day: _dt.date) -> None:
    """Daily accrual: post the current instalment's interest earned since the last posting."""
    if book.recognised >= len(book.lines):
        return
    line = book.lines[book.recognised]
    target = earned(book, line, day)
    step = target - line.interest_posted
    if step > 0:
        line.interest_posted = target
        book.poster.post(
            day,
            [("interest_receivable", step), ("interest_income", -step)],
            f"interest accrued, instalment {line.number}",
        )
