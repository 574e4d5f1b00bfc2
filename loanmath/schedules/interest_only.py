"""Interest only with a balloon (先息后本): interest each period, all principal at the end."""

from __future__ import annotations

from loanmath.schedules._engine import Method, Rule, register_method
from loanmath.schedules._plan import Plan

__all__ = ["InterestOnly"]


class InterestOnly(Method):
    """Interest on the full balance every period; the last instalment repays the principal.

    Notes
    -----
    Rows 1 … N−1: principal 0 and interest ``round(B × annual_rate × f_k)`` on the full balance;
    row N: the whole principal (the balloon) with its period's interest. No regular payment, so
    ``Schedule.residual`` is 0. docs/schedules.md, "Methods" (先息后本).
    """

    name = "interest_only"

    def rule(self, plan: Plan, first: int, balance: int) -> Rule:
        return Rule(kind="principal", targets=[0] * (plan.term - first))


register_method(InterestOnly())
