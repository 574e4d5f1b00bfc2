"""Explaining a rate: published spreadsheet and Appendix J figures, a reference model written
from the documents (Fractions and plain loops, no loanmath), properties and bad inputs.

Sources
-------
[MS-IRR]  Microsoft support, "IRR function",
          https://support.microsoft.com/office/irr-function-64925eaa-9988-495b-b290-3ad0c163c1bc
          (Remarks: guess 10 % when omitted, "accurate within 0.00001 percent", #NUM! after 20
          tries; Example: -70,000 then 12,000 15,000 18,000 21,000 26,000 - after four years
          -2.1 %, after five years 8.7 %, after two years "you need to include a guess (in this
          example, -10%)" -44.4 %).
[MS-XIRR] Microsoft support, "XIRR function",
          https://support.microsoft.com/office/xirr-function-de1242ec-6477-445b-b11b-a303ad9adc9d
          (guess 10 %, "within 0.000001 percent", #NUM! after 100 tries; example result
          0.373362535).
[LO]      LibreOffice core sc/source/core/tool/interpr2.cxx, ScInterpreter::ScIRR: Newton
          x - f/f' with f = sum v/(1+x)^k, f' = sum -k v/(1+x)^(k+1), |dx| <= 1e-7, 20 steps.
[AppJ]    12 CFR 1026 Appendix J (b)(4)-(b)(5) and example (c)(5) (single advance, single
          payment: a term under a year is one unit-period with f = 0; 365/days or 12/months
          unit-periods a year; a longer term counts years back from the payment, the rest in
          months / 12) and (c)(1)(ii) (2/10/78 -> 4/1/78 is 1 unit-period and 19/30), printed
          APRs as transcribed in tests/test_apr.py [AppJ].
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from loanmath.apr import explain_rate, explain_regz, irr, regz_periods
from loanmath.errors import LoanMathError

d = dt.date

MS_FLOWS = ["-70000", "12000", "15000", "18000", "21000", "26000"]
MS_XIRR = (
    ["-10000", "2750", "4250", "3250", "2750"],
    [d(2008, 1, 1), d(2008, 3, 1), d(2008, 10, 30), d(2009, 2, 15), d(2009, 4, 1)],
    "0.373362535",
)


# --- the reference model, written from the documents -------------------------------------


def ref_npv(flows: list[str], rate: Fraction) -> Fraction:
    return sum((Fraction(Decimal(a)) / (1 + rate) ** k for k, a in enumerate(flows)), Fraction(0))


def ref_is_root(flows: list[str], figure: str) -> bool:
    """[MS-IRR] figures are shown to their last decimal: a root lies within half a unit of it."""
    text = figure.rstrip("%")
    places = len(text.split(".")[1]) if "." in text else 0
    scale = Fraction(1, 100) if figure.endswith("%") else Fraction(1)
    value = Fraction(Decimal(text)) * scale
    half = Fraction(1, 2 * 10**places) * scale
    low, high = ref_npv(flows, value - half), ref_npv(flows, value + half)
    return low == 0 or high == 0 or (low > 0) != (high > 0)


def ref_newton(values: list[float], times: list[float], guess: float, eps: float, most: int):
    """[MS-IRR]/[LO]: x <- x - f(x)/f'(x) until |step| < eps, at most `most` steps."""
    x = guess
    for step in range(1, most + 1):
        try:
            f = sum(v / (1.0 + x) ** t for v, t in zip(values, times, strict=True))
            df = sum(-t * v / (1.0 + x) ** (t + 1.0) for v, t in zip(values, times, strict=True))
            new = x - f / df
        except (OverflowError, ZeroDivisionError):
            return "#NUM!", step - 1
        if math.isnan(new) or new <= -1.0 or math.isinf(new):
            return "#NUM!", step - 1
        if abs(new - x) < eps:
            return new, step
        x = new
    return "#NUM!", most


def ref_month_terms(start: dt.date, day: dt.date) -> tuple[int, Fraction]:
    """[AppJ] (b)(5)(ii) for days of the month up to 28: whole months back from the payment,
    the rest in days / 30."""
    months = (day.year - start.year) * 12 + day.month - start.month
    while months and day - relativedelta(months=months) < start:
        months -= 1
    return months, Fraction((day - relativedelta(months=months) - start).days, 30)


