"""Schedules: each method, odd periods, grace, fees, custom and step plans, re-amortisation,
rendering, and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from loanmath import Fee, LoanTerms, Money, Rounding, build_schedule, reamortize
from loanmath.errors import (
    DateTypeError,
    FloatMoneyError,
    InputTypeError,
    InvalidInputError,
    UnknownNameError,
)
from loanmath.schedules import METHODS, Method, Rule, register_method

START = dt.date(2024, 1, 15)


def terms(
    principal: str = "12000.00", rate: str = "0.12", term: int = 12, **kw: object
) -> LoanTerms:
    return LoanTerms(Money(principal, "CNY"), rate, term, start_date=START, **kw)  # type: ignore[arg-type]


def column(schedule: object, name: str) -> list[str]:
    return [str(getattr(r, name)) for r in schedule.installments]  # type: ignore[attr-defined]


def test_all_methods_are_registered() -> None:
    assert set(METHODS) >= {
        "annuity",
        "equal_principal",
        "interest_only",
        "bullet",
        "flat",
        "custom",
        "step",
    }


def test_annuity_12000_at_12_percent() -> None:
    """Exact annuity 12000 × 0.01 / (1 − 1.01^−12) = 1066.1854…, rounded once: 1066.19."""
    s = terms().schedule
    assert s.regular_payment == Decimal("1066.19")
    assert column(s, "interest")[:3] == ["120.00", "110.54", "100.98"]
    # an independent Fraction loop (half up to the cent) gives the same last row and totals
    assert s.installments[-1].payment == Decimal("1066.14")
    assert s.residual == Decimal("-0.05")
    assert s.total_interest == Decimal("794.23")
    assert s.total_payment == Decimal("12794.23")


def test_equal_principal_and_interest_only_and_bullet() -> None:
    ep = terms(method="equal_principal").schedule
    assert column(ep, "principal") == ["1000.00"] * 12
    assert column(ep, "payment")[:2] == ["1120.00", "1110.00"]
    assert ep.total_interest == Decimal("780.00")  # 12000 × 1 % × (12+11+…+1)/12
    io = terms(method="interest_only").schedule
    assert column(io, "interest") == ["120.00"] * 12
    assert column(io, "principal") == ["0.00"] * 11 + ["12000.00"]
    bullet = terms(method="bullet", day_count="ACT/365F").schedule
    assert bullet.term == 1
    assert bullet.installments[0].due_date == dt.date(2025, 1, 15)
    # 12000 × 12 % × 366/365 = 1443.945… → 1443.95
    assert bullet.installments[0].interest == Decimal("1443.95")
    assert terms(method="bullet").schedule.total_interest == Decimal("1440.00")


def test_flat_add_on_loan() -> None:
    flat = terms(rate="0.06", method="flat").schedule
    assert column(flat, "interest") == ["60.00"] * 12  # 12000 × 6 % / 12 on the original
    assert column(flat, "payment") == ["1060.00"] * 12
    fee = terms(rate="0.06", method="flat", flat_charge="fee").schedule
    assert column(fee, "fees") == ["60.00"] * 12
    assert fee.total_interest == 0


def test_custom_principal_and_payments() -> None:
    parts = ["1000"] * 11 + ["1000.00"]
    s = terms(method="custom", custom_principal=parts).schedule
    assert column(s, "principal") == column(terms(method="equal_principal").schedule, "principal")
    pays = terms(method="custom", custom_payments=["2000"] * 6 + ["1000"] * 6).schedule
    assert pays.installments[0].payment == Decimal("2000.00")
    assert pays.installments[-1].balance == 0
    with pytest.raises(InvalidInputError, match="must sum to the amortised principal"):
        terms(method="custom", custom_principal=["1000"] * 11 + ["999.99"])
    with pytest.raises(InvalidInputError, match="12 entries"):
        terms(method="custom", custom_principal=["1000"] * 11)
    with pytest.raises(InvalidInputError, match="exactly one"):
        terms(method="custom")


def test_step_payments() -> None:
    s = terms(method="step", step_every=3, step_rate="0.10").schedule
    pays = [r.payment for r in s.installments]
    assert pays[0] == pays[1] == pays[2]
    assert pays[3] > pays[2]
    # each step's instalment is the exact A1 × 1.1^k rounded once
    assert abs(Fraction(pays[3]) - Fraction(pays[0]) * Fraction(11, 10)) <= Fraction(1, 100)
    amounts = terms(method="step", step_every=6, step_amount="-100").schedule
    first, later = amounts.installments[0].payment, amounts.installments[6].payment
    assert first - later == Decimal("100.00")
    with pytest.raises(InvalidInputError, match="step_every"):
        terms(method="step", step_every=0, step_rate="0.1")
    with pytest.raises(InvalidInputError, match="exactly one"):
        terms(method="step", step_every=3)


def test_odd_first_period_added_to_first_instalment() -> None:
    """Regular basis: the annuity is the regular one; the first instalment carries the odd
    days' interest (first period 2024-01-15 → 2024-03-01 is 46 days of a 29-day February)."""
    regular = terms().schedule
    odd = terms(first_due_date=dt.date(2024, 3, 1)).schedule
    assert odd.regular_payment == regular.regular_payment
    first = odd.installments[0]
    # periodic interest pro rata: 12000 × 1 % × 46/29 = 190.344… → 190.34
    assert first.interest == Decimal("190.34")
    assert first.principal == Decimal("1066.19") - Decimal("120.00")
    assert first.payment == Decimal("1066.19") + Decimal("70.34")
    assert odd.dates[1] == dt.date(2024, 4, 1)


