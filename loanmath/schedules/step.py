"""Step payments: instalments that change by a fixed amount or percentage every N periods.

Instalment ``j`` (0-based, after any grace) is ``A₁·(1 + g)^⌊j/N⌋`` (``step_rate=g``) or
``A₁ + s·⌊j/N⌋`` (``step_amount=s``). ``A₁`` is solved exactly so that the instalments'
present value at the loan's period rates equals the balance (under ``payment_basis="regular"``
the nominal periodic rate for every period; under ``"actual"`` each period's own rate):

    A₁ = (B − s·Σ c_j v_j) / Σ w_j v_j,   v_j = Π_{i≤j} (1 + r_i)^−1

with ``w_j = (1+g)^⌊j/N⌋`` (or 1) and ``c_j = ⌊j/N⌋`` (or 0). Each instalment is its exact
value rounded once; the last clears the balance (``Schedule.residual``).
"""

from __future__ import annotations

import math
from fractions import Fraction

from loanmath._checks import check_int
from loanmath._decimal import to_fraction
from loanmath.errors import InvalidInputError
from loanmath.schedules._engine import Method, Rule, register_method, round_units
from loanmath.schedules._plan import Plan

__all__ = ["Step"]


class Step(Method):
    """Graduated (or declining) instalments.

    Notes
    -----
    Instalment j (0-based, after grace) is ``A₁·(1 + g)^⌊j/N⌋`` (``step_rate=g``) or ``A₁ +
    s·⌊j/N⌋`` (``step_amount=s``), ``N = step_every``; ``A₁`` solves Σ instalment_j·v_j = B
    exactly, ``v_j`` discounting at the nominal periodic rate (at each period's actual rate with
    ``payment_basis="actual"``). Each instalment is rounded once; the last row clears the
    balance (docs/schedules.md, "Methods").
    """

    name = "step"

    def validate(self, terms: object) -> None:
        every = getattr(terms, "step_every", 0)
        rate = getattr(terms, "step_rate", None)
        amount = getattr(terms, "step_amount", None)
        if check_int(every, "step_every") < 1:
            raise InvalidInputError("step_every", every, "must be an int >= 1 for method 'step'")
        if (rate is None) == (amount is None):
            raise InvalidInputError(
                "step_rate", rate, "method 'step' needs exactly one of step_rate and step_amount"
            )
        if rate is not None and rate <= -1:
            raise InvalidInputError("step_rate", rate, "must be > -1")

    def rule(self, plan: Plan, first: int, balance: int) -> Rule:
        terms = plan.terms
        periods = plan.term - first
        growth = to_fraction(terms.step_rate) if terms.step_rate is not None else None
        step = (
            to_fraction(terms.step_amount) / to_fraction(plan.quantum)
            if terms.step_amount is not None
            else Fraction(0)
        )
        weights, counts = [], []
        for j in range(periods):
            level = j // terms.step_every
            weights.append((1 + growth) ** level if growth is not None else Fraction(1))
            counts.append(level if growth is None else 0)
        weighted, stepped = _present_values(plan, first, weights, counts)
        first_payment = (balance - step * stepped) / weighted
        if first_payment <= 0:
            raise InvalidInputError(
                "step_amount",
                terms.step_amount,
                "is so large that the first instalment would not be positive",
                "use a smaller step or a longer term",
            )
        unit = plan.payment_step
        targets = []
        for w, c in zip(weights, counts, strict=True):
            exact = first_payment * w + step * c
            targets.append(
                round_units(exact.numerator, exact.denominator * unit, plan.payment_mode) * unit
            )
        return Rule(
            kind="payment",
            targets=targets,
            regular=targets[-1],
            given="step_rate" if terms.step_rate is not None else "step_amount",
        )


def _present_values(
    plan: Plan, first: int, weights: list[Fraction], counts: list[int]
) -> tuple[Fraction, Fraction]:
    """``(Σ w_k·v_k, Σ c_k·v_k)`` with ``v_k`` the discount factor to row k, exactly.

    Summed over one common denominator in integers (the discount of row k is
    ``Q_k / P_k``, ``Q`` and ``P`` the running products of each period rate's denominator and
    ``1 + rate``'s numerator), so a rate with many digits does not make every partial sum of
    Fractions reduce a huge gcd (a 1E-28 rate over 480 rows took a second)."""
    rates = []
    regular = plan.regular_rate()
    for k in range(first, plan.term):
        num, den = regular if plan.payment_basis == "regular" else plan.period_rate(k)
        rates.append((den + num, den))
    suffix = [1] * (len(rates) + 1)  # suffix[k] = product of (den + num) after row k
    for k in range(len(rates) - 1, -1, -1):
        suffix[k] = suffix[k + 1] * rates[k][0]
    scale = 1
    for w in weights:
        scale = scale * w.denominator // math.gcd(scale, w.denominator)
    weighted = stepped = 0
    running = 1  # Q_k: product of the period rates' denominators up to row k
    for (_, den), w, c, after in zip(rates, weights, counts, suffix[1:], strict=True):
        running *= den
        term = running * after
        weighted += w.numerator * (scale // w.denominator) * term
        stepped += c * term
    return Fraction(weighted, suffix[0] * scale), Fraction(stepped, suffix[0])


register_method(Step())
