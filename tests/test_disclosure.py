"""The disclosure forms: their JSON fields, the jurisdiction rules, the locales and options
they accept and refuse, the quote's fixes, and that the overdue terms a form states are what
servicing charges.

Expected words are written out here by hand from the forms' rules; figures come from the
schedules, which are tested on their own (tests/test_schedule_golden.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pytest
from disclosure_loans import START, cn_loan, quote_loan, secci_loan, tila_loan
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import overdue_terms

from loanmath import Fee, LoanTerms, Money, OverdueTerms
from loanmath.apr import nominal_irr
from loanmath.caps import CN_COMPREHENSIVE_36, UK_HCSTC, US_MLA_36, cn_private_lending
from loanmath.disclosure import (
    FORMATS,
    FORMS,
    LOCALES,
    build_quote,
    choose_form,
    cn_disclosure,
    disclose,
    disclosure,
    jurisdiction_rates,
    quote_text,
    rate_label,
    secci_disclosure,
)
from loanmath.errors import (
    InputTypeError,
    InvalidInputError,
    LoanMathError,
    MissingDependencyError,
    UnknownNameError,
)
from loanmath.servicing import Disbursement, Loan

# --- the JSON fields the issue and API.md name --------------------------------------------


def test_tila_json_has_the_federal_box() -> None:
    data = json.loads(disclose(tila_loan(), "tila", "json", itemize=True))
    for key in (
        "annual_percentage_rate",
        "finance_charge",
        "amount_financed",
        "total_of_payments",
        "payment_schedule",
    ):
        assert key in data
    # 1026.18(h): total of payments = amount financed + finance charge, to the cent
    assert Decimal(data["total_of_payments"]) == Decimal(data["amount_financed"]) + Decimal(
        data["finance_charge"]
    )
    # the $100 origination fee is a prepaid finance charge: not credit (1026.18(b))
    assert data["amount_financed"] == "4900.00"
    assert data["itemization"] == {
        "amount_given_directly": "4900.00",
        "prepaid_finance_charge": "100.00",
    }
    assert sum(g["count"] for g in data["payment_schedule"]) == 36


def test_cn_json_has_the_announcement_fields() -> None:
    data = json.loads(disclose(cn_loan(), "cn", "json"))
    for key in (
        "annualised_rate",
        "principal",
        "amount_received",
        "repayment_method",
        "term",
        "instalments",
        "total_interest_and_fees",
        "overdue_terms",
        "caps",
    ):
        assert key in data
    assert (data["principal"], data["amount_received"]) == ("12000.00", "11700.00")
    assert data["overdue_terms"]["annual_rate"] == "0.180"
    assert data["caps"][0]["rule"] == "CN_COMPREHENSIVE_36"


def test_the_cn_rate_is_nominal_irr_of_the_contract_flows() -> None:
    for frequency, term, k in (("monthly", 12, 12), ("quarterly", 8, 4), ("weekly", 52, 52)):
        terms = cn_loan(frequency, term)
        flows = [f.amount for f in terms.schedule.cash_flows()]
        form = cn_disclosure(terms)
        assert form.annualised_rate == nominal_irr(flows, k)
        assert form.periods_per_year == k
        # every cost is in it: the upfront fee makes it higher than the contract rate
        assert form.annualised_rate > Decimal("0.12")


def test_secci_totals() -> None:
    form = secci_disclosure(secci_loan())
    # Article 3(h): total amount payable = total amount of credit + total cost of credit
    assert form.total_amount_payable == form.total_amount_of_credit + form.total_cost_of_credit
    assert form.duration_months == 24
    assert [(c.name, c.timing, c.amount) for c in form.costs] == [
        ("Bearbeitungsgebühr", "financed", Decimal("150.00"))
    ]
    assert form.aprc == form.aprc_exact.quantize(Decimal("0.0001"), ROUND_HALF_UP)


# --- which form, which rates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "caps", "form", "rates"),
    [
        ("CNY", (), "cn", ("nominal_irr",)),
        ("USD", (), "tila", ("regz_apr",)),
        ("USD", (US_MLA_36,), "tila", ("regz_apr",)),
        ("EUR", (), "secci", ("eu_aprc",)),
        ("GBP", (UK_HCSTC,), "secci", ("eu_aprc",)),
        ("JPY", (), "quote", ("nominal_irr", "effective_irr")),
    ],
)
def test_the_jurisdiction_picks_the_form_and_the_rates(
    currency: str, caps: tuple[object, ...], form: str, rates: tuple[str, ...]
) -> None:
    amount = "100000" if currency == "JPY" else "1000"
    terms = LoanTerms(
        Money(amount, currency),
        "0.1",
        3,
        start_date=START,
        caps=caps,
        penalty_multiple="1" if caps else None,
    )
    assert choose_form(terms) == form
    assert jurisdiction_rates(terms) == rates
    assert build_quote(terms).shown == rates
    assert build_quote(terms, all_rates=True).shown == (
        "nominal_irr",
        "effective_irr",
        "regz_apr",
        "eu_aprc",
    )


def test_a_chinese_cap_on_a_loan_in_another_currency_still_means_china() -> None:
    terms = LoanTerms(
        Money("1000", "USD"), "0.1", 3, start_date=START, caps=(cn_private_lending(START),)
    )
    assert choose_form(terms) == "cn"


# --- locales, forms, formats and options: accepted and refused ---------------------------


@pytest.mark.parametrize("spelling", ["zh_CN", "zh-CN", "zh-cn", " zh_CN "])
def test_both_locale_spellings(spelling: str) -> None:
    assert disclose(cn_loan(), "cn", "text", spelling) == disclose(cn_loan(), "cn", "text")


@pytest.mark.parametrize(
    ("form", "locale"),
    [
        ("tila", "zh_CN"),
        ("cn", "de_DE"),
        ("secci", "en_US"),
        ("quote", "xx_YY"),
        ("quote", "en_US_POSIX_x"),
        ("quote", ""),
        ("quote", "de_CH"),
    ],
)
def test_a_locale_the_form_is_not_written_in_is_refused(form: str, locale: str) -> None:
    with pytest.raises(UnknownNameError, match="locale") as caught:
        disclose(
            quote_loan("USD")
            if form == "quote"
            else {"tila": tila_loan, "cn": cn_loan, "secci": secci_loan}[form](),
            form,
            "text",
            locale,
        )
    assert caught.value.choices == FORMS[form].locales


def test_unknown_form_and_format_name_the_accepted_values() -> None:
    with pytest.raises(UnknownNameError, match="'tila', 'cn', 'secci', 'quote', 'auto'"):
        disclose(cn_loan(), "truth")
    with pytest.raises(UnknownNameError, match="'html', 'text', 'json'"):
        disclose(cn_loan(), "cn", "pdf")
    assert FORMATS == ("html", "text", "json")


def test_a_form_for_another_currency_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"form='tila'.*loan is in CNY"):
        disclose(cn_loan(), "tila", "json")
    with pytest.raises(InvalidInputError, match=r"form='cn'.*loan is in USD"):
        cn_disclosure(tila_loan())
    with pytest.raises(InvalidInputError, match=r"form='secci'.*loan is in JPY"):
        secci_disclosure(quote_loan("JPY"))


def test_options_are_checked() -> None:
    with pytest.raises(UnknownNameError, match="option='itemise'"):
        disclose(tila_loan(), "tila", "json", itemise=True)
    with pytest.raises(InvalidInputError, match="itemize='yes': must be bool"):
        disclosure(tila_loan(), "tila", itemize="yes")
    with pytest.raises(InvalidInputError, match="creditor=42"):
        disclose(secci_loan(), "secci", "json", creditor=42)
    with pytest.raises(InputTypeError, match="all_rates=NotImplemented"):  # not its truth
        build_quote(tila_loan(), all_rates=NotImplemented)  # type: ignore[arg-type]


def test_html_and_text_without_jinja2_name_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from loanmath.disclosure import _render

    monkeypatch.setitem(sys.modules, "jinja2", None)
    _render._environment.cache_clear()
    try:
        with pytest.raises(MissingDependencyError, match=r"loanmath\[documents\]"):
            disclose(cn_loan(), "cn", "html")
        # JSON and the quote's text need no template engine
        assert json.loads(disclose(cn_loan(), "cn", "json"))["form"] == "cn"
        assert disclose(quote_loan("CNY"), "quote", "text", "zh_CN").startswith("贷款报价")
    finally:
        _render._environment.cache_clear()


def test_html_escapes_what_it_is_given() -> None:
    html = disclose(secci_loan(), "secci", "html", "en_IE", creditor="<script>x()</script> & Co")
    assert "<script>x()" not in html
    assert "&lt;script&gt;x()&lt;/script&gt; &amp; Co" in html


# --- the generic quote, fixed ------------------------------------------------------------------


def test_the_cn_rate_label_follows_the_frequency() -> None:
    monthly = quote_text(build_quote(cn_loan()), "zh_CN")
    quarterly = quote_text(build_quote(cn_loan("quarterly", 8)), "zh_CN")
    assert "月IRR×12" in monthly
    assert "IRR×4" not in monthly
    assert "季度IRR×4" in quarterly
    assert "IRR×12" not in quarterly


def test_cap_verdicts_are_words_not_code() -> None:
    for locale in ("zh_CN", "en_US"):
        text = quote_text(build_quote(cn_loan()), locale)
        assert "CN_COMPREHENSIVE_36" not in text
        assert "<=" not in text
    zh = quote_text(build_quote(cn_loan()), "zh_CN")
    assert "36.00%" in zh
    assert "18.00%" in zh


def test_cjk_text_uses_fullwidth_punctuation() -> None:
    for locale, currency in (("zh_CN", "CNY"), ("ja_JP", "JPY")):
        text = quote_text(build_quote(quote_loan(currency)), locale)
        labels = [line for line in text.splitlines() if "：" in line]
        assert labels, locale
        assert not re.search(r"[\u3000-\u9fff]: ", text), locale  # no ASCII colon after CJK


def test_a_residual_is_worded_as_a_residual() -> None:
    terms = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=START)
    assert terms.schedule.residual == Decimal("-0.01")
    en = quote_text(build_quote(terms), "en_US")
    assert "the last instalment is CN¥0.01 less than the regular one" in en
    assert "-CN¥" not in en
    assert "-¥" not in quote_text(build_quote(terms), "zh_CN")


def test_japanese_does_not_call_foreign_rates_jisshitsu_nenritsu() -> None:
    text = quote_text(build_quote(quote_loan("JPY"), all_rates=True), "ja_JP")
    assert "実質年率" not in text
    assert "APR" in text
    assert "APRC" in text


def test_only_the_jurisdictions_rates_unless_all() -> None:
    text = quote_text(build_quote(cn_loan()), "en_US")
    assert "Appendix J" not in text
    assert "APRC" not in text
    every = quote_text(build_quote(cn_loan(), all_rates=True), "en_US")
    assert "Appendix J" in every
    assert "APRC" in every


@pytest.mark.parametrize("locale", LOCALES)
def test_every_quote_locale_renders_every_format(locale: str) -> None:
    for output in FORMATS:
        assert disclose(quote_loan("EUR"), "quote", output, locale, chart=False)


@pytest.mark.parametrize("form", ["tila", "cn", "secci"])
def test_every_form_locale_renders_text_and_html(form: str) -> None:
    loan = {"tila": tila_loan, "cn": cn_loan, "secci": secci_loan}[form]()
    for locale in FORMS[form].locales:
        text = disclose(loan, form, "text", locale)
        html = disclose(loan, form, "html", locale, chart=False)
        assert "{{" not in text, locale
        assert "%(" not in text, locale
        assert "%(" not in html, locale
        assert html.startswith("<!DOCTYPE html>")


def test_the_german_secci_uses_the_directives_terms() -> None:
    text = disclose(secci_loan(), "secci", "text", "de_DE")
    for term in ("Gesamtkreditbetrag", "Sollzinssatz", "Effektiver Jahreszins", "Widerrufsrecht"):
        assert term in text
    assert "10.000,00" in text


# --- the overdue terms a form states are what servicing charges -------------------------


@settings(max_examples=60, deadline=None)
@given(overdue_terms(), st.integers(0, 25))
def test_the_forms_overdue_terms_are_what_servicing_charges(
    overdue: OverdueTerms, late: int
) -> None:
    """Shared with the servicing issue: read the terms off the CN form's JSON and the TILA
    form's JSON, charge them by hand (base × daily rate × days, rounded once), and compare with
    what a late loan owes."""
    terms = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=START, overdue=overdue)
    shown = json.loads(disclose(terms, "cn", "json"))["overdue_terms"]
    usd = LoanTerms(Money("1200.00", "USD"), "0.12", 3, start_date=START, overdue=overdue)
    assert json.loads(disclose(usd, "tila", "json"))["late_payment"] == shown
    grace, fee = shown["grace_days"], shown["late_fee"]
    daily = Decimal(shown["daily_rate"])
    loan = Loan(terms, "L").add(Disbursement("D", START))
    first = terms.schedule.installments[0]
    days = grace + 1 + late
    state = loan.state(first.due_date + dt.timedelta(days=days))
    expected = (first.principal * daily * days).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert state.instalments[0].penalty == expected
    assert state.fees_due == Decimal(fee or 0)
    within = loan.state(first.due_date + dt.timedelta(days=grace))
    assert (within.penalty_due, within.fees_due) == (0, 0)


def test_every_refusal_is_a_loanmath_error() -> None:
    bad = [
        lambda: disclose(cn_loan(), "cn", "html", 42),  # type: ignore[arg-type]
        lambda: disclose(cn_loan(), None),  # type: ignore[arg-type]
        lambda: disclose(cn_loan(), "cn", None),  # type: ignore[arg-type]
        lambda: disclose(cn_loan(), "cn", "text", "zh_CN\x00"),
        lambda: disclose(cn_loan(), "cn", "text", "zh_" + "C" * 10_000),
    ]
    for call in bad:
        with pytest.raises(LoanMathError):
            call()


def test_a_fee_in_html_is_named_and_escaped() -> None:
    terms = LoanTerms(
        Money("1000", "EUR"),
        "0.05",
        2,
        start_date=START,
        fees=(Fee("<b>fee</b>", "upfront", amount="10"),),
    )
    html = disclose(terms, "secci", "html", "en_IE", chart=False)
    assert "&lt;b&gt;fee&lt;/b&gt;" in html


def test_cn36_cap_wording_for_a_loan_near_the_cap() -> None:
    terms = LoanTerms(
        Money("12000", "CNY"), "0.20", 12, start_date=START, caps=(CN_COMPREHENSIVE_36,)
    )
    text = disclose(terms, "cn", "text", "en_US")
    assert "within China's 36.00% limit" in text


def test_the_quote_html_words_its_caps() -> None:
    html = disclose(cn_loan(), "quote", "html", "zh_CN", chart=False)
    assert "综合融资成本" in html
    assert "36.00%" in html
    assert "CN_COMPREHENSIVE_36" not in html


@given(
    st.lists(
        st.sampled_from(
            ["CN_COMPREHENSIVE_36", "CN_PRIVATE_LENDING_4LPR(2024-01-15)", "US_MLA_36",
             "UK_HCSTC", "POLICY_30", "MY_OWN_CAP"]
        ),
        max_size=3,
    ),
    st.sampled_from(["CNY", "USD", "EUR", "GBP", "PLN", "JPY", "CHF"]),
)  # fmt: skip
def test_the_form_and_the_quotes_rates_name_the_same_jurisdiction(
    names: list[str], currency: str
) -> None:
    """A USD loan under only a cap of the lender's own once got the TILA box but a quote of
    IRRs: the form and the rates now read one rule. The expectation is the table of forms in
    docs/disclosure.md: a cap naming a jurisdiction decides (cn, then us, then uk/eu), else
    the currency."""
    terms = SimpleNamespace(
        caps=[SimpleNamespace(name=n) for n in names],
        principal=SimpleNamespace(currency=currency),
    )
    order = [("CN_", "cn"), ("US_MLA", "tila"), ("UK_HCSTC", "secci")]
    named = [form for prefix, form in order if any(n.startswith(prefix) for n in names)]
    by_currency = {"CNY": "cn", "USD": "tila", "EUR": "secci", "GBP": "secci", "PLN": "secci"}
    expected = named[0] if named else by_currency.get(currency, "quote")
    rates = {
        "cn": ("nominal_irr",),
        "tila": ("regz_apr",),
        "secci": ("eu_aprc",),
        "quote": ("nominal_irr", "effective_irr"),
    }
    assert choose_form(terms) == expected
    assert jurisdiction_rates(terms) == rates[expected]


@pytest.mark.parametrize("frequency", ["weekly", "biweekly", "monthly", "quarterly"])
def test_the_quote_and_the_secci_disclose_one_aprc(frequency: str) -> None:
    """A weekly EUR loan's quote once counted the APRC in months (0.1051182) while its SECCI
    counted weeks (0.1050725): both now read the period from one place."""
    terms = LoanTerms(
        Money("5000.00", "EUR"), "0.10", 26, frequency=frequency, start_date=dt.date(2024, 3, 4)
    )
    secci = secci_disclosure(terms)
    assert build_quote(terms).rates["eu_aprc"] == secci.aprc_exact


@pytest.mark.parametrize("chart", ["yes", 1, float("nan"), None])
def test_chart_is_true_or_false(chart: object) -> None:
    """A truthy non-bool (a NaN from a config file) once drew a chart; now it is refused."""
    with pytest.raises(InputTypeError, match="chart"):
        disclose(quote_loan("EUR"), "quote", "html", chart=chart)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "frequency", "field"),
    [("nominal_irr", "fortnightly", "frequency"), ("nominal_irr", {}, "frequency"),
     ("apr", "monthly", "rate"), (["x"], "monthly", "rate")],
)  # fmt: skip
def test_rate_label_names_what_it_does_not_know(
    name: object, frequency: object, field: str
) -> None:
    """An unknown frequency once surfaced as a generic KeyError wrapper."""
    with pytest.raises(UnknownNameError, match=field):
        rate_label(name, frequency, "en_US")  # type: ignore[arg-type]
