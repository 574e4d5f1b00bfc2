"""The annuity functions of the spreadsheets: PMT, IPMT, PPMT, PV, FV, NPER, RATE, CUMIPMT,
CUMPRINC, in Decimal, exact at any term (see :mod:`loanmath.tvm`)."""

from __future__ import annotations

import decimal
from decimal import Decimal

from loanmath._annuity import (
    Powers,
    Terms,
    check_rate,
    cumulative_interest,
    cumulative_principal,
    ipmt_exact,
    one_plus,
    pmt_exact,
    pmt_terms,
    settle,
)
from loanmath._decimal import CONTEXT, D, context_free
from loanmath.apr.roots import annuity_rate
from loanmath.errors import InvalidInputError
from loanmath.tvm._args import (
    Number,
    count_arg,
    growth,
    rate_arg,
    result_of,
    when_arg,
)

__all__ = ["cumipmt", "cumprinc", "fv", "ipmt", "nper", "pmt", "ppmt", "pv", "rate"]


@context_free
def pmt(rate: Number, nper: Number, pv: Number, fv: Number = 0, when: object = "end") -> Decimal:
    """The level payment per period (PMT).

    Notes
    -----
    ``pmt = −r·(fv + pv·(1+r)ⁿ) / ((1 + r·w)·((1+r)ⁿ − 1))``, or ``−(pv + fv)/n`` at r = 0.
    Computed as ``−r·((pv + fv) + pv·E(n)) / ((1 + r·w)·E(n))`` with ``E(m) = (1+r)ᵐ − 1``
    evaluated without cancellation; the result is within ``10⁻²⁷ × |exact|`` of the exact
    value for integer `nper` (see :func:`ipmt` for the promise and how it is kept).

    Examples
    --------
    >>> pmt(0.08 / 12, 10, 10000)  # Excel help: ($1,037.03)
    Decimal('-1037.032089359152177521907158')
    >>> pmt(0, 60, 15000)
    Decimal('-250')
    """
    r, n, p, f, w = (
        rate_arg(rate),
        count_arg(nper, "nper"),
        D(pv, "pv"),
        D(fv, "fv"),
        when_arg(when),
    )
    if n == 0:
        raise InvalidInputError("nper", n, "must not be 0 (#NUM! in a sheet)")
    check_rate(r)
    if r == 0:
        with decimal.localcontext(CONTEXT):
            return result_of(-(p + f) / n)
    return settle(lambda prec: pmt_terms(Powers(r, n, prec), p, f, w), pmt_exact(r, n, p, f, w))


@context_free
def fv(rate: Number, nper: Number, pmt: Number, pv: Number = 0, when: object = "end") -> Decimal:
    """The future value (FV).

    Notes
    -----
    ``fv = −(pv·(1+r)ⁿ + pmt·(1 + r·w)·((1+r)ⁿ − 1)/r)`` (``w = 1`` for payments in advance),
    or ``−(pv + pmt·n)`` at r = 0: the annuity equation
    ``pv·(1+r)ⁿ + pmt·(1 + r·w)·((1+r)ⁿ − 1)/r + fv = 0`` solved for `fv`; a rate at or below −1
    raises (#NUM!). Source: Microsoft Excel FV function (the equation is stated on the PV page).

    Examples
    --------
    >>> fv(0.06 / 12, 10, -200, -500, 1)  # Excel help: $2,581.40
    Decimal('2581.403374060179153725006836')
    """
    r, n, a, p, w = (
        rate_arg(rate),
        count_arg(nper, "nper"),
        D(pmt, "pmt"),
        D(pv, "pv"),
        when_arg(when),
    )
    with decimal.localcontext(CONTEXT):
        if r == 0:
            return result_of(-(p + a * n))
        g = growth(r, n)
        return result_of(-(p * g + a * (1 + r * w) * (g - 1) / r))


@context_free
def pv(rate: Number, nper: Number, pmt: Number, fv: Number = 0, when: object = "end") -> Decimal:
    """The present value (PV).

    Notes
    -----
    ``pv = −(fv + pmt·(1 + r·w)·((1+r)ⁿ − 1)/r) / (1+r)ⁿ`` (``w = 1`` in advance), or
    ``−(fv + pmt·n)`` at r = 0: the annuity equation of Microsoft Excel's PV function page,
    ``pv·(1+r)ⁿ + pmt·(1 + r·w)·((1+r)ⁿ − 1)/r + fv = 0``, solved for `pv`; a rate at or below −1
    raises (#NUM!).

    Examples
    --------
    >>> pv(0.08 / 12, 12 * 20, 500)  # Excel help: ($59,777.15)
    Decimal('-59777.14585118802003771398990')
    """
    r, n, a, f, w = (
        rate_arg(rate),
        count_arg(nper, "nper"),
        D(pmt, "pmt"),
        D(fv, "fv"),
        when_arg(when),
    )
    with decimal.localcontext(CONTEXT):
        if r == 0:
            return result_of(-(f + a * n))
        g = growth(r, n)
        return result_of(-(f + a * (1 + r * w) * (g - 1) / r) / g)


