"""How a loan is serviced (``ServicingPolicy``) and the one resolution of what a policy may
do against the contract: the overdue terms in force and the caps' limits."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from loanmath._checks import check_int
from loanmath._decimal import D, guard_init, is_multiple
from loanmath.ageing import CN_M, BucketSet
from loanmath.errors import InputTypeError, InvalidInputError, UnknownNameError
from loanmath.penalty import LIMITS, MAX_DAYS, PenaltyInForce, PenaltyPolicy, terms_in_force
from loanmath.servicing._events import COMPONENTS

__all__ = [
    "ACCRUALS",
    "INSTALMENT_ORDERS",
    "OVERPAYMENTS",
    "WATERFALLS",
    "ServicingPolicy",
    "cap_limit",
    "penalty_in_force",
]

#: Presets: the order in which a payment pays the components of what is due.
WATERFALLS = {
    "penalty_fees_interest_principal": ("penalty", "fees", "interest", "principal"),
    "interest_principal_penalty_fees": ("interest", "principal", "penalty", "fees"),
    "fees_interest_principal_penalty": ("fees", "interest", "principal", "penalty"),
}
INSTALMENT_ORDERS = ("oldest_first", "by_instalment")
ACCRUALS = ("period", "daily")
OVERPAYMENTS = ("hold", "prepay", "keep_term", "keep_payment")


def _order(value: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        if value not in WATERFALLS:
            raise UnknownNameError("waterfall", value, tuple(WATERFALLS))
        return WATERFALLS[value]
    order = tuple(value)
    if sorted(order) != sorted(COMPONENTS):
        raise InvalidInputError("waterfall", order, f"must order all of {COMPONENTS}")
    return order


def _tolerance(value: object) -> Decimal:
    return D(value, "tolerance_amount")


@guard_init
@attrs.frozen
class ServicingPolicy:
    """How a loan is serviced.

    Parameters
    ----------
    waterfall : str or sequence, default ``"penalty_fees_interest_principal"``
        The order of components a payment pays (a preset of :data:`WATERFALLS` or the four
        components in any order).
    penalty : PenaltyPolicy, optional
        Narrows the contract's overdue terms for this loan (never widens them).
    tolerance_amount : Decimal, default 0
        Arrears tolerance: an instalment owing this much or less is not late.
    tolerance_days : int, default 0
        A loan at most this many days late is current (DPD 0).
    buckets : BucketSet, default China's M0…M7+
    accrual : {"period", "daily"}
        ``"period"``: an instalment's interest is recognised on its due date; ``"daily"``:
        pro rata over its period, the exact share rounded once (docs/servicing.md C10).
    overpayment : {"hold", "prepay", "keep_term", "keep_payment"}
        What a payment beyond what is due does (C9).
    instalment_order : {"oldest_first", "by_instalment"}
        Component by component across due obligations, or obligation by obligation (C9).

    Notes
    -----
    Every check runs in ``__attrs_post_init__`` (attrs validators can be switched off
    process-wide). The rules are docs/servicing.md's conventions C2–C13.

    Examples
    --------
    >>> ServicingPolicy(waterfall="interest_principal_penalty_fees").waterfall[0]
    'interest'
    >>> ServicingPolicy(accrual="dayly")
    Traceback (most recent call last):
    ...
    loanmath.errors.UnknownNameError: accrual='dayly': ...
    """

    waterfall: tuple[str, ...] = attrs.field(
        default="penalty_fees_interest_principal", converter=_order
    )
    instalment_order: str = attrs.field(default="oldest_first", kw_only=True)
    penalty: PenaltyPolicy = attrs.field(factory=PenaltyPolicy)
    tolerance_amount: Decimal = attrs.field(default=Decimal(0), converter=_tolerance)
    tolerance_days: int = 0
    buckets: BucketSet = CN_M
    accrual: str = "period"
    overpayment: str = "hold"

    def __attrs_post_init__(self) -> None:
        for field, choices in (
            ("instalment_order", INSTALMENT_ORDERS),
            ("accrual", ACCRUALS),
            ("overpayment", OVERPAYMENTS),
        ):
            if getattr(self, field) not in choices:
                raise UnknownNameError(field, getattr(self, field), choices)
        if not isinstance(self.penalty, PenaltyPolicy):
            raise InputTypeError(
                "penalty", self.penalty, "must be a loanmath.penalty.PenaltyPolicy"
            )
        if not isinstance(self.buckets, BucketSet):
            raise InputTypeError("buckets", self.buckets, "must be a loanmath.ageing.BucketSet")
        if not 0 <= self.tolerance_amount <= LIMITS["late_fee"]:
            raise InvalidInputError(
                "tolerance_amount", self.tolerance_amount,
                f"must be between 0 and {LIMITS['late_fee']:f}",
            )  # fmt: skip
        days = check_int(self.tolerance_days, "tolerance_days", minimum=0)
        if days > MAX_DAYS:
            raise InvalidInputError("tolerance_days", days, f"must be at most {MAX_DAYS}")
        object.__setattr__(self, "tolerance_days", days)  # a numpy int becomes an int


def penalty_in_force(terms: Any, policy: ServicingPolicy) -> PenaltyInForce:
    """The overdue terms servicing applies: the contract's (``terms.overdue``) narrowed by
    the policy and lowered to every cap's ``overdue_limit`` (China: the cap itself,
    法释〔2020〕17号 Arts. 28–29; UK HCSTC: the contract rate, CONC 5A.3.18R).

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money, OverdueTerms
    >>> t = LoanTerms(Money("1000", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 1),
    ...               overdue=OverdueTerms(multiple="1.5", grace_days=3))
    >>> penalty_in_force(t, ServicingPolicy(penalty=PenaltyPolicy(grace_days=1))).grace_days
    3
    """
    limits = [limit for cap in terms.caps if (limit := cap.overdue_limit(terms)) is not None]
    force = terms_in_force(terms.overdue, Decimal(terms.annual_rate), policy.penalty, limits)
    fee = force.late_fee
    unit = terms.rounding.quantum_for(terms.principal.currency)
    if fee is not None and not is_multiple(fee, unit):
        raise InvalidInputError(
            "late_fee", fee, f"is not a whole number of the loan's unit {unit}",
            f"round it to {unit}",
        )  # fmt: skip
    return force


def cap_limit(terms: Any, name: str) -> Decimal | None:
    """The strictest of the loan's caps' `name` limits (``default_fees``: UK HCSTC £15 in
    total; ``total_cost``: 100 % of the credit), or None when no cap sets one.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> t = LoanTerms(Money("1000", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 1))
    >>> cap_limit(t, "total_cost") is None
    True
    """
    limits: list[Decimal] = [
        getattr(cap, name) for cap in terms.caps if getattr(cap, name) is not None
    ]
    return min(limits) if limits else None
