"""Re-amortisation after a partial prepayment: keep the instalment, or keep the term."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from fractions import Fraction

import attrs

from loanmath._checks import check_date, check_name
from loanmath._decimal import D, context_free, to_units
from loanmath.daycount import year_fraction_exact
from loanmath.errors import InvalidInputError
from loanmath.money import Money
from loanmath.schedules._engine import Rule, amortize, round_units
from loanmath.schedules._model import Schedule
from loanmath.schedules._plan import Plan
from loanmath.schedules.equal_principal import principal_part

__all__ = ["reamortize"]

_KEEP = ("payment", "term")


def _outstanding_units(outstanding: Money | Decimal | int | str, schedule: Schedule) -> int:
    if isinstance(outstanding, Money):
        if outstanding.currency != schedule.currency:
            raise InvalidInputError("outstanding", outstanding, f"must be in {schedule.currency}")
        amount = outstanding.amount
    else:
        amount = D(outstanding, "outstanding")
    units = to_units(amount, schedule.quantum, "outstanding")
    if units <= 0:
        raise InvalidInputError(
            "outstanding", amount, "must be > 0", "a loan repaid in full needs no schedule"
        )
    return units


def _remaining_plan(plan: Plan, on: _dt.date, units: int) -> Plan:
    later = [k for k, due in enumerate(plan.dates) if due > on]
    if not later:
        raise InvalidInputError(
            "on_date", on, f"is on or after the last due date {plan.dates[-1].isoformat()}"
        )
    first = later[0]
    previous = plan.dates[first - 1] if first else plan.start
    terms = plan.terms
    if terms.day_count is not None:
        f = year_fraction_exact(
            on, plan.dates[first], terms.day_count, termination_date=plan.dates[-1]
        )
    else:
        f = Fraction(*plan.fractions[first]) * Fraction(
            (plan.dates[first] - on).days, (plan.dates[first] - previous).days
        )
    fractions = ((f.numerator, f.denominator), *plan.fractions[first + 1 :])
    return attrs.evolve(
        plan,
        start=on,
        dates=plan.dates[first:],
        fractions=fractions,
        odd_first=f != Fraction(*plan.fractions[first]),
        principal_units=units,
        upfront_units=0,
        financed_units=0,
        grace_periods=0,
    )


def _rows_to_clear(plan: Plan, target: int, kind: str) -> int:
    """How many of the plan's rows a fixed payment (or principal part) needs to clear it."""
    balance = plan.principal_units
    for k in range(plan.term):
        if kind == "principal":
            principal = target
        else:
            num, den = plan.period_rate(k)
            principal = target - round_units(balance * num, den, plan.mode)
        if principal >= balance:
            return k + 1
        if principal <= 0:
            break
        balance -= principal
    raise InvalidInputError(
        "keep",
        "payment",
        "the current instalment does not repay the outstanding balance by the original maturity",
        "use keep='term' to recompute the instalment",
    )


@context_free
def reamortize(
    schedule: Schedule,
    on_date: _dt.date,
    outstanding: Money | Decimal | int | str,
    keep: str = "payment",
) -> Schedule:
    """A new schedule after a partial prepayment on `on_date` leaves `outstanding` principal.

    Parameters
    ----------
    schedule : Schedule
        The schedule in force (annuity or equal principal).
    on_date : datetime.date
        The prepayment date; the new schedule starts there and keeps the remaining due dates.
    outstanding : Money or Decimal
        Principal outstanding after the prepayment (a multiple of the rounding quantum).
    keep : {"payment", "term"}
        ``"payment"``: keep the instalment (annuity) or principal part (equal principal) and
        shorten the term; ``"term"``: keep the remaining due dates and lower the instalment.

    Returns
    -------
    Schedule

    Notes
    -----
    The first new period runs from `on_date` to the next due date: by the day count for daily
    accrual, else pro rata to the days of the period at the periodic rate. Periodic fees carry
    on; upfront and financed fees are not charged again.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money, build_schedule, reamortize
    >>> s = build_schedule(LoanTerms(Money("12000.00", "CNY"), "0.12", 12,
    ...                              start_date=dt.date(2024, 1, 15)))
    >>> shorter = reamortize(s, dt.date(2024, 4, 15), Money("5000.00", "CNY"), keep="payment")
    >>> shorter.term, str(shorter.regular_payment)
    (5, '1066.19')
    >>> lower = reamortize(s, dt.date(2024, 4, 15), Money("5000.00", "CNY"), keep="term")
    >>> lower.term, str(lower.regular_payment)
    (9, '583.70')
    """
    check_name(keep, "keep", _KEEP)
    plan: Plan = schedule.plan
    if plan.method not in ("annuity", "equal_principal"):
        raise InvalidInputError(
            "schedule.method", plan.method, "reamortize supports 'annuity' and 'equal_principal'"
        )
    on = check_date(on_date, "on_date")
    if on < plan.start:
        raise InvalidInputError("on_date", on, f"must not be before the start {plan.start}")
    new = _remaining_plan(plan, on, _outstanding_units(outstanding, schedule))
    if keep == "term":
        return amortize(new)
    regular = schedule.regular_payment if plan.method == "annuity" else None
    if plan.method == "annuity" and regular is not None:
        target, kind = to_units(regular, schedule.quantum, "regular_payment"), "payment"
    else:
        old_periods = plan.term - plan.grace_periods
        target = principal_part(plan, old_periods, plan.principal_units)
        kind = "principal"
    rows = _rows_to_clear(new, target, kind)
    new = attrs.evolve(new, dates=new.dates[:rows], fractions=new.fractions[:rows])
    # the kept payment applies from the first new row (no odd-days adjustment), exactly as
    # _rows_to_clear counted it
    return amortize(new, Rule(kind=kind, targets=[target] * rows, regular=target))
