"""Bullet (到期一次还本付息): principal and all interest in one payment at maturity.

The schedule has a single instalment on the last due date. Interest is simple (not
compounded) for the whole term: ``principal × annual rate × year fraction(start, maturity)``
by the loan's day count, or ``term / periods per year`` years when interest is periodic —
rounded once.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from loanmath.daycount import year_fraction_exact
from loanmath.errors import InvalidInputError
from loanmath.schedules._engine import Method, Rule, register_method
from loanmath.schedules._plan import Plan

__all__ = ["Bullet"]


class Bullet(Method):
    """One payment of principal and simple interest at maturity.

    Notes
    -----
    One row on the last due date: the balance (principal + financed fees) and interest
    ``round(B × annual_rate × t)``, simple: ``t`` is the day-count year fraction from the start
    to maturity (the unadjusted date unless ``accrual="adjusted"``), or ``Σ f_k`` (``term / m``
    for regular periods) for periodic interest. `grace_periods` must be 0. docs/schedules.md,
    "Methods" (到期一次还本付息).
    """

    name = "bullet"

    def validate(self, terms: object) -> None:
        if getattr(terms, "grace_periods", 0):
            raise InvalidInputError(
                "grace_periods",
                getattr(terms, "grace_periods", 0),
                "must be 0 for a bullet loan (nothing is paid before maturity anyway)",
            )

    def prepare(self, plan: Plan) -> Plan:
        maturity = plan.dates[-1]
        terms = plan.terms
        if terms.day_count is not None:  # to the unadjusted maturity under unadjusted accrual
            end = (plan.accrual_dates or plan.dates)[-1]
            total = year_fraction_exact(plan.start, end, terms.day_count)
        else:
            total = sum((Fraction(n, d) for n, d in plan.fractions), Fraction(0))
        return attrs.evolve(
            plan, dates=(maturity,), fractions=((total.numerator, total.denominator),)
        )

    def rule(self, plan: Plan, first: int, balance: int) -> Rule:
        return Rule(kind="principal", targets=[0])


register_method(Bullet())
