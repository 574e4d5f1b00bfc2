"""Flat / add-on (等本等息): a charge on the *original* principal every period.

``annual_rate`` is the flat rate per year on the original principal: each period charges
``original principal × annual_rate × period fraction`` (``/ m`` for regular periods), rounded
once, whatever the balance. The instalment is level: ``(principal + all flat charges) / N``,
the exact value rounded once (as banks quote it: $10,000 at 3.80 % flat over 24 months is
$448.33 a month); each row's principal part is the instalment less the charge, and the last
instalment clears the balance (``Schedule.residual``). With ``flat_charge="fee"`` the charge is
a monthly fee (fees column, zero interest), as fee-rate loans are quoted.

The flat rate is far below the loan's IRR-annualised rate (about half for a 12-instalment
loan); China's PBoC announcement 〔2021〕第3号 requires the annualised rate to be disclosed, not
the flat or fee rate alone — the APR module measures it from ``cash_flows()``.
"""

from __future__ import annotations

from fractions import Fraction

from loanmath.schedules._engine import Method, Rule, register_method, round_units
from loanmath.schedules._plan import Plan

__all__ = ["Flat"]


class Flat(Method):
    """Flat-rate (add-on) loans; see the module documentation.

    Notes
    -----
    Charge of period k: ``round(P₀ × annual_rate × f_k)`` on the original principal ``P₀``
    (``f_k = 1/m`` for a regular period); instalment ``A = round((B + P₀ × rate × Σ f_k) / N)``
    by the payment rounding; principal = ``A`` − the charge, the last row clearing the balance.
    ``flat_charge="fee"`` books the charge as a fee. docs/schedules.md, "Methods" (等本等息);
    PBoC 〔2021〕第3号 requires the annualised rate, not the flat rate alone.
    """

    name = "flat"

    def rule(self, plan: Plan, first: int, balance: int) -> Rule:
        periods = plan.term - first
        an, ad = plan.rate
        charges, years = [], Fraction(0)
        for k in range(first, plan.term):
            fn, fd = plan.fractions[k]
            charges.append(round_units(plan.original_units * an * fn, ad * fd, plan.mode))
            years += Fraction(fn, fd)
        # the instalment: (principal + all flat charges) / N, the exact value rounded once
        exact = (balance + plan.original_units * Fraction(an, ad) * years) / periods
        step = plan.payment_step
        payment = round_units(exact.numerator, exact.denominator * step, plan.payment_mode) * step
        return Rule(
            kind="payment",
            targets=[payment] * periods,
            charges=charges,
            charges_are_fees=plan.terms.flat_charge == "fee",
            regular=payment,
        )


register_method(Flat())
