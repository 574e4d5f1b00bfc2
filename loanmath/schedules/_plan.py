"""From contract terms to a plan: integer amounts, due dates and exact period fractions.

Everything a method needs is turned into integers once: amounts in units of the rounding
quantum, the annual rate as an integer ratio, and each period's length as an exact year
fraction ``(numerator, denominator)``. Interest on a balance of ``B`` units for period ``k``
is then the exact rational ``B · rate · fraction_k``, rounded once.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Protocol, cast

import attrs

from loanmath._decimal import EXACT, to_units
from loanmath.dates import BusinessCalendar, nth_date, payment_dates, periods_per_year
from loanmath.daycount import DayCountConvention, get_convention, year_fraction_exact
from loanmath.errors import InvalidInputError
from loanmath.money import Money, Rounding
from loanmath.schedules._model import Fee

__all__ = ["Plan", "ScheduleTerms", "make_plan"]


class ScheduleTerms(Protocol):
    """What a schedule needs from a contract (``loanmath.LoanTerms`` provides it).

    Notes
    -----
    A structural type (``typing.Protocol``): any object with these read-only attributes can be
    amortised by :func:`build_schedule`, which reads nothing else of a contract;
    ``loanmath.LoanTerms`` is the one that validates them. Amounts become integers of the
    rounding quantum, the rate an integer ratio, each period an exact year fraction
    (docs/schedules.md, "What 'exact' means here").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms
    >>> terms: ScheduleTerms = LoanTerms(Money("100", "JPY"), "0", 1,
    ...                                  start_date=dt.date(2024, 1, 1))
    >>> terms.method
    'annuity'
    """

    @property
    def principal(self) -> Money: ...
    @property
    def annual_rate(self) -> Decimal: ...
    @property
    def term(self) -> int: ...
    @property
    def method(self) -> str: ...
    @property
    def frequency(self) -> str: ...
    @property
    def start_date(self) -> _dt.date: ...
    @property
    def first_due_date(self) -> _dt.date | None: ...
    @property
    def day_count(self) -> str | None: ...
    @property
    def fees(self) -> tuple[Fee, ...]: ...
    @property
    def rounding(self) -> Rounding: ...
    @property
    def payment_rounding(self) -> Rounding | None: ...
    @property
    def end_of_month(self) -> bool: ...
    @property
    def grace_periods(self) -> int: ...
    @property
    def grace(self) -> str: ...
    @property
    def payment_basis(self) -> str: ...
    @property
    def method_params(self) -> object:
        """The method with its parameters (a :class:`~loanmath.schedules.Method` named
        `method`, e.g. ``Step(every=3, rate=...)``); another value means the registered one."""

    @property
    def business_day(self) -> str: ...
    @property
    def holidays(self) -> BusinessCalendar | frozenset[_dt.date] | None: ...
    @property
    def accrual(self) -> str: ...


#: A periodic fee in units: ("fixed", units, 1) or ("original"/"outstanding", rate num, den).
PeriodicFee = tuple[str, int, int]


@attrs.frozen
class Plan:
    """The normalised, integer form of a contract that the methods amortise."""

    method: str
    currency: str
    quantum: Decimal
    mode: str
    payment_step: int
    payment_mode: str
    rate: tuple[int, int]
    periods_per_year: int
    start: _dt.date
    dates: tuple[_dt.date, ...]
    fractions: tuple[tuple[int, int], ...]
    odd_first: bool
    principal_units: int
    original_units: int
    upfront_units: int
    financed_units: int
    periodic_fees: tuple[PeriodicFee, ...]
    grace_periods: int
    grace: str
    payment_basis: str
    terms: ScheduleTerms = attrs.field(eq=False, repr=False)
    #: The dates interest runs to when they are not the due dates (due dates moved by a
    #: business-day convention, interest on the unadjusted dates); empty otherwise.
    accrual_dates: tuple[_dt.date, ...] = ()

    @property
    def term(self) -> int:
        return len(self.dates)

    def period_rate(self, k: int) -> tuple[int, int]:
        """The exact interest rate of period ``k`` (0-based) as ``(num, den)``."""
        fn, fd = self.fractions[k]
        return self.rate[0] * fn, self.rate[1] * fd

    def regular_rate(self) -> tuple[int, int]:
        """The nominal periodic rate, annual rate / periods per year."""
        return self.rate[0], self.rate[1] * self.periods_per_year


def _fractions(
    terms: ScheduleTerms,
    dates: Sequence[_dt.date],
    m: int,
    accrual_dates: Sequence[_dt.date] | None = None,
) -> tuple[tuple[tuple[int, int], ...], bool]:
    """Each period's exact year fraction, and whether the first period is irregular.

    `dates` are the unadjusted due dates; a day count measures the periods between
    `accrual_dates` (the adjusted ones under ``accrual="adjusted"``), when given.
    """
    start = terms.start_date
    odd = False
    if terms.first_due_date is not None:
        regular_start = nth_date(dates[0], -1, terms.frequency, end_of_month=terms.end_of_month)
        odd = regular_start != start
    if terms.day_count is not None:
        ends = tuple(dates if accrual_dates is None else accrual_dates)
        convention = get_convention(terms.day_count)
        if type(terms.day_count) is str and type(start) is _dt.date:  # a registered name
            return _day_count_fractions(start, ends, convention), odd
        return _day_count_fractions.__wrapped__(start, ends, convention), odd
    fractions = [(1, m)] * len(dates)
    if odd:
        # periodic interest, pro rata to the first period's actual length
        actual = (dates[0] - start).days
        regular = (dates[0] - regular_start).days
        f = Fraction(actual, m * regular)
        fractions[0] = (f.numerator, f.denominator)
    return tuple(fractions), odd


@lru_cache(maxsize=256)  # an entry holds up to 480 fractions: at most ~15 MB in all
def _day_count_fractions(
    start: _dt.date, ends: tuple[_dt.date, ...], convention: DayCountConvention
) -> tuple[tuple[int, int], ...]:
    """The exact year fraction of each period from `start` through `ends`, cached: a pure
    function of the dates and the registered convention object (a name registered again
    resolves to another object, measured afresh)."""
    result = []
    for a, b in itertools.pairwise((start, *ends)):
        f = year_fraction_exact(a, b, convention, termination_date=ends[-1])
        result.append((f.numerator, f.denominator))
    return tuple(result)


def _fee_units(
    fee: Fee, original: Decimal, quantum: Decimal, rounding: Rounding, currency: str
) -> int:
    if fee.amount is not None:
        return to_units(fee.amount, quantum, f"fee {fee.name!r} amount")
    rate = cast(Decimal, fee.rate)  # a Fee has exactly one of amount and rate
    return to_units(rounding.round(EXACT.multiply(original, rate), currency), quantum, "fee")


def _check_fee_size(fee: Fee, original: Decimal) -> None:
    if (fee.amount is not None and fee.amount > original) or (
        fee.rate is not None and fee.rate > 1
    ):
        raise InvalidInputError(
            f"fee {fee.name!r}",
            fee.amount if fee.rate is None else fee.rate,
            f"is larger than the principal {original}",
            "check the fee's amount or rate",
        )


def _adjusted(terms: ScheduleTerms, dates: tuple[_dt.date, ...]) -> tuple[_dt.date, ...]:
    """The due dates moved by the business-day convention; they must stay in order."""
    if terms.business_day == "none":
        return dates
    due = payment_dates(
        terms.start_date,
        terms.term,
        terms.frequency,
        first_due_date=terms.first_due_date,
        end_of_month=terms.end_of_month,
        adjustment=terms.business_day,
        holidays=terms.holidays,
    )
    for before, after in itertools.pairwise((terms.start_date, *due)):
        if after <= before:
            raise InvalidInputError(
                "business_day",
                terms.business_day,
                f"moves a due date to {after.isoformat()}, not after the one before it "
                f"({before.isoformat()}): two instalments would fall on one day",
                "use a longer frequency, another convention, or first_due_date",
            )
    return due


@lru_cache(maxsize=1024)
def _unadjusted_dates(
    start: _dt.date, term: int, frequency: str, first_due_date: _dt.date | None, end_of_month: bool
) -> tuple[_dt.date, ...]:
    """The unadjusted due dates, cached: many contracts share a start date and a term."""
    return payment_dates(
        start, term, frequency, first_due_date=first_due_date, end_of_month=end_of_month
    )


def _due_dates(terms: ScheduleTerms) -> tuple[_dt.date, ...]:
    """The unadjusted due dates of `terms` (from the cache when the fields are plain values)."""
    start, term, frequency = terms.start_date, terms.term, terms.frequency
    first, end_of_month = terms.first_due_date, terms.end_of_month
    if (
        type(start) is _dt.date
        and type(term) is int
        and type(frequency) is str
        and (first is None or type(first) is _dt.date)
        and type(end_of_month) is bool
    ):
        return _unadjusted_dates(start, term, frequency, first, end_of_month)
    return payment_dates(start, term, frequency, first_due_date=first, end_of_month=end_of_month)


def _fee_parts(
    terms: ScheduleTerms, original: Decimal, quantum: Decimal
) -> tuple[int, int, tuple[PeriodicFee, ...]]:
    """The upfront and financed fees in units, and the periodic fees as (basis, num, den)."""
    currency = terms.principal.currency
    upfront = financed = 0
    periodic: list[PeriodicFee] = []
    for fee in terms.fees:
        _check_fee_size(fee, original)
        if fee.timing == "periodic":
            if fee.amount is not None:
                periodic.append(("fixed", to_units(fee.amount, quantum, f"fee {fee.name!r}"), 1))
            else:
                n, d = cast(Decimal, fee.rate).as_integer_ratio()
                periodic.append((fee.basis, n, d))
            continue
        units = _fee_units(fee, original, quantum, terms.rounding, currency)
        if fee.timing == "upfront":
            upfront += units
        else:
            financed += units
    return upfront, financed, tuple(periodic)


def _payment_step(terms: ScheduleTerms, pay: Rounding, quantum: Decimal) -> int:
    """The payment's rounding step in units of the rounding quantum (1: the quantum itself)."""
    if pay is terms.rounding and type(pay) is Rounding:
        return 1  # the payment is rounded to the quantum itself
    currency = terms.principal.currency
    step_units = to_units(pay.quantum_for(currency), quantum, "payment_rounding.quantum")
    if step_units < 1:
        raise InvalidInputError(
            "payment_rounding.quantum",
            pay.quantum_for(currency),
            f"must be a multiple of the rounding quantum {quantum}",
        )
    return step_units


