"""Every form in every locale, rendered by a real browser: the figures a borrower sees in the
rendered DOM equal the form's JSON, the page fits a phone, and a screenshot of each is kept.

The second medium is Debian's chromium driven by selenium through chromedriver: the page is
laid out and its visible text read back (``element.text``), then parsed here, in the test, with
babel's parser for the locale — the library never parses its own output. Screenshots land in
``test-artifacts/screenshots/`` (``LOANMATH_ARTIFACTS`` moves them).

Without chromium the tests skip, unless ``LOANMATH_REQUIRE_BROWSER=1`` (set by ``.ci/run``),
when a missing browser fails them: CI can never pass without looking.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.numbers import parse_decimal
from disclosure_loans import cn_loan, quote_loan, secci_loan, tila_loan

from loanmath import LoanTerms
from loanmath.disclosure import FORMS, disclose

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ARTIFACTS = Path(os.environ.get("LOANMATH_ARTIFACTS", "test-artifacts")) / "screenshots"

if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("LOANMATH_REQUIRE_BROWSER") == "1":
        pytest.fail(
            "chromium and chromedriver are required (apt-get install chromium chromium-driver)",
            pytrace=False,
        )
    pytest.skip("no chromium/chromedriver on this machine", allow_module_level=True)

#: (form, locale, loan, options) — every form in every locale it is written in.
CASES: list[tuple[str, str, Any, dict[str, object]]] = [
    ("tila", "en_US", tila_loan, {"itemize": True}),
    ("cn", "zh_CN", cn_loan, {}),
    ("cn", "en_US", lambda: cn_loan("quarterly", 8), {}),
    *[
        ("secci", loc, secci_loan, {"creditor": "Musterbank AG <Berlin> & Co"})
        for loc in FORMS["secci"].locales
    ],
    *[
        ("quote", loc, lambda loc=loc: quote_loan(_CURRENCY[loc[:2]]), {"all_rates": True})
        for loc in FORMS["quote"].locales
    ],
]
_CURRENCY = {"zh": "CNY", "en": "USD", "de": "EUR", "ja": "JPY"}

#: The figures each form shows: (data-field, JSON path, kind); kind is money, int or the
#: percent places of a rate.
FIELDS: dict[str, list[tuple[str, str, object]]] = {
    "tila": [
        ("annual_percentage_rate", "annual_percentage_rate", 2),
        ("finance_charge", "finance_charge", "money"),
        ("amount_financed", "amount_financed", "money"),
        ("total_of_payments", "total_of_payments", "money"),
        ("amount_given_directly", "itemization.amount_given_directly", "money"),
        ("prepaid_finance_charge", "itemization.prepaid_finance_charge", "money"),
    ],
    "cn": [
        ("annualised_rate", "annualised_rate", 2),
        ("principal", "principal", "money"),
        ("amount_received", "amount_received", "money"),
        ("term", "term", "int"),
        ("total_interest_and_fees", "total_interest_and_fees", "money"),
        ("contract_rate", "contract_rate", 2),
        ("daily_rate", "daily_rate", 4),
    ],
    "secci": [
        ("total_amount_of_credit", "total_amount_of_credit", "money"),
        ("total_amount_payable", "total_amount_payable", "money"),
        ("aprc", "aprc", 2),
    ],
    "quote": [
        ("principal", "principal", "money"),
        ("disbursed", "disbursed", "money"),
        ("annual_rate", "annual_rate", 4),
        ("term", "term", "int"),
        ("totals.interest", "totals.interest", "money"),
        ("totals.payment", "totals.payment", "money"),
        *[
            (f"rates.{name}", f"rates.{name}", 2)
            for name in ("nominal_irr", "effective_irr", "regz_apr", "eu_aprc")
        ],
    ],
}

#: Rows: (table row field in JSON, row fields shown).
ROWS = {
    "tila": ("payment_schedule", [("count", "int"), ("amount", "money")]),
    "secci": ("instalments", [("count", "int"), ("amount", "money")]),
    "cn": (
        "instalments",
        [(k, "money") for k in ("payment", "principal", "interest", "fees", "balance")],
    ),
    "quote": (
        "schedule",
        [(k, "money") for k in ("principal", "interest", "fees", "payment", "balance")],
    ),
}


def _number(shown: str, locale: str) -> Decimal:
    """A figure read off the page: symbols and spaces dropped, then babel's parser."""
    kept = re.sub(r"[^\d.,\-−]", "", shown).replace("−", "-")
    return Decimal(parse_decimal(kept, locale=locale, strict=False))


