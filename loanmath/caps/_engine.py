"""The batch pricing engine: each offer's cash flows in integers, and its verdict under a cap.

The cash flows are the scalar schedule's, to the unit: the level payment rounded once, the
residual in the last instalment, interest rounded half up per period, fees where the contract
puts them (:func:`loanmath.schedules.batch.batch_schedules` holds annuity and equal-principal
rows to the scalar path; interest-only and bullet rows are computed here by the same rules).

A verdict never rests on a float alone. Under an IRR cap at ``limit`` with ``m`` periods a
year, an offer complies exactly when its repayments, discounted at ``c = limit / m`` a period,
are worth no more than the advance (the NPV falls as the rate rises, the flows changing sign
once). That NPV is summed in float64 beside a bound on its rounding error; a row whose NPV is
within the bound is decided again in integers: with ``limit = p/q`` and ``a = q·m``,
``b = q·m + p``, the sign of ``−A·bⁿ + Σ payₖ·aᵏ·bⁿ⁻ᵏ`` is the verdict.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from loanmath.caps._offers import RATE_SCALE, Offers
from loanmath.schedules.batch import batch_schedules

__all__ = ["complies", "estimate_rate", "flows", "present_values"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_U = 2.0**-53
#: Up to this many offers, plain Python floats cost less than numpy calls.
_FEW = 4


def _half_up(numerator: npt.NDArray[np.object_], denominator: int) -> IntArray:
    """``round(numerator / denominator)`` half up, for non-negative Python-int arrays."""
    rounded: IntArray = ((2 * numerator + denominator) // (2 * denominator)).astype(np.int64)
    return rounded


def _interest_only(balance: IntArray, rate: IntArray, term: IntArray, m: int) -> IntArray:
    width = int(term.max())
    interest = _half_up(balance.astype(object) * rate.astype(object), RATE_SCALE * m)
    pay = np.zeros((len(balance), width), dtype=np.int64)
    columns = np.arange(width)
    pay[columns[None, :] < term[:, None]] = np.repeat(interest, term)
    pay[np.arange(len(balance)), term - 1] += balance
    return pay


def _bullet(balance: IntArray, rate: IntArray, term: IntArray, m: int) -> IntArray:
    width = int(term.max())
    product = balance.astype(object) * rate.astype(object) * term.astype(object)
    interest = _half_up(product, RATE_SCALE * m)
    pay = np.zeros((len(balance), width), dtype=np.int64)
    pay[np.arange(len(balance)), term - 1] = balance + interest
    return pay


def flows(offers: Offers) -> tuple[IntArray, IntArray]:
    """Each offer's repayments on its period grid (units) and its advance (units).

    Returns
    -------
    pay : ndarray of int64, shape (offers, longest term)
        ``pay[i, k]`` is what offer ``i`` repays at the end of period ``k + 1``.
    advance : ndarray of int64
        What the borrower receives: principal less upfront fees.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath.caps._offers import offers_from_columns
    >>> o = offers_from_columns({"principal": ["1200", "1200"], "currency": "CNY",
    ...     "annual_rate": "0.12", "term": 3, "method": ["annuity", "bullet"],
    ...     "start_date": dt.date(2024, 1, 15)})
    >>> pay, advance = flows(o)
    >>> pay.tolist(), advance.tolist()
    ([[40803, 40803, 40802], [0, 0, 123600]], [120000, 120000])
    """
    size = offers.size
    width = int(offers.term.max()) if size else 0
    pay = np.zeros((size, width), dtype=np.int64)
    balance = offers.principal + offers.financed
    ppy = offers.ppy()
    for method in sorted(set(offers.method.tolist())):  # a set: np.unique costs more for few
        for m in sorted(set(ppy.tolist())):
            rows = np.flatnonzero((offers.method == method) & (ppy == m))
            if not rows.size:
                continue
            term = offers.term[rows]
            if method in ("annuity", "equal_principal"):
                part = batch_schedules(
                    balance[rows],
                    offers.rate[rows],  # int64 counts of 1e-7
                    term,
                    method=method,
                    periods_per_year=int(m),
                )
                block = part.principal + part.interest
            elif method == "interest_only":
                block = _interest_only(balance[rows], offers.rate[rows], term, int(m))
            else:
                block = _bullet(balance[rows], offers.rate[rows], term, int(m))
            pay[rows, : block.shape[1]] = block
    return pay, offers.principal - offers.upfront


def _complies_one(pay: list[int], advance: int, rule: tuple[int, int, int]) -> bool:
    """One offer's verdict as :func:`complies` gives it (float sum and bound, then integers)."""
    p, q, m = rule
    v = 1.0 / (1.0 + p / (q * m))
    present, power = 0.0, 1.0
    for amount in pay:
        power *= v
        present += amount * power
    if abs(present - advance) <= 16.0 * (len(pay) + 4) * _U * (present + advance):
        return _exact_complies(pay, advance, p, q, m)
    return present <= advance


def _exact_complies(pay: IntArray | list[int], advance: int, p: int, q: int, m: int) -> bool:
    """``Σ payₖ (1+c)^−k ≤ A`` at ``c = p/(q·m)``, in integers."""
    a, b = q * m, q * m + p
    n = len(pay)
    total = -advance * b**n
    for k, amount in enumerate(pay if isinstance(pay, list) else pay.tolist(), start=1):
        if amount:
            total += amount * a**k * b ** (n - k)
    return bool(total <= 0)


