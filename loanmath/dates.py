"""Payment dates: due dates counted from an anchor, and business-day adjustment.

Every date is computed from the anchor directly — the k-th monthly date is
``anchor + relativedelta(months=k)`` — never by adding one period to the previous date, which
drifts (Jan 31 → Feb 28 → Mar 28 ...). The end-of-month rule is explicit:

- ``end_of_month=False`` (default): the anchor's day of the month, clipped to the month's
  length. A loan opened on Jan 31 is due Feb 28 (29 in a leap year), Mar 31, Apr 30 ...; one
  opened on Apr 30 is due May 30, Jun 30, Jul 30 ...
- ``end_of_month=True``: when the anchor is the last day of its month, every date is the last
  day of its month. A loan opened on Apr 30 is due May 31, Jun 30, Jul 31 ...

Business-day adjustment moves a date that is not a business day (by ``weekend`` and
``holidays``) and never moves the anchor schedule: each date is adjusted on its own. A
business calendar (:class:`BusinessCalendar`, e.g. :class:`loanmath.calendars.HolidayCalendar`)
passed as ``holidays`` decides on its own, weekends and make-up working days (调休) included.

References
----------
.. [ISDA2006] ISDA, *2006 ISDA Definitions*, Section 4.12 "Business Day Convention"
   (Following, Modified Following, Preceding).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Collection
from difflib import get_close_matches
from functools import lru_cache
from typing import Final, Protocol, TypeAlias, runtime_checkable

from loanmath._calendar import add_months, is_month_end
from loanmath._checks import check_bool, check_date, check_int
from loanmath._decimal import context_free
from loanmath.errors import InputTypeError, InvalidInputError, UnknownNameError

__all__ = [
    "ADJUSTMENTS",
    "FREQUENCIES",
    "BusinessCalendar",
    "Holidays",
    "adjust",
    "is_business_day",
    "nth_date",
    "payment_dates",
    "periods_per_year",
]


@runtime_checkable
class BusinessCalendar(Protocol):
    """A calendar that decides business days on its own: weekends, holidays and make-up
    working days (:class:`loanmath.calendars.HolidayCalendar` is one).

    Notes
    -----
    A structural (runtime-checkable) protocol: any object with ``is_business_day(day) -> bool``.
    Passed as `holidays` to :func:`is_business_day`, :func:`adjust` or :func:`payment_dates` it
    decides alone, weekends and make-up working days (调休) included, and `weekend` must keep its
    default (changing it raises). docs/money-rounding-daycounts.md, "Payment dates".

    Examples
    --------
    >>> import datetime as dt
    >>> class Sundays:
    ...     def is_business_day(self, day: dt.date) -> bool:
    ...         return day.weekday() != 6
    >>> isinstance(Sundays(), BusinessCalendar)
    True
    """

    def is_business_day(self, day: _dt.date) -> bool:
        """Whether `day` is a business day."""


#: Holidays as a collection of dates, a callable returning True for a holiday, or a
#: :class:`BusinessCalendar` (which then also decides the weekend).
Holidays: TypeAlias = Collection[_dt.date] | Callable[[_dt.date], bool] | BusinessCalendar | None

#: The default weekend: Saturday and Sunday.
_WEEKEND: Final = frozenset((5, 6))

#: Frequency name → (months per period, days per period, periods per year). Exactly one of
#: months and days is non-zero; semimonthly is handled as half a month (see :func:`nth_date`).
FREQUENCIES: Final[dict[str, tuple[int, int, int]]] = {
    "monthly": (1, 0, 12),
    "semimonthly": (0, 0, 24),
    "biweekly": (0, 14, 26),
    "weekly": (0, 7, 52),
    "quarterly": (3, 0, 4),
    "semiannual": (6, 0, 2),
    "annual": (12, 0, 1),
}

#: Business-day conventions (ISDA 2006 Section 4.12).
ADJUSTMENTS: Final = ("none", "following", "modified_following", "preceding", "modified_preceding")

#: No run of non-business days is longer than this; a calendar that says otherwise is broken.
_MAX_HOLIDAY_RUN: Final = 366


def _check_frequency(frequency: object) -> str:
    if isinstance(frequency, str) and frequency in FREQUENCIES:
        return frequency
    close = get_close_matches(str(frequency).lower(), list(FREQUENCIES), n=2)
    raise UnknownNameError("frequency", frequency, tuple(FREQUENCIES), close)


def periods_per_year(frequency: str) -> int:
    """How many periods of `frequency` make a year (monthly 12, biweekly 26 ...).

    Notes
    -----
    From :data:`FREQUENCIES`: monthly 12, semimonthly 24, biweekly 26, weekly 52, quarterly 4,
    semiannual 2, annual 1 — a year of 12 months or 52 weeks, as Directive 2008/48/EC Annex I
    remark (c) counts it (semimonthly 2 × 12, biweekly 52 / 2). Unknown names raise with close
    ones.

    Examples
    --------
    >>> periods_per_year("semimonthly"), periods_per_year("biweekly")
    (24, 26)
    """
    return FREQUENCIES[_check_frequency(frequency)][2]


def _semimonthly(anchor: _dt.date, k: int, end_of_month: bool) -> _dt.date:
    """The k-th half-month date from `anchor`.

    The month has two payment days: the anchor's day and the day 15 from it (``d`` and
    ``d + 15`` when the anchor is on or before the 15th, ``d - 15`` and ``d`` after it), each
    clipped to the month's length; with the end-of-month rule on a month-end anchor, the 15th
    and the last day.
    """
    if end_of_month and is_month_end(anchor):
        days, slot = (15, 31), 1
    elif anchor.day <= 15:
        days, slot = (anchor.day, anchor.day + 15), 0
    else:
        days, slot = (anchor.day - 15, anchor.day), 1
    months, new_slot = divmod(slot + k, 2)
    return add_months(anchor, months, days[new_slot])


@context_free
def nth_date(anchor: _dt.date, k: int, frequency: str, *, end_of_month: bool = False) -> _dt.date:
    """The date `k` periods of `frequency` after `anchor`, counted from the anchor.

    Parameters
    ----------
    anchor : datetime.date
        The date periods are counted from (the loan's start, or its first due date).
    k : int
        Number of periods; may be negative (counting back) or zero (the anchor itself).
    frequency : str
        ``"monthly"``, ``"semimonthly"``, ``"biweekly"``, ``"weekly"``, ``"quarterly"``,
        ``"semiannual"`` or ``"annual"``.
    end_of_month : bool, default False
        If True and `anchor` is the last day of its month, month-based dates are month ends.

    Returns
    -------
    datetime.date

    Raises
    ------
    DateTypeError, UnknownNameError, InputTypeError

    Notes
    -----
    Month-based frequencies: ``anchor + relativedelta(months=k * m)`` (day clipped to the
    month's length), or the month's last day under the end-of-month rule. Week-based:
    ``anchor + 7 k`` or ``14 k`` days. Semimonthly: two fixed days a month, 15 days apart
    (Regulation Z Appendix J treats a semimonth as half a month).

    Examples
    --------
    >>> import datetime as dt
    >>> [nth_date(dt.date(2023, 1, 31), k, "monthly").isoformat() for k in (1, 2, 3)]
    ['2023-02-28', '2023-03-31', '2023-04-30']
    >>> nth_date(dt.date(2024, 4, 30), 1, "monthly", end_of_month=True)
    datetime.date(2024, 5, 31)
    >>> [nth_date(dt.date(2024, 1, 31), k, "semimonthly").isoformat() for k in (1, 2)]
    ['2024-02-16', '2024-02-29']
    """
    start = check_date(anchor, "anchor")
    k = check_int(k, "k")
    end_of_month = check_bool(end_of_month, "end_of_month")
    months, days, _ = FREQUENCIES[_check_frequency(frequency)]
    if days:
        return start + _dt.timedelta(days=days * k)
    if not months:
        return _semimonthly(start, k, end_of_month)
    day = 31 if end_of_month and is_month_end(start) else start.day
    return add_months(start, months * k, day)


def _holiday_test(holidays: Holidays) -> Callable[[_dt.date], bool]:
    if holidays is None:
        return lambda _d: False
    if callable(holidays):
        return holidays
    if isinstance(holidays, str | bytes) or not isinstance(holidays, Collection):
        raise InputTypeError(
            "holidays",
            holidays,
            "must be a collection of dates, a callable(date) -> bool or a business calendar",
            "e.g. loanmath.calendars.HolidayCalendar('CN')",
        )
    days = frozenset(check_date(d, "holidays[]") for d in holidays)
    return days.__contains__


def _business_test(holidays: Holidays, weekend: Collection[int]) -> Callable[[_dt.date], bool]:
    """The business-day test: a calendar's own, or weekday outside `weekend` and no holiday."""
    if isinstance(holidays, BusinessCalendar):
        if set(weekend) != _WEEKEND:
            raise InvalidInputError(
                "weekend",
                weekend,
                "cannot be changed when holidays is a business calendar (it sets its own)",
                "leave weekend out",
            )
        return holidays.is_business_day
    is_holiday = _holiday_test(holidays)
    return lambda d: d.weekday() not in weekend and not is_holiday(d)


@context_free
def is_business_day(
    day: _dt.date, holidays: Holidays = None, *, weekend: Collection[int] = (5, 6)
) -> bool:
    """Whether `day` is neither a weekend day nor a holiday.

    Parameters
    ----------
    day : datetime.date
    holidays : collection of dates, callable(date) -> bool, or BusinessCalendar, optional
        Holidays; a callable returns True for a holiday. A :class:`BusinessCalendar` (such as
        ``loanmath.calendars.HolidayCalendar("CN")``) decides alone, weekends and China's
        make-up working weekends (调休) included.
    weekend : collection of int, default (5, 6)
        Weekdays (Monday 0 … Sunday 6) that are never business days. Pass ``()`` with a
        callable to take full control; with a business calendar leave it out.

    Notes
    -----
    ``day.weekday() ∉ weekend`` and not a holiday (in the collection, or the callable returns
    True); with a :class:`BusinessCalendar`, its own ``is_business_day(day)`` alone. The
    business-day test the ISDA 2006 §4.12 conventions of :func:`adjust` use
    (docs/money-rounding-daycounts.md, "Payment dates").

    Examples
    --------
    >>> import datetime as dt
    >>> is_business_day(dt.date(2024, 10, 1), {dt.date(2024, 10, 1)})
    False
    >>> is_business_day(dt.date(2024, 10, 12), weekend=())
    True
    """
    checked = check_date(day, "day")
    return _business_test(holidays, weekend)(checked)


@context_free
def adjust(
    day: _dt.date,
    convention: str = "following",
    holidays: Holidays = None,
    *,
    weekend: Collection[int] = (5, 6),
) -> _dt.date:
    """Move `day` to a business day by `convention` (ISDA 2006 Section 4.12).

    Parameters
    ----------
    day : datetime.date
    convention : str, default ``"following"``
        ``"none"`` (leave it), ``"following"`` (the next business day), ``"modified_following"``
        (the next, unless that is in the next month, then the previous), ``"preceding"`` (the
        previous), ``"modified_preceding"`` (the previous, unless that is in the previous
        month, then the next).
    holidays, weekend
        As for :func:`is_business_day`.

    Returns
    -------
    datetime.date

    Raises
    ------
    UnknownNameError
        For an unknown convention.
    InvalidInputError
        If no business day lies within a year of `day` (a calendar that marks every day).

    Notes
    -----
    Following: the first business day on or after `day`; preceding: the last on or before it;
    the modified forms take that day unless it is in another month, then roll the other way;
    ``"none"`` returns `day`. At most 366 days are searched. ISDA 2006 Definitions §4.12
    (Following, Modified Following, Preceding); modified preceding mirrors Modified Following.

    Examples
    --------
    >>> import datetime as dt
    >>> sat = dt.date(2024, 8, 31)
    >>> adjust(sat, "following"), adjust(sat, "modified_following")
    (datetime.date(2024, 9, 2), datetime.date(2024, 8, 30))
    >>> adjust(dt.date(2024, 6, 1), "modified_preceding")
    datetime.date(2024, 6, 3)
    """
    checked = check_date(day, "day")
    if convention not in ADJUSTMENTS:
        close = get_close_matches(str(convention), ADJUSTMENTS, n=2)
        raise UnknownNameError("convention", convention, ADJUSTMENTS, close)
    business = _business_test(holidays, weekend)  # checked even for "none"
    if convention == "none":
        return checked
    step = 1 if convention in ("following", "modified_following") else -1
    moved = _roll(checked, step, business)
    if convention.startswith("modified") and moved.month != checked.month:
        moved = _roll(checked, -step, business)
    return moved


def _roll(day: _dt.date, step: int, business: Callable[[_dt.date], bool]) -> _dt.date:
    for offset in range(_MAX_HOLIDAY_RUN + 1):
        candidate = day + _dt.timedelta(days=step * offset)
        if business(candidate):
            return candidate
    raise InvalidInputError(
        "holidays",
        day,
        f"no business day within {_MAX_HOLIDAY_RUN} days of this date",
        "check the holiday calendar and the weekend days",
    )


class _Calendar:
    """A business-day test wrapped as a :class:`BusinessCalendar`."""

    __slots__ = ("test",)

    def __init__(self, test: Callable[[_dt.date], bool]) -> None:
        self.test = test

    def is_business_day(self, day: _dt.date) -> bool:
        return self.test(day)


@lru_cache(maxsize=4096)
def _anchored(
    anchor: _dt.date, count: int, offset: int, frequency: str, end_of_month: bool
) -> tuple[_dt.date, ...]:
    """The unadjusted dates, cached: a pricing grid asks for the same dates again and again."""
    return tuple(
        nth_date(anchor, k + offset, frequency, end_of_month=end_of_month) for k in range(count)
    )


@context_free
def payment_dates(
    start: _dt.date,
    count: int,
    frequency: str = "monthly",
    *,
    first_due_date: _dt.date | None = None,
    end_of_month: bool = False,
    adjustment: str = "none",
    holidays: Holidays = None,
    weekend: Collection[int] = (5, 6),
) -> tuple[_dt.date, ...]:
    """The `count` due dates of a loan that starts on `start`.

    Parameters
    ----------
    start : datetime.date
        The loan's start (disbursement) date.
    count : int
        Number of instalments, 1 to 10,000.
    frequency : str, default ``"monthly"``
        See :data:`FREQUENCIES`.
    first_due_date : datetime.date, optional
        The first due date, when it is not one period after `start` (an odd first period).
        The later dates are then counted from it. Must be after `start`.
    end_of_month : bool, default False
        The end-of-month rule, applied to the anchor (`first_due_date` or `start`).
    adjustment : str, default ``"none"``
        Business-day convention applied to each date on its own (see :func:`adjust`); the
        unadjusted dates stay the anchors.
    holidays, weekend
        As for :func:`is_business_day`.

    Returns
    -------
    tuple of datetime.date
        Strictly increasing (for ``"none"``, ``"following"`` and ``"preceding"``).

    Raises
    ------
    DateTypeError, DateOrderError, UnknownNameError, InvalidInputError

    Notes
    -----
    Without `first_due_date`: ``nth_date(start, k)`` for k = 1 … count. With it:
    ``nth_date(first_due_date, k)`` for k = 0 … count − 1.

    Examples
    --------
    >>> import datetime as dt
    >>> [d.isoformat() for d in payment_dates(dt.date(2024, 1, 31), 3)]
    ['2024-02-29', '2024-03-31', '2024-04-30']
    >>> [d.isoformat() for d in payment_dates(dt.date(2024, 1, 10), 2, "monthly",
    ...                                       first_due_date=dt.date(2024, 2, 25))]
    ['2024-02-25', '2024-03-25']
    >>> payment_dates(dt.date(2024, 7, 31), 1, adjustment="following")  # Aug 31 is a Saturday
    (datetime.date(2024, 9, 2),)
    """
    begin = check_date(start, "start")
    count = check_int(count, "count")
    if not 1 <= count <= 10_000:
        raise InvalidInputError("count", count, "must be between 1 and 10000")
    _check_frequency(frequency)
    if adjustment not in ADJUSTMENTS:
        close = get_close_matches(str(adjustment), ADJUSTMENTS, n=2)
        raise UnknownNameError("adjustment", adjustment, ADJUSTMENTS, close)
    if first_due_date is None:
        anchor, offset = begin, 1
    else:
        anchor, offset = check_date(first_due_date, "first_due_date"), 0
        if anchor <= begin:
            raise InvalidInputError(
                "first_due_date",
                anchor,
                f"must be after start ({begin.isoformat()})",
                "leave it out for a regular first period",
            )
    dates = list(_anchored(anchor, count, offset, frequency, end_of_month))
    if adjustment != "none":
        business = _business_test(holidays, weekend)  # a collection is checked and frozen once
        dates = [adjust(d, adjustment, _Calendar(business)) for d in dates]
    return tuple(dates)
