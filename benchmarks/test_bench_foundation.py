"""Foundation benchmarks: day counts, rounding, allocation, payment dates.

Each group holds loanmath beside a peer (pyxirr) or the straightforward reference a developer
would otherwise write, and every benchmark checks its own result, so a ratio is reported, not
an absolute time.
"""

from __future__ import annotations

import datetime as dt
import decimal
import random
from decimal import Decimal

import pytest
import pyxirr
from dateutil.relativedelta import relativedelta

from loanmath import Money, Rounding, allocate
from loanmath.dates import payment_dates
from loanmath.daycount import day_count, year_fraction

RNG = random.Random(20261124)
PAIRS = []
for _ in range(1000):
    start = dt.date(2000, 1, 1) + dt.timedelta(days=RNG.randrange(9000))
    PAIRS.append((start, start + dt.timedelta(days=RNG.randrange(1, 800))))

AMOUNTS = [Decimal(RNG.randrange(-(10**9), 10**9)).scaleb(-4) for _ in range(10_000)]
CENT = Decimal("0.01")


# --- day counts: loanmath (exact Decimal) vs pyxirr (float, Rust) -------------------------


@pytest.mark.benchmark(group="year_fraction ACT/ACT-ISDA x1000")
def test_year_fraction_loanmath(benchmark) -> None:
    result = benchmark(lambda: [year_fraction(a, b, "ACT/ACT-ISDA") for a, b in PAIRS])
    expected = [pyxirr.year_fraction(a, b, pyxirr.DayCount.ACT_ACT_ISDA) for a, b in PAIRS]
    assert all(abs(float(r) - e) < 1e-12 for r, e in zip(result, expected, strict=True))


@pytest.mark.benchmark(group="year_fraction ACT/ACT-ISDA x1000")
def test_year_fraction_pyxirr(benchmark) -> None:
    kind = pyxirr.DayCount.ACT_ACT_ISDA
    result = benchmark(lambda: [pyxirr.year_fraction(a, b, kind) for a, b in PAIRS])
    assert len(result) == len(PAIRS)


@pytest.mark.benchmark(group="day_count 30/360-US x1000")
def test_day_count_loanmath(benchmark) -> None:
    result = benchmark(lambda: [day_count(a, b, "30/360-US") for a, b in PAIRS])
    expected = [pyxirr.days_between(a, b, pyxirr.DayCount.THIRTY_U_360) for a, b in PAIRS]
    assert result == expected


@pytest.mark.benchmark(group="day_count 30/360-US x1000")
def test_day_count_pyxirr(benchmark) -> None:
    kind = pyxirr.DayCount.THIRTY_U_360
    result = benchmark(lambda: [pyxirr.days_between(a, b, kind) for a, b in PAIRS])
    assert len(result) == len(PAIRS)


# --- rounding: policy object vs a bare quantize ------------------------------------------


@pytest.mark.benchmark(group="round 10k amounts to the cent")
def test_rounding_loanmath(benchmark) -> None:
    policy = Rounding("half_up")
    result = benchmark(lambda: [policy.round(a, "CNY") for a in AMOUNTS])
    assert result == [a.quantize(CENT, rounding=decimal.ROUND_HALF_UP) for a in AMOUNTS]


@pytest.mark.benchmark(group="round 10k amounts to the cent")
def test_rounding_reference_quantize(benchmark) -> None:
    result = benchmark(lambda: [a.quantize(CENT, rounding=decimal.ROUND_HALF_UP) for a in AMOUNTS])
    assert len(result) == len(AMOUNTS)


# --- money arithmetic: Money objects vs bare Decimals ---------------------------------------


@pytest.mark.benchmark(group="sum 10k amounts")
def test_money_sum_loanmath(benchmark) -> None:
    monies = [Money(a, "CNY") for a in AMOUNTS]
    result = benchmark(lambda: sum(monies, Money.zero("CNY")))
    assert result.amount == sum(AMOUNTS, Decimal(0))


@pytest.mark.benchmark(group="sum 10k amounts")
def test_money_sum_reference_decimal(benchmark) -> None:
    result = benchmark(lambda: sum(AMOUNTS, Decimal(0)))
    assert result == sum(AMOUNTS, Decimal(0))


# --- allocation ----------------------------------------------------------------------------


@pytest.mark.benchmark(group="allocate 1k amounts into 12 parts")
def test_allocate_loanmath(benchmark) -> None:
    totals = [abs(a).quantize(CENT) for a in AMOUNTS[:1000]]
    ws = list(range(1, 13))
    result = benchmark(lambda: [allocate(t, ws, CENT) for t in totals])
    assert all(sum(parts) == t for parts, t in zip(result, totals, strict=True))


@pytest.mark.benchmark(group="allocate 1k amounts into 12 parts")
def test_allocate_reference_last_absorbs(benchmark) -> None:
    """The common shortcut: round each share, let the last part absorb the drift."""
    totals = [abs(a).quantize(CENT) for a in AMOUNTS[:1000]]
    ws = list(range(1, 13))
    total_w = Decimal(sum(ws))

    def naive(t: Decimal) -> list[Decimal]:
        parts = [(t * w / total_w).quantize(CENT) for w in ws[:-1]]
        return [*parts, t - sum(parts)]

    result = benchmark(lambda: [naive(t) for t in totals])
    assert all(sum(parts) == t for parts, t in zip(result, totals, strict=True))


# --- payment dates ------------------------------------------------------------------------


@pytest.mark.benchmark(group="360 monthly due dates")
def test_payment_dates_loanmath(benchmark) -> None:
    start = dt.date(2024, 1, 31)
    result = benchmark(lambda: payment_dates(start, 360))
    assert result[0] == dt.date(2024, 2, 29)
    assert result[2] == dt.date(2024, 4, 30)
    assert result[-1] == dt.date(2054, 1, 31)


@pytest.mark.benchmark(group="360 monthly due dates")
def test_payment_dates_reference_relativedelta(benchmark) -> None:
    start = dt.date(2024, 1, 31)
    result = benchmark(lambda: [start + relativedelta(months=k) for k in range(1, 361)])
    assert result[-1] == dt.date(2054, 1, 31)
