"""A loan quote for a disclosure screen: the exact terms, their rates and caps, in words.

``build_quote(terms)`` gathers everything a borrower must see from the contract's own
Decimals; ``quote_text(quote, locale)`` renders it with babel for the locale (amounts,
percentages and dates — never through float); ``quote_json(quote)`` gives the same as plain
JSON-ready data with amounts as strings.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from loanmath._checks import check_bool
from loanmath._decimal import CONTEXT, context_free
from loanmath.apr import effective_irr, eu_aprc, nominal_irr, regz_apr
from loanmath.disclosure._facts import (
    CapCheck,
    OverdueFacts,
    aprc_period,
    cap_checks,
    jurisdiction,
    overdue_facts,
)
from loanmath.disclosure._format import (
    format_day,
    format_money,
    format_number,
    format_rate,
    parse_locale,
)
from loanmath.disclosure._i18n import ptranslate, translate
from loanmath.disclosure._render import columns
from loanmath.disclosure._sentences import (
    cap_sentence,
    overdue_sentence,
    rate_label,
    residual_sentence,
)
from loanmath.disclosure._words import METHODS, N_
from loanmath.errors import LoanMathError

__all__ = [
    "LOCALES",
    "RATE_METHODS",
    "Quote",
    "build_quote",
    "format_money",
    "format_rate",
    "jurisdiction_rates",
    "quote_json",
    "quote_text",
]

#: The annualised rates a quote computes, in order.
RATE_METHODS = ("nominal_irr", "effective_irr", "regz_apr", "eu_aprc")

#: The locales the generic quote is written in.
LOCALES = ("zh_CN", "en_US", "en_GB", "en_IE", "de_DE", "de_AT", "ja_JP")

#: Currencies whose borrowers are shown the EU APRC (EU member states' and the UK's).


@context_free
def jurisdiction_rates(terms: Any) -> tuple[str, ...]:
    """The annualised rates that belong to the borrower's jurisdiction, read from the caps
    and then the currency (as the form is): China's IRR × k, the US APR, the EU APRC;
    elsewhere the nominal and effective IRR.

    Notes
    -----
    By :func:`~loanmath.disclosure._facts.jurisdiction` (the rule that also chooses the form):
    China → ``nominal_irr`` (PBoC 〔2021〕第3号); the US → ``regz_apr`` (12 CFR 1026 Appendix
    J); the EU and the UK → ``eu_aprc`` (Directive 2008/48/EC Annex I); elsewhere both IRRs.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> jurisdiction_rates(LoanTerms(Money("100", "EUR"), "0.05", 2,
    ...                              start_date=dt.date(2024, 1, 1)))
    ('eu_aprc',)
    """
    return _RATES_OF[jurisdiction(terms)]


#: The rates each jurisdiction discloses.
_RATES_OF = {
    "cn": ("nominal_irr",),
    "us": ("regz_apr",),
    "eu": ("eu_aprc",),
    "other": ("nominal_irr", "effective_irr"),
}


@attrs.frozen
class Quote:
    """Everything a quote discloses, as exact values.

    ``rates`` maps each of :data:`RATE_METHODS` to a Decimal (or None where the method has no
    answer); ``shown`` names the rates the borrower is shown (their jurisdiction's, or all);
    ``caps`` lists ``(name, measured, limit)`` for each cap the contract was checked against
    (it could not have been built above any of them) and ``checks`` the same as
    :class:`~loanmath.disclosure.CapCheck` values.

    Notes
    -----
    ``nominal_irr`` = IRR × k and ``effective_irr`` = (1 + IRR)^k − 1 of the period grid;
    ``regz_apr`` by 12 CFR 1026 Appendix J and ``eu_aprc`` by Directive 2008/48/EC Annex I,
    over the dated cash flows; a method with no answer is None. Every cap reads within
    (docs/disclosure.md, "quote"; docs/rates.md).

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
    shown: tuple[str, ...] = RATE_METHODS
    checks: tuple[CapCheck, ...] = ()

    @property
    def currency(self) -> str:
        """The loan's currency."""
        return str(self.terms.principal.currency)

    @property
    def overdue(self) -> OverdueFacts:
        """The contract's overdue terms, as servicing applies them."""
        return overdue_facts(self.terms)

    @property
    def fees(self) -> Decimal:
        """Every fee of the loan: periodic, upfront and financed."""
        s = self.terms.schedule
        with decimal.localcontext(CONTEXT):
            total: Decimal = s.total_fees + s.upfront_fees + s.financed_fees
        return total

    def as_dict(self) -> dict[str, object]:
        """The quote's JSON (:func:`quote_json`).

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money
        >>> q = build_quote(LoanTerms(Money("100", "JPY"), "0", 1,
        ...                           start_date=dt.date(2024, 1, 1)))
        >>> q.as_dict()["form"], q.as_dict()["shown_rates"]
        ('quote', ['nominal_irr', 'effective_irr'])
        """
        return {"form": "quote", **quote_json(self), "shown_rates": list(self.shown)}


def _rates(terms: Any) -> dict[str, Decimal | None]:
    schedule = terms.schedule
    flows = schedule.cash_flows()
    amounts = [f.amount for f in flows]
    dates = [f.date for f in flows]
    per_year = schedule.periods_per_year
    grid = schedule.period_amounts()
    makers: dict[str, Callable[[], Decimal]] = {
        "nominal_irr": lambda: nominal_irr(grid, per_year),
        "effective_irr": lambda: effective_irr(grid, per_year),
        "regz_apr": lambda: regz_apr(
            [(f.date, f.amount.copy_negate()) for f in flows if f.amount < 0],
            [(f.date, f.amount) for f in flows if f.amount > 0],
        ),
        "eu_aprc": lambda: eu_aprc(amounts, dates, period=aprc_period(terms.frequency)),
    }
    rates: dict[str, Decimal | None] = {}
    for name, make in makers.items():
        try:
            rates[name] = make()
        except LoanMathError:
            rates[name] = None
    return rates


@context_free
def build_quote(terms: Any, *, all_rates: bool = False) -> Quote:
    """Collect a quote for `terms` (a constructed, so lawful, ``LoanTerms``).

    Parameters
    ----------
    terms : LoanTerms
    all_rates : bool, default False
        Show every rate of :data:`RATE_METHODS`, not only the jurisdiction's
        (:func:`jurisdiction_rates`). The JSON always carries all of them.

    Notes
    -----
    Every rate of :data:`RATE_METHODS` is computed from ``schedule.cash_flows()`` (a solver
    that raises a ``LoanMathError`` gives None); the caps are :func:`cap_checks` of the
    contract. Nothing is rounded here: the text rounds when it formats (docs/disclosure.md,
    "quote").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.caps import CN_COMPREHENSIVE_36
    >>> q = build_quote(LoanTerms(Money("12000", "CNY"), "0.12", 12,
    ...                 start_date=dt.date(2024, 1, 15), caps=(CN_COMPREHENSIVE_36,)))
    >>> str(q.rates["nominal_irr"])[:6], q.caps[0][0], q.shown
    ('0.1200', 'CN_COMPREHENSIVE_36', ('nominal_irr',))
    """
    every = check_bool(all_rates, "all_rates")
    checks = cap_checks(terms)
    caps = tuple((c.rule, c.measured, c.limit) for c in checks)
    shown = RATE_METHODS if every else jurisdiction_rates(terms)
    return Quote(terms=terms, rates=_rates(terms), caps=caps, shown=shown, checks=checks)


@context_free
def quote_text(quote: Quote, locale: str = "en_US") -> str:
    """The quote as text for `locale` (one of :data:`LOCALES`, ``zh-CN`` spelling too).

    Raises
    ------
    UnknownNameError
        `locale` is not one of :data:`LOCALES`.

    Notes
    -----
    Amounts by :func:`format_money` (the currency's CLDR decimals), rates by
    :func:`format_rate` at two decimals half up (the contract rate at four), dates by
    :func:`format_day`, words from the gettext catalogs; only the rates in ``quote.shown``
    are listed. Needs no template engine (docs/disclosure.md, "quote").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> q = build_quote(LoanTerms(Money("1000", "EUR"), "0.05", 2,
    ...                           start_date=dt.date(2024, 1, 1)))
    >>> quote_text(q, "de-DE").splitlines()[:2]
    ['Kreditangebot', 'Nettodarlehensbetrag: 1.000,00\xa0€']
    """
    where = parse_locale(locale, LOCALES)
    lines = _head_lines(quote, where)
    lines += _schedule_lines(quote, where)
    lines += _rate_lines(quote, where)
    return "\n".join(lines)


def _money(quote: Quote, locale: str) -> Callable[[Decimal], str]:
    currency = quote.terms.schedule.currency
    return lambda value: format_money(value, currency, locale)


def _line(locale: str, label: str, value: str) -> str:
    """``label: value`` in the locale's punctuation (full-width colon in Chinese)."""
    return translate(locale, "%(label)s: %(value)s", label=translate(locale, label), value=value)


def _head_lines(quote: Quote, locale: str) -> list[str]:
    """The title and the contract's terms."""
    terms, s, money = quote.terms, quote.terms.schedule, _money(quote, locale)
    return [
        translate(locale, "Loan quote"),
        _line(locale, ptranslate(locale, "loan amount", "Principal"), money(s.principal)),
        _line(locale, translate(locale, "Amount paid out"), money(s.disbursed)),
        _line(
            locale,
            translate(locale, "Contract rate (nominal, a year)"),
            format_rate(terms.annual_rate, locale, 4),
        ),
        _line(locale, translate(locale, "Instalments"), format_number(s.term, locale)),
        _line(locale, translate(locale, "Repayment method"), translate(locale, METHODS[s.method])),
        "",
    ]


def _schedule_lines(quote: Quote, locale: str) -> list[str]:
    """The repayment schedule as columns, its totals and the last instalment's residual."""
    s, money = quote.terms.schedule, _money(quote, locale)
    header = [
        N_("#"),
        N_("Due date"),
        N_("Principal"),
        N_("Interest"),
        N_("Fees"),
        N_("Payment"),
        N_("Balance"),
    ]
    rows = [[translate(locale, word) for word in header]]
    rows += [
        [str(r.number), format_day(r.due_date, locale)]
        + [money(v) for v in (r.principal, r.interest, r.fees, r.payment, r.balance)]
        for r in s.installments
    ]
    lines = [translate(locale, "Repayment schedule")]
    lines += ["  " + row for row in columns(rows, right=5)]
    lines += [
        "",
        _line(locale, translate(locale, "Total interest"), money(s.total_interest)),
        _line(locale, translate(locale, "Total fees (incl. upfront)"), money(quote.fees)),
        _line(locale, translate(locale, "Total to repay"), money(s.total_payment)),
    ]
    residual = residual_sentence(s.residual, s.currency, locale)
    return [*lines, residual] if residual else lines


def _rate_lines(quote: Quote, locale: str) -> list[str]:
    """The jurisdiction's annualised rates, the caps in words, the overdue terms."""
    terms = quote.terms
    lines = ["", translate(locale, "Annualised rates")]
    lines += [
        "  "
        + translate(
            locale,
            "%(label)s: %(value)s",
            label=rate_label(name, terms.frequency, locale),
            value=format_rate(quote.rates[name], locale),
        )
        for name in quote.shown
    ]
    lines += ["", translate(locale, "Rate caps")]
    checks = quote.checks or cap_checks(terms)
    lines += ["  " + cap_sentence(check, locale) for check in checks]
    if not checks:
        lines.append("  " + translate(locale, "No rate cap was checked."))
    overdue = overdue_sentence(overdue_facts(terms), terms.schedule.currency, locale)
    return [*lines, "", _line(locale, translate(locale, "Overdue terms"), overdue)]


@context_free
def quote_json(quote: Quote) -> dict[str, object]:
    """The quote as JSON-ready data: amounts and rates as strings, dates as ISO strings.

    Notes
    -----
    Decimals as ``format(value, "f")``, exact and unrounded, rates as fractions (``"0.12"`` is
    12 %); every rate of :data:`RATE_METHODS`, whatever ``shown`` is; each cap with
    ``within: true`` (a contract above a cap cannot be built) (docs/disclosure.md, "The
    fields of each form").

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
