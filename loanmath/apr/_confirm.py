"""Decimal confirmation of a float root: Newton steps in Decimal, then a checked NPV.

The float solver finds the rate; this module re-evaluates the NPV in the library's decimal
context, takes Newton steps there until one is below 1e-12 of the rate (so the result no
longer depends on the last bits of a platform's float library), checks that
``|NPV| ≤ tol · Σ|aₖ|`` at the returned rate, and rounds it to :data:`DIGITS` significant
digits — more when the rate is near −100 %, so that ``1 + rate`` keeps :data:`DIGITS` digits
too, and more again if the rounded rate would fail the check. The check is made at the rate
returned. A rate that fails it raises :class:`~loanmath.errors.NoSolutionError`; it is never
returned.

Extended precision: the float search is given the flows scaled by a power of ten (and their
logarithms) when float64 cannot hold them (``±1e400``), and returns ``ln(1 + r)`` rather than
``r`` (:func:`confirm_growth`), so a root such as ``−1 + 1.7e−14`` reaches the Decimal
confirmation with all its digits; the Decimal work runs with as many more digits as
``1 + r`` has leading zeros.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

from loanmath._decimal import CONTEXT, D
from loanmath.errors import InvalidInputError, NoSolutionError

__all__ = [
    "DIGITS",
    "TOL",
    "check_context",
    "confirm",
    "confirm_growth",
    "extra_digits",
    "one_plus",
    "periodic_npv",
    "timed_npv",
    "to_decimals",
    "to_floats",
    "to_logs",
]

#: Significant digits of a returned rate.
DIGITS = 20
#: Default relative tolerance of the NPV check: |NPV| <= TOL * sum(|a_k|).
TOL = Decimal("1e-12")

_CHECK = CONTEXT.copy()
_CHECK.prec = 34
_WIDE = decimal.Context(prec=40, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[])

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


#: Flows within these decimal exponents are converted to float as they are.
_FLOAT_SAFE = 300


def _exponents(amounts: Sequence[Decimal]) -> tuple[int, int]:
    sizes = [a.adjusted() for a in amounts if a]
    return (min(sizes), max(sizes)) if sizes else (0, 0)


def to_floats(amounts: Sequence[Decimal]) -> list[float]:
    """The flows as floats for the search (the result is confirmed in Decimal); flows beyond
    float range are all scaled by one power of ten (which moves no root)."""
    low, high = _exponents(amounts)
    if low > -_FLOAT_SAFE and high < _FLOAT_SAFE:
        return [float(a) for a in amounts]
    return [float(a.scaleb(-high, _WIDE)) for a in amounts]


def to_logs(amounts: Sequence[Decimal]) -> list[float] | None:
    """``ln|aₖ|`` of each flow (0 for a zero flow) when :func:`to_floats` cannot hold every
    flow's size (the log-space search then uses them); None when it can."""
    low, high = _exponents(amounts)
    if low > -_FLOAT_SAFE and high < _FLOAT_SAFE:
        return None
    with decimal.localcontext(_WIDE) as ctx:
        ctx.prec = 20
        return [float(a.copy_abs().ln()) if a else 0.0 for a in amounts]


def one_plus(rate: Decimal) -> Decimal:
    """1 + rate, exactly."""
    exponent = int(rate.as_tuple().exponent)
    digits = max(rate.adjusted(), 0) + max(-exponent, 0) + 3
    return decimal.Context(prec=digits, Emax=_WIDE.Emax, Emin=_WIDE.Emin).add(1, rate)


def extra_digits(rate: Decimal) -> int:
    """How many digits of `rate` go to the 9s before ``1 + rate``'s first digit (−0.99998: 4;
    −0.44 or −0.6667: none, their ``1 + rate`` starts where the rate does)."""
    return max(0, rate.adjusted() - one_plus(rate).adjusted()) if rate < 0 else 0


def check_context(rate: Decimal) -> decimal.Context:
    """The context an NPV at `rate` is worked in: 34 digits, plus :func:`extra_digits`."""
    ctx = _CHECK.copy()
    ctx.prec = _CHECK.prec + extra_digits(rate)
    return ctx


def periodic_npv(amounts: Sequence[Decimal]) -> Evaluator:
    """``r ↦ (NPV, dNPV/dr)`` for flows at periods 0, 1, 2, … (Horner in ``x = 1/(1+r)``)."""
    reversed_amounts = list(reversed(amounts))

    def evaluate(rate: Decimal) -> tuple[Decimal, Decimal]:
        with decimal.localcontext(check_context(rate)):
            x = 1 / one_plus(rate)
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
        with decimal.localcontext(check_context(rate)):
            growth = one_plus(rate)
            log_growth = growth.ln()
            roots = {q: (-log_growth / q).exp() for q in denominators}
            value = slope = Decimal(0)
            for a, t in pairs:
                term = a * roots[t.denominator] ** t.numerator
                value += term
                slope -= term * Decimal(t.numerator) / Decimal(t.denominator)
            return +value, slope / growth

    return evaluate


