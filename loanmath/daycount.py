"""Day-count conventions: how many days a period has, and what fraction of a year it is.

Each convention is a :class:`DayCountConvention` in a registry, looked up by name
(case-insensitive): ``"ACT/365F"``, ``"ACT/360"``, ``"ACT/ACT-ISDA"``, ``"ACT/ACT-AFB"``,
``"30/360-US"``, ``"30/360-BOND"``, ``"30E/360"``, ``"30E/360-ISDA"``, ``"NL/365"``. A new
convention is a new subclass passed to :func:`register`, not an edit of this module.

Year fractions are computed as exact rationals (:func:`year_fraction_exact`, a ``Fraction``)
so that interest can be rounded once from the exact value; :func:`year_fraction` returns the
same value as a ``Decimal`` correctly rounded to the library precision (50 significant digits,
half-even) in the library's own context.

References
----------
.. [ISDA2006] International Swaps and Derivatives Association, *2006 ISDA Definitions*,
   Section 4.16 "Day Count Fraction", (a)-(h).
.. [ISDA1998] ISDA, *EMU and Market Conventions: Recent Developments* (1998), "The
   Actual/Actual Day Count Fraction" (ISDA, ISMA and AFB methods).
.. [SIA] Securities Industry Association, *Standard Securities Calculation Methods* (1993),
   30/360 with the end-of-February rules ("30U/360").
"""

from __future__ import annotations

import calendar
import datetime as _dt
from abc import ABC, abstractmethod
from decimal import Decimal
from difflib import get_close_matches
from fractions import Fraction
from typing import ClassVar

from loanmath._calendar import is_month_end, leap_days
from loanmath._checks import check_date, check_order
from loanmath._decimal import CONTEXT
from loanmath.errors import InvalidInputError, UnknownNameError

__all__ = [
    "DayCountConvention",
    "convention_names",
    "day_count",
    "get_convention",
    "register",
    "year_fraction",
    "year_fraction_exact",
]


def _is_last_of_february(d: _dt.date) -> bool:
    return d.month == 2 and is_month_end(d)


class DayCountConvention(ABC):
    """Base of every day-count convention.

    Subclasses set ``name`` (the canonical name), optionally ``aliases``, and override
    :meth:`fraction` (and :meth:`days` when the day count is not the actual days). Both
    receive dates already checked (``start <= end``). Register an instance with
    :func:`register` to make it available by name everywhere.

    Notes
    -----
    A convention is its exact year fraction ``fraction(start, end, termination_date)`` and its
    ``days`` (actual days unless overridden); `additive` marks those with
    ``f(a, c) = f(a, b) + f(b, c)``. The built-in ones follow ISDA 2006 Definitions §4.16(b),
    (d)-(h), the ISDA Actual/Actual memo for AFB, SIA for 30/360-US and ISO 20022 A014 for
    NL/365 (docs/money-rounding-daycounts.md, "Day counts").

    Examples
    --------
    >>> rule = get_convention("ACT/365F")
    >>> rule.fraction(_dt.date(2024, 1, 1), _dt.date(2024, 3, 1), None)
    Fraction(12, 73)
    """

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    #: Whether fractions add up over adjacent periods: f(a, c) == f(a, b) + f(b, c).
    additive: ClassVar[bool] = False

    def days(self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None) -> int:
        """The convention's day count between `start` and `end`."""
        return (end - start).days

    @abstractmethod
    def fraction(
        self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None
    ) -> Fraction:
        """The exact year fraction between `start` and `end`."""

    def __repr__(self) -> str:
        return f"<day count {self.name}>"


class Actual365Fixed(DayCountConvention):
    """ACT/365F: actual days / 365 ([ISDA2006] 4.16(d), "Actual/365 (Fixed)")."""

    name = "ACT/365F"
    aliases = ("ACTUAL/365 (FIXED)", "ACT/365 (FIXED)", "A/365F", "ENGLISH")
    additive = True

    def fraction(
        self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None
    ) -> Fraction:
        return Fraction((end - start).days, 365)