# --- golden cases --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "shown", "guess"),
    [(6, "8.7%", None), (5, "-2.1%", None), (3, "-44.4%", "-0.1"), (6, "8.66%", None)],
)
def test_microsoft_irr_example_figures_are_roots(count: int, shown: str, guess: str | None) -> None:
    flows = MS_FLOWS[:count]
    e = explain_rate(flows, shown, guess=guess)
    assert e.is_root
    assert ref_is_root(flows, shown)
    assert e.root_index == 0
    assert len(e.roots) == 1
    assert isinstance(e.spreadsheet.result, Decimal)
    assert abs(e.spreadsheet.result - e.roots[0]) < Decimal("1e-7")  # [MS-IRR] accuracy
    exact = ref_npv(flows, Fraction(e.figure))  # the residual, to its 20 shown digits
    assert abs(Fraction(e.residual) - exact) <= abs(exact) * Fraction(1, 10**19)


def test_microsoft_two_year_irr_needs_a_guess() -> None:
    """[MS-IRR]: after two years "you need to include a guess": from 10 % Newton leaves the
    rates above -100 % and the spreadsheet shows #NUM!."""
    e = explain_rate(MS_FLOWS[:3], "-44.4%")
    assert e.spreadsheet.result == "#NUM!"
    assert ref_newton([-70000.0, 12000.0, 15000.0], [0.0, 1.0, 2.0], 0.1, 1e-7, 20)[0] == "#NUM!"
    assert "#NUM!" in e.as_text()


def test_microsoft_xirr_figure_is_within_xirr_accuracy_not_its_own_precision() -> None:
    """[MS-XIRR] prints 0.373362535; the root is 0.3733625335..., 1.5e-9 away: more than the
    figure's half unit (5e-10), less than XIRR's documented 0.000001 % (1e-8)."""
    flows, dates, shown = MS_XIRR
    e = explain_rate(flows, shown, dates=dates)
    assert not e.is_root
    assert e.root_index is None
    assert e.nearest_root is not None
    assert e.distance is not None
    assert Decimal("5e-10") < e.distance < Decimal("1e-8")
    assert e.spreadsheet.function == "XIRR"
    assert isinstance(e.spreadsheet.result, Decimal)
    assert abs(e.spreadsheet.result - Decimal(shown)) < Decimal("1e-8")
    assert "documented accuracy" in str(e)


# (label, advance date, payment date, amount, payment, unit name, per year, t, f, APR %)
APPENDIX_J_C5 = [
    ("(c)(5)(i)", d(1978, 1, 3), d(1978, 9, 15), "1000", "1080", "255 days (the term)",
     "365/255", "1", "0", "11.45"),
    ("(c)(5)(ii)", d(1978, 1, 1), d(1978, 7, 1), "1000", "1044", "181 days (the term)",
     "12/6", "1", "0", "8.80"),
    ("(c)(5)(iii)", d(1978, 1, 1), d(1979, 7, 1), "1000", "1135.19", "year", "1", "1", "6/12",
     "8.76"),
    ("(c)(5)(iv)", d(1978, 1, 1), d(1980, 1, 1), "1000", "1240", "year", "1", "2", "0",
     "11.36"),
]  # fmt: skip


@pytest.mark.parametrize("case", APPENDIX_J_C5, ids=[c[0] for c in APPENDIX_J_C5])
def test_appendix_j_c5_t_and_f(case: tuple[object, ...]) -> None:
    label, start, end, advance, payment, unit, per_year, t, f, apr = case
    e = explain_regz([(start, advance)], [(end, payment)], apr=Decimal(str(apr)) / 100)
    assert e.unit_period == unit, label
    assert e.unit_periods_per_year == Fraction(str(per_year))
    assert (e.payments[0].t, e.payments[0].f) == (int(str(t)), Fraction(str(f)))
    assert (e.apr * 100).quantize(Decimal("0.01")) == Decimal(str(apr))
    assert e.accurate is True
    assert e.irregular is False
    # the printed APR balances the equation within its two decimals: residual small
    assert e.residual is not None
    assert abs(e.residual) < Decimal("0.1")


def test_appendix_j_c1_ii_first_payment_is_one_unit_and_19_30() -> None:
    payments = [(d(1978, 4, 1) + relativedelta(months=k), "200") for k in range(36)]
    e = explain_regz([(d(1978, 2, 10), "6000")], payments, apr="11.82%")
    assert e.unit_period == "month"
    assert e.unit_periods_per_year == 12
    assert (e.payments[0].t, e.payments[0].f) == (1, Fraction(19, 30))
    assert (e.payments[-1].t, e.payments[-1].f) == (36, Fraction(19, 30))
    assert e.accurate
    assert not e.irregular
    assert "t = 1, f = 19/30" in e.as_text()