@context_free
def nper(rate: Number, pmt: Number, pv: Number, fv: Number = 0, when: object = "end") -> Decimal:
    """The number of periods (NPER).

    Raises
    ------
    InvalidInputError
        When no number of periods reaches `fv` (#NUM! in a sheet), or ``pmt = 0`` at a zero
        rate (#DIV/0!).

    Notes
    -----
    The same annuity equation solved for ``n``: with ``z = pmt·(1 + r·w)``,
    ``n = ln((z − fv·r) / (z + pv·r)) / ln(1 + r)``, or ``−(pv + fv)/pmt`` at r = 0; a ratio that
    is not positive has no answer (#NUM!). Source: Microsoft Excel NPER function (equation on
    the PV page).

    Examples
    --------
    >>> nper(0.12 / 12, -100, -1000, 10000, 1)  # Excel help: 60
    Decimal('59.67386567429462558750359043')
    """
    r, a, p, f, w = rate_arg(rate), D(pmt, "pmt"), D(pv, "pv"), D(fv, "fv"), when_arg(when)
    if r <= -1:
        raise InvalidInputError("rate", r, "must be above -1 (-100 %) for a number of periods")
    with decimal.localcontext(CONTEXT):
        if r == 0:
            if a == 0:
                raise InvalidInputError("pmt", a, "must not be 0 at a zero rate (#DIV/0!)")
            return result_of(-(p + f) / a)
        z = a * (1 + r * w)
        numerator, denominator = z - f * r, z + p * r
        if denominator == 0 or numerator / denominator <= 0 or 1 + r <= 0:
            raise InvalidInputError(
                "pmt", a, "no number of periods reaches fv with these values (#NUM!)"
            )
        return result_of((numerator / denominator).ln() / (1 + r).ln())


def _check_period(per: Decimal, n: Decimal) -> None:
    if not 1 <= per <= n:
        raise InvalidInputError("per", per, f"must be between 1 and nper ({n}) (#NUM!)")


@context_free
def ipmt(
    rate: Number, per: Number, nper: Number, pv: Number, fv: Number = 0, when: object = "end"
) -> Decimal:
    """The interest part of payment number `per` (IPMT).

    Parameters
    ----------
    rate : Decimal, int, str or float
        The rate per period (a float is read by its ``str()``), above −1.
    per : number
        The payment, ``1 ≤ per ≤ nper``.
    nper : number
        The number of periods (at most :data:`MAX_PERIODS`).
    pv, fv : Decimal, int or str
        Present and future value (money: floats refused).
    when : {"end", 0, "begin", 1}
        Payments at the end (default) or the beginning of each period.

    Returns
    -------
    Decimal
        28 significant digits, numpy-financial's sign convention (money paid out negative).

    Raises
    ------
    InvalidInputError
        `per` outside ``1 … nper``, `nper` zero, `rate` at or below −1, `when` unknown.
    FloatMoneyError
        `pv` or `fv` given as a float.

    Notes
    -----
    ``ipmt = FV(r, per − 1, pmt, pv, w) · r``, divided by ``1 + r`` for payments in advance
    after the first (whose interest is 0). With ``G(m) = (1+r)ᵐ``, ``E(m) = G(m) − 1`` and
    ``k = per`` that is

        ``ipmt = −r · (pv·G(k−1)·E(n−k+1) − fv·E(k−1)) / E(n)``  (÷ (1 + r) in advance),

    the form without the difference of two numbers of size ``(1+r)ⁿ`` that makes the
    textbook form (and numpy-financial) lose every digit once ``(1+r)ⁿ`` exceeds the working
    precision (``ipmt(0.3, 480, 480, 1000)`` is −69.2307…, not −3E+7).

    Precision promise: for whole `per` and `nper` the result is within ``10⁻²⁷ × |exact|``
    of the exact rational value (27 significant digits, at any term up to
    :data:`MAX_PERIODS`, any rate above −1), and is 0 exactly when the exact value is 0.
    Each term is computed with its error bounded relative to its size; when ``pv`` and ``fv``
    terms cancel, the working digits are raised by the digits lost until 32 survive, and past
    1000 digits the exact rational value is taken (refused as an InvalidInputError only when
    that is beyond 20,000 digits). A zero rate gives 0.

    References
    ----------
    Microsoft Excel IPMT; numpy-financial ``ipmt`` (same arguments and signs).

    Examples
    --------
    >>> ipmt(0.1 / 12, 1, 3, 8000)  # Excel help: ($66.67)
    Decimal('-66.66666666666666400000000000')
    >>> ipmt(0.1, 3, 3, 8000)  # Excel help: ($292.45)
    Decimal('-292.4471299093655589123867069')
    >>> ipmt("0.3", 480, 480, 1000)  # the last of 480 payments at 30 % a period
    Decimal('-69.23076923076923076923076923')
    """
    r, k, n, w = rate_arg(rate), count_arg(per, "per"), count_arg(nper, "nper"), when_arg(when)
    _check_period(k, n)
    p, f = D(pv, "pv"), D(fv, "fv")
    check_rate(r)
    if r == 0 or (w == 1 and k == 1):
        return Decimal(0)

    def terms(prec: int) -> Terms:
        pw = Powers(r, n, prec)
        ctx = pw.out
        first = ctx.multiply(ctx.multiply(p, pw.growth(k - 1)), pw.em1(n - k + 1))
        second = ctx.multiply(f, pw.em1(k - 1))
        factor = ctx.divide(
            r.copy_negate(), ctx.multiply(pw.em1(n), one_plus(r) if w else Decimal(1))
        )
        return (
            ctx.multiply(ctx.subtract(first, second), factor),
            ctx.multiply(ctx.add(first.copy_abs(), second.copy_abs()), factor.copy_abs()),
        )

    return settle(terms, ipmt_exact(r, k, n, p, f, w=w))