class Actual360(DayCountConvention):
    """ACT/360: actual days / 360 ([ISDA2006] 4.16(e), "Actual/360")."""

    name = "ACT/360"
    aliases = ("ACTUAL/360", "A/360", "FRENCH")
    additive = True

    def fraction(
        self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None
    ) -> Fraction:
        return Fraction((end - start).days, 360)


class ActualActualISDA(DayCountConvention):
    """ACT/ACT-ISDA ([ISDA2006] 4.16(b)).

    Days of the period falling in a leap year / 366 plus days falling in a non-leap year / 365;
    the first day of the period is counted, the last is not.
    """

    name = "ACT/ACT-ISDA"
    aliases = ("ACTUAL/ACTUAL (ISDA)", "ACT/ACT (ISDA)", "ACTUAL/365")
    additive = True

    def fraction(
        self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None
    ) -> Fraction:
        if start.year == end.year:
            return Fraction((end - start).days, 366 if calendar.isleap(start.year) else 365)
        first = Fraction(
            (_dt.date(start.year + 1, 1, 1) - start).days,
            366 if calendar.isleap(start.year) else 365,
        )
        last = Fraction(
            (end - _dt.date(end.year, 1, 1)).days, 366 if calendar.isleap(end.year) else 365
        )
        return first + (end.year - start.year - 1) + last


class ActualActualAFB(DayCountConvention):
    """ACT/ACT-AFB (the French FBF/AFB master agreement method, [ISDA1998]).

    Whole years are counted back from the end date; the remaining initial stub counts its actual
    days over 366 if a 29 February falls in it (first day counted, last not), else over 365.
    Counting back whole years from 28 February lands on 29 February when that year is a leap
    year (the memo's end-of-February clarification; QuantLib reads it the same way).
    """

    name = "ACT/ACT-AFB"
    aliases = ("ACTUAL/ACTUAL (AFB)", "ACT/ACT (AFB)", "ACT/ACT-FBF")

    def fraction(
        self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None
    ) -> Fraction:
        years = 0
        stub_end = end
        while True:
            back = _years_back(end, years + 1)
            if back < start:
                break
            years += 1
            stub_end = back
        stub_days = (stub_end - start).days
        basis = 365
        for year in {start.year, stub_end.year}:
            if calendar.isleap(year) and start <= _dt.date(year, 2, 29) < stub_end:
                basis = 366
        return years + Fraction(stub_days, basis)


def _years_back(end: _dt.date, years: int) -> _dt.date:
    """`end` moved back whole `years`; 28 February lands on 29 February in a leap year
    (the ISDA 1999 memo's clarification, as QuantLib implements it), 29 February on
    28 February in a common year."""
    year = end.year - years
    if end.month == 2 and end.day >= 28:
        return _dt.date(year, 2, 29 if calendar.isleap(year) else 28)
    return end.replace(year=year)


class _Thirty360(DayCountConvention):
    """30/360 family: (360 (Y2 - Y1) + 30 (M2 - M1) + (D2 - D1)) / 360 after adjusting D1, D2."""

    @abstractmethod
    def adjust(
        self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None
    ) -> tuple[int, int]:
        """The adjusted day-of-month numbers (D1, D2)."""

    def days(self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None) -> int:
        d1, d2 = self.adjust(start, end, termination_date)
        return 360 * (end.year - start.year) + 30 * (end.month - start.month) + (d2 - d1)

    def fraction(
        self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None
    ) -> Fraction:
        return Fraction(self.days(start, end, termination_date), 360)


class Thirty360US(_Thirty360):
    """30/360-US ([SIA]; "30U/360"), with the end-of-February rules.

    1. If D1 and D2 are both the last day of February, D2 = 30.
    2. If D1 is the last day of February, D1 = 30.
    3. If D2 is 31 and D1 is 30 or 31, D2 = 30.
    4. If D1 is 31, D1 = 30.
    """

    name = "30/360-US"
    aliases = ("30U/360", "30/360 US", "30/360 SIA")

    def adjust(
        self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None
    ) -> tuple[int, int]:
        d1, d2 = start.day, end.day
        if _is_last_of_february(start):
            if _is_last_of_february(end):
                d2 = 30
            d1 = 30
        if d2 == 31 and d1 >= 30:
            d2 = 30
        d1 = min(d1, 30)
        return d1, d2


