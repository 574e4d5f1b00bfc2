"""Rendering a form as HTML or text: Jinja2 templates shipped in ``templates/``, words from the
gettext catalogs, figures from babel.

Jinja2 is the optional ``documents`` extra (``pip install 'loanmath[documents]'``); the JSON of
every form needs nothing beyond the library. HTML templates autoescape everything (a creditor
name or a fee name with ``<`` in it is text, not markup); text templates do not escape.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from babel import Locale

from loanmath._optional import require
from loanmath.disclosure._chart import schedule_svg
from loanmath.disclosure._format import format_day, format_money, format_number, format_rate
from loanmath.disclosure._i18n import translate, translations
from loanmath.disclosure._sentences import (
    cap_sentence,
    join_sentences,
    overdue_sentence,
    rate_label,
    residual_sentence,
)
from loanmath.disclosure._words import FREQUENCIES, METHODS, PER_YEAR, TIMINGS

__all__ = ["render_form"]

_TABLES = {"method": METHODS, "frequency": FREQUENCIES, "per_year": PER_YEAR, "timing": TIMINGS}


@functools.cache
def _environment(locale: str) -> Any:
    jinja2 = require("jinja2", "a disclosure as HTML or text", extra="documents")
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("loanmath.disclosure", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",)),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    environment.install_gettext_translations(translations(locale), newstyle=True)
    return environment


def _width(cell: str) -> int:
    # East Asian wide characters take two columns in a terminal
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell)


def columns(rows: Sequence[Sequence[str]], right: int = 1) -> list[str]:
    """`rows` of cells as aligned text lines: the first `right`-less columns left-aligned,
    the rest right-aligned, two spaces apart (wide CJK characters count two).

    Examples
    --------
    >>> columns([["#", "Amount"], ["1", "$5.00"], ["10", "$15.00"]], right=1)
    ['#   Amount', '1    $5.00', '10  $15.00']
    """
    if not rows:
        return []
    widths = [max(_width(row[c]) for row in rows) for c in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for c, (cell, width) in enumerate(zip(row, widths, strict=True)):
            pad = " " * (width - _width(cell))
            cells.append(cell + pad if c < len(row) - right else pad + cell)
        lines.append("  ".join(cells).rstrip())
    return lines


def _helpers(currency: str, frequency: str, locale: str) -> dict[str, Any]:
    def money(amount: Decimal) -> str:
        return format_money(amount, currency, locale)

    def word(table: str, code: str) -> str:
        return translate(locale, _TABLES[table][code])

    return {
        "money": money,
        "rate": lambda value, places=2: format_rate(value, locale, places),
        "day": lambda value, form="medium": format_day(value, locale, form),
        "number": lambda value: format_number(value, locale),
        "word": word,
        "columns": columns,
        "overdue_sentence": lambda facts: overdue_sentence(facts, currency, locale),
        "cap_sentence": lambda check: cap_sentence(check, locale),
        "residual_sentence": lambda residual: residual_sentence(residual, currency, locale),
        "rate_label": lambda name: rate_label(name, frequency, locale),
        "join_sentences": lambda sentences: join_sentences(list(sentences), locale),
        "lang": str(Locale.parse(locale)).replace("_", "-"),
        "locale": locale,
    }


def render_form(form: str, value: Any, output: str, locale: str, *, chart: bool = True) -> str:
    """`value` (a form's disclosure) rendered with the template ``<form>.<output>``.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.disclosure.tila import tila_disclosure
    >>> box = tila_disclosure(LoanTerms(Money("5000", "USD"), "0.12", 36,
    ...                                 start_date=dt.date(2024, 1, 15)))
    >>> print(render_form("tila", box, "text", "en_US").splitlines()[0])
    TRUTH IN LENDING DISCLOSURE
    """
    template = _environment(locale).get_template(f"{form}.{'txt' if output == 'text' else output}")
    schedule = value.terms.schedule
    svg = schedule_svg(schedule, locale) if chart and output == "html" else None
    context = _helpers(value.currency, value.terms.frequency, locale)
    return str(template.render(d=value, schedule=schedule, chart=svg, **context))
