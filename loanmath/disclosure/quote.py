"""A loan quote for a disclosure screen: the exact terms, their rates and caps, in words.

``build_quote(terms)`` gathers everything a borrower must see from the contract's own
Decimals; ``quote_text(quote, locale)`` renders it with babel for the locale (amounts,
percentages and dates — never through float); ``quote_json(quote)`` gives the same as plain
JSON-ready data with amounts as strings.
"""

from __future__ import annotations

import datetime as _dt
import decimal
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from loanmath._decimal import CONTEXT, context_free, library_context
from loanmath.apr import effective_irr, eu_aprc, nominal_irr, regz_apr
from loanmath.disclosure._texts import text
from loanmath.errors import LoanMathError

__all__ = [
    "RATE_METHODS",
    "Quote",
    "build_quote",
    "format_money",
    "format_rate",
    "quote_json",
    "quote_text",
]

#: The annualised rates a quote shows, in order.
RATE_METHODS = ("nominal_irr", "effective_irr", "regz_apr", "eu_aprc")


@attrs.frozen
class Quote:
    """Everything a quote discloses, as exact values.

    ``rates`` maps each of :data:`RATE_METHODS` to a Decimal (or None where the method has no
    answer); ``caps`` lists ``(name, measured, limit)`` for each cap the contract was checked
    against (it could not have been built above any of them).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> build_quote(LoanTerms(Money("100", "JPY"), "0", 1, start_date=dt.date(2024, 1, 1))).caps
    ()
    """

    terms: Any
    rates: dict[str, Decimal | None]
    caps: tuple[tuple[str, Decimal, Decimal], ...]


def _rates(terms: Any) -> dict[str, Decimal | None]:
    schedule = terms.schedule
    flows = schedule.cash_flows()
    amounts = [f.amount for f in flows]
    dates = [f.date for f in flows]
    per_year = schedule.periods_per_year
    makers: dict[str, Callable[[], Decimal]] = {
        "nominal_irr": lambda: nominal_irr(amounts, per_year),
        "effective_irr": lambda: effective_irr(amounts, per_year),
        "regz_apr": lambda: regz_apr(
            [(f.date, -f.amount) for f in flows if f.amount < 0],
            [(f.date, f.amount) for f in flows if f.amount > 0],
        ),
        "eu_aprc": lambda: eu_aprc(amounts, dates),
    }
    rates: dict[str, Decimal | None] = {}
    for name, make in makers.items():
        try:
            rates[name] = make()
        except LoanMathError:
            rates[name] = None
    return rates


@context_free
def build_quote(terms: Any) -> Quote:
    """Collect a quote for `terms` (a constructed, so lawful, ``LoanTerms``).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.caps import CN_COMPREHENSIVE_36
    >>> q = build_quote(LoanTerms(Money("12000", "CNY"), "0.12", 12,
    ...                 start_date=dt.date(2024, 1, 15), caps=(CN_COMPREHENSIVE_36,)))
    >>> str(q.rates["nominal_irr"])[:6], q.caps[0][0]
    ('0.1200', 'CN_COMPREHENSIVE_36')
    """
    caps = tuple((cap.name, cap.measure(terms), cap.limit) for cap in terms.caps)
    return Quote(terms=terms, rates=_rates(terms), caps=caps)


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    """`amount` in `currency` for `locale`, by babel, from the exact Decimal.

    Examples
    --------
    >>> format_money(Decimal("12345.6"), "CNY", "zh_CN"), format_money(Decimal("1234.5"),
    ...                                                                  "EUR", "de_DE")
    ('¥12,345.60', '1.234,50\\xa0€')
    """
    with library_context():
        return format_currency(amount, currency, locale=locale)


def format_rate(rate: Decimal | None, locale: str, places: int = 2) -> str:
    """`rate` (a fraction) as a percentage for `locale`, rounded half up to `places`.

    Examples
    --------
    >>> format_rate(Decimal("0.126825"), "en_US"), format_rate(Decimal("0.126825"), "de_DE")
    ('12.68%', '12,68\\xa0%')
    """
    if rate is None:
        return text(locale, "n/a")
    quantum = Decimal(1).scaleb(-(places + 2))
    pattern = Locale.parse(locale).percent_formats[None].pattern  # e.g. "#,##0 %" in de_DE
    pattern = pattern.replace("#,##0", "#,##0." + "0" * places, 1)
    with library_context():
        exact = rate.quantize(quantum, rounding=decimal.ROUND_HALF_UP)
        return format_percent(exact, format=pattern, locale=locale)


def _date(day: _dt.date, locale: str) -> str:
    return format_date(day, format="medium", locale=locale)


def _penalty_words(terms: Any, locale: str) -> str:
    grace = (
        text(locale, "grace.days", days=terms.penalty_grace_days)
        if terms.penalty_grace_days
        else text(locale, "grace.none")
    )
    overdue = terms.overdue_rate
    if terms.penalty_multiple is not None:
        words = text(
            locale,
            "penalty.multiple",
            rate=format_rate(overdue, locale),
            multiple=format_decimal(terms.penalty_multiple, locale=locale),
            grace=grace,
        )
    elif terms.overdue.daily_rate is not None:
        words = text(
            locale,
            "penalty.daily",
            daily=format_rate(terms.overdue.daily_rate, locale, 4),
            rate=format_rate(overdue, locale),
            grace=grace,
        )
    elif terms.penalty_rate is not None:
        words = text(
            locale,
            "penalty.rate",
            rate=format_rate(overdue, locale),
            extra=format_rate(terms.penalty_rate, locale),
            grace=grace,
        )
    elif terms.penalty_grace_days:
        words = text(locale, "penalty.none_grace", grace=grace)
    else:
        words = text(locale, "penalty.none")
    if terms.late_fee is not None:
        words += " " + text(
            locale, "late_fee", fee=format_money(terms.late_fee, terms.principal.currency, locale)
        )
    return words


