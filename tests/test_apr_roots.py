"""IRR/XIRR with several roots, roots near −100 % and flows beyond float64.

The reference is independent of the library: Decimal bisection (60 digits) on the NPV written
from its definition ``Σ aₖ (1+r)^−tₖ`` (XIRR: ``tₖ`` = actual days / 365, Microsoft Excel
XIRR help, https://support.microsoft.com/office/xirr-function-de1242ec-6477-445b-b11b-a303ad9adc9d),
and exact rational roots for flows built from chosen discount factors.
Cases: the issue's leap-year flows (−100, 230, −132 on 2020-01-01/2021-01-01/2022-01-01);
pyxirr issue #61 (https://github.com/Anexen/pyxirr/issues/61: −100, −100, 100 on 2024-11-21,
2024-11-28, 2024-12-03, whose root lies between −0.9999999999999832 and −0.9999999999999833,
which pyxirr returns as None); flows of ±1e400 one year apart (root exactly 10 %).
"""

from __future__ import annotations

import datetime as dt
import decimal
import importlib
import os
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from loanmath import tvm
from loanmath.apr import irr, roots, xirr
from loanmath.apr.batch import cash_flow_rates
from loanmath.errors import InvalidInputError, LoanMathError, NoSolutionError

REF = decimal.Context(prec=60, Emax=10**9, Emin=-(10**9))


def ref_npv(rate: Decimal, flows: list[Decimal], times: list[Fraction]) -> Decimal:
    with decimal.localcontext(REF):
        log_growth = (1 + rate).ln()
        return sum(
            (
                a * (-log_growth * t.numerator / t.denominator).exp()
                for a, t in zip(flows, times, strict=True)
            ),
            Decimal(0),
        )


def ref_root(flows: list[Decimal], times: list[Fraction], lo: str, hi: str) -> Decimal:
    """Plain bisection, 200 halvings, on a bracket whose ends have opposite signs."""
    a, b = Decimal(lo), Decimal(hi)
    fa = ref_npv(a, flows, times)
    assert (fa > 0) != (ref_npv(b, flows, times) > 0)
    with decimal.localcontext(REF):
        for _ in range(200):
            m = (a + b) / 2
            fm = ref_npv(m, flows, times)
            if (fm > 0) == (fa > 0):
                a, fa = m, fm
            else:
                b = m
    return a


def years(dates: list[dt.date]) -> list[Fraction]:
    return [Fraction((d - dates[0]).days, 365) for d in dates]


LEAP = [dt.date(2020, 1, 1), dt.date(2021, 1, 1), dt.date(2022, 1, 1)]
LEAP_FLOWS = [Decimal(-100), Decimal(230), Decimal(-132)]


def test_leap_year_xirr_lists_both_roots_and_takes_the_nearest_to_a_guess() -> None:
    times = years(LEAP)
    low = ref_root(LEAP_FLOWS, times, "0.05", "0.15")
    high = ref_root(LEAP_FLOWS, times, "0.15", "0.30")
    assert f"{float(low):.2%}" == "10.34%"
    assert f"{float(high):.2%}" == "19.26%"
    with pytest.raises(NoSolutionError) as caught:
        xirr(LEAP_FLOWS, LEAP)
    message = str(caught.value)
    assert "2 rates" in message
    assert f"{float(low):.6%}" in message
    assert f"{float(high):.6%}" in message
    assert abs(xirr(LEAP_FLOWS, LEAP, guess="0.1") - low) <= Decimal("1e-18")
    assert abs(xirr(LEAP_FLOWS, LEAP, guess="0.3") - high) <= Decimal("1e-18")
    assert abs(tvm.xirr(LEAP_FLOWS, LEAP) - low) <= Decimal("1e-18")  # sheets: guess 0.1
    assert abs(tvm.xirr(LEAP_FLOWS, LEAP, "0.2") - high) <= Decimal("1e-18")


def test_periodic_roots_closer_than_any_scan() -> None:
    """(x − 0.9)(x − 0.9001): rates 1/0.9 − 1 and 1/0.9001 − 1, 0.012 % apart."""
    flows = ["0.81009", "-1.8001", "1"]
    exact = [Fraction(10, 9) - 1, Fraction(10000, 9001) - 1]
    with pytest.raises(NoSolutionError, match="2 rates"):
        irr(flows)
    for root in exact:
        got = irr(flows, guess=str(float(root)))
        assert abs(Fraction(got) - root) <= Fraction(1, 10**18)


def test_three_periodic_roots_listed() -> None:
    flows = ["-1000", "3600", "-4310", "1716"]  # (1.1 x − 1)(1.2 x − 1)(1.3 x − 1)·−1000…
    with pytest.raises(NoSolutionError) as caught:
        irr(flows)
    assert "3 rates" in str(caught.value)
    for guess, root in (("0.09", "0.1"), ("0.21", "0.2"), ("0.5", "0.3")):
        assert abs(irr(flows, guess=guess) - Decimal(root)) <= Decimal("1e-18")


