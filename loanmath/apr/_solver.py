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
nearest the guess, or raises :class:`~loanmath.errors.NoSolutionError` listing the roots.
It never returns NaN, ``None`` or an unconverged iterate.

Several roots: every root is found, not sampled. The NPV is an exponential sum
``f(y) = Σ aₖ e^(−λₖ y)`` (``λₖ`` the times, ``y = ln(1+r)``); multiplying by ``e^(λⱼ y)``
and differentiating removes term ``j`` and, with ``j`` the first term of the second sign run,
exactly one sign change (the terms after ``j`` change sign). So the critical points of that
product — found recursively, down to one sign change and a unique root — split the line into
intervals on which ``f`` has at most one root, bracketed by the signs at their ends (the
proof of Descartes' rule for exponential sums, used as an algorithm). Up to
:data:`EXACT_SIGN_CHANGES` sign changes; beyond, a 400-point scan as before.

Extended range: the several-roots search and the fallback of the one-root search evaluate the
sum in log space, ``Σ sₖ e^(ℓₖ − λₖ y − M)`` with ``ℓₖ = ln|aₖ|`` and ``M`` the largest
exponent, so neither amounts beyond float range (``±1e400``) nor rates whose ``1 + r`` is
below float resolution (``−1 + 1.7e−14``) overflow or vanish. The ``*_log_growth`` functions
return ``y = ln(1 + r)``, which keeps ``1 + r`` to full relative precision for the Decimal
confirmation.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from loanmath.errors import InvalidInputError, NoSolutionError

__all__ = [
    "EXACT_SIGN_CHANGES",
    "check_flows",
    "choose_root",
    "exp_sum_roots",
    "newton_bisect",
    "periodic_log_growth",
    "shrink",
    "sign_changes",
    "solve_periodic",
    "solve_timed",
    "timed_log_growth",
]

#: The x-space search stops within 1e-15 of x absolutely: below this x (a rate above 10**8
#: a period) that is no longer close in relative terms (a root of 1e180 a period came back
#: as 1.8e33), and the log-space search, whose tolerance is relative in x, finds the root.
_X_RELATIVE = 1e-8
#: Bracket scans cover per-period rates from −99.99 % to 10**6 (1e8 %).
_X_MIN, _X_MAX = 1e-6, 1e4
_SCAN_POINTS = 400
#: Up to this many sign changes every root is found (the recursion below); beyond, a scan.
EXACT_SIGN_CHANGES = 24
#: The widest log-growth searched, |ln(1 + r)| (1 + r from e^-1e6 to e^1e6).
_Y_LIMIT = 1e6

#: A flow in log space: (sign ±1.0, ln|amount|, time).
Term = tuple[float, float, float]


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


def check_flows(amounts: Sequence[float]) -> None:
    """Refuse empty flows, and flows of one sign (no rate can make their NPV zero)."""
    if not amounts:
        raise InvalidInputError("amounts", amounts, "must not be empty")
    if not any(a > 0 for a in amounts) or not any(a < 0 for a in amounts):
        raise NoSolutionError(
            "no rate makes the NPV zero: the cash flows need at least one positive and one "
            "negative amount (a disbursement and a repayment)"
        )


def newton_bisect(
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


def choose_root(log_roots: list[float], guess: float | None) -> float:
    """The one root, or the one nearest `guess` (as a rate); several and no guess: an error
    listing them all, as rates."""
    if not log_roots:
        raise NoSolutionError("no rate above -100 % makes the NPV of these flows zero")
    rates = [math.expm1(y) for y in log_roots]
    chosen = _pick(rates, guess, lambda r: f"{r:.6%}")
    return log_roots[rates.index(chosen)]


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
        All flows of one sign, no root above −100 %, several roots and no guess, or no
        convergence.

    Examples
    --------
    >>> round(solve_periodic([-100.0, 60.0, 60.0]), 12)
    0.130662386292
    """
    return math.expm1(periodic_log_growth(amounts, guess=guess, tol=tol, maxiter=maxiter))


def periodic_log_growth(
    amounts: Sequence[float],
    *,
    guess: float | None = None,
    tol: float = 1e-15,
    maxiter: int = 200,
    logs: Sequence[float] | None = None,
) -> float:
    """``y = ln(1 + r)`` for the periodic rate of :func:`solve_periodic` (``1 + r = eʸ`` keeps
    full relative precision near ``r = −1``, where ``r`` itself does not).

    `logs`, when given, are ``ln|aₖ|`` of flows that float64 cannot hold (the `amounts` then
    carry their signs, scaled); a flow of 0 has any log.

    Examples
    --------
    >>> round(periodic_log_growth([-100.0, 110.0]), 15) == round(math.log(1.1), 15)
    True
    """
    check_flows(amounts)
    if guess is not None and guess <= -1:
        raise InvalidInputError("guess", guess, "must be > -1 (a rate above -100 %)")
    terms = _terms(amounts, [float(k) for k in range(len(amounts))], logs)
    changes = sign_changes([s for s, _, _ in terms])
    if changes == 1 and logs is None:
        f = _horner(amounts)
        start = 1.0 / (1.0 + (guess if guess is not None else _level_guess(amounts)))
        try:
            lo, hi = _bracket_x(f, amounts)
            x = newton_bisect(f, lo, hi, min(max(start, lo), hi), tol=tol, maxiter=maxiter)
            if _X_RELATIVE <= x < math.inf:
                return -math.log(x)
        except NoSolutionError:
            pass  # beyond float range: the log-space search below
    if changes > EXACT_SIGN_CHANGES:
        return _periodic_scan(amounts, guess, tol=tol, maxiter=maxiter)
    return choose_root(exp_sum_roots(terms, tol=tol, maxiter=maxiter), guess)


def _periodic_scan(
    amounts: Sequence[float], guess: float | None, *, tol: float, maxiter: int
) -> float:
    """Many sign changes: brackets from a 400-point scan of x = 1/(1+r) (may miss roots
    closer together than the scan's spacing)."""
    f = _horner(amounts)
    points = [_X_MIN * (_X_MAX / _X_MIN) ** (i / _SCAN_POINTS) for i in range(_SCAN_POINTS + 1)]
    roots = []
    for lo, hi in _scan(f, points):
        x = lo if lo == hi else newton_bisect(f, lo, hi, 0.5 * (lo + hi), tol=tol, maxiter=maxiter)
        roots.append(-math.log(x))
    if not roots:
        raise NoSolutionError("no rate between -99.9999 % and 1e8 % per period makes the NPV zero")
    return choose_root(sorted(roots), guess)


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
    return math.expm1(timed_log_growth(amounts, times, guess=guess, tol=tol, maxiter=maxiter))


def timed_log_growth(
    amounts: Sequence[float],
    times: Sequence[float],
    *,
    guess: float | None = None,
    tol: float = 1e-15,
    maxiter: int = 200,
    logs: Sequence[float] | None = None,
) -> float:
    """``y = ln(1 + r)`` for the rate of :func:`solve_timed`; `logs` as for
    :func:`periodic_log_growth`.

    Examples
    --------
    >>> import math
    >>> roots = [-100.0, 230.0, -132.0]  # two roots: 10 % and 20 %
    >>> round(math.expm1(timed_log_growth(roots, [0.0, 1.0, 2.0], guess=0.0)), 12)
    0.1
    """
    check_flows(amounts)
    if len(times) != len(amounts):
        raise InvalidInputError("times", len(times), f"must match amounts ({len(amounts)})")
    if guess is not None and guess <= -1:
        raise InvalidInputError("guess", guess, "must be > -1 (a rate above -100 %)")
    terms = _terms(amounts, times, logs)
    changes = sign_changes([s for s, _, _ in terms])
    if changes == 1 and logs is None:
        flows = sorted(zip(times, amounts, strict=True))
        t0 = flows[0][0]
        flows = [(t - t0, a) for t, a in flows]
        span = max(flows[-1][0], 1e-9)

        def f(y: float) -> tuple[float, float]:
            value = slope = 0.0
            for t, a in flows:
                term = a * math.exp(-y * t)
                value += term
                slope -= t * term
            return value, slope

        start = math.log1p(guess) if guess is not None else 0.0
        try:
            lo, hi = _bracket_y(f, terms[0][0] > 0, 700.0 / span)
            return newton_bisect(f, lo, hi, start, tol=tol, maxiter=maxiter)
        except (NoSolutionError, OverflowError):
            pass  # beyond float range: the log-space search below
    if changes > EXACT_SIGN_CHANGES:
        span = max(t for _, _, t in terms) - min(t for _, _, t in terms)
        limit = 700.0 / max(span, 1e-9)
        points = [-limit + 2 * limit * i / _SCAN_POINTS for i in range(_SCAN_POINTS + 1)]
        return choose_root(_scan_roots(terms, points, tol=tol, maxiter=maxiter), guess)
    return choose_root(exp_sum_roots(terms, tol=tol, maxiter=maxiter), guess)


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


def _terms(
    amounts: Sequence[float], times: Sequence[float], logs: Sequence[float] | None
) -> list[Term]:
    """Nonzero flows as (sign, ln|a|, t), sorted by time, flows at one time netted."""
    by_time: dict[float, list[tuple[float, float]]] = {}
    for i, (a, t) in enumerate(zip(amounts, times, strict=True)):
        if a:
            size = logs[i] if logs is not None else math.log(abs(a))
            by_time.setdefault(t, []).append((math.copysign(1.0, a), size))
    terms = []
    for t in sorted(by_time):
        group = by_time[t]
        top = max(size for _, size in group)
        net = sum(sign * math.exp(size - top) for sign, size in group)
        if net:
            terms.append((math.copysign(1.0, net), top + math.log(abs(net)), t))
    return terms


def _log_sum(terms: Sequence[Term]) -> Callable[[float], tuple[float, float]]:
    """``y ↦ (f(y), f'(y))·e^(−M(y))`` for ``f(y) = Σ s e^(ℓ − λy)``: signs and the ratio
    f/f' exact to rounding, never overflowing (M is the largest exponent at y)."""

    def evaluate(y: float) -> tuple[float, float]:
        exponents = [size - t * y for _, size, t in terms]
        top = max(exponents)
        value = slope = 0.0
        for (sign, _, t), e in zip(terms, exponents, strict=True):
            term = sign * math.exp(e - top)
            value += term
            slope -= t * term
        return value, slope

    return evaluate


def exp_sum_roots(terms: Sequence[Term], *, tol: float = 1e-15, maxiter: int = 200) -> list[float]:
    """Every real root y of ``Σ s e^(ℓ − λy)`` (terms sorted by distinct λ), sorted.

    Examples
    --------
    >>> import math
    >>> flows = [(-1.0, math.log(100), 0.0), (1.0, math.log(230), 1.0), (-1.0, math.log(132), 2.0)]
    >>> [round(math.expm1(y), 12) for y in exp_sum_roots(flows)]
    [0.1, 0.2]
    """
    signs = [s for s, _, _ in terms]
    if sign_changes(signs) == 0:
        return []
    f = _log_sum(terms)
    critical: list[float] = []
    if sign_changes(signs) > 1:
        j = next(i for i, s in enumerate(signs) if s != signs[0])
        lam = terms[j][2]
        derived = [
            (s if i < j else -s, size + math.log(abs(t - lam)), t)
            for i, (s, size, t) in enumerate(terms)
            if i != j
        ]
        critical = exp_sum_roots(derived, tol=tol, maxiter=maxiter)
    roots: list[float] = []
    ends = [(-math.inf, terms[-1][0])] + [(c, f(c)[0]) for c in critical] + [(math.inf, signs[0])]
    for (left, f_left), (right, f_right) in itertools.pairwise(ends):
        if f_left == 0.0 and math.isfinite(left):
            if not roots or roots[-1] != left:
                roots.append(left)  # a root where f touches zero
        elif f_right != 0.0 and (f_left > 0) != (f_right > 0):
            lo, hi = _widen(f, left, right, f_left > 0)
            roots.append(lo if lo == hi else shrink(f, lo, hi, tol=tol, maxiter=maxiter))
    return sorted(roots)


def shrink(
    f: Callable[[float], tuple[float, float]],
    lo: float,
    hi: float,
    *,
    tol: float,
    maxiter: int,
    start: float | None = None,
) -> float:
    """The root in [lo, hi] by Newton steps kept inside the bracket (from `start`, else the
    middle), with a bisection whenever two steps have not halved it: the bracket always
    shrinks, so rounding noise in a long log-space sum, or a Newton step that crawls from one
    side of a flat stretch, cannot stop convergence."""
    f_lo = f(lo)[0]
    x = start if start is not None and lo < start < hi else 0.5 * (lo + hi)
    width = hi - lo
    for i in range(maxiter):
        value, slope = f(x)
        if value == 0.0:
            return x
        lo, hi = (x, hi) if (value > 0) == (f_lo > 0) else (lo, x)
        if hi - lo <= tol * max(1.0, abs(x)):
            return 0.5 * (lo + hi)
        candidate = x - value / slope if slope else math.nan
        if i % 2:
            if hi - lo > 0.5 * width:
                candidate = math.nan
            width = hi - lo
        x = candidate if lo < candidate < hi else 0.5 * (lo + hi)
    raise NoSolutionError(
        f"the solver did not converge in {maxiter} iterations inside the bracket "
        f"[{lo!r}, {hi!r}] of ln(1 + rate); raise maxiter or check the cash flows"
    )


def _widen(
    f: Callable[[float], tuple[float, float]], lo: float, hi: float, sign_lo: bool
) -> tuple[float, float]:
    """A finite bracket inside (lo, hi), whose end `lo` has sign `sign_lo` (at an infinite
    end, the sign there): step out from the finite end (or from 0), doubling the step."""
    if math.isinf(lo) and math.isinf(hi):
        middle = f(0.0)[0]
        if middle == 0.0:
            return 0.0, 0.0
        lo, hi = (0.0, hi) if (middle > 0) == sign_lo else (lo, 0.0)
    step = 1.0
    while math.isinf(lo) or math.isinf(hi):
        probe = hi - step if math.isinf(lo) else lo + step
        if abs(probe) > _Y_LIMIT:
            raise NoSolutionError("no root for 1 + rate between e^-1e6 and e^1e6")
        value = f(probe)[0]
        if value == 0.0:
            return probe, probe
        lo, hi = (probe, hi) if (value > 0) == sign_lo else (lo, probe)
        step *= 2
    return lo, hi


def _scan_roots(
    terms: Sequence[Term], points: Sequence[float], *, tol: float, maxiter: int
) -> list[float]:
    """Roots in the brackets of a scan over `points` (y), in log space."""
    f = _log_sum(terms)
    roots = []
    for lo, hi in _scan(f, points):
        roots.append(lo if lo == hi else shrink(f, lo, hi, tol=tol, maxiter=maxiter))
    return sorted(roots)
