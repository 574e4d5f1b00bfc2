"""The schedule's value types: fees, instalments, cash flows and the schedule itself.

A :class:`Schedule` keeps its columns as integers of the rounding quantum (exact, cheap) and
shows them as ``Decimal`` amounts; the :class:`Installment` rows are built on first access.
"""

from __future__ import annotations

import datetime as _dt
import decimal
from collections.abc import Sequence
from decimal import Decimal
from functools import cached_property
from itertools import repeat
from operator import add, mul, sub
from typing import Any, NamedTuple

import attrs

from loanmath._calendar import is_month_end
from loanmath._checks import check_name
from loanmath._decimal import EXACT, guard_init, optional_decimal
from loanmath._optional import require
from loanmath.dates import nth_date
from loanmath.errors import InvalidInputError
from loanmath.money import Money, amount_or_money, minor_unit

__all__ = ["FEE_BASES", "FEE_TIMINGS", "CashFlow", "Fee", "Installment", "Schedule"]

#: When a fee is charged and what it is measured on.
#: upfront     — at disbursement, deducted from the amount paid out (the borrower gets less);
#: financed    — at disbursement, added to the principal that is amortised;
#: periodic    — with every instalment: a fixed amount, or `rate` × the original principal
#:               (``basis="original"``) or × the balance outstanding at the period's start
#:               (``basis="outstanding"``).
FEE_TIMINGS = ("upfront", "financed", "periodic")
FEE_BASES = ("original", "outstanding")


def _optional_amount(value: object) -> Decimal | Money | None:
    return amount_or_money(value, "amount")  # a Money's currency is recorded in post-init


def _optional_rate(value: object) -> Decimal | None:
    return optional_decimal(value, "rate")


