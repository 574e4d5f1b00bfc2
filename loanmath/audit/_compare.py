"""Differences between the recomputed balances and a system of record, field by field.

A money field differs when ``|recomputed − recorded|`` exceeds its tolerance (default 0: exact
to the minor unit); ``dpd`` likewise in days; ``bucket`` and ``written_off`` when not equal.
A loan on one side only is one row with ``field="loan"``. Loans in error are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from loanmath.audit._cells import CellError, int_cell, rate_cell
from loanmath.audit._partition import MONEY_FIELDS, RECOMPUTED_FIELDS
from loanmath.audit._tape import Tape

__all__ = ["COMPARED", "DIFFERENCE_FIELDS", "differences"]

DIFFERENCE_FIELDS = ("loan_id", "field", "recomputed", "recorded", "difference")
#: The recomputed fields a record may hold.
COMPARED = (*MONEY_FIELDS, "dpd", "bucket", "written_off")
_INDEX = {name: k for k, name in enumerate(RECOMPUTED_FIELDS)}


def _value(field: str, text: str) -> Any:
    if field in MONEY_FIELDS:
        return rate_cell(field, text)
    if field == "dpd":
        return int_cell(field, text)
    if field == "written_off":
        lowered = text.strip().lower()
        if lowered not in ("true", "false", "1", "0"):
            raise CellError(field, text, "is not true or false")
        return lowered in ("true", "1")
    return text.strip()


def _read_record(
    record: Tape,
) -> tuple[dict[str, dict[str, Any]], set[str], list[tuple[Any, ...]]]:
    """The record's values by loan; the loans whose rows are bad or repeated (reported in
    errors, not compared); the bad rows."""
    theirs: dict[str, dict[str, Any]] = {}
    first: dict[str, int] = {}
    unusable: set[str] = set()
    bad: list[tuple[Any, ...]] = []
    for line, cells in record.rows:
        loan_id = cells.get("loan_id", "").strip()
        try:
            if not loan_id:
                raise CellError("loan_id", "", "is empty")
            if loan_id in first:
                unusable.add(loan_id)
                raise CellError(
                    "loan_id", loan_id, f"appears twice in the record (first on row "
                    f"{first[loan_id]})", "keep one row a loan",
                )  # fmt: skip
            first[loan_id] = line
            theirs[loan_id] = {
                f: _value(f, cells[f]) for f in COMPARED if f in cells and cells[f].strip()
            }
        except CellError as error:
            unusable.add(loan_id)
            bad.append((record.name, line, loan_id, "", error.field, str(error.value), str(error)))
    unusable.discard("")
    return theirs, unusable, bad


def differences(
    recomputed: Sequence[tuple[Any, ...]],
    record: Tape,
    tolerances: Mapping[str, Decimal],
) -> tuple[list[tuple[str, ...]], list[tuple[Any, ...]]]:
    """(difference rows, bad record rows), each sorted."""
    ours = {row[0]: row for row in recomputed}
    theirs, unusable, bad = _read_record(record)
    out: list[tuple[str, ...]] = []
    for loan_id in sorted(set(ours) | set(theirs) | unusable):
        if loan_id in unusable:
            continue  # its record rows are in errors: nothing to compare with
        row, recorded = ours.get(loan_id), theirs.get(loan_id)
        if row is not None and row[_INDEX["status"]] != "ok":
            continue
        if row is None or recorded is None:
            sides = ("present", "missing") if recorded is None else ("missing", "present")
            out.append((loan_id, "loan", *sides, ""))
            continue
        for field in COMPARED:
            if field not in recorded:
                continue
            mine, other = row[_INDEX[field]], recorded[field]
            if field in MONEY_FIELDS or field == "dpd":
                mine_n = Decimal(mine) if field in MONEY_FIELDS else Decimal(int(mine))
                gap = mine_n - Decimal(other)
                if abs(gap) > tolerances.get(field, Decimal(0)):
                    out.append((loan_id, field, str(mine), str(other), format(gap, "f")))
            elif mine != other:
                out.append((loan_id, field, str(mine).lower() if field == "written_off" else
                            str(mine), str(other).lower() if field == "written_off" else
                            str(other), ""))  # fmt: skip
    return out, bad
