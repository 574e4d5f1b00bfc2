"""A method's parameters live with the method (issue 15, item 4).

``LoanTerms(method=Step(every=3, rate="0.05"))`` and the API keywords (``step_every=``,
``step_rate=`` …) make the same contract; a new method with parameters is a new module; the
parameters of one contract never leak into another. The step payment is checked against a
level-payment formula worked by hand in Fractions (not the engine's integer sums).
"""

from __future__ import annotations

import datetime as dt
import pickle
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import attrs
import numpy as np
import pytest

from loanmath import LoanTerms, Money
from loanmath.errors import LoanMathError, UnknownNameError
from loanmath.schedules import Custom, Flat, Method, Rule, Step, register_method
from loanmath.schedules._plan import Plan

START = dt.date(2024, 1, 1)
USD = Money("10000", "USD")


def _terms(**kw: object) -> LoanTerms:
    return LoanTerms(USD, "0.06", 24, start_date=START, **kw)  # type: ignore[arg-type]


def test_a_step_value_and_the_keywords_make_the_same_contract() -> None:
    value = _terms(method=Step(every=12, rate="0.1"))
    keywords = _terms(method="step", step_every=12, step_rate="0.1")
    assert value == keywords
    assert value.method == "step"
    assert value.method_params == Step(every=12, rate=Decimal("0.1"))
    assert (value.step_every, value.step_rate, value.step_amount) == (12, Decimal("0.1"), None)
    assert value.schedule.principal_units == keywords.schedule.principal_units


def test_the_first_step_payment_is_the_level_formula_worked_by_hand() -> None:
    """A₁ = B / Σ_j (1.1)^⌊j/12⌋ · 1.005^−(j+1): 10,000 at 6 % over 24 months, +10 % after a
    year (the payment rounded half up to the cent; the next year's is A₁ × 1.1, rounded)."""
    v = Fraction(1) / Fraction("1.005")
    weights = sum(Fraction("1.1") ** (j // 12) * v ** (j + 1) for j in range(24))
    exact = Fraction(10000) / weights
    first = Decimal(exact.numerator) / Decimal(exact.denominator)
    rows = _terms(method=Step(every=12, rate="0.1")).schedule.installments
    assert rows[0].payment == first.quantize(Decimal("0.01"), ROUND_HALF_UP)
    second = Decimal((exact * Fraction("1.1")).numerator) / (exact * Fraction("1.1")).denominator
    assert rows[12].payment == second.quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_custom_and_flat_values_equal_their_keywords() -> None:
    parts = ["400"] * 23 + ["800"]
    assert _terms(method=Custom(principal=parts)) == _terms(method="custom", custom_principal=parts)
    assert _terms(method=Flat(charge="fee")) == _terms(method="flat", flat_charge="fee")
    assert _terms(method=Flat(charge="fee")).flat_charge == "fee"
    assert _terms().flat_charge == "interest"  # not a flat loan: the default


def test_two_contracts_keep_their_own_parameters() -> None:
    slow, fast = _terms(method=Step(every=12, rate="0.1")), _terms(method=Step(every=6, rate="0.1"))
    assert slow.schedule.principal_units != fast.schedule.principal_units
    assert (
        slow.schedule.principal_units
        == _terms(method=Step(every=12, rate="0.1")).schedule.principal_units
    )


def test_evolve_keeps_replaces_or_drops_the_parameters() -> None:
    step = _terms(method=Step(every=12, rate="0.1"))
    assert attrs.evolve(step, term=36).method_params == Step(every=12, rate=Decimal("0.1"))
    assert attrs.evolve(step, step_rate="0.2").step_rate == Decimal("0.2")
    assert attrs.evolve(step, method="annuity").method_params == _terms().method_params
    assert attrs.evolve(step, method=Step(every=3, amount="50")).step_amount == Decimal("50")


def test_pickle_and_repr_are_values() -> None:
    for terms in (_terms(), _terms(method=Step(every=12, rate="0.1"))):
        assert pickle.loads(pickle.dumps(terms)) == terms
        assert " at 0x" not in repr(terms)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: _terms(step_rate="0.05"), "step_rate"),  # a step parameter on an annuity
        (lambda: _terms(method="flat", custom_payments=["1"] * 24), "custom_payments"),
        (lambda: Step(every=0, rate="0.1"), "Step.every"),
        (lambda: Step(rate=0.05), "Step.rate"),
        (lambda: Step(rate="0.123456789"), "Step.rate"),
        (lambda: Custom(principal="600"), "Custom.principal"),
        (lambda: Custom(principal=np.array(5)), "Custom.principal"),  # iterable, not iterated
        (lambda: Custom(payments=["1", 2.0]), r"Custom.payments\[1\]"),
        (lambda: _terms(method=Step(every=12)), "step_rate"),  # neither rate nor amount
        (lambda: _terms(method=Step(amount=Money("10", "EUR"))), r"step_amount\.currency"),
        (lambda: _terms(method=Custom(payments=["500"] * 23)), "custom_payments"),
    ],
)
def test_bad_parameters_are_refused_by_name(call, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoanMathError) as raised:
        call()
    assert re.fullmatch(field, getattr(raised.value, "field", "")), raised.value


def test_flat_charge_names_its_choices() -> None:
    with pytest.raises(UnknownNameError, match="interest"):
        Flat(charge="rebate")


@attrs.frozen
class _Balloon(Method):
    """Level principal parts with `share` of the principal left to the last row."""

    name = "test_balloon"
    share: Fraction = Fraction(1, 2)

    def rule(self, plan: Plan, first: int, balance: int) -> Rule:
        periods = plan.term - first
        last = int(balance * self.share)
        level = (balance - last) // periods
        parts = [level] * (periods - 1)
        return Rule(kind="principal", targets=[*parts, balance - sum(parts)])


def test_a_new_method_with_parameters_is_a_new_module() -> None:
    register_method(_Balloon())
    half = LoanTerms(USD, "0.06", 4, start_date=START, method=_Balloon(Fraction(1, 2)))
    most = LoanTerms(USD, "0.06", 4, start_date=START, method=_Balloon(Fraction(3, 4)))
    assert [str(r.principal) for r in half.schedule.installments] == [
        "1250.00",
        "1250.00",
        "1250.00",
        "6250.00",
    ]
    assert str(most.schedule.installments[-1].principal) == "8125.00"
