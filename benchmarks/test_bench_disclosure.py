"""Disclosure benchmarks (issue 12), beside the peers in the same run, results asserted.

A disclosure screen's work is one form per offer: the schedule's rate (an IRR) and the
rendering. The peers compute only the rate of the same cash flows (pyxirr, numpy-financial),
so the ratio says what the whole form costs over the bare rate. Each form is built from a fresh
``LoanTerms`` (its schedule is built once per contract and cached on it).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import numpy_financial as npf
import pytest
import pyxirr

from loanmath import Fee, LoanTerms, Money
from loanmath.caps import CN_COMPREHENSIVE_36
from loanmath.disclosure import cn_disclosure, disclose, tila_disclosure

START = dt.date(2024, 1, 15)


def _cn() -> LoanTerms:
    return LoanTerms(
        Money("12000", "CNY"),
        "0.12",
        12,
        start_date=START,
        fees=(Fee("service", "upfront", amount="300"),),
        penalty_multiple="1.5",
        caps=(CN_COMPREHENSIVE_36,),
    )


def _usd360() -> LoanTerms:
    return LoanTerms(
        Money("250000", "USD"),
        "0.065",
        360,
        start_date=START,
        fees=(Fee("points", "upfront", amount="2500"),),
    )


FLOWS12 = [float(f.amount) for f in _cn().schedule.cash_flows()]
FLOWS360 = [float(f.amount) for f in _usd360().schedule.cash_flows()]
RATE12 = pyxirr.irr(FLOWS12) * 12


@pytest.mark.benchmark(group="cn form, 12 instalments")
def test_cn_form_value(benchmark) -> None:
    form = benchmark(lambda: cn_disclosure(_cn()))
    assert abs(float(form.annualised_rate) - RATE12) < 1e-10


@pytest.mark.benchmark(group="cn form, 12 instalments")
def test_cn_form_json(benchmark) -> None:
    out = benchmark(lambda: disclose(_cn(), "cn", "json"))
    assert abs(float(json.loads(out)["annualised_rate"]) - RATE12) < 1e-10


@pytest.mark.benchmark(group="cn form, 12 instalments")
def test_cn_form_html_no_chart(benchmark) -> None:
    out = benchmark(lambda: disclose(_cn(), "cn", "html", chart=False))
    assert 'data-field="annualised_rate"' in out


@pytest.mark.benchmark(group="cn form, 12 instalments")
def test_cn_form_html_with_chart(benchmark) -> None:
    pytest.importorskip("matplotlib")
    out = benchmark.pedantic(lambda: disclose(_cn(), "cn", "html"), rounds=5, iterations=1)
    assert "<svg" in out


@pytest.mark.benchmark(group="cn form, 12 instalments")
def test_cn_rate_pyxirr(benchmark) -> None:
    assert abs(benchmark(pyxirr.irr, FLOWS12) * 12 - RATE12) < 1e-12


@pytest.mark.benchmark(group="cn form, 12 instalments")
def test_cn_rate_numpy_financial(benchmark) -> None:
    assert abs(benchmark(npf.irr, FLOWS12) * 12 - RATE12) < 1e-9


@pytest.mark.benchmark(group="tila box, 360 payments")
def test_tila_box_value(benchmark) -> None:
    box = benchmark(lambda: tila_disclosure(_usd360()))
    assert abs(box.apr_exact - Decimal(str(pyxirr.irr(FLOWS360) * 12))) < Decimal("1e-9")


@pytest.mark.benchmark(group="tila box, 360 payments")
def test_tila_box_html(benchmark) -> None:
    out = benchmark(lambda: disclose(_usd360(), "tila", "html", chart=False))
    assert 'data-field="finance_charge"' in out


@pytest.mark.benchmark(group="tila box, 360 payments")
def test_tila_rate_pyxirr(benchmark) -> None:
    assert benchmark(pyxirr.irr, FLOWS360) > 0


@pytest.mark.benchmark(group="tila box, 360 payments")
def test_tila_rate_numpy_financial(benchmark) -> None:
    assert benchmark.pedantic(npf.irr, (FLOWS360,), rounds=3, iterations=1) > 0
