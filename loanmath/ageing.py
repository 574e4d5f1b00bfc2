"""Overdue ageing: days past due, bucket sets, portfolio ageing, PAR and roll rates (as counts,
and as a table of rates: :func:`roll_rate_frame`).

Days past due (DPD) count from the **oldest unpaid instalment**: on date ``d``, a loan whose
oldest instalment still owing more than the arrears tolerance fell due on ``due`` is
``(d − due).days`` past due — unless that is within the tolerance days, when it is current.

Bucket sets are data (:class:`BucketSet`); presets: China's M0…M7+, the US 30/60/90/120+
delinquency buckets, IFRS 9 stages, and the FFIEC Uniform Retail Credit Classification
(closed-end and open-end).

References
----------
FFIEC Uniform Retail Credit Classification and Account Management Policy (2000): 90
cumulative days past due → substandard; closed-end 120 days, open-end 180 days → loss.
IFRS 9 §5.5.11 (more than 30 days past due: rebuttable presumption of a significant increase
in credit risk) and B5.5.37 ("default does not occur later than when a financial asset is 90
days past due": stage 3 from 90 DPD, not above it).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from loanmath._checks import check_date, check_int
from loanmath._decimal import CONTEXT, EXACT, MAX_AMOUNT, ZERO, D, context_free, guard_init
from loanmath._optional import require
from loanmath.errors import InvalidInputError

__all__ = [
    "CN_M",
    "IFRS9_STAGES",
    "US_DELINQUENCY",
    "US_RETAIL_CLOSED_END",
    "US_RETAIL_OPEN_END",
    "Bucket",
    "BucketSet",
    "Due",
    "LoanAgeing",
    "PortfolioAgeing",
    "days_past_due",
    "portfolio_ageing",
    "reminder_dates",
    "roll_rate_frame",
    "roll_rates",
]


class Due(NamedTuple):
    """What one instalment asks, and what has been paid against it by the date in question.

    Notes
    -----
    The instalment still owes ``amount − paid``; :func:`days_past_due` counts it as unpaid while
    that is above the arrears tolerance. Servicing builds one per instalment from its principal +
    interest + periodic fees (penalty and charged fees are left out): docs/servicing.md, C11.

    Examples
    --------
    >>> Due(_dt.date(2024, 2, 15), Decimal("100"), Decimal("0")).amount
    Decimal('100')
    """

    due_date: _dt.date
    amount: Decimal
    paid: Decimal


@context_free
def days_past_due(
    dues: Iterable[Due],
    on: _dt.date,
    *,
    tolerance_amount: Decimal | str = "0",
    tolerance_days: int = 0,
) -> int:
    """Days past due on `on`, from the oldest instalment still owing more than the tolerance.

    Parameters
    ----------
    dues : iterable of Due
        Every instalment with its amount and what has been paid against it by `on`.
    on : datetime.date
    tolerance_amount : Decimal, default 0
        An instalment owing this much or less counts as paid (arrears tolerance).
    tolerance_days : int, default 0
        A loan at most this many days late is current (DPD 0).

    Notes
    -----
    DPD = ``(on − T).days`` for the oldest instalment with due date ``T < on`` and ``amount −
    paid > tolerance_amount``; 0 when there is none, or when that count is at most
    `tolerance_days`. An instalment falling due on `on` is not yet past due (docs/servicing.md,
    conventions C3 and C11: days from the oldest unpaid instalment, with an arrears tolerance).

    Examples
    --------
    >>> d = _dt.date
    >>> dues = [Due(d(2024, 2, 15), Decimal("100"), Decimal("100")),
    ...         Due(d(2024, 3, 15), Decimal("100"), Decimal("40")),
    ...         Due(d(2024, 4, 15), Decimal("100"), Decimal("0"))]
    >>> days_past_due(dues, d(2024, 4, 20))
    36
    >>> days_past_due(dues, d(2024, 4, 20), tolerance_amount="60")
    5
    """
    day = check_date(on, "on")
    tolerance = D(tolerance_amount, "tolerance_amount")
    days = check_int(tolerance_days, "tolerance_days", minimum=0)
    for due in sorted(dues, key=lambda x: x.due_date):
        if due.due_date >= day:
            break
        if EXACT.subtract(due.amount, due.paid) > tolerance:
            late = (day - due.due_date).days
            return 0 if late <= days else late
    return 0


@guard_init
@attrs.frozen
class Bucket:
    """A label for DPD from `low` to `high` inclusive (``high=None``: no upper bound).

    Notes
    -----
    ``holds(dpd)`` is ``low <= dpd`` and (``high is None`` or ``dpd <= high``): both bounds are
    inclusive, so ``Bucket("M1", 1, 30)`` is China's M1, 1–30 DPD (docs/servicing.md, "Ageing").
    `low` must be an int >= 0 and `high` an int >= `low`.

    Examples
    --------
    >>> Bucket("M1", 1, 30).holds(30)
    True
    """

    label: str
    low: int
    high: int | None = None

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "low", check_int(self.low, "low", minimum=0))
        if self.high is not None:
            object.__setattr__(self, "high", check_int(self.high, "high", minimum=self.low))

    def holds(self, dpd: int) -> bool:
        return dpd >= self.low and (self.high is None or dpd <= self.high)


@guard_init
@attrs.frozen
class BucketSet:
    """Buckets covering every DPD from 0 up, without gaps or overlaps.

    Notes
    -----
    The buckets must tile DPD 0, 1, 2 … in order: the first starts at 0, each next one at the
    previous ``high + 1``, and only the last is open-ended (else ``InvalidInputError``), so each
    DPD has exactly one label. Presets (docs/servicing.md, "Ageing"): ``CN_M``, ``US_DELINQUENCY``,
    ``IFRS9_STAGES`` (stage 2 above 30 DPD, IFRS 9 §5.5.11; stage 3 from 90, B5.5.37) and the
    FFIEC Uniform Retail Credit Classification (substandard from 90 DPD; loss from 120 closed-end,
    180 open-end).

    Examples
    --------
    >>> CN_M.bucket(0), CN_M.bucket(31), CN_M.bucket(181)
    ('M0', 'M2', 'M7+')
    """

    name: str
    buckets: tuple[Bucket, ...]

    def __attrs_post_init__(self) -> None:
        expected = 0
        for bucket in self.buckets:
            if bucket.low != expected:
                raise InvalidInputError(
                    "buckets",
                    bucket.label,
                    f"must start at DPD {expected} (no gaps, no overlaps)",
                )
            if bucket.high is None:
                if bucket is not self.buckets[-1]:
                    raise InvalidInputError(
                        "buckets", bucket.label, "only the last bucket may be open-ended"
                    )
                return
            expected = bucket.high + 1
        raise InvalidInputError("buckets", self.name, "the last bucket must be open-ended")

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(b.label for b in self.buckets)

    def bucket(self, dpd: int) -> str:
        """The label for `dpd` days past due (an int >= 0; a numpy integer is accepted)."""
        days = check_int(dpd, "dpd", minimum=0)
        return next(b.label for b in self.buckets if b.holds(days))


def _buckets(name: str, *bounds: tuple[str, int, int | None]) -> BucketSet:
    return BucketSet(name, tuple(Bucket(label, low, high) for label, low, high in bounds))


#: China: M0 current, M1 1-30, M2 31-60 … M6 151-180, M7+ over 180.
CN_M = _buckets(
    "CN_M",
    ("M0", 0, 0),
    ("M1", 1, 30),
    ("M2", 31, 60),
    ("M3", 61, 90),
    ("M4", 91, 120),
    ("M5", 121, 150),
    ("M6", 151, 180),
    ("M7+", 181, None),
)
#: US delinquency: current, 1-29, 30-59, 60-89, 90-119, 120+.
US_DELINQUENCY = _buckets(
    "US_DELINQUENCY",
    ("Current", 0, 0),
    ("1-29", 1, 29),
    ("30-59", 30, 59),
    ("60-89", 60, 89),
    ("90-119", 90, 119),
    ("120+", 120, None),
)
#: IFRS 9: stage 2 beyond 30 DPD (§5.5.11 "more than 30 days past due"), stage 3 from 90 DPD
#: (B5.5.37: default "not later than when a financial asset is 90 days past due").
IFRS9_STAGES = _buckets("IFRS9", ("Stage 1", 0, 30), ("Stage 2", 31, 89), ("Stage 3", 90, None))
#: FFIEC retail classification, closed-end: 90 DPD substandard, 120 DPD loss.
US_RETAIL_CLOSED_END = _buckets(
    "US_RETAIL_CLOSED_END", ("Pass", 0, 89), ("Substandard", 90, 119), ("Loss", 120, None)
)
#: FFIEC retail classification, open-end: 90 DPD substandard, 180 DPD loss.
US_RETAIL_OPEN_END = _buckets(
    "US_RETAIL_OPEN_END", ("Pass", 0, 89), ("Substandard", 90, 179), ("Loss", 180, None)
)


class LoanAgeing(NamedTuple):
    """One loan's ageing input on a date: its id, DPD and outstanding principal.

    Notes
    -----
    One row of the ageing report: `dpd` as :func:`days_past_due` counts it (docs/servicing.md,
    C11) and `outstanding` the principal still owed (servicing gives
    ``LoanState.outstanding_principal``, due or not). :func:`portfolio_ageing` checks each row: a
    DPD int >= 0, an amount from 0 to 10**15 with at most 10 decimal places.

    Examples
    --------
    >>> LoanAgeing("L1", 45, Decimal("100")).dpd
    45
    """

    loan_id: str
    dpd: int
    outstanding: Decimal


@attrs.frozen
class PortfolioAgeing:
    """Counts and outstanding principal per bucket, and PAR30/60/90.

    Notes
    -----
    The fields as :func:`portfolio_ageing` computes them: per bucket label, the number of loans
    and the exact sum of their outstanding principal; ``par[k]`` for k = 30, 60, 90 the share of
    outstanding principal held by loans more than k days past due (docs/servicing.md, "Ageing").

    Examples
    --------
    >>> report = portfolio_ageing([LoanAgeing("A", 0, Decimal("900"))], _dt.date(2024, 5, 1))
    >>> report.count["M0"], report.outstanding["M0"], report.par[30]
    (1, Decimal('900'), Decimal('0'))
    """

    on: _dt.date
    buckets: BucketSet
    count: dict[str, int]
    outstanding: dict[str, Decimal]
    par: dict[int, Decimal]

    def to_frame(self) -> Any:
        """The ageing as a ``pandas.DataFrame``: one row per bucket, in the bucket set's order.

        Index ``bucket`` (the labels, every bucket even when empty); columns ``count`` (int64)
        and ``outstanding`` (``Decimal`` objects in an ``object`` column, exact). The date and
        the PAR figures are in ``frame.attrs["on"]`` and ``frame.attrs["par"]``.

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        MissingDependencyError
            If pandas is not installed (``pip install 'loanmath[data]'``).

        Examples
        --------
        >>> rows = [LoanAgeing("A", 0, Decimal("900")), LoanAgeing("B", 45, Decimal("100"))]
        >>> frame = portfolio_ageing(rows, _dt.date(2024, 5, 1)).to_frame()
        >>> frame.loc["M2", "outstanding"], int(frame["count"].sum())
        (Decimal('100'), 2)
        >>> frame.attrs["par"][30]
        Decimal('0.1')
        """
        pandas = require("pandas", "PortfolioAgeing.to_frame()")
        labels = self.buckets.labels
        frame = pandas.DataFrame(
            {
                "count": pandas.Series([self.count[b] for b in labels], dtype="int64"),
                "outstanding": pandas.Series([self.outstanding[b] for b in labels], dtype=object),
            }
        )
        frame.index = pandas.Index(labels, name="bucket")
        frame.attrs.update(on=self.on, buckets=self.buckets.name, par=dict(self.par))
        return frame


@context_free
def portfolio_ageing(
    loans: Iterable[LoanAgeing], on: _dt.date, buckets: BucketSet = CN_M
) -> PortfolioAgeing:
    """Ageing of a portfolio on `on`: per bucket, the number of loans and their outstanding
    principal; PAR-k, the share of outstanding principal more than k days past due.

    Notes
    -----
    Each loan goes to ``buckets.bucket(dpd)``; per bucket, its count and the exact sum of its
    outstanding principal. ``PAR-k = Σ outstanding (DPD > k) / Σ outstanding``, k = 30, 60, 90:
    one division in the library context (50 significant digits, half even); 0 when the portfolio
    holds no principal. docs/servicing.md, "Ageing".

    Examples
    --------
    >>> rows = [LoanAgeing("A", 0, Decimal("900")), LoanAgeing("B", 45, Decimal("100"))]
    >>> report = portfolio_ageing(rows, _dt.date(2024, 5, 1))
    >>> report.count["M2"], report.par[30]
    (1, Decimal('0.1'))
    """
    day = check_date(on, "on")
    if not isinstance(buckets, BucketSet):
        raise InvalidInputError(
            "buckets", buckets, "must be a BucketSet (CN_M, US_DELINQUENCY, IFRS9_STAGES …)"
        )
    rows = [_ageing_row(index, loan) for index, loan in enumerate(_iterable(loans, "loans"))]
    count = dict.fromkeys(buckets.labels, 0)
    outstanding = dict.fromkeys(buckets.labels, ZERO)
    total = ZERO
    over = {30: ZERO, 60: ZERO, 90: ZERO}
    for dpd, amount in rows:
        label = buckets.bucket(dpd)
        count[label] += 1
        outstanding[label] = EXACT.add(outstanding[label], amount)
        total = EXACT.add(total, amount)
        for k, value in over.items():
            if dpd > k:
                over[k] = EXACT.add(value, amount)
    par = {k: (CONTEXT.divide(v, total) if total else ZERO) for k, v in over.items()}
    return PortfolioAgeing(day, buckets, count, outstanding, par)


#: The largest outstanding principal one loan may report, and its finest decimal place.
MAX_OUTSTANDING = MAX_AMOUNT
OUTSTANDING_PLACES = 10


def _iterable(value: object, field: str) -> Iterable[Any]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise InvalidInputError(field, value, "must be an iterable of LoanAgeing rows")
    return value


def _ageing_row(index: int, loan: object) -> tuple[int, Decimal]:
    """A row's (dpd, outstanding), checked: a DPD from 0, a finite amount from 0 to 10**15."""
    field = f"loans[{index}]"
    if not isinstance(loan, tuple) or len(loan) != 3:
        raise InvalidInputError(field, loan, "must be a LoanAgeing(loan_id, dpd, outstanding)")
    dpd = check_int(loan[1], f"{field}.dpd", minimum=0)
    amount = D(loan[2], f"{field}.outstanding")
    if not 0 <= amount <= MAX_OUTSTANDING or -amount.as_tuple().exponent > OUTSTANDING_PLACES:  # type: ignore[operator]
        raise InvalidInputError(
            f"{field}.outstanding",
            amount,
            f"must be from 0 to {MAX_OUTSTANDING:f} with at most {OUTSTANDING_PLACES} places",
        )
    return dpd, amount


