"""Penalty interest (罚息) and late fees: the contract's overdue terms, the policy that may
narrow them, the terms in force, and the exact amount of a span.

:class:`OverdueTerms` is the one value the contract holds: the overdue rate (a multiple of the
contract rate, a margin over it, or a daily rate), what it is charged on, 复利, grace days, a
late fee and the day count. The disclosure states it; servicing charges it. A
:class:`PenaltyPolicy` may only narrow it for a loan; :func:`terms_in_force` is the single
resolution of the two and of the caps' overdue limits into :class:`PenaltyInForce`.

References
----------
法释〔2020〕17号 Art. 28 (without an agreed overdue rate, interest continues at the contract
rate), Arts. 28–29 (overdue interest, penalties and fees together within the caps, checked by
``loanmath.caps``); PBoC 银发〔2003〕251号 (复利 on unpaid interest); FCA CONC 5A.3.18R
(default interest at most the contract rate) and 5A.2 (default fees ≤ £15 in total).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from loanmath._checks import check_bool, check_date, check_int, check_name
from loanmath._decimal import (
    CONTEXT,
    EXACT,
    MAX_AMOUNT,
    D,
    context_free,
    guard_init,
    optional_decimal,
)
from loanmath.daycount import get_convention, year_fraction_exact
from loanmath.errors import InputTypeError, InvalidInputError, UnknownNameError
from loanmath.money import Money, Rounding, amount_or_money, check_currency

__all__ = [
    "BASES",
    "OverdueTerms",
    "PenaltyInForce",
    "PenaltyPolicy",
    "penalty_interest",
    "terms_in_force",
]

#: What bears penalty interest: overdue principal; the whole overdue instalment (principal,
#: interest and periodic fees); or overdue principal and interest.
BASES = ("overdue_principal", "overdue_instalment", "overdue_principal_interest")
#: Bases from the narrowest to the widest (a policy may only move left).
_WIDTH = {"overdue_principal": 0, "overdue_principal_interest": 1, "overdue_instalment": 2}
#: A daily rate charges ``base × rate × days``: the same as ``rate × 360`` a year on ACT/360.
_DAILY_BASIS = Decimal(360)
#: Days a year of the conventions a policy's daily rate can be compared on.
_DAYS_A_YEAR = {"ACT/360": 360, "ACT/365F": 365, "NL/365": 365}


def _multiple(value: object) -> Decimal | None:
    return optional_decimal(value, "multiple")


def _margin(value: object) -> Decimal | None:
    return optional_decimal(value, "margin")


def _daily_rate(value: object) -> Decimal | None:
    return optional_decimal(value, "daily_rate")


def _annual_rate(value: object) -> Decimal | None:
    return optional_decimal(value, "annual_rate")


def _policy_fee(value: object) -> Decimal | None:
    return optional_decimal(value, "late_fee")


def _fee(value: object) -> Decimal | Money | None:
    return amount_or_money(value, "late_fee")


#: Bounds that keep every amount within the exact context's 50 digits: an overdue rate of at
#: most 100 × the contract rate, a margin or policy rate of at most 10,000 % a year (the
#: contract's own MAX_RATE), a daily rate of at most 100 % a day, fees at most the largest
#: principal, and day counts within a century.
LIMITS = {
    "multiple": Decimal(100),
    "margin": Decimal(100),
    "annual_rate": Decimal(100),
    "daily_rate": Decimal(1),
    "late_fee": MAX_AMOUNT,
}
MAX_DAYS = 36_500


def _set_days(target: object, field: str) -> None:
    """Check `field` of a frozen `target` is an int from 0 to MAX_DAYS; store a plain int."""
    days = check_int(getattr(target, field), field, minimum=0)
    if days > MAX_DAYS:
        raise InvalidInputError(field, days, f"must be at most {MAX_DAYS} days (a century)")
    object.__setattr__(target, field, days)


#: Decimal places a rate may have: finer ones would not fit the exact context once added.
RATE_PLACES = 20


def _check_limit(name: str, value: Decimal | None) -> None:
    """A rate or fee of `name` within 0 and its LIMITS bound (rates: at most 20 places)."""
    if value is None:
        return
    if value < 0:
        raise InvalidInputError(name, value, "must be >= 0")
    if value > LIMITS[name]:
        raise InvalidInputError(name, value, f"must be at most {LIMITS[name]:f}")
    if name != "late_fee" and int(value.as_tuple().exponent) < -RATE_PLACES:
        raise InvalidInputError(
            name, value, f"has more than {RATE_PLACES} decimal places", "round the rate"
        )


@guard_init
@attrs.frozen
class OverdueTerms:
    """The contract's overdue terms: one value, disclosed and charged.

    Parameters
    ----------
    multiple : Decimal, optional
        Overdue rate = contract rate × `multiple` (1.5 is common in China). At least 1.
    margin : Decimal, optional
        Overdue rate = contract rate + `margin`.
    daily_rate : Decimal, optional
        A daily overdue rate (万分之五 = ``"0.0005"``): ``base × rate × days``.
    base : str, default ``"overdue_principal"``
        One of :data:`BASES`.
    compound : bool, default False
        复利: overdue interest bears penalty too (penalty never does).
    grace_days : int, default 0
        Days after a due date before penalty and the late fee apply; once they pass, penalty
        counts from the due date. A numpy integer is accepted (stored as an int).
    late_fee : Money or Decimal, optional
        A fixed fee once per instalment still unpaid after grace.
    day_count : str, default ``"ACT/360"``
        How penalty days are counted (日利率 = 年利率 / 360).

    Notes
    -----
    At most one of `multiple`, `margin`, `daily_rate`. With none of them no overdue rate is
    agreed and overdue principal keeps bearing the contract rate (法释〔2020〕17号 Art. 28).

    Examples
    --------
    >>> t = OverdueTerms(multiple="1.5", grace_days=3)
    >>> t.annual_rate(Decimal("0.12")), t.agreed
    (Decimal('0.180'), True)
    >>> OverdueTerms().annual_rate(Decimal("0.12"))  # nothing agreed: the contract rate
    Decimal('0.12')
    >>> OverdueTerms(daily_rate="0.0005").annual_rate(Decimal("0.12"))
    Decimal('0.1800')
    """

    multiple: Decimal | None = attrs.field(default=None, converter=_multiple, kw_only=True)
    margin: Decimal | None = attrs.field(default=None, converter=_margin, kw_only=True)
    daily_rate: Decimal | None = attrs.field(default=None, converter=_daily_rate, kw_only=True)
    base: str = attrs.field(default="overdue_principal", kw_only=True)
    compound: bool = attrs.field(default=False, kw_only=True)
    grace_days: int = attrs.field(default=0, kw_only=True)
    late_fee: Decimal | None = attrs.field(default=None, converter=_fee, kw_only=True)
    day_count: str = attrs.field(default="ACT/360", kw_only=True)
    #: The currency of a late fee given as Money (checked against the loan's by LoanTerms).
    late_fee_currency: str | None = attrs.field(default=None, kw_only=True, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        given = [n for n in ("multiple", "margin", "daily_rate") if getattr(self, n) is not None]
        if len(given) > 1:
            raise InvalidInputError(
                given[1],
                getattr(self, given[1]),
                f"give one overdue rate: {given[0]} is given too",
                "multiple (× the contract rate), margin (+ it) or daily_rate",
            )
        if self.multiple is not None and self.multiple < 1:
            raise InvalidInputError(
                "multiple", self.multiple, "must be >= 1 (a multiple of the contract rate)"
            )
        for name in ("multiple", "margin", "daily_rate"):
            _check_limit(name, getattr(self, name))
        check_name(self.base, "base", BASES)
        object.__setattr__(self, "compound", check_bool(self.compound, "compound"))
        _set_days(self, "grace_days")
        get_convention(self.day_count, "day_count")
        if self.daily_rate is not None and self.day_count != "ACT/360":
            raise InvalidInputError(
                "day_count", self.day_count, "a daily rate counts actual days", "leave ACT/360"
            )
        fee: object = self.late_fee
        if isinstance(fee, Money):
            object.__setattr__(self, "late_fee", fee.amount)
            object.__setattr__(self, "late_fee_currency", fee.currency)
        _check_limit("late_fee", self.late_fee)

    @property
    def agreed(self) -> bool:
        """Whether the contract agrees an overdue rate (else the contract rate continues)."""
        return self.multiple is not None or self.margin is not None or self.daily_rate is not None

    def annual_rate(self, contract_rate: Decimal) -> Decimal:
        """The overdue rate a year on :attr:`penalty_day_count`: contract × multiple, contract
        + margin, daily rate × 360, or the contract rate when none is agreed."""
        if self.multiple is not None:
            return EXACT.multiply(contract_rate, self.multiple)
        if self.margin is not None:
            return EXACT.add(contract_rate, self.margin)
        if self.daily_rate is not None:
            return EXACT.multiply(self.daily_rate, _DAILY_BASIS)
        return contract_rate

    def daily(self, contract_rate: Decimal) -> Decimal:
        """The overdue rate a day: the agreed daily rate, else the annual rate over the days
        of the penalty day count's year (360 on ACT/360; 365 where a year's days vary).

        Examples
        --------
        >>> OverdueTerms(multiple="1.5").daily(Decimal("0.12"))
        Decimal('0.0005')
        """
        if self.daily_rate is not None:
            return self.daily_rate
        days = _DAYS_A_YEAR.get(self.day_count, 365)
        return CONTEXT.divide(self.annual_rate(contract_rate), Decimal(days))


@guard_init
@attrs.frozen
class PenaltyPolicy:
    """How a lender applies the contract's overdue terms to a loan: it may only narrow them.

    Every field defaults to ``None``: as the contract says. A value asking for more than the
    contract (a higher rate, a wider base, 复利 the contract does not agree, fewer grace days,
    a larger late fee) is lowered to the contract's (:func:`terms_in_force`).

    Parameters
    ----------
    annual_rate : Decimal, optional
        A lower penalty rate a year.
    base : str, optional
        A narrower base, one of :data:`BASES`.
    grace_days : int, optional
        More grace days.
    compound : bool, optional
        ``False`` switches 复利 off.
    day_count : str, optional
        Must be the contract's if given (the day count is a contract term).
    late_fee : Decimal, optional
        A smaller late fee (0: none).
    stop_at_dpd : int, optional
        Non-accrual: no penalty for days beyond this many days past the due date.
    daily_rate : Decimal, optional
        A lower rate given per day, on a contract counting ACT/360 (× 360 a year), ACT/365F
        or NL/365 (× 365 a year).

    Notes
    -----
    A policy only narrows the contract (:func:`terms_in_force`): the lower rate (a daily rate
    counts ``rate × 360`` a year on ACT/360, ``× 365`` on ACT/365F or NL/365), the narrower base,
    复利 only if both agree, the larger grace, the smaller late fee; `stop_at_dpd` is the policy's
    own. docs/servicing.md, "Overdue terms" and C4–C8; 法释〔2020〕17号 Arts. 28–29.

    Examples
    --------
    >>> PenaltyPolicy(base="overdue_instalment", grace_days=3).grace_days
    3
    >>> PenaltyPolicy().annual_rate is None
    True
    """

    annual_rate: Decimal | None = attrs.field(default=None, converter=_annual_rate)
    base: str | None = None
    grace_days: int | None = None
    compound: bool | None = None
    day_count: str | None = None
    late_fee: Decimal | None = attrs.field(default=None, converter=_policy_fee)
    stop_at_dpd: int | None = None
    daily_rate: Decimal | None = attrs.field(default=None, converter=_daily_rate, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.daily_rate is not None and self.annual_rate is not None:
            raise InvalidInputError(
                "daily_rate", self.daily_rate, "give annual_rate or daily_rate, not both"
            )
        for name in ("annual_rate", "daily_rate", "late_fee"):
            _check_limit(name, getattr(self, name))
        if self.base is not None and self.base not in BASES:
            raise UnknownNameError("base", self.base, BASES)
        if self.compound is not None:
            object.__setattr__(self, "compound", check_bool(self.compound, "compound"))
        if self.day_count is not None:
            get_convention(self.day_count, "day_count")
        for name in ("grace_days", "stop_at_dpd"):
            if getattr(self, name) is not None:
                _set_days(self, name)


@attrs.frozen
class PenaltyInForce:
    """The overdue terms servicing applies to a loan: the contract's, narrowed by the policy
    and lowered to the caps.

    Notes
    -----
    What servicing charges (docs/servicing.md, C4–C8): on instalment k, for each day ``t > T_k``
    (and ``t − T_k <= stop_at_dpd``), ``base × annual_rate × yf(t − 1, t)`` by `day_count`, if
    the base is above 0 at the close of ``T_k + grace_days``; `late_fee` once per instalment then.
    `annual_rate` is already within every cap's overdue limit (法释〔2020〕17号 Arts. 28–29; UK
    HCSTC: at most the contract rate, CONC 5A.3.18R).

    Examples
    --------
    >>> t = terms_in_force(OverdueTerms(multiple="1.5"), Decimal("0.12"), PenaltyPolicy())
    >>> t.annual_rate, t.day_count, t.grace_days
    (Decimal('0.180'), 'ACT/360', 0)
    """

    annual_rate: Decimal
    day_count: str
    base: str
    compound: bool
    grace_days: int
    late_fee: Decimal | None
    stop_at_dpd: int | None

    @property
    def bears_interest_base(self) -> bool:
        """Whether the base includes the instalment's unpaid interest."""
        return self.compound or self.base != "overdue_principal"


