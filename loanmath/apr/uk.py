"""UK APR for agreements secured on land: FCA Handbook CONC App 1.1 (from SI 1980/51).

CONC App 1.1 is *not* the EU equation of CONC App 1.2. It carries over the Consumer Credit
(Total Charge for Credit) Regulations 1980 for regulated credit agreements secured on land
(CONC App 1.1.2 R), and differs from the EU APRC (:mod:`loanmath.apr.eu`) in three ways:

- the present values are taken **at the relevant date** (the earliest date on which the
  borrower may require credit), not at the first drawdown; a sum paid on or before that date
  counts at its face value (reg. 9(2)(a), reg. 2);
- when several rates solve the equation the APR is **the positive rate nearest to zero**, or
  failing one, the negative rate nearest to zero (reg. 9(3));
- time is counted **forward** from the relevant date in whole calendar months (or weeks, or
  years), the days left over each being 1/365 of a year, or 1/366 when the day falls in a
  leap year (CONC App 1.1.10 R, from reg. 11) — the EU guidelines count backwards from the
  flow and divide by the days of the year ending at the flow.

The disclosed figure has one decimal place, rounded half up (since the 2004 amendments the
second decimal is rounded, not truncated: 31.37 is shown as 31.4).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import decimal
import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from loanmath._calendar import add_months
from loanmath._checks import check_date, check_order
from loanmath._decimal import CONTEXT, D, context_free
from loanmath.apr._confirm import TOL, confirm, timed_npv, to_decimals, to_floats
from loanmath.apr._solver import sign_changes, solve_timed
from loanmath.errors import InvalidInputError, NoSolutionError, UnknownNameError

__all__ = ["UK_PERIODS", "uk_apr", "uk_apr_of", "uk_apr_percent", "uk_years", "uk_years_exact"]

#: Period → (months, days, periods per year) of one whole unit counted by CONC App 1.1.10 R.
UK_PERIODS = {"year": (12, 0, 1), "month": (1, 0, 12), "week": (0, 7, 52)}

_QUANTUM = Decimal("0.1")
_SCAN_POINTS = 400
_FREQUENCY_PERIODS = {"weekly": "week", "biweekly": "week", "annual": "year"}


def _day_years(first: _dt.date, last: _dt.date) -> Fraction:
    """The days after `first` up to and including `last`, each 1/366 of a year in a leap year
    and 1/365 otherwise (the year the day falls in)."""
    total = Fraction(0)
    for year in range(first.year, last.year + 1):
        begin = max(first, _dt.date(year - 1, 12, 31)) if year > _dt.MINYEAR else first
        days = (min(last, _dt.date(year, 12, 31)) - begin).days
        if days > 0:
            total += Fraction(days, 366 if calendar.isleap(year) else 365)
    return total


def uk_years_exact(start: _dt.date, end: _dt.date, *, period: str = "month") -> Fraction:
    """:func:`uk_years` as an exact ``Fraction``.

    Notes
    -----
    ``t = n/P + Σ 1/365`` (``1/366`` for a day in a leap year) over the days after the whole
    periods stop, up to and including `end`: ``n`` whole calendar months (the corresponding
    day, or the month's last day), weeks or years counted forward from `start`, ``P`` = 12, 52
    or 1. FCA Handbook CONC App 1.1.10 R, from reg. 11 of SI 1980/51 (docs/rates.md, "UK APR").

    Examples
    --------
    >>> uk_years_exact(_dt.date(2024, 1, 15), _dt.date(2024, 7, 15))
    Fraction(1, 2)
    """
    first, last = check_date(start, "start"), check_date(end, "end")
    check_order(first, last, "start", "end")
    if period not in UK_PERIODS:
        raise UnknownNameError("period", period, tuple(UK_PERIODS))
    months, days, per_year = UK_PERIODS[period]
    if months:
        whole = ((last.year - first.year) * 12 + last.month - first.month) // months
        while whole > 0 and add_months(first, months * whole) > last:
            whole -= 1
        stop = add_months(first, months * whole)
    else:
        whole = (last - first).days // days
        stop = first + _dt.timedelta(days=days * whole)
    return Fraction(whole, per_year) + _day_years(stop, last)


@context_free
def uk_years(start: _dt.date, end: _dt.date, *, period: str = "month") -> Decimal:
    """Time between two dates in years, as CONC App 1.1 counts it for the APR.

    Whole periods (calendar months, weeks or years) are counted forward from `start`; each
    day left over is 1/365 of a year, or 1/366 if it falls in a leap year.

    Parameters
    ----------
    start, end : datetime.date
        The relevant date and the date of a payment (``end >= start``).
    period : {"month", "year", "week"}
        The whole unit counted first: a calendar month (1/12 year; the corresponding day of
        the month, or its last day when it has none), a week (1/52) or a year.

    Returns
    -------
    Decimal
        Years, the exact fraction correctly rounded to 50 digits.

    Raises
    ------
    DateTypeError, DateOrderError, UnknownNameError

    Notes
    -----
    ``t = n/12 + Σ_days 1/365 (1/366 for a day in a leap year)`` for months (``n/52`` for
    weeks, ``n`` for years). The day after the whole periods stop is the first counted, `end`
    the last. The EU rule (:func:`loanmath.apr.eu_years`) counts backwards from `end` and
    divides by the days of the year ending there: the two agree on whole periods and can
    differ by a few days' weight otherwise (30 January → 1 March 2023 is 1 month + 1 day
    here, 1 month + 3 days there).

    References
    ----------
    FCA Handbook CONC App 1.1.10 R (computation of time), carried over from reg. 11 of the
    Consumer Credit (Total Charge for Credit) Regulations 1980, SI 1980/51.

    Examples
    --------
    >>> uk_years(_dt.date(2024, 1, 15), _dt.date(2024, 7, 15))
    Decimal('0.5')
    >>> uk_years(_dt.date(2023, 1, 30), _dt.date(2023, 3, 1))  # 1 month + 1/365
    Decimal('0.086073059360730593607305936073059360730593607305936')
    >>> uk_years(_dt.date(2024, 12, 30), _dt.date(2025, 1, 2), period="week")  # 1/366 + 2/365
    Decimal('0.0082116924919529904933003967362826558874167228085935')
    """
    exact = uk_years_exact(start, end, period=period)
    return CONTEXT.divide(Decimal(exact.numerator), Decimal(exact.denominator))


def _nearest_zero_root(flows: Sequence[float], times: Sequence[float]) -> float:
    """Reg. 9(3): of several roots, the positive one nearest zero, else the negative one
    nearest zero. Scans ``y = ln(1+r)`` for sign changes of the NPV, bisects each bracket."""
    span = max(*times, 1e-9)
    limit = 700.0 / span  # every exponent stays inside float range

    def npv(y: float) -> float:
        return math.fsum(a * math.exp(-y * t) for a, t in zip(flows, times, strict=True))

    # denser near zero (y = ±limit·(k/N)⁴), where loan rates and the rule's choice lie
    ladder = [limit * (k / _SCAN_POINTS) ** 4 for k in range(_SCAN_POINTS + 1)]
    points = sorted({*(-y for y in ladder), *ladder})
    values = [npv(y) for y in points]
    roots = [math.expm1(y) for y, v in zip(points, values, strict=True) if v == 0.0]
    for k in range(len(points) - 1):
        if values[k] and values[k + 1] and (values[k] > 0) != (values[k + 1] > 0):
            roots.append(math.expm1(_bisect(npv, points[k], points[k + 1], values[k])))
    if not roots:
        raise NoSolutionError("no rate makes the present values of these flows equal")
    positive = [r for r in roots if r >= 0]
    return min(positive) if positive else max(roots)


def _bisect(npv: Callable[[float], float], lo: float, hi: float, f_lo: float) -> float:
    """The root of `npv` in ``[lo, hi]`` (a sign change), to float resolution."""
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if not lo < mid < hi:
            break
        f_mid = npv(mid)
        if f_mid == 0.0:
            return mid
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@context_free
def uk_apr(
    amounts: Sequence[Decimal | int | str],
    dates: Sequence[_dt.date],
    *,
    period: str = "month",
    relevant_date: _dt.date | None = None,
    guess: Decimal | str | None = None,
    tol: Decimal = TOL,
) -> Decimal:
    """The UK APR of an agreement secured on land (CONC App 1.1), as an exact annual rate.

    Parameters
    ----------
    amounts : sequence of Decimal, int or str
        Credit provided with one sign (negative from the lender's side), repayments and
        charges in the total charge for credit with the other. Floats are refused.
    dates : sequence of datetime.date
        One per amount.
    period : {"month", "year", "week"}
        The whole unit of :func:`uk_years` (``"week"`` for weekly repayments).
    relevant_date : datetime.date, optional
        The earliest date on which the borrower may require credit; the earliest of `dates`
        if not given. A flow on or before it counts at face value (time 0).
    guess : Decimal or str, optional
        Where the solver starts; it never changes which root is returned.
    tol : Decimal
        Relative tolerance of the Decimal check of the root.

    Returns
    -------
    Decimal
        The APR as a fraction (``0.097`` is 9.7 %), 20 significant digits, confirmed: the
        present values at it agree within ``tol · Σ|aₖ|``. :func:`uk_apr_percent` gives the
        disclosed figure.

    Raises
    ------
    InvalidInputError
        Mismatched lengths, an empty or one-signed list, a relevant date on or after the last
        payment, a guess at or below -100 %.
    FloatMoneyError, InputTypeError, DateTypeError, UnknownNameError
    NoSolutionError
        No rate equates the present values, or the root fails the Decimal check.

    Notes
    -----
    The APR ``r`` solves ``Σ credit_k / (1+r)^t_k = Σ repayment_l / (1+r)^s_l`` with times in
    years from the relevant date (:func:`uk_years`); annual compounding. If several rates do,
    the APR is the positive one nearest zero, otherwise the negative one nearest zero.

    References
    ----------
    FCA Handbook CONC App 1.1 (total charge for credit rules for certain agreements secured
    on land): the APR equation, the relevant date and the choice of root carried over from
    regs. 2 and 9 of SI 1980/51 (https://www.legislation.gov.uk/uksi/1980/51/regulation/9/made);
    computation of time CONC App 1.1.10 R (reg. 11).

    Examples
    --------
    >>> import datetime as dt
    >>> days = [dt.date(2020, 1, 10), dt.date(2021, 1, 10), dt.date(2022, 1, 10),
    ...         dt.date(2023, 1, 10)]
    >>> apr = uk_apr(["-5000", "2000", "2000", "2000"], days)
    >>> apr, uk_apr_percent(apr)
    (Decimal('0.097010257403272926255'), Decimal('9.7'))
    """
    flows = to_decimals(amounts)
    if len(dates) != len(flows):
        raise InvalidInputError(
            "dates", len(dates), f"must have one date per amount ({len(flows)})"
        )
    checked = [check_date(d, f"dates[{i}]") for i, d in enumerate(dates)]
    if not flows:
        raise InvalidInputError("amounts", amounts, "must not be empty")
    origin = min(checked) if relevant_date is None else check_date(relevant_date, "relevant_date")
    if origin >= max(checked):
        raise InvalidInputError(
            "relevant_date", relevant_date, f"must be before the last payment ({max(checked)})"
        )
    if period not in UK_PERIODS:
        raise UnknownNameError("period", period, tuple(UK_PERIODS))
    start = None if guess is None else float(D(guess, "guess"))
    if start is not None and start <= -1:
        raise InvalidInputError("guess", guess, "must be > -1 (a rate above -100 %)")
    times = [
        uk_years_exact(origin, d, period=period) if d > origin else Fraction(0) for d in checked
    ]
    floats, spans = to_floats(flows), [float(t) for t in times]
    ordered = [floats[i] for i in sorted(range(len(spans)), key=spans.__getitem__)]
    if sign_changes(ordered) > 1:  # several roots possible: reg. 9(3) chooses
        root = _nearest_zero_root(floats, spans)
    else:  # one sign change: one root (Descartes' rule for exponential sums)
        root = solve_timed(floats, spans, guess=start)
    return confirm(root, timed_npv(flows, times), flows, tol=tol)


@context_free
def uk_apr_percent(apr: Decimal | int | str) -> Decimal:
    """The APR as disclosed: a percentage to one decimal place, rounded half up.

    Parameters
    ----------
    apr : Decimal, int or str
        The APR as a fraction (:func:`uk_apr`).

    Returns
    -------
    Decimal
        ``100 · apr`` with one decimal: the first decimal goes up by one when the second is
        5 or more (``0.12345`` → ``Decimal('12.3')``, ``0.3137`` → ``Decimal('31.4')``).

    Raises
    ------
    FloatMoneyError, InvalidInputError

    Notes
    -----
    Rounded once, from the exact rate, half up (away from zero). Before the 2004 amendments
    to the 1980 regulations the second decimal was truncated (31.37 → 31.3); it is now rounded
    (31.37 → 31.4). The disclosure tolerances (a rate up to 1 above or 0.1 below the APR,
    Consumer Credit (Agreements) Regulations 2010 Sch. 4 para. 2; CONC 3.6) do not change the
    figure computed here.

    References
    ----------
    FCA Handbook CONC App 1.1; SI 1980/51 as amended; SI 2010/1014 Schedule 4 paragraph 2.

    Examples
    --------
    >>> uk_apr_percent(Decimal("0.3137"))
    Decimal('31.4')
    >>> uk_apr_percent(Decimal("0.3133"))
    Decimal('31.3')
    >>> uk_apr_percent(Decimal("0.12650"))
    Decimal('12.7')
    """
    value = D(apr, "apr")
    with decimal.localcontext(CONTEXT):
        return (value * 100).quantize(_QUANTUM, rounding=decimal.ROUND_HALF_UP)


class _Flow(Protocol):
    @property
    def date(self) -> _dt.date: ...
    @property
    def amount(self) -> Decimal: ...


class _Schedule(Protocol):
    def cash_flows(self) -> Sequence[_Flow]: ...


class _Terms(Protocol):
    @property
    def schedule(self) -> _Schedule: ...
    @property
    def frequency(self) -> str: ...


@context_free
def uk_apr_of(terms: _Terms) -> Decimal:
    """The CONC App 1.1 APR of a :class:`loanmath.LoanTerms`, from its schedule's cash flows.

    Parameters
    ----------
    terms : loanmath.LoanTerms
        The contract; its disbursement (principal less upfront fees) on the start date is the
        credit, every instalment a repayment. Weekly and biweekly loans count in weeks,
        others in calendar months.

    Returns
    -------
    Decimal
        :func:`uk_apr` of ``terms.schedule.cash_flows()``, relevant date the start date.

    Raises
    ------
    InvalidInputError
        `terms` has no schedule.
    NoSolutionError

    Notes
    -----
    The same flows as the EU SECCI (:func:`loanmath.disclosure.secci_disclosure`); only the
    time count, the origin and the root rule of CONC App 1.1 differ.

    References
    ----------
    FCA Handbook CONC App 1.1; SI 1980/51 regs. 2, 9 and 11.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> apr = uk_apr_of(LoanTerms(Money("7500", "GBP"), "0.08", 36,
    ...                           start_date=dt.date(2024, 1, 15)))
    >>> uk_apr_percent(apr)
    Decimal('8.3')
    """
    schedule = getattr(terms, "schedule", None)
    if schedule is None or not hasattr(schedule, "cash_flows"):
        raise InvalidInputError("terms", terms, "must be a LoanTerms (with a schedule)")
    flows = schedule.cash_flows()
    period = _FREQUENCY_PERIODS.get(getattr(terms, "frequency", "monthly"), "month")
    return uk_apr(
        [f.amount for f in flows],
        [f.date for f in flows],
        period=period,
        relevant_date=flows[0].date,
    )
