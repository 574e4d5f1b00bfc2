"""Acceptance tests of ``loanmath.audit`` and ``loanmath audit`` (docs/audit.md).

The expected balances are the system of record computed by the independent reference model
(``tests/servicing_reference.py``, via ``tests/audit_tapes.py``) — never by ``loanmath.audit`` or
``loanmath.servicing``. Each test plants something known into a generated tape (differences,
bad rows, another layout, a hostile decimal context, a late funding) and checks that the
audit reports exactly that: nothing else, nothing missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from audit_checks import (
    MONEY_CNY,
    Record,
    arrow_table,
    error_keys,
    mismatches,
    same_amount,
    statuses,
    write_jsonl,
)
from audit_tapes import (
    AS_OF,
    DIFFERENCE_COLUMNS,
    ERROR_COLUMNS,
    EVENT_COLUMNS,
    EVENT_TYPES,
    MONEY_FIELDS,
    RECOMPUTED_COLUMNS,
    RECORD_FIELDS,
    PlantedRecord,
    Tape,
    generate,
    record_rows,
    reference_record,
    terms_of,
    write_record,
)

import loanmath
from loanmath.audit import audit

# --- 1. planted differences ------------------------------------------------------------------


def test_the_tape_exercises_the_rules(tape60: Tape, reference60: Record) -> None:
    """The generated tape is not degenerate: every kind of event and balance occurs."""
    kinds = {e["type"] for e in tape60.events}
    assert kinds == set(EVENT_TYPES)
    for column in ("penalty_multiple", "penalty_rate", "penalty_grace_days", "late_fee",
                   "periodic_fee", "day_count", "first_due_date", "caps"):  # fmt: skip
        assert any(c[column] for c in tape60.contracts), column
    fields = list(reference60.values())
    for name in ("penalty_due", "fees_due", "interest_due", "principal_due"):
        assert sum(Decimal(str(f[name])) > 0 for f in fields) >= 3, name
    assert any(f["written_off"] for f in fields)
    assert len({f["bucket"] for f in fields}) >= 5
    assert sum(f["dpd"] == 0 for f in fields) >= 10


def test_recomputed_equals_the_reference_model(audited60: Any, reference60: Record) -> None:
    result = audited60[0]
    assert list(result.recomputed.columns) == list(RECOMPUTED_COLUMNS)
    assert list(result.recomputed["loan_id"]) == sorted(reference60)
    assert set(statuses(result).values()) == {"ok"}
    assert set(result.recomputed["error"]) == {""}
    assert mismatches(result, reference60) == []


def test_money_is_exact_text_at_the_minor_unit(audited60: Any) -> None:
    """Money cells are exact decimal strings like "1200.00": CNY's two decimals, every one."""
    result = audited60[0]
    cells = [
        (r["loan_id"], name, r[name])
        for r in result.recomputed.to_dict("records")
        for name in MONEY_FIELDS
    ]
    cells += [
        (r["loan_id"], r["field"], r[side])
        for r in result.differences.to_dict("records")
        if r["field"] in MONEY_FIELDS
        for side in ("recomputed", "recorded")
    ]
    wrong = [c for c in cells if not (isinstance(c[2], str) and MONEY_CNY.fullmatch(c[2]))]
    assert wrong == [], f"{len(wrong)} of {len(cells)} money cells, e.g. {wrong[:5]}"


def test_planted_differences_are_found_exactly(
    audited60: Any, planted60: PlantedRecord, reference60: Record
) -> None:
    result = audited60[0]
    assert result.errors.empty
    diffs = result.differences
    assert list(diffs.columns) == list(DIFFERENCE_COLUMNS)
    assert list(diffs["loan_id"]) == sorted(diffs["loan_id"])
    found = {(r["loan_id"], r["field"]): r for r in diffs.to_dict("records")}
    expected = {(p.loan_id, p.field): p for p in planted60.planted}
    assert len(found) == len(diffs), "a (loan, field) is reported twice"
    assert sorted(found) == sorted(expected), (
        f"unexpected: {sorted(set(found) - set(expected))}; "
        f"missed: {sorted(set(expected) - set(found))}"
    )
    for key, p in expected.items():
        row = found[key]
        if p.delta is None or p.field == "dpd":
            assert (row["recomputed"], row["recorded"]) == (p.recomputed, p.recorded), key
        else:  # the amounts; their spelling is test_money_is_exact_text's
            assert same_amount(row["recomputed"], p.recomputed), (key, row["recomputed"])
            assert same_amount(row["recorded"], p.recorded), (key, row["recorded"])
        if p.delta is None:  # a loan on one side only
            assert row["difference"] == "", key
        else:  # docs/audit.md: recomputed - recorded (p.delta is recorded - recomputed)
            assert Decimal(row["difference"]) == -p.delta, (key, row["difference"])
    assert result.exit_status == 1


