"""Published disclosure examples (US TILA, China 年化利率, EU/UK APRC) as plain golden data.

Nothing here was produced by loanmath. Every figure is a string exactly as the cited source
prints it (thousands separators and currency signs dropped, trailing zeros of money kept to two
places). A figure that the source does not print but that follows from printed figures by plain
arithmetic is marked in the case's ``derived`` mapping (field name -> the arithmetic used). A field
the source does not give is ``None``.

Every case carries:

* ``source``: the citation (document, section, URL) the figures were read from;
* ``confidence``: ``"high"`` (figures read from the source or from two agreeing transcriptions),
  ``"medium"`` (one transcription or a re-publication of the primary text), ``"low"`` (seen
  only in a secondary summary of the primary document; treat as provisional);
* ``note``: assumptions, transcription caveats and known quirks of the published figures.

Field conventions
-----------------
Rates are percent figures as printed (``"9.69"`` means 9.69 %). Counts are strings too
(``"36"``). Dates are ISO strings. ``payment_streams`` lists equal-payment series in the shape
12 CFR 1026 Appendix J uses: ``first_unit_periods`` (t) whole unit-periods plus ``first_fraction``
(f) of a unit-period from the start of the term to the first payment of the series.

TILA_CASES keys: id, source, confidence, note, derived, loan_amount, prepaid_finance_charge,
amount_financed, finance_charge, total_of_payments, apr, contract_rate, payment_amount,
number_of_payments, payment_frequency, unit_periods_per_year, payment_streams, advance_date,
first_payment_date, days_to_first_payment.

CN_CASES keys: id, source, confidence, note, derived, principal, upfront_fee, amount_received,
term_months, repayment_method, monthly_fee_rate, instalment_amount, total_interest_and_fees,
annualised_rate_simple, annualised_rate_compound, rate_basis.

EU_CASES keys: id, jurisdiction, source, confidence, note, derived, cash_price, deposit,
total_amount_of_credit, borrowing_rate, borrowing_rate_type, aprc, duration_months,
number_of_instalments, instalment_amount, first_instalment, final_instalment, fees,
total_cost_of_credit, total_amount_payable.

Collection notes
----------------
12 CFR 1026 Appendix J prints its equations and examples as page images. The Appendix J figures
below were taken from two independent public transcriptions that agree on every figure used:
simontreanor/FSharp.Finance.Personal tests/AprUsActuarialTests.fs
(commit 086b7a2a8b7b799155ba9bf7b15aee9d2deedef6; examples (c)(1)(i) to (c)(5)(i), with the
example dates) and a second public project's script ``par/scratch/regz_appJ.py`` (examples
(c)(1) to (c)(6), with t and f per series, citing the GPO print CFR 2024 edition, title 12
vol. 9, pp. 435-440). The page images themselves were not read for this file. Examples (c)(6)(i)
and (c)(6)(ii) (skipped-payment schedules) are left out: only one transcription covers them.
"""

from __future__ import annotations

from typing import Any

_APPJ = (
    "12 CFR Part 1026 (Regulation Z), Appendix J 'Annual Percentage Rate Computations for "
    "Closed-End Credit Transactions', paragraph (c) 'Examples for the actuarial method', "
    "example {ex}; https://www.consumerfinance.gov/rules-policy/regulations/1026/j/ ; print: "
    "https://www.govinfo.gov/content/pkg/CFR-2024-title12-vol9/pdf/"
    "CFR-2024-title12-vol9-part1026-appJ.pdf"
)

_APPJ_NOTE = (
    "Appendix J gives the amount advanced (the amount financed of a single-advance loan), the "
    "payment schedule and the APR; it prints no finance charge or total of payments, so those are "
    "derived. Figures from two agreeing transcriptions of the page images (see module docstring). "
)

_CB18 = (
    "12 CFR Part 1026, Supplement I (Official Interpretations), comment 18(b)-2 'Add-on or "
    "discount charges', example {ex}; https://www.consumerfinance.gov/rules-policy/regulations/"
    "1026/interp-18/ (URL follows the eRegs pattern, not verified)"
)

_CB18_NOTE = (
    "Commentary text: 'Each example assumes a loan request of $1000 for one year, subject to a 6 "
    "percent precomputed interest rate, with a $10 loan fee paid separately at consummation.' No "
    "payment schedule is given, so only the amount-financed arithmetic is testable. Read from "
    "re-publications of the commentary text (paraphrased copies), not from eCFR itself; the "
    "comment number 18(b)-2 should be re-checked against the current eCFR. "
)

_MSE = (
    "MoneySavingExpert, 'Representative APR examples - Official personal loan APRs' "
    "(lenders' own UK Consumer Credit / CONC 3.5 representative examples, as republished), "
    "https://www.moneysavingexpert.com/loans/personal-loans-apr-examples/ , provider '{p}'"
)

_IE_HP_NOTE = (
    "Irish hire-purchase representative example. The page lists '58 monthly payments' and a "
    "final payment equal to the regular payment plus the EUR 75 option-to-purchase fee. The "
    "printed total amount payable reconciles only if the EUR 75 documentation fee is added to a "
    "first instalment, i.e. 60 instalments: (payment + 75), 58 x payment, final payment (see "
    "derived). That first-instalment structure is an assumption. The rate of interest is a "
    "nominal annual rate; the APR is printed with two decimals but behaves like a one-decimal "
    "figure (e.g. 7.40 for a value between 7.35 and 7.45). Dealer page, snapshot undated. "
)


