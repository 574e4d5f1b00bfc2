"""The compiled IRR kernel (issue 13) gives what the pure path gives, digit for digit.

The pure Python/Decimal path is the reference: the kernel either returns the same 20
significant digits or declines (None) and the pure path answers. CI builds the kernel and sets
``LOANMATH_REQUIRE_KERNEL=1`` so a build that silently fell back fails here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanmath.apr import _fast, eu_aprc, irr, regz_apr, xirr
from loanmath.apr.irr import _pure_irr, _pure_xirr
from loanmath.errors import LoanMathError

KERNEL = _fast.KERNEL
needs_kernel = pytest.mark.skipif(KERNEL is None, reason="built without the compiled kernel")


def _pure(amounts: list[object]) -> Decimal:
    return _pure_irr(amounts, guess=None, tol=_fast_tol(), maxiter=200)


def _fast_tol() -> Decimal:
    from loanmath.apr._confirm import TOL

    return TOL


def test_the_kernel_is_built_where_ci_requires_it() -> None:
    if os.environ.get("LOANMATH_REQUIRE_KERNEL"):
        assert KERNEL is not None, "the C kernel did not build: check gcc and the build log"


loans = st.builds(
    lambda principal, payment, n, places: [
        -Decimal(principal).scaleb(-places),
        *[Decimal(payment).scaleb(-places)] * n,
    ],
    st.integers(1, 10**12),
    st.integers(1, 10**11),
    st.integers(1, 480),
    st.integers(0, 4),
)
any_flows = st.lists(
    st.builds(
        lambda u, p: Decimal(u).scaleb(-p), st.integers(-(10**15), 10**15), st.integers(0, 6)
    ),
    min_size=2,
    max_size=120,
)


@needs_kernel
@settings(max_examples=300, deadline=None)
@given(flows=st.one_of(loans, any_flows))
def test_kernel_equals_the_pure_path(flows: list[Decimal]) -> None:
    fast = _fast.kernel_irr(flows)
    if fast is None:
        return  # declined: the pure path answers (or refuses) on its own
    assert fast == _pure(flows)


@needs_kernel
@given(flows=loans)
@settings(max_examples=100, deadline=None)
def test_strings_ints_and_decimals_read_alike(flows: list[Decimal]) -> None:
    as_text = [str(f) for f in flows]
    assert _fast.kernel_irr(as_text) == _fast.kernel_irr(flows)
    if all(f == f.to_integral_value() for f in flows):
        assert _fast.kernel_irr([int(f) for f in flows]) == _fast.kernel_irr(flows)


@needs_kernel
def test_the_kernel_answers_ordinary_loans_and_declines_the_rest() -> None:
    loan = ["-12000.00", *["1066.19"] * 12]
    assert _fast.kernel_irr(loan) == _pure(loan) == Decimal("0.010000673330247945250")
    assert _fast.kernel_irr(["-100", "100"]) is None  # a zero root: the pure path's digits
    for declined in (
        ["-100", "230", "-132"],  # two sign changes: the pure path lists the roots
        ["-1E+3", "1100"],  # an exponent
        ["-100", 110.0],  # a float: the pure path raises FloatMoneyError
        ["-100", "NaN"],
        ["-1" + "0" * 30, "2" + "0" * 30],  # beyond 62 bits
        [Decimal("-100"), True],
    ):
        assert _fast.kernel_irr(declined) is None


def test_irr_is_the_same_with_and_without_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    loans = [["-1000", *["35"] * 36], ["-100000", *["600"] * 360], ["-100", "39", "59", "55"]]
    with_kernel = [irr(flows) for flows in loans]
    monkeypatch.setattr(_fast, "KERNEL", None)
    assert [irr(flows) for flows in loans] == with_kernel


def test_a_pair_converts_exactly() -> None:
    assert _fast.to_rate((0.5, 2.0**-80)) == Decimal("0.50000000000000000000")
    assert _fast.to_rate((1e-30, 0.0)) == Decimal("1.0000000000000000833E-30")


dated = st.integers(2, 40).flatmap(
    lambda n: st.tuples(
        st.lists(
            st.builds(
                lambda u, p: Decimal(u).scaleb(-p),
                st.integers(-(10**12), 10**12),
                st.integers(0, 4),
            ),
            min_size=n,
            max_size=n,
        ),
        st.lists(
            st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
            min_size=n,
            max_size=n,
        ),
    )
)
dated_loans = st.builds(
    lambda principal, payment, n, start, gap: (
        [-Decimal(principal), *[Decimal(payment).scaleb(-2)] * n],
        [start + dt.timedelta(days=gap * k) for k in range(n + 1)],
    ),
    st.integers(100, 10**9),
    st.integers(100, 10**10),
    st.integers(1, 60),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)),
    st.integers(1, 400),
)


def _pure_dated(amounts: list[Decimal], dates: list[dt.date]) -> Decimal:
    return _pure_xirr(
        amounts, dates, day_count="ACT/365F", guess=None, tol=_fast_tol(), maxiter=200
    )


@needs_kernel
@settings(max_examples=300, deadline=None)
@given(case=st.one_of(dated_loans, dated))
def test_kernel_xirr_equals_the_pure_path(case: tuple[list[Decimal], list[dt.date]]) -> None:
    amounts, dates = case
    fast = _fast.kernel_xirr(amounts, dates)
    if fast is None:
        return  # declined: the pure path answers (or refuses) on its own
    assert fast == _pure_dated(amounts, dates)


def test_xirr_is_the_same_with_and_without_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    start = dt.date(2024, 1, 1)
    cases = [
        (["-1000", *["95"] * 11], [start + dt.timedelta(days=30 * k) for k in range(12)]),
        (
            ["-10000", "2750", "4250", "3250", "2750"],
            [
                dt.date(2008, 1, 1),
                dt.date(2008, 3, 1),
                dt.date(2008, 10, 30),
                dt.date(2009, 2, 15),
                dt.date(2009, 4, 1),
            ],
        ),
    ]
    with_kernel = [xirr(a, d) for a, d in cases]
    assert with_kernel[1] == Decimal("0.37336253351883151031")
    if KERNEL is not None:
        assert _fast.kernel_xirr(*cases[0]) is not None  # the kernel really answered
    monkeypatch.setattr(_fast, "KERNEL", None)
    assert [xirr(a, d) for a, d in cases] == with_kernel


def _outcome(call: Callable[[], Decimal]) -> object:
    """The rate, or the kind of LoanMathError raised (refused alike counts as the same)."""
    try:
        return call()
    except LoanMathError as error:
        return type(error)


def _same_with_and_without_the_kernel(call: Callable[[], Decimal]) -> None:
    with_kernel = _outcome(call)
    saved = _fast.KERNEL
    _fast.KERNEL = None
    try:
        assert _outcome(call) == with_kernel
    finally:
        _fast.KERNEL = saved


@st.composite
def regz_cases(
    draw: st.DrawFn,
) -> tuple[list[tuple[dt.date, Decimal]], list[tuple[dt.date, Decimal]]]:
    """Advances and payments as Appendix J meets them: odd first periods, several advances,
    weekly to yearly payments, irregular amounts."""
    start = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2050, 1, 1)))
    advances = [(start, Decimal(draw(st.integers(10_000, 10**9))).scaleb(-2))]
    for _ in range(draw(st.integers(0, 2))):
        later = start + dt.timedelta(days=draw(st.integers(1, 60)))
        advances.append((later, Decimal(draw(st.integers(100, 10**7))).scaleb(-2)))
    step = draw(st.sampled_from([7, 14, 15, 30, 31, 91, 365]))
    first = start + dt.timedelta(days=draw(st.integers(step // 2 + 1, 2 * step)))
    count = draw(st.integers(1, 60))
    total = sum(a for _, a in advances)
    level = (total * Decimal(draw(st.integers(101, 300))) / 100 / count).quantize(Decimal("0.01"))
    payments = [(first + dt.timedelta(days=step * k), level) for k in range(count)]
    if draw(st.booleans()):
        payments[-1] = (payments[-1][0], level + Decimal(draw(st.integers(1, 10**5))).scaleb(-2))
    return advances, payments


@settings(max_examples=200, deadline=None)
@given(case=regz_cases())
def test_regz_apr_is_the_same_with_and_without_the_kernel(
    case: tuple[list[tuple[dt.date, Decimal]], list[tuple[dt.date, Decimal]]],
) -> None:
    advances, payments = case
    _same_with_and_without_the_kernel(lambda: regz_apr(advances, payments))


@needs_kernel
def test_the_kernel_answers_appendix_j() -> None:
    from fractions import Fraction

    times = [Fraction(0), *[Fraction(k + 1) + Fraction(19, 30) for k in range(36)]]
    amounts = ["-6000", *["200"] * 36]  # example (c)(1)(ii): 11.82 %
    rate = _fast.kernel_general(amounts, times)
    assert rate is not None
    assert round(rate * 12 * 100, 2) == Decimal("11.82")


@settings(max_examples=200, deadline=None)
@given(case=dated_loans, period=st.sampled_from(["month", "year", "week"]))
def test_eu_aprc_is_the_same_with_and_without_the_kernel(
    case: tuple[list[Decimal], list[dt.date]], period: str
) -> None:
    amounts, dates = case
    _same_with_and_without_the_kernel(lambda: eu_aprc(amounts, dates, period=period))


@needs_kernel
def test_the_kernel_answers_the_eu_aprc() -> None:
    assert _fast.kernel_split(["-1000", "1100"], [(0, 0, 365), (12, 0, 365)], 12) == Decimal(
        "0.10000000000000000000"
    )


def test_regz_pure_path_survives_day_unit_periods_near_minus_100(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Found by the equality property: three advances a day apart make the unit-period a day,
    and the pure path's float search raised OverflowError at x**1278 (as an InvalidInputError)
    where the kernel answered; both now give the same rate."""
    advances = [
        (dt.date(2001, 1, 1), Decimal("100.00")),
        (dt.date(2001, 1, 2), Decimal("1.00")),
        (dt.date(2001, 1, 3), Decimal("1.00")),
    ]
    payments = [(dt.date(2001 + k, 7, 3 if k < 3 else 2), Decimal("25.76")) for k in range(4)]
    monkeypatch.setattr(_fast, "KERNEL", None)
    assert regz_apr(advances, payments) == Decimal("0.0050770419640491830523")


def test_an_iterator_is_refused_alike_with_and_without_the_kernel() -> None:
    """Found in review: the kernel read a generator (consuming it) and answered where the pure
    path refuses anything but a sequence; only lists and tuples go to the kernel now."""
    for call in (
        lambda: irr(x for x in ["-100", "110"]),
        lambda: xirr((x for x in ["-100", "110"]), [dt.date(2023, 1, 1), dt.date(2024, 1, 1)]),
        lambda: eu_aprc((x for x in ["-100", "110"]), [dt.date(2023, 1, 1), dt.date(2024, 1, 1)]),
    ):
        with pytest.raises(LoanMathError):
            call()
        _same_with_and_without_the_kernel(call)
