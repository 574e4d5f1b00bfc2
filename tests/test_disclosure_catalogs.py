"""The gettext catalogs: the template (.pot) holds every word the templates and the code use,
and every language translates each of them, placeholders intact, punctuation its own.

A new English phrase without its translations fails here, not on a borrower's screen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from loanmath.disclosure._i18n import catalog_language, translations

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "loanmath" / "disclosure" / "locale"
LANGUAGES = ("zh_CN", "de", "ja")
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


Key = tuple[str | None, str]  # (msgctxt, msgid); a plural by its singular


def _extracted() -> set[Key]:
    method_map = [
        ("loanmath/disclosure/**.py", "python"),
        ("loanmath/disclosure/templates/**", "jinja2"),
    ]
    options = {"loanmath/disclosure/templates/**": {"extensions": "jinja2.ext.i18n"}}
    keywords = {**DEFAULT_KEYWORDS, "translate": (2,), "ptranslate": ((2, "c"), 3)}
    found = extract_from_dir(str(ROOT), method_map, options, keywords=keywords)
    return {
        (context, message if isinstance(message, str) else message[0])
        for _, _, message, _, context in found
    }


def _catalog(name: str) -> dict[Key, tuple[str, ...]]:
    """Each message's translations (one per plural form) by (context, singular id)."""
    with (LOCALE / name).open("rb") as handle:
        catalog = read_po(handle)
    assert not [m.id for m in catalog if m.id and m.fuzzy], f"{name} has fuzzy entries"
    out: dict[Key, tuple[str, ...]] = {}
    for m in catalog:
        if not m.id:
            continue
        ids = (m.id,) if isinstance(m.id, str) else tuple(m.id)
        strings = (m.string,) if isinstance(m.string, str) else tuple(m.string)
        out[(m.context, ids[0])] = strings
    return out


def test_the_template_is_up_to_date() -> None:
    pytest.importorskip("jinja2")
    pot = set(_catalog("loanmath.pot"))
    found = _extracted()
    assert found - pot == set(), "run the pybabel extract command in docs/disclosure.md"
    assert pot - found == set(), "the .pot holds words nothing uses any more"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_is_translated(language: str) -> None:
    pot = set(_catalog("loanmath.pot"))
    catalog = _catalog(f"{language}.po")
    assert set(catalog) == pot
    for (_, message), forms in catalog.items():
        for words in forms:
            assert words, f"{language}: {message!r} is not translated"
            assert sorted(PLACEHOLDER.findall(message)) == sorted(PLACEHOLDER.findall(words)), (
                language,
                message,
                words,
            )


@pytest.mark.parametrize("language", ["zh_CN", "ja"])
def test_cjk_catalogs_use_their_punctuation(language: str) -> None:
    catalog = _catalog(f"{language}.po")
    assert catalog[(None, "%(label)s: %(value)s")] == ("%(label)s：%(value)s",)
    assert catalog[(None, "%(first)s %(next)s")] == ("%(first)s%(next)s",)
    for message, forms in catalog.items():
        for words in forms:
            assert not re.search(r"[\u3000-\u9fff][:;,.] ", words), (message, words)


@pytest.mark.parametrize(
    ("locale", "language"), [("zh_CN", "zh_CN"), ("de_AT", "de"), ("ja_JP", "ja"), ("en_GB", None)]
)
def test_each_locale_reads_its_catalog(locale: str, language: str | None) -> None:
    assert catalog_language(locale) == language
    words = translations(locale).gettext("Principal")
    assert (words == "Principal") == (language is None)