@context_free
def roll_rates(
    before: Iterable[LoanAgeing], after: Iterable[LoanAgeing], buckets: BucketSet = CN_M
) -> dict[str, dict[str, int]]:
    """The roll-rate matrix: how many loans moved from each bucket (first date) to each
    bucket (second date). Loans present only once are left out.

    Notes
    -----
    ``matrix[a][b]`` is the number of loans, matched by ``loan_id``, in bucket ``a`` on the first
    date and ``b`` on the second; every label of `buckets` is a row and a column (zeros kept). A
    loan id repeated in `before` counts with its last row. Counts only: :func:`roll_rate_frame`
    divides each row by its total (docs/servicing.md, "Ageing").

    Examples
    --------
    >>> a = [LoanAgeing("A", 0, Decimal(1)), LoanAgeing("B", 10, Decimal(1))]
    >>> b = [LoanAgeing("A", 5, Decimal(1)), LoanAgeing("B", 40, Decimal(1))]
    >>> m = roll_rates(a, b)
    >>> m["M0"]["M1"], m["M1"]["M2"]
    (1, 1)
    """
    first = {loan.loan_id: buckets.bucket(loan.dpd) for loan in before}
    matrix = {row: dict.fromkeys(buckets.labels, 0) for row in buckets.labels}
    for loan in after:
        origin = first.get(loan.loan_id)
        if origin is not None:
            matrix[origin][buckets.bucket(loan.dpd)] += 1
    return matrix


