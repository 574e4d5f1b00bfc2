"""Published disclosures reproduced by the forms, to the cent and to the printed rate.

Every figure comes from ``tests/disclosure_golden_data.py`` (collected from the cited sources,
never from loanmath). Each published loan is rebuilt as a ``LoanTerms`` whose cash flows are
exactly the published ones: the amount financed paid out on the advance date and the published
payments on their dates — a zero contract rate with the published finance charge as a financed
fee where the source gives payments rather than a rate, so the payments are the source's to the
cent and the form's finance charge, totals and rates are computed from them.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from disclosure_golden_data import CN_CASES, EU_CASES, TILA_CASES

from loanmath import Fee, LoanTerms, Money
from loanmath.apr import regz_accurate
from loanmath.disclosure import cn_disclosure, secci_disclosure, tila_disclosure

_CASES = {case["id"]: case for case in TILA_CASES + CN_CASES + EU_CASES}
_FREQUENCY = {
    "monthly": "monthly",
    "semimonthly": "semimonthly",
    "quarterly": "quarterly",
    "weekly": "weekly",
    "every 2 weeks": "biweekly",
    "single payment": "monthly",
}


def _payments(case: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for stream in case["payment_streams"]:
        out += [stream["amount"]] * int(stream["count"])
    return out


def _published_loan(
    amount: str,
    currency: str,
    payments: list[str],
    start: dt.date,
    first_due: dt.date,
    frequency: str,
    upfront: str | None = None,
) -> LoanTerms:
    """The loan whose flows are exactly: `amount` (less `upfront`) out, `payments` in."""
    cost = sum((Decimal(p) for p in payments), Decimal(0)) - Decimal(amount)
    fees = [Fee("finance charge", "financed", amount=str(cost))] if cost else []
    if upfront:
        fees.append(Fee("prepaid", "upfront", amount=upfront))
    return LoanTerms(
        Money(amount, currency),
        "0",
        len(payments),
        method="custom",
        custom_payments=payments,
        frequency=frequency,
        start_date=start,
        first_due_date=first_due,
        fees=tuple(fees),
    )


_APPENDIX_J = [
    "regz-appj-c1-i",
    "regz-appj-c1-ii",
    "regz-appj-c1-iii",
    "regz-appj-c1-iv",
    "regz-appj-c1-v",
    "regz-appj-c2-i",
    "regz-appj-c3-i",
    "regz-appj-c3-ii",
    "regz-appj-c4-i",
    "regz-appj-c5-i",
]


@pytest.mark.parametrize("case_id", _APPENDIX_J)
def test_appendix_j_loans_on_the_tila_box(case_id: str) -> None:
    case = _CASES[case_id]
    terms = _published_loan(
        case["amount_financed"],
        "USD",
        _payments(case),
        dt.date.fromisoformat(case["advance_date"]),
        dt.date.fromisoformat(case["first_payment_date"]),
        _FREQUENCY[case["payment_frequency"]],
    )
    box = tila_disclosure(terms)
    assert box.amount_financed == Decimal(case["amount_financed"])
    assert box.finance_charge == Decimal(case["finance_charge"])
    assert box.total_of_payments == Decimal(case["total_of_payments"])
    printed = Decimal(case["apr"]) / 100
    assert box.annual_percentage_rate == printed, (box.apr_exact, case["apr"])
    assert regz_accurate(box.annual_percentage_rate, box.apr_exact)
    groups = [(g.count, g.amount) for g in box.payment_schedule]
    streams = [(int(s["count"]), Decimal(s["amount"])) for s in case["payment_streams"]]
    assert groups == streams


def test_occ_handbook_loan_one() -> None:
    """OCC Comptroller's Handbook, Truth in Lending: $5,000, 36 × $166.07, FC $978.52, 12 %."""
    case = _CASES["occ-til-apr-definition-loan-one"]
    start = dt.date(2024, 1, 15)
    terms = _published_loan(
        "5000.00", "USD", ["166.07"] * 36, start, dt.date(2024, 2, 15), "monthly"
    )
    box = tila_disclosure(terms)
    assert box.finance_charge == Decimal(case["finance_charge"])
    assert box.total_of_payments == Decimal(case["total_of_payments"])
    assert box.annual_percentage_rate.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal("0.12")


def test_a_prepaid_finance_charge_is_not_credit() -> None:
    """Capitol Title TILA FAQ: $50,000 at 12 % for 30 years with $2,000 prepaid finance
    charges: amount financed $48,000, payment $514.31, APR printed 12.553 %."""
    case = _CASES["title-faq-50000-prepaid-2000"]
    terms = LoanTerms(
        Money("50000", "USD"),
        "0.12",
        360,
        start_date=dt.date(2024, 1, 1),
        day_count="30/360-US",
        fees=(Fee("points", "upfront", amount="2000"),),
    )
    box = tila_disclosure(terms, itemize=True)
    assert box.amount_financed == Decimal(case["amount_financed"])
    assert box.payment_schedule[0].amount == Decimal(case["payment_amount"])
    assert box.itemization == {
        "amount_given_directly": Decimal("48000.00"),
        "prepaid_finance_charge": Decimal("2000.00"),
    }
    # the printed 12.553 % is accurate against our exact APR (1026.22(a)(2), 1/8 point)
    assert regz_accurate(Decimal(case["apr"]) / 100, box.apr_exact)
    assert abs(box.apr_exact - Decimal(case["apr"]) / 100) < Decimal("0.00002")