class Thirty360Bond(_Thirty360):
    """30/360-BOND, 30A/360 ([ISDA2006] 4.16(f), "30/360", "360/360", "Bond Basis").

    D1 = 31 becomes 30; D2 = 31 becomes 30 when D1 (so adjusted) is 30 (ISDA: "greater than
    29"). No February rule.
    """

    name = "30/360-BOND"
    aliases = ("30A/360", "BOND BASIS", "360/360")

    def adjust(
        self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None
    ) -> tuple[int, int]:
        d1 = min(start.day, 30)
        d2 = 30 if end.day == 31 and d1 > 29 else end.day
        return d1, d2


class Thirty360European(_Thirty360):
    """30E/360 ([ISDA2006] 4.16(g), "30E/360", "Eurobond Basis"): any 31st becomes 30."""

    name = "30E/360"
    aliases = ("EUROBOND BASIS", "30/360 ICMA", "30S/360")

    def adjust(
        self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None
    ) -> tuple[int, int]:
        return min(start.day, 30), min(end.day, 30)


class Thirty360German(_Thirty360):
    """30E/360-ISDA ([ISDA2006] 4.16(h), "30E/360 (ISDA)", German).

    D1 on the last day of a month becomes 30; D2 on the last day of a month becomes 30, unless
    D2 is the termination date and falls in February.
    """

    name = "30E/360-ISDA"
    aliases = ("30E/360 (ISDA)", "GERMAN", "30/360 GERMAN")

    def adjust(
        self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None
    ) -> tuple[int, int]:
        d1 = 30 if is_month_end(start) else start.day
        keep = end == termination_date and end.month == 2
        d2 = 30 if is_month_end(end) and not keep else end.day
        return d1, d2


class NoLeap365(DayCountConvention):
    """NL/365 ("Actual/365 No Leap", ISO 20022 code A014): actual days less each 29 February
    in the period, counted exclusive-inclusive (a 29 February start date counts, a 29 February
    end date does not), over 365. OpenGamma Strata counts the same way; pyxirr also drops a
    29 February start date."""

    name = "NL/365"
    aliases = ("NL365", "ACT/365 NO LEAP", "NO LEAP/365")
    additive = True

    def days(self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None) -> int:
        return (end - start).days - leap_days(start, end)

    def fraction(
        self, start: _dt.date, end: _dt.date, termination_date: _dt.date | None
    ) -> Fraction:
        return Fraction(self.days(start, end, termination_date), 365)


_REGISTRY: dict[str, DayCountConvention] = {}
_CANONICAL: list[str] = []


def register(convention: DayCountConvention) -> DayCountConvention:
    """Add a convention to the registry under its name and aliases (case-insensitive).

    Raises
    ------
    InvalidInputError
        If the name or an alias is already taken by another convention.

    Notes
    -----
    Keys are the name and each alias upper-cased; a key held by a convention of another class
    raises, one of the same class is replaced (registering twice is harmless). The name joins
    :func:`convention_names` once. The extension rule of docs/money-rounding-daycounts.md, "Day
    counts": a custom convention is a subclass passed here, no edit of the library.

    Examples
    --------
    >>> class Actual364(DayCountConvention):
    ...     name = "ACT/364"
    ...     def fraction(self, start, end, termination_date):
    ...         return Fraction((end - start).days, 364)
    >>> _ = register(Actual364())
    >>> year_fraction(_dt.date(2024, 1, 1), _dt.date(2024, 3, 1), "act/364")
    Decimal('0.16483516483516483516483516483516483516483516483516')
    """
    keys = [convention.name.upper(), *(a.upper() for a in convention.aliases)]
    for key in keys:
        taken = _REGISTRY.get(key)
        if taken is not None and type(taken) is not type(convention):
            raise InvalidInputError(
                "convention.name",
                key,
                f"is already registered as {taken.name}",
                "choose another name",
            )
    for key in keys:
        _REGISTRY[key] = convention
    if convention.name not in _CANONICAL:
        _CANONICAL.append(convention.name)
    return convention


