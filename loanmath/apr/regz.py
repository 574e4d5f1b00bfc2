"""US Regulation Z, Appendix J: the actuarial annual percentage rate of closed-end credit.

``Σ Aₖ / ((1 + eₖ·i)(1 + i)^qₖ) = Σ Pⱼ / ((1 + fⱼ·i)(1 + i)^tⱼ)`` — advances ``Aₖ`` at ``qₖ``
whole unit-periods plus a fraction ``eₖ`` from the start of the term, payments ``Pⱼ`` at
``tⱼ + fⱼ``; whole unit-periods compound, a fraction earns simple interest ((b)(6)). The APR is
the unit-period rate ``i`` times the unit-periods in a year ((b)(1)).

Rules implemented (12 CFR 1026, Appendix J):

- (b)(2) the term begins with the first advance (consummation);
- (b)(3) a *period* is the interval between advances or between payments, including the one
  from the start of the term to the first payment; a *common period* occurs more than once;
  standard intervals are a day, week, semimonth, month, or a multiple of a week or a month up
  to a year; all months are equal, measured date to same date, last day to last day for a
  month-end series, and the last day of February for a series on the 29th or 30th;
- (b)(4) the unit-period is the most frequent common period (not over a year); on a tie the
  smaller; with no common period, the average period rounded to the nearest standard interval
  (the lower when equally near); a single advance, single payment transaction uses its term,
  up to a year;
- (b)(5) whole unit-periods are counted *back from each flow's date*; the remaining fraction is
  days / 30 for months (30 × months + days for semimonths, /15, and for multiples of a month,
  /(30·k)), days / days-per-unit for days and weeks, and for a year remaining months / 12 or
  remaining days / 365; a single-payment term shorter than a year is one unit-period, with
  12/months or 365/days of them a year.

References
----------
12 CFR Part 1026, Appendix J (b)(1)-(b)(9) and examples (c)(1)-(c)(6); 12 CFR 1026.22(a)(2)-(3)
(tolerances); 32 CFR 232.4(c)(2)(i) (the MLA's MAPR uses these rules with more charges).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import itertools
import math
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from operator import itemgetter

from loanmath._calendar import is_month_end, month_length
from loanmath._checks import check_bool, check_date
from loanmath._decimal import D, context_free, is_plain
from loanmath.apr._confirm import TOL, confirm
from loanmath.apr._fast import kernel_general, time_parts
from loanmath.apr._solver import newton_bisect
from loanmath.errors import (
    InputTypeError,
    InvalidInputError,
    LoanMathError,
    NoSolutionError,
    UnknownNameError,
)

__all__ = ["UNIT_PERIODS", "regz_accurate", "regz_apr", "regz_periods", "unit_period_of"]

#: Unit-period names → (kind, size): kind "day", "week" (size in weeks), "semimonth",
#: "month" (size in months) or "year".
UNIT_PERIODS: dict[str, tuple[str, int]] = {
    "day": ("day", 1),
    "week": ("week", 1),
    "2-weeks": ("week", 2),
    "4-weeks": ("week", 4),
    "semimonth": ("semimonth", 1),
    "month": ("month", 1),
    "2-months": ("month", 2),
    "quarter": ("month", 3),
    "half-year": ("month", 6),
    "year": ("year", 12),
}

Flow = tuple[_dt.date, Decimal]
Unit = tuple[str, int]


def _flows(items: object, field: str) -> list[Flow]:
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise InputTypeError(field, items, "must be a sequence of (date, amount) pairs")
    out = []
    for i, item in enumerate(items):
        if (  # already what the checks below return: kept as it is
            type(item) is tuple
            and len(item) == 2
            and type(item[0]) is _dt.date
            and is_plain(item[1])
            and item[1] > 0
        ):
            out.append(item)
            continue
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise InputTypeError(f"{field}[{i}]", item, "must be a (date, amount) pair")
        try:  # the row's name is built only for an error
            day, amount = check_date(item[0], field), D(item[1], field)
        except LoanMathError:
            day = check_date(item[0], f"{field}[{i}] date")
            amount = D(item[1], f"{field}[{i}] amount")
        if amount <= 0:
            raise InvalidInputError(f"{field}[{i}] amount", amount, "must be > 0")
        out.append((day, amount))
    if not out:
        raise InvalidInputError(field, items, "must not be empty")
    return sorted(out, key=itemgetter(0))


def _transaction(advances: object, payments: object) -> tuple[list[Flow], list[Flow]]:
    """The advances and payments checked and sorted; no payment before the first advance."""
    adv = _flows(advances, "advances")
    pay = _flows(payments, "payments")
    if pay[0][0] < adv[0][0]:
        raise InvalidInputError(
            "payments", pay[0][0], f"must not precede the first advance ({adv[0][0]})"
        )
    return adv, pay


class _Series:
    """How months are measured for one series of dates ((b)(3)(iv)).

    Months run date to same date; for a series on the last day of each month (some date is a
    31st and all are month ends) from month end to month end; for a series on the 29th or 30th,
    a date on the last day of February stands for that day.
    """

    def __init__(self, dates: Sequence[_dt.date]) -> None:
        self.month_end = all(is_month_end(d) for d in dates) and any(d.day == 31 for d in dates)
        self.day = max(d.day for d in dates)

    def back(self, later: _dt.date, months: int) -> _dt.date:
        """`later` moved back whole `months` by the series' rule."""
        if months == 0:
            return later
        years, month0 = divmod(later.month - 1 - months, 12)
        year, month, day = later.year + years, month0 + 1, later.day
        if day >= 28:  # every month has the days before: nothing to move or clip below
            last = month_length(year, month)
            if is_month_end(later) and (self.month_end or day < self.day):
                day = last if self.month_end else self.day
            day = min(day, last)
        return _dt.date(year, month, day)


