"""Rate caps: each measures a contract by its own law's method and refuses what breaks it.

A cap is an object with ``.name``, ``.limit`` (an annual rate fraction) and ``.check(terms)``,
which raises :class:`~loanmath.errors.RateCapExceeded` (``.rule``, ``.limit``, ``.measured``)
when the contract exceeds it. ``LoanTerms(caps=...)`` runs every check in
``__attrs_post_init__``, so a contract above a cap cannot be constructed. Caps read the
contract through its public attributes and ``terms.schedule.cash_flows()``; this module knows
nothing of how schedules are built.

Built in:

- :data:`CN_COMPREHENSIVE_36` — China's 36 % comprehensive-cost ceiling (整治办函〔2017〕141号):
  interest and every fee annualised by IRR (periodic IRR × periods a year), ≤ 36 %.
- :func:`cn_private_lending` — 4 × the one-year LPR in force when the contract is formed
  (法释〔2020〕17号 Art. 25; overdue charges within the same limit, Arts. 28–29).
- :data:`US_MLA_36` — Military Lending Act MAPR ≤ 36 % (32 CFR 232.4(b)): the Regulation Z
  actuarial APR with every charge included (232.4(c)).
- :data:`UK_HCSTC` — FCA CONC 5A high-cost short-term credit: charges ≤ 0.8 % a day of the
  credit outstanding (simple), default fees ≤ £15, all charges ≤ 100 % of the credit.
- :class:`AnnualRateCap` — a user-defined cap (a state usury limit, a lender's own policy) on
  a named measure.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import warnings
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from loanmath._checks import check_date
from loanmath._decimal import CONTEXT, D, context_free
from loanmath.apr import nominal_irr, regz_apr
from loanmath.errors import InvalidInputError, RateCapExceeded, UnknownNameError

__all__ = [
    "CN_COMPREHENSIVE_36",
    "MEASURES",
    "UK_HCSTC",
    "US_MLA_36",
    "AnnualRateCap",
    "Cap",
    "LPRStaleWarning",
    "RateCapExceeded",
    "cn_private_lending",
    "lpr_1y",
    "lpr_table",
    "max_fee",
    "max_rate",
    "register_lpr",
]


class LPRStaleWarning(UserWarning):
    """A date lies past the last LPR value the library knows; the warning names the value used."""


def _percent(value: Decimal) -> str:
    with decimal.localcontext(CONTEXT):
        return f"{(value * 100).quantize(Decimal('0.0001'))} %"


# --- what a cap measures --------------------------------------------------------------------


def all_in_irr(terms: Any) -> Decimal:
    """Periodic IRR × periods a year of all cash flows: interest and every fee (China's
    IRR-annualised 综合年化, PBoC 〔2021〕第3号 compound method)."""
    schedule = terms.schedule
    return nominal_irr(schedule.period_amounts(), schedule.periods_per_year)


def contract_rate(terms: Any) -> Decimal:
    """The nominal annual contract rate as written."""
    return Decimal(terms.annual_rate)


def mapr(terms: Any) -> Decimal:
    """Regulation Z actuarial APR of the net advance against every payment (all charges in)."""
    flows = terms.schedule.cash_flows()
    advances = [(f.date, f.amount.copy_negate()) for f in flows if f.amount < 0]
    payments = [(f.date, f.amount) for f in flows if f.amount > 0]
    return regz_apr(advances, payments)


def overdue_rate(terms: Any) -> Decimal | None:
    """The agreed annual rate on overdue amounts (``terms.overdue``), or None when the
    contract agrees none (the contract rate continues, 法释〔2020〕17号 Art. 28)."""
    overdue = terms.overdue
    if not overdue.agreed:
        return None
    rate: Decimal = overdue.annual_rate(Decimal(terms.annual_rate))
    return rate


#: Measures a user-defined cap can use, by name.
MEASURES: dict[str, Callable[[Any], Decimal]] = {
    "all_in_irr": all_in_irr,
    "contract_rate": contract_rate,
    "mapr": mapr,
}


# --- the protocol ------------------------------------------------------------------------


class Cap(ABC):
    """A legal or policy limit on a contract. Subclasses set ``name`` and ``limit`` and
    implement :meth:`measure`; :meth:`check` compares and raises.

    Examples
    --------
    >>> class ContractRateCap(Cap):
    ...     name, limit = "POLICY_30", Decimal("0.30")
    ...     def measure(self, terms):
    ...         return terms.annual_rate
    >>> ContractRateCap().limit
    Decimal('0.30')
    """

    name: str
    limit: Decimal
    #: Whether overdue charges must stay within the same limit (China, Arts. 28-29).
    covers_overdue: bool = False
    #: Default fees allowed in total over the loan's life (None: not limited by this cap).
    default_fees: Decimal | None = None
    #: All charges, default charges included, as a share of the credit (None: no such cap).
    total_cost: Decimal | None = None

    @abstractmethod
    def measure(self, terms: Any) -> Decimal:
        """The contract's rate as this cap's law measures it (annual fraction)."""

    def overdue_limit(self, terms: Any) -> Decimal | None:
        """The highest annual rate on overdue amounts this cap allows for `terms` (None: the
        cap does not cover overdue charges). Construction refuses a contract overdue rate
        above it; servicing lowers a higher penalty policy rate to it."""
        return self.limit if self.covers_overdue else None

    def _overdue_breach(self, limit: Decimal, overdue: Decimal) -> RateCapExceeded:
        return RateCapExceeded(
            f"{self.name} (overdue)",
            limit,
            overdue,
            f"overdue rate {_percent(overdue)} > limit {_percent(limit)}: lower "
            "the penalty rate or multiple",
        )

    @context_free
    def check(self, terms: Any) -> None:
        """Raise :class:`RateCapExceeded` if `terms` breaks this cap.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money
        >>> LoanTerms(Money("1000", "CNY"), "0.40", 12, start_date=dt.date(2024, 1, 1),
        ...           caps=(CN_COMPREHENSIVE_36,))
        Traceback (most recent call last):
        ...
        loanmath.errors.RateCapExceeded: CN_COMPREHENSIVE_36: measured rate 0.4... exceeds ...
        """
        measured = D(self.measure(terms), f"{self.name} measure")  # a user's measure, checked
        if measured > self.limit:
            raise RateCapExceeded(
                self.name,
                self.limit,
                measured,
                f"measured {_percent(measured)} > limit {_percent(self.limit)}: lower the rate "
                "or fees (loanmath.caps.max_rate / max_fee give the highest compliant values)",
            )
        limit = self.overdue_limit(terms)
        overdue = overdue_rate(terms)
        if limit is not None and overdue is not None and overdue > limit:
            raise self._overdue_breach(limit, overdue)

    def __repr__(self) -> str:
        return f"<cap {self.name} {_percent(self.limit)}>"


class AnnualRateCap(Cap):
    """A cap at `limit` on a measure: ``"all_in_irr"`` (default), ``"contract_rate"``,
    ``"mapr"``, or any callable ``terms -> Decimal``.

    Examples
    --------
    >>> usury = AnnualRateCap("NY_CIVIL_USURY_16", "0.16", measure="contract_rate")
    >>> usury.limit
    Decimal('0.16')
    """

    def __init__(
        self,
        name: str,
        limit: Decimal | int | str,
        measure: str | Callable[[Any], Decimal] = "all_in_irr",
        *,
        covers_overdue: bool = False,
    ) -> None:
        self.name = name
        self.limit = D(limit, "limit")
        if self.limit <= 0:
            raise InvalidInputError("limit", self.limit, "must be > 0")
        if isinstance(measure, str):
            if measure not in MEASURES:
                raise UnknownNameError("measure", measure, tuple(MEASURES))
            measure = MEASURES[measure]
        self._measure = measure
        self.covers_overdue = covers_overdue

    def measure(self, terms: Any) -> Decimal:
        return self._measure(terms)


class _Comprehensive(Cap):
    name = "CN_COMPREHENSIVE_36"
    limit = Decimal("0.36")
    covers_overdue = True

    def measure(self, terms: Any) -> Decimal:
        return all_in_irr(terms)


class _MLA(Cap):
    name = "US_MLA_36"
    limit = Decimal("0.36")

    def measure(self, terms: Any) -> Decimal:
        return mapr(terms)


#: China: all-in cost annualised by IRR ≤ 36 % (整治办函〔2017〕141号).
CN_COMPREHENSIVE_36: Cap = _Comprehensive()
#: US Military Lending Act: MAPR ≤ 36 % (32 CFR 232.4(b)).
US_MLA_36: Cap = _MLA()


# --- UK high-cost short-term credit -----------------------------------------------------


class _HCSTC(Cap):
    """FCA CONC 5A.2: initial cost cap 0.8 % a day of the credit outstanding (simple), default
    fee cap £15, total cost cap 100 % of the credit. ``limit`` is the daily cap as a simple
    annual rate (0.8 % × 365)."""

    name = "UK_HCSTC"
    limit = Decimal("2.920")  # 0.8 % a day x 365
    daily = Decimal("0.008")
    #: Default cap (CONC 5A.3.18R): default fees £15 in total, and default interest at no more
    #: than the agreement's rate of interest (:meth:`overdue_limit`).
    default_fees = Decimal(15)
    #: Total cost cap (CONC 5A.2.2R at entry, 5A.3.2R when imposing): all charges, default
    #: charges included, at most this share of the credit provided.
    total_cost = Decimal(1)

    def measure(self, terms: Any) -> Decimal:
        """Charges over the credit-days outstanding (each repayment of credit counted from the
        start to its own due date), as a simple annual rate. Financed fees are charges: the
        principal-days are scaled to the credit provided."""
        schedule = terms.schedule
        start = schedule.start_date
        with decimal.localcontext(CONTEXT):
            principal_days = sum(
                (row.principal * (row.due_date - start).days for row in schedule.installments),
                Decimal(0),
            )
            if principal_days <= 0:
                return Decimal(0)
            # financed fees are charges, not credit: count only the credit provided
            principal_days *= schedule.principal / schedule.total_principal
            measured: Decimal = schedule.total_cost / principal_days * 365
            return measured

    def overdue_limit(self, terms: Any) -> Decimal | None:
        """Default interest at no more than the agreement's rate (CONC 5A.3.18R)."""
        return Decimal(terms.annual_rate)

    def _overdue_breach(self, limit: Decimal, overdue: Decimal) -> RateCapExceeded:
        return RateCapExceeded(
            "UK_HCSTC default interest cap",
            limit,
            overdue,
            "default interest may not exceed the agreement's rate of interest "
            "(CONC 5A.3.18R); use penalty_multiple=1 or no overdue rate",
        )

    @context_free
    def check(self, terms: Any) -> None:
        if terms.principal.currency != "GBP":
            raise InvalidInputError(
                "caps", self.name, f"applies to credit in GBP, not {terms.principal.currency}"
            )
        super().check(terms)
        schedule = terms.schedule
        with decimal.localcontext(CONTEXT):
            total = schedule.total_cost / schedule.principal
        if total > 1:
            raise RateCapExceeded(
                "UK_HCSTC total cost cap",
                Decimal(1),
                total,
                f"all charges are {_percent(total)} of the credit; CONC 5A.2 allows 100 %",
            )
        fee = terms.late_fee
        if fee is not None and fee > self.default_fees:
            raise RateCapExceeded(
                "UK_HCSTC default fee cap",
                self.default_fees,
                fee,
                "default fees may not exceed £15 in total (CONC 5A.2)",
            )


