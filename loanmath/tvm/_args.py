"""The spreadsheet functions' shared argument rules: a rate (a float taken by its ``str()``),
a count of periods, ``when``, and the result's 28 significant digits."""

from __future__ import annotations

import decimal
from decimal import Decimal

from loanmath._decimal import CONTEXT, D
from loanmath.apr.roots import MAX_PAYMENTS
from loanmath.errors import InvalidInputError

__all__ = [
    "MAX_PERIODS",
    "RESULT_DIGITS",
    "Number",
    "count_arg",
    "growth",
    "npery_arg",
    "rate_arg",
    "result_of",
    "when_arg",
]

RESULT_DIGITS = 28
Number = Decimal | int | str | float


def rate_arg(value: object, field: str = "rate") -> Decimal:
    """A rate: Decimal, int, str, or float converted with str() (the documented exception)."""
    if isinstance(value, float):
        value = str(value)
    return D(value, field)


#: The most periods a spreadsheet function takes (a century of weekly periods, 4 × 10**5
#: monthly ones would be 33,000 years): beyond it no answer is meaningful or quick. The same
#: limit as the annuity solver RATE goes through.
MAX_PERIODS = MAX_PAYMENTS


def count_arg(value: object, field: str) -> Decimal:
    """A number of periods: like a rate, a float is taken by its str() (12.0, 10.5); at most
    :data:`MAX_PERIODS` either way."""
    count = D(str(value) if isinstance(value, float) else value, field)
    if abs(count) > MAX_PERIODS:
        raise InvalidInputError(field, count, f"must be within ±{MAX_PERIODS} periods")
    return count


def when_arg(when: object) -> int:
    if not isinstance(when, (str, int)) or isinstance(when, bool):
        raise InvalidInputError("when", when, "must be 'end'/0 or 'begin'/1", "#VALUE! in a sheet")
    if when in ("end", 0):
        return 0
    if when in ("begin", 1):
        return 1
    raise InvalidInputError("when", when, "must be 'end'/0 or 'begin'/1", "#VALUE! in a sheet")


def result_of(value: Decimal) -> Decimal:
    with decimal.localcontext(CONTEXT) as ctx:
        ctx.prec = RESULT_DIGITS
        return +value


def growth(rate: Decimal, periods: Decimal) -> Decimal:
    """(1 + rate)^periods in the library context (exact-rounded for integer periods)."""
    base = 1 + rate
    if base <= 0:
        raise InvalidInputError("rate", rate, "must be > -1 (#NUM! in a sheet)")
    return base**periods


def npery_arg(npery: Number) -> int:
    periods = int(count_arg(npery, "npery"))  # spreadsheets truncate npery to an integer
    if periods < 1:
        raise InvalidInputError("npery", npery, "must be >= 1 (#NUM!)")
    return periods
