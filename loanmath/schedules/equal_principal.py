"""Equal principal (等额本金): the same principal part every period, interest on the balance.

The principal part is the exact ``B / N`` rounded once by the loan's rounding policy; the last
instalment takes what is left, so the parts sum to the principal exactly and the residual
(``Schedule.residual``) is the last part less the regular one. Instalments decline as the
balance does.
"""

from __future__ import annotations

from loanmath.errors import InvalidInputError
from loanmath.schedules._engine import Method, Rule, register_method, round_units
from loanmath.schedules._plan import Plan

__all__ = ["EqualPrincipal", "principal_part"]


def principal_part(plan: Plan, periods: int, balance: int) -> int:
    """``balance / periods`` rounded once; raise if the last part would be negative.

    Notes
    -----
    ``round(balance / periods)`` in integers of the quantum by the loan's rounding mode
    (docs/schedules.md: the equal-principal part ``round(B / N)``). Refused (``InvalidInputError``
    on ``term``) when ``(periods − 1) × part > balance``: the last part, ``balance − (periods − 1)
    × part``, would be negative.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.schedules._plan import make_plan
    >>> plan = make_plan(LoanTerms(Money("100.00", "CNY"), "0.1", 3, method="equal_principal",
    ...                           start_date=dt.date(2024, 1, 1)))
    >>> principal_part(plan, 3, plan.principal_units)
    3333
    """
    part = round_units(balance, periods, plan.mode)
    if part * (periods - 1) > balance:
        raise InvalidInputError(
            "term",
            periods,
            f"leaves a negative last principal part: {periods - 1} parts of {part} units "
            f"exceed the principal of {balance} units (rounding mode {plan.mode!r})",
            "use fewer instalments, a finer rounding quantum, or another rounding mode",
        )
    return part


class EqualPrincipal(Method):
    """Equal principal parts (等额本金); see the module documentation.

    Notes
    -----
    Principal part ``p = round(B / N)`` (:func:`principal_part`) on rows 1 … N−1, the last row
    ``B − (N − 1)·p``, the residual that less ``p``; interest ``round(balance × annual_rate ×
    f_k)`` on the balance, so instalments decline (docs/schedules.md, "Methods", 等额本金).
    """

    name = "equal_principal"

    def rule(self, plan: Plan, first: int, balance: int) -> Rule:
        periods = plan.term - first
        part = principal_part(plan, periods, balance)
        return Rule(kind="principal", targets=[part] * periods, regular=part)


register_method(EqualPrincipal())
