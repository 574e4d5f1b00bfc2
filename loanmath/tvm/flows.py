"""The cash-flow functions of the spreadsheets: NPV, IRR, XNPV, XIRR, EFFECT, NOMINAL, in
Decimal (see :mod:`loanmath.tvm`)."""

from __future__ import annotations

import datetime as _dt
import decimal
from collections.abc import Sequence
from decimal import Decimal

from loanmath._checks import check_date
from loanmath._decimal import CONTEXT, context_free
from loanmath.apr.roots import decimals, periodic_rate, timed_rate, timed_value
from loanmath.daycount import year_fraction_exact
from loanmath.errors import InvalidInputError, NoSolutionError
from loanmath.tvm._args import Number, growth, npery_arg, rate_arg, result_of

__all__ = ["effect", "irr", "nominal", "npv", "xirr", "xnpv"]


@context_free
def npv(rate: Number, values: Sequence[Number]) -> Decimal:
    """Net present value with the first value discounted one period, as spreadsheets do.

    Notes
    -----
    ``npv = Σᵢ₌₁ᴺ vᵢ / (1+r)ⁱ``: the values fall at the end of periods 1 … N, so a flow at time 0
    must be added outside (Microsoft Excel NPV function). Evaluated by Horner's rule in
    ``x = 1/(1+r)``; a rate at or below −1 raises (#NUM!).

    Examples
    --------
    >>> npv(0.1, [-10000, 3000, 4200, 6800])  # Excel help: $1,188.44
    Decimal('1188.443412335223003893176696')
    """
    r = rate_arg(rate)
    flows = decimals(values, "values")
    with decimal.localcontext(CONTEXT):
        x = 1 / growth(r, Decimal(1))
        total = Decimal(0)
        for a in reversed(flows):
            total = (total + a) * x
        return result_of(total)


@context_free
def irr(values: Sequence[Number], guess: Number | None = None) -> Decimal:
    """The internal rate of return of periodic values (IRR), like the spreadsheet.

    The root nearest `guess` (default 0.1, as spreadsheets) when the values change sign more
    than once. See :func:`loanmath.apr.irr` for the method.

    Notes
    -----
    ``r`` with ``Σₖ vₖ / (1+r)ᵏ = 0``, k = 0 … N − 1 (the first value undiscounted). One sign
    change gives one root (Descartes' rule of signs); otherwise the root nearest `guess`. The
    root is bracketed and confirmed in Decimal (``|NPV| ≤ 1e-12 · Σ|vₖ|``, 20 significant
    digits) by :func:`loanmath.apr.roots.periodic_rate`, with no 20-iteration limit; no root
    raises NoSolutionError (#NUM!). Source: Microsoft Excel IRR function; docs/rates.md.

    Examples
    --------
    >>> irr([-70000, 12000, 15000, 18000, 21000, 26000])  # Excel help: 8.7 %
    Decimal('0.086630948036531614293')
    """
    flows = decimals(values, "values")
    if not flows:
        raise InvalidInputError("values", values, "must not be empty (#NUM!)")
    if not any(v > 0 for v in flows) or not any(v < 0 for v in flows):
        raise NoSolutionError(
            "values: no rate makes the NPV zero: the values need at least one positive and one "
            "negative amount (#NUM!)"
        )
    start = float(rate_arg(guess if guess is not None else "0.1", "guess"))
    return periodic_rate(flows, guess=start)


def _xtimes(values: Sequence[Decimal], dates: Sequence[_dt.date]) -> list:  # type: ignore[type-arg]
    if len(dates) != len(values):
        raise InvalidInputError(
            "dates", len(dates), f"must have one date per value ({len(values)}) (#NUM!)"
        )
    checked = [check_date(d, f"dates[{i}]") for i, d in enumerate(dates)]
    first = checked[0]
    for i, d in enumerate(checked):
        if d < first:
            raise InvalidInputError(f"dates[{i}]", d, f"precedes the first date {first} (#NUM!)")
    return [year_fraction_exact(first, d, "ACT/365F") for d in checked]


