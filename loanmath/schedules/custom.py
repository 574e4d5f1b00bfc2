"""Custom plans: the caller gives each period's principal part, or each instalment.

``Custom(principal=[...])`` (``LoanTerms(custom_principal=[...])``): the principal parts, one
per amortising period (after any grace periods); they must sum to the amortised principal
exactly. Interest is charged on the balance as usual.

``Custom(payments=[...])`` (``LoanTerms(custom_payments=[...])``): the instalments (principal +
interest), one per amortising period; each row's principal part is the instalment less the
interest, and the last instalment clears the balance (its difference from the given last
instalment is the ``Schedule.residual``). A plan that repays early leaves the later rows at
zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs

from loanmath._decimal import D, guard_init, to_units
from loanmath.errors import InputTypeError, InvalidInputError
from loanmath.money import Money, amount_in
from loanmath.schedules._engine import Method, Rule, register_method
from loanmath.schedules._plan import Plan

__all__ = ["Custom", "check_amounts", "plain_amounts"]


def check_amounts(value: object, field: str) -> tuple[Decimal | Money, ...] | None:
    """None, or the amounts as a tuple, each a Decimal (a Money keeps its currency, checked
    against the principal's by :meth:`Custom.in_currency`).

    Notes
    -----
    Entry ``i`` is named ``field[i]`` when refused; money is never a float.

    Examples
    --------
    >>> check_amounts(["600", 400], "custom_principal")
    (Decimal('600'), Decimal('400'))
    """
    if value is None:
        return None
    if isinstance(value, (str, bytes, Money)) or not isinstance(value, Iterable):
        raise InputTypeError(field, value, "must be a sequence of amounts")
    try:
        entries = tuple(value)
    except TypeError:  # an iterable that is not (a 0-d numpy array)
        raise InputTypeError(field, value, "must be a sequence of amounts") from None
    return tuple(
        v if isinstance(v, Money) else D(v, f"{field}[{i}]") for i, v in enumerate(entries)
    )


def _principal(value: object) -> tuple[Decimal | Money, ...] | None:
    return check_amounts(value, "Custom.principal")


def _payments(value: object) -> tuple[Decimal | Money, ...] | None:
    return check_amounts(value, "Custom.payments")


def plain_amounts(
    values: tuple[Decimal | Money, ...], currency: str, field: str
) -> tuple[Decimal, ...]:
    """The entries' amounts, each Money checked to be in `currency` (``field[i].currency``).

    Notes
    -----
    :func:`loanmath.money.amount_in` per entry.

    Examples
    --------
    >>> plain_amounts((Decimal("600"), Money("400", "USD")), "USD", "custom_principal")
    (Decimal('600'), Decimal('400'))
    """
    return tuple(amount_in(v, currency, f"{field}[{i}]") for i, v in enumerate(values))


@guard_init
@attrs.frozen
class Custom(Method):
    """Principal parts or instalments given by the caller:
    ``LoanTerms(method=Custom(principal=[...]))`` or ``Custom(payments=[...])``.

    Parameters
    ----------
    principal : sequence of amounts, optional
        The principal parts, one per period after grace (``custom_principal``).
    payments : sequence of amounts, optional
        The instalments, one per period after grace (``custom_payments``). Exactly one of the
        two.

    Notes
    -----
    One entry per period after grace. ``principal``: the principal parts (they must sum
    exactly to the amortised principal), interest on the balance as usual. ``payments``:
    principal = payment − interest, a payment below its row's interest and fees refused; the last
    row clears the balance, the residual is its principal + interest − the last payment given.
    docs/schedules.md, "Methods".

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> terms = LoanTerms(Money("900", "USD"), "0.12", 3, start_date=dt.date(2024, 1, 1),
    ...                   method=Custom(principal=["200", "300", "400"]))
    >>> [str(row.payment) for row in terms.schedule.installments]
    ['209.00', '307.00', '404.00']
    """

    name = "custom"
    principal: tuple[Decimal | Money, ...] | None = attrs.field(default=None, converter=_principal)
    payments: tuple[Decimal | Money, ...] | None = attrs.field(default=None, converter=_payments)

    def validate(self, terms: object) -> None:
        parts, payments = self.principal, self.payments
        if (parts is None) == (payments is None):
            raise InvalidInputError(
                "custom_principal",
                parts,
                "a custom plan needs exactly one of custom_principal and custom_payments",
            )
        given = parts if parts is not None else payments
        field = "custom_principal" if parts is not None else "custom_payments"
        expected = getattr(terms, "term", 0) - getattr(terms, "grace_periods", 0)
        if given is None:
            return
        if len(given) != expected:
            raise InvalidInputError(
                field, len(given), f"must have {expected} entries (term less grace periods)"
            )
        if any((v.amount if isinstance(v, Money) else v) < 0 for v in given):
            raise InvalidInputError(field, given, "entries must be >= 0")

    def in_currency(self, currency: str) -> Custom:
        """This plan with every Money entry checked to be in `currency` and made a Decimal."""
        changes = {
            field: plain_amounts(values, currency, f"custom_{field}")
            for field, values in (("principal", self.principal), ("payments", self.payments))
            if values is not None and any(isinstance(v, Money) for v in values)
        }
        return attrs.evolve(self, **changes) if changes else self

    def rule(self, plan: Plan, first: int, balance: int) -> Rule:
        if self.principal is not None:
            given = plain_amounts(self.principal, plan.currency, "custom_principal")
            parts = _units(given, plan, "custom_principal")
            if sum(parts) != balance:
                raise InvalidInputError(
                    "custom_principal",
                    sum(given, Decimal(0)),
                    f"must sum to the amortised principal {balance * plan.quantum}",
                    "adjust the parts so they add up exactly",
                )
            return Rule(kind="principal", targets=parts)
        payments = plain_amounts(self.payments or (), plan.currency, "custom_payments")
        targets = _units(payments, plan, "custom_payments")
        return Rule(kind="payment", targets=targets, regular=targets[-1], given="custom_payments")


def _units(values: tuple[Decimal, ...], plan: Plan, field: str) -> list[int]:
    return [to_units(v, plan.quantum, f"{field}[{i}]") for i, v in enumerate(values)]


register_method(Custom())
