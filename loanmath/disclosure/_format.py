"""The one babel adapter: amounts, rates, dates and locales for a borrower's screen.

Everything a disclosure shows is formatted here, from the library's exact Decimals, in the
borrower's locale; a formatted string is never parsed back into arithmetic.
"""

from __future__ import annotations

import datetime as _dt
import decimal
from collections.abc import Sequence
from decimal import Decimal
from difflib import get_close_matches

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from loanmath._checks import check_date, check_int, check_name
from loanmath._decimal import D, context_free, library_context
from loanmath.errors import InvalidInputError, UnknownNameError
from loanmath.money import check_currency

__all__ = ["format_day", "format_money", "format_number", "format_rate", "parse_locale"]


@context_free
def parse_locale(value: object, accepted: Sequence[str], option: str = "locale") -> str:
    """`value` as one of the `accepted` locale names, in either spelling (``zh_CN``, ``zh-CN``).

    Raises
    ------
    UnknownNameError
        `value` is not a locale babel knows, or not one of `accepted`; the message names
        `option` and the accepted values.

    Notes
    -----
    ``-`` becomes ``_`` and babel canonicalises the name (CLDR locale identifiers, so
    ``en_us`` is ``en_US``); it matches an accepted name case-insensitively, as written or as
    babel spells it. The suggestions are ``difflib`` close matches (docs/disclosure.md).

    Examples
    --------
    >>> parse_locale("zh-CN", ("zh_CN", "en_US")), parse_locale("en_us", ("zh_CN", "en_US"))
    ('zh_CN', 'en_US')
    >>> parse_locale("xx-YY", ("zh_CN", "en_US"))
    Traceback (most recent call last):
    ...
    loanmath.errors.UnknownNameError: locale='xx-YY': must be one of 'zh_CN', 'en_US'
    """
    if isinstance(accepted, str) or not all(isinstance(a, str) for a in accepted):
        raise InvalidInputError("accepted", accepted, "must be a sequence of locale names")
    if isinstance(value, str) and value.strip():
        cleaned = value.strip().replace("-", "_")
        try:
            name = str(Locale.parse(cleaned))
        except (UnknownLocaleError, ValueError, TypeError):
            name = cleaned
        for candidate in accepted:
            if name.lower() in (candidate.lower(), str(_babel_locale(candidate)).lower()):
                return candidate
    close = get_close_matches(str(value).replace("-", "_"), list(accepted), n=2, cutoff=0.5)
    raise UnknownNameError(option, value, tuple(accepted), close)


#: The decimal places a rate may be shown with, and the magnitude a shown rate may have.
MAX_PLACES = 10
MAX_MAGNITUDE = 30

_DATE_FORMS = ("short", "medium", "long", "full")


def _babel_locale(locale: object) -> Locale:
    """`locale` as babel's Locale, any spelling babel knows; anything else a LoanMathError."""
    if isinstance(locale, str) and locale.strip() and locale.isascii():
        try:
            return Locale.parse(locale.strip().replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            pass
    raise InvalidInputError("locale", locale, "is not a locale", "write it like zh_CN or en-US")


@context_free
def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """`amount` in `currency` for `locale`, by babel, from the exact Decimal.

    Notes
    -----
    ``babel.numbers.format_currency``: the locale's CLDR currency pattern, symbol and
    separators, with the currency's CLDR number of decimals (JPY 0, CNY 2, KWD 3); a finer
    amount is rounded half-even, in the library's context. STYLE 10:
    formatting only at the edge, never parsed back (docs/disclosure.md, "How the forms are
    built").

    Examples
    --------
    >>> format_money(Decimal("12345.6"), "CNY", "zh_CN"), format_money(Decimal("1234.5"),
    ...                                                                  "EUR", "de_DE")
    ('¥12,345.60', '1.234,50\\xa0€')
    """
    value = D(amount, "amount")
    code = check_currency(currency)
    where = _babel_locale(locale)
    with library_context():
        return str(format_currency(value, code, locale=where))


@context_free
def format_number(value: Decimal | int, locale: str) -> str:
    """A plain number (a count, a multiple) for `locale`, every digit kept.

    Examples
    --------
    >>> format_number(Decimal("1.5"), "de_DE"), format_number(12000, "en_US")
    ('1,5', '12,000')
    """
    number = D(value, "value")
    where = _babel_locale(locale)
    with library_context():
        return str(format_decimal(number, locale=where, decimal_quantization=False))


@context_free
def format_rate(rate: Decimal | None, locale: str, places: int = 2) -> str:
    """`rate` (a fraction) as a percentage for `locale`, rounded half up to `places`.

    ``None`` (a rate with no answer) is shown as an en dash.

    Notes
    -----
    ``round_half_up(rate, places + 2) × 100`` with the locale's CLDR percent pattern (its
    sign placement and spacing, ``12,68 %`` in de_DE) widened to exactly `places` decimals,
    by ``babel.numbers.format_percent``; half up, as the forms round a disclosed APR or APRC
    (docs/disclosure.md, "Figures"). Limits: ``places <= 10``, the rate's magnitude within
    1E±30 (docs/limits.md).

    Examples
    --------
    >>> format_rate(Decimal("0.126825"), "en_US"), format_rate(Decimal("0.126825"), "de_DE")
    ('12.68%', '12,68\\xa0%')
    """
    if rate is None:
        return "–"
    value = D(rate, "rate")
    digits = check_int(places, "places", minimum=0)
    if digits > MAX_PLACES:
        raise InvalidInputError("places", digits, f"must be at most {MAX_PLACES}")
    if abs(value.adjusted()) > MAX_MAGNITUDE:
        raise InvalidInputError("rate", value, f"must be within 1E±{MAX_MAGNITUDE}")
    quantum = Decimal(1).scaleb(-(digits + 2))
    where = _babel_locale(locale)
    pattern = where.percent_formats[None].pattern  # e.g. "#,##0 %" in de_DE
    pattern = pattern.replace("#,##0", "#,##0." + "0" * digits if digits else "#,##0", 1)
    with library_context():
        exact = value.quantize(quantum, rounding=decimal.ROUND_HALF_UP)
        return str(format_percent(exact, format=pattern, locale=where))


@context_free
def format_day(day: _dt.date, locale: str, form: str = "medium") -> str:
    """`day` in `locale`'s `form` (``"short"``, ``"medium"``, ``"long"`` or ``"full"``).

    Notes
    -----
    ``babel.dates.format_date`` with the locale's CLDR date pattern of that length
    (``"full"`` is accepted too): ``MMM d, y`` in en_US, ``y年M月d日`` in zh_CN
    (docs/disclosure.md, "How the forms are built").

    Examples
    --------
    >>> import datetime as dt
    >>> format_day(dt.date(2024, 2, 15), "en_US"), format_day(dt.date(2024, 2, 15), "zh_CN")
    ('Feb 15, 2024', '2024年2月15日')
    """
    date = check_date(day, "day")
    check_name(form, "form", _DATE_FORMS)
    return str(format_date(date, format=form, locale=_babel_locale(locale)))
