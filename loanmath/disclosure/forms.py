"""Every disclosure form behind one call: :func:`disclose` builds a form from one
``LoanTerms`` and renders it as HTML, text or JSON in the borrower's locale.

A form is a part you swap: :data:`FORMS` names each one's builder, the locales it is written
in, its default locale and the currencies it serves. The form is chosen explicitly or, with
``form="auto"``, from the contract's caps and then its currency (:func:`choose_form`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs

from loanmath._checks import check_bool, check_name
from loanmath._decimal import context_free
from loanmath.disclosure._facts import jurisdiction
from loanmath.disclosure._format import parse_locale
from loanmath.disclosure._render import render_form
from loanmath.disclosure.cn import cn_disclosure
from loanmath.disclosure.quote import LOCALES, build_quote, quote_text
from loanmath.disclosure.secci import CURRENCIES as SECCI_CURRENCIES
from loanmath.disclosure.secci import secci_disclosure
from loanmath.disclosure.tila import tila_disclosure
from loanmath.errors import InvalidInputError, UnknownNameError

__all__ = ["FORMATS", "FORMS", "Form", "choose_form", "disclose", "disclosure"]

#: The renderings of every form.
FORMATS = ("html", "text", "json")


@attrs.frozen
class Form:
    """A disclosure form: how to build it, in which locales, for which currencies.

    Notes
    -----
    :data:`FORMS` holds ``tila`` (en_US; USD; 12 CFR 1026.18, model form H-2), ``cn`` (zh_CN,
    en_US; CNY; PBoC 〔2021〕第3号), ``secci`` (de_DE, de_AT, en_IE, en_GB; EU currencies and
    GBP; Directive 2008/48/EC Annex II) and ``quote`` (any currency). A new form is one more
    entry and two templates (docs/disclosure.md, "How the forms are built").

    Examples
    --------
    >>> FORMS["cn"].locales, FORMS["cn"].currencies
    (('zh_CN', 'en_US'), ('CNY',))
    """

    name: str
    build: Callable[..., Any]
    locales: tuple[str, ...]
    default_locale: str
    currencies: tuple[str, ...] | None  # None: any currency


def _quote(terms: Any, *, all_rates: bool = False, **_: object) -> Any:
    return build_quote(terms, all_rates=all_rates)


def _tila(terms: Any, *, itemize: bool = False, **_: object) -> Any:
    return tila_disclosure(terms, itemize=itemize)


def _cn(terms: Any, **_: object) -> Any:
    return cn_disclosure(terms)


def _secci(terms: Any, *, creditor: str | None = None, **_: object) -> Any:
    return secci_disclosure(terms, creditor=creditor)


#: The form each jurisdiction prescribes.
_FORM_OF = {"cn": "cn", "us": "tila", "eu": "secci", "other": "quote"}

FORMS: dict[str, Form] = {
    "tila": Form("tila", _tila, ("en_US",), "en_US", ("USD",)),
    "cn": Form("cn", _cn, ("zh_CN", "en_US"), "zh_CN", ("CNY",)),
    "secci": Form("secci", _secci, ("de_DE", "de_AT", "en_IE", "en_GB"), "de_DE", SECCI_CURRENCIES),
    "quote": Form("quote", _quote, LOCALES, "en_US", None),
}


@context_free
def choose_form(terms: Any) -> str:
    """The form the borrower's jurisdiction prescribes: from the caps (China's 36 % or 4 ×
    LPR → ``cn``, the US MLA → ``tila``, the UK HCSTC → ``secci``), else the currency (CNY,
    USD, an EU currency or GBP), else the generic ``quote``.

    Notes
    -----
    The jurisdiction by :func:`~loanmath.disclosure._facts.jurisdiction` (the rule the quote's
    rates follow too): China → ``cn``, the US → ``tila``, the EU and the UK → ``secci``,
    elsewhere ``quote`` (docs/disclosure.md, the table of forms).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> choose_form(LoanTerms(Money("100", "USD"), "0.1", 2, start_date=dt.date(2024, 1, 1)))
    'tila'
    """
    return _FORM_OF[jurisdiction(terms)]


#: The options a form may take, and their types.
_OPTIONS: dict[str, tuple[type, ...]] = {
    "itemize": (bool,),
    "creditor": (str, type(None)),
    "all_rates": (bool,),
}


def _check_options(options: dict[str, object]) -> None:
    for key, value in options.items():
        if key not in _OPTIONS:
            raise UnknownNameError("option", key, tuple(_OPTIONS))
        if not isinstance(value, _OPTIONS[key]):
            names = " or ".join("None" if t is type(None) else t.__name__ for t in _OPTIONS[key])
            raise InvalidInputError(key, value, f"must be {names}")


def _form(form: object, terms: Any) -> Form:
    if form == "auto":
        return FORMS[choose_form(terms)]
    if not isinstance(form, str) or form not in FORMS:
        raise UnknownNameError("form", form, (*FORMS, "auto"))
    return FORMS[form]


@context_free
def disclosure(terms: Any, form: str = "auto", **options: object) -> Any:
    """The value of `form` for `terms` (a ``TilaDisclosure``, ``CnDisclosure``, ``Secci`` or
    ``Quote``), with the form's `options` (``itemize``, ``creditor``, ``all_rates``).

    Notes
    -----
    ``form="auto"`` is :func:`choose_form`; an unknown option, or one of the wrong type, is
    refused; an option the chosen form does not use is ignored. The rules of each value are
    those of its form (docs/disclosure.md, "The fields of each form").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> t = LoanTerms(Money("12000", "CNY"), "0.12", 12, start_date=dt.date(2024, 1, 15))
    >>> type(disclosure(t)).__name__
    'CnDisclosure'
    """
    _check_options(options)
    return _form(form, terms).build(terms, **options)


@context_free
def disclose(
    terms: Any,
    form: str = "auto",
    format: str = "html",
    locale: str | None = None,
    *,
    chart: bool = True,
    **options: object,
) -> str:
    """`terms` disclosed on `form` as `format` in `locale`.

    Parameters
    ----------
    terms : LoanTerms
    form : {"auto", "tila", "cn", "secci", "quote"}
        ``auto`` picks the jurisdiction's form (:func:`choose_form`).
    format : {"html", "text", "json"}
    locale : str, optional
        One of the form's locales (``zh_CN`` or ``zh-CN``); default the form's own.
    chart : bool, default True
        Draw the schedule chart into the HTML (needs ``loanmath[plot]``; left out without it).
    **options
        ``itemize=True`` (tila), ``creditor="…"`` (secci), ``all_rates=True`` (quote).

    Returns
    -------
    str
        A whole HTML document, the text, or the JSON (amounts and rates as strings).

    Raises
    ------
    UnknownNameError
        An unknown form, format or locale, naming the option and the accepted values.
    InvalidInputError
        The form does not serve the loan's currency.
    MissingDependencyError
        HTML or text without Jinja2 (``pip install 'loanmath[documents]'``).

    Notes
    -----
    Every figure comes from the form's exact value (the JSON); the HTML and text format it
    with babel and never parse it back. The generic quote's text is :func:`quote_text`, which
    needs no template engine, so ``loanmath quote`` works on a bare install.

    References
    ----------
    12 CFR 1026.18 and model form H-2; 中国人民银行公告〔2021〕第3号; Directive 2008/48/EC
    Annex II, Directive (EU) 2023/2225 Annex I.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> t = LoanTerms(Money("5000", "USD"), "0.12", 36, start_date=dt.date(2024, 1, 15))
    >>> import json
    >>> json.loads(disclose(t, format="json"))["annual_percentage_rate"]
    '0.1200'
    >>> disclose(t, format="pdf")
    Traceback (most recent call last):
    ...
    loanmath.errors.UnknownNameError: format='pdf': must be one of 'html', 'text', 'json'
    """
    _check_options(options)
    chart = check_bool(chart, "chart")
    chosen = _form(form, terms)
    check_name(format, "format", FORMATS)
    where = chosen.default_locale if locale is None else locale
    name = parse_locale(where, chosen.locales)
    value = chosen.build(terms, **options)
    if format == "json":
        return json.dumps(value.as_dict(), ensure_ascii=False, indent=2)
    if chosen.name == "quote" and format == "text":
        return quote_text(value, name)
    return render_form(chosen.name, value, format, name, chart=chart)
