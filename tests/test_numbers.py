"""D(), the library context and integer rounding (loanmath._decimal)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loanmath import CONTEXT, D, library_context
from loanmath._decimal import EXACT, MAX_DIGITS, MAX_EXPONENT, div_round, is_plain, to_fraction
from loanmath.errors import (
    FloatMoneyError,
    InputTypeError,
    InvalidInputError,
    LoanMathError,
    NonFiniteError,
    UnknownNameError,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.50", "12.50"),
        (7, "7"),
        (Decimal("0.10"), "0.10"),
        ("-0", "0"),
        ("1E+3", "1E+3"),
        (np.int64(5), "5"),
        (" 3.5 ", "3.5"),
    ],
)
def test_d_accepts_exact_inputs_unchanged(value: object, expected: str) -> None:
    result = D(value)
    assert type(result) is Decimal
    assert str(result) == expected


def test_d_refuses_float_naming_the_field() -> None:
    with pytest.raises(FloatMoneyError) as info:
        D(0.1, "principal")
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, LoanMathError)
    assert info.value.field == "principal"
    assert "principal=0.1" in str(info.value)
    assert "Decimal('0.1')" in str(info.value)


def test_d_refuses_numpy_float() -> None:
    with pytest.raises(FloatMoneyError):
        D(np.float64(1.5))


@pytest.mark.parametrize(
    "value", ["NaN", "sNaN", "Infinity", "-Inf", Decimal("NaN"), Decimal("-Infinity")]
)
def test_d_refuses_non_finite(value: object) -> None:
    with pytest.raises(NonFiniteError) as info:
        D(value, "amount")
    assert isinstance(info.value, ValueError)
    assert info.value.field == "amount"
    assert "finite" in str(info.value)


@pytest.mark.parametrize("value", [True, Fraction(1, 3), None, [1], b"1"])
def test_d_refuses_other_types(value: object) -> None:
    with pytest.raises(InputTypeError) as info:
        D(value, "amount")
    assert info.value.field == "amount"
    assert isinstance(info.value, TypeError)


def test_d_refuses_malformed_strings_and_hints_at_percent() -> None:
    with pytest.raises(InvalidInputError, match="not a decimal number"):
        D("1,000.00", "principal")
    with pytest.raises(InvalidInputError, match="rates are fractions"):
        D("12%", "annual_rate")


def test_library_context_is_fixed_and_traps() -> None:
    assert CONTEXT.prec == 50
    assert CONTEXT.rounding == decimal.ROUND_HALF_EVEN
    assert CONTEXT.traps[decimal.InvalidOperation]
    assert CONTEXT.traps[decimal.DivisionByZero]
    with pytest.raises(decimal.DivisionByZero), library_context():
        Decimal(1) / Decimal(0)


def test_library_context_does_not_touch_the_callers() -> None:
    with decimal.localcontext() as caller:
        caller.prec = 3
        with library_context() as ctx:
            assert ctx.prec == 50
        assert decimal.getcontext().prec == 3


def test_exact_context_refuses_to_round() -> None:
    with pytest.raises(decimal.Inexact):
        EXACT.divide(Decimal(1), Decimal(3))


@pytest.mark.parametrize(
    ("n", "d", "half_up", "half_even", "down", "up"),
    [
        (5, 2, 3, 2, 2, 3),
        (7, 2, 4, 4, 3, 4),
        (-5, 2, -3, -2, -2, -3),
        (1, 3, 0, 0, 0, 1),
        (2, 3, 1, 1, 0, 1),
        (-2, 3, -1, -1, 0, -1),
        (6, 3, 2, 2, 2, 2),
        (5, -2, -3, -2, -2, -3),
        (0, 7, 0, 0, 0, 0),
    ],
)
def test_div_round_table(n: int, d: int, half_up: int, half_even: int, down: int, up: int) -> None:
    assert div_round(n, d, "half_up") == half_up
    assert div_round(n, d, "half_even") == half_even
    assert div_round(n, d, "down") == down
    assert div_round(n, d, "up") == up


@given(
    st.integers(-(10**30), 10**30),
    st.integers(1, 10**12),
    st.sampled_from(["half_up", "half_even", "down", "up"]),
)
def test_div_round_agrees_with_decimal_quantize(n: int, d: int, mode: str) -> None:
    """Oracle: Decimal division at 100 digits then quantize, which is exact for these sizes
    because a terminating quotient fits and a non-terminating one cannot sit on a tie."""
    modes = {
        "half_up": decimal.ROUND_HALF_UP,
        "half_even": decimal.ROUND_HALF_EVEN,
        "down": decimal.ROUND_DOWN,
        "up": decimal.ROUND_UP,
    }
    ctx = decimal.Context(prec=100, rounding=decimal.ROUND_DOWN)
    q = ctx.divide(Decimal(n), Decimal(d))
    exact_tail = ctx.multiply(q, Decimal(d)) == Decimal(n)
    if not exact_tail:
        # make a non-terminating quotient break ties correctly: nudge away from the tie
        q = ctx.add(q, Decimal((0 if n >= 0 else 1, (1,), -90)))
    expected = int(q.quantize(Decimal(1), rounding=modes[mode], context=ctx))
    assert div_round(n, d, mode) == expected


@given(st.integers(-(10**20), 10**20), st.integers(1, 10**9))
def test_div_round_is_within_one_and_brackets_the_value(n: int, d: int) -> None:
    down, up = div_round(n, d, "down"), div_round(n, d, "up")
    assert abs(up - down) <= 1
    assert min(down, up) <= Fraction(n, d) <= max(down, up)


def test_div_round_errors() -> None:
    with pytest.raises(UnknownNameError) as info:
        div_round(1, 2, "half_upp")
    assert info.value.suggestions[0] == "half_up"
    with pytest.raises(InvalidInputError, match="denominator"):
        div_round(1, 0, "half_up")


def test_to_fraction_is_exact() -> None:
    assert to_fraction(Decimal("0.1")) == Fraction(1, 10)
    assert to_fraction(Decimal("-1.25E+3")) == Fraction(-1250)
    assert to_fraction(3) == Fraction(3)


def _d_keeps(value: object) -> bool:
    """The reference for is_plain: D accepts `value` and hands back the very object, and it
    is not zero. Written from D's documented contract, not from is_plain."""
    try:
        return D(value) is value and value != 0
    except LoanMathError:
        return False