def test_regz_accuracy_uses_an_eighth_or_a_quarter_point() -> None:
    payments = [(d(1978, 4, 1) + relativedelta(months=k), "200") for k in range(36)]
    advance = [(d(1978, 2, 10), "6000")]
    assert not explain_regz(advance, payments, apr="12.00%").accurate  # 0.18 point off
    assert explain_regz(advance, payments, apr="12.00%", irregular=True).accurate
    two = [(d(1978, 2, 10), "3000"), (d(1978, 3, 10), "3000")]
    assert explain_regz(two, payments).irregular  # several advances


def test_the_residual_is_the_exact_equation_at_the_disclosed_rate() -> None:
    """Reference: the general equation with t and f from ref_month_terms, in Fractions."""
    start = d(1978, 1, 10)
    payments = [(start + relativedelta(months=k + 1), "230") for k in range(24)]
    e = explain_regz([(start, "5000")], payments, apr="0.0969")
    i = Fraction(969, 10000) / 12
    ref = -5000 + sum(
        Fraction(230) / ((1 + f * i) * (1 + i) ** t)
        for t, f in (ref_month_terms(start, day) for day, _ in payments)
    )
    assert e.residual is not None
    assert abs(Fraction(e.residual) - ref) <= abs(ref) * Fraction(1, 10**18)


def test_several_roots_are_listed_and_the_figure_picked() -> None:
    flows = ["-100", "230", "-132"]  # roots 10 % and 20 %
    e = explain_rate(flows, "0.2000")
    assert e.roots == (Decimal("0.1"), Decimal("0.2"))
    assert e.root_index == 1
    assert e.is_root
    far = explain_rate(flows, "0.15")
    assert not far.is_root
    assert far.root_index is None
    assert abs(far.distance or 0) == Decimal("0.05")
    assert ref_npv(flows, Fraction(1, 10)) == 0 == ref_npv(flows, Fraction(1, 5))


def test_periods_per_year_scales_the_figure() -> None:
    flows = ["-12000", *["1066.19"] * 12]
    monthly = irr(flows)
    e = explain_rate(flows, str(round(monthly * 12, 8)), periods_per_year=12)
    assert e.is_root
    assert e.roots[0] == (monthly * 12).quantize(Decimal("1e-19"))


# --- properties ----------------------------------------------------------------------------

loans = st.builds(
    lambda p, pays: [str(-p), *(str(x) for x in pays)],
    st.integers(1000, 10**6),
    st.lists(st.integers(50, 10**5), min_size=1, max_size=24),
).filter(lambda fl: sum(int(x) for x in fl[1:]) > -int(fl[0]))


@settings(max_examples=60, deadline=None)
@given(loans, st.integers(6, 12))
def test_a_confirmed_root_is_explained_as_a_root(flows: list[str], places: int) -> None:
    root = irr(flows)
    shown = str(root.quantize(Decimal(1).scaleb(-places)))
    e = explain_rate(flows, shown)
    assert e.is_root
    assert e.root_index == 0
    assert ref_is_root(flows, shown)


@settings(max_examples=60, deadline=None)
@given(loans, st.integers(6, 12), st.sampled_from([-7, -3, 3, 7]))
def test_a_figure_shifted_beyond_its_precision_is_not_a_root(
    flows: list[str], places: int, units: int
) -> None:
    root = irr(flows)
    quantum = Decimal(1).scaleb(-places)
    shifted = root.quantize(quantum) + units * quantum
    assume(shifted > -1)
    e = explain_rate(flows, str(shifted))
    assert not e.is_root
    assert e.root_index is None
    assert not ref_is_root(flows, str(shifted))
    assert e.distance is not None
    assert abs(e.distance) > quantum / 2


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(-(10**5), 10**5), min_size=2, max_size=15),
    st.sampled_from(["0.1", "-0.5", "0", "0.3", "2"]),
)
def test_the_irr_simulation_is_a_plain_newton_loop(values: list[int], guess: str) -> None:
    assume(any(v > 0 for v in values) and any(v < 0 for v in values))
    run = explain_rate([str(v) for v in values], "0.1", guess=guess).spreadsheet
    times = [float(k) for k in range(len(values))]
    expected, steps = ref_newton([float(v) for v in values], times, float(guess), 1e-7, 20)
    if expected == "#NUM!":
        assert run.result == "#NUM!"
    else:
        assert isinstance(run.result, Decimal)
        assert run.iterations == steps
        assert abs(float(run.result) - expected) <= 1e-12 * max(1.0, abs(expected))


