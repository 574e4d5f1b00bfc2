"""The UK APR of CONC App 1.1 (agreements secured on land; SI 1980/51 regs. 2, 9, 11).

Golden cases come from published figures (stored as strings, with their source); the
reference model below is written from the rules' words alone — its own calendar (dateutil,
a day-by-day count), exact Fractions for time, Decimal at 60 digits and plain bisection —
and is compared with :func:`loanmath.apr.uk_apr` on generated loans.
"""

from __future__ import annotations

import calendar
import datetime as dt
import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from loanmath import LoanTerms, Money
from loanmath.apr import eu_years, uk_apr, uk_apr_of, uk_apr_percent, uk_years
from loanmath.apr.eu import eu_years_exact
from loanmath.apr.uk import uk_years_exact
from loanmath.errors import (
    DateOrderError,
    DateTypeError,
    FloatMoneyError,
    InvalidInputError,
    LoanMathError,
    NoSolutionError,
    UnknownNameError,
)

# --------------------------------------------------------------------------- reference model

_REF = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN)


def ref_years(start: dt.date, end: dt.date, period: str) -> Fraction:
    """CONC App 1.1.10 R read directly: whole calendar months (or weeks, years) forward from
    the relevant date, then every remaining day as 1/365 of a year, 1/366 in a leap year."""
    if period == "week":
        whole = 0
        while start + dt.timedelta(weeks=whole + 1) <= end:
            whole += 1
        stop, years = start + dt.timedelta(weeks=whole), Fraction(whole, 52)
    else:
        months = 12 if period == "year" else 1
        whole = 0
        while start + relativedelta(months=months * (whole + 1)) <= end:
            whole += 1
        stop = start + relativedelta(months=months * whole)
        years = Fraction(whole * months, 12)
    day = stop
    while day < end:
        day += dt.timedelta(days=1)
        years += Fraction(1, 366 if calendar.isleap(day.year) else 365)
    return years


def ref_apr(
    amounts: list[str], dates: list[dt.date], period: str, relevant: dt.date | None = None
) -> Decimal:
    """Reg. 9: the rate equating present values at the relevant date, by bisection (one
    sign change in time order, so the present-value difference is monotone in the rate)."""
    origin = relevant or min(dates)
    times = [ref_years(origin, d, period) if d > origin else Fraction(0) for d in dates]
    flows = [Decimal(a) for a in amounts]

    def npv(rate: Decimal) -> Decimal:
        with decimal.localcontext(_REF):
            total = Decimal(0)
            for a, t in zip(flows, times, strict=True):
                exponent = Decimal(t.numerator) / Decimal(t.denominator)
                total += a / (1 + rate) ** exponent
            return total

    lo, hi = Decimal("-0.99"), Decimal(1)
    while (npv(hi) > 0) == (npv(lo) > 0):
        hi *= 2
        assert hi < 10**30
    sign_lo = npv(lo) > 0
    with decimal.localcontext(_REF):
        for _ in range(200):
            mid = (lo + hi) / 2
            if (npv(mid) > 0) == sign_lo:
                lo = mid
            else:
                hi = mid
    return lo


# --------------------------------------------------------------------------- golden cases

#: (source, amounts, dates, period, published percentage)
GOLDEN = [
    (
        # AQA/FSMQ Additional Mathematics worksheet "Annual Percentage Rate (APR) with more
        # than one instalment", http://www.fsmq.org/data/files/feb08afisaapr2si-10623.DOC,
        # section "Checking a given APR value", example: "A loan of 5000 is repaid in three
        # equal annual instalments of 2000. The APR is quoted as 9.7%." (UK legislation).
        "FSMQ AFISA APR worksheet, 'Checking a given APR value' example",
        ["-5000", "2000", "2000", "2000"],
        [dt.date(2008, 2, 1), dt.date(2009, 2, 1), dt.date(2010, 2, 1), dt.date(2011, 2, 1)],
        "month",
        "9.7",
    ),
    (
        # Gibraltar FSC consumer guide "Advertising", representative example:
        # https://www.fsc.gi/consumer-guides/consumer-credit/advertising - "Borrow £7,500 over
        # 3 years at a Representative APR of 8.3% you will pay £235.02 a month giving a total
        # repayment of £8,460.72 and an interest rate of 8% p.a."
        "Gibraltar FSC 'Advertising' representative example",
        ["-7500.00"] + ["235.02"] * 36,
        [dt.date(2024, 1, 15) + relativedelta(months=k) for k in range(37)],
        "month",
        "8.3",
    ),
]


