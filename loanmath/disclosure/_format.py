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

from loanmath._decimal import library_context
from loanmath.errors import UnknownNameError

__all__ = ["format_day", "format_money", "format_number", "format_rate", "parse_locale"]


def parse_locale(value: object, accepted: Sequence[str], option: str = "locale") -> str:
    """`value` as one of the `accepted` locale names, in either spelling (``zh_CN``, ``zh-CN``).

    Raises
    ------
    UnknownNameError
        `value` is not a locale babel knows, or not one of `accepted`; the message names
        `option` and the accepted values.

    Examples
    --------
    >>> parse_locale("zh-CN", ("zh_CN", "en_US")), parse_locale("en_us", ("zh_CN", "en_US"))
    ('zh_CN', 'en_US')
    >>> parse_locale("xx-YY", ("zh_CN", "en_US"))
    Traceback (most recent call last):
    ...
    loanmath.errors.UnknownNameError: locale='xx-YY': must be one of 'zh_CN', 'en_US'
    """
    if isinstance(value, str) and value.strip():
        cleaned = value.strip().replace("-", "_")
        try:
            name = str(Locale.parse(cleaned))
        except (UnknownLocaleError, ValueError, TypeError):
            name = cleaned
        for candidate in accepted:
            if name.lower() in (candidate.lower(), str(Locale.parse(candidate)).lower()):
                return candidate
    close = get_close_matches(str(value).replace("-", "_"), list(accepted), n=2, cutoff=0.5)
    raise UnknownNameError(option, value, tuple(accepted), close)


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """`amount` in `currency` for `locale`, by babel, from the exact Decimal.

    Examples
    --------
    >>> format_money(Decimal("12345.6"), "CNY", "zh_CN"), format_money(Decimal("1234.5"),
    ...                                                                  "EUR", "de_DE")
    ('¥12,345.60', '1.234,50\\xa0€')
    """
    with library_context():
        return str(format_currency(amount, currency, locale=locale))


def format_number(value: Decimal | int, locale: str) -> str:
    """A plain number (a count, a multiple) for `locale`, every digit kept.

    Examples
    --------
    >>> format_number(Decimal("1.5"), "de_DE"), format_number(12000, "en_US")
    ('1,5', '12,000')
    """
    with library_context():
        return str(format_decimal(value, locale=locale, decimal_quantization=False))


def format_rate(rate: Decimal | None, locale: str, places: int = 2) -> str:
    """`rate` (a fraction) as a percentage for `locale`, rounded half up to `places`.

    ``None`` (a rate with no answer) is shown as an en dash.

    Examples
    --------
    >>> format_rate(Decimal("0.126825"), "en_US"), format_rate(Decimal("0.126825"), "de_DE")
    ('12.68%', '12,68\\xa0%')
    """
    if rate is None:
        return "–"
    quantum = Decimal(1).scaleb(-(places + 2))
    pattern = Locale.parse(locale).percent_formats[None].pattern  # e.g. "#,##0 %" in de_DE
    pattern = pattern.replace("#,##0", "#,##0." + "0" * places if places else "#,##0", 1)
    with library_context():
        exact = rate.quantize(quantum, rounding=decimal.ROUND_HALF_UP)
        return str(format_percent(exact, format=pattern, locale=locale))


def format_day(day: _dt.date, locale: str, form: str = "medium") -> str:
    """`day` in `locale`'s `form` (``"short"``, ``"medium"``, ``"long"``).

    Examples
    --------
    >>> import datetime as dt
    >>> format_day(dt.date(2024, 2, 15), "en_US"), format_day(dt.date(2024, 2, 15), "zh_CN")
    ('Feb 15, 2024', '2024年2月15日')
    """
    return str(format_date(day, format=form, locale=locale))
