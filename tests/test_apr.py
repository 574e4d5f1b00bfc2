"""Annualised rates: Reg Z Appendix J examples, EU APRC examples, IRR family, properties.

Sources
-------
[AppJ]  12 CFR 1026 Appendix J (c) examples, as transcribed in
        simontreanor/FSharp.Finance.Personal tests/AprUsActuarialTests.fs (1978 dates, printed
        APRs) and in a Swift test table transcribed from the 2024 govinfo PDF
        (CFR-2024-title12-vol9-part1026-appJ.pdf pp. 435-440); the two agree. Appendix J: rates
        "correct when rounded to two decimals".
[98/7]  Directive 98/7/EC Annex III worked examples (calendar basis).
[curo]  andrewmurphy353/curo test/daycount/eu_2008_48_ec_test.dart, cases taken from the
        Commission guidelines SWD(2012) 128.
[NPF]   numpy-financial irr docstring; [PYX] pyxirr docs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy_financial as npf
import pytest
import pyxirr
from dateutil.relativedelta import relativedelta
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from loanmath import LoanTerms, Money
from loanmath.apr import (
    aprc_percent,
    effective_irr,
    eu,
    eu_aprc,
    eu_years,
    irr,
    nominal_irr,
    regz_accurate,
    regz_apr,
    xirr,
)
from loanmath.apr.eu import eu_years_exact
from loanmath.errors import (
    DateTypeError,
    FloatMoneyError,
    InvalidInputError,
    NoSolutionError,
    UnknownNameError,
)

d = dt.date


def monthly(first: dt.date, count: int, amount: str, step: int = 1) -> list[tuple[dt.date, str]]:
    return [(first + relativedelta(months=step * k), amount) for k in range(count)]


def every(first: dt.date, count: int, amount: str, days: int) -> list[tuple[dt.date, str]]:
    return [(first + dt.timedelta(days=days * k), amount) for k in range(count)]


APPENDIX_J = [
    ("(c)(1)(i)", [(d(1978, 1, 10), "5000")], monthly(d(1978, 2, 10), 24, "230"), "9.69"),
    ("(c)(1)(ii)", [(d(1978, 2, 10), "6000")], monthly(d(1978, 4, 1), 36, "200"), "11.82"),
    (
        "(c)(1)(iii)",
        [(d(1978, 2, 23), "5000")],
        sorted(monthly(d(1978, 3, 1), 12, "219.17") + monthly(d(1978, 3, 16), 12, "219.17")),
        "10.34",
    ),
    ("(c)(1)(iv)", [(d(1978, 5, 23), "10000")], monthly(d(1978, 10, 1), 40, "385", 3), "8.97"),
    ("(c)(1)(v)", [(d(1978, 3, 20), "500")], every(d(1978, 4, 21), 30, "17.60", 7), "14.96"),
    (
        "(c)(2)(i)",
        [(d(1978, 1, 10), "5000")],
        [(d(1978, 2, 10), "250"), *monthly(d(1978, 3, 10), 23, "230")],
        "10.08",
    ),
    (
        "(c)(2)(ii)",
        [(d(1978, 3, 18), "400")],
        [(d(1978, 4, 20), "39.50"), *every(d(1978, 5, 18), 11, "38.31", 28)],
        "28.50",
    ),
    (
        "(c)(3)(i)",
        [(d(1978, 1, 10), "5000")],
        [*monthly(d(1978, 2, 10), 23, "230"), (d(1980, 1, 10), "280")],
        "10.50",
    ),
    (
        "(c)(3)(ii)",
        [(d(1978, 4, 3), "200")],
        [*every(d(1978, 4, 11), 19, "9.50", 14), (d(1979, 1, 2), "30")],
        "12.22",
    ),
    (
        "(c)(4)(i)",
        [(d(1978, 1, 10), "5000")],
        [(d(1978, 2, 10), "250"), *monthly(d(1978, 3, 10), 22, "230"), (d(1980, 1, 10), "280")],
        "10.90",
    ),
    (
        "(c)(4)(ii)",
        [(d(1978, 1, 10), "8000")],
        [(d(1978, 3, 1), "449.36"), *monthly(d(1978, 5, 1), 18, "465", 2), (d(1981, 5, 1), "200")],
        "7.30",
    ),
    ("(c)(5)(i)", [(d(1978, 1, 3), "1000")], [(d(1978, 9, 15), "1080")], "11.45"),
    # (c)(5)(ii)-(iv) and (c)(6): the transcriptions give unit-periods, not dates; the dates
    # below realise exactly those positions (6 months; 1 year + 6/12; 2 years; see module doc)
    ("(c)(5)(ii)", [(d(1978, 1, 1), "1000")], [(d(1978, 7, 1), "1044")], "8.80"),
    ("(c)(5)(iii)", [(d(1978, 1, 1), "1000")], [(d(1979, 7, 1), "1135.19")], "8.76"),
    ("(c)(5)(iv)", [(d(1978, 1, 1), "1000")], [(d(1980, 1, 1), "1240")], "11.36"),
    (
        "(c)(6)(i)",
        [(d(1978, 1, 1), "2135")],
        [
            *every(d(1978, 1, 27), 9, "100", 28),
            *every(d(1978, 1, 1) + dt.timedelta(days=292), 6, "100", 28),
            *every(d(1978, 1, 1) + dt.timedelta(days=474), 6, "100", 28),
            *every(d(1978, 1, 1) + dt.timedelta(days=656), 3, "100", 28),
        ],
        "12.00",
    ),
    (
        "(c)(6)(ii)",
        [(d(1978, 1, 20), "7350")],
        [
            *monthly(d(1978, 8, 1), 3, "1000"),
            (d(1979, 2, 1), "2000"),
            *monthly(d(1979, 8, 1), 3, "750"),
            (d(1979, 12, 18), "1000"),
        ],
        "10.22",
    ),
]


@pytest.mark.parametrize(("label", "advances", "payments", "printed"), APPENDIX_J)
def test_appendix_j_examples(label: str, advances: list, payments: list, printed: str) -> None:  # type: ignore[type-arg]
    apr = regz_apr(advances, payments)
    assert (apr * 100).quantize(Decimal("0.01")) == Decimal(printed), label


def test_appendix_j_positions_match_the_transcription() -> None:
    """(c)(1)(ii): 2/10 -> 4/1 is 1 unit + 19/30; (c)(1)(iv): 5/23 -> 10/1 is 1 + 39/90."""
    from loanmath.apr.regz import _position, _Series

    series = _Series([d(1978, 4, 1)])
    assert _position(d(1978, 2, 10), d(1978, 4, 1), ("month", 1), series) == 1 + Fraction(19, 30)
    assert _position(d(1978, 5, 23), d(1978, 10, 1), ("month", 3), series) == 1 + Fraction(39, 90)
    assert _position(d(1978, 2, 23), d(1978, 3, 1), ("semimonth", 1), series) == Fraction(6, 15)
    month_end = _Series([d(2024, 1, 31), d(2024, 2, 29), d(2024, 3, 31)])
    assert _position(d(2024, 1, 31), d(2024, 2, 29), ("month", 1), month_end) == 1
    thirtieth = _Series([d(2023, 1, 30), d(2023, 2, 28), d(2023, 3, 30)])
    assert _position(d(2023, 1, 30), d(2023, 2, 28), ("month", 1), thirtieth) == 1


def test_unit_period_can_be_forced_and_is_validated() -> None:
    apr = regz_apr(APPENDIX_J[0][1], APPENDIX_J[0][2], unit_period="month")
    assert (apr * 100).quantize(Decimal("0.01")) == Decimal("9.69")
    with pytest.raises(UnknownNameError, match="unit_period"):
        regz_apr(APPENDIX_J[0][1], APPENDIX_J[0][2], unit_period="fortnight")


def test_multiple_advances_balance_the_equation() -> None:
    """A construction-style loan: two advances. The APR makes the Appendix J equation hold."""
    advances = [(d(2024, 1, 15), "50000"), (d(2024, 4, 15), "50000")]
    payments = monthly(d(2024, 7, 15), 60, "2000")
    apr = regz_apr(advances, payments)
    i = apr / 12
    lhs = Decimal(50000) + Decimal(50000) / (1 + i) ** 3
    rhs = sum((Decimal(2000) / (1 + i) ** (6 + k) for k in range(60)), Decimal(0))
    assert abs(lhs - rhs) < Decimal("1e-8")


def test_regz_bad_input() -> None:
    with pytest.raises(InvalidInputError, match="must not precede"):
        regz_apr([(d(2024, 2, 1), "100")], [(d(2024, 1, 1), "110")])
    with pytest.raises(InvalidInputError, match="must be > 0"):
        regz_apr([(d(2024, 1, 1), "-100")], [(d(2024, 2, 1), "110")])
    with pytest.raises(DateTypeError):
        regz_apr([("2024-01-01", "100")], [(d(2024, 2, 1), "110")])
    with pytest.raises(FloatMoneyError):
        regz_apr([(d(2024, 1, 1), 100.0)], [(d(2024, 2, 1), "110")])
    with pytest.raises(InvalidInputError, match="must not be empty"):
        regz_apr([], [(d(2024, 2, 1), "110")])


def test_regz_tolerance_1026_22() -> None:
    assert regz_accurate("0.1000", "0.10125")
    assert not regz_accurate("0.1000", "0.101251")
    assert regz_accurate("0.1000", "0.1025", irregular=True)
    assert not regz_accurate("0.1000", "0.102501", irregular=True)


# --- EU -----------------------------------------------------------------------------------

CURO = [
    ("month", d(2019, 1, 12), d(2020, 1, 12), Fraction(1)),
    ("month", d(2012, 1, 12), d(2012, 2, 15), Fraction(1, 12) + Fraction(3, 365)),
    ("month", d(2012, 1, 12), d(2012, 3, 15), Fraction(2, 12) + Fraction(3, 365)),
    ("month", d(2013, 1, 12), d(2013, 2, 15), Fraction(1, 12) + Fraction(3, 366)),
    ("month", d(2013, 2, 25), d(2013, 3, 28), Fraction(1, 12) + Fraction(3, 366)),
    ("month", d(2013, 2, 26), d(2013, 3, 29), Fraction(1, 12) + Fraction(2, 366)),
    ("month", d(2012, 2, 26), d(2012, 3, 29), Fraction(1, 12) + Fraction(3, 366)),
    ("year", d(2012, 1, 12), d(2012, 2, 15), Fraction(34, 365)),
    ("year", d(2012, 1, 12), d(2013, 2, 15), 1 + Fraction(34, 365)),
    ("year", d(2020, 1, 1), d(2021, 3, 15), 1 + Fraction(74, 366)),
    ("week", d(2012, 1, 12), d(2012, 1, 26), Fraction(2, 52)),
    ("week", d(2012, 1, 12), d(2013, 1, 10), Fraction(1)),
    ("week", d(2012, 1, 12), d(2012, 1, 30), Fraction(2, 52) + Fraction(4, 365)),
    ("week", d(2012, 1, 12), d(2013, 1, 12), 1 + Fraction(2, 365)),
]


@pytest.mark.parametrize(("period", "start", "end", "expected"), CURO)
def test_eu_time_counting_commission_guidelines(
    period: str, start: dt.date, end: dt.date, expected: Fraction
) -> None:
    assert eu_years_exact(start, end, period=period) == expected


@settings(max_examples=500)
@given(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
@example(dt.date(2000, 1, 29))  # a 29th outside February (a first draft took it for 29 Feb)
@example(dt.date(2000, 2, 29))
@example(dt.date(2001, 2, 28))
@example(dt.date(2000, 2, 28))
@example(dt.date(1, 1, 1))
def test_eu_year_days_is_366_when_the_year_to_the_stop_holds_29_february(stop: dt.date) -> None:
    """Remark (c)'s 365/366 against a walk over the days of (stop - 12 months, stop]: the
    12 months back by dateutil (the last day of a shorter month), the days looked at one by
    one. The walk starts at the calendar's first day when 12 months back is before it."""
    try:
        begin = stop - relativedelta(months=12)
    except (ValueError, OverflowError):
        begin = dt.date.min
    day, leap = begin, False
    while day < stop:
        day += dt.timedelta(days=1)
        leap = leap or (day.month, day.day) == (2, 29)
    assert eu._year_days(stop) == (366 if leap else 365)


