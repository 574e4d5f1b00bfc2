"""Audit benchmark: ``loanmath.audit.audit`` of a generated tape (``benchmarks/audit_tape.py``),
beside a plain servicing replay of the same loans (the peer: what the audit adds over
servicing — reading, checking, comparing, reporting — is the ratio of the two).

AUDIT_LOANS defaults to 2,000 (CI smoke); AUDIT_WORKERS (default 1) sets ``workers``.
Asserts: every loan recomputed (status ok), no row errors, exit status 0.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

import pytest
from audit_tape import AS_OF, write_tape

from loanmath.audit import audit

LOANS = int(os.environ.get("AUDIT_LOANS", "2000"))
WORKERS = int(os.environ.get("AUDIT_WORKERS", "1"))


@pytest.fixture(scope="module")
def tape(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    return write_tape(tmp_path_factory.mktemp("audit_tape"), LOANS)


@pytest.mark.benchmark(group="audit")
def test_audit_tape(benchmark, tape: tuple[Path, Path, int]) -> None:
    contracts, events, n_events = tape
    result = benchmark.pedantic(
        lambda: audit(contracts, events, as_of=AS_OF, workers=WORKERS), rounds=1, iterations=1
    )
    assert result.exit_status == 0
    assert result.errors.empty, result.errors.head().to_dict("records")
    assert result.differences.empty
    assert len(result.recomputed) == LOANS
    assert set(result.recomputed["status"]) == {"ok"}
    counts = result.summary["counts"]
    assert (counts["loans"], counts["recomputed"], counts["in_error"]) == (LOANS, LOANS, 0)
    if benchmark.stats is not None:  # None in the smoke run (--benchmark-disable)
        mean = benchmark.stats.stats.mean
        benchmark.extra_info["loans_per_second"] = round(LOANS / mean)
        benchmark.extra_info["events_per_second"] = round(n_events / mean)


def _replay(contracts: Path, events: Path) -> int:
    """The peer: read the same CSVs with the csv module and replay each loan in servicing."""
    from loanmath import LoanTerms, Money
    from loanmath.servicing import Disbursement, Loan, Repayment, Reversal

    def event(row: dict[str, str]) -> object:
        day, eid = dt.date.fromisoformat(row["date"]), row["event_id"]
        if row["type"] == "disbursement":
            return Disbursement(eid, day)
        if row["type"] == "repayment":
            return Repayment(eid, day, amount=row["amount"])
        return Reversal(eid, day, target=row["target"])

    histories: dict[str, list[object]] = {}
    with events.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            histories.setdefault(row["loan_id"], []).append(event(row))
    replayed = 0
    with contracts.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            terms = LoanTerms(
                Money(row["principal"], row["currency"]),
                row["annual_rate"],
                int(row["term"]),
                start_date=dt.date.fromisoformat(row["start_date"]),
            )
            Loan(terms, row["loan_id"], histories[row["loan_id"]]).state(AS_OF)  # type: ignore[arg-type]
            replayed += 1
    return replayed


@pytest.mark.benchmark(group="audit")
def test_servicing_replay_of_the_same_tape(benchmark, tape: tuple[Path, Path, int]) -> None:
    contracts, events, _ = tape
    replayed = benchmark.pedantic(_replay, args=(contracts, events), rounds=1, iterations=1)
    assert replayed == LOANS
