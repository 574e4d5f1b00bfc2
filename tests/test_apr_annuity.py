"""``apr.roots.annuity_rate`` (and ``tvm.rate`` on it) against truths it does not compute.

Oracles:
- the NPV written from its definition as exact Fractions, ``Σ aₖ (1+r)^−k`` over the
  ``n + 1`` flows one by one: the returned rate must sit between two rates, ``r·(1 ± 1e−15)``,
  at which that exact NPV has opposite signs (a true root within 1e−15 of the answer);
- for long terms, the closed form ``c₀ + a·x(1 − xᵐ)/(1 − x) + cₙxⁿ`` at 120 digits (a formula
  the square-and-multiply code does not use);
- the general solver over the same flows listed out (``periodic_rate``): the same 20 digits;
- numpy-financial's ``rate`` for ordinary loans; Excel's RATE help example (0.77 % a month,
  https://support.microsoft.com/office/rate-function-9f665657-4a7e-4bb7-a030-83fc59e748ce).
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import numpy_financial as npf
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from loanmath import tvm
from loanmath.apr import roots
from loanmath.errors import LoanMathError, NoSolutionError


def flows_of(n: int, a: Decimal, p: Decimal, f: Decimal, begin: bool) -> list[Decimal]:
    """The ``n + 1`` flows listed one by one (the definition of an annuity)."""
    flows = [Decimal(0)] * (n + 1)
    flows[0] += p
    for k in range(n):
        flows[k if begin else k + 1] += a
    flows[n] += f
    return flows


def exact_npv(flows: list[Decimal], rate: Fraction) -> Fraction:
    x = 1 / (1 + rate)
    return sum((Fraction(a) * x**k for k, a in enumerate(flows)), Fraction(0))


def assert_a_root_within(rate: Decimal, flows: list[Decimal], what: str) -> None:
    r = Fraction(rate)
    if exact_npv(flows, r) == 0:  # an exact root (a double root has no sign change)
        return
    width = abs(r) * Fraction(1, 10**15) + Fraction(1, 10**30)
    lo, hi = exact_npv(flows, r - width), exact_npv(flows, r + width)
    assert lo == 0 or hi == 0 or (lo > 0) != (hi > 0), f"{what}: no root near {rate}"


amounts = st.decimals(min_value=1, max_value=10**6, places=2)


@settings(max_examples=120, deadline=None)
@given(
    n=st.integers(1, 60),
    payment=amounts,
    principal=amounts,
    balloon=st.decimals(min_value=0, max_value=10**5, places=2),
    begin=st.booleans(),
)
def test_a_loan_has_its_exact_root_and_the_general_solvers_digits(
    n: int, payment: Decimal, principal: Decimal, balloon: Decimal, begin: bool
) -> None:
    """A loan seen from the lender (−principal, then payments and a balloon): one sign change,
    one root, to the 20 digits of the general solver and within 1e−15 of the exact root."""
    a, p, f = payment, -principal, balloon
    flows = flows_of(n, a, p, f, begin)
    what = f"n={n} pmt={a} pv={p} fv={f} begin={begin}"
    if flows[0] >= 0 or not any(flow > 0 for flow in flows):  # no loan: no rate
        with pytest.raises(NoSolutionError):
            roots.annuity_rate(n, a, p, f, begin=begin)
        return
    ours = roots.annuity_rate(n, a, p, f, begin=begin)
    assert ours == roots.periodic_rate(flows), what
    assert_a_root_within(ours, flows, what)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 40),
    first=st.integers(1, 1000),
    run=st.integers(1, 1000),
    last=st.integers(1, 10**5),
    guess=st.sampled_from([-0.4321, 0.0123, 0.1234, 1.2345, 9.8765]),  # no exact ties
)
@example(n=3, first=55, run=55, last=55, guess=-0.4321)  # a double root (seed 12)
def test_two_sign_changes_give_the_general_solvers_roots(
    n: int, first: int, run: int, last: int, guess: float
) -> None:
    """−first, +run × (n − 1), −last: none or two roots; the same as the general solver, which
    finds every root by another route (Descartes' rule as an algorithm)."""
    flows = [Decimal(-first)] + [Decimal(run)] * (n - 1) + [Decimal(-last)]
    p, a, f = Decimal(-first), Decimal(run), Decimal(-last - run)
    try:
        theirs: Decimal | None = roots.periodic_rate(flows, guess=guess)
    except NoSolutionError as refused:
        if "ill-conditioned" not in str(refused):  # no root, or only a tangent one
            try:
                tangent = roots.annuity_rate(n, a, p, f, guess=guess)
            except NoSolutionError:
                return
            # -55, 55, 55, -55 is -55(1 - x)²(1 + x): a double root at 0 % that the general
            # solver's sign brackets cannot see; ours must then be that exact root
            assert exact_npv(flows, Fraction(tangent)) == 0, tangent
            return
        theirs = None  # the discounted flows (up to 1000^40) outgrow the 34 working digits
    if theirs is None:  # beyond 34 digits: a refusal, or a root the exact NPV confirms
        try:
            ours = roots.annuity_rate(n, a, p, f, guess=guess)
        except NoSolutionError:
            return
    else:
        ours = roots.annuity_rate(n, a, p, f, guess=guess)
    assert_a_root_within(ours, flows, f"{flows[:2]}…{flows[-1]} guess={guess}")
    if theirs is not None and exact_npv(flows, Fraction(ours)) != 0:
        assert abs(ours - theirs) <= Decimal("1e-19") * max(1, abs(theirs)), (ours, theirs)
    elif theirs is not None:  # ours is an exact (double) root, found only to ~sqrt(eps) in float
        assert abs(ours - theirs) <= Decimal("1e-15") * max(1, abs(theirs)), (ours, theirs)


def test_the_two_roots_are_listed_without_a_guess_and_the_nearest_is_taken_with_one() -> None:
    # -100, +230, -132: (1+r)^2 roots at 10 % and 20 % (1.1 x 1.2 = 1.32; 1.1 + 1.2 = 2.3)
    args = (2, Decimal(230), Decimal(-100), Decimal(-362))
    with pytest.raises(NoSolutionError, match=r"10\.000000%, 20\.000000%"):
        roots.annuity_rate(*args)
    assert roots.annuity_rate(*args, guess="0.05") == Decimal("0.1")
    assert roots.annuity_rate(*args, guess="0.3") == Decimal("0.2")


CLOSED = decimal.Context(prec=120, Emax=10**8, Emin=-(10**8))


def closed_form_npv(rate: Decimal, n: int, a: Decimal, p: Decimal, f: Decimal) -> Decimal:
    with decimal.localcontext(CLOSED):
        x = 1 / (1 + rate)
        if x == 1:
            return p + n * a + f
        return p + a * x * (1 - x**n) / (1 - x) + f * x**n


@pytest.mark.parametrize(
    ("n", "a", "p", "f"),
    [
        (100_000, "-200", "8000", "-100"),  # a loan of 100,000 periods
        (100_000, "1", "-0.5", "-0.4"),  # two roots (100 % and 50 % a period): guess 0.1
        (100_000, "-1", "100000.5", "0"),  # a rate of about -1e-11 a period
        (4747, "1E+96", "-1E-84", "-1E-79"),  # a rate of 1e180 a period
        (5000, "-0.0001", "1", "0"),  # deep negative rate: 1 + r near 0.9981
    ],
)
def test_long_and_extreme_annuities_against_the_closed_form(n: int, a: str, p: str, f: str) -> None:
    pmt, pv, fv = Decimal(a), Decimal(p), Decimal(f)
    rate = roots.annuity_rate(n, pmt, pv, fv, guess=0.1)
    width = abs(rate) * Decimal("1e-15")
    below = closed_form_npv(rate - width, n, pmt, pv, fv)
    above = closed_form_npv(rate + width, n, pmt, pv, fv)
    assert (below > 0) != (above > 0) or not below or not above, (rate, below, above)


def test_excels_rate_example_and_numpy_financial_on_ordinary_loans() -> None:
    assert tvm.rate(48, -200, 8000) == Decimal("0.0077014724882020438160")
    for n, pmt, pv, fv, when in [
        (360, -1500, 250000, 0, 0),
        (12, -90, 1000, 0, 1),
        (60, -50, 2000, -500, 0),
    ]:
        ours = tvm.rate(n, pmt, pv, fv, when)
        theirs = float(npf.rate(n, pmt, pv, fv, when))
        assert abs(float(ours) - theirs) <= 1e-8 * abs(theirs), (n, ours, theirs)  # npf: tol 1e-6


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: roots.annuity_rate(0, -1, 10), "count"),
        (lambda: roots.annuity_rate(100_001, -1, 10), "count"),
        (lambda: roots.annuity_rate(True, -1, 10), "count"),
        (lambda: roots.annuity_rate(12, -1.0, 10), "payment"),
        (lambda: roots.annuity_rate(12, -1, "x"), "present"),
        (lambda: roots.annuity_rate(12, -1, 10, "NaN"), "future"),
        (lambda: roots.annuity_rate(12, -1, 10, begin=1), "begin"),
        (lambda: roots.annuity_rate(12, -1, 10, guess="-1"), "guess"),
        (lambda: roots.annuity_rate(12, -1, 10, tol=0), "tol"),
    ],
)
def test_bad_inputs_are_named(call, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoanMathError, match=field):
        call()


def test_all_of_one_sign_has_no_rate() -> None:
    with pytest.raises(NoSolutionError, match="positive and one negative"):
        roots.annuity_rate(10, 1, 10, 5)


def test_the_callers_context_changes_nothing() -> None:
    expected = roots.annuity_rate(360, "-1500", "250000", begin=True)
    hostile = decimal.Context(
        prec=3,
        rounding=decimal.ROUND_FLOOR,
        Emin=-6,
        Emax=6,
        traps=[decimal.Inexact, decimal.Rounded, decimal.Overflow, decimal.Underflow],
    )
    with decimal.localcontext(hostile):
        assert repr(roots.annuity_rate(360, "-1500", "250000", begin=True)) == repr(expected)