def test_summary_counts_totals_and_inputs(
    audited60: Any, planted60: PlantedRecord, reference60: Record
) -> None:
    result, contracts, events, record = audited60
    summary = result.summary
    text = json.dumps(summary)  # JSON-serialisable
    counts = summary["counts"]
    assert counts["loans"] == 60
    assert counts["recomputed"] == 60
    assert counts["in_error"] == 0
    assert counts["differing"] == len({p.loan_id for p in planted60.planted})
    for path in (contracts, events, record):  # input SHA-256 per file
        assert hashlib.sha256(path.read_bytes()).hexdigest() in text, path.name
    assert loanmath.__version__ in text
    # key names below ("totals", "buckets", "par") are not in the spec: as the audit names them
    for name in MONEY_FIELDS:  # totals per money field, to the cent
        total = sum(Decimal(str(fields[name])) for fields in reference60.values())
        assert Decimal(summary["totals"][name]) == total, name
    for bucket in {str(f["bucket"]) for f in reference60.values()}:
        loans = [f for f in reference60.values() if f["bucket"] == bucket]
        assert summary["buckets"][bucket]["count"] == len(loans), bucket
        outstanding = sum(Decimal(str(f["outstanding_principal"])) for f in loans)
        assert Decimal(summary["buckets"][bucket]["outstanding_principal"]) == outstanding
    assert sum(b["count"] for b in summary["buckets"].values()) == 60
    # PAR-k: the share of outstanding principal more than k days past due (loanmath.ageing)
    book = sum(Fraction(str(f["outstanding_principal"])) for f in reference60.values())
    for k in (30, 60, 90):
        late = sum(
            Fraction(str(f["outstanding_principal"]))
            for f in reference60.values()
            if int(f["dpd"]) > k
        )
        assert abs(Fraction(summary["par"][f"par{k}"]) - late / book) <= Fraction(1, 10**6), k


def test_a_tolerance_hides_differences_within_it(audited60: Any, planted60: PlantedRecord) -> None:
    _, contracts, events, record = audited60
    result = audit(
        contracts, events, as_of=AS_OF, record=record, tolerances={"interest_due": Decimal("0.01")}
    )
    found = {(r["loan_id"], r["field"]) for r in result.differences.to_dict("records")}
    expected = {
        (p.loan_id, p.field)
        for p in planted60.planted
        if not (p.field == "interest_due" and p.delta is not None and abs(p.delta) <= 1 / 100)
    }
    assert len(expected) == len(planted60.planted) - 1
    assert found == expected


def test_an_exact_record_differs_nowhere(tmp_path: Path, tape60: Tape, reference60: Record) -> None:
    contracts, events = tape60.write(tmp_path)
    record = pd.DataFrame(record_rows(reference60), dtype=str)
    result = audit(contracts, events, as_of=AS_OF, record=record)
    assert result.differences.empty
    assert result.errors.empty
    assert result.exit_status == 0


# --- 2. planted bad rows ---------------------------------------------------------------------


