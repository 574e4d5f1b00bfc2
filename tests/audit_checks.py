"""Helpers and shared tapes of the audit acceptance tests (test_audit.py and
test_audit_runs.py): see test_audit.py's docstring for what the expected values come from."""

from __future__ import annotations

import decimal
import importlib.util
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from audit_tapes import (
    AS_OF,
    MONEY_FIELDS,
)

Record = dict[str, dict[str, Any]]
DASK_MISSING = (
    importlib.util.find_spec("dask") is None or importlib.util.find_spec("distributed") is None
)
OUTPUT_NAMES = ("recomputed", "differences", "errors")
MONEY_CNY = re.compile(r"-?\d+\.\d\d")


# --- helpers ---------------------------------------------------------------------------------


def mismatches(result: Any, reference: Record) -> list[tuple[str, str, object, object]]:
    """(loan, field, audit's value, reference value) for every recomputed field that differs."""
    out: list[tuple[str, str, object, object]] = []
    for row in result.recomputed.to_dict("records"):
        want = reference.get(row["loan_id"])
        if want is None:
            continue
        for name in MONEY_FIELDS:  # the amount; its spelling is test_money_is_exact_text's
            if not (isinstance(row[name], str) and same_amount(row[name], str(want[name]))):
                out.append((row["loan_id"], name, row[name], want[name]))
        if row["bucket"] != want["bucket"]:
            out.append((row["loan_id"], "bucket", row["bucket"], want["bucket"]))
        dpd, written_off = row["dpd"], row["written_off"]
        if not isinstance(dpd, (int, np.integer)) or int(dpd) != want["dpd"]:
            out.append((row["loan_id"], "dpd", dpd, want["dpd"]))
        if not isinstance(written_off, (bool, np.bool_)) or written_off != want["written_off"]:
            out.append((row["loan_id"], "written_off", written_off, want["written_off"]))
        if row["as_of"] != AS_OF.isoformat():
            out.append((row["loan_id"], "as_of", row["as_of"], AS_OF.isoformat()))
    return out


def same_amount(a: str, b: str) -> bool:
    try:
        return Decimal(a) == Decimal(b)
    except decimal.InvalidOperation:
        return False


def error_keys(result: Any) -> list[tuple[str, int, str, str, str]]:
    return sorted(
        (r["file"], int(r["row"]), r["loan_id"], r["event_id"], r["field"])
        for r in result.errors.to_dict("records")
    )


def statuses(result: Any) -> dict[str, str]:
    return dict(zip(result.recomputed["loan_id"], result.recomputed["status"], strict=True))


def output_bytes(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def arrow_table(rows: list[dict[str, str]], columns: tuple[str, ...]) -> Any:
    import pyarrow as pa

    return pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in columns})