@context_free
def ppmt(
    rate: Number, per: Number, nper: Number, pv: Number, fv: Number = 0, when: object = "end"
) -> Decimal:
    """The principal part of payment number `per` (PPMT = PMT − IPMT).

    Parameters
    ----------
    rate, per, nper, pv, fv, when
        As for :func:`ipmt`.

    Returns
    -------
    Decimal
        28 significant digits, numpy-financial's sign convention.

    Raises
    ------
    InvalidInputError, FloatMoneyError
        As for :func:`ipmt`.

    Notes
    -----
    ``PMT − IPMT`` simplifies to ``ppmt = −r·G(k−1−w)·(pv + fv) / E(n)`` (``G``, ``E`` as in
    :func:`ipmt`; ``w = 1`` in advance), a product with no difference but ``pv + fv``; the
    first payment in advance is all principal (``ppmt = pmt``). At a zero rate
    ``−(pv + fv)/n``. Same precision promise as :func:`ipmt`: within ``10⁻²⁷ × |exact|``.

    References
    ----------
    Microsoft Excel PPMT; numpy-financial ``ppmt``.

    Examples
    --------
    >>> ppmt(0.1 / 12, 1, 60, 55000)  # numpy-financial's test: -710.25
    Decimal('-710.2541257864217687574191486')
    >>> ppmt("0.05", 5000, 5000, 1000)  # the last of 5000 payments: 1000 × 0.05 / 1.05
    Decimal('-47.61904761904761904761904762')
    """
    r, k, n, w = rate_arg(rate), count_arg(per, "per"), count_arg(nper, "nper"), when_arg(when)
    _check_period(k, n)
    p, f = D(pv, "pv"), D(fv, "fv")
    check_rate(r)
    if r == 0:
        with decimal.localcontext(CONTEXT):
            return result_of(-(p + f) / n)
    if w == 1 and k == 1:
        return pmt(r, n, p, f, w)

    def terms(prec: int) -> Terms:
        pw = Powers(r, n, prec)
        ctx = pw.out
        value = ctx.divide(
            ctx.multiply(ctx.multiply(r.copy_negate(), pw.growth(k - 1 - w)), ctx.add(p, f)),
            pw.em1(n),
        )
        return value, value.copy_abs()

    return settle(terms, None)