def test_directive_98_7_worked_examples() -> None:
    """[98/7] Annex III: 1,000 lent 1 Jan 1994; (1) 1,200 on 1 July 1995 -> 12,96 %;
    (2) net advance 950 -> 16,9 %; (3) 600 after one and two years -> 13,07 % (i = 0,1306623)."""
    one = eu_aprc(["-1000", "1200"], [d(1994, 1, 1), d(1995, 7, 1)], period="year")
    assert aprc_percent(one, 2) == Decimal("12.96")
    two = eu_aprc(["-950", "1200"], [d(1994, 1, 1), d(1995, 7, 1)], period="year")
    assert aprc_percent(two) == Decimal("16.9")
    three = eu_aprc(["-1000", "600", "600"], [d(1994, 1, 1), d(1995, 1, 1), d(1996, 1, 1)])
    assert abs(three - Decimal("0.1306623")) < Decimal("0.0000001")  # printed truncated


def test_aprc_display_rounds_half_up() -> None:
    assert aprc_percent(Decimal("0.12345")) == Decimal("12.3")
    assert aprc_percent(Decimal("0.12350")) == Decimal("12.4")
    with pytest.raises(InvalidInputError, match="decimals"):
        aprc_percent(Decimal("0.1"), 0)


def test_eu_bad_input() -> None:
    with pytest.raises(UnknownNameError, match="period"):
        eu_years(d(2024, 1, 1), d(2024, 2, 1), period="day")
    with pytest.raises(InvalidInputError, match="end"):
        eu_years(d(2024, 2, 1), d(2024, 1, 1))
    with pytest.raises(InvalidInputError, match="one date per amount"):
        eu_aprc(["-1", "2"], [d(2024, 1, 1)])


