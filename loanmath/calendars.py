"""Holiday calendars for due dates, from a maintained package (python-holidays).

A :class:`HolidayCalendar` names a country (``"CN"``, ``"US"``, ``"GB"`` with
``subdivision="ENG"`` …) or a financial market (``"XFED"`` the Federal Reserve, ``"XECB"``
TARGET, ``"XSHG"`` the Shanghai Stock Exchange …) of the `holidays` package and answers two
questions for a date: is it a holiday, and is it a business day. The second one takes the
whole rule into account: weekend days, holidays, and *make-up working days* — China moves
working days onto weekends to join holidays into longer breaks (调休), so 2024-02-04, a
Sunday, was a working day (国办发明电〔2023〕7号). Pass a calendar wherever
:data:`loanmath.dates.Holidays` is taken (:func:`loanmath.dates.adjust`,
:func:`loanmath.dates.payment_dates`) or as ``LoanTerms(..., holidays=...)``: it then decides
the weekend as well.

Which years are known
---------------------
A calendar answers only for the years its package holds, and refuses any other year with an
:class:`~loanmath.errors.InvalidInputError` naming ``holidays`` (a year the package does not
cover is never taken as a year without holidays):

- every calendar: the package's own ``start_year`` to ``end_year`` (outside them the package
  would silently list nothing);
- a country or market whose holidays are re-arranged by an annual decree, which the package
  marks by recording make-up working days for it (China and the Chinese markets, Vietnam,
  Russia …): only the years from the first to the last decree the installed package holds.
  China's notice for a year is published in the preceding autumn; a newer `holidays`
  release carries it (``pip install -U holidays``).

Install with ``pip install 'loanmath[calendars]'``; without the package, constructing a
calendar raises :class:`~loanmath.errors.MissingDependencyError` naming that command.

References
----------
.. [CN2024] 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号), 2023-10-25.
.. [CN2025] 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号), 2024-11-12.
.. [USC6103] 5 U.S.C. § 6103, legal public holidays (the ``"US"`` calendar); the Federal
   Reserve's own schedule (``"XFED"``) stays open on the Friday before a Saturday holiday.
.. [HOLIDAYS] python-holidays, https://github.com/vacanza/holidays
"""

from __future__ import annotations

import datetime as _dt
from difflib import get_close_matches
from functools import lru_cache
from typing import Any, Final

import attrs

from loanmath._checks import check_date
from loanmath._decimal import context_free, guard_init
from loanmath._optional import require
from loanmath.errors import InputTypeError, InvalidInputError, UnknownNameError

__all__ = ["HolidayCalendar"]

_FEATURE: Final = "loanmath.calendars.HolidayCalendar"


def _package() -> Any:
    return require("holidays", _FEATURE, extra="calendars")


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The package's country codes and market codes, each with its subdivisions."""
    package = _package()
    return package.list_supported_countries(), package.list_supported_financial()


def _make(name: str, subdivision: str | None, years: range | None) -> Any:
    package = _package()
    countries, _ = _names()
    factory = package.country_holidays if name in countries else package.financial_holidays
    return factory(name, subdiv=subdivision, years=years)


def _decreed_years(entity: Any) -> range | None:
    """The years of the decrees re-arranging working days, for a calendar that has them."""
    if not getattr(entity, "has_substituted_holidays", False):
        return None
    years = [
        year
        for year, entries in getattr(entity, "special_public_holidays", {}).items()
        if any(isinstance(e, tuple) and len(e) >= 4 for e in _entries(entries))
    ]
    if not years:
        raise InvalidInputError(
            "holidays",
            entity.__class__.__name__,
            "the installed holidays package does not say which years its decrees cover",
            "install a supported version: pip install 'loanmath[calendars]'",
        )
    return range(min(years), max(years) + 1)


def _entries(entries: object) -> tuple[object, ...]:
    """One year's special holidays as a tuple of entries (the package nests a lone one)."""
    if isinstance(entries, tuple) and entries and isinstance(entries[0], tuple):
        return entries
    return (entries,)


@lru_cache(maxsize=512)
def _span(name: str, subdivision: str | None) -> tuple[int, int, bool]:
    """First and last year the calendar knows, and whether that is its decrees' span."""
    entity = _make(name, subdivision, None)
    first, last = int(entity.start_year), int(entity.end_year)
    decreed = _decreed_years(entity)
    if decreed is None:
        return first, last, False
    return max(first, decreed.start), min(last, decreed.stop - 1), True


@lru_cache(maxsize=2048)
def _year_days(
    name: str, subdivision: str | None, year: int
) -> tuple[frozenset[_dt.date], frozenset[_dt.date]]:
    """The year's holidays and its non-business days, as immutable sets.

    The neighbouring years are loaded too: a decree may move a working day across the turn of
    the year (2001-12-29 was worked for New Year 2002).
    """
    first, last, _ = _span(name, subdivision)
    years = range(max(first, year - 1), min(last, year + 1) + 1)
    entity = _make(name, subdivision, years)
    start = _dt.date(year, 1, 1)
    days = [start + _dt.timedelta(days=k) for k in range((_dt.date(year, 12, 31) - start).days + 1)]
    holidays = frozenset(d for d in days if d in entity)
    closed = frozenset(d for d in days if not entity.is_working_day(d))
    return holidays, closed


def _choices() -> list[str]:
    countries, markets = _names()
    return sorted({*countries, *markets})


