"""The rate of a level annuity in O(log n) work per evaluation, not O(n).

An annuity's flows are three runs: ``c₀`` at period 0, ``a`` at each of periods ``1 … m`` and
``cₙ`` at period ``n = m + 1`` (the present value, the payments and the future value, a payment
in advance moved into ``c₀``, one in arrears into ``cₙ``). With ``x = 1/(1 + r)`` the NPV is

    P(x) = c₀ + a·x·S(m) + cₙ·xⁿ,   S(m) = Σ_{k<m} xᵏ,
    P′(x) = a·(S(m) + T(m)) + n·cₙ·x^(n−1),   T(m) = Σ_{k<m} k·xᵏ,

and ``(S, T, xᵏ)`` of ``k + j`` follow from those of ``k`` and ``j`` by
``S = Sₖ + xᵏ·Sⱼ``, ``T = Tₖ + xᵏ·(Tⱼ + k·Sⱼ)``: square-and-multiply over the bits of ``m``,
positive terms only (no cancellation), in float for the search and in Decimal for the
confirmation. The same equation as :func:`~loanmath.apr._solver.periodic_log_growth` over the
``n + 1`` flows, which the tests hold it to.

Roots: by Descartes' rule the runs' signs (at most two changes) bound the positive roots of
``P``; with two changes ``P′``'s coefficients change sign once, so ``P`` has one critical point
and is monotone on each side of it. The search runs on ``z ∈ (0, 1]`` twice — ``z = x``
(rates ``≥ 0``) and ``z = 1/x`` with the runs reversed (``xⁿ·P(1/z)``, rates ``< 0``) — so no
power ever exceeds 1 and nothing overflows.
"""

from __future__ import annotations

import decimal
import itertools
import math
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from loanmath.apr._confirm import Evaluator, check_context, one_plus
from loanmath.apr._solver import check_flows, choose_root, shrink

__all__ = ["level_log_growth", "level_npv", "sums"]

Number = TypeVar("Number", float, Decimal)

#: Digits the Decimal NPV carries beyond the confirmation's 34 (+ those near −100 %).
_GUARD_DIGITS = 12

#: The smallest z searched: rates up to 1e300 a period (as the periodic search).
_Z_MIN = 1e-300


def sums(z: Number, m: int) -> tuple[Number, Number, Number]:
    """``(S(m), T(m), zᵐ)`` by square-and-multiply (works for Decimal ``z`` too).

    Examples
    --------
    >>> sums(0.5, 3)  # 1 + 0.5 + 0.25, 0 + 0.5 + 2 * 0.25, 0.125
    (1.75, 1.0, 0.125)
    """
    s, t, power, k = z * 0, z * 0, z * 0 + 1, 0
    for bit in bin(m)[2:]:
        s, t, power, k = s + power * s, t + power * (t + k * s), power * power, 2 * k
        if bit == "1":
            s, t, power, k = s + power, t + k * power, power * z, k + 1
    return s, t, power


def _polynomial(
    first: float, run: float, last: float, m: int
) -> Callable[[float], tuple[float, float]]:
    """``z ↦ (H(z), H′(z))`` for ``H(z) = first + run·z·S(m) + last·z^(m+1)``."""
    n = m + 1

    def evaluate(z: float) -> tuple[float, float]:
        s, t, power = sums(z, m)
        return first + run * z * s + last * power * z, run * (s + t) + n * last * power

    return evaluate


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


def _critical(slope: Callable[[float], float], sign_near_zero: int) -> float | None:
    """Where ``H′`` changes sign in ``(0, 1)`` (it changes at most once), or None."""
    lo, hi = _Z_MIN, 1.0
    if _sign(slope(hi)) in (sign_near_zero, 0):
        return None
    for _ in range(2000):
        mid = math.sqrt(lo * hi) if hi > 4 * lo else 0.5 * (lo + hi)
        if not lo < mid < hi:
            break
        if _sign(slope(mid)) == sign_near_zero:
            lo = mid
        else:
            hi = mid
    return lo


def _unit_roots(
    first: float,
    run: float,
    last: float,
    m: int,
    *,
    closed: bool,
    start: float,
    tol: float,
    maxiter: int,
) -> list[float]:
    """The roots of ``H`` as ``t = −ln z ≥ 0`` for z in ``[_Z_MIN, 1]`` (``t > 0`` unless
    `closed`), each found in t (so that its tolerance is relative in z) by Newton from
    `start` where it lies in the bracket (from the bracket's middle where it does not)."""
    f = _polynomial(first, run, last, m)

    def in_t(t: float) -> tuple[float, float]:
        z = math.exp(-t)
        value, slope = f(z)
        return value, -z * slope

    cuts = [_Z_MIN, 1.0]
    if first and run and last and m and _sign(first) == _sign(last) != _sign(run):
        critical = _critical(lambda z: f(z)[1], _sign(run))
        if critical is not None:
            cuts.insert(1, critical)
    roots = []
    for lo, hi in itertools.pairwise(cuts):
        f_lo, f_hi = f(lo)[0], f(hi)[0]
        if f_hi == 0.0:
            if hi < 1.0 or closed:
                roots.append(-math.log(hi))
        elif f_lo != 0.0 and _sign(f_lo) != _sign(f_hi):
            t_lo, t_hi = -math.log(hi), -math.log(lo)
            roots.append(shrink(in_t, t_lo, t_hi, tol=tol, maxiter=maxiter, start=start))
    return sorted(set(roots))


def level_log_growth(
    first: float,
    run: float,
    last: float,
    m: int,
    *,
    guess: float | None,
    tol: float = 1e-15,
    maxiter: int = 200,
) -> float:
    """``y = ln(1 + r)`` of the annuity runs (see the module), the root nearest `guess`.

    Raises
    ------
    NoSolutionError
        No root above −100 % (or beyond rates of 1e300 a period), or several and no guess.

    Examples
    --------
    >>> round(math.expm1(level_log_growth(-100.0, 60.0, 60.0, 1, guess=None)), 12)
    0.130662386292
    """
    while m and not first:  # a zero first flow: P(x)/x, the same roots
        first, m = run, m - 1
    while m and not last:  # a zero last flow: a lower degree, the same roots
        last, m = run, m - 1
    check_flows([first, run, last] if m else [first, last])
    start = abs(math.log1p(guess if guess is not None else 0.1))  # |ln(1 + r)| of the guess
    above = _unit_roots(first, run, last, m, closed=True, start=start, tol=tol, maxiter=maxiter)
    below = _unit_roots(last, run, first, m, closed=False, start=start, tol=tol, maxiter=maxiter)
    return choose_root(sorted([-t for t in below] + above), guess)


def level_npv(first: Decimal, run: Decimal, last: Decimal, m: int) -> Evaluator:
    """``r ↦ (NPV, dNPV/dr)`` of the runs in Decimal, as ``periodic_npv`` of the flows."""
    n = m + 1

    def evaluate(rate: Decimal) -> tuple[Decimal, Decimal]:
        with decimal.localcontext(check_context(rate)) as ctx:
            # a dozen more digits than the check's: the powers can dwarf the NPV (a root near
            # -88 % over 27 periods discounts by 10^25), and there are only O(log n) operations
            ctx.prec += _GUARD_DIGITS
            x = 1 / one_plus(rate)
            s, t, power = sums(x, m)
            value = first + run * x * s + last * power * x
            slope = run * (s + t) + n * last * power
            return +value, -slope * x * x

    return evaluate