def test_odd_first_period_amortised_over_actual_periods() -> None:
    actual = terms(first_due_date=dt.date(2024, 3, 1), payment_basis="actual").schedule
    payments = {r.payment for r in actual.installments[:-1]}
    assert len(payments) == 1
    assert abs(actual.residual) <= Decimal("0.12")
    assert actual.regular_payment > terms().schedule.regular_payment


def test_daily_accrual_by_day_count() -> None:
    s = terms(day_count="ACT/360").schedule
    # first period 2024-01-15 → 2024-02-15: 31 days; 12000 × 12 % × 31/360 = 124.00
    assert s.installments[0].interest == Decimal("124.00")
    # February 2024: 29 days → 12000-… balance × 12 % × 29/360
    b = Fraction(s.installments[0].balance)
    expected = b * Fraction(12, 100) * Fraction(29, 360)
    assert abs(Fraction(s.installments[1].interest) - expected) <= Fraction(1, 200)


def test_fees_upfront_financed_periodic() -> None:
    s = terms(
        fees=(
            Fee("origination", "upfront", amount="200"),
            Fee("service", "periodic", rate="0.005"),
            Fee("account", "periodic", amount="5"),
        )
    ).schedule
    assert s.disbursed == Decimal("11800.00")
    assert column(s, "fees") == ["65.00"] * 12  # 12000 × 0.5 % + 5
    flows = s.cash_flows()
    assert flows[0].amount == Decimal("-11800.00")
    assert flows[1].amount == s.installments[0].payment
    financed = terms(fees=(Fee("insurance", "financed", rate="0.01"),)).schedule
    assert financed.total_principal == Decimal("12120.00")
    assert financed.disbursed == Decimal("12000.00")
    outstanding = terms(fees=(Fee("mgmt", "periodic", rate="0.001", basis="outstanding"),))
    fees = [r.fees for r in outstanding.schedule.installments]
    assert fees[0] == Decimal("12.00")
    assert fees == sorted(fees, reverse=True)
    assert outstanding.schedule.total_cost == (
        outstanding.schedule.total_interest + sum(fees, Decimal(0))
    )