def make_plan(terms: ScheduleTerms) -> Plan:
    """Normalise `terms` into a :class:`Plan` (integers, dates, exact fractions)."""
    currency = terms.principal.currency
    quantum = terms.rounding.quantum_for(currency)
    original = terms.principal.amount
    original_units = to_units(original, quantum, "principal")
    m = periods_per_year(terms.frequency)
    dates = _due_dates(terms)
    due = _adjusted(terms, dates)
    fractions, odd = _fractions(terms, dates, m, due if terms.accrual == "adjusted" else None)
    upfront, financed, periodic = _fee_parts(terms, original, quantum)
    if upfront >= original_units:
        raise InvalidInputError(
            "fees",
            terms.fees,
            f"upfront fees total {upfront * quantum}, not below the principal {original}",
            "lower the fees or finance them",
        )
    pay = terms.rounding if terms.payment_rounding is None else terms.payment_rounding
    step_units = _payment_step(terms, pay, quantum)
    return Plan(
        method=terms.method,
        currency=currency,
        quantum=quantum,
        mode=terms.rounding.mode,
        payment_step=step_units,
        payment_mode=pay.mode,
        rate=terms.annual_rate.as_integer_ratio(),
        periods_per_year=m,
        start=terms.start_date,
        dates=due,
        fractions=fractions,
        odd_first=odd,
        principal_units=original_units + financed,
        original_units=original_units,
        upfront_units=upfront,
        financed_units=financed,
        periodic_fees=periodic,
        grace_periods=terms.grace_periods,
        grace=terms.grace,
        payment_basis=terms.payment_basis,
        terms=terms,
        accrual_dates=dates if due != dates and terms.accrual == "unadjusted" else (),
    )
