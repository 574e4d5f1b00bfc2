"""Shared hypothesis strategies: the money, rates and dates the properties run over."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from loanmath import OverdueTerms
from loanmath.dates import FREQUENCIES
from loanmath.daycount import convention_names

#: Currencies with 0, 2 and 3 decimals, and one with 4 (CLF).
currencies = st.sampled_from(["CNY", "JPY", "KWD", "USD", "EUR", "GBP", "CLF"])

rounding_modes = st.sampled_from(["half_up", "half_even", "down", "up"])

frequencies = st.sampled_from(sorted(FREQUENCIES))

conventions = st.sampled_from(convention_names()[:9])


@st.composite
def decimals(draw: st.DrawFn, max_digits: int = 16, max_places: int = 6) -> Decimal:
    """Finite decimals of up to `max_digits` digits with 0..`max_places` decimals, any sign."""
    places = draw(st.integers(0, max_places))
    units = draw(st.integers(-(10**max_digits) + 1, 10**max_digits - 1))
    return Decimal(units).scaleb(-places)


@st.composite
def amounts_at(draw: st.DrawFn, quantum: Decimal, max_units: int = 10**14) -> Decimal:
    """A multiple of `quantum`, any sign."""
    return draw(st.integers(-max_units, max_units)) * quantum


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))


@st.composite
def ordered_dates(draw: st.DrawFn, n: int = 2) -> list[dt.date]:
    return sorted(draw(st.lists(dates, min_size=n, max_size=n)))


weights = st.lists(
    st.one_of(
        st.integers(0, 10**6),
        st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False),
    ),
    min_size=1,
    max_size=40,
).filter(lambda ws: sum(ws) > 0)


LEVEL_METHODS = ("annuity", "equal_principal", "interest_only", "bullet", "flat")


@st.composite
def loan_terms(
    draw: st.DrawFn, methods: tuple[str, ...] = LEVEL_METHODS, max_term: int = 480
) -> dict[str, object]:
    """Keyword arguments for a LoanTerms that the methods can amortise."""
    from loanmath import Money, Rounding
    from loanmath.money import minor_unit_quantum

    currency = draw(st.sampled_from(["JPY", "CNY", "KWD"]))
    quantum = minor_unit_quantum(currency)
    term = draw(st.one_of(st.integers(1, 36), st.integers(1, max_term)))
    units = draw(st.integers(max(1, term * term), 10**12 // int(1 / quantum)))
    rate = Decimal(draw(st.integers(0, 500_000))).scaleb(-6)  # 0 % .. 50 %, 0 included
    frequency = draw(frequencies)
    kwargs: dict[str, object] = {
        "principal": Money(units * quantum, currency),
        "annual_rate": rate,
        "term": term,
        "method": draw(st.sampled_from(methods)),
        "frequency": frequency,
        "start_date": draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))),
        "rounding": Rounding(draw(rounding_modes)),
        "day_count": draw(st.one_of(st.none(), conventions)),
        "payment_basis": draw(st.sampled_from(["regular", "actual"])),
    }
    return kwargs


@st.composite
def overdue_terms(draw: st.DrawFn) -> OverdueTerms:
    """Overdue terms a contract may agree: a multiple, a margin, a daily rate or none (rates
    with at most two decimals in percent, so a disclosed figure is exact), grace 0-10 days,
    maybe a late fee."""
    kind = draw(st.sampled_from(["multiple", "margin", "daily_rate", None]))
    rate = {
        "multiple": lambda: str(Decimal(draw(st.integers(100, 200))).scaleb(-2)),
        "margin": lambda: str(Decimal(draw(st.integers(0, 1200))).scaleb(-4)),
        "daily_rate": lambda: str(Decimal(draw(st.integers(1, 9))).scaleb(-4)),
        None: lambda: None,
    }[kind]()
    fee = draw(st.sampled_from([None, "20", "5.50"]))
    given = {kind: rate} if kind else {}
    return OverdueTerms(grace_days=draw(st.integers(0, 10)), late_fee=fee, **given)  # type: ignore[arg-type]
