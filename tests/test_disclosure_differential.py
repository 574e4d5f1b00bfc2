"""Differential test of the disclosure forms against an independent reference model.

THE MODEL (``tests/disclosure_reference.py``) IS WRITTEN FROM THE RULES — 12 CFR 1026.4,
1026.18, 1026.22 and Appendix J; PBoC announcement 〔2021〕第3号; Directive 2008/48/EC Article 3
and Annex I with the Commission guidelines SWD(2012)128 §4.1.1 — NOT FROM ``loanmath/disclosure``
OR ``loanmath/apr``. It takes plain data read off the public schedule (amount received, start
date, the rows' due dates and payments, fee totals, interest) and imports nothing from
``loanmath``. Where a rule leaves room the model states its reading (``READING T1, T2, C1``).
A disagreement is therefore a bug in the library or in the model: judge it from the rule text.

Random loans (principal 100–1,000,000.00, rate 0–30 %, term 1–60, the five level methods,
monthly mostly and quarterly / weekly, start dates 2020–2030 with month ends and the 29th–31st
over-weighted, optional upfront, financed and periodic fees; for TILA and SECCI a quarter of
the loans of 3+ instalments also get an odd first period through ``first_due_date``) are
disclosed in USD (TILA box), CNY (年化利率) and EUR (SECCI). The CNY loans are split: instalment
loans, and 到期一次还本付息 (bullet) loans, whose one repayment falls `term` periods after the
start. Loans the library refuses to construct, and disclosures it refuses with a
``LoanMathError``, are skipped; one such refusal of a lawful loan (0.00 schedule rows in the
TILA box) is pinned by an example test instead.

Compared: every money figure exactly; exact rates within 1e-8 (absolute, as a fraction); the
disclosed rates (4 places, half up) exactly, unless the reference's exact rate lies within 1e-8
of a rounding boundary.

``DISCLOSURE_DIFF_EXAMPLES`` (default 100) sets the examples per form.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from disclosure_reference import (
    PaymentGroup,
    cn_reference,
    round_half_up,
    secci_reference,
    tila_reference,
)
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from loanmath import Fee, LoanTerms, Money
from loanmath.errors import LoanMathError

N_EXAMPLES = int(os.environ.get("DISCLOSURE_DIFF_EXAMPLES", "100"))
RATE_TOLERANCE = Fraction(1, 10**8)
METHODS = ("annuity", "equal_principal", "interest_only", "flat", "bullet")
FREQUENCIES = ("monthly",) * 6 + ("quarterly", "weekly")
FIRST, LAST = dt.date(2020, 1, 1), dt.date(2030, 12, 31)

SETTINGS = settings(
    max_examples=N_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# --- loans ------------------------------------------------------------------------------------


@st.composite
def start_dates(draw: st.DrawFn) -> dt.date:
    """Any date 2020–2030, or a month end, or the 28th–31st (clamped to the month)."""
    kind = draw(st.sampled_from(("any", "month_end", "late_day")))
    if kind == "any":
        return draw(st.dates(FIRST, LAST))
    year, month = draw(st.integers(2020, 2030)), draw(st.integers(1, 12))
    end = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    day = end if kind == "month_end" else min(draw(st.integers(28, 31)), end)
    return dt.date(year, month, day)


#: Days after the start a first due date may fall on, per frequency (an odd first period).
FIRST_DUE_DAYS = {"monthly": 60, "quarterly": 150, "weekly": 13}


@st.composite
def loans(
    draw: st.DrawFn, currency: str, methods: Sequence[str] = METHODS, odd_first: bool = False
) -> LoanTerms:
    """A LoanTerms the library accepts (others are rejected). With `odd_first`, a quarter of
    the loans of 3 or more instalments get a first due date 1..60 days (monthly; quarterly
    150, weekly 13) after the start: an odd first period."""
    cents = draw(st.integers(10_000, 100_000_000))
    fees: list[Fee] = []
    if draw(st.booleans()):
        fees.append(Fee("origination", "upfront", amount=_money(draw(st.integers(1, cents // 10)))))
    if draw(st.booleans()):
        fees.append(
            Fee("arrangement", "financed", amount=_money(draw(st.integers(1, cents // 10))))
        )
    if draw(st.integers(0, 3)) == 0:
        per_period = draw(st.integers(1, max(1, cents // 1000)))
        fees.append(Fee("service", "periodic", amount=_money(per_period)))
    term = draw(st.integers(1, 60))
    frequency = draw(st.sampled_from(FREQUENCIES))
    start = draw(start_dates())
    first_due = None
    if odd_first and term >= 3 and draw(st.integers(0, 3)) == 0:
        first_due = start + dt.timedelta(days=draw(st.integers(1, FIRST_DUE_DAYS[frequency])))
    try:
        terms = LoanTerms(
            Money(_money(cents), currency),
            Decimal(draw(st.integers(0, 3000))).scaleb(-4),
            term,
            method=draw(st.sampled_from(tuple(methods))),
            frequency=frequency,
            start_date=start,
            first_due_date=first_due,
            fees=tuple(fees),
        )
    except LoanMathError:
        assume(False)
        raise  # unreachable: assume(False) raises
    return terms


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


# --- plain data for the model -----------------------------------------------------------------


def exact(value: object) -> Fraction:
    """A Decimal, or a decimal string, as an exact Fraction."""
    return Fraction(Decimal(value) if isinstance(value, str) else value)  # type: ignore[arg-type]


def plain(terms: LoanTerms) -> dict[str, Any]:
    """The reference model's inputs, read off the public schedule only."""
    schedule = terms.schedule
    return {
        "received": exact(schedule.disbursed),
        "start": schedule.start_date,
        "payments": [(row.due_date, exact(row.payment)) for row in schedule.installments],
        "fees": {
            "upfront": exact(schedule.upfront_fees),
            "financed": exact(schedule.financed_fees),
            "periodic": exact(schedule.total_fees),
        },
        "interest": exact(schedule.total_interest),
        "frequency": terms.frequency,
    }