@guard_init
@attrs.frozen
class HolidayCalendar:
    """A country's or a market's holidays, weekends and make-up working days.

    Parameters
    ----------
    name : str
        A country code of the `holidays` package (ISO 3166-1 alpha-2: ``"CN"``, ``"US"``,
        ``"GB"``, ``"DE"`` …) or a market code (``"XFED"`` Federal Reserve, ``"XECB"``
        TARGET, ``"XNYS"``, ``"XSHG"`` …).
    subdivision : str, optional
        A subdivision the package knows for `name` (``"ENG"`` for ``"GB"``, ``"NY"`` for
        ``"US"``): its holidays are added to the national ones.

    Attributes
    ----------
    years : tuple of int
        The first and the last year this calendar answers for (see the module's notes).

    Raises
    ------
    MissingDependencyError
        Without the `holidays` package (``pip install 'loanmath[calendars]'``).
    UnknownNameError
        For a name or a subdivision the package does not know (field ``name`` or
        ``subdivision``).
    InputTypeError
        For a name or a subdivision that is not a string.

    Notes
    -----
    A day is a business day when the package's ``is_working_day`` says so: it is not a
    holiday (nor a day off moved onto a weekday) and either not a weekend day of that
    calendar or a weekend day decreed a working day. The calendar is a frozen, hashable,
    picklable value; the package's data are read once per (calendar, year) and kept as
    immutable sets, so answers never change while a process runs.

    References
    ----------
    .. [1] 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号).
    .. [2] python-holidays, https://github.com/vacanza/holidays

    Examples
    --------
    >>> import datetime as dt
    >>> cn = HolidayCalendar("CN")
    >>> cn.is_holiday(dt.date(2024, 2, 12)), cn.is_business_day(dt.date(2024, 2, 12))
    (True, False)
    >>> cn.is_business_day(dt.date(2024, 2, 4))  # a Sunday worked by decree (调休)
    True
    >>> HolidayCalendar("GB", subdivision="ENG").is_holiday(dt.date(2025, 8, 25))
    True
    >>> HolidayCalendar("CN").is_business_day(dt.date(2099, 1, 5))
    Traceback (most recent call last):
    ...
    loanmath.errors.InvalidInputError: holidays=datetime.date(2099, 1, 5): 2099 is unknown: ...
    """

    name: str
    subdivision: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise InputTypeError("name", self.name, "must be a calendar name", "e.g. 'CN'")
        if self.subdivision is not None and not isinstance(self.subdivision, str):
            raise InputTypeError(
                "subdivision", self.subdivision, "must be a subdivision code or None"
            )
        countries, markets = _names()
        known = {**markets, **countries}
        if self.name not in known:
            close = get_close_matches(self.name.upper(), _choices(), n=3)
            raise UnknownNameError("name", self.name, _choices(), close)
        subdivisions = known[self.name]
        if self.subdivision is not None and self.subdivision not in subdivisions:
            close = get_close_matches(self.subdivision.upper(), subdivisions, n=3)
            raise UnknownNameError("subdivision", self.subdivision, subdivisions, close)
        _span(self.name, self.subdivision)  # the package answers for this calendar

    @property
    def years(self) -> tuple[int, int]:
        """The first and the last year this calendar answers for."""
        first, last, _ = _span(self.name, self.subdivision)
        return first, last

    def _days(self, day: object) -> tuple[_dt.date, frozenset[_dt.date], frozenset[_dt.date]]:
        checked = check_date(day, "day")
        first, last, decreed = _span(self.name, self.subdivision)
        if not first <= checked.year <= last:
            why = " (its working days are re-arranged by a decree each year)" if decreed else ""
            raise InvalidInputError(
                "holidays",
                checked,
                f"{checked.year} is unknown: the {self.name!r} calendar of the installed "
                f"holidays package covers the years {first} to {last} only{why}",
                "upgrade it (pip install -U holidays) or pass the holidays as a set of dates",
            )
        holidays, closed = _year_days(self.name, self.subdivision, checked.year)
        return checked, holidays, closed

    @context_free
    def is_holiday(self, day: _dt.date) -> bool:
        """Whether `day` is a holiday of this calendar (a weekend day need not be one).

        Parameters
        ----------
        day : datetime.date

        Returns
        -------
        bool

        Raises
        ------
        DateTypeError
            For a `day` that is not a date.
        InvalidInputError
            For a year the installed package does not cover (field ``holidays``).

        Notes
        -----
        The package's list for the year: statutory holidays, observed days, and days off
        moved onto weekdays by decree (2024-02-16, a Friday off for the Spring Festival).

        Examples
        --------
        >>> import datetime as dt
        >>> HolidayCalendar("XFED").is_holiday(dt.date(2025, 10, 13))  # Columbus Day
        True
        """
        checked, holidays, _ = self._days(day)
        return checked in holidays

    @context_free
    def is_business_day(self, day: _dt.date) -> bool:
        """Whether `day` is a business day: not a holiday, and a weekday or a weekend day
        decreed a working day.

        Parameters
        ----------
        day : datetime.date

        Returns
        -------
        bool

        Raises
        ------
        DateTypeError
            For a `day` that is not a date.
        InvalidInputError
            For a year the installed package does not cover (field ``holidays``).

        Notes
        -----
        ``holidays.HolidayBase.is_working_day``: a weekend day is a business day only when it
        is among the calendar's make-up working days (调休, [CN2024]_); any other day unless
        it is a holiday.

        References
        ----------
        .. [CN2024] 国办发明电〔2023〕7号: "2月4日（星期日）、2月18日（星期日）上班".

        Examples
        --------
        >>> import datetime as dt
        >>> cn = HolidayCalendar("CN")
        >>> [cn.is_business_day(dt.date(2024, 2, d)) for d in (3, 4, 10, 18)]
        [False, True, False, True]
        """
        checked, _, closed = self._days(day)
        return checked not in closed
