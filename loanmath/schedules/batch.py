"""Batch schedules: many annuity or equal-principal loans at once, in numpy integer units.

For pricing grids and portfolio checks. Every amount is an ``int64`` count of the rounding
quantum (cents for CNY), and every row gives **the same units as the scalar path**
(:func:`loanmath.build_schedule`) for the same loan — the tests hold them to it row for row.

What it covers: periodic interest (annual rate / periods per year), regular first period, no
fees, no grace, payment rounded like the amounts. Anything else goes through the scalar API.

How it stays exact in ``int64``:

- interest ``round(B · a / (d · m))`` is an integer division; when ``B · a`` could overflow
  64 bits, ``B`` is split as ``B₁·2³¹ + B₀`` and the division done in two exact steps;
- the level payment (an exact rational with huge powers) is computed in float64, and every loan
  whose float value lies within a safety margin of a rounding boundary is recomputed exactly
  with Python integers, so the rounded payment is the exact annuity rounded once.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs
import numpy as np
import numpy.typing as npt

from loanmath._checks import check_name
from loanmath._decimal import EXACT, D, check_mode
from loanmath.errors import InvalidInputError
from loanmath.schedules._engine import round_units

__all__ = ["BatchSchedule", "batch_schedules"]

IntArray = npt.NDArray[np.int64]

_METHODS = ("annuity", "equal_principal")
#: Rates are scaled to integers with this many decimals at most (0.1234567 is fine).
MAX_RATE_DECIMALS = 7
_SPLIT = 31


@attrs.frozen(eq=False)
class BatchSchedule:
    """Schedules of many loans as integer arrays (units of the quantum), one row per loan.

    Attributes
    ----------
    principal, interest, balance : ndarray of int64, shape (loans, max_term)
        Columns per instalment; zero past a loan's own term.
    payment : ndarray of int64, shape (loans,)
        The level payment (annuity) or the regular principal part (equal principal).
    term : ndarray of int64, shape (loans,)
    quantum : Decimal

    Notes
    -----
    Loan i's row holds the integer units the scalar :func:`loanmath.build_schedule` gives that
    loan (interest ``round(B · rate / m)``; the exact annuity rounded once, or the part
    ``round(P / N)``; the last instalment clearing the balance), zeros past its term; the tests
    compare the two row for row (docs/schedules.md, "Batch").
    """

    method: str
    quantum: Decimal
    principal: IntArray
    interest: IntArray
    balance: IntArray
    payment: IntArray
    term: IntArray

    def amounts(self, loan: int, column: str) -> list[Decimal]:
        """One loan's column as Decimal amounts (for display or to compare with the scalar path).

        Examples
        --------
        >>> b = batch_schedules([1200000], ["0.12"], [3])
        >>> b.amounts(0, "interest")
        [Decimal('120.00'), Decimal('80.40'), Decimal('40.40')]
        """
        values = getattr(self, column)[loan, : int(self.term[loan])]
        return [EXACT.multiply(Decimal(int(v)), self.quantum) for v in values]


def _rates(annual_rates: Sequence[object] | IntArray) -> tuple[IntArray, int]:
    """Rates as int64 counts of 10**-7; an integer ndarray is taken as such counts already."""
    scale = 10**MAX_RATE_DECIMALS
    if isinstance(annual_rates, np.ndarray) and annual_rates.dtype.kind in "iu":
        out = annual_rates.astype(np.int64)
        bad = np.flatnonzero((out < 0) | (out > 100 * scale))
        if bad.size:
            raise InvalidInputError(
                f"annual_rates[{int(bad[0])}]",
                int(out[bad[0]]),
                f"must be between 0 and {100 * scale} (units of 1e-7)",
            )
        return out, scale
    out = np.empty(len(annual_rates), dtype=np.int64)
    for i, value in enumerate(annual_rates):
        numerator, denominator = D(value, f"annual_rates[{i}]").as_integer_ratio()
        units, rest = divmod(numerator * scale, denominator)
        if rest or not 0 <= units <= 100 * scale:
            raise InvalidInputError(
                f"annual_rates[{i}]",
                value,
                f"must be between 0 and 100 with at most {MAX_RATE_DECIMALS} decimals",
                "use the scalar API for other rates",
            )
        out[i] = units
    return out, scale


def _fits(balances: IntArray, factor: IntArray) -> bool:
    """Whether ``2 · balance · factor + denominator`` fits in int64 for every loan (the
    rounding step doubles the product)."""
    if balances.size == 0:
        return True
    return int(balances.max()) * int(factor.max()) <= np.iinfo(np.int64).max // 4


def _divide(
    balance: IntArray, factor: IntArray, denominator: int, mode: str, fits: bool
) -> IntArray:
    """``round(balance · factor / denominator)`` elementwise, exactly (all >= 0).

    When the product may overflow (``fits`` false), ``balance = high·2³¹ + low`` and
    ``balance·factor / d = q₁·2³¹ + (r₁·2³¹ + low·factor) / d`` with ``high·factor = q₁·d + r₁``:
    every intermediate stays below 2⁶³ for balances up to 1e17 and factors below 2³¹.
    """
    if fits:
        product = balance * factor
        if mode == "half_up":
            return (2 * product + denominator) // (2 * denominator)
        if mode == "down":
            return product // denominator
        if mode == "up":
            return (product + denominator - 1) // denominator
        quotient, remainder = np.divmod(product, denominator)
    else:
        high, low = balance >> _SPLIT, balance & ((1 << _SPLIT) - 1)
        q1, r1 = np.divmod(high * factor, denominator)
        q2, remainder = np.divmod((r1 << _SPLIT) + low * factor, denominator)
        quotient = (q1 << _SPLIT) + q2
    return _rounded(quotient, remainder, denominator, mode)


def _exact_payment(principal: int, rate: int, denominator: int, periods: int, mode: str) -> int:
    if rate == 0:
        return round_units(principal, periods, mode)
    growth, base = (denominator + rate) ** periods, denominator**periods
    return round_units(principal * rate * growth, denominator * (growth - base), mode)


def _level_payments(
    principal: IntArray, rate: IntArray, denominator: int, term: IntArray, mode: str
) -> IntArray:
    r = rate.astype(np.float64) / denominator
    n = term.astype(np.float64)
    p = principal.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = np.where(r > 0, p * r / -np.expm1(-n * np.log1p(r)), p / n)
    # distance to the nearest boundary the mode rounds at (.5 for half modes, .0 otherwise)
    shift = 0.5 if mode in ("half_up", "half_even") else 0.0
    frac = annuity + shift - np.floor(annuity + shift)
    margin = annuity * 1e-9 + 1e-6
    unsure = (np.minimum(frac, 1.0 - frac) < margin) | (annuity > 2.0**52)
    if mode in ("half_up", "half_even"):
        payment = np.floor(annuity + 0.5).astype(np.int64)
    elif mode == "down":
        payment = np.floor(annuity).astype(np.int64)
    else:
        payment = np.ceil(annuity).astype(np.int64)
    for i in np.flatnonzero(unsure):
        payment[i] = _exact_payment(
            int(principal[i]), int(rate[i]), denominator, int(term[i]), mode
        )
    return payment


def batch_schedules(
    principal_units: Sequence[int] | IntArray,
    annual_rates: Sequence[object] | IntArray,
    terms: Sequence[int] | IntArray,
    *,
    method: str = "annuity",
    periods_per_year: int = 12,
    mode: str = "half_up",
    quantum: Decimal | str = "0.01",
) -> BatchSchedule:
    """Annuity or equal-principal schedules of many loans, exact, over numpy integers.

    Parameters
    ----------
    principal_units : sequence of int
        Principals in units of `quantum` (cents for CNY: 1200000 is 12,000.00).
    annual_rates : sequence of Decimal or str, or ndarray of int
        Nominal annual rates as fractions, at most 7 decimals each; an integer ndarray is read
        as counts of 1e-7 (``1200000`` is 12 %), the fast form for pricing grids.
    terms : sequence of int
        Instalments per loan, 1 to 480.
    method : {"annuity", "equal_principal"}
    periods_per_year : int, default 12
    mode : str, default ``"half_up"``
        Rounding mode, as in :class:`loanmath.Rounding`.
    quantum : Decimal or str, default ``"0.01"``
        The amount one unit stands for (only used to report Decimal amounts).

    Returns
    -------
    BatchSchedule

    Raises
    ------
    InvalidInputError
        Naming the loan (index) whose input is out of range, or the loans whose equal
        principal part would leave a negative last part.

    Notes
    -----
    Interest ``round(B · rate / m)``, principal ``payment − interest`` (annuity) or
    ``round(P / N)`` (equal principal), last row clears the balance — the scalar rules.

    Examples
    --------
    >>> b = batch_schedules([1200000, 50000000], ["0.12", "0.049"], [12, 24])
    >>> [int(x) for x in b.payment]
    [106619, 2191331]
    >>> b.amounts(1, "balance")[-1]
    Decimal('0.00')
    """
    check_name(method, "method", _METHODS)
    check_mode(mode)
    principal = np.asarray(principal_units, dtype=np.int64)
    term = np.asarray(terms, dtype=np.int64)
    rate, scale = _rates(annual_rates)
    if not principal.shape == term.shape == rate.shape or principal.ndim != 1:
        raise InvalidInputError(
            "principal_units",
            principal.shape,
            "principals, rates and terms must be 1-d and of one length",
        )
    _check_ranges(principal, term)
    denominator = scale * periods_per_year
    loans, width = len(principal), int(term.max()) if len(term) else 0
    if method == "annuity" and loans <= _SMALL:  # exact at once: cheaper than numpy for a few
        payment = np.asarray(
            [
                _exact_payment(p, a, denominator, n, mode)
                for p, a, n in zip(principal.tolist(), rate.tolist(), term.tolist(), strict=True)
            ],
            dtype=np.int64,
        )
    elif method == "annuity":
        payment = _level_payments(principal, rate, denominator, term, mode)
    else:
        payment = _equal_parts(principal, term, mode)
    if loans <= _SMALL:
        rows = _small(
            principal, rate, term, payment, annuity=method == "annuity", how=(denominator, mode)
        )
        return BatchSchedule(method, D(quantum, "quantum"), *rows, payment, term)
    # rows are written contiguously (instalment-major) and handed out transposed
    principal_rows = np.zeros((width, loans), dtype=np.int64)
    interest_rows = np.zeros((width, loans), dtype=np.int64)
    balance_rows = np.zeros((width, loans), dtype=np.int64)
    fits = _fits(principal, rate)
    last = term - 1
    balance = principal.copy()
    for k in range(width):
        interest = _divide(balance, rate, denominator, mode, fits)
        part = payment - interest if method == "annuity" else payment.copy()
        np.clip(part, 0, balance, out=part)
        final = last == k
        part[final] = balance[final]
        # a loan past its term has a zero balance, so its interest and principal are zero
        balance = balance - part
        principal_rows[k] = part
        interest_rows[k] = interest
        balance_rows[k] = balance
    return BatchSchedule(
        method,
        D(quantum, "quantum"),
        principal_rows.T,
        interest_rows.T,
        balance_rows.T,
        payment,
        term,
    )


#: Up to this many loans, rows are computed with Python integers: numpy's per-call cost
#: exceeds the arithmetic for a handful of loans (a scalar max_rate probes one loan).
_SMALL = 4


def _small(
    principal: IntArray,
    rate: IntArray,
    term: IntArray,
    payment: IntArray,
    *,
    annuity: bool,
    how: tuple[int, str],
) -> tuple[IntArray, IntArray, IntArray]:
    """The vectorised loop's rows, loan by loan in Python integers (principal, interest,
    balance); `how` is the rate denominator and the rounding mode."""
    denominator, mode = how
    shape = (len(principal), int(term.max()) if len(term) else 0)
    parts = np.zeros(shape, np.int64)
    interests = np.zeros(shape, np.int64)
    balances = np.zeros(shape, np.int64)
    loans = zip(principal.tolist(), rate.tolist(), term.tolist(), payment.tolist(), strict=True)
    for i, (whole, a, n, level) in enumerate(loans):
        balance = whole
        for k in range(n):
            interest = round_units(balance * a, denominator, mode)
            part = level - interest if annuity else level
            part = balance if k == n - 1 else min(max(part, 0), balance)
            balance -= part
            parts[i, k], interests[i, k], balances[i, k] = part, interest, balance
    return parts, interests, balances


def _check_ranges(principal: IntArray, term: IntArray) -> None:
    bad = np.flatnonzero((principal <= 0) | (principal > 10**17))
    if bad.size:
        raise InvalidInputError(
            f"principal_units[{int(bad[0])}]",
            int(principal[bad[0]]),
            "must be > 0 and <= 1e17",
        )
    bad = np.flatnonzero((term < 1) | (term > 480))
    if bad.size:
        raise InvalidInputError(
            f"terms[{int(bad[0])}]", int(term[bad[0]]), "must be between 1 and 480"
        )


def _equal_parts(principal: IntArray, term: IntArray, mode: str) -> IntArray:
    quotient, remainder = np.divmod(principal, term)
    part = _rounded(quotient, remainder, term, mode)
    negative = np.flatnonzero(part * (term - 1) > principal)
    if negative.size:
        raise InvalidInputError(
            "terms",
            [int(i) for i in negative[:10]],
            "loans at these indices would have a negative last principal part",
            "use fewer instalments or a finer quantum for them",
        )
    return part


def _rounded(
    quotient: IntArray, remainder: IntArray, denominator: IntArray | int, mode: str
) -> IntArray:
    """Round ``quotient + remainder / denominator`` (non-negative) to an integer by `mode`."""
    if mode == "down":
        return quotient
    if mode == "up":
        return quotient + (remainder > 0)
    twice = 2 * remainder
    bump = twice > denominator
    tie = twice == denominator
    bump |= tie & ((quotient & 1) == 1) if mode == "half_even" else tie
    return quotient + bump
