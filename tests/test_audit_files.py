"""Unusable tape files end ``loanmath audit`` with exit status 2 and one line naming the file
and why — never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EVENTS = "loan_id,event_id,date,type,amount\nL1,D,2024-01-15,disbursement,\n"


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("latin1.csv", b"loan_id,currency\n\xff\xfe,CNY\n", "is not UTF-8 text"),
        ("tape.xml", b"<loans/>", "is not a tape format"),
        ("empty.csv", b"", "has no header row"),
        ("tape.parquet", b"not parquet at all", "is not a Parquet file"),
    ],
)
def test_an_unusable_contracts_file_is_one_line_and_exit_2(
    tmp_path: Path, name: str, content: bytes, why: str
) -> None:
    (tmp_path / name).write_bytes(content)
    (tmp_path / "events.csv").write_text(EVENTS, "utf-8")
    for workers in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-m", "loanmath", "audit", str(tmp_path / name),
             str(tmp_path / "events.csv"), "--as-of", "2024-03-01", "--out",
             str(tmp_path / "out"), "--quiet", "--workers", workers],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stderr.count("\n") == 1
        assert f"contracts='{tmp_path / name}'" in done.stderr
        assert why in done.stderr


def test_a_directory_is_not_a_tape(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text(EVENTS, "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "loanmath", "audit", str(tmp_path), str(tmp_path / "events.csv"),
         "--as-of", "2024-03-01", "--out", str(tmp_path / "out"), "--quiet"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "cannot be read" in done.stderr


def test_a_defect_in_one_loan_stops_that_loan_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception the library should have named is reported on the loan, never the end of
    the audit: the other loans are recomputed."""
    import datetime as dt

    import loanmath.audit._partition as partition
    from loanmath.audit import audit

    real = partition.build_terms

    def broken(cells: dict[str, str], mapping: object) -> object:
        if cells["loan_id"] == "L2":
            raise ZeroDivisionError("planted")
        return real(cells, mapping)  # type: ignore[arg-type]

    monkeypatch.setattr(partition, "build_terms", broken)
    (tmp_path / "c.csv").write_text(
        "loan_id,currency,principal,annual_rate,term,start_date\n"
        "L1,CNY,1200.00,0.12,3,2024-01-15\nL2,CNY,1200.00,0.12,3,2024-01-15\n",
        "utf-8",
    )
    (tmp_path / "e.csv").write_text(EVENTS + "L2,D,2024-01-15,disbursement,\n", "utf-8")
    result = audit(tmp_path / "c.csv", tmp_path / "e.csv", dt.date(2024, 3, 1))
    status = dict(zip(result.recomputed["loan_id"], result.recomputed["status"], strict=True))
    assert status == {"L1": "ok", "L2": "error"}
    assert "ZeroDivisionError: planted" in result.errors["message"].iloc[0]
    assert result.exit_status == 1


def test_a_float_amount_in_an_object_column_is_a_bad_row() -> None:
    """A frame whose money column mixes types (object dtype) may hold a Python float: that
    cell is refused, never read as the number it seems to be."""
    import datetime as dt

    import pandas as pd

    from loanmath.audit import audit

    contracts = pd.DataFrame(
        [{"loan_id": "L1", "currency": "CNY", "principal": "1200.00", "annual_rate": "0.12",
          "term": "3", "start_date": "2024-01-15"}]
    )  # fmt: skip
    events = pd.DataFrame(
        [{"loan_id": "L1", "event_id": "D", "date": "2024-01-15", "type": "disbursement",
          "amount": None},
         {"loan_id": "L1", "event_id": "P", "date": "2024-02-15", "type": "repayment",
          "amount": 104.5}],
        dtype=object,
    )  # fmt: skip
    result = audit(contracts, events, dt.date(2024, 3, 1))
    assert result.errors[["row", "field", "value"]].values.tolist() == [
        [2, "amount", "float 104.5"]
    ]
    assert result.recomputed["status"].tolist() == ["error"]
