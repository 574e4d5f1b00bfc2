"""Decimal confirmation of a float root: one Newton step in Decimal, then a checked NPV.

The float solver finds the rate; this module re-evaluates the NPV in the library's decimal
context, takes one Newton step there (so the result no longer depends on the last bits of a
platform's float library), checks that ``|NPV| ≤ tol · Σ|aₖ|`` at the returned rate, and
rounds it to :data:`DIGITS` significant digits. A rate that fails the check raises
:class:`~loanmath.errors.NoSolutionError`; it is never returned.
"""

from __future__ import annotations

import datetime as _dt
import decimal
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

from loanmath._checks import check_date
from loanmath._decimal import CONTEXT, D
from loanmath.apr._solver import solve_timed
from loanmath.errors import InvalidInputError, NoSolutionError

__all__ = [
    "DIGITS",
    "TOL",
    "confirm",
    "dated_rate",
    "periodic_npv",
    "timed_npv",
    "to_decimals",
    "to_floats",
]

#: Significant digits of a returned rate.
DIGITS = 20
#: Default relative tolerance of the NPV check: |NPV| <= TOL * sum(|a_k|).
TOL = Decimal("1e-12")

_CHECK = CONTEXT.copy()
_CHECK.prec = 34

Evaluator = Callable[[Decimal], tuple[Decimal, Decimal]]


def to_decimals(amounts: Sequence[object], field: str = "amounts") -> list[Decimal]:
    """The flows as Decimals (floats refused, as for all money)."""
    if isinstance(amounts, (str, bytes)) or not hasattr(amounts, "__len__"):
        raise InvalidInputError(field, amounts, "must be a sequence of amounts")
    return [
        a
        if type(a) is Decimal and a.is_finite() and not (a.is_zero() and a.is_signed())
        else D(a, f"{field}[{i}]")
        for i, a in enumerate(amounts)
    ]


def to_floats(amounts: Sequence[Decimal]) -> list[float]:
    """The flows as floats for the search (the result is confirmed in Decimal)."""
    return [float(a) for a in amounts]


def periodic_npv(amounts: Sequence[Decimal]) -> Evaluator:
    """``r ↦ (NPV, dNPV/dr)`` for flows at periods 0, 1, 2, … (Horner in ``x = 1/(1+r)``)."""
    reversed_amounts = list(reversed(amounts))

    def evaluate(rate: Decimal) -> tuple[Decimal, Decimal]:
        with decimal.localcontext(_CHECK):
            x = 1 / (1 + rate)
            value = slope = Decimal(0)
            for a in reversed_amounts:
                slope = slope * x + value
                value = value * x + a
            # dP/dr = dP/dx · dx/dr and dx/dr = −x²
            return +value, -slope * x * x

    return evaluate


def timed_npv(amounts: Sequence[Decimal], times: Sequence[Fraction]) -> Evaluator:
    """``r ↦ (NPV, dNPV/dr)`` for flows at rational times ``tₖ = pₖ/qₖ`` (years, periods).

    ``(1+r)^−(p/q)`` is computed as ``Xq^p`` with ``Xq = (1+r)^(−1/q)``: one logarithm and one
    exponential per distinct denominator, then exact-rounded integer powers.
    """
    pairs = list(zip(amounts, times, strict=True))
    denominators = sorted({t.denominator for t in times})

    def evaluate(rate: Decimal) -> tuple[Decimal, Decimal]:
        with decimal.localcontext(_CHECK):
            log_growth = (1 + rate).ln()
            roots = {q: (-log_growth / q).exp() for q in denominators}
            value = slope = Decimal(0)
            for a, t in pairs:
                term = a * roots[t.denominator] ** t.numerator
                value += term
                slope -= term * Decimal(t.numerator) / Decimal(t.denominator)
            return +value, slope / (1 + rate)

    return evaluate


def confirm(
    rate: float, evaluate: Evaluator, amounts: Sequence[Decimal], *, tol: Decimal = TOL
) -> Decimal:
    """Polish `rate` by one Newton step in Decimal, check the NPV there, round it.

    Raises
    ------
    NoSolutionError
        If the NPV at the polished rate exceeds ``tol · Σ|aₖ|``.
    """
    start = Decimal(repr(rate))
    value, slope = evaluate(start)
    polished = start
    with decimal.localcontext(_CHECK):  # never the caller's context
        if slope:
            polished = start - value / slope
            if polished <= -1:
                polished = start
        check, _ = evaluate(polished)
        scale = sum((abs(a) for a in amounts), Decimal(0))
        too_far = abs(check) > tol * scale
    if too_far:
        raise NoSolutionError(
            f"the rate {polished} found by the solver leaves an NPV of {check:.3E}, more than "
            f"the tolerance {tol} x {scale}; the flows may be ill-conditioned"
        )
    with decimal.localcontext(CONTEXT) as ctx:
        ctx.prec = DIGITS
        return +polished


def dated_rate(
    amounts: Sequence[object],
    dates: Sequence[_dt.date],
    time_of: Callable[[_dt.date, _dt.date], Fraction],
    *,
    guess: float | None,
    tol: Decimal = TOL,
    maxiter: int = 200,
) -> Decimal:
    """The effective rate of dated flows: times by `time_of(first date, date)` in years,
    solved in float64 and confirmed in Decimal (XIRR, the EU APRC, spreadsheet XIRR)."""
    flows = to_decimals(amounts)
    if len(dates) != len(flows):
        raise InvalidInputError(
            "dates", len(dates), f"must have one date per amount ({len(flows)})"
        )
    checked = [check_date(d, f"dates[{i}]") for i, d in enumerate(dates)]
    first = min(checked)
    times = [time_of(first, d) for d in checked]
    root = solve_timed(to_floats(flows), [float(t) for t in times], guess=guess, maxiter=maxiter)
    return confirm(root, timed_npv(flows, times), flows, tol=tol)
