"""The audit's reports: the result object, the summary, and the files it writes — the same
bytes whatever engine, workers or partitioning produced the rows (rows arrive sorted)."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from loanmath._checks import check_name
from loanmath._decimal import ZERO
from loanmath._optional import require
from loanmath.ageing import BucketSet, LoanAgeing, portfolio_ageing
from loanmath.audit._compare import DIFFERENCE_FIELDS
from loanmath.audit._partition import ERROR_FIELDS, MONEY_FIELDS, RECOMPUTED_FIELDS
from loanmath.audit._tape import Tape
from loanmath.servicing import CONVENTIONS_VERSION

__all__ = ["FORMATS", "AuditResult", "summarise"]

FORMATS = ("csv", "jsonl", "parquet")
_TABLES = (
    ("recomputed", RECOMPUTED_FIELDS),
    ("differences", DIFFERENCE_FIELDS),
    ("errors", ERROR_FIELDS),
)


def _frame(rows: Sequence[tuple[Any, ...]], columns: Sequence[str]) -> Any:
    pd = require("pandas", "the audit's tables")
    return pd.DataFrame([list(r) for r in rows], columns=list(columns))


@attrs.frozen
class AuditResult:
    """What an audit found: ``recomputed``, ``differences`` and ``errors`` (DataFrames), the
    ``summary`` (a JSON-ready dict) and the ``exit_status`` (0 clean, 1 differences or bad
    rows).

    Notes
    -----
    ``exit_status = 1`` when any difference row or error row exists, else 0 (2 is the
    command line's, for an unusable invocation). A difference is a field with
    ``|recomputed − recorded| > tolerance`` (default 0). Rows arrive sorted, so the same
    tape writes the same bytes whatever the engine (docs/audit.md, "The reports").
    """

    recomputed_rows: list[tuple[Any, ...]]
    difference_rows: list[tuple[str, ...]]
    error_rows: list[tuple[Any, ...]]
    summary: dict[str, Any]

    @property
    def recomputed(self) -> Any:
        """One row per loan (pandas DataFrame), sorted by loan id; a loan in error has no
        ``dpd`` or ``written_off`` (nullable columns)."""
        frame = _frame(self.recomputed_rows, RECOMPUTED_FIELDS)
        frame["dpd"] = frame["dpd"].astype("Int64")
        frame["written_off"] = frame["written_off"].astype("boolean")
        return frame

    @property
    def differences(self) -> Any:
        """One row per (loan, field) beyond its tolerance (pandas DataFrame)."""
        return _frame(self.difference_rows, DIFFERENCE_FIELDS)

    @property
    def errors(self) -> Any:
        """Every input row that could not be used (pandas DataFrame)."""
        return _frame(self.error_rows, ERROR_FIELDS)

    @property
    def exit_status(self) -> int:
        """0 when everything recomputed and nothing differs, else 1."""
        return 1 if self.difference_rows or self.error_rows else 0

    def write(self, out_dir: str | os.PathLike[str], format: str = "csv") -> list[Path]:
        """Write ``recomputed.*``, ``differences.*``, ``errors.*`` and ``summary.json``."""
        check_name(format, "format", FORMATS)
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, columns in _TABLES:
            rows = getattr(self, _ROWS[name])
            path = folder / f"{name}.{format}"
            _WRITERS[format](path, columns, rows)
            written.append(path)
        summary = folder / "summary.json"
        summary.write_text(json.dumps(self.summary, indent=2, sort_keys=True) + "\n", "utf-8")
        written.append(summary)
        return written


_ROWS = {"recomputed": "recomputed_rows", "differences": "difference_rows", "errors": "error_rows"}


def _csv(path: Path, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_plain(v) for v in row] for row in rows)
    path.write_text(buffer.getvalue(), "utf-8")


def _jsonl(path: Path, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    lines = [json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False) for row in rows]
    path.write_text("".join(line + "\n" for line in lines), "utf-8")


def _parquet(path: Path, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    pa = require("pyarrow", "--format parquet")
    pq = require("pyarrow.parquet", "--format parquet")
    kinds = {"dpd": pa.int64(), "row": pa.int64(), "written_off": pa.bool_()}
    schema = pa.schema([(c, kinds.get(c, pa.string())) for c in columns])  # fixed, whatever rows
    data = {c: [row[k] for row in rows] for k, c in enumerate(columns)}
    pq.write_table(pa.table(data, schema=schema), path)


def _plain(value: Any) -> Any:
    return str(value).lower() if isinstance(value, bool) else value


_WRITERS = {"csv": _csv, "jsonl": _jsonl, "parquet": _parquet}


def summarise(
    as_of: _dt.date,
    *,
    recomputed: Sequence[tuple[Any, ...]],
    diffs: Sequence[tuple[str, ...]],
    errors: Sequence[tuple[Any, ...]],
    tapes: Sequence[Tape],
    buckets: BucketSet,
) -> dict[str, Any]:
    """Counts, totals per field, ageing, and what produced them (inputs' SHA-256, versions)."""
    from loanmath import __version__  # noqa: PLC0415 - the package above

    index = {name: k for k, name in enumerate(RECOMPUTED_FIELDS)}
    ok = [row for row in recomputed if row[index["status"]] == "ok"]
    totals = {
        field: format(sum((Decimal(row[index[field]]) for row in ok), ZERO), "f")
        for field in MONEY_FIELDS
    }
    ageing = portfolio_ageing(
        [LoanAgeing(r[0], r[index["dpd"]], Decimal(r[index["outstanding_principal"]])) for r in ok],
        as_of,
        buckets,
    )
    return {
        "as_of": as_of.isoformat(),
        "loanmath_version": __version__,
        "conventions_version": CONVENTIONS_VERSION,
        "inputs": {t.name: {"sha256": t.sha256, "rows": t.size} for t in tapes},
        "counts": {
            "loans": len(recomputed),
            "recomputed": len(ok),
            "in_error": len(recomputed) - len(ok),
            "differing": len({d[0] for d in diffs}),
            "differences": len(diffs),
            "error_rows": len(errors),
        },
        "totals": totals,
        "buckets": {
            label: {
                "count": ageing.count[label],
                "outstanding_principal": format(ageing.outstanding[label], "f"),
            }
            for label in buckets.labels
        },
        "par": {
            f"par{k}": format(v.quantize(Decimal("0.000001")), "f") for k, v in ageing.par.items()
        },
    }
