"""A loan is its terms plus its events; its state on any date is a pure function of both.

Replay walks a timeline of checkpoints — due dates, the day after each grace period, event
dates and the date asked for — and at each one, in this order: accrues penalty interest for
the span since the last checkpoint, recognises the instalments falling due (interest and
periodic fees become receivable), applies any overpayment held, charges late fees, then
applies that day's events in the order they were recorded. Every change is posted as a
balanced transaction; the ledger therefore reconciles with the state at every checkpoint.

A reversal (a bounced payment) replays the history without the reversed event up to the
reversal's date and posts the difference of every balance as one correcting transaction on
that date — nothing already posted is edited.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import attrs

from loanmath._checks import check_date
from loanmath._decimal import EXACT, ZERO
from loanmath.ageing import CN_M, BucketSet, Due, days_past_due
from loanmath.errors import InvalidInputError, UnknownNameError
from loanmath.ledger import Journal, Posting, Transaction, lending_chart
from loanmath.money import Money
from loanmath.penalty import PenaltyPolicy, penalty_interest
from loanmath.schedules import reamortize
from loanmath.servicing._events import (
    COMPONENTS,
    Disbursement,
    Event,
    FeeCharge,
    Repayment,
    Reversal,
    Waiver,
    WriteOff,
)

__all__ = [
    "WATERFALLS",
    "InstalmentState",
    "Loan",
    "LoanState",
    "ServicingPolicy",
    "portfolio_rows",
]

#: Presets: the order in which a payment pays the components of what is due.
WATERFALLS = {
    "penalty_fees_interest_principal": ("penalty", "fees", "interest", "principal"),
    "interest_principal_penalty_fees": ("interest", "principal", "penalty", "fees"),
    "fees_interest_principal_penalty": ("fees", "interest", "principal", "penalty"),
}

_ACCOUNT = {  # component → (receivable role, income role)
    "principal": ("principal_receivable", None),
    "interest": ("interest_receivable", "interest_income"),
    "fees": ("fee_receivable", "fee_income"),
    "penalty": ("penalty_receivable", "penalty_income"),
}


def _order(value: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        if value not in WATERFALLS:
            raise UnknownNameError("waterfall", value, tuple(WATERFALLS))
        return WATERFALLS[value]
    order = tuple(value)
    if sorted(order) != sorted(COMPONENTS):
        raise InvalidInputError("waterfall", order, f"must order all of {COMPONENTS}")
    return order


#: Where a component's amount sits in an instalment row ``[due date, principal, interest, fees,
#: principal paid, interest paid, fees paid]``; what is paid of it sits 3 further on.
_SLOT = {"principal": 1, "interest": 2, "fees": 3}


def _one_of(*choices: str) -> Any:
    """An attrs validator refusing a name outside `choices` with UnknownNameError."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in choices:
            raise UnknownNameError(attribute.name, value, choices)

    return check


@attrs.frozen
class ServicingPolicy:
    """How a loan is serviced.

    Parameters
    ----------
    waterfall : str or sequence, default ``"penalty_fees_interest_principal"``
        The order of components a payment pays (a preset name or the four components).
    instalment_order : {"oldest_first", "by_instalment"}
        ``"oldest_first"``: each component in turn across every due instalment, oldest due
        first (all overdue penalty, then all fees, …); ``"by_instalment"``: the oldest due
        instalment is settled whole — its components in waterfall order, its own penalty
        included — before the next; fees charged outside the schedule count as obligations of
        their own charge date. Nothing is paid in advance of its due date by allocation:
        what is left goes to the `overpayment` policy.
    penalty : PenaltyPolicy, optional
        Penalty interest and late fees; default: the contract's overdue rate on overdue
        principal from the day after each due date.
    tolerance_amount : Decimal, default 0
        Arrears tolerance for days past due.
    tolerance_days : int, default 0
    buckets : BucketSet, default China's M0…M7+
    accrual : {"period", "daily"}
        ``"period"``: an instalment's interest is recognised on its due date; ``"daily"``: it
        accrues day by day over its period (pro rata, rounded once per posting) and the due
        date posts the rest.
    overpayment : {"hold", "prepay", "keep_term", "keep_payment"}
        What a payment beyond what is due does: held as a borrower overpayment (a liability,
        applied on the next due dates), or prepays principal of the next instalments.

    Notes
    -----
    Interest is recognised by period: an instalment's interest and periodic fees become
    receivable on its due date. A payment larger than what is due is held as a borrower
    overpayment (a liability) and applied on the next due dates.

    Examples
    --------
    >>> ServicingPolicy(waterfall="interest_principal_penalty_fees").waterfall[0]
    'interest'
    """

    waterfall: tuple[str, ...] = attrs.field(
        default="penalty_fees_interest_principal", converter=_order
    )
    instalment_order: str = attrs.field(
        default="oldest_first",
        validator=_one_of("oldest_first", "by_instalment"),
        kw_only=True,
    )
    penalty: PenaltyPolicy = attrs.field(factory=PenaltyPolicy)
    tolerance_amount: Decimal = Decimal(0)
    tolerance_days: int = 0
    buckets: BucketSet = CN_M
    accrual: str = attrs.field(default="period", validator=_one_of("period", "daily"))
    overpayment: str = attrs.field(
        default="hold",
        validator=_one_of("hold", "prepay", "keep_term", "keep_payment"),
    )


