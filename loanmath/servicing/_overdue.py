"""Penalty interest and late fees within the caps (docs/servicing.md C4–C8, C16).

Penalty is an exact rational amount accumulated per instalment, day by day on each day's
actual base; what is owed is that cumulative amount rounded once, and each posting is the
difference of two rounded cumulative amounts — so no checkpoint, reminder or unrelated event
can move a cent.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from loanmath._decimal import ZERO, div_round
from loanmath.daycount import get_convention, year_fraction_exact
from loanmath.servicing._book import BASE_PLACES, Book, add_days
from loanmath.servicing._obligations import BEARS, CLEARED, PENDING, ChargedFee, InstalmentLine

__all__ = ["accrue_penalty", "charge_late_fees", "charge_room", "days_fraction"]

_ONE_DAY = _dt.timedelta(days=1)
#: Conventions whose year fraction over a span is the sum of its days' fractions.
_ADDITIVE = frozenset({"ACT/360", "ACT/365F", "ACT/ACT-ISDA", "NL/365"})
_UNBOUNDED = Decimal("Infinity")


def days_fraction(start: _dt.date, end: _dt.date, day_count: str) -> Fraction:
    """Σ yf(t − 1, t) for the days t in ``(start, end]`` (C5): one step for additive
    conventions, day by day for the others (30/360 …).

    Examples
    --------
    >>> days_fraction(_dt.date(2024, 2, 15), _dt.date(2024, 3, 15), "ACT/360")
    Fraction(29, 360)
    """
    if get_convention(day_count).name in _ADDITIVE:
        return year_fraction_exact(start, end, day_count)
    total = Fraction(0)
    day = start
    while day < end:
        following = day + _ONE_DAY
        total += year_fraction_exact(day, following, day_count)
        day = following
    return total


def _base(line: InstalmentLine, with_interest: bool, with_fees: bool) -> Decimal:
    """The line's penalty base (C4): its unpaid principal, with its unpaid interest when the
    penalty compounds or is on principal and interest, and its fees on the whole instalment."""
    base = line.principal - line.principal_paid
    if with_interest:
        base += line.interest - line.interest_paid
    if with_fees:
        base += line.fees - line.fees_paid
    return base


def _accrue(book: Book, line: InstalmentLine, base: Decimal, end: _dt.date) -> None:
    """Add C5 for the days ``(line.penalty_through, end]`` on `base`: integers on a fixed
    basis (ACT/360, ACT/365F), exact Fractions otherwise."""
    scale = book.penalty_scale
    millionths = base.scaleb(BASE_PLACES)
    exact = line.penalty_exact
    if (
        scale is not None
        and isinstance(exact, int)
        and millionths == millionths.to_integral_value()
    ):
        days = (end - line.penalty_through).days
        line.penalty_exact = exact + int(millionths) * scale[0] * days
        return
    if isinstance(exact, int):  # leave the integer path: a base finer than a millionth
        exact = Fraction(exact, scale[1]) if scale is not None else Fraction(exact)
    span = days_fraction(line.penalty_through, end, book.penalty.day_count)
    line.penalty_exact = exact + Fraction(base) * Fraction(book.penalty.annual_rate) * span


def _rounder(book: Book) -> Callable[[int | Fraction], Decimal]:
    """The exact cumulative penalty rounded once by the loan's rounding policy, as a function
    (its constants worked out once per accrual step, not once per line)."""
    rounding, currency = book.terms.rounding, book.currency
    quantum = rounding.quantum_for(currency)
    scale = book.penalty_scale
    q_num, q_den = quantum.as_integer_ratio()
    over = (scale[1] if scale is not None else 1) * q_num
    mode = rounding.mode

    def rounded(exact: int | Fraction) -> Decimal:
        if isinstance(exact, int):  # a numerator over the scale: quantum × round(exact / q)
            units: Decimal = quantum * div_round(exact * q_den, over, mode)
            return units
        value: Decimal = rounding.round(exact, currency)
        return value

    return rounded


def charge_room(book: Book) -> Decimal:
    """How much more in default charges the loan's total cost cap allows: UK HCSTC (CONC
    5A.3.2R) counts every charge — scheduled interest and fees, fees and penalty charged —
    against 100 % of the credit drawn."""
    share = book.total_cost_share
    if share is None:
        return _UNBOUNDED
    committed = sum((line.interest + line.fees for line in book.lines), ZERO)
    committed += sum((fee.amount for fee in book.fees), ZERO) + book.penalty_total
    return max(share * book.drawn - committed, ZERO)


def accrue_penalty(book: Book, day: _dt.date) -> None:
    """Accrue every overdue instalment's penalty for the days up to `day` on the base at the
    close of the day before; decide the grace test; post the rounded cumulative increase."""
    penalty = book.penalty
    if not penalty.annual_rate:
        return
    grace, stop = penalty.grace_days, penalty.stop_at_dpd
    with_interest = penalty.bears_interest_base
    with_fees = penalty.base == "overdue_instalment"
    target = _rounder(book)
    capped = book.total_cost_share is not None
    transfer = book.poster.transfer
    for line in book.open_lines():
        if line.grace == CLEARED:
            continue
        due = line.due_date
        end = day if stop is None else min(day, add_days(due, stop))
        base = _base(line, with_interest, with_fees)
        grew = False
        if end > line.penalty_through:
            if base:
                _accrue(book, line, base, end)
                grew = True
            line.penalty_through = end
        if line.grace == PENDING and (day - due).days > grace:
            line.grace = BEARS if base > 0 else CLEARED  # the base at the close of due + grace
            grew = line.grace == BEARS
        if line.grace != BEARS:
            continue
        if grew:
            line.penalty_target = target(line.penalty_exact)
        step = line.penalty_target - line.penalty_charged
        if step > 0 and capped:
            step = min(step, charge_room(book))
        if step > 0:
            line.penalty_charged += step
            book.penalty_total += step
            transfer(
                day,
                "penalty_receivable",
                "penalty_income",
                step,
                f"penalty interest, instalment {line.number}",
            )


def charge_late_fees(book: Book, day: _dt.date) -> bool:
    """Charge the late fee of every instalment whose grace ended before `day` and that still
    owes more than the arrears tolerance (C8); return whether any was charged."""
    fee = book.penalty.late_fee
    if not fee:
        return False
    grace = book.penalty.grace_days
    tolerance = book.policy.tolerance_amount
    charged = False
    for line in book.open_lines():
        if (day - line.due_date).days <= grace:
            break  # later lines are less late
        if line.late_checked:
            continue
        line.late_checked = True
        if line.unpaid <= tolerance:
            continue
        amount = min(fee, _default_fee_room(book), charge_room(book))
        if amount <= 0:
            continue
        book.late_fees += amount
        book.fees.append(ChargedFee(day, amount, f"late fee, instalment {line.number}"))
        book.poster.post(
            day,
            [("fee_receivable", amount), ("fee_income", -amount)],
            f"late fee, instalment {line.number}",
        )
        charged = True
    return charged


def _default_fee_room(book: Book) -> Decimal:
    """How much more in default fees the caps allow (UK HCSTC: £15 in total, CONC 5A.2)."""
    limit = book.default_fee_limit
    return _UNBOUNDED if limit is None else max(limit - book.late_fees, ZERO)