def test_payment_rounding_up_to_whole_yuan() -> None:
    s = terms(payment_rounding=Rounding("up", quantum=Decimal("1"))).schedule
    assert s.regular_payment == Decimal("1067.00")
    assert s.installments[-1].payment < Decimal("1067.00")
    assert s.installments[-1].balance == 0


def test_grace_then_amortise() -> None:
    s = terms(grace_periods=3).schedule
    assert column(s, "principal")[:3] == ["0.00"] * 3
    assert s.regular_payment == terms(term=9).schedule.regular_payment
    cap = terms(grace_periods=2, grace="capitalise").schedule
    assert cap.installments[0].payment == 0
    assert cap.installments[1].balance == Decimal("12241.20")  # 12000 → 12120 → 12241.20
    assert cap.capitalised_interest == Decimal("241.20")


def test_jpy_and_kwd_minor_units() -> None:
    yen = LoanTerms(Money("1000000", "JPY"), "0.015", 24, start_date=START).schedule
    assert all(r.interest == r.interest.to_integral_value() for r in yen.installments)
    dinar = LoanTerms(Money("1000.000", "KWD"), "0.05", 6, start_date=START).schedule
    assert dinar.regular_payment.as_tuple().exponent == -3


def test_zero_rate() -> None:
    s = terms(rate="0", term=7).schedule
    assert s.total_interest == 0
    assert sum((r.payment for r in s.installments), Decimal(0)) == Decimal("12000.00")
    assert s.regular_payment == Decimal("1714.29")
    assert s.installments[-1].payment == Decimal("1714.26")


def test_frequencies() -> None:
    for frequency, periods in (
        ("weekly", 52),
        ("biweekly", 26),
        ("semimonthly", 24),
        ("quarterly", 4),
        ("semiannual", 2),
        ("annual", 1),
    ):
        s = terms(frequency=frequency, method="interest_only").schedule
        expected = Money("12000.00", "CNY").round().amount * Decimal("0.12")
        assert s.installments[0].interest == Rounding().round(Fraction(expected) / periods, "CNY")


def test_reamortize_keep_payment_or_term() -> None:
    s = terms().schedule
    shorter = reamortize(s, dt.date(2024, 4, 15), Money("5000.00", "CNY"), keep="payment")
    assert shorter.regular_payment == s.regular_payment
    assert shorter.term == 5
    assert shorter.installments[-1].balance == 0
    lower = reamortize(s, dt.date(2024, 4, 15), Decimal("5000.00"), keep="term")
    assert lower.term == 9
    assert lower.regular_payment == Decimal("583.70")
    mid = reamortize(s, dt.date(2024, 4, 30), Money("5000.00", "CNY"), keep="term")
    # 15 of April's 30 days: half a period of interest in the first row
    assert mid.installments[0].interest == Decimal("25.00")
    ep = reamortize(
        terms(method="equal_principal").schedule,
        dt.date(2024, 4, 15),
        Money("5000.00", "CNY"),
        keep="payment",
    )
    assert column(ep, "principal") == ["1000.00"] * 5
    with pytest.raises(InvalidInputError, match="reamortize supports"):
        reamortize(terms(method="bullet").schedule, dt.date(2024, 4, 15), "5000", "term")
    with pytest.raises(UnknownNameError):
        reamortize(s, dt.date(2024, 4, 15), "5000", keep="both")
    with pytest.raises(InvalidInputError, match="last due date"):
        reamortize(s, dt.date(2026, 1, 1), "5000")
    with pytest.raises(InvalidInputError, match="does not repay"):
        reamortize(s, dt.date(2024, 4, 15), "50000", keep="payment")


def test_rendering_and_rows() -> None:
    s = terms(term=3).schedule
    text = str(s)
    assert "annuity schedule, CNY" in text
    assert "4080.27" in text
    assert "4080.26" in text
    assert "rounding residual" in text
    rows = s.as_rows()
    assert rows[0]["number"] == 1
    assert isinstance(rows[0]["payment"], Decimal)
    assert set(rows[0]) == {
        "number",
        "due_date",
        "principal",
        "interest",
        "fees",
        "payment",
        "balance",
    }