@context_free
def xnpv(rate: Number, values: Sequence[Number], dates: Sequence[_dt.date]) -> Decimal:
    """Net present value of dated values, ``Σ vᵢ / (1+r)^((dᵢ − d₁)/365)`` (XNPV).

    Notes
    -----
    ``xnpv = Σ vᵢ / (1+r)^((dᵢ − d₁)/365)``: actual days from the first date over 365 (the
    ACT/365F year fraction, exact). A date before the first, a count of dates that differs from
    the values, or a rate at or below −1 raises (#NUM!). Source: Microsoft Excel XNPV function.

    Examples
    --------
    >>> import datetime as dt
    >>> xnpv(0.09, [-10000, 2750, 4250, 3250, 2750],
    ...      [dt.date(2008, 1, 1), dt.date(2008, 3, 1), dt.date(2008, 10, 30),
    ...       dt.date(2009, 2, 15), dt.date(2009, 4, 1)])  # Excel help: 2,086.65
    Decimal('2086.647602031536621663610094')
    """
    r = rate_arg(rate)
    if r <= -1:
        raise InvalidInputError("rate", r, "must be > -1 (#NUM!)")
    flows = decimals(values, "values")
    times = _xtimes(flows, dates)
    return result_of(timed_value(flows, times, r))


@context_free
def xirr(
    values: Sequence[Number], dates: Sequence[_dt.date], guess: Number | None = None
) -> Decimal:
    """The internal rate of return of dated values (XIRR), actual days / 365.

    Notes
    -----
    ``r`` with ``Σ vᵢ / (1+r)^((dᵢ − d₁)/365) = 0`` (XNPV = 0); with several roots the one
    nearest `guess` (default 0.1). Found by :func:`loanmath.apr.roots.timed_rate` and confirmed
    in Decimal to 20 significant digits, where Excel stops within 0.000001 %; no root raises
    NoSolutionError (#NUM!). Source: Microsoft Excel XIRR function; docs/rates.md.

    Examples
    --------
    >>> import datetime as dt
    >>> xirr([-10000, 2750, 4250, 3250, 2750],
    ...      [dt.date(2008, 1, 1), dt.date(2008, 3, 1), dt.date(2008, 10, 30),
    ...       dt.date(2009, 2, 15), dt.date(2009, 4, 1)])  # Excel help: 37.34 %
    Decimal('0.37336253351883151031')
    """
    flows = decimals(values, "values")
    times = _xtimes(flows, dates)
    start = float(rate_arg(guess if guess is not None else "0.1", "guess"))
    return timed_rate(flows, times, guess=start)


@context_free
def effect(nominal_rate: Number, npery: Number) -> Decimal:
    """The effective annual rate of a nominal rate compounded `npery` times (EFFECT).

    Notes
    -----
    ``effect = (1 + nominal_rate/npery)^npery − 1``, `npery` truncated to an integer;
    ``nominal_rate ≤ 0`` or ``npery < 1`` raises (#NUM!). Source: Microsoft Excel EFFECT
    function.

    Examples
    --------
    >>> effect(0.0525, 4)  # Excel help: 0.053542667
    Decimal('0.053542667370758056640625')
    """
    r, k = rate_arg(nominal_rate, "nominal_rate"), npery_arg(npery)
    if r <= 0:
        raise InvalidInputError("nominal_rate", r, "must be > 0 (#NUM!)")
    with decimal.localcontext(CONTEXT):
        return result_of((1 + r / k) ** k - 1)


@context_free
def nominal(effect_rate: Number, npery: Number) -> Decimal:
    """The nominal rate that compounds `npery` times to `effect_rate` (NOMINAL).

    Notes
    -----
    ``nominal = npery·((1 + effect_rate)^(1/npery) − 1)``, the inverse of :func:`effect`;
    `npery` truncated to an integer; ``effect_rate ≤ 0`` or ``npery < 1`` raises (#NUM!).
    Source: Microsoft Excel NOMINAL function.

    Examples
    --------
    >>> nominal(0.053543, 4)  # Excel help: 0.05250032
    Decimal('0.05250031986835586430648697261')
    """
    e, k = rate_arg(effect_rate, "effect_rate"), npery_arg(npery)
    if e <= 0:
        raise InvalidInputError("effect_rate", e, "must be > 0 (#NUM!)")
    with decimal.localcontext(CONTEXT):
        return result_of(k * ((1 + e) ** (Decimal(1) / k) - 1))
