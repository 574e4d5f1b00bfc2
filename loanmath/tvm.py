"""Spreadsheet-compatible time-value-of-money functions, in Decimal.

Same names, arguments, sign conventions and meaning as the spreadsheet functions (Excel,
LibreOffice Calc, Google Sheets): money paid out is negative, money received positive;
``when`` is ``"end"``/``0`` (payments at the end of each period, the default) or
``"begin"``/``1``. Where a spreadsheet returns an error value (``#NUM!``, ``#VALUE!``,
``#DIV/0!``) these functions raise the library's error with the reason.

Rates may be given as ``float`` (converted with ``str()``, so ``0.08/12`` means the decimal
``0.006666666666666667``); money amounts may not. Results are ``Decimal`` computed in the
library's 50-digit context and rounded to 28 significant digits — far inside the 1e-12
relative accuracy auditors reconcile to.

Where spreadsheets are wrong: Excel's RATE and IRR stop after 20 Newton iterations and return
``#NUM!`` for solvable problems (high-rate payday flows, long terms with a poor guess); these
functions bracket the root and always find it when it exists (``tests/test_tvm.py`` pins such
a case).
"""

from __future__ import annotations

import datetime as _dt
import decimal
from collections.abc import Sequence
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
from loanmath._checks import check_date
from loanmath._decimal import CONTEXT, D, context_free
from loanmath.apr.roots import decimals, periodic_rate, timed_rate, timed_value
from loanmath.daycount import year_fraction_exact
from loanmath.errors import InvalidInputError, NoSolutionError

__all__ = [
    "cumipmt",
    "cumprinc",
    "effect",
    "fv",
    "ipmt",
    "irr",
    "nominal",
    "nper",
    "npv",
    "pmt",
    "ppmt",
    "pv",
    "rate",
    "xirr",
    "xnpv",
]

_RESULT_DIGITS = 28
Number = Decimal | int | str | float


def _rate(value: object, field: str = "rate") -> Decimal:
    """A rate: Decimal, int, str, or float converted with str() (the documented exception)."""
    if isinstance(value, float):
        value = str(value)
    return D(value, field)


#: The most periods a spreadsheet function takes (a century of weekly periods, 4 × 10**5
#: monthly ones would be 33,000 years): beyond it no answer is meaningful or quick.
MAX_PERIODS = 100_000


def _count(value: object, field: str) -> Decimal:
    """A number of periods: like a rate, a float is taken by its str() (12.0, 10.5); at most
    :data:`MAX_PERIODS` either way."""
    count = D(str(value) if isinstance(value, float) else value, field)
    if abs(count) > MAX_PERIODS:
        raise InvalidInputError(field, count, f"must be within ±{MAX_PERIODS} periods")
    return count


def _when(when: object) -> int:
    if not isinstance(when, (str, int)) or isinstance(when, bool):
        raise InvalidInputError("when", when, "must be 'end'/0 or 'begin'/1", "#VALUE! in a sheet")
    if when in ("end", 0):
        return 0
    if when in ("begin", 1):
        return 1
    raise InvalidInputError("when", when, "must be 'end'/0 or 'begin'/1", "#VALUE! in a sheet")


def _result(value: Decimal) -> Decimal:
    with decimal.localcontext(CONTEXT) as ctx:
        ctx.prec = _RESULT_DIGITS
        return +value


