"""What each financial event does to a book (docs/servicing.md "Events", C9, C12–C13).

Each handler checks everything first and changes the book only once the event is known to
be acceptable (TigerBeetle's rule: validate fully, then apply).
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from loanmath._decimal import MAX_AMOUNT, ZERO, is_multiple
from loanmath.errors import InvalidInputError
from loanmath.money import Money
from loanmath.servicing._allocation import allocate, apply_held, pay_fee, pay_line
from loanmath.servicing._book import Book
from loanmath.servicing._events import Disbursement, Event, FeeCharge, Repayment, Waiver, WriteOff
from loanmath.servicing._obligations import ChargedFee
from loanmath.servicing._overdue import charge_room
from loanmath.servicing._postings import RECEIVABLE
from loanmath.servicing._reschedule import REAMORTISABLE, prepay, reschedule

__all__ = ["charge_fee", "disburse", "repay", "waive", "write_off"]

#: No event amount is larger than the largest principal (``loanmath.terms.MAX_PRINCIPAL``):
#: beyond it sums could pass the 50 digits the exact context holds.
_LARGEST = MAX_AMOUNT
#: No money quantum is finer than 10**-40: an amount written finer is refused before any
#: exact arithmetic on it (1E-999999 would otherwise build a million-digit integer).
_FINEST = -40


def amount_of(book: Book, event: Repayment | FeeCharge | Waiver | Disbursement) -> Decimal:
    """The event's amount: a Money in another currency, or an amount that is not a whole
    number of the loan's minor unit, is refused."""
    value = event.amount
    if value is None:
        raise InvalidInputError("amount", None, "is required")
    if isinstance(value, Money):
        if value.currency != book.currency:
            raise InvalidInputError(
                "amount.currency",
                value.currency,
                f"is not the loan's currency {book.currency}",
                f"give the amount in {book.currency}",
            )
        value = value.amount
    unit = book.unit
    if value > _LARGEST:
        raise InvalidInputError(
            "amount", value, f"must be at most {_LARGEST:f} (the largest principal a loan has)"
        )
    if int(value.as_tuple().exponent) < _FINEST:
        raise InvalidInputError(
            "amount", value, f"has more than {-_FINEST} decimals", f"round it to {unit}"
        )
    if not is_multiple(value, unit):
        raise InvalidInputError(
            "amount",
            value,
            f"is not a whole number of the loan's minor unit {unit} {book.currency}",
            f"round it to {unit}",
        )
    return value


def _require_disbursed(book: Book, event: Event, *, open_only: bool = False) -> None:
    if not book.disbursed:
        raise InvalidInputError(
            "date", event.date, f"{type(event).__name__} {event.id!r} comes before the disbursement"
        )
    if open_only and book.written_off:
        raise InvalidInputError(
            "event", event.id, f"{type(event).__name__} after the loan was written off"
        )


def disburse(book: Book, event: Disbursement) -> None:
    """Pay out the loan, whole (``amount=None``) or in tranches.

    The first disbursement is on the start date, or later (a loan funded late) but before
    the first due date: then an annuity or equal-principal loan is re-amortised from the
    funding date over the same due dates — interest runs from the day the money is paid out
    — and other methods keep the contract's schedule.
    """
    terms, s = book.terms, book.terms.schedule
    principal = terms.principal.amount
    undrawn = principal - book.drawn
    if book.written_off:
        raise InvalidInputError("date", event.date, "the loan is written off; no tranche")
    if undrawn <= 0:
        raise InvalidInputError(
            "event", event.id, f"the whole principal {principal} is already disbursed"
        )
    amount = undrawn if event.amount is None else amount_of(book, event)
    if amount > undrawn:
        raise InvalidInputError(
            "amount", amount, f"must be at most the undrawn principal {undrawn}"
        )
    late = not book.disbursed and event.date != terms.start_date
    if late and not terms.start_date < event.date < s.dates[0]:
        raise InvalidInputError(
            "date",
            event.date,
            f"the first disbursement must be on the start date {terms.start_date} or after it, "
            f"before the first due date {s.dates[0]}",
        )
    whole = not book.disbursed and amount == principal
    if not whole:
        _check_tranche(book, event, amount)
    if whole:
        legs = [
            ("principal_receivable", s.total_principal),
            ("custody", -s.disbursed),
            ("fee_income", -(s.upfront_fees + s.financed_fees)),
        ]
    elif not book.disbursed:
        legs = [
            ("principal_receivable", amount),
            ("custody", -(amount - s.upfront_fees)),
            ("fee_income", -s.upfront_fees),
        ]
    else:
        legs = [("principal_receivable", amount), ("custody", -amount)]
    if not whole:
        future = ZERO
        if book.disbursed:
            future = sum(
                (line.unpaid_principal for line in book.lines if line.due_date > event.date), ZERO
            )
        reschedule(book, event.date, future + amount, "term", funded=book.disbursed)
    elif late and s.method in REAMORTISABLE:
        reschedule(book, event.date, s.total_principal, "term", funded=False)
    book.disbursed = True
    book.drawn += amount
    book.cash_out -= legs[1][1]
    book.poster.post(event.date, legs, "disbursement" if whole else "disbursement (tranche)")