# --- IRR family ---------------------------------------------------------------------------


def test_published_irr_values() -> None:
    # [NPF] irr docstring, rounded to 5 places
    for flows, printed in (
        ([-100, 39, 59, 55, 20], "0.28095"),
        ([-100, 0, 0, 74], "-0.0955"),
        ([-100, 100, 0, 7], "0.06206"),
    ):
        assert irr(flows).quantize(Decimal(printed)) == Decimal(printed)
    # [PYX] xirr docs: 0.6342972615260243
    dates = [d(2020, 1, 1), d(2020, 3, 1), d(2020, 10, 30), d(2021, 2, 15)]
    assert abs(xirr([-10000, 5750, 4250, 3250], dates) - Decimal("0.6342972615260243")) < (
        Decimal("1e-12")
    )


def test_several_roots_need_a_guess() -> None:
    """[NPF] irr([-100, 100, 0, -7]) has roots near -8.3 % and 0 %... listed, or chosen."""
    flows = [-100, 230, -132]  # roots 10 % and 20 %
    with pytest.raises(NoSolutionError, match="pass a guess"):
        irr(flows)
    assert irr(flows, guess="0.09").quantize(Decimal("1E-12")) == Decimal("0.1").quantize(
        Decimal("1E-12")
    )
    assert irr(flows, guess="0.25").quantize(Decimal("1E-12")) == Decimal("0.2").quantize(
        Decimal("1E-12")
    )


