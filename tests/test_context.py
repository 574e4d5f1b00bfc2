"""Results never depend on the caller's decimal context (issue: every public function).

Each public function runs twice — in a normal context and in a hostile one (3 digits, floor
rounding, tiny exponents, every signal trapped, lower-case exponents) — and must give
identical results, compared by repr so that even the exponent of a Decimal must match.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import io
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from strategies import conventions, decimals, ordered_dates, rounding_modes

import loanmath
from loanmath import (
    D,
    Fee,
    LoanTerms,
    Money,
    Rounding,
    allocate,
    build_schedule,
    cli,
    minor_unit,
    minor_unit_quantum,
    reamortize,
)
from loanmath._decimal import div_round, to_fraction
from loanmath.calendars import HolidayCalendar
from loanmath.dates import adjust, is_business_day, nth_date, payment_dates, periods_per_year
from loanmath.daycount import day_count, year_fraction, year_fraction_exact

HOSTILE = decimal.Context(
    prec=3,
    rounding=decimal.ROUND_FLOOR,
    Emin=-6,
    Emax=6,
    capitals=0,
    clamp=1,
    traps=[
        decimal.Inexact,
        decimal.Rounded,
        decimal.FloatOperation,
        decimal.Subnormal,
        decimal.Underflow,
        decimal.Overflow,
        decimal.Clamped,
        decimal.InvalidOperation,
        decimal.DivisionByZero,
    ],
)

START, END = dt.date(2023, 11, 30), dt.date(2024, 8, 31)


def _schedule_rows() -> object:
    terms = LoanTerms(
        Money("1000000.00", "CNY"), "0.049", 360, start_date=START, rounding=Rounding("half_even")
    )
    s = terms.schedule
    return (s.installments, s.total_interest, s.cash_flows()[-1], str(s)[-200:])


def _ledger_round_trip() -> object:
    from loanmath.ledger import Journal, Posting, Transaction, columnar, lending_chart

    j = Journal(lending_chart(dt.date(2023, 1, 1)))
    j.post_many(
        Transaction(
            f"T{k}",
            dt.date(2024, 1, 1 + k),
            [
                Posting("Assets:Loans:Principal", "987654321.99", "CNY"),
                Posting("Assets:Bank:Custody", "-987654321.99", "CNY"),
            ],
        )
        for k in range(5)
    )
    j.reverse("T1", "T1-R", dt.date(2024, 1, 9))
    return (
        j.trial_balance(),
        j.balance("Assets:Loans:Principal", "CNY", on=dt.date(2024, 1, 3)),
        j.to_jsonl(),
        j.to_beancount(),
        columnar(j).balances(),
    )


def _servicing_replay() -> object:
    from loanmath.servicing import Disbursement, Loan, Repayment, Reversal

    terms = LoanTerms(
        Money("98765.43", "CNY"), "0.1835", 12, start_date=START, penalty_multiple="1.5"
    )
    loan = Loan(terms, "L").add(
        Disbursement("D", START),
        Repayment("P1", dt.date(2024, 1, 10), amount="9000.01"),
        Reversal("R1", dt.date(2024, 2, 3), target="P1"),
        Repayment("P2", dt.date(2024, 5, 17), amount="30000"),
    )
    return loan.state(dt.date(2024, 9, 1)), loan.journal(dt.date(2024, 9, 1)).head


def _servicing_policies() -> object:
    """Tranches, by-instalment allocation, 复利 and the UK caps (charge room) in one replay."""
    from loanmath import OverdueTerms
    from loanmath.caps import UK_HCSTC
    from loanmath.penalty import PenaltyPolicy
    from loanmath.servicing import Disbursement, Loan, Repayment, ServicingPolicy

    policy = ServicingPolicy(
        instalment_order="by_instalment",
        accrual="daily",
        overpayment="keep_term",
        penalty=PenaltyPolicy(late_fee="7.77"),
    )
    terms = LoanTerms(
        Money("987.65", "GBP"),
        "0.7777",
        6,
        start_date=START,
        caps=(UK_HCSTC,),
        overdue=OverdueTerms(multiple="1", compound=True, late_fee="10", grace_days=2),
    )
    loan = Loan(terms, "UK", policy=policy).add(
        Disbursement("D1", START, amount="500.01"),
        Disbursement("D2", dt.date(2024, 2, 20)),
        Repayment("P1", dt.date(2024, 3, 29), amount="123.45"),
        Repayment("P2", dt.date(2024, 5, 3), amount="400"),
    )
    on = dt.date(2025, 3, 1)
    return loan.state(on), loan.journal(on).head, loan.payoff(on)


def _quote() -> object:
    from loanmath.caps import CN_COMPREHENSIVE_36
    from loanmath.disclosure import build_quote, quote_json, quote_text

    quote = build_quote(
        LoanTerms(
            Money("12345.67", "CNY"),
            "0.1799",
            12,
            start_date=START,
            fees=(Fee("service", "upfront", amount="234.56"),),
            caps=(CN_COMPREHENSIVE_36,),
        )
    )
    return quote_json(quote), quote_text(quote, "zh_CN")


def _disclosure_forms() -> object:
    from disclosure_loans import cn_loan, secci_loan, tila_loan

    from loanmath.disclosure import disclose

    return (
        disclose(tila_loan(), "tila", "json", itemize=True),
        disclose(cn_loan("quarterly", 8), "cn", "text"),
        disclose(secci_loan(), "secci", "html", "de_DE", chart=False),
    )


def _apr_and_caps() -> object:
    from loanmath import apr
    from loanmath.caps import CN_COMPREHENSIVE_36, max_fee, max_rate

    flows = ["-98765.43", *["9123.45"] * 12]
    dates = [START + dt.timedelta(days=30 * k) for k in range(13)]
    terms = LoanTerms(
        Money("12000", "CNY"),
        "0.10",
        12,
        start_date=START,
        fees=(Fee("service", "upfront", amount="200"),),
    )
    return (
        apr.irr(flows),
        apr.nominal_irr(flows, 12),
        apr.effective_irr(flows, 12),
        apr.xirr(flows, dates),
        apr.eu_aprc(flows, dates),
        apr.regz_apr([(START, "98765.43")], list(zip(dates[1:], flows[1:], strict=True))),
        apr.aprc_percent(Decimal("0.1268251")),
        max_rate(terms, CN_COMPREHENSIVE_36),
        max_fee(terms, CN_COMPREHENSIVE_36),
    )


def _tvm() -> object:
    from loanmath import tvm

    dates = [START + dt.timedelta(days=45 * k) for k in range(5)]
    return (
        tvm.pmt("0.0066666", 360, "250000"),
        tvm.rate(48, "-200", "8000"),
        tvm.npv("0.1", ["-10000", "3000", "4200", "6800"]),
        tvm.xnpv("0.09", ["-10000", "2750", "4250", "3250", "2750"], dates),
        tvm.cumipmt("0.0075", 360, "125000", 13, 24, 0),
        tvm.nper("0.01", "-100", "-1000", "10000", 1),
        tvm.effect("0.0525", 4),
    )


def _ageing_and_penalty() -> object:
    from loanmath.ageing import Due, LoanAgeing, days_past_due, portfolio_ageing
    from loanmath.penalty import penalty_interest

    rows = [LoanAgeing(str(k), 17 * k, Decimal(f"1234567.89{k}")) for k in range(12)]
    dues = [Due(dt.date(2024, m, 15), Decimal("100.01"), Decimal("99.99")) for m in (2, 3, 4)]
    return (
        portfolio_ageing(rows, END),
        days_past_due(dues, dt.date(2024, 6, 1), tolerance_amount="0.01"),
        penalty_interest(Decimal("987654.32"), Decimal("0.2777"), START, END, "CNY"),
    )


def _batches() -> object:
    from loanmath.apr.batch import regular_rates
    from loanmath.schedules.batch import batch_schedules

    b = batch_schedules([1234567, 50000001], ["0.1234", "0.049"], [12, 24])
    return b.amounts(1, "balance"), list(b.payment), regular_rates([12000], [1066.19], [12])


def _cli() -> tuple[str, ...]:
    """The command line's outputs: a quote, and a refused offer's cap message (its rates were
    once formatted with ``value * 100`` and ``quantize`` in the caller's context)."""
    outputs = []
    for argv in (
        ["quote", "10000", "--rate", "0.2", "--term", "12", "--currency", "CNY",
         "--start", "2024-01-15", "--json"],
        ["quote", "10000", "--rate", "0.40", "--term", "12", "--currency", "CNY",
         "--start", "2024-01-15"],
    ):  # fmt: skip
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(argv)
        outputs.append(f"{status}|{out.getvalue()}|{err.getvalue()}")
    return tuple(outputs)


CASES: dict[str, Callable[[], object]] = {
    "cli": _cli,
    "ledger round trip": _ledger_round_trip,
    "servicing replay": _servicing_replay,
    "servicing policies": _servicing_policies,
    "disclosure quote": _quote,
    "disclosure forms": _disclosure_forms,
    "apr and caps": _apr_and_caps,
    "uk apr (CONC App 1.1)": lambda: (
        loanmath.apr.uk_apr(
            ["-7500.00", *["235.02"] * 36],
            [START + dt.timedelta(days=30 * k) for k in range(37)],
        ),
        loanmath.apr.uk_apr(["-100", "230", "-132"], [START, END, END + dt.timedelta(days=99)]),
        loanmath.apr.uk_apr(
            ["-1000", "50", "1100"],
            [START, START - dt.timedelta(days=9), END],
            period="week",
            relevant_date=START,
        ),
        loanmath.apr.uk_apr_percent(Decimal("0.3137")),
        loanmath.apr.uk_years(START, END, period="week"),
        loanmath.apr.uk_apr_of(
            LoanTerms(Money("7500", "GBP"), "0.08", 36, start_date=dt.date(2024, 1, 31))
        ),
    ),
    "tvm": _tvm,
    "batch pricing": lambda: (
        loanmath.caps.batch_max_rate(
            loanmath.caps.CN_COMPREHENSIVE_36,
            principal=["98765.43", "12000"],
            currency="CNY",
            term=[36, 7],
            method=["annuity", "bullet"],
            upfront_fee=["1234.56", "0"],
            start_date=START,
        ).tolist(),
        loanmath.caps.batch_max_fee(
            loanmath.caps.US_MLA_36,
            principal="98765.43",
            currency="USD",
            annual_rate="0.2345678",
            term=24,
            fee="financed",
            start_date=START,
        ).tolist(),
        loanmath.caps.batch_check(
            loanmath.caps.CN_COMPREHENSIVE_36,
            principal="98765.43",
            currency="CNY",
            annual_rate=["0.3599999", "0.3600001"],
            term=12,
            method="interest_only",
            start_date=START,
        ).tolist(),
        loanmath.caps.batch_cash_flows(
            principal="98765.43", currency="CNY", annual_rate="0.0435", term=5, start_date=START
        ).tolist(),
    ),
    "ageing and penalty": _ageing_and_penalty,
    "batches": _batches,
    "explain_rate": lambda: (
        loanmath.apr.explain_rate(["-98765.43", *["9123.45"] * 12], "0.0315%", guess="0.02"),
        str(loanmath.apr.explain_rate(["-100", "230", "-132"], "0.15")),
        loanmath.apr.explain_rate(
            ["-10000", "2750", "4250"], "0.37", dates=[START, END, END + dt.timedelta(days=99)]
        ),
    ),
    "explain_regz": lambda: str(
        loanmath.apr.explain_regz(
            [(START, "98765.43")],
            [(START + dt.timedelta(days=30 * k), "9123.45") for k in range(1, 13)],
            apr="18.9%",
        )
    ),
    "D": lambda: D("123456789.123456789"),
    "Money": lambda: Money("1234567.891", "KWD"),
    "Money.__add__": lambda: Money("9999999.99", "CNY") + Money("0.01", "CNY"),
    "Money.__sub__": lambda: Money("0.01", "CNY") - Money("9999999.99", "CNY"),
    "Money.__mul__": lambda: Money("1234567.89", "CNY") * Decimal("1.0000001"),
    "Money.__truediv__": lambda: Money("1234567.89", "CNY") / 8,
    "Money.__neg__": lambda: -Money("1234567.89", "CNY"),
    "Money.__abs__": lambda: abs(Money("-1234567.89", "CNY")),
    "Money.__lt__": lambda: Money("1234567.88", "CNY") < Money("1234567.89", "CNY"),
    "Money.__str__": lambda: str(Money("1E+7", "JPY")),
    "Money.zero": lambda: Money.zero("KWD"),
    "Money.round": lambda: Money("1234567.885", "CNY").round(Rounding("half_even")),
    "Money.allocate": lambda: Money("1234567.89", "CNY").allocate([1, 2, 3, 7]),
    "Rounding.round": lambda: Rounding().round(Decimal("98765432.105"), "CNY"),
    "Rounding.round quantum": lambda: Rounding(quantum="0.05").round(Decimal("98765.425")),
    "Rounding.round Fraction": lambda: Rounding("up").round(Fraction(10**9, 7), "JPY"),
    "Rounding.round_money": lambda: Rounding().round_money(Fraction(123456789, 1000), "CNY"),
    "allocate": lambda: allocate(Decimal("98765432.10"), ["0.3333", "0.6667"], Decimal("0.01")),
    "minor_unit": lambda: minor_unit("KWD"),
    "minor_unit_quantum": lambda: minor_unit_quantum("KWD"),
    "div_round": lambda: div_round(10**30 + 5, 10, "half_even"),
    "to_fraction": lambda: to_fraction(Decimal("1234567.0000001")),
    "year_fraction": lambda: [
        year_fraction(START, END, c) for c in loanmath.daycount.convention_names()[:9]
    ],
    "year_fraction_exact": lambda: year_fraction_exact(START, END, "ACT/ACT-AFB"),
    "day_count": lambda: day_count(START, END, "30/360-US"),
    "nth_date": lambda: nth_date(START, 7, "semimonthly"),
    "payment_dates": lambda: payment_dates(START, 12, adjustment="modified_following"),
    "adjust": lambda: adjust(END, "preceding"),
    "is_business_day": lambda: is_business_day(END),
    "periods_per_year": lambda: periods_per_year("biweekly"),
    "LoanTerms.schedule": _schedule_rows,
    "build_schedule day count": lambda: build_schedule(
        LoanTerms(
            Money("987654321.09", "CNY"),
            "0.0435",
            360,
            start_date=START,
            day_count="ACT/ACT-ISDA",
            payment_basis="actual",
            fees=(Fee("svc", "periodic", rate="0.0003", basis="outstanding"),),
        )
    ).installments[-3:],
    "reamortize": lambda: (
        reamortize(
            LoanTerms(Money("120000.00", "CNY"), "0.0485", 36, start_date=START).schedule,
            dt.date(2024, 6, 15),
            Money("50000.00", "CNY"),
            keep="term",
        ).installments
    ),
    "business days and calendars": lambda: (
        LoanTerms(
            Money("120000.00", "CNY"),
            "0.0485",
            24,
            start_date=dt.date(2024, 1, 10),
            day_count="ACT/365F",
            business_day="modified_following",
            holidays="CN",
            accrual="adjusted",
        ).schedule.installments,
        HolidayCalendar("XFED").is_business_day(dt.date(2025, 10, 13)),
    ),
    "step": lambda: (
        LoanTerms(
            Money("300000", "JPY"),
            "0.03",
            24,
            method="step",
            step_every=6,
            step_rate="0.07",
            start_date=START,
        ).schedule.installments
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_identical_under_a_hostile_context(name: str) -> None:
    function = CASES[name]
    with decimal.localcontext(decimal.Context()):
        normal = function()
    with decimal.localcontext(HOSTILE):
        hostile = function()
    assert repr(hostile) == repr(normal)
    assert hostile == normal


def test_the_hostile_context_is_really_hostile() -> None:
    """Guard against a test that cannot fail: the same sum in the caller's context breaks."""
    with decimal.localcontext(HOSTILE), pytest.raises(decimal.Inexact):
        Decimal("9999999.99") + Decimal("0.01")


def test_a_global_hostile_context_changes_nothing() -> None:
    before = decimal.getcontext()
    expected = repr(Money("1234567.885", "CNY").round())
    decimal.setcontext(HOSTILE.copy())
    try:
        assert repr(Money("1234567.885", "CNY").round()) == expected
    finally:
        decimal.setcontext(before)


@given(decimals(), rounding_modes, conventions, ordered_dates())
def test_random_inputs_are_context_free(
    value: Decimal, mode: str, convention: str, pair: list[dt.date]
) -> None:
    def run() -> tuple[object, ...]:
        money = Money(value, "CNY")
        return (
            money.round(Rounding(mode)),
            money * 3 + money,
            year_fraction(pair[0], pair[1], convention),
        )

    with decimal.localcontext(decimal.Context()):
        normal = run()
    with decimal.localcontext(HOSTILE):
        hostile = run()
    assert repr(hostile) == repr(normal)
