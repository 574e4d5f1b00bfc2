"""What the explanations share: reading a figure, and showing a rate (20 digits, a percent)."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

from loanmath._decimal import D
from loanmath.errors import InvalidInputError

__all__ = ["SHOWN", "figure_of", "percent", "shown"]

#: Rates shown in an explanation: 20 significant digits, half even.
SHOWN = decimal.Context(prec=20, rounding=decimal.ROUND_HALF_EVEN)


def figure_of(value: object, field: str) -> Decimal:
    """A rate as a fraction: a Decimal, int or str, or a percent string such as ``"8.66%"``.

    Examples
    --------
    >>> figure_of("8.66%", "figure")
    Decimal('0.0866')
    """
    if isinstance(value, str) and value.strip().endswith("%"):
        rate = D(value.strip()[:-1].strip(), field).scaleb(-2)
    else:
        rate = D(value, field)
    if rate <= -1:
        raise InvalidInputError(field, value, "must be above -100 % (-1 as a fraction)")
    return rate


def shown(value: Fraction | Decimal) -> Decimal:
    """A Fraction or Decimal to 20 significant digits, half even.

    Examples
    --------
    >>> shown(Fraction(1, 3))
    Decimal('0.33333333333333333333')
    """
    if isinstance(value, Decimal):
        return SHOWN.plus(value)
    return SHOWN.divide(Decimal(value.numerator), Decimal(value.denominator))


def percent(rate: Decimal) -> str:
    """A rate fraction as a percent string, trailing zeros dropped.

    Examples
    --------
    >>> percent(Decimal("0.0866"))
    '8.66 %'
    """
    return f"{SHOWN.multiply(rate, 100).normalize(SHOWN):f} %"