@context_free
def terms_in_force(
    contract: OverdueTerms,
    contract_rate: Decimal,
    policy: PenaltyPolicy,
    limits: Iterable[Decimal] = (),
) -> PenaltyInForce:
    """Resolve the contract's overdue terms, the policy and the caps into the terms in force.

    Parameters
    ----------
    contract : OverdueTerms
    contract_rate : Decimal
        The contract's nominal annual rate.
    policy : PenaltyPolicy
        May only narrow the contract.
    limits : iterable of Decimal
        The caps' highest overdue rates (``Cap.overdue_limit``).

    Returns
    -------
    PenaltyInForce

    Raises
    ------
    InvalidInputError
        A policy day count other than the contract's.

    Notes
    -----
    rate = min(policy rate, contract overdue rate, every cap limit); base = the narrower;
    复利 only if both agree; grace = the larger; late fee = the smaller (none unless the
    contract agrees one). 法释〔2020〕17号 Arts. 28–29; CONC 5A.3.18R.

    Examples
    --------
    >>> greedy = PenaltyPolicy(annual_rate="0.30", grace_days=1, late_fee="50")
    >>> t = terms_in_force(OverdueTerms(multiple="1.5", grace_days=5, late_fee="20"),
    ...                    Decimal("0.12"), greedy)
    >>> t.annual_rate, t.grace_days, t.late_fee
    (Decimal('0.180'), 5, Decimal('20'))
    """
    day_count = contract.day_count
    rate = contract.annual_rate(contract_rate)
    if policy.day_count is not None and policy.day_count != day_count:
        raise InvalidInputError(
            "penalty.day_count",
            policy.day_count,
            f"the contract counts penalty days {day_count}; a policy cannot change it",
            "leave PenaltyPolicy.day_count unset",
        )
    asked = policy.annual_rate
    if policy.daily_rate is not None:
        days = _DAYS_A_YEAR.get(get_convention(day_count, "day_count").name)
        if days is None:
            raise InvalidInputError(
                "penalty.daily_rate",
                policy.daily_rate,
                f"the contract counts penalty days {day_count}, which has no fixed days a year",
                "give PenaltyPolicy.annual_rate",
            )
        asked = EXACT.multiply(policy.daily_rate, Decimal(days))
    if asked is not None:
        rate = min(rate, asked)
    for limit in limits:
        rate = min(rate, limit)
    base = contract.base
    if policy.base is not None and _WIDTH[policy.base] < _WIDTH[base]:
        base = policy.base
    compound = contract.compound and policy.compound is not False
    grace = max(contract.grace_days, policy.grace_days or 0)
    fee = contract.late_fee
    if fee is not None and policy.late_fee is not None:
        fee = min(fee, policy.late_fee)
    return PenaltyInForce(rate, day_count, base, compound, grace, fee or None, policy.stop_at_dpd)