@given(
    st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True),
        st.builds(
            Decimal,
            st.tuples(
                st.integers(0, 1),
                st.lists(st.integers(0, 9), min_size=1, max_size=MAX_DIGITS + 3).map(tuple),
                st.integers(-MAX_EXPONENT - 150, MAX_EXPONENT + 50),
            ),
        ),
        st.sampled_from(["133.79", 7, Decimal("-0"), Decimal("sNaN"), 1.5, None]),
    )
)
def test_is_plain_is_exactly_what_d_returns_unchanged(value: object) -> None:
    """The fast test in the APR loops accepts a value exactly when D would return it as is:
    at the digit limit (its text longer than MAX_DIGITS with few digits, or more digits than
    MAX_DIGITS), at the magnitude limits, zeros, NaNs and non-Decimals."""
    assert is_plain(value) == _d_keeps(value)


def test_is_plain_edges() -> None:
    half = "1" * (MAX_DIGITS // 2)
    assert is_plain(Decimal(f"{half}.{half}"))  # its text is one longer than MAX_DIGITS
    assert is_plain(Decimal(f"-{half}{half}"))  # so is this one's
    assert not is_plain(Decimal(f"{half}.{half}1"))
    assert is_plain(Decimal("1" * MAX_DIGITS))
    assert not is_plain(Decimal("1" * (MAX_DIGITS + 1)))
    assert not is_plain(Decimal(1).scaleb(MAX_EXPONENT + 1))
    assert is_plain(Decimal(1).scaleb(-MAX_EXPONENT))
    assert not is_plain(Decimal("-0.00"))


@pytest.mark.parametrize("value", [10**MAX_DIGITS, -(10**200), np.int64(7) * 0 + 10**18])
def test_d_holds_integers_to_the_digit_limit(value: object) -> None:
    """An int gets the same limits as a Decimal or a str (a plain int once skipped them)."""
    if abs(int(value)) < 10**MAX_DIGITS:  # type: ignore[call-overload]
        assert D(value) == int(value)  # type: ignore[call-overload]
    else:
        with pytest.raises(InvalidInputError, match="beyond the numbers loanmath takes"):
            D(value)
    assert D(10**MAX_DIGITS - 1) == 10**MAX_DIGITS - 1