@context_free
def roll_rate_frame(
    before: Iterable[LoanAgeing], after: Iterable[LoanAgeing], buckets: BucketSet = CN_M
) -> Any:
    """Roll rates as a ``pandas.DataFrame``: of the loans in each bucket on the first date,
    the share in each bucket on the second.

    Parameters
    ----------
    before, after : iterable of LoanAgeing
        The portfolio on the first and on the second date. As in :func:`roll_rates`, a loan
        present on only one of the dates is left out (new loans; loans closed or sold).
    buckets : BucketSet, default China's M0…M7+

    Returns
    -------
    pandas.DataFrame
        Index ``from`` and columns ``to``, both every label of `buckets` in order; cell
        ``(a, b)`` is ``count(a → b) / count(a → any)`` as a ``Decimal`` (``object`` columns).
        A row whose bucket held no loans on the first date is all ``Decimal('0')`` (kept, so
        that every month's table has the same shape); any other row sums to 1.

    Raises
    ------
    MissingDependencyError
        If pandas is not installed (``pip install 'loanmath[data]'``).

    Notes
    -----
    Each rate is the quotient of two integers, divided in the library's decimal context
    (50 significant digits, half even, whatever the caller's context): exact whenever the
    fraction has a finite decimal form within 50 digits (1/4, 3/8, 2/5 ...); a fraction
    such as 1/3 has none and is rounded once to 50 significant digits, so such a row sums to
    1 within 10**-49. The counts themselves are :func:`roll_rates`.

    Examples
    --------
    >>> a = [LoanAgeing("A", 0, Decimal(1)), LoanAgeing("B", 0, Decimal(1)),
    ...      LoanAgeing("C", 0, Decimal(1)), LoanAgeing("D", 0, Decimal(1)),
    ...      LoanAgeing("E", 10, Decimal(1))]
    >>> b = [LoanAgeing("A", 0, Decimal(1)), LoanAgeing("B", 0, Decimal(1)),
    ...      LoanAgeing("C", 0, Decimal(1)), LoanAgeing("D", 20, Decimal(1)),
    ...      LoanAgeing("E", 40, Decimal(1))]
    >>> rates = roll_rate_frame(a, b)
    >>> rates.loc["M0", "M0"], rates.loc["M0", "M1"], rates.loc["M1", "M2"]
    (Decimal('0.75'), Decimal('0.25'), Decimal('1'))
    >>> rates.loc["M3"].tolist() == [Decimal(0)] * 8  # nobody was in M3
    True
    """
    pandas = require("pandas", "roll_rate_frame()")
    counts = roll_rates(before, after, buckets)
    labels = buckets.labels
    table = []
    for origin in labels:
        row = counts[origin]
        total = Decimal(sum(row.values()))
        table.append([Decimal(row[to]) / total if total else ZERO for to in labels])
    return pandas.DataFrame(
        table,
        index=pandas.Index(labels, name="from"),
        columns=pandas.Index(labels, name="to"),
        dtype=object,
    )


@context_free
def reminder_dates(
    due_dates: Sequence[_dt.date], days_before: Sequence[int] = (3, 1)
) -> list[tuple[_dt.date, _dt.date]]:
    """Post-loan reminders: ``(reminder date, due date)`` pairs, by default 3 and 1 days
    before each due date, in date order.

    Notes
    -----
    One pair ``(T − d days, T)`` for each due date ``T`` and each ``d`` of `days_before` (ints
    >= 0), sorted by reminder date, then due date; duplicates are kept. The 3 and 1 days are the
    library's default (docs/servicing.md, "Ageing"); a reminder never changes an amount (C1).

    Examples
    --------
    >>> [(r.isoformat(), d.isoformat()) for r, d in reminder_dates([_dt.date(2024, 2, 15)])]
    [('2024-02-12', '2024-02-15'), ('2024-02-14', '2024-02-15')]
    """
    pairs = []
    for due in due_dates:
        day = check_date(due, "due_dates[]")
        for before in days_before:
            days = check_int(before, "days_before[]", minimum=0)
            pairs.append((day - _dt.timedelta(days=days), day))
    return sorted(pairs)
