"""IPMT, PPMT, PMT, CUMIPMT and CUMPRINC at any term, against an exact rational oracle.

The precision promise (``loanmath.tvm.ipmt`` Notes): for whole ``per`` and ``nper`` each
result is within ``10⁻²⁷ × |exact|`` of the exact rational value, and is zero exactly when the
exact value is zero. These tests check exactly that, against :class:`Q` below: exact
rational arithmetic on Decimal numerators and denominators (a context that traps any rounding),
evaluating the textbook definitions as the spreadsheets document them, not the library's
rearranged forms:

- ``FV(r, m, A, pv, w) = −(pv·(1+r)ᵐ + A·(1 + r·w)·((1+r)ᵐ − 1)/r)``;
- ``PMT`` solves ``pv·(1+r)ⁿ + A·(1 + r·w)·((1+r)ⁿ − 1)/r + fv = 0`` (``−(pv + fv)/n`` at 0);
- ``IPMT(k) = r·FV(r, k − 1, PMT, pv, w)``, ÷ (1 + r) in advance, 0 for the first payment in
  advance; ``PPMT = PMT − IPMT``; CUMIPMT/CUMPRINC the sums over the periods.

Sources: Microsoft Excel help for FV, PMT, IPMT, PPMT, CUMIPMT, CUMPRINC
(https://support.microsoft.com/office/fv-function-2eef9f44-a084-4c61-bdd8-4fe4bb1b71b3 and the
pages linked from it); numpy-financial ``numpy_financial/_financial.py`` (``ipmt`` is
``_rbl(rate, per, pmt, pv, when) * rate``, ÷ (1 + rate) in advance; ``ppmt = pmt − ipmt``).
The issue's two cases: ``ipmt('0.3', 480, 480, 1000)`` returned −3E+7 (exact −69.2308) and
``ppmt('0.05', 5000, 5000, 1000)`` 5E+57 (exact −47.619).
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
from loanmath.errors import InvalidInputError, LoanMathError

#: Every operation exact or an error: rounding and inexact results are trapped.
EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.Overflow],
)
PROMISE = Decimal("1e-27")


class Q:
    """An exact rational number ``num / den`` (den > 0) on exact Decimals."""

    def __init__(self, num: Decimal | int | str, den: Decimal | int = 1) -> None:
        num, den = Decimal(num), Decimal(den)
        if den < 0:
            num, den = EXACT.minus(num), EXACT.minus(den)
        assert den != 0
        self.num, self.den = num, den

    def __add__(self, other: Q) -> Q:
        return Q(
            EXACT.add(EXACT.multiply(self.num, other.den), EXACT.multiply(other.num, self.den)),
            EXACT.multiply(self.den, other.den),
        )

    def __neg__(self) -> Q:
        return Q(EXACT.minus(self.num), self.den)

    def __sub__(self, other: Q) -> Q:
        return self + (-other)

    def __mul__(self, other: Q) -> Q:
        return Q(EXACT.multiply(self.num, other.num), EXACT.multiply(self.den, other.den))

    def __truediv__(self, other: Q) -> Q:
        return Q(EXACT.multiply(self.num, other.den), EXACT.multiply(self.den, other.num))

    def __pow__(self, m: int) -> Q:
        assert m >= 0
        return Q(EXACT.power(self.num, m), EXACT.power(self.den, m))

    def is_zero(self) -> bool:
        return self.num == 0

    def near(self, places: int = 40) -> Decimal:
        """A rounded view, for messages only."""
        with decimal.localcontext(decimal.Context(prec=places, Emax=decimal.MAX_EMAX)):
            return self.num / self.den


ONE = Q(1)


def growth(r: Q, m: int) -> Q:
    return (ONE + r) ** m


def fv_textbook(r: Q, m: int, a: Q, pv: Q, w: int) -> Q:
    g = growth(r, m)
    return -(pv * g + a * (ONE + r * Q(w)) * (g - ONE) / r)


def pmt_textbook(r: Q, n: int, pv: Q, fv: Q, w: int) -> Q:
    if r.is_zero():
        return -(pv + fv) / Q(n)
    g = growth(r, n)
    # pv·g + A·(1 + r·w)·(g − 1)/r + fv = 0
    return -(pv * g + fv) * r / ((ONE + r * Q(w)) * (g - ONE))


def ipmt_textbook(r: Q, k: int, n: int, pv: Q, fv: Q, w: int) -> Q:
    if r.is_zero() or (w == 1 and k == 1):
        return Q(0)
    interest = fv_textbook(r, k - 1, pmt_textbook(r, n, pv, fv, w), pv, w) * r
    return interest / (ONE + r) if w == 1 else interest


def ppmt_textbook(r: Q, k: int, n: int, pv: Q, fv: Q, w: int) -> Q:
    return pmt_textbook(r, n, pv, fv, w) - ipmt_textbook(r, k, n, pv, fv, w)


def assert_promise(got: Decimal, exact: Q, what: str) -> None:
    """|got − exact| <= 1e-27·|exact|, and got == 0 exactly when exact == 0 (no division:
    |got·den − num| <= 1e-27·|num|, all exact)."""
    assert isinstance(got, Decimal), what
    if exact.is_zero():
        assert got == 0, f"{what}: exact 0, got {got}"
        return
    error = EXACT.subtract(EXACT.multiply(got, exact.den), exact.num).copy_abs()
    bound = EXACT.multiply(PROMISE, exact.num.copy_abs())
    assert error <= bound, f"{what}: got {got}, exact {exact.near()}"


def _q(value: Decimal | int) -> Q:
    return Q(Decimal(value))


# -- the issue's cases ------------------------------------------------------------------


def test_issue_cases_are_exact_to_the_promise() -> None:
    r = Q("0.3")
    got = tvm.ipmt("0.3", 480, 480, 1000)
    assert_promise(got, ipmt_textbook(r, 480, 480, _q(1000), Q(0), 0), "ipmt 0.3 480/480")
    assert got.quantize(Decimal("0.0001")) == Decimal("-69.2308")  # the issue's figure
    got = tvm.ppmt("0.05", 5000, 5000, 1000)
    assert_promise(got, ppmt_textbook(Q("0.05"), 5000, 5000, _q(1000), Q(0), 0), "ppmt")
    assert got.quantize(Decimal("0.001")) == Decimal("-47.619")  # the issue's figure


def test_the_issue_cases_do_not_depend_on_the_callers_context() -> None:
    first = (tvm.ipmt("0.3", 480, 480, 1000), tvm.ppmt("0.05", 5000, 5000, 1000))
    hostile = decimal.Context(prec=3, Emax=99, Emin=-99, rounding=decimal.ROUND_FLOOR)
    hostile.traps[decimal.Inexact] = True
    with decimal.localcontext(hostile):
        again = (tvm.ipmt("0.3", 480, 480, 1000), tvm.ppmt("0.05", 5000, 5000, 1000))
    assert again == first


# -- the promise at any term -------------------------------------------------------------

#: rates with up to 4 decimal places, -99.99 % … 99.99 %, zero included
RATES = st.one_of(
    st.integers(-9999, 9999).map(lambda i: Decimal(i).scaleb(-4)),
    st.integers(1, 9999).map(lambda i: Decimal(i).scaleb(-6)),
    st.just(Decimal(0)),
)
AMOUNTS = st.one_of(
    st.integers(-(10**9), 10**9).map(Decimal),
    st.integers(-(10**11), 10**11).map(lambda i: Decimal(i).scaleb(-2)),
    st.just(Decimal(0)),
)


@st.composite
def loans(draw: st.DrawFn, max_n: int = 10_000) -> tuple[Decimal, int, int, Decimal, Decimal, int]:
    n = draw(st.one_of(st.integers(1, 60), st.integers(1, max_n)))
    k = draw(st.one_of(st.sampled_from([1, n, (n + 1) // 2]), st.integers(1, n)))
    return draw(RATES), k, n, draw(AMOUNTS), draw(AMOUNTS), draw(st.sampled_from([0, 1]))


@settings(max_examples=150, deadline=None)
@given(loans())
# CI 2026-12-01: (1 + r)^n = 0.799^9930, about 1E-968: PMT's p + p·E(n) cancelled to nothing
@example((Decimal("-0.2010"), 1, 9930, Decimal(1), Decimal(0), 0))
@example((Decimal("-0.9999"), 5000, 10_000, Decimal("12345.67"), Decimal(-3), 1))
def test_ipmt_ppmt_pmt_keep_the_promise_at_any_term(
    loan: tuple[Decimal, int, int, Decimal, Decimal, int],
) -> None:
    rate, k, n, pv, fv, w = loan
    r = _q(rate)
    what = f"rate={rate} per={k} nper={n} pv={pv} fv={fv} when={w}"
    assert_promise(tvm.ipmt(rate, k, n, pv, fv, w), ipmt_textbook(r, k, n, _q(pv), _q(fv), w), what)
    assert_promise(tvm.ppmt(rate, k, n, pv, fv, w), ppmt_textbook(r, k, n, _q(pv), _q(fv), w), what)
    assert_promise(tvm.pmt(rate, n, pv, fv, w), pmt_textbook(r, n, _q(pv), _q(fv), w), what)


@settings(max_examples=60, deadline=None)
@given(loans(max_n=120))
def test_the_oracle_is_the_amortisation_loop(
    loan: tuple[Decimal, int, int, Decimal, Decimal, int],
) -> None:
    """The oracle's closed forms against the balance carried period by period in Fractions
    (so the test does not rest on one formula): a payment A each period, the balance times
    (1 + r) each period; after n periods the balance is −fv."""
    rate, k, n, pv, fv, w = loan
    r = _q(rate)
    a = pmt_textbook(r, n, _q(pv), _q(fv), w)
    step, payment = 1 + Fraction(rate), Fraction(a.num) / Fraction(a.den)
    balances = [Fraction(pv)]
    for _ in range(n):
        last = balances[-1]
        balances.append((last + payment) * step if w else last * step + payment)
    assert balances[-1] == -Fraction(fv)
    interest = ipmt_textbook(r, k, n, _q(pv), _q(fv), w)
    expected = 0 if w and k == 1 else -balances[k - 1] * Fraction(rate) / (step if w else 1)
    assert Fraction(interest.num) / Fraction(interest.den) == expected


def test_long_terms_at_extreme_rates() -> None:
    for rate, k, n, pv, fv, w in [
        ("0.9999", 2, 10_000, 1000, 0, 0),
        ("0.9999", 9_999, 10_000, 1000, 250, 1),
        ("-0.9999", 3, 10_000, 1000, 7, 0),
        ("-0.5", 10_000, 10_000, 1000, -3, 1),
        ("0.000001", 5_000, 10_000, 10**9, 10**9, 0),
        ("0.3", 1, 480, 1000, 0, 0),
        ("0.0001", 1, 10_000, "0.01", "-1E+9", 1),
    ]:
        r, p, f = Q(rate), _q(Decimal(pv)), _q(Decimal(fv))
        what = f"{rate} {k}/{n} pv={pv} fv={fv} when={w}"
        assert_promise(tvm.ipmt(rate, k, n, pv, fv, w), ipmt_textbook(r, k, n, p, f, w), what)
        assert_promise(tvm.ppmt(rate, k, n, pv, fv, w), ppmt_textbook(r, k, n, p, f, w), what)


def test_exact_zero_interest_and_principal() -> None:
    # pv 1000, fv 1100 at 10 %: the balance after the first payment is 0 exactly
    assert ipmt_textbook(Q("0.1"), 2, 2, _q(1000), _q(1100), 0).is_zero()
    assert tvm.ipmt("0.1", 2, 2, 1000, 1100) == 0
    assert tvm.ipmt("0.1", 2, 2, 1000, 1100, 1) == 0
    # an interest-only loan (fv = -pv) repays no principal, at any term
    assert tvm.ppmt("0.3", 480, 480, 1000, -1000) == 0
    assert ppmt_textbook(Q("0.3"), 480, 480, _q(1000), _q(-1000), 0).is_zero()


def test_deep_cancellation_raises_the_working_digits() -> None:
    """fv chosen so the pv and fv terms of the interest cancel in about 80 digits: the
    result still keeps the promise (the working digits are raised by the digits lost)."""
    r, k, n, pv = Q("0.07"), 30, 60, _q(1000)
    # the interest is linear in fv: alpha + beta·fv; its zero, to 90 significant digits
    alpha = ipmt_textbook(r, k, n, pv, Q(0), 0)
    beta = ipmt_textbook(r, k, n, pv, ONE, 0) - alpha
    zeroing = -alpha / beta
    fv = zeroing.near(90)
    exact = ipmt_textbook(r, k, n, pv, _q(fv), 0)
    assert not exact.is_zero()
    assert_promise(tvm.ipmt("0.07", k, n, 1000, fv), exact, "deep cancellation")
    ratio = exact.near(5) / tvm.pmt("0.07", n, 1000, fv)
    assert abs(ratio) < Decimal("1e-70")  # the cancellation really is that deep


# -- cumulative ------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 9999).map(lambda i: Decimal(i).scaleb(-4)),
    st.integers(1, 10_000),
    st.integers(1, 10**9).map(Decimal),
    st.data(),
    st.sampled_from([0, 1]),
)
def test_cumulative_sums_keep_the_promise(
    rate: Decimal, n: int, pv: Decimal, data: st.DataObject, w: int
) -> None:
    start = data.draw(st.integers(1, n))
    end = data.draw(st.integers(start, min(n, start + 25)))
    r, p = _q(rate), _q(pv)
    interest = principal = Q(0)
    for k in range(start, end + 1):
        interest = interest + ipmt_textbook(r, k, n, p, Q(0), w)
        principal = principal + ppmt_textbook(r, k, n, p, Q(0), w)
    what = f"rate={rate} nper={n} pv={pv} {start}..{end} when={w}"
    assert_promise(tvm.cumipmt(rate, n, pv, start, end, w), interest, what)
    assert_promise(tvm.cumprinc(rate, n, pv, start, end, w), principal, what)


@pytest.mark.parametrize("w", [0, 1])
@pytest.mark.parametrize(("rate", "n"), [("0.3", 480), ("0.0001", 10_000), ("0.05", 5000)])
def test_cumulative_over_whole_long_loans(rate: str, n: int, w: int) -> None:
    """Over every period the principal sums to −pv and the interest to n·PMT + pv."""
    r, p = Q(rate), _q(1000)
    payment = pmt_textbook(r, n, p, Q(0), w)
    assert_promise(tvm.cumprinc(rate, n, 1000, 1, n, w), -p, "all principal")
    assert_promise(tvm.cumipmt(rate, n, 1000, 1, n, w), payment * Q(n) + p, "all interest")
    # and a late stretch, telescoped: principal between payments = fall of the balance
    balance_before = fv_textbook(r, n - 11, payment, p, w)
    balance_after = fv_textbook(r, n, payment, p, w)
    if w == 0:
        assert_promise(
            tvm.cumprinc(rate, n, 1000, n - 10, n, w), balance_before - balance_after, "tail"
        )


def test_tiny_rates_keep_the_promise() -> None:
    """(1+r)^n − 1 at r = 1E-30 is 360E-30 to every digit (at 50 digits it kept 20)."""
    r = Q("1E-30")
    assert_promise(tvm.pmt("1E-30", 360, 1000), pmt_textbook(r, 360, _q(1000), Q(0), 0), "pmt")
    assert_promise(
        tvm.cumipmt("1E-30", 360, 1000, 1, 360, 0),
        pmt_textbook(r, 360, _q(1000), Q(0), 0) * Q(360) + _q(1000),
        "cumipmt",
    )


# -- peers and conventions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "per", "nper", "pv", "fv", "when"),
    [
        (0.1 / 12, 1, 24, 2000, 0, 0),
        (0.08, 10, 10, 200000, 0, 0),
        (0.0875 / 12, 1, 36, 5000, 8000, 1),
        (0.05, 5, 7, 15000, 0, 0),
        (0.05, 3, 7, 15000, -2000, 1),
        (-0.02, 4, 12, 1000, 0, 0),
    ],
)
def test_numpy_financial_signs_and_values_for_ordinary_loans(
    rate: float, per: int, nper: int, pv: int, fv: int, when: int
) -> None:
    ours_i = tvm.ipmt(rate, per, nper, pv, fv, when)
    ours_p = tvm.ppmt(rate, per, nper, pv, fv, when)
    theirs_i = float(npf.ipmt(rate, per, nper, pv, fv, when))
    theirs_p = float(npf.ppmt(rate, per, nper, pv, fv, when))
    assert abs(float(ours_i) - theirs_i) <= 1e-9 * max(1.0, abs(theirs_i))
    assert abs(float(ours_p) - theirs_p) <= 1e-9 * max(1.0, abs(theirs_p))


def test_zero_rate_is_straight_line() -> None:
    assert tvm.ipmt(0, 7, 12, 1200) == 0
    assert tvm.ppmt(0, 7, 12, 1200, 0, 1) == Decimal(-100)
    assert tvm.pmt(0, 12, 1200, 600) == Decimal(-150)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: tvm.ipmt("-1", 1, 10, 100), "rate"),
        (lambda: tvm.ppmt("-1.5", 1, 10, 100), "rate"),
        (lambda: tvm.ipmt("0.1", 1, 10, 100.0), "pv"),
        (lambda: tvm.ppmt("0.1", 1, 10, 100, 1.5), "fv"),
        (lambda: tvm.ppmt("0.1", 11, 10, 100), "per"),
        (lambda: tvm.ipmt("0.1", 1, 100_001, 100), "nper"),
        (lambda: tvm.ipmt("0.1", 1, 10, 100, 0, "later"), "when"),
        (lambda: tvm.pmt("-1", 10, 100), "rate"),
        (lambda: tvm.cumipmt("0.1", 10, 100, 0, 2, 0), "start_period"),
        (lambda: tvm.cumprinc("0.1", 10, 100, 1, 2, True), "when"),
    ],
)
def test_bad_inputs_name_the_field(call, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LoanMathError) as caught:
        call()
    assert field in str(caught.value)


def test_results_beyond_the_library_range_are_refused_not_wrong() -> None:
    with pytest.raises(InvalidInputError):
        tvm.pmt("1E+100", -100_000, 1000)  # a payment of about 1E+10000000
