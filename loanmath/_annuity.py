"""Annuity arithmetic that stays right at any term: ``(1+r)ᵐ`` and ``(1+r)ᵐ − 1`` without
cancellation or overflow, and a settle loop that raises the working digits when a difference
cancels, falling back to the exact rational value.

Used by the spreadsheet functions in :mod:`loanmath.tvm` (PMT, IPMT, PPMT, CUMIPMT,
CUMPRINC). Every ``*_terms`` function returns ``(value, size)``: the value computed with
``prec`` working digits, and the sum of the magnitudes of what was added to make it, so that
``|error| ≤ 10**-prec × size`` — the error bound :func:`settle` tests before accepting.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal

from loanmath.errors import InvalidInputError

__all__ = [
    "MAX_EXACT_DIGITS",
    "MAX_WORKING",
    "Powers",
    "Terms",
    "check_rate",
    "cumulative_interest",
    "cumulative_principal",
    "ipmt_exact",
    "one_plus",
    "pmt_exact",
    "pmt_terms",
    "rounded",
    "settle",
]

#: Significant digits of every result.
RESULT_DIGITS = 28


#: The magnitudes the library's contexts hold (``loanmath._decimal.CONTEXT``: 1E±999999).
RESULT_RANGE = 999_999


def rounded(value: Decimal) -> Decimal:
    """`value` rounded once to :data:`RESULT_DIGITS` digits, half-even; a value beyond the
    library's range (``1E±999999``) is refused, never handed on to overflow later."""
    result = _wide(RESULT_DIGITS).plus(value)
    if result and abs(result.adjusted()) > RESULT_RANGE:
        raise InvalidInputError(
            "nper",
            "(the values given)",
            f"give a result of magnitude 1E{result.adjusted():+d}, beyond the 1E±{RESULT_RANGE} "
            "loanmath works in",
            "use a term and rate of ordinary size",
        )
    return result


#: Working digits of the first attempt at IPMT/PPMT/PMT/CUMIPMT/CUMPRINC; raised when a
#: difference cancels, up to :data:`MAX_WORKING`, then the exact rational value is taken.
START_DIGITS = 60
MAX_WORKING = 1000
#: A result is accepted when at least this many digits survive the cancellation: its error
#: is then below 10**-32 of its value, before the one rounding to 28 digits.
KEPT_DIGITS = 32
#: The largest exact rational evaluation (estimated digits) before refusing.
MAX_EXACT_DIGITS = 20_000

Terms = tuple[Decimal, Decimal]  # (value, size): |error| <= 10**-prec * size


def _wide(prec: int) -> decimal.Context:
    """A context of `prec` digits whose exponents never overflow ((1.3)**100000 fits)."""
    return decimal.Context(
        prec=prec,
        rounding=decimal.ROUND_HALF_EVEN,
        Emin=decimal.MIN_EMIN,
        Emax=decimal.MAX_EMAX,
        traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
    )


def one_plus(r: Decimal) -> Decimal:
    """1 + r, exactly (enough digits for every digit of r)."""
    exponent = int(r.as_tuple().exponent)
    return _wide(max(r.adjusted(), 0) + max(-exponent, 0) + 3).add(Decimal(1), r)


def check_rate(r: Decimal) -> None:
    if r <= -1:
        raise InvalidInputError("rate", r, "must be > -1 (#NUM! in a sheet)")


