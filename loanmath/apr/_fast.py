"""The optional compiled kernel (``loanmath.apr._kernel``) and its pure-Python stand-in.

The kernel solves and confirms the common case — one sign change, plain decimal amounts —
and returns the rate as a double-double pair, or None; None (or no kernel at all: an install
without a C compiler, or ``LOANMATH_PURE=1`` in the environment) sends the call down the pure
path, which gives the same 20 significant digits and raises the errors. The tests run both
paths on the same flows and hold them equal.
"""

from __future__ import annotations

import decimal
import importlib
import os
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from types import ModuleType

from loanmath._decimal import CONTEXT
from loanmath.apr._confirm import extra_digits

__all__ = [
    "KERNEL",
    "kernel_general",
    "kernel_irr",
    "kernel_split",
    "kernel_xirr",
    "listed",
    "time_parts",
    "to_rate",
]


def _load() -> ModuleType | None:
    if os.environ.get("LOANMATH_PURE"):
        return None
    try:
        return importlib.import_module("loanmath.apr._kernel")
    except ImportError:  # built without a compiler: the pure path does everything
        return None


#: The compiled kernel, or None.
KERNEL: ModuleType | None = _load()

_SUM = CONTEXT.copy()
_SUM.prec = 60
_ROUND = CONTEXT.copy()
_ROUND.prec = 20
#: Below this size a rate is left to the pure path.
_TINY = Decimal("1e-9")
#: Above this a rate is left to the pure path too.
_HUGE = Decimal(10)
#: Digits the kernel's 28 carry beyond the 20 kept (a negative rate keeps more).
_SPARE = 6
#: The pure path's default NPV tolerance (loanmath.apr._confirm.TOL), as the kernel takes it.
_TOL = 1e-12


def to_rate(pair: tuple[float, float], digits: int = 20) -> Decimal:
    """The exact sum of a double-double, rounded once to `digits` significant digits.

    Examples
    --------
    >>> to_rate((0.1, -5.551115123125783e-18))  # 0.1 as a float, less its binary error
    Decimal('0.10000000000000000000')
    """
    exact = _SUM.add(Decimal.from_float(pair[0]), Decimal.from_float(pair[1]))  # exact, no trap
    context = _ROUND if digits == 20 else decimal.Context(prec=digits, rounding=_ROUND.rounding)
    return context.plus(exact)


def kernel_irr(amounts: Sequence[object]) -> Decimal | None:
    """The periodic IRR by the kernel (20 significant digits), or None for the pure path.

    The kernel confirms ``|NPV| ≤ TOL/2 · Σ|aₖ|`` (half the pure path's tolerance, so it
    never accepts what the pure path would refuse). It reads no decimal context.

    Examples
    --------
    >>> rate = kernel_irr(["-100", "110"])
    >>> rate is None or rate == Decimal("0.1")
    True
    """
    if KERNEL is None or not listed(amounts):
        return None
    return _finish(KERNEL.periodic_irr(amounts, _TOL))


def kernel_xirr(amounts: Sequence[object], dates: Sequence[object]) -> Decimal | None:
    """XIRR on ACT/365F times by the kernel (as :func:`loanmath.apr.xirr`), or None.

    Examples
    --------
    >>> import datetime as dt
    >>> rate = kernel_xirr(["-100", "110"], [dt.date(2023, 1, 1), dt.date(2024, 1, 1)])
    >>> rate is None or rate == Decimal("0.1")
    True
    """
    if KERNEL is None or not listed(amounts, dates):
        return None
    return _finish(KERNEL.timed_irr(amounts, dates, _TOL))


def kernel_split(
    amounts: Sequence[object], parts: Sequence[tuple[int, int, int]], per_year: int
) -> Decimal | None:
    """The effective rate for times ``whole/per_year + days/year_days`` (the EU APRC's count),
    by the kernel, or None.

    Examples
    --------
    >>> rate = kernel_split(["-1000", "1100"], [(0, 0, 365), (12, 0, 365)], 12)
    >>> rate is None or rate == Decimal("0.1")
    True
    """
    if KERNEL is None or not listed(amounts):
        return None
    found = KERNEL.split_irr(
        amounts,
        [w for w, _, _ in parts],
        [d for _, d, _ in parts],
        [y for _, _, y in parts],
        per_year,
        _TOL,
    )
    return _finish(found)


def time_parts(times: Sequence[Fraction]) -> tuple[tuple[int, ...], ...]:
    """Positions ``t`` (≥ 0) as the kernel takes them: whole parts, and each fraction's
    numerator and denominator.

    Examples
    --------
    >>> time_parts([Fraction(0), Fraction(49, 30)])
    ((0, 1), (0, 19), (1, 30))
    """
    split = [divmod(t.numerator, t.denominator) for t in times]  # t ≥ 0: floor is int(t)
    return (
        tuple(w for w, _ in split),
        tuple(r for _, r in split),
        tuple(t.denominator for t in times),
    )


def kernel_general(
    amounts: Sequence[object],
    times: Sequence[Fraction],
    parts: tuple[tuple[int, ...], ...] | None = None,
) -> Decimal | None:
    """The unit-period rate of Regulation Z Appendix J's equation by the kernel, or None.

    `amounts` are the advances (negative) and payments (positive), `times` their positions
    in unit-periods (whole ``t`` plus fraction ``f``, discounted by ``(1 + f·i)(1 + i)^t``);
    `parts` is :func:`time_parts` of `times`, when the caller has it already.

    Examples
    --------
    >>> from fractions import Fraction
    >>> rate = kernel_general(["-1000", "1100"], [Fraction(0), Fraction(1)])
    >>> rate is None or rate == Decimal("0.1")
    True
    """
    if KERNEL is None or not listed(amounts):
        return None
    wholes, nums, dens = time_parts(times) if parts is None else parts
    return _finish(KERNEL.general_irr(amounts, wholes, nums, dens, _TOL))


def listed(*given: object) -> bool:
    """Only lists and tuples go to the kernel: it must not consume an iterator the pure path
    would then find empty, nor accept what the pure path refuses (a generator, a str)."""
    return all(type(g) in (list, tuple) for g in given)


def _finish(found: str | tuple[float, float] | None) -> Decimal | None:
    """The kernel's answer rounded as the pure path rounds it (20 digits; more for a negative
    rate, so that ``1 + rate`` keeps 20), or None."""
    if found is None:
        return None
    # 28 digits of the double-double as text (or the pair itself), rounded here once
    rate = _SUM.create_decimal(found) if isinstance(found, str) else to_rate(found, digits=60)
    if rate.copy_abs() < _TINY or rate > _HUGE:  # near zero, or beyond 1,000 % a period: the pure
        return None  # path's own polishing sets the last digits there (issue 13's note)
    if rate > 0:
        return _ROUND.plus(rate)
    extra = extra_digits(rate)  # the pure path keeps 20 digits of 1 + rate, not of rate
    if extra > _SPARE:
        return None
    return decimal.Context(prec=20 + extra, rounding=_ROUND.rounding).plus(rate)
