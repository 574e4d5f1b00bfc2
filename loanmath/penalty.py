"""Penalty interest (罚息) and late fees: the rules, as data, and the exact amount of a span.

A :class:`PenaltyPolicy` says what overdue amount bears penalty interest (the base), at what
annual rate, from when (grace days after the due date), whether it compounds on overdue
interest (复利), when accrual stops (a non-accrual DPD threshold), and any fixed late fee per
missed instalment. :func:`penalty_interest` is the exact amount for one span: the base times
the rate times the span's year fraction, rounded once.

References
----------
法释〔2020〕17号 Arts. 28–29 (overdue interest, penalties and fees together within 4 × LPR,
checked by ``loanmath.caps``); FCA CONC 5A.2 (default fees ≤ £15 in total).
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import attrs

from loanmath._decimal import EXACT, D
from loanmath.daycount import get_convention, year_fraction_exact
from loanmath.errors import InvalidInputError, UnknownNameError
from loanmath.money import Rounding

__all__ = ["BASES", "PenaltyPolicy", "penalty_interest"]

#: What bears penalty interest: overdue principal; the whole overdue instalment (principal,
#: interest and fees); or overdue principal and interest.
BASES = ("overdue_principal", "overdue_instalment", "overdue_principal_interest")


def _to_annual_rate(value: object) -> Decimal | None:
    return None if value is None else D(value, "annual_rate")


def _to_daily_rate(value: object) -> Decimal | None:
    return None if value is None else D(value, "daily_rate")


def _to_late_fee(value: object) -> Decimal | None:
    return None if value is None else D(value, "late_fee")


@attrs.frozen
class PenaltyPolicy:
    """How overdue amounts are charged.

    Parameters
    ----------
    annual_rate : Decimal, optional
        The penalty rate a year on the base; ``None`` takes the contract's overdue rate
        (``LoanTerms.overdue_rate``: contract rate × multiple, or + penalty rate).
    base : str, default ``"overdue_principal"``
        One of :data:`BASES`.
    grace_days : int, default 0
        Days after a due date before penalty interest starts.
    compound : bool, default False
        复利: overdue interest bears penalty interest too (PBoC 银发〔2003〕251号: unpaid
        interest compounds, at the penalty rate once overdue). With the default base this makes
        it overdue principal + interest; the other bases already include the interest.
        Penalty interest itself never bears penalty.
    daily_rate : Decimal, optional
        A daily penalty rate instead of an annual one (万分之五 = ``Decimal("0.0005")``):
        ``base × daily_rate × days``, exact, whatever `day_count` says. Not with `annual_rate`.
    day_count : str, default ``"ACT/360"``
        Chinese banks' 日利率 = 年利率 / 360.
    late_fee : Decimal, optional
        A fixed fee for each instalment not paid by the end of the grace period.
    stop_at_dpd : int, optional
        Non-accrual: no penalty accrues beyond this many days past due.

    Examples
    --------
    >>> PenaltyPolicy(base="overdue_instalment", grace_days=3).grace_days
    3
    >>> PenaltyPolicy(daily_rate="0.0005").rate_and_day_count(None)
    (Decimal('0.1800'), 'ACT/360')
    """

    annual_rate: Decimal | None = attrs.field(default=None, converter=_to_annual_rate)
    base: str = "overdue_principal"
    grace_days: int = 0
    compound: bool = False
    day_count: str = "ACT/360"
    late_fee: Decimal | None = attrs.field(default=None, converter=_to_late_fee)
    stop_at_dpd: int | None = None
    daily_rate: Decimal | None = attrs.field(default=None, converter=_to_daily_rate, kw_only=True)

    def rate_and_day_count(self, overdue_rate: Decimal | None) -> tuple[Decimal | None, str]:
        """The annual rate and day count penalty interest runs at: a daily rate as the same
        rate × 360 on ACT/360 (exactly ``base × daily × days``), else the annual rate, else
        the contract's `overdue_rate`."""
        if self.daily_rate is not None:
            return EXACT.multiply(self.daily_rate, Decimal(360)), "ACT/360"
        rate = self.annual_rate if self.annual_rate is not None else overdue_rate
        return rate, self.day_count

    def __attrs_post_init__(self) -> None:
        if self.daily_rate is not None:
            if self.daily_rate < 0:
                raise InvalidInputError("daily_rate", self.daily_rate, "must be >= 0")
            if self.annual_rate is not None:
                raise InvalidInputError(
                    "daily_rate", self.daily_rate, "give annual_rate or daily_rate, not both"
                )
        if self.base not in BASES:
            raise UnknownNameError("base", self.base, BASES)
        get_convention(self.day_count)
        if self.annual_rate is not None and self.annual_rate < 0:
            raise InvalidInputError("annual_rate", self.annual_rate, "must be >= 0")
        if (
            isinstance(self.grace_days, bool)
            or not isinstance(self.grace_days, int)
            or (self.grace_days < 0)
        ):
            raise InvalidInputError("grace_days", self.grace_days, "must be an int >= 0")
        if self.late_fee is not None and self.late_fee < 0:
            raise InvalidInputError("late_fee", self.late_fee, "must be >= 0")
        if self.stop_at_dpd is not None and self.stop_at_dpd < 0:
            raise InvalidInputError("stop_at_dpd", self.stop_at_dpd, "must be >= 0")


def penalty_interest(
    base: Decimal,
    annual_rate: Decimal,
    start: _dt.date,
    end: _dt.date,
    currency: str,
    *,
    day_count: str = "ACT/360",
    rounding: Rounding | None = None,
) -> Decimal:
    """Penalty interest on `base` from `start` to `end`: ``base × rate × yf``, rounded once.

    Examples
    --------
    >>> penalty_interest(Decimal("1000.00"), Decimal("0.18"), _dt.date(2024, 3, 1),
    ...                  _dt.date(2024, 3, 11), "CNY")  # 1000 x 18 % x 10/360 = 5.00
    Decimal('5.00')
    """
    if base <= 0 or annual_rate <= 0 or end <= start:
        return (rounding or Rounding()).round(Decimal(0), currency)
    fraction = year_fraction_exact(start, end, day_count)
    exact = fraction * base.as_integer_ratio()[0] / base.as_integer_ratio()[1]
    exact *= annual_rate.as_integer_ratio()[0]
    exact /= annual_rate.as_integer_ratio()[1]
    return (rounding or Rounding()).round(exact, currency)