class Powers:
    """``G(m) = (1+r)ᵐ`` and ``E(m) = (1+r)ᵐ − 1`` to `prec` digits for ``|m| ≤ |n| + 1``.

    ``E(m) = exp(m·ln(1+r)) − 1`` with ``1 + r`` exact, the logarithm carried to as many more
    digits as ``m·ln(1+r)`` has before the point (exp multiplies its relative error by it),
    and the exponential to as many more as ``E`` has zeros after it (so ``− 1`` cancels
    nothing needed): no cancellation at small rates, no overflow at large ``(1+r)ⁿ``.
    """

    def __init__(self, r: Decimal, n: Decimal, prec: int) -> None:
        rough = _wide(20).ln(one_plus(r))
        big = max(0, _wide(20).multiply(abs(n) + 2, rough).adjusted() + 1)
        self.r, self.n, self.prec = r, n, prec
        self.ctx = _wide(prec + big + 8)
        self.log = self.ctx.ln(one_plus(r))
        self.out = _wide(prec + 8)  # the products and quotients of the terms

    def growth(self, m: Decimal | int) -> Decimal:
        return self.ctx.exp(self.ctx.multiply(Decimal(m), self.log))

    def em1(self, m: Decimal | int) -> Decimal:
        x = self.ctx.multiply(Decimal(m), self.log)
        if not x:
            return Decimal(0)
        ctx = _wide(self.prec + max(0, -x.adjusted()) + 8)
        return ctx.subtract(ctx.exp(x), Decimal(1))


def settle(compute: Callable[[int], Terms], exact: Callable[[], tuple[int, int]] | None) -> Decimal:
    """The value of ``compute(prec)`` once at least :data:`KEPT_DIGITS` digits survive its
    one difference, raising the working digits by those lost; the exact rational value
    (``exact()``, a numerator and denominator) when even :data:`MAX_WORKING` digits cancel."""
    prec = START_DIGITS
    while True:
        value, size = compute(prec)
        if not size:
            return Decimal(0)
        if value and value.copy_abs() >= _wide(prec + 20).scaleb(size, KEPT_DIGITS - prec):
            return rounded(value)
        if prec >= MAX_WORKING:
            break
        lost = size.adjusted() - value.adjusted() if value else prec
        prec = min(MAX_WORKING, prec + lost + 10)
    if exact is None:
        raise InvalidInputError(
            "fv",
            "(the values given)",
            f"pv and fv cancel to more than {MAX_WORKING} digits in this result",
            "the result is zero to within 1E-968 of the amounts; use integer nper and per",
        )
    return ratio(*exact())