def _full_months(start: _dt.date, later: _dt.date, series: _Series) -> tuple[int, _dt.date]:
    """Whole months measured back from `later` that stay on or after `start`."""
    months = max((later.year - start.year) * 12 + later.month - start.month, 0)
    stop = series.back(later, months)
    while months > 0 and stop < start:
        months -= 1
        stop = series.back(later, months)
    return months, stop


def _position(start: _dt.date, later: _dt.date, unit: Unit, series: _Series) -> Fraction:
    """Unit-periods from `start` to `later` ((b)(5)): whole units plus the fraction."""
    kind, size = unit
    if kind in ("day", "week"):
        return Fraction((later - start).days, 7 * size if kind == "week" else 1)
    months, stop = _full_months(start, later, series)
    days = (stop - start).days
    if kind == "semimonth":
        return Fraction(30 * months + days, 15)
    if kind == "month":
        return Fraction(30 * months + days, 30 * size)
    whole_years, rest_months = divmod(months, 12)
    if days == 0:
        return whole_years + Fraction(rest_months, 12)
    year_stop = series.back(later, 12 * whole_years)
    return whole_years + Fraction((year_stop - start).days, 365)


def _interval(a: _dt.date, b: _dt.date, series: _Series) -> Unit | tuple[str, int]:
    """The standard interval from a to b, or ("days", n) when it is not one."""
    days = (b - a).days
    # moving b back whole months lands in the month that many calendar months earlier, so
    # only the calendar month difference can bring it onto a
    months = (b.year - a.year) * 12 + b.month - a.month
    if 1 <= months <= 12 and series.back(b, months) == a:
        return ("month", months) if months < 12 else ("year", 12)
    if days == 1:
        return ("day", 1)
    if days % 7 == 0 and days <= 364:
        return ("week", days // 7)
    if 13 <= days <= 16 and _semimonthly_pair(a, b):
        return ("semimonth", 1)
    return ("days", days)


def _semimonthly_pair(a: _dt.date, b: _dt.date) -> bool:
    if a.month == b.month:
        return b.day - a.day == 15 or (b.day == month_length(b.year, b.month) and a.day == 15)
    return a.day - b.day == 15 or (is_month_end(a) and b.day == 15)


def _length_days(unit: Unit) -> Fraction:
    kind, size = unit
    return {
        "day": Fraction(1),
        "week": Fraction(7 * size),
        "semimonth": Fraction(365, 24),
        "month": Fraction(365 * size, 12),
        "year": Fraction(365),
    }[kind]


_STANDARD: list[Unit] = (
    [("day", 1), ("semimonth", 1)]
    + [("week", w) for w in range(1, 53)]
    + [("month", m) for m in range(1, 12)]
    + [("year", 12)]
)


def unit_period_of(advances: Sequence[Flow], payments: Sequence[Flow]) -> tuple[Unit, bool]:
    """The unit-period of a transaction by (b)(4), and whether it is a single advance, single
    payment transaction.

    Notes
    -----
    The periods are start of term → first payment, payment → payment and advance → advance,
    each a standard interval (a day, k weeks, a semimonth, k months, a year; months by the
    (b)(3)(iv) series rules) or not. The unit-period is the common period (occurring more than
    once, at most a year) that occurs most often, the shorter on a tie; with none, the standard
    interval nearest the average period in days (a month 365/12, a semimonth 365/24), the shorter
    when equally near. A single advance, single payment transaction gives ``("term", 1), True``:
    its term, capped at a year where :func:`regz_periods` counts it. 12 CFR 1026 Appendix J (b)(3)
    and (b)(4).

    Examples
    --------
    >>> d = _dt.date
    >>> unit_period_of([(d(1978, 1, 10), Decimal(5000))],
    ...                [(d(1978, k, 10), Decimal(230)) for k in range(2, 13)])
    (('month', 1), False)
    """
    return _unit_of_dates([a[0] for a in advances], [p[0] for p in payments])


def _unit_of_dates(
    adv_dates: Sequence[_dt.date], pay_dates: Sequence[_dt.date]
) -> tuple[Unit, bool]:
    """:func:`unit_period_of` from the dates alone (the amounts play no part in (b)(4))."""
    if len(adv_dates) == 1 and len(pay_dates) == 1:
        return ("term", 1), True
    pay_series, adv_series = _Series(pay_dates), _Series(adv_dates)
    from_start = [adv_dates[0], *pay_dates]
    periods = [_interval(a, b, pay_series) for a, b in itertools.pairwise(from_start)]
    periods += [_interval(a, b, adv_series) for a, b in itertools.pairwise(adv_dates)]
    counts = Counter(p for p in periods if p[0] != "days")
    common = [(c, p) for p, c in counts.items() if c > 1 and _length_days(p) <= 365]
    if common:
        best = max(c for c, _ in common)
        return min((p for c, p in common if c == best), key=_length_days), False
    pairs = list(itertools.pairwise(from_start)) + list(itertools.pairwise(adv_dates))
    average = Fraction(sum((b - a).days for a, b in pairs), max(len(pairs), 1))
    return min(_STANDARD, key=lambda u: (abs(_length_days(u) - average), _length_days(u))), False


def _single_payment_terms(start: _dt.date, end: _dt.date) -> tuple[Unit, Fraction, Fraction]:
    """(b)(5)(vi)-(vii): a single-payment term under a year is one unit-period."""
    series = _Series([end])
    months, stop = _full_months(start, end, series)
    if months >= 12:
        return ("year", 12), _position(start, end, ("year", 12), series), Fraction(1)
    days = (end - start).days
    if days <= 0:
        raise InvalidInputError("payments", end, "must be after the advance")
    if stop == start:
        return ("term", 1), Fraction(1), Fraction(12, months)
    return ("term", 1), Fraction(1), Fraction(365, days)


@context_free
def regz_apr(
    advances: Sequence[tuple[_dt.date, Decimal | int | str]],
    payments: Sequence[tuple[_dt.date, Decimal | int | str]],
    *,
    unit_period: str | None = None,
    tol: Decimal = TOL,
) -> Decimal:
    """The Regulation Z Appendix J actuarial APR.

    Parameters
    ----------
    advances : sequence of (date, amount)
        The amount financed, as advanced (positive amounts). The term starts at the first.
        Prepaid finance charges are *not* advances: deduct them (amount financed).
    payments : sequence of (date, amount)
        Scheduled payments (positive amounts), finance charges included.
    unit_period : str, optional
        ``"day"``, ``"week"``, ``"2-weeks"``, ``"4-weeks"``, ``"semimonth"``, ``"month"``,
        ``"2-months"``, ``"quarter"``, ``"half-year"``, ``"year"``; ``None`` infers it by
        Appendix J (b)(4).

    Returns
    -------
    Decimal
        The APR as an unrounded fraction (20 significant digits): unit-period rate × unit-periods
        per year.

    Raises
    ------
    NoSolutionError, InvalidInputError, UnknownNameError, DateTypeError

    Notes
    -----
    See the module documentation for the equation and the counting rules. Example (c)(1)(ii):
    6,000 advanced 2/10/78, 36 monthly payments of 200 from 4/1/78; the first payment is 1 unit
    and 19/30 from the start — APR 11.82 %.

    Examples
    --------
    >>> d = _dt.date
    >>> apr = regz_apr([(d(1978, 2, 10), "6000")],
    ...                [(d(1978 + (k + 3) // 12, (k + 3) % 12 + 1, 1), "200") for k in range(36)])
    >>> round(apr * 100, 2)
    Decimal('11.82')
    """
    adv, pay = _transaction(advances, payments)
    if unit_period is not None and unit_period not in UNIT_PERIODS:
        raise UnknownNameError("unit_period", unit_period, tuple(UNIT_PERIODS))
    per_year, times_adv, times_pay, parts = _timing(
        tuple(a[0] for a in adv), tuple(p[0] for p in pay), unit_period
    )
    rate = None
    if tol is TOL:  # the common case, compiled (the same digits, or None)
        amounts = [-a for _, a in adv] + [p for _, p in pay]
        rate = kernel_general(amounts, [*times_adv, *times_pay], parts)
    if rate is None:
        rate = _solve(adv, pay, times_adv, times_pay, tol)
    with decimal.localcontext(decimal.Context(prec=40)):
        apr = rate * Decimal(per_year.numerator) / Decimal(per_year.denominator)
    with decimal.localcontext(decimal.Context(prec=20)):
        return +apr


@lru_cache(maxsize=1024)
def _timing(
    adv_dates: tuple[_dt.date, ...], pay_dates: tuple[_dt.date, ...], unit_period: str | None
) -> tuple[Fraction, tuple[Fraction, ...], tuple[Fraction, ...], tuple[tuple[int, ...], ...]]:
    """The unit-periods a year and each advance's and payment's position (with the parts the
    kernel takes), from the dates alone (cached: a pricing grid asks again and again for the
    same dates)."""
    start = adv_dates[0]
    if unit_period is None and len(adv_dates) == 1 and len(pay_dates) == 1:
        _, position, per_year = _single_payment_terms(start, pay_dates[0])
        return per_year, (Fraction(0),), (position,), time_parts([Fraction(0), position])
    unit = UNIT_PERIODS[unit_period] if unit_period else _unit_of_dates(adv_dates, pay_dates)[0]
    pay_series, adv_series = _Series(pay_dates), _Series(adv_dates)
    times_adv = tuple(_position(start, d, unit, adv_series) for d in adv_dates)
    times_pay = tuple(_position(start, d, unit, pay_series) for d in pay_dates)
    return _per_year(unit), times_adv, times_pay, time_parts([*times_adv, *times_pay])


def _per_year(unit: Unit) -> Fraction:
    kind, size = unit
    return {
        "day": Fraction(365),
        "week": Fraction(52, size),
        "semimonth": Fraction(24),
        "month": Fraction(12, size),
        "year": Fraction(1),
    }[kind]


def _evaluator(
    adv: Sequence[Flow],
    pay: Sequence[Flow],
    times_adv: Sequence[Fraction],
    times_pay: Sequence[Fraction],
) -> tuple[
    Callable[[Decimal], tuple[Decimal, Decimal]],
    Callable[[float], tuple[float, float]],
    list[Decimal],
]:
    terms = [(-a, t) for (_, a), t in zip(adv, times_adv, strict=True)] + [
        (p, t) for (_, p), t in zip(pay, times_pay, strict=True)
    ]
    split = [(a, int(t), t - int(t)) for a, t in terms]

    def decimal_value(rate: Decimal) -> tuple[Decimal, Decimal]:
        with decimal.localcontext(decimal.Context(prec=34)):
            x = 1 / (1 + rate)
            value = slope = Decimal(0)
            for amount, whole, frac in split:
                f = Decimal(frac.numerator) / Decimal(frac.denominator)
                simple = 1 + f * rate
                discount = x**whole / simple
                value += amount * discount
                slope -= amount * discount * (whole * x + f / simple)
            return +value, slope

    # the float64 search only; the result is confirmed in Decimal (decimal_value)
    floats = [(float(flow), whole, float(frac)) for flow, whole, frac in split]

    def float_value(rate: float) -> tuple[float, float]:
        """The value and slope scaled by one positive factor (signs and their ratio are all
        the search uses), so that x**t cannot overflow near −100 % over many unit-periods."""
        x = 1.0 / (1.0 + rate)
        logs = [whole * math.log(x) - math.log1p(f * rate) for _, whole, f in floats]
        top = max(logs)
        value = slope = 0.0
        for (amount, whole, f), log in zip(floats, logs, strict=True):
            simple = 1.0 + f * rate
            discount = math.exp(log - top)
            value += amount * discount
            slope -= amount * discount * (whole * x + f / simple)
        return value, slope

    return decimal_value, float_value, [a for a, _ in terms]


def _solve(
    adv: Sequence[Flow],
    pay: Sequence[Flow],
    times_adv: Sequence[Fraction],
    times_pay: Sequence[Fraction],
    tol: Decimal,
) -> Decimal:
    decimal_value, float_value, amounts = _evaluator(adv, pay, times_adv, times_pay)
    lo, hi = -0.5, 0.5
    while float_value(hi)[0] > 0:
        hi *= 2
        if hi > 1e6:
            raise NoSolutionError("no unit-period rate up to 1e8 % balances these flows")
    while float_value(lo)[0] < 0:
        lo = (lo - 1) / 2
        if lo < -1 + 1e-12:
            raise NoSolutionError(
                "the payments are worth less than the advances at any rate above -100 %"
            )
    root = newton_bisect(
        float_value, lo, hi, 0.0 if lo < 0 < hi else (lo + hi) / 2, tol=1e-15, maxiter=200
    )
    return confirm(root, decimal_value, amounts, tol=tol)


@context_free
def regz_accurate(
    disclosed: Decimal | int | str, exact: Decimal | int | str, *, irregular: bool = False
) -> bool:
    """Whether a disclosed APR is accurate under 12 CFR 1026.22(a)(2)-(3).

    Accurate when within 1/8 of 1 percentage point of the exact APR, or 1/4 of a point in an
    irregular transaction (multiple advances, irregular payment periods or amounts other than
    an irregular first period or an irregular first or final payment). Rates are fractions.

    Notes
    -----
    ``|disclosed − exact| ≤ 0.00125`` (⅛ of a percentage point, 1026.22(a)(2)), or ``≤ 0.0025``
    (¼ point, 1026.22(a)(3)) when `irregular`, both rates as fractions. Whether a transaction
    is irregular is the caller's: :func:`loanmath.apr.explain_regz` infers it.

    Examples
    --------
    >>> regz_accurate("0.1200", "0.11876")
    True
    >>> regz_accurate("0.1200", "0.11870")
    False
    >>> regz_accurate("0.1200", "0.11760", irregular=True)
    True
    """
    irregular = check_bool(irregular, "irregular")
    tolerance = Decimal("0.0025") if irregular else Decimal("0.00125")
    with decimal.localcontext(decimal.Context(prec=40)):
        return abs(D(disclosed, "disclosed") - D(exact, "exact")) <= tolerance


@context_free
def regz_periods(
    advances: Sequence[tuple[_dt.date, Decimal | int | str]],
    payments: Sequence[tuple[_dt.date, Decimal | int | str]],
) -> tuple[Unit, Fraction, tuple[tuple[int, Fraction], ...], tuple[tuple[int, Fraction], ...]]:
    """How Appendix J counts time for a transaction: the unit-period, the unit-periods in a
    year, and each advance's ``(q, e)`` and each payment's ``(t, f)``.

    Parameters
    ----------
    advances, payments : sequence of (date, amount)
        As for :func:`regz_apr` (positive amounts; the term starts at the first advance).

    Returns
    -------
    tuple
        ``(unit, per_year, advance_terms, payment_terms)``: `unit` is ``(kind, size)`` —
        ``("month", 1)``, ``("week", 2)`` … or ``("term", 1)`` for a single advance, single
        payment transaction shorter than a year; `per_year` the unit-periods in a year as a
        ``Fraction``; the terms are ``(whole unit-periods, fraction of a unit-period)`` pairs
        for the flows in date order (a stable sort by date).

    Raises
    ------
    InvalidInputError, InputTypeError, DateTypeError
        As :func:`regz_apr`: empty or malformed flows, amounts not above zero, a payment
        before the first advance.

    Notes
    -----
    The general equation ``Σ Aₖ / ((1 + eₖ·i)(1 + i)^qₖ) = Σ Pⱼ / ((1 + fⱼ·i)(1 + i)^tⱼ)``
    takes ``t`` whole unit-periods counted back from each flow's date to the start of the
    term, and ``f`` the remaining fraction ((b)(5)); the unit-period is that of (b)(4); a
    single advance, single payment transaction under a year is one unit-period with ``f = 0``
    and 12/months or 365/days unit-periods a year ((b)(5)(vi)-(vii)). The same counting
    :func:`regz_apr` solves with.

    References
    ----------
    12 CFR Part 1026, Appendix J (b)(1)-(b)(5) and example (c)(5).

    Examples
    --------
    >>> d = _dt.date
    >>> unit, per_year, _, terms = regz_periods(
    ...     [(d(1978, 2, 10), "6000")], [(d(1978, m, 1), "200") for m in (4, 5, 6)])
    >>> unit, per_year, terms[0], terms[2]
    (('month', 1), Fraction(12, 1), (1, Fraction(19, 30)), (3, Fraction(19, 30)))
    """
    adv, pay = _transaction(advances, payments)
    start = adv[0][0]
    if len(adv) == 1 and len(pay) == 1:
        unit, position, per_year = _single_payment_terms(start, pay[0][0])
        adv_times, pay_times = [Fraction(0)], [position]
    else:
        unit = unit_period_of(adv, pay)[0]
        per_year = _per_year(unit)
        pay_series, adv_series = _Series([p[0] for p in pay]), _Series([a[0] for a in adv])
        adv_times = [_position(start, a[0], unit, adv_series) for a in adv]
        pay_times = [_position(start, p[0], unit, pay_series) for p in pay]

    def split(times: list[Fraction]) -> tuple[tuple[int, Fraction], ...]:
        return tuple((int(t), t - int(t)) for t in times)

    return unit, per_year, split(adv_times), split(pay_times)
