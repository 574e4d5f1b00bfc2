"""An independent reference model of loan servicing, for the differential test.

Written from ``docs/servicing.md`` alone — the sections "Events", "Overdue terms: one value on
the contract", "Conventions — what an auditor recomputes by hand" (rules C1–C16) and "Policy" —
and NOT from the code under ``loanmath/``. It imports nothing from ``loanmath``: it reads its
inputs by duck typing (the schedule rows, the contract's ``OverdueTerms``, the policy fields)
and works in exact integer minor units (CNY: 1 unit = 0.01) and ``Fraction``s, with its own
rounding (half up to the minor unit, applied once to an exact value).

It is deliberately naive: every query replays the whole history from the start date, one
calendar day at a time, with plain loops. A reversal (C14) is modelled as the brief states it:
the state on day *d* is the flat replay through *d* of the history with every reversal dated
on or before *d* and its target removed.

Scope: one whole disbursement on the start date; ``overpayment`` "hold" / "prepay"; ``accrual``
"period" / "daily"; both instalment orders; every waterfall; overdue terms by multiple, margin,
daily rate or none agreed; the three bases; 复利; grace; the late fee; policy narrowing;
``stop_at_dpd``; the arrears tolerances; fee charges, waivers, reversals, write-off, reminders,
contacts. Out of scope: tranches, keep_term / keep_payment, caps, upfront / financed fees.

Readings chosen where the document leaves room (each is marked ``READING`` in the code):

R1  Grace (C6): the grace test looks at the close of day ``T + g``, so it is *decided* in step 1
    of day ``T + g + 1``; on the days ``T + 1 … T + g`` the instalment shows no penalty, and on
    ``T + g + 1`` the whole sum from the due date appears at once.
R2  Policy narrowing of the rate: a daily rate is compared with annual rates as ``rate × 360``
    on an ACT/360 contract and ``rate × 365`` on ACT/365F (the Overdue-terms section); the lower
    one is used in its own form (an annual rate over the contract's day count, a daily rate as
    ``base × rate`` per day — the same per day either way). A tie keeps the contract's.
R3  Compound (复利) with any base puts the instalment's unpaid interest in the base (C4); the
    ``overdue_instalment`` base still adds the periodic fees. A policy may switch 复利 off but
    not on.
R4  Write-off (C13): the ``*_charged`` totals freeze at the write-off; DPD keeps ageing on each
    instalment's unpaid principal + interest + periodic fees as they stood at the write-off —
    instalments not yet due then count with their whole unpaid scheduled amounts once their due
    date passes. Money held stays as it was (recoveries are not held).
R5  Money held (C2 step 4, C9) pays only what is *due*, by the waterfall, for both "hold" and
    "prepay"; it never prepays (under "prepay" money is held only beyond the whole principal).
R6  "prepay": the accrued interest of the current period (the instalment whose period contains
    the date) is paid first (daily accrual only), then the principal of the instalments not yet
    due, in order. Prepaying never changes the schedule's interest of later instalments.
R7  ``interest_accrued`` / the daily part of ``interest_charged`` concern the instalment whose
    period ``[T_{k-1}, T_k)`` contains the date (the start date opens the first period).
R8  A late fee is a charged fee of its day; among the fees of one date, charged fees (late fees
    before the day's ``FeeCharge``s, in the order charged) come before an instalment's periodic
    fees (C9).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

ONE_DAY = dt.timedelta(days=1)
COMPONENTS = ("penalty", "fees", "interest", "principal")
PRESETS = {
    "penalty_fees_interest_principal": ("penalty", "fees", "interest", "principal"),
    "interest_principal_penalty_fees": ("interest", "principal", "penalty", "fees"),
    "fees_interest_principal_penalty": ("fees", "interest", "principal", "penalty"),
}
BASES = ("overdue_principal", "overdue_principal_interest", "overdue_instalment")


class Refused(Exception):
    """The model refuses an event (a rule of C12–C15 forbids it)."""


# --- money -----------------------------------------------------------------------------------


def to_units(value: Decimal | str | int) -> int:
    """An exact amount in currency (``"12.34"``) as integer minor units (1234)."""
    units = Fraction(Decimal(str(value))) * 100
    if units.denominator != 1:
        raise Refused(f"{value} is not a multiple of the minor unit")
    return int(units)


def round_half_up(x: Fraction) -> int:
    """Round an exact non-negative amount of minor units half up to a whole unit."""
    if x < 0:
        raise ValueError("only non-negative amounts are rounded here")
    return (2 * x.numerator + x.denominator) // (2 * x.denominator)


def from_units(units: int) -> Decimal:
    return Decimal(units).scaleb(-2)


def frac(value: object) -> Fraction | None:
    return None if value is None else Fraction(Decimal(str(value)))


# --- inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    due_date: dt.date
    principal: int
    interest: int
    fees: int


@dataclass(frozen=True)
class Contract:
    """The contract's overdue terms (``LoanTerms.overdue``)."""

    multiple: Fraction | None = None
    margin: Fraction | None = None
    daily_rate: Fraction | None = None
    base: str = "overdue_principal"
    compound: bool = False
    grace_days: int = 0
    late_fee: int | None = None
    day_count: str = "ACT/360"