for _convention in (
    Actual365Fixed(),
    Actual360(),
    ActualActualISDA(),
    ActualActualAFB(),
    Thirty360US(),
    Thirty360Bond(),
    Thirty360European(),
    Thirty360German(),
    NoLeap365(),
):
    register(_convention)


def convention_names() -> tuple[str, ...]:
    """The canonical names of the registered conventions.

    Notes
    -----
    Each registered convention's `name`, in registration order: the nine built-ins (ISDA 2006
    §4.16, the ISDA AFB memo, SIA, ISO 20022 A014), then custom ones; aliases are not listed.

    Examples
    --------
    >>> convention_names()[:3]
    ('ACT/365F', 'ACT/360', 'ACT/ACT-ISDA')
    """
    return tuple(_CANONICAL)


def get_convention(
    convention: str | DayCountConvention, field: str = "convention"
) -> DayCountConvention:
    """Look a convention up by name (case-insensitive) or pass an instance through; `field`
    names the argument in the error (``"day_count"`` where the caller called it that).

    Raises
    ------
    UnknownNameError
        Listing the valid names and the close ones.

    Notes
    -----
    The key is ``convention.strip().upper()`` among names and aliases (``"ENGLISH"`` is
    ACT/365F, ``"BOND BASIS"`` 30/360-BOND); an instance passes through. A bare ``"30/360"`` is
    no key (US or Bond basis?). Unknown names raise with up to four close ones (difflib).
    docs/money-rounding-daycounts.md, "Day counts".

    Examples
    --------
    >>> get_convention("act/360")
    <day count ACT/360>
    """
    if isinstance(convention, DayCountConvention):
        return convention
    if isinstance(convention, str):
        found = _REGISTRY.get(convention.strip().upper())
        if found is not None:
            return found
    close = get_close_matches(str(convention).upper(), list(_REGISTRY), n=4, cutoff=0.5)
    suggestions = list(dict.fromkeys(_REGISTRY[c].name for c in close))
    raise UnknownNameError(field, convention, convention_names(), suggestions)


def _checked(
    start: object, end: object, termination_date: object
) -> tuple[_dt.date, _dt.date, _dt.date | None]:
    first = check_date(start, "start")
    last = check_date(end, "end")
    check_order(first, last, "start", "end")
    term = None if termination_date is None else check_date(termination_date, "termination_date")
    return first, last, term


def day_count(
    start: _dt.date,
    end: _dt.date,
    convention: str | DayCountConvention,
    *,
    termination_date: _dt.date | None = None,
) -> int:
    """The number of days between `start` and `end` under `convention`.

    Parameters
    ----------
    start, end : datetime.date
        The period; `end` must not be before `start`.
    convention : str or DayCountConvention
        A registered name (case-insensitive), e.g. ``"30/360-US"``.
    termination_date : datetime.date, optional
        The final date of the loan or swap; only 30E/360-ISDA uses it (other conventions
        accept and ignore it, so a caller may pass it always).

    Returns
    -------
    int
        Actual days for the ACT conventions, days without 29 February for NL/365, and
        ``360 (Y2 - Y1) + 30 (M2 - M1) + (D2 - D1)`` after the convention's adjustment of D1
        and D2 for the 30/360 family.

    Raises
    ------
    DateTypeError, DateOrderError, UnknownNameError

    Notes
    -----
    The 30/360 rules are those of ISDA 2006 Section 4.16(f)-(h) and, for 30/360-US, of the
    SIA Standard Securities Calculation Methods.

    Examples
    --------
    >>> day_count(_dt.date(2024, 1, 31), _dt.date(2024, 3, 31), "30/360-US")
    60
    >>> day_count(_dt.date(2024, 1, 31), _dt.date(2024, 3, 31), "ACT/365F")
    60
    >>> day_count(_dt.date(2024, 2, 28), _dt.date(2024, 3, 1), "NL/365")
    1
    """
    rule = get_convention(convention)
    first, last, term = _checked(start, end, termination_date)
    return rule.days(first, last, term)