def test_planted_bad_rows_are_reported_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad_tape: tuple[Tape, list[Any]]
) -> None:
    tape, planted = bad_tape
    tape.write(tmp_path)
    bad = [b.loan_id for b in planted]
    good = reference_record(tape.without(bad))
    # the record: exact for the good loans; junk for half the loans in error, the rest absent
    junk = [{"loan_id": c, **dict.fromkeys(MONEY_FIELDS, "1.00"), "dpd": "9", "bucket": "M1"}
            for c in bad[::2]]  # fmt: skip
    write_record(tmp_path / "record.csv", record_rows(good) + junk)
    monkeypatch.chdir(tmp_path)  # the file names as given are the bare names
    result = audit("contracts.csv", "events.csv", as_of=AS_OF, record="record.csv")
    assert list(result.errors.columns) == list(ERROR_COLUMNS)
    expected = sorted((b.file, b.row, b.loan_id, b.event_id, b.field) for b in planted)
    assert error_keys(result) == expected
    order = list(zip(result.errors["file"], result.errors["row"], strict=True))
    assert order == sorted(order)  # docs/audit.md: errors by file and row
    values = {(r["loan_id"], r["field"]): r["value"] for r in result.errors.to_dict("records")}
    assert values[(bad[1], "amount")] == "104.13000000000001"  # read as text, not as a float
    assert values[(bad[2], "amount")] == "1e2"
    assert values[(bad[7], "principal")] == "1.2e4"
    assert all(r["message"] for r in result.errors.to_dict("records"))
    assert statuses(result) == {c: "error" if c in bad else "ok" for c in sorted(tape.loan_ids)}
    in_error = result.recomputed[result.recomputed["status"] == "error"]
    assert all(in_error["error"] != "")
    for name in (*MONEY_FIELDS, "bucket"):  # not recomputed from a partial history
        assert set(in_error[name]) == {""}, name
    buckets = result.summary["buckets"]  # only loans recomputed have a bucket
    assert sum(b["count"] for b in buckets.values()) == len(tape.loan_ids) - len(bad)
    assert mismatches(result, good) == []
    assert result.differences.empty  # loans in error are left out of differences
    assert result.summary["counts"]["in_error"] == len(bad)
    assert result.summary["counts"]["recomputed"] == len(tape.loan_ids) - len(bad)
    assert result.exit_status == 1


def test_bad_rows_in_frames_are_named_by_table(bad_tape: tuple[Tape, list[Any]]) -> None:
    tape, planted = bad_tape
    contracts, events = tape.frames()
    result = audit(contracts, events, as_of=AS_OF)
    got = sorted(
        (r["file"], int(r["row"]), r["loan_id"], r["event_id"], r["field"])
        for r in result.errors.to_dict("records")
    )
    # docs/audit.md: for a table, the row's position from 1 (its CSV line less the header)
    expected = sorted(
        (b.file.removesuffix(".csv"), b.row - 1, b.loan_id, b.event_id, b.field) for b in planted
    )
    assert got == expected


@pytest.mark.parametrize("workers", [1, 2])
def test_an_event_of_no_contract_is_reported(tmp_path: Path, workers: int) -> None:
    tape = generate(4, seed=5)
    orphan = dict.fromkeys(EVENT_COLUMNS, "")
    orphan.update(
        loan_id="L7777", event_id="L7777-P1", date="2024-06-01", type="repayment", amount="10.00"
    )
    tape.events.insert(3, orphan)
    contracts, events = tape.write(tmp_path)
    result = audit(contracts, events, as_of=AS_OF, workers=workers)
    rows = [(r["row"], r["loan_id"], r["event_id"]) for r in result.errors.to_dict("records")]
    assert rows == [(5, "L7777", "L7777-P1")]
    assert set(statuses(result).values()) == {"ok"}
    assert result.exit_status == 1