#: UK FCA CONC 5A high-cost short-term credit caps.
UK_HCSTC: Cap = _HCSTC()


# --- China: 4 × one-year LPR --------------------------------------------------------------

#: One-year LPR, effective from the publication date until the next change (REGULATION.md).
_LPR: list[tuple[_dt.date, Decimal]] = [
    (_dt.date(2019, 8, 20), Decimal("0.0425")),
    (_dt.date(2019, 9, 20), Decimal("0.0420")),
    (_dt.date(2019, 11, 20), Decimal("0.0415")),
    (_dt.date(2020, 2, 20), Decimal("0.0405")),
    (_dt.date(2020, 4, 20), Decimal("0.0385")),
    (_dt.date(2021, 12, 20), Decimal("0.0380")),
    (_dt.date(2022, 1, 20), Decimal("0.0370")),
    (_dt.date(2022, 8, 22), Decimal("0.0365")),
    (_dt.date(2023, 6, 20), Decimal("0.0355")),
    (_dt.date(2023, 8, 21), Decimal("0.0345")),
    (_dt.date(2024, 7, 22), Decimal("0.0335")),
    (_dt.date(2024, 10, 21), Decimal("0.0310")),
    (_dt.date(2025, 5, 20), Decimal("0.0300")),
]
#: The LPR is published monthly; values are known to hold until this date.
_known_through: list[_dt.date] = [_dt.date(2025, 6, 19)]