@context_free
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

    Parameters
    ----------
    base : Decimal
        The overdue amount bearing penalty.
    annual_rate : Decimal
        The overdue rate a year.
    start, end : datetime.date
        The span (start excluded, end included: one day per night).
    currency : str
    day_count : str, default ``"ACT/360"``
    rounding : Rounding, optional
        Default half up to the currency's minor unit.

    Returns
    -------
    Decimal

    Notes
    -----
    ``round(base × rate × year_fraction(start, end))`` on the exact rational value
    (法释〔2020〕17号 Art. 28; 日利率 = 年利率 / 360 on ACT/360).

    Examples
    --------
    >>> penalty_interest(Decimal("1000.00"), Decimal("0.18"), _dt.date(2024, 3, 1),
    ...                  _dt.date(2024, 3, 11), "CNY")  # 1000 x 18 % x 10/360 = 5.00
    Decimal('5.00')
    """
    amount = D(base, "base")
    rate = D(annual_rate, "annual_rate")
    if not 0 <= amount <= LIMITS["late_fee"] or int(amount.as_tuple().exponent) < -RATE_PLACES:
        raise InvalidInputError(
            "base",
            amount,
            f"must be from 0 to {LIMITS['late_fee']:f} with at most {RATE_PLACES} decimal places",
        )
    _check_limit("annual_rate", rate)
    first, last = check_date(start, "start"), check_date(end, "end")
    code = check_currency(currency)
    if rounding is not None and not isinstance(rounding, Rounding):
        raise InputTypeError("rounding", rounding, "expected a Rounding", "pass Rounding(...)")
    get_convention(day_count, "day_count")
    policy = rounding or Rounding()
    if amount == 0 or rate == 0 or last <= first:
        return policy.round(Decimal(0), code)
    fraction = year_fraction_exact(first, last, day_count)
    b_num, b_den = amount.as_integer_ratio()
    r_num, r_den = rate.as_integer_ratio()
    return policy.round(fraction * b_num * r_num / (b_den * r_den), code)