@dataclass(frozen=True)
class PenaltyAsk:
    """What a ``PenaltyPolicy`` asks (``None``: as the contract says)."""

    annual_rate: Fraction | None = None
    daily_rate: Fraction | None = None
    base: str | None = None
    grace_days: int | None = None
    compound: bool | None = None
    late_fee: int | None = None
    stop_at_dpd: int | None = None


@dataclass(frozen=True)
class Policy:
    waterfall: tuple[str, ...] = PRESETS["penalty_fees_interest_principal"]
    instalment_order: str = "oldest_first"
    accrual: str = "period"
    overpayment: str = "hold"
    tolerance_amount: int = 0
    tolerance_days: int = 0
    penalty: PenaltyAsk = field(default_factory=PenaltyAsk)


@dataclass(frozen=True)
class Event:
    kind: str  # disbursement repayment fee waiver writeoff reversal reminder contact
    id: str
    date: dt.date
    amount: int = 0
    component: str = ""
    target: str = ""


FINANCIAL = ("disbursement", "repayment", "fee", "waiver", "writeoff")


@dataclass(frozen=True)
class InForce:
    """The overdue terms in force after the policy has narrowed the contract's."""

    per_day: Fraction  # penalty per minor unit of base per overdue day
    with_interest: bool
    with_fees: bool
    grace_days: int
    late_fee: int  # 0: none
    stop_at_dpd: int | None


def rows_from_schedule(installments: Iterable[Any]) -> list[Row]:
    return [
        Row(r.due_date, to_units(r.principal), to_units(r.interest), to_units(r.fees))
        for r in installments
    ]


def contract_from(overdue: Any) -> Contract:
    return Contract(
        multiple=frac(overdue.multiple),
        margin=frac(overdue.margin),
        daily_rate=frac(overdue.daily_rate),
        base=overdue.base,
        compound=bool(overdue.compound),
        grace_days=int(overdue.grace_days),
        late_fee=None if overdue.late_fee is None else to_units(overdue.late_fee),
        day_count=overdue.day_count,
    )


def waterfall_of(waterfall: str | Sequence[str]) -> tuple[str, ...]:
    if isinstance(waterfall, str):
        return PRESETS[waterfall]
    order = tuple(waterfall)
    if sorted(order) != sorted(COMPONENTS):
        raise ValueError(f"not a waterfall: {waterfall!r}")
    return order


