"""Audit tapes for ``tests/test_audit.py``: generated loans, their system of record, and planted
differences and bad rows.

The system of record — what a correct audit recomputes — comes from the independent reference
model ``tests/servicing_reference.py`` (written from docs/servicing.md alone), never from
``loanmath.audit`` or ``loanmath.servicing``. ``loanmath`` is used only for what servicing takes
as given: the contract's schedule (``LoanTerms.schedule``, rule "the schedule is an input to
servicing"), exactly as ``tests/test_servicing_differential.py`` does.

A tape is two tables of text cells, as docs/audit.md describes them: ``contracts`` (one row per
loan) and ``events`` (one row per event). Every generated history is one the reference model
accepts: one whole disbursement on the start date, then on-time, early, late, partial and
missed repayments, fee charges, waivers (never above what is owed on their date), bounced
payments (reversals of repayments, paid again), reminders, contacts and a few write-offs with
a recovery. All events are dated on or before ``AS_OF``; loans are CNY annuities.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from servicing_reference import (
    Event,
    Policy,
    ReferenceModel,
    Row,
    contract_from,
    from_units,
    rows_from_schedule,
    to_units,
)

from loanmath import Fee, LoanTerms, Money
from loanmath import caps as _caps

AS_OF = dt.date(2025, 3, 1)

CONTRACT_COLUMNS = (
    "loan_id",
    "currency",
    "principal",
    "annual_rate",
    "term",
    "method",
    "frequency",
    "start_date",
    "first_due_date",
    "day_count",
    "upfront_fee",
    "financed_fee",
    "periodic_fee",
    "penalty_multiple",
    "penalty_rate",
    "penalty_grace_days",
    "late_fee",
    "caps",
)
EVENT_COLUMNS = (
    "loan_id",
    "event_id",
    "date",
    "type",
    "amount",
    "component",
    "target",
    "name",
    "channel",
)
MONEY_FIELDS = (
    "outstanding_principal",
    "principal_due",
    "interest_due",
    "fees_due",
    "penalty_due",
    "total_due",
    "paid_total",
)
#: The recomputed fields a record carries (``written_off`` left out: a record's bool spelling
#: is not part of the spec).
RECORD_FIELDS = (*MONEY_FIELDS, "dpd", "bucket")
RECOMPUTED_COLUMNS = (
    "loan_id",
    "as_of",
    *MONEY_FIELDS,
    "dpd",
    "bucket",
    "written_off",
    "status",
    "error",
)
DIFFERENCE_COLUMNS = ("loan_id", "field", "recomputed", "recorded", "difference")
ERROR_COLUMNS = ("file", "row", "loan_id", "event_id", "field", "value", "message")
OUTPUT_FILES = ("recomputed", "differences", "errors", "summary")
EVENT_TYPES = (
    "disbursement",
    "repayment",
    "fee",
    "waiver",
    "writeoff",
    "reversal",
    "reminder",
    "contact",
)
CHANNELS = ("bank", "alipay", "wechat", "")


# --- the tape --------------------------------------------------------------------------------


@dataclass
class Tape:
    """Rows of text cells, in file order (``contracts[i]`` is on line ``i + 2`` of its CSV)."""

    contracts: list[dict[str, str]]
    events: list[dict[str, str]]

    def copy(self) -> Tape:
        return copy.deepcopy(self)

    @property
    def loan_ids(self) -> list[str]:
        return [c["loan_id"] for c in self.contracts]

    def contract(self, loan_id: str) -> dict[str, str]:
        return next(c for c in self.contracts if c["loan_id"] == loan_id)

    def events_of(self, loan_id: str) -> list[dict[str, str]]:
        return [e for e in self.events if e["loan_id"] == loan_id]

    def without(self, loan_ids: Iterable[str]) -> Tape:
        """The tape without the rows of `loan_ids`."""
        drop = set(loan_ids)
        return Tape(
            [c for c in self.contracts if c["loan_id"] not in drop],
            [e for e in self.events if e["loan_id"] not in drop],
        )

    def contract_line(self, row: dict[str, str]) -> int:
        return _line(self.contracts, row)

    def event_line(self, row: dict[str, str]) -> int:
        return _line(self.events, row)

    def write(
        self, directory: Path, contracts: str = "contracts.csv", events: str = "events.csv"
    ) -> tuple[Path, Path]:
        """Write both tables as CSV (header on line 1) and return their paths."""
        directory.mkdir(parents=True, exist_ok=True)
        c, e = directory / contracts, directory / events
        write_csv(c, CONTRACT_COLUMNS, self.contracts)
        write_csv(e, EVENT_COLUMNS, self.events)
        return c, e

    def frames(self) -> tuple[object, object]:
        """Both tables as pandas DataFrames of strings."""
        import pandas as pd

        return (
            pd.DataFrame(self.contracts, columns=list(CONTRACT_COLUMNS), dtype=str),
            pd.DataFrame(self.events, columns=list(EVENT_COLUMNS), dtype=str),
        )


def _line(rows: list[dict[str, str]], row: dict[str, str]) -> int:
    """The CSV line number of `row` (by identity): the header is line 1."""
    return next(i for i, r in enumerate(rows) if r is row) + 2


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in columns})
    return path


# --- contracts -------------------------------------------------------------------------------


def terms_of(contract: dict[str, str], *, start: dt.date | None = None) -> LoanTerms:
    """The contract row as ``LoanTerms`` (the keywords of the same names)."""
    kw: dict[str, object] = {}
    for key in ("method", "frequency", "day_count"):
        if contract.get(key):
            kw[key] = contract[key]
    if contract.get("first_due_date"):
        kw["first_due_date"] = dt.date.fromisoformat(contract["first_due_date"])
    fees = []
    for timing in ("upfront", "financed", "periodic"):
        if contract.get(f"{timing}_fee"):
            fees.append(Fee(timing, timing, amount=contract[f"{timing}_fee"]))
    if fees:
        kw["fees"] = tuple(fees)
    for key in ("penalty_multiple", "penalty_rate", "late_fee"):
        if contract.get(key):
            kw[key] = contract[key]
    if contract.get("penalty_grace_days"):
        kw["penalty_grace_days"] = int(contract["penalty_grace_days"])
    if contract.get("caps"):
        kw["caps"] = tuple(getattr(_caps, name) for name in contract["caps"].split(";"))
    return LoanTerms(
        Money(contract["principal"], contract["currency"]),
        contract["annual_rate"],
        int(contract["term"]),
        start_date=start or dt.date.fromisoformat(contract["start_date"]),
        **kw,  # type: ignore[arg-type]
    )


def reference_model(contract: dict[str, str]) -> ReferenceModel:
    """The reference model of the contract under the default ``ServicingPolicy()``."""
    terms = terms_of(contract)
    return ReferenceModel(
        rows_from_schedule(terms.schedule.installments),
        terms.start_date,
        Fraction(Decimal(str(terms.annual_rate))),
        contract_from(terms.overdue),
        Policy(),  # hold, period accrual, oldest first, penalty -> fees -> interest -> principal
    )


def _contract(rng: random.Random, loan_id: str) -> dict[str, str]:
    start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(300))
    c = dict.fromkeys(CONTRACT_COLUMNS, "")
    cents = rng.choice(["", ".00", ".00", ".50", f".{rng.randrange(100):02d}"])
    rate = rng.choice(["0.0725", "0.12", "0.12", "0.15", "0.18", "0.2399"])
    c.update(
        loan_id=loan_id,
        currency="CNY",
        principal=f"{rng.randrange(5, 300) * 100}{cents}",
        annual_rate=rate,
        term=str(rng.choice([3, 6, 6, 9, 12, 12])),
        start_date=start.isoformat(),
    )
    if rng.random() < 0.8:  # otherwise left to the defaults
        c["method"], c["frequency"] = "annuity", "monthly"
    if rng.random() < 0.15:
        c["day_count"] = rng.choice(["ACT/365F", "ACT/360"])
    if rng.random() < 0.1:  # an odd first period
        c["first_due_date"] = (start + dt.timedelta(days=rng.choice([36, 40, 45]))).isoformat()
    if rng.random() < 0.2:
        c["periodic_fee"] = rng.choice(["5.00", "12.50"])
    if rng.random() < 0.3:  # a few with agreed overdue terms: x or + the contract rate
        if rng.random() < 0.7:
            c["penalty_multiple"] = rng.choice(["1.3", "1.5"])
        else:
            c["penalty_rate"] = rng.choice(["0.05", "0.06"])  # the margin (LoanTerms keyword)
        if rng.random() < 0.5:
            c["penalty_grace_days"] = rng.choice(["3", "5"])
        if rng.random() < 0.5:
            c["late_fee"] = rng.choice(["20.00", "8.88"])
    if (
        not c["periodic_fee"]
        and not c["penalty_rate"]
        and Decimal(rate) <= Decimal("0.18")
        and rng.random() < 0.25
    ):
        c["caps"] = "CN_COMPREHENSIVE_36"  # within the cap: no effect on servicing
    return c


# --- histories -------------------------------------------------------------------------------


class _Ids:
    def __init__(self, loan_id: str) -> None:
        self.loan_id = loan_id
        self.n: dict[str, int] = {}

    def __call__(self, prefix: str) -> str:
        self.n[prefix] = self.n.get(prefix, 0) + 1
        return f"{self.loan_id}-{prefix}{self.n[prefix]}"


PAYMENT_STYLES = {
    "good": ("on_time", "on_time", "on_time", "early"),
    "late": ("on_time", "late", "late", "skip_then_catch_up"),
    "partial": ("on_time", "partial", "partial", "late"),
}


class _History:
    """Builds one loan's reference events, sorted by date, that the model accepts."""

    def __init__(
        self, rng: random.Random, loan_id: str, model: ReferenceModel, as_of: dt.date
    ) -> None:
        self.rng, self.model, self.as_of = rng, model, as_of
        self.start, self.rows = model.start, model.rows
        self.new_id = _Ids(loan_id)
        self.body: list[Event] = []
        last = min(as_of, self.rows[-1].due_date + dt.timedelta(days=60))
        self.span = max(1, (last - self.start).days)

    def add(self, kind: str, day: dt.date, **kw: object) -> None:
        prefix = {"repayment": "P", "reminder": "M", "contact": "C"}.get(kind, kind[0].upper())
        self.body.append(Event(kind, self.new_id(prefix), day, **kw))  # type: ignore[arg-type]

    def pay(self, day: dt.date, units: int) -> None:
        day = max(day, self.start)
        if day <= self.as_of and units > 0:
            self.add("repayment", day, amount=units)

    def some_day(self) -> dt.date:
        return self.start + dt.timedelta(days=self.rng.randint(1, self.span))

    def instalment(self, row: Row, style: str) -> None:
        rng, due_date = self.rng, row.due_date
        due = row.principal + row.interest + row.fees
        if style == "on_time":
            self.pay(due_date - dt.timedelta(days=rng.choice([0, 0, 1, 3])), due)
        elif style == "early":
            self.pay(due_date - dt.timedelta(days=rng.randint(8, 20)), due)
        elif style == "late":
            extra = rng.choice([0, due // 100, 500])
            self.pay(due_date + dt.timedelta(days=rng.randint(1, 45)), due + extra)
        elif style == "partial":
            part = due * rng.randint(30, 90) // 100
            self.pay(due_date + dt.timedelta(days=rng.randint(-2, 5)), part)
            if rng.random() < 0.5:
                self.pay(due_date + dt.timedelta(days=rng.randint(20, 60)), due // 2)
        else:  # skipped, caught up with the next instalment
            self.pay(due_date + dt.timedelta(days=rng.randint(31, 40)), 2 * due + 1000)
        if rng.random() < 0.15:
            self.add("reminder", max(self.start, due_date - dt.timedelta(days=3)))

    def write_off(self, k: int) -> None:
        when = self.rows[k].due_date + dt.timedelta(days=self.rng.randint(60, 120))
        if when <= self.as_of:
            self.add("writeoff", when)
            self.pay(when + dt.timedelta(days=self.rng.randint(5, 30)), 5000)  # a recovery

    def servicing(self) -> None:
        """Fee charges, waivers (amounts resolved later) and bounced payments paid again."""
        rng = self.rng
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            self.add("fee", self.some_day(), amount=to_units("30.00"))
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            component = rng.choice(["penalty", "penalty", "fees", "interest"])
            self.add("waiver", self.some_day(), component=component)
        for p in [e for e in self.body if e.kind == "repayment" and rng.random() < 0.08]:
            bounced = p.date + dt.timedelta(days=rng.randint(1, 4))
            if bounced <= self.as_of:
                self.add("reversal", bounced, target=p.id)
                if rng.random() < 0.7:
                    self.pay(bounced + dt.timedelta(days=2), p.amount)

    def build(self, profile: str) -> list[Event]:
        rng, rows = self.rng, self.rows
        stop = rng.randrange(1, 4) if profile in {"delinquent", "writeoff"} else len(rows)
        for row in rows[:stop]:
            if row.due_date <= self.as_of:
                self.instalment(row, rng.choice(PAYMENT_STYLES.get(profile, ("on_time",))))
        if profile == "writeoff":
            self.write_off(min(stop, len(rows) - 1))
        else:
            self.servicing()
        for _ in range(rng.choice([0, 0, 1])):
            self.add("contact", self.some_day())
        body = sorted((e for e in self.body if e.date <= self.as_of), key=lambda e: e.date)
        history = [Event("disbursement", self.new_id("D"), self.start), *body]
        return _resolve_waivers(rng, self.model, history)


def _resolve_waivers(
    rng: random.Random, model: ReferenceModel, history: list[Event]
) -> list[Event]:
    """Give each waiver an amount at most what the model says is owed at its place (C12)."""
    kept: list[Event] = []
    for e in history:
        if e.kind != "waiver":
            kept.append(e)
            continue
        owed = model.waivable(kept, e.date, e.component)
        if owed > 0:
            share = owed if rng.random() < 0.4 else max(1, owed // 3)
            kept.append(replace(e, amount=share))
    return kept


def event_row(loan_id: str, e: Event, rng: random.Random | None = None) -> dict[str, str]:
    row = dict.fromkeys(EVENT_COLUMNS, "")
    row.update(loan_id=loan_id, event_id=e.id, date=e.date.isoformat(), type=e.kind)
    if e.kind in {"repayment", "fee", "waiver"}:
        row["amount"] = str(from_units(e.amount))
    if e.kind == "waiver":
        row["component"] = e.component
    if e.kind == "reversal":
        row["target"] = e.target
    if e.kind == "fee":
        row["name"] = "statement"
    if e.kind == "repayment" and rng is not None:
        row["channel"] = rng.choice(CHANNELS)
    if e.kind == "contact":
        row["channel"] = "phone"
    return row


def reference_events(rows: Iterable[dict[str, str]]) -> list[Event]:
    """Event rows (text) back as reference events, in recorded order."""
    return [
        Event(
            r["type"],
            r["event_id"],
            dt.date.fromisoformat(r["date"]),
            amount=to_units(r["amount"]) if r.get("amount") else 0,
            component=r.get("component", ""),
            target=r.get("target", ""),
        )
        for r in rows
    ]


PROFILES = ("good", "late", "partial", "delinquent", "writeoff")


def generate(n_loans: int = 60, *, seed: int = 20250301, as_of: dt.date = AS_OF) -> Tape:
    """`n_loans` CNY annuity loans (``L0001``…) with histories the reference model accepts."""
    rng = random.Random(seed)
    contracts: list[dict[str, str]] = []
    events: list[dict[str, str]] = []
    for i in range(n_loans):
        loan_id = f"L{i + 1:04d}"
        contract = _contract(rng, loan_id)
        model = reference_model(contract)
        profile = "writeoff" if i % 20 == 7 else rng.choices(PROFILES[:4], [45, 25, 20, 10])[0]
        history = _History(rng, loan_id, model, as_of).build(profile)
        model.state(history, as_of)  # raises Refused if the generator made a bad history
        contracts.append(contract)
        events += [event_row(loan_id, e, rng) for e in history]
    return Tape(contracts, events)


def interleave(tape: Tape, seed: int = 1) -> Tape:
    """The same tape with the event rows of different loans shuffled together (each loan's
    own rows keep their order): another partition of the same history."""
    rng = random.Random(seed)
    queues = {loan_id: tape.events_of(loan_id) for loan_id in tape.loan_ids}
    order = [loan_id for loan_id, rows in queues.items() for _ in rows]
    rng.shuffle(order)
    events = [queues[loan_id].pop(0) for loan_id in order]
    contracts = list(reversed(tape.contracts))
    return Tape(copy.deepcopy(contracts), copy.deepcopy(events))


# --- the system of record --------------------------------------------------------------------


def reference_state(
    contract: dict[str, str], rows: Iterable[dict[str, str]], as_of: dt.date = AS_OF
) -> dict[str, str | int | bool]:
    """The recomputed fields of one loan, from the reference model (money as exact text)."""
    s = reference_model(contract).state(reference_events(rows), as_of)
    due = ("principal_due", "interest_due", "fees_due", "penalty_due")
    out: dict[str, str | int | bool] = {
        "outstanding_principal": str(s["outstanding_principal"]),
        **{k: str(s[k]) for k in due},
        "total_due": str(sum((s[k] for k in due), Decimal("0.00"))),
        "paid_total": str(s["paid"]),
        "dpd": int(s["dpd"]),
        "bucket": str(s["bucket"]),
        "written_off": bool(s["written_off"]),
    }
    return out


def reference_record(tape: Tape, as_of: dt.date = AS_OF) -> dict[str, dict[str, str | int | bool]]:
    """loan_id -> the recomputed fields of every loan of `tape`."""
    return {
        c["loan_id"]: reference_state(c, tape.events_of(c["loan_id"]), as_of)
        for c in tape.contracts
    }


def record_rows(record: dict[str, dict[str, str | int | bool]]) -> list[dict[str, str]]:
    """The record as rows of text: ``loan_id`` and ``RECORD_FIELDS``."""
    return [
        {"loan_id": loan_id, **{k: str(fields[k]) for k in RECORD_FIELDS}}
        for loan_id, fields in record.items()
    ]


# --- planted differences ---------------------------------------------------------------------


@dataclass(frozen=True)
class Planted:
    """One expected row of ``differences``."""

    loan_id: str
    field: str
    recomputed: str
    recorded: str
    delta: Decimal | None = None  # recorded − recomputed; None for a loan on one side only


#: (field, recorded − recomputed) planted on one loan each, in order.
CHANGES: tuple[tuple[str, str], ...] = (
    ("outstanding_principal", "0.01"),
    ("interest_due", "-0.01"),
    ("interest_due", "1.00"),
    ("principal_due", "100.00"),
    ("fees_due", "0.50"),
    ("penalty_due", "0.01"),
    ("total_due", "-0.01"),
    ("paid_total", "10.00"),
    ("dpd", "3"),
)


@dataclass
class PlantedRecord:
    rows: list[dict[str, str]]
    planted: list[Planted] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the tape, not in the record
    extra: list[str] = field(default_factory=list)  # in the record only


def plant_differences(
    record: dict[str, dict[str, str | int | bool]], seed: int = 11
) -> PlantedRecord:
    """The record with changed fields (one per loan, and two on one loan), loans dropped, and
    loans added that the tape does not have. A change never makes a field negative."""
    rng = random.Random(seed)
    rows = {r["loan_id"]: r for r in record_rows(record)}
    pool = sorted(record)
    rng.shuffle(pool)
    out = PlantedRecord(rows=[])

    def fits(loan_id: str, name: str, delta: str) -> bool:
        return Decimal(rows[loan_id][name]) + Decimal(delta) >= 0

    plan: list[tuple[str, str, str]] = []
    for name, delta in CHANGES:
        loan_id = next(x for x in pool if fits(x, name, delta))
        pool.remove(loan_id)
        plan.append((loan_id, name, delta))
    double = pool.pop()
    plan += [(double, "outstanding_principal", "250.00"), (double, "dpd", "1")]
    for loan_id, name, delta in plan:
        was = rows[loan_id][name]
        now = str(int(was) + int(delta)) if name == "dpd" else str(Decimal(was) + Decimal(delta))
        rows[loan_id][name] = now
        out.planted.append(Planted(loan_id, name, was, now, Decimal(delta)))
    for loan_id in sorted(pool[:3]):
        del rows[loan_id]
        out.missing.append(loan_id)
        out.planted.append(Planted(loan_id, "loan", "present", "missing"))
    for loan_id in ("L9001", "L9002"):
        rows[loan_id] = {"loan_id": loan_id, **dict.fromkeys(RECORD_FIELDS, "0.00")}
        rows[loan_id].update(dpd="0", bucket="M0", outstanding_principal="5000.00")
        out.extra.append(loan_id)
        out.planted.append(Planted(loan_id, "loan", "missing", "present"))
    out.rows = list(rows.values())
    return out


def write_record(path: Path, rows: Iterable[dict[str, str]]) -> Path:
    return write_csv(path, ("loan_id", *RECORD_FIELDS), rows)


# --- planted bad rows ------------------------------------------------------------------------


@dataclass(frozen=True)
class BadRow:
    """One expected row of ``errors``; ``row`` is the line number in its CSV (header = 1)."""

    file: str
    row: int
    loan_id: str
    event_id: str
    field: str


def _add_after(tape: Tape, loan_id: str, new: dict[str, str]) -> dict[str, str]:
    """Insert `new` right after the last event row of `loan_id`."""
    last = max(i for i, e in enumerate(tape.events) if e["loan_id"] == loan_id)
    tape.events.insert(last + 1, new)
    return new


def _new_event(loan_id: str, event_id: str, **cells: str) -> dict[str, str]:
    row = dict.fromkeys(EVENT_COLUMNS, "")
    row.update(loan_id=loan_id, event_id=event_id, **cells)
    return row


def plant_bad_rows(
    tape: Tape, contracts_file: str = "contracts.csv", events_file: str = "events.csv"
) -> tuple[Tape, list[BadRow]]:
    """A copy of `tape` with one bad row in each of the first eight loans (by position):

    unknown event type, float-trace money, exponent money (events), a bad date, an unknown
    currency (contract), a reversal of an unknown id, a duplicated event id (the later row,
    other content), and exponent money in a contract's principal.
    """
    t = tape.copy()
    ids = t.loan_ids
    planted: list[tuple[str, dict[str, str], str]] = []  # (file kind, row, field)

    def add(loan_id: str, field_: str, **cells: str) -> None:
        row = _add_after(t, loan_id, _new_event(loan_id, f"{loan_id}-BAD", **cells))
        planted.append(("events", row, field_))

    add(ids[0], "type", date="2025-01-05", type="refund", amount="10.00")
    add(ids[1], "amount", date="2025-01-05", type="repayment", amount="104.13000000000001")
    add(ids[2], "amount", date="2025-01-05", type="repayment", amount="1e2")
    add(ids[3], "date", date="2024-02-30", type="repayment", amount="50.00")
    contract = t.contract(ids[4])
    contract["currency"] = "XYZ"
    planted.append(("contracts", contract, "currency"))
    add(ids[5], "target", date="2025-01-05", type="reversal", target=f"{ids[5]}-P999")
    first_payment = next(e for e in t.events_of(ids[6]) if e["type"] == "repayment")
    duplicate = _new_event(
        ids[6], first_payment["event_id"], date="2025-01-06", type="repayment", amount="77.00"
    )
    _add_after(t, ids[6], duplicate)
    planted.append(("events", duplicate, "event_id"))
    contract = t.contract(ids[7])
    contract["principal"] = "1.2e4"
    planted.append(("contracts", contract, "principal"))
    expected = [
        BadRow(
            contracts_file if kind == "contracts" else events_file,
            t.contract_line(row) if kind == "contracts" else t.event_line(row),
            row["loan_id"],
            "" if kind == "contracts" else row["event_id"],
            field_,
        )
        for kind, row, field_ in planted
    ]
    return t, expected


# --- a foreign tape and its mapping ----------------------------------------------------------

FOREIGN_CONTRACT_COLUMNS = {
    "loan_id": "LoanNumber",
    "currency": "Ccy",
    "principal": "FaceAmount",
    "annual_rate": "NominalRate",
    "term": "Tenor",
    "method": "AmortType",
    "frequency": "PayFreq",
    "start_date": "ContractDate",
    "first_due_date": "FirstDue",
    "day_count": "Basis",
    "upfront_fee": "FeeUpfront",
    "financed_fee": "FeeFinanced",
    "periodic_fee": "FeeMonthly",
    "penalty_multiple": "DefaultMult",
    "penalty_rate": "DefaultMargin",
    "penalty_grace_days": "GraceDays",
    "late_fee": "LateCharge",
    "caps": "Caps",
}
FOREIGN_EVENT_COLUMNS = {
    "loan_id": "LoanNumber",
    "event_id": "TxnId",
    "date": "PostDate",
    "type": "TxnCode",
    "amount": "TxnAmount",
    "component": "WaiveOf",
    "target": "ReversesTxn",
    "name": "FeeName",
    "channel": "Channel",
}
FOREIGN_TYPES = {
    "DISB": "disbursement",
    "PMT": "repayment",
    "FEE": "fee",
    "WAIV": "waiver",
    "CHGOFF": "writeoff",
    "NSF": "reversal",
    "RMD": "reminder",
    "CALL": "contact",
}
FOREIGN_DATE_FORMAT = "%d/%m/%Y"


def foreign_mapping() -> dict[str, object]:
    """The mapping of the foreign tape (keys: loanmath's column = the tape's column)."""
    return {
        "contracts": {"columns": dict(FOREIGN_CONTRACT_COLUMNS)},
        "events": {"columns": dict(FOREIGN_EVENT_COLUMNS), "types": dict(FOREIGN_TYPES)},
        "dates": {"format": FOREIGN_DATE_FORMAT},
    }


def foreign_mapping_toml() -> str:
    def table(name: str, pairs: dict[str, str]) -> list[str]:
        return [f"[{name}]", *(f'{k} = "{v}"' for k, v in pairs.items()), ""]

    lines = table("contracts.columns", FOREIGN_CONTRACT_COLUMNS)
    lines += table("events.columns", FOREIGN_EVENT_COLUMNS)
    lines += table("events.types", FOREIGN_TYPES)
    lines += table("dates", {"format": FOREIGN_DATE_FORMAT})
    return "\n".join(lines)


def _foreign_date(text: str) -> str:
    return dt.date.fromisoformat(text).strftime(FOREIGN_DATE_FORMAT) if text else ""


def write_foreign(tape: Tape, directory: Path) -> tuple[Path, Path]:
    """The tape in the foreign layout: other column names (in another order), event codes,
    dates as dd/mm/yyyy."""
    directory.mkdir(parents=True, exist_ok=True)
    codes = {v: k for k, v in FOREIGN_TYPES.items()}
    contracts = []
    for c in tape.contracts:
        row = dict(c)
        for key in ("start_date", "first_due_date"):
            row[key] = _foreign_date(row[key])
        contracts.append({FOREIGN_CONTRACT_COLUMNS[k]: v for k, v in row.items()})
    events = []
    for e in tape.events:
        row = dict(e, date=_foreign_date(e["date"]), type=codes[e["type"]])
        events.append({FOREIGN_EVENT_COLUMNS[k]: v for k, v in row.items()})
    c_cols = sorted(FOREIGN_CONTRACT_COLUMNS.values())
    e_cols = sorted(FOREIGN_EVENT_COLUMNS.values())
    return (
        write_csv(directory / "LOANS_EXPORT.csv", c_cols, contracts),
        write_csv(directory / "TXN_EXPORT.csv", e_cols, events),
    )