def refused_tape() -> tuple[Tape, list[dict[str, str]]]:
    """Six loans each with one event servicing refuses (docs/servicing.md C1, C12-C15,
    "Funded late"), and the refused rows."""
    tape = generate(10, seed=31)
    ids = tape.loan_ids
    planted: list[dict[str, str]] = []

    def event(loan_id: str, event_id: str, day: dt.date, kind: str, **cells: str) -> dict:
        row = dict.fromkeys(EVENT_COLUMNS, "")
        row.update(loan_id=loan_id, event_id=event_id, date=day.isoformat(), type=kind, **cells)
        return row

    def start(loan_id: str) -> dt.date:
        return dt.date.fromisoformat(tape.contract(loan_id)["start_date"])

    def first_row(loan_id: str) -> int:
        return next(i for i, e in enumerate(tape.events) if e["loan_id"] == loan_id)

    # 0: paid out the day before the contract date
    disbursement = tape.events[first_row(ids[0])]
    disbursement["date"] = (start(ids[0]) - dt.timedelta(days=1)).isoformat()
    planted.append(disbursement)
    # 1: paid out on the first due date (too late to be funded late); the loan's events before
    # it are dropped, so that only the disbursement is refused
    first_due = terms_of(tape.contract(ids[1])).schedule.dates[0]
    disbursement = tape.events[first_row(ids[1])]
    disbursement["date"] = first_due.isoformat()
    tape.events = [
        e
        for e in tape.events
        if e is disbursement or e["loan_id"] != ids[1] or e["date"] >= first_due.isoformat()
    ]
    planted.append(disbursement)
    # 2: a reversal of a reminder (not a financial event)
    day = start(ids[2]) + dt.timedelta(days=5)
    reminder = event(ids[2], f"{ids[2]}-RM", day, "reminder")
    reversal = event(ids[2], f"{ids[2]}-RV", day + dt.timedelta(days=1), "reversal")
    reversal["target"] = reminder["event_id"]
    at = first_row(ids[2]) + 1
    tape.events[at:at] = [reminder, reversal]
    planted.append(reversal)
    # 3: a waiver of interest before anything is due (owed: 0.00)
    waiver = event(ids[3], f"{ids[3]}-WX", start(ids[3]) + dt.timedelta(days=2), "waiver")
    waiver.update(amount="0.01", component="interest")
    tape.events.insert(first_row(ids[3]) + 1, waiver)
    planted.append(waiver)
    # 4: a repayment on the start date, recorded before the disbursement of that day (C1)
    early = event(ids[4], f"{ids[4]}-PX", start(ids[4]), "repayment", amount="10.00")
    tape.events.insert(first_row(ids[4]), early)
    planted.append(early)
    # 5: a fee after a write-off (C13)
    last = max(dt.date.fromisoformat(e["date"]) for e in tape.events_of(ids[5]))
    assert last + dt.timedelta(days=2) <= AS_OF
    writeoff = event(ids[5], f"{ids[5]}-XO", last + dt.timedelta(days=1), "writeoff")
    fee = event(ids[5], f"{ids[5]}-FX", last + dt.timedelta(days=2), "fee", amount="30.00")
    fee["name"] = "statement"
    at = max(i for i, e in enumerate(tape.events) if e["loan_id"] == ids[5]) + 1
    tape.events[at:at] = [writeoff, fee]
    planted.append(fee)
    return tape, planted


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> tuple[Tape, list[dict[str, str]], Any]:
    tape, planted = refused_tape()
    contracts, events = tape.write(tmp_path_factory.mktemp("refused"))
    return tape, planted, audit(contracts, events, as_of=AS_OF)


def test_refused_events_are_the_bad_rows(refused: tuple[Tape, list[dict[str, str]], Any]) -> None:
    """Each refused row is reported at its line; its loan is in error, the others recompute
    as the reference model says."""
    tape, planted, result = refused
    ids = tape.loan_ids
    expected = sorted(
        ("events.csv", tape.event_line(row), row["loan_id"], row["event_id"]) for row in planted
    )
    got = sorted(
        (Path(r["file"]).name, int(r["row"]), r["loan_id"], r["event_id"])
        for r in result.errors.to_dict("records")
    )
    assert got == expected
    bad = ids[:6]
    assert statuses(result) == {c: "error" if c in bad else "ok" for c in ids}
    assert mismatches(result, reference_record(tape.without(bad))) == []


def test_the_field_and_value_of_a_refused_row_are_its_cell(
    refused: tuple[Tape, list[dict[str, str]], Any],
) -> None:
    """errors.field names the tape column whose cell was refused; errors.value is that cell's
    text as the tape has it (as for every other bad row)."""
    _, planted, result = refused
    wrong = []
    for r in result.errors.to_dict("records"):
        row = next(p for p in planted if p["event_id"] == r["event_id"])
        if r["field"] not in EVENT_COLUMNS or r["value"] != row[r["field"]]:
            wrong.append((r["event_id"], r["field"], r["value"], r["message"]))
    assert wrong == []


