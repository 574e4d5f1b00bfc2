"""Custom plans: the caller gives each period's principal part, or each instalment.

``LoanTerms(custom_principal=[...])``: the principal parts, one per amortising period (after
any grace periods); they must sum to the amortised principal exactly. Interest is charged on
the balance as usual.

``LoanTerms(custom_payments=[...])``: the instalments (principal + interest), one per
amortising period; each row's principal part is the instalment less the interest, and the last
instalment clears the balance (its difference from the given last instalment is the
``Schedule.residual``). A plan that repays early leaves the later rows at zero.
"""

from __future__ import annotations

from decimal import Decimal

from loanmath._decimal import to_units
from loanmath.errors import InvalidInputError
from loanmath.schedules._engine import Method, Rule, register_method
from loanmath.schedules._plan import Plan

__all__ = ["Custom"]


class Custom(Method):
    """Principal parts or instalments given by the caller.

    Notes
    -----
    One entry per period after grace. ``custom_principal``: the principal parts (they must sum
    exactly to the amortised principal), interest on the balance as usual. ``custom_payments``:
    principal = payment − interest, a payment below its row's interest and fees refused; the last
    row clears the balance, the residual is its principal + interest − the last payment given.
    docs/schedules.md, "Methods".
    """

    name = "custom"

    def validate(self, terms: object) -> None:
        parts = getattr(terms, "custom_principal", None)
        payments = getattr(terms, "custom_payments", None)
        if (parts is None) == (payments is None):
            raise InvalidInputError(
                "custom_principal",
                parts,
                "a custom plan needs exactly one of custom_principal and custom_payments",
            )
        given = parts if parts is not None else payments
        field = "custom_principal" if parts is not None else "custom_payments"
        expected = getattr(terms, "term", 0) - getattr(terms, "grace_periods", 0)
        if given is not None and len(given) != expected:
            raise InvalidInputError(
                field, len(given), f"must have {expected} entries (term less grace periods)"
            )
        if given is not None and any(v < 0 for v in given):
            raise InvalidInputError(field, given, "entries must be >= 0")

    def rule(self, plan: Plan, first: int, balance: int) -> Rule:
        terms = plan.terms
        if terms.custom_principal is not None:
            parts = _units(terms.custom_principal, plan, "custom_principal")
            if sum(parts) != balance:
                total = sum(terms.custom_principal, Decimal(0))
                raise InvalidInputError(
                    "custom_principal",
                    total,
                    f"must sum to the amortised principal {balance * plan.quantum}",
                    "adjust the parts so they add up exactly",
                )
            return Rule(kind="principal", targets=parts)
        payments = _units(terms.custom_payments or (), plan, "custom_payments")
        return Rule(kind="payment", targets=payments, regular=payments[-1], given="custom_payments")


def _units(values: tuple[Decimal, ...], plan: Plan, field: str) -> list[int]:
    return [to_units(v, plan.quantum, f"{field}[{i}]") for i, v in enumerate(values)]


register_method(Custom())
