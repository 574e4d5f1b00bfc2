"""Payment dates counted from the anchor, the end-of-month rule, business-day adjustment."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st
from strategies import dates, frequencies

from loanmath.dates import (
    FREQUENCIES,
    adjust,
    is_business_day,
    nth_date,
    payment_dates,
    periods_per_year,
)
from loanmath.errors import (
    DateTypeError,
    InputTypeError,
    InvalidInputError,
    UnknownNameError,
)

D = dt.date


def test_jan_31_loan_is_due_at_each_month_end_without_drift() -> None:
    """The issue's example: opened Jan 31 -> due Feb 28/29, Mar 31, Apr 30 (not Mar 28)."""
    assert payment_dates(D(2023, 1, 31), 4) == (
        D(2023, 2, 28),
        D(2023, 3, 31),
        D(2023, 4, 30),
        D(2023, 5, 31),
    )
    assert payment_dates(D(2024, 1, 31), 2) == (D(2024, 2, 29), D(2024, 3, 31))


def test_end_of_month_rule_is_explicit() -> None:
    assert payment_dates(D(2024, 4, 30), 3) == (D(2024, 5, 30), D(2024, 6, 30), D(2024, 7, 30))
    assert payment_dates(D(2024, 4, 30), 3, end_of_month=True) == (
        D(2024, 5, 31),
        D(2024, 6, 30),
        D(2024, 7, 31),
    )
    assert payment_dates(D(2023, 2, 28), 2, end_of_month=True) == (D(2023, 3, 31), D(2023, 4, 30))
    # not a month end: the rule does not apply
    assert payment_dates(D(2024, 2, 28), 1, end_of_month=True) == (D(2024, 3, 28),)


def test_other_frequencies() -> None:
    start = D(2024, 1, 15)
    assert payment_dates(start, 2, "weekly") == (D(2024, 1, 22), D(2024, 1, 29))
    assert payment_dates(start, 2, "biweekly") == (D(2024, 1, 29), D(2024, 2, 12))
    assert payment_dates(start, 2, "quarterly") == (D(2024, 4, 15), D(2024, 7, 15))
    assert payment_dates(start, 2, "semiannual") == (D(2024, 7, 15), D(2025, 1, 15))
    assert payment_dates(start, 2, "annual") == (D(2025, 1, 15), D(2026, 1, 15))
    assert payment_dates(D(2024, 2, 29), 2, "annual") == (D(2025, 2, 28), D(2026, 2, 28))
    assert payment_dates(D(2024, 2, 29), 1, "annual", end_of_month=True) == (D(2025, 2, 28),)


def test_semimonthly_dates() -> None:
    assert payment_dates(D(2024, 1, 1), 4, "semimonthly") == (
        D(2024, 1, 16),
        D(2024, 2, 1),
        D(2024, 2, 16),
        D(2024, 3, 1),
    )
    assert payment_dates(D(2024, 1, 15), 4, "semimonthly") == (
        D(2024, 1, 30),
        D(2024, 2, 15),
        D(2024, 2, 29),
        D(2024, 3, 15),
    )
    assert payment_dates(D(2024, 4, 30), 3, "semimonthly", end_of_month=True) == (
        D(2024, 5, 15),
        D(2024, 5, 31),
        D(2024, 6, 15),
    )
    assert periods_per_year("semimonthly") == 24


def test_first_due_date_anchors_the_rest() -> None:
    assert payment_dates(D(2024, 1, 10), 3, first_due_date=D(2024, 2, 29)) == (
        D(2024, 2, 29),
        D(2024, 3, 29),
        D(2024, 4, 29),
    )
    assert payment_dates(D(2024, 1, 10), 3, first_due_date=D(2024, 2, 29), end_of_month=True) == (
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 30),
    )


@given(dates, st.integers(0, 480), frequencies, st.booleans())
def test_kth_date_is_anchor_plus_k_periods(
    anchor: dt.date, k: int, frequency: str, eom: bool
) -> None:
    """The property the issue names: the k-th date equals anchor + k periods under the rule."""
    got = nth_date(anchor, k, frequency, end_of_month=eom)
    months, days, _ = FREQUENCIES[frequency]
    month_end = anchor.day == calendar.monthrange(anchor.year, anchor.month)[1]
    if days:
        assert got == anchor + dt.timedelta(days=days * k)
    elif months:
        expected = anchor + relativedelta(months=months * k)
        if eom and month_end:
            expected = expected + relativedelta(day=31)
        assert got == expected
    elif not (eom and month_end):
        assert nth_date(anchor, 2 * k, frequency) == anchor + relativedelta(months=k)


