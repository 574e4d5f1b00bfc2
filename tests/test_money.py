"""Money, currencies, the Rounding policy and exact allocation (loanmath.money)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import currencies, decimals, rounding_modes, weights

from loanmath import Money, Rounding, allocate, minor_unit, minor_unit_quantum
from loanmath.errors import (
    CurrencyMismatchError,
    FloatMoneyError,
    InexactError,
    InputTypeError,
    InvalidInputError,
    NonFiniteError,
    UnknownNameError,
)

DECIMAL_MODES = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,
    "up": decimal.ROUND_UP,
}


# --- currencies ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "digits"),
    [
        ("CNY", 2),
        ("JPY", 0),
        ("KWD", 3),
        ("USD", 2),
        ("EUR", 2),
        ("BHD", 3),
        ("KRW", 0),
        ("CLF", 4),
    ],
)
def test_minor_units_from_iso_4217(code: str, digits: int) -> None:
    """ISO 4217 minor units (the standard's table: CNY 2, JPY 0, KWD 3, BHD 3, KRW 0, CLF 4)."""
    assert minor_unit(code) == digits
    assert minor_unit_quantum(code) == Decimal(1).scaleb(-digits)


@pytest.mark.parametrize(
    ("bad", "suggestion"),
    [("RMB", "CNY"), ("cny", "CNY"), ("USDD", "USD"), ("CYN", "CNY"), ("yen", "JPY")],
)
def test_unknown_currency_suggests_close_codes(bad: str, suggestion: str) -> None:
    with pytest.raises(UnknownNameError) as info:
        Money("1", bad)
    assert info.value.field == "currency"
    assert info.value.value == bad
    assert suggestion in info.value.suggestions
    assert f"currency={bad!r}" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_currency_must_be_a_string() -> None:
    with pytest.raises(UnknownNameError):
        Money("1", 156)  # type: ignore[arg-type]


# --- Money ---------------------------------------------------------------------------------


def test_money_is_frozen_and_exact() -> None:
    price = Money("12.50", "CNY")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        price.amount = Decimal(1)  # type: ignore[misc]
    assert price.amount == Decimal("12.50")
    assert str(price.amount) == "12.50"
    assert repr(price) == "Money('12.50', 'CNY')"
    assert str(price) == "12.50 CNY"
    assert Money(3, "JPY").amount == 3
    assert Money(Decimal("1.10"), "USD") == Money("1.1", "USD")
    assert hash(Money(Decimal("1.10"), "USD")) == hash(Money("1.1", "USD"))
    assert Money("1", "USD") != Money("1", "EUR")


def test_float_money_raises_type_error() -> None:
    """ARCHITECTURE invariant 1: Money(1.1, "CNY") raises TypeError."""
    with pytest.raises(TypeError):
        Money(1.1, "CNY")  # type: ignore[arg-type]
    with pytest.raises(FloatMoneyError) as info:
        Money(1.1, "CNY")  # type: ignore[arg-type]
    assert info.value.field == "amount"
    with pytest.raises(FloatMoneyError):
        Money("1", "CNY") * 1.5  # type: ignore[operator]


@pytest.mark.parametrize("bad", ["NaN", "Infinity", Decimal("-Inf"), Decimal("sNaN")])
def test_non_finite_money_raises(bad: object) -> None:
    with pytest.raises(NonFiniteError) as info:
        Money(bad, "CNY")  # type: ignore[arg-type]
    assert info.value.field == "amount"


def test_arithmetic_within_one_currency() -> None:
    a, b = Money("10.10", "CNY"), Money("0.90", "CNY")
    assert a + b == Money("11.00", "CNY")
    assert a - b == Money("9.20", "CNY")
    assert -a == Money("-10.10", "CNY")
    assert abs(-a) == a
    assert +a is a
    assert a * 3 == Money("30.30", "CNY")
    assert 3 * a == Money("30.30", "CNY")
    assert a * "0.5" == Money("5.05", "CNY")
    assert a / 2 == Money("5.05", "CNY")
    assert b < a
    assert a > b
    assert a >= Money("10.10", "CNY")
    assert b <= Money("0.90", "CNY")
    assert not Money.zero("CNY")
    assert Money.zero("JPY") == Money(0, "JPY")


def test_mixing_currencies_raises() -> None:
    a, b = Money("1", "CNY"), Money("1", "USD")
    for operation in (lambda: a + b, lambda: a - b, lambda: a < b, lambda: a >= b):
        with pytest.raises(CurrencyMismatchError, match="CNY and USD"):
            operation()


def test_only_plain_numbers_multiply_and_divide() -> None:
    a = Money("1", "CNY")
    with pytest.raises(InputTypeError):
        a * a  # type: ignore[operator]
    with pytest.raises(InputTypeError):
        a + 1  # type: ignore[operator]
    with pytest.raises(InvalidInputError, match="divisor"):
        a / 0


def test_inexact_division_raises_instead_of_rounding() -> None:
    with pytest.raises(InexactError) as info:
        Money("100.00", "CNY") / 3
    assert "allocate" in str(info.value)


@given(st.lists(decimals(), min_size=1, max_size=30), currencies)
def test_addition_is_exact_and_order_free(amounts: list[Decimal], currency: str) -> None:
    forward = sum((Money(a, currency) for a in amounts), Money.zero(currency))
    backward = sum((Money(a, currency) for a in reversed(amounts)), Money.zero(currency))
    assert forward == backward
    assert Fraction(forward.amount) == sum(Fraction(a) for a in amounts)


# --- Rounding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "mode", "expected"),
    [
        ("2.675", "half_up", "2.68"),
        ("2.665", "half_even", "2.66"),
        ("2.675", "half_even", "2.68"),
        ("-2.675", "half_up", "-2.68"),
        ("2.679", "down", "2.67"),
        ("-2.671", "up", "-2.68"),
        ("2.67", "up", "2.67"),
        ("0.005", "half_up", "0.01"),
        ("0.005", "half_even", "0.00"),
    ],
)
def test_rounding_modes_on_ties(value: str, mode: str, expected: str) -> None:
    """round(2.675, 2) is 2.67 with floats; the exact half-up rule gives 2.68."""
    result = Rounding(mode).round(Decimal(value), "CNY")
    assert str(result) == expected


