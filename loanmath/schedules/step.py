"""Step payments: instalments that change by a fixed amount or percentage every N periods.

Instalment ``j`` (0-based, after any grace) is ``A₁·(1 + g)^⌊j/N⌋`` (``Step(rate=g)``) or
``A₁ + s·⌊j/N⌋`` (``Step(amount=s)``). ``A₁`` is solved exactly so that the instalments'
present value at the loan's period rates equals the balance (under ``payment_basis="regular"``
the nominal periodic rate for every period; under ``"actual"`` each period's own rate):

    A₁ = (B − s·Σ c_j v_j) / Σ w_j v_j,   v_j = Π_{i≤j} (1 + r_i)^−1

with ``w_j = (1+g)^⌊j/N⌋`` (or 1) and ``c_j = ⌊j/N⌋`` (or 0). Each instalment is its exact
value rounded once; the last clears the balance (``Schedule.residual``).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import attrs

from loanmath._checks import check_int
from loanmath._decimal import D, guard_init, to_fraction
from loanmath.errors import InvalidInputError
from loanmath.money import Money, amount_in, amount_or_money
from loanmath.schedules._engine import Method, Rule, register_method, round_units
from loanmath.schedules._plan import Plan

__all__ = ["STEP_RATE_PLACES", "Step", "check_step_amount", "check_step_every", "check_step_rate"]

#: Decimal places a step rate may have (0.0001 is a hundredth of a percent per step; finer
#: steps make the exact level-payment fractions grow without changing a cent).
STEP_RATE_PLACES = 8


def check_step_every(value: object, field: str = "step_every") -> int:
    """Periods between steps: an int >= 1 (a numpy integer becomes an int).

    Notes
    -----
    The ``N`` of ``⌊j/N⌋`` in :class:`Step`; a bool or a float is refused by `field`.

    Examples
    --------
    >>> check_step_every(3)
    3
    """
    every = value if type(value) is int else check_int(value, field)
    if every < 1:
        raise InvalidInputError(field, every, "must be an int >= 1 for method 'step'")
    return every


def check_step_rate(value: object, field: str = "step_rate") -> Decimal | None:
    """None, or the fraction each step changes the instalment by: above −1, at most 10, at
    most :data:`STEP_RATE_PLACES` decimal places.

    Notes
    -----
    The ``g`` of ``A₁·(1 + g)^⌊j/N⌋`` in :class:`Step`; more places only grow the exact
    fractions of the level payment without changing a cent.

    Examples
    --------
    >>> check_step_rate("0.05")
    Decimal('0.05')
    """
    if value is None:
        return None
    rate = D(value, field)
    if -int(rate.as_tuple().exponent) > STEP_RATE_PLACES:
        raise InvalidInputError(
            field, rate, f"has more than {STEP_RATE_PLACES} decimal places", "round the step rate"
        )
    if not -1 < rate <= 10:
        raise InvalidInputError(field, rate, "must be above -1 and at most 10")
    return rate


def check_step_amount(value: object, field: str = "step_amount") -> Decimal | Money | None:
    """None, or the amount each step adds (a Money keeps its currency, checked against the
    principal's by :meth:`Step.in_currency`).

    Notes
    -----
    The ``s`` of ``A₁ + s·⌊j/N⌋`` in :class:`Step`; money is never a float.

    Examples
    --------
    >>> check_step_amount("50")
    Decimal('50')
    """
    return amount_or_money(value, field)


def _every(value: object) -> int:
    return check_step_every(value, "Step.every")


def _rate(value: object) -> Decimal | None:
    return check_step_rate(value, "Step.rate")


def _amount(value: object) -> Decimal | Money | None:
    return check_step_amount(value, "Step.amount")


@guard_init
@attrs.frozen
class Step(Method):
    """Graduated (or declining) instalments: ``LoanTerms(method=Step(every=3, rate="0.05"))``.

    Parameters
    ----------
    every : int, default 1
        Periods between steps (``LoanTerms(step_every=...)``).
    rate : Decimal, optional
        Each step multiplies the instalment by ``1 + rate`` (``step_rate``).
    amount : Decimal or Money, optional
        Each step adds `amount` (``step_amount``). Exactly one of `rate` and `amount`.

    Notes
    -----
    Instalment j (0-based, after grace) is ``A₁·(1 + g)^⌊j/N⌋`` (``rate=g``) or ``A₁ +
    s·⌊j/N⌋`` (``amount=s``), ``N = every``; ``A₁`` solves Σ instalment_j·v_j = B
    exactly, ``v_j`` discounting at the nominal periodic rate (at each period's actual rate with
    ``payment_basis="actual"``). Each instalment is rounded once; the last row clears the
    balance (docs/schedules.md, "Methods").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> terms = LoanTerms(Money("10000", "USD"), "0.06", 24, start_date=dt.date(2024, 1, 1),
    ...                   method=Step(every=12, rate="0.1"))
    >>> rows = terms.schedule.installments
    >>> terms.method, terms.step_rate, str(rows[0].payment), str(rows[12].payment)
    ('step', Decimal('0.1'), '422.70', '464.97')
    """

    name = "step"
    every: int = attrs.field(default=1, converter=_every)
    rate: Decimal | None = attrs.field(default=None, converter=_rate)
    amount: Decimal | Money | None = attrs.field(default=None, converter=_amount)

    def validate(self, terms: object) -> None:
        if (self.rate is None) == (self.amount is None):
            raise InvalidInputError(
                "step_rate",
                self.rate,
                "method 'step' needs exactly one of step_rate and step_amount",
            )

    def in_currency(self, currency: str) -> Step:
        """This step with a Money `amount` checked to be in `currency` and made a Decimal."""
        if not isinstance(self.amount, Money):
            return self
        return attrs.evolve(self, amount=amount_in(self.amount, currency, "step_amount"))

    def rule(self, plan: Plan, first: int, balance: int) -> Rule:
        periods = plan.term - first
        growth = to_fraction(self.rate) if self.rate is not None else None
        amount = (
            None if self.amount is None else amount_in(self.amount, plan.currency, "step_amount")
        )
        step = (
            to_fraction(amount) / to_fraction(plan.quantum) if amount is not None else Fraction(0)
        )
        weights, counts = [], []
        for j in range(periods):
            level = j // self.every
            weights.append((1 + growth) ** level if growth is not None else Fraction(1))
            counts.append(level if growth is None else 0)
        weighted, stepped = _present_values(plan, first, weights, counts)
        first_payment = (balance - step * stepped) / weighted
        if first_payment <= 0:
            raise InvalidInputError(
                "step_amount",
                amount,
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
            given="step_rate" if self.rate is not None else "step_amount",
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