def test_irr_bad_input() -> None:
    with pytest.raises(NoSolutionError, match="positive and one negative"):
        irr([1, 2, 3])
    with pytest.raises(NoSolutionError):
        irr([0, 0])
    with pytest.raises(InvalidInputError, match="must not be empty"):
        irr([])
    with pytest.raises(InvalidInputError, match="guess"):
        irr([-100, 110], guess="-1")
    with pytest.raises(FloatMoneyError):
        irr([-100.0, 110])
    with pytest.raises(InvalidInputError, match=r"NaN|finite"):
        irr(["-100", "NaN"])
    with pytest.raises(InvalidInputError, match="one date per amount"):
        xirr([-100, 110], [d(2024, 1, 1)])
    with pytest.raises(InvalidInputError, match="periods_per_year"):
        nominal_irr([-100, 110], 0)


def test_payday_rates_above_1000_percent() -> None:
    """A 14-day loan of 100 repaid with 115: 15 % a fortnight, 3,547 % effective a year."""
    rate = xirr([-100, 115], [d(2024, 1, 1), d(2024, 1, 15)])
    assert rate > 30
    assert abs((1 + rate) ** (Decimal(14) / Decimal(365)) - Decimal("1.15")) < Decimal("1e-15")


def test_schedule_cash_flows_feed_the_rates() -> None:
    terms = LoanTerms(Money("12000.00", "CNY"), "0.12", 12, start_date=d(2024, 1, 15))
    flows = [f.amount for f in terms.schedule.cash_flows()]
    assert abs(nominal_irr(flows, 12) - Decimal("0.12")) < Decimal("0.0001")
    assert effective_irr(flows, 12) > nominal_irr(flows, 12)


