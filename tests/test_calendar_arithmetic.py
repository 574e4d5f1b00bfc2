"""loanmath._calendar, the one home of month arithmetic, against python-dateutil and the
standard library's calendar (independent implementations of the same Gregorian rules)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import example, given
from hypothesis import strategies as st

from loanmath._calendar import add_months, is_month_end, leap_days, month_length
from loanmath.errors import InvalidInputError

DATES = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))


@given(st.integers(1, 9999), st.integers(1, 12))
def test_month_length_is_the_calendars(year: int, month: int) -> None:
    assert month_length(year, month) == calendar.monthrange(year, month)[1]


@given(DATES)
@example(dt.date(2024, 2, 29))
@example(dt.date(2100, 2, 28))
def test_month_end_is_the_day_before_the_first(d: dt.date) -> None:
    following = d + dt.timedelta(days=1) if d < dt.date.max else None
    assert is_month_end(d) == (following is None or following.day == 1)


@given(DATES, st.integers(-1300, 1300))
@example(dt.date(2024, 1, 31), 1)
@example(dt.date(2024, 3, 31), -1)
def test_add_months_is_relativedelta(start: dt.date, months: int) -> None:
    try:
        expected = start + relativedelta(months=months)
    except (ValueError, OverflowError):
        with pytest.raises(InvalidInputError, match="outside the years 1 to 9999"):
            add_months(start, months)
        return
    assert add_months(start, months) == expected


@given(DATES, st.integers(0, 120), st.integers(1, 31))
def test_add_months_on_a_day_clips_to_the_month(start: dt.date, months: int, day: int) -> None:
    try:
        landed = start + relativedelta(months=months)
    except (ValueError, OverflowError):
        return
    expected = landed.replace(day=min(day, calendar.monthrange(landed.year, landed.month)[1]))
    assert add_months(start, months, day) == expected


@given(DATES, st.integers(0, 3000))
@example(dt.date(9999, 12, 30), 5)
def test_leap_days_count_the_29_februaries_one_day_at_a_time(start: dt.date, days: int) -> None:
    end = dt.date.fromordinal(min(start.toordinal() + days, dt.date.max.toordinal()))
    walk = (start + dt.timedelta(days=k) for k in range(1, (end - start).days + 1))
    assert leap_days(start, end) == sum(1 for d in walk if (d.month, d.day) == (2, 29))