def _check_tranche(book: Book, event: Disbursement, amount: Decimal) -> None:
    s = book.terms.schedule
    if s.method not in REAMORTISABLE or s.financed_fees:
        raise InvalidInputError(
            "amount",
            event.amount,
            "tranches are for annuity and equal-principal loans without financed fees",
            "disburse the whole principal",
        )
    if event.date >= s.dates[-1]:
        raise InvalidInputError(
            "date", event.date, f"a tranche must come before the last due date {s.dates[-1]}"
        )
    if not book.disbursed and amount <= s.upfront_fees:
        raise InvalidInputError(
            "amount", amount, f"the first tranche must exceed the upfront fees {s.upfront_fees}"
        )


def repay(book: Book, event: Repayment) -> None:
    """Allocate by the waterfall; beyond what is due, the overpayment policy; after a
    write-off, a recovery."""
    _require_disbursed(book, event)
    amount = amount_of(book, event)
    book.paid += amount
    if book.written_off:
        book.recovered += amount
        book.poster.post(
            event.date, [("custody", amount), ("recoveries", -amount)], "recovery after write-off"
        )
        return
    left = allocate(book, event.date, amount, source="custody")
    if left and book.policy.overpayment != "hold":
        left = prepay(book, event.date, left)
    if left:
        book.overpayment += left
        book.poster.post(
            event.date, [("custody", left), ("overpayment", -left)], "overpayment held"
        )


def charge_fee(book: Book, event: FeeCharge) -> None:
    """A fee due at once; money held pays it."""
    _require_disbursed(book, event, open_only=True)
    amount = amount_of(book, event)
    room = charge_room(book)
    if amount > room:
        raise InvalidInputError(
            "amount", amount, f"the total cost cap leaves room for {room} more in charges"
        )
    book.fees.append(ChargedFee(event.date, amount, event.name))
    book.poster.post(
        event.date, [("fee_receivable", amount), ("fee_income", -amount)], f"fee: {event.name}"
    )
    apply_held(book, event.date)


def waive(book: Book, event: Waiver) -> None:
    """Forgive up to what is owed of a component (C12)."""
    _require_disbursed(book, event, open_only=True)
    amount = amount_of(book, event)
    component = event.component
    owed = book.owed(component, event.date)
    if amount > owed:
        raise InvalidInputError("amount", amount, f"waives more than the {component} owed ({owed})")
    book.waived += amount
    left = amount
    if component == "fees":
        for fee in book.fees:
            if fee.date <= event.date and left:
                left -= pay_fee(fee, left)
    for line in book.open_lines():  # settled lines owe nothing
        if left:
            left -= pay_line(line, component, left)
    book.settle()
    receivable, income = RECEIVABLE[component]
    book.poster.post(
        event.date,
        [(income or "fee_income", amount), (receivable, -amount)],
        f"waiver of {component}",
    )


def write_off(book: Book, event: WriteOff) -> None:
    """Charge off every receivable; accrual stops; money held stays owed (C13)."""
    _require_disbursed(book, event)
    if book.written_off:
        raise InvalidInputError("event", event.id, "the loan is already written off")
    day: _dt.date = event.date
    principal = book.outstanding_principal()
    interest = book.interest_due() + book.interest_accrued()
    fees = book.fees_due(day)
    penalty = book.penalty_due()
    book.poster.post(
        day,
        [
            ("writeoff_expense", principal + interest + fees + penalty),
            ("principal_receivable", -principal),
            ("interest_receivable", -interest),
            ("fee_receivable", -fees),
            ("penalty_receivable", -penalty),
        ],
        "write-off",
    )
    book.written_off = True