@guard_init
@attrs.frozen
class Fee:
    """A fee of the loan: an amount, or a rate of the principal, charged at a given time.

    Parameters
    ----------
    name : str
        A label (``"service"``, ``"origination"``); shown in disclosures.
    timing : str
        ``"upfront"`` (deducted from the disbursement), ``"financed"`` (added to the
        principal) or ``"periodic"`` (with each instalment).
    amount : Money, Decimal, int or str, optional
        A fixed amount (per instalment for periodic fees). Exactly one of `amount` and `rate`.
    rate : Decimal, int or str, optional
        A fraction of the principal: of the original principal for upfront and financed fees;
        per period, of the original principal (``basis="original"``) or of the balance
        outstanding at the start of the period (``basis="outstanding"``) for periodic fees.
    basis : str, default ``"original"``
        For periodic rate fees: ``"original"`` or ``"outstanding"``.

    Notes
    -----
    A rate fee is ``round(P₀ × rate)`` by the loan's rounding for upfront and financed fees; a
    periodic fee is charged with each instalment as the fixed amount, ``round(P₀ × rate)``
    (``basis="original"``) or ``round(B × rate)`` on the balance at the period's start
    (``"outstanding"``). Upfront fees come off the amount paid out; financed fees are added to
    the amortised principal (docs/schedules.md, "Fees").

    Examples
    --------
    >>> Fee("service", "periodic", rate="0.005")
    Fee(name='service', timing='periodic', amount=None, rate=Decimal('0.005'), basis='original')
    >>> Fee("origination", "upfront", amount="200")
    Fee(name='origination', timing='upfront', amount=Decimal('200'), rate=None, basis='original')
    """

    name: str
    timing: str
    amount: Decimal | None = attrs.field(default=None, converter=_optional_amount)
    rate: Decimal | None = attrs.field(default=None, converter=_optional_rate)
    basis: str = "original"
    #: The currency of an amount given as Money (LoanTerms checks it against the loan's).
    currency: str | None = attrs.field(default=None, kw_only=True, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        given: object = self.amount
        if isinstance(given, Money):
            object.__setattr__(self, "amount", given.amount)
            object.__setattr__(self, "currency", given.currency)
        check_name(self.timing, "fee.timing", FEE_TIMINGS)
        check_name(self.basis, "fee.basis", FEE_BASES)
        if (self.amount is None) == (self.rate is None):
            raise InvalidInputError(
                f"fee {self.name!r}",
                (self.amount, self.rate),
                "needs exactly one of amount and rate",
                "pass amount=... or rate=...",
            )
        if self.amount is not None and self.amount < 0:
            raise InvalidInputError("fee.amount", self.amount, "must be >= 0")
        if self.rate is not None and self.rate < 0:
            raise InvalidInputError("fee.rate", self.rate, "must be >= 0")
        if self.basis == "outstanding" and not (
            self.timing == "periodic" and self.rate is not None
        ):
            raise InvalidInputError(
                "fee.basis", self.basis, "'outstanding' applies to periodic rate fees only"
            )


class Installment(NamedTuple):
    """One row of a schedule. ``payment == principal + interest + fees`` on every row.

    A negative ``principal`` is interest capitalised during a deferral grace period.

    Notes
    -----
    On every row ``payment = principal + interest + fees`` and ``balance`` = the previous balance
    less ``principal``, each amount a multiple of the loan's rounding quantum; the last row's
    principal is the whole remaining balance (its balance is 0), so it absorbs the rounding
    residual (docs/schedules.md, "What 'exact' means here").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> row = LoanTerms(Money("100", "JPY"), "0", 1, start_date=dt.date(2024, 1, 1)
    ...                 ).schedule.installments[0]
    >>> row.number, row.due_date, row.payment, row.balance
    (1, datetime.date(2024, 2, 1), Decimal('100'), Decimal('0'))
    """

    number: int
    due_date: _dt.date
    principal: Decimal
    interest: Decimal
    fees: Decimal
    payment: Decimal
    balance: Decimal


class CashFlow(NamedTuple):
    """A dated amount from the lender's side: disbursement negative, repayments positive.

    Notes
    -----
    The sign convention of the APR and IRR functions: the lender's side, money out negative.
    ``Schedule.cash_flows()`` gives ``(start_date, −(principal − upfront fees))`` and then
    ``(due_date, principal + interest + fees)`` for each instalment (docs/schedules.md, "Fees").

    Examples
    --------
    >>> import datetime as dt
    >>> CashFlow(dt.date(2024, 1, 1), Decimal("-1000.00")).amount
    Decimal('-1000.00')
    """

    date: _dt.date
    amount: Decimal


def _whole_periods(start: _dt.date, end: _dt.date, per_year: int) -> int:
    """Whole periods of a `per_year` frequency from `start` to `end`: calendar months for
    monthly and longer periods, days for weekly and biweekly, and the semimonthly due-date
    grid from `start` (Jan 15 → Jan 30, Feb 15, Feb 29 is three half months)."""
    if per_year in (26, 52):
        return (end - start).days // (364 // per_year)
    if 12 % per_year:  # semimonthly: a lower bound by days, then the half-month grid itself
        whole = (end - start).days * per_year // 366
        while nth_date(start, whole + 1, "semimonthly") <= end:
            whole += 1
        return whole
    months = (end.year - start.year) * 12 + end.month - start.month
    month_end = is_month_end(end)  # Mar 31 -> Sep 30
    if end.day < start.day and not month_end:
        months -= 1
    return months // (12 // per_year)


def _units_to_decimal(units: int, quantum: Decimal) -> Decimal:
    return EXACT.multiply(units, quantum)


def _decimal_column(
    units: Sequence[int], quantum: Decimal, *, repeats: bool = False
) -> list[Decimal]:
    """``units[k] × quantum`` for every k, exactly: the same values as
    ``EXACT.multiply(Decimal(u), quantum)`` (same coefficient, exponent and sign).

    The products run in a local copy of :data:`EXACT` (whatever the caller's context) as
    ``quantum * u`` mapped in C: ``Decimal.__mul__`` converts an int exactly, as
    ``Decimal(int)`` does, and skips the argument parsing of a ``Context.multiply`` call.
    With `repeats`, a column of few distinct values (a level payment, a fixed fee, no fee)
    converts each distinct value once and shares the immutable result."""
    with decimal.localcontext(EXACT):
        if repeats:
            if not any(units):  # no fee: one zero for every row
                return [quantum * 0] * len(units)
            distinct = set(units)
            if 4 * len(distinct) <= len(units):
                memo = {u: quantum * u for u in distinct}
                return list(map(memo.__getitem__, units))
        return list(map(mul, repeat(quantum), units))


@attrs.frozen(eq=False)
class Schedule:
    """An amortisation schedule: exact rows, totals and cash flows.

    Columns are kept as integer multiples of ``quantum`` (exact and compact); the rows
    (:attr:`installments`) and totals are ``Decimal`` amounts in ``currency``.

    Attributes
    ----------
    method : str
    currency : str
    quantum : Decimal
        Every amount is a multiple of it (the loan's rounding quantum).
    start_date : datetime.date
    principal : Decimal
        The contract principal (before fees).
    disbursed : Decimal
        Paid out to the borrower: principal less upfront fees.
    financed_fees, upfront_fees : Decimal
    regular_payment : Decimal or None
        The level instalment (principal + interest) the method aims at, if it has one.
    residual : Decimal
        What the last instalment absorbed: its principal + interest less the regular payment
        (level methods) or its principal less the regular principal part (equal principal).
        The rounding residual's documented home is always the last instalment.
    capitalised_interest : Decimal
        Interest added to the balance during a deferral grace period.

    Notes
    -----
    Every amount is an exact rational rounded once by the loan's ``Rounding`` and kept as an
    integer of `quantum`: interest ``round(B × annual_rate × f_k)``, a level payment the exact
    annuity rounded once. The principal column sums to the amortised principal, the balance ends
    at exactly 0, and `residual` is what the last instalment absorbed (docs/schedules.md, "What
    'exact' means here").

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money, build_schedule
    >>> s = build_schedule(LoanTerms(Money("1200.00", "CNY"), "0.12", 3,
    ...                              start_date=dt.date(2024, 1, 15)))
    >>> [str(row.payment) for row in s.installments]
    ['408.03', '408.03', '408.02']
    >>> s.total_interest, s.residual
    (Decimal('24.08'), Decimal('-0.01'))
    """

    method: str
    currency: str
    quantum: Decimal
    start_date: _dt.date
    dates: tuple[_dt.date, ...]
    principal_units: tuple[int, ...]
    interest_units: tuple[int, ...]
    fee_units: tuple[int, ...]
    balance_units: tuple[int, ...]
    principal: Decimal
    disbursed: Decimal
    financed_fees: Decimal
    upfront_fees: Decimal
    regular_payment: Decimal | None
    residual: Decimal
    capitalised_interest: Decimal
    plan: Any = attrs.field(repr=False)

    def _amount(self, units: int) -> Decimal:
        return _units_to_decimal(units, self.quantum)

    @cached_property
    def installments(self) -> tuple[Installment, ...]:
        """The rows, in order (built on first access).

        Built column by column (:func:`_decimal_column`) and packed into rows in C: the same
        ``Installment`` values as converting each row's units one by one, at a fraction of
        the cost (issue 13: a 360-row schedule within 2x of a plain Decimal loop).
        """
        q = self.quantum
        principal, fees = self.principal_units, self.fee_units
        interest = _decimal_column(self.interest_units, q)
        payment_units = list(map(add, principal, self.interest_units))
        if any(fees) or q.is_signed():
            payment_units = list(map(add, payment_units, fees))
            payment = _decimal_column(payment_units, q, repeats=True)
            principal_column = _decimal_column(principal, q)
        else:
            # No fees: payment − interest is the principal exactly, with the same digits and
            # exponent, and a zero is +0 as 0 × quantum is (a quantum is > 0: Rounding
            # refuses others; a signed one would give -0 there, hence the guard above).
            payment = _decimal_column(payment_units, q, repeats=True)
            with decimal.localcontext(EXACT):
                principal_column = list(map(sub, payment, interest))
        # tuple.__new__(Installment, fields) makes the same object as Installment(*fields)
        # without the Python-level __new__ (which only packs its arguments into the tuple);
        # the fields are the engine's ints and dates and the exact Decimals above, in order.
        return tuple(
            map(
                tuple.__new__,
                repeat(Installment),
                zip(
                    range(1, len(self.dates) + 1),
                    self.dates,
                    principal_column,
                    interest,
                    _decimal_column(fees, q, repeats=True),
                    payment,
                    _decimal_column(self.balance_units, q),
                    strict=True,
                ),
            )
        )

    @property
    def term(self) -> int:
        """Number of instalments."""
        return len(self.dates)

    @property
    def periods_per_year(self) -> int:
        """Instalment periods in a year (12 for monthly)."""
        return int(self.plan.periods_per_year)

    @property
    def total_principal(self) -> Decimal:
        """Sum of the principal column (the amortised principal, financed fees included)."""
        return self._amount(sum(self.principal_units))

    @property
    def total_interest(self) -> Decimal:
        """Sum of the interest column."""
        return self._amount(sum(self.interest_units))

    @property
    def total_fees(self) -> Decimal:
        """Fees charged with instalments (periodic fees), not upfront or financed ones."""
        return self._amount(sum(self.fee_units))

    @property
    def total_payment(self) -> Decimal:
        """Everything the borrower pays in instalments: principal + interest + fees."""
        return self._amount(
            sum(self.principal_units) + sum(self.interest_units) + sum(self.fee_units)
        )

    @property
    def total_cost(self) -> Decimal:
        """All charges: interest, periodic fees, upfront and financed fees."""
        return EXACT.add(
            EXACT.add(self.total_interest, self.total_fees),
            EXACT.add(self.upfront_fees, self.financed_fees),
        )

    def cash_flows(self) -> tuple[CashFlow, ...]:
        """The loan's cash flows from the lender's side, ready for the APR functions.

        The disbursement (principal less upfront fees) is negative at the start date; each
        instalment (principal + interest + fees) is positive at its due date.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import Fee, LoanTerms, Money, build_schedule
        >>> terms = LoanTerms(Money("1000", "JPY"), "0", 2, start_date=dt.date(2024, 1, 1),
        ...                   fees=(Fee("origination", "upfront", amount=100),))
        >>> [(str(f.date), str(f.amount)) for f in build_schedule(terms).cash_flows()]
        [('2024-01-01', '-900'), ('2024-02-01', '500'), ('2024-03-01', '500')]
        """
        flows = [CashFlow(self.start_date, EXACT.minus(self.disbursed))]
        flows.extend(CashFlow(row.due_date, row.payment) for row in self.installments)
        return tuple(flows)

    def period_amounts(self) -> tuple[Decimal, ...]:
        """The cash flows on the loan's period grid, for the IRR method: index 0 the
        disbursement (negative), index k what is paid at the end of period k, zero in a period
        with no payment.

        Each instalment takes the next period, unless it falls two or more whole periods after
        the previous one (a bullet's single payment at maturity, a first due date two periods
        out): then it takes its own whole-period count and the periods between pay nothing.
        An IRR over these amounts is a rate per period, whatever the method.

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money, build_schedule
        >>> s = build_schedule(LoanTerms(Money("1200", "CNY"), "0.12", 3, method="bullet",
        ...                              start_date=dt.date(2024, 1, 15)))
        >>> [str(a) for a in s.period_amounts()]
        ['-1200.00', '0', '0', '1236.00']
        """
        flows = self.cash_flows()
        amounts = [flows[0].amount]
        previous = 0
        for flow in flows[1:]:
            whole = _whole_periods(self.start_date, flow.date, self.periods_per_year)
            index = whole if whole >= previous + 2 else previous + 1
            amounts.extend([Decimal(0)] * (index - previous - 1))
            amounts.append(flow.amount)
            previous = index
        return tuple(amounts)

    def as_rows(self) -> list[dict[str, object]]:
        """The rows as dicts (``number``, ``due_date`` as a date, amounts as ``Decimal``).

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money, build_schedule
        >>> terms = LoanTerms(Money("100", "JPY"), "0", 1, start_date=dt.date(2024, 1, 1))
        >>> build_schedule(terms).as_rows()[0]["payment"]
        Decimal('100')
        """
        return [row._asdict() for row in self.installments]

    @property
    def scale(self) -> int:
        """Decimal places every amount fits in: the currency's minor unit, or the rounding
        quantum's if finer (CNY 2, JPY 0, a CNY loan rounded to 0.0001: 4)."""
        exponent = int(self.quantum.as_tuple().exponent)
        return max(minor_unit(self.currency), -exponent, 0)

    def to_frame(self) -> Any:
        """The rows as a ``pandas.DataFrame``, one row per instalment, exact.

        Columns ``number`` (int64), ``due_date`` (``datetime.date`` objects), and
        ``principal``, ``interest``, ``fees``, ``payment``, ``balance`` as ``Decimal`` objects
        in ``object`` columns: the same values as :attr:`installments`, never floats. The
        currency is in ``frame.attrs["currency"]``.

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        MissingDependencyError
            If pandas is not installed (``pip install 'loanmath[data]'``).

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money
        >>> s = LoanTerms(Money("1200.00", "CNY"), "0.12", 3,
        ...               start_date=dt.date(2024, 1, 15)).schedule
        >>> frame = s.to_frame()
        >>> frame["payment"].tolist()
        [Decimal('408.03'), Decimal('408.03'), Decimal('408.02')]
        >>> sum(frame["principal"]), frame.attrs["currency"]
        (Decimal('1200.00'), 'CNY')
        """
        pandas = require("pandas", "Schedule.to_frame()")
        rows = self.installments
        columns: dict[str, Any] = {
            "number": pandas.Series([r.number for r in rows], dtype="int64"),
            "due_date": pandas.Series([r.due_date for r in rows], dtype=object),
        }
        for name in _AMOUNTS:
            columns[name] = pandas.Series([getattr(r, name) for r in rows], dtype=object)
        frame = pandas.DataFrame(columns)
        frame.attrs["currency"] = self.currency
        return frame

    def to_arrow(self) -> Any:
        """The rows as a ``pyarrow.Table``, exact: amounts are ``decimal128(38, scale)`` at
        :attr:`scale` decimal places (the currency's), dates ``date32``, numbers ``int64``.

        The schema's metadata holds ``currency``. Parquet keeps the decimals as they are
        (``pyarrow.parquet.write_table(schedule.to_arrow(), path)``).

        Returns
        -------
        pyarrow.Table

        Raises
        ------
        MissingDependencyError
            If pyarrow is not installed (``pip install 'loanmath[data]'``).

        Examples
        --------
        >>> import datetime as dt
        >>> from loanmath import LoanTerms, Money
        >>> s = LoanTerms(Money("1200.00", "CNY"), "0.12", 3,
        ...               start_date=dt.date(2024, 1, 15)).schedule
        >>> table = s.to_arrow()
        >>> str(table.schema.field("principal").type)
        'decimal128(38, 2)'
        >>> table.column("balance").to_pylist()
        [Decimal('803.97'), Decimal('403.98'), Decimal('0.00')]
        >>> table.schema.metadata[b"currency"]
        b'CNY'
        """
        pyarrow = require("pyarrow", "Schedule.to_arrow()")
        rows = self.installments
        money = pyarrow.decimal128(38, self.scale)
        fields = [("number", pyarrow.int64()), ("due_date", pyarrow.date32())]
        fields += [(name, money) for name in _AMOUNTS]
        schema = pyarrow.schema(fields, metadata={"currency": self.currency})
        arrays = [
            pyarrow.array([r.number for r in rows], type=pyarrow.int64()),
            pyarrow.array([r.due_date for r in rows], type=pyarrow.date32()),
        ]
        arrays += [pyarrow.array([getattr(r, n) for r in rows], type=money) for n in _AMOUNTS]
        return pyarrow.Table.from_arrays(arrays, schema=schema)

    def __str__(self) -> str:
        return _render(self)


#: The money columns of a schedule's rows, in order.
_AMOUNTS = ("principal", "interest", "fees", "payment", "balance")
_HEADERS = ("#", "due date", "principal", "interest", "fees", "payment", "balance")


def _render(schedule: Schedule) -> str:
    rows: list[Sequence[str]] = [_HEADERS]
    for row in schedule.installments:
        rows.append((str(row.number), row.due_date.isoformat(), *(format(v, "f") for v in row[2:])))
    totals = (
        "",
        "total",
        format(schedule.total_principal, "f"),
        format(schedule.total_interest, "f"),
        format(schedule.total_fees, "f"),
        format(schedule.total_payment, "f"),
        "",
    )
    rows.append(totals)
    widths = [max(len(r[c]) for r in rows) for c in range(len(_HEADERS))]
    lines = [
        "  ".join(cell.rjust(width) for cell, width in zip(r, widths, strict=True)) for r in rows
    ]
    rule = "-" * len(lines[0])
    head = (
        f"{schedule.method} schedule, {schedule.currency}, principal "
        f"{format(schedule.principal, 'f')}, disbursed {format(schedule.disbursed, 'f')}"
    )
    tail = []
    if schedule.residual:
        tail.append(
            f"last instalment absorbs a rounding residual of {format(schedule.residual, 'f')}"
        )
    return "\n".join([head, rule, lines[0], rule, *lines[1:-1], rule, lines[-1], *tail])
