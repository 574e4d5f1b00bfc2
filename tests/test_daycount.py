"""Day counts: properties, an independent oracle (pyxirr), registry and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
import pyxirr
from hypothesis import given
from hypothesis import strategies as st
from strategies import conventions, dates, ordered_dates

from loanmath.daycount import (
    DayCountConvention,
    convention_names,
    day_count,
    get_convention,
    register,
    year_fraction,
    year_fraction_exact,
)
from loanmath.errors import DateOrderError, DateTypeError, InvalidInputError, UnknownNameError

ALL = (
    "ACT/365F",
    "ACT/360",
    "ACT/ACT-ISDA",
    "ACT/ACT-AFB",
    "30/360-US",
    "30/360-BOND",
    "30E/360",
    "30E/360-ISDA",
    "NL/365",
)

# our name -> pyxirr.DayCount member with the same definition (checked on the golden cases)
PYXIRR = {
    "ACT/365F": pyxirr.DayCount.ACT_365F,
    "ACT/360": pyxirr.DayCount.ACT_360,
    "ACT/ACT-ISDA": pyxirr.DayCount.ACT_ACT_ISDA,
    "NL/365": pyxirr.DayCount.NL_365,
    "30/360-BOND": pyxirr.DayCount.THIRTY_360_ISDA,
    "30E/360": pyxirr.DayCount.THIRTY_E_360,
    "30E/360-ISDA": pyxirr.DayCount.THIRTY_E_360_ISDA,
    "30/360-US": pyxirr.DayCount.THIRTY_U_360,
}


def test_all_api_names_are_registered() -> None:
    assert convention_names()[: len(ALL)] == ALL


@pytest.mark.parametrize("name", ALL)
def test_names_are_case_insensitive(name: str) -> None:
    assert get_convention(name.lower()) is get_convention(name)


@given(st.sampled_from(sorted(PYXIRR)), ordered_dates())
def test_days_agree_with_pyxirr(name: str, pair: list[dt.date]) -> None:
    start, end = pair
    if name == "NL/365" and (start.month, start.day) == (2, 29):
        # pyxirr also drops a 29 February *start* date; we follow ISO 20022 A014 / Strata
        # ("exclusive-inclusive": start excluded, end included) — see the golden
        # 2012-02-29 -> 2012-03-28 = 28 days in test_daycount_golden.py.
        assert day_count(start, end, name) == pyxirr.days_between(start, end, PYXIRR[name]) + 1
        return
    assert day_count(start, end, name) == pyxirr.days_between(start, end, PYXIRR[name])


@given(conventions, ordered_dates())
def test_never_negative_for_ordered_dates(name: str, pair: list[dt.date]) -> None:
    start, end = pair
    assert year_fraction_exact(start, end, name) >= 0
    assert day_count(start, end, name) >= 0


@given(conventions, dates)
def test_zero_for_equal_dates(name: str, day: dt.date) -> None:
    assert year_fraction(day, day, name) == 0


@given(st.sampled_from(["ACT/365F", "ACT/360", "ACT/ACT-ISDA", "NL/365"]), ordered_dates(3))
def test_additive_conventions_add_up_exactly(name: str, triple: list[dt.date]) -> None:
    a, b, c = triple
    assert year_fraction_exact(a, c, name) == (
        year_fraction_exact(a, b, name) + year_fraction_exact(b, c, name)
    )
    assert get_convention(name).additive


@given(conventions, ordered_dates())
def test_decimal_is_the_exact_fraction_correctly_rounded(name: str, pair: list[dt.date]) -> None:
    start, end = pair
    exact = year_fraction_exact(start, end, name)
    got = year_fraction(start, end, name)
    assert len(got.as_tuple().digits) <= 50
    # half an ulp at 50 significant digits
    error = abs(Fraction(got) - exact)
    assert error <= Fraction(1, 2) * Fraction(10) ** (got.adjusted() - 49)


@given(ordered_dates())
def test_act_act_isda_of_whole_calendar_years_is_whole(pair: list[dt.date]) -> None:
    start = dt.date(pair[0].year, 1, 1)
    end = dt.date(pair[1].year, 1, 1)
    assert year_fraction_exact(start, end, "ACT/ACT-ISDA") == end.year - start.year


@given(ordered_dates())
def test_afb_counts_whole_years_back_from_the_end(pair: list[dt.date]) -> None:
    start, end = pair
    fraction = year_fraction_exact(start, end, "ACT/ACT-AFB")
    assert 0 <= fraction - int(fraction) < 1
    assert int(fraction) <= end.year - start.year


def test_end_before_start_names_the_field() -> None:
    with pytest.raises(DateOrderError) as info:
        year_fraction(dt.date(2024, 3, 1), dt.date(2024, 2, 1), "ACT/360")
    assert info.value.field == "end"
    assert "2024-03-01" in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("bad", ["2024-01-01", dt.datetime(2024, 1, 1, 12), 20240101, None])
def test_non_dates_are_refused(bad: object) -> None:
    with pytest.raises(DateTypeError) as info:
        year_fraction(bad, dt.date(2024, 2, 1), "ACT/360")  # type: ignore[arg-type]
    assert info.value.field == "start"
    assert isinstance(info.value, TypeError)
    if bad is None:
        return  # no termination date is a valid choice
    with pytest.raises(DateTypeError, match="termination_date"):
        day_count(dt.date(2024, 1, 1), dt.date(2024, 2, 1), "30E/360-ISDA", termination_date=bad)  # type: ignore[arg-type]


def test_unknown_convention_lists_the_valid_names_and_suggests() -> None:
    with pytest.raises(UnknownNameError) as info:
        year_fraction(dt.date(2024, 1, 1), dt.date(2024, 2, 1), "ACT/365")
    error = info.value
    assert error.field == "convention"
    assert set(ALL) <= set(error.choices)
    assert "ACT/365F" in error.suggestions
    assert "ACT/365F" in str(error)
    assert "30E/360-ISDA" in str(error)
    with pytest.raises(UnknownNameError, match="30/360-US"):
        get_convention("30/360")  # ambiguous: US or Bond basis — we make the caller choose
    with pytest.raises(UnknownNameError):
        get_convention(365)  # type: ignore[arg-type]


def test_register_a_custom_convention_and_refuse_a_clash() -> None:
    class Business252(DayCountConvention):
        name = "BUS/252-TEST"

        def fraction(
            self, start: dt.date, end: dt.date, termination_date: dt.date | None
        ) -> Fraction:
            business = sum(
                1 for k in range((end - start).days) if (start + dt.timedelta(days=k)).weekday() < 5
            )
            return Fraction(business, 252)

    register(Business252())
    got = year_fraction_exact(dt.date(2024, 1, 1), dt.date(2024, 1, 8), "bus/252-test")
    assert got == Fraction(5, 252)

    class Impostor(DayCountConvention):
        name = "ACT/360"

        def fraction(
            self, start: dt.date, end: dt.date, termination_date: dt.date | None
        ) -> Fraction:
            return Fraction(0)

    with pytest.raises(InvalidInputError, match="already registered"):
        register(Impostor())
    assert year_fraction(dt.date(2024, 1, 1), dt.date(2024, 1, 10), "ACT/360") == Decimal("0.025")