def complies(pay: IntArray, advance: IntArray, ppy: IntArray, limit: Decimal) -> BoolArray:
    """Whether each offer's periodic IRR × `ppy` is at most `limit` (exactly; see the module).

    Examples
    --------
    >>> pay = np.array([[0, 0, 103000], [0, 0, 103001]], dtype=np.int64)
    >>> complies(pay, np.array([100000, 100000]), np.array([1, 1]), Decimal("0.01"))
    ... # 1 % a period: 100,000 grows to 103,030.1 in three periods
    array([ True,  True])
    """
    p, q = limit.as_integer_ratio()
    if len(advance) <= _FEW:  # a scalar max_rate's probe: plain floats cost less than numpy
        each = zip(pay.tolist(), advance.tolist(), ppy.tolist(), strict=True)
        return np.array([_complies_one(row, owed, (p, q, m)) for row, owed, m in each], bool)
    present = present_values(pay, ppy, limit)
    owed = advance.astype(np.float64)
    npv = present - owed
    out = npv <= 0
    bound = 16.0 * (pay.shape[1] + 4) * _U * (present + owed)
    for i in np.flatnonzero(np.abs(npv) <= bound).tolist():
        out[i] = _exact_complies(pay[i], int(advance[i]), p, q, int(ppy[i]))
    return out


def present_values(pay: IntArray, ppy: IntArray, limit: Decimal) -> FloatArray:
    """Each offer's repayments discounted at ``limit / ppy`` a period, in float64 (the powers
    by repeated products, so the rounding error stays within :func:`complies`' bound).

    Examples
    --------
    >>> present_values(np.array([[110, 0]]), np.array([1]), Decimal("0.1")).round(9).tolist()
    [100.0]
    """
    p, q = limit.as_integer_ratio()
    present = np.zeros(len(pay))
    for m in sorted(set(ppy.tolist())):
        rows = np.flatnonzero(ppy == m)
        powers = np.cumprod(np.full(pay.shape[1], 1.0 / (1.0 + p / (q * m))))
        present[rows] = pay[rows].astype(np.float64) @ powers
    return present


def estimate_rate(offers: Offers, limit: Decimal) -> FloatArray:
    """A float estimate of each offer's highest annual rate under an IRR cap at `limit`.

    The unrounded flows at the contract rate are set to be worth the advance at the cap's
    periodic rate ``c`` (closed forms per method); the search then settles the exact answer.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath.caps._offers import offers_from_columns
    >>> o = offers_from_columns({"principal": "1000", "currency": "CNY", "annual_rate": "0",
    ...     "term": 12, "method": "interest_only", "start_date": dt.date(2024, 1, 15)})
    >>> [round(float(x), 9) for x in estimate_rate(o, Decimal("0.36"))]
    [0.36]
    """
    m = offers.ppy().astype(np.float64)
    n = offers.term.astype(np.float64)
    c = float(limit) / m
    v = 1.0 / (1.0 + c)
    vn = v**n
    annuity = (1.0 - vn) / c
    owed = (offers.principal - offers.upfront).astype(np.float64)
    balance = (offers.principal + offers.financed).astype(np.float64)
    rate = np.zeros(offers.size)
    method = offers.method
    only = method == "interest_only"
    rate[only] = ((owed - balance * vn) / (balance * annuity))[only]
    bullet = method == "bullet"
    rate[bullet] = ((owed / vn - balance) / (balance * n))[bullet]
    equal = method == "equal_principal"
    if equal.any():
        # Σ_k B(1 − (k−1)/n) vᵏ = B·(annuity − (v·annuity − n·vⁿ⁺¹)/(n·(1 − v))·v/v) …
        # summed directly: the terms are few
        for i in np.flatnonzero(equal):
            k = np.arange(1, int(n[i]) + 1)
            weights = v[i] ** k
            base = balance[i] * (1.0 - (k - 1) / n[i])
            rate[i] = (owed[i] - balance[i] / n[i] * weights.sum()) / (base @ weights)
    level = method == "annuity"
    if level.any():
        rate[level] = _level_rate(balance[level], owed[level] / annuity[level], n[level])
    return np.clip(rate * m, 0.0, 100.0)


def _level_rate(balance: FloatArray, payment: FloatArray, n: FloatArray) -> FloatArray:
    """The periodic rate of a level payment: ``B·i / (1 − (1+i)^−n) = payment`` (Newton)."""
    if len(balance) <= _FEW:
        each = zip(balance.tolist(), payment.tolist(), n.tolist(), strict=True)
        return np.array([_level_rate_one(*row) for row in each], dtype=np.float64)
    i = np.maximum(2.0 * (payment * n - balance) / (balance * (n + 1.0)), 1e-9)
    for _ in range(30):
        step = _level_step(balance, payment, n, i)
        i = np.maximum(i - step, 1e-12)
        if np.all(np.abs(step) <= 1e-12 * np.maximum(i, 1e-9)):  # an estimate: the search
            break  # settles the exact answer
    return np.where(payment * n <= balance, 0.0, i)


def _level_step(balance: Any, payment: Any, n: Any, i: Any) -> Any:
    """Newton's step for ``B·i / (1 − (1+i)^−n) = payment``, on floats or arrays alike."""
    growth = (1.0 + i) ** -n
    value = balance * i / (1.0 - growth) - payment
    d_growth = n * (1.0 + i) ** (-n - 1.0)
    return value / (balance * ((1.0 - growth) - i * d_growth) / (1.0 - growth) ** 2)


def _level_rate_one(balance: float, payment: float, n: float) -> float:
    """:func:`_level_rate` for one offer, in plain floats."""
    if payment * n <= balance:
        return 0.0
    i = max(2.0 * (payment * n - balance) / (balance * (n + 1.0)), 1e-9)
    for _ in range(30):
        step = float(_level_step(balance, payment, n, i))
        i = max(i - step, 1e-12)
        if abs(step) <= 1e-12 * max(i, 1e-9):
            break
    return i