@st.composite
def two_root_flows(draw: st.DrawFn) -> tuple[list[str], list[Fraction]]:
    """(x − x1)(x − x2)(c0 + c1·x), x = 1/(1+r): exactly two roots with r > −1."""
    x1 = Fraction(draw(st.integers(100, 4000)), 1000)
    x2 = x1 + Fraction(draw(st.integers(1, 3000)), 1000)
    c0, c1 = draw(st.integers(1, 50)), draw(st.integers(0, 50))
    quadratic = [x1 * x2, -(x1 + x2), Fraction(1)]
    flows = [Fraction(0)] * 4
    for i, q in enumerate(quadratic):
        flows[i] += q * c0
        flows[i + 1] += q * c1
    text = [str(Decimal(f.numerator) / Decimal(f.denominator)) for f in flows]
    return text, [1 / x1 - 1, 1 / x2 - 1]


@settings(max_examples=80, deadline=None)
@given(two_root_flows())
def test_every_root_is_found_and_each_guess_gets_its_own(
    case: tuple[list[str], list[Fraction]],
) -> None:
    flows, roots = case
    with pytest.raises(NoSolutionError, match="2 rates"):
        irr(flows)
    dates = [dt.date(2021, 1, 1), dt.date(2022, 1, 1), dt.date(2023, 1, 1), dt.date(2024, 1, 1)]
    with pytest.raises(NoSolutionError, match="2 rates"):
        xirr(flows, dates)  # 365-day years: the same polynomial
    for root in roots:
        guess = str(float(root))
        for got in (irr(flows, guess=guess), xirr(flows, dates, guess=guess)):
            assert abs(Fraction(got) - root) <= Fraction(1, 10**15) * (1 + abs(root))


PYXIRR_61 = [dt.date(2024, 11, 21), dt.date(2024, 11, 28), dt.date(2024, 12, 3)]


def test_pyxirr_61_root_near_minus_100_percent_is_confirmed() -> None:
    flows = [Decimal(-100), Decimal(-100), Decimal(100)]
    # v = (1+r)^(-1/365) solves v^12 − v^7 − 1 = 0: bisect v, then 1 + r = v^-365
    with decimal.localcontext(REF):
        lo, hi = Decimal(1), Decimal(2)
        for _ in range(200):
            v = (lo + hi) / 2
            if v**12 - v**7 - 1 > 0:
                hi = v
            else:
                lo = v
        growth = lo**-365
    got = xirr(flows, PYXIRR_61)
    assert Decimal("-0.9999999999999833") < got < Decimal("-0.9999999999999832")  # pyxirr
    assert abs((1 + got) / growth - 1) <= Decimal("1e-18")  # 1 + r to 18 digits
    assert abs(ref_npv(got, flows, years(PYXIRR_61))) <= Decimal("1e-12") * 300
    assert tvm.xirr(flows, PYXIRR_61) == got


def test_periodic_root_near_minus_100_percent() -> None:
    got = irr(["-1", "0", "1E-28"])  # x² = 1e28: 1 + r = 1e-14 exactly
    assert 1 + got == Decimal("1E-14")


@pytest.mark.parametrize("scale", ["1E+400", "1E-400", "1E+250"])
def test_flows_beyond_float_range_keep_their_root(scale: str) -> None:
    big = Decimal(scale)
    assert irr([-big, big * Decimal("1.1")]) == Decimal("0.1")
    assert irr([-big, 0, big * Decimal("1.21")]) == Decimal("0.1")
    dates = [dt.date(2021, 1, 1), dt.date(2022, 1, 1)]
    assert xirr([-big, big * Decimal("1.1")], dates) == Decimal("0.1")
    with pytest.raises(NoSolutionError):
        irr([-big, big * Decimal("1.1"), -big])  # 1.1x − 1 − x² < 0 for every x: no root


def _declines(*_args: object, **_kwargs: object) -> None:
    """A kernel that answers nothing: the pure path answers everything."""


def _correctly_rounded(value: Fraction, digits: int = 20) -> Decimal:
    """`value` rounded half even to `digits` significant digits, from the exact fraction."""
    with decimal.localcontext(decimal.Context(prec=digits)):
        return Decimal(value.numerator) / Decimal(value.denominator)