def lpr_table() -> tuple[tuple[_dt.date, Decimal], ...]:
    """The one-year LPR changes known to the library (built in and registered).

    Examples
    --------
    >>> lpr_table()[0]
    (datetime.date(2019, 8, 20), Decimal('0.0425'))
    """
    return tuple(_LPR)


#: The coarsest step max_rate takes: a whole 100 % a year.
_MAX_STEP = Decimal(1)

#: The last month whose following publication date (the 20th of the month after next) exists.
_LAST_MONTHLY = _dt.date(9999, 10, 1)


def register_lpr(
    effective_from: _dt.date, rate: Decimal | str, *, known_through: _dt.date | None = None
) -> None:
    """Add a published one-year LPR at run time (a newer value than the built-in table).

    Parameters
    ----------
    effective_from : datetime.date
        The publication date from which it applies.
    rate : Decimal or str
        As a fraction (``"0.0300"`` is 3.00 %).
    known_through : datetime.date, optional
        The date up to which the table is now known to be complete (default: the day before
        the next monthly publication after `effective_from`).

    Examples
    --------
    >>> import datetime as dt
    >>> register_lpr(dt.date(2025, 5, 20), "0.0300", known_through=dt.date(2025, 6, 19))
    >>> lpr_1y(dt.date(2025, 6, 1))
    Decimal('0.0300')
    """
    day = check_date(effective_from, "effective_from")
    value = D(rate, "rate")
    if not 0 < value < 1:
        raise InvalidInputError("rate", value, "must be a fraction between 0 and 1")
    if known_through is None:
        if day >= _LAST_MONTHLY:
            raise InvalidInputError(
                "effective_from",
                day,
                f"must be before {_LAST_MONTHLY} without known_through",
                "give known_through",
            )
        through = (day.replace(day=1) + _dt.timedelta(days=62)).replace(day=19)
    else:
        through = check_date(known_through, "known_through")
        if through < day:
            raise InvalidInputError(
                "known_through", through, f"must be on or after effective_from ({day})"
            )
    # every check is done: only now does the process-wide table change
    _LPR[:] = sorted([*(e for e in _LPR if e[0] != day), (day, value)])
    _known_through[0] = max(_known_through[0], through)


