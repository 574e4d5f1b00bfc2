"""``loanmath audit --journal``: the portfolio's postings as one journal whose trial balance
nets to zero, and whose receivables equal the recomputed balances."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

CONTRACTS = """loan_id,currency,principal,annual_rate,term,start_date,penalty_multiple
L1,CNY,1200.00,0.12,3,2024-01-15,1.5
L2,CNY,3000.00,0.18,6,2024-01-20,
"""
EVENTS = """loan_id,event_id,date,type,amount
L1,D,2024-01-15,disbursement,
L1,P1,2024-02-15,repayment,408.03
L2,D,2024-01-22,disbursement,
L2,P1,2024-02-20,repayment,100.00
"""


def test_the_journal_balances_and_matches_the_recomputed_receivables(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(CONTRACTS, "utf-8")
    (tmp_path / "e.csv").write_text(EVENTS, "utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "loanmath", "audit", str(tmp_path / "c.csv"),
         str(tmp_path / "e.csv"), "--as-of", "2024-04-01", "--out", str(out), "--journal",
         "--quiet", "--workers", "1"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with (out / "trial_balance.csv").open(encoding="utf-8") as handle:
        balances = {row["account"]: Decimal(row["balance"]) for row in csv.DictReader(handle)}
    assert sum(balances.values()) == 0
    with (out / "recomputed.csv").open(encoding="utf-8") as handle:
        loans = list(csv.DictReader(handle))
    principal = sum(Decimal(row["outstanding_principal"]) for row in loans)
    receivable = [v for k, v in balances.items() if k.endswith("Loans:Principal")]
    assert receivable == [principal]
    text = (out / "journal.beancount").read_text("utf-8")
    assert "L1:" in text
    assert "L2:" in text
    assert (out / "journal.jsonl").read_text("utf-8").count("\n") > 4
    assert dt.date(2024, 4, 1).isoformat() in (out / "recomputed.csv").read_text("utf-8")
