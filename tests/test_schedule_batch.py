"""Batch schedules give the same units as the scalar path, row for row (property test)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import rounding_modes

from loanmath import LoanTerms, Money, Rounding
from loanmath.errors import InvalidInputError, UnknownNameError
from loanmath.schedules.batch import batch_schedules


@st.composite
def portfolios(draw: st.DrawFn) -> tuple[list[int], list[str], list[int]]:
    size = draw(st.integers(1, 8))
    principals = draw(
        st.lists(
            st.one_of(st.integers(1, 10**9), st.integers(10**13, 10**17)),
            min_size=size,
            max_size=size,
        )
    )
    rates = [str(Decimal(draw(st.integers(0, 5_000_000))).scaleb(-7)) for _ in range(size)]
    terms = draw(st.lists(st.integers(1, 120), min_size=size, max_size=size))
    return principals, rates, terms


@settings(max_examples=150)
@given(portfolios(), st.sampled_from(["annuity", "equal_principal"]), rounding_modes)
def test_batch_equals_scalar_row_for_row(
    portfolio: tuple[list[int], list[str], list[int]], method: str, mode: str
) -> None:
    principals, rates, terms = portfolio
    try:
        batch = batch_schedules(principals, rates, terms, method=method, mode=mode)
    except InvalidInputError as error:
        assert method == "equal_principal"
        assert "negative last principal part" in str(error)  # noqa: PT017
        return
    for i, (units, rate, term) in enumerate(zip(principals, rates, terms, strict=True)):
        scalar = LoanTerms(
            Money(Decimal(units).scaleb(-2), "CNY"),
            rate,
            term,
            method=method,
            start_date=dt.date(2024, 1, 31),
            rounding=Rounding(mode),
        ).schedule
        assert list(batch.principal[i, :term]) == list(scalar.principal_units)
        assert list(batch.interest[i, :term]) == list(scalar.interest_units)
        assert list(batch.balance[i, :term]) == list(scalar.balance_units)
        assert not batch.principal[i, term:].any()


def test_large_balances_take_the_split_path() -> None:
    """10^16 cents at 49.99999 %: B × rate overflows int64, the split division stays exact."""
    batch = batch_schedules([10**16], ["0.4999999"], [3])
    scalar = LoanTerms(
        Money(Decimal(10**16).scaleb(-2), "CNY"), "0.4999999", 3, start_date=dt.date(2024, 1, 1)
    ).schedule
    assert list(batch.interest[0]) == list(scalar.interest_units)


def test_bad_input_names_the_loan() -> None:
    with pytest.raises(InvalidInputError, match=r"annual_rates\[1\]"):
        batch_schedules([100, 100], ["0.1", "0.123456789"], [3, 3])
    with pytest.raises(InvalidInputError, match=r"terms\[0\]"):
        batch_schedules([100], ["0.1"], [481])
    with pytest.raises(InvalidInputError, match=r"principal_units\[0\]"):
        batch_schedules([0], ["0.1"], [3])
    with pytest.raises(InvalidInputError, match="one length"):
        batch_schedules([100, 200], ["0.1"], [3, 3])
    with pytest.raises(UnknownNameError):
        batch_schedules([100], ["0.1"], [3], method="flat")
    with pytest.raises(InvalidInputError, match="negative last principal part"):
        batch_schedules([5], ["0.1"], [480], method="equal_principal", mode="up")
    assert batch_schedules(np.array([100]), ["0"], [1]).payment[0] == 100


def test_doubling_in_half_up_rounding_cannot_overflow() -> None:
    """Found by hypothesis: B·rate fit int64 but 2·B·rate (the half-up step) did not."""
    principals, rates, terms = [1, 36_582_391_489_711], ["0.0000001", "0.4999999"], [3, 36]
    batch = batch_schedules(principals, rates, terms)
    scalar = LoanTerms(
        Money(Decimal(principals[1]).scaleb(-2), "CNY"),
        rates[1],
        36,
        start_date=dt.date(2024, 1, 31),
    ).schedule
    assert list(batch.interest[1]) == list(scalar.interest_units)
