"""IRR-based annualised rates: periodic IRR, nominal (IRR × k), effective, and XIRR.

References
----------
PBoC announcement 〔2021〕第3号: the disclosed 年化利率 is all loan costs over the principal
actually outstanding, annualised; it may be compounded (IRR method) or simple. Lenders show
``monthly IRR × 12`` (:func:`nominal_irr`, the "IRR annualised" 年化利率, also the US nominal
convention) and some ``(1 + IRR)^12 − 1`` (:func:`effective_irr`).
"""

from __future__ import annotations

import datetime as _dt
import decimal
from collections.abc import Sequence
from decimal import Decimal

from loanmath._checks import check_int
from loanmath._decimal import CONTEXT, context_free
from loanmath.apr._fast import kernel_irr, kernel_xirr
from loanmath.apr.roots import TOL, dated_rate, decimals, periodic_rate
from loanmath.daycount import get_convention, year_fraction_exact

__all__ = ["effective_irr", "irr", "nominal_irr", "xirr"]


def irr(
    amounts: Sequence[Decimal | int | str],
    *,
    guess: Decimal | str | float | None = None,
    tol: Decimal = TOL,
    maxiter: int = 200,
) -> Decimal:
    """The periodic internal rate of return: ``r`` with ``Σ aₖ (1+r)^−k = 0``, k = 0, 1, 2 …

    Parameters
    ----------
    amounts : sequence of Decimal, int or str
        One flow per period, the first at time 0 (a disbursement negative, repayments
        positive, or the other way round). Floats are refused.
    guess : optional
        Where to start; with several roots (flows that change sign more than once) the root
        nearest the guess is returned.
    tol : Decimal, default 1e-12
        The NPV at the returned rate is at most ``tol × Σ|aₖ|`` (checked in Decimal).
    maxiter : int, default 200

    Returns
    -------
    Decimal
        The periodic rate as a fraction, 20 significant digits.

    Raises
    ------
    NoSolutionError
        Flows all of one sign, no root above −100 %, several roots and no guess, or no
        convergence — never NaN or a last iterate.
    FloatMoneyError, InvalidInputError

    Notes
    -----
    Solved as the polynomial ``Σ aₖ xᵏ`` in ``x = 1/(1+r)`` by safeguarded Newton in float64
    (Horner's rule, identical bits on every IEEE machine), then one Newton step and the NPV
    check in Decimal. With one sign change the root is unique (Descartes' rule of signs).
    Plain decimal amounts with one sign change go through the compiled kernel when it is
    built (``loanmath.apr._kernel``: the same root polished in double-double arithmetic and
    confirmed with an error bound); it gives the same 20 digits as this path.

    Examples
    --------
    >>> irr(["-100", "39", "59", "55", "20"])
    Decimal('0.28094842115996110458')
    >>> irr(["-12000", *["1066.19"] * 12])
    Decimal('0.010000673330247945250')
    """
    if guess is None and tol is TOL and type(maxiter) is int and maxiter == 200:  # compiled
        fast = kernel_irr(amounts)
        if fast is not None:
            return fast
    return _pure_irr(amounts, guess=guess, tol=tol, maxiter=maxiter)


@context_free
def _pure_irr(
    amounts: Sequence[Decimal | int | str],
    *,
    guess: Decimal | str | float | None,
    tol: Decimal,
    maxiter: int,
) -> Decimal:
    """:func:`irr` in Python and Decimal: every case, every error."""
    return periodic_rate(decimals(amounts), guess=guess, tol=tol, maxiter=maxiter)


def _periods(periods_per_year: int) -> int:
    return check_int(periods_per_year, "periods_per_year", minimum=1)


@context_free
def nominal_irr(
    amounts: Sequence[Decimal | int | str], periods_per_year: int, **kwargs: object
) -> Decimal:
    """The nominal annual IRR: ``irr × periods_per_year`` (China's IRR-annualised 年化利率).

    Notes
    -----
    ``nominal = irr × k`` (k = `periods_per_year`), the exact product of :func:`irr`'s
    20-digit periodic rate and k: the monthly IRR × 12 lenders disclose as the 年化利率 by the
    IRR method of PBoC announcement 〔2021〕第3号, and the US nominal convention (rate per
    period × periods a year, as 12 CFR 1026 Appendix J (b)(1)). docs/rates.md.

    Examples
    --------
    >>> nominal_irr(["-12000", *["1066.19"] * 12], 12)
    Decimal('0.120008079962975343000')
    """
    periods = _periods(periods_per_year)
    with decimal.localcontext(CONTEXT):
        return irr(amounts, **kwargs) * periods  # type: ignore[arg-type]


