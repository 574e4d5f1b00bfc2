"""``LoanTerms``: the contract, validated where validation cannot be switched off.

A frozen attrs class; every check runs in ``__attrs_post_init__`` (attrs validators can be
disabled process-wide, ``assert`` vanishes under ``python -O``), so an invalid ``LoanTerms``
cannot exist, and ``attrs.evolve`` gives a changed copy that is validated again.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cached_property
from typing import Any

import attrs

from loanmath._checks import check_bool, check_date, check_int, check_name, check_same_currency
from loanmath._decimal import MAX_AMOUNT, D, guard_init, optional_decimal, to_units
from loanmath.calendars import HolidayCalendar
from loanmath.caps import Cap, overdue_rate
from loanmath.dates import ADJUSTMENTS, periods_per_year
from loanmath.daycount import get_convention
from loanmath.errors import InputTypeError, InvalidInputError, UnknownNameError
from loanmath.money import Money, Rounding, amount_in, amount_or_money
from loanmath.penalty import OverdueTerms
from loanmath.schedules import Fee, Method, Schedule, build_schedule, get_method
from loanmath.schedules.custom import Custom, check_amounts, plain_amounts
from loanmath.schedules.flat import Flat, check_flat_charge
from loanmath.schedules.step import Step, check_step_amount, check_step_every, check_step_rate

__all__ = [
    "ACCRUALS",
    "GRACE_KINDS",
    "MAX_PRINCIPAL",
    "MAX_RATE",
    "MAX_TERM",
    "PAYMENT_BASES",
    "LoanTerms",
]

MAX_TERM = 480
#: Largest principal accepted, in units of its currency.
MAX_PRINCIPAL = MAX_AMOUNT
#: Largest nominal annual rate accepted (10,000 %): payday loans exceed 1,000 % a year.
MAX_RATE = Decimal(100)
GRACE_KINDS = ("interest_only", "capitalise")
PAYMENT_BASES = ("regular", "actual")
#: Which dates interest runs between when due dates are moved off non-business days.
ACCRUALS = ("unadjusted", "adjusted")
#: The defaults, built once and shared: both are frozen values (building them for every
#: LoanTerms cost more than the rest of the validation together).
_DEFAULT_ROUNDING = Rounding()
_NO_OVERDUE = OverdueTerms()


def _rate(value: object) -> Decimal:
    return D(value, "annual_rate")


def _fees(value: Iterable[Fee]) -> tuple[Fee, ...]:
    if type(value) is tuple and not value:  # the default: nothing to check
        return ()
    fees = tuple(value)
    for fee in fees:
        if not isinstance(fee, Fee):
            raise InputTypeError("fees", fee, "must be loanmath.Fee objects")
    return fees


def _holidays(value: object) -> HolidayCalendar | frozenset[_dt.date] | None:
    """None, a calendar (a name becomes one), or a collection of dates as a frozenset."""
    if value is None or isinstance(value, HolidayCalendar):
        return value
    if isinstance(value, str):
        try:
            return HolidayCalendar(value)
        except UnknownNameError as error:
            raise UnknownNameError("holidays", value, error.choices, error.suggestions) from error
    if isinstance(value, bytes) or callable(value) or not hasattr(value, "__iter__"):
        raise InputTypeError(
            "holidays",
            value,
            "must be a HolidayCalendar, a calendar name or a collection of dates",
            "e.g. holidays='CN' or holidays={datetime.date(2024, 10, 1)}",
        )
    return frozenset(check_date(d, "holidays[]") for d in value)


#: The most caps one contract is checked against (each is measured at construction).
MAX_CAPS = 32


def _caps(value: Iterable[Cap]) -> tuple[Cap, ...]:
    if type(value) is tuple and not value:  # the default: nothing to check
        return ()
    if isinstance(value, (str, bytes, Cap)) or not hasattr(value, "__iter__"):
        raise InputTypeError("caps", value, "must be a sequence of Cap objects")
    caps = tuple({id(cap): cap for cap in value}.values())  # the same cap twice: once
    if len(caps) > MAX_CAPS:
        raise InvalidInputError("caps", len(caps), f"must hold at most {MAX_CAPS} caps")
    for cap in caps:
        if not isinstance(cap, Cap):
            raise InputTypeError(
                "caps",
                cap,
                "must be loanmath.caps.Cap objects",
                "e.g. caps=(loanmath.caps.CN_COMPREHENSIVE_36,)",
            )
    return caps


def _method(value: str | Method) -> str:
    """A method name, or a :class:`~loanmath.schedules.Method` value with its parameters
    (``Step(every=3, rate="0.05")``): made the name and ``method_params`` in post-init."""
    return value  # type: ignore[return-value]  # a Method becomes its name in post-init


# The method keywords before methods carried their parameters (API.md): each is checked under
# its own name, then folded into ``method_params`` (``LoanTerms.step_rate`` reads it back).
#: keyword → (the method it belongs to, the parameter's name there).
_METHOD_KEYWORDS = {
    "step_every": ("step", "every"),
    "step_rate": ("step", "rate"),
    "step_amount": ("step", "amount"),
    "custom_principal": ("custom", "principal"),
    "custom_payments": ("custom", "payments"),
    "flat_charge": ("flat", "charge"),
}


#: keyword → its check, naming the keyword (the parameter's own check, as ``Step.rate``).
_KEYWORD_CHECKS: dict[str, Callable[[object, str], object]] = {
    "step_every": check_step_every,
    "step_rate": check_step_rate,
    "step_amount": check_step_amount,
    "custom_principal": check_amounts,
    "custom_payments": check_amounts,
    "flat_charge": check_flat_charge,
}


# Not slotted: attrs serves a cached property of a slotted class through __getattr__, and a
# class with __getattr__ makes every attribute read ~3x slower (CPython does not specialise
# it); the state pickled is still the fields alone (getstate_setstate).
@guard_init
@attrs.frozen(eq=True, slots=False, getstate_setstate=True)
class LoanTerms:
    """A loan contract: principal, rate, term, method, dates, fees and rounding.

    Parameters
    ----------
    principal : Money
        The amount lent (a multiple of the rounding quantum, > 0, at most 10**15).
    annual_rate : Decimal, int or str
        Nominal annual rate as a fraction (``"0.12"`` is 12 %); for ``method="flat"`` the flat
        rate per year on the original principal. 0 to 100.
    term : int
        Number of instalments, 1 to 480. Wherever an int is asked, a numpy integer
        (``numpy.int64`` ...) is accepted and stored as an ``int``; a bool or a float is not.
    method : str, default ``"annuity"``
        ``"annuity"``, ``"equal_principal"``, ``"interest_only"``, ``"bullet"``, ``"flat"``,
        ``"custom"``, ``"step"`` or a registered method.
    frequency : str, default ``"monthly"``
        ``"monthly"``, ``"semimonthly"``, ``"biweekly"``, ``"weekly"``, ``"quarterly"``,
        ``"semiannual"``, ``"annual"``.
    start_date : datetime.date
        Disbursement date; interest runs from it. A ``datetime`` at midnight (a
        ``pandas.Timestamp`` too) or a ``numpy.datetime64`` day is accepted and stored as its
        date; one with a time of day is refused (docs/schedules.md, "Data interop").
    first_due_date : datetime.date, optional
        For an odd first period; later dates are counted from it.
    day_count : str, optional
        ``None``: periodic interest (annual rate / periods per year). A convention name
        (``"ACT/365F"``, ``"ACT/360"`` ...): interest accrues by actual days.
    fees : sequence of Fee
    rounding : Rounding, default half up to the currency's minor unit
    payment_rounding : Rounding, optional
        Rounding of the level payment only (e.g. up to a whole yuan); its quantum must be a
        multiple of the rounding quantum. The last instalment absorbs the difference.
    end_of_month : bool, default False
        The end-of-month rule for due dates (see :mod:`loanmath.dates`).
    grace_periods : int, default 0
        Leading periods without principal repayment (fewer than `term`).
    grace : {"interest_only", "capitalise"}
        During grace: pay interest, or pay nothing and add the interest to the balance.
    payment_basis : {"regular", "actual"}
        How the annuity (and step) payment is computed; see :mod:`loanmath.schedules.annuity`.
    custom_principal, custom_payments : sequence, optional
        The plan for ``method="custom"``.
    step_every : int, default 1
    step_rate, step_amount : optional
        For ``method="step"``: change every `step_every` periods by a fraction or an amount.
    flat_charge : {"interest", "fee"}
        For ``method="flat"``: book the flat charge as interest or as a fee.
    overdue : OverdueTerms, optional
        The overdue (罚息) terms — rate, base, 复利, grace days, late fee, day count — as one
        value, disclosed and charged from it. Default: none agreed (the contract rate
        continues on overdue principal, 法释〔2020〕17号 Art. 28). Caps that cover overdue
        charges check it at construction.
    penalty_rate, penalty_multiple, penalty_grace_days, late_fee : optional
        The same terms as keywords (``overdue.margin``, ``.multiple``, ``.grace_days``,
        ``.late_fee``); they are folded into `overdue` and read back from it.
    caps : sequence of loanmath.caps.Cap
        Checked at construction: a contract above any of them raises ``RateCapExceeded``.
    business_day : str, default ``"none"``
        The business-day convention moving each due date off a non-business day
        (ISDA 2006 Section 4.12): ``"none"``, ``"following"``, ``"modified_following"``,
        ``"preceding"``, ``"modified_preceding"``. Each date is moved on its own; later dates
        are still counted from the unadjusted anchor (:func:`loanmath.dates.payment_dates`).
    holidays : HolidayCalendar, str or collection of dates, optional
        The non-business days besides Saturday and Sunday: a
        :class:`loanmath.calendars.HolidayCalendar`, a calendar name (``"CN"``, ``"US"``,
        ``"XFED"`` …; needs ``pip install 'loanmath[calendars]'``) — a calendar also decides
        the weekend and make-up working days (调休) — or a collection of dates (kept as a
        frozenset). Needs a `business_day` other than ``"none"``.
    accrual : {"unadjusted", "adjusted"}, default ``"unadjusted"``
        With a `day_count`: ``"unadjusted"`` — interest runs between the unadjusted dates
        (each period's interest is as without adjustment) and is paid on the adjusted date;
        ``"adjusted"`` — interest runs between the adjusted dates (a period that ends later
        bears more days). Periodic interest (no `day_count`) is 1/m per period either way.

    Raises
    ------
    InvalidInputError, InputTypeError, UnknownNameError, DateTypeError, FloatMoneyError
        Naming the field, the limit and the value.

    Notes
    -----
    Every check runs in ``__attrs_post_init__`` (not attrs validators, not ``assert``), so an
    invalid contract cannot exist; the schedule is built there (:func:`loanmath.build_schedule`,
    docs/schedules.md) and every cap's ``check`` runs on it (docs/caps-and-quote.md). The old
    penalty keywords are folded into `overdue`; with no overdue rate agreed the contract rate
    continues on overdue principal (法释〔2020〕17号 Art. 28).

    Examples
    --------
    >>> import datetime as dt
    >>> terms = LoanTerms(Money("12000", "CNY"), "0.12", 12, start_date=dt.date(2024, 1, 15))
    >>> str(terms.schedule.regular_payment)
    '1066.19'
    >>> LoanTerms(Money("12000", "CNY"), "0.12", 0, start_date=dt.date(2024, 1, 15))
    Traceback (most recent call last):
    ...
    loanmath.errors.InvalidInputError: term=0: must be between 1 and 480; ...
    """

    principal: Money
    annual_rate: Decimal = attrs.field(converter=_rate)
    term: int
    method: str = attrs.field(default="annuity", converter=_method, kw_only=True)
    frequency: str = attrs.field(default="monthly", kw_only=True)
    start_date: _dt.date = attrs.field(kw_only=True)
    first_due_date: _dt.date | None = attrs.field(default=None, kw_only=True)
    day_count: str | None = attrs.field(default=None, kw_only=True)
    fees: tuple[Fee, ...] = attrs.field(default=(), converter=_fees, kw_only=True)
    rounding: Rounding = attrs.field(default=_DEFAULT_ROUNDING, kw_only=True)
    payment_rounding: Rounding | None = attrs.field(default=None, kw_only=True)
    end_of_month: bool = attrs.field(default=False, kw_only=True)
    grace_periods: int = attrs.field(default=0, kw_only=True)
    grace: str = attrs.field(default="interest_only", kw_only=True)
    payment_basis: str = attrs.field(default="regular", kw_only=True)
    overdue: OverdueTerms = attrs.field(default=None, kw_only=True)
    caps: tuple[Cap, ...] = attrs.field(default=(), converter=_caps, kw_only=True)
    business_day: str = attrs.field(default="none", kw_only=True)
    holidays: HolidayCalendar | frozenset[_dt.date] | None = attrs.field(
        default=None, converter=_holidays, kw_only=True
    )
    accrual: str = attrs.field(default="unadjusted", kw_only=True)
    method_params: Method = attrs.field(default=None, kw_only=True)
    # The method keywords (_METHOD_KEYWORDS): checked and folded into `method_params`, then
    # cleared (no converter: the common case, none given, costs nothing).
    _step_every: object = attrs.field(default=None, kw_only=True, repr=False)
    _step_rate: object = attrs.field(default=None, kw_only=True, repr=False)
    _step_amount: object = attrs.field(default=None, kw_only=True, repr=False)
    _custom_principal: object = attrs.field(default=None, kw_only=True, repr=False)
    _custom_payments: object = attrs.field(default=None, kw_only=True, repr=False)
    _flat_charge: object = attrs.field(default=None, kw_only=True, repr=False)
    # The keywords before OverdueTerms existed: folded into `overdue`, then cleared.
    _penalty_rate: object = attrs.field(default=None, kw_only=True, repr=False)
    _penalty_multiple: object = attrs.field(default=None, kw_only=True, repr=False)
    _penalty_grace_days: object = attrs.field(default=None, kw_only=True, repr=False)
    _late_fee: object = attrs.field(default=None, kw_only=True, repr=False)

    def __attrs_post_init__(self) -> None:
        self._fold_overdue()
        self._check_money()
        self._check_currencies()
        self._check_counts()
        self._check_names()
        self._check_business_days()
        self._check_dates()
        self._fold_method().validate(self)
        # terms that cannot be amortised cannot exist either; stored where the cached
        # property keeps it (its first read would take a lock shared by all instances)
        self.__dict__["schedule"] = build_schedule(self)
        for cap in self.caps:  # nor can terms above a cap
            cap.check(self)

    def _fold_overdue(self) -> None:
        """One value for the overdue terms: `overdue`, with the old keywords folded in."""
        overdue = _NO_OVERDUE if self.overdue is None else self.overdue
        if not isinstance(overdue, OverdueTerms):
            raise InputTypeError(
                "overdue", overdue, "must be loanmath.OverdueTerms", "OverdueTerms(multiple='1.5')"
            )
        if (
            self._penalty_rate is None
            and self._penalty_multiple is None
            and self._penalty_grace_days is None
            and self._late_fee is None
        ):  # no old keyword to fold in (the common case)
            object.__setattr__(self, "overdue", overdue)
            return
        legacy = {
            "margin": ("penalty_rate", optional_decimal(self._penalty_rate, "penalty_rate")),
            "multiple": (
                "penalty_multiple",
                optional_decimal(self._penalty_multiple, "penalty_multiple"),
            ),
            "grace_days": ("penalty_grace_days", self._penalty_grace_days),
            "late_fee": ("late_fee", amount_or_money(self._late_fee, "late_fee")),
        }
        changes: dict[str, Any] = {k: v for k, (_, v) in legacy.items() if v is not None}
        if changes:
            try:
                overdue = attrs.evolve(overdue, **changes)
            except InvalidInputError as error:
                keyword = legacy.get(error.field, (error.field, None))[0]
                raise InvalidInputError(keyword, error.value, error.limit, error.fix) from error
        object.__setattr__(self, "overdue", overdue)
        for name in ("_penalty_rate", "_penalty_multiple", "_penalty_grace_days", "_late_fee"):
            object.__setattr__(self, name, None)

    def _fold_method(self) -> Method:
        """One value for the method: `method_params`, from ``method=Step(...)``, the registered
        method of that name, and the method keywords folded in; `method` its name."""
        given: object = self.method
        params = self.method_params
        if isinstance(given, Method):  # a value given as `method` wins (attrs.evolve)
            params = given
        elif not isinstance(params, Method) or params.name != given:
            params = get_method(given)  # a name (refused by name when unknown)
        if not (
            self._step_every is None
            and self._step_rate is None
            and self._step_amount is None
            and self._custom_principal is None
            and self._custom_payments is None
            and self._flat_charge is None
        ):  # a method keyword given (the common case has none)
            params = self._with_keywords(params)
        params = params.in_currency(self.principal.currency)
        object.__setattr__(self, "method", params.name)
        object.__setattr__(self, "method_params", params)
        return params

    def _with_keywords(self, params: Method) -> Method:
        """`params` with the method keywords given, each checked under its own name."""
        changes = {}
        for keyword, (owner, parameter) in _METHOD_KEYWORDS.items():
            value = getattr(self, f"_{keyword}")
            if value is None:
                continue
            changes[parameter] = _KEYWORD_CHECKS[keyword](value, keyword)
            if owner != params.name or not attrs.has(type(params)):
                raise InvalidInputError(
                    keyword,
                    value,
                    f"is a parameter of method {owner!r}, not of {params.name!r}",
                    f"pass method={owner!r}, or leave {keyword} out",
                )
            object.__setattr__(self, f"_{keyword}", None)
        return attrs.evolve(params, **changes)  # type: ignore[misc]  # an attrs class (has)

    @property
    def step_every(self) -> int:
        """Periods between steps of a step loan (``method_params.every``; 1 otherwise)."""
        params = self.method_params
        return params.every if isinstance(params, Step) else 1

    @property
    def step_rate(self) -> Decimal | None:
        """The step loan's step as a fraction (``method_params.rate``), or None."""
        params = self.method_params
        return params.rate if isinstance(params, Step) else None

    @property
    def step_amount(self) -> Decimal | None:
        """The step loan's step as an amount (``method_params.amount``), or None."""
        params = self.method_params
        if not isinstance(params, Step) or params.amount is None:
            return None
        return amount_in(params.amount, self.principal.currency, "step_amount")

    @property
    def custom_principal(self) -> tuple[Decimal, ...] | None:
        """A custom plan's principal parts (``method_params.principal``), or None."""
        params = self.method_params
        if not isinstance(params, Custom) or params.principal is None:
            return None
        return plain_amounts(params.principal, self.principal.currency, "custom_principal")

    @property
    def custom_payments(self) -> tuple[Decimal, ...] | None:
        """A custom plan's instalments (``method_params.payments``), or None."""
        params = self.method_params
        if not isinstance(params, Custom) or params.payments is None:
            return None
        return plain_amounts(params.payments, self.principal.currency, "custom_payments")

    @property
    def flat_charge(self) -> str:
        """How a flat loan books its charge (``method_params.charge``; "interest" otherwise)."""
        params = self.method_params
        return params.charge if isinstance(params, Flat) else "interest"

    @property
    def penalty_rate(self) -> Decimal | None:
        """The overdue margin over the contract rate (``overdue.margin``)."""
        return self.overdue.margin

    @property
    def penalty_multiple(self) -> Decimal | None:
        """The overdue rate as a multiple of the contract rate (``overdue.multiple``)."""
        return self.overdue.multiple

    @property
    def penalty_grace_days(self) -> int:
        """Grace days before penalty and late fees (``overdue.grace_days``)."""
        return self.overdue.grace_days

    @property
    def late_fee(self) -> Decimal | None:
        """The late fee per instalment (``overdue.late_fee``)."""
        return self.overdue.late_fee

    @property
    def overdue_rate(self) -> Decimal | None:
        """The agreed annual rate on overdue amounts, or None when none is agreed (then the
        contract rate continues: ``overdue.annual_rate(annual_rate)``)."""
        return overdue_rate(self)

    def _check_currencies(self) -> None:
        """Every amount given as Money is in the principal's currency, then plain Decimal."""
        currency = self.principal.currency
        found: list[tuple[str, str | None]] = [("late_fee", self.overdue.late_fee_currency)]
        if self.fees:
            found += [(f"fees[{i}].amount", fee.currency) for i, fee in enumerate(self.fees)]
        for field, other in found:
            check_same_currency(other, currency, field)

    def _check_money(self) -> None:
        if not isinstance(self.principal, Money):
            raise InputTypeError(
                "principal", self.principal, "must be Money", "e.g. Money('12000', 'CNY')"
            )
        amount = self.principal.amount
        if not 0 < amount <= MAX_PRINCIPAL:
            raise InvalidInputError("principal", amount, f"must be > 0 and <= {MAX_PRINCIPAL}")
        if not isinstance(self.rounding, Rounding):
            raise InputTypeError("rounding", self.rounding, "must be a Rounding")
        if self.payment_rounding is not None and not isinstance(self.payment_rounding, Rounding):
            raise InputTypeError(
                "payment_rounding",
                self.payment_rounding,
                "must be a Rounding or None",
                "e.g. payment_rounding=Rounding('up', '1')",
            )
        quantum = self.rounding.quantum_for(self.principal.currency)
        to_units(amount, quantum, "principal")
        if self.overdue.late_fee is not None:
            to_units(self.overdue.late_fee, quantum, "late_fee")
        if not 0 <= self.annual_rate <= MAX_RATE:
            raise InvalidInputError(
                "annual_rate",
                self.annual_rate,
                f"must be between 0 and {MAX_RATE} (a fraction: 0.12 is 12 %)",
            )

    def _check_counts(self) -> None:
        flag: object = self.end_of_month
        if type(flag) is not bool:  # a numpy.bool_ becomes a bool
            object.__setattr__(self, "end_of_month", check_bool(flag, "end_of_month"))
        if not (
            type(self.term) is int and type(self.grace_periods) is int
        ):  # plain ints pass check_int unchanged
            for field in ("term", "grace_periods"):  # numpy ints become ints
                object.__setattr__(self, field, check_int(getattr(self, field), field))
        if not 1 <= self.term <= MAX_TERM:
            raise InvalidInputError(
                "term",
                self.term,
                f"must be between 1 and {MAX_TERM}",
                "the number of instalments",
            )
        if not 0 <= self.grace_periods < self.term:
            raise InvalidInputError(
                "grace_periods", self.grace_periods, f"must be >= 0 and < term ({self.term})"
            )

    def _check_names(self) -> None:
        periods_per_year(self.frequency)
        check_name(self.grace, "grace", GRACE_KINDS)
        check_name(self.payment_basis, "payment_basis", PAYMENT_BASES)
        if self.day_count is not None:
            get_convention(self.day_count, "day_count")

    def _check_business_days(self) -> None:
        check_name(self.business_day, "business_day", ADJUSTMENTS)
        check_name(self.accrual, "accrual", ACCRUALS)
        if self.holidays is not None and self.business_day == "none":
            raise InvalidInputError(
                "holidays",
                self.holidays,
                "moves no due date without a business-day convention",
                "also pass business_day='following' (or 'modified_following' ...)",
            )

    def _check_dates(self) -> None:
        """Dates become ``datetime.date`` (a midnight ``pandas.Timestamp`` is accepted)."""
        object.__setattr__(self, "start_date", check_date(self.start_date, "start_date"))
        if self.first_due_date is not None:
            due = check_date(self.first_due_date, "first_due_date")
            object.__setattr__(self, "first_due_date", due)
            if due <= self.start_date:
                raise InvalidInputError(
                    "first_due_date",
                    due,
                    f"must be after start_date ({self.start_date})",
                )

    @cached_property
    def schedule(self) -> Schedule:
        """The amortisation schedule of these terms (built once)."""
        return build_schedule(self)