def _json_value(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for key in path.split("."):
        value = value[key]
    return value


def _expected(value: Any, kind: object) -> Decimal:
    if kind in ("money", "int"):
        return Decimal(str(value))
    places = int(str(kind))
    return (Decimal(value) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="loanmath-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        f"--user-data-dir={profile}",
        "--window-size=1024,900",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(browser: Any, html: str, tmp_path: Path, width: int) -> None:
    """Load `html` in a viewport `width` CSS pixels wide (a phone's, emulated by the DevTools
    protocol, as a window cannot be made narrower than the browser's minimum)."""
    page = tmp_path / "form.html"
    page.write_text(html, encoding="utf-8")
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    browser.get(page.as_uri())
    assert browser.execute_script("return window.innerWidth") == width


def _screenshot(browser: Any, name: str) -> Path:
    """The whole page as a PNG in the artifacts folder."""
    import base64

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        },
    )
    path = ARTIFACTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


@pytest.mark.parametrize(
    ("form", "locale", "loan", "options"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_the_rendered_figures_are_the_json(
    browser: Any, tmp_path: Path, form: str, locale: str, loan: Any, options: dict[str, object]
) -> None:
    from selenium.webdriver.common.by import By

    terms: LoanTerms = loan()
    data = json.loads(disclose(terms, form, "json", locale, **options))
    _open(browser, disclose(terms, form, "html", locale, **options), tmp_path, 1024)
    assert browser.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == locale.replace(
        "_", "-"
    ).replace("zh-CN", "zh-Hans-CN")
    for field, path, kind in FIELDS[form]:
        element = browser.find_element(By.CSS_SELECTOR, f'[data-field="{field}"]')
        assert element.is_displayed(), field
        shown = _number(element.text, locale)
        assert shown == _expected(_json_value(data, path), kind), (field, element.text)
    rows_key, columns = ROWS[form]
    rows = browser.find_elements(By.CSS_SELECTOR, "tr[data-row]")
    assert len(rows) == len(data[rows_key])
    for row, expected in zip(rows, data[rows_key], strict=True):
        for field, kind in columns:
            cell = row.find_element(By.CSS_SELECTOR, f'[data-field="{field}"]')
            assert _number(cell.text, locale) == _expected(expected[field], kind), (
                field,
                cell.text,
            )
    _screenshot(browser, f"{form}-{locale}-desktop")


@pytest.mark.parametrize(
    ("form", "locale", "loan", "options"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_the_page_fits_a_phone(
    browser: Any, tmp_path: Path, form: str, locale: str, loan: Any, options: dict[str, object]
) -> None:
    html = disclose(loan(), form, "html", locale, **options)
    _open(browser, html, tmp_path, 390)
    inner = browser.execute_script("return window.innerWidth")
    wide = browser.execute_script("return document.documentElement.scrollWidth")
    assert wide <= inner, f"the page is {wide}px wide in a {inner}px window"
    _screenshot(browser, f"{form}-{locale}-phone")


def test_markup_in_a_creditor_name_is_text(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    name = '<img src=x onerror="document.title=1">Evil & Co'
    _open(browser, disclose(secci_loan(), "secci", "html", "en_IE", creditor=name), tmp_path, 1024)
    assert browser.find_element(By.CSS_SELECTOR, '[data-field="creditor"]').text == name
    assert browser.find_elements(By.CSS_SELECTOR, "main img") == []


def test_the_chart_is_drawn_inline(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    pytest.importorskip("matplotlib")
    _open(browser, disclose(cn_loan(), "cn", "html"), tmp_path, 1024)
    chart = browser.find_element(By.CSS_SELECTOR, "figure.chart svg")
    assert chart.size["width"] > 200
    # one bar per instalment for principal and one for interest: 24 patches named by matplotlib
    assert len(browser.find_elements(By.CSS_SELECTOR, "figure.chart svg g[id^='patch_']")) >= 24