@st.composite
def loans(draw: st.DrawFn) -> list[Decimal]:
    n = draw(st.integers(1, 120))
    principal = Decimal(draw(st.integers(1000, 10**8)))
    rate = Decimal(draw(st.integers(0, 200_000))).scaleb(-6)  # up to 20 % a period
    payment = principal * (rate / (1 - (1 + rate) ** -n) if rate else 1 / Decimal(n))
    return [-principal, *[payment.quantize(Decimal("0.01"))] * n]


@settings(max_examples=200)
@given(loans())
def test_the_rate_is_a_root(flows: list[Decimal]) -> None:
    assume(sum(flows) != 0 and any(f > 0 for f in flows[1:]))
    r = irr(flows)
    npv = sum((f / (1 + r) ** k for k, f in enumerate(flows)), Decimal(0))
    assert abs(npv) <= Decimal("1e-12") * sum(abs(f) for f in flows)


@settings(max_examples=150)
@given(loans(), st.integers(1, 10**6), st.integers(2, 1000))
def test_monotone_in_fees_and_scale_invariant(flows: list[Decimal], fee: int, k: int) -> None:
    assume(sum(flows) > 0 and Decimal(fee) / 100 < -flows[0])
    base = irr(flows)
    with_fee = irr([flows[0] + Decimal(fee) / 100, *flows[1:]])  # fee withheld upfront
    assert with_fee > base
    scaled = irr([f * k for f in flows])
    assert abs(scaled - base) <= Decimal("1e-18") * (1 + abs(base))


@settings(max_examples=150)
@given(loans())
def test_agrees_with_peers_where_they_converge(flows: list[Decimal]) -> None:
    assume(sum(flows) > 0)
    floats = [float(f) for f in flows]
    ours = float(irr(flows))
    theirs = pyxirr.irr(floats)
    if theirs is not None:
        assert abs(ours - theirs) <= 1e-9 * (1 + abs(ours))
    if len(flows) <= 40:
        assert abs(ours - npf.irr(floats)) <= 1e-8 * (1 + abs(ours))


def test_regz_accurate_refuses_a_flag_that_is_not_a_bool() -> None:
    """Found by the hostile-input suite: irregular=NotImplemented reached `if irregular` and
    escaped as a raw DeprecationWarning."""
    from loanmath.apr import regz_accurate
    from loanmath.errors import InputTypeError

    with pytest.raises(InputTypeError) as caught:
        regz_accurate("0.12", "0.11876", irregular=NotImplemented)  # type: ignore[arg-type]
    assert caught.value.field == "irregular"