def year_fraction_exact(
    start: _dt.date,
    end: _dt.date,
    convention: str | DayCountConvention,
    *,
    termination_date: _dt.date | None = None,
) -> Fraction:
    """The exact year fraction between `start` and `end` as a ``Fraction``.

    Use this in interest formulas (``balance * rate * fraction``) so that the result is
    rounded once, from the exact value. Parameters, errors and conventions as for
    :func:`year_fraction`.

    Notes
    -----
    The convention's fraction as an exact rational, never rounded: ACT/365F ``days/365``,
    ACT/360 ``days/360``, ACT/ACT-ISDA ``common-year days/365 + leap-year days/366``, the
    30/360 family ``(360 ΔY + 30 ΔM + ΔD)/360`` after its day adjustments (ISDA 2006 Definitions
    §4.16; SIA for 30/360-US; ISO 20022 A014 for NL/365). Interest ``balance × rate × fraction``
    is then rounded once (docs/money-rounding-daycounts.md, "Rounding").

    Examples
    --------
    >>> year_fraction_exact(_dt.date(2003, 11, 1), _dt.date(2004, 5, 1), "ACT/ACT-ISDA")
    Fraction(66491, 133590)
    """
    rule = get_convention(convention)
    first, last, term = _checked(start, end, termination_date)
    return rule.fraction(first, last, term)


def year_fraction(
    start: _dt.date,
    end: _dt.date,
    convention: str | DayCountConvention,
    *,
    termination_date: _dt.date | None = None,
) -> Decimal:
    """The fraction of a year between `start` and `end` under `convention`.

    Parameters
    ----------
    start, end : datetime.date
        The period; `end` must not be before `start` (equal dates give zero).
    convention : str or DayCountConvention
        ``"ACT/365F"``, ``"ACT/360"``, ``"ACT/ACT-ISDA"``, ``"ACT/ACT-AFB"``, ``"30/360-US"``,
        ``"30/360-BOND"``, ``"30E/360"``, ``"30E/360-ISDA"``, ``"NL/365"`` (any case), or a
        registered custom convention.
    termination_date : datetime.date, optional
        Used by 30E/360-ISDA only (the February rule for the last period).

    Returns
    -------
    Decimal
        The exact rational fraction (see :func:`year_fraction_exact`) correctly rounded to 50
        significant digits, half-even, in the library's context. Terminating fractions
        (``/360`` of a multiple of 9 days ...) are exact.

    Raises
    ------
    DateTypeError
        If a date is not a ``datetime.date`` (a ``datetime`` or a string is refused).
    DateOrderError
        If `end` is before `start`.
    UnknownNameError
        If `convention` is not registered; the message lists the valid names.

    Notes
    -----
    ACT/365F: ``days / 365``; ACT/360: ``days / 360``; NL/365: ``(days - leap days) / 365``;
    ACT/ACT-ISDA: ``days_in_non_leap_years / 365 + days_in_leap_years / 366``; ACT/ACT-AFB:
    whole years counted back from `end` plus ``stub_days / 365`` (366 if the stub holds a
    29 February); the 30/360 family: ``(360 ΔY + 30 ΔM + ΔD) / 360`` after the convention's
    day adjustments (ISDA 2006 Section 4.16; SIA for 30/360-US).

    Examples
    --------
    >>> import datetime as dt
    >>> year_fraction(dt.date(2024, 1, 1), dt.date(2024, 7, 1), "ACT/360")
    Decimal('0.50555555555555555555555555555555555555555555555556')
    >>> year_fraction(dt.date(2003, 11, 1), dt.date(2004, 5, 1), "ACT/ACT-AFB")
    Decimal('0.49726775956284153005464480874316939890710382513661')
    >>> year_fraction(dt.date(2024, 1, 31), dt.date(2024, 7, 31), "30E/360")
    Decimal('0.5')
    """
    exact = year_fraction_exact(start, end, convention, termination_date=termination_date)
    return CONTEXT.divide(Decimal(exact.numerator), Decimal(exact.denominator))
