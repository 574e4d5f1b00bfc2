"""Schedule golden cases copied from published sources (never produced by loanmath).

Each case cites its source; values are the strings the source prints. Where a source keeps
unrounded balances (numpy-financial, CFPB's amortize) only the values that do not depend on
that choice are compared exactly, and the rest within the cents that per-row rounding moves.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from loanmath import LoanTerms, Money

START = dt.date(2024, 1, 1)


def schedule(principal: str, rate: str, term: int, currency: str = "CNY", **kw: object):  # type: ignore[no-untyped-def]
    return LoanTerms(Money(principal, currency), rate, term, start_date=START, **kw).schedule  # type: ignore[arg-type]


# numpy/numpy-financial, numpy_financial/_financial.py, ipmt() docstring (commit 03e194b9):
# "amortization schedule for a 1 year loan of $2500 at 8.24% interest per year compounded
# monthly"; columns ppmt, ipmt, balance (unrounded floats printed with 8.2f).
NUMPY_FINANCIAL_IPMT = """\
 1  -200.58   -17.17  2299.42
 2  -201.96   -15.79  2097.46
 3  -203.35   -14.40  1894.11
 4  -204.74   -13.01  1689.37
 5  -206.15   -11.60  1483.22
 6  -207.56   -10.18  1275.66
 7  -208.99    -8.76  1066.67
 8  -210.42    -7.32   856.25
 9  -211.87    -5.88   644.38
