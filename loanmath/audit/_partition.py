"""The partition function: a group of loans' rows in, their recomputed rows and their bad rows
out. Pure and picklable, so the local worker pool and Dask run the very same function.

A loan with any bad row — its contract or one of its events — is not recomputed from a partial
history: its recomputed row has ``status="error"`` and the first message.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from loanmath._decimal import CONTEXT, context_free
from loanmath.ageing import CN_M, IFRS9_STAGES, US_DELINQUENCY, BucketSet
from loanmath.audit._build import build_event, build_terms
from loanmath.audit._mapping import Mapping
from loanmath.audit._spill import read_bucket
from loanmath.audit._tape import Tape
from loanmath.errors import LoanMathError
from loanmath.money import minor_unit_quantum
from loanmath.servicing import Event, Loan, ServicingPolicy

__all__ = [
    "BUCKETS",
    "ERROR_FIELDS",
    "MONEY_FIELDS",
    "RECOMPUTED_FIELDS",
    "LoanRows",
    "group",
    "recompute",
    "recompute_bucket",
]

#: The columns of ``recomputed``.
RECOMPUTED_FIELDS = (
    "loan_id", "as_of", "outstanding_principal", "principal_due", "interest_due", "fees_due",
    "penalty_due", "total_due", "paid_total", "dpd", "bucket", "written_off", "status", "error",
)  # fmt: skip
MONEY_FIELDS = RECOMPUTED_FIELDS[2:9]
#: The columns of ``errors``.
ERROR_FIELDS = ("file", "row", "loan_id", "event_id", "field", "value", "message")
#: ``--buckets`` names.
BUCKETS: dict[str, BucketSet] = {"cn": CN_M, "us": US_DELINQUENCY, "ifrs9": IFRS9_STAGES}

Cells = dict[str, str]
_EVENT_FIELDS = {"id": "event_id", "event": "type"}  # what the library names → the column
Source = tuple[str, int, Cells]  # (file, row number, cells)
#: One loan's input: its id, its contract row, its event rows, problems found in grouping.
LoanRows = tuple[str, Source, tuple[Source, ...], tuple[tuple[Any, ...], ...]]


def _error(source: Source, loan_id: str, error: LoanMathError) -> tuple[Any, ...]:
    file, row, cells = source
    # a cap's refusal is the contract's `caps` cell; a field the library names, its cell
    field = "caps" if hasattr(error, "rule") else getattr(error, "field", "")
    field = _EVENT_FIELDS.get(str(field), str(field))  # an event attribute → its column
    raw = getattr(error, "value", getattr(error, "measured", ""))
    if field in cells:  # the cell as the tape wrote it
        raw = cells[field]
    value = raw if isinstance(raw, str) else format(raw, "f") if hasattr(raw, "is_finite") else (
        repr(raw))  # fmt: skip
    return (file, row, loan_id, cells.get("event_id", ""), str(field), value, str(error))


def _failed(loan_id: str, as_of: _dt.date, message: str) -> tuple[Any, ...]:
    blank = ("",) * len(RECOMPUTED_FIELDS[2:9])  # not recomputed: no figure, not even a zero
    return (loan_id, as_of.isoformat(), *blank, None, "", None, "error", message)


def _money(value: Decimal, unit: Decimal) -> str:
    """Exact text with at least the currency's decimals (``0`` → ``0.00``)."""
    if int(value.as_tuple().exponent) > int(unit.as_tuple().exponent):  # pad, exactly
        value = value.quantize(unit, context=CONTEXT)
    return format(value, "f")