def disclose(form: Callable[[LoanTerms], Any], terms: LoanTerms) -> dict[str, Any]:
    """The library's form as a dict; a LoanMathError skips the example."""
    try:
        return dict(form(terms).as_dict())
    except LoanMathError:
        assume(False)
        raise  # unreachable


# --- comparisons ------------------------------------------------------------------------------


def describe(terms: LoanTerms) -> str:
    """Enough to rebuild the loan."""
    fees = ", ".join(f"Fee({f.name!r}, {f.timing!r}, amount={str(f.amount)!r})" for f in terms.fees)
    return (
        f"LoanTerms(Money({str(terms.principal.amount)!r}, {terms.principal.currency!r}), "
        f"{str(terms.annual_rate)!r}, {terms.term}, method={terms.method!r}, "
        f"frequency={terms.frequency!r}, start_date={terms.start_date!r}, "
        f"first_due_date={terms.first_due_date!r}, fees=({fees}))"
    )


def near_boundary(rate: Fraction, places: int = 4) -> bool:
    """Within the tolerance of a half-up rounding boundary at `places` decimals."""
    scaled = rate * 10**places
    offset = scaled - scaled.__floor__() - Fraction(1, 2)
    return abs(offset) / 10**places < RATE_TOLERANCE


def check_money(terms: LoanTerms, name: str, library: str, reference: Fraction) -> None:
    assert exact(library) == reference, (
        f"{name}: library {library} != reference {float(reference):.2f} ({reference})\n"
        f"  {describe(terms)}"
    )


def check_groups(
    terms: LoanTerms, name: str, library: Sequence[dict[str, Any]], reference: list[PaymentGroup]
) -> None:
    mine = [(g.count, g.amount, g.first_due.isoformat(), g.last_due.isoformat()) for g in reference]
    theirs = [
        (g["count"], exact(g["amount"]), str(g["first_due"]), str(g["last_due"])) for g in library
    ]
    assert theirs == mine, f"{name}: library {theirs} != reference {mine}\n  {describe(terms)}"


def check_rate(
    terms: LoanTerms,
    name: str,
    exact_rate: str,
    shown: str | None,
    candidates: Sequence[Fraction],
) -> None:
    """`exact_rate` within the tolerance of one of the candidates (the first is the model's primary
    reading); `shown` (4 places) equal to that candidate rounded half up, off boundaries."""
    library = exact(exact_rate)
    matching = [c for c in candidates if abs(c - library) <= RATE_TOLERANCE]
    assert matching, (
        f"{name}: library {exact_rate} != reference "
        f"{' or '.join(f'{float(c):.12f}' for c in candidates)} "
        f"(diff {float(library - candidates[0]):+.3e})\n  {describe(terms)}"
    )
    if shown is None or near_boundary(matching[0]):
        return
    expected = round_half_up(matching[0], 4)
    assert exact(shown) == expected, (
        f"{name} (disclosed): library {shown} != reference {float(expected):.4f} "
        f"(exact {float(matching[0]):.12f})\n  {describe(terms)}"
    )


# --- the tests --------------------------------------------------------------------------------


