"""``Loan``: a loan's terms plus its events; its state on any date is a pure function of both.

The façade checks a history before anything is replayed (known event kinds, unique ids,
encodable text, reversal targets), replays it once, and keeps the finished book. Adding
events that come after the last one carries the kept book on instead of replaying from the
start, so a history built one event at a time costs one pass, not one pass per event.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import functools
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from loanmath._checks import check_date, check_int
from loanmath._decimal import EXACT, context_free, guard_init
from loanmath.errors import InvalidInputError
from loanmath.ledger import Journal, Transaction, chain_hash, lending_chart
from loanmath.penalty import PenaltyInForce
from loanmath.servicing._book import Book, add_days
from loanmath.servicing._events import Event
from loanmath.servicing._history import History, check_event
from loanmath.servicing._policy import ServicingPolicy
from loanmath.servicing._replay import advance, replay
from loanmath.servicing._reschedule import schedule_in_force
from loanmath.servicing._state import LoanState, read_state

__all__ = ["Loan", "portfolio_rows"]

_TIP = "tip"  # the cache key of the book replayed through the last event
_DAY = "day"  # the cache key of the last other day asked for: (day, book)
_STATE = "state"  # the cache key of the last state read: (day, LoanState), a frozen value
#: The default policy (frozen, so one instance serves every loan).
DEFAULT_POLICY = ServicingPolicy()
_HISTORY = "history"  # the cache key of the checked history


@functools.lru_cache(maxsize=1024)
def _default_chart(opened: _dt.date) -> Any:
    """The lending chart opened on a date (a frozen value: one per date is enough)."""
    return lending_chart(opened)


def _events(value: Sequence[Event]) -> tuple[Event, ...]:
    return tuple(value)


@guard_init
@attrs.frozen
class Loan:
    """A loan: its terms and its ordered history of events. Immutable; every method that adds
    an event returns a new ``Loan`` and leaves this one as it was.

    Parameters
    ----------
    terms : LoanTerms
    loan_id : str
    events : sequence of Event
        Sorted by date (events of one day keep the order given). Ids are unique: adding an
        event again with identical content is a no-op; the same id with other content raises.
    policy : ServicingPolicy
    chart : loanmath.ledger.Chart, optional
        Default: the lending chart opened on the start date.

    Notes
    -----
    The rules are docs/servicing.md's conventions C1–C16; overdue terms come from
    ``terms.overdue`` only, narrowed by ``policy.penalty``.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.servicing import Disbursement, Repayment
    >>> terms = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 15))
    >>> loan = Loan(terms, "L1").add(Disbursement("D", dt.date(2024, 1, 15)))
    >>> loan = loan.add(Repayment("P1", dt.date(2024, 2, 15), amount="408.03"))
    >>> s = loan.state(on=dt.date(2024, 2, 15))
    >>> s.outstanding_principal, s.dpd, s.bucket
    (Decimal('803.97'), 0, 'M0')
    """

    terms: Any
    loan_id: str
    events: tuple[Event, ...] = attrs.field(default=(), converter=_events)
    policy: ServicingPolicy = attrs.field(default=DEFAULT_POLICY)
    chart: Any = attrs.field(default=None)
    _cache: dict[Any, Any] = attrs.field(factory=dict, init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        self._check()
        self._cache[_HISTORY] = History.of(self.terms.start_date, self.events)
        self._tip()  # a history that cannot be replayed cannot exist

    def _check(self) -> None:
        if not isinstance(self.policy, ServicingPolicy):
            raise InvalidInputError("policy", self.policy, "must be a ServicingPolicy")
        if not isinstance(self.loan_id, str) or not self.loan_id:
            raise InvalidInputError("loan_id", self.loan_id, "must be a non-empty string")
        if self.chart is None:
            object.__setattr__(self, "chart", _default_chart(self.terms.start_date))

    def _history(self) -> History:
        """The checked, ordered history (kept; handed on by :meth:`add`)."""
        history = self._cache.get(_HISTORY)
        if history is None:
            history = self._cache[_HISTORY] = History.of(self.terms.start_date, self.events)
        found: History = history
        return found

    def _last_date(self) -> _dt.date:
        return self._history().last

    def _tip(self) -> Book:
        """The book replayed through the last event (kept)."""
        book = self._cache.get(_TIP)
        if book is None:
            history = self._history()
            with decimal.localcontext(EXACT):
                book = replay(self, history.ordered, history.last)
            self._cache[_TIP] = book
        found: Book = book
        return found

    def add(self, *events: Event) -> Loan:
        """A new Loan with `events` added (an identical event already recorded is skipped).

        Events dated on or after the last one carry the kept replay on (one pass for a
        history built event by event); earlier ones replay the history from the start.

        Raises
        ------
        InvalidInputError
            The same id with other content, or an event the replay refuses (a repayment before
            the disbursement, a waiver larger than what is owed …). This loan is unchanged.
        """
        history = self._history()
        new: list[Event] = []
        seen: set[str] = set()
        for event in events:
            check_event(event)
            where = history.ids.get(event.id)
            if where is not None:
                if history.ordered[where] != event:
                    raise InvalidInputError(
                        "id",
                        event.id,
                        "is already recorded with other content",
                        "reverse it instead",
                    )
                continue
            if event.id not in seen:
                seen.add(event.id)
                new.append(event)
        if not new:
            return self
        child = Loan.__new__(Loan)
        for name, value in (
            ("terms", self.terms),
            ("loan_id", self.loan_id),
            ("events", (*self.events, *new)),
            ("policy", self.policy),
            ("chart", self.chart),
            ("_cache", {}),
        ):
            object.__setattr__(child, name, value)
        if history.follows(new):  # carry the kept history and book on
            extended = history  # handed on: this loan rebuilds its own if asked again
            start = len(extended.ordered)
            extended.extend(new)  # checks first: a refusal leaves it as it was
            book = self._cache.pop(_TIP, None)
            self._cache.pop(_HISTORY, None)  # handed on: rebuilt if this loan is asked again
            if book is None:
                book = self._tip_of(extended, start)
            with decimal.localcontext(EXACT):
                book = replay(child, extended.ordered, extended.last, book=book, start=start)
            child._cache[_HISTORY] = extended
            child._cache[_TIP] = book
        else:
            child._cache[_HISTORY] = History.of(self.terms.start_date, child.events)
            child._tip()
        return child

    def _tip_of(self, history: History, count: int) -> Book:
        """The book through the first `count` events of `history` (when none is kept)."""
        with decimal.localcontext(EXACT):
            first = history.ordered[:count]
            last = max([self.terms.start_date, *(e.date for e in first)])
            return replay(self, first, last)

    def _book(self, day: _dt.date) -> Book:
        """The book opened through `day` (the last day asked for is kept)."""
        kept: tuple[_dt.date, Book] | None = self._cache.get(_DAY)
        if kept is not None and kept[0] == day:
            return kept[1]
        tip = self._tip()
        if day == tip.day:
            return tip
        with decimal.localcontext(EXACT):
            if day > tip.day:
                book = tip.copy()
                advance(book, day)
            else:
                earlier = [e for e in self._history().ordered if e.date <= day]
                book = replay(self, earlier, day)
        self._cache[_DAY] = (day, book)
        return book

    def state(self, on: _dt.date | None = None) -> LoanState:
        """The loan's state on `on` (default: its last event's date)."""
        day = self._last_date() if on is None else check_date(on, "on")
        kept: tuple[_dt.date, LoanState] | None = self._cache.get(_STATE)
        if kept is not None and kept[0] == day:
            return kept[1]  # frozen, and the loan cannot change: the same value again
        book = self._book(day)
        with decimal.localcontext(EXACT):
            state = read_state(book, day)
        self._cache[_STATE] = (day, state)
        return state

    @property
    def overdue_terms(self) -> PenaltyInForce:
        """The overdue terms in force: the contract's, narrowed by the policy, within caps.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money, OverdueTerms
        >>> from loanmath.penalty import PenaltyPolicy
        >>> t = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 15),
        ...               overdue=OverdueTerms(multiple="1.5", grace_days=3))
        >>> asks_more = ServicingPolicy(penalty=PenaltyPolicy(annual_rate="0.5", grace_days=0))
        >>> force = Loan(t, "L", policy=asks_more).overdue_terms
        >>> force.annual_rate, force.grace_days  # lowered to the contract's
        (Decimal('0.180'), 3)
        """
        return self._tip().penalty

    def schedule_in_force(self, on: _dt.date | None = None) -> Any:
        """The schedule in force on `on`: the contract's, or the last re-amortisation
        (a prepayment under keep_term / keep_payment, a tranche).

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money
        >>> from loanmath.servicing import Disbursement, Repayment
        >>> t = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 15))
        >>> loan = Loan(t, "L", policy=ServicingPolicy(overpayment="keep_term")).add(
        ...     Disbursement("D", dt.date(2024, 1, 15)),
        ...     Repayment("P", dt.date(2024, 2, 15), amount="808.03"))  # 400.00 prepaid
        >>> [str(r.payment) for r in loan.schedule_in_force().installments]  # 403.97 left
        ['205.02', '205.02']
        """
        day = self._last_date() if on is None else check_date(on, "on")
        return schedule_in_force(self._book(day))

    def transactions(self, on: _dt.date | None = None) -> tuple[Transaction, ...]:
        """Every transaction posted by `on` (default: the last event's date)."""
        day = self._last_date() if on is None else check_date(on, "on")
        return self._book(day).poster.transactions()

    def journal(self, on: _dt.date | None = None) -> Journal:
        """A fresh journal holding the loan's transactions by `on`."""
        journal = Journal(self.chart)
        journal.post_many(self.transactions(on))
        return journal

    def history(self) -> tuple[Event, ...]:
        """Every event, financial or not, in date order (for a regulator's inspection)."""
        return tuple(self._history().ordered)

    def history_hash(self) -> str:
        """The SHA-256 chain over the events in the order they were recorded."""
        link = hashlib.sha256(f"loanmath-loan-v1:{self.loan_id}".encode()).hexdigest()
        for event in self.events:
            link = chain_hash(link, event.canonical())
        return link

    def payoff(self, on: _dt.date) -> Decimal:
        """The amount that settles the loan on `on`: all principal outstanding, interest, fees
        and penalty due, and interest accrued in the current period (daily accrual).

        Under ``overpayment="hold"`` money held counts toward it (nothing is prepaid: the
        payment is held and pays the instalments as they fall due). Under the prepaying
        policies money held pays only what is due (docs/servicing.md C17 e): it does not
        reduce the payoff and stays owed to the borrower.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money
        >>> from loanmath.servicing import Disbursement, Repayment
        >>> t = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 15))
        >>> loan = Loan(t, "L", policy=ServicingPolicy(overpayment="prepay")).add(
        ...     Disbursement("D", dt.date(2024, 1, 15)))
        >>> loan.payoff(dt.date(2024, 2, 15))  # 408.03 due + 803.97 principal not yet due
        Decimal('1212.00')
        """
        s = self.state(on)
        not_due = EXACT.subtract(s.outstanding_principal, s.principal_due)
        owed = EXACT.add(EXACT.add(not_due, s.total_due), s.interest_accrued)
        if self.policy.overpayment == "hold":
            return EXACT.subtract(owed, s.overpayment)
        return owed

    def eligible_to_reborrow(
        self, on: _dt.date, *, max_dpd: int = 30, lookback_days: int = 365
    ) -> bool:
        """Whether the borrower was never more than `max_dpd` days late in the last
        `lookback_days` days (and the loan was not written off)."""
        day = check_date(on, "on")
        max_dpd = check_int(max_dpd, "max_dpd", minimum=0)
        lookback_days = check_int(lookback_days, "lookback_days", minimum=0)
        start = max(self.terms.start_date, add_days(day, -lookback_days))
        checkpoints = sorted(
            {
                start,
                day,
                *(add_days(r.due_date, max_dpd + 1) for r in self.terms.schedule.installments),
            }
        )
        for checkpoint in checkpoints:
            if start <= checkpoint <= day:
                state = self.state(checkpoint)
                if state.written_off or state.dpd > max_dpd:
                    return False
        return True


@context_free
def portfolio_rows(loans: Sequence[Loan], on: _dt.date) -> list[Any]:
    """Ageing rows (``loanmath.ageing.LoanAgeing``) for `loans` on `on`.

    Notes
    -----
    One ``LoanAgeing(loan_id, dpd, outstanding_principal)`` per loan, read from
    ``loan.state(on)``: DPD by C11 (C13 after a write-off). They feed
    ``portfolio_ageing`` and ``roll_rates`` (docs/servicing.md, "Ageing").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.servicing import Disbursement
    >>> terms = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 15))
    >>> loan = Loan(terms, "L").add(Disbursement("D", dt.date(2024, 1, 15)))
    >>> portfolio_rows([loan], dt.date(2024, 3, 1))[0].dpd
    15
    """
    from loanmath.ageing import LoanAgeing  # noqa: PLC0415 - ageing is below servicing

    rows = []
    for loan in loans:
        s = loan.state(on)
        rows.append(LoanAgeing(loan.loan_id, s.dpd, s.outstanding_principal))
    return rows
