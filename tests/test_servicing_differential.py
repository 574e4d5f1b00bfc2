"""Differential test of loan servicing against an independent reference model.

THE MODEL (``tests/servicing_reference.py``) IS WRITTEN FROM docs/servicing.md'S CONVENTIONS
TABLE (C1–C16) AND ITS "Events", "Overdue terms" AND "Policy" SECTIONS — NOT FROM THE CODE. It
imports nothing from ``loanmath``; where the document leaves room it states the reading it took
(``READING R1…R8`` in its docstring). A disagreement is therefore either a bug in the library or
a place where the document is unclear: judge it from the document, not from either side.

Seeded random loans and histories (late, partial, early and overpaying payments, fee charges,
waivers, bounced payments = reversals of repayments, reminders, contacts, write-offs) under
every in-scope policy option and overdue-terms variant are built one event at a time; an event
the library refuses is skipped (and the model must refuse it too, and accept what the library
accepts). Both are then compared on every event date, every due date, the last day of each
grace period and the day after it, and 40 days after the last event: every ``LoanState`` field
below, to the cent. A failing seed prints a reproduction as Python source and a history shrunk
by dropping events one at a time while it still fails.

``SERVICING_DIFF_EXAMPLES`` (default 200) sets how many seeds (``range(N)``) run.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from servicing_reference import (
    COMPONENTS,
    PRESETS,
    Event,
    PenaltyAsk,
    Policy,
    ReferenceModel,
    Refused,
    contract_from,
    from_units,
    rows_from_schedule,
    to_units,
    waterfall_of,
)

from loanmath import Fee, LoanTerms, Money, OverdueTerms
from loanmath.errors import LoanMathError
from loanmath.penalty import PenaltyPolicy
from loanmath.servicing import (
    Contact,
    Disbursement,
    FeeCharge,
    Loan,
    Reminder,
    Repayment,
    Reversal,
    ServicingPolicy,
    Waiver,
    WriteOff,
)

N_EXAMPLES = int(os.environ.get("SERVICING_DIFF_EXAMPLES", "200"))
SHRINK_BUDGET_S = float(os.environ.get("SERVICING_DIFF_SHRINK_SECONDS", "20"))
FIELDS = (
    "disbursed",
    "written_off",
    "outstanding_principal",
    "principal_due",
    "interest_due",
    "interest_accrued",
    "fees_due",
    "penalty_due",
    "overpayment",
    "dpd",
    "bucket",
    "paid",
    "waived",
    "recovered",
    "penalty_charged",
    "fees_charged",
    "interest_charged",
    "instalments",
)
BASES = ("overdue_principal", "overdue_principal_interest", "overdue_instalment")


# --- a case: terms, policy, history --------------------------------------------------------


@dataclass
class Case:
    seed: int
    principal: str
    rate: str
    term: int
    start: dt.date
    fee: str | None
    overdue: dict[str, Any]
    policy: dict[str, Any]
    penalty: dict[str, Any]
    events: list[Event] = field(default_factory=list)


def make_terms(case: Case) -> LoanTerms:
    extra: dict[str, Any] = {}
    if case.fee is not None:
        extra["fees"] = (Fee("service", "periodic", amount=case.fee),)
    return LoanTerms(
        Money(case.principal, "CNY"),
        case.rate,
        case.term,
        start_date=case.start,
        overdue=OverdueTerms(**case.overdue),
        **extra,
    )


def make_policy(case: Case) -> ServicingPolicy:
    return ServicingPolicy(**case.policy, penalty=PenaltyPolicy(**case.penalty))


def make_model(case: Case, terms: LoanTerms) -> ReferenceModel:
    p, pen = case.policy, case.penalty
    ask = PenaltyAsk(
        annual_rate=None if pen.get("annual_rate") is None else Fraction(pen["annual_rate"]),
        daily_rate=None if pen.get("daily_rate") is None else Fraction(pen["daily_rate"]),
        base=pen.get("base"),
        grace_days=pen.get("grace_days"),
        compound=pen.get("compound"),
        late_fee=None if pen.get("late_fee") is None else to_units(pen["late_fee"]),
        stop_at_dpd=pen.get("stop_at_dpd"),
    )
    policy = Policy(
        waterfall=waterfall_of(p["waterfall"]),
        instalment_order=p["instalment_order"],
        accrual=p["accrual"],
        overpayment=p["overpayment"],
        tolerance_amount=to_units(p["tolerance_amount"]),
        tolerance_days=p["tolerance_days"],
        penalty=ask,
    )
    return ReferenceModel(
        rows_from_schedule(terms.schedule.installments),
        terms.start_date,
        Fraction(Decimal(str(terms.annual_rate))),
        contract_from(terms.overdue),
        policy,
    )


def library_event(e: Event) -> object:
    amount = str(from_units(e.amount))
    make = {
        "disbursement": lambda: Disbursement(e.id, e.date),
        "repayment": lambda: Repayment(e.id, e.date, amount=amount),
        "fee": lambda: FeeCharge(e.id, e.date, amount=amount, name="statement"),
        "waiver": lambda: Waiver(e.id, e.date, amount=amount, component=e.component),
        "writeoff": lambda: WriteOff(e.id, e.date),
        "reversal": lambda: Reversal(e.id, e.date, target=e.target),
        "reminder": lambda: Reminder(e.id, e.date),
        "contact": lambda: Contact(e.id, e.date),
    }
    return make[e.kind]()


# --- Python source for a reproduction ------------------------------------------------------


def date_src(d: dt.date) -> str:
    return f"dt.date({d.year}, {d.month}, {d.day})"


def kwargs_src(kw: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kw.items())


def event_src(e: Event) -> str:
    amount = repr(str(from_units(e.amount)))
    head = f"{e.id!r}, {date_src(e.date)}"
    return {
        "disbursement": f"Disbursement({head})",
        "repayment": f"Repayment({head}, amount={amount})",
        "fee": f"FeeCharge({head}, amount={amount}, name='statement')",
        "waiver": f"Waiver({head}, amount={amount}, component={e.component!r})",
        "writeoff": f"WriteOff({head})",
        "reversal": f"Reversal({head}, target={e.target!r})",
        "reminder": f"Reminder({head})",
        "contact": f"Contact({head})",
    }[e.kind]


def case_src(case: Case, events: list[Event], on: dt.date) -> str:
    fees = f"fees=(Fee('service', 'periodic', amount={case.fee!r}),), " if case.fee else ""
    lines = [
        "import datetime as dt",
        "from decimal import Decimal",
        "from loanmath import Fee, LoanTerms, Money, OverdueTerms",
        "from loanmath.errors import LoanMathError",
        "from loanmath.penalty import PenaltyPolicy",
        "from loanmath.servicing import (Loan, ServicingPolicy, Disbursement, Repayment, "
        "FeeCharge, Waiver, WriteOff, Reversal, Reminder, Contact)",
        f"terms = LoanTerms(Money({case.principal!r}, 'CNY'), {case.rate!r}, {case.term}, "
        f"start_date={date_src(case.start)}, {fees}"
        f"overdue=OverdueTerms({kwargs_src(case.overdue)}))",
        f"policy = ServicingPolicy({kwargs_src(case.policy)}, "
        f"penalty=PenaltyPolicy({kwargs_src(case.penalty)}))",
        "events = [",
        *[f"    {event_src(e)}," for e in events],
        "]",
        "loan = Loan(terms, 'L1', policy=policy)",
        "for e in events:",
        "    try:",
        "        loan = loan.add(e)",
        "    except LoanMathError as exc:",
        "        print('refused', e, exc)",
        f"print(loan.state(on={date_src(on)}))",
    ]
    return "\n".join(lines)


# --- generation ----------------------------------------------------------------------------


def gen_overdue(rng: random.Random) -> dict[str, Any]:
    overdue: dict[str, Any] = {}
    kind = rng.choice(["multiple", "margin", "daily_rate", "none"])
    if kind == "multiple":
        overdue["multiple"] = rng.choice(["1.3", "1.5", "2"])
    elif kind == "margin":
        overdue["margin"] = rng.choice(["0.02", "0.05", "0.1"])
    elif kind == "daily_rate":
        overdue["daily_rate"] = rng.choice(["0.0005", "0.0003", "0.0002"])
    overdue["base"] = rng.choice(BASES)
    overdue["compound"] = rng.random() < 0.3
    overdue["grace_days"] = rng.choice([0, 0, 3, 5, 10, 28, 31])
    overdue["late_fee"] = rng.choice([None, None, "20", "50.00", "8.88"])
    overdue["day_count"] = rng.choice(["ACT/360", "ACT/360", "ACT/365F"])
    if kind == "daily_rate":  # the library refuses a daily rate counted ACT/365F (see report)
        overdue["day_count"] = "ACT/360"
    return overdue


def gen_penalty(rng: random.Random) -> dict[str, Any]:
    """A PenaltyPolicy: each field left to the contract, or asking less, or more."""
    penalty: dict[str, Any] = {}
    if rng.random() < 0.3:
        if rng.random() < 0.5:
            penalty["annual_rate"] = rng.choice(["0.05", "0.09", "0.5", "0.18", "0.1799", "0.1801"])
        else:
            penalty["daily_rate"] = rng.choice(["0.0001", "0.001", "0.0005"])
    if rng.random() < 0.3:
        penalty["base"] = rng.choice(BASES)
    if rng.random() < 0.25:
        penalty["grace_days"] = rng.choice([0, 2, 7, 15, 30])
    if rng.random() < 0.25:
        penalty["compound"] = rng.random() < 0.5
    if rng.random() < 0.25:
        penalty["late_fee"] = rng.choice(["10", "100"])
    if rng.random() < 0.25:
        penalty["stop_at_dpd"] = rng.choice([1, 3, 10, 30, 60, 90])
    return penalty


def gen_terms(rng: random.Random, seed: int) -> Case:
    cents = rng.choice(["00", "00", "50", f"{rng.randrange(100):02d}"])
    waterfall: Any = rng.choice([*PRESETS, "tuple"])
    if waterfall == "tuple":
        waterfall = tuple(rng.sample(COMPONENTS, 4))
    policy: dict[str, Any] = {
        "waterfall": waterfall,
        "instalment_order": rng.choice(["oldest_first", "by_instalment"]),
        "accrual": rng.choice(["period", "daily"]),
        "overpayment": rng.choice(["hold", "prepay"]),
        "tolerance_amount": Decimal(rng.choice(["0", "0", "1.00", "10", "0.01", "50"])),
        "tolerance_days": rng.choice([0, 0, 3]),
    }
    return Case(
        seed=seed,
        principal=f"{rng.randrange(300, 30000)}.{cents}",
        rate=rng.choice(["0.0365", "0.0725", "0.12", "0.18", "0.2399"]),
        term=rng.randint(2, 7),
        start=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(366)),
        fee=rng.choice([None, None, "5", "12.50"]),
        overdue=gen_overdue(rng),
        policy=policy,
        penalty=gen_penalty(rng),
    )


def plan_payment(rng: random.Random, how: str, due: int) -> tuple[int, int]:
    """(days after the due date, amount in minor units) of one instalment's payment."""
    if how == "on_time":
        return -rng.choice([0, 0, 0, 1, 2, 5]), due
    if how == "late":
        return rng.randint(1, 70), due + rng.choice([0, due // 50, rng.randrange(1, 3000)])
    if how == "partial":
        return rng.randint(-3, 40), due * rng.randint(20, 90) // 100
    if how == "early":
        return -rng.randint(8, 25), due * rng.choice([1, 2])
    return rng.randint(-2, 10), due * rng.randint(110, 250) // 100  # overpay


def move_some(rng: random.Random, history: list[Event]) -> None:
    """Record a few events at another place in the history."""
    for _ in range(rng.randint(1, 4) if history else 0):
        moved = history.pop(rng.randrange(len(history)))
        history.insert(rng.randrange(len(history) + 1), moved)


def gen_events(rng: random.Random, case: Case, terms: LoanTerms) -> list[Event]:
    start = case.start
    rows = rows_from_schedule(terms.schedule.installments)
    last_due = rows[-1].due_date
    counters: dict[str, int] = {}

    def new_id(prefix: str) -> str:
        counters[prefix] = counters.get(prefix, 0) + 1
        return f"{prefix}{counters[prefix]}"

    def day(lo: dt.date, span: int) -> dt.date:
        return max(start, lo + dt.timedelta(days=rng.randint(0, span)))

    def shift(d: dt.date, days: int) -> dt.date:
        return max(start, d + dt.timedelta(days=days))

    body: list[Event] = []

    def pay(d: dt.date, units: int) -> None:
        body.append(Event("repayment", new_id("P"), d, amount=max(1, units)))

    for row in rows:
        due = row.principal + row.interest + row.fees
        how = rng.choices(
            ["on_time", "late", "partial", "early", "overpay", "skip", "payoff"],
            [30, 25, 15, 10, 8, 12, 3],
        )[0]
        if how == "payoff":  # everything scheduled from here on, and then some
            rest = sum(
                r.principal + r.interest + r.fees for r in rows if r.due_date >= row.due_date
            )
            pay(shift(row.due_date, rng.randint(-20, 5)), rest + rng.choice([0, 1, 5000]))
        elif how != "skip":
            offset, units = plan_payment(rng, how, due)
            pay(shift(row.due_date, offset), units)
        if rng.random() < 0.1:  # a fee charged on the due date itself
            body.append(Event("fee", new_id("F"), row.due_date, amount=to_units("12.00")))
        if rng.random() < 0.25:  # a catch-up payment
            pay(shift(row.due_date, rng.randint(10, 90)), rng.randrange(100, 2 * due + 200))
    if rng.random() < 0.1:  # a payment on the start date
        pay(start, rng.randrange(1, 20000))
    for p in [e for e in body if e.kind == "repayment" and rng.random() < 0.08]:
        pay(p.date, rng.randrange(1, 20000))  # a second payment on the same day
    span = (last_due - start).days + 90
    for _ in range(rng.choice([0, 0, 1, 2, 3])):
        amount = to_units(rng.choice(["30.00", "15.50", "100", "0.01"]))
        body.append(Event("fee", new_id("F"), day(start, span), amount=amount))
    for _ in range(rng.choice([0, 1, 2, 3, 4])):
        # 0: exactly what the model says is owed then (resolved in gen_case; C12's boundary)
        amount = to_units(rng.choice(["0.50", "2.00", "10.00", "50.00", "0.01", "0", "0"]))
        component = rng.choice(["penalty", "penalty", "fees", "interest"])
        body.append(
            Event("waiver", new_id("W"), day(start, span), amount=amount, component=component)
        )
    for _ in range(rng.choice([0, 0, 1, 2])):
        body.append(Event(rng.choice(["reminder", "contact"]), new_id("M"), day(start, span)))
    if rng.random() < 0.15:
        k = rng.randrange(len(rows))
        body.append(Event("writeoff", new_id("X"), day(rows[k].due_date, 100)))
    body.sort(key=lambda e: e.date)
    reversals = [
        Event("reversal", new_id("R"), day(e.date, rng.choice([0, 1, 3, 6])), target=e.id)
        for e in body
        if rng.random()
        < {"repayment": 0.12, "waiver": 0.1, "writeoff": 0.2, "fee": 0.15}.get(e.kind, 0.0)
    ]
    history = sorted([*body, *reversals], key=lambda e: e.date)  # a reversal after its target
    if rng.random() < 0.2:  # recorded out of date order now and then (C1: sorted by date)
        move_some(rng, history)
    return [Event("disbursement", "D", start), *history]


def resolve_exact_waivers(case: Case, model: ReferenceModel) -> None:
    """A waiver of amount 0 becomes exactly what the model says is owed on its date."""
    accepted: list[Event] = []
    for i, original in enumerate(case.events):
        e = original
        if e.kind == "waiver" and e.amount == 0:
            try:
                owed = model.waivable(accepted, e.date, e.component)
            except Refused:
                owed = 0
            e = case.events[i] = replace(e, amount=max(owed, 1))
        if model.refusal(accepted, e) is None:
            accepted.append(e)


def gen_case(seed: int) -> Case:
    rng = random.Random(seed)
    for _ in range(20):
        case = gen_terms(rng, seed)
        try:
            terms = make_terms(case)
            make_policy(case)
        except LoanMathError:
            continue  # terms a cap refuses at construction: draw again
        case.events = gen_events(rng, case, terms)
        resolve_exact_waivers(case, make_model(case, terms))
        return case
    raise AssertionError(f"seed {seed}: no constructible terms")


# --- the comparison ------------------------------------------------------------------------


@dataclass
class Mismatch:
    on: dt.date
    fields: dict[str, tuple[Any, Any]]  # name: (model, library)

    def describe(self) -> str:
        lines = [f"on {self.on}:"]
        for name, (mine, theirs) in self.fields.items():
            if name == "instalments" and isinstance(mine, tuple) and isinstance(theirs, tuple):
                lines.append("  instalments (number, due_date, due, P, I, F, penalty):")
                for a, b in zip(mine, theirs, strict=False):
                    mark = "  " if a == b else "!!"
                    lines.append(f"    {mark} model   {a}\n    {mark} library {b}")
                if len(mine) != len(theirs):
                    lines.append(f"    model {len(mine)} rows, library {len(theirs)} rows")
            else:
                lines.append(f"  {name}: model {mine!r}  library {theirs!r}")
        return "\n".join(lines)


class Disagreement(Exception):
    def __init__(self, on: dt.date, fields: dict[str, tuple[Any, Any]]) -> None:
        super().__init__(on, fields)
        self.mismatch = Mismatch(on, fields)


def library_state(loan: Loan, on: dt.date) -> dict[str, Any]:
    s = loan.state(on=on)
    out = {name: getattr(s, name) for name in FIELDS if name != "instalments"}
    out["instalments"] = tuple(
        (i.number, i.due_date, i.due, i.principal, i.interest, i.fees, i.penalty)
        for i in s.instalments
    )
    return out


def query_dates(model: ReferenceModel, events: list[Event]) -> list[dt.date]:
    g = model.terms.grace_days
    dates = {e.date for e in events} | {model.start}
    for row in model.rows:
        dates |= {row.due_date, row.due_date + dt.timedelta(days=g)}
        dates.add(row.due_date + dt.timedelta(days=g + 1))
    dates.add(max(e.date for e in events) + dt.timedelta(days=40))
    return sorted(d for d in dates if d >= model.start)


def build(case: Case, events: list[Event], model: ReferenceModel) -> tuple[Loan, list[Event]]:
    """Add the events one at a time; skip what the library refuses, checking the model agrees.

    Raises ``Disagreement`` when the library and the model differ on a refusal.
    """
    terms = make_terms(case)
    try:
        loan = Loan(terms, "L1", policy=make_policy(case)).add(library_event(events[0]))
    except Exception as exc:  # the model accepts every in-scope policy (Policy section)
        raise Disagreement(case.start, {"policy": ("accepts", f"refuses: {exc!r}")}) from exc
    accepted: list[Event] = [events[0]]
    for e in events[1:]:
        try:
            loan = loan.add(library_event(e))  # type: ignore[arg-type]
        except LoanMathError as exc:
            if model.refusal(accepted, e) is None:  # e.g. C12: a refused waiver is above owed
                where = {f"refusal of {e.id}": ("accepts", f"refuses: {exc}")}
                raise Disagreement(e.date, where) from exc
            continue
        why = model.refusal(accepted, e)
        if why is not None:
            raise Disagreement(e.date, {f"refusal of {e.id}": (f"refuses: {why}", "accepts")})
        accepted.append(e)
    return loan, accepted


def run_case(case: Case, events: list[Event]) -> Mismatch | None:
    """Build the loan one event at a time and compare; the first disagreement, or None."""
    model = make_model(case, make_terms(case))
    try:
        loan, accepted = build(case, events, model)
    except Disagreement as d:
        return d.mismatch
    for on in query_dates(model, accepted):
        mine = model.state(accepted, on)  # the history was checked event by event
        try:
            theirs = library_state(loan, on)
        except Exception as exc:  # a crash is a disagreement too
            return Mismatch(on, {"state": ("a state", f"raises {exc!r}")})
        diff = {n: (mine[n], theirs[n]) for n in FIELDS if mine[n] != theirs[n]}
        if diff:
            return Mismatch(on, diff)
    return None


def shrink(case: Case, events: list[Event], budget_s: float) -> tuple[list[Event], Mismatch]:
    """Drop events one at a time while the history still fails (within a time budget)."""
    failure = run_case(case, events)
    assert failure is not None
    deadline = time.monotonic() + budget_s
    changed = True
    while changed and time.monotonic() < deadline:
        changed = False
        for e in list(events):
            if e.kind == "disbursement" or time.monotonic() > deadline:
                continue
            trial = [x for x in events if x is not e]
            again = run_case(case, trial)
            if again is not None:
                events, failure, changed = trial, again, True
    return events, failure


@pytest.mark.parametrize("seed", range(N_EXAMPLES))
def test_library_agrees_with_reference_model(seed: int) -> None:
    case = gen_case(seed)
    failure = run_case(case, case.events)
    if failure is None:
        return
    report = [
        f"seed {seed}: the library disagrees with the reference model (docs/servicing.md)",
        failure.describe(),
        "--- reproduction ---",
        case_src(case, case.events, failure.on),
    ]
    shrunk, small = shrink(case, list(case.events), SHRINK_BUDGET_S)
    report += [
        f"--- shrunk: {len(shrunk)} of {len(case.events)} events ---",
        small.describe(),
        case_src(case, shrunk, small.on),
    ]
    pytest.fail("\n".join(report), pytrace=False)
