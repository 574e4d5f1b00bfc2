"""Allocation waterfalls (docs/servicing.md C9) as a registry of allocator functions.

An allocator pays what is due on a day from an amount and returns what is left; it records
what each component received in `credits`. Nothing is paid ahead of its due date. A new
instalment order is one function registered with :func:`register_allocator`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal

from loanmath._decimal import ZERO
from loanmath.servicing._book import Book
from loanmath.servicing._obligations import ChargedFee, InstalmentLine
from loanmath.servicing._postings import RECEIVABLE

__all__ = ["ALLOCATORS", "allocate", "apply_held", "pay_fee", "pay_line", "register_allocator"]

Allocator = Callable[[Book, _dt.date, Decimal, dict[str, Decimal]], Decimal]


def pay_line(line: InstalmentLine, component: str, amount: Decimal) -> Decimal:
    """Pay up to `amount` of `line`'s unpaid `component`; return what was paid."""
    if component == "penalty":
        pay = min(amount, line.penalty_owed)
        line.penalty_settled += pay
    elif component == "interest":
        pay = min(amount, line.unpaid_interest)
        line.interest_paid += pay
    elif component == "fees":
        pay = min(amount, line.unpaid_fees)
        line.fees_paid += pay
    else:
        pay = min(amount, line.unpaid_principal)
        line.principal_paid += pay
    return pay


def pay_fee(fee: ChargedFee, amount: Decimal) -> Decimal:
    pay = min(amount, fee.unpaid)
    fee.paid += pay
    return pay


def _credit(credits: dict[str, Decimal], component: str, pay: Decimal) -> None:
    if pay:
        credits[component] = credits.get(component, ZERO) + pay


def oldest_first(
    book: Book, day: _dt.date, amount: Decimal, credits: dict[str, Decimal]
) -> Decimal:
    """Each component in waterfall order across every due obligation, oldest first."""
    left = amount
    due = book.open_lines()
    for component in book.policy.waterfall:
        if left <= 0:
            break
        if component == "fees" and book.fees:
            # charged fees and periodic fees by date; a charged fee first on the same date
            targets: list[tuple[_dt.date, int, ChargedFee | InstalmentLine]] = [
                (fee.date, 0, fee) for fee in book.fees if fee.date <= day and fee.unpaid
            ]
            targets += [(line.due_date, 1, line) for line in due if line.unpaid_fees]
            targets.sort(key=lambda item: (item[0], item[1]))
            for _, kind, target in targets:
                if left <= 0:
                    break
                pay = (
                    pay_fee(target, left)  # type: ignore[arg-type]
                    if kind == 0
                    else pay_line(target, "fees", left)  # type: ignore[arg-type]
                )
                left -= pay
                _credit(credits, "fees", pay)
            continue
        lines = due  # the lines due by `day` are the recognised ones: `day` is open
        for line in lines:
            if left <= 0:
                break
            pay = pay_line(line, component, left)
            left -= pay
            _credit(credits, component, pay)
    return left


def by_instalment(
    book: Book, day: _dt.date, amount: Decimal, credits: dict[str, Decimal]
) -> Decimal:
    """Obligations in date order (a charged fee before an instalment of the same date), each
    settled whole — an instalment's components in waterfall order — before the next."""
    left = amount
    items: list[tuple[_dt.date, int, ChargedFee | InstalmentLine]] = [
        (fee.date, 0, fee) for fee in book.fees if fee.date <= day and fee.unpaid
    ]
    items += [(line.due_date, 1, line) for line in book.open_lines()]
    items.sort(key=lambda item: (item[0], item[1]))
    for _, kind, target in items:
        if left <= 0:
            break
        if kind == 0:
            pay = pay_fee(target, left)  # type: ignore[arg-type]
            left -= pay
            _credit(credits, "fees", pay)
            continue
        for component in book.policy.waterfall:
            pay = pay_line(target, component, left)  # type: ignore[arg-type]
            left -= pay
            _credit(credits, component, pay)
    return left


#: instalment order name → allocator
ALLOCATORS: dict[str, Allocator] = {"oldest_first": oldest_first, "by_instalment": by_instalment}


def register_allocator(name: str, allocator: Allocator) -> None:
    """Add an instalment order (a ``ServicingPolicy.instalment_order`` value)."""
    ALLOCATORS[name] = allocator


def allocate(book: Book, day: _dt.date, amount: Decimal, *, source: str) -> Decimal:
    """Pay what is due on `day` from `amount` (from custody, or from money held) and post it;
    return what is left."""
    credits: dict[str, Decimal] = {}
    left = ALLOCATORS[book.policy.instalment_order](book, day, amount, credits)
    used = amount - left
    if used:
        legs = [("custody" if source == "custody" else "overpayment", used)]
        legs += [(RECEIVABLE[c][0], -v) for c, v in credits.items()]
        book.poster.post(day, legs, "repayment" if source == "custody" else "overpayment applied")
        book.settle()
    return left


def apply_held(book: Book, day: _dt.date) -> None:
    """Money held pays what is owed (C9: instalments falling due, late fees, charged fees)."""
    if book.overpayment:
        book.overpayment = allocate(book, day, book.overpayment, source="overpayment")
