"""Annuity (等额本息, French amortisation): equal instalments of principal + interest.

The level payment is the exact rational annuity of the balance, rounded once by the payment
rounding policy; each row's interest is the exact interest on its balance rounded once; the
principal part is the payment less the interest; the last instalment clears the balance and
so absorbs the rounding residual (``Schedule.residual``).

Two bases for the payment (``LoanTerms.payment_basis``):

``"regular"`` (default; what bank calculators and most servicing systems do)
    ``A = B·r / (1 − (1 + r)^−N)`` with the nominal periodic rate ``r = annual / m``. With an
    odd first period, the first row's principal part is computed from the regular period's
    interest, so the odd days' interest is *added to the first instalment*. With daily
    accrual (a day count), the differences between actual and regular period lengths fall
    into the last instalment.
``"actual"``
    ``A = B / Σ_k Π_{j≤k} (1 + r_j)^−1`` over the actual rate of each period (odd first
    period and day counts included), so the instalments stay level and the residual is a
    rounding residual only.

References
----------
12 CFR 1026.17(c)(4) (Regulation Z): in disclosures a creditor may disregard an irregular
first period within limits (for terms under a year, up to 6 days shorter or 13 days longer
than a regular period; 1 to 10 years, 11 shorter or 21 longer) and the payment irregularity
it causes; beyond them the odd days must be reflected, which ``"actual"`` does in the
payments and the APR functions do in the rate.
"""

from __future__ import annotations

from loanmath.schedules._engine import Method, Rule, register_method, round_units
from loanmath.schedules._plan import Plan

__all__ = ["Annuity", "level_payment"]


def _regular_ratio(plan: Plan, periods: int, balance: int) -> tuple[int, int]:
    """Exact annuity payment on the nominal periodic rate, as a ratio of integers."""
    rn, rd = plan.regular_rate()
    if rn == 0:
        return balance, periods
    growth, base = (rd + rn) ** periods, rd**periods
    return balance * rn * growth, rd * (growth - base)


def _actual_ratio(plan: Plan, first: int, balance: int) -> tuple[int, int]:
    """Exact payment over the actual period rates: ``A = B · Q0 / V1``.

    With period rates ``r_j = n_j / d_j``, ``Σ_k Π_{j≤k} d_j/(d_j + n_j) = V_1 / Q_0``, where
    ``Q_k = Π_{j>k} (d_j + n_j)`` and ``V_k = d_k · (Q_k + V_{k+1})`` — integers only.
    """
    rates = [plan.period_rate(k) for k in range(first, plan.term)]
    tail_product = 1
    v = 0
    for n_j, d_j in reversed(rates):
        v = d_j * (tail_product + v)
        tail_product *= d_j + n_j
    return balance * tail_product, v


def level_payment(plan: Plan, first: int, balance: int) -> int:
    """The level payment in units: the exact annuity rounded once by the payment policy.

    Notes
    -----
    ``"regular"``: ``A = B·r / (1 − (1 + r)^−N)`` with ``r = annual rate / m`` (``B / N`` at
    ``r = 0``), the annuity of Excel's ``PMT`` with ``fv = 0, type = 0``; ``"actual"``:
    ``A = B / Σ_k Π_{j≤k} (1 + r_j)^−1``. Both as exact integer ratios, rounded once to a
    multiple of the payment rounding's quantum by its mode (docs/schedules.md, "What 'exact'
    means here" and "Odd first period").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.schedules._plan import make_plan
    >>> plan = make_plan(LoanTerms(Money("2500", "USD"), "0.0824", 12,
    ...                           start_date=dt.date(2024, 1, 1)))
    >>> level_payment(plan, 0, plan.principal_units)  # cents
    21775
    """
    periods = plan.term - first
    if plan.payment_basis == "actual":
        num, den = _actual_ratio(plan, first, balance)
    else:
        num, den = _regular_ratio(plan, periods, balance)
    step = plan.payment_step
    return round_units(num, den * step, plan.payment_mode) * step


class Annuity(Method):
    """Equal instalments (等额本息); see the module documentation.

    Notes
    -----
    Payment ``A`` = :func:`level_payment` (``B·r / (1 − (1 + r)^−N)`` rounded once by the payment
    rounding); each row's principal is ``A`` less its interest ``round(B × annual_rate × f_k)``
    (an odd first row without grace, under ``payment_basis="regular"``: less a regular period's
    interest); the last row clears the balance and absorbs the residual (docs/schedules.md).
    """

    name = "annuity"

    def rule(self, plan: Plan, first: int, balance: int) -> Rule:
        payment = level_payment(plan, first, balance)
        return Rule(
            kind="payment",
            targets=[payment] * (plan.term - first),
            regular_first=plan.odd_first and first == 0 and plan.payment_basis == "regular",
            regular=payment,
        )


register_method(Annuity())