class InstalmentState(NamedTuple):
    """One instalment on a date: what is still unpaid of each component.

    `interest` and `fees` count once the instalment is due (recognised); `principal` counts
    from the start (the instalment's share of the outstanding principal); `penalty` is the
    penalty interest accrued on this instalment and unpaid.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.servicing import Disbursement, Loan
    >>> terms = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 15),
    ...                   penalty_multiple="1.5")
    >>> loan = Loan(terms, "L").add(Disbursement("D", dt.date(2024, 1, 15)))
    >>> first = loan.state(dt.date(2024, 3, 15)).instalments[0]  # 396.03 x 18 % x 29/360
    >>> first.due, first.principal, first.interest, first.penalty
    (True, Decimal('396.03'), Decimal('12.00'), Decimal('5.74'))
    """

    number: int
    due_date: _dt.date
    due: bool
    principal: Decimal
    interest: Decimal
    fees: Decimal
    penalty: Decimal


@attrs.frozen
class LoanState:
    """What a loan owes and how late it is, on a date.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.servicing import Disbursement
    >>> terms = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 15))
    >>> loan = Loan(terms, "L").add(Disbursement("D", dt.date(2024, 1, 15)))
    >>> loan.state().total_due
    Decimal('0')
    >>> on_due = loan.state(dt.date(2024, 2, 15))
    >>> on_due.principal_due, on_due.interest_due, on_due.total_due
    (Decimal('396.03'), Decimal('12.00'), Decimal('408.03'))
    """

    on: _dt.date
    disbursed: bool
    drawn: Decimal
    disbursed_amount: Decimal
    written_off: bool
    outstanding_principal: Decimal
    principal_due: Decimal
    interest_due: Decimal
    interest_accrued: Decimal
    fees_due: Decimal
    penalty_due: Decimal
    overpayment: Decimal
    dpd: int
    bucket: str
    paid: Decimal
    waived: Decimal
    recovered: Decimal
    penalty_charged: Decimal
    fees_charged: Decimal
    interest_charged: Decimal
    instalments: tuple[InstalmentState, ...] = ()

    @property
    def total_due(self) -> Decimal:
        """Principal, interest, fees and penalty owed now (principal: only what is due)."""
        due = EXACT.add(self.principal_due, self.interest_due)
        return EXACT.add(EXACT.add(due, self.fees_due), self.penalty_due)


def policy_unbounded() -> Decimal:
    """No cap on default fees."""
    return Decimal("Infinity")