@context_free
def effective_irr(
    amounts: Sequence[Decimal | int | str], periods_per_year: int, **kwargs: object
) -> Decimal:
    """The effective annual IRR: ``(1 + irr)^periods_per_year − 1``.

    Notes
    -----
    ``effective = (1 + irr)^k − 1`` (k = `periods_per_year`), compounded, computed to 20
    significant digits: the compounded annualisation some lenders show for the 年化利率 of
    PBoC announcement 〔2021〕第3号 (module References; docs/rates.md).

    Examples
    --------
    >>> effective_irr(["-12000", *["1066.19"] * 12], 12)
    Decimal('0.1268340447239568426')
    """
    periods = _periods(periods_per_year)
    rate = irr(amounts, **kwargs)  # type: ignore[arg-type]
    with decimal.localcontext(CONTEXT) as ctx:
        ctx.prec = 20
        return (1 + rate) ** periods - 1


def xirr(
    amounts: Sequence[Decimal | int | str],
    dates: Sequence[_dt.date],
    *,
    day_count: str = "ACT/365F",
    guess: Decimal | str | float | None = None,
    tol: Decimal = TOL,
    maxiter: int = 200,
) -> Decimal:
    """The effective annual rate ``r`` with ``Σ aₖ (1+r)^−tₖ = 0``, ``tₖ`` the year fraction
    from the first date to date ``k`` under `day_count`.

    Parameters
    ----------
    amounts : sequence of Decimal, int or str
    dates : sequence of datetime.date
        One per amount; any order (times are measured from the earliest).
    day_count : str, default ``"ACT/365F"``
        As spreadsheets' XIRR (actual days / 365). Any registered convention.
    guess, tol, maxiter
        As for :func:`irr`.

    Returns
    -------
    Decimal
        Effective annual rate, 20 significant digits.

    Raises
    ------
    NoSolutionError, InvalidInputError, DateTypeError

    Notes
    -----
    ``Σ aₖ (1+r)^−tₖ = 0`` with ``tₖ = year_fraction_exact(min(dates), dₖ, day_count)``; the
    default ACT/365F (actual days / 365) is Microsoft Excel's XIRR time. One sign change gives
    one root (Descartes' rule of signs, which holds for exponential sums); with several, the root
    nearest `guess`, or NoSolutionError listing them. Search in ``y = ln(1+r)`` in float64, then
    Newton and the ``|NPV| ≤ tol·Σ|aₖ|`` check in Decimal (docs/rates.md).

    Examples
    --------
    >>> import datetime as dt
    >>> xirr(["-10000", "2750", "4250", "3250", "2750"],
    ...      [dt.date(2008, 1, 1), dt.date(2008, 3, 1), dt.date(2008, 10, 30),
    ...       dt.date(2009, 2, 15), dt.date(2009, 4, 1)])
    Decimal('0.37336253351883151031')
    """
    # `is` and a str test first: an array compared with == would answer an array, not a bool
    common = type(day_count) is str and day_count == "ACT/365F" and guess is None
    if common and tol is TOL and type(maxiter) is int and maxiter == 200:
        fast = kernel_xirr(amounts, dates)  # the common case, compiled
        if fast is not None:
            return fast
    return _pure_xirr(amounts, dates, day_count=day_count, guess=guess, tol=tol, maxiter=maxiter)


@context_free
def _pure_xirr(
    amounts: Sequence[Decimal | int | str],
    dates: Sequence[_dt.date],
    *,
    day_count: str,
    guess: Decimal | str | float | None,
    tol: Decimal,
    maxiter: int,
) -> Decimal:
    """:func:`xirr` in Python and Decimal: every convention, every case, every error."""
    rule = get_convention(day_count, "day_count")
    return dated_rate(
        amounts,
        dates,
        lambda first, day: year_fraction_exact(first, day, rule),
        guess=guess,
        tol=tol,
        maxiter=maxiter,
    )