def lpr_1y(on_date: _dt.date) -> Decimal:
    """The one-year LPR in force on `on_date`.

    Raises
    ------
    InvalidInputError
        Before 2019-08-20 (the reformed LPR's first publication).

    Warns
    -----
    LPRStaleWarning
        For a date past the last value the library knows, naming the value it used.

    Examples
    --------
    >>> import datetime as dt
    >>> lpr_1y(dt.date(2024, 10, 20)), lpr_1y(dt.date(2024, 10, 21))
    (Decimal('0.0335'), Decimal('0.0310'))
    """
    day = check_date(on_date, "on_date")
    if day < _LPR[0][0]:
        raise InvalidInputError(
            "on_date",
            day,
            f"is before the first one-year LPR ({_LPR[0][0]})",
            "the 2015 private-lending rule (24 % / 36 %) applied then",
        )
    index = bisect_right([e[0] for e in _LPR], day) - 1
    value = _LPR[index][1]
    if day > _known_through[0]:
        warnings.warn(
            f"LPR for {day} is past the last known value; used {value} (in force from "
            f"{_LPR[index][0]}). Register newer values with loanmath.caps.register_lpr().",
            LPRStaleWarning,
            stacklevel=2,
        )
    return value


class _PrivateLending(Cap):
    covers_overdue = True

    def __init__(self, contract_date: _dt.date) -> None:
        self.contract_date = check_date(contract_date, "contract_date")
        self.lpr = lpr_1y(self.contract_date)
        self.limit = CONTEXT.multiply(self.lpr, Decimal(4))
        self.name = f"CN_PRIVATE_LENDING_4LPR({self.contract_date}: 4 x {_percent(self.lpr)})"

    def measure(self, terms: Any) -> Decimal:
        return all_in_irr(terms)


