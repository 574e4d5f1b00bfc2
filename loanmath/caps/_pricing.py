"""Pricing one contract to a cap: the highest rate, the highest fee."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from loanmath._decimal import CONTEXT, D, context_free
from loanmath.caps._base import Cap
from loanmath.caps._batch import batch_max_fee, batch_max_rate
from loanmath.caps._offers import METHODS
from loanmath.errors import InvalidInputError, NoSolutionError, RateCapExceeded

__all__ = ["max_fee", "max_rate"]

#: The coarsest step max_rate takes: a whole 100 % a year.
_MAX_STEP = Decimal(1)
#: LoanTerms' highest annual rate (10,000 %).
_MAX_RATE = Decimal(100)


def _plain(terms: Any, cap: Cap) -> bool:
    """Whether the batch engine computes `terms` exactly as the schedule does."""
    overdue = terms.overdue.agreed and cap.overdue_limit(terms) is not None
    return (
        cap.batch_measure is not None
        and set(terms.caps) <= {cap}
        and not overdue
        and terms.method in METHODS
        and terms.first_due_date is None
        and terms.day_count is None
        and terms.grace_periods == 0
        and terms.payment_rounding is None
        and terms.rounding.mode == "half_up"
        and terms.rounding.quantum is None
        and getattr(terms, "business_day", "none") == "none"
    )


def _columns(terms: Any, skip: object = None) -> dict[str, Any] | None:
    """The batch columns of `terms` (without the fee `skip`), or None if it has others."""
    totals = {"upfront": Decimal(0), "financed": Decimal(0)}
    for fee in terms.fees:
        if fee is skip:
            continue
        if fee.timing not in totals or fee.amount is None:
            return None
        totals[fee.timing] += fee.amount
    return {
        "principal": terms.principal.amount,
        "currency": terms.principal.currency,
        "term": terms.term,
        "method": terms.method,
        "frequency": terms.frequency,
        "upfront_fee": totals["upfront"],
        "financed_fee": totals["financed"],
        "start_date": terms.start_date,
    }


def _batch_rate(terms: Any, cap: Cap, unit: Decimal) -> Decimal | None:
    """`max_rate` by the batch engine, when it expresses `terms` and `unit` (else None)."""
    counts = unit.scaleb(7)
    columns = _columns(terms) if _plain(terms, cap) else None
    if columns is None or counts != counts.to_integral_value():
        return None
    try:
        found: Decimal = batch_max_rate(cap, **columns, step=unit)[0]
    except NoSolutionError:
        raise InvalidInputError(
            "terms", cap.name, "breaks the cap even at a zero rate", "lower the fees"
        ) from None
    return found


# --- the pricing side -----------------------------------------------------------------------


def _complies(terms: Any, cap: Cap, **changes: Any) -> bool:
    caps = tuple(dict.fromkeys((*terms.caps, cap)))
    try:
        attrs.evolve(terms, caps=caps, **changes)
    except RateCapExceeded:
        return False
    return True


def _highest(passes: Callable[[int], bool], low: int, high: int) -> int:
    """The largest k in [low, high] with passes(k), given passes(low) and monotone passes."""
    while low < high:
        middle = (low + high + 1) // 2
        if passes(middle):
            low = middle
        else:
            high = middle - 1
    return low


@context_free
def max_rate(terms: Any, cap: Cap, *, step: Decimal | str = "0.000001") -> Decimal:
    """The highest annual rate (a multiple of `step`) at which `terms` complies with `cap`.

    Everything else in the contract stays as it is; one `step` more breaks the cap.

    Raises
    ------
    InvalidInputError
        If the contract breaks the cap even at a zero rate (its fees alone are too high).

    Notes
    -----
    The largest ``k × step`` (at most ``LoanTerms``' ceiling of 100, 10,000 %) at which
    ``attrs.evolve(terms, annual_rate=k × step)`` with `cap` added to its caps is accepted:
    compliance falls as the rate rises, so k is found by doubling, then bisection. Terms the batch
    engine expresses exactly are solved by :func:`batch_max_rate`, with the same answer
    (docs/caps-and-quote.md, "Pricing to the cap").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import Fee, LoanTerms, Money
    >>> from loanmath.caps import CN_COMPREHENSIVE_36
    >>> terms = LoanTerms(Money("12000", "CNY"), "0.10", 12, start_date=dt.date(2024, 1, 15),
    ...                   fees=(Fee("service", "upfront", amount="200"),))
    >>> max_rate(terms, CN_COMPREHENSIVE_36)
    Decimal('0.326348')
    """
    unit = D(step, "step")
    if not 0 < unit <= _MAX_STEP:
        raise InvalidInputError("step", unit, f"must be > 0 and at most {_MAX_STEP}")
    fast = _batch_rate(terms, cap, unit)
    if fast is not None:
        return fast

    def passes(k: int) -> bool:
        return _complies(terms, cap, annual_rate=CONTEXT.multiply(unit, Decimal(k)))

    if not passes(0):
        raise InvalidInputError(
            "terms", cap.name, "breaks the cap even at a zero rate", "lower the fees"
        )
    top = int(CONTEXT.divide_int(_MAX_RATE, unit))  # LoanTerms refuses a rate above 100
    high = 1
    while high < top and passes(high):
        high = min(2 * high, top)
    if high == top and passes(top):
        return CONTEXT.multiply(unit, Decimal(top))
    return CONTEXT.multiply(unit, Decimal(_highest(passes, high // 2, high - 1)))


@context_free
def max_fee(terms: Any, cap: Cap, *, name: str | None = None) -> Decimal:
    """The highest amount of an upfront or financed fee at which `terms` complies with `cap`.

    The fee is the contract's upfront or financed fee called `name` (default: the first); the
    result is a multiple of the currency's minor unit, and one unit more breaks the cap.

    Notes
    -----
    The largest ``k × quantum`` (the loan's rounding quantum, the currency's minor unit by
    default; k up to principal / quantum) as the fee's amount (a rate fee becomes an amount) at
    which ``LoanTerms`` with `cap` added is accepted, found by bisection (compliance falls as the
    fee rises); plain terms go through :func:`batch_max_fee`. docs/caps-and-quote.md, "Pricing to
    the cap".

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import Fee, LoanTerms, Money
    >>> from loanmath.caps import CN_COMPREHENSIVE_36
    >>> terms = LoanTerms(Money("12000", "CNY"), "0.24", 12, start_date=dt.date(2024, 1, 15),
    ...                   fees=(Fee("service", "upfront", amount=0),))
    >>> max_fee(terms, CN_COMPREHENSIVE_36)
    Decimal('705.02')
    """
    from_terms = [
        f
        for f in terms.fees
        if f.timing in ("upfront", "financed") and (name is None or f.name == name)
    ]
    template = from_terms[0] if from_terms else None
    quantum = terms.rounding.quantum_for(terms.principal.currency)
    others = tuple(f for f in terms.fees if f is not template)

    if template is None:
        raise InvalidInputError(
            "fees",
            name,
            "no upfront or financed fee to price in these terms",
            "add it to the terms (e.g. Fee('service', 'upfront', amount=0))",
        )
    columns = _columns(terms, skip=template) if _plain(terms, cap) else None
    if columns is not None:
        try:
            found: Decimal = batch_max_fee(
                cap, **columns, annual_rate=terms.annual_rate, fee=template.timing
            )[0]
        except NoSolutionError:
            raise InvalidInputError(
                "terms", cap.name, "breaks the cap even without the fee", "lower the rate"
            ) from None
        return found

    def with_fee(k: int) -> tuple[Any, ...]:
        amount = CONTEXT.multiply(quantum, Decimal(k))
        return (*others, attrs.evolve(template, amount=amount, rate=None))

    def passes(k: int) -> bool:
        try:
            return _complies(terms, cap, fees=with_fee(k))
        except InvalidInputError:
            return False  # a fee as large as the principal is refused outright

    if not passes(0):
        raise InvalidInputError(
            "terms", cap.name, "breaks the cap even without the fee", "lower the rate"
        )
    ceiling = int(CONTEXT.divide(terms.principal.amount, quantum))
    return CONTEXT.multiply(quantum, Decimal(_highest(passes, 0, ceiling)))
