"""The words of every disclosure, from gettext catalogs read with babel.

The English text is the message id (the gettext convention), so English needs no catalog;
``locale/<language>.po`` holds each other language's words. A catalog is compiled in memory by
babel on first use (no compiled ``.mo`` file is shipped that could drift from its source);
fuzzy entries are left out, so a word nobody has checked falls back to English rather than
showing a guess.
"""

from __future__ import annotations

import functools
import gettext
import io
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from loanmath.errors import InvalidInputError

__all__ = ["catalog_language", "ptranslate", "translate", "translations"]

#: The languages with a catalog in ``locale/``, and the territory-specific ones.
_CATALOGS = ("de", "ja", "zh_CN")


def catalog_language(locale: str) -> str | None:
    """The catalog that holds `locale`'s words (None for English, the source language).

    Examples
    --------
    >>> catalog_language("de_AT"), catalog_language("zh_CN"), catalog_language("en_US")
    ('de', 'zh_CN', None)
    """
    try:
        if not isinstance(locale, str):  # babel tests anything else for truth, which can warn
            raise TypeError(locale)
        parsed = Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError, AttributeError):
        raise InvalidInputError(
            "locale", locale, "is not a locale", "write it like zh_CN"
        ) from None
    for name in (f"{parsed.language}_{parsed.territory}", parsed.language):
        if name in _CATALOGS:
            return name
    return None


@functools.cache
def translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalog for `locale` (a ``NullTranslations`` for English).

    Examples
    --------
    >>> translations("de_DE").gettext("Interest")
    'Zinsen'
    >>> translations("en_US").gettext("Interest")
    'Interest'
    """
    language = catalog_language(locale)
    if language is None:
        return gettext.NullTranslations()
    source = resources.files(__package__).joinpath("locale").joinpath(f"{language}.po")
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain="loanmath")


def translate(locale: str, message: str, **values: object) -> str:
    """`message` in `locale`'s words, with ``%(name)s`` placeholders filled from `values`.

    Examples
    --------
    >>> translate("zh_CN", "%(label)s: %(value)s", label="期数", value="12")
    '期数：12'
    """
    words = translations(locale).gettext(message)
    return words % values if values else words


def ptranslate(locale: str, context: str, message: str, **values: object) -> str:
    """:func:`translate` with a gettext context (``msgctxt``) telling apart one English word
    with two meanings: "Principal" as the amount lent and as a schedule column.

    Examples
    --------
    >>> translate("de_DE", "Principal"), ptranslate("de_DE", "loan amount", "Principal")
    ('Tilgung', 'Nettodarlehensbetrag')
    """
    words = translations(locale).pgettext(context, message)
    return words % values if values else words
