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