def cn_private_lending(contract_date: _dt.date) -> Cap:
    """China's private-lending cap: 4 × the one-year LPR in force on `contract_date`.

    Measures interest and fees together, annualised by IRR, and the overdue rate (Arts. 25,
    28-29 of 法释〔2020〕17号).

    Examples
    --------
    >>> import datetime as dt
    >>> cn_private_lending(dt.date(2024, 8, 1)).limit
    Decimal('0.1340')
    """
    return _PrivateLending(contract_date)


# --- the pricing side -----------------------------------------------------------------------


def _complies(terms: Any, cap: Cap, **changes: Any) -> bool:
    caps = tuple(dict.fromkeys((*terms.caps, cap)))
    try:
        attrs.evolve(terms, caps=caps, **changes)
    except RateCapExceeded:
        return False
    return True


def _highest(passes: Callable[[int], bool], low: int, high: int) -> int:
    """The largest k in [low, high] with passes(k), given passes(low) and monotone passes."""
    while low < high:
        middle = (low + high + 1) // 2
        if passes(middle):
            low = middle
        else:
            high = middle - 1
    return low


@context_free
def max_rate(terms: Any, cap: Cap, *, step: Decimal | str = "0.000001") -> Decimal:
    """The highest annual rate (a multiple of `step`) at which `terms` complies with `cap`.

    Everything else in the contract stays as it is; one `step` more breaks the cap.

    Raises
    ------
    InvalidInputError
        If the contract breaks the cap even at a zero rate (its fees alone are too high).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import Fee, LoanTerms, Money
    >>> terms = LoanTerms(Money("12000", "CNY"), "0.10", 12, start_date=dt.date(2024, 1, 15),
    ...                   fees=(Fee("service", "upfront", amount="200"),))
    >>> max_rate(terms, CN_COMPREHENSIVE_36)
    Decimal('0.326348')
    """
    unit = D(step, "step")
    if not 0 < unit <= _MAX_STEP:
        raise InvalidInputError("step", unit, f"must be > 0 and at most {_MAX_STEP}")

    def passes(k: int) -> bool:
        return _complies(terms, cap, annual_rate=CONTEXT.multiply(unit, Decimal(k)))

    if not passes(0):
        raise InvalidInputError(
            "terms", cap.name, "breaks the cap even at a zero rate", "lower the fees"
        )
    high = 1
    while passes(high):
        high *= 2
        if CONTEXT.multiply(unit, Decimal(high)) > 100:
            break
    return CONTEXT.multiply(unit, Decimal(_highest(passes, high // 2, high - 1)))


@context_free
def max_fee(terms: Any, cap: Cap, *, name: str | None = None) -> Decimal:
    """The highest amount of an upfront or financed fee at which `terms` complies with `cap`.

    The fee is the contract's upfront or financed fee called `name` (default: the first); the
    result is a multiple of the currency's minor unit, and one unit more breaks the cap.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import Fee, LoanTerms, Money
    >>> terms = LoanTerms(Money("12000", "CNY"), "0.24", 12, start_date=dt.date(2024, 1, 15),
    ...                   fees=(Fee("service", "upfront", amount=0),))
    >>> max_fee(terms, CN_COMPREHENSIVE_36)
    Decimal('705.02')
    """
    from_terms = [
        f
        for f in terms.fees
        if f.timing in ("upfront", "financed") and (name is None or f.name == name)
    ]
    template = from_terms[0] if from_terms else None
    quantum = terms.rounding.quantum_for(terms.principal.currency)
    others = tuple(f for f in terms.fees if f is not template)

    if template is None:
        raise InvalidInputError(
            "fees",
            name,
            "no upfront or financed fee to price in these terms",
            "add it to the terms (e.g. Fee('service', 'upfront', amount=0))",
        )

    def with_fee(k: int) -> tuple[Any, ...]:
        amount = CONTEXT.multiply(quantum, Decimal(k))
        return (*others, attrs.evolve(template, amount=amount, rate=None))

    def passes(k: int) -> bool:
        try:
            return _complies(terms, cap, fees=with_fee(k))
        except InvalidInputError:
            return False  # a fee as large as the principal is refused outright

    if not passes(0):
        raise InvalidInputError(
            "terms", cap.name, "breaks the cap even without the fee", "lower the rate"
        )
    ceiling = int(CONTEXT.divide(terms.principal.amount, quantum))
    return CONTEXT.multiply(quantum, Decimal(_highest(passes, 0, ceiling)))
