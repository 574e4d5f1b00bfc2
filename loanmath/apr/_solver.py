"""The root finder behind every rate: Σ aₖ·v(tₖ) = 0, solved in float64, confirmed in Decimal.

Two shapes of problem:

- **periodic** flows at whole periods 0, 1, 2, …: with ``x = 1/(1+r)`` the NPV is the
  polynomial ``P(x) = Σ aₖ xᵏ``, evaluated by Horner's rule with ``+``, ``×`` only — IEEE
  arithmetic that gives the same bits on every machine (no libm call in the loop);
- **timed** flows at real times ``tₖ`` (years or unit-periods): with ``y = ln(1+r)`` the NPV is
  the exponential sum ``f(y) = Σ aₖ e^(−y·tₖ)``.

Both are solved by Newton's method safeguarded by bisection inside a bracket the solver finds
itself. Uniqueness: by Descartes' rule of signs (which holds for exponential sums too), flows
whose signs change once in time order have exactly one root with ``r > −100 %`` — every loan
seen from one side. With several sign changes the solver scans for brackets, returns the root
nearest the guess, or raises :class:`~loanmath.errors.NoSolutionError` listing the brackets.
It never returns NaN, ``None`` or an unconverged iterate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from loanmath.errors import InvalidInputError, NoSolutionError

__all__ = ["sign_changes", "solve_periodic", "solve_timed"]

#: Bracket scans cover per-period rates from −99.99 % to 10**6 (1e8 %).
_X_MIN, _X_MAX = 1e-6, 1e4
_SCAN_POINTS = 400


def sign_changes(amounts: Sequence[float]) -> int:
    """How many times the sign changes along `amounts`, zeros skipped.

    Examples
    --------
    >>> sign_changes([-100, 0, 30, 40, 50])
    1
    >>> sign_changes([-100, 230, -132])
    2
    """
    changes, last = 0, 0.0
    for a in amounts:
        if a:
            if last and (a > 0) != (last > 0):
                changes += 1
            last = a
    return changes


def _check_flows(amounts: Sequence[float]) -> None:
    if not amounts:
        raise InvalidInputError("amounts", amounts, "must not be empty")
    if not any(a > 0 for a in amounts) or not any(a < 0 for a in amounts):
        raise NoSolutionError(
            "no rate makes the NPV zero: the cash flows need at least one positive and one "
            "negative amount (a disbursement and a repayment)"
        )


def _newton_bisect(
    f: Callable[[float], tuple[float, float]],
    lo: float,
    hi: float,
    start: float,
    *,
    tol: float,
    maxiter: int,
) -> float:
    """Newton from `start`, falling back to bisection whenever a step leaves [lo, hi]."""
    f_lo = f(lo)[0]
    x = min(max(start, lo), hi)
    for _ in range(maxiter):
        value, slope = f(x)
        if value == 0.0:
            return x
        if (value > 0) == (f_lo > 0):
            lo, f_lo = x, value
        else:
            hi = x
        step = value / slope if slope else math.inf
        candidate = x - step
        if not lo < candidate < hi or not math.isfinite(candidate):
            candidate = 0.5 * (lo + hi)
        if abs(candidate - x) <= tol * max(1.0, abs(x)) or hi - lo <= tol * max(1.0, abs(x)):
            return candidate
        x = candidate
    raise NoSolutionError(
        f"the solver did not converge in {maxiter} iterations inside the bracket "
        f"[{lo!r}, {hi!r}]; raise maxiter or check the cash flows"
    )


def _horner(amounts: Sequence[float]) -> Callable[[float], tuple[float, float]]:
    """``x ↦ (P(x), P'(x))`` for ``P(x) = Σ aₖ xᵏ``, by Horner's rule."""
    reversed_amounts = list(reversed(amounts))

    def evaluate(x: float) -> tuple[float, float]:
        value, slope = 0.0, 0.0
        for a in reversed_amounts:
            slope = slope * x + value
            value = value * x + a
        return value, slope

    return evaluate


def _scan(
    f: Callable[[float], tuple[float, float]], points: Sequence[float]
) -> list[tuple[float, float]]:
    brackets = []
    previous, f_previous = points[0], f(points[0])[0]
    for p in points[1:]:
        value = f(p)[0]
        if f_previous == 0.0:
            brackets.append((previous, previous))
        elif (value > 0) != (f_previous > 0) and value != 0.0:
            brackets.append((previous, p))
        previous, f_previous = p, value
    return brackets


def _pick(roots: list[float], guess: float | None, describe: Callable[[float], str]) -> float:
    if len(roots) == 1:
        return roots[0]
    if guess is None:
        listed = ", ".join(describe(r) for r in roots)
        raise NoSolutionError(
            f"the cash flows change sign more than once and have {len(roots)} rates that make "
            f"the NPV zero ({listed}); pass a guess to choose the one nearest to it"
        )
    return min(roots, key=lambda r: abs(r - guess))


def solve_periodic(
    amounts: Sequence[float],
    *,
    guess: float | None = None,
    tol: float = 1e-15,
    maxiter: int = 200,
) -> float:
    """The periodic rate ``r > −1`` with ``Σ aₖ (1+r)^−k = 0``, in float64.

    Parameters
    ----------
    amounts : sequence of float
        Flow ``k`` at the end of period ``k`` (the first at time 0).
    guess : float, optional
        Starting rate; with several roots, the one nearest to it is returned.
    tol : float
        Relative tolerance on the discount factor ``x = 1/(1+r)``.
    maxiter : int
        Newton/bisection iterations per root.

    Raises
    ------
    NoSolutionError
        All flows of one sign, no root in −99.9999 % … 10**6 per period, several roots and no
        guess, or no convergence.

    Examples
    --------
    >>> round(solve_periodic([-100.0, 60.0, 60.0]), 12)
    0.130662386292
    """
    _check_flows(amounts)
    if guess is not None and guess <= -1:
        raise InvalidInputError("guess", guess, "must be > -1 (a rate above -100 %)")
    f = _horner(amounts)
    start = 1.0 / (1.0 + (guess if guess is not None else _level_guess(amounts)))
    if sign_changes(amounts) == 1:
        lo, hi = _bracket_x(f, amounts)
        x = _newton_bisect(f, lo, hi, min(max(start, lo), hi), tol=tol, maxiter=maxiter)
        return 1.0 / x - 1.0
    points = [_X_MIN * (_X_MAX / _X_MIN) ** (i / _SCAN_POINTS) for i in range(_SCAN_POINTS + 1)]
    roots = []
    for lo, hi in _scan(f, points):
        x = lo if lo == hi else _newton_bisect(f, lo, hi, 0.5 * (lo + hi), tol=tol, maxiter=maxiter)
        roots.append(1.0 / x - 1.0)
    if not roots:
        raise NoSolutionError("no rate between -99.9999 % and 1e8 % per period makes the NPV zero")
    return _pick(sorted(roots), guess, lambda r: f"{r:.6%}")


def _level_guess(amounts: Sequence[float]) -> float:
    """The rate of a level loan with the same totals, ``2(S − P) / (P(n + 1))``: a start that
    saves Newton steps on loan-shaped flows (the solver does not depend on it)."""
    positive = sum(a for a in amounts if a > 0)
    negative = -sum(a for a in amounts if a < 0)
    guess = 2 * (positive - negative) / (min(positive, negative) * len(amounts))
    return min(max(guess, -0.5), 10.0)


def _bracket_x(
    f: Callable[[float], tuple[float, float]], amounts: Sequence[float]
) -> tuple[float, float]:
    """A bracket in x for one sign change: P(0) has the sign of the first nonzero flow
    near x = 0 and of the last one for large x."""
    lo, hi = 1.0, 1.0
    sign_first = next(a for a in amounts if a) > 0
    while (f(lo)[0] > 0) != sign_first and f(lo)[0] != 0.0:
        lo *= 0.5
        if lo < 1e-300:
            raise NoSolutionError("no root for rates up to 1e300 per period")
    while (f(hi)[0] > 0) == sign_first and f(hi)[0] != 0.0:
        hi *= 2.0
        if hi > 1e300:
            raise NoSolutionError("no root for rates down to -100 % per period")
    return lo, hi


def solve_timed(
    amounts: Sequence[float],
    times: Sequence[float],
    *,
    guess: float | None = None,
    tol: float = 1e-15,
    maxiter: int = 200,
) -> float:
    """The rate ``r > −1`` with ``Σ aₖ (1+r)^−tₖ = 0`` for real times ``tₖ`` (float64).

    Solved in ``y = ln(1+r)``; times are shifted to start at 0, which does not move the root.

    Examples
    --------
    >>> round(solve_timed([-100.0, 110.0], [0.0, 1.0]), 12)
    0.1
    """
    _check_flows(amounts)
    if len(times) != len(amounts):
        raise InvalidInputError("times", len(times), f"must match amounts ({len(amounts)})")
    if guess is not None and guess <= -1:
        raise InvalidInputError("guess", guess, "must be > -1 (a rate above -100 %)")
    order = sorted(range(len(times)), key=times.__getitem__)
    t0 = times[order[0]]
    flows = [(times[i] - t0, amounts[i]) for i in order]
    span = max(flows[-1][0], 1e-9)

    def f(y: float) -> tuple[float, float]:
        value = slope = 0.0
        for t, a in flows:
            term = a * math.exp(-y * t)
            value += term
            slope -= t * term
        return value, slope

    limit = 700.0 / span  # keep every exponent inside float range
    start = math.log1p(guess) if guess is not None else 0.0
    if sign_changes([a for _, a in flows]) == 1:
        lo, hi = _bracket_y(f, flows[0][1] > 0, limit)
        y = _newton_bisect(f, lo, hi, start, tol=tol, maxiter=maxiter)
        return math.expm1(y)
    points = [-limit + 2 * limit * i / _SCAN_POINTS for i in range(_SCAN_POINTS + 1)]
    roots = []
    for lo, hi in _scan(f, points):
        y = lo if lo == hi else _newton_bisect(f, lo, hi, 0.5 * (lo + hi), tol=tol, maxiter=maxiter)
        roots.append(math.expm1(y))
    if not roots:
        raise NoSolutionError("no rate makes the NPV of these dated flows zero")
    return _pick(sorted(roots), guess, lambda r: f"{r:.6%}")


def _bracket_y(
    f: Callable[[float], tuple[float, float]], sign_first: bool, limit: float
) -> tuple[float, float]:
    """For one sign change, f(y) has the first flow's sign for large y, the last's for small."""
    lo, hi, step = -0.1, 0.1, 0.2
    while (f(hi)[0] > 0) != sign_first and f(hi)[0] != 0.0:
        hi += step
        step *= 2
        if hi > limit:
            raise NoSolutionError("no root below the largest representable rate")
    step = 0.2
    while (f(lo)[0] > 0) == sign_first and f(lo)[0] != 0.0:
        lo -= step
        step *= 2
        if lo < -limit:
            raise NoSolutionError("no root above -100 %")
    return lo, hi