#: Directive 98/7/EC Annex II, new Annex III "Examples of calculation", part A (calendar
#: basis), https://service.betterregulation.com/document/260747 . The UK wrote 98/7's single
#: APR method into SI 1980/51 by SI 1999/3177 (whose explanatory note: one method, "rounded to
#: one decimal place"), and SI 1980/51 as amended is the source of CONC App 1.1; the
#: directive's remark (e) required Member States' methods to give "a result equal to that of
#: the examples". No FCA/OFT worked example with full inputs could be found (issue 13's note).
DIRECTIVE_98_7 = [
    (
        # Example 3: "ECU 1 000, on 1 January 1994, repayable in two amounts, each of ECU 600,
        # paid after one and two years respectively" - "i = 0,1306623 rounded to 13,1 %"
        "98/7 Annex III A, example 3",
        ["-1000", "600", "600"],
        [dt.date(1994, 1, 1), dt.date(1995, 1, 1), dt.date(1996, 1, 1)],
        "month",
        "13.1",
    ),
    (
        # Example 2: as example 1, but "the creditor retains ECU 50 for administrative
        # expenses, so that the loan is in fact ECU 950" - "16,9 %"
        "98/7 Annex III A, example 2",
        ["-950", "1200"],
        [dt.date(1994, 1, 1), dt.date(1995, 7, 1)],
        "month",
        "16.9",
    ),
]


@pytest.mark.parametrize(
    ("source", "amounts", "dates", "period", "published"), GOLDEN + DIRECTIVE_98_7
)
def test_published_examples(
    source: str, amounts: list[str], dates: list[dt.date], period: str, published: str
) -> None:
    assert uk_apr_percent(uk_apr(amounts, dates, period=period)) == Decimal(published), source


def test_published_total_of_the_fsc_example() -> None:
    # the source's own total repayment, £8,460.72 = 36 x £235.02
    assert sum(Decimal(a) for a in GOLDEN[1][1][1:]) == Decimal("8460.72")


def test_directive_98_7_example_3_to_its_seven_printed_digits() -> None:
    # "i = 0,1306623" (printed truncated to 7 decimals): whole years under every basis
    apr = uk_apr(*DIRECTIVE_98_7[0][1:3])
    assert Decimal("0.1306623") <= apr < Decimal("0.1306624")


def test_directive_98_7_example_1_counts_days_where_app_1_1_counts_months() -> None:
    """Example 1 (1,000 lent 1 Jan 1994, 1,200 repaid 1 Jul 1995) prints "13 % (or 12,96 %
    ...)": part A counts the 546 days as 546/365 years. 1 Jan 1994 to 1 Jul 1995 is exactly 18
    calendar months, which CONC App 1.1 (as implemented) counts as 1.5 years: 12.9 %. The
    printed figure is the day basis of a method the UK no longer uses; kept as the contrast."""
    apr = uk_apr(["-1000", "1200"], [dt.date(1994, 1, 1), dt.date(1995, 7, 1)])
    assert uk_apr_percent(apr) == Decimal("12.9")
    with decimal.localcontext(decimal.Context(prec=50)):
        days_basis = Decimal("1.2") ** (Decimal(365) / Decimal(546)) - 1
    assert round(days_basis * 100, 2) == Decimal("12.96")


#: "The new method requires proper rounding, hence 31.37 would become 31.4, 31.33 would
#: become 31.3" — commentary on the OFT booklet "Consumer Credit Act 1974: Credit Charges and
#: APR", http://www.iriscom.co.uk/iris/apr.htm (the old rule truncated: 31.37 -> 31.3).
ROUNDING = [("0.3137", "31.4"), ("0.3133", "31.3")]


@pytest.mark.parametrize(("apr", "shown"), ROUNDING)
def test_published_rounding(apr: str, shown: str) -> None:
    assert uk_apr_percent(Decimal(apr)) == Decimal(shown)


# --------------------------------------------------------------------------- time counting


def test_whole_months_and_weeks() -> None:
    assert uk_years_exact(dt.date(2023, 3, 15), dt.date(2024, 9, 15)) == Fraction(18, 12)
    assert uk_years_exact(dt.date(2023, 3, 15), dt.date(2023, 5, 24), period="week") == Fraction(
        10, 52
    )
    assert uk_years_exact(dt.date(2023, 3, 15), dt.date(2026, 3, 15), period="year") == 3


def test_calendar_month_ends_on_the_last_day_when_the_day_is_missing() -> None:
    assert uk_years_exact(dt.date(2024, 1, 31), dt.date(2024, 2, 29)) == Fraction(1, 12)
    assert uk_years_exact(dt.date(2023, 1, 31), dt.date(2023, 3, 1)) == Fraction(1, 12) + Fraction(
        1, 365
    )


