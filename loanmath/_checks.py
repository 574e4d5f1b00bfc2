"""Input checks shared by the date modules: a date is a date, and dates come in order."""

from __future__ import annotations

import datetime as _dt

from loanmath.errors import DateOrderError, DateTypeError

__all__ = ["check_date", "check_order"]


def check_date(value: object, field: str) -> _dt.date:
    """Return `value` if it is a ``datetime.date`` (not a ``datetime``), else raise.

    A ``datetime`` is refused rather than truncated: its time of day would be silently lost.

    Examples
    --------
    >>> check_date(_dt.date(2024, 1, 31), "start")
    datetime.date(2024, 1, 31)
    >>> check_date("2024-01-31", "start")
    Traceback (most recent call last):
    ...
    loanmath.errors.DateTypeError: start='2024-01-31': expected a datetime.date, got str; ...
    """
    if type(value) is _dt.date:
        return value
    if isinstance(value, _dt.datetime):
        raise DateTypeError(
            field, value, "expected a datetime.date, got a datetime", "pass value.date()"
        )
    if isinstance(value, _dt.date):  # a date subclass (e.g. pandas-free calendar types)
        return _dt.date(value.year, value.month, value.day)
    fix = "parse it first: datetime.date.fromisoformat(...)" if isinstance(value, str) else ""
    raise DateTypeError(field, value, f"expected a datetime.date, got {type(value).__name__}", fix)


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