def test_contracts_the_library_refuses_are_bad_rows(tmp_path: Path) -> None:
    """LoanTerms' refusals name the contract's cell: field = the column, value = its text."""
    tape = generate(8, seed=51)
    ids = tape.loan_ids
    changes = [  # (column, text, the field expected: None when either column could be named)
        ("caps", "CN_99", "caps"),
        ("annual_rate", "0.40", None),  # with CN_COMPREHENSIVE_36: above the cap
        ("term", "0", "term"),
        ("method", "balloon", "method"),
        ("start_date", "2024-13-01", "start_date"),
        ("first_due_date", "2023-01-01", "first_due_date"),
    ]
    for loan_id, (column, text, _) in zip(ids, changes, strict=False):
        tape.contract(loan_id)[column] = text
    tape.contract(ids[1])["caps"] = "CN_COMPREHENSIVE_36"
    contracts, events = tape.write(tmp_path)
    result = audit(contracts, events, as_of=AS_OF)
    got = {r["loan_id"]: r for r in result.errors.to_dict("records")}
    assert sorted(got) == ids[: len(changes)]
    assert statuses(result) == {c: "error" if c in got else "ok" for c in ids}
    wrong = []
    for loan_id, (column, text, field) in zip(ids, changes, strict=False):
        r = got[loan_id]
        place = (Path(r["file"]).name, int(r["row"]), r["event_id"])
        if place != ("contracts.csv", tape.contract_line(tape.contract(loan_id)), ""):
            wrong.append((loan_id, place))
        if field is None:  # the rate or the cap named, with the cell's text
            cells = {"caps": "CN_COMPREHENSIVE_36", column: text}
            if (r["field"], r["value"]) not in cells.items():
                wrong.append((loan_id, r["field"], r["value"]))
        elif (r["field"], r["value"]) != (field, text):
            wrong.append((loan_id, r["field"], r["value"]))
    assert wrong == []


@pytest.mark.parametrize("workers", [1, 2])
def test_a_second_contract_row_of_a_loan_is_a_bad_row(tmp_path: Path, workers: int) -> None:
    tape = generate(5, seed=41)
    again = dict(tape.contracts[1], principal="999.00")
    tape.contracts.append(again)
    contracts, events = tape.write(tmp_path)
    result = audit(contracts, events, as_of=AS_OF, workers=workers)
    got = [
        (Path(r["file"]).name, int(r["row"]), r["loan_id"])
        for r in result.errors.to_dict("records")
    ]
    assert got == [("contracts.csv", 7, tape.loan_ids[1])]
    assert list(result.recomputed["loan_id"]) == sorted(set(tape.loan_ids))
    assert statuses(result)[tape.loan_ids[1]] == "error"


def test_a_typed_record_compares_like_text(
    audited60: Any, planted60: PlantedRecord, tape60: Tape
) -> None:
    """The record as a typed DataFrame (money as Decimal, dpd as int) finds the same."""
    _, contracts, events, _ = audited60
    typed = pd.DataFrame(planted60.rows)
    for name in MONEY_FIELDS:
        typed[name] = [Decimal(v) for v in typed[name]]
    typed["dpd"] = typed["dpd"].astype("int64")
    result = audit(contracts, events, as_of=AS_OF, record=typed)
    pd.testing.assert_frame_equal(result.differences, audited60[0].differences)


def test_a_loan_twice_in_the_record_is_not_passed_over(tmp_path: Path) -> None:
    """Every input row is accounted for — the record's too: a loan recorded twice with other
    balances is reported (in errors), never silently decided by the row order."""
    tape = generate(6, seed=61)
    rows = record_rows(reference_record(tape))
    twice = tape.loan_ids[4]
    rows.insert(4, dict(rows[4], outstanding_principal="1.00"))  # before the exact row
    contracts, events = tape.write(tmp_path)
    record = write_record(tmp_path / "record.csv", rows)
    result = audit(contracts, events, as_of=AS_OF, record=record)
    reported = [(Path(r["file"]).name, r["loan_id"]) for r in result.errors.to_dict("records")] + [
        ("differences", r["loan_id"]) for r in result.differences.to_dict("records")
    ]
    assert ("record.csv", twice) in reported or ("differences", twice) in reported
    assert result.exit_status == 1


def test_a_record_file_in_any_format_compares_the_same(
    tmp_path: Path, audited60: Any, planted60: PlantedRecord
) -> None:
    _, contracts, events, _ = audited60
    columns = ("loan_id", *RECORD_FIELDS)
    table = arrow_table(planted60.rows, columns)
    import pyarrow.parquet as pq

    pq.write_table(table, tmp_path / "record.parquet")
    records = {
        "jsonl": write_jsonl(tmp_path / "record.jsonl", planted60.rows),
        "parquet": tmp_path / "record.parquet",
        "arrow": table,
    }
    for name, record in records.items():
        result = audit(contracts, events, as_of=AS_OF, record=record)
        pd.testing.assert_frame_equal(result.differences, audited60[0].differences, obj=name)