TILA_CASES: list[dict[str, Any]] = [
    {
        "id": "regz-appj-c1-i",
        "source": _APPJ.format(ex="(c)(1)(i) Monthly payments (regular first period)"),
        "confidence": "high",
        "note": _APPJ_NOTE,
        "derived": {
            "total_of_payments": "24 x 230.00 = 5520.00",
            "finance_charge": "5520.00 - 5000.00 = 520.00",
            "days_to_first_payment": "1978-01-10 to 1978-02-10 = 31 days",
        },
        "loan_amount": "5000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "5000.00",
        "finance_charge": "520.00",
        "total_of_payments": "5520.00",
        "apr": "9.69",
        "contract_rate": None,
        "payment_amount": "230.00",
        "number_of_payments": "24",
        "payment_frequency": "monthly",
        "unit_periods_per_year": "12",
        "payment_streams": [
            {"amount": "230.00", "count": "24", "first_unit_periods": "1", "first_fraction": "0"},
        ],
        "advance_date": "1978-01-10",
        "first_payment_date": "1978-02-10",
        "days_to_first_payment": "31",
    },
    {
        "id": "regz-appj-c1-ii",
        "source": _APPJ.format(ex="(c)(1)(ii) Monthly payments (long first period)"),
        "confidence": "high",
        "note": _APPJ_NOTE + "First period: 1 month and 19 days (f = 19/30).",
        "derived": {
            "total_of_payments": "36 x 200.00 = 7200.00",
            "finance_charge": "7200.00 - 6000.00 = 1200.00",
            "days_to_first_payment": "1978-02-10 to 1978-04-01 = 50 days",
        },
        "loan_amount": "6000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "6000.00",
        "finance_charge": "1200.00",
        "total_of_payments": "7200.00",
        "apr": "11.82",
        "contract_rate": None,
        "payment_amount": "200.00",
        "number_of_payments": "36",
        "payment_frequency": "monthly",
        "unit_periods_per_year": "12",
        "payment_streams": [
            {
                "amount": "200.00",
                "count": "36",
                "first_unit_periods": "1",
                "first_fraction": "19/30",
            },
        ],
        "advance_date": "1978-02-10",
        "first_payment_date": "1978-04-01",
        "days_to_first_payment": "50",
    },
    {
        "id": "regz-appj-c1-iii",
        "source": _APPJ.format(ex="(c)(1)(iii) Semimonthly payments (short first period)"),
        "confidence": "high",
        "note": _APPJ_NOTE + "Payments on the 1st and 16th; first period 6 days (t = 0, f = 6/15).",
        "derived": {
            "total_of_payments": "24 x 219.17 = 5260.08",
            "finance_charge": "5260.08 - 5000.00 = 260.08",
            "days_to_first_payment": "1978-02-23 to 1978-03-01 = 6 days",
        },
        "loan_amount": "5000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "5000.00",
        "finance_charge": "260.08",
        "total_of_payments": "5260.08",
        "apr": "10.34",
        "contract_rate": None,
        "payment_amount": "219.17",
        "number_of_payments": "24",
        "payment_frequency": "semimonthly",
        "unit_periods_per_year": "24",
        "payment_streams": [
            {
                "amount": "219.17",
                "count": "24",
                "first_unit_periods": "0",
                "first_fraction": "6/15",
            },
        ],
        "advance_date": "1978-02-23",
        "first_payment_date": "1978-03-01",
        "days_to_first_payment": "6",
    },
    {
        "id": "regz-appj-c1-iv",
        "source": _APPJ.format(ex="(c)(1)(iv) Quarterly payments (long first period)"),
        "confidence": "high",
        "note": _APPJ_NOTE + "First period: 1 quarter and 39 days (f = 39/90).",
        "derived": {
            "total_of_payments": "40 x 385.00 = 15400.00",
            "finance_charge": "15400.00 - 10000.00 = 5400.00",
            "days_to_first_payment": "1978-05-23 to 1978-10-01 = 131 days",
        },
        "loan_amount": "10000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "10000.00",
        "finance_charge": "5400.00",
        "total_of_payments": "15400.00",
        "apr": "8.97",
        "contract_rate": None,
        "payment_amount": "385.00",
        "number_of_payments": "40",
        "payment_frequency": "quarterly",
        "unit_periods_per_year": "4",
        "payment_streams": [
            {
                "amount": "385.00",
                "count": "40",
                "first_unit_periods": "1",
                "first_fraction": "39/90",
            },
        ],
        "advance_date": "1978-05-23",
        "first_payment_date": "1978-10-01",
        "days_to_first_payment": "131",
    },
    {
        "id": "regz-appj-c1-v",
        "source": _APPJ.format(ex="(c)(1)(v) Weekly payments (long first period)"),
        "confidence": "high",
        "note": _APPJ_NOTE + "First period: 4 weeks and 4 days (t = 4, f = 4/7).",
        "derived": {
            "total_of_payments": "30 x 17.60 = 528.00",
            "finance_charge": "528.00 - 500.00 = 28.00",
            "days_to_first_payment": "1978-03-20 to 1978-04-21 = 32 days",
        },
        "loan_amount": "500.00",
        "prepaid_finance_charge": None,
        "amount_financed": "500.00",
        "finance_charge": "28.00",
        "total_of_payments": "528.00",
        "apr": "14.96",
        "contract_rate": None,
        "payment_amount": "17.60",
        "number_of_payments": "30",
        "payment_frequency": "weekly",
        "unit_periods_per_year": "52",
        "payment_streams": [
            {"amount": "17.60", "count": "30", "first_unit_periods": "4", "first_fraction": "4/7"},
        ],
        "advance_date": "1978-03-20",
        "first_payment_date": "1978-04-21",
        "days_to_first_payment": "32",
    },
    {
        "id": "regz-appj-c2-i",
        "source": _APPJ.format(
            ex="(c)(2)(i) Monthly payments (regular first period and irregular first payment)"
        ),
        "confidence": "high",
        "note": _APPJ_NOTE + "First payment 250.00, then 23 payments of 230.00.",
        "derived": {
            "total_of_payments": "250.00 + 23 x 230.00 = 5540.00",
            "finance_charge": "5540.00 - 5000.00 = 540.00",
            "days_to_first_payment": "1978-01-10 to 1978-02-10 = 31 days",
        },
        "loan_amount": "5000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "5000.00",
        "finance_charge": "540.00",
        "total_of_payments": "5540.00",
        "apr": "10.08",
        "contract_rate": None,
        "payment_amount": "230.00",
        "number_of_payments": "24",
        "payment_frequency": "monthly",
        "unit_periods_per_year": "12",
        "payment_streams": [
            {"amount": "250.00", "count": "1", "first_unit_periods": "1", "first_fraction": "0"},
            {"amount": "230.00", "count": "23", "first_unit_periods": "2", "first_fraction": "0"},
        ],
        "advance_date": "1978-01-10",
        "first_payment_date": "1978-02-10",
        "days_to_first_payment": "31",
    },
    {
        "id": "regz-appj-c2-ii",
        "source": _APPJ.format(
            ex="(c)(2)(ii) Payments every 4 weeks (long first period and irregular first payment)"
        ),
        "confidence": "high",
        "note": _APPJ_NOTE
        + "First payment 39.50 after 4 weeks and 5 days (f = 5/28), then 11 payments of 38.31 "
        "every 4 weeks; 13 unit-periods a year.",
        "derived": {
            "total_of_payments": "39.50 + 11 x 38.31 = 460.91",
            "finance_charge": "460.91 - 400.00 = 60.91",
            "days_to_first_payment": "1978-03-18 to 1978-04-20 = 33 days",
        },
        "loan_amount": "400.00",
        "prepaid_finance_charge": None,
        "amount_financed": "400.00",
        "finance_charge": "60.91",
        "total_of_payments": "460.91",
        "apr": "28.50",
        "contract_rate": None,
        "payment_amount": "38.31",
        "number_of_payments": "12",
        "payment_frequency": "every 4 weeks",
        "unit_periods_per_year": "13",
        "payment_streams": [
            {"amount": "39.50", "count": "1", "first_unit_periods": "1", "first_fraction": "5/28"},
            {"amount": "38.31", "count": "11", "first_unit_periods": "2", "first_fraction": "5/28"},
        ],
        "advance_date": "1978-03-18",
        "first_payment_date": "1978-04-20",
        "days_to_first_payment": "33",
    },
    {
        "id": "regz-appj-c3-i",
        "source": _APPJ.format(
            ex="(c)(3)(i) Monthly payments (regular first period and irregular final payment)"
        ),
        "confidence": "high",
        "note": _APPJ_NOTE + "23 payments of 230.00, final (24th) payment 280.00.",
        "derived": {
            "total_of_payments": "23 x 230.00 + 280.00 = 5570.00",
            "finance_charge": "5570.00 - 5000.00 = 570.00",
            "days_to_first_payment": "1978-01-10 to 1978-02-10 = 31 days",
        },
        "loan_amount": "5000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "5000.00",
        "finance_charge": "570.00",
        "total_of_payments": "5570.00",
        "apr": "10.50",
        "contract_rate": None,
        "payment_amount": "230.00",
        "number_of_payments": "24",
        "payment_frequency": "monthly",
        "unit_periods_per_year": "12",
        "payment_streams": [
            {"amount": "230.00", "count": "23", "first_unit_periods": "1", "first_fraction": "0"},
            {"amount": "280.00", "count": "1", "first_unit_periods": "24", "first_fraction": "0"},
        ],
        "advance_date": "1978-01-10",
        "first_payment_date": "1978-02-10",
        "days_to_first_payment": "31",
    },
    {
        "id": "regz-appj-c3-ii",
        "source": _APPJ.format(
            ex="(c)(3)(ii) Payments every 2 weeks (short first period and irregular final payment)"
        ),
        "confidence": "high",
        "note": _APPJ_NOTE
        + "19 payments of 9.50 every 2 weeks starting 8 days after the advance (t = 0, "
        "f = 8/14), final payment 30.00 two weeks after the 19th; 26 unit-periods a year.",
        "derived": {
            "total_of_payments": "19 x 9.50 + 30.00 = 210.50",
            "finance_charge": "210.50 - 200.00 = 10.50",
            "days_to_first_payment": "1978-04-03 to 1978-04-11 = 8 days",
        },
        "loan_amount": "200.00",
        "prepaid_finance_charge": None,
        "amount_financed": "200.00",
        "finance_charge": "10.50",
        "total_of_payments": "210.50",
        "apr": "12.22",
        "contract_rate": None,
        "payment_amount": "9.50",
        "number_of_payments": "20",
        "payment_frequency": "every 2 weeks",
        "unit_periods_per_year": "26",
        "payment_streams": [
            {"amount": "9.50", "count": "19", "first_unit_periods": "0", "first_fraction": "8/14"},
            {"amount": "30.00", "count": "1", "first_unit_periods": "19", "first_fraction": "8/14"},
        ],
        "advance_date": "1978-04-03",
        "first_payment_date": "1978-04-11",
        "days_to_first_payment": "8",
    },
    {
        "id": "regz-appj-c4-i",
        "source": _APPJ.format(
            ex="(c)(4)(i) Monthly payments (regular first period, irregular first payment, "
            "and irregular final payment)"
        ),
        "confidence": "high",
        "note": _APPJ_NOTE + "First payment 250.00, 22 payments of 230.00, final payment 280.00.",
        "derived": {
            "total_of_payments": "250.00 + 22 x 230.00 + 280.00 = 5590.00",
            "finance_charge": "5590.00 - 5000.00 = 590.00",
            "days_to_first_payment": "1978-01-10 to 1978-02-10 = 31 days",
        },
        "loan_amount": "5000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "5000.00",
        "finance_charge": "590.00",
        "total_of_payments": "5590.00",
        "apr": "10.90",
        "contract_rate": None,
        "payment_amount": "230.00",
        "number_of_payments": "24",
        "payment_frequency": "monthly",
        "unit_periods_per_year": "12",
        "payment_streams": [
            {"amount": "250.00", "count": "1", "first_unit_periods": "1", "first_fraction": "0"},
            {"amount": "230.00", "count": "22", "first_unit_periods": "2", "first_fraction": "0"},
            {"amount": "280.00", "count": "1", "first_unit_periods": "24", "first_fraction": "0"},
        ],
        "advance_date": "1978-01-10",
        "first_payment_date": "1978-02-10",
        "days_to_first_payment": "31",
    },
    {
        "id": "regz-appj-c4-ii",
        "source": _APPJ.format(
            ex="(c)(4)(ii) Payments every two months (short first period, irregular first "
            "payment, and irregular final payment)"
        ),
        "confidence": "high",
        "note": _APPJ_NOTE
        + "Unit-period 2 months (6 a year). First payment 449.36 after 1 month and 22 days "
        "(t = 0, f = 52/60), then 18 payments of 465.00 every 2 months from 1978-05-01, final "
        "payment 200.00 on 1981-05-01.",
        "derived": {
            "total_of_payments": "449.36 + 18 x 465.00 + 200.00 = 9019.36",
            "finance_charge": "9019.36 - 8000.00 = 1019.36",
            "days_to_first_payment": "1978-01-10 to 1978-03-01 = 50 days",
        },
        "loan_amount": "8000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "8000.00",
        "finance_charge": "1019.36",
        "total_of_payments": "9019.36",
        "apr": "7.30",
        "contract_rate": None,
        "payment_amount": "465.00",
        "number_of_payments": "20",
        "payment_frequency": "every 2 months",
        "unit_periods_per_year": "6",
        "payment_streams": [
            {
                "amount": "449.36",
                "count": "1",
                "first_unit_periods": "0",
                "first_fraction": "52/60",
            },
            {
                "amount": "465.00",
                "count": "18",
                "first_unit_periods": "1",
                "first_fraction": "52/60",
            },
            {
                "amount": "200.00",
                "count": "1",
                "first_unit_periods": "19",
                "first_fraction": "52/60",
            },
        ],
        "advance_date": "1978-01-10",
        "first_payment_date": "1978-03-01",
        "days_to_first_payment": "50",
    },
    {
        "id": "regz-appj-c5-i",
        "source": _APPJ.format(
            ex="(c)(5)(i) Single advance, single payment (term of less than 1 year, measured in "
            "days)"
        ),
        "confidence": "high",
        "note": _APPJ_NOTE
        + "Term 255 days: one unit-period equal to the term, 365/255 unit-periods a year.",
        "derived": {
            "total_of_payments": "single payment 1080.00",
            "finance_charge": "1080.00 - 1000.00 = 80.00",
            "days_to_first_payment": "1978-01-03 to 1978-09-15 = 255 days",
        },
        "loan_amount": "1000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "1000.00",
        "finance_charge": "80.00",
        "total_of_payments": "1080.00",
        "apr": "11.45",
        "contract_rate": None,
        "payment_amount": "1080.00",
        "number_of_payments": "1",
        "payment_frequency": "single payment",
        "unit_periods_per_year": "365/255",
        "payment_streams": [
            {"amount": "1080.00", "count": "1", "first_unit_periods": "1", "first_fraction": "0"},
        ],
        "advance_date": "1978-01-03",
        "first_payment_date": "1978-09-15",
        "days_to_first_payment": "255",
    },
    {
        "id": "regz-appj-c5-ii",
        "source": _APPJ.format(
            ex="(c)(5)(ii) Single advance, single payment (term of less than 1 year, measured "
            "in months)"
        ),
        "confidence": "medium",
        "note": _APPJ_NOTE
        + "Term 6 months: one unit-period equal to the term, 2 a year. Only one of the two "
        "transcriptions covers this example; no dates transcribed.",
        "derived": {
            "total_of_payments": "single payment 1044.00",
            "finance_charge": "1044.00 - 1000.00 = 44.00",
        },
        "loan_amount": "1000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "1000.00",
        "finance_charge": "44.00",
        "total_of_payments": "1044.00",
        "apr": "8.80",
        "contract_rate": None,
        "payment_amount": "1044.00",
        "number_of_payments": "1",
        "payment_frequency": "single payment",
        "unit_periods_per_year": "2",
        "payment_streams": [
            {"amount": "1044.00", "count": "1", "first_unit_periods": "1", "first_fraction": "0"},
        ],
        "advance_date": None,
        "first_payment_date": None,
        "days_to_first_payment": None,
    },
    {
        "id": "regz-appj-c5-iii",
        "source": _APPJ.format(
            ex="(c)(5)(iii) Single advance, single payment (term of more than 1 year, measured "
            "in months)"
        ),
        "confidence": "medium",
        "note": _APPJ_NOTE
        + "Term 18 months: unit-period 1 year (1 a year), t = 1, f = 6/12. Only one of the two "
        "transcriptions covers this example; no dates transcribed.",
        "derived": {
            "total_of_payments": "single payment 1135.19",
            "finance_charge": "1135.19 - 1000.00 = 135.19",
        },
        "loan_amount": "1000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "1000.00",
        "finance_charge": "135.19",
        "total_of_payments": "1135.19",
        "apr": "8.76",
        "contract_rate": None,
        "payment_amount": "1135.19",
        "number_of_payments": "1",
        "payment_frequency": "single payment",
        "unit_periods_per_year": "1",
        "payment_streams": [
            {
                "amount": "1135.19",
                "count": "1",
                "first_unit_periods": "1",
                "first_fraction": "6/12",
            },
        ],
        "advance_date": None,
        "first_payment_date": None,
        "days_to_first_payment": None,
    },
    {
        "id": "regz-appj-c5-iv",
        "source": _APPJ.format(
            ex="(c)(5)(iv) Single advance, single payment (term of more than 1 year, exactly 2 "
            "years)"
        ),
        "confidence": "medium",
        "note": _APPJ_NOTE
        + "Term exactly 2 years: unit-period 1 year, t = 2, f = 0. Only one of the two "
        "transcriptions covers this example; no dates transcribed.",
        "derived": {
            "total_of_payments": "single payment 1240.00",
            "finance_charge": "1240.00 - 1000.00 = 240.00",
        },
        "loan_amount": "1000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "1000.00",
        "finance_charge": "240.00",
        "total_of_payments": "1240.00",
        "apr": "11.36",
        "contract_rate": None,
        "payment_amount": "1240.00",
        "number_of_payments": "1",
        "payment_frequency": "single payment",
        "unit_periods_per_year": "1",
        "payment_streams": [
            {"amount": "1240.00", "count": "1", "first_unit_periods": "2", "first_fraction": "0"},
        ],
        "advance_date": None,
        "first_payment_date": None,
        "days_to_first_payment": None,
    },
    {
        "id": "occ-til-apr-definition-loan-one",
        "source": (
            "OCC Comptroller's Handbook, Consumer Compliance Examination 'Truth in Lending' "
            "(CCE-TIL, October 2008 / July 2010 editions), section 'APR Definition and Disclosure "
            "[Sections 226.18(a) & 226.22 (Closed-End Credit)]' (same text in the FDIC Consumer "
            "Compliance Examination Manual, Truth in Lending); seen via "
            "http://www.slideshare.net/JosephSam/truth-in-lending-3962212"
        ),
        "confidence": "low",
        "note": (
            "The retrieved excerpt shows only: '... charge of $978.52, but the APR on loan one is "
            "12 percent and the APR on loan two is 13.26 percent'. The loan-one terms ($5,000 "
            "repaid in 36 monthly payments of $166.07, first payment one month after the advance) "
            "were NOT seen in the retrieved text; they come from the task brief and are consistent "
            "with the printed finance charge (see derived). Loan two's terms were not retrieved "
            "and are omitted. Re-check against the handbook PDF before relying on this case."
        ),
        "derived": {
            "total_of_payments": "36 x 166.07 = 5978.52",
            "finance_charge": "check: 5978.52 - 5000.00 = 978.52 (matches the printed figure)",
        },
        "loan_amount": "5000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "5000.00",
        "finance_charge": "978.52",
        "total_of_payments": "5978.52",
        "apr": "12",
        "contract_rate": None,
        "payment_amount": "166.07",
        "number_of_payments": "36",
        "payment_frequency": "monthly",
        "unit_periods_per_year": "12",
        "payment_streams": [
            {"amount": "166.07", "count": "36", "first_unit_periods": "1", "first_fraction": "0"},
        ],
        "advance_date": None,
        "first_payment_date": None,
        "days_to_first_payment": None,
    },
    {
        "id": "occ-til-apr-definition-vacation-loan",
        "source": (
            "OCC Comptroller's Handbook / FDIC Consumer Compliance Examination Manual, 'Truth in "
            "Lending', section 'APR Definition and Disclosure', bullet 'The payment schedule'; "
            "seen via a character-garbled copy at https://scribd.com/document/186421407/TILA-APR"
        ),
        "confidence": "medium",
        "note": (
            "Text: 'if the consumer borrows $2,500 for a vacation trip at 14 percent simple "
            "interest per annum and repays that amount with 25 equal monthly payments beginning "
            "one month from consummation of the transaction, the monthly P + I payment will be "
            "$115.87, if all months are considered equal, and the amount financ[ed would be "
            "$2,500]'. The copy substitutes characters (5->S, 0->u, d->u, r->i) and is cut at "
            "'amount financ'; the 2500.00 amount financed is read from the loan amount in the same "
            "sentence. No APR is printed in the retrieved part; with no other charge the APR is "
            "expected to equal the 14 percent simple-interest rate (not recorded as a figure)."
        ),
        "derived": {
            "total_of_payments": "25 x 115.87 = 2896.75",
            "finance_charge": "2896.75 - 2500.00 = 396.75",
        },
        "loan_amount": "2500.00",
        "prepaid_finance_charge": None,
        "amount_financed": "2500.00",
        "finance_charge": "396.75",
        "total_of_payments": "2896.75",
        "apr": None,
        "contract_rate": "14",
        "payment_amount": "115.87",
        "number_of_payments": "25",
        "payment_frequency": "monthly",
        "unit_periods_per_year": "12",
        "payment_streams": [
            {"amount": "115.87", "count": "25", "first_unit_periods": "1", "first_fraction": "0"},
        ],
        "advance_date": None,
        "first_payment_date": None,
        "days_to_first_payment": None,
    },
    {
        "id": "regz-comment-18b-2-i-add-on",
        "source": _CB18.format(ex="i (add-on interest)"),
        "confidence": "medium",
        "note": _CB18_NOTE
        + "Creditor adds $60 add-on interest to the $1000 proceeds, face amount $1060; principal "
        "under 18(b)(1) is $1000, the $10 fee is a prepaid finance charge; amount financed $990.",
        "derived": {
            "finance_charge": "60.00 interest + 10.00 prepaid fee = 70.00",
            "total_of_payments": "face amount of the obligation, 1060.00",
        },
        "loan_amount": "1060.00",
        "prepaid_finance_charge": "10.00",
        "amount_financed": "990.00",
        "finance_charge": "70.00",
        "total_of_payments": "1060.00",
        "apr": None,
        "contract_rate": "6",
        "payment_amount": None,
        "number_of_payments": None,
        "payment_frequency": None,
        "unit_periods_per_year": None,
        "payment_streams": None,
        "advance_date": None,
        "first_payment_date": None,
        "days_to_first_payment": None,
    },
    {
        "id": "regz-comment-18b-2-ii-discount",
        "source": _CB18.format(ex="ii (discount interest deducted from proceeds)"),
        "confidence": "medium",
        "note": _CB18_NOTE
        + "Creditor deducts $60 discount interest and distributes $940 on a $1000 face amount; "
        "principal under 18(b)(1) is $940; amount financed $930 after the $10 prepaid finance "
        "charge.",
        "derived": {
            "finance_charge": "60.00 discount + 10.00 prepaid fee = 70.00",
            "total_of_payments": "face amount of the obligation, 1000.00",
        },
        "loan_amount": "1000.00",
        "prepaid_finance_charge": "10.00",
        "amount_financed": "930.00",
        "finance_charge": "70.00",
        "total_of_payments": "1000.00",
        "apr": None,
        "contract_rate": "6",
        "payment_amount": None,
        "number_of_payments": None,
        "payment_frequency": None,
        "unit_periods_per_year": None,
        "payment_streams": None,
        "advance_date": None,
        "first_payment_date": None,
        "days_to_first_payment": None,
    },
    {
        "id": "regz-comment-18b-2-iii-discount-grossed-up",
        "source": _CB18.format(ex="iii (discount interest added to the face amount)"),
        "confidence": "medium",
        "note": _CB18_NOTE
        + "Creditor assesses $60 discount interest by raising the face amount to $1060, the "
        "consumer receiving $1000; principal $1000, amount financed $990.",
        "derived": {
            "finance_charge": "60.00 discount + 10.00 prepaid fee = 70.00",
            "total_of_payments": "face amount of the obligation, 1060.00",
        },
        "loan_amount": "1060.00",
        "prepaid_finance_charge": "10.00",
        "amount_financed": "990.00",
        "finance_charge": "70.00",
        "total_of_payments": "1060.00",
        "apr": None,
        "contract_rate": "6",
        "payment_amount": None,
        "number_of_payments": None,
        "payment_frequency": None,
        "unit_periods_per_year": None,
        "payment_streams": None,
        "advance_date": None,
        "first_payment_date": None,
        "days_to_first_payment": None,
    },
    {
        "id": "cfpb-h25b-closing-disclosure-purchase",
        "source": (
            "CFPB, 12 CFR Part 1026 Appendix H-25(B) 'Mortgage Closing Disclosure Sample - Fixed "
            "Rate Loan Sample' (Ficus Bank; Michael Jones and Mary Stone; 456 Somewhere Ave; "
            "issued 4/15/2013), page 1 'Loan Terms' and page 5 'Loan Calculations' (URL not "
            "verified: https://www.consumerfinance.gov/rules-policy/regulations/1026/h/)"
        ),
        "confidence": "medium",
        "note": (
            "Figures from three independent public re-creations of the sample form (form UIs "
            "and an IBM Watson Compare-and-Comply mortgage-parsing sample output), not from the "
            "CFPB PDF. This is a TRID form: under 1026.38(o)(1) the Total of Payments includes "
            "principal, interest, mortgage insurance AND loan costs, so amount financed + "
            "finance charge does not equal it. The sample prints Amount Financed = 162,000.00 "
            "(the loan amount) although it shows $1,802.00 origination charges; the sample's "
            "figures are illustrative and not fully reconciled - do not use this case to test "
            "AF = loan amount - prepaid finance charges or to solve the APR exactly. Mortgage "
            "insurance +82.35/month in years 1-7; Total Interest Percentage printed 69.46%; "
            "disbursement date 4/15/2013 recorded as advance_date."
        ),
        "derived": {"number_of_payments": "Loan Term 30 years, monthly: 30 x 12 = 360"},
        "loan_amount": "162000.00",
        "prepaid_finance_charge": None,
        "amount_financed": "162000.00",
        "finance_charge": "118830.27",
        "total_of_payments": "285803.36",
        "apr": "4.174",
        "contract_rate": "3.875",
        "payment_amount": "761.78",
        "number_of_payments": "360",
        "payment_frequency": "monthly",
        "unit_periods_per_year": "12",
        "payment_streams": None,
        "advance_date": "2013-04-15",
        "first_payment_date": None,
        "days_to_first_payment": None,
    },
    {
        "id": "title-faq-50000-prepaid-2000",
        "source": (
            "Capitol Title, 'Frequently Asked Questions about Truth In Lending', answer to 'Why "
            "is the ANNUAL PERCENTAGE RATE different from the interest rate for which I "
            "applied?'; https://www.capitoltitle.com/hbresources/faq.html (same wording on "
            "other lenders' TIL FAQ pages, e.g. https://peterbmurray.com/til.html)"
        ),
        "confidence": "medium",
        "note": (
            "Secondary (industry FAQ), not a regulator. Text: '$50,000 loan with $2,000 Prepaid "
            "Finance Charges, a 30 year term and a fixed interest rate of 12%, the payments would "
            "be $514.31 (principal and interest) ... Amount Financed ($48,000) ... the A.P.R. "
            "(12.553%)'. Monthly payments and a first payment one month after closing are "
            "assumed (30 years = 360 payments). An exact actuarial solution of these inputs "
            "rounds to 12.554 rather than the printed 12.553, so allow +/-0.001 on the APR."
        ),
        "derived": {
            "number_of_payments": "30 years x 12 = 360",
            "total_of_payments": "360 x 514.31 = 185151.60",
            "finance_charge": "185151.60 - 48000.00 = 137151.60",
        },
        "loan_amount": "50000.00",
        "prepaid_finance_charge": "2000.00",
        "amount_financed": "48000.00",
        "finance_charge": "137151.60",
        "total_of_payments": "185151.60",
        "apr": "12.553",
        "contract_rate": "12",
        "payment_amount": "514.31",
        "number_of_payments": "360",
        "payment_frequency": "monthly",
        "unit_periods_per_year": "12",
        "payment_streams": [
            {"amount": "514.31", "count": "360", "first_unit_periods": "1", "first_fraction": "0"},
        ],
        "advance_date": None,
        "first_payment_date": None,
        "days_to_first_payment": None,
    },
    {
        "id": "nys-hesc-federal-box",
        "source": (
            "New York State Higher Education Services Corporation (HESC), 'The True Cost of "
            "Borrowing', illustration 'Truth In Lending Disclosure - Federal Box'; "
            "https://www.hesc.ny.gov/pay-for-college/smart-borrowing/the-true-cost-of-borrowing.html"
        ),
        "confidence": "high",
        "note": (
            "Federal box only; no payment schedule is printed, so only AF + FC = TOP is "
            "testable (10000.00 + 5039.21 = 15039.21)."
        ),
        "derived": {},
        "loan_amount": None,
        "prepaid_finance_charge": None,
        "amount_financed": "10000.00",
        "finance_charge": "5039.21",
        "total_of_payments": "15039.21",
        "apr": "8.75",
        "contract_rate": None,
        "payment_amount": None,
        "number_of_payments": None,
        "payment_frequency": None,
        "unit_periods_per_year": None,
        "payment_streams": None,
        "advance_date": None,
        "first_payment_date": None,
        "days_to_first_payment": None,
    },
]