def in_force(annual_rate: Fraction, contract: Contract, ask: PenaltyAsk) -> InForce:
    """Overdue-terms section + Policy: a policy may only narrow the contract."""
    year = {"ACT/360": 360, "ACT/365F": 365}[contract.day_count]
    # the contract's overdue rate, and its annual equivalent for comparison (READING R2)
    if contract.daily_rate is not None:  # "counted ACT/360 as rate × 360 a year"
        per_day, equivalent = contract.daily_rate, contract.daily_rate * year
    else:
        if contract.multiple is not None:
            rate = annual_rate * contract.multiple
        elif contract.margin is not None:
            rate = annual_rate + contract.margin
        else:  # none agreed: the contract rate (Art. 28)
            rate = annual_rate
        per_day, equivalent = rate / year, rate
    if ask.annual_rate is not None and ask.annual_rate < equivalent:
        per_day, equivalent = ask.annual_rate / year, ask.annual_rate
    if ask.daily_rate is not None and ask.daily_rate * year < equivalent:
        per_day, equivalent = ask.daily_rate, ask.daily_rate * year
    base = contract.base
    if ask.base is not None and BASES.index(ask.base) < BASES.index(base):
        base = ask.base
    compound = contract.compound and ask.compound is not False  # READING R3
    grace = max(contract.grace_days, ask.grace_days or 0)
    late_fee = 0 if contract.late_fee is None else contract.late_fee
    if ask.late_fee is not None:
        late_fee = min(late_fee, ask.late_fee)
    return InForce(
        per_day=per_day,
        with_interest=compound or base != "overdue_principal",
        with_fees=base == "overdue_instalment",
        grace_days=grace,
        late_fee=late_fee,
        stop_at_dpd=ask.stop_at_dpd,
    )


def bucket_of(dpd: int) -> str:
    """China's M buckets: M0 = 0 DPD, M1 1–30, …, M6 151–180, M7+ above."""
    if dpd <= 0:
        return "M0"
    months = (dpd - 1) // 30 + 1
    return f"M{months}" if months <= 6 else "M7+"


# --- the replay --------------------------------------------------------------------------------


@dataclass
class _Fee:
    date: dt.date
    seq: int
    amount: int
    settled: int = 0  # paid or waived

    @property
    def owed(self) -> int:
        return self.amount - self.settled


