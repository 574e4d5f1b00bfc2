"""The loans the disclosure tests render: one per form and jurisdiction, each with fees and
overdue terms so every line of its form has something to show."""

from __future__ import annotations

import datetime as dt

from loanmath import Fee, LoanTerms, Money
from loanmath.caps import CN_COMPREHENSIVE_36, US_MLA_36

START = dt.date(2024, 1, 15)


def tila_loan() -> LoanTerms:
    """$5,000 over 36 months at 12 % with a $100 origination fee and a $25 late fee."""
    return LoanTerms(
        Money("5000", "USD"),
        "0.12",
        36,
        start_date=START,
        fees=(Fee("origination", "upfront", amount="100"),),
        late_fee="25",
        penalty_grace_days=15,
        caps=(US_MLA_36,),
    )


def cn_loan(frequency: str = "monthly", term: int = 12) -> LoanTerms:
    """¥12,000 at 12 % with a ¥300 service fee withheld, 1.5 × overdue rate, ¥20 late fee."""
    return LoanTerms(
        Money("12000", "CNY"),
        "0.12",
        term,
        frequency=frequency,
        start_date=START,
        fees=(Fee("服务费", "upfront", amount="300"),),
        penalty_multiple="1.5",
        penalty_grace_days=3,
        late_fee="20",
        caps=(CN_COMPREHENSIVE_36,),
    )


def secci_loan(currency: str = "EUR") -> LoanTerms:
    """10,000 over 24 months at 5.84 % with a 150 arrangement fee and 5 points over."""
    return LoanTerms(
        Money("10000", currency),
        "0.0584",
        24,
        start_date=START,
        fees=(Fee("Bearbeitungsgebühr", "financed", amount="150"),),
        penalty_rate="0.05",
        late_fee="5",
    )


def quote_loan(currency: str) -> LoanTerms:
    """A plain 12-month annuity in `currency` (JPY has no minor unit)."""
    amount = "1200000" if currency == "JPY" else "12000"
    return LoanTerms(
        Money(amount, currency),
        "0.12",
        12,
        start_date=START,
        penalty_multiple="1.5",
        penalty_grace_days=3,
    )