class _Book:
    """The mutable replay state of one loan (internal)."""

    def __init__(self, loan: Loan) -> None:
        terms = loan.terms
        self.loan = loan
        self.schedule = terms.schedule
        self.currency = terms.principal.currency
        self.rows = [
            [r.due_date, r.principal, r.interest, r.fees, ZERO, ZERO, ZERO]
            for r in self.schedule.installments
        ]
        self.recognised = 0  # instalments whose interest and fees are receivable
        self.extra_fees: list[list[Any]] = []  # [date, amount, paid]
        self.penalty_rows = [ZERO] * len(self.rows)  # penalty owed per instalment
        self.penalty_charged = ZERO
        self.penalty_from = [row[0] for row in self.rows]
        self.late_charged = [False] * len(self.rows)
        self.late_fees = ZERO
        self.reamortised: Any = None
        self.drawn = ZERO  # principal paid out so far
        self.cash_out = ZERO  # cash paid out (net of upfront fees)
        self.accrued = [ZERO] * len(self.rows)  # interest posted per instalment so far
        self.overpayment = ZERO
        self.disbursed = False
        self.written_off = False
        self.paid = ZERO
        self.waived = ZERO
        self.recovered = ZERO
        self.interest_waived = ZERO
        self.fees_waived = ZERO
        self.txns: list[Transaction] = []
        self.clock = terms.start_date
        chart = loan.chart
        self.accounts = {role: chart.role(role).name for role in chart.roles}

    def clone(self) -> _Book:
        """An independent copy (rows and lists copied; transactions are immutable)."""
        twin = object.__new__(_Book)
        twin.__dict__.update(self.__dict__)
        twin.rows = [row[:] for row in self.rows]
        twin.extra_fees = [fee[:] for fee in self.extra_fees]
        for name in ("penalty_from", "penalty_rows", "late_charged", "accrued", "txns"):
            setattr(twin, name, list(getattr(self, name)))
        return twin

    # --- postings -----------------------------------------------------------------------
    def post(self, day: _dt.date, legs: list[tuple[str, Decimal]], narration: str) -> None:
        names = self.accounts
        accounts = [(names[role], amount) for role, amount in legs if amount]
        if accounts:  # a lone non-zero leg is a bug: from_legs refuses it as unbalanced
            self.txns.append(
                Transaction.from_legs(
                    f"{self.loan.loan_id}:{len(self.txns) + 1}",
                    day,
                    accounts,
                    self.currency,
                    narration,
                )
            )

    # --- owed ---------------------------------------------------------------------------
    def due_rows(self, day: _dt.date) -> list[list[Any]]:
        return [row for row in self.rows if row[0] <= day]

    def owed(self, component: str, day: _dt.date) -> Decimal:
        if component == "penalty":
            return self.penalty_owed
        total = ZERO
        if component == "fees":
            for fee in self.extra_fees:
                total += fee[1] - fee[2]
        index = _SLOT[component]
        for k, row in enumerate(self.rows):
            if row[0] <= day and (component == "principal" or k < self.recognised):
                total += row[index] - row[index + 3]
        return total

    @property
    def penalty_owed(self) -> Decimal:
        """Penalty interest owed: the sum of what each instalment owes."""
        return sum(self.penalty_rows, ZERO)

    def outstanding_principal(self) -> Decimal:
        if not self.disbursed or self.written_off:
            return ZERO
        return sum((row[1] - row[4] for row in self.rows), ZERO)

    # --- the timeline -------------------------------------------------------------------
    def advance(self, day: _dt.date) -> None:
        """Accrue and recognise everything up to and including `day` (before its events)."""
        if not self.disbursed or self.written_off:
            self.clock = max(self.clock, day)
            return
        while self.recognised < len(self.rows) and self.rows[self.recognised][0] <= day:
            row = self.rows[self.recognised]
            self.accrue_penalty(row[0])  # up to this due date, on the base before it
            self.charge_late_fees(row[0])
            rest = row[2] - self.accrued[self.recognised]  # what daily accrual has not posted
            self.post(
                row[0],
                [
                    ("interest_receivable", rest),
                    ("interest_income", -rest),
                    ("fee_receivable", row[3]),
                    ("fee_income", -row[3]),
                ],
                f"instalment {self.recognised + 1} due",
            )
            self.accrued[self.recognised] = row[2]
            self.recognised += 1
            if self.overpayment:
                held, self.overpayment = self.overpayment, ZERO
                self.overpayment = self.allocate(row[0], held, source="overpayment")
        self.accrue_penalty(day)
        self.charge_late_fees(day)
        if self.loan.policy.accrual == "daily":
            self.accrue_interest(day)
        self.clock = max(self.clock, day)

    def earned(self, k: int, day: _dt.date) -> Decimal:
        """Interest of instalment `k` earned by `day`: pro rata to the days of its period,
        the exact value rounded once."""
        row = self.rows[k]
        begin = self.rows[k - 1][0] if k else self.loan.terms.start_date
        length = (row[0] - begin).days
        elapsed = min(max((day - begin).days, 0), length)
        if not length or not elapsed:
            return ZERO
        earned: Decimal = self.loan.terms.rounding.round(
            Fraction(row[2]) * elapsed / length, self.currency
        )
        return earned

    def accrue_interest(self, day: _dt.date) -> None:
        """Daily accrual: post the current instalment's interest earned since the last
        posting; recognition on the due date posts the rest."""
        k = self.recognised
        if k >= len(self.rows):
            return
        target = self.earned(k, day)
        step = target - self.accrued[k]
        if step > 0:
            self.accrued[k] = target
            self.post(
                day,
                [("interest_receivable", step), ("interest_income", -step)],
                f"interest accrued, instalment {k + 1}",
            )

    def interest_accrued(self) -> Decimal:
        """Interest accrued and unpaid on instalments not yet due (daily accrual)."""
        k = self.recognised
        return sum(
            (a - row[5] for a, row in zip(self.accrued[k:], self.rows[k:], strict=True)), ZERO
        )

    def penalty_terms(self) -> tuple[Decimal | None, str]:
        """The penalty rate and its day count: the policy's rate, else the contract's overdue
        rate, lowered to each cap's ``overdue_limit`` (the contract rate under UK HCSTC,
        CONC 5A.3.18R; the limit itself under China's caps, 法释〔2020〕17号 Arts. 28-29)."""
        terms = self.loan.terms
        rate, day_count = self.loan.policy.penalty.rate_and_day_count(terms.overdue_rate)
        if rate:
            for cap in terms.caps:
                limit = cap.overdue_limit(terms)
                if limit is not None:
                    rate = min(rate, limit)
        return rate, day_count

    def cap_limit(self, name: str) -> Decimal | None:
        """The strictest of the loan's caps' `name` limits (``default_fees``,
        ``total_cost``), or None when no cap sets one."""
        limits: list[Decimal] = [
            getattr(cap, name) for cap in self.loan.terms.caps if getattr(cap, name) is not None
        ]
        return min(limits) if limits else None

    def charge_room(self) -> Decimal:
        """How much more in default charges (penalty interest, fees) the loan's total cost
        cap allows: UK HCSTC (CONC 5A.3.2R) counts every charge — the scheduled interest and
        fees, the fees and penalty charged — against 100 % of the credit drawn."""
        share = self.cap_limit("total_cost")
        if share is None:
            return policy_unbounded()
        committed = (
            sum((row[2] + row[3] for row in self.rows), ZERO)
            + sum((fee[1] for fee in self.extra_fees), ZERO)
            + self.penalty_charged
        )
        return max(EXACT.multiply(share, self.drawn) - committed, ZERO)

    def penalty_base(self, k: int) -> Decimal:
        row = self.rows[k]
        policy = self.loan.policy.penalty
        base = policy.base
        principal: Decimal = row[1] - row[4]
        if base == "overdue_principal" and not policy.compound:
            return principal
        interest: Decimal = row[2] - row[5]
        if base != "overdue_instalment":  # principal + interest, or 复利 on the default base
            return principal + interest
        fees: Decimal = row[3] - row[6]
        return principal + interest + fees

    def accrue_penalty(self, day: _dt.date) -> None:
        rate, day_count = self.penalty_terms()
        policy = self.loan.policy.penalty
        if not rate:
            return
        for k in range(self.recognised):
            due = self.rows[k][0]
            if self.penalty_from[k] >= day:
                continue
            base = self.penalty_base(k)
            if base <= 0:
                self.penalty_from[k] = day
                continue
            start = max(self.penalty_from[k], due)
            end = day
            if policy.stop_at_dpd is not None:
                end = min(end, due + _dt.timedelta(days=policy.stop_at_dpd))
            if end <= start or (day - due).days <= policy.grace_days:
                continue
            amount = penalty_interest(
                base,
                rate,
                start,
                end,
                self.currency,
                day_count=day_count,
                rounding=self.loan.terms.rounding,
            )
            self.penalty_from[k] = end
            amount = min(amount, self.charge_room())
            if amount:
                self.penalty_rows[k] += amount
                self.penalty_charged += amount
                self.post(
                    day,
                    [("penalty_receivable", amount), ("penalty_income", -amount)],
                    f"penalty interest, instalment {k + 1}",
                )

    def charge_late_fees(self, day: _dt.date) -> None:
        policy = self.loan.policy.penalty
        if not policy.late_fee:
            return
        for k in range(self.recognised):
            row = self.rows[k]
            late = (day - row[0]).days > policy.grace_days
            unpaid = row[1] + row[2] + row[3] - row[4] - row[5] - row[6]
            if late and not self.late_charged[k] and unpaid > self.loan.policy.tolerance_amount:
                self.late_charged[k] = True
                fee = min(policy.late_fee, self.late_fee_room(), self.charge_room())
                if fee <= 0:
                    continue
                self.late_fees += fee
                self.extra_fees.append([day, fee, ZERO])
                self.post(
                    day,
                    [("fee_receivable", fee), ("fee_income", -fee)],
                    f"late fee, instalment {k + 1}",
                )

    def late_fee_room(self) -> Decimal:
        """How much more in default fees the loan's caps allow (UK HCSTC: £15 in total)."""
        limit = self.cap_limit("default_fees")
        if limit is None:
            return policy_unbounded()
        return max(limit - self.late_fees, ZERO)

    # --- payments -----------------------------------------------------------------------
    def take_penalty(self, amount: Decimal) -> None:
        """Reduce the penalty owed by `amount`, the oldest instalment's first."""
        for k, owed in enumerate(self.penalty_rows):
            if amount <= 0:
                break
            part = min(owed, amount)
            self.penalty_rows[k] = owed - part
            amount -= part

    def allocate(self, day: _dt.date, amount: Decimal, *, source: str) -> Decimal:
        """Pay what is due by the waterfall and the instalment order; return what is left."""
        credits: dict[str, Decimal] = {}
        if self.loan.policy.instalment_order == "by_instalment":
            left = self.allocate_by_instalment(day, amount, credits)
        else:
            left = self.allocate_oldest_first(day, amount, credits)
        used = amount - left
        if used:
            debit = "custody" if source == "custody" else "overpayment"
            legs = [(debit, used)] + [(_ACCOUNT[c][0], -v) for c, v in credits.items()]
            self.post(day, legs, "repayment" if source == "custody" else "overpayment applied")
        return left

    def allocate_by_instalment(
        self, day: _dt.date, amount: Decimal, credits: dict[str, Decimal]
    ) -> Decimal:
        """Settle each due obligation whole, oldest first: an instalment's components in
        waterfall order (its own penalty included), a charged fee on its charge date."""
        left = amount
        # (date, 0 = a charged fee / 1 = an instalment, the fee or the instalment's index)
        items: list[tuple[_dt.date, int, Any]] = [
            (fee[0], 0, fee) for fee in self.extra_fees if fee[0] <= day and fee[1] != fee[2]
        ]
        items += [(row[0], 1, k) for k, row in enumerate(self.rows) if row[0] <= day]
        items.sort(key=lambda item: (item[0], item[1]))
        for _, kind, ref in items:
            if left <= 0:
                break
            if kind == 0:
                pay = min(left, ref[1] - ref[2])
                ref[2] += pay
                left -= pay
                credits["fees"] = credits.get("fees", ZERO) + pay
                continue
            row = self.rows[ref]
            for component in self.loan.policy.waterfall:
                if component == "penalty":
                    pay = min(left, self.penalty_rows[ref])
                    self.penalty_rows[ref] -= pay
                else:
                    index = _SLOT[component]
                    if component != "principal" and ref >= self.recognised:
                        continue
                    pay = min(left, row[index] - row[index + 3])
                    row[index + 3] += pay
                left -= pay
                if pay:
                    credits[component] = credits.get(component, ZERO) + pay
        return left

    def allocate_oldest_first(
        self, day: _dt.date, amount: Decimal, credits: dict[str, Decimal]
    ) -> Decimal:
        """Each component in waterfall order across every due instalment, oldest first."""
        left = amount
        for component in self.loan.policy.waterfall:
            if left <= 0:
                break
            if component == "penalty":
                pay = min(left, self.penalty_owed)
                self.take_penalty(pay)
                left -= pay
                credits["penalty"] = credits.get("penalty", ZERO) + pay
                continue
            # (due date, row, index of the amount, index of what is paid), oldest first
            targets: list[tuple[_dt.date, list[Any], int, int]] = []
            if component == "fees":
                targets += [
                    (fee[0], fee, 1, 2)
                    for fee in self.extra_fees
                    if fee[0] <= day and fee[1] != fee[2]
                ]
            index = _SLOT[component]
            limit = len(self.rows) if component == "principal" else self.recognised
            for row in self.rows[:limit]:
                if row[0] > day:
                    break
                if row[index] != row[index + 3]:
                    targets.append((row[0], row, index, index + 3))
            if component == "fees":
                targets.sort(key=lambda t: t[0])
            for _, target, amount_slot, slot in targets:
                owed = target[amount_slot] - target[slot]
                pay = min(left, owed)
                if pay > 0:
                    target[slot] += pay
                    left -= pay
                    credits[component] = credits.get(component, ZERO) + pay
                if left <= 0:
                    break
        return left

    def prepay(self, day: _dt.date, amount: Decimal) -> Decimal:
        """Prepay principal with `amount` by the policy; return what is left.

        ``"prepay"`` pays the principal of the next instalments (their interest stays as
        scheduled); ``"keep_term"`` and ``"keep_payment"`` re-amortise the outstanding
        principal over the remaining due dates (``loanmath.reamortize``): a lower instalment,
        or the same instalment and fewer of them.
        """
        interest_paid = ZERO
        k = self.recognised
        if k < len(self.rows) and self.accrued[k] > self.rows[k][5]:
            # settle the interest accrued in the current period first (daily accrual)
            interest_paid = min(amount, self.accrued[k] - self.rows[k][5])
            self.rows[k][5] += interest_paid
            self.post(
                day,
                [("custody", interest_paid), ("interest_receivable", -interest_paid)],
                "accrued interest paid in advance",
            )
            amount -= interest_paid
        future = [row for row in self.rows if row[0] > day]
        outstanding = sum((row[1] - row[4] for row in future), ZERO)
        used = min(amount, outstanding)
        if used <= 0:
            return amount
        mode = self.loan.policy.overpayment
        reamortisable = self.schedule.method in ("annuity", "equal_principal")
        if mode in ("keep_term", "keep_payment") and used < outstanding and reamortisable:
            keep = "term" if mode == "keep_term" else "payment"
            self.reschedule(day, outstanding - used, keep)
        else:
            left = used
            for row in future:
                pay = min(left, row[1] - row[4])
                row[4] += pay
                left -= pay
        self.post(day, [("custody", used), ("principal_receivable", -used)], "prepayment")
        return amount - used

    def reschedule(self, day: _dt.date, outstanding: Decimal, keep: str) -> None:
        """Re-amortise `outstanding` over the remaining due dates (``loanmath.reamortize``).

        The current instalment's interest earned on the old balance up to `day` is carried into
        the first new instalment, with what has been paid or posted of it, so no interest is
        lost or charged twice.
        """
        new = reamortize(self.current_schedule(), day, Money(outstanding, self.currency), keep=keep)
        k = len([row for row in self.rows if row[0] <= day])
        current = self.rows[k] if k < len(self.rows) else None
        carried = max(self.earned(k, day), self.accrued[k]) if current is not None else ZERO
        paid = current[5] if current is not None else ZERO
        posted = self.accrued[k] if current is not None else ZERO
        self.rows = self.rows[:k] + [
            [r.due_date, r.principal, r.interest, r.fees, ZERO, ZERO, ZERO]
            for r in new.installments
        ]
        self.rows[k][2] += carried
        self.rows[k][5] = paid
        self.accrued = self.accrued[:k] + [posted] + [ZERO] * (new.term - 1)
        self.penalty_from = self.penalty_from[:k] + [r.due_date for r in new.installments]
        self.penalty_rows = self.penalty_rows[:k] + [ZERO] * new.term
        self.late_charged = self.late_charged[:k] + [False] * new.term
        self.reamortised = new

    def current_schedule(self) -> Any:
        """The schedule in force: the original, or the last re-amortisation."""
        return self.reamortised if self.reamortised is not None else self.schedule

    # --- events -------------------------------------------------------------------------
    def apply(self, event: Event) -> None:
        handler = getattr(self, f"on_{type(event).__name__.lower()}", None)
        if handler is not None:
            handler(event)

    def on_disbursement(self, event: Disbursement) -> None:
        """Pay out the loan, whole or in tranches.

        The first disbursement is on the terms' start date and carries the upfront and
        financed fees. A partial one (a tranche) re-amortises what is drawn over the remaining
        due dates, keeping the term; each later tranche does the same with the new
        outstanding principal (annuity and equal-principal loans, no financed fees).
        """
        if self.written_off:
            raise InvalidInputError("date", event.date, "the loan is written off; no tranche")
        principal = self.loan.terms.principal.amount
        amount = principal - self.drawn if event.amount is None else self.amount_of(event)
        if amount <= 0 or amount > principal - self.drawn:
            raise InvalidInputError(
                "amount",
                amount,
                f"must be > 0 and at most the undrawn principal {principal - self.drawn}",
            )
        s = self.schedule
        whole = not self.disbursed and amount == principal
        if not self.disbursed and event.date != self.loan.terms.start_date:
            raise InvalidInputError(
                "date",
                event.date,
                f"the first disbursement must be on the terms' start date "
                f"{self.loan.terms.start_date}",
            )
        if not whole:
            self._check_tranche(event)
        future = sum((row[1] - row[4] for row in self.rows if row[0] > event.date), ZERO)
        if whole:
            legs = [
                ("principal_receivable", s.total_principal),
                ("custody", -s.disbursed),
                ("fee_income", -(s.upfront_fees + s.financed_fees)),
            ]
        elif not self.disbursed:
            if amount <= s.upfront_fees:
                raise InvalidInputError(
                    "amount",
                    amount,
                    f"the first tranche must exceed the upfront fees {s.upfront_fees}",
                )
            legs = [
                ("principal_receivable", amount),
                ("custody", -(amount - s.upfront_fees)),
                ("fee_income", -s.upfront_fees),
            ]
            future = ZERO
        else:
            legs = [("principal_receivable", amount), ("custody", -amount)]
        cash = -legs[1][1]
        if not whole:
            self.reschedule(event.date, future + amount, "term")
        self.disbursed = True
        self.drawn += amount
        self.cash_out += cash
        self.post(event.date, legs, "disbursement" if whole else "disbursement (tranche)")

    def _check_tranche(self, event: Disbursement) -> None:
        s = self.schedule
        if s.method not in ("annuity", "equal_principal") or s.financed_fees:
            raise InvalidInputError(
                "amount",
                event.amount,
                "tranches are for annuity and equal-principal loans without financed fees",
                "disburse the whole principal",
            )
        if event.date >= s.dates[-1]:
            raise InvalidInputError(
                "date", event.date, f"a tranche must come before the last due date {s.dates[-1]}"
            )

    def amount_of(self, event: Repayment | FeeCharge | Waiver | Disbursement) -> Decimal:
        """The event's amount; a Money in another currency than the loan's is refused."""
        value = event.amount
        if value is None:
            raise InvalidInputError("amount", None, "is required")
        if isinstance(value, Money):
            if value.currency != self.currency:
                raise InvalidInputError(
                    "currency", value.currency, f"is not the loan's currency {self.currency}"
                )
            return value.amount
        return value

    def _require_disbursed(self, event: Event, *, open_only: bool = False) -> None:
        if not self.disbursed:
            raise InvalidInputError(
                "date",
                event.date,
                f"{type(event).__name__} {event.id!r} comes before the disbursement",
            )
        if open_only and self.written_off:
            raise InvalidInputError(
                "event", event.id, f"{type(event).__name__} after the loan was written off"
            )

    def on_repayment(self, event: Repayment) -> None:
        self._require_disbursed(event)
        amount = self.amount_of(event)
        self.paid += amount
        if self.written_off:
            self.recovered += amount
            self.post(
                event.date,
                [("custody", amount), ("recoveries", -amount)],
                "recovery after write-off",
            )
            return
        left = self.allocate(event.date, amount, source="custody")
        if left and self.loan.policy.overpayment != "hold":
            left = self.prepay(event.date, left)
        if left:
            self.overpayment += left
            self.post(event.date, [("custody", left), ("overpayment", -left)], "overpayment held")

    def on_feecharge(self, event: FeeCharge) -> None:
        self._require_disbursed(event, open_only=True)
        amount = self.amount_of(event)
        room = self.charge_room()
        if amount > room:
            raise InvalidInputError(
                "amount", amount, f"the total cost cap leaves room for {room} more in charges"
            )
        self.extra_fees.append([event.date, amount, ZERO])
        self.post(
            event.date,
            [("fee_receivable", amount), ("fee_income", -amount)],
            f"fee: {event.name}",
        )

    def on_waiver(self, event: Waiver) -> None:
        self._require_disbursed(event, open_only=True)
        amount = self.amount_of(event)
        owed = self.owed(event.component, event.date)
        if amount > owed:
            raise InvalidInputError(
                "amount", amount, f"waives more than the {event.component} owed ({owed})"
            )
        self.waived += amount
        left = amount
        if event.component == "penalty":
            self.take_penalty(left)
        else:
            index = 5 if event.component == "interest" else 6
            targets = (
                [fee for fee in self.extra_fees if fee[0] <= event.date]
                if (event.component == "fees")
                else []
            )
            for fee in targets:
                pay = min(left, fee[1] - fee[2])
                fee[2] += pay
                left -= pay
            for row in self.rows[: self.recognised]:
                pay = min(left, row[index - 3] - row[index])
                row[index] += pay
                left -= pay
        receivable, income = _ACCOUNT[event.component]
        self.post(
            event.date,
            [(income or "fee_income", amount), (receivable, -amount)],
            f"waiver of {event.component}",
        )

    def on_writeoff(self, event: WriteOff) -> None:
        self._require_disbursed(event)
        if self.written_off:
            raise InvalidInputError("event", event.id, "the loan is already written off")
        principal = self.outstanding_principal()
        interest = self.owed("interest", event.date) + self.interest_accrued()
        fees = self.owed("fees", event.date)
        penalty = self.penalty_owed
        total = principal + interest + fees + penalty
        self.post(
            event.date,
            [
                ("writeoff_expense", total),
                ("principal_receivable", -principal),
                ("interest_receivable", -interest),
                ("fee_receivable", -fees),
                ("penalty_receivable", -penalty),
            ],
            "write-off",
        )
        self.written_off = True  # a held overpayment stays owed to the borrower

    def state(self, day: _dt.date) -> LoanState:
        policy = self.loan.policy
        dues = [Due(r[0], r[1] + r[2] + r[3], r[4] + r[5] + r[6]) for r in self.rows]
        dpd = (
            0
            if not self.disbursed or self.written_off
            else days_past_due(
                dues,
                day,
                tolerance_amount=policy.tolerance_amount,
                tolerance_days=policy.tolerance_days,
            )
        )
        written = self.written_off
        return LoanState(
            on=day,
            disbursed=self.disbursed,
            drawn=self.drawn,
            disbursed_amount=self.cash_out,
            written_off=written,
            outstanding_principal=self.outstanding_principal(),
            principal_due=self.owed("principal", day) if self.disbursed and not written else ZERO,
            interest_due=ZERO if written else self.owed("interest", day),
            interest_accrued=ZERO if written else self.interest_accrued(),
            fees_due=ZERO if written else self.owed("fees", day),
            penalty_due=ZERO if written else self.penalty_owed,
            overpayment=self.overpayment,
            dpd=dpd,
            bucket=policy.buckets.bucket(dpd),
            paid=self.paid,
            waived=self.waived,
            recovered=self.recovered,
            penalty_charged=self.penalty_charged,
            fees_charged=sum((f[1] for f in self.extra_fees), ZERO)
            + sum((r[3] for r in self.rows[: self.recognised]), ZERO),
            interest_charged=sum((r[2] for r in self.rows[: self.recognised]), ZERO)
            + sum(self.accrued[self.recognised :], ZERO),
            instalments=() if written or not self.disbursed else self.instalments(),
        )

    def instalments(self) -> tuple[InstalmentState, ...]:
        return tuple(
            InstalmentState(
                k + 1,
                row[0],
                k < self.recognised,
                row[1] - row[4],
                row[2] - row[5] if k < self.recognised else ZERO,
                row[3] - row[6] if k < self.recognised else ZERO,
                self.penalty_rows[k],
            )
            for k, row in enumerate(self.rows)
        )

    def balances(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for transaction in self.txns:
            for account, amount, _ in transaction.postings:
                totals[account] = totals.get(account, ZERO) + amount
        return totals


def _events(value: Sequence[Event]) -> tuple[Event, ...]:
    return tuple(value)


@attrs.frozen
class Loan:
    """A loan: its terms and its ordered history of events. Immutable; every method that adds
    an event returns a new ``Loan`` and leaves this one as it was.

    Parameters
    ----------
    terms : LoanTerms
    loan_id : str
    events : sequence of Event
        Sorted by date (events of one day keep the order given). Ids are unique: adding an
        event again with identical content is a no-op; the same id with other content raises.
    policy : ServicingPolicy
    chart : loanmath.ledger.Chart, optional
        Default: the lending chart opened on the start date.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.servicing import Disbursement, Repayment
    >>> terms = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 15))
    >>> loan = Loan(terms, "L1").add(Disbursement("D", dt.date(2024, 1, 15)))
    >>> loan = loan.add(Repayment("P1", dt.date(2024, 2, 15), amount="408.03"))
    >>> s = loan.state(on=dt.date(2024, 2, 15))
    >>> s.outstanding_principal, s.dpd, s.bucket
    (Decimal('803.97'), 0, 'M0')
    """

    terms: Any
    loan_id: str
    events: tuple[Event, ...] = attrs.field(default=(), converter=_events)
    policy: ServicingPolicy = attrs.field(factory=ServicingPolicy)
    chart: Any = attrs.field(default=None)
    _cache: dict[Any, _Book] = attrs.field(factory=dict, init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.chart is None:
            object.__setattr__(self, "chart", lending_chart(self.terms.start_date))
        ids: dict[str, Event] = {}
        for event in self.events:
            if not isinstance(event, Event):
                raise InvalidInputError("events", event, "must be loanmath.servicing events")
            if event.id in ids:
                raise InvalidInputError("id", event.id, "is used by two different events")
            ids[event.id] = event
        for event in self.events:
            if isinstance(event, Reversal):
                if event.target not in ids or isinstance(ids[event.target], Reversal):
                    raise UnknownNameError("target", event.target, sorted(ids))
                if ids[event.target].date > event.date:
                    raise InvalidInputError(
                        "date", event.date, f"reverses {event.target!r}, which is later"
                    )
        self._replay(self._last_date())  # a history that cannot be replayed cannot exist

    def _last_date(self) -> _dt.date:
        start: _dt.date = self.terms.start_date
        return max([start, *(e.date for e in self.events)])

    def add(self, *events: Event) -> Loan:
        """A new Loan with `events` added (an identical event already recorded is skipped).

        Raises
        ------
        InvalidInputError
            The same id with other content, or an event the replay refuses (a repayment before
            the disbursement, a waiver larger than what is owed …). This loan is unchanged.
        """
        known = {e.id: e for e in self.events}
        new = []
        for event in events:
            existing = known.get(event.id)
            if existing is not None:
                if existing != event:
                    raise InvalidInputError(
                        "id",
                        event.id,
                        "is already recorded with other content",
                        "reverse it instead",
                    )
                continue
            known[event.id] = event
            new.append(event)
        combined: tuple[Event, ...] = (*self.events, *new)
        return Loan(self.terms, self.loan_id, combined, self.policy, self.chart)

    def _ordered(self) -> list[Event]:
        indexed = sorted(enumerate(self.events), key=lambda pair: (pair[1].date, pair[0]))
        return [event for _, event in indexed]

    def _replay(self, until: _dt.date, skip: frozenset[str] = frozenset()) -> _Book:
        """The book replayed up to `until` (kept: a Loan never changes, so neither does it)."""
        key = (until, skip)
        cached = self._cache.get(key)
        if cached is None:
            last = self._last_date()
            base = self._cache.get((last, skip)) if until > last else None
            if base is not None:  # nothing happens after the last event: carry on from it
                cached = base.clone()
                with decimal.localcontext(EXACT):
                    cached.advance(until)
            else:
                cached = self._fresh_replay(until, skip)
            self._cache[key] = cached
        return cached

    def _fresh_replay(self, until: _dt.date, skip: frozenset[str]) -> _Book:
        book = _Book(self)
        ordered = [e for e in self._ordered() if e.id not in skip and e.date <= until]
        with decimal.localcontext(EXACT):
            for event in ordered:
                book.advance(event.date)
                if isinstance(event, Reversal):
                    book = self._reverse(book, event, skip)
                elif event.financial:
                    book.apply(event)
            if ordered:  # close the last event's day, so a later date just carries on from it
                book.advance(ordered[-1].date)
            book.advance(until)
        return book

    def _reverse(self, book: _Book, event: Reversal, skip: frozenset[str]) -> _Book:
        """Replace `book` by the history without the target, posting the balance difference."""
        earlier = [e for e in self._ordered() if e.date <= event.date]
        cut = earlier.index(event)
        later_skip = skip | {event.target} | {e.id for e in earlier[cut:]}
        other = self._fresh_replay(event.date, later_skip)  # mutated below: never the cache
        with decimal.localcontext(EXACT):
            before, after = book.balances(), other.balances()
        accounts = sorted(set(before) | set(after))
        legs = [
            Posting(a, after.get(a, ZERO) - before.get(a, ZERO), book.currency)
            for a in accounts
            if after.get(a, ZERO) != before.get(a, ZERO)
        ]
        other.txns = list(book.txns)
        if legs:
            other.txns.append(
                Transaction(
                    f"{self.loan_id}:{len(other.txns) + 1}",
                    event.date,
                    legs,
                    f"reversal of {event.target}",
                    meta={"reverses-event": event.target},
                )
            )
        return other

    def state(self, on: _dt.date | None = None) -> LoanState:
        """The loan's state on `on` (default: its last event's date)."""
        day = self._last_date() if on is None else check_date(on, "on")
        book = self._replay(day)
        with decimal.localcontext(EXACT):
            return book.state(day)

    def transactions(self, on: _dt.date | None = None) -> tuple[Transaction, ...]:
        """Every transaction posted by `on` (default: the last event's date)."""
        day = self._last_date() if on is None else check_date(on, "on")
        return tuple(self._replay(day).txns)

    def journal(self, on: _dt.date | None = None) -> Journal:
        """A fresh journal holding the loan's transactions by `on`."""
        journal = Journal(self.chart)
        journal.post_many(self.transactions(on))
        return journal

    def history(self) -> tuple[Event, ...]:
        """Every event, financial or not, in date order (for a regulator's inspection)."""
        return tuple(self._ordered())

    def history_hash(self) -> str:
        """The SHA-256 chain over the events in the order they were recorded."""
        link = hashlib.sha256(f"loanmath-loan-v1:{self.loan_id}".encode()).hexdigest()
        for event in self.events:
            link = hashlib.sha256((link + event.canonical()).encode("utf-8")).hexdigest()
        return link

    def payoff(self, on: _dt.date) -> Decimal:
        """The amount that settles the loan on `on`: all principal outstanding, interest, fees
        and penalty due, interest accrued in the current period (daily accrual), less any
        overpayment held."""
        s = self.state(on)
        not_due = EXACT.subtract(s.outstanding_principal, s.principal_due)
        owed = EXACT.add(EXACT.add(not_due, s.total_due), s.interest_accrued)
        return EXACT.subtract(owed, s.overpayment)

    def eligible_to_reborrow(
        self, on: _dt.date, *, max_dpd: int = 30, lookback_days: int = 365
    ) -> bool:
        """Whether the borrower was never more than `max_dpd` days late in the last
        `lookback_days` days (and the loan was not written off)."""
        day = check_date(on, "on")
        start = max(self.terms.start_date, day - _dt.timedelta(days=lookback_days))
        checkpoints = sorted(
            {
                start,
                day,
                *(
                    r.due_date + _dt.timedelta(days=max_dpd + 1)
                    for r in self.terms.schedule.installments
                ),
            }
        )
        for checkpoint in checkpoints:
            if start <= checkpoint <= day:
                state = self.state(checkpoint)
                if state.written_off or state.dpd > max_dpd:
                    return False
        return True


def portfolio_rows(loans: Sequence[Loan], on: _dt.date) -> list[Any]:
    """Ageing rows (``loanmath.ageing.LoanAgeing``) for `loans` on `on`.

    Examples
    --------
    >>> import datetime as dt
    >>> from loanmath import LoanTerms, Money
    >>> from loanmath.servicing import Disbursement
    >>> terms = LoanTerms(Money("1200.00", "CNY"), "0.12", 3, start_date=dt.date(2024, 1, 15))
    >>> loan = Loan(terms, "L").add(Disbursement("D", dt.date(2024, 1, 15)))
    >>> portfolio_rows([loan], dt.date(2024, 3, 1))[0].dpd
    15
    """
    from loanmath.ageing import LoanAgeing  # noqa: PLC0415 - ageing is below servicing

    rows = []
    for loan in loans:
        s = loan.state(on)
        rows.append(LoanAgeing(loan.loan_id, s.dpd, s.outstanding_principal))
    return rows
