"""Audit: recompute whole portfolios from loan tapes and compare with a system of record.

``audit(contracts, events, as_of, record=…)`` reads the tape (CSV, JSON Lines, Parquet, or
pandas / Arrow tables), recomputes every loan with ``loanmath.servicing`` — in this process,
in worker processes, or on a Dask cluster, with one partition function — and returns the
recomputed balances, the differences with the record, the rows that could not be used and a
summary. docs/audit.md describes the tape format and the reports.
"""

from __future__ import annotations

from loanmath.audit._cells import CellError
from loanmath.audit._compare import COMPARED, DIFFERENCE_FIELDS
from loanmath.audit._journal import write_journal
from loanmath.audit._mapping import EVENT_TYPES, Mapping, read_mapping
from loanmath.audit._partition import ERROR_FIELDS, RECOMPUTED_FIELDS, recompute
from loanmath.audit._report import FORMATS, AuditResult
from loanmath.audit._run import ENGINES, audit
from loanmath.audit._tape import TapeError

__all__ = [
    "COMPARED",
    "DIFFERENCE_FIELDS",
    "ENGINES",
    "ERROR_FIELDS",
    "EVENT_TYPES",
    "FORMATS",
    "RECOMPUTED_FIELDS",
    "AuditResult",
    "CellError",
    "Mapping",
    "TapeError",
    "audit",
    "read_mapping",
    "recompute",
    "write_journal",
]