def test_a_new_method_is_a_new_module() -> None:
    class Balloon30(Method):
        """Pay a third of the principal in equal parts, the rest at the end."""

        name = "balloon_third_test"

        def rule(self, plan, first, balance):  # type: ignore[no-untyped-def]
            part = balance // 3 // (plan.term - first)
            return Rule(kind="principal", targets=[part] * (plan.term - first))

    register_method(Balloon30())
    s = terms(method="balloon_third_test").schedule
    assert s.installments[-1].principal > s.installments[0].principal
    assert s.installments[-1].balance == 0


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"principal": "0"}, InvalidInputError, "principal"),
        ({"principal": "-5"}, InvalidInputError, "principal"),
        ({"principal": "100.005"}, InvalidInputError, "principal"),
        ({"rate": "-0.01"}, InvalidInputError, "annual_rate"),
        ({"term": 0}, InvalidInputError, "term"),
        ({"term": 481}, InvalidInputError, "term"),
        ({"term": -3}, InvalidInputError, "term"),
        ({"method": "french"}, UnknownNameError, "method"),
        ({"frequency": "fortnightly"}, UnknownNameError, "frequency"),
        ({"first_due_date": dt.date(2024, 1, 1)}, InvalidInputError, "first_due_date"),
        ({"first_due_date": dt.date(2024, 1, 15)}, InvalidInputError, "first_due_date"),
        ({"grace_periods": 12}, InvalidInputError, "grace_periods"),
        ({"grace": "defer"}, UnknownNameError, "grace"),
        ({"payment_basis": "exact"}, UnknownNameError, "payment_basis"),
        ({"day_count": "ACT/365"}, UnknownNameError, "day_count"),
        ({"fees": (Fee("big", "upfront", amount="12000.01"),)}, InvalidInputError, "fee 'big'"),
        ({"fees": (Fee("all", "upfront", amount="12000"),)}, InvalidInputError, "fees"),
        ({"fees": ("200",)}, InputTypeError, "fees"),
        (
            {
                "method": "equal_principal",
                "term": 480,
                "principal": "1.00",
                "rounding": Rounding("up"),
            },
            InvalidInputError,
            "term",
        ),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], error: type, field: str) -> None:
    principal = str(kwargs.pop("principal", "12000.00"))
    rate = str(kwargs.pop("rate", "0.12"))
    term = kwargs.pop("term", 12)
    with pytest.raises(error) as info:
        terms(principal, rate, term, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field  # type: ignore[attr-defined]
    assert field in str(info.value)


def test_bad_types() -> None:
    with pytest.raises(FloatMoneyError):
        LoanTerms(Money("1", "CNY"), 0.12, 12, start_date=START)  # type: ignore[arg-type]
    with pytest.raises(InputTypeError, match="principal"):
        LoanTerms(Decimal("1000"), "0.12", 12, start_date=START)  # type: ignore[arg-type]
    with pytest.raises(InputTypeError, match="term"):
        LoanTerms(Money("1", "CNY"), "0.12", 12.0, start_date=START)  # type: ignore[arg-type]
    with pytest.raises(DateTypeError, match="start_date"):
        LoanTerms(Money("1", "CNY"), "0.12", 12, start_date="2024-01-15")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="exactly one of amount and rate"):
        Fee("x", "upfront")
    with pytest.raises(UnknownNameError):
        Fee("x", "monthly", amount="1")


def test_terms_are_frozen_and_evolve_revalidates() -> None:
    import attrs

    t = terms()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        t.term = 6  # type: ignore[misc]
    shorter = attrs.evolve(t, term=6)
    assert shorter.schedule.term == 6
    with pytest.raises(InvalidInputError):
        attrs.evolve(t, term=0)


def test_build_schedule_is_the_terms_schedule() -> None:
    t = terms()
    assert build_schedule(t).installments == t.schedule.installments
