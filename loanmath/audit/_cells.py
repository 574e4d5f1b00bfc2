"""One tape cell at a time: text in, a checked value out, or a ``CellError`` naming the field.

Money and rates are read from their text, never through a float: a money cell in exponent
notation (``1e2``) or with more decimals than the currency's minor unit (``104.13000000000001``,
a float's trace) is a bad cell, not a value to round.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal, InvalidOperation

from loanmath._decimal import is_multiple
from loanmath.errors import CellError, LoanMathError
from loanmath.money import check_currency, minor_unit, minor_unit_quantum

__all__ = ["CellError", "date_cell", "int_cell", "money_cell", "rate_cell", "text_cell"]

_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")  # no exponent, no spaces, no separators


def _number(field: str, text: str) -> Decimal:
    if not _PLAIN.match(text):
        raise CellError(
            field,
            text,
            "is not a plain decimal number (no exponent, no separators)",
            "write it as digits with a decimal point, e.g. 1200.50",
        )
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise CellError(field, text, "is not a number") from error


def text_cell(field: str, text: str, *, required: bool = True) -> str:
    """A non-empty text cell (``""`` when optional and empty)."""
    value = text.strip()
    if required and not value:
        raise CellError(field, text, "is empty", "every row needs it")
    return value


def money_cell(field: str, text: str, currency: str) -> Decimal:
    """An amount with at most the currency's minor-unit decimals.

    Examples
    --------
    >>> money_cell("amount", "104.13", "CNY")
    Decimal('104.13')
    >>> money_cell("amount", "104.13000000000001", "CNY")
    Traceback (most recent call last):
    ...
    loanmath.errors.CellError: amount='104.13000000000001': has 14 decimals; CNY ...
    """
    value = _number(field, text.strip())
    allowed = minor_unit(currency)
    if not is_multiple(value, minor_unit_quantum(currency)):  # trailing zeros are no decimals
        places = len(text.strip().partition(".")[2])
        raise CellError(
            field,
            text,
            f"has {places} decimals; {currency} has {allowed}",
            "a float's trace? export money as text",
        )
    return value


def rate_cell(field: str, text: str) -> Decimal:
    """A rate as a fraction (``0.12`` is 12 %)."""
    return _number(field, text.strip())


def int_cell(field: str, text: str) -> int:
    """A whole number (``12``; ``12.0`` is accepted, ``12.5`` is not)."""
    value = _number(field, text.strip())
    if value != value.to_integral_value():
        raise CellError(field, text, "is not a whole number")
    return int(value)


def date_cell(field: str, text: str, fmt: str | None = None) -> _dt.date:
    """A date: ISO ``yyyy-mm-dd`` or the mapping's ``strptime`` format."""
    value = text.strip()
    try:
        if fmt is None:
            return _dt.date.fromisoformat(value)
        return _dt.datetime.strptime(value, fmt).date()
    except ValueError as error:
        raise CellError(
            field,
            text,
            f"is not a date in the format {fmt or 'yyyy-mm-dd'}",
            "set [dates] format in the mapping file" if fmt is None else "",
        ) from error


def currency_cell(field: str, text: str) -> str:
    """An ISO 4217 code babel knows."""
    try:
        return check_currency(text.strip(), field)
    except LoanMathError as error:
        raise CellError(field, text, "is not a known ISO 4217 currency code") from error
