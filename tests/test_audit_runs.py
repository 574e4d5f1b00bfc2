"""The audit's runs: the same bytes whatever the workers, engine or layout; a foreign tape
through a mapping; the command line; a hostile decimal context; a loan funded late. The
expected values come from the reference model, as in test_audit.py."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import importlib.util
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from audit_checks import (
    DASK_MISSING,
    OUTPUT_NAMES,
    arrow_table,
    output_bytes,
    statuses,
    write_jsonl,
)
from audit_tapes import (
    AS_OF,
    CONTRACT_COLUMNS,
    EVENT_COLUMNS,
    PlantedRecord,
    Tape,
    foreign_mapping,
    foreign_mapping_toml,
    generate,
    interleave,
    plant_bad_rows,
    plant_differences,
    record_rows,
    reference_record,
    terms_of,
    write_csv,
    write_foreign,
    write_record,
)

from loanmath.audit import audit

# --- 3. the same bytes whatever the workers, engine or partition -----------------------------


@pytest.fixture(scope="module")
def busy_tape(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """30 loans with bad rows and a record with planted differences."""
    tape, _ = plant_bad_rows(generate(30, seed=3))
    directory = tmp_path_factory.mktemp("busy")
    contracts, events = tape.write(directory)
    good = reference_record(tape.without(tape.loan_ids[:8]))
    record = write_record(directory / "record.csv", plant_differences(good, seed=4).rows)
    return contracts, events, record


def _write_all(result: Any, directory: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for fmt in ("csv", "jsonl", "parquet"):
        result.write(directory / fmt, format=fmt)
        out |= {f"{fmt}/{k}": v for k, v in output_bytes(directory / fmt).items()}
    return out


def test_the_same_bytes_with_one_or_two_workers(
    tmp_path: Path, busy_tape: tuple[Path, Path, Path]
) -> None:
    contracts, events, record = busy_tape
    one = audit(contracts, events, as_of=AS_OF, record=record, workers=1)
    two = audit(contracts, events, as_of=AS_OF, record=record, workers=2)
    a, b = _write_all(one, tmp_path / "one"), _write_all(two, tmp_path / "two")
    for fmt in ("csv", "jsonl"):
        assert {f"{fmt}/{n}.{fmt}" for n in OUTPUT_NAMES} | {f"{fmt}/summary.json"} <= set(a)
    assert {f"parquet/{n}.parquet" for n in OUTPUT_NAMES} <= set(a)
    assert not one.errors.empty  # something to order
    assert not one.differences.empty
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


@pytest.mark.skipif(DASK_MISSING, reason="dask / distributed not importable")
def test_the_same_bytes_on_a_dask_cluster(
    tmp_path: Path, busy_tape: tuple[Path, Path, Path]
) -> None:
    from dask.distributed import LocalCluster

    contracts, events, record = busy_tape
    local = audit(contracts, events, as_of=AS_OF, record=record, workers=1)
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
    ) as cluster:
        remote = audit(
            contracts,
            events,
            as_of=AS_OF,
            record=record,
            workers=2,
            engine="dask",
            scheduler=cluster.scheduler_address,
        )
        # tables in memory travel to the workers as rows, not as bucket files
        frames = [
            pd.read_csv(path, dtype=str, keep_default_na=False) for path in (contracts, events)
        ]
        tables = audit(*frames, as_of=AS_OF, record=record, engine="dask",
                       scheduler=cluster.scheduler_address)  # fmt: skip
    a, b = _write_all(local, tmp_path / "local"), _write_all(remote, tmp_path / "dask")
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    assert tables.recomputed_rows == local.recomputed_rows
    # the same bad cells (a frame's rows are numbered by position, a file's by line)
    assert [e[2:] for e in tables.error_rows] == [e[2:] for e in local.error_rows]


def test_the_same_result_however_the_tape_is_laid_out(
    tmp_path: Path, tape60: Tape, planted60: PlantedRecord
) -> None:
    """Events of different loans interleaved (each loan's own order kept), contracts reversed."""
    record = write_record(tmp_path / "record.csv", planted60.rows)
    first = audit(*tape60.write(tmp_path / "a"), as_of=AS_OF, record=record)
    second = audit(*interleave(tape60).write(tmp_path / "b"), as_of=AS_OF, record=record)
    first.write(tmp_path / "out_a")
    second.write(tmp_path / "out_b")
    for name in ("recomputed.csv", "differences.csv", "errors.csv"):
        assert (tmp_path / "out_a" / name).read_bytes() == (tmp_path / "out_b" / name).read_bytes()


def test_every_input_form_gives_the_same_result(tmp_path: Path) -> None:
    tape = generate(12, seed=9)
    csv_paths = tape.write(tmp_path)
    base = audit(*csv_paths, as_of=AS_OF)
    assert base.errors.empty
    forms: dict[str, tuple[Any, Any]] = {
        "str paths": (str(csv_paths[0]), str(csv_paths[1])),
        "jsonl": (
            write_jsonl(tmp_path / "contracts.jsonl", tape.contracts),
            write_jsonl(tmp_path / "events.jsonl", tape.events),
        ),
        "frames": tape.frames(),
        "arrow": (
            arrow_table(tape.contracts, CONTRACT_COLUMNS),
            arrow_table(tape.events, EVENT_COLUMNS),
        ),
    }
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(forms["arrow"][0], tmp_path / "contracts.parquet")
    pq.write_table(forms["arrow"][1], tmp_path / "events.parquet")
    forms["parquet"] = (tmp_path / "contracts.parquet", tmp_path / "events.parquet")
    typed = typed_frames(tape)
    forms["typed frames"] = typed
    pq.write_table(pa.Table.from_pandas(typed[0], preserve_index=False), tmp_path / "tc.parquet")
    pq.write_table(pa.Table.from_pandas(typed[1], preserve_index=False), tmp_path / "te.parquet")
    forms["typed parquet"] = (tmp_path / "tc.parquet", tmp_path / "te.parquet")
    for name, (contracts, events) in forms.items():
        result = audit(contracts, events, as_of=AS_OF)
        assert result.errors.empty, name
        pd.testing.assert_frame_equal(result.recomputed, base.recomputed, obj=name)


def typed_frames(tape: Tape) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tape typed: money and rates as Decimal, counts as int, dates as datetime.date,
    empty cells as None (pyarrow writes decimal128 and date32 columns from them)."""

    def typed(row: dict[str, str], money: set[str], dates: set[str], ints: set[str]) -> dict:
        out: dict[str, object] = {}
        for k, v in row.items():
            if not v:
                out[k] = None
            elif k in money:
                out[k] = Decimal(v)
            elif k in dates:
                out[k] = dt.date.fromisoformat(v)
            elif k in ints:
                out[k] = int(v)
            else:
                out[k] = v
        return out

    money = {"principal", "annual_rate", "periodic_fee", "penalty_multiple", "penalty_rate",
             "late_fee", "upfront_fee", "financed_fee"}  # fmt: skip
    contracts = [
        typed(c, money, {"start_date", "first_due_date"}, {"term", "penalty_grace_days"})
        for c in tape.contracts
    ]
    events = [typed(e, {"amount"}, {"date"}, set()) for e in tape.events]
    return (
        pd.DataFrame(contracts, columns=list(CONTRACT_COLUMNS)),
        pd.DataFrame(events, columns=list(EVENT_COLUMNS)),
    )


def test_json_numbers_keep_their_text(tmp_path: Path) -> None:
    """docs/audit.md: JSON numbers keep their text; a float's trace in one is a bad row."""
    tape = generate(6, seed=8)
    contracts, events = tape.write(tmp_path)
    base = audit(contracts, events, as_of=AS_OF)
    lines = []
    for row in tape.events:
        text = json.dumps(row)
        if row["amount"]:  # the amount as a JSON number, spelled as in the CSV
            text = text.replace(f'"amount": "{row["amount"]}"', f'"amount": {row["amount"]}')
        lines.append(text + "\n")
    numbers = tmp_path / "events.jsonl"
    numbers.write_text("".join(lines), "utf-8")
    result = audit(contracts, numbers, as_of=AS_OF)
    assert result.errors.empty, result.errors.to_dict("records")
    pd.testing.assert_frame_equal(result.recomputed, base.recomputed)
    loan_id = tape.loan_ids[0]
    trace = {"loan_id": loan_id, "event_id": f"{loan_id}-T", "date": "2025-01-05",
             "type": "repayment"}  # fmt: skip
    text = json.dumps(trace)[:-1] + ', "amount": 104.13000000000001}\n'
    numbers.write_text("".join([*lines, text]), "utf-8")
    result = audit(contracts, numbers, as_of=AS_OF)
    rows = [
        (int(r["row"]), r["loan_id"], r["event_id"], r["field"], r["value"])
        for r in result.errors.to_dict("records")
    ]
    assert rows == [(len(lines) + 1, loan_id, f"{loan_id}-T", "amount", "104.13000000000001")]
    assert statuses(result)[loan_id] == "error"


# --- 4. a foreign tape through a mapping -----------------------------------------------------


def test_a_foreign_tape_through_a_mapping_file(tmp_path: Path) -> None:
    tape = generate(20, seed=21)
    native = audit(*tape.write(tmp_path / "native"), as_of=AS_OF)
    assert native.errors.empty
    contracts, events = write_foreign(tape, tmp_path / "foreign")
    assert {"PMT", "NSF"} <= set(pd.read_csv(events, dtype=str)["TxnCode"])
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(foreign_mapping_toml(), "utf-8")
    for given in (mapping, foreign_mapping()):
        foreign = audit(contracts, events, as_of=AS_OF, mapping=given)
        assert foreign.errors.empty, foreign.errors.to_dict("records")
        pd.testing.assert_frame_equal(foreign.recomputed, native.recomputed)


# --- 5. the command line ---------------------------------------------------------------------


def run_cli(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "loanmath", "audit", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def cli_tape(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("cli")
    tape = generate(12, seed=12)
    tape.write(directory)
    reference = reference_record(tape)
    write_record(directory / "exact.csv", record_rows(reference))
    write_record(directory / "planted.csv", plant_differences(reference, seed=13).rows)
    bad, _ = plant_bad_rows(tape)
    bad.write(directory, "bad_contracts.csv", "bad_events.csv")
    events = pd.DataFrame(tape.events, dtype=str)
    events["amount"] = pd.to_numeric(events["amount"])  # money as floats: refused whole
    events.to_parquet(directory / "float_events.parquet")
    return directory


def test_cli_exit_0_when_nothing_differs(cli_tape: Path) -> None:
    done = run_cli(
        "contracts.csv", "events.csv", "--as-of", "2025-03-01", "--record", "exact.csv",
        "--out", "out0", cwd=cli_tape,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for name in ("recomputed.csv", "differences.csv", "errors.csv", "summary.json"):
        assert (cli_tape / "out0" / name).is_file(), name
    recomputed = pd.read_csv(cli_tape / "out0" / "recomputed.csv", dtype=str)
    assert len(recomputed) == 12
    assert json.loads((cli_tape / "out0" / "summary.json").read_text())["counts"]["loans"] == 12


def test_cli_exit_1_on_differences_and_on_bad_rows(cli_tape: Path) -> None:
    done = run_cli(
        "contracts.csv", "events.csv", "--as-of", "2025-03-01", "--record", "planted.csv",
        "--out", "out1", "--format", "jsonl", "--workers", "2", "--quiet", cwd=cli_tape,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    for name in ("recomputed.jsonl", "differences.jsonl", "errors.jsonl", "summary.json"):
        assert (cli_tape / "out1" / name).is_file(), name
    planted = plant_differences(reference_record(generate(12, seed=12)), seed=13).planted
    rows = (cli_tape / "out1" / "differences.jsonl").read_text().splitlines()
    assert len(rows) == len(planted)
    done = run_cli(
        "contracts.csv", "events.csv", "--as-of", "2025-03-01", "--record", "planted.csv",
        "--out", "out1t", "--tolerance", "interest_due=0.01", "--tolerance", "paid_total=10",
        cwd=cli_tape,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    found = pd.read_csv(cli_tape / "out1t" / "differences.csv", dtype=str)
    within = {"interest_due": Decimal("0.01"), "paid_total": Decimal(10)}

    def hidden(p: Any) -> bool:
        return p.delta is not None and p.field in within and abs(p.delta) <= within[p.field]

    assert sum(map(hidden, planted)) == 2
    assert set(zip(found["loan_id"], found["field"], strict=True)) == {
        (p.loan_id, p.field) for p in planted if not hidden(p)
    }


def test_cli_journal_nets_to_zero_and_matches_the_reference(cli_tape: Path) -> None:
    """--journal: one double-entry journal of every loan; its receivables are the reference's
    balances (docs/ledger.md's default accounts; docs/servicing.md's reconciliation)."""
    done = run_cli(
        "contracts.csv", "events.csv", "--as-of", "2025-03-01", "--journal", "--out", "outj",
        cwd=cli_tape,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = cli_tape / "outj"
    for name in ("journal.beancount", "journal.jsonl", "trial_balance.csv"):
        assert (out / name).is_file(), name
    balances: dict[tuple[str, str], Decimal] = {}
    with (out / "trial_balance.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["account"], row["currency"])
            balances[key] = balances.get(key, Decimal(0)) + Decimal(row["balance"])
    assert sum(balances.values()) == 0
    reference = reference_record(generate(12, seed=12))

    def total(name: str) -> Decimal:
        return sum((Decimal(str(r[name])) for r in reference.values()), Decimal(0))

    def balance(account: str) -> Decimal:
        return balances.get((account, "CNY"), Decimal(0))

    assert balance("Assets:Loans:Principal") == total("outstanding_principal")
    assert balance("Assets:Loans:Interest") == total("interest_due")  # period accrual
    assert balance("Assets:Loans:Fees") == total("fees_due")
    assert balance("Assets:Loans:Penalty") == total("penalty_due")
    principal = sum(Decimal(c["principal"]) for c in generate(12, seed=12).contracts)
    assert balance("Assets:Bank:Custody") == total("paid_total") - principal
    if importlib.util.find_spec("beancount") is not None:  # bean-check's loader
        from beancount import loader

        _, errors, _ = loader.load_file(str(out / "journal.beancount"))
        assert errors == []


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("missing.csv", "events.csv", "--as-of", "2025-03-01"), "missing.csv"),
        (("contracts.csv", "events.csv", "--as-of", "2025-03-01", "--format", "xml"), "xml"),
        (("contracts.csv", "events.csv", "--as-of", "2025-03-01", "--record", "nope.csv"),
         "nope.csv"),
        (("contracts.csv", "events.csv", "--as-of", "2025-02-30"), "2025-02-30"),
        (("contracts.csv", "events.csv", "--as-of", "2025-03-01", "--mapping", "no.toml"),
         "no.toml"),
        (("contracts.csv", "float_events.parquet", "--as-of", "2025-03-01"), "amount"),
    ],
    ids=[
        "missing-file",
        "unknown-format",
        "missing-record",
        "bad-as-of",
        "missing-mapping",
        "float-money-column",
    ],
)  # fmt: skip
def test_cli_exit_2_on_an_unusable_invocation(
    cli_tape: Path, args: tuple[str, ...], named: str
) -> None:
    done = run_cli(*args, "--out", "out_unusable", cwd=cli_tape)
    assert done.returncode == 2, (done.returncode, done.stderr)
    message = done.stderr.strip()
    assert "Traceback" not in done.stderr
    assert message, "nothing on stderr"
    assert "\n" not in message, message  # one line
    assert named in message


# --- 6. a hostile decimal context ------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_a_hostile_decimal_context_changes_nothing(
    busy_tape: tuple[Path, Path, Path], workers: int
) -> None:
    contracts, events, record = busy_tape
    normal = audit(contracts, events, as_of=AS_OF, record=record)
    hostile_context = decimal.Context(prec=3, rounding=decimal.ROUND_FLOOR)
    with decimal.localcontext(hostile_context):
        hostile = audit(contracts, events, as_of=AS_OF, record=record, workers=workers)
    for name in OUTPUT_NAMES:
        pd.testing.assert_frame_equal(getattr(hostile, name), getattr(normal, name), obj=name)
    assert hostile.summary == normal.summary
    assert hostile.exit_status == normal.exit_status == 1


# --- 7. a loan funded late -------------------------------------------------------------------


def test_a_loan_funded_late_bears_interest_from_the_funding_date(tmp_path: Path) -> None:
    """Contract 10 Mar 2024, paid out 13 Mar: 28 of the first period's 31 days bear interest.

    docs/servicing.md "Funded late": re-amortised from the funding date over the same due
    dates; reamortize's first period is pro rata to its days at the periodic rate:
    12,000.00 x 1 % x 28/31 = 108.387... -> 108.39, where the contract's schedule says 120.00.
    """
    contract = dict.fromkeys(CONTRACT_COLUMNS, "")
    contract.update(currency="CNY", principal="12000.00", annual_rate="0.12", term="6",
                    start_date="2024-03-10")  # fmt: skip
    late, on_time = dict(contract, loan_id="LATE"), dict(contract, loan_id="ONTIME")
    events = []
    for loan_id, day in (("LATE", "2024-03-13"), ("ONTIME", "2024-03-10")):
        row = dict.fromkeys(EVENT_COLUMNS, "")
        row.update(loan_id=loan_id, event_id=f"{loan_id}-D", date=day, type="disbursement")
        events.append(row)
    contracts_path = write_csv(tmp_path / "contracts.csv", CONTRACT_COLUMNS, [late, on_time])
    events_path = write_csv(tmp_path / "events.csv", EVENT_COLUMNS, events)
    first = terms_of(late).schedule.installments[0]
    assert (first.due_date, first.interest) == (dt.date(2024, 4, 10), Decimal("120.00"))
    result = audit(contracts_path, events_path, as_of=first.due_date)
    assert result.errors.empty
    rows = {r["loan_id"]: r for r in result.recomputed.to_dict("records")}
    assert rows["LATE"]["status"] == "ok", rows["LATE"]["error"]
    assert Decimal(rows["LATE"]["interest_due"]) < first.interest
    assert rows["LATE"]["interest_due"] == "108.39"
    assert rows["LATE"]["outstanding_principal"] == "12000.00"
    assert int(rows["LATE"]["dpd"]) == 0
    assert rows["ONTIME"]["interest_due"] == "120.00"
    assert rows["ONTIME"]["principal_due"] == str(first.principal)
    assert result.exit_status == 0