def _cumulative(
    rate: Number,
    nper: Number,
    pv: Number,
    start_period: Number,
    end_period: Number,
    when: object,
    part: str,
) -> Decimal:
    r = rate_arg(rate)
    n = Decimal(int(count_arg(nper, "nper")))
    p = D(pv, "pv")
    start, end = (
        int(count_arg(start_period, "start_period")),
        int(count_arg(end_period, "end_period")),
    )
    if when not in (0, 1, "end", "begin"):
        raise InvalidInputError("when", when, "must be 0 or 1 (#NUM!)")
    for field, value in (("rate", r), ("nper", n), ("pv", p)):
        if value <= 0:
            raise InvalidInputError(field, value, "must be > 0 (#NUM!)")
    if not 1 <= start <= end <= n:
        raise InvalidInputError(
            "start_period",
            start,
            f"need 1 <= start_period <= end_period ({end}) <= nper ({n}) (#NUM!)",
        )
    w = when_arg(when)
    pw_terms = cumulative_interest if part == "interest" else cumulative_principal
    return settle(lambda prec: pw_terms(Powers(r, n, prec), p, start, end, w), None)


@context_free
def cumipmt(
    rate: Number, nper: Number, pv: Number, start_period: Number, end_period: Number, when: object
) -> Decimal:
    """Cumulative interest paid between two periods (CUMIPMT); all arguments required.

    Notes
    -----
    ``Σₖ₌ₛᵉ IPMT(r, k, n, pv, 0, w)``, in closed form ``−r·pv·(c·G(n) − G(s−1)·E(c)/r) / E(n)``
    with ``c = e − s + 1``, ``G(m) = (1+r)ᵐ``, ``E(m) = G(m) − 1`` (in advance: from
    ``max(s, 2)``, then ÷ (1 + r)); within ``10⁻²⁷ × |exact|`` as :func:`ipmt`. `nper` and the
    periods are truncated to integers; rate, nper or pv ≤ 0, or not ``1 ≤ s ≤ e ≤ n``, raises
    (#NUM!). Source: Microsoft Excel CUMIPMT function; docs/rates.md ("Precision at any term").

    Examples
    --------
    >>> cumipmt(0.09 / 12, 30 * 12, 125000, 13, 24, 0)  # Excel help: -11135.23213
    Decimal('-11135.23213075084268837751014')
    """
    return _cumulative(rate, nper, pv, start_period, end_period, when, "interest")


@context_free
def cumprinc(
    rate: Number, nper: Number, pv: Number, start_period: Number, end_period: Number, when: object
) -> Decimal:
    """Cumulative principal paid between two periods (CUMPRINC); all arguments required.

    Notes
    -----
    ``Σₖ₌ₛᵉ PPMT(r, k, n, pv, 0, w) = −pv·G(s−1−w)·E(c) / E(n)`` (``G``, ``E``, ``c`` as in
    :func:`cumipmt`), plus the first payment in advance, all principal, when ``s = 1``; within
    ``10⁻²⁷ × |exact|``. Arguments truncated and checked as for :func:`cumipmt` (#NUM!).
    Source: Microsoft Excel CUMPRINC function; docs/rates.md ("Precision at any term").

    Examples
    --------
    >>> cumprinc(0.09 / 12, 30 * 12, 125000, 13, 24, 0)  # Excel help: -934.1071234
    Decimal('-934.1071234208983143431748475')
    """
    return _cumulative(rate, nper, pv, start_period, end_period, when, "principal")


@context_free
def rate(
    nper: Number,
    pmt: Number,
    pv: Number,
    fv: Number = 0,
    when: object = "end",
    guess: Number | None = None,
) -> Decimal:
    """The periodic rate of an annuity (RATE); the root nearest `guess` (default 0.1).

    `nper` must be a whole number of periods here (a fractional nper has no cash-flow
    meaning; spreadsheets accept it).

    Notes
    -----
    ``r`` solving ``pv·(1+r)ⁿ + pmt·(1 + r·w)·((1+r)ⁿ − 1)/r + fv = 0``, as the flows ``pv`` at
    period 0, ``pmt`` at periods ``1 … n`` (``0 … n − 1`` in advance) and ``fv`` at ``n`` with
    zero NPV; solved by :func:`loanmath.apr.roots.annuity_rate` (bracketed, O(log n) per
    evaluation, confirmed in Decimal, 20 significant digits), no root raising
    NoSolutionError (#NUM!). Source: Microsoft Excel RATE function; docs/rates.md.

    Examples
    --------
    >>> rate(4 * 12, -200, 8000)  # Excel help: 0.77 % a month
    Decimal('0.0077014724882020438160')
    """
    n = count_arg(nper, "nper")
    if n != n.to_integral_value() or n < 1:
        raise InvalidInputError("nper", n, "must be a whole number of periods >= 1")
    a, p, f, w = D(pmt, "pmt"), D(pv, "pv"), D(fv, "fv"), when_arg(when)
    start = float(rate_arg(guess if guess is not None else "0.1", "guess"))
    return annuity_rate(int(n), a, p, f, begin=bool(w), guess=start)