@settings(max_examples=int(os.environ.get("ROOT_EXAMPLES", "60")), deadline=None)
@given(
    st.one_of(st.integers(2, 10**15), st.integers(10**15, 10**24)),  # g**4: 97 digits at most
    st.integers(1, 4),
    st.booleans(),
    st.booleans(),
)
@example(10**24, 4, False, False)  # the largest flow the library takes has 97 digits here
def test_a_root_of_thousands_of_percent_gets_its_own_20_digits(
    growth: int, periods: int, pure: bool, dated: bool
) -> None:
    """−1 now and g^n after n periods (XIRR: n years of 365 days): the root is exactly g − 1
    however large. The pure path once returned 262142.99999999999999 for g = 262,144 (one
    Newton step short), and 2.5 % off for g near 10^14 (the float search stops early where the
    NPV is flat, and the NPV check cannot see it); beyond 10^8 a period the x-space search's
    absolute tolerance left it short (1e180 came back as 1.8e33)."""
    flows = ["-1", *["0"] * (periods - 1), str(growth**periods)]
    with pytest.MonkeyPatch.context() as patch:
        if pure:
            module = importlib.import_module("loanmath.apr.irr")
            patch.setattr(module, "kernel_irr", _declines)
            patch.setattr(module, "kernel_xirr", _declines)
        if dated:
            start = dt.date(2021, 1, 1)
            days = [start + dt.timedelta(days=365 * k) for k in range(periods + 1)]
            found = xirr(flows, days, day_count="ACT/365F")
        else:
            found = irr(flows)
    expected = _correctly_rounded(Fraction(growth - 1))
    if len(str(growth - 1)) <= 20:  # the root itself has at most 20 digits: exactly it
        assert found == expected
    else:  # a 21-digit root may sit on a rounding tie the 34 working digits cannot settle
        assert abs(found - expected) <= Decimal(1).scaleb(expected.adjusted() - 19)  # one unit


def test_a_root_of_1e180_a_period_is_found_not_a_nearby_flat_point() -> None:
    """−1e−84 now, 1e96 a period later: the root is exactly 1e180 (the NPV check alone passes
    1.8e33, where the float search stopped, since the first flow is tiny beside Σ|aₖ|)."""
    assert irr(["-1E-84", "1E+96"]) == Decimal("1E+180")
    start = dt.date(2023, 1, 1)
    assert xirr(["-1E-84", "1E+96"], [start, dt.date(2024, 1, 1)]) == Decimal("1E+180")


def test_batch_rows_with_infinite_or_nan_amounts_fail() -> None:
    rows = np.array(
        [
            [-100.0, 60.0, 60.0],
            [-100.0, np.inf, 60.0],
            [-np.inf, 60.0, 60.0],
            [-100.0, np.nan, 60.0],
        ]
    )
    masked = cash_flow_rates(rows, errors="mask")
    assert list(np.ma.getmaskarray(masked)) == [False, True, True, True]
    assert abs(float(masked[0]) - 0.1306623862918) < 1e-9  # the batch tolerance
    with pytest.raises(NoSolutionError, match="3 row"):
        cash_flow_rates(rows)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: xirr(LEAP_FLOWS, LEAP, guess="-1"), "guess"),
        (lambda: irr(["-100", "230", "-132"], guess="-1.5"), "guess"),
        (lambda: xirr(LEAP_FLOWS, LEAP[:2]), "dates"),
        (lambda: irr(["-100", 230.0, "-132"]), "amounts[1]"),
    ],
)
def test_bad_inputs_name_the_field(call, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((InvalidInputError, TypeError)) as caught:
        call()
    assert field in str(caught.value)


_FLOWS = [Decimal(-100), Decimal(121)]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: roots.periodic_rate([-100.0, 121.0]), r"flows\[0\]"),
        (lambda: roots.periodic_rate(_FLOWS, guess=float("nan")), "guess"),
        (lambda: roots.periodic_rate(_FLOWS, guess="-1"), "guess"),
        (lambda: roots.periodic_rate(_FLOWS, tol="0"), "tol"),
        (lambda: roots.periodic_rate(_FLOWS, maxiter=0), "maxiter"),
        (lambda: roots.timed_rate(_FLOWS, [Fraction(0)]), "times"),
        (lambda: roots.timed_rate(_FLOWS, [0, 2.0]), r"times\[1\]"),
        (lambda: roots.timed_rate(_FLOWS, [0, Fraction(-2)]), r"times\[1\]"),
        (lambda: roots.timed_value(_FLOWS, [0, 2], "-1"), "rate"),
        (lambda: roots.timed_value(_FLOWS, [0, 2], 0.1), "rate"),
    ],
)
def test_the_public_root_functions_check_their_inputs(call, field: str) -> None:  # type: ignore[no-untyped-def]
    """apr.roots is public: a float amount, a NaN guess, a zero tolerance, an inexact or
    negative time, a rate at -100 % is refused by name (they once went through to a generic
    error, or a negative time to an answer)."""
    with pytest.raises(LoanMathError, match=field):
        call()


def test_the_public_root_functions_find_exact_roots() -> None:
    # -100 now, 121 after two periods: 10 % exactly; at 1/2 a period: 46.41 %
    assert roots.periodic_rate([Decimal(-100), Decimal(0), Decimal(121)]) == Decimal("0.1")
    assert roots.timed_rate(_FLOWS, [0, 2]) == Decimal("0.1")
    assert roots.timed_rate(_FLOWS, [0, Fraction(1, 2)]) == Decimal("0.4641")
    assert roots.timed_value(_FLOWS, [0, 2], "0.1") == 0