def test_commentary_18b2_amount_financed() -> None:
    """Reg Z comment 18(b)-2 i: $1,000 for one year, 6 % precomputed (add-on), $10 fee paid
    at consummation: amount financed $990, finance charge $70."""
    case = _CASES["regz-comment-18b-2-i-add-on"]
    terms = LoanTerms(
        Money("1000", "USD"),
        "0.06",
        12,
        method="flat",
        start_date=dt.date(2024, 1, 15),
        fees=(Fee("loan fee", "upfront", amount="10"),),
    )
    box = tila_disclosure(terms)
    assert box.amount_financed == Decimal(case["amount_financed"])
    assert box.finance_charge == Decimal(case["finance_charge"])
    assert box.total_of_payments == Decimal(case["total_of_payments"])
    assert box.finance_charge_refund == "may"  # precomputed: 1026.18(k)(2)


def test_pboc_announcement_example() -> None:
    """PBoC 〔2021〕第3号 annex: ¥100,000, ¥1,000 fee, 12 × ¥8,833.3 → 12.80 % (IRR × 12)."""
    case = _CASES["pboc-2021-3-annex-irr-example"]
    terms = _published_loan(
        case["principal"],
        "CNY",
        [case["instalment_amount"]] * 12,
        dt.date(2024, 1, 15),
        dt.date(2024, 2, 15),
        "monthly",
        upfront=case["upfront_fee"],
    )
    form = cn_disclosure(terms)
    assert form.amount_received == Decimal(case["amount_received"])
    shown = (form.annualised_rate * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert shown == Decimal(case["annualised_rate_simple"])
    compound = ((1 + form.annualised_rate / 12) ** 12 - 1) * 100
    assert compound.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal(
        case["annualised_rate_compound"]
    )


def test_flat_fee_rate_loan_shows_its_irr() -> None:
    """A 等本等息 loan of ¥300,000 at 0.5 % a month for 60 months: ¥6,500 a month, 10.85 %."""
    case = _CASES["zhihu-300k-fee-rate-0.5pct-60"]
    terms = LoanTerms(
        Money(case["principal"], "CNY"), "0.06", 60, method="flat", start_date=dt.date(2024, 1, 15)
    )
    form = cn_disclosure(terms)
    assert {r.payment for r in form.instalments} == {Decimal(case["instalment_amount"])}
    assert form.total_interest_and_fees == Decimal(case["total_interest_and_fees"])
    shown = (form.annualised_rate * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert shown == Decimal(case["annualised_rate_simple"])


def _eu_payments(case: dict[str, Any]) -> list[str]:
    count = int(case["number_of_instalments"])
    first, last = case["first_instalment"], case["final_instalment"]
    if last is None:  # the source's total fixes the one payment it does not print
        total = Decimal(case["total_amount_payable"]) - Decimal(case["instalment_amount"]) * (
            count - 1
        )
        last = str(total)
    middle = [case["instalment_amount"]] * (count - 2)
    return [first, *middle, last]


#: Two Irish dealers' hire-purchase examples print APRs no timing of their two €75 fees
#: reproduces (7.44 % and 9.66 % against 7.40 % and 9.70 % printed, whether the fees are paid
#: at the start, with the first or with the last instalment): kept, and expected to fail, so a
#: change that made them pass would be looked at.
_UNREPRODUCIBLE = {"ie-hp-ford-puma-17925", "ie-hp-hyundai-tucson-10367.50"}


@pytest.mark.parametrize(
    "case_id",
    [
        pytest.param(c["id"], marks=pytest.mark.xfail(reason="printed APR not reproducible"))
        if c["id"] in _UNREPRODUCIBLE
        else c["id"]
        for c in EU_CASES
    ],
)
def test_representative_examples_on_the_secci(case_id: str) -> None:
    case = _CASES[case_id]
    currency = "GBP" if case["jurisdiction"] == "UK" else "EUR"
    payments = _eu_payments(case)
    terms = _published_loan(
        case["total_amount_of_credit"],
        currency,
        payments,
        dt.date(2024, 1, 15),
        dt.date(2024, 2, 15),
        "monthly",
    )
    form = secci_disclosure(terms)
    assert form.total_amount_of_credit == Decimal(case["total_amount_of_credit"])
    deposit = Decimal(case["deposit"] or 0)
    assert form.total_amount_payable + deposit == Decimal(case["total_amount_payable"])
    printed = Decimal(case["aprc"])
    places = Decimal(1).scaleb(printed.as_tuple().exponent)
    assert (form.aprc_exact * 100).quantize(places, ROUND_HALF_UP) == printed
