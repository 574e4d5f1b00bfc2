"""Input checks shared across the library: a count is an int, a date is a date, dates come in
order.

What a data pipeline holds is accepted where it means the same thing: a numpy integer scalar
wherever an int is asked, and a midnight ``datetime`` (a ``pandas.Timestamp`` too) or a
``numpy.datetime64`` of a whole day wherever a date is asked. Each is normalised to the plain
Python value (``int``, ``datetime.date``), so nothing downstream sees a numpy or pandas type.
Nothing is silently truncated: a float is not a count, and a time of day is not a date.

numpy is never imported here (the date and day-count modules stay standard-library only): a
numpy value can only exist once numpy is imported, so it is looked up in ``sys.modules``.
"""

from __future__ import annotations

import datetime as _dt
import operator
import sys
from collections.abc import Collection
from difflib import get_close_matches
from types import ModuleType
from typing import Any

from loanmath.errors import (
    DateOrderError,
    DateTypeError,
    InputTypeError,
    InvalidInputError,
    UnknownNameError,
)

__all__ = [
    "check_bool",
    "check_date",
    "check_int",
    "check_name",
    "check_order",
    "check_same_currency",
    "is_bool",
    "is_float",
]

_EPOCH = _dt.date(1970, 1, 1)
#: numpy.datetime64 units that name a day or a time within one (coarser ones name no day).
_DAY_OR_FINER = frozenset({"D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as"})


def is_bool(value: object) -> bool:
    """Whether `value` is a ``bool`` or a ``numpy.bool_`` (never a number in loanmath).

    Examples
    --------
    >>> is_bool(True), is_bool(1)
    (True, False)
    """
    if isinstance(value, bool):
        return True
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.bool_)


def check_bool(value: object, field: str) -> bool:
    """`value` as a ``bool`` if it is one (a ``numpy.bool_`` too); anything else — 0, 1,
    ``"yes"``, None — is refused naming `field`.

    Notes
    -----
    A flag is never a truthy value: ``chart=nan`` drew a chart before this check.

    Examples
    --------
    >>> check_bool(True, "end_of_month")
    True
    >>> check_bool(1, "end_of_month")
    Traceback (most recent call last):
    ...
    loanmath.errors.InputTypeError: end_of_month=1: must be True or False
    """
    if value is True or value is False:
        return value
    if not is_bool(value):
        raise InputTypeError(field, value, "must be True or False")
    return bool(value)


def check_name(value: object, field: str, choices: Collection[str]) -> str:
    """`value` if it is one of the names `choices`; anything else (another name, a non-str,
    an unhashable or array value) is refused naming `field`, the choices and the close ones.

    Notes
    -----
    A name is compared as a ``str`` only: ``numpy.str_("fee")`` is one, a list or an array is
    not (an array's ``in`` would compare element-wise and raise numpy's own error).

    Examples
    --------
    >>> check_name("fee", "flat_charge", ("interest", "fee"))
    'fee'
    >>> check_name("fees", "flat_charge", ("interest", "fee"))
    Traceback (most recent call last):
    ...
    loanmath.errors.UnknownNameError: flat_charge='fees': must be one of 'interest', 'fee'; ...
    """
    if isinstance(value, str) and value in choices:
        return value
    names = [str(c) for c in choices]
    close = get_close_matches(value, names, n=2) if isinstance(value, str) else []
    raise UnknownNameError(field, value, names, close)


def is_float(value: object) -> bool:
    """Whether `value` is a binary float: ``float``, ``numpy.float64``, ``numpy.float32`` ...

    Examples
    --------
    >>> is_float(0.5), is_float(1)
    (True, False)
    """
    if isinstance(value, float):  # numpy.float64 is a float subclass
        return True
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.floating)


def check_int(value: object, field: str, *, minimum: int | None = None) -> int:
    """Return `value` as a plain ``int`` if it is an integer (numpy integers included).

    Parameters
    ----------
    value : object
        An ``int`` or anything ``operator.index`` accepts (``numpy.int64``, ``numpy.int32`` ...).
        ``bool`` and ``numpy.bool_`` are refused (``True`` is not a count), and so are floats,
        even whole ones (``3.0``), ``Decimal`` and ``str``: nothing is silently converted.
    field : str
        The argument's name, used in error messages.
    minimum : int, optional
        The smallest value allowed.

    Returns
    -------
    int

    Raises
    ------
    InputTypeError
        If `value` is not an integer.
    InvalidInputError
        If `value` is below `minimum`.

    Examples
    --------
    >>> import numpy as np
    >>> check_int(np.int64(12), "term")
    12
    >>> check_int(12.0, "term")
    Traceback (most recent call last):
    ...
    loanmath.errors.InputTypeError: term=12.0: must be an int, got float; pass int(value) ...
    >>> check_int(-1, "grace_days", minimum=0)
    Traceback (most recent call last):
    ...
    loanmath.errors.InvalidInputError: grace_days=-1: must be an int >= 0
    """
    if type(value) is int:
        number = value
    else:
        kind = type(value).__name__
        if is_bool(value):
            raise InputTypeError(field, value, f"must be an int, got {kind}", "pass an int")
        try:
            number = operator.index(value)  # type: ignore[arg-type]
        except TypeError:
            fix = "pass int(value) if it is a whole number" if is_float(value) else ""
            raise InputTypeError(field, value, f"must be an int, got {kind}", fix) from None
    if minimum is not None and number < minimum:
        raise InvalidInputError(field, value, f"must be an int >= {minimum}")
    return number