def quote_text(quote: Quote, locale: str = "en_US") -> str:
    """The quote as text for `locale` (``zh_CN``, ``en_US``, ``de_DE``, ``ja_JP`` …).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> q = build_quote(LoanTerms(Money("1000", "EUR"), "0.05", 2,
    ...                           start_date=dt.date(2024, 1, 1)))
    >>> quote_text(q, "de_DE").splitlines()[:2]
    ['Kreditangebot', 'Nettodarlehensbetrag: 1.000,00\xa0€']
    """
    terms = quote.terms
    s = terms.schedule
    cur = s.currency

    def money(value: Decimal) -> str:
        return format_money(value, cur, locale)

    lines = [
        text(locale, "title"),
        f"{text(locale, 'principal')}: {money(s.principal)}",
        f"{text(locale, 'disbursed')}: {money(s.disbursed)}",
        f"{text(locale, 'rate')}: {format_rate(terms.annual_rate, locale, 4)}",
        f"{text(locale, 'term')}: {s.term}",
        f"{text(locale, 'method')}: {text(locale, 'method.' + s.method)}",
        "",
        text(locale, "schedule"),
    ]
    header = [
        text(locale, k)
        for k in (
            "col.number",
            "col.due",
            "col.principal",
            "col.interest",
            "col.fees",
            "col.payment",
            "col.balance",
        )
    ]
    rows = [header] + [
        [
            str(r.number),
            _date(r.due_date, locale),
            money(r.principal),
            money(r.interest),
            money(r.fees),
            money(r.payment),
            money(r.balance),
        ]
        for r in s.installments
    ]
    widths = [max(_width(row[c]) for row in rows) for c in range(len(header))]
    for row in rows:
        lines.append("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)))
    with decimal.localcontext(CONTEXT):
        fees = s.total_fees + s.upfront_fees + s.financed_fees
    lines += [
        "",
        f"{text(locale, 'total_interest')}: {money(s.total_interest)}",
        f"{text(locale, 'total_fees')}: {money(fees)}",
        f"{text(locale, 'total_repay')}: {money(s.total_payment)}",
    ]
    if s.residual:
        lines.append(text(locale, "residual", amount=money(s.residual)))
    lines += ["", text(locale, "rates")]
    lines += [
        f"  {text(locale, 'rate.' + name)}: {format_rate(quote.rates[name], locale)}"
        for name in RATE_METHODS
    ]
    lines += ["", text(locale, "caps")]
    if not quote.caps:
        lines.append(f"  {text(locale, 'no_caps')}")
    for name, measured, limit in quote.caps:
        lines.append(
            f"  {name}: {format_rate(measured, locale)} <= "
            f"{format_rate(limit, locale)} ({text(locale, 'cap.ok')})"
        )
    lines += ["", f"{text(locale, 'penalty')}: {_penalty_words(terms, locale)}"]
    return "\n".join(lines)


def _width(cell: str) -> int:
    # East Asian characters take two columns in a terminal
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell)


def _pad(cell: str, width: int) -> str:
    return " " * (width - _width(cell)) + cell


def quote_json(quote: Quote) -> dict[str, object]:
    """The quote as JSON-ready data: amounts and rates as strings, dates as ISO strings.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> data = quote_json(build_quote(LoanTerms(Money("100", "JPY"), "0", 1,
    ...                                         start_date=dt.date(2024, 1, 1))))
    >>> data["schedule"][0]["payment"], data["schedule"][0]["due_date"]
    ('100', '2024-02-01')
    """
    terms = quote.terms
    s = terms.schedule
    return {
        "currency": s.currency,
        "principal": format(s.principal, "f"),
        "disbursed": format(s.disbursed, "f"),
        "annual_rate": format(terms.annual_rate, "f"),
        "method": s.method,
        "frequency": terms.frequency,
        "term": s.term,
        "start_date": s.start_date.isoformat(),
        "schedule": [
            {
                "number": r.number,
                "due_date": r.due_date.isoformat(),
                **{
                    k: format(getattr(r, k), "f")
                    for k in ("principal", "interest", "fees", "payment", "balance")
                },
            }
            for r in s.installments
        ],
        "totals": {
            "interest": format(s.total_interest, "f"),
            "periodic_fees": format(s.total_fees, "f"),
            "upfront_fees": format(s.upfront_fees, "f"),
            "financed_fees": format(s.financed_fees, "f"),
            "payment": format(s.total_payment, "f"),
            "residual": format(s.residual, "f"),
        },
        "rates": {
            name: None if value is None else format(value, "f")
            for name, value in quote.rates.items()
        },
        "caps": [
            {
                "rule": name,
                "measured": format(measured, "f"),
                "limit": format(limit, "f"),
                "within": True,
            }
            for name, measured, limit in quote.caps
        ],
        "penalty": {
            "overdue_rate": None if terms.overdue_rate is None else format(terms.overdue_rate, "f"),
            "grace_days": terms.penalty_grace_days,
            "late_fee": None if terms.late_fee is None else format(terms.late_fee, "f"),
        },
    }
