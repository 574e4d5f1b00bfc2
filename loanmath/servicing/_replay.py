"""The timeline: days opened in the documented order, and events dispatched over the closed
set of event kinds (docs/servicing.md C1, C2, C14).

A day *d* is opened once: penalty accrues for the days up to *d*, late fees of instalments
whose grace has ended are charged, instalments due on *d* are recognised (and daily interest
accrued), money held pays what is owed; then the day's events apply in recorded order.
Between two events the replay opens every due date and every day after a grace period, so
what happens on those days is dated on them.

A reversal replays the history without its target (and without the targets of earlier
reversals) up to its own place, once, and posts the difference of every balance: n
reversals cost n flat replays, never a replay of a replay.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from loanmath.errors import InvalidInputError
from loanmath.servicing._accrual import accrue_interest, recognise_due
from loanmath.servicing._allocation import apply_held
from loanmath.servicing._book import Book
from loanmath.servicing._events import (
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
from loanmath.servicing._handlers import charge_fee, disburse, repay, waive, write_off
from loanmath.servicing._overdue import accrue_penalty, charge_late_fees
from loanmath.servicing._policy import penalty_in_force
from loanmath.servicing._postings import Poster

__all__ = ["advance", "apply", "new_book", "replay"]


def _accounts(chart: Any) -> dict[str, str]:
    """Lending role → account name of a chart (kept per chart: charts are frozen)."""
    found = _ACCOUNTS.get(id(chart))
    if found is None or found[0] is not chart:
        found = (chart, {role: chart.role(role).name for role in chart.roles})
        if len(_ACCOUNTS) > 1024:  # bounded: custom charts come and go
            _ACCOUNTS.clear()
        _ACCOUNTS[id(chart)] = found
    return found[1]


_ACCOUNTS: dict[int, tuple[Any, dict[str, str]]] = {}


def new_book(loan: Any) -> Book:
    """An empty book for `loan` (nothing paid out yet)."""
    accounts = _accounts(loan.chart)
    poster = Poster(loan.loan_id, loan.terms.principal.currency, accounts)
    return Book(loan.terms, loan.policy, penalty_in_force(loan.terms, loan.policy), poster)


def _open(book: Book, day: _dt.date) -> None:
    """Steps (1)–(4) of C2 for `day`."""
    if book.settled < book.recognised:  # something due may still be owed
        accrue_penalty(book, day)
        charge_late_fees(book, day)
    recognise_due(book, day)
    if book.policy.accrual == "daily":
        accrue_interest(book, day)
    apply_held(book, day)
    book.day = day


def advance(book: Book, day: _dt.date) -> None:
    """Open every checkpoint after the last day opened, then `day` itself."""
    if day <= book.day:
        return
    if not book.open:
        book.day = day
        return
    for checkpoint in book.checkpoints_between(book.day, day):
        _open(book, checkpoint)  # nothing closes a loan between events: it stays open
    _open(book, day)


def apply(book: Book, event: Event) -> None:
    """Apply one event (not a reversal: see :func:`replay`)."""
    match event:
        case Disbursement():
            disburse(book, event)
        case Repayment():
            repay(book, event)
        case FeeCharge():
            charge_fee(book, event)
        case Waiver():
            waive(book, event)
        case WriteOff():
            write_off(book, event)
        case Reminder() | Contact():
            pass  # non-financial: kept in the history, never in the balances
        case _:
            raise InvalidInputError(
                "event", event, "is not an event kind the library knows", "use a servicing event"
            )


def _flat(loan: Any, events: Sequence[Event], until: _dt.date, without: set[str]) -> Book:
    """A replay of `events` without reversals and without the ids in `without`."""
    book = new_book(loan)
    for event in events:
        if isinstance(event, Reversal) or event.id in without:
            continue
        advance(book, event.date)
        apply(book, event)
    advance(book, until)
    return book


def replay(
    loan: Any,
    events: Sequence[Event],
    until: _dt.date,
    *,
    book: Book | None = None,
    start: int = 0,
) -> Book:
    """Replay `events[start:]` (in history order, all dated on or before `until`) onto `book`
    (a fresh one when None) and open `until`."""
    if book is None:
        book = new_book(loan)
    reversed_ids = {e.target for e in events[:start] if isinstance(e, Reversal)}
    for index in range(start, len(events)):
        event = events[index]
        advance(book, event.date)
        if isinstance(event, Reversal):
            reversed_ids.add(event.target)
            other = _flat(loan, events[:index], event.date, reversed_ids)
            after = other.poster.balances()
            other.poster.records = list(
                book.poster.records
            )  # the journal goes on; nothing is edited
            other.poster.post_difference(event.date, book.poster.balances(), after, event.target)
            book = other
        else:
            apply(book, event)
    advance(book, until)
    return book
