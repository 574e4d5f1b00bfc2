"""Month arithmetic, once: month lengths, month ends, whole months added with the day clipped,
and 29 Februaries in a span. Used by ``dates``, ``daycount``, ``apr`` and ``schedules``.

Standard library only (the proleptic Gregorian calendar of ``datetime``). Adding months is
``relativedelta(months=n)`` of python-dateutil (the tests hold it to that), computed directly
because it sits in every schedule's inner loop.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from typing import Final

from loanmath.errors import InvalidInputError

__all__ = ["add_months", "is_month_end", "leap_days", "month_length"]

_DAYS_IN_MONTH: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def month_length(year: int, month: int) -> int:
    """Days in `month` of `year` (February: 29 in a Gregorian leap year).

    Examples
    --------
    >>> month_length(2024, 2), month_length(2100, 2), month_length(2023, 12)
    (29, 28, 31)
    """
    if month == 2 and calendar.isleap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def is_month_end(d: _dt.date) -> bool:
    """Whether `d` is the last day of its month.

    Examples
    --------
    >>> is_month_end(_dt.date(2024, 2, 29)), is_month_end(_dt.date(2023, 2, 28))
    (True, True)
    """
    return d.day >= 28 and d.day == month_length(d.year, d.month)


def add_months(start: _dt.date, months: int, day: int | None = None) -> _dt.date:
    """`start` moved by whole `months` (any sign), on `day` (default: `start`'s day) clipped to
    the month's length.

    Raises
    ------
    InvalidInputError
        If the month reached falls outside the years 1 to 9999.

    Notes
    -----
    With the default day this is ``start + relativedelta(months=months)``: Jan 31 + 1 month
    is Feb 28 (29 in a leap year).

    Examples
    --------
    >>> add_months(_dt.date(2024, 1, 31), 1), add_months(_dt.date(2024, 3, 31), -1)
    (datetime.date(2024, 2, 29), datetime.date(2024, 2, 29))
    >>> add_months(_dt.date(2024, 2, 29), 1, day=31)
    datetime.date(2024, 3, 31)
    """
    years, month0 = divmod(start.month - 1 + months, 12)
    year = start.year + years
    if not _dt.MINYEAR <= year <= _dt.MAXYEAR:
        raise InvalidInputError(
            "date", start, f"moved by {months} months falls outside the years 1 to 9999",
            "use dates well inside the calendar",
        )  # fmt: skip
    wanted = start.day if day is None else day
    if wanted <= 28:
        return _dt.date(year, month0 + 1, wanted)
    return _dt.date(year, month0 + 1, min(wanted, month_length(year, month0 + 1)))


def leap_days(start: _dt.date, end: _dt.date) -> int:
    """How many 29 Februaries fall in the half-open span ``(start, end]``.

    Examples
    --------
    >>> leap_days(_dt.date(2023, 3, 1), _dt.date(2024, 2, 29))
    1
    >>> leap_days(_dt.date(2024, 2, 29), _dt.date(2028, 2, 28))
    0
    """
    count = 0
    for year in range(start.year, end.year + 1):
        if calendar.isleap(year) and start < _dt.date(year, 2, 29) <= end:
            count += 1
    return count