def confirm(
    rate: float, evaluate: Evaluator, amounts: Sequence[Decimal], *, tol: Decimal = TOL
) -> Decimal:
    """Polish `rate` by Newton steps in Decimal, round it, check the NPV at the rounded rate.

    Returns
    -------
    Decimal
        :data:`DIGITS` significant digits, plus one per leading 9 of a rate near −100 %
        (so ``1 + rate`` keeps :data:`DIGITS` digits), or all the working digits if the
        shorter rate would fail the check, or 12 more after up to three more Newton steps
        (:data:`_MORE_STEPS`) where no rate of the working digits passes it.

    Raises
    ------
    NoSolutionError
        If the NPV at the rate returned would exceed ``tol · Σ|aₖ|``.
    """
    return _confirmed(Decimal(repr(rate)), evaluate, amounts, tol)


def confirm_growth(
    log_growth: float, evaluate: Evaluator, amounts: Sequence[Decimal], *, tol: Decimal = TOL
) -> Decimal:
    """:func:`confirm` from ``y = ln(1 + rate)`` (the solvers' ``*_log_growth``): the start
    ``e^y − 1`` is formed in Decimal, so a rate near −100 % keeps every digit of ``1 + rate``.
    """
    with decimal.localcontext(_WIDE) as ctx:
        growth = Decimal(log_growth).exp()
        ctx.prec += max(0, -growth.adjusted())
        start = growth - 1
    return _confirmed(start, evaluate, amounts, tol)


#: Newton steps in Decimal at most, and the relative size of a step after which the next
#: (about its square) could no longer move the digits returned. Where the NPV is flat (a root
#: of 10^14 a period) the float search may stop 2 % away, and Newton needs a few more steps.
_POLISH_STEPS = 60
_SETTLED = Decimal("1e-12")


def _polished(start: Decimal, evaluate: Evaluator) -> Decimal:
    """Newton steps in Decimal from the float search's `start` until a step is below
    :data:`_SETTLED` of the rate (and of ``1 + rate``). From a float root one step settles;
    a start the float search left coarse (a root of 262,143 per period, where float's
    ``ln(1 + r)`` carries an error of 1e−15 × 12) takes a second, so the 20 digits returned
    are the root's, not the first step's. The NPV check alone cannot see such an error: at
    these rates every discounted flow but the first is tiny beside ``tol · Σ|aₖ|``."""
    polished = start
    for _ in range(_POLISH_STEPS):
        value, slope = evaluate(polished)
        if not slope:
            break
        with decimal.localcontext(check_context(polished)):  # never the caller's context
            candidate = polished - value / slope
            if not candidate > -1:
                break
            step = abs(candidate - polished)
            size = min(abs(candidate), one_plus(candidate))
            polished = candidate
            if step <= _SETTLED * size:
                break
    return polished


#: Newton steps beyond the settled one, taken only when the NPV check fails, each worked with
#: :data:`_WIDER` more digits and checked at all of them: where the discounted flows are far
#: larger than the flows (a root near −88 % over 27 periods discounts by 10^25) no 34-digit
#: rate brings the NPV within the tolerance, and the root needs more digits to be shown.
_MORE_STEPS = 3
_WIDER = 12


def _confirmed(
    start: Decimal, evaluate: Evaluator, amounts: Sequence[Decimal], tol: Decimal
) -> Decimal:
    polished = _polished(start, evaluate)
    with decimal.localcontext(check_context(polished)):  # never the caller's context
        scale = sum((abs(a) for a in amounts), Decimal(0))
        limit = tol * scale
    check = Decimal(0)
    for more in range(_MORE_STEPS + 1):
        if more:
            value, slope = evaluate(polished)
            if not slope:
                break
            with decimal.localcontext(check_context(polished)) as wide:
                wide.prec += _WIDER
                candidate = polished - value / slope
            if not candidate > -1 or candidate == polished:
                break
            polished = candidate
        working = check_context(polished).prec
        shown = (DIGITS + extra_digits(polished), working) if not more else (working + _WIDER,)
        for digits in shown:
            with decimal.localcontext(CONTEXT) as rounding:
                rounding.prec = digits
                rate = +polished
            check, _ = evaluate(rate)
            if abs(check) <= limit:
                return rate
    raise NoSolutionError(
        f"the rate {polished} found by the solver leaves an NPV of {check:.3E}, more than "
        f"the tolerance {tol} x {scale}; the flows may be ill-conditioned"
    )