def test_leftover_days_take_their_own_year() -> None:
    # 2024 is a leap year: 31 Dec 2024 weighs 1/366, 1 and 2 Jan 2025 1/365 each
    assert uk_years_exact(dt.date(2024, 12, 30), dt.date(2025, 1, 2), period="week") == Fraction(
        1, 366
    ) + Fraction(2, 365)


def test_forward_count_differs_from_the_eu_backward_count() -> None:
    start, end = dt.date(2023, 1, 30), dt.date(2023, 3, 1)
    assert uk_years(start, end) != eu_years(start, end)


@settings(max_examples=200)
@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)),
    st.integers(0, 2000),
    st.sampled_from(["month", "week", "year"]),
)
def test_time_matches_the_reference(start: dt.date, days: int, period: str) -> None:
    end = start + dt.timedelta(days=days)
    assert uk_years_exact(start, end, period=period) == ref_years(start, end, period)


@settings(max_examples=100)
@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 1)),
    st.integers(0, 600),
)
def test_whole_months_agree_with_the_eu_count(start: dt.date, months: int) -> None:
    start = start.replace(day=min(start.day, 28))
    end = start + relativedelta(months=months)
    assert uk_years_exact(start, end) == eu_years_exact(start, end) == Fraction(months, 12)
    assert uk_years(start, end) == eu_years(start, end)


# --------------------------------------------------------------------------- the APR


@st.composite
def loans(draw: st.DrawFn) -> tuple[list[str], list[dt.date], str]:
    period = draw(st.sampled_from(["month", "week"]))
    start = draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31)))
    principal = draw(st.integers(10_000, 10_000_000))  # pence
    count = draw(st.integers(1, 48))
    irregular = draw(st.booleans())
    dates = [start]
    for k in range(1, count + 1):
        if irregular:
            dates.append(dates[-1] + dt.timedelta(days=draw(st.integers(20, 100))))
        elif period == "week":
            dates.append(start + dt.timedelta(weeks=k))
        else:
            dates.append(start + relativedelta(months=k))
    markup = draw(st.integers(0, 60))  # total repaid: principal x (1 + markup %)
    total = principal * (100 + markup) // 100
    payments = [total // count] * count
    payments[-1] += total - sum(payments)
    assume(all(p > 0 for p in payments))
    amounts = [f"-{Decimal(principal) / 100}"] + [str(Decimal(p) / 100) for p in payments]
    return amounts, dates, period


@settings(max_examples=60, deadline=None)
@given(loans())
def test_apr_matches_the_reference_model(loan: tuple[list[str], list[dt.date], str]) -> None:
    amounts, dates, period = loan
    got = uk_apr(amounts, dates, period=period)
    want = ref_apr(amounts, dates, period)
    assert abs(got - want) <= Decimal("1e-12") * max(1, abs(want))
    boundary = (want * 1000) % 1
    if abs(boundary - Decimal("0.5")) > Decimal("1e-6"):  # not on a rounding tie
        assert uk_apr_percent(got) == (want * 100).quantize(
            Decimal("0.1"), rounding=decimal.ROUND_HALF_UP
        )


@settings(max_examples=60, deadline=None)
@given(loans())
def test_apr_is_a_root(loan: tuple[list[str], list[dt.date], str]) -> None:
    amounts, dates, period = loan
    rate = uk_apr(amounts, dates, period=period)
    origin = min(dates)
    with decimal.localcontext(_REF):
        npv = sum(
            Decimal(a) / (1 + rate) ** uk_years(origin, d, period=period)
            for a, d in zip(amounts, dates, strict=True)
        )
    assert abs(npv) <= Decimal("1e-9") * sum(abs(Decimal(a)) for a in amounts)


def test_flows_on_or_before_the_relevant_date_count_at_face_value() -> None:
    day = dt.date(2024, 3, 1)
    later = [day + relativedelta(months=k) for k in range(1, 13)]
    paid_early = uk_apr(
        ["-1000", "50"] + ["90"] * 12, [day, day - dt.timedelta(days=20), *later], relevant_date=day
    )
    paid_on_day = uk_apr(["-1000", "50"] + ["90"] * 12, [day, day, *later])
    assert paid_early == paid_on_day
    assert paid_early == uk_apr(["-950"] + ["90"] * 12, [day, *later])


def test_relevant_date_moves_the_origin() -> None:
    # credit on 29 Feb, repaid 30 Mar 2024; the relevant date 31 Jan puts both in a count
    # from there: 1/12 and 1/12 + 30/366 years (not 0 and 1/12 + 1/366)
    relevant, dates = dt.date(2024, 1, 31), [dt.date(2024, 2, 29), dt.date(2024, 3, 30)]
    amounts = ["-1000", "1010"]
    from_relevant = uk_apr(amounts, dates, relevant_date=relevant)
    from_credit = uk_apr(amounts, dates)
    assert from_relevant != from_credit
    for got, want in (
        (from_relevant, ref_apr(amounts, dates, "month", relevant)),
        (from_credit, ref_apr(amounts, dates, "month")),
    ):
        assert abs(got - want) <= Decimal("1e-12") * abs(want)
    assert uk_apr(["-1000", "1100"], [relevant, dt.date(2025, 1, 31)]) == Decimal("0.1")


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        # roots +10 % and +20 %: the positive one nearest zero
        (["-100", "230", "-132"], Decimal("0.1")),
        # roots -5 % and +10 %: positive wins even though -5 % is nearer zero
        (["100", "-205", "104.5"], Decimal("0.1")),
        # roots -10 % and -20 %: no positive root, so the negative one nearest zero
        (["100", "-170", "72"], Decimal("-0.1")),
    ],
)
def test_several_roots_choose_as_regulation_9_3(amounts: list[str], expected: Decimal) -> None:
    dates = [dt.date(2021, 6, 1), dt.date(2022, 6, 1), dt.date(2023, 6, 1)]
    assert abs(uk_apr(amounts, dates) - expected) <= Decimal("1e-15")