10  -213.32    -4.42   431.05
11  -214.79    -2.96   216.26
12  -216.26    -1.49    -0.00"""


def test_numpy_financial_amortisation_table() -> None:
    s = schedule("2500.00", "0.0824", 12, "USD")
    published = [line.split() for line in NUMPY_FINANCIAL_IPMT.splitlines()]
    cent = Decimal("0.01")
    for row, (_, ppmt, ipmt, balance) in zip(s.installments, published, strict=True):
        # the published rows carry unrounded balances; a cent-rounded schedule may differ
        # by a cent per column from row 6 on, and agrees exactly before that
        limit = 0 if row.number <= 5 else 2 * cent
        assert abs(row.principal + Decimal(ppmt)) <= limit
        assert abs(row.interest + Decimal(ipmt)) <= max(limit, cent if row.number == 12 else 0)
        assert abs(row.balance - Decimal(balance)) <= limit
    # np.round(np.sum(ipmt), 2) -> -112.98 (unrounded rows); the cent-rounded rows sum to 112.97
    assert abs(s.total_interest - Decimal("112.98")) <= cent


# imcycle/loan-calculate-utils (npm) README and test/index.test.js (commit 94601688):
# amount 1000000, rate 4.9 (% a year), term in months.
def test_loan_calculate_utils_annuity_1m_49_360() -> None:
    s = schedule("1000000.00", "0.049", 360)
    first = s.installments[0]
    assert str(s.regular_payment) == "5307.27"
    assert str(first.interest) == "4083.33"
    # The source prints principal 1223.93 = unrounded payment − unrounded interest, so its
    # row does not add up (1223.93 + 4083.33 = 5307.26 ≠ 5307.27). loanmath keeps every row
    # consistent: principal = payment − interest = 1223.94, balance 998776.06.
    assert (str(first.principal), str(first.balance)) == ("1223.94", "998776.06")


def test_loan_calculate_utils_equal_principal_1m_49_360() -> None:
    s = schedule("1000000.00", "0.049", 360, method="equal_principal")
    first = s.installments[0]
    assert (str(first.payment), str(first.interest), str(first.principal), str(first.balance)) == (
        "6861.11",
        "4083.33",
        "2777.78",
        "997222.22",
    )


def test_loan_calculate_utils_short_terms() -> None:
    one = schedule("1000000.00", "0.049", 1)
    assert str(one.installments[0].payment) == "1004083.33"
    assert str(one.total_interest) == "4083.33"
    two = schedule("1000000.00", "0.049", 2)
    rows = two.installments
    assert [str(r.payment) for r in rows] == ["503064.58", "503064.58"]
    assert [str(r.interest) for r in rows] == ["4083.33", "2045.83"]
    assert [str(r.principal) for r in rows] == ["498981.25", "501018.75"]
    assert str(two.total_interest) == "6129.16"
    ep = schedule("1000000.00", "0.049", 2, method="equal_principal").installments
    assert [str(r.payment) for r in ep] == ["504083.33", "502041.67"]
    assert [str(r.interest) for r in ep] == ["4083.33", "2041.67"]


# delenzhang/loans README (commit dcf54d03), defaults 100万, 5 %, 30 years: "等额本息：
# 需要每月还5368.22", "等额本金： 需要第一月还6944.44" (its totals are computed wrongly and
# are not used).
def test_delenzhang_loans_monthly_figures() -> None:
    assert str(schedule("1000000.00", "0.05", 360).regular_payment) == "5368.22"
    ep = schedule("1000000.00", "0.05", 360, method="equal_principal")
    # The source rounds the sum of unrounded parts (2777.777… + 4166.666… = 6944.44);
    # loanmath rounds each part once and adds them (2777.78 + 4166.67 = 6944.45), so the row
    # adds up. The difference is the documented one cent.
    first = ep.installments[0]
    assert abs(first.payment - Decimal("6944.44")) == Decimal("0.01")
    assert (str(first.principal), str(first.interest)) == ("2777.78", "4166.67")


# Apmyp/kredito.js README: principal 100000, 12 % / 12, 24 instalments.
def test_kredito_js_annuity_and_linear() -> None:
    annuity = schedule("100000.00", "0.12", 24)
    assert str(annuity.regular_payment) == "4707.35"
    assert str(annuity.installments[0].interest) == "1000.00"
    assert str(annuity.installments[0].principal) == "3707.35"
    linear = schedule("100000.00", "0.12", 24, method="equal_principal")
    assert str(linear.installments[0].payment) == "5166.67"
    assert str(linear.installments[0].principal) == "4166.67"


# cfpb/amortize README (commit 46742dcf): amount 180000, rate 4.25, totalTerm 360 ->
# paymentRound '885.49'.
def test_cfpb_amortize_payment() -> None:
    assert str(schedule("180000.00", "0.0425", 360, "USD").regular_payment) == "885.49"


# Spreadsheet PMT help pages (monthly payment of a loan, payments at period end):
SPREADSHEET_PMT = [
    # Microsoft Excel PMT help (zh-HK page, US data): =PMT(8%/12, 10, 10000) -> ($1,037.03)
    ("10000", "0.08", 10, "1037.03"),
    # OpenOffice wiki, Calc: PMT function: PMT(5.5%/12; 12*2; 5000; 0; 0) returns -220.48
    ("5000", "0.055", 24, "220.48"),
    # Claris FileMaker Pro help, PMT: PMT(21000;.069/12;48) returns $501.90
    ("21000", "0.069", 48, "501.90"),
    # MESCIUS SpreadJS formula reference, PMT: PMT(6%/12, 15, 5000) -> -$346.82
    ("5000", "0.06", 15, "346.82"),
]


@pytest.mark.parametrize(("principal", "rate", "term", "payment"), SPREADSHEET_PMT)
def test_spreadsheet_pmt_examples(principal: str, rate: str, term: int, payment: str) -> None:
    assert str(schedule(principal, rate, term, "USD").regular_payment) == payment


# OCBC Bank (Singapore), CashWise fixed-repayment loan illustration: $10,000 at a 3.80 % flat
# rate; monthly instalments for 12, 24, 36, 48 and 60 months.
OCBC_FLAT = [(12, "865.00"), (24, "448.33"), (36, "309.44"), (48, "240.00"), (60, "198.33")]


@pytest.mark.parametrize(("term", "instalment"), OCBC_FLAT)
def test_ocbc_flat_rate_instalments(term: int, instalment: str) -> None:
    s = schedule("10000.00", "0.038", term, "SGD", method="flat")
    assert str(s.regular_payment) == instalment
    assert all(str(r.payment) == instalment for r in s.installments[:-1])
