"""The rate of a series of flows, found in float64 and confirmed in Decimal: the one place where
a root is searched for and checked (``irr``, ``xirr``, the EU APRC and the spreadsheet
functions of :mod:`loanmath.tvm` all come here).

Periodic flows sit at periods 0, 1, 2 …; timed flows at exact rational times (years or
periods). The search (``_solver``) works on ``y = ln(1 + r)`` in float64, scaled or in log
space where float cannot hold the flows; the confirmation (``_confirm``) polishes the root by
Newton steps in Decimal, rounds it to 20 significant digits (more near −100 %), and checks
``|NPV| ≤ tol · Σ|aₖ|`` at the rate returned — or raises
:class:`~loanmath.errors.NoSolutionError`. Never NaN, ``None`` or a last guess.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

from loanmath._checks import check_bool, check_date, check_int
from loanmath._decimal import CONTEXT, D, context_free
from loanmath.apr._confirm import (
    TOL,
    confirm_growth,
    periodic_npv,
    timed_npv,
    to_decimals,
    to_floats,
    to_logs,
)
from loanmath.apr._level import level_log_growth, level_npv
from loanmath.apr._solver import periodic_log_growth, timed_log_growth
from loanmath.errors import InputTypeError, InvalidInputError

__all__ = [
    "MAX_PAYMENTS",
    "TOL",
    "annuity_rate",
    "dated_rate",
    "decimals",
    "periodic_rate",
    "timed_rate",
    "timed_value",
]


#: The most payments :func:`annuity_rate` takes (as :mod:`loanmath.tvm`'s periods).
MAX_PAYMENTS = 100_000


def _guess(guess: object) -> float | None:
    """None, or a finite rate above −100 % as the float the search starts from."""
    if guess is None:
        return None
    if isinstance(guess, float):
        value = guess
        if not math.isfinite(value):
            raise InvalidInputError("guess", guess, "must be a finite rate")
    else:
        value = float(D(guess, "guess"))
    if value <= -1:
        raise InvalidInputError("guess", guess, "must be > -1 (a rate above -100 %)")
    return value


def _search(tol: object, maxiter: object) -> tuple[Decimal, int]:
    """The NPV tolerance (a Decimal > 0) and the float search's iterations (an int >= 1)."""
    tolerance = D(tol, "tol")
    if not tolerance > 0:
        raise InvalidInputError("tol", tolerance, "must be > 0", "the default is 1e-12")
    return tolerance, check_int(maxiter, "maxiter", minimum=1)


def _times(times: object, count: int) -> list[Fraction]:
    """One exact time >= 0 per flow (a Fraction or an int; a float is not exact)."""
    if isinstance(times, (str, bytes)) or not isinstance(times, Sequence):
        raise InputTypeError("times", times, "must be a sequence of Fractions")
    if len(times) != count:
        raise InvalidInputError("times", len(times), f"must have one time per flow ({count})")
    checked = []
    for i, t in enumerate(times):
        if isinstance(t, bool) or not isinstance(t, (Fraction, int)):
            raise InputTypeError(f"times[{i}]", t, "must be a Fraction or an int (exact)")
        if t < 0:
            raise InvalidInputError(f"times[{i}]", t, "must be >= 0")
        checked.append(Fraction(t))
    return checked


@context_free
def decimals(values: Sequence[object], field: str = "amounts") -> list[Decimal]:
    """The flows as exact Decimals (a float, a bool, NaN or an infinite value refused by name).

    Notes
    -----
    Money is never a float (ARCHITECTURE.md, "Money and rates are Decimal end to end").

    Examples
    --------
    >>> decimals(["-100", 110])
    [Decimal('-100'), Decimal('110')]
    """
    return to_decimals(values, field)


@context_free
def periodic_rate(
    flows: Sequence[Decimal],
    *,
    guess: float | Decimal | str | None = None,
    tol: Decimal = TOL,
    maxiter: int = 200,
) -> Decimal:
    """The rate ``r`` with ``Σ aₖ (1 + r)^−k = 0``, flows at periods ``k = 0, 1, 2 …``.

    Parameters
    ----------
    flows : sequence of Decimal
        Checked flows (see :func:`decimals`).
    guess : float, optional
        With several roots, the root nearest the guess; without one, the only root (several
        roots and no guess raise, naming them).
    tol : Decimal
        The NPV at the returned rate is at most ``tol × Σ|aₖ|``.
    maxiter : int
        Iterations of the float search.

    Returns
    -------
    Decimal
        20 significant digits (more near −100 %, so that ``1 + r`` keeps 20).

    Notes
    -----
    The IRR equation; one sign change gives one root (Descartes' rule of signs). The float
    root is polished by Newton in Decimal until a step is below 1e−12 of the rate, then
    rounded once and checked.

    Examples
    --------
    >>> periodic_rate([Decimal(-100), Decimal(110)])
    Decimal('0.10000000000000000000')
    """
    checked = to_decimals(flows, "flows")
    start, (tolerance, steps) = _guess(guess), _search(tol, maxiter)
    root = periodic_log_growth(
        to_floats(checked), guess=start, maxiter=steps, logs=to_logs(checked)
    )
    return confirm_growth(root, periodic_npv(checked), checked, tol=tolerance)