def _one(
    item: LoanRows, as_of: _dt.date, mapping: Mapping, policy: ServicingPolicy
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    loan_id, contract, event_rows, problems = item
    errors = list(problems)
    terms = None
    try:
        terms = build_terms(contract[2], mapping)
    except LoanMathError as error:
        errors.append(_error(contract, loan_id, error))
    currency = terms.principal.currency if terms is not None else None
    events: list[tuple[Source, Event]] = []
    for source in event_rows:
        try:
            events.append((source, build_event(source[2], currency, mapping)))
        except LoanMathError as error:
            errors.append(_error(source, loan_id, error))
    if errors or terms is None:
        return _failed(loan_id, as_of, str(errors[0][6])), errors
    events.sort(key=lambda pair: pair[1].date)  # one day's events keep the file's order
    try:
        loan = Loan(terms, loan_id, [event for _, event in events], policy)
    except LoanMathError:  # find the row it refuses: add the events one at a time
        loan = Loan(terms, loan_id, policy=policy)
        for source, event in events:
            try:
                loan = loan.add(event)
            except LoanMathError as error:
                return _failed(loan_id, as_of, str(error)), [_error(source, loan_id, error)]
    s = loan.state(as_of)
    money = (
        s.outstanding_principal, s.principal_due, s.interest_due, s.fees_due, s.penalty_due,
        s.total_due, s.paid,
    )  # fmt: skip
    unit = minor_unit_quantum(terms.principal.currency)
    row = (loan_id, as_of.isoformat(), *(_money(v, unit) for v in money), s.dpd, s.bucket,
           s.written_off, "ok", "")  # fmt: skip
    return row, []


def _guarded(
    item: LoanRows, as_of: _dt.date, mapping: Mapping, policy: ServicingPolicy
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """One loan; an exception the library should have turned into a LoanMathError is a
    defect, but it stops this loan only — reported, never the end of the audit."""
    try:
        return _one(item, as_of, mapping, policy)
    except (ArithmeticError, ValueError, TypeError, RecursionError) as error:
        message = (
            f"loanmath could not recompute this loan ({type(error).__name__}: {error}); "
            "a defect in loanmath, please report it"
        )
        file, row, _ = item[1]
        return _failed(item[0], as_of, message), [(file, row, item[0], "", "", "", message)]


@context_free
def recompute(
    items: Iterable[LoanRows], as_of: _dt.date, mapping: Mapping, buckets: str = "cn"
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Recompute every loan of a partition: (recomputed rows, error rows).

    Notes
    -----
    Per loan: build the terms and events from the cells, sort the events by date (one day's
    keep the file's order), replay with ``loanmath.servicing`` and read ``loan.state(as_of)``
    with the `buckets` set (``cn`` M0-M7+, ``us``, ``ifrs9``). A loan with any bad row gets
    ``status="error"`` and blank figures, never a partial history. Pure and picklable: the
    same function for local workers, Dask or Spark (docs/audit.md, "The reports", "Scale").

    Examples
    --------
    >>> contract = ("c.csv", 2, {"loan_id": "L1", "currency": "CNY", "principal": "1200.00",
    ...             "annual_rate": "0.12", "term": "3", "start_date": "2024-01-15"})
    >>> paid = ("e.csv", 2, {"loan_id": "L1", "event_id": "D", "date": "2024-01-15",
    ...         "type": "disbursement"})
    >>> rows, errors = recompute([("L1", contract, (paid,), ())], _dt.date(2024, 2, 15), Mapping())
    >>> rows[0][2:5], errors
    (('1200.00', '396.03', '12.00'), [])
    """
    policy = ServicingPolicy(buckets=BUCKETS[buckets])
    recomputed: list[tuple[Any, ...]] = []
    errors: list[tuple[Any, ...]] = []
    for item in items:
        row, bad = _guarded(item, as_of, mapping, policy)
        recomputed.append(row)
        errors.extend(bad)
    return recomputed, errors


def group(contracts: Tape, events: Tape) -> tuple[list[LoanRows], list[tuple[Any, ...]]]:
    """Rows by loan, sorted by loan id; rows that belong to no loan are errors."""
    orphans: list[tuple[Any, ...]] = []
    found: dict[str, Source] = {}
    problems: dict[str, list[tuple[Any, ...]]] = {}
    for line, cells in contracts.rows:
        loan_id = cells.get("loan_id", "").strip()
        if not loan_id:
            orphans.append((contracts.name, line, "", "", "loan_id", "", "loan_id='': is empty"))
        elif loan_id in found:
            problems.setdefault(loan_id, []).append(
                (contracts.name, line, loan_id, "", "loan_id", loan_id,
                 f"loan_id={loan_id!r}: appears twice in the contracts (first on row "
                 f"{found[loan_id][1]})")
            )  # fmt: skip
        else:
            found[loan_id] = (contracts.name, line, cells)
    grouped: dict[str, list[Source]] = {loan_id: [] for loan_id in found}
    for line, cells in events.rows:
        loan_id = cells.get("loan_id", "").strip()
        if loan_id in grouped:
            grouped[loan_id].append((events.name, line, cells))
        else:
            orphans.append(
                (events.name, line, loan_id, cells.get("event_id", ""), "loan_id", loan_id,
                 f"loan_id={loan_id!r}: no contract has this loan id")
            )  # fmt: skip
    items = [
        (loan_id, found[loan_id], tuple(grouped[loan_id]), tuple(problems.get(loan_id, ())))
        for loan_id in sorted(found)
    ]
    return items, orphans


def recompute_bucket(
    path: str, names: tuple[str, str], as_of: _dt.date, mapping: Mapping, buckets: str = "cn"
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The partition function over one bucket file of a streamed tape (``_spill``)."""
    contracts, events = read_bucket(path, names)
    items, orphans = group(contracts, events)
    rows, errors = recompute(items, as_of, mapping, buckets)
    return rows, orphans + errors