CN_CASES: list[dict[str, Any]] = [
    {
        "id": "pboc-2021-3-annex-irr-example",
        "source": (
            "中国人民银行公告〔2021〕第3号 (2021-03-12, published 2021-03-31), item 四 "
            "('贷款年化利率可采用复利或单利方法计算。复利计算方法即内部收益率法，具体示例见附件。"
            "采用单利计算方法的，应说明是单利。') and its annex '采用内部收益率法计算贷款年化利率"
            "示例'; announcement text seen in a news reprint "
            "(http://m.tfltb.cn/politics/2021_03_31_585963.shtml); official copy "
            "https://xining.pbc.gov.cn/goutongjiaoliu/113456/113469/2025092212551432728/index.html"
        ),
        "confidence": "low",
        "note": (
            "The annex PDF itself was not retrieved. The figures come from a secondary English "
            "summary of the annex in a public GitHub project (index file id 59155852522, "
            "'Official annualized-rate disclosure rule', verified_as_of 2026-09-03): 'a 100,000 "
            "loan, a 1,000 upfront service fee, and twelve monthly payments of 8,833.3 reports "
            "about 12.80% under simple annualization and 13.58% using IRR'. Assumed: the fee "
            "is paid (or deducted) at disbursement so the borrower nets 99,000; payments are "
            "monthly from one month after disbursement. 12.80 is the monthly IRR x 12 (单利); "
            "13.58 is (1 + monthly IRR)^12 - 1 (复利, the IRR method). The summary says 'about'; "
            "re-check both figures and the instalment (8833.3 vs 8833.30) against the annex."
        ),
        "derived": {
            "amount_received": "100000 - 1000 upfront fee = 99000",
            "total_interest_and_fees": "12 x 8833.3 - 100000 + 1000 = 6999.6",
        },
        "principal": "100000",
        "upfront_fee": "1000",
        "amount_received": "99000",
        "term_months": "12",
        "repayment_method": "等额本息 (equal monthly instalments)",
        "monthly_fee_rate": None,
        "instalment_amount": "8833.3",
        "total_interest_and_fees": "6999.6",
        "annualised_rate_simple": "12.80",
        "annualised_rate_compound": "13.58",
        "rate_basis": "simple = monthly IRR x 12; compound = (1 + monthly IRR)^12 - 1",
    },
    {
        "id": "zhihu-300k-fee-rate-0.5pct-60",
        "source": (
            "知乎 question 58301871 '银行贷款的年化利率是怎样算出来的', answer "
            "'30万，月费率0.5%，分60期，等本等息，实际年利率是多少？'; "
            "https://www.zhihu.com/question/58301871 (read from a public GitHub mirror of the "
            "answer, index file id 46605409436, dated 2023-08-01)"
        ),
        "confidence": "medium",
        "note": (
            "Not a regulator: a widely circulated worked example. Text: '30W，月费率0.5%，60期。"
            "每月的本金就是5000元，每月的利息是1500' and '使用IRR函数来计算，得出最终的年化利率是"
            "10.85%'. The 10.85 is Excel IRR on the monthly cash flows times 12 (nominal, not "
            "compounded). Full principal is assumed received; the answer also quotes a rule of "
            "thumb 0.5% x 12 x 1.85 = 11.1% (not a disclosure figure)."
        ),
        "derived": {
            "instalment_amount": "5000 principal + 1500 fee = 6500 per month",
            "total_interest_and_fees": "60 x 1500 = 90000",
        },
        "principal": "300000",
        "upfront_fee": None,
        "amount_received": "300000",
        "term_months": "60",
        "repayment_method": "等本等息 (equal principal plus a flat fee on the original principal)",
        "monthly_fee_rate": "0.5",
        "instalment_amount": "6500",
        "total_interest_and_fees": "90000",
        "annualised_rate_simple": "10.85",
        "annualised_rate_compound": None,
        "rate_basis": "monthly IRR x 12 (nominal)",
    },
]


