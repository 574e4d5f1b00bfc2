"""Batch APR over numpy arrays: regular loans by closed form, any cash flows by matrix.

For pricing grids and portfolio checks: float64 throughout, vectorised safeguarded Newton.
Every row either converges (its NPV checked to a stated relative tolerance in float64) or is
reported — :class:`~loanmath.errors.NoSolutionError` naming the rows, or, with
``errors="mask"``, a masked array whose mask marks them. Never a silent NaN. The exact Decimal
path (:func:`loanmath.apr.irr`) confirms any row on demand.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from loanmath._checks import check_name
from loanmath.errors import InvalidInputError, NoSolutionError

__all__ = ["cash_flow_rates", "regular_rates"]

FloatArray = npt.NDArray[np.float64]
_ERRORS = ("raise", "mask")
#: Relative NPV tolerance the batch iterations aim at; a row is accepted within ten times it
#: (1e-8), which leaves room for the float error of the final evaluation.
BATCH_TOL = 1e-9


def _finish(
    rate: FloatArray, failed: npt.NDArray[np.bool_], errors: str, what: str
) -> FloatArray | np.ma.MaskedArray:
    if errors == "mask":
        return np.ma.masked_array(np.where(failed, 0.0, rate), mask=failed)
    if not failed.any():
        return rate
    rows = np.flatnonzero(failed)
    shown = ", ".join(str(int(i)) for i in rows[:20])
    more = f" and {rows.size - 20} more" if rows.size > 20 else ""
    raise NoSolutionError(
        f"no {what} for {rows.size} row(s): {shown}{more}; pass errors='mask' to get the "
        "others with these rows masked"
    )


def _check_errors(errors: str) -> None:
    check_name(errors, "errors", _ERRORS)


def regular_rates(
    principal: Sequence[float] | FloatArray,
    payment: Sequence[float] | FloatArray,
    n: Sequence[int] | npt.NDArray[np.int64],
    fees: Sequence[float] | FloatArray | float = 0.0,
    *,
    last: Sequence[float] | FloatArray | None = None,
    periods_per_year: int = 12,
    errors: str = "raise",
    maxiter: int = 60,
) -> FloatArray | np.ma.MaskedArray:
    """Nominal annual IRR (periodic IRR × periods per year) of many level-payment loans.

    Each loan advances ``principal − fees`` and receives ``n − 1`` payments of ``payment``
    and a last one of ``last`` (default ``payment``); the periodic rate ``r`` solves
    ``payment · (1 − (1+r)^−n) / r + (last − payment)(1+r)^−n = principal − fees``. A
    contract's last instalment carries the rounding residual: pass it as ``last`` to measure
    the contract's flows. For the contract's own cap verdict, to the cent, use
    :func:`loanmath.caps.batch_check`, which builds the flows itself.

    Parameters
    ----------
    principal, payment, n, fees : array-like
        One entry per loan (fees may be a scalar). Floats are accepted here: this is the
        float64 batch path, not money arithmetic.
    periods_per_year : int, default 12
    errors : {"raise", "mask"}
        What to do with rows that have no rate (payments not covering the advance …).
    maxiter : int, default 60

    Returns
    -------
    ndarray of float64 (or a masked array with ``errors="mask"``)

    Notes
    -----
    Newton's method on the closed form from the classical start ``r₀ = 2(n·A − P)/(P·(n+1))``,
    kept inside a bracket that bisection shrinks whenever a step would leave it; it iterates
    to ``|f(r)| ≤ 1e-9 · P`` and accepts a row within ten times that (``1e-8 · P``).

    Examples
    --------
    >>> rates = regular_rates([12000, 10000], [1066.19, 900], [12, 12], fees=[0, 100])
    >>> [round(float(x), 6) for x in rates]
    [0.120008, 0.163764]
    >>> round(float(regular_rates([12000], [1066.19], [12], last=[1066.20])[0]), 7)  # residual
    0.1200095
    """
    _check_errors(errors)
    p = np.asarray(principal, dtype=np.float64) - np.asarray(fees, dtype=np.float64)
    a = np.asarray(payment, dtype=np.float64)
    final = a if last is None else np.asarray(last, dtype=np.float64)
    periods = np.asarray(n, dtype=np.float64)
    if not p.shape == a.shape == periods.shape == final.shape:
        raise InvalidInputError(
            "principal", p.shape, "principal, payment, n and last must have one shape"
        )
    extra = final - a  # the last instalment's difference from the level payment
    valid = (p > 0) & (a > 0) & (final > 0) & (periods >= 1)
    total = a * periods + extra
    zero = valid & (np.abs(total - p) <= BATCH_TOL * np.abs(p))  # interest-free
    covered = valid & ~zero  # payments short of the advance give a negative rate
    safe_p = np.where(covered, p, 1.0)
    rate = np.where(covered, 2 * (total - p) / (safe_p * (periods + 1)), 0.0)
    lo = np.full_like(rate, -1 + 1e-9)
    hi = np.where(covered, np.maximum(a, final) / safe_p + 1.0, 1.0)  # rate < payment/advance
    rate = np.clip(rate, lo, hi)
    scale = np.where(covered, p, 1.0)
    done = ~covered
    with np.errstate(divide="ignore", invalid="ignore"):  # rows not covered hold rate 0
        rate, residual = _regular_newton(
            (a, extra, p), periods, rate, lo=lo, hi=hi, scale=scale, done=done, maxiter=maxiter
        )
    failed = ~(zero | (covered & (residual <= BATCH_TOL * scale * 10)))
    rate = np.where(zero, 0.0, rate)
    return _finish(rate * periods_per_year, failed, errors, "rate")


def _regular_newton(
    flows: tuple[FloatArray, FloatArray, FloatArray],
    periods: FloatArray,
    rate: FloatArray,
    *,
    lo: FloatArray,
    hi: FloatArray,
    scale: FloatArray,
    done: npt.NDArray[np.bool_],
    maxiter: int,
) -> tuple[FloatArray, FloatArray]:
    a, extra, p = flows  # level payment, last payment's difference, advance
    for _ in range(maxiter):
        growth = np.exp(-periods * np.log1p(rate))
        value = a * (1 - growth) / rate + extra * growth - p
        slope = a * (periods * growth / (rate * (1 + rate)) - (1 - growth) / rate**2)
        slope = slope - extra * periods * growth / (1 + rate)
        converged = np.abs(value) <= BATCH_TOL * scale
        done = done | converged
        if done.all():
            break
        high = value < 0  # PV below the advance: the rate is too high
        hi = np.where(high, np.minimum(hi, rate), hi)
        lo = np.where(high, lo, np.maximum(lo, rate))
        step = rate - value / slope
        bisect = (step <= lo) | (step >= hi) | ~np.isfinite(step)
        rate = np.where(done, rate, np.where(bisect, 0.5 * (lo + hi), step))
    growth = np.exp(-periods * np.log1p(rate))
    return rate, np.abs(a * (1 - growth) / rate + extra * growth - p)


def cash_flow_rates(
    flows: npt.ArrayLike,
    *,
    periods_per_year: int = 1,
    errors: str = "raise",
    chunk_rows: int = 65_536,
    maxiter: int = 80,
) -> FloatArray | np.ma.MaskedArray:
    """Periodic IRR × periods per year of each row of a cash-flow matrix (loans × periods).

    Rows are solved in chunks of `chunk_rows` so memory stays bounded (a chunk needs a few
    arrays of ``chunk_rows`` floats, not copies of the matrix). Rows whose signs change more
    than once, that have no root, or that hold an infinite or NaN amount, are reported (see
    `errors`): a failed row is never given a rate.

    Notes
    -----
    For each row, ``x = 1/(1+r)`` with ``P(x) = Σₖ aₖ xᵏ = 0`` (k the column), returned as
    ``(1/x − 1) × periods_per_year`` (nominal, not compounded). Safeguarded Newton in float64 on
    ``P`` by Horner's rule over the columns, bisecting a bracket when a step leaves it, from
    the level-loan start ``r₀ = 2(S₊ − S₋) / (min(S₊, S₋)·(n+1))`` (``S₊``, ``S₋`` the row's
    inflows and outflows, ``n + 1`` columns). A row gets a rate only if its signs change exactly
    once (one root: Descartes' rule of signs), its amounts are finite and at the end
    ``|P(x)| ≤ 10 · BATCH_TOL · Σ|aₖ|`` (1e-8). docs/rates.md, "Batch".

    Examples
    --------
    >>> flows = np.array([[-100, 39, 59, 55, 20], [-100, 60, 60, 0, 0]], dtype=float)
    >>> [round(float(x), 10) for x in cash_flow_rates(flows)]
    [0.2809484212, 0.1306623863]
    """
    _check_errors(errors)
    matrix = np.asarray(flows, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] < 2:
        raise InvalidInputError("flows", matrix.shape, "must be a 2-d array with >= 2 columns")
    rates = np.empty(matrix.shape[0])
    failed = np.zeros(matrix.shape[0], dtype=bool)
    for begin in range(0, matrix.shape[0], chunk_rows):
        part = matrix[begin : begin + chunk_rows]
        rates[begin : begin + len(part)], failed[begin : begin + len(part)] = _solve_rows(
            part, maxiter
        )
    return _finish(rates * periods_per_year, failed, errors, "IRR")


def _solve_rows(matrix: FloatArray, maxiter: int) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Safeguarded Newton in x = 1/(1+r) on each row's polynomial (Horner over columns)."""
    signs = np.sign(matrix)
    nonzero = signs != 0
    if nonzero.all():
        changes = (signs[:, 1:] != signs[:, :-1]).sum(axis=1)
    else:  # skip zeros: compare each nonzero sign with the last nonzero one
        changes = np.zeros(len(matrix), dtype=np.int64)
        last = np.zeros(len(matrix))
        for column in signs.T:
            changes += (column != 0) & (last != 0) & (column != last)
            last = np.where(column != 0, column, last)
    # a row holding an infinite or NaN amount has no rate: failed, never a number
    finite: npt.NDArray[np.bool_] = np.asarray(np.isfinite(matrix).all(axis=1))
    valid = (changes == 1) & nonzero.any(axis=1) & finite
    matrix = np.where(finite[:, None], matrix, 0.0)
    scale = np.abs(matrix).sum(axis=1)
    first_sign = signs[np.arange(len(matrix)), np.argmax(nonzero, axis=1)]
    rows = len(matrix)
    lo = np.full(rows, 1e-9)  # x small: r huge, P has the first flow's sign
    hi = np.full(rows, 1e6)  # x large: r near -100 %, the last flow's sign
    # start from the rate of an equivalent level loan: r0 = 2(S - P) / (P (n + 1))
    positive = np.where(matrix > 0, matrix, 0).sum(axis=1)
    negative = -np.where(matrix < 0, matrix, 0).sum(axis=1)
    n = matrix.shape[1] - 1
    start = (
        2 * (positive - negative) / (np.maximum(np.minimum(positive, negative), 1e-300) * (n + 1))
    )
    x = 1.0 / (1.0 + np.clip(start, -0.5, 10.0))
    active = np.flatnonzero(valid)
    for _ in range(maxiter):
        if active.size == 0:
            break
        sub = matrix if active.size == len(matrix) else matrix[active]
        value, slope = _horner(sub, x[active])
        converged = np.abs(value) <= BATCH_TOL * scale[active]
        same = np.sign(value) == first_sign[active]
        lo[active] = np.where(same, np.maximum(lo[active], x[active]), lo[active])
        hi[active] = np.where(same, hi[active], np.minimum(hi[active], x[active]))
        with np.errstate(divide="ignore", invalid="ignore"):
            step = x[active] - value / slope
        low, high = lo[active], hi[active]
        bisect = ~np.isfinite(step) | (step <= low) | (step >= high)
        middle = np.where(high / low > 4, np.sqrt(low * high), 0.5 * (low + high))
        x[active] = np.where(converged, x[active], np.where(bisect, middle, step))
        active = active[~converged]
    value, _ = _horner(matrix, x)
    failed = ~valid | ~(np.abs(value) <= BATCH_TOL * scale * 10)
    return np.where(failed, 0.0, 1.0 / x - 1.0), failed


def _horner(matrix: FloatArray, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Each row's ``(P(x), P'(x))`` with ``P(x) = Σ aₖ xᵏ``, by Horner over the columns."""
    value = np.zeros_like(x)
    slope = np.zeros_like(x)
    for k in range(matrix.shape[1] - 1, -1, -1):
        slope *= x
        slope += value
        value *= x
        value += matrix[:, k]
    return value, slope
