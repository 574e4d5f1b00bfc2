"""EU annual percentage rate of charge (APRC): Consumer Credit Directive 2008/48/EC Annex I.

The APRC ``X`` is an *effective* annual rate solving
``Σ Cₖ (1+X)^−tₖ = Σ Dₗ (1+X)^−sₗ`` (drawdowns against repayments and charges), with times in
years from the first drawdown. Annex I, remark (c): a year has 365 days (366 in a leap year),
52 weeks or 12 equal months. The Commission's guidelines (SWD(2012) 128, §4.1.1) count whole
periods *backwards* from each flow to the drawdown; the remaining days are divided by the
days (365 or 366) of the year that ends where the whole periods stop; a day that does not
exist in a month is that month's last day. Directive (EU) 2023/2225 Annex III and the UK's
CONC App 1.2 keep the same equation.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import decimal
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from loanmath._calendar import add_months
from loanmath._checks import check_date, check_int, check_order
from loanmath._decimal import CONTEXT, D, context_free
from loanmath.apr._fast import KERNEL, kernel_split, listed
from loanmath.apr.roots import TOL, dated_rate
from loanmath.errors import InvalidInputError, UnknownNameError

__all__ = ["PERIODS", "aprc_percent", "eu_aprc", "eu_years", "eu_years_exact"]

#: Period → (months, days, periods per year); months-based or days-based.
PERIODS = {"year": (12, 0, 1), "month": (1, 0, 12), "week": (0, 7, 52)}


def _year_days(stop: _dt.date) -> int:
    """Days of the year that ends on `stop`: 366 if it holds a 29 February, else 365.

    The year is ``(stop − 12 months, stop]``. From March on (or on a 29 February) the only
    29 February it can hold is of `stop`'s own year; in January and February (to the 28th)
    only the year before's, whose 29 February follows the start (the 28th at the latest).
    """
    if stop.month > 2 or (stop.month == 2 and stop.day == 29):
        return 366 if calendar.isleap(stop.year) else 365
    year = stop.year - 1
    return 366 if year >= _dt.MINYEAR and calendar.isleap(year) else 365


def eu_years_exact(start: _dt.date, end: _dt.date, *, period: str = "month") -> Fraction:
    """:func:`eu_years` as an exact ``Fraction``.

    Notes
    -----
    ``t = n/P + d/Y``: ``n`` whole periods counted back from `end` (``P`` = 12, 52 or 1 for
    months, weeks or years), ``d`` the days left between `start` and where they stop, ``Y`` = 366
    when the year ending there holds a 29 February, else 365; a day a month lacks is its last
    day. Directive 2008/48/EC Annex I remark (c); Commission guidelines SWD(2012) 128 §4.1.1.

    Examples
    --------
    >>> eu_years_exact(_dt.date(2024, 1, 1), _dt.date(2024, 3, 31))  # 2 months + 30/365
    Fraction(109, 438)
    """
    first, last = check_date(start, "start"), check_date(end, "end")
    check_order(first, last, "start", "end")
    if period not in PERIODS:
        raise UnknownNameError("period", period, tuple(PERIODS))
    whole, remaining, year_days = _parts(first, last, period)
    return Fraction(whole, PERIODS[period][2]) + Fraction(remaining, year_days)


def _parts(first: _dt.date, last: _dt.date, period: str) -> tuple[int, int, int]:
    """Whole periods counted back from `last`, the days left, and the days of their year."""
    months, days, _ = PERIODS[period]
    if months:
        # back by the months between them lands in `first`'s month (or the one after, for a
        # longer period): one step more would be before `first`, so count down from here
        whole = ((last.year - first.year) * 12 + last.month - first.month) // months
        stop = add_months(last, -months * whole)
        while whole > 0 and stop < first:
            whole -= 1
            stop = add_months(last, -months * whole)
    else:
        whole = (last - first).days // days
        stop = last - _dt.timedelta(days=days * whole)
    return whole, (stop - first).days, _year_days(stop)


@context_free
def eu_years(start: _dt.date, end: _dt.date, *, period: str = "month") -> Decimal:
    """Time between two dates in years, as the EU consumer credit directive counts it.

    Whole periods (``"year"``, ``"month"`` or ``"week"``) are counted backwards from `end`;
    the days left over are divided by 365, or 366 when the year ending where the whole periods
    stop holds a 29 February.

    Parameters
    ----------
    start, end : datetime.date
    period : {"month", "year", "week"}

    Returns
    -------
    Decimal
        Years, the exact fraction correctly rounded to 50 digits.

    Notes
    -----
    ``t = n/12 + d/365(366)`` for months (``n/52`` for weeks, ``n`` for years). Directive
    2008/48/EC Annex I remark (c); Commission guidelines SWD(2012) 128 §4.1.1.

    Examples
    --------
    >>> eu_years(_dt.date(2024, 1, 15), _dt.date(2024, 7, 15))
    Decimal('0.5')
    >>> eu_years(_dt.date(2024, 1, 1), _dt.date(2024, 3, 31))  # 2 months + 30/365
    Decimal('0.24885844748858447488584474885844748858447488584475')
    """
    exact = eu_years_exact(start, end, period=period)
    return CONTEXT.divide(Decimal(exact.numerator), Decimal(exact.denominator))


def _kernel_aprc(amounts: Sequence[object], dates: Sequence[object], period: str) -> Decimal | None:
    """The APRC by the compiled kernel (the same digits as the pure path), or None."""
    if KERNEL is None or period not in PERIODS or not listed(amounts, dates):
        return None  # an iterator or a str: the pure path refuses it
    if len(dates) != len(amounts):
        return None
    days = tuple(d for d in dates if type(d) is _dt.date)
    if len(days) != len(dates):
        return None  # datetimes, strings …: the pure path converts or refuses them
    return kernel_split(amounts, _all_parts(days, period), PERIODS[period][2])


@lru_cache(maxsize=1024)
def _all_parts(dates: tuple[_dt.date, ...], period: str) -> tuple[tuple[int, int, int], ...]:
    """Each date's whole periods, days and year-days from the earliest (cached: a pricing grid
    asks for the same dates again and again)."""
    first = min(dates)
    return tuple(_parts(first, d, period) for d in dates)  # shared by every hit: immutable


def eu_aprc(
    amounts: Sequence[Decimal | int | str],
    dates: Sequence[_dt.date],
    *,
    period: str = "month",
    guess: Decimal | str | None = None,
    tol: Decimal = TOL,
) -> Decimal:
    """The EU APRC: the effective annual rate equating drawdowns with repayments and charges.

    Parameters
    ----------
    amounts : sequence of Decimal, int or str
        Drawdowns negative, repayments and charges positive (or the other way round).
    dates : sequence of datetime.date
        One per amount; times are counted from the first drawdown (the earliest date).
    period : {"month", "year", "week"}
        How intervals are counted (:func:`eu_years`).

    Returns
    -------
    Decimal
        The APRC as a fraction (``0.1268`` is 12.68 %), 20 significant digits; use
        :func:`aprc_percent` for the displayed figure.

    Raises
    ------
    NoSolutionError, InvalidInputError, DateTypeError

    Notes
    -----
    ``Σ Cₖ (1+X)^−tₖ = Σ Dₗ (1+X)^−sₗ`` (drawdowns against repayments and charges), solved as
    ``Σ aₖ (1+X)^−tₖ = 0`` with ``tₖ`` = :func:`eu_years_exact` from the earliest date: ``X`` is an
    effective annual rate, confirmed in Decimal (``|NPV| ≤ tol·Σ|aₖ|``); several roots without a
    `guess` raise NoSolutionError. Directive 2008/48/EC Annex I (basic equation, remarks (b)-(c));
    Commission guidelines SWD(2012) 128 §4.1.1 for the time count.

    Examples
    --------
    >>> import datetime as dt
    >>> eu_aprc(["-1000", "1100"], [dt.date(2024, 1, 1), dt.date(2025, 1, 1)])
    Decimal('0.10000000000000000000')
    """
    if guess is None and tol is TOL:  # the common case, compiled
        fast = _kernel_aprc(amounts, dates, period)
        if fast is not None:
            return fast
    return _pure_aprc(amounts, dates, period=period, guess=guess, tol=tol)


@context_free
def _pure_aprc(
    amounts: Sequence[Decimal | int | str],
    dates: Sequence[_dt.date],
    *,
    period: str,
    guess: Decimal | str | None,
    tol: Decimal,
) -> Decimal:
    """:func:`eu_aprc` in Python and Decimal: every case, every error."""
    return dated_rate(
        amounts,
        dates,
        lambda first, day: eu_years_exact(first, day, period=period),
        guess=float(D(guess, "guess")) if guess is not None else None,
        tol=tol,
    )


@context_free
def aprc_percent(aprc: Decimal, decimals: int = 1) -> Decimal:
    """The APRC as the percentage to display, rounded half up (Annex I: at least one decimal).

    Notes
    -----
    ``100·X`` rounded once, half up, to `decimals` places (at least 1): Directive 2008/48/EC
    Annex I remark (d), "an accuracy of at least one decimal place", the preceding figure raised
    by one when the next is 5 or more.

    Examples
    --------
    >>> aprc_percent(Decimal("0.126825"))
    Decimal('12.7')
    >>> aprc_percent(Decimal("0.12345"), 2)
    Decimal('12.35')
    """
    places = check_int(decimals, "decimals")
    if places < 1:
        raise InvalidInputError("decimals", decimals, "must be an int >= 1 (Annex I)")
    with decimal.localcontext(CONTEXT):
        return (D(aprc, "aprc") * 100).quantize(
            Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP
        )