EU_CASES: list[dict[str, Any]] = [
    {
        "id": "de-raiba-alsbach-volltilger-100000",
        "jurisdiction": "DE",
        "source": (
            "Raiffeisenbank Alsbach, 'Finanzierungsbeispiel für ein Volltilgerdarlehen "
            "(repräsentatives Beispiel gem. §6a PAngV)', Stand 22.11.2016; "
            "https://www.raiba-alsbach.de/homepage/kredit-baufinanzierung/Finanzierungsbeispiel.html"
        ),
        "confidence": "high",
        "note": (
            "Property-secured full-amortisation loan (Immobiliar-Verbraucherdarlehen). Printed: "
            "Nettodarlehensbetrag 100.000 EUR, Auszahlungskurs 100 %, Sollzinsbindung 10 Jahre, "
            "gebundener Sollzinssatz 1,25 % p.a., effektiver Jahreszins 1,26 %, 'Rate für die "
            "Dauer der Sollzinsbindung (Anzahl: 120) 880,03 Euro', 'letzte Rate 879,08 Euro', "
            "Restschuld 0, anfängliche Tilgung 9,31 % p.a., Bearbeitungsgebühr keine, zu "
            "zahlender Gesamtbetrag 106.482,68 Euro. The Gesamtbetrag equals 120 x 880.03 + "
            "879.08, i.e. 121 instalments (the last one after the 120 listed); monthly "
            "instalments from one month after payout are assumed. Land-registry costs excluded "
            "from the APRC by the bank."
        ),
        "derived": {
            "number_of_instalments": "120 + 1 final = 121 (from the Gesamtbetrag)",
            "total_cost_of_credit": "106482.68 - 100000.00 = 6482.68",
        },
        "cash_price": None,
        "deposit": None,
        "total_amount_of_credit": "100000.00",
        "borrowing_rate": "1.25",
        "borrowing_rate_type": "fixed for 10 years (gebundener Sollzinssatz)",
        "aprc": "1.26",
        "duration_months": "120",
        "number_of_instalments": "121",
        "instalment_amount": "880.03",
        "first_instalment": "880.03",
        "final_instalment": "879.08",
        "fees": {},
        "total_cost_of_credit": "6482.68",
        "total_amount_payable": "106482.68",
    },
    {
        "id": "ie-hp-ford-puma-17925",
        "jurisdiction": "IE",
        "source": (
            "Auto Boland (Waterford), Ford Puma listing, 'Hire Purchase (HP) representative "
            "example'; https://www.autoboland.ie/used-cars/ford/puma"
        ),
        "confidence": "medium",
        "note": _IE_HP_NOTE,
        "derived": {
            "first_instalment": "354.09 + 75.00 documentation fee = 429.09 (assumed)",
            "number_of_instalments": "1 + 58 + 1 = 60 (assumed, reconciles the total)",
            "total_amount_payable": (
                "check: 5975.00 + 429.09 + 58 x 354.09 + 429.09 = 27370.40 (printed)"
            ),
            "total_cost_of_credit": "27370.40 - 23900.00 = 3470.40",
        },
        "cash_price": "23900.00",
        "deposit": "5975.00",
        "total_amount_of_credit": "17925.00",
        "borrowing_rate": "6.90",
        "borrowing_rate_type": "fixed, nominal per annum",
        "aprc": "7.40",
        "duration_months": "60",
        "number_of_instalments": "60",
        "instalment_amount": "354.09",
        "first_instalment": "429.09",
        "final_instalment": "429.09",
        "fees": {"option_to_purchase": "75.00", "documentation": "75.00"},
        "total_cost_of_credit": "3470.40",
        "total_amount_payable": "27370.40",
    },
    {
        "id": "ie-hp-hyundai-tucson-10367.50",
        "jurisdiction": "IE",
        "source": (
            "Fitzpatrick's Garages, Hyundai Tucson listing 222LS229, 'Hire Purchase (HP) "
            "representative example'; https://www.fitzpatricksgarages.ie/vehicle/"
            "222ls229-hyundai-tucson"
        ),
        "confidence": "medium",
        "note": _IE_HP_NOTE,
        "derived": {
            "first_instalment": "213.96 + 75.00 documentation fee = 288.96 (assumed)",
            "number_of_instalments": "1 + 58 + 1 = 60 (assumed, reconciles the total)",
            "total_amount_payable": (
                "check: 5582.50 + 288.96 + 58 x 213.96 + 288.96 = 18570.10 (printed)"
            ),
            "total_cost_of_credit": "18570.10 - 15950.00 = 2620.10",
        },
        "cash_price": "15950.00",
        "deposit": "5582.50",
        "total_amount_of_credit": "10367.50",
        "borrowing_rate": "8.75",
        "borrowing_rate_type": "fixed, nominal per annum",
        "aprc": "9.70",
        "duration_months": "60",
        "number_of_instalments": "60",
        "instalment_amount": "213.96",
        "first_instalment": "288.96",
        "final_instalment": "288.96",
        "fees": {"option_to_purchase": "75.00", "documentation": "75.00"},
        "total_cost_of_credit": "2620.10",
        "total_amount_payable": "18570.10",
    },
    {
        "id": "uk-admiral-2000-36m",
        "jurisdiction": "UK",
        "source": _MSE.format(p="Admiral, loans GBP 1,000 - 2,999"),
        "confidence": "medium",
        "note": (
            "UK (CONC, ex-EU CCD rules). Text: 'If you borrow £2,000 over 3 years at a "
            "Representative APR of 13.2% fixed and an annual interest rate of 13.2% fixed you "
            "would pay: Monthly payment: £66.87 Total charge for credit: £407.32 Total amount you "
            "repay: £2,407.32'. The 'annual interest rate' is an effective annual rate (no fees). "
            "36 monthly payments from one month after drawdown assumed. Snapshot undated."
        ),
        "derived": {"number_of_instalments": "3 years x 12 = 36; 36 x 66.87 = 2407.32"},
        "cash_price": None,
        "deposit": None,
        "total_amount_of_credit": "2000.00",
        "borrowing_rate": "13.2",
        "borrowing_rate_type": "fixed, annual (effective)",
        "aprc": "13.2",
        "duration_months": "36",
        "number_of_instalments": "36",
        "instalment_amount": "66.87",
        "first_instalment": "66.87",
        "final_instalment": "66.87",
        "fees": {},
        "total_cost_of_credit": "407.32",
        "total_amount_payable": "2407.32",
    },
    {
        "id": "uk-admiral-3700-36m",
        "jurisdiction": "UK",
        "source": _MSE.format(p="Admiral, loans GBP 3,000 - 4,999"),
        "confidence": "medium",
        "note": (
            "UK. Text: 'If you borrow £3,700 over 3 years at a Representative APR of 8.2% fixed "
            "and an annual interest rate of 8.2% fixed you would pay: Monthly payment: £115.79 "
            "Total charge for credit: £468.44 Total amount you repay: £4,168.44'. 36 monthly "
            "payments assumed. Snapshot undated (the same page in other snapshots shows other "
            "rates for this band)."
        ),
        "derived": {"number_of_instalments": "3 years x 12 = 36; 36 x 115.79 = 4168.44"},
        "cash_price": None,
        "deposit": None,
        "total_amount_of_credit": "3700.00",
        "borrowing_rate": "8.2",
        "borrowing_rate_type": "fixed, annual (effective)",
        "aprc": "8.2",
        "duration_months": "36",
        "number_of_instalments": "36",
        "instalment_amount": "115.79",
        "first_instalment": "115.79",
        "final_instalment": "115.79",
        "fees": {},
        "total_cost_of_credit": "468.44",
        "total_amount_payable": "4168.44",
    },
    {
        "id": "uk-aa-members-16000-36m",
        "jurisdiction": "UK",
        "source": _MSE.format(p="The AA, loans GBP 15,000 - 25,000 (members)"),
        "confidence": "medium",
        "note": (
            "UK. Text: 'If you borrow £16,000 over 3 years at a Representative APR of 3% fixed "
            "and an annual interest rate of 3% you would pay: Monthly payment: £465.01 Total "
            "charge for credit: £740.50 Total amount you repay: £16,740.50'. 36 x 465.01 = "
            "16740.36, 0.14 short of the printed total, so one payment (presumably the last, "
            "465.15) differs; the final instalment is not printed. Snapshot 'Updated June 2018'."
        ),
        "derived": {"number_of_instalments": "3 years x 12 = 36"},
        "cash_price": None,
        "deposit": None,
        "total_amount_of_credit": "16000.00",
        "borrowing_rate": "3",
        "borrowing_rate_type": "fixed, annual (effective)",
        "aprc": "3",
        "duration_months": "36",
        "number_of_instalments": "36",
        "instalment_amount": "465.01",
        "first_instalment": "465.01",
        "final_instalment": None,
        "fees": {},
        "total_cost_of_credit": "740.50",
        "total_amount_payable": "16740.50",
    },
]
