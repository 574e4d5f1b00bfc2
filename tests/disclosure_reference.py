"""An independent reference model of three loan disclosure forms, for the differential test.

Written from the rules themselves — NOT from ``loanmath/disclosure`` or ``loanmath/apr`` — and
importing nothing from ``loanmath``. Inputs are plain data: the amount the borrower receives,
the start date, the scheduled payments ``[(due date, amount)]`` (one per schedule row, zero
amounts included), the fee totals ``{"upfront", "financed", "periodic"}``, the total interest
and the payment frequency (``"monthly"``, ``"quarterly"``, ``"weekly"``, ``"biweekly"``).
Amounts are ``Fraction``s; every solver is a plain bisection with an exact (``Fraction``) or
60-digit (``Decimal``) present value, stopped when the bracket is narrower than 1e-13.

United States — Truth in Lending, Regulation Z (12 CFR 1026)
    * 1026.4: the finance charge is every charge payable as an incident to the credit: interest
      plus all fees (upfront = prepaid finance charges, financed and periodic).
    * 1026.18(b): amount financed = principal − prepaid finance charges; a financed fee is a
      finance charge, so it is not an "other amount financed": the amount financed is what the
      borrower receives. 1026.18(d) finance charge; 1026.18(h) total of payments = Σ payments;
      1026.18(g) payment schedule: number, amounts and timing, as runs of equal consecutive
      payments (count, amount, first due, last due).
    * 1026.22(a) and Appendix J (actuarial method). APR = unit-period rate × unit-periods a
      year ((b)(1)), the rate solving the general equation (b)(8) for one advance A at the start
      of the term ((b)(2), consummation):  A = Σ P_j / ((1 + f_j·i)(1 + i)^t_j).
      - (b)(3): all months are equal; a month runs from a date to the same date of another
        month; for a series of payments on the last day of each month, from month end to month
        end; for a series on the 29th or 30th, the last day of February is used when applicable
        (READING T1: the series' day is the largest day of month among its payment dates when
        every other date is the last day of a shorter month; otherwise each date keeps its own
        day, and a day a month lacks becomes that month's last day).
      - (b)(4)(i): the unit-period is the common period (a period occurring more than once),
        not over a year, that occurs most often; on a tie the smaller. Periods are start → first
        payment and between payments. (b)(4)(ii): one advance and one payment: the term itself,
        but not over a year. (READING T2: a 0.00 schedule row is not a payment here — it adds
        nothing to the equation, and it does not make a period.)
      - (b)(5)(ii) month: t = months counted back from the payment date, f = the days left
        forward from the start to the first full unit-period ÷ 30. (b)(5)(iii) k months:
        days = 30 × months counted back + the days left; t, f = divmod(days, 30k).
        (b)(5)(iv) k weeks: t, f = divmod(days, 7k), 52/k a year. (b)(5)(v) year: whole years
        back, the rest as months ÷ 12 if it is whole months, else days ÷ 365.
        (b)(5)(vi) single payment, term under a year and whole months: t = 1, 12 ÷ months a
        year OR 365 ÷ days a year (both allowed: the model returns both candidates).
        (b)(5)(vii) single payment, term under a year, not whole months: t = 1, 365 ÷ days.
      - (b)(6): the rate of a fractional unit-period is f × i (simple, inside the fraction).
    * The disclosed APR is the exact APR rounded half up to 0.01 percentage point (a fraction
      to 4 places); 1026.22(a)(2) allows 1/8 point, the model discloses the nearest.

China — PBoC announcement 〔2021〕第3号 (年化利率, IRR method)
    All costs (interest and every fee) against the principal actually outstanding, annualised:
    the per-period IRR r solving −received + Σ payment_k (1 + r)^−k = 0, times the periods a
    year. k counts whole payment periods from the start to the due date (months counted forward
    from the start date, a day the month lacks becoming its last day; weeks as 7 days) — for a
    regular schedule this is the instalment number. (READING C1: a single payment due after n
    periods is discounted over n periods, not one; the announcement annualises over the time
    the principal is actually outstanding.)

European Union — Consumer Credit Directive 2008/48/EC
    * Article 3(g) total cost of the credit (interest and all fees), 3(h) total amount payable
      = total amount of credit + total cost of credit, 3(l) total amount of credit = the sums
      made available (here: the amount received, principal less upfront fees).
    * Annex I: the APRC X solves Σ C_k (1 + X)^−t_k = Σ D_l (1 + X)^−s_l, time in years from the
      first drawdown; remark (c): a year has 365 days (366 for leap years), 52 weeks or 12 equal
      months. Commission guidelines SWD(2012)128 §4.1.1 (the rule later written into Directive
      2014/17/EU Annex I (3)(b)(ii)–(iii)): whole periods (months; weeks for weekly loans) are
      counted backwards from the flow date towards the drawdown, a day the month lacks becoming
      its last day; the remaining days (first day excluded, last included) are divided by the
      days (365 or 366) of the complete year counted back from the last day of that run of days
      (where the whole periods stop) to the same day of the previous year. The result is shown
      here to 0.01 percentage point, rounded half up (Annex I (d) asks at least one decimal).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from itertools import pairwise

#: Bisection stops when the bracket (in the solved rate) is narrower than this.
BRACKET = Fraction(1, 10**13)
#: Decimal digits used for the EU present values (fractional powers).
EU_DIGITS = 60

#: frequency -> (kind, length in months or weeks, periods a year)
FREQUENCIES: dict[str, tuple[str, int, int]] = {
    "monthly": ("month", 1, 12),
    "quarterly": ("month", 3, 4),
    "weekly": ("week", 1, 52),
    "biweekly": ("week", 2, 26),
}

Payment = tuple[dt.date, Fraction]


# --- calendar ---------------------------------------------------------------------------------


def last_day(year: int, month: int) -> int:
    """Days in the month."""
    return calendar.monthrange(year, month)[1]


def shift_months(date: dt.date, months: int, day: int | None = None) -> dt.date:
    """The date `months` later (earlier if negative) on `day` (default: `date`'s own day);
    a day the month lacks becomes the month's last day."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    wanted = date.day if day is None else day
    return dt.date(year, month, min(wanted, last_day(year, month)))


def months_back(later: dt.date, earlier: dt.date, day: int | None = None) -> tuple[int, dt.date]:
    """Whole months counted back from `later` without passing `earlier`: ``(n, date reached)``.

    Each candidate is computed from `later` directly (n months back on `day`, default
    `later`'s own day), never by stepping month by month.
    """
    n = 0
    while shift_months(later, -(n + 1), day) >= earlier:
        n += 1
    return n, shift_months(later, -n, day)


def year_days_ending(date: dt.date) -> int:
    """Days of the complete year counted back from `date` to the same day a year earlier
    (a day the month lacks becoming its last day): 366 when it holds a 29 February."""
    return (date - shift_months(date, -12)).days


# --- solvers ----------------------------------------------------------------------------------


def bisect_decreasing(
    value: Callable[[Fraction], int], lo: Fraction = Fraction(0), bracket: Fraction = BRACKET
) -> Fraction:
    """The root of a decreasing function given by its sign (``value(x)`` > 0 left of the root).

    `lo` must be at or left of the root; the upper end doubles until the sign turns.
    """
    if value(lo) <= 0:
        return lo
    hi = Fraction(1) if lo < 1 else 2 * lo
    while value(hi) > 0:
        lo, hi = hi, 2 * hi
    while hi - lo > bracket:
        mid = (lo + hi) / 2
        if value(mid) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def round_half_up(value: Fraction, places: int) -> Fraction:
    """`value` rounded half up (away from zero on a tie) to `places` decimals."""
    scale = 10**places
    magnitude = (abs(value) * scale + Fraction(1, 2)).__floor__()
    return Fraction(magnitude if value >= 0 else -magnitude, scale)


# --- payment groups (1026.18(g), SECCI "amount, number and frequency") -------------------------


@dataclass(frozen=True)
class PaymentGroup:
    """A run of equal consecutive payments."""

    count: int
    amount: Fraction
    first_due: dt.date
    last_due: dt.date


def payment_groups(payments: Sequence[Payment]) -> list[PaymentGroup]:
    """Runs of equal consecutive payments, in order (every schedule row, 0.00 ones included)."""
    groups: list[PaymentGroup] = []
    for due, amount in payments:
        if groups and groups[-1].amount == amount:
            last = groups[-1]
            groups[-1] = PaymentGroup(last.count + 1, amount, last.first_due, due)
        else:
            groups.append(PaymentGroup(1, amount, due, due))
    return groups


# --- Appendix J -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitPeriod:
    """Appendix J's unit-period: ``kind`` month / week / day / year / term."""

    kind: str
    length: int  # months (month), weeks (week), days (day, term), 12 (year)

    def days_equivalent(self) -> int:
        """For comparing sizes on a tie ((b)(4)(i)(A)): all months equal, 30 days."""
        return {"month": 30, "week": 7, "day": 1, "year": 365, "term": 1}[self.kind] * self.length


def series_day(dates: Sequence[dt.date]) -> int | None:
    """READING T1 ((b)(3)): the day of month a series of payments is scheduled for, when the
    dates are that day or the last day of a shorter month; None when there is no such day."""
    if len(dates) < 2:
        return None
    day = max(d.day for d in dates)
    for d in dates:
        if d.day != day and not (d.day == last_day(d.year, d.month) < day):
            return None
    return day


def _period(earlier: dt.date, later: dt.date, day: int | None) -> UnitPeriod:
    """The length of one period as a standard interval when it is one ((b)(3), (b)(4))."""
    n, reached = months_back(later, earlier, day)
    if n >= 1 and reached == earlier:
        return UnitPeriod("month", n)
    days = (later - earlier).days
    if days % 7 == 0:
        return UnitPeriod("week", days // 7)
    return UnitPeriod("day", days)


def appendix_j_unit_period(start: dt.date, dates: Sequence[dt.date]) -> UnitPeriod:
    """(b)(4)(i): the common period, not over a year, that occurs most often; a tie: the
    smaller. Raises ``NotImplementedError`` for transactions without a common period (the
    averaging rule (b)(4)(i)(B) is outside this model)."""
    day = series_day(dates)
    bounds = [start, *dates]
    periods = [_period(a, b, day) for a, b in pairwise(bounds)]
    counts = Counter(p for p in periods if p.days_equivalent() <= 365)
    common = [(n, p) for p, n in counts.items() if n > 1]
    if not common:
        raise NotImplementedError("no common period: (b)(4)(i)(B) is outside the model")
    most = max(n for n, _ in common)
    return min((p for n, p in common if n == most), key=UnitPeriod.days_equivalent)


def appendix_j_time(
    start: dt.date, due: dt.date, unit: UnitPeriod, day: int | None
) -> tuple[int, Fraction]:
    """(b)(5): whole unit-periods t and fraction f from the start of the term to `due`."""
    if unit.kind == "month":
        n, reached = months_back(due, start, day)
        rest = (reached - start).days
        if unit.length == 1:  # (b)(5)(ii)
            return n, Fraction(rest, 30)
        days = 30 * n + rest  # (b)(5)(iii)
        t, left = divmod(days, 30 * unit.length)
        return t, Fraction(left, 30 * unit.length)
    if unit.kind in ("week", "day"):  # (b)(5)(iv)
        size = 7 * unit.length if unit.kind == "week" else unit.length
        t, left = divmod((due - start).days, size)
        return t, Fraction(left, size)
    raise ValueError(f"no (b)(5) count for unit {unit}")


def appendix_j_per_year(unit: UnitPeriod) -> Fraction:
    """(b)(5)(ii)–(iv): unit-periods a year."""
    if unit.kind == "month":
        return Fraction(12, unit.length)
    if unit.kind == "week":
        return Fraction(52, unit.length)
    if unit.kind == "day":
        return Fraction(365, unit.length)
    raise ValueError(f"no per-year count for unit {unit}")


def solve_appendix_j(amount: Fraction, flows: Sequence[tuple[Fraction, int, Fraction]]) -> Fraction:
    """The unit-period rate i with ``amount = Σ P / ((1 + f·i)(1 + i)^t)`` ((b)(8), (b)(9)).

    `flows` are ``(P, t, f)``. The right side decreases in i; the finance charge is never
    negative here, so i >= 0.
    """

    def sign(i: Fraction) -> int:
        present = sum((p / ((1 + f * i) * (1 + i) ** t) for p, t, f in flows), start=Fraction(0))
        return (present > amount) - (present < amount)

    return bisect_decreasing(sign)


@dataclass(frozen=True)
class AprSolution:
    """The Appendix J APR and how it was measured."""

    exact: Fraction  # the primary reading
    candidates: tuple[Fraction, ...]  # every APR the appendix allows ((b)(5)(vi) "or")
    unit: UnitPeriod
    unit_rate: Fraction
    times: tuple[tuple[int, Fraction], ...]  # (t, f) per payment with an amount


def appendix_j_apr(amount: Fraction, start: dt.date, payments: Sequence[Payment]) -> AprSolution:
    """The actuarial APR of one advance of `amount` at `start` repaid by `payments`."""
    paid = [(d, p) for d, p in payments if p != 0]  # READING T2
    if not paid:
        raise ValueError("no payment")
    dates = [d for d, _ in paid]
    if len(paid) == 1:
        return _single_payment_apr(amount, start, paid[0])
    unit = appendix_j_unit_period(start, dates)
    day = series_day(dates)
    times = tuple(appendix_j_time(start, d, unit, day) for d in dates)
    rate = solve_appendix_j(amount, [(p, t, f) for (_, p), (t, f) in zip(paid, times, strict=True)])
    apr = rate * appendix_j_per_year(unit)
    return AprSolution(apr, (apr,), unit, rate, times)


def _single_payment_apr(amount: Fraction, start: dt.date, payment: Payment) -> AprSolution:
    """(b)(4)(ii), (b)(5)(v)–(vii): one advance, one payment; the unit-period is the term, but
    not over a year."""
    due, value = payment
    months, reached = months_back(due, start)  # no series: the date's own day
    days = (due - start).days
    whole = reached == start
    if months < 12:  # the term is under a year
        rate = value / amount - 1  # t = 1, f = 0
        if whole and months >= 1:  # (b)(5)(vi): 12 / months, or 365 / days
            per_year = (Fraction(12, months), Fraction(365, days))
        else:  # (b)(5)(vii)
            per_year = (Fraction(365, days),)
        aprs = tuple(rate * n for n in per_year)
        return AprSolution(aprs[0], aprs, UnitPeriod("term", days), rate, ((1, Fraction(0)),))
    # (b)(5)(v): the unit-period is a year; whole years back, then months / 12 or days / 365
    years = months // 12
    year_start = shift_months(due, -12 * years)
    rest_months, rest_reached = months_back(year_start, start, due.day)
    if rest_reached == start:
        fraction = Fraction(rest_months, 12)
    else:
        fraction = Fraction((year_start - start).days, 365)
    rate = solve_appendix_j(amount, [(value, years, fraction)])
    return AprSolution(rate, (rate,), UnitPeriod("year", 12), rate, ((years, fraction),))


# --- the forms --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TilaReference:
    """1026.18 figures and the Appendix J APR."""

    amount_financed: Fraction
    finance_charge: Fraction
    total_of_payments: Fraction
    payment_schedule: list[PaymentGroup]
    apr: AprSolution

    @property
    def apr_exact(self) -> Fraction:
        return self.apr.exact

    @property
    def apr_disclosed(self) -> Fraction:
        """Rounded half up to 0.01 percentage point."""
        return round_half_up(self.apr.exact, 4)


def _fee_total(fees: dict[str, Fraction]) -> Fraction:
    return sum(fees.values(), start=Fraction(0))


def tila_reference(
    received: Fraction,
    start: dt.date,
    payments: list[Payment],
    fees: dict[str, Fraction],
    interest: Fraction,
    frequency: str,
) -> TilaReference:
    """The Truth in Lending box (1026.18(b), (d), (e), (g), (h); Appendix J)."""
    del frequency  # Appendix J takes the unit-period from the dates ((b)(4))
    amount_financed = received  # principal − prepaid finance charges (1026.18(b))
    finance_charge = interest + _fee_total(fees)  # 1026.4
    total = sum((p for _, p in payments), start=Fraction(0))  # 1026.18(h)
    if amount_financed + finance_charge != total:
        raise AssertionError("amount financed + finance charge != total of payments")
    apr = appendix_j_apr(amount_financed, start, payments)
    return TilaReference(amount_financed, finance_charge, total, payment_groups(payments), apr)


def periods_from_start(start: dt.date, due: dt.date, frequency: str) -> int:
    """Whole payment periods from `start` to `due` (months counted forward from the start date,
    a day the month lacks becoming its last day; weeks as 7 days). Raises if not whole."""
    kind, length, _ = FREQUENCIES[frequency]
    if kind == "week":
        periods, left = divmod((due - start).days, 7 * length)
        if left:
            raise ValueError(f"{due} is not a whole number of periods after {start}")
        return periods
    k = 0
    while True:
        k += 1
        reached = shift_months(start, k * length)
        if reached == due:
            return k
        if reached > due:
            raise ValueError(f"{due} is not a whole number of periods after {start}")


@dataclass(frozen=True)
class CnReference:
    """The 年化利率 (IRR method) and its figures."""

    annualised_rate: Fraction
    periods_per_year: int
    period_rate: Fraction
    periods: tuple[int, ...]  # k for each payment
    amount_received: Fraction
    total_interest_and_fees: Fraction


def cn_reference(
    received: Fraction,
    start: dt.date,
    payments: list[Payment],
    fees: dict[str, Fraction],
    interest: Fraction,
    frequency: str,
) -> CnReference:
    """PBoC 〔2021〕第3号: IRR per period × periods a year (READING C1 for k)."""
    periods_per_year = FREQUENCIES[frequency][2]
    ks = tuple(periods_from_start(start, due, frequency) for due, _ in payments)
    flows = [(p, k) for (_, p), k in zip(payments, ks, strict=True)]

    def sign(r: Fraction) -> int:
        present = sum((p / (1 + r) ** k for p, k in flows), start=Fraction(0))
        return (present > received) - (present < received)

    rate = bisect_decreasing(sign)
    return CnReference(
        rate * periods_per_year,
        periods_per_year,
        rate,
        ks,
        received,
        interest + _fee_total(fees),
    )


def eu_time(start: dt.date, due: dt.date, frequency: str) -> Fraction:
    """Annex I remark (c) with the guidelines' counting: years from `start` to `due`."""
    kind, _, _ = FREQUENCIES[frequency]
    if kind == "week":
        weeks, rest = divmod((due - start).days, 7)
        reached = due - dt.timedelta(days=7 * weeks)
        whole = Fraction(weeks, 52)
    else:
        months, reached = months_back(due, start)
        rest = (reached - start).days
        whole = Fraction(months, 12)
    if rest == 0:
        return whole
    return whole + Fraction(rest, year_days_ending(reached))


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def solve_aprc(received: Fraction, flows: Sequence[tuple[Fraction, Fraction]]) -> Fraction:
    """X with ``received = Σ C (1 + X)^−t`` (one drawdown at time 0), by bisection."""
    with localcontext() as ctx:
        ctx.prec = EU_DIGITS
        target = _decimal(received)
        terms = [(_decimal(c), _decimal(t)) for c, t in flows if c != 0]

        def sign(x: Fraction) -> int:
            log = (1 + _decimal(x)).ln()
            present = sum(((c * (-t * log).exp()) for c, t in terms), start=Decimal(0))
            return (present > target) - (present < target)

        return bisect_decreasing(sign)


@dataclass(frozen=True)
class SecciReference:
    """The SECCI figures (Directive 2008/48/EC Article 3, Annex I, Annex II)."""

    total_amount_of_credit: Fraction
    total_cost_of_credit: Fraction
    total_amount_payable: Fraction
    instalments: list[PaymentGroup]
    times: tuple[Fraction, ...]
    aprc_exact: Fraction
    duration_months: int | None  # whole months start → last due (month frequencies), if whole

    @property
    def aprc_disclosed(self) -> Fraction:
        """Rounded half up to 0.01 percentage point."""
        return round_half_up(self.aprc_exact, 4)


def secci_reference(
    received: Fraction,
    start: dt.date,
    payments: list[Payment],
    fees: dict[str, Fraction],
    interest: Fraction,
    frequency: str,
) -> SecciReference:
    """Article 3(g), (h), (l) and the Annex I APRC."""
    cost = interest + _fee_total(fees)
    payable = sum((p for _, p in payments), start=Fraction(0))
    if received + cost != payable:
        raise AssertionError("total amount of credit + total cost != total amount payable")
    times = tuple(eu_time(start, due, frequency) for due, _ in payments)
    aprc = solve_aprc(received, [(p, t) for (_, p), t in zip(payments, times, strict=True)])
    duration: int | None = None
    if FREQUENCIES[frequency][0] == "month" and payments:
        try:
            duration = periods_from_start(start, payments[-1][0], "monthly")
        except ValueError:  # not a whole number of months: no figure to compare
            duration = None
    return SecciReference(received, cost, payable, payment_groups(payments), times, aprc, duration)