@context_free
def annuity_rate(
    count: int,
    payment: object,
    present: object,
    future: object = 0,
    *,
    begin: bool = False,
    guess: float | Decimal | str | None = None,
    tol: Decimal = TOL,
    maxiter: int = 200,
) -> Decimal:
    """The periodic rate of `present` at period 0, `payment` at each of `count` periods and
    `future` at the last: :func:`periodic_rate` of those ``count + 1`` flows, in O(log count)
    work per evaluation instead of O(count).

    Parameters
    ----------
    count : int
        Payments, ``1 … 100000``.
    payment, present, future : Decimal, int or str
        Signed amounts, as the flows of :func:`periodic_rate`.
    begin : bool
        Payments at the start of each period (periods ``0 … count − 1``), not the end.
    guess, tol, maxiter
        As for :func:`periodic_rate`.

    Returns
    -------
    Decimal
        As for :func:`periodic_rate`.

    Notes
    -----
    ``present + payment·x·(1 + x + … + x^(count−1)) + future·x^count = 0`` with
    ``x = 1/(1 + r)`` (payments in advance: the first at ``x⁰``): the flows run as three
    levels, so the sums ``Σ xᵏ`` and ``Σ k·xᵏ`` are built by square-and-multiply and the two
    roots Descartes' rule allows are separated by the one critical point. Confirmed in
    Decimal exactly as :func:`periodic_rate`. Source: Microsoft Excel RATE function.

    Examples
    --------
    >>> annuity_rate(48, -200, 8000)  # Excel help: 0.77 % a month
    Decimal('0.0077014724882020438160')
    """
    n = check_int(count, "count", minimum=1)
    if n > MAX_PAYMENTS:
        raise InvalidInputError("count", n, f"must be at most {MAX_PAYMENTS} payments")
    a, p, f = D(payment, "payment"), D(present, "present"), D(future, "future")
    begin = check_bool(begin, "begin")
    start, (tolerance, steps) = _guess(guess), _search(tol, maxiter)
    first, last = (p + a, f) if begin else (p, a + f)
    root = level_log_growth(float(first), float(a), float(last), n - 1, guess=start, maxiter=steps)
    scale = [first, a * (n - 1), last]
    return confirm_growth(root, level_npv(first, a, last, n - 1), scale, tol=tolerance)


@context_free
def timed_rate(
    flows: Sequence[Decimal],
    times: Sequence[Fraction],
    *,
    guess: float | Decimal | str | None = None,
    tol: Decimal = TOL,
    maxiter: int = 200,
) -> Decimal:
    """The rate ``r`` with ``Σ aₖ (1 + r)^−tₖ = 0`` for exact times ``tₖ`` (years, periods).

    Parameters
    ----------
    flows : sequence of Decimal
    times : sequence of Fraction
        One per flow, ``≥ 0``.
    guess, tol, maxiter
        As for :func:`periodic_rate`.

    Returns
    -------
    Decimal
        As for :func:`periodic_rate`.

    Notes
    -----
    XIRR's equation (Microsoft Excel XIRR: actual days / 365) and the EU APRC's (Directive
    2008/48/EC Annex I) with the times each counts.

    Examples
    --------
    >>> timed_rate([Decimal(-100), Decimal(121)], [Fraction(0), Fraction(2)])
    Decimal('0.10000000000000000000')
    """
    checked = to_decimals(flows, "flows")
    exact = _times(times, len(checked))
    start, (tolerance, steps) = _guess(guess), _search(tol, maxiter)
    spans = [float(t) for t in exact]
    root = timed_log_growth(
        to_floats(checked), spans, guess=start, maxiter=steps, logs=to_logs(checked)
    )
    return confirm_growth(root, timed_npv(checked, exact), checked, tol=tolerance)


@context_free
def timed_value(
    flows: Sequence[Decimal], times: Sequence[Fraction], rate: Decimal | int | str
) -> Decimal:
    """``Σ aₖ (1 + rate)^−tₖ``, worked with 34 significant digits (more near −100 %).

    Notes
    -----
    ``(1 + r)^−(p/q)`` is ``Xq^p`` with ``Xq = (1 + r)^(−1/q)``: one logarithm and one
    exponential per distinct denominator, then integer powers (Excel XNPV's sum).

    Examples
    --------
    >>> timed_value([Decimal(-100), Decimal(121)], [Fraction(0), Fraction(1, 2)], Decimal("0.21"))
    Decimal('10.0000000000000000000000000000000')
    """
    checked = to_decimals(flows, "flows")
    exact = _times(times, len(checked))
    r = D(rate, "rate")
    if not r > -1:
        raise InvalidInputError("rate", r, "must be > -1 (a rate above -100 %)")
    with decimal.localcontext(CONTEXT):
        value, _ = timed_npv(checked, exact)(r)
        return +value


def dated_rate(
    amounts: Sequence[object],
    dates: Sequence[_dt.date],
    time_of: Callable[[_dt.date, _dt.date], Fraction],
    *,
    guess: float | Decimal | str | None,
    tol: Decimal = TOL,
    maxiter: int = 200,
) -> Decimal:
    """The effective rate of dated flows, times by ``time_of(first date, date)`` in years
    (XIRR, the EU APRC, spreadsheet XIRR).

    Notes
    -----
    :func:`timed_rate` with ``tₖ = time_of(min(dates), dₖ)``.

    Examples
    --------
    >>> days = [_dt.date(2023, 1, 1), _dt.date(2024, 1, 1)]
    >>> dated_rate(["-100", "110"], days, lambda a, b: Fraction((b - a).days, 365), guess=None)
    Decimal('0.10000000000000000000')
    """
    flows = to_decimals(amounts)
    if len(dates) != len(flows):
        raise InvalidInputError(
            "dates", len(dates), f"must have one date per amount ({len(flows)})"
        )
    checked = [check_date(d, f"dates[{i}]") for i, d in enumerate(dates)]
    first = min(checked)
    times = [time_of(first, d) for d in checked]
    return timed_rate(flows, times, guess=guess, tol=tol, maxiter=maxiter)