def test_loan_terms_convenience() -> None:
    terms = LoanTerms(Money("7500", "GBP"), "0.08", 36, start_date=dt.date(2024, 1, 15))
    flows = terms.schedule.cash_flows()
    expected = uk_apr([f.amount for f in flows], [f.date for f in flows])
    assert uk_apr_of(terms) == expected
    weekly = LoanTerms(
        Money("1000", "GBP"), "0.2", 52, start_date=dt.date(2024, 1, 15), frequency="weekly"
    )
    flows = weekly.schedule.cash_flows()
    assert uk_apr_of(weekly) == uk_apr(
        [f.amount for f in flows], [f.date for f in flows], period="week"
    )


def test_percent_rounds_half_up_once() -> None:
    assert uk_apr_percent(Decimal("0.1265")) == Decimal("12.7")
    assert uk_apr_percent(Decimal("0.126499999")) == Decimal("12.6")
    assert uk_apr_percent("0.05") == Decimal("5.0")


# --------------------------------------------------------------------------- bad inputs

DAYS = [dt.date(2024, 1, 1), dt.date(2025, 1, 1)]

BAD = [
    ("amounts[0]", FloatMoneyError, lambda: uk_apr([-100.0, "110"], DAYS)),
    ("amounts", InvalidInputError, lambda: uk_apr("-100", DAYS)),
    ("amounts", InvalidInputError, lambda: uk_apr([], [])),
    ("dates", InvalidInputError, lambda: uk_apr(["-100", "110", "1"], DAYS)),
    ("dates[1]", DateTypeError, lambda: uk_apr(["-100", "110"], [DAYS[0], "2025-01-01"])),
    ("period", UnknownNameError, lambda: uk_apr(["-100", "110"], DAYS, period="fortnight")),
    (
        "relevant_date",
        InvalidInputError,
        lambda: uk_apr(["-100", "110"], DAYS, relevant_date=DAYS[1]),
    ),
    ("relevant_date", DateTypeError, lambda: uk_apr(["-100", "110"], DAYS, relevant_date="x")),
    ("guess", InvalidInputError, lambda: uk_apr(["-100", "110"], DAYS, guess="-1")),
    ("guess", FloatMoneyError, lambda: uk_apr(["-100", "110"], DAYS, guess=0.1)),
    ("apr", FloatMoneyError, lambda: uk_apr_percent(0.1)),
    ("apr", InvalidInputError, lambda: uk_apr_percent("NaN")),
    ("start", DateTypeError, lambda: uk_years("2024-01-01", DAYS[1])),
    ("end", DateOrderError, lambda: uk_years(DAYS[1], DAYS[0])),
    ("period", UnknownNameError, lambda: uk_years(DAYS[0], DAYS[1], period="day")),
    ("terms", InvalidInputError, lambda: uk_apr_of(object())),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(
    ("field", "kind", "call"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)]
)
def test_bad_input_names_the_field(field: str, kind: type, call: object) -> None:
    with pytest.raises(kind) as caught:
        call()  # type: ignore[operator]
    assert isinstance(caught.value, LoanMathError)
    assert getattr(caught.value, "field", None) == field


def test_flows_of_one_sign_have_no_apr() -> None:
    with pytest.raises(NoSolutionError):
        uk_apr(["100", "110"], DAYS)