def test_rounding_uses_the_currencys_minor_unit() -> None:
    assert Rounding().round(Decimal("1234.5"), "JPY") == Decimal("1235")
    assert str(Rounding().round(Decimal("1.23456"), "KWD")) == "1.235"


def test_rounding_to_other_quanta() -> None:
    whole_yuan = Rounding("half_up", quantum=Decimal("1"))
    assert whole_yuan.round(Decimal("1999.50"), "CNY") == Decimal("2000")
    swiss = Rounding(quantum="0.05")
    assert swiss.round(Decimal("10.024"), "CHF") == Decimal("10.00")
    assert swiss.round(Decimal("10.025"), "CHF") == Decimal("10.05")
    assert swiss.round(Decimal("10.075"), "CHF") == Decimal("10.10")
    assert Rounding("half_even", quantum="0.05").round(Decimal("10.075"), "CHF") == Decimal("10.10")
    assert Rounding("half_even", quantum="0.05").round(Decimal("10.025"), "CHF") == Decimal("10.00")


def test_rounding_a_fraction_is_rounding_the_exact_value() -> None:
    # 10,000 * 4.35 % * 31 / 360 = 37.458333... exactly
    interest = Fraction(10_000) * Fraction(435, 10_000) * Fraction(31, 360)
    assert Rounding().round(interest, "CNY") == Decimal("37.46")
    assert Rounding("down").round(interest, "CNY") == Decimal("37.45")
    assert Rounding().round_money(interest, "CNY") == Money("37.46", "CNY")


def test_rounding_bad_input() -> None:
    with pytest.raises(UnknownNameError) as info:
        Rounding("half-up")
    assert info.value.field == "mode"
    assert "half_up" in info.value.suggestions
    with pytest.raises(InvalidInputError, match="quantum"):
        Rounding(quantum=Decimal(0))
    with pytest.raises(InvalidInputError, match="quantum"):
        Rounding(quantum="-0.01")
    with pytest.raises(FloatMoneyError):
        Rounding(quantum=0.01)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="currency"):
        Rounding().round(Decimal("1.005"))
    with pytest.raises(FloatMoneyError):
        Rounding().round(1.005, "CNY")  # type: ignore[arg-type]


@given(decimals(max_digits=20, max_places=8), rounding_modes, currencies)
def test_rounding_matches_decimal_quantize(value: Decimal, mode: str, currency: str) -> None:
    """Oracle: the decimal module's quantize in a wide context (exact for these sizes)."""
    quantum = minor_unit_quantum(currency)
    ctx = decimal.Context(prec=60)
    expected = value.quantize(quantum, rounding=DECIMAL_MODES[mode], context=ctx)
    assert Rounding(mode).round(value, currency) == expected