@SETTINGS
@given(loans("USD", odd_first=True))
def test_tila_matches_reference(terms: LoanTerms) -> None:
    """12 CFR 1026.18 figures and the Appendix J APR."""
    from loanmath.disclosure import tila_disclosure

    box = disclose(tila_disclosure, terms)
    ref = tila_reference(**plain(terms))
    check_money(terms, "amount_financed", box["amount_financed"], ref.amount_financed)
    check_money(terms, "finance_charge", box["finance_charge"], ref.finance_charge)
    check_money(terms, "total_of_payments", box["total_of_payments"], ref.total_of_payments)
    check_groups(terms, "payment_schedule", box["payment_schedule"], ref.payment_schedule)
    check_rate(terms, "APR", box["apr_exact"], box["annual_percentage_rate"], ref.apr.candidates)


def check_cn(terms: LoanTerms) -> None:
    from loanmath.disclosure import cn_disclosure

    form = disclose(cn_disclosure, terms)
    data = plain(terms)
    ref = cn_reference(**data)
    assert form["periods_per_year"] == ref.periods_per_year, describe(terms)
    check_money(terms, "amount_received", form["amount_received"], ref.amount_received)
    check_money(
        terms,
        "total_interest_and_fees",
        form["total_interest_and_fees"],
        ref.total_interest_and_fees,
    )
    rows = [(r["number"], str(r["due_date"]), exact(r["payment"])) for r in form["instalments"]]
    mine = [(k + 1, due.isoformat(), p) for k, (due, p) in enumerate(data["payments"])]
    assert rows == mine, f"instalments: {rows} != {mine}\n  {describe(terms)}"
    check_rate(terms, "annualised_rate", form["annualised_rate"], None, [ref.annualised_rate])


@SETTINGS
@given(loans("CNY", methods=tuple(m for m in METHODS if m != "bullet")))
def test_cn_matches_reference(terms: LoanTerms) -> None:
    """PBoC 〔2021〕第3号: the IRR-annualised rate and the figures around it (instalment loans,
    where the instalment number is the number of periods)."""
    check_cn(terms)


@SETTINGS
@given(loans("CNY", methods=("bullet",)))
def test_cn_bullet_annualised_over_its_term(terms: LoanTerms) -> None:
    """The same for 到期一次还本付息 loans: one repayment after `term` periods is discounted over
    `term` periods (READING C1), not over one."""
    check_cn(terms)


@SETTINGS
@given(loans("EUR", odd_first=True))
def test_secci_matches_reference(terms: LoanTerms) -> None:
    """Directive 2008/48/EC Article 3 figures and the Annex I APRC."""
    from loanmath.disclosure import secci_disclosure

    form = disclose(secci_disclosure, terms)
    ref = secci_reference(**plain(terms))
    check_money(
        terms, "total_amount_of_credit", form["total_amount_of_credit"], ref.total_amount_of_credit
    )
    check_money(
        terms, "total_amount_payable", form["total_amount_payable"], ref.total_amount_payable
    )
    check_money(
        terms, "total_cost_of_credit", form["total_cost_of_credit"], ref.total_cost_of_credit
    )
    check_groups(terms, "instalments", form["instalments"], ref.instalments)
    if ref.duration_months is not None:
        assert form["duration_months"] == ref.duration_months, (
            f"duration_months: library {form['duration_months']} != {ref.duration_months}\n"
            f"  {describe(terms)}"
        )
    check_rate(terms, "APRC", form["aprc_exact"], form["aprc"], [ref.aprc_exact])


def test_tila_discloses_a_schedule_with_zero_rows() -> None:
    """1026.18 asks the box of every closed-end loan: an interest-only loan at 0 % with a
    financed fee has 0.00 rows before its one payment of principal + fee. Appendix J sums
    payments; a 0.00 row adds nothing (READING T2: one advance, one payment, (b)(5)(vi))."""
    from loanmath.disclosure import tila_disclosure

    terms = LoanTerms(
        Money("1000.00", "USD"),
        "0",
        4,
        method="interest_only",
        start_date=dt.date(2024, 1, 30),
        fees=(Fee("arrangement", "financed", amount="30.00"),),
    )
    ref = tila_reference(**plain(terms))
    assert ref.apr.candidates == (Fraction(9, 100), Fraction(3, 100) * Fraction(365, 121))
    box = dict(tila_disclosure(terms).as_dict())
    check_money(terms, "finance_charge", box["finance_charge"], ref.finance_charge)
    check_groups(terms, "payment_schedule", box["payment_schedule"], ref.payment_schedule)
    check_rate(terms, "APR", box["apr_exact"], box["annual_percentage_rate"], ref.apr.candidates)