def ratio(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator rounded once to 28 digits (a sticky digit keeps ties exact)."""
    if numerator == 0:
        return Decimal(0)
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    negative, top = numerator < 0, abs(numerator)
    shift = 34 + (denominator.bit_length() - top.bit_length()) * 30103 // 100000
    scaled, scale = (
        (top * 10**shift, denominator) if shift >= 0 else (top, denominator * 10**-shift)
    )
    quotient, rest = divmod(scaled, scale)
    digits = Decimal(quotient * 10 + (1 if rest else 0)).scaleb(-shift - 1, _wide(60))
    return rounded(-digits if negative else digits)


def exact_inputs(r: Decimal, *counts: Decimal) -> tuple[int, int, list[int]] | None:
    """``1 + r = c/b`` as integers and the counts as ints, when every count is whole and the
    exact value is small enough to compute (else None)."""
    if any(m != m.to_integral_value() for m in counts):
        return None
    a, b = r.as_integer_ratio()
    c = a + b
    ints = [int(m) for m in counts]
    if max(abs(m) for m in ints) * (c.bit_length() + b.bit_length()) > MAX_EXACT_DIGITS * 3.33:
        return None
    return c, b, ints


#: E(n) below this is (1 + r)ⁿ below 1/2.
_HALF_BELOW = Decimal("-0.5")


def pmt_terms(pw: Powers, p: Decimal, f: Decimal, w: int) -> Terms:
    """PMT = −r·((p + f) + p·E(n)) / ((1 + r·w)·E(n)): one difference, (p + f) vs p·E(n).

    Where ``(1 + r)ⁿ`` is below 1/2 (a negative rate over many periods) ``E(n)`` is near −1
    and ``p + p·E(n)`` would cancel to ``p·(1 + r)ⁿ``: the sum is then taken as
    ``p·(1 + r)ⁿ + f``, the same value with its one genuine difference (p·gⁿ vs f)."""
    ctx, r = pw.out, pw.r
    en = pw.em1(pw.n)
    if en < _HALF_BELOW:
        first, second = ctx.multiply(p, pw.growth(pw.n)), f
    else:
        first, second = ctx.add(p, f), ctx.multiply(p, en)
    factor = ctx.divide(r.copy_negate(), ctx.multiply(one_plus(r) if w else Decimal(1), en))
    return (
        ctx.multiply(ctx.add(first, second), factor),
        ctx.multiply(ctx.add(first.copy_abs(), second.copy_abs()), factor.copy_abs()),
    )


def pmt_exact(
    r: Decimal, n: Decimal, p: Decimal, f: Decimal, w: int
) -> Callable[[], tuple[int, int]] | None:
    inputs = exact_inputs(r, n)
    if inputs is None or n < 1:
        return None
    c, b, (count,) = inputs
    (pn, pd), (fn, fd), a = p.as_integer_ratio(), f.as_integer_ratio(), c - b

    def exact() -> tuple[int, int]:
        gc, gb = c**count, b**count
        return -a * (fn * pd * gb + pn * fd * gc), fd * pd * (gc - gb) * (b + a * w)

    return exact


def ipmt_exact(
    r: Decimal, k: Decimal, n: Decimal, p: Decimal, f: Decimal, *, w: int
) -> Callable[[], tuple[int, int]] | None:
    inputs = exact_inputs(r, k, n)
    if inputs is None:
        return None
    c, b, (per, count) = inputs
    (pn, pd), (fn, fd), a = p.as_integer_ratio(), f.as_integer_ratio(), c - b
    before, after = per - 1, count - per + 1

    def exact() -> tuple[int, int]:
        cu, bu, cv, bv = c**before, b**before, c**after, b**after
        top = pn * fd * cu * (cv - bv) - fn * pd * (cu - bu) * bv
        return -a * top * (b if w else 1), b * pd * fd * (cu * cv - bu * bv) * (c if w else 1)

    return exact


def cumulative_interest(pw: Powers, p: Decimal, start: int, end: int, w: int) -> Terms:
    """Σ ipmt over start … end at fv = 0: ``−r·p·(c·G(n) − G(s−1)·E(c)/r) / E(n)`` with
    ``c`` periods from ``s`` (payments in advance: from ``max(s, 2)``, then ÷ (1 + r)), since
    ``Σ_{j=s−1}^{e−1} G(j) = G(s−1)·E(c)/r``; every summand is positive, so the one
    difference loses at most about ``log10(c/r)`` digits, which :func:`settle` restores."""
    ctx, r = pw.out, pw.r
    first = max(start, 2) if w else start
    if first > end:
        return Decimal(0), Decimal(0)
    count = end - first + 1
    whole = ctx.multiply(count, pw.growth(pw.n))
    paid = ctx.divide(ctx.multiply(pw.growth(first - 1), pw.em1(count)), r)
    factor = ctx.divide(
        ctx.multiply(r.copy_negate(), p), ctx.multiply(pw.em1(pw.n), one_plus(r) if w else 1)
    )
    return (
        ctx.multiply(ctx.subtract(whole, paid), factor),
        ctx.multiply(ctx.add(whole, paid), factor.copy_abs()),
    )


def cumulative_principal(pw: Powers, p: Decimal, start: int, end: int, w: int) -> Terms:
    """Σ ppmt over start … end at fv = 0: ``−p·G(s−1−w)·E(c)/E(n)``, plus the first payment
    in advance (all principal, ``−r·p·G(n−1)/E(n)``) when it is included: no difference."""
    ctx, r = pw.out, pw.r
    en = pw.em1(pw.n)
    total = Decimal(0)
    first = start
    if w and start == 1:
        total = ctx.divide(ctx.multiply(ctx.multiply(r.copy_negate(), p), pw.growth(pw.n - 1)), en)
        first = 2
    if first <= end:
        part = ctx.multiply(
            ctx.multiply(p.copy_negate(), pw.growth(first - 1 - w)), pw.em1(end - first + 1)
        )
        total = ctx.add(total, ctx.divide(part, en))
    return total, total.copy_abs()