class _Replay:
    """The mutable state of one flat replay (a history without reversals)."""

    def __init__(self, model: ReferenceModel) -> None:
        self.m = model
        n = len(model.rows)
        self.disbursed = False
        self.written_off = False
        self.up = [r.principal for r in model.rows]  # unpaid principal
        self.ui = [r.interest for r in model.rows]  # scheduled interest less paid / waived
        self.uf = [r.fees for r in model.rows]  # periodic fees less paid / waived
        self.base_days = [0] * n  # Σ over counted days of the base at the previous close
        self.penalty_on = [False] * n  # the grace test (C6) has passed
        self.penalty_settled = [0] * n  # penalty paid or waived
        self.charged: list[_Fee] = []
        self.held = 0
        self.paid = 0
        self.waived = 0
        self.recovered = 0
        self.frozen_unpaid: list[int] = []  # at the write-off, for ageing (READING R4)
        self.frozen_charged: tuple[int, int, int] = (0, 0, 0)

    # -- amounts ------------------------------------------------------------------------------

    def base(self, k: int) -> int:
        f = self.m.terms
        return (
            self.up[k] + (self.ui[k] if f.with_interest else 0) + (self.uf[k] if f.with_fees else 0)
        )

    def penalty_total(self, k: int) -> int:
        """C7: the rounded cumulative penalty of instalment k (0 before the grace test).

        C5 sums ``base × rate × yf`` day by day; the rate and ``yf`` of one day are the same
        every day, so the exact sum is ``per_day × Σ base`` — kept as the integer Σ base.
        """
        if not self.penalty_on[k]:
            return 0
        return round_half_up(self.m.terms.per_day * self.base_days[k])

    def penalty_owed(self, k: int) -> int:
        return self.penalty_total(k) - self.penalty_settled[k]

    def unpaid_instalment(self, k: int) -> int:
        return self.up[k] + self.ui[k] + self.uf[k]

    def due(self, d: dt.date) -> list[int]:
        return [k for k, r in enumerate(self.m.rows) if r.due_date <= d]

    def current(self, d: dt.date) -> int | None:
        """READING R7: the instalment whose period [T_{k-1}, T_k) contains d."""
        for k, r in enumerate(self.m.rows):
            if r.due_date > d:
                return k
        return None

    def recognised(self, k: int, d: dt.date) -> int:
        """C10, daily accrual: interest of instalment k recognised by day d."""
        row = self.m.rows[k]
        opens = self.m.rows[k - 1].due_date if k else self.m.start
        if d >= row.due_date:
            return row.interest
        if d <= opens:
            return 0
        period = (row.due_date - opens).days
        return round_half_up(Fraction(row.interest * (d - opens).days, period))

    def accrued(self, d: dt.date) -> int:
        k = self.current(d)
        if self.m.policy.accrual != "daily" or k is None:
            return 0
        return self.recognised(k, d) - (self.m.rows[k].interest - self.ui[k])

    def charged_totals(self, d: dt.date) -> tuple[int, int, int]:
        """(penalty_charged, fees_charged, interest_charged) on day d."""
        if self.written_off:
            return self.frozen_charged
        due = self.due(d)
        penalty = sum(self.penalty_total(k) for k in range(len(self.m.rows)))
        fees = sum(self.m.rows[k].fees for k in due) + sum(f.amount for f in self.charged)
        interest = sum(self.m.rows[k].interest for k in due)
        k = self.current(d)
        if self.m.policy.accrual == "daily" and k is not None:
            interest += self.recognised(k, d)
        return penalty, fees, interest

    # -- slots: (component, instalment index or charged fee) ----------------------------------

    def owed(self, slot: tuple[str, Any]) -> int:
        kind, ref = slot
        if kind == "penalty":
            return self.penalty_owed(ref)
        if kind == "charged":
            return ref.owed
        if kind == "fees":
            return self.uf[ref]
        if kind == "interest":
            return self.ui[ref]
        return self.up[ref]

    def settle(self, slot: tuple[str, Any], x: int) -> None:
        kind, ref = slot
        if kind == "penalty":
            self.penalty_settled[ref] += x
        elif kind == "charged":
            ref.settled += x
        elif kind == "fees":
            self.uf[ref] -= x
        elif kind == "interest":
            self.ui[ref] -= x
        else:
            self.up[ref] -= x

    def allocation_order(self, d: dt.date) -> list[tuple[str, Any]]:
        """C9: the obligations due on d, in the order a payment settles them."""
        due = self.due(d)
        rows = self.m.rows
        waterfall = self.m.policy.waterfall
        slots: list[tuple[str, Any]] = []
        if self.m.policy.instalment_order == "oldest_first":
            for comp in waterfall:
                if comp == "fees":  # charged and periodic fees by date, charged first (R8)
                    fees: list[tuple[dt.date, int, int, tuple[str, Any]]] = [
                        (f.date, 0, f.seq, ("charged", f)) for f in self.charged
                    ]
                    fees += [(rows[k].due_date, 1, k, ("fees", k)) for k in due]
                    slots += [s for *_, s in sorted(fees, key=lambda x: x[:3])]
                else:
                    slots += [(comp, k) for k in due]
        else:  # by_instalment: obligations in date order, each settled whole
            obligations: list[tuple[dt.date, int, int, list[tuple[str, Any]]]] = [
                (f.date, 0, f.seq, [("charged", f)]) for f in self.charged
            ]
            obligations += [(rows[k].due_date, 1, k, [(c, k) for c in waterfall]) for k in due]
            for *_, own in sorted(obligations, key=lambda x: x[:3]):
                slots += own
        return slots

    def allocate(self, amount: int, d: dt.date) -> int:
        """Pay what is due on d by the waterfall; return what is left."""
        for slot in self.allocation_order(d):
            if amount == 0:
                break
            x = min(amount, self.owed(slot))
            if x > 0:
                self.settle(slot, x)
                amount -= x
        return amount

    def prepay(self, amount: int, d: dt.date) -> int:
        """C9 "prepay" (READING R6): accrued interest of the period, then principal ahead."""
        k = self.current(d)
        if k is not None and self.m.policy.accrual == "daily":
            x = min(amount, self.accrued(d))
            self.ui[k] -= x
            amount -= x
        for j, row in enumerate(self.m.rows):
            if row.due_date > d:
                x = min(amount, self.up[j])
                self.up[j] -= x
                amount -= x
        return amount

    def apply_held(self, d: dt.date) -> None:
        if self.held:
            self.held = self.allocate(self.held, d)  # READING R5

    # -- a day ------------------------------------------------------------------------------

    def begin_day(self, d: dt.date) -> None:
        """C2 steps 1–4 (step 3 needs no work: being due is a matter of the date)."""
        if not self.disbursed or self.written_off:
            return
        f = self.m.terms
        rows = self.m.rows
        # (1) penalty for day d, on the base at the close of d - 1 (C5); the grace test (C6)
        for k, row in enumerate(rows):
            late = (d - row.due_date).days
            if late <= 0:
                continue
            if f.stop_at_dpd is None or late <= f.stop_at_dpd:
                self.base_days[k] += self.base(k)
            if late == f.grace_days + 1:  # READING R1: close of T + g is known now
                self.penalty_on[k] = self.base(k) > 0
        # (2) late fees of instalments whose grace ended on d - 1 (C8)
        if f.late_fee:
            for k, row in enumerate(rows):
                if (d - row.due_date).days == f.grace_days + 1 and (
                    self.unpaid_instalment(k) > self.m.policy.tolerance_amount
                ):
                    self.charged.append(_Fee(d, len(self.charged), f.late_fee))
        # (4) money held pays what is owed
        self.apply_held(d)

    def apply(self, e: Event) -> None:
        """C2 step 5: one event."""
        if e.kind == "disbursement":
            if self.disbursed:
                raise Refused("a second whole disbursement")
            if e.date != self.m.start:
                raise Refused("a whole disbursement is on the start date")
            self.disbursed = True
            return
        if not self.disbursed:
            raise Refused(f"{e.id} before the disbursement")
        handler = {
            "reminder": lambda e: None,  # C1: never an amount
            "contact": lambda e: None,
            "repayment": self.repay,
            "fee": self.charge,
            "waiver": self.waive,
            "writeoff": self.write_off,
        }.get(e.kind)
        if handler is None:
            raise Refused(f"unknown event kind {e.kind}")
        handler(e)

    def repay(self, e: Event) -> None:
        if e.amount <= 0:
            raise Refused("a repayment is positive")
        self.paid += e.amount
        if self.written_off:  # C13: a recovery
            self.recovered += e.amount
            return
        left = self.allocate(e.amount, e.date)
        if left and self.m.policy.overpayment == "prepay":
            left = self.prepay(left, e.date)
        self.held += left

    def charge(self, e: Event) -> None:
        if self.written_off:
            raise Refused("a fee after the write-off (C13)")
        self.charged.append(_Fee(e.date, len(self.charged), e.amount))
        self.apply_held(e.date)  # C2: money held pays it at once

    def write_off(self, e: Event) -> None:
        if self.written_off:
            raise Refused("a second write-off")
        self.frozen_charged = self.charged_totals(e.date)
        self.frozen_unpaid = [self.unpaid_instalment(k) for k in range(len(self.m.rows))]
        self.written_off = True

    def waiver_slots(self, component: str, d: dt.date) -> list[tuple[str, Any]]:
        """C12: what a waiver of ``component`` on d forgives, in order."""
        due = self.due(d)
        if component == "penalty":
            return [("penalty", k) for k in due]
        if component == "fees":
            slots: list[tuple[str, Any]] = [
                ("charged", f) for f in sorted(self.charged, key=lambda f: (f.date, f.seq))
            ]
            return slots + [("fees", k) for k in due]
        if component == "interest":
            return [("interest", k) for k in due]
        raise Refused(f"cannot waive {component}")

    def waive(self, e: Event) -> None:
        """C12: at most what is owed of the component on its date."""
        if self.written_off:
            raise Refused("a waiver after the write-off (C13)")
        slots = self.waiver_slots(e.component, e.date)
        owed = sum(self.owed(s) for s in slots)
        if e.amount <= 0 or e.amount > owed:
            raise Refused(f"waiver of {e.amount} {e.component} above what is owed ({owed})")
        amount = e.amount
        for slot in slots:
            x = min(amount, self.owed(slot))
            self.settle(slot, x)
            amount -= x
        self.waived += e.amount

    # -- the state ----------------------------------------------------------------------------

    def dpd(self, d: dt.date) -> int:
        """C11 (and C13: after a write-off, on the instalments as they stood)."""
        for k, row in enumerate(self.m.rows):
            if row.due_date >= d:
                break
            unpaid = self.frozen_unpaid[k] if self.written_off else self.unpaid_instalment(k)
            if unpaid > self.m.policy.tolerance_amount:
                days = (d - row.due_date).days
                return 0 if days <= self.m.policy.tolerance_days else days
        return 0

    def snapshot(self, d: dt.date) -> dict[str, Any]:
        rows = self.m.rows
        due = self.due(d)
        wo = self.written_off
        dpd = self.dpd(d) if self.disbursed else 0
        penalty_charged, fees_charged, interest_charged = (
            self.charged_totals(d) if self.disbursed else (0, 0, 0)
        )
        live = self.disbursed and not wo
        instalments = tuple(
            (
                k + 1,
                row.due_date,
                row.due_date <= d,
                from_units(self.up[k]),
                from_units(self.ui[k] if row.due_date <= d else 0),
                from_units(self.uf[k] if row.due_date <= d else 0),
                from_units(self.penalty_owed(k)),
            )
            for k, row in enumerate(rows)
        )

        def live_units(x: int) -> Decimal:
            return from_units(x if live else 0)

        return {
            "disbursed": self.disbursed,
            "written_off": wo,
            "outstanding_principal": live_units(sum(self.up)),
            "principal_due": live_units(sum(self.up[k] for k in due)),
            "interest_due": live_units(sum(self.ui[k] for k in due)),
            "interest_accrued": live_units(self.accrued(d)),
            "fees_due": live_units(
                sum(self.uf[k] for k in due) + sum(f.owed for f in self.charged)
            ),
            "penalty_due": live_units(sum(self.penalty_owed(k) for k in range(len(rows)))),
            "overpayment": from_units(self.held),
            "dpd": dpd,
            "bucket": bucket_of(dpd),
            "paid": from_units(self.paid),
            "waived": from_units(self.waived),
            "recovered": from_units(self.recovered),
            "penalty_charged": from_units(penalty_charged),
            "fees_charged": from_units(fees_charged),
            "interest_charged": from_units(interest_charged),
            "instalments": instalments if live else (),
        }