@given(
    decimals(max_digits=20, max_places=8),
    rounding_modes,
    st.sampled_from(["0.05", "0.25", "5", "0.3", "1000"]),
)
def test_rounding_to_any_quantum_is_a_nearby_multiple(
    value: Decimal, mode: str, quantum_text: str
) -> None:
    quantum = Decimal(quantum_text)
    result = Rounding(mode, quantum=quantum).round(value)
    units = Fraction(result) / Fraction(quantum)
    assert units.denominator == 1
    error = abs(Fraction(result) - Fraction(value))
    assert error < Fraction(quantum)
    if mode.startswith("half"):
        assert error <= Fraction(quantum) / 2
    if mode == "down":
        assert abs(result) <= abs(value)
    if mode == "up":
        assert abs(result) >= abs(value)


# --- allocation ----------------------------------------------------------------------------


def test_allocation_examples() -> None:
    assert Money("100.00", "CNY").allocate([1, 1, 1]) == (
        Money("33.34", "CNY"),
        Money("33.33", "CNY"),
        Money("33.33", "CNY"),
    )
    assert Money("-100.00", "CNY").allocate([1, 1, 1]) == (
        Money("-33.34", "CNY"),
        Money("-33.33", "CNY"),
        Money("-33.33", "CNY"),
    )
    assert Money("5", "JPY").allocate([0, 1]) == (Money(0, "JPY"), Money(5, "JPY"))
    # largest remainder, not "first gets the rest": 0.07 by 1:2:4 -> exact shares .01, .02, .04
    assert allocate(Decimal("0.07"), [1, 2, 4], Decimal("0.01")) == (
        Decimal("0.01"),
        Decimal("0.02"),
        Decimal("0.04"),
    )
    # 10 by 0.45/0.45/0.1 = 4.5, 4.5, 1 -> the tie goes to the earlier part
    assert allocate(10, ["0.45", "0.45", "0.1"], 1) == (Decimal(5), Decimal(4), Decimal(1))
    assert Money("1.00", "CHF").allocate([1, 1, 1], quantum=Decimal("0.05")) == (
        Money("0.35", "CHF"),
        Money("0.35", "CHF"),
        Money("0.30", "CHF"),
    )


@given(st.integers(-(10**15), 10**15), currencies, weights)
def test_allocation_parts_sum_to_the_whole(units: int, currency: str, ws: list[object]) -> None:
    quantum = minor_unit_quantum(currency)
    total = units * quantum
    parts = allocate(total, ws, quantum)  # type: ignore[arg-type]
    assert len(parts) == len(ws)
    assert sum(parts, Decimal(0)) == total
    weight_sum = sum(Fraction(w) for w in ws)  # type: ignore[arg-type]
    for part, w in zip(parts, ws, strict=False):
        assert (Fraction(part) / Fraction(quantum)).denominator == 1
        share = Fraction(total) * Fraction(w) / weight_sum  # type: ignore[arg-type]
        assert abs(Fraction(part) - share) < Fraction(quantum)
        if w == 0:
            assert part == 0


def test_allocation_bad_input() -> None:
    with pytest.raises(InvalidInputError, match="must not be empty"):
        allocate(Decimal("1.00"), [], Decimal("0.01"))
    with pytest.raises(InvalidInputError, match=r"weights\[1\]"):
        allocate(Decimal("1.00"), [1, -1], Decimal("0.01"))
    with pytest.raises(InvalidInputError, match="must not all be zero"):
        allocate(Decimal("1.00"), [0, 0], Decimal("0.01"))
    with pytest.raises(InvalidInputError, match="not a multiple of the quantum"):
        allocate(Decimal("1.005"), [1, 1], Decimal("0.01"))
    with pytest.raises(FloatMoneyError):
        allocate(Decimal("1.00"), [0.5, 0.5], Decimal("0.01"))  # type: ignore[list-item]
    with pytest.raises(InvalidInputError, match="quantum"):
        allocate(Decimal("1.00"), [1], Decimal("0"))


def _terminates(value: Fraction) -> bool:
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


@given(decimals(max_digits=12, max_places=4), st.integers(1, 9))
def test_division_is_exact_or_raises(value: Decimal, divisor: int) -> None:
    exact = Fraction(value) / divisor
    if _terminates(exact):
        assert Fraction((Money(value, "CNY") / divisor).amount) == exact
    else:
        with pytest.raises(InexactError):
            Money(value, "CNY") / divisor
