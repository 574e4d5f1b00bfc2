"""Flat / add-on (等本等息): a charge on the *original* principal every period.

``annual_rate`` is the flat rate per year on the original principal: each period charges
``original principal × annual_rate × period fraction`` (``/ m`` for regular periods), rounded
once, whatever the balance. The instalment is level: ``(principal + all flat charges) / N``,
the exact value rounded once (as banks quote it: $10,000 at 3.80 % flat over 24 months is
$448.33 a month); each row's principal part is the instalment less the charge, and the last
instalment clears the balance (``Schedule.residual``). With ``Flat(charge="fee")`` the charge is
a monthly fee (fees column, zero interest), as fee-rate loans are quoted.

The flat rate is far below the loan's IRR-annualised rate (about half for a 12-instalment
loan); China's PBoC announcement 〔2021〕第3号 requires the annualised rate to be disclosed, not
the flat or fee rate alone — the APR module measures it from ``cash_flows()``.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from loanmath._checks import check_name
from loanmath._decimal import guard_init
from loanmath.schedules._engine import Method, Rule, register_method, round_units
from loanmath.schedules._plan import Plan

__all__ = ["FLAT_CHARGES", "Flat", "check_flat_charge"]

#: How the flat charge is booked: as interest, or as a fee (fee-rate loans).
FLAT_CHARGES = ("interest", "fee")


def check_flat_charge(value: object, field: str = "flat_charge") -> str:
    """One of :data:`FLAT_CHARGES`.

    Notes
    -----
    ``"interest"`` books each period's flat charge as interest, ``"fee"`` as a fee (fee-rate
    loans); the annualised rate is the same either way (PBoC 〔2021〕第3号).

    Examples
    --------
    >>> check_flat_charge("fee")
    'fee'
    """
    return check_name(value, field, FLAT_CHARGES)


def _charge(value: object) -> str:
    return check_flat_charge(value, "Flat.charge")


@guard_init
@attrs.frozen
class Flat(Method):
    """Flat-rate (add-on) loans; see the module documentation.

    Parameters
    ----------
    charge : {"interest", "fee"}, default "interest"
        Book the flat charge as interest or as a fee (``LoanTerms(flat_charge=...)``).

    Notes
    -----
    Charge of period k: ``round(P₀ × annual_rate × f_k)`` on the original principal ``P₀``
    (``f_k = 1/m`` for a regular period); instalment ``A = round((B + P₀ × rate × Σ f_k) / N)``
    by the payment rounding; principal = ``A`` − the charge, the last row clearing the balance.
    ``charge="fee"`` books the charge as a fee. docs/schedules.md, "Methods" (等本等息);
    PBoC 〔2021〕第3号 requires the annualised rate, not the flat rate alone.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> terms = LoanTerms(Money("10000", "USD"), "0.038", 24, start_date=dt.date(2024, 1, 1),
    ...                   method=Flat(charge="fee"))
    >>> str(terms.schedule.installments[0].payment), str(terms.schedule.installments[0].fees)
    ('448.33', '31.67')
    """

    name = "flat"
    charge: str = attrs.field(default="interest", converter=_charge)

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
            charges_are_fees=self.charge == "fee",
            regular=payment,
        )


register_method(Flat())