@given(dates, st.integers(1, 240), frequencies, st.booleans())
def test_schedule_is_strictly_increasing_and_anchored(
    start: dt.date, count: int, frequency: str, eom: bool
) -> None:
    got = payment_dates(start, count, frequency, end_of_month=eom)
    assert len(got) == count
    assert all(a < b for a, b in itertools.pairwise(got))
    assert got[0] > start
    assert got == tuple(
        nth_date(start, k, frequency, end_of_month=eom) for k in range(1, count + 1)
    )


def test_business_day_adjustment() -> None:
    saturday = D(2024, 8, 31)
    assert adjust(saturday, "none") == saturday
    assert adjust(saturday, "following") == D(2024, 9, 2)
    assert adjust(saturday, "modified_following") == D(2024, 8, 30)
    assert adjust(saturday, "preceding") == D(2024, 8, 30)
    assert adjust(D(2024, 6, 1), "modified_preceding") == D(2024, 6, 3)
    assert adjust(D(2024, 8, 30), "following") == D(2024, 8, 30)


def test_holidays_as_a_set_or_a_callable() -> None:
    # China's National Day week 2024: Oct 1-7 off, Sat Oct 12 a make-up working day (调休)
    golden_week = {D(2024, 10, d) for d in range(1, 8)}
    assert adjust(D(2024, 10, 1), "following", golden_week) == D(2024, 10, 8)
    assert adjust(D(2024, 10, 1), "preceding", golden_week) == D(2024, 9, 30)

    def cn_2024(day: dt.date) -> bool:
        if day == D(2024, 10, 12):
            return False
        return day in golden_week or day.weekday() >= 5

    assert adjust(D(2024, 10, 12), "following", cn_2024, weekend=()) == D(2024, 10, 12)
    assert is_business_day(D(2024, 10, 12), cn_2024, weekend=())
    dates_ = payment_dates(D(2024, 8, 1), 3, adjustment="following", holidays=golden_week)
    assert dates_ == (D(2024, 9, 2), D(2024, 10, 8), D(2024, 11, 1))


def test_adjustment_never_shifts_the_anchor_schedule() -> None:
    # Aug 31 2024 is a Saturday; the next date is still Sep 30, not Oct 2
    got = payment_dates(D(2024, 7, 31), 2, adjustment="modified_following")
    assert got == (D(2024, 8, 30), D(2024, 9, 30))


def test_bad_input() -> None:
    with pytest.raises(UnknownNameError) as info:
        payment_dates(D(2024, 1, 1), 3, "montly")
    assert info.value.field == "frequency"
    assert "monthly" in info.value.suggestions
    assert "fortnightly" not in info.value.choices
    with pytest.raises(UnknownNameError, match="convention"):
        adjust(D(2024, 1, 1), "next")
    with pytest.raises(DateTypeError, match="start"):
        payment_dates("2024-01-01", 3)  # type: ignore[arg-type]
    with pytest.raises(DateTypeError, match="start"):
        payment_dates(dt.datetime(2024, 1, 1, 9, 30), 3)  # a time of day (midnight is a date)
    with pytest.raises(InvalidInputError, match="count") as count_info:
        payment_dates(D(2024, 1, 1), 0)
    assert count_info.value.field == "count"
    with pytest.raises(InputTypeError, match="count"):
        payment_dates(D(2024, 1, 1), 3.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="first_due_date"):
        payment_dates(D(2024, 1, 10), 3, first_due_date=D(2024, 1, 10))
    with pytest.raises(InputTypeError, match="holidays"):
        adjust(D(2024, 1, 6), "following", "2024-01-08")  # type: ignore[arg-type]
    with pytest.raises(DateTypeError, match="holidays"):
        adjust(D(2024, 1, 6), "following", {"2024-01-08"})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="no business day"):
        adjust(D(2024, 1, 6), "following", lambda _d: True)
