"""Flat / add-on (等本等息): a charge on the *original* principal every period.

``annual_rate`` is the flat rate per year on the original principal: each period charges
``original principal × annual_rate × period fraction`` (``/ m`` for regular periods), rounded
once, whatever the balance. Principal is repaid in equal parts (the last takes the rounding
residual). With ``flat_charge="fee"`` the charge is a monthly fee (fees column, zero interest),
as fee-rate loans are quoted.

The flat rate is far below the loan's IRR-annualised rate (about half for a 12-instalment
loan); China's PBoC announcement 〔2021〕第3号 requires the annualised rate to be disclosed, not
the flat or fee rate alone — the APR module measures it from ``cash_flows()``.
"""

from __future__ import annotations

from loanmath.schedules._engine import Method, Rule, register_method, round_units
from loanmath.schedules._plan import Plan
from loanmath.schedules.equal_principal import principal_part

__all__ = ["Flat"]


class Flat(Method):
    """Flat-rate (add-on) loans; see the module documentation."""

    name = "flat"

    def rule(self, plan: Plan, first: int, balance: int) -> Rule:
        periods = plan.term - first
        part = principal_part(plan, periods, balance)
        an, ad = plan.rate
        charges = []
        for k in range(first, plan.term):
            fn, fd = plan.fractions[k]
            charges.append(round_units(plan.original_units * an * fn, ad * fd, plan.mode))
        return Rule(
            kind="principal",
            targets=[part] * periods,
            charges=charges,
            charges_are_fees=plan.terms.flat_charge == "fee",
            regular=part,
        )


register_method(Flat())