def _growth(rate: Decimal, periods: Decimal) -> Decimal:
    """(1 + rate)^periods in the library context (exact-rounded for integer periods)."""
    base = 1 + rate
    if base <= 0:
        raise InvalidInputError("rate", rate, "must be > -1 (#NUM! in a sheet)")
    return base**periods


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
    r, n, p, f, w = _rate(rate), _count(nper, "nper"), D(pv, "pv"), D(fv, "fv"), _when(when)
    if n == 0:
        raise InvalidInputError("nper", n, "must not be 0 (#NUM! in a sheet)")
    check_rate(r)
    if r == 0:
        with decimal.localcontext(CONTEXT):
            return _result(-(p + f) / n)
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
    r, n, a, p, w = _rate(rate), _count(nper, "nper"), D(pmt, "pmt"), D(pv, "pv"), _when(when)
    with decimal.localcontext(CONTEXT):
        if r == 0:
            return _result(-(p + a * n))
        g = _growth(r, n)
        return _result(-(p * g + a * (1 + r * w) * (g - 1) / r))


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
    r, n, a, f, w = _rate(rate), _count(nper, "nper"), D(pmt, "pmt"), D(fv, "fv"), _when(when)
    with decimal.localcontext(CONTEXT):
        if r == 0:
            return _result(-(f + a * n))
        g = _growth(r, n)
        return _result(-(f + a * (1 + r * w) * (g - 1) / r) / g)


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
    r, a, p, f, w = _rate(rate), D(pmt, "pmt"), D(pv, "pv"), D(fv, "fv"), _when(when)
    if r <= -1:
        raise InvalidInputError("rate", r, "must be above -1 (-100 %) for a number of periods")
    with decimal.localcontext(CONTEXT):
        if r == 0:
            if a == 0:
                raise InvalidInputError("pmt", a, "must not be 0 at a zero rate (#DIV/0!)")
            return _result(-(p + f) / a)
        z = a * (1 + r * w)
        numerator, denominator = z - f * r, z + p * r
        if denominator == 0 or numerator / denominator <= 0 or 1 + r <= 0:
            raise InvalidInputError(
                "pmt", a, "no number of periods reaches fv with these values (#NUM!)"
            )
        return _result((numerator / denominator).ln() / (1 + r).ln())


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
    r, k, n, w = _rate(rate), _count(per, "per"), _count(nper, "nper"), _when(when)
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
    r, k, n, w = _rate(rate), _count(per, "per"), _count(nper, "nper"), _when(when)
    _check_period(k, n)
    p, f = D(pv, "pv"), D(fv, "fv")
    check_rate(r)
    if r == 0:
        with decimal.localcontext(CONTEXT):
            return _result(-(p + f) / n)
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
    r = _rate(rate)
    flows = decimals(values, "values")
    with decimal.localcontext(CONTEXT):
        x = 1 / _growth(r, Decimal(1))
        total = Decimal(0)
        for a in reversed(flows):
            total = (total + a) * x
        return _result(total)


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
    start = float(_rate(guess if guess is not None else "0.1", "guess"))
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
    r = _rate(rate)
    if r <= -1:
        raise InvalidInputError("rate", r, "must be > -1 (#NUM!)")
    flows = decimals(values, "values")
    times = _xtimes(flows, dates)
    return _result(timed_value(flows, times, r))


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
    start = float(_rate(guess if guess is not None else "0.1", "guess"))
    return timed_rate(flows, times, guess=start)


def _npery(npery: Number) -> int:
    periods = int(_count(npery, "npery"))  # spreadsheets truncate npery to an integer
    if periods < 1:
        raise InvalidInputError("npery", npery, "must be >= 1 (#NUM!)")
    return periods


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
    r, k = _rate(nominal_rate, "nominal_rate"), _npery(npery)
    if r <= 0:
        raise InvalidInputError("nominal_rate", r, "must be > 0 (#NUM!)")
    with decimal.localcontext(CONTEXT):
        return _result((1 + r / k) ** k - 1)


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
    e, k = _rate(effect_rate, "effect_rate"), _npery(npery)
    if e <= 0:
        raise InvalidInputError("effect_rate", e, "must be > 0 (#NUM!)")
    with decimal.localcontext(CONTEXT):
        return _result(k * ((1 + e) ** (Decimal(1) / k) - 1))


def _cumulative(
    rate: Number,
    nper: Number,
    pv: Number,
    start_period: Number,
    end_period: Number,
    when: object,
    part: str,
) -> Decimal:
    r = _rate(rate)
    n = Decimal(int(_count(nper, "nper")))
    p = D(pv, "pv")
    start, end = int(_count(start_period, "start_period")), int(_count(end_period, "end_period"))
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
    w = _when(when)
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
    zero NPV; solved by :func:`loanmath.apr.roots.periodic_rate` (bracketed, confirmed in
    Decimal, 20 significant digits), no root raising NoSolutionError (#NUM!). Source:
    Microsoft Excel RATE function; docs/rates.md.

    Examples
    --------
    >>> rate(4 * 12, -200, 8000)  # Excel help: 0.77 % a month
    Decimal('0.0077014724882020438160')
    """
    n = _count(nper, "nper")
    if n != n.to_integral_value() or n < 1:
        raise InvalidInputError("nper", n, "must be a whole number of periods >= 1")
    count, a, p, f, w = int(n), D(pmt, "pmt"), D(pv, "pv"), D(fv, "fv"), _when(when)
    flows = [Decimal(0)] * (count + 1)
    flows[0] += p
    for k in range(count):
        flows[k if w else k + 1] += a
    flows[count] += f
    start = float(_rate(guess if guess is not None else "0.1", "guess"))
    return periodic_rate(flows, guess=start)