class ReferenceModel:
    """A loan's terms and servicing policy; ``state(events, on)`` replays from scratch."""

    def __init__(
        self,
        rows: Sequence[Row],
        start: dt.date,
        annual_rate: Fraction,
        contract: Contract,
        policy: Policy,
    ) -> None:
        self.rows = list(rows)
        self.start = start
        self.annual_rate = annual_rate
        self.contract = contract
        self.policy = policy
        self.terms = in_force(annual_rate, contract, policy.penalty)

    def flat_history(self, events: Sequence[Event], on: dt.date) -> list[Event]:
        """C14 as a flat replay: drop every reversal dated ≤ on and its target."""
        undone = {e.target for e in events if e.kind == "reversal" and e.date <= on}
        kept = [e for e in events if e.kind != "reversal" and e.id not in undone]
        return sorted((e for e in kept if e.date <= on), key=lambda e: e.date)  # stable: C1

    def check_reversals(self, events: Sequence[Event]) -> None:
        """C14's refusals, on the history in recorded order."""
        seen: dict[str, tuple[int, Event]] = {}
        reversed_ids: set[str] = set()
        ordered = sorted(enumerate(events), key=lambda ie: (ie[1].date, ie[0]))
        for pos, e in ordered:
            if e.kind == "reversal":
                if e.target not in seen:
                    raise Refused(f"{e.id}: unknown target or not before it ({e.target})")
                target = seen[e.target][1]
                if target.kind not in FINANCIAL:
                    raise Refused(f"{e.id}: {e.target} is a reversal or non-financial")
                if e.target in reversed_ids:
                    raise Refused(f"{e.id}: {e.target} already reversed")
                reversed_ids.add(e.target)
            seen[e.id] = (pos, e)

    def replay(self, events: Sequence[Event], on: dt.date) -> _Replay:
        self.check_reversals(events)
        flat = self.flat_history(events, on)
        if flat and flat[0].date < self.start:
            raise Refused(f"{flat[0].id} before the start date")
        r = _Replay(self)
        i = 0
        d = self.start
        while d <= on:
            r.begin_day(d)
            while i < len(flat) and flat[i].date == d:
                r.apply(flat[i])
                i += 1
            d += ONE_DAY
        return r

    def state(self, events: Sequence[Event], on: dt.date) -> dict[str, Any]:
        """The state at the close of day ``on``; raises ``Refused`` on a refusable history."""
        return self.replay(events, on).snapshot(on)

    def waivable(self, events: Sequence[Event], on: dt.date, component: str) -> int:
        """What a waiver of ``component`` recorded after ``events`` on ``on`` could forgive."""
        r = self.replay(events, on)
        return sum(r.owed(s) for s in r.waiver_slots(component, on))

    def refusal(self, events: Sequence[Event], new: Event) -> str | None:
        """Why the model refuses ``new`` recorded after ``events`` (None: it accepts it).

        ``new`` may be dated before events already recorded (they are sorted, C1). Checked:
        (a) every flat history the new one implies — through the day before and the day of
        each reversal, and through the last date; (b) each event at its own place in the
        sorted history, with the reversals sorted before it applied (C12: a waiver is at most
        what is owed on its date, where it stands) — from the new event's place on, as the
        events before it were checked when they were recorded.
        """
        history = [*events, new]
        last = max(e.date for e in history)
        reversal_days = {e.date for e in history if e.kind == "reversal"}
        ends = reversal_days | {r - ONE_DAY for r in reversal_days} | {new.date, last}
        ordered = [e for _, e in sorted(enumerate(history), key=lambda ie: (ie[1].date, ie[0]))]
        at = ordered.index(new)
        try:
            for on in sorted(d for d in ends if d >= self.start):
                self.replay(history, on)
            for i in range(at, len(ordered)):
                if ordered[i].kind != "reversal":
                    self.replay_prefix(ordered[: i + 1])
        except Refused as why:
            return str(why)
        return None

    def replay_prefix(self, prefix: Sequence[Event]) -> None:
        """Replay a sorted history up to its last event, with its reversals applied."""
        undone = {e.target for e in prefix if e.kind == "reversal"}
        kept = [e for e in prefix if e.kind != "reversal" and e.id not in undone]
        if not kept or kept[-1] is not prefix[-1]:
            return  # the last event is itself undone: nothing to check at its place
        self.check_reversals(prefix)
        if kept[0].date < self.start:
            raise Refused(f"{kept[0].id} before the start date")
        r = _Replay(self)
        i = 0
        d = self.start
        while i < len(kept):
            r.begin_day(d)
            while i < len(kept) and kept[i].date == d:
                r.apply(kept[i])
                i += 1
            d += ONE_DAY
