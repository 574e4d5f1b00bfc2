"""loanmath — exact loan mathematics in Decimal.

What a loan *is* and what it *owes*: money and rounding, day counts, payment dates, and (in
the packages built on them) schedules, annualised rates, caps, penalties, ageing and balanced
ledger postings. Results never depend on the caller's ``decimal`` context.

Examples
--------
>>> from loanmath import Money, Rounding
>>> Money("100.00", "CNY").allocate([1, 1, 1])
(Money('33.34', 'CNY'), Money('33.33', 'CNY'), Money('33.33', 'CNY'))
"""

from loanmath._decimal import CONTEXT, ONE, ZERO, D, library_context
from loanmath.errors import (
    CurrencyMismatchError,
    DateOrderError,
    DateTypeError,
    FloatMoneyError,
    InexactError,
    InputTypeError,
    InvalidInputError,
    LedgerImbalance,
    LoanMathError,
    MissingDependencyError,
    NonFiniteError,
    NoSolutionError,
    RateCapExceeded,
    UnknownNameError,
)
from loanmath.money import Money, Rounding, allocate, minor_unit, minor_unit_quantum
from loanmath.penalty import OverdueTerms
from loanmath.schedules import (
    CashFlow,
    Fee,
    Installment,
    Schedule,
    build_schedule,
    reamortize,
)
from loanmath.terms import LoanTerms

__version__ = "0.1.0"

__all__ = [
    "CONTEXT",
    "ONE",
    "ZERO",
    "CashFlow",
    "CurrencyMismatchError",
    "D",
    "DateOrderError",
    "DateTypeError",
    "Fee",
    "FloatMoneyError",
    "InexactError",
    "InputTypeError",
    "Installment",
    "InvalidInputError",
    "LedgerImbalance",
    "LoanMathError",
    "LoanTerms",
    "MissingDependencyError",
    "Money",
    "NoSolutionError",
    "NonFiniteError",
    "OverdueTerms",
    "RateCapExceeded",
    "Rounding",
    "Schedule",
    "UnknownNameError",
    "__version__",
    "allocate",
    "build_schedule",
    "library_context",
    "minor_unit",
    "minor_unit_quantum",
    "reamortize",
]