@settings(max_examples=40, deadline=None)
@given(loans, st.lists(st.integers(1, 400), min_size=24, max_size=24))
def test_the_xirr_simulation_is_a_plain_newton_loop(flows: list[str], gaps: list[int]) -> None:
    dates = [d(2020, 1, 1)]
    for gap in gaps[: len(flows) - 1]:
        dates.append(dates[-1] + dt.timedelta(days=gap))
    run = explain_rate(flows, "0.1", dates=dates).spreadsheet
    years = [(day - dates[0]).days / 365.0 for day in dates]
    expected, steps = ref_newton([float(x) for x in flows], years, 0.1, 1e-8, 100)
    if expected == "#NUM!":
        assert run.result == "#NUM!"
    else:
        assert isinstance(run.result, Decimal)
        assert run.iterations == steps
        assert abs(float(run.result) - expected) <= 1e-12 * max(1.0, abs(expected))


@settings(max_examples=60, deadline=None)
@given(
    st.dates(d(1990, 1, 1), d(2060, 1, 1)),
    st.integers(1, 28),
    st.integers(0, 3),
    st.integers(3, 40),
)
def test_monthly_t_and_f_match_the_reference_counting(
    start: dt.date, day: int, skip: int, count: int
) -> None:
    first = (start + relativedelta(months=skip + 1)).replace(day=day)
    assume(first > start)
    payments = [(first + relativedelta(months=k), "100") for k in range(count)]
    unit, per_year, _, terms = regz_periods([(start, "1000")], payments)
    assert unit == ("month", 1)
    assert per_year == 12
    # a remainder of exactly 30 days (f = 30/30) is reported as one more whole unit-period:
    # (1 + 1·i)(1 + i)^t = (1 + i)^(t+1), the same term of the equation
    assert [t + f for t, f in terms] == [sum(ref_month_terms(start, p)) for p, _ in payments]
    assert all(0 <= f < 1 for _, f in terms)


# --- bad inputs ----------------------------------------------------------------------------

S, L = d(2024, 1, 1), d(2025, 1, 1)
BAD_RATE_CALLS = [
    (lambda: explain_rate([], "0.1"), "amounts"),
    (lambda: explain_rate(["-100", 110.0], "0.1"), "amounts[1]"),
    (lambda: explain_rate(["-100", "110"], 0.1), "figure"),
    (lambda: explain_rate(["-100", "110"], "ten"), "figure"),
    (lambda: explain_rate(["-100", "110"], "-100%"), "figure"),
    (lambda: explain_rate(["-100", "110"], "0.1", periods_per_year=0), "periods_per_year"),
    (lambda: explain_rate(["-100", "110"], "0.1", dates=[S, L], periods_per_year=12),
     "periods_per_year"),
    (lambda: explain_rate(["-100", "110"], "0.1", dates=[S]), "dates"),
    (lambda: explain_rate(["-100", "110"], "0.1", dates=[S, "2025-01-01"]), "dates[1]"),
    (lambda: explain_rate(["-100", "110"], "0.1", dates="2024"), "dates"),
    (lambda: explain_rate(["-100", "110"], "0.1", dates=[S, L], day_count="ACT/999"),
     "day_count"),
    (lambda: explain_rate(["-100", "110"], "0.1", guess="-1"), "guess"),
    (lambda: explain_regz([], [(L, "110")]), "advances"),
    (lambda: explain_regz([(S, "100")], [(L, "-110")]), "payments[0] amount"),
    (lambda: explain_regz([(L, "100")], [(S, "110")]), "payments"),
    (lambda: explain_regz([(S, "100")], [(L, "110")], apr="-2"), "apr"),
    (lambda: explain_regz([(S, "100")], [(L, "110")], apr=0.1), "apr"),
    (lambda: explain_regz([(S, "100")], [(L, "110")], irregular="yes"), "irregular"),
    (lambda: regz_periods([(S, "100")], "x"), "payments"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "field"), BAD_RATE_CALLS)
def test_bad_input_names_the_field(call: object, field: str) -> None:
    with pytest.raises(LoanMathError) as info:
        call()  # type: ignore[operator]
    assert getattr(info.value, "field", None) == field
    assert field in str(info.value)
