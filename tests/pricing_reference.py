"""An independent reference for batch pricing, written from docs/schedules.md and the cap rules.

Plain loops over Python integers and Fractions; nothing here calls loanmath. A loan is
``(principal_units, rate: Fraction, term, method, periods_per_year, upfront_units,
financed_units)``; amounts are integer units of the currency's minor unit.

Rules (docs/schedules.md "Methods", "Fees", "Payment rounding"; caps docstrings):

- the periodic rate is ``i = annual_rate / m``; every interest amount is the exact rational
  value rounded once, half up, to a unit;
- annuity: the level payment ``B·i / (1 − (1+i)^−n)`` (``B/n`` at a zero rate) rounded once;
  each row's principal is the payment less the row's interest (never below zero nor above the
  balance), and the last row repays the whole balance;
- equal principal: each row repays ``round(B/n)`` (the last the balance), plus interest;
- interest only: interest each period, the whole balance with the last;
- bullet: simple interest ``B·i·n`` for the whole term, paid with the principal at period n;
- upfront fees are deducted from what the borrower receives; financed fees are added to the
  balance that bears interest;
- an IRR cap at ``L`` holds when ``m · IRR ≤ L``; with one sign change that is
  ``Σ payₖ (1 + L/m)^−k ≤ advance``; a contract-rate cap holds when ``rate ≤ L``.
"""

from __future__ import annotations

from fractions import Fraction


def half_up(value: Fraction) -> int:
    """Round a non-negative rational to the nearest integer, ties up."""
    return (2 * value.numerator + value.denominator) // (2 * value.denominator)


def repayments(
    principal: int,
    rate: Fraction,
    term: int,
    method: str,
    m: int,
    financed: int = 0,
) -> list[int]:
    """What is repaid at the end of periods 1 … term, in units."""
    balance = principal + financed
    i = rate / m
    if method == "bullet":
        return [0] * (term - 1) + [balance + half_up(balance * i * term)]
    if method == "interest_only":
        interest = half_up(balance * i)
        return [interest] * (term - 1) + [interest + balance]
    if method == "annuity":
        level = Fraction(balance, term) if i == 0 else balance * i / (1 - (1 + i) ** -term)
        payment = half_up(level)
    else:
        payment = half_up(Fraction(balance, term))
    out = []
    for k in range(term):
        interest = half_up(balance * i)
        if k == term - 1:
            part = balance
        elif method == "annuity":
            part = min(max(payment - interest, 0), balance)
        else:
            part = min(payment, balance)
        balance -= part
        out.append(part + interest)
    return out


def complies_irr(pay: list[int], advance: int, limit: Fraction, m: int) -> bool:
    """``Σ payₖ (1 + L/m)^−k ≤ advance``, exactly."""
    v = 1 / (1 + limit / m)
    return sum(amount * v ** (k + 1) for k, amount in enumerate(pay)) <= advance


def highest(passes, top: int) -> int | None:  # type: ignore[no-untyped-def]
    """The largest k in [0, top] with passes(k) (monotone), or None if even 0 fails."""
    if not passes(0):
        return None
    lo, hi = 0, top + 1
    while hi - lo > 1:
        middle = (lo + hi) // 2
        if passes(middle):
            lo = middle
        else:
            hi = middle
    return lo