def check_date(value: object, field: str) -> _dt.date:
    """Return `value` as a ``datetime.date``, or raise :class:`~loanmath.errors.DateTypeError`.

    Accepted, and returned as a plain ``datetime.date``:

    - a ``datetime.date`` (or a subclass of it);
    - a ``datetime.datetime`` at midnight exactly (``pandas.Timestamp`` is one), with or
      without a time zone: its calendar date **as written**, in its own zone (no conversion:
      ``Timestamp("2024-01-31", tz="Asia/Shanghai")`` is 31 January);
    - a ``numpy.datetime64`` in days (``datetime64[D]``), or in a finer unit at midnight.

    Refused: a ``datetime`` or ``datetime64`` with a time of day (it would be silently lost;
    the message says how to convert), ``NaT``, a ``datetime64`` in months or years (no day),
    strings and everything else.

    Examples
    --------
    >>> check_date(_dt.date(2024, 1, 31), "start")
    datetime.date(2024, 1, 31)
    >>> check_date(_dt.datetime(2024, 1, 31), "start")
    datetime.date(2024, 1, 31)
    >>> check_date(_dt.datetime(2024, 1, 31, 9, 30), "start")
    Traceback (most recent call last):
    ...
    loanmath.errors.DateTypeError: start=datetime.datetime(2024, 1, 31, 9, 30): expected a ...
    >>> check_date("2024-01-31", "start")
    Traceback (most recent call last):
    ...
    loanmath.errors.DateTypeError: start='2024-01-31': expected a datetime.date, got str; ...
    """
    if type(value) is _dt.date:
        return value
    if isinstance(value, _dt.datetime):
        return _from_datetime(value, field)
    if isinstance(value, _dt.date):  # a date subclass
        return _dt.date(value.year, value.month, value.day)
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.datetime64):
        return _from_datetime64(value, field, numpy)
    fix = "parse it first: datetime.date.fromisoformat(...)" if isinstance(value, str) else ""
    raise DateTypeError(field, value, f"expected a datetime.date, got {type(value).__name__}", fix)


def _from_datetime(value: _dt.datetime, field: str) -> _dt.date:
    """A midnight datetime as its calendar date; NaT and a time of day refused."""
    if value != value:  # noqa: PLR0124 - pandas.NaT is the one datetime unequal to itself
        raise DateTypeError(field, value, "is a missing date (NaT)", "drop or fill missing dates")
    nanosecond: int = getattr(value, "nanosecond", 0)  # pandas.Timestamp keeps nanoseconds
    if value.time() != _dt.time(0) or nanosecond:
        raise DateTypeError(
            field,
            value,
            "expected a datetime.date, got a datetime with a time of day",
            "pass value.date() (a pandas.Timestamp: value.normalize().date(), a Series: "
            "series.dt.date) if the calendar date is meant",
        )
    return _dt.date(value.year, value.month, value.day)


def _from_datetime64(value: Any, field: str, numpy: ModuleType) -> _dt.date:
    """A numpy.datetime64 of a whole day as its date."""
    unit = numpy.datetime_data(value.dtype)[0]
    if numpy.isnat(value):
        raise DateTypeError(field, value, "is a missing date (NaT)", "drop or fill missing dates")
    if unit not in _DAY_OR_FINER:
        raise DateTypeError(
            field, value, f"a datetime64[{unit}] names no day", "give a datetime64[D]"
        )
    day = value.astype("datetime64[D]")
    if day != value:
        raise DateTypeError(
            field,
            value,
            "expected a date, got a datetime64 with a time of day",
            "pass value.astype('datetime64[D]') if the calendar date is meant",
        )
    try:
        return _EPOCH + _dt.timedelta(days=int(day.astype("int64")))
    except OverflowError:
        raise DateTypeError(field, value, "is outside the years 1 to 9999") from None


def check_order(start: _dt.date, end: _dt.date, start_field: str, end_field: str) -> None:
    """Raise :class:`~loanmath.errors.DateOrderError` if `end` is before `start`.

    Examples
    --------
    >>> check_order(_dt.date(2024, 2, 1), _dt.date(2024, 1, 1), "start", "end")
    Traceback (most recent call last):
    ...
    loanmath.errors.DateOrderError: end=datetime.date(2024, 1, 1): must not be before start ...
    """
    if end < start:
        raise DateOrderError(
            end_field,
            end,
            f"must not be before {start_field} ({start.isoformat()})",
            f"swap {start_field} and {end_field}, or check the dates",
        )


def check_same_currency(other: str | None, currency: str, field: str) -> None:
    """Refuse `other` currency (None: none given) where the contract is in `currency`.

    Notes
    -----
    A contract has one currency, its principal's; another is refused, never converted.

    Examples
    --------
    >>> check_same_currency("EUR", "USD", "late_fee")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    loanmath.errors.InvalidInputError: late_fee.currency='EUR': is in another currency ...
    """
    if other is not None and other != currency:
        msg = f"is in another currency than the principal ({currency})"
        raise InvalidInputError(f"{field}.currency", other, msg, f"give it in {currency}")
