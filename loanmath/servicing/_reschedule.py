"""Overpayment policies and tranche draws: prepaying principal, re-amortising with
``loanmath.reamortize`` (docs/servicing.md C9 and "Tranches")."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from loanmath._decimal import ZERO
from loanmath.money import Money
from loanmath.schedules import reamortize
from loanmath.servicing._accrual import earned
from loanmath.servicing._book import Book, lines_of

__all__ = ["REAMORTISABLE", "prepay", "reschedule", "schedule_in_force"]

#: Methods `reamortize` can re-amortise (tranches and keep_term / keep_payment).
REAMORTISABLE = ("annuity", "equal_principal")


def schedule_in_force(book: Book) -> Any:
    """The schedule in force: the original, or the last re-amortisation."""
    return book.reamortised if book.reamortised is not None else book.terms.schedule


def _settle_accrued(book: Book, day: _dt.date, amount: Decimal) -> Decimal:
    """Pay the current period's accrued interest (daily accrual) first; return what is left."""
    k = book.recognised
    if k >= len(book.lines):
        return amount
    line = book.lines[k]
    pay = min(amount, line.interest_posted - line.interest_paid)
    if pay > 0:
        line.interest_paid += pay
        book.poster.post(
            day,
            [("custody", pay), ("interest_receivable", -pay)],
            "accrued interest paid in advance",
        )
        return amount - pay
    return amount


def prepay(book: Book, day: _dt.date, amount: Decimal) -> Decimal:
    """Prepay principal with `amount` by the policy; return what is left (to be held).

    ``"prepay"`` pays the principal of the next instalments (their interest stays as
    scheduled); ``"keep_term"`` / ``"keep_payment"`` re-amortise the principal left over the
    remaining due dates: a lower instalment, or the same instalment and fewer of them.
    """
    amount = _settle_accrued(book, day, amount)
    future = [line for line in book.lines if line.due_date > day]
    outstanding = sum((line.unpaid_principal for line in future), ZERO)
    used = min(amount, outstanding)
    if used <= 0:
        return amount
    mode = book.policy.overpayment
    method = book.terms.schedule.method
    if mode in ("keep_term", "keep_payment") and used < outstanding and method in REAMORTISABLE:
        reschedule(book, day, outstanding - used, "term" if mode == "keep_term" else "payment")
    else:
        left = used
        for line in future:
            pay = min(left, line.unpaid_principal)
            line.principal_paid += pay
            left -= pay
    book.poster.post(day, [("custody", used), ("principal_receivable", -used)], "prepayment")
    return amount - used


def reschedule(
    book: Book, day: _dt.date, outstanding: Decimal, keep: str, *, funded: bool = True
) -> None:
    """Re-amortise `outstanding` over the due dates after `day` (``loanmath.reamortize``).

    The current instalment's interest earned on the old balance up to `day` is carried into
    the first new instalment, with what has been paid or posted of it, so no interest is
    lost or charged twice. A loan not `funded` yet (paid out late, after its start date) has
    earned nothing: its first period runs from `day`.
    """
    new = reamortize(schedule_in_force(book), day, Money(outstanding, book.currency), keep=keep)
    k = sum(1 for line in book.lines if line.due_date <= day)
    current = book.lines[k] if k < len(book.lines) else None
    begin = book.lines[k - 1].due_date if k else book.terms.start_date
    fresh = lines_of(new, begin if funded else day, k + 1)
    if current is not None and funded:
        carried = max(earned(book, current, day), current.interest_posted)
        fresh[0].interest += carried
        fresh[0].interest_paid = current.interest_paid
        fresh[0].interest_posted = current.interest_posted
    book.lines = book.lines[:k] + fresh
    book.reamortised = new
