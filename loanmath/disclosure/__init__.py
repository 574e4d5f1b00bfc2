"""Disclosure: the exact terms of a loan on the forms the law prescribes, in the borrower's
language — the US Truth in Lending box, China's 年化利率 disclosure, the EU SECCI and the
generic quote — as JSON, text and HTML.

Each form is a value built from one ``LoanTerms`` (:func:`tila_disclosure`,
:func:`cn_disclosure`, :func:`secci_disclosure`, :func:`build_quote`) whose ``as_dict()`` is
its JSON; :func:`disclose` renders any of them. Words come from gettext catalogs, figures from
babel, layouts from Jinja2 templates (the ``documents`` extra). Formatting happens only here,
at the edge; a formatted string is never parsed back into arithmetic.
"""

from __future__ import annotations

from loanmath.disclosure._facts import CapCheck, OverdueFacts, PaymentGroup
from loanmath.disclosure._format import format_day, format_money, format_rate, parse_locale
from loanmath.disclosure._sentences import rate_label
from loanmath.disclosure.cn import CnDisclosure, cn_disclosure
from loanmath.disclosure.forms import FORMATS, FORMS, Form, choose_form, disclose, disclosure
from loanmath.disclosure.quote import (
    LOCALES,
    RATE_METHODS,
    Quote,
    build_quote,
    jurisdiction_rates,
    quote_json,
    quote_text,
)
from loanmath.disclosure.secci import Secci, secci_disclosure
from loanmath.disclosure.tila import TilaDisclosure, tila_disclosure

__all__ = [
    "FORMATS",
    "FORMS",
    "LOCALES",
    "RATE_METHODS",
    "CapCheck",
    "CnDisclosure",
    "Form",
    "OverdueFacts",
    "PaymentGroup",
    "Quote",
    "Secci",
    "TilaDisclosure",
    "build_quote",
    "choose_form",
    "cn_disclosure",
    "disclose",
    "disclosure",
    "format_day",
    "format_money",
    "format_rate",
    "jurisdiction_rates",
    "parse_locale",
    "quote_json",
    "quote_text",
    "rate_label",
    "secci_disclosure",
    "tila_disclosure",
]
